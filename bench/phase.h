/* SPDX-License-Identifier: GPL-2.0 */
/*
 * phase.h - phase ids and the marker instructions an outside observer sees.
 *
 * This is the one definition of the marker encoding; the harness emits it
 * and the emulated lab's TCG plugin decodes it.  On aarch64 a marker is a
 * HINT instruction from the architectural NOP space (HINT #96..#127 are
 * unallocated up to Armv9.5 and execute as NOP).  Elsewhere it is nothing.
 *
 *   hint #(0x70 + phase)	enter phase (0x70..0x7e)
 *   hint #0x7f		case id follows: eight hints #(0x60 + nibble),
 *			most significant nibble first
 */
#ifndef PHASE_H
#define PHASE_H

/* The kernel module (bench/kmod) marks phases too: it includes this file. */
#ifndef __KERNEL__
#include <stdint.h>
#endif

enum phase {
	PHASE_IDLE = 0,		/* harness bookkeeping, nothing measured */
	PHASE_SETUP,		/* a case builds its region */
	PHASE_WARMUP,		/* warm-up ops, not recorded */
	PHASE_MEASURE,		/* the timed ops */
	PHASE_PREP,		/* untimed per-op preparation (e.g. mmap+touch) */
	PHASE_CALIB,		/* known barrier counts, see calib.c */
	PHASE_UNTIMED,		/* an op's work outside its timed window that
				 * only the kernel module can mark: its syscall
				 * entry and exit, its teardown */
	PHASE_NR
};

#define PHASE_MARK_BASE		0x70
#define PHASE_MARK_ID		0x7f
#define PHASE_NIBBLE_BASE	0x60

/*
 * Case ids.  The harness names case i of a run by its index i, so a run
 * holds at most LMB_MAX_CASES cases: the harness's case table (bench/opts.h
 * MAX_CASES) and the lab, which refuses a bigger profile before booting
 * (scripts/lab/lab).  The lab's guest also names a few fixed ids from the
 * top of the range (bench/lab/init.c: the kprobe window and its end,
 * 0xfffffff0/1; scripts/lab/overhead: the bare loop before and after,
 * 0xfffffffd/e).  The plugin (bench/lab/plugin/lmbcount.c) keeps a slot for
 * each id it sees and slot 0 for "before any case": LMB_CASE_SLOTS, so a
 * run the harness accepts always fits.
 */
#define LMB_MAX_CASES		256
#define LMB_FIXED_CASE_IDS	4
#define LMB_CASE_SLOTS		(1 + LMB_MAX_CASES + LMB_FIXED_CASE_IDS)

#ifndef __KERNEL__
extern const char *const phase_names[PHASE_NR];

/* Emit the marker for @phase (a no-op off aarch64). */
void phase_mark(enum phase phase);
/* Emit the case-id sequence for @id (a no-op off aarch64). */
void phase_mark_id(uint32_t id);
#endif

#endif
