/* SPDX-License-Identifier: GPL-2.0 */
/*
 * runstats.h - `lazymmu-bench stats`: run-level figures of numbers on stdin.
 */
#ifndef RUNSTATS_H
#define RUNSTATS_H

#include <stddef.h>

int runstats_main(int argc, char **argv, char *err, size_t errlen);

#endif
