// SPDX-License-Identifier: GPL-2.0
/*
 * region.c - anonymous regions for storms: mapped, THP state made explicit,
 * and touched.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "storm.h"

#define HPAGE_SIZE	(2UL << 20)

size_t storm_page_size(void)
{
	static size_t ps;

	if (!ps)
		ps = (size_t)sysconf(_SC_PAGESIZE);
	return ps;
}

/*
 * Map @len bytes of private anonymous memory.  With @thp the region is
 * 2M-aligned and MADV_HUGEPAGE; without it MADV_NOHUGEPAGE, so the result
 * does not depend on the system's THP "enabled" setting.
 */
void *storm_map(struct storm_ctx *ctx, size_t len, int thp)
{
	size_t extra = thp ? HPAGE_SIZE : 0;
	char *p, *aligned;

	p = mmap(NULL, len + extra, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		snprintf(ctx->why, sizeof(ctx->why), "mmap of %zu bytes: %s",
			 len, strerror(errno));
		return NULL;
	}
	aligned = p;
	if (thp) {
		aligned = (char *)(((unsigned long)p + HPAGE_SIZE - 1) &
				   ~(HPAGE_SIZE - 1));
		if (aligned > p)
			munmap(p, aligned - p);
		if (aligned + len < p + len + extra)
			munmap(aligned + len, p + len + extra - (aligned + len));
	}
	if (madvise(aligned, len, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) &&
	    thp) {
		snprintf(ctx->why, sizeof(ctx->why),
			 "madvise(MADV_HUGEPAGE): %s", strerror(errno));
		munmap(aligned, len);
		return NULL;
	}
	return aligned;
}

/* Write one byte per base page so every page is populated. */
void storm_touch(void *p, size_t len)
{
	size_t ps = storm_page_size(), off;
	volatile char *c = p;

	for (off = 0; off < len; off += ps)
		c[off] = 1;
}

int storm_region_setup(struct storm_ctx *ctx, size_t len, int thp, int touch)
{
	ctx->region_len = len;
	ctx->region = storm_map(ctx, len, thp);
	if (!ctx->region)
		return -1;
	if (touch)
		storm_touch(ctx->region, len);
	return 0;
}

void storm_region_teardown(struct storm_ctx *ctx)
{
	if (ctx->region)
		munmap(ctx->region, ctx->region_len);
	ctx->region = NULL;
}
