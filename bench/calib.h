/* SPDX-License-Identifier: GPL-2.0 */
/*
 * calib.h - a loop of known barrier counts, for checking that barrier
 * events count what they claim (a virtualised PMU may count 0) and for the
 * emulated lab's exact calibration phase.
 */
#ifndef CALIB_H
#define CALIB_H

#include <stdint.h>
#include "collector/collector.h"

/* Run @n rounds of "dsb ish; dmb ish; isb" on aarch64; fill @exp with the
 * counts executed.  Elsewhere it runs nothing and reports zeros. */
void calib_run(uint64_t n, struct calib_expect *exp);

#endif
