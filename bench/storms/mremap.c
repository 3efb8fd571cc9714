// SPDX-License-Identifier: GPL-2.0
/*
 * mremap.c - mremap storm: move a touched region back and forth between
 * two fixed addresses.  One op is one mremap(MREMAP_MAYMOVE|MREMAP_FIXED).
 *
 * Models realloc() of large blocks and garbage collectors moving heaps:
 * move_ptes() under lazy MMU.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "storm.h"

enum { O_SIZE, O_THP };

struct mremap_priv {
	char *home[2];	/* two slots of region_len; the region is in one */
};

static struct mremap_priv mremap_state;

static uint64_t mremap_footprint(const struct storm_ctx *ctx)
{
	return ctx->opt[O_SIZE];
}

static int mremap_setup(struct storm_ctx *ctx)
{
	struct mremap_priv *p = &mremap_state;
	size_t len = ctx->opt[O_SIZE];
	char *both;

	/* Reserve both slots (plus 2M for alignment), map the first. */
	both = storm_map(ctx, 2 * len, ctx->opt[O_THP]);
	if (!both)
		return -1;
	p->home[0] = both;
	p->home[1] = both + len;
	munmap(p->home[1], len);
	storm_touch(p->home[0], len);
	ctx->region = p->home[0];
	ctx->region_len = len;
	ctx->priv = p;
	return 0;
}

static int mremap_op(struct storm_ctx *ctx)
{
	struct mremap_priv *p = ctx->priv;
	char *to = ctx->region == p->home[0] ? p->home[1] : p->home[0];
	void *r;

	r = mremap(ctx->region, ctx->region_len, ctx->region_len,
		   MREMAP_MAYMOVE | MREMAP_FIXED, to);
	if (r == MAP_FAILED) {
		snprintf(ctx->why, sizeof(ctx->why), "mremap: %s",
			 strerror(errno));
		return -1;
	}
	ctx->region = r;
	return 0;
}

const struct storm mremap_storm = {
	.name = "mremap",
	.desc = "mremap() moving a touched region between two addresses",
	.models = "realloc() of large blocks, moving garbage collectors",
	.opts = {
		[O_SIZE] = STORM_OPT_SIZE("64M"),
		[O_THP] = STORM_OPT_THP,
	},
	.footprint = mremap_footprint,
	.setup = mremap_setup,
	.op = mremap_op,
	.teardown = storm_region_teardown,
};
