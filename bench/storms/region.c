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

/*
 * The region between two PROT_NONE guard pages, so that no neighbouring
 * VMA can merge with it when its protection changes.  Without them a run
 * whose region happened to land beside a compatible VMA measured a VMA
 * merge and split in every mprotect(), and the run's median depended on
 * the process's layout (issue 13: mprotect 4K took 770 or 910 ns by the
 * run, ~10 % CoV between runs, stable within a run).
 */
int storm_region_setup_guarded(struct storm_ctx *ctx, size_t len, int thp,
			       int touch)
{
	size_t ps = storm_page_size(), align = thp ? HPAGE_SIZE : ps;
	size_t total = len + align + 2 * ps;
	char *g, *start, *p;

	g = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
		 MAP_NORESERVE, -1, 0);
	if (g == MAP_FAILED) {
		snprintf(ctx->why, sizeof(ctx->why), "mmap of %zu bytes: %s",
			 total, strerror(errno));
		return -1;
	}
	start = (char *)(((unsigned long)g + ps + align - 1) & ~(align - 1));
	p = mmap(start, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p == MAP_FAILED) {
		snprintf(ctx->why, sizeof(ctx->why), "mmap of %zu bytes: %s",
			 len, strerror(errno));
		munmap(g, total);
		return -1;
	}
	/* keep one guard page on each side, give back the slack */
	if (start - ps > g)
		munmap(g, start - ps - g);
	if (start + len + ps < g + total)
		munmap(start + len + ps, g + total - (start + len + ps));
	ctx->guard = start - ps;
	ctx->guard_len = len + 2 * ps;
	ctx->region = start;
	ctx->region_len = len;
	if (madvise(start, len, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) &&
	    thp) {
		snprintf(ctx->why, sizeof(ctx->why),
			 "madvise(MADV_HUGEPAGE): %s", strerror(errno));
		return -1;
	}
	if (touch)
		storm_touch(start, len);
	return 0;
}

void storm_region_teardown(struct storm_ctx *ctx)
{
	if (ctx->guard)
		munmap(ctx->guard, ctx->guard_len);
	else if (ctx->region)
		munmap(ctx->region, ctx->region_len);
	ctx->region = NULL;
	ctx->guard = NULL;
}
