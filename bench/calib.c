// SPDX-License-Identifier: GPL-2.0
/*
 * calib.c - known barrier counts, see calib.h.
 */
#include "calib.h"

void calib_run(uint64_t n, struct calib_expect *exp)
{
	uint64_t i;

	exp->dsb = exp->dmb = exp->isb = 0;
#ifdef __aarch64__
	for (i = 0; i < n; i++)
		asm volatile("dsb ish\n\tdmb ish\n\tisb" ::: "memory");
	exp->dsb = exp->dmb = exp->isb = n;
#else
	(void)i;
	(void)n;
#endif
}
