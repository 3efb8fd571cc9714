// SPDX-License-Identifier: GPL-2.0
/*
 * census_report.c - `lazymmu-bench census`: the nest census of runs made
 * on census kernels (kernels/overlays/census), per case and cell.
 *
 *   census [--format text|tsv] [LABEL=]RUNDIR...
 *
 * Per case and cell, from the census counters of the measured phase
 * (configs/pmu/census.conf): nested sections, C writes, unpaired enables
 * and unmatched disables, per op and per run, each the median over the
 * cell's runs; then the call sites the case's ops met (bench/census.h),
 * (outer > nested) by function, per op over all the cell's runs.  The
 * census counts the whole machine.  A counter that is not available (not a
 * census kernel) is shown as unavailable with its reason, never as 0.
 *
 * tsv: "count" lines (case, cell, runs, then per op and per run for each
 * counter) and "site" lines (case, cell, outer, nested, nested per op, C
 * per op, the first stack seen), for scripts and the reference report.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "compare.h"
#include "results.h"
#include "stats.h"
#include "util.h"

#define MAX_ROWS	512
#define MAX_RUNS	64
#define MAX_SITES	16
#define NCTR		4

static const char *const ctr_label[NCTR] = {
	"census-nested", "census-c-writes", "census-unpaired", "census-unmatched",
};
static const char *const ctr_head[NCTR] = {
	"nested", "C writes", "unpaired", "unmatched",
};

struct site {
	char outer[64], inner[64], stack[512];
	double nested, c;	/* totals over the cell's runs */
};

struct row {
	char spec[160], cell[64];
	int runs;
	double per_op[NCTR][MAX_RUNS], per_run[NCTR][MAX_RUNS];
	int n[NCTR];
	char why[NCTR][128];	/* unavailable: the reason */
	double ops;		/* measured ops over the runs, for the sites */
	struct site site[MAX_SITES];
	int nsite;
};

static struct row rows[MAX_ROWS];
static int nrows;

static struct row *row_get(const char *spec, const char *cell)
{
	int i;

	for (i = 0; i < nrows; i++)
		if (!strcmp(rows[i].spec, spec) && !strcmp(rows[i].cell, cell))
			return &rows[i];
	if (nrows == MAX_ROWS)
		return NULL;
	memset(&rows[nrows], 0, sizeof(rows[0]));
	snprintf(rows[nrows].spec, sizeof(rows[0].spec), "%s", spec);
	snprintf(rows[nrows].cell, sizeof(rows[0].cell), "%s", cell);
	return &rows[nrows++];
}

/* "__zap_vma_range+0x26c/0x1410" -> "__zap_vma_range" */
static void fn_name(const char *site, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)strcspn(site, "+ "), site);
}

static void add_counters(struct row *r, json_object *c)
{
	json_object *arr = json_object_object_get(c, "counters"), *e;
	size_t i;
	int k;

	for (i = 0; arr && json_object_is_type(arr, json_type_array) &&
		    i < json_object_array_length(arr); i++) {
		const char *l, *st;
		json_object *m;

		e = json_object_array_get_idx(arr, i);
		l = results_jstr(e, "label");
		for (k = 0; l && k < NCTR && strcmp(l, ctr_label[k]); k++)
			;
		if (!l || k == NCTR)
			continue;
		st = results_jstr(e, "status");
		m = results_jget(e, "phases.measure");
		if (!st || strcmp(st, "ok") || !m ||
		    !json_object_object_get(m, "per_op")) {
			const char *why = results_jstr(e, "reason");

			snprintf(r->why[k], sizeof(r->why[k]), "%s",
				 why ? why : "not counted in the measured phase");
			continue;
		}
		if (r->n[k] < MAX_RUNS) {
			r->per_op[k][r->n[k]] = json_object_get_double(
				json_object_object_get(m, "per_op"));
			r->per_run[k][r->n[k]] = json_object_get_double(
				json_object_object_get(m, "count"));
			r->n[k]++;
		}
	}
}

static void add_sites(struct row *r, json_object *c)
{
	json_object *sites = results_jget(c, "census.sites"), *e;
	char outer[64], inner[64];
	size_t i;
	int k;

	r->ops += json_object_get_double(results_jget(c, "census.ops"));
	for (i = 0; sites && json_object_is_type(sites, json_type_array) &&
		    i < json_object_array_length(sites); i++) {
		e = json_object_array_get_idx(sites, i);
		if (!results_jstr(e, "outer") || !results_jstr(e, "inner"))
			continue;	/* an unmatched disable's site */
		fn_name(results_jstr(e, "outer"), outer, sizeof(outer));
		fn_name(results_jstr(e, "inner"), inner, sizeof(inner));
		for (k = 0; k < r->nsite && (strcmp(r->site[k].outer, outer) ||
					     strcmp(r->site[k].inner, inner)); k++)
			;
		if (k == r->nsite) {
			if (k == MAX_SITES)
				continue;
			r->nsite++;
			snprintf(r->site[k].outer, sizeof(r->site[k].outer), "%s", outer);
			snprintf(r->site[k].inner, sizeof(r->site[k].inner), "%s", inner);
			snprintf(r->site[k].stack, sizeof(r->site[k].stack), "%s",
				 results_jstr(e, "stack") ? results_jstr(e, "stack") : "");
		}
		r->site[k].nested += json_object_get_double(json_object_object_get(e, "nested"));
		r->site[k].c += json_object_get_double(json_object_object_get(e, "c_writes"));
	}
}

static int load(const char *arg, char *err, size_t errlen)
{
	const char *eq = strchr(arg, '='), *dir = arg;
	struct run_reader rr;
	json_object *e, *c;
	char cell[64];
	int rc;

	if (eq && !memchr(arg, '/', eq - arg)) {
		snprintf(cell, sizeof(cell), "%.*s", (int)(eq - arg), arg);
		dir = eq + 1;
	}
	if (results_run_open(&rr, dir, 0, err, errlen))
		return -1;
	if (dir == arg)
		compare_cell_label(rr.meta, cell, sizeof(cell));
	while ((rc = results_run_next(&rr, &e, &c, err, errlen)) == 1) {
		struct row *r;

		if (results_case_ok(e, c) && results_jstr(c, "spec")) {
			r = row_get(results_jstr(c, "spec"), cell);
			if (!r) {
				json_object_put(c);
				results_run_close(&rr);
				return errf(err, errlen, "more than %d cases x cells", MAX_ROWS);
			}
			r->runs++;
			add_counters(r, c);
			add_sites(r, c);
		}
		json_object_put(c);
	}
	results_run_close(&rr);
	return rc < 0 ? -1 : 0;
}

static int cmp_rows(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	int c = strcmp(a->spec, b->spec);

	return c ? c : strcmp(a->cell, b->cell);
}

/* Row @r's counter @k: the median per op (or per run) over its runs. */
static void fmt(const struct row *r, int k, int per_run, char *buf, size_t len)
{
	double v[MAX_RUNS];

	if (!r->n[k]) {
		snprintf(buf, len, r->why[k][0] ? "unavailable" : "-");
		return;
	}
	memcpy(v, per_run ? r->per_run[k] : r->per_op[k], r->n[k] * sizeof(v[0]));
	snprintf(buf, len, "%.4g", stats_median(v, r->n[k]));
}

static void print_text(void)
{
	const char *spec = NULL;
	char v[NCTR][32];
	int i, k;

	printf("nest census: per op of the measured phase, the median over the runs\n"
	       "(the whole machine's sections, as the census kernel counts them)\n\n");
	printf("  %-26s %4s %10s %10s %10s %10s\n", "", "runs", ctr_head[0],
	       ctr_head[1], ctr_head[2], ctr_head[3]);
	for (i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];

		if (!spec || strcmp(spec, r->spec)) {
			spec = r->spec;
			printf("\n%.79s\n", spec);
		}
		for (k = 0; k < NCTR; k++)
			fmt(r, k, 0, v[k], sizeof(v[k]));
		printf("  %-26s %4d %10s %10s %10s %10s\n", r->cell, r->runs,
		       v[0], v[1], v[2], v[3]);
		for (k = 0; k < NCTR; k++)
			if (!r->n[k] && r->why[k][0]) {
				printf("    %s unavailable: %.200s\n", ctr_label[k], r->why[k]);
				break;
			}
		for (k = 0; k < r->nsite && r->ops > 0; k++)
			printf("    %s > %s: %.4g nested, %.4g C writes per op\n",
			       r->site[k].outer, r->site[k].inner,
			       r->site[k].nested / r->ops, r->site[k].c / r->ops);
	}
}

static void print_tsv(void)
{
	char v[32];
	int i, k;

	printf("count\tcase\tcell\truns");
	for (k = 0; k < NCTR; k++)
		printf("\t%s_per_op\t%s_per_run", ctr_label[k] + 7, ctr_label[k] + 7);
	putchar('\n');
	for (i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];

		printf("count\t%s\t%s\t%d", r->spec, r->cell, r->runs);
		for (k = 0; k < NCTR; k++) {
			fmt(r, k, 0, v, sizeof(v));
			printf("\t%s", v);
			fmt(r, k, 1, v, sizeof(v));
			printf("\t%s", v);
		}
		putchar('\n');
	}
	printf("site\tcase\tcell\touter\tinner\tnested_per_op\tc_writes_per_op\tstack\n");
	for (i = 0; i < nrows; i++)
		for (k = 0; k < rows[i].nsite && rows[i].ops > 0; k++)
			printf("site\t%s\t%s\t%s\t%s\t%.4g\t%.4g\t%s\n", rows[i].spec,
			       rows[i].cell, rows[i].site[k].outer, rows[i].site[k].inner,
			       rows[i].site[k].nested / rows[i].ops,
			       rows[i].site[k].c / rows[i].ops, rows[i].site[k].stack);
}

#define CENSUS_USAGE "usage: census [--format text|tsv] [LABEL=]RUNDIR..."

static int census_main(int argc, char **argv, char *err, size_t errlen)
{
	const char *format = "text", *runs[256];
	const struct arg_opt opts[] = {
		{ "--format", &format, NULL },
		{ NULL, NULL, NULL }
	};
	int n, i;

	nrows = 0;
	if (args_parse(argc, argv, opts, runs, 256, &n, CENSUS_USAGE, err, errlen))
		return -1;
	if (!n)
		return errf(err, errlen, CENSUS_USAGE);
	if (strcmp(format, "text") && strcmp(format, "tsv"))
		return errf(err, errlen, "unknown format '%s' (text, tsv)", format);
	for (i = 0; i < n; i++)
		if (load(runs[i], err, errlen))
			return -1;
	qsort(rows, nrows, sizeof(rows[0]), cmp_rows);
	if (!strcmp(format, "tsv"))
		print_tsv();
	else
		print_text();
	return 0;
}

int cmd_census(int argc, char **argv)
{
	return cmd_with_err(census_main, argc, argv);
}
