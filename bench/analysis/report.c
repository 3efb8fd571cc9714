// SPDX-License-Identifier: GPL-2.0
/*
 * report.c - the human table, see report.h.
 */
#include <string.h>
#include "report.h"

void format_ns(double ns, char *buf, size_t len)
{
	if (ns < 10e3)
		snprintf(buf, len, "%.0f ns", ns);
	else if (ns < 10e6)
		snprintf(buf, len, "%.1f us", ns / 1e3);
	else if (ns < 10e9)
		snprintf(buf, len, "%.1f ms", ns / 1e6);
	else
		snprintf(buf, len, "%.2f s", ns / 1e9);
}

static double get_d(json_object *o, const char *a, const char *b)
{
	json_object *x, *y;

	if (!json_object_object_get_ex(o, a, &x))
		return -1;
	if (!b)
		return json_object_get_double(x);
	if (!json_object_object_get_ex(x, b, &y))
		return -1;
	return json_object_get_double(y);
}

void report_header(FILE *f)
{
	fprintf(f, "%-34s %7s %10s %10s  %s\n", "case", "iters", "median",
		"p99", "per op, measured phase [prep phase]");
}

static double per_op(json_object *phases, const char *phase)
{
	json_object *m, *v;

	if (json_object_object_get_ex(phases, phase, &m) &&
	    json_object_object_get_ex(m, "per_op", &v))
		return json_object_get_double(v);
	return -1;
}

/*
 * Per-op counts of the available events.  task-clock repeats the latency
 * and events that stayed at zero in both phases are left out of the table
 * (they are in the JSON).
 */
static void counters_line(FILE *f, json_object *counters)
{
	size_t i, n = json_object_array_length(counters);
	json_object *e, *st, *ph;
	const char *label;
	double m, p;

	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(counters, i);
		label = json_object_get_string(json_object_object_get(e, "label"));
		if (!json_object_object_get_ex(e, "status", &st) ||
		    strcmp(json_object_get_string(st), "ok") ||
		    !json_object_object_get_ex(e, "phases", &ph) ||
		    !strcmp(label, "task-clock"))
			continue;
		m = per_op(ph, "measure");
		p = per_op(ph, "prep");
		if (m <= 0 && p <= 0)
			continue;
		fprintf(f, " %s=%.3g", label, m < 0 ? 0 : m);
		if (p >= 0)
			fprintf(f, "[%.3g]", p);
	}
}

void report_case(FILE *f, json_object *c)
{
	const char *spec = json_object_get_string(json_object_object_get(c, "spec"));
	const char *status = json_object_get_string(
		json_object_object_get(c, "status"));
	json_object *counters, *lat;
	char med[32], p99[32];

	if (strlen(spec) > 34)
		fprintf(f, "%s\n%-34s", spec, "");
	else
		fprintf(f, "%-34s", spec);
	if (strcmp(status, "ok")) {
		fprintf(f, " %s: %s\n", status, json_object_get_string(
			json_object_object_get(c, "reason")));
		return;
	}
	json_object_object_get_ex(c, "latency_ns", &lat);
	format_ns(get_d(lat, "op_ns", "p50"), med, sizeof(med));
	format_ns(get_d(lat, "op_ns", "p99"), p99, sizeof(p99));
	fprintf(f, " %7.0f %10s %10s ", get_d(c, "iterations", NULL), med, p99);
	if (json_object_object_get_ex(lat, "prep_ns", NULL)) {
		format_ns(get_d(lat, "prep_ns", "p50"), med, sizeof(med));
		fprintf(f, " prep=%s", med);
	}
	if (json_object_object_get_ex(c, "counters", &counters))
		counters_line(f, counters);
	fprintf(f, "\n");
}

/* Unavailable counters, those with one reason together: "a, b (why); c (why)". */
void report_unavailable(FILE *f, json_object *c)
{
	json_object *counters, *e, *st;
	const char *why, *other;
	size_t i, k, n;
	int any = 0, first;

	if (!json_object_object_get_ex(c, "counters", &counters))
		return;
	n = json_object_array_length(counters);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(counters, i);
		if (!json_object_object_get_ex(e, "status", &st) ||
		    !strcmp(json_object_get_string(st), "ok"))
			continue;
		why = json_object_get_string(json_object_object_get(e, "reason"));
		/* printed already with an earlier counter of the same reason? */
		for (k = 0; k < i; k++) {
			json_object *x = json_object_array_get_idx(counters, k);

			other = json_object_get_string(json_object_object_get(x, "reason"));
			if (json_object_object_get_ex(x, "status", &st) &&
			    strcmp(json_object_get_string(st), "ok") &&
			    other && why && !strcmp(other, why))
				break;
		}
		if (k < i)
			continue;
		fprintf(f, "%s", any ? "; " : "counters unavailable: ");
		first = 1;
		for (k = i; k < n; k++) {
			json_object *x = json_object_array_get_idx(counters, k);

			other = json_object_get_string(json_object_object_get(x, "reason"));
			if (!json_object_object_get_ex(x, "status", &st) ||
			    !strcmp(json_object_get_string(st), "ok") ||
			    (k > i && (!other || !why || strcmp(other, why))))
				continue;
			fprintf(f, "%s%s", first ? "" : ", ", json_object_get_string(
				json_object_object_get(x, "label")));
			first = 0;
		}
		fprintf(f, " (%s)", why ? why : "no reason");
		any = 1;
	}
	if (any)
		fprintf(f, "\n");
}
