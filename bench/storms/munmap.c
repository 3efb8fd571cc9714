// SPDX-License-Identifier: GPL-2.0
/*
 * munmap.c - munmap storm: mmap and touch a region (prep, timed on its own)
 * then munmap it (the op).
 *
 * Models allocators returning large blocks and process teardown: the zap
 * in zap_pte_range() runs under lazy MMU and, past about 510 pages,
 * allocates extra mmu_gather batch pages inside the lazy section
 * (tlb_next_batch), which is where DEBUG_PAGEALLOC nests.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "storm.h"

enum { O_SIZE, O_THP };

static uint64_t munmap_footprint(const struct storm_ctx *ctx)
{
	return ctx->opt[O_SIZE];
}

static int munmap_setup(struct storm_ctx *ctx)
{
	ctx->region_len = ctx->opt[O_SIZE];
	return 0;
}

static int munmap_prep(struct storm_ctx *ctx)
{
	return storm_region_setup(ctx, ctx->opt[O_SIZE], ctx->opt[O_THP], 1);
}

static int munmap_op(struct storm_ctx *ctx)
{
	if (munmap(ctx->region, ctx->region_len)) {
		snprintf(ctx->why, sizeof(ctx->why), "munmap: %s",
			 strerror(errno));
		return -1;
	}
	ctx->region = NULL;
	return 0;
}

const struct storm munmap_storm = {
	.name = "munmap",
	.desc = "munmap() of a freshly touched region (mmap+touch is prep)",
	.models = "allocators freeing large blocks, process exit",
	.opts = {
		[O_SIZE] = STORM_OPT_SIZE("64M"),
		[O_THP] = STORM_OPT_THP,
	},
	.footprint = munmap_footprint,
	.setup = munmap_setup,
	.prep = munmap_prep,
	.op = munmap_op,
	.teardown = storm_region_teardown,
};
