// SPDX-License-Identifier: GPL-2.0
/*
 * kcalib.c - kcalib storm: the emulated lab's kernel-mode calibration.
 * One op is one read() of the lazymmu_bench module's "op" file in mode
 * calib: R rounds of known barriers and TLBIs at EL1 with interrupts off
 * (bench/kmod/kcalib.h says which and how many), marked as the harness's
 * phase.  Its counts go through the same import as every storm's, which
 * can check them exactly; its time is the loop's.
 *
 * Without the module the case is reported unavailable with the reason.
 */
#include <stdio.h>
#include "kmod.h"
#include "storm.h"

enum { O_ROUNDS };

static int kcalib_fd = -1;

static uint64_t kcalib_footprint(const struct storm_ctx *ctx)
{
	(void)ctx;
	return 0;
}

static int kcalib_setup(struct storm_ctx *ctx)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "mode=calib pages=%ld huge=0 writes=0\n",
		 ctx->opt[O_ROUNDS]);
	return kmod_setup(ctx, cmd, &kcalib_fd);
}

static int kcalib_op(struct storm_ctx *ctx)
{
	return kmod_op(ctx, kcalib_fd);
}

static void kcalib_teardown(struct storm_ctx *ctx)
{
	(void)ctx;
	kmod_teardown(&kcalib_fd);
}

const struct storm kcalib_storm = {
	.name = "kcalib",
	.desc = "rounds of known kernel barriers and TLBIs, interrupts off (module)",
	.models = "nothing: checks the lab's kernel counts end to end",
	.opts = {
		[O_ROUNDS] = { "rounds", OPT_INT, "1000",
			       "rounds per op, each 1 dsb ish, 2 dsb ishst, "
			       "3 dmb ish, 4 dmb ishld, 5 isb, 6 tlbi vale1is",
			       NULL, 1, LMB_PAGES_MAX },
	},
	.footprint = kcalib_footprint,
	.setup = kcalib_setup,
	.op = kcalib_op,
	.teardown = kcalib_teardown,
	.extra_name = "kernel_ns",
	.marks_window = 1,
};
