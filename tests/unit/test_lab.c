// SPDX-License-Identifier: GPL-2.0
/*
 * test_lab.c - the lab import end to end on a synthetic plugin output:
 * known counts per (case, phase, vCPU, EL, instruction, class), isb among
 * them (its instruction name is its class name), go through lab_import()
 * and every per-op figure is read back with lab_per_op(), the reader every
 * report uses, and compared with a sum over the table made here.  Then
 * the calibrations: the kernel-mode one must catch a doubled or a foreign
 * count, and a missing one in system emulation; layout 1 reads corrected.
 * A measured phase that counted nothing reads 0 per op when the plugin saw
 * the case, and stays missing when it did not.
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
#include "kmod/kcalib.h"
#include "lab.h"
#include "results.h"

static char dir[64], plugin_path[128], err[1024];

struct row {
	int c;			/* case id, -1: none */
	const char *phase;
	int vcpu;
	const char *el, *insn, *cls;
	long long n;
};

/* Case 0: kcalib, storm vCPU 1; case 1: munmap (with prep), vCPU 0. */
#define R	3	/* kcalib rounds */
#define IT0	4	/* kcalib iterations */
#define IT1	5	/* munmap iterations */
#define WU1	2	/* munmap warm-up */
#define CAL	100	/* user-mode calibration rounds */

static struct row rows[64];
static int nrows;
static int cases_seen;	/* the plugin's "cases": 0 .. cases_seen - 1 */

static void row(int c, const char *phase, int vcpu, const char *el,
		const char *insn, const char *cls, long long n)
{
	rows[nrows++] = (struct row){ c, phase, vcpu, el, insn, cls, n };
}

static void base_rows(void)
{
	nrows = 0;
#define KROW(insn, cls, m) row(0, "measure", 1, "kernel", insn, cls, (long long)IT0 * R * (m));
	KCALIB_KINDS(KROW)
#undef KROW
	/* other vCPUs and other phases of the calibration case */
	row(0, "measure", 0, "kernel", "isb", "isb", 7);
	row(0, "measure", 0, "kernel", "dsb ish", "dsb", 3);
	row(0, "untimed", 1, "kernel", "isb", "isb", 8);
	row(0, "untimed", 1, "kernel", "dsb ishst", "dsb", 4);
	/* the munmap case */
	row(1, "measure", 0, "kernel", "dsb ishst", "dsb", 50);
	row(1, "measure", 0, "kernel", "isb", "isb", 35);
	row(1, "measure", 0, "kernel", "tlbi vale1is", "tlbi", 20);
	row(1, "measure", 0, "kernel", "tlbi vae1is", "tlbi", 5);
	row(1, "measure", 0, "kernel", "dsb ish", "dsb", 25);
	row(1, "measure", 0, "kernel", "dc cvau", "dc", 10);
	row(1, "measure", 0, "kernel", "ic ivau", "ic", 15);
	row(1, "measure", 0, "user", "isb", "isb", 10);
	row(1, "measure", 0, "user", "dmb ish", "dmb", 15);
	row(1, "measure", 1, "kernel", "isb", "isb", 9);
	row(1, "measure", 1, "kernel", "dsb ishst", "dsb", 11);
	row(1, "prep", 0, "kernel", "dsb ishst", "dsb", 25);
	row(1, "prep", 0, "kernel", "isb", "isb", 30);
	row(1, "warmup", 0, "kernel", "isb", "isb", 6);
	row(1, "warmup", 1, "kernel", "isb", "isb", 4);
	/* the harness's user-mode calibration, before any case */
	row(-1, "calib", 1, "user", "dsb ish", "dsb", CAL);
	row(-1, "calib", 1, "user", "dmb ish", "dmb", CAL);
	row(-1, "calib", 1, "user", "isb", "isb", CAL);
	row(-1, "calib", 0, "kernel", "isb", "isb", 2);
}

static void write_plugin(int system)
{
	json_object *p = json_object_new_object(), *a, *r, *cs;
	int i;

	json_object_object_add(p, "format", json_object_new_string("lmbcount"));
	json_object_object_add(p, "version", json_object_new_int(1));
	json_object_object_add(p, "system_emulation", json_object_new_boolean(system));
	json_object_object_add(p, "complete", json_object_new_boolean(1));
	cs = json_object_new_array();
	for (i = 0; i < cases_seen; i++) {
		r = json_object_new_object();
		json_object_object_add(r, "case", json_object_new_int(i));
		json_object_object_add(r, "vcpu", json_object_new_int(i == 0 ? 1 : 0));
		json_object_array_add(cs, r);
	}
	json_object_object_add(p, "cases", cs);
	a = json_object_new_array();
	for (i = 0; i < nrows; i++) {
		r = json_object_new_object();
		json_object_object_add(r, "case", rows[i].c < 0 ? NULL :
				       json_object_new_int(rows[i].c));
		json_object_object_add(r, "phase", json_object_new_string(rows[i].phase));
		json_object_object_add(r, "vcpu", json_object_new_int(rows[i].vcpu));
		json_object_object_add(r, "el", json_object_new_string(rows[i].el));
		json_object_object_add(r, "class", json_object_new_string(rows[i].cls));
		json_object_object_add(r, "insn", json_object_new_string(rows[i].insn));
		json_object_object_add(r, "n", json_object_new_int64(rows[i].n));
		json_object_array_add(a, r);
	}
	json_object_object_add(p, "counts", a);
	json_object_object_add(p, "functions", json_object_new_array());
	assert_int_equal(json_object_to_file(plugin_path, p), 0);
	json_object_put(p);
}

static json_object *new_file(const char *schema)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "schema", json_object_new_string(schema));
	json_object_object_add(o, "schema_version", json_object_new_int(RESULTS_SCHEMA_VERSION));
	return o;
}

/* A latency column as the reader wants it: n and ordered figures. */
static json_object *lat_col(int n)
{
	static const char *const k[] = {
		"min", "p50", "p90", "p99", "max", "mean", "stddev", "cov",
	};
	json_object *o = json_object_new_object();
	size_t i;

	json_object_object_add(o, "n", json_object_new_int(n));
	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		json_object_object_add(o, k[i], json_object_new_int(100));
	return o;
}

static void write_case(int index, const char *storm, const char *spec,
		       int iters, int warmup, int prep, const char *pkey,
		       int pval)
{
	json_object *c = new_file(RESULTS_CASE_SCHEMA), *lat, *params;
	char name[64];

	json_object_object_add(c, "index", json_object_new_int(index));
	json_object_object_add(c, "storm", json_object_new_string(storm));
	json_object_object_add(c, "spec", json_object_new_string(spec));
	params = json_object_new_object();
	json_object_object_add(params, pkey, json_object_new_int(pval));
	json_object_object_add(c, "params", params);
	json_object_object_add(c, "status", json_object_new_string("ok"));
	json_object_object_add(c, "iterations", json_object_new_int(iters));
	json_object_object_add(c, "warmup", json_object_new_int(warmup));
	lat = json_object_new_object();
	json_object_object_add(lat, "op_ns", lat_col(iters));
	if (prep)
		json_object_object_add(lat, "prep_ns", lat_col(iters));
	json_object_object_add(c, "latency_ns", lat);
	json_object_object_add(c, "counters", json_object_new_array());
	snprintf(name, sizeof(name), "%02d-%s.json", index, storm);
	assert_int_equal(results_write_json(dir, name, c, err, sizeof(err)), 0);
	json_object_put(c);
}

static void write_run(void)
{
	json_object *m = new_file(RESULTS_RUN_SCHEMA), *cal, *cases, *e;
	static const char *const files[] = { "00-kcalib", "01-munmap" };
	static const char *const specs[] = { "kcalib rounds=3", "munmap size=64K thp=0" };
	int i;

	json_object_object_add(m, "run_id", json_object_new_string("lab-test"));
	cal = json_object_new_object();
	json_object_object_add(cal, "rounds", json_object_new_int(CAL));
	json_object_object_add(m, "calibration", cal);
	cases = json_object_new_array();
	for (i = 0; i < 2; i++) {
		e = json_object_new_object();
		json_object_object_add(e, "index", json_object_new_int(i));
		json_object_object_add(e, "spec", json_object_new_string(specs[i]));
		json_object_object_add(e, "file", json_object_new_string(files[i]));
		json_object_object_add(e, "done", json_object_new_boolean(1));
		json_object_object_add(e, "status", json_object_new_string("ok"));
		json_object_array_add(cases, e);
	}
	json_object_object_add(m, "cases", cases);
	assert_int_equal(results_write_json(dir, "meta.json", m, err, sizeof(err)), 0);
	json_object_put(m);
	write_case(0, "kcalib", specs[0], IT0, 1, 0, "rounds", R);
	write_case(1, "munmap", specs[1], IT1, WU1, 1, "size", 65536);
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/lmb-lab-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(plugin_path, sizeof(plugin_path), "%s/plugin.json", dir);
	base_rows();
	cases_seen = 2;
	write_run();
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

static json_object *read_file(const char *name, const char *schema)
{
	char path[256];
	json_object *o;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	o = results_read_json(path, schema, err, sizeof(err));
	assert_non_null(o);
	return o;
}

static int import(int system, json_object *cell)
{
	write_plugin(system);
	return lab_import(dir, plugin_path, cell, err, sizeof(err));
}

static int is_class(const char *k)
{
	int i;

	for (i = 0; lab_classes[i]; i++)
		if (!strcmp(lab_classes[i], k))
			return 1;
	return 0;
}

/* The expected figure, summed from the table: -2 when the phase has no rows. */
static double expect(int c, const char *phase, int kernel, int all,
		     const char *kind, int storm_vcpu, long long ops)
{
	long long n = 0;
	int i, seen = 0;

	for (i = 0; i < nrows; i++) {
		struct row *r = &rows[i];

		if (r->c != c || strcmp(r->phase, phase))
			continue;
		seen = 1;
		if (strcmp(r->el, kernel ? "kernel" : "user") ||
		    (!all && r->vcpu != storm_vcpu))
			continue;
		if (is_class(kind) ? !strcmp(r->cls, kind) : !strcmp(r->insn, kind))
			n += r->n;
	}
	return seen ? (double)n / ops : -2;
}

static void import_counts_every_kind_once(void **state)
{
	static const char *const phases[] = { "measure", "prep", "warmup", "untimed", "setup" };
	static const char *const files[] = { "00-kcalib.json", "01-munmap.json" };
	const int vcpu[] = { 1, 0 }, iters[] = { IT0, IT1 }, warm[] = { 1, WU1 };
	int c, p, k, all, i, checked = 0;

	assert_int_equal(import(1, NULL), 0);
	for (c = 0; c < 2; c++) {
		json_object *cj = read_file(files[c], RESULTS_CASE_SCHEMA);

		for (p = 0; p < 5; p++)
			for (k = 1; k >= 0; k--)
				for (all = 0; all < 2; all++)
					for (i = 0; i < nrows + 6; i++) {
						const char *kind = i < 6 ? lab_classes[i] : rows[i - 6].insn;
						long long ops = !strcmp(phases[p], "warmup") ? warm[c] :
								!strcmp(phases[p], "untimed") ? iters[c] + warm[c] : iters[c];
						double want = expect(c, phases[p], k, all, kind, vcpu[c], ops), got;
						int rc = lab_per_op(cj, phases[p], k, all, kind, &got);

						/* no op count for prep without a prep step */
						if (want == -2 || (!strcmp(phases[p], "prep") && c == 0)) {
							assert_int_equal(rc, -1);
							continue;
						}
						assert_int_equal(rc, 0);
						if (got != want)
							fail_msg("case %d %s %s %s %s: %g per op, want %g",
								 c, phases[p], k ? "kernel" : "user",
								 all ? "all" : "storm", kind, got, want);
						checked++;
					}
		json_object_put(cj);
	}
	assert_true(checked > 300);
}

static void isb_once_by_name_and_class(void **state)
{
	json_object *cj;
	double v;

	assert_int_equal(import(1, NULL), 0);
	cj = read_file("01-munmap.json", RESULTS_CASE_SCHEMA);
	assert_int_equal(lab_per_op(cj, "measure", 1, 0, "isb", &v), 0);
	assert_true(v == 35.0 / IT1);
	assert_int_equal(lab_per_op(cj, "measure", 1, 0, "dsb", &v), 0);
	assert_true(v == 75.0 / IT1);
	assert_int_equal(lab_per_op(cj, "measure", 1, 0, "tlbi", &v), 0);
	assert_true(v == 25.0 / IT1);
	assert_int_equal(lab_per_op(cj, "measure", 1, 1, "isb", &v), 0);
	assert_true(v == 44.0 / IT1);
	json_object_put(cj);
}

/*
 * A case whose work runs on any CPU ("vcpus": "all", test_vmalloc) is
 * read over all vCPUs even when the storm's vCPU is asked for.
 */
static void case_counted_on_all_vcpus(void **state)
{
	json_object *cj;
	double storm, all, v;

	assert_int_equal(import(1, NULL), 0);
	cj = read_file("01-munmap.json", RESULTS_CASE_SCHEMA);
	assert_int_equal(lab_per_op(cj, "measure", 1, 0, "isb", &storm), 0);
	assert_int_equal(lab_per_op(cj, "measure", 1, 1, "isb", &all), 0);
	assert_true(storm != all);
	json_object_object_add(cj, "vcpus", json_object_new_string("all"));
	assert_int_equal(lab_per_op(cj, "measure", 1, 0, "isb", &v), 0);
	assert_true(v == all);
	assert_int_equal(lab_per_op(cj, "measure", 1, 1, "isb", &v), 0);
	assert_true(v == all);
	json_object_put(cj);
}

static void calibrations_ok(void **state)
{
	json_object *m, *k;

	assert_int_equal(import(1, NULL), 0);
	m = read_file("meta.json", RESULTS_RUN_SCHEMA);
	assert_string_equal(results_jstr(m, "calibration.result"), "ok");
	assert_string_equal(results_jstr(m, "calibration.kernel.result"), "ok");
	assert_string_equal(results_jstr(m, "backend"), "lab");
	k = json_object_object_get(json_object_object_get(
		json_object_object_get(m, "calibration"), "kernel"), "imported_per_op");
	assert_true(json_object_get_double(json_object_object_get(k, "isb")) == R * KCALIB_ISB);
	assert_true(json_object_get_double(json_object_object_get(k, "dsb")) ==
		    R * (KCALIB_DSB_ISH + KCALIB_DSB_ISHST));
	assert_true(json_object_get_boolean(json_object_object_get(
		json_object_object_get(m, "lab"), "valid")));
	json_object_put(m);
}

static void kcalib_catches_a_doubled_count(void **state)
{
	json_object *m;

	row(0, "measure", 1, "kernel", "isb", "isb", (long long)IT0 * R * KCALIB_ISB);
	assert_int_equal(import(1, NULL), 1);
	assert_non_null(strstr(err, "kernel calibration failed"));
	assert_non_null(strstr(err, "isb"));
	m = read_file("meta.json", RESULTS_RUN_SCHEMA);
	assert_string_equal(results_jstr(m, "calibration.kernel.result"), "failed");
	assert_false(json_object_get_boolean(json_object_object_get(
		json_object_object_get(m, "lab"), "valid")));
	json_object_put(m);
}

static void kcalib_catches_a_foreign_count(void **state)
{
	row(0, "measure", 1, "kernel", "dmb ishst", "dmb", 1);
	assert_int_equal(import(1, NULL), 1);
	assert_non_null(strstr(err, "dmb"));
}

static void kcalib_catches_a_count_on_another_kind(void **state)
{
	/* one tlbi counted as a dsb: every class total still adds up */
	rows[5].n -= 1;
	row(0, "measure", 1, "kernel", "tlbi vae1is", "tlbi", 1);
	assert_int_equal(import(1, NULL), 1);
	assert_non_null(strstr(err, "tlbi"));
}

static void kcalib_required_in_system_emulation_only(void **state)
{
	json_object *m;
	int i, j;

	for (i = j = 0; i < nrows; i++)
		if (rows[i].c != 0)
			rows[j++] = rows[i];
	nrows = j;
	/* the kcalib case did not run: the module was not loaded */
	m = read_file("meta.json", RESULTS_RUN_SCHEMA);
	json_object_object_add(json_object_array_get_idx(
		json_object_object_get(m, "cases"), 0), "status",
		json_object_new_string("unavailable"));
	assert_int_equal(results_write_json(dir, "meta.json", m, err, sizeof(err)), 0);
	json_object_put(m);
	/* and its case file says so too (the reader wants them to agree) */
	m = read_file("00-kcalib.json", RESULTS_CASE_SCHEMA);
	json_object_object_add(m, "status", json_object_new_string("unavailable"));
	json_object_object_add(m, "reason", json_object_new_string("no module"));
	assert_int_equal(results_write_json(dir, "00-kcalib.json", m, err, sizeof(err)), 0);
	json_object_put(m);
	assert_int_equal(import(1, NULL), 1);
	assert_non_null(strstr(err, "missing"));
	assert_int_equal(import(0, NULL), 0);
	m = read_file("meta.json", RESULTS_RUN_SCHEMA);
	assert_null(results_jstr(m, "calibration.kernel.result"));
	json_object_put(m);
}

static void reimport_is_idempotent_and_keeps_the_cell(void **state)
{
	json_object *cell = json_object_new_object(), *a, *b, *m;

	json_object_object_add(cell, "variant", json_object_new_string("stock"));
	assert_int_equal(import(1, cell), 0);
	json_object_put(cell);
	a = read_file("01-munmap.json", RESULTS_CASE_SCHEMA);
	assert_int_equal(import(1, NULL), 0);
	b = read_file("01-munmap.json", RESULTS_CASE_SCHEMA);
	assert_true(json_object_equal(a, b));
	m = read_file("meta.json", RESULTS_RUN_SCHEMA);
	assert_string_equal(results_jstr(m, "lab.cell.variant"), "stock");
	json_object_put(m);
	json_object_put(a);
	json_object_put(b);
}

/* Keep only the rows that are not case @c's in @phase. */
static void drop_rows(int c, const char *phase)
{
	int i, j;

	for (i = j = 0; i < nrows; i++)
		if (rows[i].c != c || strcmp(rows[i].phase, phase))
			rows[j++] = rows[i];
	nrows = j;
}

/*
 * A measured phase in which nothing counted ran (a user-mode loop without
 * barriers): 0 per op of every kind, not missing, for a case the plugin
 * saw; a case it never saw has no counts to read.
 */
static void measure_without_counts_reads_zero(void **state)
{
	json_object *cj, *kinds;
	int i, k;
	double v;

	/* k: kernel mode (bit 0), all vCPUs (bit 1) */
	drop_rows(1, "measure");
	assert_int_equal(import(0, NULL), 0);
	cj = read_file("01-munmap.json", RESULTS_CASE_SCHEMA);
	for (k = 0; k < 4; k++)
		for (i = 0; lab_classes[i]; i++) {
			v = -1;
			assert_int_equal(lab_per_op(cj, "measure", k & 1, k >> 1,
						    lab_classes[i], &v), 0);
			assert_true(v == 0);
		}
	assert_int_equal(lab_per_op(cj, "measure", 0, 0, "dsb ish", &v), 0);
	assert_true(v == 0);
	kinds = lab_kind_list(cj, "measure", 0, 0);
	assert_non_null(kinds);
	/* the classes only: no instruction was counted */
	assert_int_equal(json_object_array_length(kinds), 6);
	json_object_put(kinds);
	/* the other phases are as before: prep still counts */
	assert_int_equal(lab_per_op(cj, "prep", 1, 0, "isb", &v), 0);
	assert_true(v == 30.0 / IT1);
	json_object_put(cj);

	/* the plugin never saw case 1 (nor counted anything for it) */
	drop_rows(1, "prep");
	drop_rows(1, "warmup");
	cases_seen = 1;
	assert_int_equal(import(0, NULL), 0);
	cj = read_file("01-munmap.json", RESULTS_CASE_SCHEMA);
	assert_int_equal(lab_per_op(cj, "measure", 0, 0, "dsb", &v), -1);
	assert_null(lab_kind_list(cj, "measure", 0, 0));
	json_object_put(cj);
}

/* A schema 1 case (layout 1): every isb was stored twice. */
static void layout1_read_corrected(void **state)
{
	const char *text =
		"{\"schema\": \"lazymmu-bench/case\", \"schema_version\": 1,"
		" \"lab\": {\"storm_vcpu\": 0, \"phases\": {\"measure\": {\"ops\": 4,"
		" \"storm_vcpu\": {\"kernel\": {\"dsb ishst\": 8, \"dsb\": 12,"
		" \"dsb ish\": 4, \"isb\": 16, \"tlbi vale1is\": 4, \"tlbi\": 4}}}}}}";
	json_object *c = json_tokener_parse(text), *kinds;
	double v;

	assert_non_null(c);
	assert_int_equal(lab_per_op(c, "measure", 1, 0, "isb", &v), 0);
	assert_true(v == 2);
	assert_int_equal(lab_per_op(c, "measure", 1, 0, "dsb ishst", &v), 0);
	assert_true(v == 2);
	assert_int_equal(lab_per_op(c, "measure", 1, 0, "dsb", &v), 0);
	assert_true(v == 3);
	assert_int_equal(lab_per_op(c, "measure", 1, 0, "dmb", &v), 0);
	assert_true(v == 0);
	assert_int_equal(lab_per_op(c, "prep", 1, 0, "isb", &v), -1);
	kinds = lab_kind_list(c, "measure", 1, 0);
	assert_non_null(kinds);
	/* six classes, then the three instructions */
	assert_int_equal(json_object_array_length(kinds), 9);
	json_object_put(kinds);
	json_object_put(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(import_counts_every_kind_once, setup, teardown),
		cmocka_unit_test_setup_teardown(isb_once_by_name_and_class, setup, teardown),
		cmocka_unit_test_setup_teardown(case_counted_on_all_vcpus, setup, teardown),
		cmocka_unit_test_setup_teardown(calibrations_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(kcalib_catches_a_doubled_count, setup, teardown),
		cmocka_unit_test_setup_teardown(kcalib_catches_a_foreign_count, setup, teardown),
		cmocka_unit_test_setup_teardown(kcalib_catches_a_count_on_another_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(kcalib_required_in_system_emulation_only, setup, teardown),
		cmocka_unit_test_setup_teardown(reimport_is_idempotent_and_keeps_the_cell, setup, teardown),
		cmocka_unit_test_setup_teardown(measure_without_counts_reads_zero,
						setup, teardown),
		cmocka_unit_test(layout1_read_corrected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
