// SPDX-License-Identifier: GPL-2.0
/*
 * barrier.c - barrier storm: the user-mode half of the cost benchmark.
 * One op is `loops` iterations of a burst of `stores` 8-byte stores, each
 * to its own 64-byte line of a small buffer touched in setup, then one
 * instruction `insn`, executed exactly once per iteration.  insn=none is
 * the overhead loop: the same loop without the instruction, so the cost
 * of one instruction is (op time of insn X - op time of none) / loops.
 *
 * Models nothing: the per-instruction costs of the cost model, issue 17.
 *
 * Each loop is its own function, made by one macro: the loops differ only
 * in their asm statement.  The stores are volatile and the instruction is
 * an asm volatile with a memory clobber, so the compiler can neither drop,
 * merge or hoist it nor move a store across it.  An instruction of the
 * other architecture is reported unavailable with the reason.
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include "storm.h"

enum { O_INSN, O_STORES, O_LOOPS };

#define BARRIER_LINE	64	/* bytes between two stores of a burst */
#define BARRIER_STORES	64	/* the most stores a burst may make */
#define BARRIER_BUF	(BARRIER_LINE * BARRIER_STORES)

typedef void (*barrier_loop_fn)(volatile uint64_t *buf, long stores,
				long loops);

/* One loop: the statements after fn are the instruction, once. */
#define BARRIER_LOOP(fn, ...)						\
static void fn(volatile uint64_t *buf, long stores, long loops)	\
{									\
	long i, j;							\
									\
	for (i = 0; i < loops; i++) {					\
		for (j = 0; j < stores; j++)				\
			buf[j * (BARRIER_LINE / 8)] = i;		\
		{ __VA_ARGS__; }					\
	}								\
}

BARRIER_LOOP(loop_none, asm volatile("" ::: "memory"))
#ifdef __aarch64__
BARRIER_LOOP(loop_dsb_ish, asm volatile("dsb ish" ::: "memory"))
BARRIER_LOOP(loop_dsb_ishst, asm volatile("dsb ishst" ::: "memory"))
BARRIER_LOOP(loop_dmb_ish, asm volatile("dmb ish" ::: "memory"))
BARRIER_LOOP(loop_dmb_ishst, asm volatile("dmb ishst" ::: "memory"))
BARRIER_LOOP(loop_dmb_ishld, asm volatile("dmb ishld" ::: "memory"))
BARRIER_LOOP(loop_isb, asm volatile("isb" ::: "memory"))
#define A64(fn)	fn
#else
#define A64(fn)	NULL
#endif
#ifdef __x86_64__
BARRIER_LOOP(loop_mfence, asm volatile("mfence" ::: "memory"))
BARRIER_LOOP(loop_sfence, asm volatile("sfence" ::: "memory"))
BARRIER_LOOP(loop_lfence, asm volatile("lfence" ::: "memory"))
/* Leaf 0, set each time: cpuid overwrites all four registers. */
BARRIER_LOOP(loop_cpuid, unsigned int a = 0, b, c = 0, d;
	     asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d)
			  :: "memory"))
#define X86(fn)	fn
#else
#define X86(fn)	NULL
#endif

/* In the order of barrier_names[] (the option's values). */
static const struct {
	const char *insn;	/* as the architecture spells it */
	const char *arch;	/* NULL: every architecture */
	barrier_loop_fn loop;	/* NULL: not this architecture's */
} barrier_insns[] = {
	{ "none", NULL, loop_none },
	{ "dsb ish", "arm64", A64(loop_dsb_ish) },
	{ "dsb ishst", "arm64", A64(loop_dsb_ishst) },
	{ "dmb ish", "arm64", A64(loop_dmb_ish) },
	{ "dmb ishst", "arm64", A64(loop_dmb_ishst) },
	{ "dmb ishld", "arm64", A64(loop_dmb_ishld) },
	{ "isb", "arm64", A64(loop_isb) },
	{ "mfence", "x86_64", X86(loop_mfence) },
	{ "sfence", "x86_64", X86(loop_sfence) },
	{ "lfence", "x86_64", X86(loop_lfence) },
	{ "cpuid", "x86_64", X86(loop_cpuid) },
};

static const char *const barrier_names[] = {
	"none", "dsb-ish", "dsb-ishst", "dmb-ish", "dmb-ishst", "dmb-ishld",
	"isb", "mfence", "sfence", "lfence", "cpuid", NULL
};

#define BARRIER_NR	(sizeof(barrier_insns) / sizeof(barrier_insns[0]))

_Static_assert(sizeof(barrier_names) / sizeof(barrier_names[0]) ==
	       BARRIER_NR + 1, "barrier_names[] and barrier_insns[] differ");

static uint64_t barrier_footprint(const struct storm_ctx *ctx)
{
	(void)ctx;
	return BARRIER_BUF;
}

static int barrier_setup(struct storm_ctx *ctx)
{
	long insn = ctx->opt[O_INSN];
	struct utsname u;

	if (!barrier_insns[insn].loop) {
		snprintf(ctx->why, sizeof(ctx->why),
			 "%s is an %s instruction (this is %s)",
			 barrier_insns[insn].insn, barrier_insns[insn].arch,
			 uname(&u) ? "?" : u.machine);
		return STORM_UNAVAILABLE;
	}
	if (storm_region_setup(ctx, BARRIER_BUF, 0, 0))
		return -1;
	/* Every line written once: faulted in, and in the cache. */
	memset(ctx->region, 0, BARRIER_BUF);
	return 0;
}

static int barrier_op(struct storm_ctx *ctx)
{
	barrier_insns[ctx->opt[O_INSN]].loop(ctx->region, ctx->opt[O_STORES],
					      ctx->opt[O_LOOPS]);
	return 0;
}

const struct storm barrier_storm = {
	.name = "barrier",
	.desc = "loops x (a burst of stores, then one barrier instruction)",
	.models = "nothing: the per-instruction costs of the cost model, "
		  "issue 17",
	.opts = {
		[O_INSN] = { "insn", OPT_ENUM, "none",
			     "the instruction after each burst: none (the "
			     "overhead loop); arm64: dsb-ish, dsb-ishst, "
			     "dmb-ish, dmb-ishst, dmb-ishld, isb; x86_64 "
			     "stand-ins: mfence, sfence, lfence, cpuid "
			     "(serializing)",
			     barrier_names, 0, BARRIER_NR - 1 },
		[O_STORES] = { "stores", OPT_INT, "0",
			       "8-byte stores per iteration, each to its own "
			       "64-byte line, before the instruction",
			       NULL, 0, BARRIER_STORES },
		[O_LOOPS] = { "loops", OPT_INT, "1000",
			      "iterations per op", NULL, 1, 1000000 },
	},
	.footprint = barrier_footprint,
	.setup = barrier_setup,
	.op = barrier_op,
	.teardown = storm_region_teardown,
};
