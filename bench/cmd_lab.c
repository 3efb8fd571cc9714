// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_lab.c - the lab's commands: `lab-import RUNDIR PLUGIN.json
 * [key=value ...]` puts a cell's plugin counts into its run, `lab-counts`
 * prints a lab run's counts per op for scripts.
 */
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "lab.h"
#include "phase.h"
#include "results.h"
#include "util.h"

/* lab-import RUNDIR PLUGIN.json [key=value ...]: the lab cell's counts. */
int cmd_lab_import(int argc, char **argv)
{
	json_object *cell;
	char err[1024];
	int i, rc;

	if (argc < 3)
		die("usage: lab-import RUNDIR PLUGIN.json [key=value ...]");
	argc--;
	argv++;
	cell = json_object_new_object();
	for (i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (!eq || eq == argv[i])
			die("lab-import: '%s' is not key=value", argv[i]);
		*eq = '\0';
		json_object_object_add(cell, argv[i],
				       json_object_new_string(eq + 1));
	}
	rc = lab_import(argv[0], argv[1], cell, err, sizeof(err));
	json_object_put(cell);
	/* 1: imported, but a calibration is not exact (a failed cell) */
	if (rc == 1) {
		message("%s", err);
		return 1;
	}
	if (rc)
		die("%s", err);
	printf("%s: lab counts imported\n", argv[0]);
	return 0;
}

/*
 * lab-counts [--phase P] [--all-vcpus] [--user] RUNDIR: a lab run's
 * counts per op, read with lab_per_op() like every report, for scripts:
 * "spec<TAB>kind<TAB>per_op" per case and kind (kernel mode, the measure
 * phase and the storm's vCPU unless told otherwise); a done case without
 * counts in that phase gives one line "spec<TAB>-<TAB>-".
 */
#define LAB_COUNTS_USAGE "usage: lab-counts [--phase P] [--all-vcpus] [--user] RUNDIR"

int cmd_lab_counts(int argc, char **argv)
{
	const char *phase = "measure", *rundir = NULL, *spec;
	int kernel, user = 0, all = 0, i, rc, n;
	const struct arg_opt opts[] = {
		{ "--phase", &phase, NULL },
		{ "--all-vcpus", NULL, &all },
		{ "--user", NULL, &user },
		{ NULL, NULL, NULL }
	};
	json_object *e, *c, *kinds;
	struct run_reader r;
	char err[1024];

	if (args_parse(argc, argv, opts, &rundir, 1, &n, LAB_COUNTS_USAGE, err,
		       sizeof(err)))
		die("lab-counts: %s", err);
	if (!n)
		die(LAB_COUNTS_USAGE);
	kernel = !user;
	for (i = 0; i < PHASE_NR && strcmp(phase_names[i], phase); i++)
		;
	if (i == PHASE_NR)
		die("lab-counts: unknown phase '%s'", phase);
	if (results_run_open(&r, rundir, 0, err, sizeof(err)))
		die("%s", err);
	while ((rc = results_run_next(&r, &e, &c, err, sizeof(err))) == 1) {
		size_t j;

		spec = results_jstr(c, "spec");
		kinds = lab_kind_list(c, phase, kernel, all);
		for (j = 0; kinds && j < json_object_array_length(kinds); j++) {
			const char *kind = json_object_get_string(
				json_object_array_get_idx(kinds, j));
			double v;

			if (lab_per_op(c, phase, kernel, all, kind, &v))
				break;
			printf("%s\t%s\t%.17g\n", spec, kind, v);
		}
		if (!kinds || j < json_object_array_length(kinds))
			printf("%s\t-\t-\n", spec);
		json_object_put(kinds);
		json_object_put(c);
	}
	if (rc < 0)
		die("%s", err);
	results_run_close(&r);
	return 0;
}
