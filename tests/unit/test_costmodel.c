// SPDX-License-Identifier: GPL-2.0
/*
 * test_costmodel.c - the cost model's arithmetic against hand
 * calculations: the least-squares costs and their residuals, the
 * predictions and their intervals, and the cost file reader.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "costmodel.h"

#define NEAR(a, b)	assert_true(fabs((a) - (b)) < 1e-9)

/* Exactly determined: the TLBI's cost is its sequence less the dsb ish. */
static void solve_exact(void **state)
{
	struct cost_eq eq[2] = {
		{ "dsb ish alone", { [CK_DSB_ISH] = 1 }, 10 },
		{ "tlbi vale1is; dsb ish", { [CK_DSB_ISH] = 1, [CK_TLBI_VALE1IS] = 1 }, 110 },
	};
	double c[COST_KINDS], r[2];
	char err[256];

	assert_int_equal(cost_solve(eq, 2, c, r, err, sizeof(err)), 0);
	NEAR(c[CK_DSB_ISH], 10);
	NEAR(c[CK_TLBI_VALE1IS], 100);
	NEAR(r[0], 0);
	NEAR(r[1], 0);
	/* kinds no loop executes have no cost */
	assert_true(isnan(c[CK_ISB]) && isnan(c[CK_TLBI_VAALE1IS]));
}

/*
 * dsb ishst alone 4 ns, isb alone 6 ns, the pair 12 ns: minimising
 * (x-4)^2 + (y-6)^2 + (x+y-12)^2 gives 2x + y = 16, x + 2y = 18, so
 * x = 14/3, y = 20/3, and residuals -2/3, -2/3, +2/3.  The pair is not
 * counted twice: x + y = 34/3, not 4 + 6 + 12.
 */
static void solve_overdetermined(void **state)
{
	struct cost_eq eq[3] = {
		{ "dsb ishst", { [CK_DSB_ISHST] = 1 }, 4 },
		{ "isb", { [CK_ISB] = 1 }, 6 },
		{ "pte write; dsb ishst; isb", { [CK_DSB_ISHST] = 1, [CK_ISB] = 1 }, 12 },
	};
	double c[COST_KINDS], r[3];
	char err[256];

	assert_int_equal(cost_solve(eq, 3, c, r, err, sizeof(err)), 0);
	NEAR(c[CK_DSB_ISHST], 14.0 / 3);
	NEAR(c[CK_ISB], 20.0 / 3);
	NEAR(r[0], -2.0 / 3);
	NEAR(r[1], -2.0 / 3);
	NEAR(r[2], 2.0 / 3);
}

/* Multiple executions per iteration weigh in: 2 x isb = 14 -> 7. */
static void solve_counts(void **state)
{
	struct cost_eq eq[1] = { { "2 isb", { [CK_ISB] = 2 }, 14 } };
	double c[COST_KINDS];
	char err[256];

	assert_int_equal(cost_solve(eq, 1, c, NULL, err, sizeof(err)), 0);
	NEAR(c[CK_ISB], 7);
}

static void solve_refuses(void **state)
{
	struct cost_eq tied[1] = {
		{ "tlbi; dsb ish", { [CK_DSB_ISH] = 1, [CK_TLBI_VAALE1IS] = 1 }, 50 },
	};
	struct cost_eq neg[1] = { { "bad", { [CK_ISB] = -1 }, 5 } };
	struct cost_eq nan1[1] = { { "nan", { [CK_ISB] = 1 }, NAN } };
	struct cost_eq none[1] = { { "overhead only", { 0 }, 5 } };
	double c[COST_KINDS];
	char err[256];

	assert_int_equal(cost_solve(tied, 1, c, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot be told apart"));
	assert_int_equal(cost_solve(neg, 1, c, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "negative count"));
	assert_int_equal(cost_solve(nan1, 1, c, NULL, err, sizeof(err)), -1);
	assert_int_equal(cost_solve(none, 1, c, NULL, err, sizeof(err)), -1);
	assert_int_equal(cost_solve(none, 0, c, NULL, err, sizeof(err)), -1);
}

/*
 * The nested storm at K = 16 under permissive nesting against stock: 16
 * more dsb ishst and 16 more isb per allocation; with the costs above,
 * 16 * (14/3 + 20/3) = 544/3 ns.  A TLBI difference with no TLBI cost is
 * left out and named.
 */
static void predict(void **state)
{
	double d[COST_KINDS] = { [CK_DSB_ISHST] = 16, [CK_ISB] = 16 };
	double c[COST_KINDS], lo[COST_KINDS], hi[COST_KINDS], plo, phi;
	unsigned miss;
	int k;

	for (k = 0; k < COST_KINDS; k++)
		c[k] = lo[k] = hi[k] = NAN;
	c[CK_DSB_ISHST] = 14.0 / 3;
	c[CK_ISB] = 20.0 / 3;
	NEAR(cost_predict(d, c, &miss), 544.0 / 3);
	assert_int_equal(miss, 0);
	d[CK_TLBI_VALE1IS] = -2;
	NEAR(cost_predict(d, c, &miss), 544.0 / 3);
	assert_int_equal(miss, 1u << CK_TLBI_VALE1IS);
	/* interval: + deltas take lo..hi, - deltas hi..lo */
	lo[CK_DSB_ISHST] = 4;
	hi[CK_DSB_ISHST] = 5;
	lo[CK_ISB] = 6;
	hi[CK_ISB] = 7;
	lo[CK_TLBI_VALE1IS] = 100;
	hi[CK_TLBI_VALE1IS] = 120;
	cost_predict_interval(d, lo, hi, &plo, &phi);
	NEAR(plo, 16 * 4 + 16 * 6 - 2 * 120);
	NEAR(phi, 16 * 5 + 16 * 7 - 2 * 100);
}

static const char *write_tmp(const char *text)
{
	static char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/lmb-costs-%d.json", (int)getpid());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

#define HEAD	"{\"format\": \"lazymmu-bench costs 1\", \"label\": \"example\", " \
		"\"cpu\": \"MIDR 0x413fd0c1\", \"kernel\": \"7.2\", "

static void file_read(void **state)
{
	struct cost_file cf;
	char err[512];
	const char *p;

	p = write_tmp(HEAD "\"kinds\": {\"isb\": {\"ns\": 7, \"lo\": 6, \"hi\": 8, \"runs\": 5}}}");
	assert_int_equal(cost_file_read(p, &cf, err, sizeof(err)), 0);
	assert_string_equal(cf.label, "example");
	assert_string_equal(cf.cpu, "MIDR 0x413fd0c1");
	NEAR(cf.ns[CK_ISB], 7);
	assert_true(isnan(cf.ns[CK_DSB_ISH]));

	p = write_tmp(HEAD "\"kinds\": {\"isb\": {\"ns\": 7, \"lo\": 8, \"hi\": 9}}}");
	assert_int_equal(cost_file_read(p, &cf, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "lo <= ns <= hi"));
	p = write_tmp(HEAD "\"kinds\": {\"dsb sy\": {\"ns\": 7, \"lo\": 6, \"hi\": 8}}}");
	assert_int_equal(cost_file_read(p, &cf, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown kind \"dsb sy\""));
	p = write_tmp(HEAD "\"kinds\": {}}");
	assert_int_equal(cost_file_read(p, &cf, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no kind has a cost"));
	p = write_tmp("{\"format\": \"lazymmu-bench costs 1\", \"label\": \"guess\", "
		      "\"cpu\": \"x\", \"kernel\": \"y\", \"kinds\": {}}");
	assert_int_equal(cost_file_read(p, &cf, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "measured, emulated, stand-in or example"));
	p = write_tmp("{\"format\": \"something else\"}");
	assert_int_equal(cost_file_read(p, &cf, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a cost file"));
	p = write_tmp(HEAD "\"kinds\": {\"isb\": {\"ns\": 7, \"lo\": 6, \"hi\": 8}}, \"colour\": 1}");
	assert_int_equal(cost_file_read(p, &cf, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown key \"colour\""));
	p = write_tmp("[1, 2");
	assert_int_equal(cost_file_read(p, &cf, err, sizeof(err)), -1);
	unlink(p);
	assert_int_equal(cost_file_read("/nonexistent/costs.json", &cf, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(solve_exact),
		cmocka_unit_test(solve_overdetermined),
		cmocka_unit_test(solve_counts),
		cmocka_unit_test(solve_refuses),
		cmocka_unit_test(predict),
		cmocka_unit_test(file_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
