// SPDX-License-Identifier: GPL-2.0
/*
 * history-none.c - the history command of the lab guest's binary
 * (build/aarch64/lazymmu-bench-guest), which is linked without history.c
 * and without SQLite: the guest only runs cases.  Every other binary
 * links history.c.
 */
#include "cmd.h"
#include "history.h"
#include "util.h"

int history_main(int argc, char **argv, char *err, size_t errlen)
{
	return errf(err, errlen, "history: not in the guest build (use build/host/lazymmu-bench or build/aarch64/lazymmu-bench)");
}

int cmd_history(int argc, char **argv)
{
	return cmd_with_err(history_main, argc, argv);
}
