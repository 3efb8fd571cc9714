// SPDX-License-Identifier: GPL-2.0
/*
 * test_results.c - the results schema: atomic writes, samples and JSON
 * round trips, and the reader's errors for damaged or foreign files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "results.h"

static char dir[64], err[1024];

static int make_dir(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/lmb-results-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int remove_dir(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

static void put(const char *name, const char *text)
{
	assert_int_equal(atomic_write(dir, name, text, strlen(text), err,
				      sizeof(err)), 0);
}

static void atomic_write_leaves_no_temp(void **state)
{
	struct dirent *d;
	DIR *dp;
	int n = 0;

	put("a.txt", "one\n");
	put("a.txt", "two\n");
	dp = opendir(dir);
	while ((d = readdir(dp)))
		if (d->d_name[0] != '.' || strstr(d->d_name, ".tmp"))
			n += strstr(d->d_name, ".tmp") ? 100 : 1;
	closedir(dp);
	assert_int_equal(n, 1);
	assert_int_equal(atomic_write("/nonexistent", "x", "y", 1, err,
				      sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent"));
}

static void samples_round_trip(void **state)
{
	uint64_t a[] = { 1, 18446744073709551615ULL, 0, 42 };
	uint64_t b[] = { 5, 6, 7, 8 };
	struct samples s = { .n = 4, .ncols = 2, .names = { "op_ns",
		"prep_ns" }, .col = { a, b } }, r;
	char path[128];

	assert_int_equal(results_write_samples(dir, "x.samples", &s, err,
					       sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/x.samples", dir);
	assert_int_equal(results_read_samples(path, &r, err, sizeof(err)), 0);
	assert_int_equal(r.n, 4);
	assert_int_equal(r.ncols, 2);
	assert_string_equal(r.names[1], "prep_ns");
	assert_memory_equal(r.col[0], a, sizeof(a));
	assert_memory_equal(r.col[1], b, sizeof(b));
	samples_free(&r);
}

static void samples_damage_detected(void **state)
{
	const struct {
		const char *text, *msg;
	} bad[] = {
		{ "1 2\n", "bad header" },
		{ "# lazymmu-bench samples v9 columns=op_ns n=1\n1\n", "v9" },
		{ "# lazymmu-bench samples v1 columns=op_ns n=3\n1\n2\n",
		  "truncated: 2 of 3" },
		{ "# lazymmu-bench samples v1 columns=op_ns,prep_ns n=1\n1\n",
		  "malformed" },
		{ "# lazymmu-bench samples v1 columns=op_ns n=1\nx\n",
		  "malformed" },
		{ "# lazymmu-bench samples v1 columns=op_ns n=1\n1\n2\n",
		  "more than" },
	};
	struct samples r;
	char path[128];
	size_t i;

	snprintf(path, sizeof(path), "%s/bad.samples", dir);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put("bad.samples", bad[i].text);
		assert_int_equal(results_read_samples(path, &r, err,
						      sizeof(err)), -1);
		if (!strstr(err, bad[i].msg) || !strstr(err, path))
			fail_msg("got '%s', want '%s'", err, bad[i].msg);
	}
}

static void json_round_trip_and_schema_checks(void **state)
{
	json_object *o = json_object_new_object(), *r;
	char path[128];

	json_object_object_add(o, "schema",
			       json_object_new_string(RESULTS_CASE_SCHEMA));
	json_object_object_add(o, "schema_version",
			       json_object_new_int(RESULTS_SCHEMA_VERSION));
	json_object_object_add(o, "spec", json_object_new_string("fork a/b"));
	json_object_object_add(o, "p50", json_object_new_double(1234.5));
	assert_int_equal(results_write_json(dir, "c.json", o, err,
					    sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/c.json", dir);
	r = results_read_json(path, RESULTS_CASE_SCHEMA, err, sizeof(err));
	assert_non_null(r);
	assert_string_equal(json_object_get_string(
		json_object_object_get(r, "spec")), "fork a/b");
	assert_float_equal(json_object_get_double(
		json_object_object_get(r, "p50")), 1234.5, 0);
	json_object_put(r);

	/* A run file is not a case file. */
	assert_null(results_read_json(path, RESULTS_RUN_SCHEMA, err,
				      sizeof(err)));
	assert_non_null(strstr(err, "not a lazymmu-bench/run file"));

	json_object_object_add(o, "schema_version", json_object_new_int(99));
	results_write_json(dir, "c.json", o, err, sizeof(err));
	assert_null(results_read_json(path, RESULTS_CASE_SCHEMA, err,
				      sizeof(err)));
	assert_non_null(strstr(err, "schema_version 99"));
	json_object_put(o);

	put("t.json", "{\"schema\": \"lazymmu-bench/case\", \"schema_ver");
	snprintf(path, sizeof(path), "%s/t.json", dir);
	assert_null(results_read_json(path, RESULTS_CASE_SCHEMA, err,
				      sizeof(err)));
	assert_non_null(strstr(err, "t.json"));
}

static void run_names_unique(void **state)
{
	char a[256], b[256];

	assert_int_equal(results_mkrun(dir, a, sizeof(a), err, sizeof(err)), 0);
	assert_int_equal(results_mkrun(dir, b, sizeof(b), err, sizeof(err)), 0);
	assert_string_not_equal(a, b);
	results_case_name(3, "munmap", a, sizeof(a));
	assert_string_equal(a, "03-munmap");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(atomic_write_leaves_no_temp),
		cmocka_unit_test(samples_round_trip),
		cmocka_unit_test(samples_damage_detected),
		cmocka_unit_test(json_round_trip_and_schema_checks),
		cmocka_unit_test(run_names_unique),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
