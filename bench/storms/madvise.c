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
	return storm_region_setup(ctx, ctx->opt[O_SIZE], ctx->opt[O_THP], 0);
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
	.teardown = storm_region_teardown,
};
