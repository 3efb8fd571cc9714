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

/*
 * Mann-Whitney U test of @a against @b, two-sided.  *u is U of @a: the
 * pairs (x in a, y in b) with x > y, ties counting 1/2.  *p: exact (the
 * null distribution counted) when the smaller sample has fewer than 8
 * values and there are no ties, else the normal approximation with tie and
 * continuity corrections (as scipy.stats.mannwhitneyu, method "auto").
 * Returns -1 if a sample is empty or memory runs out.
 */
int stats_mann_whitney(const double *a, size_t na, const double *b,
		       size_t nb, double *u, double *p);
enum mw_method { MW_AUTO, MW_EXACT, MW_ASYMPTOTIC };
/* The same with the method forced (MW_EXACT ignores ties). */
int stats_mann_whitney_method(const double *a, size_t na, const double *b,
			      size_t nb, enum mw_method m, double *u,
			      double *p);

/*
 * Percentile bootstrap of median(b) / median(a): @iters resamples of each
 * (with replacement), a fixed-seed generator, so the same input and seed
 * give the same interval.  [*lo, *hi] holds the central @level (0.95) of
 * the resampled ratios.  Both samples are sorted once; a resample then
 * only counts its draws per rank, O(na + nb), never a sort.  compare
 * gives it the replicates (one figure per run), never the pooled ops.
 * Returns -1 on empty input, a zero median of a, or no memory.
 */
int stats_bootstrap_ratio(const double *a, size_t na, const double *b,
			  size_t nb, unsigned iters, uint64_t seed,
			  double level, double *lo, double *hi);

/* Sort @n values ascending, in place. */
void stats_sort(double *v, size_t n);

/* The median of @n values (not modified). NAN if n == 0. */
double stats_median(const double *v, size_t n);

/*
 * Percentile @p of @n values by selection, O(n) expected: the value
 * stats_percentile() gives on the sorted values.  @v is reordered.
 */
double stats_select_percentile(double *v, size_t n, double p);

/*
 * Run-level comparison (the replicate is the run): @a holds one figure
 * per run of the baseline (a run's median op time, or a counter per op),
 * @b the same of the other side.  The smallest two-sided p of an exact
 * Mann-Whitney test is 2 / C(na + nb, na): 2/70 = 0.029 with 4 and 4 runs,
 * 2/20 = 0.1 with 3 and 3, so no test is made below STATS_MIN_RUNS a side.
 */
#define STATS_MIN_RUNS	4
#define STATS_RESAMPLES	2000
#define STATS_MDE_MAX_SIDE	1000	/* runs a side stats_mde() simulates */

struct run_cmp {
	double ratio;		/* median(b) / median(a) */
	double lo, hi;		/* 95% bootstrap CI of the ratio (runs resampled) */
	double u, p;		/* Mann-Whitney U of b against a, two-sided p */
	int tested;		/* >= STATS_MIN_RUNS a side: lo, hi, u, p are set */
	int significant;	/* tested, p < 0.05 and [lo, hi] excludes 1 */
};

/*
 * Fill @c: the ratio always, the test (Mann-Whitney on the run figures,
 * and a percentile bootstrap of the ratio of medians that resamples runs,
 * STATS_RESAMPLES times from @seed) only with STATS_MIN_RUNS runs a side
 * or more.  Returns -1 (and @c zeroed) when there is no ratio: an empty
 * side or a zero baseline median.
 */
int stats_compare_runs(const double *a, size_t na, const double *b,
		       size_t nb, uint64_t seed, struct run_cmp *c);

/*
 * Distribution-free interval of the median of @n values sorted ascending:
 * the order statistics x(k) and x(n + 1 - k), k the largest rank with
 * P(Binomial(n, 1/2) < k) <= (1 - level) / 2, so the coverage is at least
 * @level whatever the distribution.  -1 when @n is too small for @level
 * (fewer than 6 values at 0.95).
 */
int stats_median_ci(const double *sorted, size_t n, double level,
		    double *lo, double *hi);

/*
 * The spread between runs as a fraction of their median: 1.4826 times the
 * median absolute deviation over the median (a normal sample's sd / mean,
 * robust to an odd run).  NAN with fewer than 2 values or a zero median.
 */
double stats_mad_cov(const double *v, size_t n);

/*
 * The smallest effect stats_compare_runs() marks with probability
 * @power (0.8) when each side has @side runs whose figures spread
 * normally with @cov (sd / mean, e.g. stats_mad_cov() of A/A runs): a
 * relative change, 0.05 for 5 %.  Simulated with the same decision
 * compare makes (Mann-Whitney p < 0.05 and the bootstrap interval
 * excluding 1), @sims pairs of samples per tried effect, from @seed (the
 * same draws for every effect tried), found by bisection to 0.05 % of
 * relative change.  NAN when @side < STATS_MIN_RUNS, @cov is not a
 * positive number, or no effect up to 100 % reaches @power.
 */
double stats_mde(double cov, size_t side, double power, unsigned sims,
		 uint64_t seed);

/*
 * The spread of @n figures in their order (runs in the order they ran),
 * from successive differences (von Neumann): sqrt(sum (v[i] - v[i-1])^2
 * / 2(n - 1)) over the mean.  Blind to a slow drift or one step of the
 * machine, which the CoV counts as spread.  NAN with fewer than 2
 * values or a zero mean.
 */
double stats_successive_cov(const double *v, size_t n);

/*
 * The mean of each @batch consecutive values of @v into @out (which may
 * be @v): n / batch means; an incomplete last batch is left out.
 */
size_t stats_batch_means(const double *v, size_t n, size_t batch,
			 double *out);

/*
 * Whether a figure that must stay at most @target does, decided by the
 * interval [@lo, @hi] of its median: STATS_MET when hi <= target,
 * STATS_NOT_MET when lo > target, STATS_UNDECIDED when the interval
 * holds the target; STATS_TOO_WIDE (not decided) when there is no
 * interval (NAN) or it is @width wide or wider (@width 0: any width).
 */
enum stats_verdict { STATS_TOO_WIDE, STATS_UNDECIDED, STATS_MET,
		     STATS_NOT_MET };
enum stats_verdict stats_target_verdict(double lo, double hi, double target,
					double width);

/*
 * The direction of a ratio against a band of +-@band around 1: 1 when
 * @ratio > 1 + band, -1 when @ratio < 1 - band, else 0.
 */
int stats_band_direction(double ratio, double band);

#endif
