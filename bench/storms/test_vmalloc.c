// SPDX-License-Identifier: GPL-2.0
/*
 * test_vmalloc.c - the kernel's own vmalloc test as a storm: one op is one
 * load of lib/test_vmalloc.ko (CONFIG_TEST_VMALLOC=m), which runs the
 * chosen test `loops` times in `threads` kernel threads and then fails its
 * init with -EAGAIN, so the module is gone again when the op returns.
 *
 * The op marks its own window (marks_window): the load is counted, then
 * the module's "Summary:" lines in /dev/kmsg are checked outside it, so an
 * op whose test failed is an error, never a count.  The test runs in
 * kernel threads that may run on any CPU, so the lab counts these cases
 * over all vCPUs (counts_all_vcpus): run them with one vCPU for the
 * storm's per-op figure, and read a threads>1 case as the whole machine's.
 *
 * test=none loads the module and runs no test: the load, the threads and
 * the free, to subtract from a test's figures.  Per call = (op - none) /
 * loops.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "modfile.h"
#include "storm.h"

enum { O_TEST, O_LOOPS, O_PAGES, O_HUGE, O_THREADS };

/* none, default (the module's own mask, 7), then the module's tests in
 * its test_case_array order: test i is bit i of run_test_mask. */
static const char *const tv_tests[] = {
	"none", "default",
	"fix_size_alloc_test", "full_fit_alloc_test",
	"long_busy_list_alloc_test", "random_size_alloc_test",
	"fix_align_alloc_test", "random_size_align_alloc_test",
	"align_shift_alloc_test", "pcpu_alloc_test",
	"kvfree_rcu_1_arg_vmalloc_test", "kvfree_rcu_2_arg_vmalloc_test",
	"vm_map_ram_test", "no_block_alloc_test", "vrealloc_test",
	NULL
};
#define TV_FIRST	2
#define TV_NTESTS	(int)(sizeof(tv_tests) / sizeof(tv_tests[0]) - 1)

static struct {
	int fd, flags, kmsg;
	unsigned int mask;
	char params[192];
} tv = { -1, 0, -1, 0, "" };

static unsigned int tv_mask(long test)
{
	if (test == 0)
		return 0;
	if (test == 1)
		return 7;
	return 1u << (test - TV_FIRST);
}

static uint64_t tv_footprint(const struct storm_ctx *ctx)
{
	/* What one thread holds at a time, at most: long_busy_list's 15000
	 * pages, or one allocation of the pages asked for. */
	uint64_t one = (uint64_t)(ctx->opt[O_PAGES] ? ctx->opt[O_PAGES] : 1) *
		       storm_page_size();

	if (one < 15000 * storm_page_size())
		one = 15000 * storm_page_size();
	return one * ctx->opt[O_THREADS];
}

static int tv_setup(struct storm_ctx *ctx)
{
	int rc;

	rc = modfile_open(ctx, "test_vmalloc", "kernel/lib", &tv.fd, &tv.flags);
	if (rc)
		return rc;
	tv.kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (tv.kmsg < 0) {
		snprintf(ctx->why, sizeof(ctx->why),
			 "/dev/kmsg: %s (the test's results are only there)",
			 strerror(errno));
		close(tv.fd);
		tv.fd = -1;
		return STORM_UNAVAILABLE;
	}
	lseek(tv.kmsg, 0, SEEK_END);
	tv.mask = tv_mask(ctx->opt[O_TEST]);
	snprintf(tv.params, sizeof(tv.params),
		 "run_test_mask=%u test_loop_count=%ld nr_pages=%ld use_huge=%ld nr_threads=%ld test_repeat_count=1 sequential_test_order=1",
		 tv.mask, ctx->opt[O_LOOPS], ctx->opt[O_PAGES],
		 ctx->opt[O_HUGE], ctx->opt[O_THREADS]);
	return 0;
}

/*
 * The Summary lines of the load just done: one per test of the mask and
 * thread, each with failed: 0 and passed + xfailed = 1.  0, or -1 with
 * ctx->why.
 */
static int tv_check(struct storm_ctx *ctx)
{
	int want = __builtin_popcount(tv.mask) * (int)ctx->opt[O_THREADS];
	int seen = 0, passed, failed, xfailed;
	char rec[1024], name[64];
	const char *s;
	ssize_t n;

	for (;;) {
		n = read(tv.kmsg, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)	/* overwritten records */
			continue;
		if (n <= 0)
			break;
		rec[n] = '\0';
		s = strstr(rec, "Summary: ");
		if (!s || sscanf(s, "Summary: %63s passed: %d failed: %d xfailed: %d",
				 name, &passed, &failed, &xfailed) != 4)
			continue;
		seen++;
		if (failed || passed + xfailed != 1) {
			snprintf(ctx->why, sizeof(ctx->why),
				 "test_vmalloc: %s passed %d, failed %d, xfailed %d",
				 name, passed, failed, xfailed);
			return -1;
		}
	}
	if (seen != want) {
		snprintf(ctx->why, sizeof(ctx->why),
			 "test_vmalloc: %d Summary lines in /dev/kmsg, expected %d",
			 seen, want);
		return -1;
	}
	return 0;
}

static int tv_op(struct storm_ctx *ctx)
{
	int rc;

	phase_mark(ctx->phase);
	rc = modfile_load(ctx, "test_vmalloc", tv.fd, tv.params, tv.flags,
			  EAGAIN);
	phase_mark(PHASE_UNTIMED);
	if (rc == 0) {
		/* A test_vmalloc that stays loaded is not the one we know. */
		modfile_unload(ctx, "test_vmalloc");
		snprintf(ctx->why, sizeof(ctx->why),
			 "test_vmalloc stayed loaded (its init did not return -EAGAIN)");
		return -1;
	}
	if (rc < 0)
		return -1;
	return tv_check(ctx);
}

static void tv_teardown(struct storm_ctx *ctx)
{
	(void)ctx;
	if (tv.fd >= 0)
		close(tv.fd);
	if (tv.kmsg >= 0)
		close(tv.kmsg);
	tv.fd = tv.kmsg = -1;
}

const struct storm test_vmalloc_storm = {
	.name = "test_vmalloc",
	.desc = "one load of lib/test_vmalloc.ko running one test loops times",
	.models = "the kernel's own vmalloc test (the batching series' figures)",
	.opts = {
		[O_TEST] = { "test", OPT_ENUM, "fix_size_alloc_test",
			     "a test of lib/test_vmalloc.c, default (its mask 7) "
			     "or none (load and free only)",
			     tv_tests, 0, TV_NTESTS - 1 },
		[O_LOOPS] = { "loops", OPT_INT, "1000",
			      "test_loop_count: calls per test and thread",
			      NULL, 1, 100000000 },
		[O_PAGES] = { "pages", OPT_INT, "0",
			      "nr_pages of fix_size_alloc_test (0: 1)",
			      NULL, 0, 65536 },
		[O_HUGE] = { "huge", OPT_BOOL, "0",
			     "use_huge: vmalloc_huge in fix_size_alloc_test",
			     NULL, 0, 1 },
		[O_THREADS] = { "threads", OPT_INT, "1",
				"nr_threads: kernel threads, each running the test",
				NULL, 1, 1024 },
	},
	.footprint = tv_footprint,
	.setup = tv_setup,
	.op = tv_op,
	.teardown = tv_teardown,
	.marks_window = 1,
	.counts_all_vcpus = 1,
	.unseen = "test_vmalloc's work runs in kernel threads, which this "
		  "process's counters do not count (the lab's plugin does)",
};
