/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stats.h - summary statistics of raw per-op samples.
 */
#ifndef STATS_H
#define STATS_H

#include <stddef.h>
#include <stdint.h>

struct summary {
	size_t n;
	double min, max, mean, stddev, cov;	/* stddev: n - 1; cov = sd/mean */
	double p50, p90, p99;
};

/* Percentile @p (0..100) of sorted @v, linear interpolation between the
 * closest ranks (numpy's default, Hyndman-Fan type 7). */
double stats_percentile(const double *sorted, size_t n, double p);
/* Summarise @n values; @v is not modified. Returns -1 if n == 0. */
int stats_summary(const uint64_t *v, size_t n, struct summary *s);
int stats_summary_d(const double *v, size_t n, struct summary *s);

#endif
