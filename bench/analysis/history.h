/* SPDX-License-Identifier: GPL-2.0 */
/*
 * history.h - the history command (history.c): runs in SQLite.  The lab
 * guest's binary links history-none.c instead (no SQLite in the guest).
 */
#ifndef HISTORY_H
#define HISTORY_H

#include <stddef.h>

/* history ingest DB RUNDIR... | history query DB [--case S] [--cell C];
 * -1 with a one-line reason in @err. */
int history_main(int argc, char **argv, char *err, size_t errlen);

#endif
