// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc.c - vmalloc storm: the user-space driver of the lazymmu_bench
 * module (bench/kmod/).  One op is one read() of the module's "op" file,
 * which runs one kernel operation and returns its in-kernel duration.
 * The interface is specified in bench/kmod/INTERFACE.md.
 *
 * Models what batching was written for: vmalloc()/vmap() write valid
 * kernel PTEs inside a lazy section (vmap_pte_range), and, in "nested"
 * mode, an apply_to_page_range() walk that allocates inside the section.
 *
 * Without the module the case is reported unavailable with the reason.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "storm.h"

enum { O_SIZE, O_MODE, O_HUGE, O_WRITES };

static const char *const vmalloc_modes[] = { "vmalloc", "vmap", "nested",
					     NULL };

static int vmalloc_fd = -1;

static const char *debugfs_dir(void)
{
	const char *d = getenv("LAZYMMU_DEBUGFS");

	return d ? d : "/sys/kernel/debug/lazymmu_bench";
}

static uint64_t vmalloc_footprint(const struct storm_ctx *ctx)
{
	return ctx->opt[O_SIZE];
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

static int vmalloc_setup(struct storm_ctx *ctx)
{
	char path[512], cmd[128];
	int fd, len;

	snprintf(path, sizeof(path), "%s/config", debugfs_dir());
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return unavailable(ctx, path, errno);
	len = snprintf(cmd, sizeof(cmd), "mode=%s pages=%lu huge=%ld writes=%ld\n",
		       vmalloc_modes[ctx->opt[O_MODE]],
		       (unsigned long)(ctx->opt[O_SIZE] / storm_page_size()),
		       ctx->opt[O_HUGE], ctx->opt[O_WRITES]);
	if (write(fd, cmd, len) != len) {
		snprintf(ctx->why, sizeof(ctx->why), "%.120s: rejected '%.*s': %s",
			 path, len - 1, cmd, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);

	snprintf(path, sizeof(path), "%s/op", debugfs_dir());
	vmalloc_fd = open(path, O_RDONLY);
	if (vmalloc_fd < 0)
		return unavailable(ctx, path, errno);
	return 0;
}

static int vmalloc_op(struct storm_ctx *ctx)
{
	char buf[32];
	ssize_t n;

	n = pread(vmalloc_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0) {
		snprintf(ctx->why, sizeof(ctx->why), "read op: %s",
			 n < 0 ? strerror(errno) : "empty");
		return -1;
	}
	buf[n] = '\0';
	ctx->extra = strtoull(buf, NULL, 10);
	return 0;
}

static void vmalloc_teardown(struct storm_ctx *ctx)
{
	if (vmalloc_fd >= 0)
		close(vmalloc_fd);
	vmalloc_fd = -1;
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
			       NULL, 0, 512 },
	},
	.footprint = vmalloc_footprint,
	.setup = vmalloc_setup,
	.op = vmalloc_op,
	.teardown = vmalloc_teardown,
	.extra_name = "kernel_ns",
};
