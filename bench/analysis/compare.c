// SPDX-License-Identifier: GPL-2.0
/*
 * compare.c - `lazymmu-bench compare`: runs grouped by case and cell, each
 * cell against a baseline cell.  The replicate is the run: each run's ops
 * are summarised once (its median and p99), and the cell's figures, the
 * ratio of medians with a bootstrap 95% CI and a Mann-Whitney U test as
 * the significance gate all work on those per-run figures
 * (stats_compare_runs()), never on ops pooled across runs.
 *
 * A cell is what ran: "<variant>-<dpa>" for lab runs, "<release>/<dpa
 * state>" otherwise, or a LABEL given as LABEL=RUNDIR (an A/A comparison
 * names two sets of runs of one kernel).  Runs of the same cell are
 * gathered (several boots of one kernel); every group says how many runs
 * and boots stand behind it.  Lab times are emulated: never tested.
 *
 *   compare [--baseline CELL] [--aa CELL [--null-test]] [--counters]
 *           [--metric op_ns|prep_ns|kernel_ns] [--format text|csv|md]
 *           [--plot-data DIR] [--predict COSTFILE] [LABEL=]RUNDIR...
 *
 * --predict: for lab cells, the time difference against the baseline that
 * the kernel count differences predict with a cost file's per-kind costs
 * (costmodel.h), labelled as a prediction and never mixed with the
 * measured (emulated) times.  Beside it, where hardware runs of the same
 * kernels are given (compare_cell_key()), the measured difference on
 * that machine and the ratio measured/predicted.
 *
 * Lab and hardware cells may be given together: each kind is compared
 * with the baseline's kernel of its own kind (base_of()), since emulated
 * time is never set against real time.
 *
 * One run given twice (on one side or both: its directory, or a copy of
 * it) is refused: it would count as two replicates.
 */
#include <errno.h>
#include <math.h>
#include <sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cmd.h"
#include "compare.h"
#include "costmodel.h"
#include "lab.h"
#include "report.h"
#include "results.h"
#include "stats.h"
#include "util.h"

#define MAX_GROUPS	4096
#define MAX_CELLS	64
#define MAX_BOOTS	64
#define MAX_RUNS	64
#define MAX_CTRS	32
#define MAX_KINDS	32

/* One counter's per-op value in the measured phase, one per run. */
struct ctr {
	char label[48];
	double v[MAX_RUNS];
	int n;
	char why[96];		/* unavailable in some run: the reason */
};

struct group {
	char spec[160];
	int cell;
	double *v;		/* every op's sample, run after run */
	size_t n, cap;
	int runs;
	const char *last_run;
	size_t run_start;	/* the last run's first sample in v */
	/* per run, computed once when the run is read: median, p99 */
	double *rmed, *rp99;
	int rcap;
	char boots[MAX_BOOTS][40];
	int nboots;
	struct ctr *ctr;
	int nctr;
	/*
	 * Lab runs: every kernel instruction kind's count per op in the
	 * measured phase, summed over the @kruns runs that have lab counts
	 * (--predict takes the mean).
	 */
	struct { char name[24]; double sum; } kind[MAX_KINDS];
	int nkind, kruns;
};

static struct group groups[MAX_GROUPS];
static int ngroups;
static char cells[MAX_CELLS][64];
static int ncells;
/* Each cell's environment, from its first run's meta.json. */
static char cell_env[MAX_CELLS][512];
/* Lab cells: their times are emulated, so the null test skips latency. */
static int cell_lab[MAX_CELLS];
/*
 * Each cell's kernel as the lab names it (compare_cell_key(); "" unknown
 * or mixed), its machine and CPU: a hardware cell is put beside the lab
 * cell of its kernel, and against the baseline's kernel on its machine.
 */
static char cell_key[MAX_CELLS][64];
static char cell_node[MAX_CELLS][64];
static char cell_cpu[MAX_CELLS][96];

static int cell_index(const char *label)
{
	int i;

	for (i = 0; i < ncells; i++)
		if (!strcmp(cells[i], label))
			return i;
	if (ncells == MAX_CELLS)
		return -1;
	snprintf(cells[ncells], sizeof(cells[0]), "%s", label);
	return ncells++;
}

/* A non-lab run's DEBUG_PAGEALLOC state: none (not built), off or on. */
static const char *dpa_state(json_object *meta)
{
	const char *built = results_jstr(meta, "system.debug_pagealloc.built");
	const char *boot = results_jstr(meta, "system.debug_pagealloc.boot");
	const char *def = results_jstr(meta, "system.debug_pagealloc.enable_default");

	if (built && !strcmp(built, "n"))
		return "none";
	if (boot && strcmp(boot, "absent"))
		return boot;
	if (def)
		return !strcmp(def, "y") ? "on" : "off";
	return "?";
}

/*
 * The cell a run belongs to, from its metadata: "<variant>-<dpa>" for lab
 * runs, "<machine>/<release>/<dpa state>" otherwise.
 */
void compare_cell_label(json_object *meta, char *buf, size_t len)
{
	const char *v = results_jstr(meta, "lab.cell.variant");
	const char *d = results_jstr(meta, "lab.cell.dpa");
	const char *rel;

	if (v && d) {
		snprintf(buf, len, "%s-%s", v, d);
		return;
	}
	rel = results_jstr(meta, "system.release");
	snprintf(buf, len, "%s/%s/%s", results_jstr(meta, "system.nodename") ?
		 results_jstr(meta, "system.nodename") : "?", rel ? rel : "?",
		 dpa_state(meta));
}

int compare_cell_key(json_object *meta, char *buf, size_t len)
{
	const char *v = results_jstr(meta, "lab.cell.variant");
	const char *d = results_jstr(meta, "lab.cell.dpa");
	const char *rel = results_jstr(meta, "system.release"), *at, *end;
	size_t n;

	if (v && d) {
		snprintf(buf, len, "%s-%s", v, d);
		return 0;
	}
	buf[0] = '\0';
	at = rel ? strstr(rel, "-lmb-") : NULL;
	if (!at)
		return -1;
	at += 5;
	/* -lmb-VARIANT-CONFIG: the config is the last "-nodpa" or "-dpa" */
	for (end = NULL, v = at; (v = strstr(v, "-")); v++)
		if ((!strncmp(v, "-nodpa", 6) && strchr("-+_.", v[6])) ||
		    (!strncmp(v, "-dpa", 4) && strchr("-+_.", v[4])))
			end = v;
	d = dpa_state(meta);
	if (!end || end == at || !strcmp(d, "?"))
		return -1;
	/* a kernel built without it is "none", whatever the command line */
	if (!strncmp(end, "-nodpa", 6))
		d = "none";
	n = end - at;
	if (n + strlen(d) + 2 > len)
		return -1;
	snprintf(buf, len, "%.*s-%s", (int)n, at, d);
	return 0;
}

int compare_meta_digest(const char *rundir, char *hex, size_t len)
{
	char path[1100], buf[8192], out[SHA256_DIGEST_STRING_LENGTH];
	FILE *f;
	SHA2_CTX ctx;
	size_t n;

	snprintf(path, sizeof(path), "%s/meta.json", rundir);
	f = fopen(path, "rb");
	if (!f)
		return -1;
	SHA256Init(&ctx);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		SHA256Update(&ctx, (const unsigned char *)buf, n);
	n = ferror(f);
	fclose(f);
	if (n)
		return -1;
	SHA256End(&ctx, out);
	snprintf(hex, len, "%s", out);
	return 0;
}

static struct group *group_get(const char *spec, int cell)
{
	int i;

	for (i = 0; i < ngroups; i++)
		if (groups[i].cell == cell && !strcmp(groups[i].spec, spec))
			return &groups[i];
	if (ngroups == MAX_GROUPS)
		return NULL;
	memset(&groups[ngroups], 0, sizeof(groups[0]));
	snprintf(groups[ngroups].spec, sizeof(groups[0].spec), "%s", spec);
	groups[ngroups].cell = cell;
	return &groups[ngroups++];
}

/* The last run's median and p99, by selection over its samples. */
static void run_summary(struct group *g)
{
	double *v = g->v + g->run_start;
	size_t n = g->n - g->run_start;
	int r = g->runs - 1;

	g->rmed[r] = stats_select_percentile(v, n, 50);
	g->rp99[r] = stats_select_percentile(v, n, 99);
}

static int group_add(struct group *g, const uint64_t *col, size_t n,
		     const char *run, const char *boot)
{
	size_t i;
	int b;

	if (!n)
		return 0;
	if (g->last_run != run && g->runs == g->rcap) {
		int cap = g->rcap ? 2 * g->rcap : 16;
		double *m = realloc(g->rmed, cap * sizeof(*m)), *q;

		if (!m)
			return -1;
		g->rmed = m;
		q = realloc(g->rp99, cap * sizeof(*q));
		if (!q)
			return -1;
		g->rp99 = q;
		g->rcap = cap;
	}
	if (g->n + n > g->cap) {
		size_t cap = (g->n + n) * 2;
		double *v = realloc(g->v, cap * sizeof(*v));

		if (!v)
			return -1;
		g->v = v;
		g->cap = cap;
	}
	if (g->last_run != run)
		g->run_start = g->n;
	for (i = 0; i < n; i++)
		g->v[g->n++] = (double)col[i];
	if (g->last_run != run) {
		g->runs++;
		g->last_run = run;
		/* a run without a boot id is a boot of its own (lab cells) */
		for (b = 0; boot && b < g->nboots; b++)
			if (!strcmp(g->boots[b], boot))
				break;
		if ((!boot || b == g->nboots) && g->nboots < MAX_BOOTS)
			snprintf(g->boots[g->nboots++], sizeof(g->boots[0]),
				 "%s", boot ? boot : run);
	}
	/* (again, when one run holds the case twice: over both) */
	run_summary(g);
	return 0;
}

static struct ctr *ctr_get(struct group *g, const char *label)
{
	int i;

	for (i = 0; i < g->nctr; i++)
		if (!strcmp(g->ctr[i].label, label))
			return &g->ctr[i];
	if (g->nctr == MAX_CTRS)
		return NULL;
	if (!g->ctr) {
		g->ctr = calloc(MAX_CTRS, sizeof(*g->ctr));
		if (!g->ctr)
			return NULL;
	}
	snprintf(g->ctr[g->nctr].label, sizeof(g->ctr[0].label), "%s", label);
	return &g->ctr[g->nctr++];
}

static void ctr_add(struct group *g, const char *label, double v,
		    const char *why)
{
	struct ctr *c = ctr_get(g, label);

	if (!c)
		return;
	if (why)
		snprintf(c->why, sizeof(c->why), "%s", why);
	else if (c->n < MAX_RUNS)
		c->v[c->n++] = v;
}

/* Is @name a class of lab_per_op() (and not also an instruction: isb)? */
static int lab_is_class(const char *name)
{
	int i;

	for (i = 0; lab_classes[i]; i++)
		if (!strcmp(lab_classes[i], name))
			return strcmp(name, "isb") != 0;
	return 0;
}

/* Every kernel instruction kind of a lab case, per op, into g->kind. */
static void collect_kinds(struct group *g, json_object *c)
{
	json_object *kinds = lab_kind_list(c, "measure", 1, 0);
	size_t j;
	double v;
	int k;

	if (!kinds)
		return;
	for (j = 0; j < json_object_array_length(kinds); j++) {
		const char *name = json_object_get_string(
			json_object_array_get_idx(kinds, j));

		if (!name || lab_is_class(name) ||
		    lab_per_op(c, "measure", 1, 0, name, &v))
			continue;
		for (k = 0; k < g->nkind && strcmp(g->kind[k].name, name); k++)
			;
		if (k == g->nkind) {
			if (g->nkind == MAX_KINDS || strlen(name) >= sizeof(g->kind[0].name))
				continue;
			snprintf(g->kind[k].name, sizeof(g->kind[k].name), "%s", name);
			g->kind[k].sum = 0;
			g->nkind++;
		}
		g->kind[k].sum += v;
	}
	g->kruns++;
	json_object_put(kinds);
}

/*
 * The case's counters, per op in the measured phase: the collector's (an
 * unavailable one keeps its reason) and, for lab runs, the plugin's kernel
 * lab_report_kinds (dsb, dsb ishst, isb, tlbi) on the storm's vCPU, read
 * through lab_per_op() (it knows both layouts of the case's "lab" object).
 */
static void collect_counters(struct group *g, json_object *c)
{
	json_object *arr = json_object_object_get(c, "counters"), *e, *m, *pp;
	char label[48];
	double v;
	size_t i;

	for (i = 0; arr && json_object_is_type(arr, json_type_array) &&
		    i < json_object_array_length(arr); i++) {
		const char *l, *st;

		e = json_object_array_get_idx(arr, i);
		l = results_jstr(e, "label");
		st = results_jstr(e, "status");
		if (!l)
			continue;
		if (!st || strcmp(st, "ok")) {
			const char *why = results_jstr(e, "reason");

			ctr_add(g, l, 0, why ? why : (st ? st : "unavailable"));
			continue;
		}
		m = json_object_object_get(json_object_object_get(e, "phases"), "measure");
		pp = m ? json_object_object_get(m, "per_op") : NULL;
		if (pp)
			ctr_add(g, l, json_object_get_double(pp), NULL);
	}
	collect_kinds(g, c);
	/* no lab counts for the measured phase: none of the kinds */
	for (i = 0; lab_report_kinds[i]; i++) {
		if (lab_per_op(c, "measure", 1, 0, lab_report_kinds[i], &v))
			return;
		snprintf(label, sizeof(label), "lab:kernel %s", lab_report_kinds[i]);
		ctr_add(g, label, v, NULL);
	}
}

/* Read one run directory into the groups. */
/* Cell @ci's environment line, from the first of its runs read. */
static void cell_env_set(int ci, json_object *meta)
{
	const char *model = results_jstr(meta, "system.cpu.model");
	const char *midr = results_jstr(meta, "system.cpu.midr");
	const char *kb = results_jstr(meta, "lab.cell.variant");
	const char *cu = results_jstr(meta, "calibration.result");
	const char *ck = results_jstr(meta, "calibration.kernel.result");
	json_object *inj = NULL;
	char cal[160] = "";

	/* a lab cell's counts are only worth their calibrations */
	if (results_jstr(meta, "lab.plugin"))
		snprintf(cal, sizeof(cal), ", calibration: user %s, kernel %s",
			 cu ? cu : "?", ck ? ck : "n/a");
	/* a made effect says so (the first run of the cell speaks) */
	if (json_object_object_get_ex(json_object_object_get(meta, "options"),
				      "inject_ns", &inj))
		snprintf(cal + strlen(cal), sizeof(cal) - strlen(cal),
			 ", an injected wait of %lld ns per op (test only)",
			 (long long)json_object_get_int64(inj));
	snprintf(cell_env[ci], sizeof(cell_env[0]),
		 "%s %s on %s, cpu %s%s%s, %s backend%s%s%s; cmdline: %.200s",
		 results_jstr(meta, "system.sysname") ? results_jstr(meta, "system.sysname") : "?",
		 results_jstr(meta, "system.release") ? results_jstr(meta, "system.release") : "?",
		 results_jstr(meta, "system.nodename") ? results_jstr(meta, "system.nodename") : "?",
		 model ? model : "?", midr ? " midr " : "", midr ? midr : "",
		 results_jstr(meta, "backend") ? results_jstr(meta, "backend") : "?",
		 kb ? ", variant " : "", kb ? kb : "", cal,
		 results_jstr(meta, "system.cmdline") ? results_jstr(meta, "system.cmdline") : "?");
}

/*
 * Cell @ci's kernel key, machine and CPU (the CPU as `costs` names it).
 * A cell whose runs disagree on the kernel or machine has none: it is
 * put beside nothing.
 */
static void cell_kernel_set(int ci, int first, json_object *meta)
{
	const char *node = results_jstr(meta, "system.nodename");
	char key[64];

	if (compare_cell_key(meta, key, sizeof(key)))
		key[0] = '\0';
	if (!node || cell_lab[ci])
		node = "";
	if (!first) {
		if (strcmp(cell_key[ci], key) || strcmp(cell_node[ci], node))
			cell_key[ci][0] = '\0';
		return;
	}
	snprintf(cell_key[ci], sizeof(cell_key[0]), "%s", key);
	snprintf(cell_node[ci], sizeof(cell_node[0]), "%s", node);
	cost_cpu_name(meta, cell_cpu[ci], sizeof(cell_cpu[0]));
}

/*
 * The baseline of cell @ci when @b is asked for: @b itself when both are
 * lab cells or both are not; otherwise the cell of @ci's kind that ran
 * @b's kernel (for hardware, on @ci's machine), the one named as the lab
 * names that kernel first, or -1 (none, or several): emulated time is
 * never set against real time.
 */
static int base_of(int ci, int b)
{
	int k, found = -1, n = 0;

	if (cell_lab[ci] == cell_lab[b])
		return b;
	if (!cell_key[b][0])
		return -1;
	for (k = 0; k < ncells; k++) {
		if (cell_lab[k] != cell_lab[ci] || strcmp(cell_key[k], cell_key[b]) ||
		    strcmp(cell_node[k], cell_node[ci]))
			continue;
		if (!strcmp(cells[k], cell_key[b]))
			return k;
		found = k;
		n++;
	}
	return n == 1 ? found : -1;
}

/*
 * An ok case of run @r into cell @ci's group for its spec; @run (the
 * caller's string, alive till the end) tells the group's runs apart.
 */
static int load_case(struct run_reader *r, const char *run,
		     json_object *entry, json_object *c, int ci,
		     const char *metric, const char *boot, char *err,
		     size_t errlen)
{
	char path[1200];
	struct samples s;
	struct group *g;
	int k, col;

	snprintf(path, sizeof(path), "%s/%s.samples", r->dir,
		 results_jstr(entry, "file"));
	if (results_case_samples(r, entry, c, &s, err, errlen))
		return -1;
	for (col = -1, k = 0; k < s.ncols; k++)
		if (!strcmp(s.names[k], metric))
			col = k;
	if (col >= 0) {
		g = group_get(results_jstr(c, "spec"), ci);
		if (!g || group_add(g, s.col[col], s.n, run, boot)) {
			samples_free(&s);
			return errf(err, errlen, "%s: too many groups or no memory", path);
		}
		collect_counters(g, c);
	}
	samples_free(&s);
	return 0;
}

static int load_run(const char *rundir, const char *label, const char *metric,
		    char *err, size_t errlen)
{
	const char *boot, *backend;
	struct run_reader r;
	json_object *e, *c;
	char cell[64];
	int ci, rc, first;

	if (results_run_open(&r, rundir, 0, err, errlen))
		return -1;
	if (label)
		snprintf(cell, sizeof(cell), "%s", label);
	else
		compare_cell_label(r.meta, cell, sizeof(cell));
	ci = cell_index(cell);
	if (ci < 0) {
		results_run_close(&r);
		return errf(err, errlen, "%s/meta.json: too many cells", rundir);
	}
	first = !cell_env[ci][0];
	if (first)
		cell_env_set(ci, r.meta);
	backend = results_jstr(r.meta, "backend");
	if (backend && !strcmp(backend, "lab"))
		cell_lab[ci] = 1;
	cell_kernel_set(ci, first, r.meta);
	boot = results_jstr(r.meta, "system.boot_id");
	while ((rc = results_run_next(&r, &e, &c, err, errlen)) == 1) {
		if (results_case_ok(e, c))
			rc = load_case(&r, rundir, e, c, ci, metric, boot, err,
				       errlen);
		json_object_put(c);
		if (rc < 0)
			break;
	}
	results_run_close(&r);
	return rc < 0 ? -1 : 0;
}

#define SEED	0x6c6d62

/* A ratio as a signed percentage change, fewer decimals when large. */
static const char *pct_str(double ratio, char *buf, size_t len)
{
	double x = (ratio - 1) * 100;

	snprintf(buf, len, fabs(x) < 100 ? "%+.1f" : "%+.0f", x);
	return buf;
}

struct row {
	const struct group *g, *bg;
	int base;
	int lab;		/* emulated time (a lab cell or baseline): not tested */
	double med;		/* the median of the runs' medians */
	double cov;		/* CoV of the runs' medians (NAN below 2 runs) */
	double p99;		/* the median of the runs' p99 */
	int has_ratio;		/* c.ratio is set (c.tested: the test too) */
	struct run_cmp c;
};

/* The CoV (sample stddev / mean) of @n values, or NAN below 2 or at mean 0. */
static double cov_of(const double *v, int n)
{
	struct summary s;

	if (n < 2 || stats_summary_d(v, n, &s) || s.mean == 0)
		return NAN;
	return s.cov;
}

/*
 * Statistics of group @g against baseline group @b (may be NULL), from
 * the per-run figures read once (group_add()): O(runs) here, whatever
 * the number of ops.
 */
static void row_make(struct row *r, const struct group *g,
		     const struct group *b, int is_base)
{
	memset(r, 0, sizeof(*r));
	r->g = g;
	r->bg = b;
	r->base = is_base;
	r->lab = cell_lab[g->cell] || (b && cell_lab[b->cell]);
	r->med = stats_median(g->rmed, g->runs);
	r->p99 = stats_median(g->rp99, g->runs);
	r->cov = cov_of(g->rmed, g->runs);
	if (is_base || !b)
		return;
	if (r->lab) {
		/* emulated time: the change is shown, never tested */
		double mb = stats_median(b->rmed, b->runs);

		if (mb != 0) {
			r->c.ratio = r->med / mb;
			r->has_ratio = 1;
		}
		return;
	}
	r->has_ratio = !stats_compare_runs(b->rmed, b->runs, g->rmed, g->runs,
					   SEED, &r->c);
}

/*
 * The change column and the one after it: "*+12.3%*" and the CI when
 * significant, "~ (-0.4%)" and the CI when not, "(+3.1%)" untested with
 * the reason (emulated lab time, or too few runs).
 */
static void mark(const struct row *r, char *buf, size_t len, char *ci,
		 size_t cilen)
{
	double pct = (r->c.ratio - 1) * 100;
	char lo[16], hi[16];

	ci[0] = 0;
	if (r->base) {
		snprintf(buf, len, "base");
		if (r->lab)
			snprintf(ci, cilen, "emulated");
	} else if (!r->bg) {
		snprintf(buf, len, "no baseline");
	} else if (!r->has_ratio) {
		snprintf(buf, len, "no ratio");
	} else if (r->lab || !r->c.tested) {
		snprintf(buf, len, "(%+.1f%%)", pct);
		if (r->lab)
			snprintf(ci, cilen, "emulated");
		else
			snprintf(ci, cilen, "needs %d+%d runs", STATS_MIN_RUNS,
				 STATS_MIN_RUNS);
	} else {
		snprintf(buf, len, r->c.significant ? "*%+.1f%%*" : "~ (%+.1f%%)",
			 pct);
		snprintf(ci, cilen, "[%s,%s]", pct_str(r->c.lo, lo, sizeof(lo)),
			 pct_str(r->c.hi, hi, sizeof(hi)));
	}
}

static const struct ctr *ctr_find(const struct group *g, const char *label)
{
	int i;

	for (i = 0; g && i < g->nctr; i++)
		if (!strcmp(g->ctr[i].label, label))
			return &g->ctr[i];
	return NULL;
}

static void fmt_val(double v, char *buf, size_t len)
{
	if (v != 0 && (fabs(v) >= 1e6 || fabs(v) < 0.01))
		snprintf(buf, len, "%.3g", v);
	else
		snprintf(buf, len, "%.2f", v);
}

/*
 * A counter of a row against the baseline's: the values are per run
 * already, so the latency's run-level treatment applies (tested with
 * STATS_MIN_RUNS runs a side or more).  Returns 0 with @c set, or -1
 * without a ratio (no baseline value, or a zero one: *mb says).
 */
static int ctr_cmp(const struct row *r, const struct ctr *c, double *mb,
		   struct run_cmp *rc)
{
	const struct ctr *b = r->base ? NULL : ctr_find(r->bg, c->label);

	*mb = NAN;
	memset(rc, 0, sizeof(*rc));
	if (!b || !b->n || b->why[0] || !c->n || c->why[0])
		return -1;
	*mb = stats_median(b->v, b->n);
	if (*mb == 0)
		return -1;
	return stats_compare_runs(b->v, b->n, c->v, c->n, SEED, rc);
}

/*
 * A cell's counters per op (median over its runs) and their change
 * against the baseline cell.  With 4 or more runs on both sides the runs'
 * values get the latency's treatment (Mann-Whitney, bootstrap CI over
 * runs); with fewer the change is shown unmarked (one run of exact lab
 * counts, say).
 */
static void print_counters(FILE *f, const struct row *r)
{
	char val[24], chg[48], lo[16], hi[16], pc[16];
	const struct ctr *c;
	struct run_cmp rc;
	double mc, mb;
	int i;

	for (i = 0; i < r->g->nctr; i++) {
		c = &r->g->ctr[i];
		if (c->why[0] || !c->n) {
			fprintf(f, "    %-24.24s unavailable: %.40s\n", c->label,
				c->why[0] ? c->why : "no value");
			continue;
		}
		mc = stats_median(c->v, c->n);
		fmt_val(mc, val, sizeof(val));
		chg[0] = 0;
		if (!ctr_cmp(r, c, &mb, &rc)) {
			if (rc.tested)
				snprintf(chg, sizeof(chg), rc.significant ?
					 "*%s%%* [%s,%s]" : "~ (%s%%) [%s,%s]",
					 pct_str(rc.ratio, pc, sizeof(pc)),
					 pct_str(rc.lo, lo, sizeof(lo)),
					 pct_str(rc.hi, hi, sizeof(hi)));
			else
				snprintf(chg, sizeof(chg), "(%s%%)",
					 pct_str(rc.ratio, lo, sizeof(lo)));
		} else if (mb == 0) {
			snprintf(chg, sizeof(chg), mc == 0 ? "(same)" : "(from 0)");
		}
		fprintf(f, "    %-24.24s %12.12s%s%s\n", c->label, val,
			chg[0] ? " " : "", chg);
	}
}

/* @text wrapped at 78 columns, continuation lines indented by 6. */
static void print_wrapped(FILE *f, const char *pre, const char *first,
			  const char *text)
{
	int col = fprintf(f, "%s%s", pre, first);
	const char *p = text;

	while (*p) {
		const char *sp = strchr(p, ' ');
		int w = sp ? (int)(sp - p) : (int)strlen(p);

		if (col + w + 1 > 78 && col > 6) {
			fprintf(f, "\n%s     ", pre);
			col = 5 + (int)strlen(pre);
		}
		col += fprintf(f, " %.*s", w, p);
		p += w;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

/* The environment: one paragraph per cell, then the runs behind it. */
static void print_env(FILE *f, const char *pre)
{
	char head[256];
	int i, k, done[MAX_CELLS] = { 0 };

	/* cells with the same environment share one paragraph */
	fprintf(f, "%senvironment:\n", pre);
	for (i = 0; i < ncells; i++) {
		if (done[i])
			continue;
		snprintf(head, sizeof(head), "  %.60s", cells[i]);
		for (k = i + 1; k < ncells; k++) {
			if (done[k] || strcmp(cell_env[k], cell_env[i]))
				continue;
			done[k] = 1;
			if (strlen(head) < 180)
				snprintf(head + strlen(head), sizeof(head) - strlen(head),
					 ", %.60s", cells[k]);
		}
		snprintf(head + strlen(head), sizeof(head) - strlen(head), ":");
		print_wrapped(f, pre, head, cell_env[i]);
	}
}

/*
 * The A/A noise floor: @aa is the baseline's kernel in other runs.  Per
 * case, the largest change its 95% CI allows: smaller effects cannot be
 * told from noise in these data.
 */
static void print_floor(FILE *f, const char *pre, const struct row *rows,
			int n, int aa)
{
	double worst = 0, w;
	const char *where = NULL;
	int i, k = 0;

	for (i = 0; i < n; i++) {
		if (rows[i].g->cell != aa || !rows[i].c.tested)
			continue;
		w = fmax(fabs(rows[i].c.lo - 1), fabs(rows[i].c.hi - 1)) * 100;
		k++;
		if (w > worst) {
			worst = w;
			where = rows[i].g->spec;
		}
	}
	if (!k)
		fprintf(f, "%snoise floor: the A/A cell %.40s has no tested case\n"
			   "%s  (a test needs >= %d runs a side; lab times are emulated)\n",
			pre, cells[aa], pre, STATS_MIN_RUNS);
	else
		fprintf(f, "%snoise floor (A/A: %.30s against the baseline, %d cases):\n"
			   "%s  changes up to +-%.1f%% cannot be told from noise here\n"
			   "%s  (the widest A/A interval, %.50s)\n",
			pre, cells[aa], k, pre, worst, pre, where);
}

/* A row of the text table (cell, runs x boots, median, CoV, p99, change,
 * CI), without trailing blanks. */
static void text_row(FILE *f, const char *cell, const char *rb,
		     const char *med, const char *cov, const char *p99,
		     const char *mk, const char *ci)
{
	char line[256];
	size_t len;

	snprintf(line, sizeof(line), "  %-17s %5s %9s %6s %9s %-11s %s",
		 cell, rb, med, cov, p99, mk, ci);
	len = strlen(line);
	while (len && line[len - 1] == ' ')
		line[--len] = 0;
	fprintf(f, "%s\n", line);
}

static void print_text(FILE *f, struct row *rows, int n, const char *metric,
		       const char *base, int counters)
{
	char head[160], med[16], p99[16], cov[16], mk[24], ci[48], rb[16];
	const char *spec = NULL, *cell;
	int i;

	snprintf(head, sizeof(head), "per op against %.60s; the run is the replicate:",
		 base);
	print_wrapped(f, "", metric, head);
	fprintf(f, "runs x boots behind each cell; median: of the runs' medians; CoV: their\n"
		   "spread between runs; p99: the median of the runs' p99 (the tail within a\n"
		   "run); change: of the median.  *x%%* significant (Mann-Whitney on the run\n"
		   "medians p < 0.05 and the 95%% CI, runs resampled, excludes 0), ~ (x%%)\n"
		   "not; (x%%) untested: needs >= %d runs a side, or lab (emulated) time\n\n",
		   STATS_MIN_RUNS);
	text_row(f, "", "runs", "median", "CoV", "p99", "change", "95% CI");
	for (i = 0; i < n; i++) {
		struct row *r = &rows[i];

		if (!spec || strcmp(spec, r->g->spec)) {
			spec = r->g->spec;
			fprintf(f, "\n%.79s\n", spec);
		}
		format_ns(r->med, med, sizeof(med));
		format_ns(r->p99, p99, sizeof(p99));
		if (isnan(r->cov))
			snprintf(cov, sizeof(cov), "-");
		else
			snprintf(cov, sizeof(cov), "%.1f%%", r->cov * 100);
		mark(r, mk, sizeof(mk), ci, sizeof(ci));
		snprintf(rb, sizeof(rb), "%dx%d", r->g->runs, r->g->nboots);
		/* a long cell name on a line of its own, never cut */
		cell = cells[r->g->cell];
		if (strlen(cell) > 17) {
			fprintf(f, "  %.77s\n", cell);
			cell = "";
		}
		text_row(f, cell, rb, med, cov, p99, mk, ci);
		if (counters)
			print_counters(f, r);
	}
}

/*
 * The null test (--aa): per case, each cell's difference from the
 * baseline beside the A/A cell's own difference in that same case, for
 * the latency median and, in lab runs, the kernel counts per op (exact
 * per boot: their A/A difference is usually 0).  Per case, never the
 * largest difference anywhere against the largest A/A one anywhere: that
 * would hide a case whose difference exceeds its own A/A range.
 */

/* Quantities: 0 the latency median, then the lab's report kinds. */
static int nq(void)
{
	int n = 1;

	while (lab_report_kinds[n - 1])
		n++;
	return n;
}

struct nrow {
	const struct group *g;		/* the cell's group */
	int q;
	double base, aa, val;
	int has_base, has_aa, has_val;
	const char *verdict;
};

/*
 * Differences of per-op values (ratios of integers) are compared with a
 * relative slack of 1e-12, so that equal differences of counts are equal
 * whatever the rounding of the divisions; a real difference of one count
 * in a trillion ops does not occur.
 */
const char *compare_null_verdict(const double *base, const double *aa,
				 const double *val)
{
	double d, da, scale;

	if (!base && !val)
		return NULL;
	if (!base)
		return "no baseline";
	if (!val)
		return "not counted";
	if (*val == *base)
		return "same";
	if (!aa)
		return "no A/A";
	d = fabs(*val - *base);
	da = fabs(*aa - *base);
	scale = fmax(fabs(*base), fmax(fabs(*aa), fabs(*val)));
	return d <= da + 1e-12 * scale ? "within A/A" : "exceeds A/A";
}

static const struct group *group_find(const char *spec, int cell)
{
	int i;

	for (i = 0; i < ngroups; i++)
		if (groups[i].cell == cell && !strcmp(groups[i].spec, spec))
			return &groups[i];
	return NULL;
}

static void q_label(int q, const char *metric, char *buf, size_t len)
{
	if (q == 0)
		snprintf(buf, len, "%s median", metric);
	else
		snprintf(buf, len, "lab:kernel %s", lab_report_kinds[q - 1]);
}

/* Quantity @q of group @g (median over its samples or its runs): 1, or 0. */
static int q_value(const struct group *g, int q, double *v)
{
	const struct ctr *c;
	char label[48];

	if (!g)
		return 0;
	if (q == 0) {
		/* the median of the runs' medians, as in the table */
		if (!g->runs)
			return 0;
		*v = stats_median(g->rmed, g->runs);
		return 1;
	}
	q_label(q, "", label, sizeof(label));
	c = ctr_find(g, label);
	if (!c || c->why[0] || !c->n)
		return 0;
	*v = stats_median(c->v, c->n);
	return 1;
}

/* Quantity @q of group @g against baseline cell @b and A/A cell @aa. */
static void null_eval(struct nrow *nr, const struct group *g, int q, int b,
		      int aa)
{
	memset(nr, 0, sizeof(*nr));
	nr->g = g;
	nr->q = q;
	nr->has_val = q_value(g, q, &nr->val);
	nr->has_base = q_value(group_find(g->spec, b), q, &nr->base);
	nr->has_aa = q_value(group_find(g->spec, aa), q, &nr->aa);
	nr->verdict = compare_null_verdict(nr->has_base ? &nr->base : NULL,
					   nr->has_aa ? &nr->aa : NULL,
					   nr->has_val ? &nr->val : NULL);
}

/*
 * Every (case, cell, quantity) of the cells other than the baseline and
 * the A/A cell, in the order of @rows; a quantity neither the cell nor
 * the baseline has is left out.  Returns how many, or -1 (no memory).
 */
static int null_rows(const struct row *rows, int n, int b, int aa,
		     struct nrow **out)
{
	struct nrow *nr = calloc((size_t)n * nq() + 1, sizeof(*nr));
	int i, q, k = 0;

	*out = nr;
	if (!nr)
		return -1;
	for (i = 0; i < n; i++) {
		if (rows[i].g->cell == b || rows[i].g->cell == aa)
			continue;
		/* a lab cell's latency is emulated time: counts only */
		for (q = cell_lab[rows[i].g->cell] ? 1 : 0; q < nq(); q++) {
			null_eval(&nr[k], rows[i].g, q, b, aa);
			if (nr[k].verdict)
				k++;
		}
	}
	return k;
}

/*
 * A null-test row's three values (base, aa, cell; "-" when missing), with
 * 6 significant digits, or as many more as it takes to print two
 * different values differently.
 */
static void fmt_null(const struct nrow *nr, char out[3][32])
{
	double v[3] = { nr->base, nr->aa, nr->val };
	int has[3] = { nr->has_base, nr->has_aa, nr->has_val };
	int p, i, k, ok;

	for (p = 6; p <= 17; p++) {
		for (i = 0; i < 3; i++)
			snprintf(out[i], sizeof(out[i]), has[i] ? "%.*g" : "-",
				 p, v[i]);
		for (ok = 1, i = 0; i < 3; i++)
			for (k = i + 1; k < 3; k++)
				if (has[i] && has[k] && v[i] != v[k] &&
				    !strcmp(out[i], out[k]))
					ok = 0;
		if (ok)
			break;
	}
}

static int exceeds(const struct nrow *nr)
{
	return !strcmp(nr->verdict, "exceeds A/A");
}

/* "verdicts: 3 same, 2 within A/A, 1 exceeds A/A, 0 no A/A[, ...]" */
static void null_summary(FILE *f, const char *pre, const struct nrow *nr,
			 int n)
{
	static const char *const v[] = { "same", "within A/A", "exceeds A/A",
					 "no A/A", "no baseline", "not counted" };
	int i, k, c;

	fprintf(f, "%sverdicts:", pre);
	for (k = 0; k < (int)(sizeof(v) / sizeof(v[0])); k++) {
		for (c = 0, i = 0; i < n; i++)
			c += !strcmp(nr[i].verdict, v[k]);
		if (k < 4 || c)
			fprintf(f, "%s %d %s", k ? "," : "", c, v[k]);
	}
	fputc('\n', f);
}

/*
 * The final list: the cases whose difference exceeds their A/A range,
 * with the values.  @fmt: 0 text, 1 csv ("# " lines), 2 markdown.
 */
static void null_list(FILE *f, const struct nrow *nr, int n,
		      const char *metric, int fmt)
{
	const char *pre = fmt == 1 ? "# " : "", *spec = NULL;
	char val[3][32], q[48];
	int i, c = 0, ncase = 0;

	for (i = 0; i < n; i++) {
		if (!exceeds(&nr[i]))
			continue;
		if (!spec || strcmp(spec, nr[i].g->spec))
			ncase++;
		spec = nr[i].g->spec;
		c++;
	}
	spec = NULL;
	null_summary(f, fmt == 2 ? "\n" : pre, nr, n);
	if (fmt == 2)
		fputc('\n', f);
	fprintf(f, "%scases whose difference exceeds their A/A range: ", pre);
	if (!c) {
		fprintf(f, "none\n");
		return;
	}
	fprintf(f, "%d (%d difference%s)\n", ncase, c, c > 1 ? "s" : "");
	if (fmt == 2)
		fputc('\n', f);
	for (i = 0; i < n; i++) {
		if (!exceeds(&nr[i]))
			continue;
		fmt_null(&nr[i], val);
		q_label(nr[i].q, metric, q, sizeof(q));
		if (fmt == 2) {
			fprintf(f, "- `%s`, %s, %s: base %s, aa %s, cell %s\n",
				nr[i].g->spec, cells[nr[i].g->cell], q,
				val[0], val[1], val[2]);
			continue;
		}
		if (!spec || strcmp(spec, nr[i].g->spec)) {
			spec = nr[i].g->spec;
			fprintf(f, "%s  %.77s\n", pre, spec);
		}
		fprintf(f, "%s    %.40s %s: base %s, aa %s, cell %s\n", pre,
			cells[nr[i].g->cell], q, val[0], val[1], val[2]);
	}
}

/* The null test as text: per case and cell, each quantity; then the list. */
static void print_null_text(FILE *f, const struct nrow *nr, int n,
			    const char *metric, int b, int aa)
{
	char head[320], val[3][32], q[48];
	const char *spec = NULL;
	const struct group *g = NULL;
	int i;

	snprintf(head, sizeof(head),
		 "per case, each cell's difference from the baseline %.60s beside the A/A difference of that same case (%.60s against %.60s):",
		 cells[b], cells[aa], cells[b]);
	print_wrapped(f, "", "null test:", head);
	fprintf(f, "same: identical to the baseline; within A/A: |cell - base| <= |aa - base|;\n"
		   "exceeds A/A: larger (listed below); no A/A: the A/A cell lacks it.\n"
		   "Lab counts are exact (a lab cell's times are emulated: counts only);\n"
		   "a latency median's A/A difference is one noisy draw\n");
	if (!n) {
		fprintf(f, "\nno cell to test besides the baseline and the A/A cell\n");
		return;
	}
	fprintf(f, "\n    %-20s %11s %11s %11s  %s\n", "", "base", "aa", "cell",
		"verdict");
	for (i = 0; i < n; i++) {
		if (!spec || strcmp(spec, nr[i].g->spec)) {
			spec = nr[i].g->spec;
			fprintf(f, "\n%.79s\n", spec);
		}
		if (g != nr[i].g) {
			g = nr[i].g;
			fprintf(f, "  %.77s\n", cells[g->cell]);
		}
		fmt_null(&nr[i], val);
		q_label(nr[i].q, metric, q, sizeof(q));
		fprintf(f, "    %-20.20s %11s %11s %11s  %s\n", q, val[0], val[1],
			val[2], nr[i].verdict);
	}
	fputc('\n', f);
	null_list(f, nr, n, metric, 0);
}

/* --null-test --format csv|md: the null test alone, one row per quantity. */
static void print_null_csv(FILE *f, const struct nrow *nr, int n,
			   const char *metric, int md)
{
	char val[3][32], q[48];
	int i;

	fputs(md ? "| case | cell | quantity | base | aa | value | verdict |\n"
		   "|---|---|---|---|---|---|---|\n" :
		   "case,cell,quantity,base,aa,value,verdict\n", f);
	for (i = 0; i < n; i++) {
		fmt_null(&nr[i], val);
		if (!md)
			for (int k = 0; k < 3; k++)
				if (!strcmp(val[k], "-"))
					val[k][0] = 0;
		q_label(nr[i].q, metric, q, sizeof(q));
		fprintf(f, md ? "| %s | %s | %s | %s | %s | %s | %s |\n" :
			"\"%s\",%s,%s,%s,%s,%s,%s\n", nr[i].g->spec,
			cells[nr[i].g->cell], q, val[0], val[1], val[2],
			nr[i].verdict);
	}
	null_list(f, nr, n, metric, md ? 2 : 1);
}

/* The "null" column of the csv and md table: a row's verdict. */
static const char *null_cell(const struct row *r, const char *label,
			     int b, int aa)
{
	struct nrow nr;
	char l[48];
	int q;

	if (r->base)
		return "base";
	if (r->g->cell == aa)
		return "aa";
	/* @label NULL: the latency row (emulated in the lab: not tested);
	 * else a counter, maybe not tested */
	q = 0;
	if (!label && cell_lab[r->g->cell])
		return "";
	if (label) {
		for (q = 1; q < nq(); q++) {
			q_label(q, "", l, sizeof(l));
			if (!strcmp(l, label))
				break;
		}
		if (q == nq())
			return "";
	}
	null_eval(&nr, r->g, q, b, aa);
	return nr.verdict ? nr.verdict : "";
}

/*
 * The comparison columns of a CSV or markdown row: ratio, ci_lo, ci_hi,
 * p, significant (yes, no, or why not tested: runs<4, emulated; base, no
 * baseline, or empty without a ratio).
 */
static void csv_cmp(FILE *f, const char *sep, int has_ratio,
		    const struct run_cmp *c, const char *why)
{
	if (!has_ratio) {
		fprintf(f, "%s%s%s%s%s%s", sep, sep, sep, sep, sep, why);
		return;
	}
	fprintf(f, "%s%.4f", sep, c->ratio);
	if (c->tested && !why[0])
		fprintf(f, "%s%.4f%s%.4f%s%.4g%s%s", sep, c->lo, sep, c->hi,
			sep, c->p, sep, c->significant ? "yes" : "no");
	else
		fprintf(f, "%s%s%s%s%s", sep, sep, sep, sep,
			why[0] ? why : "runs<4");
}

/* The CoV of the run values for CSV: 4 decimals, empty below 2 runs. */
static void csv_cov(FILE *f, const char *sep, double cov)
{
	if (isnan(cov))
		fputs(sep, f);
	else
		fprintf(f, "%s%.4f", sep, cov);
}

/*
 * One counter of a row against the baseline's, for CSV and markdown: runs
 * is the number of runs with a value, ops and run_p99 are empty.
 */
static void csv_counter(FILE *f, const struct row *r, const struct ctr *c,
			const char *sep)
{
	struct run_cmp rc;
	double mb;
	int has;

	fprintf(f, "%s%s%s%d%s%d%s", sep, c->label, sep, c->n, sep,
		r->g->nboots, sep);
	if (c->why[0] || !c->n) {
		/* never a number for a counter that was not counted */
		fprintf(f, "%sunavailable", sep);
		for (int k = 0; k < 6; k++)
			fputs(sep, f);
		/* the reason may hold commas: quoted in CSV */
		fprintf(f, strcmp(sep, ",") ? "%sunavailable: %s" :
			"%s\"unavailable: %s\"", sep,
			c->why[0] ? c->why : "no value");
		return;
	}
	fprintf(f, "%s%.6g", sep, stats_median(c->v, c->n));
	csv_cov(f, sep, cov_of(c->v, c->n));
	fputs(sep, f);
	has = !ctr_cmp(r, c, &mb, &rc);
	csv_cmp(f, sep, has, &rc, r->base ? "base" : "");
}

/*
 * CSV and markdown carry what the text table does: the environment (as
 * "# " lines, or a fenced block), the noise floor, and one row per case,
 * cell and metric (the latency metric, then with --counters each counter).
 * run_median: the median of the runs' medians; run_cov: the CoV of the
 * runs' medians; run_p99: the median of the runs' p99; ops: all ops.
 */
static void print_csv(FILE *f, struct row *rows, int n, int md,
		      const char *metric, int counters, int b, int aa)
{
	const char *h[] = { "case", "cell", "metric", "runs", "boots", "ops",
			    "run_median", "run_cov", "run_p99", "ratio",
			    "ci_lo", "ci_hi", "p", "significant" };
	int i, k, nh = sizeof(h) / sizeof(h[0]);
	const char *sep = md ? " | " : ",";

	fputs(md ? "| " : "", f);
	for (k = 0; k < nh; k++)
		fprintf(f, "%s%s", k ? sep : "", h[k]);
	/* with --aa: each row's null-test verdict (none without: unchanged) */
	if (aa >= 0)
		fprintf(f, "%snull", sep);
	fputs(md ? " |\n" : "\n", f);
	if (md) {
		for (k = 0; k < nh + (aa >= 0); k++)
			fputs("|---", f);
		fputs("|\n", f);
	}
	for (i = 0; i < n; i++) {
		struct row *r = &rows[i];
		const char *why = r->base ? "base" : !r->bg ? "no baseline" :
				  r->lab ? "emulated" : "";

		fprintf(f, md ? "| %s | %s" : "\"%s\",%s", r->g->spec,
			cells[r->g->cell]);
		fprintf(f, "%s%s%s%d%s%d%s%zu%s%.1f", sep, metric, sep,
			r->g->runs, sep, r->g->nboots, sep, r->g->n, sep,
			r->med);
		csv_cov(f, sep, r->cov);
		fprintf(f, "%s%.1f", sep, r->p99);
		csv_cmp(f, sep, r->has_ratio, &r->c, why);
		if (aa >= 0)
			fprintf(f, "%s%s", sep, null_cell(r, NULL, b, aa));
		fputs(md ? " |\n" : "\n", f);
		for (k = 0; counters && k < r->g->nctr; k++) {
			fprintf(f, md ? "| %s | %s" : "\"%s\",%s", r->g->spec,
				cells[r->g->cell]);
			csv_counter(f, r, &r->g->ctr[k], sep);
			if (aa >= 0)
				fprintf(f, "%s%s", sep,
					null_cell(r, r->g->ctr[k].label, b, aa));
			fputs(md ? " |\n" : "\n", f);
		}
	}
}

/*
 * --plot-data DIR: what scripts/plot draws.  DIR/index.tsv: one line per
 * group (file, case, cell, 1 if baseline); DIR/gN.dat: the group's samples
 * sorted, with their cumulative fraction (a CDF); DIR/counters.tsv: case,
 * cell, counter, median per op (available counters only).
 */
static int write_plot_data(const char *dir, struct row *rows, int n,
			   char *err, size_t errlen)
{
	char path[1024];
	FILE *idx, *ctr, *d;
	double *v;
	int i, k;
	size_t j;

	if (mkdir(dir, 0755) && errno != EEXIST)
		return errf(err, errlen, "%s: %s", dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/index.tsv", dir);
	idx = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/counters.tsv", dir);
	ctr = fopen(path, "w");
	if (!idx || !ctr) {
		if (idx)
			fclose(idx);
		if (ctr)
			fclose(ctr);
		return errf(err, errlen, "%s: %s", path, strerror(errno));
	}
	for (i = 0; i < n; i++) {
		const struct group *g = rows[i].g;

		snprintf(path, sizeof(path), "%s/g%d.dat", dir, i);
		d = fopen(path, "w");
		v = malloc(g->n * sizeof(*v));
		if (!d || !v) {
			if (d)
				fclose(d);
			free(v);
			fclose(idx);
			fclose(ctr);
			return errf(err, errlen, "%s: cannot write", path);
		}
		memcpy(v, g->v, g->n * sizeof(*v));
		stats_sort(v, g->n);
		for (j = 0; j < g->n; j++)
			fprintf(d, "%.0f %.6f\n", v[j], (double)(j + 1) / (double)g->n);
		fclose(d);
		free(v);
		fprintf(idx, "g%d.dat\t%s\t%s\t%d\n", i, g->spec, cells[g->cell],
			rows[i].base);
		for (k = 0; k < g->nctr; k++)
			if (!g->ctr[k].why[0] && g->ctr[k].n)
				fprintf(ctr, "%s\t%s\t%s\t%.6g\n", g->spec,
					cells[g->cell], g->ctr[k].label,
					stats_median(g->ctr[k].v, g->ctr[k].n));
	}
	fclose(idx);
	fclose(ctr);
	return 0;
}

static int cmp_rows(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	int c = strcmp(a->g->spec, b->g->spec);

	if (c)
		return c;
	if (a->base != b->base)
		return b->base - a->base;
	return strcmp(cells[a->g->cell], cells[b->g->cell]);
}

#define COMPARE_USAGE "compare [--baseline CELL] [--aa CELL [--null-test]] [--metric op_ns|prep_ns|kernel_ns] [--counters] [--format text|csv|md] [--plot-data DIR] [--predict COSTFILE] [LABEL=]RUNDIR..."
#define MAX_ARGS	1024

/* What compare was asked: its options and runs. */
struct compare_args {
	const char *metric, *base, *format, *aa_name, *plot_dir, *predict;
	const char *runs[MAX_ARGS];
	int nruns, counters, null_only;
};

static int compare_parse(int argc, char **argv, struct compare_args *a,
			 char *err, size_t errlen)
{
	const struct arg_opt opts[] = {
		{ "--baseline", &a->base, NULL },
		{ "--aa", &a->aa_name, NULL },
		{ "--plot-data", &a->plot_dir, NULL },
		{ "--predict", &a->predict, NULL },
		{ "--metric", &a->metric, NULL },
		{ "--format", &a->format, NULL },
		{ "--counters", NULL, &a->counters },
		{ "--null-test", NULL, &a->null_only },
		{ NULL, NULL, NULL }
	};

	memset(a, 0, sizeof(*a));
	a->metric = "op_ns";
	a->format = "text";
	if (args_parse(argc, argv, opts, a->runs, MAX_ARGS, &a->nruns,
		       "usage: " COMPARE_USAGE, err, errlen))
		return -1;
	if (strcmp(a->format, "text") && strcmp(a->format, "csv") &&
	    strcmp(a->format, "md"))
		return errf(err, errlen, "unknown format '%s' (text, csv, md)",
			    a->format);
	if (!a->nruns)
		return errf(err, errlen, "usage: " COMPARE_USAGE);
	if (a->null_only && !a->aa_name)
		return errf(err, errlen, "--null-test needs --aa CELL (the baseline's kernel in other runs or boots)");
	if (a->null_only && a->predict)
		return errf(err, errlen, "--predict goes with the full report, not --null-test");
	return 0;
}

/* The run of @arg, LABEL=RUNDIR or RUNDIR (a label has no '/'). */
static const char *arg_dir(const char *arg, char *label, size_t len)
{
	const char *eq = strchr(arg, '=');

	label[0] = '\0';
	if (!eq || memchr(arg, '/', eq - arg))
		return arg;
	snprintf(label, len, "%.*s", (int)(eq - arg), arg);
	return eq + 1;
}

/*
 * One run given twice would count twice: refused, on one side or both.
 * A run is its directory (real path), and a copy of it is the same run:
 * the same meta.json (its run_id, "started" and the rest; the whole file,
 * since two runs started in the same second on one host, in two --out
 * directories, share run_id and "started").
 */
static int compare_once(const struct compare_args *a, char *err,
			size_t errlen)
{
	static char dig[MAX_ARGS][COMPARE_DIGEST_LEN];
	static char *real[MAX_ARGS];
	char label[64];
	int i, k, rc = 0;

	for (i = 0; i < a->nruns; i++) {
		const char *dir = arg_dir(a->runs[i], label, sizeof(label));

		/* unreadable: load_run() says why */
		real[i] = realpath(dir, NULL);
		if (compare_meta_digest(dir, dig[i], sizeof(dig[i])))
			dig[i][0] = '\0';
	}
	for (i = 1; i < a->nruns && !rc; i++)
		for (k = 0; k < i && !rc; k++) {
			int dir = real[i] && real[k] &&
				  !strcmp(real[i], real[k]);

			if (dir || (dig[i][0] && !strcmp(dig[i], dig[k])))
				rc = errf(err, errlen, "'%.300s' and '%.300s': one run given twice (%s)",
					  a->runs[k], a->runs[i], dir ?
					  "the same directory" :
					  "copies: the same meta.json");
		}
	for (i = 0; i < a->nruns; i++)
		free(real[i]);
	return rc;
}

/* Every run, as LABEL=RUNDIR or RUNDIR. */
static int compare_load(const struct compare_args *a, char *err,
			size_t errlen)
{
	char label[64];
	const char *dir;
	int i;

	if (compare_once(a, err, errlen))
		return -1;
	for (i = 0; i < a->nruns; i++) {
		dir = arg_dir(a->runs[i], label, sizeof(label));
		if (load_run(dir, label[0] ? label : NULL, a->metric, err, errlen))
			return -1;
	}
	if (!ngroups)
		return errf(err, errlen, "no case in these runs has a '%s' column",
			    a->metric);
	return 0;
}

/* Cell @name's index, or -1. */
static int compare_cell(const char *name)
{
	int k;

	for (k = 0; k < ncells; k++)
		if (!strcmp(cells[k], name))
			return k;
	return -1;
}

/* The baseline cell's index; -1 with err listing the cells. */
static int compare_base(const char *base, char *err, size_t errlen)
{
	char known[512] = "";
	int k, b = compare_cell(base);

	if (b >= 0)
		return b;
	for (k = 0; k < ncells; k++)
		snprintf(known + strlen(known), sizeof(known) - strlen(known),
			 "%s%.60s", k ? ", " : "", cells[k]);
	errf(err, errlen, "unknown baseline cell '%.60s' (cells: %.400s)", base,
	     known);
	return -1;
}

/*
 * When lab and hardware cells are compared together: which baseline each
 * kind has (base_of()), and the cells left without one.
 */
static void print_bases(FILE *f, const char *pre, int b)
{
	int k, bb;

	for (k = 0; k < ncells; k++) {
		bb = base_of(k, b);
		if (bb == k && k != b)
			fprintf(f, "%s%s cells against %s, the baseline's kernel%s%s%s:\n"
				   "%s  emulated time is never set against real time\n",
				pre, cell_lab[k] ? "lab" : "hardware", cells[k],
				strcmp(cells[k], cell_key[b]) ? " (" : "",
				strcmp(cells[k], cell_key[b]) ? cell_key[b] : "",
				strcmp(cells[k], cell_key[b]) ? ")" : "", pre);
		else if (bb < 0)
			fprintf(f, "%s%s: no single %s cell ran the baseline's kernel%s%s, so no change is shown\n",
				pre, cells[k], cell_lab[k] ? "lab" : "hardware",
				cell_key[b][0] ? " " : "", cell_key[b]);
	}
}

/* The report in a->format: text, or csv/md; the null test with --aa. */
static void compare_print(const struct compare_args *a, struct row *rows,
			  struct nrow *nr, int nnr, int b, int aa)
{
	int md = !strcmp(a->format, "md");

	if (a->null_only && !strcmp(a->format, "text")) {
		print_null_text(stdout, nr, nnr, a->metric, b, aa);
	} else if (a->null_only) {
		print_null_csv(stdout, nr, nnr, a->metric, md);
	} else if (!strcmp(a->format, "text")) {
		print_env(stdout, "");
		print_bases(stdout, "", b);
		if (aa >= 0)
			print_floor(stdout, "", rows, ngroups, aa);
		print_text(stdout, rows, ngroups, a->metric, a->base,
			   a->counters);
		if (aa >= 0) {
			fputc('\n', stdout);
			print_null_text(stdout, nr, nnr, a->metric, b, aa);
		}
	} else {
		if (md)
			fputs("```\n", stdout);
		print_env(stdout, md ? "" : "# ");
		print_bases(stdout, md ? "" : "# ", b);
		if (aa >= 0)
			print_floor(stdout, md ? "" : "# ", rows, ngroups, aa);
		fprintf(stdout, "%sbaseline: %s\n", md ? "" : "# ", a->base);
		if (md)
			fputs("```\n\n", stdout);
		print_csv(stdout, rows, ngroups, md, a->metric, a->counters, b,
			  aa);
		if (aa >= 0)
			null_list(stdout, nr, nnr, a->metric, md ? 2 : 1);
	}
}

/*
 * --predict: per case and lab cell, the kernel count differences per op
 * against the baseline cell's, times the cost file's per-kind costs.
 * Model kinds without a cost and counted kinds outside the model are
 * named, never guessed.
 */
static double kind_mean(const struct group *g, const char *name)
{
	int k;

	for (k = 0; k < g->nkind; k++)
		if (!strcmp(g->kind[k].name, name))
			return g->kind[k].sum / g->kruns;
	return 0;
}

static int kind_has(const struct group *g, const char *name)
{
	int k;

	for (k = 0; k < g->nkind; k++)
		if (!strcmp(g->kind[k].name, name))
			return 1;
	return 0;
}

/* "+16 dsb ishst, +16 isb" (model kinds) and the kinds left out. */
static void predict_notes(const struct group *g, const struct group *bg,
			  const double *delta, unsigned missing, char *used,
			  char *left, size_t len)
{
	const struct group *both[2] = { g, bg };
	int k, w;

	used[0] = left[0] = '\0';
	for (k = 0; k < COST_KINDS; k++) {
		char *dst = (missing & (1u << k)) ? left : used;

		if (delta[k] == 0)
			continue;
		snprintf(dst + strlen(dst), len - strlen(dst), "%s%+.4g %s%s",
			 dst[0] ? ", " : "", delta[k], cost_kind_names[k],
			 (missing & (1u << k)) ? " (no cost)" : "");
	}
	for (w = 0; w < 2; w++)
		for (k = 0; k < both[w]->nkind; k++) {
			const char *name = both[w]->kind[k].name;
			double d;

			if (cost_kind_find(name) >= 0 ||
			    (w == 1 && kind_has(g, name)))
				continue;	/* modelled, or seen in g */
			d = kind_mean(g, name) - kind_mean(bg, name);
			if (fabs(d) < 1e-9)
				continue;
			snprintf(left + strlen(left), len - strlen(left),
				 "%s%+.4g %s (not modelled)", left[0] ? ", " : "",
				 d, name);
		}
}

/*
 * Measured beside predicted: hardware cell @h's median per op against its
 * baseline's (base_of(): the baseline's kernel on @h's machine) in case
 * @spec.  The interval is the bootstrap 95% CI of the ratio of medians
 * (stats_compare_runs(), runs resampled) times the baseline's median,
 * with STATS_MIN_RUNS runs a side or more.  -1 when the case or its
 * baseline did not run there.
 */
struct measured {
	int hb;			/* the hardware baseline cell */
	double d, lo, hi;	/* ns per op; lo, hi only when tested */
	int tested, runs, bruns;
};

static int measured_diff(const char *spec, int h, int b, struct measured *m)
{
	const struct group *g = group_find(spec, h), *bg;
	struct run_cmp c;
	double mb;

	memset(m, 0, sizeof(*m));
	m->hb = base_of(h, b);
	if (!g || m->hb < 0 || m->hb == h || !(bg = group_find(spec, m->hb)))
		return -1;
	mb = stats_median(bg->rmed, bg->runs);
	m->d = stats_median(g->rmed, g->runs) - mb;
	m->runs = g->runs;
	m->bruns = bg->runs;
	if (!stats_compare_runs(bg->rmed, bg->runs, g->rmed, g->runs, SEED, &c) &&
	    c.tested) {
		m->tested = 1;
		m->lo = mb * (c.lo - 1);
		m->hi = mb * (c.hi - 1);
	}
	return 0;
}

/* measured/predicted, or "-" when the prediction rounds to 0. */
static const char *mp_ratio(double d, double pred, char *buf, size_t len)
{
	if (fabs(pred) < 0.05)
		return "-";
	snprintf(buf, len, "%.2f", d / pred);
	return buf;
}

/* The lab cell that ran the baseline's kernel: @b, or base_of() it. */
static int lab_base(int b)
{
	int k;

	if (cell_lab[b])
		return b;
	for (k = 0; k < ncells; k++)
		if (cell_lab[k])
			return base_of(k, b);
	return -1;
}

/* Cell @lc's hardware counterparts beside its prediction @v. */
static void print_measured(FILE *f, const struct group *g, int lc, int b,
			   double v, const struct cost_file *cf, int csv,
			   const char *row)
{
	struct measured m;
	char d[32], lo[32], hi[32], r[32];
	int h, shown = 0;

	for (h = 0; h < ncells; h++) {
		if (cell_lab[h] || !cell_key[lc][0] ||
		    strcmp(cell_key[h], cell_key[lc]) ||
		    measured_diff(g->spec, h, b, &m))
			continue;
		shown++;
		snprintf(d, sizeof(d), "%+.1f", m.d);
		lo[0] = hi[0] = '\0';
		if (m.tested) {
			snprintf(lo, sizeof(lo), "%+.1f", m.lo);
			snprintf(hi, sizeof(hi), "%+.1f", m.hi);
		}
		if (csv) {
			fprintf(f, "%s,\"%s\",%s,%s,%s,%s\n", row, cells[h], d,
				lo, hi, mp_ratio(m.d, v, r, sizeof(r)));
			continue;
		}
		fprintf(f, "    measured on %s:\n", cells[h]);
		if (m.tested)
			fprintf(f, "      %s ns [%s .. %s] (%d runs against %d)",
				d, lo, hi, m.runs, m.bruns);
		else
			fprintf(f, "      %s ns (%d runs against %d: no interval below %d a side)",
				d, m.runs, m.bruns, STATS_MIN_RUNS);
		fprintf(f, ", measured/predicted %s\n", mp_ratio(m.d, v, r, sizeof(r)));
		if (strcmp(cell_cpu[h], cf->cpu))
			fprintf(f, "      (a CPU other than the costs': %s)\n",
				cell_cpu[h]);
	}
	if (csv && !shown)
		fprintf(f, "%s,,,,,\n", row);
}

static void print_predict(FILE *f, const struct row *rows, int n, int b,
			  const struct cost_file *cf, const char *path,
			  const char *format)
{
	int csv = !strcmp(format, "csv"), md = !strcmp(format, "md"), i, k;
	int shown = 0, hw = 0, lb = lab_base(b);
	const char *spec = NULL;
	char used[512], left[512], p[32], lo[32], hi[32], row[1400];

	for (k = 0; k < ncells; k++)
		hw += !cell_lab[k];
	fputc('\n', f);
	if (csv)
		fputs("predict_case,cell,predicted_ns,lo_ns,hi_ns,counts,left_out,label,cpu,"
		      "measured_cell,measured_ns,measured_lo_ns,measured_hi_ns,measured_over_predicted\n", f);
	else
		fprintf(f, "%spredicted from counts x %s costs\n"
			"(%s cost file %s, kernel %s)\n"
			"the time difference per op against %s that the lab's kernel\n"
			"count differences give at those costs: a prediction, not a measurement\n",
			md ? "```\n" : "", cf->cpu, cf->label, path, cf->kernel,
			lb >= 0 ? cells[lb] : cells[b]);
	if (hw && !csv)
		fprintf(f, "measured: a hardware cell of the same kernel against the baseline's\n"
			   "kernel on its machine, the difference of the runs' medians\n");
	for (i = 0; lb >= 0 && i < n; i++) {
		const struct group *g = rows[i].g, *bg;
		double delta[COST_KINDS], v, plo, phi;
		unsigned missing;

		if (!cell_lab[g->cell] || g->cell == lb || !g->kruns)
			continue;
		bg = group_find(g->spec, lb);
		if (!bg || !bg->kruns)
			continue;
		for (k = 0; k < COST_KINDS; k++)
			delta[k] = kind_mean(g, cost_kind_names[k]) -
				   kind_mean(bg, cost_kind_names[k]);
		v = cost_predict(delta, cf->ns, &missing);
		cost_predict_interval(delta, cf->lo, cf->hi, &plo, &phi);
		predict_notes(g, bg, delta, missing, used, left, sizeof(left));
		snprintf(p, sizeof(p), "%+.1f", v);
		snprintf(lo, sizeof(lo), "%+.1f", plo);
		snprintf(hi, sizeof(hi), "%+.1f", phi);
		shown++;
		if (csv) {
			snprintf(row, sizeof(row), "\"%s\",\"%s\",%s,%s,%s,\"%s\",\"%s\",%s,\"%s\"",
				 g->spec, cells[g->cell], p, lo, hi, used, left,
				 cf->label, cf->cpu);
			print_measured(f, g, g->cell, b, v, cf, 1, row);
			continue;
		}
		if (!spec || strcmp(spec, g->spec)) {
			spec = g->spec;
			fprintf(f, "\n%.79s\n", spec);
		}
		fprintf(f, "  %-24s %10s ns  [%s .. %s]\n", cells[g->cell], p, lo, hi);
		if (used[0])
			fprintf(f, "    counts per op: %s\n", used);
		if (left[0])
			fprintf(f, "    left out: %s\n", left);
		print_measured(f, g, g->cell, b, v, cf, 0, NULL);
	}
	if (!shown && !csv)
		fprintf(f, "\n(no lab cell with kernel counts beside a lab baseline of %s with them)\n",
			cell_key[b][0] ? cell_key[b] : cells[b]);
	if (md)
		fputs("```\n", f);
}

/* One row per group, against the baseline cell @b's group of its case. */
static struct row *compare_rows(int b)
{
	struct row *rows = calloc(ngroups, sizeof(*rows));
	int i, k;

	for (i = 0; rows && i < ngroups; i++) {
		int bb = base_of(groups[i].cell, b);
		const struct group *bg = NULL;

		for (k = 0; bb >= 0 && k < ngroups; k++)
			if (groups[k].cell == bb && !strcmp(groups[k].spec, groups[i].spec))
				bg = &groups[k];
		row_make(&rows[i], &groups[i], bg, groups[i].cell == bb);
	}
	if (rows)
		qsort(rows, ngroups, sizeof(*rows), cmp_rows);
	return rows;
}

static void groups_free(void)
{
	int i;

	for (i = 0; i < ngroups; i++) {
		free(groups[i].v);
		free(groups[i].rmed);
		free(groups[i].rp99);
		free(groups[i].ctr);
	}
	ngroups = ncells = 0;
}

int compare_main(int argc, char **argv, char *err, size_t errlen)
{
	static struct compare_args a;
	static struct cost_file cf;
	struct nrow *nr = NULL;
	struct row *rows = NULL;
	int b, aa = -1, nnr = 0, rc = -1;

	ngroups = ncells = 0;
	memset(cell_lab, 0, sizeof(cell_lab));
	memset(cell_env, 0, sizeof(cell_env));
	if (compare_parse(argc, argv, &a, err, errlen) ||
	    (a.predict && cost_file_read(a.predict, &cf, err, errlen)) ||
	    compare_load(&a, err, errlen))
		goto out;
	if (!a.base)
		a.base = cells[0];
	b = compare_base(a.base, err, errlen);
	if (b < 0)
		goto out;
	if (a.aa_name) {
		aa = compare_cell(a.aa_name);
		if (aa < 0 || aa == b) {
			errf(err, errlen, "--aa %.60s: %s", a.aa_name, aa < 0 ?
			     "no such cell" : "is the baseline itself");
			goto out;
		}
	}
	rows = compare_rows(b);
	if (!rows || (aa >= 0 && (nnr = null_rows(rows, ngroups, b, aa, &nr)) < 0)) {
		errf(err, errlen, "no memory");
		goto out;
	}
	if (a.plot_dir && write_plot_data(a.plot_dir, rows, ngroups, err, errlen))
		goto out;
	compare_print(&a, rows, nr, nnr, b, aa);
	if (a.predict)
		print_predict(stdout, rows, ngroups, b, &cf, a.predict, a.format);
	rc = 0;
out:
	free(nr);
	free(rows);
	groups_free();
	return rc;
}

int cmd_compare(int argc, char **argv)
{
	return cmd_with_err(compare_main, argc, argv);
}
