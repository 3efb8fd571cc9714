/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmd.h - lazymmu-bench's commands: one file each (cmd_*.c, or the
 * analysis command's own file) and one line each in main.c's table.
 *
 * A command gets its arguments as a program would, argv[0] being its
 * name, and returns the exit status: 0, or 1 when it ran but what it
 * checked failed (lab-import's calibrations).  Bad input ends in die():
 * one line on stderr naming it, exit status 2.
 */
#ifndef CMD_H
#define CMD_H

#include <stddef.h>
#include <stdio.h>
#include <json-c/json.h>

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;	/* one line: its arguments */
	const char *help;	/* one line: what it does */
};

extern const struct command commands[];
/* The whole command line, for run's re-exec without ASLR. */
extern char **lmb_argv;

int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_costs(int argc, char **argv);
int cmd_census(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_lab_import(int argc, char **argv);
int cmd_lab_counts(int argc, char **argv);
int cmd_matrix(int argc, char **argv);

/*
 * A command whose work reports errors into a buffer (compare, history,
 * stats): @fn's one line through die(), else 0 (bench/util.c).
 */
int cmd_with_err(int (*fn)(int argc, char **argv, char *err, size_t errlen),
		 int argc, char **argv);

/* The usage of command @name (NULL: every command) from the table. */
void cmd_usage(FILE *f, const char *name);

#endif
