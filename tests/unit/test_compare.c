// SPDX-License-Identifier: GPL-2.0
/*
 * test_compare.c - the null test's verdict on one quantity of one case
 * and cell (compare_null_verdict()); the per-case grouping around it is
 * tested in tests/integration/compare.t.  And the kernel a run's cell
 * ran, as the lab names it (compare_cell_key()), which puts a hardware
 * cell beside the lab's (tests/integration/measured.t).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
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

/* @rel and the DEBUG_PAGEALLOC fields of a non-lab run, or a lab cell. */
static const char *key(const char *rel, const char *built, const char *boot)
{
	static char buf[64];
	json_object *m = json_object_new_object(), *sys, *dpa;

	sys = json_object_new_object();
	dpa = json_object_new_object();
	json_object_object_add(m, "system", sys);
	if (rel)
		json_object_object_add(sys, "release", json_object_new_string(rel));
	json_object_object_add(sys, "debug_pagealloc", dpa);
	json_object_object_add(dpa, "built", json_object_new_string(built));
	json_object_object_add(dpa, "boot", json_object_new_string(boot));
	json_object_object_add(dpa, "enable_default",
			       json_object_new_string("n"));
	if (compare_cell_key(m, buf, sizeof(buf)))
		snprintf(buf, sizeof(buf), "(none)");
	json_object_put(m);
	return buf;
}

static void cell_key(void **state)
{
	json_object *m = json_tokener_parse(
		"{\"lab\": {\"cell\": {\"variant\": \"flag-restore\", \"dpa\": \"off\"}}}");
	char buf[64];

	/* what kernels/build names a release: -lmb-VARIANT-CONFIG */
	assert_string_equal(key("7.2.13-lmb-stock-dpa", "y", "on"), "stock-on");
	assert_string_equal(key("7.2.13-lmb-permissive-nesting-dpa", "y", "absent"),
			    "permissive-nesting-off");
	assert_string_equal(key("7.2.13-lmb-flag-restore-dpa+", "y", "off"),
			    "flag-restore-off");
	/* a kernel built without DEBUG_PAGEALLOC is "none", whatever else */
	assert_string_equal(key("7.2.13-lmb-stock-nodpa", "unknown", "on"),
			    "stock-none");
	assert_string_equal(key("7.2.13-lmb-stock-nodpa", "n", "absent"),
			    "stock-none");
	/* a variant whose name holds "-dpa" is cut at the last config */
	assert_string_equal(key("7.2-lmb-no-dpa-fix-dpa", "y", "on"),
			    "no-dpa-fix-on");
	/* not a kernel of ours, or one that does not say */
	assert_string_equal(key("6.1.0-18-arm64", "y", "on"), "(none)");
	assert_string_equal(key(NULL, "y", "on"), "(none)");
	assert_string_equal(key("7.2.13-lmb-stock", "y", "on"), "(none)");
	assert_string_equal(key("7.2.13-lmb--dpa", "y", "on"), "(none)");
	assert_string_equal(key("7.2.13-lmb-stock-dpa", "unknown", "absent"),
			    "stock-off");
	/* lab runs carry their cell */
	assert_int_equal(compare_cell_key(m, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "flag-restore-off");
	json_object_put(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(per_case),
		cmocka_unit_test(same_and_missing),
		cmocka_unit_test(rounding),
		cmocka_unit_test(cell_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
