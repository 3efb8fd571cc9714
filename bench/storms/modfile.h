/* SPDX-License-Identifier: GPL-2.0 */
/*
 * modfile.h - kernel module files for the storms that load a module (the
 * kernel's test_vmalloc, the module load/unload storm): finding the file
 * for the running kernel, and finit_module() with a reason on failure.
 */
#ifndef STORMS_MODFILE_H
#define STORMS_MODFILE_H

#include "storm.h"

/*
 * Open module @name's file, looked for in $LMB_MODULE_DIR/@name.ko (the
 * lab puts its modules in /lab/modules), /lab/modules/@name.ko, then the
 * running kernel's /lib/modules/RELEASE/@subdir/@name.ko (plain or
 * compressed with xz, zst or gz: then *flags gets
 * MODULE_INIT_COMPRESSED_FILE).  Returns 0 with *fd, or
 * STORM_UNAVAILABLE with ctx->why (not found, not root, built in).
 */
int modfile_open(struct storm_ctx *ctx, const char *name, const char *subdir,
		 int *fd, int *flags);
/*
 * finit_module(@fd, @params, @flags).  Returns 0 when the module loaded,
 * 1 when its init failed with @init_err (test_vmalloc's -EAGAIN: it ran
 * and unloaded itself), -1 otherwise with ctx->why.
 */
int modfile_load(struct storm_ctx *ctx, const char *name, int fd,
		 const char *params, int flags, int init_err);
/* delete_module(@name): 0 or -1 with ctx->why. */
int modfile_unload(struct storm_ctx *ctx, const char *name);

#endif
