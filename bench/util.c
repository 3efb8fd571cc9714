// SPDX-License-Identifier: GPL-2.0
/*
 * util.c - see util.h.
 */
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util.h"

/*
 * What reaches stderr is one line a terminal shows as it is: input echoed
 * in a message (a spec, a matrix line, a file name) has its control
 * characters escaped, and a message is cut at MSG_MAX bytes.
 */
#define MSG_MAX	400

static void vmessage(const char *fmt, va_list ap)
{
	char buf[4096], out[MSG_MAX + 8];
	size_t i, o = 0;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	for (i = 0; buf[i] && o < MSG_MAX; i++) {
		unsigned char c = buf[i];

		if (c < 0x20 || c == 0x7f)
			o += snprintf(out + o, sizeof(out) - o, "\\x%02x", c);
		else
			out[o++] = c;
	}
	out[o < MSG_MAX ? o : MSG_MAX] = '\0';
	fprintf(stderr, "lazymmu-bench: %s%s\n", out, buf[i] ? "..." : "");
}

void message(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	exit(2);
}

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

void configs_dir(char *buf, size_t len)
{
	char exe[512];
	ssize_t n;

	if (getenv("LAZYMMU_CONFIGS")) {
		snprintf(buf, len, "%s", getenv("LAZYMMU_CONFIGS"));
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		snprintf(buf, len, "%s/../../configs", dirname(exe));
		if (!access(buf, R_OK))
			return;
	}
	snprintf(buf, len, "configs");
}

int args_parse(int argc, char **argv, const struct arg_opt *opts,
	       const char **operands, int max, int *n, const char *usage,
	       char *err, size_t errlen)
{
	const struct arg_opt *o;
	int i;

	*n = 0;
	for (i = 1; i < argc; i++) {
		if (argv[i][0] != '-' || !argv[i][1]) {
			if (*n == max)
				return errf(err, errlen, "more than %d operands (%s)",
					    max, usage);
			operands[(*n)++] = argv[i];
			continue;
		}
		for (o = opts; o->name && strcmp(o->name, argv[i]); o++)
			;
		if (!o->name)
			return errf(err, errlen, "unknown argument '%s' (%s)",
				    argv[i], usage);
		if (o->flag) {
			*o->flag = 1;
			continue;
		}
		if (i + 1 == argc)
			return errf(err, errlen, "%s needs a value (%s)",
				    argv[i], usage);
		*o->val = argv[++i];
	}
	return 0;
}

int cmd_with_err(int (*fn)(int argc, char **argv, char *err, size_t errlen),
		 int argc, char **argv)
{
	char err[1024];

	if (fn(argc, argv, err, sizeof(err)))
		die("%s", err);
	return 0;
}
