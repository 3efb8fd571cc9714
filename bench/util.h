/* SPDX-License-Identifier: GPL-2.0 */
/*
 * util.h - the error helper every parser and writer shares, and the one
 * way to open the machine's /proc and /sys files.
 */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>
#include <stdio.h>

/*
 * One line "lazymmu-bench: ..." on stderr, exit status 2: a command's bad
 * input.  Control characters are shown escaped (\x1b), and a message is
 * cut at 400 bytes ("..."), whatever the input echoed in it.
 */
void die(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));
/* The same line without exiting. */
void message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Format a one-line reason into @err; returns -1 for "return errf(...)". */
int errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The machine file @path (an absolute /proc or /sys path) as this run
 * sees it: under $LMB_SYSROOT when that is set, so the tests can use a
 * recorded machine (tests/machines/) and controls that write can be
 * exercised without root.  Returns @buf.
 */
const char *sys_path(const char *path, char *buf, size_t len);
FILE *sys_fopen(const char *path, const char *mode);
/* The first line of machine file @path, without its newline; 0 or -1. */
int sys_read_line(const char *path, char *buf, size_t len);
/* Write @val to machine file @path; 0, or -1 with errno set. */
int sys_write(const char *path, const char *val);

/*
 * The arguments of a command that takes options anywhere among its
 * operands (compare, history, stats, lab-counts): @opts ends at a NULL
 * name; an option with @val takes the next argument into *val, one with
 * @flag sets *flag to 1; every argument not starting with '-' is an
 * operand, kept in order in @operands (room for @max; their count in
 * *n).  -1 with a one-line reason (an unknown argument, a missing value,
 * too many operands) that ends with @usage.
 */
struct arg_opt {
	const char *name;	/* "--baseline" */
	const char **val;
	int *flag;
};

int args_parse(int argc, char **argv, const struct arg_opt *opts,
	       const char **operands, int max, int *n, const char *usage,
	       char *err, size_t errlen);

/* configs/: $LAZYMMU_CONFIGS, beside the binary's tree, or ./configs. */
void configs_dir(char *buf, size_t len);

#endif
