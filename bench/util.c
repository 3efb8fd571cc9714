// SPDX-License-Identifier: GPL-2.0
/*
 * util.c - see util.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

int errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

const char *sys_path(const char *path, char *buf, size_t len)
{
	const char *root = getenv("LMB_SYSROOT");

	snprintf(buf, len, "%s%s", root ? root : "", path);
	return buf;
}

FILE *sys_fopen(const char *path, const char *mode)
{
	char buf[4096];

	return fopen(sys_path(path, buf, sizeof(buf)), mode);
}

int sys_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = sys_fopen(path, "r");

	if (!f)
		return -1;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		errno = ENODATA;
		return -1;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int sys_write(const char *path, const char *val)
{
	FILE *f = sys_fopen(path, "w");
	int e;

	if (!f)
		return -1;
	/* sysfs reports a rejected value at write or at close */
	if (fputs(val, f) == EOF) {
		e = errno;
		fclose(f);
		errno = e;
		return -1;
	}
	return fclose(f) ? -1 : 0;
}
