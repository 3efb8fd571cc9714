/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tune.h - the machine's controls of a run.
 *
 * Every control is checked and recorded (meta.json "controls", each
 * case's "controls"; "noise" before schema version 3), whether or not
 * it was changed: CPU isolation, the governor of
 * the pinned CPU, THP, ASLR, the page cache, interrupts and other load on
 * the machine.  The ones that change the machine (governor, THP, caches,
 * loading the module) happen only when the command line asks for them
 * (--tune, --load-module); the governor and THP are put back at exit.
 * What was left alone is recorded with the option that would change it.
 */
#ifndef TUNE_H
#define TUNE_H

#include <stdio.h>
#include <json-c/json.h>
#include "opts.h"

#define TUNE_MAX_CPUS	1024
#define TUNE_MAX_IRQS	512

struct tune_irq {
	char name[16];			/* "24", "LOC", "IPI0" */
	char desc[48];			/* "virtio0-input.0" */
	unsigned long long count;	/* on the pinned CPU */
};

struct tune {
	const struct run_opts *o;
	long cpu;			/* pinned CPU, -1 if none */
	char gov_path[128];
	char gov_real[512];		/* under LMB_SYSROOT, for the restore */
	char thp_real[2][512];
	char gov_old[64];		/* to put back; "" if not changed */
	char thp_old[2][64];
	int thp_changed;
	char module_name[64];		/* loaded by us: unload at exit */
	/* per-case snapshots */
	unsigned long long busy[TUNE_MAX_CPUS], total[TUNE_MAX_CPUS];
	unsigned long long steal;
	int ncpu;
	long long cached_kb[2];		/* Cached before and after the drop */
	int drop_errno;
	struct tune_irq irq[TUNE_MAX_IRQS];
	int nirq;
	/* whole run: device interrupts on the pinned CPU, for the advice */
	struct tune_irq dev[TUNE_MAX_IRQS];
	int ndev;
};

/*
 * --cpu auto: the last isolated CPU (isolcpus=, nohz_full=) this task may
 * run on, else -1.
 */
long tune_isolated_cpu(void);

/*
 * Re-execute without address randomisation if --tune aslr asks for it and
 * this process still has it.  Returns only if no re-exec was needed or it
 * failed (recorded by tune_apply).
 */
void tune_aslr_reexec(const struct run_opts *o, char **argv);

/*
 * Only the check of tune_apply(), changing nothing (run --dry-run):
 * 0, or -1 with the reason.
 */
int tune_prepare(struct tune *t, const struct run_opts *o, long cpu,
		 char *err, size_t errlen);
/*
 * Check that all that was asked can be done here (files writable, the
 * module loadable), then do it and record every control: the run's
 * "controls" object.  NULL with a one-line reason, nothing left changed.
 */
json_object *tune_apply(struct tune *t, const struct run_opts *o, long cpu,
			char *err, size_t errlen);

/* Before a case: drop caches if asked; snapshot load and interrupts. */
void tune_case_begin(struct tune *t);
/* After it: the case's "controls" object (other load, interrupts, steal). */
json_object *tune_case_end(struct tune *t);

/* After the last case: the IRQ affinity advice, an array of strings. */
json_object *tune_finish(struct tune *t);

/* Lines for the human report: what was left alone, warnings, advice. */
void tune_report(FILE *f, json_object *controls);

/*
 * Put back the governor and THP, unload a module we loaded.  Idempotent,
 * and async-signal-safe (open/write/close and syscalls only).
 */
void tune_restore(struct tune *t);

/* Parse a cpulist ("0-3,8"): a bitmap of @max; number of CPUs or -1. */
int tune_cpulist(const char *s, unsigned char *set, int max);

#endif
