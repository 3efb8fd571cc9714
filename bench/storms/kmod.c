// SPDX-License-Identifier: GPL-2.0
/*
 * kmod.c - the debugfs plumbing of the storms that drive the lazymmu_bench
 * module; see kmod.h and bench/kmod/INTERFACE.md.
 *
 * The module's directory is /sys/kernel/debug/lazymmu_bench, or
 * $LAZYMMU_DEBUGFS (for tests).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kmod.h"

static const char *debugfs_dir(void)
{
	const char *d = getenv("LAZYMMU_DEBUGFS");

	return d ? d : "/sys/kernel/debug/lazymmu_bench";
}

static int debugfs_mounted(void)
{
	char line[512];
	FILE *f = fopen("/proc/mounts", "r");
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, " /sys/kernel/debug debugfs ") != NULL;
	fclose(f);
	return found;
}

static int unavailable(struct storm_ctx *ctx, const char *path, int err)
{
	if (err == ENOENT && !getenv("LAZYMMU_DEBUGFS") && !debugfs_mounted())
		snprintf(ctx->why, sizeof(ctx->why),
			 "debugfs is not mounted at /sys/kernel/debug");
	else if (err == ENOENT)
		snprintf(ctx->why, sizeof(ctx->why),
			 "%s missing: module lazymmu_bench not loaded (bench/kmod)",
			 path);
	else
		snprintf(ctx->why, sizeof(ctx->why), "%s: %s", path,
			 strerror(err));
	return STORM_UNAVAILABLE;
}

int kmod_setup(struct storm_ctx *ctx, const char *config, int *fd)
{
	int len = (int)strlen(config);
	char path[512];
	ssize_t n;
	int cfd;

	*fd = -1;
	snprintf(path, sizeof(path), "%s/config", debugfs_dir());
	cfd = open(path, O_WRONLY);
	if (cfd < 0)
		return unavailable(ctx, path, errno);
	n = write(cfd, config, len);
	if (n != len) {
		snprintf(ctx->why, sizeof(ctx->why), "%.120s: rejected '%.*s': %s",
			 path, len > 0 && config[len - 1] == '\n' ? len - 1 : len,
			 config, n < 0 ? strerror(errno) : "short write");
		close(cfd);
		return -1;
	}
	close(cfd);

	snprintf(path, sizeof(path), "%s/op", debugfs_dir());
	*fd = open(path, O_RDONLY);
	if (*fd < 0)
		return unavailable(ctx, path, errno);
	return 0;
}

int kmod_op(struct storm_ctx *ctx, int fd)
{
	char buf[32];
	ssize_t n;

	n = pread(fd, buf, sizeof(buf) - 1, LMB_OP_MARKED + ctx->phase);
	if (n <= 0) {
		snprintf(ctx->why, sizeof(ctx->why), "read op: %s",
			 n < 0 ? strerror(errno) : "empty");
		return -1;
	}
	buf[n] = '\0';
	ctx->extra = strtoull(buf, NULL, 10);
	return 0;
}

void kmod_teardown(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}
