// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc.c - vmalloc storm: the user-space driver of the lazymmu_bench
 * module (bench/kmod/).  One op is one read() of the module's "op" file,
 * which runs one kernel operation, marks its timed window with the
 * harness's phase and returns its in-kernel duration.  The interface is
 * specified in bench/kmod/INTERFACE.md; the plumbing is kmod.c's.
 *
 * Models what batching was written for: vmalloc()/vmap() write valid
 * kernel PTEs inside a lazy section (vmap_pte_range), and, in "nested"
 * mode, an apply_to_page_range() walk that allocates inside the section.
 *
 * Without the module the case is reported unavailable with the reason.
 */
#include <stdio.h>
#include "kmod.h"
#include "storm.h"

enum { O_SIZE, O_MODE, O_HUGE, O_WRITES };

static const char *const vmalloc_modes[] = { "vmalloc", "vmap", "nested",
					     NULL };

static int vmalloc_fd = -1;

static uint64_t vmalloc_footprint(const struct storm_ctx *ctx)
{
	return ctx->opt[O_SIZE];
}

static int vmalloc_setup(struct storm_ctx *ctx)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "mode=%s pages=%lu huge=%ld writes=%ld\n",
		 vmalloc_modes[ctx->opt[O_MODE]],
		 (unsigned long)(ctx->opt[O_SIZE] / storm_page_size()),
		 ctx->opt[O_HUGE], ctx->opt[O_WRITES]);
	return kmod_setup(ctx, cmd, &vmalloc_fd);
}

static int vmalloc_op(struct storm_ctx *ctx)
{
	return kmod_op(ctx, vmalloc_fd);
}

static void vmalloc_teardown(struct storm_ctx *ctx)
{
	(void)ctx;
	kmod_teardown(&vmalloc_fd);
}

const struct storm vmalloc_storm = {
	.name = "vmalloc",
	.desc = "one kernel vmalloc+vfree / vmap+vunmap / nested walk",
	.models = "vmalloc users (module load, BPF, kvmalloc), bpf arena, KASAN",
	.opts = {
		[O_SIZE] = { "size", OPT_SIZE, "64K",
			     "bytes per allocation (whole pages; the module's "
			     "limit is 256M)", NULL, 4096, 1L << 28 },
		[O_MODE] = { "mode", OPT_ENUM, "vmalloc",
			     "vmalloc, vmap (preallocated pages) or nested "
			     "(allocation inside an apply_to_page_range walk)",
			     vmalloc_modes, 0, 2 },
		[O_HUGE] = { "huge", OPT_BOOL, "0",
			     "1: allow huge vmalloc mappings (mode=vmalloc)",
			     NULL, 0, 1 },
		[O_WRITES] = { "writes", OPT_INT, "1",
			       "nested: kernel PTE writes after each allocation",
			       NULL, 0, LMB_WRITES_MAX },
	},
	.footprint = vmalloc_footprint,
	.setup = vmalloc_setup,
	.op = vmalloc_op,
	.teardown = vmalloc_teardown,
	.extra_name = "kernel_ns",
	.marks_window = 1,
};
