/* SPDX-License-Identifier: GPL-2.0 */
/*
 * util.h - the error helper every parser and writer shares, and the one
 * way to open the machine's /proc and /sys files.
 */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>
#include <stdio.h>

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

#endif
