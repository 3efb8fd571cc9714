/* SPDX-License-Identifier: GPL-2.0 */
/*
 * costmodel.h - from cost loops to a cost per counted instruction kind,
 * and from count differences to a predicted time.
 *
 * A cost loop's figure is the time of one iteration over its overhead
 * loop (the same loop without the instruction).  Each figure is one
 * equation: the iteration's time is the sum of the costs of the kinds it
 * executes (the pair after a PTE write: dsb ishst + isb; a TLBI sequence:
 * tlbi + dsb ish).  The costs are the least-squares solution of all the
 * equations, so a kind measured alone and inside a sequence is counted
 * once; what each equation keeps is its residual.  A prediction is the
 * sum over kinds of (count difference x cost): nothing else.
 */
#ifndef COSTMODEL_H
#define COSTMODEL_H

#include <stddef.h>

enum cost_kind {
	CK_DSB_ISH,
	CK_DSB_ISHST,
	CK_DMB_ISH,
	CK_DMB_ISHST,
	CK_DMB_ISHLD,
	CK_ISB,
	CK_TLBI_VALE1IS,
	CK_TLBI_VAALE1IS,
	COST_KINDS
};

/* The kinds as the lab's counts name them ("dsb ishst", "tlbi vale1is"). */
extern const char *const cost_kind_names[COST_KINDS];
/* The kind called @name, or -1. */
int cost_kind_find(const char *name);

struct cost_eq {
	const char *name;	/* the loop, for the residuals' report */
	int n[COST_KINDS];	/* executions of each kind per iteration */
	double ns;		/* per iteration, over the overhead loop */
};

/*
 * The least-squares costs of @neq equations: @cost[k] for every kind an
 * equation involves, NAN for the others; @resid[i] (may be NULL) is
 * eq[i].ns minus the equation's sum.  0, or -1 with a one-line reason in
 * @err: no equation, a negative count, a figure that is not finite, or
 * kinds the equations cannot tell apart (always together, in the same
 * proportion).
 */
int cost_solve(const struct cost_eq *eq, int neq, double *cost, double *resid,
	       char *err, size_t errlen);

/*
 * Sum over kinds of @delta[k] * @cost[k].  A kind with a difference
 * (|delta| > 0) but no cost (NAN) is left out and its bit (1 << k) set in
 * *@missing (may be NULL).
 */
double cost_predict(const double *delta, const double *cost,
		    unsigned *missing);

/*
 * The interval of that sum when each cost lies in [@lo[k], @hi[k]]: every
 * kind at the end of its interval that moves the sum down, then up (the
 * widest interval; the kinds' errors are not assumed independent).
 */
void cost_predict_interval(const double *delta, const double *lo,
			   const double *hi, double *plo, double *phi);

/* A cost file (`lazymmu-bench costs`, configs/costs/). */
struct cost_file {
	char label[16];		/* measured, emulated, stand-in, example */
	char cpu[128];		/* "MIDR 0x413fd0c1", "x86_64 GenuineIntel 6/85" */
	char kernel[128];
	double ns[COST_KINDS], lo[COST_KINDS], hi[COST_KINDS];	/* NAN: none */
};

/*
 * The CPU a run ran on, as cost files name it: "MIDR 0x413fd0c1 aarch64"
 * (arm64), "<cpuinfo model name> x86_64" otherwise, from its meta.json.
 */
struct json_object;
void cost_cpu_name(struct json_object *meta, char *buf, size_t len);

/* Read and check @path; 0, or -1 with a one-line reason naming it. */
int cost_file_read(const char *path, struct cost_file *cf, char *err,
		   size_t errlen);

#endif
