// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_files.c - libFuzzer target for the file parsers: the input is
 * written to a file and read as a run profile, a PMU profile, a samples
 * file, a matrix file, a cost file (compare --predict) and a results JSON
 * file (and, in that, a lab case's counts, read as every report reads them).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "costmodel.h"
#include "lab.h"
#include "matrix.h"
#include "opts.h"
#include "results.h"
#include "collector/profile.h"
#include "neighbour.h"
#include "tune.h"
#include "util.h"

static struct bench_case cases[MAX_CASES];
static struct matrix matrix;
static char root[] = "/tmp/lmb-fuzz-root.XXXXXX";

/*
 * The machine files tune.c parses (/proc/interrupts, /proc/stat,
 * /proc/meminfo, cpulists) are the input, through a sysroot whose files
 * are links to it.
 */
static void machine_files(const char *path, const uint8_t *data, size_t size)
{
	static const char *const files[] = {
		"proc/interrupts", "proc/stat", "proc/meminfo",
		"sys/devices/system/cpu/isolated",
	};
	static struct tune t;
	static struct run_opts o;
	char link[256], list[64];
	unsigned char set[TUNE_MAX_CPUS];
	json_object *j;
	unsigned int i;

	if (root[sizeof(root) - 2] == 'X') {
		if (!mkdtemp(root))
			return;
		snprintf(link, sizeof(link), "%s/proc", root);
		mkdir(link, 0755);
		snprintf(link, sizeof(link), "%s/sys/devices/system/cpu", root);
		for (i = 5; link[i]; i++)
			if (link[i] == '/') {
				link[i] = 0;
				mkdir(link, 0755);
				link[i] = '/';
			}
		mkdir(link, 0755);
		setenv("LMB_SYSROOT", root, 1);
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(link, sizeof(link), "%s/%s", root, files[i]);
		unlink(link);
		if (symlink(path, link))
			return;
	}
	opts_defaults(&o);
	t.o = &o;
	t.cpu = 1;
	tune_case_begin(&t);
	j = tune_case_end(&t);
	json_object_put(j);
	j = tune_finish(&t);
	json_object_put(j);
	tune_isolated_cpu();
	snprintf(list, sizeof(list), "%.*s", (int)(size < 63 ? size : 63),
		 (const char *)data);
	tune_cpulist(list, set, TUNE_MAX_CPUS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/lmb-fuzz.XXXXXX.conf", name[64], err[1200];
	static char cfg[512];
	static FILE *null;
	static struct cost_file cf;
	struct neighbour nz;
	struct run_opts o;
	struct profile p;
	struct samples s;
	json_object *j;
	int fd, n = 0;

	fd = mkstemps(path, 5);
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
	if (!cfg[0]) {
		configs_dir(cfg, sizeof(cfg));
		null = fopen("/dev/null", "w");
	}
	if (!matrix_parse(path, cfg, &matrix, err, sizeof(err)) && null)
		matrix_print(null, path, &matrix);
	cost_file_read(path, &cf, err, sizeof(err));
	j = results_read_json(path, RESULTS_CASE_SCHEMA, err, sizeof(err));
	if (j) {
		static const char *const ph[] = { "measure", "untimed", "prep" };
		unsigned int k;
		size_t i;
		double v;

		for (k = 0; k < 3; k++) {
			json_object *kinds = lab_kind_list(j, ph[k], k != 2, k == 1);

			for (i = 0; kinds && i < json_object_array_length(kinds); i++)
				lab_per_op(j, ph[k], k != 2, k == 1, json_object_get_string(
					json_object_array_get_idx(kinds, i)), &v);
			json_object_put(kinds);
		}
		json_object_put(j);
	}
	/* a neighbour load: /tmp/<name>.conf */
	snprintf(name, sizeof(name), "%.*s", (int)strlen(path + 5) - 5, path + 5);
	neighbour_read(&nz, "/tmp", name, err, sizeof(err));
	machine_files(path, data, size);
	unlink(path);
	return 0;
}
