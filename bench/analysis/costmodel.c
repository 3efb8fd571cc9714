// SPDX-License-Identifier: GPL-2.0
/*
 * costmodel.c - the cost model: least-squares costs per instruction kind
 * from cost loops, predictions from count differences, cost files.
 * costmodel.h says what each function promises.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>
#include "costmodel.h"
#include "results.h"

const char *const cost_kind_names[COST_KINDS] = {
	[CK_DSB_ISH] = "dsb ish",
	[CK_DSB_ISHST] = "dsb ishst",
	[CK_DMB_ISH] = "dmb ish",
	[CK_DMB_ISHST] = "dmb ishst",
	[CK_DMB_ISHLD] = "dmb ishld",
	[CK_ISB] = "isb",
	[CK_TLBI_VALE1IS] = "tlbi vale1is",
	[CK_TLBI_VAALE1IS] = "tlbi vaale1is",
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int cost_kind_find(const char *name)
{
	int k;

	for (k = 0; k < COST_KINDS; k++)
		if (!strcmp(cost_kind_names[k], name))
			return k;
	return -1;
}

int cost_solve(const struct cost_eq *eq, int neq, double *cost, double *resid,
	       char *err, size_t errlen)
{
	double m[COST_KINDS][COST_KINDS + 1], scale = 0;
	int idx[COST_KINDS], na = 0, i, j, k, r, p;

	for (k = 0; k < COST_KINDS; k++)
		cost[k] = NAN;
	if (neq <= 0)
		return fail(err, errlen, "no cost loop to solve from");
	/* the kinds some equation involves */
	for (k = 0; k < COST_KINDS; k++) {
		for (i = 0; i < neq; i++) {
			if (eq[i].n[k] < 0)
				return fail(err, errlen, "%s: a negative count of %s",
					    eq[i].name, cost_kind_names[k]);
			if (eq[i].n[k])
				break;
		}
		if (i < neq)
			idx[na++] = k;
	}
	for (i = 0; i < neq; i++)
		if (!isfinite(eq[i].ns))
			return fail(err, errlen, "%s: its figure is not a number",
				    eq[i].name);
	if (!na)
		return fail(err, errlen, "no cost loop executes a counted kind");
	/* normal equations: (A'A) x = A'b, augmented */
	for (r = 0; r < na; r++) {
		for (j = 0; j < na; j++) {
			m[r][j] = 0;
			for (i = 0; i < neq; i++)
				m[r][j] += (double)eq[i].n[idx[r]] * eq[i].n[idx[j]];
			if (m[r][j] > scale)
				scale = m[r][j];
		}
		m[r][na] = 0;
		for (i = 0; i < neq; i++)
			m[r][na] += eq[i].n[idx[r]] * eq[i].ns;
	}
	/* Gaussian elimination with partial pivoting */
	for (r = 0; r < na; r++) {
		p = r;
		for (i = r + 1; i < na; i++)
			if (fabs(m[i][r]) > fabs(m[p][r]))
				p = i;
		if (fabs(m[p][r]) <= 1e-9 * scale) {
			/* the kind of column r is tied to an earlier one */
			for (i = 0; i < neq && !eq[i].n[idx[r]]; i++)
				;
			for (j = 0; j < na; j++)
				if (j != r && eq[i].n[idx[j]])
					break;
			return fail(err, errlen,
				    "%s cannot be told apart from %s: no loop has one without the other",
				    cost_kind_names[idx[r]],
				    j < na ? cost_kind_names[idx[j]] : "the others");
		}
		if (p != r)
			for (j = 0; j <= na; j++) {
				double t = m[r][j];

				m[r][j] = m[p][j];
				m[p][j] = t;
			}
		for (i = r + 1; i < na; i++) {
			double f = m[i][r] / m[r][r];

			for (j = r; j <= na; j++)
				m[i][j] -= f * m[r][j];
		}
	}
	for (r = na - 1; r >= 0; r--) {
		double s = m[r][na];

		for (j = r + 1; j < na; j++)
			s -= m[r][j] * cost[idx[j]];
		cost[idx[r]] = s / m[r][r];
	}
	for (i = 0; resid && i < neq; i++) {
		double s = 0;

		for (k = 0; k < COST_KINDS; k++)
			if (eq[i].n[k])
				s += eq[i].n[k] * cost[k];
		resid[i] = eq[i].ns - s;
	}
	return 0;
}

double cost_predict(const double *delta, const double *cost,
		    unsigned *missing)
{
	double s = 0;
	int k;

	if (missing)
		*missing = 0;
	for (k = 0; k < COST_KINDS; k++) {
		if (delta[k] == 0)
			continue;
		if (isnan(cost[k])) {
			if (missing)
				*missing |= 1u << k;
			continue;
		}
		s += delta[k] * cost[k];
	}
	return s;
}

void cost_predict_interval(const double *delta, const double *lo,
			   const double *hi, double *plo, double *phi)
{
	int k;

	*plo = *phi = 0;
	for (k = 0; k < COST_KINDS; k++) {
		if (delta[k] == 0 || isnan(lo[k]) || isnan(hi[k]))
			continue;
		if (delta[k] > 0) {
			*plo += delta[k] * lo[k];
			*phi += delta[k] * hi[k];
		} else {
			*plo += delta[k] * hi[k];
			*phi += delta[k] * lo[k];
		}
	}
}

/* --- cost files ------------------------------------------------------------- */

#define COST_FORMAT	"lazymmu-bench costs 1"

static int get_str(json_object *o, const char *key, char *buf, size_t len,
		   const char *path, char *err, size_t errlen)
{
	json_object *v;
	const char *s;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return fail(err, errlen, "%s: \"%s\" missing or not a string",
			    path, key);
	s = json_object_get_string(v);
	if (!*s || strlen(s) >= len)
		return fail(err, errlen, "%s: \"%s\" empty or longer than %zu bytes",
			    path, key, len - 1);
	snprintf(buf, len, "%s", s);
	return 0;
}

static int get_num(json_object *o, const char *key, double *v,
		   const char *path, const char *kind, char *err, size_t errlen)
{
	json_object *x;

	if (!json_object_object_get_ex(o, key, &x) ||
	    !(json_object_is_type(x, json_type_double) ||
	      json_object_is_type(x, json_type_int)))
		return fail(err, errlen, "%s: \"%s\": \"%s\" missing or not a number",
			    path, kind, key);
	*v = json_object_get_double(x);
	if (!isfinite(*v))
		return fail(err, errlen, "%s: \"%s\": \"%s\" is not finite",
			    path, kind, key);
	return 0;
}

static int read_kinds(json_object *kinds, struct cost_file *cf,
		      const char *path, char *err, size_t errlen)
{
	json_object_object_foreach(kinds, name, val) {
		int k = cost_kind_find(name);

		if (k < 0)
			return fail(err, errlen, "%s: unknown kind \"%s\"",
				    path, name);
		if (!json_object_is_type(val, json_type_object))
			return fail(err, errlen, "%s: \"%s\" is not an object",
				    path, name);
		json_object_object_foreach(val, key, unused) {
			(void)unused;
			if (strcmp(key, "ns") && strcmp(key, "lo") &&
			    strcmp(key, "hi") && strcmp(key, "runs"))
				return fail(err, errlen,
					    "%s: \"%s\": unknown key \"%s\"",
					    path, name, key);
		}
		if (get_num(val, "ns", &cf->ns[k], path, name, err, errlen) ||
		    get_num(val, "lo", &cf->lo[k], path, name, err, errlen) ||
		    get_num(val, "hi", &cf->hi[k], path, name, err, errlen))
			return -1;
		if (!(cf->lo[k] <= cf->ns[k] && cf->ns[k] <= cf->hi[k]))
			return fail(err, errlen,
				    "%s: \"%s\": lo <= ns <= hi does not hold",
				    path, name);
	}
	return 0;
}

int cost_file_read(const char *path, struct cost_file *cf, char *err,
		   size_t errlen)
{
	static const char *const keys[] = {
		"format", "label", "cpu", "kernel", "note", "kinds",
		"equations", "source", NULL
	};
	json_object *o, *v;
	int k, i, any = 0;

	memset(cf, 0, sizeof(*cf));
	for (k = 0; k < COST_KINDS; k++)
		cf->ns[k] = cf->lo[k] = cf->hi[k] = NAN;
	o = json_object_from_file(path);
	if (!o)
		return fail(err, errlen, "%s: not readable as JSON", path);
	if (!json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return fail(err, errlen, "%s: not a JSON object", path);
	}
	{
		json_object_object_foreach(o, key, unused) {
			(void)unused;
			for (i = 0; keys[i] && strcmp(keys[i], key); i++)
				;
			if (!keys[i]) {
				fail(err, errlen, "%s: unknown key \"%s\"", path, key);
				goto bad;
			}
		}
	}
	if (!json_object_object_get_ex(o, "format", &v) ||
	    strcmp(json_object_get_string(v), COST_FORMAT)) {
		fail(err, errlen, "%s: not a cost file (\"format\" is not \"%s\")",
		     path, COST_FORMAT);
		goto bad;
	}
	if (get_str(o, "label", cf->label, sizeof(cf->label), path, err, errlen) ||
	    get_str(o, "cpu", cf->cpu, sizeof(cf->cpu), path, err, errlen) ||
	    get_str(o, "kernel", cf->kernel, sizeof(cf->kernel), path, err,
		    errlen))
		goto bad;
	if (strcmp(cf->label, "measured") && strcmp(cf->label, "emulated") &&
	    strcmp(cf->label, "stand-in") && strcmp(cf->label, "example")) {
		fail(err, errlen, "%s: \"label\" must be measured, emulated, stand-in or example, not \"%s\"",
		     path, cf->label);
		goto bad;
	}
	if (!json_object_object_get_ex(o, "kinds", &v) ||
	    !json_object_is_type(v, json_type_object)) {
		fail(err, errlen, "%s: \"kinds\" missing or not an object", path);
		goto bad;
	}
	if (read_kinds(v, cf, path, err, errlen))
		goto bad;
	for (k = 0; k < COST_KINDS; k++)
		any |= !isnan(cf->ns[k]);
	if (!any) {
		fail(err, errlen, "%s: no kind has a cost", path);
		goto bad;
	}
	json_object_put(o);
	return 0;
bad:
	json_object_put(o);
	return -1;
}

void cost_cpu_name(struct json_object *meta, char *buf, size_t len)
{
	const char *cpu = results_jstr(meta, "system.cpu.midr");
	const char *mach = results_jstr(meta, "system.machine");

	if (!cpu)
		cpu = results_jstr(meta, "system.cpu.model");
	snprintf(buf, len, "%s%s %s", cpu && !strncmp(cpu, "0x", 2) ? "MIDR " : "",
		 cpu ? cpu : "unknown CPU", mach ? mach : "");
}
