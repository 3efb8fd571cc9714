// SPDX-License-Identifier: GPL-2.0
/*
 * costs.c - `lazymmu-bench costs RUNDIR...`: a machine's cost file (the
 * format compare --predict reads, costmodel.h) from its cost runs.
 *
 * In each run, each loop's figure is the median time of an op over the
 * median of its overhead loop's, per iteration: a barrier case (insn=X)
 * over insn=none with the same stores and loops (op_ns), a kcost case
 * (the module's sequences at EL1) over its overhead loop, seq=pte over
 * pte0 and the TLBI sequences over loop (kernel_ns).  The figures after a burst of
 * stores (stores > 0) and the kernel sequences are the model's equations:
 * the kernel's barriers follow its page-table stores.  The costs are
 * solved per run (cost_solve()); each kind's cost is the median over the
 * runs, with the distribution-free 95 % interval of that median (from 6
 * runs; with fewer, the runs' minimum and maximum, and the note says so).
 * On x86_64 the barrier storm's stand-ins are taken for arm64 kinds
 * (mfence: dsb ish, sfence: dsb ishst, lfence: dmb ishld, cpuid: isb) and
 * the file is labelled "stand-in": plumbing only.
 *
 *   costs [--label measured|emulated] [--cpu TEXT] [--kernel TEXT] RUNDIR...
 *
 * Prints the cost file (JSON) on stdout.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "cmd.h"
#include "costmodel.h"
#include "opts.h"
#include "results.h"
#include "stats.h"
#include "storm.h"
#include "util.h"

#define MAX_COST_RUNS	64
#define MAX_LOOPS	64

/* What a loop executes per iteration over its overhead loop. */
static const struct loop_def {
	const char *storm, *opt, *val;	/* the case: storm, option = value */
	const char *base;		/* the overhead loop's value of opt */
	const char *per;		/* the option counting iterations */
	const char *metric;
	int standin;			/* an x86_64 stand-in */
	int n[COST_KINDS];
} loop_defs[] = {
	{ "barrier", "insn", "dsb-ish", "none", "loops", "op_ns", 0, { [CK_DSB_ISH] = 1 } },
	{ "barrier", "insn", "dsb-ishst", "none", "loops", "op_ns", 0, { [CK_DSB_ISHST] = 1 } },
	{ "barrier", "insn", "dmb-ish", "none", "loops", "op_ns", 0, { [CK_DMB_ISH] = 1 } },
	{ "barrier", "insn", "dmb-ishst", "none", "loops", "op_ns", 0, { [CK_DMB_ISHST] = 1 } },
	{ "barrier", "insn", "dmb-ishld", "none", "loops", "op_ns", 0, { [CK_DMB_ISHLD] = 1 } },
	{ "barrier", "insn", "isb", "none", "loops", "op_ns", 0, { [CK_ISB] = 1 } },
	{ "barrier", "insn", "mfence", "none", "loops", "op_ns", 1, { [CK_DSB_ISH] = 1 } },
	{ "barrier", "insn", "sfence", "none", "loops", "op_ns", 1, { [CK_DSB_ISHST] = 1 } },
	{ "barrier", "insn", "lfence", "none", "loops", "op_ns", 1, { [CK_DMB_ISHLD] = 1 } },
	{ "barrier", "insn", "cpuid", "none", "loops", "op_ns", 1, { [CK_ISB] = 1 } },
	/* the module's kernel sequences (bench/kmod/kcost.h) */
	{ "kcost", "seq", "pte", "pte0", "iterations", "kernel_ns", 0,
	  { [CK_DSB_ISHST] = 1, [CK_ISB] = 1 } },
	{ "kcost", "seq", "tlbi-vaale1is", "loop", "iterations", "kernel_ns", 0,
	  { [CK_TLBI_VAALE1IS] = 1, [CK_DSB_ISH] = 1 } },
	{ "kcost", "seq", "tlbi-vale1is", "loop", "iterations", "kernel_ns", 0,
	  { [CK_TLBI_VALE1IS] = 1, [CK_DSB_ISH] = 1 } },
};
#define NDEFS	(sizeof(loop_defs) / sizeof(loop_defs[0]))

/* One case's median in one run. */
struct cmed {
	struct bench_case c;
	double med;
	int metric_ok;
};

struct loop_fig {
	char name[160];
	const struct loop_def *d;
	int model;			/* an equation of the model */
	double v[MAX_COST_RUNS];	/* per run; NAN: not in that run */
};

static struct loop_fig figs[MAX_LOOPS];
static int nfigs;

static const char *opt_text(const struct bench_case *c, const char *opt)
{
	int i = storm_opt_index(c->storm, opt);

	if (i < 0 || c->storm->opts[i].type != OPT_ENUM)
		return NULL;
	return c->storm->opts[i].choices[c->opt[i]];
}

static long opt_num(const struct bench_case *c, const char *opt)
{
	int i = storm_opt_index(c->storm, opt);

	return i < 0 ? -1 : c->opt[i];
}

/* Same storm and every option equal but @opt, which is @val in @b. */
static int is_base(const struct bench_case *a, const struct bench_case *b,
		   const char *opt, const char *val)
{
	int i, k = storm_opt_index(a->storm, opt);
	const char *v;

	if (a->storm != b->storm || k < 0)
		return 0;
	v = opt_text(b, opt);
	if (!v || strcmp(v, val))
		return 0;
	for (i = 0; i < STORM_MAX_OPTS && a->storm->opts[i].name; i++)
		if (i != k && a->opt[i] != b->opt[i])
			return 0;
	return 1;
}

static int read_run(const char *dir, int ri, char *err, size_t errlen)
{
	static struct cmed m[MAX_CASES];
	struct run_reader r;
	json_object *e, *c;
	int n = 0, rc, i, k, j, x;

	if (results_run_open(&r, dir, 0, err, errlen))
		return -1;
	while ((rc = results_run_next(&r, &e, &c, err, errlen)) == 1) {
		struct samples s;
		const char *spec = results_jstr(c, "spec");

		if (n == MAX_CASES || !spec || !results_case_ok(e, c) ||
		    case_parse(spec, &m[n].c, err, errlen)) {
			json_object_put(c);
			continue;
		}
		if (results_case_samples(&r, e, c, &s, err, errlen)) {
			json_object_put(c);
			rc = -1;
			break;
		}
		m[n].metric_ok = 0;
		for (k = 0; k < (int)NDEFS; k++)
			if (!strcmp(loop_defs[k].storm, m[n].c.storm->name))
				break;
		for (j = 0; k < (int)NDEFS && j < s.ncols; j++) {
			double *v;
			size_t q;

			if (strcmp(s.names[j], loop_defs[k].metric))
				continue;
			v = malloc(s.n * sizeof(*v));
			if (!v)
				break;
			for (q = 0; q < s.n; q++)
				v[q] = (double)s.col[j][q];
			m[n].med = stats_median(v, s.n);
			m[n].metric_ok = 1;
			free(v);
		}
		samples_free(&s);
		json_object_put(c);
		n++;
	}
	results_run_close(&r);
	if (rc < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const struct bench_case *a = &m[i].c;

		for (k = 0; k < (int)NDEFS; k++) {
			const struct loop_def *d = &loop_defs[k];
			const char *v = opt_text(a, d->opt);
			struct loop_fig *f;
			long per = opt_num(a, d->per);

			if (strcmp(d->storm, a->storm->name) || !v ||
			    strcmp(v, d->val) || !m[i].metric_ok || per <= 0)
				continue;
			for (j = 0; j < n; j++)
				if (m[j].metric_ok && is_base(a, &m[j].c, d->opt, d->base))
					break;
			if (j == n)
				continue;	/* no overhead loop: no figure */
			for (f = figs; f < figs + nfigs && strcmp(f->name, a->spec); f++)
				;
			if (f == figs + nfigs) {
				if (nfigs == MAX_LOOPS)
					return errf(err, errlen, "more than %d cost loops", MAX_LOOPS);
				snprintf(f->name, sizeof(f->name), "%s", a->spec);
				f->d = d;
				/* barrier loops: after a burst of stores */
				f->model = strcmp(d->storm, "barrier") ||
					   opt_num(a, "stores") > 0;
				for (x = 0; x < MAX_COST_RUNS; x++)
					f->v[x] = NAN;
				nfigs++;
			}
			f->v[ri] = (m[i].med - m[j].med) / per;
		}
	}
	return 0;
}

/* Median and interval of the finite values of @v[0..n). */
static int spread(const double *v, int n, double *med, double *lo, double *hi)
{
	double s[MAX_COST_RUNS];
	int i, k = 0;

	for (i = 0; i < n; i++)
		if (isfinite(v[i]))
			s[k++] = v[i];
	if (!k)
		return -1;
	stats_sort(s, k);
	*med = stats_median(s, k);
	if (stats_median_ci(s, k, 0.95, lo, hi)) {
		*lo = s[0];
		*hi = s[k - 1];
	}
	return k;
}

static json_object *num(double v)
{
	char b[32];

	snprintf(b, sizeof(b), "%.4g", v);
	return json_object_new_double_s(v, b);
}

int costs_main(int argc, char **argv, char *err, size_t errlen)
{
	const char *label = "measured", *cpu = NULL, *kernel = NULL;
	const char *dirs[MAX_COST_RUNS];
	const struct arg_opt opts[] = {
		{ "--label", &label, NULL },
		{ "--cpu", &cpu, NULL },
		{ "--kernel", &kernel, NULL },
		{ NULL, NULL, NULL }
	};
	double cost[MAX_COST_RUNS][COST_KINDS], resid[MAX_LOOPS];
	struct cost_eq eq[MAX_LOOPS];
	json_object *o, *kinds, *eqs, *src;
	char cpubuf[160], note[512];
	int ndirs, i, k, r, neq, standin = 0, fewer = 0;

	nfigs = 0;
	if (args_parse(argc, argv, opts, dirs, MAX_COST_RUNS, &ndirs,
		       "usage: costs [--label measured|emulated] [--cpu TEXT] [--kernel TEXT] RUNDIR...",
		       err, errlen))
		return -1;
	if (!ndirs)
		return errf(err, errlen, "usage: costs [--label measured|emulated] [--cpu TEXT] [--kernel TEXT] RUNDIR...");
	if (strcmp(label, "measured") && strcmp(label, "emulated"))
		return errf(err, errlen, "--label must be measured or emulated, not '%.40s'", label);
	for (i = 0; i < ndirs; i++)
		if (read_run(dirs[i], i, err, errlen))
			return -1;
	for (i = 0; i < nfigs; i++)
		standin |= figs[i].d->standin;
	/* per run: the model's equations with a figure there, solved */
	for (r = 0; r < ndirs; r++) {
		for (neq = 0, i = 0; i < nfigs; i++) {
			if (!figs[i].model || !isfinite(figs[i].v[r]))
				continue;
			eq[neq].name = figs[i].name;
			memcpy(eq[neq].n, figs[i].d->n, sizeof(eq[neq].n));
			eq[neq++].ns = figs[i].v[r];
		}
		if (!neq)
			return errf(err, errlen, "%s: no cost loop with its overhead loop (the costs profile: barrier cases with insn=none)",
				    dirs[r]);
		if (cost_solve(eq, neq, cost[r], NULL, err, errlen))
			return -1;
	}
	o = json_object_new_object();
	json_object_object_add(o, "format", json_object_new_string("lazymmu-bench costs 1"));
	json_object_object_add(o, "label", json_object_new_string(standin ? "stand-in" : label));
	if (!cpu || !kernel) {
		struct run_reader rr;

		if (results_run_open(&rr, dirs[0], 0, err, errlen)) {
			json_object_put(o);
			return -1;
		}
		cost_cpu_name(rr.meta, cpubuf, sizeof(cpubuf));
		if (!cpu)
			cpu = cpubuf;
		if (!kernel)
			kernel = results_jstr(rr.meta, "system.release");
		json_object_object_add(o, "cpu", json_object_new_string(cpu));
		json_object_object_add(o, "kernel", json_object_new_string(kernel ? kernel : "unknown"));
		results_run_close(&rr);
	} else {
		json_object_object_add(o, "cpu", json_object_new_string(cpu));
		json_object_object_add(o, "kernel", json_object_new_string(kernel));
	}
	kinds = json_object_new_object();
	for (k = 0; k < COST_KINDS; k++) {
		double v[MAX_COST_RUNS], med, lo, hi;
		json_object *e;
		int n;

		for (r = 0; r < ndirs; r++)
			v[r] = cost[r][k];
		n = spread(v, ndirs, &med, &lo, &hi);
		if (n <= 0)
			continue;
		fewer |= n < 6;
		e = json_object_new_object();
		json_object_object_add(e, "ns", num(med));
		json_object_object_add(e, "lo", num(lo));
		json_object_object_add(e, "hi", num(hi));
		json_object_object_add(e, "runs", json_object_new_int(n));
		json_object_object_add(kinds, cost_kind_names[k], e);
	}
	json_object_object_add(o, "kinds", kinds);
	/* every figure: its median over runs; a model one, its residual */
	eqs = json_object_new_array();
	for (i = 0; i < nfigs; i++) {
		double med, lo, hi, c[COST_KINDS];
		json_object *e = json_object_new_object();

		if (spread(figs[i].v, ndirs, &med, &lo, &hi) <= 0) {
			json_object_put(e);
			continue;
		}
		json_object_object_add(e, "loop", json_object_new_string(figs[i].name));
		json_object_object_add(e, "ns", num(med));
		json_object_object_add(e, "model", json_object_new_boolean(figs[i].model));
		if (figs[i].model) {
			for (k = 0; k < COST_KINDS; k++) {
				double v[MAX_COST_RUNS], l2, h2;

				for (r = 0; r < ndirs; r++)
					v[r] = cost[r][k];
				if (spread(v, ndirs, &c[k], &l2, &h2) <= 0)
					c[k] = 0;
			}
			eq[0].name = figs[i].name;
			memcpy(eq[0].n, figs[i].d->n, sizeof(eq[0].n));
			resid[i] = med;
			for (k = 0; k < COST_KINDS; k++)
				resid[i] -= eq[0].n[k] * c[k];
			json_object_object_add(e, "resid", num(resid[i]));
		}
		json_object_array_add(eqs, e);
	}
	json_object_object_add(o, "equations", eqs);
	snprintf(note, sizeof(note), "%s%s",
		 standin ? "x86_64 stand-ins, plumbing only: mfence for dsb ish, sfence for dsb ishst, lfence for dmb ishld, cpuid for isb. " : "",
		 fewer ? "Intervals: the runs' minimum and maximum (fewer than 6 runs for a 95 % interval of the median)." :
			 "Intervals: the distribution-free 95 % interval of the median over the runs.");
	json_object_object_add(o, "note", json_object_new_string(note));
	src = json_object_new_array();
	for (i = 0; i < ndirs; i++)
		json_object_array_add(src, json_object_new_string(dirs[i]));
	json_object_object_add(o, "source", src);
	printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						      JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return 0;
}

int cmd_costs(int argc, char **argv)
{
	return cmd_with_err(costs_main, argc, argv);
}
