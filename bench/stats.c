// SPDX-License-Identifier: GPL-2.0
/*
 * stats.c - summary statistics, see stats.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double stats_percentile(const double *sorted, size_t n, double p)
{
	double rank, frac;
	size_t lo;

	if (n == 0)
		return NAN;
	if (p <= 0)
		return sorted[0];
	if (p >= 100)
		return sorted[n - 1];
	rank = p / 100.0 * (double)(n - 1);
	lo = (size_t)rank;
	frac = rank - (double)lo;
	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

int stats_summary_d(const double *v, size_t n, struct summary *s)
{
	double *sorted, sum = 0, sq = 0;
	size_t i;

	memset(s, 0, sizeof(*s));
	if (n == 0)
		return -1;
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return -1;
	memcpy(sorted, v, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_double);

	for (i = 0; i < n; i++)
		sum += sorted[i];
	s->n = n;
	s->mean = sum / (double)n;
	for (i = 0; i < n; i++)
		sq += (sorted[i] - s->mean) * (sorted[i] - s->mean);
	s->stddev = n > 1 ? sqrt(sq / (double)(n - 1)) : 0;
	s->cov = s->mean != 0 ? s->stddev / s->mean : 0;
	s->min = sorted[0];
	s->max = sorted[n - 1];
	s->p50 = stats_percentile(sorted, n, 50);
	s->p90 = stats_percentile(sorted, n, 90);
	s->p99 = stats_percentile(sorted, n, 99);
	free(sorted);
	return 0;
}

int stats_summary(const uint64_t *v, size_t n, struct summary *s)
{
	double *d;
	size_t i;
	int ret;

	if (n == 0) {
		memset(s, 0, sizeof(*s));
		return -1;
	}
	d = malloc(n * sizeof(*d));
	if (!d)
		return -1;
	for (i = 0; i < n; i++)
		d[i] = (double)v[i];
	ret = stats_summary_d(d, n, s);
	free(d);
	return ret;
}
