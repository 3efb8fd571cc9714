// SPDX-License-Identifier: GPL-2.0
/*
 * util.c - see util.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include "util.h"

int errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}
