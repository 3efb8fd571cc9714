// SPDX-License-Identifier: GPL-2.0
/*
 * test_census.c - the nest census's sites around a measured phase
 * (bench/census.c): the census kernel's lines parsed, the difference per
 * (outer, nested) pair, per op; pairs that did not change left out; a
 * file that cannot be read gives no list, never an empty one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "census.h"

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static struct census_snap a, b;
/* The two sites files of a test (a fixture: made and removed around it). */
static char pa[32], pb[32];

static int files_setup(void **state)
{
	(void)state;
	strcpy(pa, "/tmp/lmb-census-XXXXXX");
	strcpy(pb, "/tmp/lmb-census-XXXXXX");
	close(mkstemp(pa));
	close(mkstemp(pb));
	return 0;
}

static int files_teardown(void **state)
{
	(void)state;
	unlink(pa);
	unlink(pb);
	return 0;
}

static void difference(void **state)
{
	json_object *arr, *o;

	(void)state;
	put(pa, "nested=10 c=170 outer=apply_to_pte_range+0x64/0x1a0 inner=apply_to_pte_range+0x64/0x1a0 stack=lazy_mmu_census_disable+0x9c/0x130,apply_to_pte_range+0x120/0x1a0\n"
		"nested=4 c=0 outer=zap_pte_range+0x80/0x500 inner=apply_to_pte_range+0x64/0x1a0 stack=x\n"
		"unmatched=3 at=tlb_flush_mmu+0x10/0x40\n");
	put(pb, "nested=330 c=5610 outer=apply_to_pte_range+0x64/0x1a0 inner=apply_to_pte_range+0x64/0x1a0 stack=lazy_mmu_census_disable+0x9c/0x130,apply_to_pte_range+0x120/0x1a0\n"
		"nested=4 c=0 outer=zap_pte_range+0x80/0x500 inner=apply_to_pte_range+0x64/0x1a0 stack=x\n"
		"not a site line\n"
		"nested=2 c=0 outer=unmap_page_range+0x10/0x90 inner=apply_to_pte_range+0x64/0x1a0 stack=\n"
		"unmatched=43 at=tlb_flush_mmu+0x10/0x40\n"
		"unmatched=5 at=other+0x1/0x2\n");
	census_read(pa, &a);
	census_read(pb, &b);
	assert_int_equal(a.ok, 1);
	assert_int_equal(a.n, 2);
	assert_int_equal(b.n, 3);
	assert_int_equal(b.nloose, 2);
	assert_string_equal(b.loose[1].at, "other+0x1/0x2");
	assert_string_equal(b.site[0].outer, "apply_to_pte_range+0x64/0x1a0");
	assert_string_equal(b.site[0].stack,
			    "lazy_mmu_census_disable+0x9c/0x130,apply_to_pte_range+0x120/0x1a0");
	arr = census_json(&a, &b, 20);
	assert_non_null(arr);
	/* the zap pair did not change: left out; the new pair counts whole;
	 * then the unmatched disables' sites, by their difference too */
	assert_int_equal(json_object_array_length(arr), 4);
	o = json_object_array_get_idx(arr, 2);
	assert_string_equal(json_object_get_string(json_object_object_get(o, "unmatched_at")),
			    "tlb_flush_mmu+0x10/0x40");
	assert_int_equal(json_object_get_int64(json_object_object_get(o, "unmatched")), 40);
	assert_true(json_object_get_double(json_object_object_get(o, "unmatched_per_op")) == 2.0);
	o = json_object_array_get_idx(arr, 3);
	assert_int_equal(json_object_get_int64(json_object_object_get(o, "unmatched")), 5);
	o = json_object_array_get_idx(arr, 0);
	assert_int_equal(json_object_get_int64(json_object_object_get(o, "nested")), 320);
	assert_int_equal(json_object_get_int64(json_object_object_get(o, "c_writes")), 5440);
	assert_true(json_object_get_double(json_object_object_get(o, "nested_per_op")) == 16.0);
	assert_true(json_object_get_double(json_object_object_get(o, "c_writes_per_op")) == 272.0);
	o = json_object_array_get_idx(arr, 1);
	assert_string_equal(json_object_get_string(json_object_object_get(o, "outer")),
			    "unmap_page_range+0x10/0x90");
	assert_int_equal(json_object_get_int64(json_object_object_get(o, "nested")), 2);
	json_object_put(arr);
	unlink(pa);
	census_read(pa, &a);
	assert_int_equal(a.ok, 0);
	assert_null(census_json(&a, &b, 20));
}

/*
 * One site may be listed twice (two addresses that print alike: copies of
 * an inline function): totals by name, never one line against the other.
 * A count that went down is a reset in between, not a negative count.
 */
static void same_name(void **state)
{
	json_object *arr, *o;

	(void)state;
	put(pa, "unmatched=10 at=lazy_mmu_mode_disable+0x10/0x80\n"
		"unmatched=5 at=lazy_mmu_mode_disable+0x10/0x80\n"
		"nested=9 c=9 outer=f+0x1/0x9 inner=g+0x1/0x9 stack=\n");
	put(pb, "unmatched=27 at=lazy_mmu_mode_disable+0x10/0x80\n"
		"unmatched=140 at=lazy_mmu_mode_disable+0x10/0x80\n"
		"nested=2 c=2 outer=f+0x1/0x9 inner=g+0x1/0x9 stack=\n");
	census_read(pa, &a);
	census_read(pb, &b);
	arr = census_json(&a, &b, 0);
	assert_non_null(arr);
	assert_int_equal(json_object_array_length(arr), 1);
	o = json_object_array_get_idx(arr, 0);
	assert_int_equal(json_object_get_int64(json_object_object_get(o, "unmatched")), 152);
	assert_null(json_object_object_get(o, "unmatched_per_op"));
	json_object_put(arr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(difference, files_setup, files_teardown),
		cmocka_unit_test_setup_teardown(same_name, files_setup, files_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
