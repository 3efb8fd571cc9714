// SPDX-License-Identifier: GPL-2.0
/*
 * kcost.c - kcost storm: the module's kernel-mode cost loops.  One op is
 * one read() of the lazymmu_bench module's "op" file in the mode named by
 * seq: N iterations, interrupts off, of the dsb ishst; isb pair after a
 * real kernel PTE write (pte), of a broadcast TLBI and its dsb ish
 * (tlbi-vaale1is, tlbi-vale1is), or of their overhead loops (pte0, loop),
 * marked as the harness's phase (bench/kmod/kcost.h says what each
 * iteration executes).  Its kernel_ns is the loop's time; a cost per
 * iteration is a loop's kernel_ns minus its overhead loop's, over N.
 *
 * Without the module the case is reported unavailable with the reason.
 */
#include <stdio.h>
#include "kmod.h"
#include "kmod/kcost.h"
#include "storm.h"

enum { O_SEQ, O_ITERATIONS };

#define KCOST_NAME(name, what)	name,
#define KCOST_HELP(name, what)	name ": " what "; "

static const char *const kcost_seqs[] = { KCOST_SEQS(KCOST_NAME) NULL };

static int kcost_fd = -1;

static uint64_t kcost_footprint(const struct storm_ctx *ctx)
{
	(void)ctx;
	return 0;
}

static int kcost_setup(struct storm_ctx *ctx)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "mode=%s pages=%ld huge=0 writes=0\n",
		 kcost_seqs[ctx->opt[O_SEQ]], ctx->opt[O_ITERATIONS]);
	return kmod_setup(ctx, cmd, &kcost_fd);
}

static int kcost_op(struct storm_ctx *ctx)
{
	return kmod_op(ctx, kcost_fd);
}

static void kcost_teardown(struct storm_ctx *ctx)
{
	(void)ctx;
	kmod_teardown(&kcost_fd);
}

const struct storm kcost_storm = {
	.name = "kcost",
	.desc = "iterations of one kernel barrier or TLBI sequence, interrupts off (module)",
	.models = "nothing: per-kind costs for compare --predict",
	.opts = {
		[O_SEQ] = { "seq", OPT_ENUM, "pte",
			    "one iteration: " KCOST_SEQS(KCOST_HELP)
			    "see bench/kmod/kcost.h",
			    kcost_seqs, 0,
			    sizeof(kcost_seqs) / sizeof(kcost_seqs[0]) - 2 },
		[O_ITERATIONS] = { "iterations", OPT_INT, "1000",
				   "iterations per op", NULL, 1,
				   LMB_PAGES_MAX },
	},
	.footprint = kcost_footprint,
	.setup = kcost_setup,
	.op = kcost_op,
	.teardown = kcost_teardown,
	.extra_name = "kernel_ns",
	.marks_window = 1,
};
