/* SPDX-License-Identifier: GPL-2.0 */
/*
 * collector.h - per-phase event counting with perf_event_open.
 *
 * A collector is built from a PMU profile (configs/pmu/<name>.conf, format
 * in configs/pmu/README.md).  Each profile event is opened once for the
 * calling process, counting user and kernel, inherited by children (so a
 * fork storm's child is counted), enabled for the whole case.  At every
 * phase change the harness calls collector_phase(); the counts since the
 * previous change are added to the phase that just ended.
 *
 * An event that cannot be opened, or that fails calibration, is kept in
 * the list with status "unavailable" and the reason; its value is never
 * reported as 0.
 */
#ifndef COLLECTOR_H
#define COLLECTOR_H

#include <stdint.h>
#include <json-c/json.h>
#include "../phase.h"

struct collector;

enum ev_status {
	EV_OK = 0,
	EV_UNAVAILABLE,		/* could not be resolved or opened */
	EV_CALIB_FAILED,	/* opened, but calibration counts were wrong */
};

/* Known barrier counts executed in PHASE_CALIB (see calib.h). */
struct calib_expect {
	uint64_t dsb, dmb, isb;
};

/*
 * Resolve a profile name to a file: "auto" picks by MIDR (a profile whose
 * "midr" line matches this CPU, else "generic"); a name containing '/' is
 * a path; anything else is @dir/<name>.conf.  Returns 0 and fills @path,
 * or -1 with a one-line reason in @err.
 */
int collector_profile_path(const char *dir, const char *name,
			   char *path, size_t pathlen, char *err, size_t errlen);

/*
 * Parse @path and open every event.  Syntax errors and unknown names of
 * our own (bad spec kind, unknown sw/hw event) are errors: NULL, reason
 * in @err.  Events the machine cannot count are not errors.
 */
struct collector *collector_open(const char *path, char *err, size_t errlen);
void collector_close(struct collector *c);

/* Zero all phase totals, enable counting, current phase = @phase. */
int collector_start(struct collector *c, enum phase phase);
/* Attribute counts since the last call to the current phase; switch. */
void collector_phase(struct collector *c, enum phase phase);
/* Attribute the rest to the current phase and disable counting. */
void collector_stop(struct collector *c);

/*
 * After a PHASE_CALIB run: compare events tagged "calib" in the profile
 * with @exp; an event off by more than the tolerance becomes
 * EV_CALIB_FAILED with a reason.  Returns the number that failed; sets
 * @checked to the number compared (0: nothing could be checked).
 */
int collector_calib_check(struct collector *c, const struct calib_expect *exp,
			  int *checked);

int collector_nevents(const struct collector *c);
const char *collector_label(const struct collector *c, int i);
/* @reason is set to NULL for an event that is EV_OK. */
enum ev_status collector_status(const struct collector *c, int i,
				const char **reason);
/* Total of event @i in @phase, scaled if multiplexed.  -1 if unavailable,
 * or if it never ran in @phase (multiplexed out): its count is unknown. */
int collector_value(const struct collector *c, int i, enum phase phase,
		    uint64_t *value);

/*
 * JSON of every event: label, spec, resolved encoding, status, reason,
 * calibration, and per phase {count, time_enabled_ns, time_running_ns};
 * per_op = count / @ops[phase] where @ops[phase] > 0.
 */
json_object *collector_json(const struct collector *c,
			    const uint64_t ops[PHASE_NR]);
/*
 * The same for a case whose work this process's counters do not see
 * (test_vmalloc's kernel threads): every perf event is "unavailable" with
 * @why and no count; file events, which read the whole machine's
 * figures, keep theirs.
 */
json_object *collector_json_unseen(const struct collector *c,
				   const uint64_t ops[PHASE_NR],
				   const char *why);

#endif
