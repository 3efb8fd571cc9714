// SPDX-License-Identifier: GPL-2.0
/*
 * test_stats.c - summary statistics against values worked by hand (and
 * checked with numpy.percentile / statistics.stdev).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
