// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - lazymmu-bench: the command table and the dispatcher.  Each
 * command lives in its own file (cmd.h); adding one is that file and one
 * line here.
 */
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "opts.h"
#include "util.h"

const struct command commands[] = {
	{ "run", cmd_run, "[--profile NAME] [--case SPEC]... [options] | --resume RUNDIR",
	  "run storms; `run --help` lists the options" },
	{ "list", cmd_list, "", "the storms and their options" },
	{ "check", cmd_check, "RUNDIR", "a run's files against the schema" },
	{ "show", cmd_show, "[--tsv] RUNDIR", "a run's table" },
	{ "compare", cmd_compare,
	  "[--baseline CELL] [--aa CELL [--null-test]] [--counters] [--metric M] [--format text|csv|md] [--plot-data DIR] [--predict COSTFILE] [LABEL=]RUNDIR...",
	  "runs side by side, the run as the replicate" },
	{ "history", cmd_history,
	  "ingest DB [--machine NAME] RUNDIR... | merge DB OTHER.db... | query DB [--case S] [--cell C] [--machine M] | changes DB [--threshold PCT]",
	  "the nightly database" },
	{ "costs", cmd_costs, "[--label measured|emulated] [--cpu TEXT] [--kernel TEXT] RUNDIR...",
	  "a cost file (for compare --predict) from cost runs" },
	{ "census", cmd_census, "[--format text|tsv] [LABEL=]RUNDIR...",
	  "the nest census of runs on census kernels: nested sections, C writes, sites" },
	{ "stats", cmd_stats,
	  "[--side N] [--batch N] [--target T [--width W]] [--band B] < FIGURES",
	  "run-level figures of numbers: one per run, 'a b' pairs or 'a b c' lines" },
	{ "lab-import", cmd_lab_import, "RUNDIR PLUGIN.json [key=value ...]",
	  "a lab cell's plugin counts into its run" },
	{ "lab-counts", cmd_lab_counts, "[--phase P] [--all-vcpus] [--user] RUNDIR",
	  "a lab run's counts per op, for scripts" },
	{ "matrix", cmd_matrix, "plan NAME|FILE [--set KEY=VALUE]...", "a matrix file checked, its plan for scripts" },
	{ NULL, NULL, NULL, NULL }
};

char **lmb_argv;

void cmd_usage(FILE *f, const char *name)
{
	const struct command *c;
	const char *head = "usage:";

	for (c = commands; c->name; c++) {
		if (name && strcmp(name, c->name))
			continue;
		fprintf(f, "%-6s lazymmu-bench %s %s\n", head, c->name, c->args);
		if (!name)
			fprintf(f, "         %s\n", c->help);
		head = "";
	}
	if (!name || !strcmp(name, "run")) {
		fprintf(f, "run arguments:\n"
			"  --case SPEC              run this case (repeatable); no profile then\n"
			"  --resume RUNDIR          finish a run that was stopped (same machine,\n"
			"                           kernel and build; only --cpu, --tune,\n"
			"                           --neighbour, --load-module may be given)\n"
			"  --dry-run                check everything, print the cases, write nothing\n"
			"  --quiet, --help\n"
			"run options (also 'set' lines in a profile; the command line wins):\n");
		opts_usage(f);
	}
}

int main(int argc, char **argv)
{
	const struct command *c;
	char names[256] = "";

	lmb_argv = argv;
	if (argc < 2) {
		cmd_usage(stderr, NULL);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		cmd_usage(stdout, NULL);
		return 0;
	}
	for (c = commands; c->name; c++) {
		if (!strcmp(argv[1], c->name))
			return c->fn(argc - 1, argv + 1);
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
			 "%s%s", c == commands ? "" : ", ", c->name);
	}
	die("unknown command '%s' (%s)", argv[1], names);
}
