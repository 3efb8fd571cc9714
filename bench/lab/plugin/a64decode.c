// SPDX-License-Identifier: GPL-2.0
/*
 * a64decode - print how the lab plugin classifies A64 instruction words:
 * one "class name" line per hex word given (arguments or stdin).  The
 * decoder test compares it with binutils' disassembly.
 */
#include <stdio.h>
#include <stdlib.h>
#include "a64insn.h"

static int one(const char *s)
{
	struct a64_insn ai;
	char *end;
	unsigned long w = strtoul(s, &end, 16);

	if (end == s || *end || w > 0xffffffffUL) {
		fprintf(stderr, "a64decode: '%s' is not a 32-bit hex word\n", s);
		return 2;
	}
	a64_classify((uint32_t)w, &ai);
	printf("%08lx %s %s\n", w, a64_class_names[ai.cls], ai.name);
	return 0;
}

int main(int argc, char **argv)
{
	char buf[64];
	int i, rc = 0;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			rc |= one(argv[i]);
		return rc;
	}
	while (scanf("%63s", buf) == 1)
		rc |= one(buf);
	return rc;
}
