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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(percentile_interpolates),
		cmocka_unit_test(summary_of_known_set),
		cmocka_unit_test(summary_single_and_empty),
		cmocka_unit_test(summary_large_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
