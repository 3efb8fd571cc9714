// SPDX-License-Identifier: GPL-2.0
/*
 * insns-prog - a user-mode aarch64 program with known instruction counts
 * per case and phase, for tests/lab/insns.t (the plugin's insns= counts).
 * One asm statement, so the compiler puts nothing between the markers
 * (bench/phase.h).  A marker counts in the phase or case it starts; a
 * case id's first eight hints count in the case before it, its last in
 * the new case.  Case 0xabc:
 *
 *   measure  its marker, 1000 nops (more than one translation block),
 *            mov, 100 x (10 nops, subs, b.ne), mov:
 *            1 + 1000 + 1 + 1200 + 1 = 2203
 *   setup    50 x (marker, 3 nops) = 200    } one loop: markers inside
 *   calib    50 x (marker, 5 nops, subs, b.ne) = 400  } blocks
 *   prep     marker, 7 nops = 8
 *   idle     the last hint of its id, the idle marker, the first eight
 *            hints of the next id (0xdef) = 10
 *
 * Case 0xdef gets what follows (the C library's exit), not checked.
 */

#define HINT(n)	"hint #" #n "\n\t"
#define ZERO5	HINT(0x60) HINT(0x60) HINT(0x60) HINT(0x60) HINT(0x60)

int main(void)
{
	asm volatile(
		HINT(0x7f) ZERO5 HINT(0x6a) HINT(0x6b) HINT(0x6c)	/* case 0xabc */
		HINT(0x73)						/* measure */
		".rept 1000\n\tnop\n\t.endr\n\t"
		"mov x9, #100\n"
		"1:\n\t.rept 10\n\tnop\n\t.endr\n\t"
		"subs x9, x9, #1\n\t"
		"b.ne 1b\n\t"
		"mov x9, #50\n"
		"2:\n\t" HINT(0x71)					/* setup */
		"nop\n\tnop\n\tnop\n\t"
		HINT(0x75)						/* calib */
		".rept 5\n\tnop\n\t.endr\n\t"
		"subs x9, x9, #1\n\t"
		"b.ne 2b\n\t"
		HINT(0x74)						/* prep */
		".rept 7\n\tnop\n\t.endr\n\t"
		HINT(0x70)						/* idle */
		HINT(0x7f) ZERO5 HINT(0x6d) HINT(0x6e) HINT(0x6f)	/* case 0xdef */
		::: "x9", "cc", "memory");
	return 0;
}
