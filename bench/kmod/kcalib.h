/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcalib.h - the module's kernel-mode calibration (mode=calib), shared by
 * the module (which executes it) and the lab's import (bench/lab/lab.c, which
 * checks that the counts it imports equal what was executed).
 *
 * One round executes, with interrupts and preemption off, each kind below
 * the given number of times; one op runs `pages` rounds.  The numbers
 * differ from kind to kind so that a count attributed to the wrong kind
 * cannot pass.  The TLBI invalidates one page of the module's own reserved
 * (unmapped) kernel area: harmless.  Per op, the counted kernel
 * instructions of the marked window on the op's vCPU are exactly
 * rounds * n for each kind, and nothing else.
 *
 * KCALIB_KINDS(X) expands X(insn, class, n) once per kind: insn and class
 * as the lab plugin names them (bench/lab/plugin/a64insn.c).
 */
#ifndef LMB_KCALIB_H
#define LMB_KCALIB_H

#define KCALIB_DSB_ISH		1
#define KCALIB_DSB_ISHST	2
#define KCALIB_DMB_ISH		3
#define KCALIB_DMB_ISHLD	4
#define KCALIB_ISB		5
#define KCALIB_TLBI_VALE1IS	6

#define KCALIB_KINDS(X)						\
	X("dsb ish", "dsb", KCALIB_DSB_ISH)			\
	X("dsb ishst", "dsb", KCALIB_DSB_ISHST)			\
	X("dmb ish", "dmb", KCALIB_DMB_ISH)			\
	X("dmb ishld", "dmb", KCALIB_DMB_ISHLD)			\
	X("isb", "isb", KCALIB_ISB)				\
	X("tlbi vale1is", "tlbi", KCALIB_TLBI_VALE1IS)

#endif
