/* SPDX-License-Identifier: GPL-2.0 */
/*
 * util.h - the one error helper every parser and writer shares.
 */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>

/* Format a one-line reason into @err; returns -1 for "return errf(...)". */
int errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
