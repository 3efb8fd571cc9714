/* SPDX-License-Identifier: GPL-2.0 */
/*
 * storm.h - what a storm is.
 *
 * A storm is one file in bench/storms/ defining one `struct storm` and one
 * line in the table in bench/storms/storms.c.  It gets its options parsed
 * into ctx->opt[], builds its region in setup(), and does one operation per
 * op() call.  The harness times op() (and prep(), separately), emits phase
 * markers and counts events; a storm never opens a counter or a clock.
 */
#ifndef STORM_H
#define STORM_H

#include <stddef.h>
#include <stdint.h>
#include "phase.h"

#define STORM_MAX_OPTS	8

enum opt_type {
	OPT_INT,	/* decimal integer >= 0 */
	OPT_SIZE,	/* bytes, with optional K, M, G suffix (powers of 1024) */
	OPT_BOOL,	/* 0 or 1 */
	OPT_ENUM,	/* one of choices[]; the value is the index */
};

struct storm_opt {
	const char *name;
	enum opt_type type;
	const char *def;		/* default, as text */
	const char *help;
	const char *const *choices;	/* OPT_ENUM: NULL-terminated */
	long min, max;			/* accepted range (after parsing) */
};

/* The options every memory storm shares. */
#define STORM_OPT_SIZE(d) { "size", OPT_SIZE, d, \
	"region size (K, M, G suffixes)", NULL, 4096, 1L << 40 }
#define STORM_OPT_THP { "thp", OPT_BOOL, "0", \
	"1: MADV_HUGEPAGE on a 2M-aligned region, 0: MADV_NOHUGEPAGE", \
	NULL, 0, 1 }

struct storm_ctx {
	long opt[STORM_MAX_OPTS];	/* parsed, in storm->opts order */
	uint64_t iter;			/* ops run so far in this case (all phases) */
	/*
	 * The harness's phase for this op: PHASE_WARMUP, PHASE_MEASURE, or
	 * PHASE_IDLE for the one untimed op of a storm with a prep step.  A
	 * marks_window storm has the module mark the op's timed window so.
	 */
	enum phase phase;
	/* set by the storm */
	void *region;			/* the measured region, if any */
	size_t region_len;
	void *guard;			/* the region with its guard pages */
	size_t guard_len;
	void *priv;
	uint64_t extra;			/* per-op secondary value (extra_name) */
	char why[256];			/* reason for STORM_UNAVAILABLE or -1 */
};

/* setup() returns 0, -1 (error, ctx->why says why) or: */
#define STORM_UNAVAILABLE	1

struct storm {
	const char *name;
	const char *desc;		/* one line: what one op is */
	const char *models;		/* the real workload it stands for */
	struct storm_opt opts[STORM_MAX_OPTS];	/* ends at name == NULL */
	/* Footprint in bytes for the memory check before anything runs. */
	uint64_t (*footprint)(const struct storm_ctx *ctx);
	int (*setup)(struct storm_ctx *ctx);
	int (*prep)(struct storm_ctx *ctx);	/* optional, untimed phase */
	int (*op)(struct storm_ctx *ctx);	/* 0 or -1 with ctx->why */
	void (*teardown)(struct storm_ctx *ctx);
	const char *extra_name;		/* e.g. "kernel_ns"; NULL: none */
	/*
	 * 1: op() marks its own timed window as ctx->phase and the rest of
	 * the op as PHASE_UNTIMED (the module storms: the kernel marks the
	 * window, bench/kmod/INTERFACE.md).  The harness then marks
	 * PHASE_UNTIMED, not WARMUP/MEASURE, before the ops; its collector
	 * still counts them as WARMUP/MEASURE.
	 */
	int marks_window;
	/*
	 * 1: the op's kernel work runs in kernel threads that may run on any
	 * CPU (test_vmalloc's workers).  The case JSON says "vcpus": "all"
	 * and the lab's figures of the case are its counts over all vCPUs
	 * (lab_per_op()), not the storm's vCPU's alone.
	 */
	int counts_all_vcpus;
	/*
	 * Why this process's counters (the host collector's, opened for the
	 * process and its children) miss the op's work, or NULL: the case's
	 * perf counters are then reported unavailable with this reason.
	 */
	const char *unseen;
};

extern const struct storm *const storms[];
const struct storm *storm_find(const char *name);
int storm_opt_index(const struct storm *s, const char *name);

/* Helpers for storms. */
void *storm_map(struct storm_ctx *ctx, size_t len, int thp);
/* ctx->region = storm_map(len, thp), touched if @touch; 0 or -1. */
int storm_region_setup(struct storm_ctx *ctx, size_t len, int thp, int touch);
/* The same between two PROT_NONE pages: no VMA merges with it. */
int storm_region_setup_guarded(struct storm_ctx *ctx, size_t len, int thp,
			       int touch);
/* munmap ctx->region (with its guard pages) if there is one. */
void storm_region_teardown(struct storm_ctx *ctx);
void storm_touch(void *p, size_t len);
size_t storm_page_size(void);

#endif
