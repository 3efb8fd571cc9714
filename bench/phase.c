// SPDX-License-Identifier: GPL-2.0
/*
 * phase.c - emit phase markers; the encoding is described in phase.h.
 */
#include "phase.h"

const char *const phase_names[PHASE_NR] = {
	[PHASE_IDLE] = "idle",
	[PHASE_SETUP] = "setup",
	[PHASE_WARMUP] = "warmup",
	[PHASE_MEASURE] = "measure",
	[PHASE_PREP] = "prep",
	[PHASE_CALIB] = "calib",
	[PHASE_UNTIMED] = "untimed",
};

#ifdef __aarch64__
/* HINT takes an immediate, so every value needs its own instruction. */
#define HINT(n) case (n) - PHASE_NIBBLE_BASE: \
	asm volatile("hint #" #n ::: "memory"); break

static void hint_nibble_or_mark(unsigned int v)
{
	switch (v) {
	HINT(0x60); HINT(0x61); HINT(0x62); HINT(0x63);
	HINT(0x64); HINT(0x65); HINT(0x66); HINT(0x67);
	HINT(0x68); HINT(0x69); HINT(0x6a); HINT(0x6b);
	HINT(0x6c); HINT(0x6d); HINT(0x6e); HINT(0x6f);
	HINT(0x70); HINT(0x71); HINT(0x72); HINT(0x73);
	HINT(0x74); HINT(0x75); HINT(0x76); HINT(0x77);
	HINT(0x78); HINT(0x79); HINT(0x7a); HINT(0x7b);
	HINT(0x7c); HINT(0x7d); HINT(0x7e); HINT(0x7f);
	}
}

void phase_mark(enum phase phase)
{
	hint_nibble_or_mark(PHASE_MARK_BASE + phase - PHASE_NIBBLE_BASE);
}

void phase_mark_id(uint32_t id)
{
	int shift;

	hint_nibble_or_mark(PHASE_MARK_ID - PHASE_NIBBLE_BASE);
	for (shift = 28; shift >= 0; shift -= 4)
		hint_nibble_or_mark((id >> shift) & 0xf);
}
#else
void phase_mark(enum phase phase)
{
	(void)phase;
}

void phase_mark_id(uint32_t id)
{
	(void)id;
}
#endif
