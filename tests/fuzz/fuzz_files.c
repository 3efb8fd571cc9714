// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_files.c - libFuzzer target for the file parsers: the input is
 * written to a file and read as a run profile, a PMU profile, a samples
 * file and a results JSON file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "opts.h"
#include "results.h"
#include "collector/profile.h"

static struct bench_case cases[MAX_CASES];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/lmb-fuzz.XXXXXX", err[512];
	struct run_opts o;
	struct profile p;
	struct samples s;
	json_object *j;
	int fd, n = 0;

	fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	opts_defaults(&o);
	profile_load(path, &o, cases, &n, err, sizeof(err));
	memset(&p, 0, sizeof(p));
	profile_parse(path, &p, err, sizeof(err));
	profile_free(&p);
	if (!results_read_samples(path, &s, err, sizeof(err)))
		samples_free(&s);
	j = results_read_json(path, RESULTS_CASE_SCHEMA, err, sizeof(err));
	if (j)
		json_object_put(j);
	unlink(path);
	return 0;
}
