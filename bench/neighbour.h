/* SPDX-License-Identifier: GPL-2.0 */
/*
 * neighbour.h - a neighbour load (stress-ng) on every online CPU but the
 * measured one, for the whole run: configs/neighbour/NAME.conf (run
 * --neighbour NAME; --noise NAME is its old name).
 */
#ifndef NEIGHBOUR_H
#define NEIGHBOUR_H

#include <stddef.h>
#include <sys/types.h>
#include <json-c/json.h>

struct neighbour {
	char name[128];
	char desc[256];
	char args[512];			/* the profile's stress-ng options */
	char cmd[1024];			/* what was run */
	char cpus[1024];		/* where, a cpulist */
	char yaml[64];			/* stress-ng's report */
	pid_t pid;			/* -1: not running */
	double started;
};

/* Read configs/neighbour/@name.conf from @dir: 0, or -1 naming the file. */
int neighbour_read(struct neighbour *n, const char *dir, const char *name,
	       char *err, size_t errlen);
/* Start it beside pinned CPU @cpu; -1 if it cannot run or dies at once. */
int neighbour_start(struct neighbour *n, long cpu, char *err, size_t errlen);
/* Stop it: what ran, where, for how long, stress-ng's bogo ops. */
json_object *neighbour_stop(struct neighbour *n);
/* On an error exit: kill it, record nothing. */
void neighbour_kill(struct neighbour *n);

#endif
