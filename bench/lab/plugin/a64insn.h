/* SPDX-License-Identifier: GPL-2.0 */
/*
 * a64insn.h - classify A64 instructions the lab counts: barriers, TLB and
 * cache maintenance, and the harness's phase markers (bench/phase.h).
 */
#ifndef A64INSN_H
#define A64INSN_H

#include <stdint.h>

enum a64_class {
	A64_OTHER = 0,
	A64_DSB,	/* includes ssbb, pssbb and the nXS forms */
	A64_DMB,
	A64_ISB,
	A64_TLBI,
	A64_DC,
	A64_IC,
	A64_MARK,	/* hint #0x60..#0x7f: phase marker or case-id nibble */
	A64_CLASS_NR
};

extern const char *const a64_class_names[A64_CLASS_NR];

struct a64_insn {
	enum a64_class cls;
	unsigned int mark;	/* A64_MARK: the hint immediate */
	char name[32];		/* e.g. "dsb ishst", "tlbi vale1is", "dc cvau" */
};

/* Fill @out for the 32-bit instruction @insn; returns out->cls. */
enum a64_class a64_classify(uint32_t insn, struct a64_insn *out);

#endif
