// SPDX-License-Identifier: GPL-2.0
/*
 * lab.c - import the emulated lab's plugin counts into a run directory.
 *
 * A lab cell's guest writes an ordinary run (results/README.md); the
 * host's TCG plugin (scripts/lab/plugin/lmbcount.c) writes exact
 * instruction counts per case, phase, vCPU and privilege.  lab_import()
 * checks the calibration phase (its user-mode barriers must match what
 * the harness executed, exactly), then adds a "lab" object to every case
 * and to meta.json, and marks the run's backend "lab".
 */
#include <stdio.h>
#include <string.h>

#include "lab.h"
#include "phase.h"
#include "results.h"
#include "util.h"

static const char *const classes[] = { "dsb", "dmb", "isb", "tlbi", "dc", "ic" };
#define NCLASSES (sizeof(classes) / sizeof(classes[0]))

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

/*
 * The calibration: phase calib (only the harness's calibration enters it),
 * whatever case id is current (none, or one the lab's init set around
 * the run), user mode, the storm's vCPU and every other: exactly @rounds
 * of "dsb ish", "dmb ish" and "isb", and no other user-mode instruction
 * the plugin counts.
 */
static int check_calibration(json_object *plugin, int64_t rounds,
			     json_object *out)
{
	json_object *counts = json_object_object_get(plugin, "counts");
	json_object *got = json_object_new_object();
	int64_t dsb = 0, dmb = 0, isb = 0, other = 0;
	size_t i;

	for (i = 0; i < json_object_array_length(counts); i++) {
		json_object *r = json_object_array_get_idx(counts, i);
		const char *insn = jstr(r, "insn"), *ph = jstr(r, "phase");
		const char *el = jstr(r, "el");
		int64_t n = jint(r, "n");

		if (!ph || strcmp(ph, "calib") ||
		    !el || strcmp(el, "user") || !insn)
			continue;
		if (!strcmp(insn, "dsb ish"))
			dsb += n;
		else if (!strcmp(insn, "dmb ish"))
			dmb += n;
		else if (!strcmp(insn, "isb"))
			isb += n;
		else
			other += n;
	}
	json_object_object_add(got, "dsb", json_object_new_int64(dsb));
	json_object_object_add(got, "dmb", json_object_new_int64(dmb));
	json_object_object_add(got, "isb", json_object_new_int64(isb));
	json_object_object_add(got, "other", json_object_new_int64(other));
	json_object_object_add(out, "counted", got);
	return dsb == rounds && dmb == rounds && isb == rounds && !other &&
	       rounds > 0;
}

/* Ops each phase performed, for per-op figures (-1: not per op). */
static int64_t phase_ops(json_object *c, const char *phase)
{
	json_object *lat;

	if (!strcmp(phase, "measure"))
		return jint(c, "iterations");
	if (!strcmp(phase, "warmup"))
		return jint(c, "warmup");
	if (!strcmp(phase, "prep") &&
	    json_object_object_get_ex(c, "latency_ns", &lat) &&
	    json_object_object_get_ex(lat, "prep_ns", NULL))
		return jint(c, "iterations");
	return -1;
}

static json_object *case_lab(json_object *plugin, json_object *c,
			     int64_t id, int64_t vcpu)
{
	json_object *lab = json_object_new_object();
	json_object *phases = json_object_new_object();
	json_object *fns = json_object_new_object();
	json_object *rows;
	size_t i, k;
	int p;

	json_object_object_add(lab, "source", json_object_new_string("lmbcount"));
	json_object_object_add(lab, "storm_vcpu", json_object_new_int64(vcpu));
	rows = json_object_object_get(plugin, "counts");
	for (i = 0; i < json_object_array_length(rows); i++) {
		json_object *r = json_object_array_get_idx(rows, i), *ph;
		const char *phase = jstr(r, "phase"), *el = jstr(r, "el");
		const char *cls = jstr(r, "class"), *insn = jstr(r, "insn");
		int64_t n = jint(r, "n");

		if (!row_case_is(r, id) || !phase || !el || !cls || !insn)
			continue;
		ph = child(phases, phase);
		add_count(child(child(ph, "all_vcpus"), el), insn, n);
		add_count(child(child(ph, "all_vcpus"), el), cls, n);
		if (jint(r, "vcpu") == vcpu) {
			add_count(child(child(ph, "storm_vcpu"), el), insn, n);
			add_count(child(child(ph, "storm_vcpu"), el), cls, n);
		}
	}
	/* Per op: kernel-mode counts on every vCPU, by class. */
	for (p = 0; p < PHASE_NR; p++) {
		json_object *ph, *k_all, *per, *v;
		int64_t ops = phase_ops(c, phase_names[p]);

		if (!json_object_object_get_ex(phases, phase_names[p], &ph))
			continue;
		json_object_object_add(ph, "ops", ops > 0 ?
				       json_object_new_int64(ops) : NULL);
		if (ops <= 0)
			continue;
		per = json_object_new_object();
		k_all = json_object_object_get(json_object_object_get(ph, "all_vcpus"), "kernel");
		for (k = 0; k < NCLASSES; k++) {
			int64_t n = 0;

			if (k_all && json_object_object_get_ex(k_all, classes[k], &v))
				n = json_object_get_int64(v);
			json_object_object_add(per, classes[k],
					       json_object_new_double((double)n / ops));
		}
		json_object_object_add(ph, "kernel_per_op", per);
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

int lab_import(const char *rundir, const char *plugin_path,
	       json_object *cell, char *err, size_t errlen)
{
	json_object *meta = NULL, *plugin = NULL, *cases, *calib, *labm;
	char path[1024];
	int rc = -1, good;
	const char *fmt;
	size_t i;

	snprintf(path, sizeof(path), "%s/meta.json", rundir);
	meta = results_read_json(path, RESULTS_RUN_SCHEMA, err, errlen);
	if (!meta)
		goto out;
	plugin = json_object_from_file(plugin_path);
	if (!plugin) {
		errf(err, errlen, "%s: not readable JSON (%s)", plugin_path,
		     json_util_get_last_err());
		goto out;
	}
	fmt = jstr(plugin, "format");
	if (!fmt || strcmp(fmt, "lmbcount") || jint(plugin, "version") != 1 ||
	    !json_object_is_type(json_object_object_get(plugin, "counts"), json_type_array)) {
		errf(err, errlen, "%s: not an lmbcount version 1 file", plugin_path);
		goto out;
	}
	if (!json_object_get_boolean(json_object_object_get(plugin, "complete"))) {
		errf(err, errlen, "%s: the plugin ran out of room (\"complete\": false); its counts are not exact",
		     plugin_path);
		goto out;
	}

	labm = json_object_new_object();
	json_object_object_add(labm, "cell", cell ? json_object_get(cell) : NULL);
	json_object_object_add(labm, "plugin", json_object_new_string("lmbcount"));
	json_object_object_add(labm, "symbols",
			       json_object_get(json_object_object_get(plugin, "symbols")));
	calib = json_object_object_get(meta, "calibration");
	if (!calib) {
		errf(err, errlen, "%s: no calibration object", path);
		goto out;
	}
	good = check_calibration(plugin, jint(calib, "rounds"), calib);
	json_object_object_add(calib, "source", json_object_new_string("lab plugin"));
	json_object_object_add(calib, "result", json_object_new_string(
		good ? "ok" : "failed"));
	json_object_object_add(labm, "valid", json_object_new_boolean(good));
	if (!good)
		json_object_object_add(labm, "why", json_object_new_string(
			"calibration counts differ from the barriers executed; no counts imported"));
	json_object_object_add(meta, "backend", json_object_new_string("lab"));
	json_object_object_add(meta, "lab", labm);

	cases = json_object_object_get(meta, "cases");
	for (i = 0; good && i < json_object_array_length(cases); i++) {
		json_object *e = json_object_array_get_idx(cases, i), *c;
		const char *file = jstr(e, "file");
		const char *status = jstr(e, "status");
		int64_t id = jint(e, "index");
		char name[300];

		if (!file || !json_object_get_boolean(json_object_object_get(e, "done")))
			continue;
		snprintf(path, sizeof(path), "%s/%s.json", rundir, file);
		c = results_read_json(path, RESULTS_CASE_SCHEMA, err, errlen);
		if (!c)
			goto out;
		if (status && !strcmp(status, "ok"))
			json_object_object_add(c, "lab", case_lab(plugin, c, id,
						case_vcpu(plugin, id)));
		snprintf(name, sizeof(name), "%s.json", file);
		if (results_write_json(rundir, name, c, err, errlen)) {
			json_object_put(c);
			goto out;
		}
		json_object_put(c);
	}
	/* meta.json last: a run whose meta says "lab" has all its cases in. */
	if (results_write_json(rundir, "meta.json", meta, err, errlen))
		goto out;
	rc = good ? 0 : 1;
	if (!good)
		errf(err, errlen, "%s: calibration failed, counts not imported",
		     rundir);
out:
	json_object_put(meta);
	json_object_put(plugin);
	return rc;
}
