// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_text.c - libFuzzer target for the one-line parsers: a case spec
 * ("munmap size=64M thp=1"), sizes, counts, durations, a run option, and
 * a PMU event spec, a matrix override ("smp=2", matrix_set()) and a
 * message through die()'s escaping (message()).  The input is split at
 * the first NUL-free newline: its first line goes to every parser.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "matrix.h"
#include "opts.h"
#include "util.h"
#include "collector/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[512], err[256], *nl;
	struct bench_case c;
	struct run_opts o;
	static struct matrix m;
	static char cfg[512];
	struct spec sp;
	uint64_t u;
	double d;

	if (size >= sizeof(text))
		size = sizeof(text) - 1;
	memcpy(text, data, size);
	text[size] = 0;
	nl = strchr(text, '\n');
	if (nl)
		*nl = 0;
	case_parse(text, &c, err, sizeof(err));
	parse_size(text, &u, err, sizeof(err));
	parse_uint(text, &u, err, sizeof(err));
	parse_seconds(text, &d, err, sizeof(err));
	spec_parse(text, &sp, err, sizeof(err));
	if (!cfg[0])
		configs_dir(cfg, sizeof(cfg));
	memset(&m, 0, sizeof(m));
	matrix_set(text, cfg, &m, err, sizeof(err));
	if (size && data[0] == '!')
		message("%s", text);
	opts_defaults(&o);
	if (nl) {
		opts_set(&o, text, nl + 1, 1, err, sizeof(err));
		opts_set(&o, text, nl + 1, 0, err, sizeof(err));
	}
	return 0;
}
