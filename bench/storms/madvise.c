// SPDX-License-Identifier: GPL-2.0
/*
 * madvise.c - MADV_DONTNEED storm: touch a region (prep) and drop its
 * pages with madvise(MADV_DONTNEED) (the op); the mapping stays.
 *
 * Models malloc implementations (glibc, jemalloc, tcmalloc) returning
 * memory to the kernel: the same zap path as munmap without VMA changes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "storm.h"

enum { O_SIZE, O_THP };

static uint64_t madvise_footprint(const struct storm_ctx *ctx)
{
	return ctx->opt[O_SIZE];
}

static int madvise_setup(struct storm_ctx *ctx)
{
	ctx->region_len = ctx->opt[O_SIZE];
	ctx->region = storm_map(ctx, ctx->region_len, ctx->opt[O_THP]);
	return ctx->region ? 0 : -1;
}

static int madvise_prep(struct storm_ctx *ctx)
{
	storm_touch(ctx->region, ctx->region_len);
	return 0;
}

static int madvise_op(struct storm_ctx *ctx)
{
	if (madvise(ctx->region, ctx->region_len, MADV_DONTNEED)) {
		snprintf(ctx->why, sizeof(ctx->why), "madvise: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

static void madvise_teardown(struct storm_ctx *ctx)
{
	if (ctx->region)
		munmap(ctx->region, ctx->region_len);
}

const struct storm madvise_storm = {
	.name = "madvise",
	.desc = "madvise(MADV_DONTNEED) of a touched region (touch is prep)",
	.models = "malloc arenas returning memory (glibc, jemalloc, tcmalloc)",
	.opts = {
		[O_SIZE] = STORM_OPT_SIZE("64M"),
		[O_THP] = STORM_OPT_THP,
	},
	.footprint = madvise_footprint,
	.setup = madvise_setup,
	.prep = madvise_prep,
	.op = madvise_op,
	.teardown = madvise_teardown,
};
