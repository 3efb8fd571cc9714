// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_show.c - the commands that read what exists: `list` (the storms and
 * their options), `check RUNDIR` (a run's files against the schema) and
 * `show [--tsv] RUNDIR` (a run's table, or one line per case for
 * scripts without a JSON reader).
 */
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "report.h"
#include "results.h"
#include "storm.h"
#include "util.h"

int cmd_list(int argc, char **argv)
{
	int i, j;

	if (argc != 1)
		die("usage: list");

	for (i = 0; storms[i]; i++) {
		const struct storm *s = storms[i];

		printf("%s: %s\n  models: %s\n", s->name, s->desc, s->models);
		for (j = 0; j < STORM_MAX_OPTS && s->opts[j].name; j++)
			printf("  %-8s default %-8s %s\n", s->opts[j].name,
			       s->opts[j].def, s->opts[j].help);
	}
	return 0;
}

int cmd_check(int argc, char **argv)
{
	const char *rundir = argv[1];
	char err[1024];

	if (argc != 2)
		die("usage: check RUNDIR");
	if (results_check_run(rundir, err, sizeof(err)))
		die("%s", err);
	printf("%s: ok\n", rundir);
	return 0;
}

/*
 * show --tsv: "spec<TAB>status<TAB>median op_ns" per finished case, for
 * scripts that have no JSON reader (the LAVA test shell).
 */
static void show_tsv(json_object *c)
{
	json_object *p50 = results_jget(c, "latency_ns.op_ns.p50");

	printf("%s\t%s\t", results_jstr(c, "spec"), results_jstr(c, "status"));
	if (p50)
		printf("%.15g\n", json_object_get_double(p50));
	else
		printf("-\n");
}

int cmd_show(int argc, char **argv)
{
	int tsv = argc == 3 && !strcmp(argv[1], "--tsv"), rc;
	json_object *e, *c, *last = NULL;
	struct run_reader r;
	char err[1024];

	if (argc != 2 + tsv)
		die("usage: show [--tsv] RUNDIR");
	if (results_run_open(&r, argv[argc - 1], !tsv, err, sizeof(err)))
		die("%s", err);
	if (!tsv)
		report_header(stdout);
	while ((rc = results_run_next(&r, &e, &c, err, sizeof(err))) == 1) {
		if (!c) {
			printf("%-34s not run\n", results_jstr(e, "spec"));
			continue;
		}
		if (tsv) {
			show_tsv(c);
			json_object_put(c);
			continue;
		}
		report_case(stdout, c);
		if (last)
			json_object_put(last);
		last = c;
	}
	if (rc < 0)
		die("%s", err);
	if (last) {
		report_unavailable(stdout, last);
		json_object_put(last);
	}
	results_run_close(&r);
	return 0;
}
