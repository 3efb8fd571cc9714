/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcost.h - the module's kernel-mode cost loops (the kcost storm), shared
 * by the module, which executes them as config modes, and the storm,
 * which names them (its option seq).
 *
 * Each loop runs `pages` iterations with preemption and interrupts off;
 * the marked window holds the iterations and their loop, nothing else.
 * Per iteration it executes exactly the counted kernel instructions (as
 * the lab plugin names them, bench/lab/plugin/a64insn.c) given below, so
 * per op the counts on the op's vCPU are `pages` times those.  A loop's
 * cost per iteration is its time minus its overhead loop's, over `pages`:
 * pte over pte0, tlbi-vaale1is and tlbi-vale1is over loop.
 *
 *   pte            1 dsb ishst, 1 isb: __set_pte() of a valid kernel PTE
 *                  outside lazy MMU mode (the store, __set_pte_complete(),
 *                  emit_pte_barriers())
 *   pte0           nothing: the same store alone (__set_pte_nosync())
 *   tlbi-vaale1is  1 tlbi vaale1is, 1 dsb ish (flush_tlb_kernel_range()'s
 *                  per-page TLBI and its completion, for one page)
 *   tlbi-vale1is   1 tlbi vale1is, 1 dsb ish (ASID 0)
 *   loop           nothing: the TLBI loops without the two instructions
 *
 * The KCOST_* strings are the names, as config modes and as the storm's
 * seq; KCOST_SEQS(X) expands X(name, what) once per loop, what being what
 * one iteration executes, as text.
 */
#ifndef LMB_KCOST_H
#define LMB_KCOST_H

#define KCOST_PTE		"pte"
#define KCOST_PTE0		"pte0"
#define KCOST_TLBI_VAALE1IS	"tlbi-vaale1is"
#define KCOST_TLBI_VALE1IS	"tlbi-vale1is"
#define KCOST_LOOP		"loop"

#define KCOST_SEQS(X)							\
	X(KCOST_PTE, "a kernel PTE store, dsb ishst, isb")		\
	X(KCOST_PTE0, "the store alone (pte's overhead)")		\
	X(KCOST_TLBI_VAALE1IS, "tlbi vaale1is, dsb ish")		\
	X(KCOST_TLBI_VALE1IS, "tlbi vale1is, dsb ish")			\
	X(KCOST_LOOP, "nothing (the TLBI loops' overhead)")

#endif
