// SPDX-License-Identifier: GPL-2.0
/*
 * modfile.c - finding and loading kernel module files; see modfile.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include "modfile.h"

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE	4
#endif

static int try_open(const char *path, int *fd)
{
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	return *fd >= 0;
}

int modfile_open(struct storm_ctx *ctx, const char *name, const char *subdir,
		 int *fd, int *flags)
{
	static const char *const ext[] = { ".ko", ".ko.xz", ".ko.zst",
					   ".ko.gz", NULL };
	const char *dir = getenv("LMB_MODULE_DIR");
	struct utsname u;
	char path[512];
	struct stat st;
	int i;

	*fd = -1;
	*flags = 0;
	snprintf(path, sizeof(path), "/sys/module/%s", name);
	if (!stat(path, &st)) {
		snprintf(ctx->why, sizeof(ctx->why),
			 "%s is already in the kernel (built in or loaded)",
			 name);
		return STORM_UNAVAILABLE;
	}
	if (geteuid() != 0) {
		snprintf(ctx->why, sizeof(ctx->why),
			 "loading module %s needs root", name);
		return STORM_UNAVAILABLE;
	}
	snprintf(path, sizeof(path), "%s/%s.ko", dir ? dir : "/lab/modules",
		 name);
	if (try_open(path, fd))
		return 0;
	if (dir) {
		snprintf(ctx->why, sizeof(ctx->why), "%.200s: %s", path,
			 strerror(errno));
		return STORM_UNAVAILABLE;
	}
	uname(&u);
	for (i = 0; ext[i]; i++) {
		snprintf(path, sizeof(path), "/lib/modules/%s/%s/%s%s",
			 u.release, subdir, name, ext[i]);
		if (try_open(path, fd)) {
			*flags = i ? MODULE_INIT_COMPRESSED_FILE : 0;
			return 0;
		}
	}
	snprintf(ctx->why, sizeof(ctx->why),
		 "no %s.ko for kernel %s (in /lab/modules or /lib/modules/%s/%s)",
		 name, u.release, u.release, subdir);
	return STORM_UNAVAILABLE;
}

int modfile_load(struct storm_ctx *ctx, const char *name, int fd,
		 const char *params, int flags, int init_err)
{
	if (!syscall(SYS_finit_module, fd, params, flags))
		return 0;
	if (init_err && errno == init_err)
		return 1;
	snprintf(ctx->why, sizeof(ctx->why), "finit_module %s: %s", name,
		 strerror(errno));
	return -1;
}

int modfile_unload(struct storm_ctx *ctx, const char *name)
{
	if (!syscall(SYS_delete_module, name, O_NONBLOCK))
		return 0;
	snprintf(ctx->why, sizeof(ctx->why), "delete_module %s: %s", name,
		 strerror(errno));
	return -1;
}
