// SPDX-License-Identifier: GPL-2.0
/*
 * fork.c - fork storm: a parent with a touched anonymous footprint forks;
 * the child exits at once (cow=0) or first writes one byte per page
 * (cow=1).  One op is fork() up to the reaped child.
 *
 * Models process creation in shells and build systems: copy_pte_range()
 * under lazy MMU in the parent, the child's exit_mmap()/zap in the child,
 * and a vmalloc'd kernel stack per child (VMAP_STACK).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "storm.h"

enum { O_SIZE, O_THP, O_COW };

static uint64_t fork_footprint(const struct storm_ctx *ctx)
{
	/* The CoW child duplicates every page it writes. */
	return (uint64_t)ctx->opt[O_SIZE] * (ctx->opt[O_COW] ? 2 : 1);
}

static int fork_setup(struct storm_ctx *ctx)
{
	return storm_region_setup(ctx, ctx->opt[O_SIZE], ctx->opt[O_THP], 1);
}

static int fork_op(struct storm_ctx *ctx)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0) {
		snprintf(ctx->why, sizeof(ctx->why), "fork: %s",
			 strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (ctx->opt[O_COW])
			storm_touch(ctx->region, ctx->region_len);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		snprintf(ctx->why, sizeof(ctx->why), "child %d did not exit 0",
			 (int)pid);
		return -1;
	}
	return 0;
}

const struct storm fork_storm = {
	.name = "fork",
	.desc = "fork() of a touched parent up to the reaped child",
	.models = "process creation: shells, make, fork-exec servers",
	.opts = {
		[O_SIZE] = STORM_OPT_SIZE("64M"),
		[O_THP] = STORM_OPT_THP,
		[O_COW] = { "cow", OPT_BOOL, "0",
			    "1: the child writes one byte per page before exit",
			    NULL, 0, 1 },
	},
	.footprint = fork_footprint,
	.setup = fork_setup,
	.op = fork_op,
	.teardown = storm_region_teardown,
};
