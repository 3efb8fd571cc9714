// SPDX-License-Identifier: GPL-2.0
/*
 * test_opts.c - sizes, case specs, run options and profile files.
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
#include "opts.h"

static char err[512];

static void sizes_parse(void **state)
{
	uint64_t v;

	assert_int_equal(parse_size("4096", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(parse_size("64M", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 64ULL << 20);
	assert_int_equal(parse_size("2g", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 2ULL << 30);
	assert_int_equal(parse_size("1GiB", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 1ULL << 30);
	assert_int_equal(parse_size("16KB", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 16ULL << 10);
}

static void sizes_reject(void **state)
{
	const char *bad[] = { "", "M", "-1", "64Q", "64MQ", "1.5G", "0x10",
			      "99999999999999999999", "17179869184G", " 4K" };
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(parse_size(bad[i], &v, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "size"));
	}
}

static void size_format_round_trips(void **state)
{
	const uint64_t v[] = { 4096, 65536, 64ULL << 20, 3ULL << 30, 5000,
			       1ULL << 40 };
	char buf[32];
	uint64_t back;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		format_size(v[i], buf, sizeof(buf));
		assert_int_equal(parse_size(buf, &back, err, sizeof(err)), 0);
		assert_int_equal(back, v[i]);
	}
	format_size(64ULL << 20, buf, sizeof(buf));
	assert_string_equal(buf, "64M");
}

static void case_spec_canonical(void **state)
{
	struct bench_case c;

	assert_int_equal(case_parse("fork cow=1 size=1048576", &c, err,
				    sizeof(err)), 0);
	assert_string_equal(c.storm->name, "fork");
	assert_string_equal(c.spec, "fork size=1M thp=0 cow=1");
	/* Sizes round up to whole pages. */
	assert_int_equal(case_parse("mprotect size=5000", &c, err,
				    sizeof(err)), 0);
	assert_int_equal(c.opt[0] % getpagesize(), 0);
	assert_true(c.opt[0] >= 5000);
	assert_int_equal(case_parse("vmalloc mode=nested writes=16", &c, err,
				    sizeof(err)), 0);
	assert_string_equal(c.spec,
			    "vmalloc size=64K mode=nested huge=0 writes=16");
}

static void case_spec_errors(void **state)
{
	const struct {
		const char *spec, *msg;
	} bad[] = {
		{ "forkk", "unknown storm 'forkk'" },
		{ "", "empty case" },
		{ "fork colour=1", "unknown option 'colour'" },
		{ "fork cow", "not key=value" },
		{ "fork cow=2", "out of range" },
		{ "fork size=lots", "does not parse" },
		{ "fork size=2T", "out of range" },
		{ "vmalloc mode=sideways", "unknown value 'sideways'" },
		{ "vmalloc writes=-3", "not a number" },
	};
	struct bench_case c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(case_parse(bad[i].spec, &c, err, sizeof(err)),
				 -1);
		if (!strstr(err, bad[i].msg))
			fail_msg("'%s': got '%s', want '%s'", bad[i].spec, err,
				 bad[i].msg);
	}
}

static void run_options(void **state)
{
	struct run_opts o;

	opts_defaults(&o);
	assert_int_equal(opts_set(&o, "iterations", "0", 1, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "at least 1"));
	assert_int_equal(opts_set(&o, "iterations", "x", 1, err, sizeof(err)),
			 -1);
	assert_int_equal(opts_set(&o, "min-time", "0", 1, err, sizeof(err)),
			 -1);
	assert_int_equal(opts_set(&o, "min-time", "nan", 1, err, sizeof(err)),
			 -1);
	assert_int_equal(opts_set(&o, "clock", "sundial", 1, err, sizeof(err)),
			 -1);
	assert_int_equal(opts_set(&o, "bogus", "1", 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown option 'bogus'"));
	assert_int_equal(opts_set(&o, "cpu", "none", 1, err, sizeof(err)), 0);
	assert_int_equal(o.cpu, -1);
	assert_int_equal(opts_set(&o, "warmup", "0", 1, err, sizeof(err)), 0);
	assert_int_equal(opts_set(&o, "iterations", "7", 1, err, sizeof(err)),
			 0);
	/* A profile's "set" does not override the command line. */
	assert_int_equal(opts_set(&o, "iterations", "9", 0, err, sizeof(err)),
			 0);
	assert_int_equal(o.iterations, 7);
	assert_int_equal(opts_set(&o, "min-time", "0.25", 0, err, sizeof(err)),
			 0);
	assert_float_equal(o.min_time, 0.25, 1e-12);
}

static char *write_temp(const char *text)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/lmb-profile-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static struct bench_case cases[MAX_CASES];

static void profile_good(void **state)
{
	char *p = write_temp("# comment\n\nset iterations 3\n"
			     "case fork size=1M   # trailing comment\n"
			     "  case munmap size=2M\n");
	struct run_opts o;
	int n = 0;

	opts_defaults(&o);
	assert_int_equal(profile_load(p, &o, cases, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_int_equal(o.iterations, 3);
	assert_string_equal(cases[1].spec, "munmap size=2M thp=0");

	/* --storms and --size apply to profile cases. */
	snprintf(o.storms, sizeof(o.storms), "munmap");
	o.size = 4ULL << 20;
	assert_int_equal(cases_filter(&o, cases, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_string_equal(cases[0].spec, "munmap size=4M thp=0");
	snprintf(o.storms, sizeof(o.storms), "nosuch");
	assert_int_equal(cases_filter(&o, cases, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown storm 'nosuch'"));
	unlink(p);
}

static void profile_errors_name_line(void **state)
{
	const struct {
		const char *text, *msg;
	} bad[] = {
		{ "case fork\nfrobnicate\n", ":2: unknown directive" },
		{ "set iterations\n", ":1: 'set' needs" },
		{ "set iterations 0\n", ":1: iterations must be at least 1" },
		{ "case fork size=1X\n", ":1: fork: size '1X'" },
		{ "\n\ncase spoon\n", ":3: unknown storm" },
	};
	struct run_opts o;
	size_t i;
	char *p;
	int n;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		opts_defaults(&o);
		n = 0;
		p = write_temp(bad[i].text);
		assert_int_equal(profile_load(p, &o, cases, &n, err,
					      sizeof(err)), -1);
		if (!strstr(err, p) || !strstr(err, bad[i].msg))
			fail_msg("got '%s', want '%s' with the file name", err,
				 bad[i].msg);
		unlink(p);
	}
	opts_defaults(&o);
	n = 0;
	assert_int_equal(profile_load("/nonexistent/x.conf", &o, cases, &n,
				      err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/x.conf"));
}

static void shipped_profiles_parse(void **state)
{
	const char *names[] = { "configs/profiles/quick.conf",
				"configs/profiles/smoke.conf",
				"configs/profiles/costs.conf" };
	struct run_opts o;
	size_t i;
	int n;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		opts_defaults(&o);
		n = 0;
		if (profile_load(names[i], &o, cases, &n, err, sizeof(err)))
			fail_msg("%s", err);
		assert_true(n > 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sizes_parse),
		cmocka_unit_test(sizes_reject),
		cmocka_unit_test(size_format_round_trips),
		cmocka_unit_test(case_spec_canonical),
		cmocka_unit_test(case_spec_errors),
		cmocka_unit_test(run_options),
		cmocka_unit_test(profile_good),
		cmocka_unit_test(profile_errors_name_line),
		cmocka_unit_test(shipped_profiles_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
