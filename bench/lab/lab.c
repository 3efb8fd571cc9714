// SPDX-License-Identifier: GPL-2.0
/*
 * lab.c - import the emulated lab's plugin counts into a run directory,
 * and read them back (lab_per_op(), the one reader every report uses).
 *
 * A lab cell's guest writes an ordinary run (results/README.md); the
 * host's TCG plugin (bench/lab/plugin/lmbcount.c) writes exact
 * instruction counts per case, phase, vCPU and privilege.  lab_import()
 * adds a "lab" object to every case and to meta.json, then checks two
 * calibrations, both through what it has just written: the harness's
 * user-mode loop (calib phase) and, in system emulation, the module's
 * kernel-mode loop (the kcalib storm, a case like any other, read with
 * lab_per_op()).  A calibration that is not exact marks the run invalid.
 *
 * Layout 2 of a case's "lab" object keeps instructions and classes in
 * maps of their own ("insn", "class"), so a name that is both (isb) is
 * counted once.  Layout 1 (schema_version 1) mixed them in one map and
 * so held every isb twice; lab_per_op() reads it with that corrected.
 */
#include <stdio.h>
#include <string.h>

#include "lab.h"
#include "kmod/kcalib.h"
#include "phase.h"
#include "results.h"
#include "util.h"

#define LAB_LAYOUT	2

const char *const lab_classes[] = { "dsb", "dmb", "isb", "tlbi", "dc", "ic",
				    NULL };

const char *const lab_report_kinds[] = { "dsb", "dsb ishst", "isb", "tlbi",
					 NULL };

static int64_t jint(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : -1;
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

/* One key, which may hold dots ("call foo.cold"); dotted paths: results_jget. */
static json_object *jget(json_object *o, const char *key)
{
	json_object *v;

	return o && json_object_is_type(o, json_type_object) &&
	       json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* Case @c's lab counts of @phase (its ops and maps), or NULL. */
static json_object *lab_phase(json_object *c, const char *phase)
{
	char path[96];

	snprintf(path, sizeof(path), "lab.phases.%s", phase);
	return results_jget(c, path);
}

/*
 * A phase's counts of one mode on the storm's vCPU or on all of them.  A
 * case whose work runs on any CPU ("vcpus": "all", storm.h) has only the
 * latter.
 */
static json_object *lab_el(json_object *c, json_object *ph, int kernel,
			   int all_vcpus)
{
	json_object *v = jget(c, "vcpus");

	if (v && !strcmp(json_object_get_string(v), "all"))
		all_vcpus = 1;
	return results_jget(ph, all_vcpus ? (kernel ? "all_vcpus.kernel" : "all_vcpus.user") :
				(kernel ? "storm_vcpu.kernel" : "storm_vcpu.user"));
}

static int is_class(const char *name)
{
	int i;

	for (i = 0; lab_classes[i]; i++)
		if (!strcmp(lab_classes[i], name))
			return 1;
	return 0;
}

/* Does a plugin row belong to case @id (-1: before any case)? */
static int row_case_is(json_object *row, int64_t id)
{
	json_object *v;

	if (!json_object_object_get_ex(row, "case", &v))
		return 0;
	if (json_object_is_type(v, json_type_null))
		return id < 0;
	return id >= 0 && json_object_get_int64(v) == id;
}

static void add_count(json_object *obj, const char *key, int64_t n)
{
	json_object *v;

	if (json_object_object_get_ex(obj, key, &v))
		json_object_set_int64(v, json_object_get_int64(v) + n);
	else
		json_object_object_add(obj, key, json_object_new_int64(n));
}

static json_object *child(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v)) {
		v = json_object_new_object();
		json_object_object_add(obj, key, v);
	}
	return v;
}

/* One plugin row into @where.<el>: once by instruction, once by class. */
static void add_row(json_object *where, const char *el, const char *insn,
		    const char *cls, int64_t n)
{
	json_object *e = child(where, el);

	add_count(child(e, "insn"), insn, n);
	add_count(child(e, "class"), cls, n);
}

/*
 * Every counts row of @plugin that @keep accepts, into a phases object
 * (layout 2): phases.<phase>.{all_vcpus,storm_vcpu}.<el>.{insn,class}.
 */
typedef int (*row_filter)(json_object *row, int64_t id);

static json_object *accumulate(json_object *plugin, row_filter keep,
			       int64_t id, int64_t vcpu)
{
	json_object *rows = json_object_object_get(plugin, "counts");
	json_object *phases = json_object_new_object();
	size_t i;

	for (i = 0; i < json_object_array_length(rows); i++) {
		json_object *r = json_object_array_get_idx(rows, i), *ph;
		const char *phase = jstr(r, "phase"), *el = jstr(r, "el");
		const char *cls = jstr(r, "class"), *insn = jstr(r, "insn");
		int64_t n = jint(r, "n");

		if (!keep(r, id) || !phase || !el || !cls || !insn || n < 0)
			continue;
		ph = child(phases, phase);
		add_row(child(ph, "all_vcpus"), el, insn, cls, n);
		if (vcpu >= 0 && jint(r, "vcpu") == vcpu)
			add_row(child(ph, "storm_vcpu"), el, insn, cls, n);
	}
	return phases;
}

/* Ops each phase performed, for per-op figures (-1: not per op). */
static int64_t phase_ops(json_object *c, const char *phase)
{
	json_object *lat;

	if (!strcmp(phase, "measure"))
		return jint(c, "iterations");
	/* the module's storms: every op's work outside its window */
	if (!strcmp(phase, "untimed"))
		return jint(c, "iterations") + jint(c, "warmup");
	if (!strcmp(phase, "warmup"))
		return jint(c, "warmup");
	if (!strcmp(phase, "prep") &&
	    json_object_object_get_ex(c, "latency_ns", &lat) &&
	    json_object_object_get_ex(lat, "prep_ns", NULL))
		return jint(c, "iterations");
	return -1;
}

/* The count of @kind in a layout-2 map pair {insn, class}. */
static int64_t count2(json_object *el, const char *kind)
{
	json_object *v = jget(jget(el, is_class(kind) ? "class" : "insn"), kind);

	return v ? json_object_get_int64(v) : 0;
}

int lab_per_op(json_object *c, const char *phase, int kernel, int all_vcpus,
	       const char *kind, double *per_op)
{
	json_object *ph = lab_phase(c, phase), *ops = jget(ph, "ops"), *el, *v;
	int64_t n;

	if (!ops || !json_object_is_type(ops, json_type_int) ||
	    json_object_get_int64(ops) <= 0)
		return -1;
	el = lab_el(c, ph, kernel, all_vcpus);
	if (jint(jget(c, "lab"), "layout") >= 2) {
		n = count2(el, kind);
	} else {
		/*
		 * Layout 1: one map holds every instruction and every class,
		 * each row added under both names; "isb" is both, so it holds
		 * each isb twice (every other name once).
		 */
		v = jget(el, kind);
		n = v ? json_object_get_int64(v) : 0;
		if (!strcmp(kind, "isb"))
			n /= 2;
	}
	*per_op = (double)n / (double)json_object_get_int64(ops);
	return 0;
}

static json_object *case_lab(json_object *plugin, json_object *c,
			     int64_t id, int64_t vcpu)
{
	json_object *lab = json_object_new_object();
	json_object *fns = json_object_new_object();
	json_object *phases, *rows;
	size_t i;
	int p;

	json_object_object_add(lab, "layout", json_object_new_int(LAB_LAYOUT));
	json_object_object_add(lab, "source", json_object_new_string("lmbcount"));
	json_object_object_add(lab, "storm_vcpu", json_object_new_int64(vcpu));
	phases = accumulate(plugin, row_case_is, id, vcpu);
	/*
	 * The measured phase of a case the plugin saw is there even when
	 * nothing it counts ran in it (a user-mode loop without barriers):
	 * its figures are then 0 per op, not missing.
	 */
	if (vcpu >= 0)
		child(phases, "measure");
	for (p = 0; p < PHASE_NR; p++) {
		json_object *ph;
		int64_t ops = phase_ops(c, phase_names[p]);

		if (!json_object_object_get_ex(phases, phase_names[p], &ph))
			continue;
		json_object_object_add(ph, "ops", ops > 0 ?
				       json_object_new_int64(ops) : NULL);
	}
	json_object_object_add(lab, "phases", phases);

	rows = json_object_object_get(plugin, "functions");
	for (i = 0; i < json_object_array_length(rows); i++) {
		json_object *r = json_object_array_get_idx(rows, i), *f;
		const char *phase = jstr(r, "phase");

		if (!row_case_is(r, id) || !phase)
			continue;
		f = json_object_new_object();
		json_object_object_add(f, "function", json_object_new_string(jstr(r, "function") ?: "?"));
		json_object_object_add(f, "insn", json_object_new_string(jstr(r, "insn") ?: "?"));
		json_object_object_add(f, "n", json_object_new_int64(jint(r, "n")));
		if (!json_object_object_get_ex(fns, phase, NULL))
			json_object_object_add(fns, phase, json_object_new_array());
		json_object_array_add(json_object_object_get(fns, phase), f);
	}
	json_object_object_add(lab, "functions", fns);
	return lab;
}

static int any_case(json_object *row, int64_t id)
{
	return 1;
}

/*
 * The user-mode calibration: phase calib (only the harness's calibration
 * enters it), whatever case id is current (none, or one the lab's init
 * set around the run), user mode, every vCPU: exactly @rounds of "dsb
 * ish", "dmb ish" and "isb", and no other user-mode instruction the
 * plugin counts.  Read from the same accumulation as the cases.
 */
static int check_calibration(json_object *plugin, int64_t rounds,
			     json_object *out)
{
	json_object *phases = accumulate(plugin, any_case, 0, -1);
	json_object *u = results_jget(phases, "calib.all_vcpus.user");
	json_object *got = json_object_new_object();
	int64_t dsb = count2(u, "dsb ish"), dmb = count2(u, "dmb ish");
	int64_t isb = count2(u, "isb"), all = 0, k;
	int i;

	for (i = 0; lab_classes[i]; i++)
		all += count2(u, lab_classes[i]);
	k = all - dsb - dmb - isb;
	json_object_object_add(got, "dsb", json_object_new_int64(dsb));
	json_object_object_add(got, "dmb", json_object_new_int64(dmb));
	json_object_object_add(got, "isb", json_object_new_int64(isb));
	json_object_object_add(got, "other", json_object_new_int64(k));
	json_object_object_add(out, "counted", got);
	json_object_put(phases);
	return dsb == rounds && dmb == rounds && isb == rounds && !k &&
	       rounds > 0;
}

/* One expected figure of the kernel calibration against what was read. */
static int kcal_one(json_object *c, json_object *exp, json_object *got,
		    const char *kind, double want, char *bad, size_t len)
{
	double v;

	if (lab_per_op(c, "measure", 1, 0, kind, &v))
		v = -1;
	json_object_object_add(exp, kind, json_object_new_double(want));
	json_object_object_add(got, kind, json_object_new_double(v));
	if (v == want)
		return 1;
	if (!bad[0])
		snprintf(bad, len, "%s: %g per op imported, %g executed",
			 kind, v, want);
	return 0;
}

/*
 * The kernel-mode calibration, read back from the imported case @c (the
 * kcalib storm) exactly as a report reads a storm: measure phase, the
 * storm's vCPU, kernel mode, per op.  Every kind of kcalib.h and every
 * class must be what the module executed, and nothing else counted.
 */
static int check_kcalib(json_object *c, json_object *out)
{
	json_object *exp = json_object_new_object();
	json_object *got = json_object_new_object();
	json_object *insns;
	int64_t rounds = jint(jget(c, "params"), "rounds");
	double cls[sizeof(lab_classes) / sizeof(lab_classes[0])] = { 0 };
	char bad[200] = "";
	int ok = rounds > 0, i;
	struct lh_entry *e;

	json_object_object_add(out, "case", json_object_new_string(jstr(c, "spec") ?: "?"));
	json_object_object_add(out, "rounds", json_object_new_int64(rounds));
#define KCAL_INSN(insn, klass, n) \
	ok &= kcal_one(c, exp, got, insn, (double)rounds * (n), bad, sizeof(bad)); \
	for (i = 0; lab_classes[i]; i++) \
		if (!strcmp(lab_classes[i], klass)) \
			cls[i] += (double)rounds * (n);
	KCALIB_KINDS(KCAL_INSN)
#undef KCAL_INSN
	for (i = 0; lab_classes[i]; i++)
		ok &= kcal_one(c, exp, got, lab_classes[i], cls[i], bad, sizeof(bad));
	/* Nothing else: every instruction seen must be one of the kinds. */
	insns = jget(lab_el(c, lab_phase(c, "measure"), 1, 0), "insn");
	if (insns && json_object_is_type(insns, json_type_object))
		for (e = json_object_get_object(insns)->head; e; e = e->next)
			if (!jget(exp, (const char *)e->k)) {
				ok = 0;
				if (!bad[0])
					snprintf(bad, sizeof(bad), "%s counted, not executed",
						 (const char *)e->k);
			}
	json_object_object_add(out, "expected_per_op", exp);
	json_object_object_add(out, "imported_per_op", got);
	json_object_object_add(out, "result", json_object_new_string(ok ? "ok" : "failed"));
	if (!ok)
		json_object_object_add(out, "why", json_object_new_string(bad));
	return ok;
}

static int64_t case_vcpu(json_object *plugin, int64_t id)
{
	json_object *cs = json_object_object_get(plugin, "cases");
	size_t i;

	for (i = 0; i < json_object_array_length(cs); i++) {
		json_object *e = json_object_array_get_idx(cs, i);

		if (jint(e, "case") == id)
			return jint(e, "vcpu");
	}
	return -1;
}

/* Keep the cell of an earlier import when none is given (a re-import). */
static json_object *cell_of(json_object *meta, json_object *cell)
{
	json_object *old = results_jget(meta, "lab.cell");

	if ((!cell || !json_object_object_length(cell)) && old)
		return json_object_get(old);
	return cell ? json_object_get(cell) : NULL;
}

/* The plugin's output, if it is a complete lmbcount version 1 file. */
static json_object *plugin_read(const char *path, char *err, size_t errlen)
{
	json_object *plugin = json_object_from_file(path);
	const char *fmt;

	if (!plugin) {
		errf(err, errlen, "%s: not readable JSON (%s)", path,
		     json_util_get_last_err());
		return NULL;
	}
	fmt = jstr(plugin, "format");
	if (!fmt || strcmp(fmt, "lmbcount") || jint(plugin, "version") != 1 ||
	    !json_object_is_type(json_object_object_get(plugin, "counts"), json_type_array)) {
		errf(err, errlen, "%s: not an lmbcount version 1 file", path);
		json_object_put(plugin);
		return NULL;
	}
	if (!json_object_get_boolean(json_object_object_get(plugin, "complete"))) {
		errf(err, errlen, "%s: the plugin ran out of room (\"complete\": false); its counts are not exact",
		     path);
		json_object_put(plugin);
		return NULL;
	}
	return plugin;
}

/*
 * Every done case of the run gets its counts ("lab"), rewritten in
 * place; the first kcalib case's check goes to *kcal and *kgood.
 */
static int import_cases(struct run_reader *r, json_object *plugin,
			int system, json_object **kcal, int *kgood, char *err,
			size_t errlen)
{
	json_object *e, *c;
	char name[300];
	int rc;

	while ((rc = results_run_next(r, &e, &c, err, errlen)) == 1) {
		const char *status = jstr(e, "status");
		int ok = status && !strcmp(status, "ok");
		int64_t id = jint(e, "index");

		json_object_object_add(c, "schema_version",
				       json_object_new_int(RESULTS_SCHEMA_VERSION));
		if (ok)
			json_object_object_add(c, "lab", case_lab(plugin, c, id,
						case_vcpu(plugin, id)));
		else
			json_object_object_del(c, "lab");
		/* The first kernel calibration case vouches for the cell. */
		if (ok && system && !*kcal && jstr(c, "storm") &&
		    !strcmp(jstr(c, "storm"), "kcalib")) {
			*kcal = json_object_new_object();
			*kgood = check_kcalib(c, *kcal);
		}
		snprintf(name, sizeof(name), "%s.json", jstr(e, "file"));
		rc = results_write_json(r->dir, name, c, err, errlen);
		json_object_put(c);
		if (rc)
			return -1;
	}
	return rc;
}

/* In system emulation the kernel calibration vouches too: 1 if good. */
static int kernel_calibration(json_object *calib, json_object *kcal,
			      int kgood)
{
	if (!kcal) {
		kcal = json_object_new_object();
		json_object_object_add(kcal, "result", json_object_new_string("missing"));
		json_object_object_add(kcal, "why", json_object_new_string(
			"no kcalib case ran (module not loaded, or not in the profile)"));
		kgood = 0;
	}
	json_object_object_add(calib, "kernel", kcal);
	return kgood;
}

/* Why a cell's counts were not taken, for the one-line error. */
static void import_failed(const char *rundir, json_object *calib, char *err,
			  size_t errlen)
{
	json_object *k = jget(calib, "kernel");

	if (strcmp(jstr(calib, "result") ?: "", "ok"))
		errf(err, errlen, "%s: user-mode calibration failed, counts not imported",
		     rundir);
	else
		errf(err, errlen, "%s: kernel calibration %s: %s", rundir,
		     jstr(k, "result") ?: "?", jstr(k, "why") ?: "?");
}

int lab_import(const char *rundir, const char *plugin_path,
	       json_object *cell, char *err, size_t errlen)
{
	json_object *plugin, *calib, *labm, *kcal = NULL;
	int rc = -1, good, kgood = 0, system;
	struct run_reader r;

	if (results_run_open(&r, rundir, 0, err, errlen))
		return -1;
	plugin = plugin_read(plugin_path, err, errlen);
	if (!plugin)
		goto out;
	system = json_object_get_boolean(json_object_object_get(plugin, "system_emulation"));
	labm = json_object_new_object();
	json_object_object_add(labm, "cell", cell_of(r.meta, cell));
	json_object_object_add(labm, "plugin", json_object_new_string("lmbcount"));
	json_object_object_add(labm, "symbols",
			       json_object_get(json_object_object_get(plugin, "symbols")));
	json_object_object_add(r.meta, "lab", labm);
	json_object_object_add(r.meta, "backend", json_object_new_string("lab"));
	json_object_object_add(r.meta, "schema_version",
			       json_object_new_int(RESULTS_SCHEMA_VERSION));
	calib = json_object_object_get(r.meta, "calibration");
	if (!calib) {
		errf(err, errlen, "%s/meta.json: no calibration object", rundir);
		goto out;
	}
	good = check_calibration(plugin, jint(calib, "rounds"), calib);
	json_object_object_add(calib, "source", json_object_new_string("lab plugin"));
	json_object_object_add(calib, "result", json_object_new_string(
		good ? "ok" : "failed"));
	json_object_object_del(calib, "kernel");
	if (good && import_cases(&r, plugin, system, &kcal, &kgood, err, errlen))
		goto out;
	if (good && system) {
		good = kernel_calibration(calib, kcal, kgood);
		kcal = NULL;
	}
	json_object_object_add(labm, "valid", json_object_new_boolean(good));
	if (!good)
		json_object_object_add(labm, "why", json_object_new_string(
			"a calibration's imported counts differ from what was executed"));
	/* meta.json last: a run whose meta says "lab" has all its cases in. */
	if (results_write_json(rundir, "meta.json", r.meta, err, errlen))
		goto out;
	rc = good ? 0 : 1;
	if (!good)
		import_failed(rundir, calib, err, errlen);
out:
	json_object_put(kcal);
	json_object_put(plugin);
	results_run_close(&r);
	return rc;
}

/* The kinds case @c has counts of: every class, then every instruction. */
json_object *lab_kind_list(json_object *c, const char *phase, int kernel,
		       int all_vcpus)
{
	json_object *ph = lab_phase(c, phase), *el, *m, *out;
	struct lh_entry *e;
	int i;

	if (!ph)
		return NULL;
	el = lab_el(c, ph, kernel, all_vcpus);
	out = json_object_new_array();
	for (i = 0; lab_classes[i]; i++)
		json_object_array_add(out, json_object_new_string(lab_classes[i]));
	m = jint(jget(c, "lab"), "layout") >= 2 ? jget(el, "insn") : el;
	if (m && json_object_is_type(m, json_type_object))
		for (e = json_object_get_object(m)->head; e; e = e->next)
			if (!is_class((const char *)e->k))
				json_object_array_add(out,
					json_object_new_string((const char *)e->k));
	return out;
}
