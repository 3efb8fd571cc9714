/* SPDX-License-Identifier: GPL-2.0 */
/*
 * harness.h - runs one case: setup, warm-up, iteration calibration, the
 * timed loop with phase markers and per-phase counting, teardown.
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <json-c/json.h>
#include "opts.h"
#include "phase.h"
#include "results.h"
#include "collector/collector.h"

struct harness {
	const struct run_opts *o;
	struct collector *col;		/* NULL: no counting */
	enum phase cur;
	long pinned_cpu;		/* -1: not pinned */
	uint64_t inject_loops;		/* --inject-ns as spin() loops */
	int census;			/* a census kernel: its sites per case */
};

/* Pin (per o->cpu) and remember where; 0 or -1 with err. */
int harness_init(struct harness *h, const struct run_opts *o,
		 struct collector *col, char *err, size_t errlen);

/* Now in ns on the chosen clock. */
uint64_t harness_now(const struct harness *h);

/* Enter @p: marker for the lab, counts so far go to the phase left. */
void harness_phase(struct harness *h, enum phase p);

/* Barrier calibration; returns its JSON record for meta.json. */
json_object *harness_calibrate(struct harness *h);

/*
 * Run case @index.  On success (including an unavailable storm) returns 0,
 * *out is the case JSON (schema lazymmu-bench/case without run fields) and
 * @s holds the samples (s->n == 0 when unavailable).  On error returns -1
 * with a one-line reason.
 */
int harness_run_case(struct harness *h, int index, const struct bench_case *bc,
		     json_object **out, struct samples *s, char *err,
		     size_t errlen);

#endif
