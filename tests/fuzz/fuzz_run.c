// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_run.c - libFuzzer target for the one reader of runs (results.h):
 * the input is a whole run directory, its parts split at NUL bytes:
 * meta.json, then the text written as every case file meta.json names
 * (NN-storm.json), then as every samples file.  The run goes through
 * results_check_run() (what check, show, compare and history read) and
 * through the reader with cases not done, as run --resume reads it; the
 * options are read back as --resume reads them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "opts.h"
#include "phase.h"
#include "results.h"

static char dir[] = "/tmp/lmb-fuzz-run.XXXXXX";

static char written[LMB_CASE_SLOTS * 2 + 1][160];
static int nwritten;

static void put(const char *name, const char *ext, const uint8_t *p,
		size_t n)
{
	char *path = written[nwritten];
	FILE *f;

	if (nwritten >= (int)(sizeof(written) / sizeof(written[0])))
		return;
	snprintf(path, sizeof(written[0]), "%s/%s%s", dir, name, ext);
	nwritten++;
	f = fopen(path, "w");
	if (!f)
		return;
	fwrite(p, 1, n, f);
	fclose(f);
}

/* The next part of @data from *@at, up to a NUL or the end. */
static size_t part(const uint8_t *data, size_t size, size_t *at,
		   const uint8_t **p)
{
	const uint8_t *end;
	size_t n;

	*p = data + *at;
	if (*at >= size)
		return 0;
	end = memchr(*p, 0, size - *at);
	n = end ? (size_t)(end - *p) : size - *at;
	*at += n + 1;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *meta, *cas, *smp;
	size_t at = 0, nm, nc, ns, i;
	struct run_reader r;
	struct run_opts o;
	json_object *e, *c;
	char err[1400];
	int k;

	if (dir[sizeof(dir) - 2] == 'X' && !mkdtemp(dir))
		return 0;
	nm = part(data, size, &at, &meta);
	nc = part(data, size, &at, &cas);
	ns = part(data, size, &at, &smp);
	put("meta", ".json", meta, nm);
	if (!results_run_open(&r, dir, 1, err, sizeof(err))) {
		for (i = 0; i < json_object_array_length(r.cases); i++) {
			const char *f = results_jstr(json_object_array_get_idx(
				r.cases, i), "file");

			put(f, ".json", cas, nc);
			put(f, ".samples", smp, ns);
		}
		while (results_run_next(&r, &e, &c, err, sizeof(err)) == 1)
			json_object_put(c);
		opts_defaults(&o);
		opts_from_json(json_object_object_get(r.meta, "options"), &o,
			       err, sizeof(err));
		results_run_close(&r);
	}
	results_check_run(dir, err, sizeof(err));
	for (k = 0; k < nwritten; k++)
		unlink(written[k]);
	nwritten = 0;
	return 0;
}
