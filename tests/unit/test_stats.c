// SPDX-License-Identifier: GPL-2.0
/*
 * test_stats.c - summary statistics against values worked by hand (and
 * checked with numpy.percentile / statistics.stdev); the run-level
 * comparison (the replicate is the run) by simulation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "stats.h"

static void percentile_interpolates(void **state)
{
	const double v[] = { 1, 2, 3, 4 };

	/* rank = p/100 * (n - 1): 50% -> 1.5 -> 2.5; 90% -> 2.7 -> 3.7 */
	assert_float_equal(stats_percentile(v, 4, 50), 2.5, 1e-12);
	assert_float_equal(stats_percentile(v, 4, 90), 3.7, 1e-12);
	assert_float_equal(stats_percentile(v, 4, 0), 1, 1e-12);
	assert_float_equal(stats_percentile(v, 4, 100), 4, 1e-12);
	assert_float_equal(stats_percentile(v, 1, 99), 1, 1e-12);
}

static void summary_of_known_set(void **state)
{
	/* Unsorted on purpose; the input must not be modified. */
	uint64_t v[] = { 9, 2, 5, 4, 12, 7, 8, 11, 9, 3, 7, 4, 12, 5, 4, 10,
			 9, 6, 9, 4 };
	struct summary s;

	assert_int_equal(stats_summary(v, 20, &s), 0);
	assert_int_equal(v[0], 9);
	assert_int_equal(s.n, 20);
	assert_float_equal(s.mean, 7.0, 1e-12);
	/* sample stddev: sum of squares 178 / 19 */
	assert_float_equal(s.stddev, sqrt(178.0 / 19.0), 1e-12);
	assert_float_equal(s.cov, sqrt(178.0 / 19.0) / 7.0, 1e-12);
	assert_float_equal(s.min, 2, 0);
	assert_float_equal(s.max, 12, 0);
	assert_float_equal(s.p50, 7.0, 1e-12);
	/* sorted[17]=11, sorted[18]=12: rank 17.1 -> 11.1; 18.81 -> 12 */
	assert_float_equal(s.p90, 11.1, 1e-9);
	assert_float_equal(s.p99, 12.0, 1e-9);
}

static void summary_single_and_empty(void **state)
{
	uint64_t one = 42;
	struct summary s;

	assert_int_equal(stats_summary(&one, 1, &s), 0);
	assert_float_equal(s.p50, 42, 0);
	assert_float_equal(s.stddev, 0, 0);
	assert_int_equal(stats_summary(&one, 0, &s), -1);
	assert_int_equal(s.n, 0);
}

static void summary_large_values(void **state)
{
	/* ns samples of several seconds must not lose precision. */
	uint64_t v[] = { 4000000000001ULL, 4000000000003ULL };
	struct summary s;

	assert_int_equal(stats_summary(v, 2, &s), 0);
	assert_float_equal(s.p50, 4000000000002.0, 0.5);
}


/*
 * The textbook example of scipy.stats.mannwhitneyu's documentation (and
 * of Wikipedia's article): males against females, U = 17, exact two-sided
 * p = 14/126 = 0.1111, asymptotic p = 0.11134688653314041.
 */
static void mann_whitney_textbook(void **state)
{
	const double males[] = { 19, 22, 16, 29, 24 };
	const double females[] = { 20, 11, 17, 12 };
	double u, p;

	assert_int_equal(stats_mann_whitney(males, 5, females, 4, &u, &p), 0);
	assert_float_equal(u, 17, 0);
	assert_float_equal(p, 14.0 / 126.0, 1e-12);
	assert_int_equal(stats_mann_whitney_method(males, 5, females, 4,
						   MW_ASYMPTOTIC, &u, &p), 0);
	assert_float_equal(p, 0.11134688653314041, 1e-12);
	/* The other way round: U = 5 * 4 - 17, same p. */
	assert_int_equal(stats_mann_whitney(females, 4, males, 5, &u, &p), 0);
	assert_float_equal(u, 3, 0);
	assert_float_equal(p, 14.0 / 126.0, 1e-12);
}

/* Complete separation of 3 and 3: U = 0, p = 2 * 1 / C(6, 3) = 0.1. */
static void mann_whitney_exact_separation(void **state)
{
	const double a[] = { 1, 2, 3 }, b[] = { 4, 5, 6 };
	double u, p;

	assert_int_equal(stats_mann_whitney(a, 3, b, 3, &u, &p), 0);
	assert_float_equal(u, 0, 0);
	assert_float_equal(p, 0.1, 1e-12);
	/* identical samples: nothing to see */
	assert_int_equal(stats_mann_whitney(a, 3, a, 3, &u, &p), 0);
	assert_float_equal(u, 4.5, 0);
	assert_float_equal(p, 1, 1e-12);
}

/*
 * Ties force the normal approximation: a = {1, 2, 3, 3}, b = {3, 4, .., 10}.
 * Mid-rank 4 for the three 3s: rank sum of a = 1 + 2 + 4 + 4 = 11, U = 1;
 * mu = 16, sum(t^3 - t) = 24, sigma^2 = 32/12 * (13 - 24/132),
 * z = (15 - 0.5) / sigma, p = erfc(z / sqrt 2) = 0.013134295317363938.
 */
static void mann_whitney_ties(void **state)
{
	const double a[] = { 1, 2, 3, 3 }, b[] = { 3, 4, 5, 6, 7, 8, 9, 10 };
	double u, p;

	assert_int_equal(stats_mann_whitney(a, 4, b, 8, &u, &p), 0);
	assert_float_equal(u, 1, 0);
	assert_float_equal(p, 0.013134295317363938, 1e-12);
	assert_int_equal(stats_mann_whitney(a, 0, b, 8, &u, &p), -1);
}

static void bootstrap_ratio(void **state)
{
	double a[101], b[101], c[50], d[50], lo, hi, lo2, hi2;
	int i;

	for (i = 0; i < 101; i++) {
		a[i] = 100 + i;
		b[i] = 2 * (100 + i);
	}
	/* true ratio of medians 2: inside, and the interval is narrow */
	assert_int_equal(stats_bootstrap_ratio(a, 101, b, 101, 2000, 1, 0.95,
					       &lo, &hi), 0);
	assert_true(lo < 2 && 2 < hi);
	assert_true(lo > 1.8 && hi < 2.2);
	/* a fixed seed repeats exactly; another seed moves the interval */
	assert_int_equal(stats_bootstrap_ratio(a, 101, b, 101, 2000, 1, 0.95,
					       &lo2, &hi2), 0);
	assert_float_equal(lo, lo2, 0);
	assert_float_equal(hi, hi2, 0);
	assert_int_equal(stats_bootstrap_ratio(a, 101, b, 101, 2000, 2, 0.95,
					       &lo2, &hi2), 0);
	assert_true(lo != lo2 || hi != hi2);
	/* constant samples: every resample gives the same ratio */
	for (i = 0; i < 50; i++) {
		c[i] = 5;
		d[i] = 10;
	}
	assert_int_equal(stats_bootstrap_ratio(c, 50, d, 50, 500, 7, 0.95,
					       &lo, &hi), 0);
	assert_float_equal(lo, 2, 0);
	assert_float_equal(hi, 2, 0);
	/* a zero baseline median has no ratio */
	for (i = 0; i < 50; i++)
		c[i] = 0;
	assert_int_equal(stats_bootstrap_ratio(c, 50, d, 50, 500, 7, 0.95,
					       &lo, &hi), -1);
	assert_float_equal(stats_median(a, 101), 150, 0);
}

/* A small seeded generator for the simulations (splitmix64). */
static uint64_t rng_state;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double uniform(void)
{
	return ((double)(rng() >> 11) + 0.5) / 9007199254740992.0;
}

static double gauss(void)
{
	return sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform());
}

/* Selection gives what sorting gives, ties and all, and every percentile. */
static void select_matches_sort(void **state)
{
	double v[257], w[257], sorted[257];
	const double ps[] = { 0, 1, 2.5, 25, 50, 75, 90, 97.5, 99, 100 };
	size_t n, i, k;

	rng_state = 42;
	for (n = 1; n <= 257; n += 17) {
		for (i = 0; i < n; i++)
			/* few distinct values: long runs of ties */
			v[i] = (double)(rng() % (n / 4 + 2));
		memcpy(sorted, v, n * sizeof(*v));
		stats_sort(sorted, n);
		for (k = 0; k < sizeof(ps) / sizeof(ps[0]); k++) {
			memcpy(w, v, n * sizeof(*v));
			assert_float_equal(stats_select_percentile(w, n, ps[k]),
					   stats_percentile(sorted, n, ps[k]), 0);
		}
		assert_float_equal(stats_median(v, n),
				   stats_percentile(sorted, n, 50), 0);
	}
	/* sorted and reversed input (a naive pivot's worst case) */
	for (i = 0; i < 257; i++) {
		v[i] = (double)i;
		w[i] = (double)(256 - i);
	}
	assert_float_equal(stats_select_percentile(v, 257, 99), 253.44, 1e-9);
	assert_float_equal(stats_select_percentile(w, 257, 50), 128, 0);
}

/*
 * The run-level comparison: with 4 runs a side the exact two-sided
 * Mann-Whitney p of a complete separation is 2/70 = 0.029, and the runs'
 * interval excludes no change: marked.  With 3 runs a side no test is
 * made (its smallest p is 0.1), nor with 1: the ratio alone.
 */
static void runs_below_minimum_unmarked(void **state)
{
	const double a[] = { 100, 101, 99, 102 }, b[] = { 110, 111, 109, 112 };
	struct run_cmp c;

	assert_int_equal(STATS_MIN_RUNS, 4);
	assert_int_equal(stats_compare_runs(a, 4, b, 4, 1, &c), 0);
	assert_true(c.tested && c.significant);
	assert_float_equal(c.p, 2.0 / 70, 1e-12);
	assert_float_equal(c.u, 16, 0);
	assert_float_equal(c.ratio, 110.5 / 100.5, 1e-12);
	assert_true(c.lo > 1 && c.lo <= c.ratio && c.ratio <= c.hi);
	/* 3 and 3, as separated: no test, no mark, the ratio still */
	assert_int_equal(stats_compare_runs(a, 3, b, 3, 1, &c), 0);
	assert_false(c.tested);
	assert_false(c.significant);
	assert_float_equal(c.ratio, 110.0 / 100.0, 1e-12);
	/* 4 against 3, and a single run against 4 */
	assert_int_equal(stats_compare_runs(a, 4, b, 3, 1, &c), 0);
	assert_false(c.tested || c.significant);
	assert_int_equal(stats_compare_runs(a, 1, b, 4, 1, &c), 0);
	assert_false(c.tested || c.significant);
	assert_float_equal(c.ratio, 110.5 / 100, 1e-12);
	/* no ratio: an empty side, a zero baseline */
	assert_int_equal(stats_compare_runs(a, 0, b, 4, 1, &c), -1);
	assert_false(c.tested);
}

/* The runs' bootstrap is seeded: the same seed repeats exactly. */
static void runs_bootstrap_seeded(void **state)
{
	double a[10], b[10];
	struct run_cmp c1, c2, c3;
	int i;

	rng_state = 7;
	for (i = 0; i < 10; i++) {
		a[i] = 1000 * exp(0.05 * gauss());
		b[i] = 1030 * exp(0.05 * gauss());
	}
	assert_int_equal(stats_compare_runs(a, 10, b, 10, 0x6c6d62, &c1), 0);
	assert_int_equal(stats_compare_runs(a, 10, b, 10, 0x6c6d62, &c2), 0);
	assert_int_equal(stats_compare_runs(a, 10, b, 10, 0x6c6d63, &c3), 0);
	assert_true(c1.tested && c2.tested && c3.tested);
	assert_memory_equal(&c1, &c2, sizeof(c1));
	assert_true(c1.lo != c3.lo || c1.hi != c3.hi);
	assert_true(c1.lo < c1.ratio && c1.ratio < c1.hi);
}

/*
 * One side of a simulated comparison: @n runs, each with its own run
 * effect (lognormal, 5 %), of @m ops (lognormal, 10 %, and 2 % outliers
 * ten times slower); @med gets each run's median, as compare takes it.
 */
static void sim_side(double *med, int n, int m, double scale)
{
	double ops[64], run;
	int i, j;

	for (i = 0; i < n; i++) {
		run = scale * exp(0.05 * gauss());
		for (j = 0; j < m; j++) {
			ops[j] = run * exp(0.1 * gauss());
			if (uniform() < 0.02)
				ops[j] *= 10;
		}
		med[i] = stats_median(ops, m);
	}
}

/*
 * Coverage: 1000 simulated comparisons of 10 runs a side, two-level data
 * (run effect, then ops within runs) whose true ratio of medians is 1.1
 * (the second side is the first scaled): the 95% interval from the
 * runs' bootstrap must cover 1.1 in 93-97% of them.  And 1000 A/A
 * comparisons of the same data: at most 5% marked.
 */
static void runs_bootstrap_coverage(void **state)
{
	const double ratio = 1.1;
	double a[10], b[10];
	struct run_cmp c;
	int s, cover = 0, marked = 0, sims = 1000;

	rng_state = 2020;
	for (s = 0; s < sims; s++) {
		sim_side(a, 10, 51, 1000);
		sim_side(b, 10, 51, 1000 * ratio);
		assert_int_equal(stats_compare_runs(a, 10, b, 10, s, &c), 0);
		assert_true(c.tested);
		cover += c.lo <= ratio && ratio <= c.hi;
		sim_side(b, 10, 51, 1000);
		assert_int_equal(stats_compare_runs(a, 10, b, 10, s, &c), 0);
		marked += c.significant;
	}
	print_message("coverage %.3f of the true ratio, A/A marked %.3f\n",
		      (double)cover / sims, (double)marked / sims);
	assert_true(cover >= 930 && cover <= 970);
	assert_true(marked <= 50);
}

/*
 * The run-level test on scipy.stats.mannwhitneyu's documented example, as
 * compare makes it (the other side against the baseline): males as the
 * baseline's 5 runs, females as the other side's 4.  scipy gives
 * U1 = 17 for the males, so U = 5 * 4 - 17 = 3 for the females, and the
 * exact two-sided p = 0.1111; 4 runs a side or more, so it is tested, but
 * not marked.
 */
static void runs_scipy_example(void **state)
{
	const double males[] = { 19, 22, 16, 29, 24 };
	const double females[] = { 20, 11, 17, 12 };
	struct run_cmp c;

	assert_int_equal(stats_compare_runs(males, 5, females, 4, 1, &c), 0);
	assert_true(c.tested);
	assert_false(c.significant);
	assert_float_equal(c.u, 3, 0);
	assert_float_equal(c.p, 14.0 / 126.0, 1e-12);
	assert_float_equal(c.ratio, 14.5 / 22, 1e-12);
}

/*
 * The median's distribution-free interval: with 30 values, the 10th and
 * 21st (P(Binomial(30, 1/2) <= 9) = 0.0214 <= 0.025 < P(<= 10) = 0.0494,
 * the table in Conover's Practical Nonparametric Statistics); with 5
 * values no 95 % interval exists (2 / 32 > 0.05).
 */
static void median_ci_ranks(void **state)
{
	double v[30], lo, hi;
	int i;

	for (i = 0; i < 30; i++)
		v[i] = i + 1;
	assert_int_equal(stats_median_ci(v, 30, 0.95, &lo, &hi), 0);
	assert_float_equal(lo, 10, 0);
	assert_float_equal(hi, 21, 0);
	/* 6 values: the extremes (P(<= 0) = 1 / 64 <= 0.025 < P(<= 1)) */
	assert_int_equal(stats_median_ci(v, 6, 0.95, &lo, &hi), 0);
	assert_float_equal(lo, 1, 0);
	assert_float_equal(hi, 6, 0);
	assert_int_equal(stats_median_ci(v, 5, 0.95, &lo, &hi), -1);
}

/* MAD-based spread: {1, 2, 3, 4, 100}: median 3, MAD 1 -> 1.4826 / 3. */
static void mad_cov_robust(void **state)
{
	const double v[] = { 1, 2, 3, 4, 100 }, z[] = { -1, 0, 1 };

	assert_float_equal(stats_mad_cov(v, 5), 1.4826 / 3, 1e-12);
	assert_true(isnan(stats_mad_cov(v, 1)));
	assert_true(isnan(stats_mad_cov(z, 3)));	/* a zero median */
}

/*
 * The smallest detectable effect: it scales with the spread, falls with
 * more runs, and is what the simulated decisions say: at the returned
 * effect at least 80 % of fresh comparisons are marked, at 80 % of it
 * fewer.  Normal runs with a 1 % spread and 10 runs a side need about
 * 1.5 to 2 % (Mann-Whitney alone would need 1.28 sd by the asymptotic
 * relative efficiency 3/pi; the bootstrap interval must also exclude 1).
 */
static void mde_simulated(void **state)
{
	double m10 = stats_mde(0.01, 10, 0.8, 400, 1);
	double m20 = stats_mde(0.01, 20, 0.8, 200, 1);
	double m10w = stats_mde(0.02, 10, 0.8, 200, 1);
	double a[10], b[10];
	struct run_cmp c;
	int i, j, hit = 0, hit_less = 0;

	print_message("mde: 1 %% spread, 10 runs a side: %.2f %%\n", m10 * 100);
	assert_true(m10 > 0.0128 && m10 < 0.025);
	assert_true(m20 < m10);
	assert_float_equal(m10w / m10, 2, 0.15);
	assert_float_equal(stats_mde(0.01, 5, 0.8, 50, 7),
			   stats_mde(0.01, 5, 0.8, 50, 7), 0);
	assert_true(isnan(stats_mde(0.01, 3, 0.8, 400, 1)));
	assert_true(isnan(stats_mde(0, 10, 0.8, 400, 1)));
	rng_state = 99;
	for (i = 0; i < 1000; i++) {
		for (j = 0; j < 10; j++) {
			a[j] = 1 + 0.01 * gauss();
			b[j] = 1 + 0.01 * gauss();
		}
		for (j = 0; j < 10; j++)
			b[j] *= 1 + m10;
		stats_compare_runs(a, 10, b, 10, i, &c);
		hit += c.significant;
		for (j = 0; j < 10; j++)
			b[j] *= (1 + 0.8 * m10) / (1 + m10);
		stats_compare_runs(a, 10, b, 10, i, &c);
		hit_less += c.significant;
	}
	print_message("mde: marked %.3f at it, %.3f at 0.8 of it\n",
		      hit / 1000.0, hit_less / 1000.0);
	assert_true(hit >= 760);
	assert_true(hit_less < 760);
}

/*
 * The spread from successive differences (von Neumann), worked by hand:
 * {10, 12, 9, 11}: differences 2, -3, 2, sum of squares 17, over 2 x 3,
 * sqrt(17 / 6) / mean 10.5.  A step {1, 1, 1, 2, 2, 2}: one difference
 * of 1, sqrt(1 / 10) / 1.5 = 0.2108, below the CoV sqrt(0.3) / 1.5 =
 * 0.3651 that counts the step as spread.
 */
static void successive_cov_known(void **state)
{
	const double v[] = { 10, 12, 9, 11 }, step[] = { 1, 1, 1, 2, 2, 2 };
	const double zero[] = { -1, 1 };
	struct summary s;

	assert_float_equal(stats_successive_cov(v, 4), sqrt(17.0 / 6) / 10.5,
			   1e-12);
	assert_float_equal(stats_successive_cov(step, 6), sqrt(0.1) / 1.5,
			   1e-12);
	assert_int_equal(stats_summary_d(step, 6, &s), 0);
	assert_float_equal(s.cov, sqrt(0.3) / 1.5, 1e-12);
	/* the order matters: sorted, {9, 10, 11, 12} is 1, 1, 1 */
	assert_float_equal(stats_successive_cov((const double[]){ 9, 10, 11, 12 }, 4),
			   sqrt(0.5) / 10.5, 1e-12);
	assert_true(isnan(stats_successive_cov(v, 1)));
	assert_true(isnan(stats_successive_cov(zero, 2)));	/* mean 0 */
}

/* Means of 3 of 1..10: 2, 5, 8; 10 is an incomplete batch, left out. */
static void batch_means_known(void **state)
{
	double v[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, out[3];

	assert_int_equal(stats_batch_means(v, 10, 3, out), 3);
	assert_float_equal(out[0], 2, 0);
	assert_float_equal(out[1], 5, 0);
	assert_float_equal(out[2], 8, 0);
	/* in place, as `stats --batch` does */
	assert_int_equal(stats_batch_means(v, 10, 5, v), 2);
	assert_float_equal(v[0], 3, 0);
	assert_float_equal(v[1], 8, 0);
	assert_int_equal(stats_batch_means(v, 2, 3, v), 0);
	assert_int_equal(stats_batch_means(v, 10, 0, v), 0);
}

/* A figure that must stay at most 1.02, decided by its interval. */
static void target_verdict_cases(void **state)
{
	assert_int_equal(stats_target_verdict(1.00, 1.01, 1.02, 0.02), STATS_MET);
	assert_int_equal(stats_target_verdict(1.00, 1.02, 1.02, 0.03), STATS_MET);
	assert_int_equal(stats_target_verdict(1.03, 1.04, 1.02, 0.02), STATS_NOT_MET);
	assert_int_equal(stats_target_verdict(1.01, 1.025, 1.02, 0.02), STATS_UNDECIDED);
	assert_int_equal(stats_target_verdict(1.02, 1.03, 1.02, 0.02), STATS_UNDECIDED);
	/* as wide as the width or wider, or no interval: not decided */
	assert_int_equal(stats_target_verdict(0.97, 1.01, 1.02, 0.02), STATS_TOO_WIDE);
	assert_int_equal(stats_target_verdict(0.5, 1.0, 1.02, 0.5), STATS_TOO_WIDE);
	assert_int_equal(stats_target_verdict(NAN, NAN, 1.02, 0.02), STATS_TOO_WIDE);
	assert_int_equal(stats_target_verdict(NAN, NAN, 1.02, 0), STATS_TOO_WIDE);
	/* width 0: any interval decides */
	assert_int_equal(stats_target_verdict(0.5, 1.5, 2, 0), STATS_MET);
}

/* Beyond +-5 % of 1 is a direction; the band's edge is not. */
static void band_direction_cases(void **state)
{
	assert_int_equal(stats_band_direction(1.06, 0.05), 1);
	assert_int_equal(stats_band_direction(0.94, 0.05), -1);
	assert_int_equal(stats_band_direction(1.05, 0.05), 0);
	assert_int_equal(stats_band_direction(0.95, 0.05), 0);
	assert_int_equal(stats_band_direction(1.0, 0), 0);
	assert_int_equal(stats_band_direction(1.001, 0), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(percentile_interpolates),
		cmocka_unit_test(summary_of_known_set),
		cmocka_unit_test(summary_single_and_empty),
		cmocka_unit_test(summary_large_values),
		cmocka_unit_test(mann_whitney_textbook),
		cmocka_unit_test(mann_whitney_exact_separation),
		cmocka_unit_test(mann_whitney_ties),
		cmocka_unit_test(bootstrap_ratio),
		cmocka_unit_test(select_matches_sort),
		cmocka_unit_test(runs_below_minimum_unmarked),
		cmocka_unit_test(runs_bootstrap_seeded),
		cmocka_unit_test(runs_bootstrap_coverage),
		cmocka_unit_test(runs_scipy_example),
		cmocka_unit_test(median_ci_ranks),
		cmocka_unit_test(mad_cov_robust),
		cmocka_unit_test(mde_simulated),
		cmocka_unit_test(successive_cov_known),
		cmocka_unit_test(batch_means_known),
		cmocka_unit_test(target_verdict_cases),
		cmocka_unit_test(band_direction_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
