/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmod.h - the user-space side of the lazymmu_bench module's debugfs
 * contract (bench/kmod/INTERFACE.md), shared by the storms that drive the
 * module (vmalloc, kcalib, kcost).
 */
#ifndef STORMS_KMOD_H
#define STORMS_KMOD_H

#include "storm.h"
#include "kmod/interface.h"

/*
 * Write @config ("mode=... pages=... huge=... writes=...\n") to the
 * module's config file and open its op file into *fd.  Returns 0, -1
 * (config rejected; ctx->why says why) or STORM_UNAVAILABLE (no module,
 * no debugfs; ctx->why says which).
 */
int kmod_setup(struct storm_ctx *ctx, const char *config, int *fd);
/*
 * One op: a read of op at LMB_OP_MARKED + ctx->phase, so that the module
 * marks its timed window as ctx->phase and the rest as "untimed"; the
 * in-kernel ns go to ctx->extra.  0 or -1 with ctx->why.
 */
int kmod_op(struct storm_ctx *ctx, int fd);
/* Close *fd if open. */
void kmod_teardown(int *fd);

#endif
