// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - lazymmu-bench: run storms, list them, check or show a run.
 *
 *   lazymmu-bench run [--profile NAME] [--case SPEC]... [options]
 *   lazymmu-bench run --resume RUNDIR
 *   lazymmu-bench list
 *   lazymmu-bench check RUNDIR
 *   lazymmu-bench show RUNDIR
 *
 * Every error is one line on stderr and exit status 2; nothing is written
 * before every case has been parsed and checked.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "collector/collector.h"
#include "compare.h"
#include "history.h"
#include "runstats.h"
#include "harness.h"
#include "lab.h"
#include "meta.h"
#include "opts.h"
#include "phase.h"
#include "report.h"
#include "results.h"
#include "noise.h"
#include "tune.h"

#ifndef LMB_VERSION
#define LMB_VERSION "unknown"
#endif

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "lazymmu-bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}

/* configs/: $LAZYMMU_CONFIGS, beside the source tree the binary was built
 * in (build/<arch>/lazymmu-bench), or ./configs. */
static void configs_dir(char *buf, size_t len)
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

static void usage(FILE *f)
{
	fprintf(f,
"usage: lazymmu-bench run [options] [--case 'STORM key=value ...']...\n"
"       lazymmu-bench run --resume RUNDIR\n"
"       lazymmu-bench list | check RUNDIR | show [--tsv] RUNDIR\n"
"       lazymmu-bench compare [--baseline CELL] [--aa CELL [--null-test]] [--counters]\n"
"                             [--metric op_ns|prep_ns|kernel_ns]\n"
"                             [--format text|csv|md] [LABEL=]RUNDIR...\n"
"       lazymmu-bench history ingest DB RUNDIR... | history query DB [--case S] [--cell C]\n"
"       lazymmu-bench lab-import RUNDIR PLUGIN.json [key=value ...]\n"
"       lazymmu-bench lab-counts [--phase P] [--all-vcpus] [--user] RUNDIR\n"
"       lazymmu-bench stats [--side N] < FIGURES   (one per run, or 'a b' pairs)\n"
"run options (also 'set' lines in a profile; the command line wins):\n"
"  --profile NAME|PATH   cases from configs/profiles/NAME.conf (default quick)\n"
"  --case SPEC           run this case (repeatable); no profile then\n"
"  --storms a,b          only these storms       --size S      every case's size\n"
"  --iterations N        fixed ops per case      --min-time S  else calibrate (0.5)\n"
"  --warmup N            warm-up ops (5)         --max-iterations N (200000)\n"
"  --pmu NAME|none       PMU profile (auto)    --cpu N|auto|none  pinning (auto)\n"
"  --clock raw|cntvct    timestamps              --calib-barriers N (1000000)\n"
"  --out DIR             results parent (results) --quiet\n"
"  --noise NAME          a neighbour load on the other CPUs (configs/noise/)\n"
"  --inject-ns N         test only: busy-wait N ns inside every timed op\n"
"changing the machine (command line only; put back at exit):\n"
"  --tune LIST           governor,thp,caches,aslr | all | none (root, but aslr)\n"
"  --load-module KO      load lazymmu_bench.ko for the run (root)\n");
}

static void list_storms(void)
{
	int i, j;

	for (i = 0; storms[i]; i++) {
		const struct storm *s = storms[i];

		printf("%s: %s\n  models: %s\n", s->name, s->desc, s->models);
		for (j = 0; j < STORM_MAX_OPTS && s->opts[j].name; j++)
			printf("  %-8s default %-8s %s\n", s->opts[j].name,
			       s->opts[j].def, s->opts[j].help);
	}
}

static json_object *options_json(const struct run_opts *o)
{
	json_object *j = json_object_new_object();
	char buf[64];

	json_object_object_add(j, "iterations", json_object_new_int64(o->iterations));
	json_object_object_add(j, "warmup", json_object_new_int64(o->warmup));
	json_object_object_add(j, "min_time_s", json_object_new_double(o->min_time));
	json_object_object_add(j, "max_iterations",
			       json_object_new_int64(o->max_iterations));
	json_object_object_add(j, "calib_barriers",
			       json_object_new_int64(o->calib_barriers));
	json_object_object_add(j, "clock", json_object_new_string(
		o->clock == CLOCK_KIND_CNTVCT ? "cntvct" : "raw"));
	json_object_object_add(j, "pmu", json_object_new_string(o->pmu));
	json_object_object_add(j, "profile", json_object_new_string(o->profile));
	json_object_object_add(j, "noise", json_object_new_string(
		o->noise[0] ? o->noise : "none"));
	opts_tune_string(o->tune, buf, sizeof(buf));
	json_object_object_add(j, "tune", json_object_new_string(buf));
	if (o->inject_ns)
		json_object_object_add(j, "inject_ns",
				       json_object_new_int64(o->inject_ns));
	return j;
}

/* Options a resumed run must keep: read back from meta.json. */
static void options_from_json(json_object *j, struct run_opts *o)
{
	json_object *v;

	if (json_object_object_get_ex(j, "iterations", &v))
		o->iterations = json_object_get_int64(v);
	if (json_object_object_get_ex(j, "warmup", &v))
		o->warmup = json_object_get_int64(v);
	if (json_object_object_get_ex(j, "min_time_s", &v))
		o->min_time = json_object_get_double(v);
	if (json_object_object_get_ex(j, "max_iterations", &v))
		o->max_iterations = json_object_get_int64(v);
	if (json_object_object_get_ex(j, "calib_barriers", &v))
		o->calib_barriers = json_object_get_int64(v);
	if (json_object_object_get_ex(j, "clock", &v))
		o->clock = strcmp(json_object_get_string(v), "cntvct") ?
			   CLOCK_KIND_RAW : CLOCK_KIND_CNTVCT;
	if (json_object_object_get_ex(j, "pmu", &v))
		snprintf(o->pmu, sizeof(o->pmu), "%s", json_object_get_string(v));
	if (json_object_object_get_ex(j, "profile", &v))
		snprintf(o->profile, sizeof(o->profile), "%s",
			 json_object_get_string(v));
	if (json_object_object_get_ex(j, "inject_ns", &v))
		o->inject_ns = json_object_get_int64(v);
	if (!o->noise[0] && json_object_object_get_ex(j, "noise", &v) &&
	    strcmp(json_object_get_string(v), "none"))
		snprintf(o->noise, sizeof(o->noise), "%s",
			 json_object_get_string(v));
}

/* What --tune and --load-module changed is put back however we exit. */
static struct tune tune;
static struct noise neighbour = { .pid = -1 };

static void restore_at_exit(void)
{
	noise_kill(&neighbour);
	tune_restore(&tune);
}

static void restore_on_signal(int sig)
{
	noise_kill(&neighbour);
	tune_restore(&tune);
	signal(sig, SIG_DFL);
	raise(sig);
}

static uint64_t mem_available(void)
{
	char line[256];
	unsigned long long kb = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb << 10;
}

/* Refuse what cannot fit before anything is written. */
static void preflight(const struct bench_case *cases, int n)
{
	uint64_t avail = mem_available(), need;
	struct storm_ctx ctx;
	char a[32], b[32];
	int i;

	for (i = 0; i < n && avail; i++) {
		memset(&ctx, 0, sizeof(ctx));
		memcpy(ctx.opt, cases[i].opt, sizeof(ctx.opt));
		need = cases[i].storm->footprint(&ctx);
		if (need > avail / 10 * 8) {
			format_size(need, a, sizeof(a));
			format_size(avail >> 20 << 20, b, sizeof(b));
			die("%s: needs %s, more than 80%% of MemAvailable %s",
			    cases[i].spec, a, b);
		}
	}
}

static int cmd_check(const char *rundir)
{
	char err[1024];

	if (results_check_run(rundir, err, sizeof(err)))
		die("%s", err);
	printf("%s: ok\n", rundir);
	return 0;
}

static json_object *load_case(const char *rundir, json_object *entry)
{
	char path[1024], err[1024];
	json_object *c;

	snprintf(path, sizeof(path), "%s/%s.json", rundir, json_object_get_string(
		json_object_object_get(entry, "file")));
	c = results_read_json(path, RESULTS_CASE_SCHEMA, err, sizeof(err));
	if (!c)
		die("%s", err);
	return c;
}

/*
 * show --tsv: "spec<TAB>status<TAB>median op_ns" per finished case, for
 * scripts that have no JSON reader (the LAVA test shell).
 */
static void show_tsv(const char *rundir, json_object *cases)
{
	json_object *e, *c, *l, *op, *p50;
	size_t i;

	for (i = 0; i < json_object_array_length(cases); i++) {
		e = json_object_array_get_idx(cases, i);
		if (!json_object_get_boolean(json_object_object_get(e, "done")))
			continue;
		c = load_case(rundir, e);
		printf("%s\t%s\t", results_jstr(c, "spec"),
		       results_jstr(c, "status"));
		if (json_object_object_get_ex(c, "latency_ns", &l) &&
		    json_object_object_get_ex(l, "op_ns", &op) &&
		    json_object_object_get_ex(op, "p50", &p50))
			printf("%.15g\n", json_object_get_double(p50));
		else
			printf("-\n");
		json_object_put(c);
	}
}

static int cmd_show(const char *rundir, int tsv)
{
	json_object *meta, *cases, *e, *c, *last = NULL;
	char path[1024], err[1024];
	size_t i;

	snprintf(path, sizeof(path), "%s/meta.json", rundir);
	meta = results_read_json(path, RESULTS_RUN_SCHEMA, err, sizeof(err));
	if (!meta)
		die("%s", err);
	cases = json_object_object_get(meta, "cases");
	if (tsv) {
		show_tsv(rundir, cases);
		json_object_put(meta);
		return 0;
	}
	report_header(stdout);
	for (i = 0; i < json_object_array_length(cases); i++) {
		e = json_object_array_get_idx(cases, i);
		if (!json_object_get_boolean(json_object_object_get(e, "done"))) {
			printf("%-34s not run\n", json_object_get_string(
				json_object_object_get(e, "spec")));
			continue;
		}
		c = load_case(rundir, e);
		report_case(stdout, c);
		if (last)
			json_object_put(last);
		last = c;
	}
	if (last) {
		report_unavailable(stdout, last);
		json_object_put(last);
	}
	json_object_put(meta);
	return 0;
}

/* lab-import RUNDIR PLUGIN.json [key=value ...]: the lab cell's counts. */
static int cmd_lab_import(int argc, char **argv)
{
	json_object *cell = json_object_new_object();
	char err[1024];
	int i, rc;

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
		fprintf(stderr, "lazymmu-bench: %s\n", err);
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
static int cmd_lab_counts(int argc, char **argv)
{
	const char *phase = "measure", *rundir = NULL, *spec;
	json_object *meta, *cases, *e, *c, *kinds;
	int kernel = 1, all = 0, i;
	char path[1024], err[1024];
	size_t k;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--phase") && i + 1 < argc)
			phase = argv[++i];
		else if (!strcmp(argv[i], "--all-vcpus"))
			all = 1;
		else if (!strcmp(argv[i], "--user"))
			kernel = 0;
		else if (argv[i][0] != '-' && !rundir)
			rundir = argv[i];
		else
			die("lab-counts: unexpected '%s' (usage: lab-counts [--phase P] [--all-vcpus] [--user] RUNDIR)",
			    argv[i]);
	}
	if (!rundir)
		die("usage: lab-counts [--phase P] [--all-vcpus] [--user] RUNDIR");
	for (i = 0; i < PHASE_NR && strcmp(phase_names[i], phase); i++)
		;
	if (i == PHASE_NR)
		die("lab-counts: unknown phase '%s'", phase);
	snprintf(path, sizeof(path), "%s/meta.json", rundir);
	meta = results_read_json(path, RESULTS_RUN_SCHEMA, err, sizeof(err));
	if (!meta)
		die("%s", err);
	cases = json_object_object_get(meta, "cases");
	if (!cases || !json_object_is_type(cases, json_type_array))
		die("%s: no cases array", path);
	for (k = 0; k < json_object_array_length(cases); k++) {
		size_t j;

		e = json_object_array_get_idx(cases, k);
		if (!json_object_get_boolean(json_object_object_get(e, "done")))
			continue;
		c = load_case(rundir, e);
		spec = results_jstr(c, "spec") ?: "?";
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
	json_object_put(meta);
	return 0;
}

static void stamp(json_object *meta, const char *key)
{
	char buf[64];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_object_add(meta, key, json_object_new_string(buf));
}

static struct bench_case cases[MAX_CASES];
static char **main_argv;

static int cmd_run(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "case", required_argument, NULL, 'c' },
		{ "resume", required_argument, NULL, 'r' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "iterations", required_argument, NULL, 0 },
		{ "warmup", required_argument, NULL, 0 },
		{ "min-time", required_argument, NULL, 0 },
		{ "max-iterations", required_argument, NULL, 0 },
		{ "calib-barriers", required_argument, NULL, 0 },
		{ "cpu", required_argument, NULL, 0 },
		{ "clock", required_argument, NULL, 0 },
		{ "size", required_argument, NULL, 0 },
		{ "pmu", required_argument, NULL, 0 },
		{ "storms", required_argument, NULL, 0 },
		{ "out", required_argument, NULL, 0 },
		{ "tune", required_argument, NULL, 0 },
		{ "load-module", required_argument, NULL, 0 },
		{ "noise", required_argument, NULL, 0 },
		{ "inject-ns", required_argument, NULL, 0 },
		{ NULL, 0, NULL, 0 }
	};
	char err[1024], cfg[512], path[2048], rundir[1024], pmudir[600];
	json_object *meta = NULL, *list, *e, *c, *last = NULL, *noise;
	struct collector *col;
	struct harness h;
	struct run_opts o;
	struct samples s;
	int ch, idx, ncases = 0, i, done = 0;
	size_t n;

	opts_defaults(&o);
	configs_dir(cfg, sizeof(cfg));
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "p:c:r:qh", lopts, &idx)) != -1) {
		switch (ch) {
		case 0:
			if (opts_set(&o, lopts[idx].name, optarg, 1, err,
				     sizeof(err)))
				die("%s", err);
			break;
		case 'p':
			snprintf(o.profile, sizeof(o.profile), "%s", optarg);
			break;
		case 'c':
			if (ncases >= MAX_CASES)
				die("more than %d cases", MAX_CASES);
			if (case_parse(optarg, &cases[ncases], err, sizeof(err)))
				die("%s", err);
			ncases++;
			break;
		case 'r':
			snprintf(o.resume, sizeof(o.resume), "%s", optarg);
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			die("bad option '%s' (see 'lazymmu-bench run --help')",
			    argv[optind - 1]);
		}
	}
	if (optind < argc)
		die("unexpected argument '%s' (cases go in --case)", argv[optind]);
	tune_aslr_reexec(&o, main_argv);

	if (o.resume[0]) {
		if (ncases || o.profile[0])
			die("--resume takes the cases of the run it resumes");
		snprintf(rundir, sizeof(rundir), "%s", o.resume);
		snprintf(path, sizeof(path), "%s/meta.json", rundir);
		meta = results_read_json(path, RESULTS_RUN_SCHEMA, err,
					 sizeof(err));
		if (!meta)
			die("%s", err);
		options_from_json(json_object_object_get(meta, "options"), &o);
		/* this session's --noise and --tune */
		json_object_object_add(meta, "options", options_json(&o));
		list = json_object_object_get(meta, "cases");
		for (n = 0; n < json_object_array_length(list); n++) {
			e = json_object_array_get_idx(list, n);
			if (case_parse(json_object_get_string(
					json_object_object_get(e, "spec")),
				       &cases[ncases++], err, sizeof(err)))
				die("%s: %s", path, err);
		}
	} else {
		if (!ncases) {
			if (!o.profile[0])
				snprintf(o.profile, sizeof(o.profile), "quick");
			if (strchr(o.profile, '/'))
				snprintf(path, sizeof(path), "%s", o.profile);
			else
				snprintf(path, sizeof(path), "%s/profiles/%s.conf",
					 cfg, o.profile);
			if (access(path, R_OK))
				die("unknown profile '%s' (no %s)", o.profile,
				    path);
			if (profile_load(path, &o, cases, &ncases, err,
					 sizeof(err)))
				die("%s", err);
		}
		if (cases_filter(&o, cases, &ncases, err, sizeof(err)))
			die("%s", err);
	}
	preflight(cases, ncases);
	if (o.noise[0]) {
		snprintf(path, sizeof(path), "%s/noise", cfg);
		if (noise_load(&neighbour, path, o.noise, err, sizeof(err)))
			die("%s", err);
	}

	if (harness_init(&h, &o, NULL, err, sizeof(err)))
		die("%s", err);
	/* Before anything is written: a control that cannot be had stops here. */
	atexit(restore_at_exit);
	signal(SIGINT, restore_on_signal);
	signal(SIGTERM, restore_on_signal);
	signal(SIGHUP, restore_on_signal);
	noise = tune_apply(&tune, &o, h.pinned_cpu, err, sizeof(err));
	if (!noise)
		die("%s", err);
	/*
	 * The neighbour is forked before the counters exist: they are
	 * inherited by children, and its work must not be counted as ours.
	 */
	if (o.noise[0] && noise_start(&neighbour, h.pinned_cpu, err,
				      sizeof(err)))
		die("%s", err);

	/* --pmu none: no counters at all (to measure the harness itself). */
	col = NULL;
	snprintf(path, sizeof(path), "none");
	if (strcmp(o.pmu, "none")) {
		snprintf(pmudir, sizeof(pmudir), "%s/pmu", cfg);
		if (collector_profile_path(pmudir, o.pmu, path, sizeof(path),
					   err, sizeof(err)))
			die("%s", err);
		col = collector_open(path, err, sizeof(err));
		if (!col)
			die("%s", err);
	}
	h.col = col;

	/* From here on, results are written. */
	if (!meta) {
		if (results_mkrun(o.out, rundir, sizeof(rundir), err,
				  sizeof(err)))
			die("%s", err);
		meta = json_object_new_object();
		json_object_object_add(meta, "schema", json_object_new_string(
			RESULTS_RUN_SCHEMA));
		json_object_object_add(meta, "schema_version",
				       json_object_new_int(RESULTS_SCHEMA_VERSION));
		json_object_object_add(meta, "run_id", json_object_new_string(
			strrchr(rundir, '/') + 1));
		json_object_object_add(meta, "backend",
				       json_object_new_string("host"));
		json_object_object_add(meta, "tool_version",
				       json_object_new_string(LMB_VERSION));
		stamp(meta, "started");
		json_object_object_add(meta, "options", options_json(&o));
		list = json_object_new_array();
		for (i = 0; i < ncases; i++) {
			char name[64];

			e = json_object_new_object();
			results_case_name(i, cases[i].storm->name, name,
					  sizeof(name));
			json_object_object_add(e, "index", json_object_new_int(i));
			json_object_object_add(e, "spec",
					       json_object_new_string(cases[i].spec));
			json_object_object_add(e, "file", json_object_new_string(name));
			json_object_object_add(e, "done",
					       json_object_new_boolean(0));
			json_object_array_add(list, e);
		}
		json_object_object_add(meta, "cases", list);
	}
	list = json_object_object_get(meta, "cases");
	json_object_object_add(meta, "system", meta_system());
	json_object_object_add(meta, "pmu_profile", json_object_new_string(path));
	json_object_object_add(meta, "pinned_cpu",
			       json_object_new_int64(h.pinned_cpu));
	json_object_object_add(meta, "noise", noise);
	json_object_object_add(meta, "calibration", harness_calibrate(&h));
	if (results_write_json(rundir, "meta.json", meta, err, sizeof(err)))
		die("%s", err);

	if (!o.quiet)
		report_header(stdout);
	for (i = 0; i < ncases; i++) {
		char name[64];

		e = json_object_array_get_idx(list, i);
		if (json_object_get_boolean(json_object_object_get(e, "done"))) {
			done++;
			continue;
		}
		tune_case_begin(&tune);
		if (harness_run_case(&h, i, &cases[i], &c, &s, err, sizeof(err)))
			die("%s (results so far in %s)", err, rundir);
		json_object_object_add(c, "noise", tune_case_end(&tune));
		results_case_name(i, cases[i].storm->name, name, sizeof(name));
		json_object_object_add(c, "run_id", json_object_get(
			json_object_object_get(meta, "run_id")));
		if (s.n) {
			json_object *sf = json_object_new_object();

			json_object_object_add(sf, "file", json_object_new_string(
				strcat(strcpy(path, name), ".samples")));
			json_object_object_add(sf, "n", json_object_new_int64(s.n));
			json_object_object_add(c, "samples", sf);
			if (results_write_samples(rundir, path, &s, err,
						  sizeof(err)))
				die("%s", err);
		}
		free(s.col[0]);
		free(s.col[1]);
		free(s.col[2]);
		strcat(strcpy(path, name), ".json");
		if (results_write_json(rundir, path, c, err, sizeof(err)))
			die("%s", err);
		json_object_object_add(e, "done", json_object_new_boolean(1));
		json_object_object_add(e, "status", json_object_get(
			json_object_object_get(c, "status")));
		if (results_write_json(rundir, "meta.json", meta, err,
				       sizeof(err)))
			die("%s", err);
		if (!o.quiet)
			report_case(stdout, c);
		fflush(stdout);
		if (last)
			json_object_put(last);
		last = c;
		done++;
	}
	stamp(meta, "finished");
	json_object_object_add(noise, "irq_advice", tune_finish(&tune));
	if (o.noise[0])
		json_object_object_add(meta, "neighbour", noise_stop(&neighbour));
	if (results_write_json(rundir, "meta.json", meta, err, sizeof(err)))
		die("%s", err);
	tune_restore(&tune);
	if (!o.quiet && last)
		report_unavailable(stdout, last);
	if (!o.quiet)
		tune_report(stdout, noise);
	if (last)
		json_object_put(last);
	json_object_put(meta);
	if (col)
		collector_close(col);
	printf("%s\n", rundir);
	return 0;
}

int main(int argc, char **argv)
{
	main_argv = argv;
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "list")) {
		list_storms();
		return 0;
	}
	if (!strcmp(argv[1], "check") && argc == 3)
		return cmd_check(argv[2]);
	if (!strcmp(argv[1], "show") && argc == 3)
		return cmd_show(argv[2], 0);
	if (!strcmp(argv[1], "show") && argc == 4 && !strcmp(argv[2], "--tsv"))
		return cmd_show(argv[3], 1);
	if (!strcmp(argv[1], "lab-import") && argc >= 4)
		return cmd_lab_import(argc - 2, argv + 2);
	if (!strcmp(argv[1], "lab-counts"))
		return cmd_lab_counts(argc - 2, argv + 2);
	if (!strcmp(argv[1], "history")) {
		char err[1024];

		if (history_main(argc - 2, argv + 2, err, sizeof(err)))
			die("%s", err);
		return 0;
	}
	if (!strcmp(argv[1], "compare")) {
		char err[1024];

		if (compare_main(argc - 2, argv + 2, err, sizeof(err)))
			die("%s", err);
		return 0;
	}
	if (!strcmp(argv[1], "stats")) {
		char err[1024];

		if (runstats_main(argc - 2, argv + 2, err, sizeof(err)))
			die("%s", err);
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	die("unknown command '%s' (run, list, check, show, compare, history, stats, lab-import, lab-counts)", argv[1]);
	return 2;
}
