// SPDX-License-Identifier: GPL-2.0
/*
 * modload.c - module load and unload storm: one op is finit_module() of
 * lmb_payload.ko (bench/kmod/lmb_payload.c: a few pages of text, read-only
 * data and data) and delete_module() of it.
 *
 * Models module loading (udev at boot, modprobe of drivers, BPF and
 * livepatch alike): the module's memory is vmalloc'd (execmem), made
 * read-only and executable with set_memory_*() (kernel PTE writes in lazy
 * MMU sections), and on unload reset and freed (VM_FLUSH_RESET_PERMS, the
 * direct map's aliases).
 *
 * The module file is found as modfile.c says (/lab/modules in the lab, or
 * $LMB_MODULE_DIR); without it, or without root, the case is unavailable.
 */
#include <stdio.h>
#include <unistd.h>
#include "modfile.h"
#include "storm.h"

static int modload_fd = -1, modload_flags;

static uint64_t modload_footprint(const struct storm_ctx *ctx)
{
	(void)ctx;
	return 1 << 20;		/* the module's memory and its copy, at most */
}

static int modload_setup(struct storm_ctx *ctx)
{
	return modfile_open(ctx, "lmb_payload", "extra", &modload_fd,
			    &modload_flags);
}

static int modload_op(struct storm_ctx *ctx)
{
	if (modfile_load(ctx, "lmb_payload", modload_fd, "", modload_flags, 0))
		return -1;
	return modfile_unload(ctx, "lmb_payload");
}

static void modload_teardown(struct storm_ctx *ctx)
{
	(void)ctx;
	if (modload_fd >= 0)
		close(modload_fd);
	modload_fd = -1;
}

const struct storm modload_storm = {
	.name = "modload",
	.desc = "finit_module() and delete_module() of a small module",
	.models = "module loading: udev at boot, modprobe, BPF-like text",
	.opts = {
		{ NULL },
	},
	.footprint = modload_footprint,
	.setup = modload_setup,
	.op = modload_op,
	.teardown = modload_teardown,
};
