// SPDX-License-Identifier: GPL-2.0
/*
 * test_compare.c - the null test's verdict on one quantity of one case
 * and cell (compare_null_verdict()); the per-case grouping around it is
 * tested in tests/integration/compare.t.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "compare.h"

static const char *v3(double base, double aa, double val)
{
	return compare_null_verdict(&base, &aa, &val);
}

/* Each case against its own A/A difference, never a pooled one. */
static void per_case(void **state)
{
	/* X: no A/A difference, a difference of 1: exceeds */
	assert_string_equal(v3(10, 10, 11), "exceeds A/A");
	/* Y: an A/A difference of 5, a difference of 3: within */
	assert_string_equal(v3(100, 105, 103), "within A/A");
	/* the A/A difference's sign does not matter, nor the cell's */
	assert_string_equal(v3(100, 95, 103), "within A/A");
	assert_string_equal(v3(100, 105, 95), "within A/A");
	assert_string_equal(v3(100, 105, 94), "exceeds A/A");
	/* the boundary is within */
	assert_string_equal(v3(100, 105, 105), "within A/A");
	assert_string_equal(v3(100, 105, 95), "within A/A");
}

static void same_and_missing(void **state)
{
	double b = 7, a = 7, v = 8, w = 7;

	assert_string_equal(v3(10, 12, 10), "same");
	assert_string_equal(compare_null_verdict(&b, NULL, &w), "same");
	assert_string_equal(compare_null_verdict(&b, NULL, &v), "no A/A");
	assert_string_equal(compare_null_verdict(NULL, &a, &v), "no baseline");
	assert_string_equal(compare_null_verdict(&b, &a, NULL), "not counted");
	assert_null(compare_null_verdict(NULL, &a, NULL));
}

/*
 * Per-op values are counts divided by ops: equal differences of counts
 * stay equal whatever the rounding (0.5 - 0.3 and 0.3 - 0.1 differ as
 * doubles), a real difference of one count is not lost.
 */
static void rounding(void **state)
{
	assert_string_equal(v3(6.0 / 20, 2.0 / 20, 10.0 / 20), "within A/A");
	assert_string_equal(v3(6.0 / 20, 10.0 / 20, 2.0 / 20), "within A/A");
	assert_string_equal(v3(6.0 / 20, 2.0 / 20, 11.0 / 20), "exceeds A/A");
	assert_string_equal(v3(2000000.0 / 1000000, 2000000.0 / 1000000,
			       2000001.0 / 1000000), "exceeds A/A");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(per_case),
		cmocka_unit_test(same_and_missing),
		cmocka_unit_test(rounding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
