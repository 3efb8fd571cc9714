// SPDX-License-Identifier: GPL-2.0
/*
 * bare-mprotect.c - the baseline for the harness overhead figure of
 * scripts/selfbench: the syscalls of the mprotect storm (one touched page
 * between two PROT_NONE guard pages as storm_region_setup_guarded() makes
 * them, MADV_NOHUGEPAGE, toggled PROT_READ <-> PROT_READ|PROT_WRITE,
 * PROT_READ first) with no per-op instrumentation.  Only each batch of --batch calls
 * is timed (CLOCK_MONOTONIC_RAW); the per-op time of a batch is its time
 * over --batch, and the figure is the median of those over --batches.
 *
 * Pins like lazymmu-bench: --cpu N, or by default the last allowed CPU.
 * Prints one JSON object on stdout.
 *
 * On aarch64 it marks its phases as the harness does (bench/phase.h), as
 * case --case-id (default BARE_CASE_ID): setup, warmup batches, then the
 * measured batches (their timing included) as "measure", so the emulated
 * lab's plugin counts its instructions per op like the harness's
 * (scripts/lab/overhead).  The markers sit outside the batches: nothing
 * is added per op.
 */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#include "phase.h"

/* Far from the harness's case indexes and the lab init's 0xfffffff0/1. */
#define BARE_CASE_ID	0xfffffffeu

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void die(const char *what)
{
	fprintf(stderr, "bare-mprotect: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void usage(void)
{
	fprintf(stderr, "usage: bare-mprotect [--cpu N|auto|none] [--batch B]"
		" [--batches N] [--warmup N] [--case-id ID]\n"
		"  defaults: --cpu auto (last allowed CPU) --batch 1000"
		" --batches 100 --warmup 10 (batches) --case-id %u\n",
		BARE_CASE_ID);
	exit(2);
}

int main(int argc, char **argv)
{
	long cpu = -2, batch = 1000, batches = 100, warmup = 10, b, i;
	unsigned long case_id = BARE_CASE_ID;
	char *end;
	uint64_t iter = 0, t0, dt, total = 0;
	size_t ps = (size_t)sysconf(_SC_PAGESIZE);
	double *per_op, median;
	volatile char *page;
	char *guard;
	cpu_set_t set;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *val = argv[i + 1];

		if (!val)
			usage();
		if (!strcmp(arg, "--cpu"))
			cpu = !strcmp(val, "auto") ? -2 :
			      !strcmp(val, "none") ? -1 : atol(val);
		else if (!strcmp(arg, "--batch"))
			batch = atol(val);
		else if (!strcmp(arg, "--batches"))
			batches = atol(val);
		else if (!strcmp(arg, "--warmup"))
			warmup = atol(val);
		else if (!strcmp(arg, "--case-id")) {
			errno = 0;
			case_id = strtoul(val, &end, 0);
			if (errno || *end || !*val || case_id > UINT32_MAX)
				usage();
		} else
			usage();
		i++;
	}
	if (batch < 1 || batches < 1 || warmup < 0 || cpu < -2 ||
	    cpu >= CPU_SETSIZE)
		usage();

	if (cpu != -1) {
		if (sched_getaffinity(0, sizeof(set), &set))
			die("sched_getaffinity");
		if (cpu == -2)
			for (cpu = CPU_SETSIZE - 1; cpu > 0 &&
			     !CPU_ISSET(cpu, &set); cpu--)
				;
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			die("sched_setaffinity");
	}

	phase_mark_id(case_id);
	phase_mark(PHASE_SETUP);
	/* the storm's layout: guard, page, guard (no VMA merges with it) */
	guard = mmap(NULL, 3 * ps, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (guard == MAP_FAILED)
		die("mmap");
	page = mmap(guard + ps, ps, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (page == MAP_FAILED)
		die("mmap");
	madvise((void *)page, ps, MADV_NOHUGEPAGE);
	page[0] = 1;
	per_op = calloc(batches, sizeof(*per_op));
	if (!per_op)
		die("calloc");

	phase_mark(PHASE_WARMUP);
	for (b = -warmup; b < batches; b++) {
		if (b == 0)
			phase_mark(PHASE_MEASURE);
		t0 = now_ns();
		for (i = 0; i < batch; i++, iter++)
			if (mprotect((void *)page, ps, (iter & 1) ?
				     PROT_READ | PROT_WRITE : PROT_READ))
				die("mprotect");
		dt = now_ns() - t0;
		if (b >= 0) {
			per_op[b] = (double)dt / batch;
			total += dt;
		}
	}
	phase_mark(PHASE_IDLE);

	qsort(per_op, batches, sizeof(*per_op), cmp_double);
	median = batches & 1 ? per_op[batches / 2] :
		 (per_op[batches / 2 - 1] + per_op[batches / 2]) / 2;
	printf("{\"op_ns_p50\": %.1f, \"op_ns_mean\": %.1f,"
	       " \"op_ns_min\": %.1f, \"op_ns_max\": %.1f, \"batches\": %ld,"
	       " \"batch\": %ld, \"warmup\": %ld, \"cpu\": %ld,"
	       " \"case_id\": %lu}\n", median,
	       (double)total / ((double)batches * batch), per_op[0],
	       per_op[batches - 1], batches, batch, warmup, cpu, case_id);
	return 0;
}
