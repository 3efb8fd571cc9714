// SPDX-License-Identifier: GPL-2.0
/*
 * mprotect.c - mprotect storm: toggle a touched region between PROT_READ
 * and PROT_READ|PROT_WRITE.  One op is one mprotect() call.
 *
 * Models JITs and garbage collectors flipping page permissions:
 * change_pte_range() under lazy MMU, user PTEs only.  The region sits
 * between guard pages, so no op merges or splits a VMA.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "storm.h"

enum { O_SIZE, O_THP };

static uint64_t mprotect_footprint(const struct storm_ctx *ctx)
{
	return ctx->opt[O_SIZE];
}

static int mprotect_setup(struct storm_ctx *ctx)
{
	return storm_region_setup_guarded(ctx, ctx->opt[O_SIZE],
					  ctx->opt[O_THP], 1);
}

static int mprotect_op(struct storm_ctx *ctx)
{
	int prot = (ctx->iter & 1) ? PROT_READ | PROT_WRITE : PROT_READ;

	if (mprotect(ctx->region, ctx->region_len, prot)) {
		snprintf(ctx->why, sizeof(ctx->why), "mprotect: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

const struct storm mprotect_storm = {
	.name = "mprotect",
	.desc = "one mprotect() toggling PROT_READ <-> PROT_READ|PROT_WRITE",
	.models = "JIT code pages and GC write barriers flipping permissions",
	.opts = {
		[O_SIZE] = STORM_OPT_SIZE("4K"),
		[O_THP] = STORM_OPT_THP,
	},
	.footprint = mprotect_footprint,
	.setup = mprotect_setup,
	.op = mprotect_op,
	.teardown = storm_region_teardown,
};
