// SPDX-License-Identifier: GPL-2.0
/*
 * a64insn.c - decode the few A64 encodings the lab counts (Arm ARM,
 * "Barriers", "Hints" and "System instructions"; TLBI is SYS with CRn=8,
 * or CRn=9 for the FEAT_XS nXS forms; DC and IC are SYS with CRn=7).
 */
#include <stdio.h>
#include <string.h>
#include "a64insn.h"

const char *const a64_class_names[A64_CLASS_NR] = {
	[A64_OTHER] = "other", [A64_DSB] = "dsb", [A64_DMB] = "dmb",
	[A64_ISB] = "isb", [A64_TLBI] = "tlbi", [A64_DC] = "dc",
	[A64_IC] = "ic", [A64_MARK] = "mark",
};

/* Barrier domain/type by CRm (DSB and DMB share them). */
static const char *const bar_opt[16] = {
	[1] = "oshld", [2] = "oshst", [3] = "osh",
	[5] = "nshld", [6] = "nshst", [7] = "nsh",
	[9] = "ishld", [10] = "ishst", [11] = "ish",
	[13] = "ld", [14] = "st", [15] = "sy",
};

/* EL1 TLBI operations, by CRm and op2 (op1 = 0). */
static const char *const tlbi_el1[16][8] = {
	[1] = { "vmalle1os", "vae1os", "aside1os", "vaae1os",
		NULL, "vale1os", NULL, "vaale1os" },
	[2] = { NULL, "rvae1is", NULL, "rvaae1is",
		NULL, "rvale1is", NULL, "rvaale1is" },
	[3] = { "vmalle1is", "vae1is", "aside1is", "vaae1is",
		NULL, "vale1is", NULL, "vaale1is" },
	[5] = { NULL, "rvae1os", NULL, "rvaae1os",
		NULL, "rvale1os", NULL, "rvaale1os" },
	[6] = { NULL, "rvae1", NULL, "rvaae1",
		NULL, "rvale1", NULL, "rvaale1" },
	[7] = { "vmalle1", "vae1", "aside1", "vaae1",
		NULL, "vale1", NULL, "vaale1" },
};

struct sysop {
	unsigned char op1, crm, op2;
	const char *name;
};

static const struct sysop dc_ops[] = {
	{ 0, 6, 1, "ivac" }, { 0, 6, 2, "isw" }, { 0, 6, 3, "igvac" },
	{ 0, 6, 4, "igsw" }, { 0, 6, 5, "igdvac" }, { 0, 6, 6, "igdsw" },
	{ 0, 10, 2, "csw" }, { 0, 14, 2, "cisw" },
	{ 3, 4, 1, "zva" }, { 3, 4, 3, "gva" }, { 3, 4, 4, "gzva" },
	{ 3, 10, 1, "cvac" }, { 3, 11, 1, "cvau" }, { 3, 12, 1, "cvap" },
	{ 3, 13, 1, "cvadp" }, { 3, 14, 1, "civac" },
};

static const struct sysop ic_ops[] = {
	{ 0, 1, 0, "ialluis" }, { 0, 5, 0, "iallu" }, { 3, 5, 1, "ivau" },
};

static const char *sysop_name(const struct sysop *t, size_t n,
			      unsigned int op1, unsigned int crm,
			      unsigned int op2)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].op1 == op1 && t[i].crm == crm && t[i].op2 == op2)
			return t[i].name;
	return NULL;
}

static enum a64_class set(struct a64_insn *out, enum a64_class cls,
			  const char *name)
{
	out->cls = cls;
	snprintf(out->name, sizeof(out->name), "%s", name);
	return cls;
}

static enum a64_class barrier(uint32_t insn, struct a64_insn *out)
{
	unsigned int crm = (insn >> 8) & 0xf, op2 = (insn >> 5) & 7;
	static const char *const nxs[4] = { "osh", "nsh", "ish", "sy" };
	const char *opt = bar_opt[crm];
	char buf[32];

	switch (op2) {
	case 1:		/* DSB <option>nXS: CRm = imm2:10 */
		if ((crm & 3) != 2)
			return set(out, A64_OTHER, "");
		snprintf(buf, sizeof(buf), "dsb %snxs", nxs[crm >> 2]);
		return set(out, A64_DSB, buf);
	case 4:
		if (crm == 0)
			return set(out, A64_DSB, "ssbb");
		if (crm == 4)
			return set(out, A64_DSB, "pssbb");
		if (opt)
			snprintf(buf, sizeof(buf), "dsb %s", opt);
		else
			snprintf(buf, sizeof(buf), "dsb #%u", crm);
		return set(out, A64_DSB, buf);
	case 5:
		if (opt)
			snprintf(buf, sizeof(buf), "dmb %s", opt);
		else
			snprintf(buf, sizeof(buf), "dmb #%u", crm);
		return set(out, A64_DMB, buf);
	case 6:
		return set(out, A64_ISB, "isb");
	}
	return set(out, A64_OTHER, "");	/* clrex, sb, ... */
}

static enum a64_class sysinsn(uint32_t insn, struct a64_insn *out)
{
	unsigned int op1 = (insn >> 16) & 7, crn = (insn >> 12) & 0xf;
	unsigned int crm = (insn >> 8) & 0xf, op2 = (insn >> 5) & 7;
	const char *n = NULL;
	char buf[32];

	if (crn == 8 || crn == 9) {
		if (op1 == 0)
			n = tlbi_el1[crm][op2];
		if (n)
			snprintf(buf, sizeof(buf), "tlbi %s%s", n,
				 crn == 9 ? "nxs" : "");
		else
			snprintf(buf, sizeof(buf), "tlbi #%u,c%u,c%u,#%u",
				 op1, crn, crm, op2);
		return set(out, A64_TLBI, buf);
	}
	if (crn != 7)
		return set(out, A64_OTHER, "");
	n = sysop_name(ic_ops, sizeof(ic_ops) / sizeof(ic_ops[0]),
		       op1, crm, op2);
	if (n) {
		snprintf(buf, sizeof(buf), "ic %s", n);
		return set(out, A64_IC, buf);
	}
	n = sysop_name(dc_ops, sizeof(dc_ops) / sizeof(dc_ops[0]),
		       op1, crm, op2);
	if (n) {
		snprintf(buf, sizeof(buf), "dc %s", n);
		return set(out, A64_DC, buf);
	}
	return set(out, A64_OTHER, "");	/* AT, prediction restriction */
}

enum a64_class a64_classify(uint32_t insn, struct a64_insn *out)
{
	memset(out, 0, sizeof(*out));
	if ((insn & 0xfffff01f) == 0xd503301f)
		return barrier(insn, out);
	if ((insn & 0xfffff01f) == 0xd503201f) {
		unsigned int imm = (insn >> 5) & 0x7f;

		if (imm < 0x60)
			return set(out, A64_OTHER, "");
		out->mark = imm;
		snprintf(out->name, sizeof(out->name), "hint #0x%x", imm);
		return out->cls = A64_MARK;
	}
	/* SYS: 1101 0101 0000 1 op1 CRn CRm op2 Rt (L = 0, op0 = 01) */
	if ((insn & 0xfff80000) == 0xd5080000)
		return sysinsn(insn, out);
	return set(out, A64_OTHER, "");
}
