// SPDX-License-Identifier: GPL-2.0
/*
 * plugin-prog - a user-mode aarch64 program with known barrier and cache
 * maintenance counts per case and phase, for tests/lab/plugin.t.  It uses
 * the harness's own marker code (bench/phase.c) and calibration loop
 * (bench/calib.c), so the test checks the same encoding the storms emit.
 *
 *   case 0x12345678: setup 5 x dsb ishst; measure 7 x dmb ishld,
 *                    11 x dc cvau, 13 x ic ivau; calib 1000 x dsb ish +
 *                    dmb ish + isb
 *   case 2:          measure 17 x dsb sy, 19 x isb; prep 3 x dmb st
 *
 * plugin-prog ids N: N distinct case ids (1000, 1001, ...), one dsb sy in
 * each case's measure phase: how many case slots the plugin keeps
 * (LMB_CASE_SLOTS, bench/phase.h).
 */
#include <stdlib.h>
#include <string.h>
#include "calib.h"
#include "phase.h"

static char line[256] __attribute__((aligned(64)));

#define REP(n, insn) do { int i_; for (i_ = 0; i_ < (n); i_++) \
	asm volatile(insn ::: "memory"); } while (0)

int main(int argc, char **argv)
{
	struct calib_expect exp;
	int i;

	if (argc == 3 && !strcmp(argv[1], "ids")) {
		for (i = 0; i < atoi(argv[2]); i++) {
			phase_mark_id(1000 + i);
			phase_mark(PHASE_MEASURE);
			REP(1, "dsb sy");
			phase_mark(PHASE_IDLE);
		}
		return 0;
	}

	phase_mark_id(0x12345678);
	phase_mark(PHASE_SETUP);
	REP(5, "dsb ishst");
	phase_mark(PHASE_MEASURE);
	REP(7, "dmb ishld");
	for (i = 0; i < 11; i++)
		asm volatile("dc cvau, %0" :: "r"(line) : "memory");
	for (i = 0; i < 13; i++)
		asm volatile("ic ivau, %0" :: "r"(line) : "memory");
	phase_mark(PHASE_CALIB);
	calib_run(1000, &exp);
	phase_mark(PHASE_IDLE);

	phase_mark_id(2);
	phase_mark(PHASE_MEASURE);
	REP(17, "dsb sy");
	REP(19, "isb");
	phase_mark(PHASE_PREP);
	REP(3, "dmb st");
	phase_mark(PHASE_IDLE);
	return exp.dsb == 1000 ? 0 : 1;
}
