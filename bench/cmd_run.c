// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_run.c - `lazymmu-bench run`: parse the cases and options, check
 * them, set the machine up (pinning, --tune, a neighbour load, counters),
 * then run every case not done yet, writing each result atomically.
 *
 *   lazymmu-bench run [--profile NAME] [--case SPEC]... [options]
 *   lazymmu-bench run --resume RUNDIR [--cpu|--tune|--neighbour|--load-module ...]
 *   lazymmu-bench run --dry-run [options]
 *
 * Nothing is written before every case has been parsed and checked;
 * what --tune and --load-module change is put back however the run ends.
 * A new run's directory appears whole (results_publish_run()), and a
 * run is written by one process at a time (results_lock_run()).  A
 * resumed run keeps its options and cases, and goes on only on the
 * machine, kernel, boot settings and build it was started with.
 * --dry-run checks all that a run would (options, cases, profiles,
 * sizes, pinning, a resume's run) and prints the cases; it writes
 * nothing and changes nothing on the machine.
 */
#include <signal.h>
#include <stdio.h>
#include "collector/profile.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cmd.h"
#include "collector/collector.h"
#include "harness.h"
#include "meta.h"
#include "neighbour.h"
#include "opts.h"
#include "report.h"
#include "results.h"
#include "tune.h"
#include "util.h"

#ifndef LMB_VERSION
#define LMB_VERSION "unknown"
#endif

/* One run: what its steps share. */
struct run {
	struct run_opts o;
	struct bench_case cases[MAX_CASES];
	int ncases;
	char cfg[512];
	char rundir[1024];
	char pmu_path[2048];
	int fresh;			/* a new run, not published yet */
	int lock;			/* results_lock_run() */
	int dry_run;
	json_object *meta;		/* meta.json as it will be written */
	json_object *controls;		/* the machine's controls, from tune */
	struct collector *col;
	struct harness h;
};

/* What --tune and --load-module changed is put back however we exit. */
static struct tune tune;
static struct neighbour neighbour = { .pid = -1 };

static void restore_at_exit(void)
{
	neighbour_kill(&neighbour);
	tune_restore(&tune);
}

static void restore_on_signal(int sig)
{
	neighbour_kill(&neighbour);
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

static void stamp(json_object *meta, const char *key)
{
	char buf[64];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_object_add(meta, key, json_object_new_string(buf));
}

/* The command line: the run's own arguments, then opts.c's table. */
static void run_args(struct run *r, int argc, char **argv)
{
	static const struct option own[] = {
		{ "case", required_argument, NULL, 'c' },
		{ "resume", required_argument, NULL, 'r' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
	};
	int nown = sizeof(own) / sizeof(own[0]), ch, idx;
	struct option lopts[64];
	char err[1024];

	memcpy(lopts, own, sizeof(own));
	if (opts_getopt(lopts + nown, 64 - nown) < 0)
		die("too many run options for the getopt table");
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "p:c:r:qh", lopts, &idx)) != -1) {
		switch (ch) {
		case 0:
		case 'p':
			if (opts_set(&r->o, ch == 'p' ? "profile" :
				     lopts[idx].name, optarg, 1, err, sizeof(err)))
				die("%s", err);
			break;
		case 'c':
			if (r->ncases >= MAX_CASES)
				die("more than %d cases", MAX_CASES);
			if (case_parse(optarg, &r->cases[r->ncases], err,
				       sizeof(err)))
				die("%s", err);
			r->ncases++;
			break;
		case 'r':
			if (!*optarg || strlen(optarg) >= sizeof(r->o.resume))
				die("--resume: '%s' is empty or too long (the run's directory)",
				    optarg);
			snprintf(r->o.resume, sizeof(r->o.resume), "%s", optarg);
			break;
		case 'n':
			r->dry_run = 1;
			break;
		case 'q':
			r->o.quiet = 1;
			break;
		case 'h':
			cmd_usage(stdout, "run");
			exit(0);
		default:
			die("bad option '%s' (see 'lazymmu-bench run --help')",
			    argv[optind - 1]);
		}
	}
	if (optind < argc)
		die("unexpected argument '%s' (cases go in --case)", argv[optind]);
}

/*
 * What a resumed run must share with this session: the machine, the
 * kernel and its boot settings, the build.  The first difference, as
 * "what: 'then' (run), 'now' (this session)", or 0.
 */
static int same_machine(json_object *meta, char *why, size_t len)
{
	static const char *const keys[] = {
		"system.nodename", "system.machine", "system.release",
		"system.version", "system.kernel_config.sha256",
		"system.debug_pagealloc", "backend", "tool_version",
	};
	json_object *now = json_object_new_object(), *a, *b;
	const char *sa, *sb;
	size_t k;
	int diff = 0;

	json_object_object_add(now, "system", meta_system());
	json_object_object_add(now, "backend", json_object_new_string("host"));
	json_object_object_add(now, "tool_version",
			       json_object_new_string(LMB_VERSION));
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]) && !diff; k++) {
		a = results_jget(meta, keys[k]);
		b = results_jget(now, keys[k]);
		sa = a ? json_object_to_json_string(a) : "none";
		sb = b ? json_object_to_json_string(b) : "none";
		if (strcmp(sa, sb)) {
			snprintf(why, len, "%s: %.120s (run), %.120s (now)",
				 keys[k], sa, sb);
			diff = 1;
		}
	}
	json_object_put(now);
	return diff;
}

/*
 * --resume: the options and cases of the run it finishes, read through
 * the shared reader (its case files too), on the machine it was started
 * on, by this process alone.
 */
static void run_resume(struct run *r)
{
	char path[1100], err[1024];
	struct run_reader rd;
	json_object *e, *c;
	const char *opt;
	int rc;

	if (r->ncases)
		die("--resume takes the cases of the run it resumes");
	opt = opts_not_for_resume(&r->o);
	if (opt)
		die("--%s: not with --resume (the run keeps the options in %s/meta.json; start a new run)",
		    opt, r->o.resume);
	snprintf(r->rundir, sizeof(r->rundir), "%s", r->o.resume);
	snprintf(path, sizeof(path), "%s/meta.json", r->rundir);
	r->lock = results_lock_run(r->rundir, err, sizeof(err));
	if (r->lock < 0)
		die("%s", err);
	if (results_run_open(&rd, r->rundir, 1, err, sizeof(err)))
		die("%s", err);
	while ((rc = results_run_next(&rd, &e, &c, err, sizeof(err))) == 1) {
		if (r->ncases >= MAX_CASES)
			die("%s: more than %d cases", path, MAX_CASES);
		if (case_parse(results_jstr(e, "spec"), &r->cases[r->ncases++],
			       err, sizeof(err)))
			die("%s: %s", path, err);
		json_object_put(c);
	}
	if (rc < 0)
		die("%s", err);
	r->meta = json_object_get(rd.meta);
	results_run_close(&rd);
	if (same_machine(r->meta, err, sizeof(err)))
		die("%s: made on another machine, kernel or build, not resumed here: %s",
		    r->rundir, err);
	if (opts_from_json(json_object_object_get(r->meta, "options"), &r->o,
			   err, sizeof(err)))
		die("%s: %s", path, err);
	/* this session's --neighbour and --tune */
	json_object_object_add(r->meta, "options", opts_json(&r->o));
}

/* The cases: resumed, given with --case, or a profile's. */
static void run_cases(struct run *r)
{
	struct run_opts *o = &r->o;
	char path[1100], err[1024];

	if (o->resume[0]) {
		run_resume(r);
		return;
	}
	if (!r->ncases) {
		if (!o->profile[0])
			snprintf(o->profile, sizeof(o->profile), "quick");
		if (strchr(o->profile, '/'))
			snprintf(path, sizeof(path), "%s", o->profile);
		else
			snprintf(path, sizeof(path), "%s/profiles/%s.conf",
				 r->cfg, o->profile);
		if (access(path, R_OK))
			die("unknown profile '%s' (no %s)", o->profile, path);
		if (profile_load(path, o, r->cases, &r->ncases, err,
				 sizeof(err)))
			die("%s", err);
	}
	if (cases_filter(o, r->cases, &r->ncases, err, sizeof(err)))
		die("%s", err);
}

/*
 * All a run checks before it changes anything: the cases' sizes, the
 * neighbour load's file, pinning, what --tune asks for, the PMU profile.
 * --dry-run stops after it.
 */
static void run_check(struct run *r)
{
	char path[600], err[1024];
	struct profile prof;

	preflight(r->cases, r->ncases);
	if (r->o.neighbour[0]) {
		snprintf(path, sizeof(path), "%s/neighbour", r->cfg);
		if (neighbour_read(&neighbour, path, r->o.neighbour, err,
				   sizeof(err)))
			die("%s", err);
	}
	if (harness_init(&r->h, &r->o, NULL, err, sizeof(err)))
		die("%s", err);
	if (tune_prepare(&tune, &r->o, r->h.pinned_cpu, err, sizeof(err)))
		die("%s", err);
	/* --pmu none: no counters at all (to measure the harness itself). */
	snprintf(r->pmu_path, sizeof(r->pmu_path), "none");
	if (strcmp(r->o.pmu, "none")) {
		snprintf(path, sizeof(path), "%s/pmu", r->cfg);
		if (collector_profile_path(path, r->o.pmu, r->pmu_path,
					   sizeof(r->pmu_path), err, sizeof(err)) ||
		    profile_parse(r->pmu_path, &prof, err, sizeof(err)))
			die("%s", err);
		profile_free(&prof);
	}
}

/*
 * The machine, before anything is written: pinning, the controls of
 * --tune (a control that cannot be had stops here), the neighbour load
 * and the counters.
 */
static void run_setup(struct run *r)
{
	char err[1024];

	run_check(r);
	atexit(restore_at_exit);
	signal(SIGINT, restore_on_signal);
	signal(SIGTERM, restore_on_signal);
	signal(SIGHUP, restore_on_signal);
	r->controls = tune_apply(&tune, &r->o, r->h.pinned_cpu, err, sizeof(err));
	if (!r->controls)
		die("%s", err);
	/*
	 * The neighbour is forked before the counters exist: they are
	 * inherited by children, and its work must not be counted as ours.
	 */
	if (r->o.neighbour[0] && neighbour_start(&neighbour, r->h.pinned_cpu,
						 err, sizeof(err)))
		die("%s", err);
	if (strcmp(r->pmu_path, "none")) {
		r->col = collector_open(r->pmu_path, err, sizeof(err));
		if (!r->col)
			die("%s", err);
	}
	r->h.col = r->col;
}

/* A new run's meta.json: its identity, options and case list. */
static json_object *run_meta_new(struct run *r)
{
	json_object *meta = json_object_new_object(), *list, *e;
	char err[1024], name[64];
	int i;

	if (results_mkrun(r->o.out, r->rundir, sizeof(r->rundir), err,
			  sizeof(err)))
		die("%s", err);
	r->fresh = 1;
	r->lock = results_lock_run(r->rundir, err, sizeof(err));
	if (r->lock < 0)
		die("%s", err);
	json_object_object_add(meta, "schema",
			       json_object_new_string(RESULTS_RUN_SCHEMA));
	json_object_object_add(meta, "schema_version",
			       json_object_new_int(RESULTS_SCHEMA_VERSION));
	/* given when the directory is published */
	json_object_object_add(meta, "run_id", json_object_new_string(""));
	json_object_object_add(meta, "backend", json_object_new_string("host"));
	json_object_object_add(meta, "tool_version",
			       json_object_new_string(LMB_VERSION));
	stamp(meta, "started");
	json_object_object_add(meta, "options", opts_json(&r->o));
	list = json_object_new_array();
	for (i = 0; i < r->ncases; i++) {
		e = json_object_new_object();
		results_case_name(i, r->cases[i].storm->name, name, sizeof(name));
		json_object_object_add(e, "index", json_object_new_int(i));
		json_object_object_add(e, "spec",
				       json_object_new_string(r->cases[i].spec));
		json_object_object_add(e, "file", json_object_new_string(name));
		json_object_object_add(e, "done", json_object_new_boolean(0));
		json_object_array_add(list, e);
	}
	json_object_object_add(meta, "cases", list);
	return meta;
}

/* meta.json before the first case: this session's machine. */
static void run_meta(struct run *r)
{
	char err[1024];

	if (!r->meta)
		r->meta = run_meta_new(r);
	json_object_object_add(r->meta, "system", meta_system());
	json_object_object_add(r->meta, "pmu_events",
			       json_object_new_string(r->pmu_path));
	json_object_object_add(r->meta, "pinned_cpu",
			       json_object_new_int64(r->h.pinned_cpu));
	json_object_object_add(r->meta, "controls", r->controls);
	json_object_object_add(r->meta, "calibration",
			       harness_calibrate(&r->h));
	if (r->fresh ? results_publish_run(r->rundir, sizeof(r->rundir),
					   r->o.out, r->meta, err, sizeof(err)) :
	    results_write_json(r->rundir, "meta.json", r->meta, err,
			       sizeof(err)))
		die("%s", err);
}

/*
 * Case @i: run it, write its samples and its JSON, then mark it done in
 * meta.json (each file atomically, in that order).  Returns the case.
 */
static json_object *run_case(struct run *r, int i, json_object *entry)
{
	char name[64], file[80], err[1024];
	struct samples s;
	json_object *c;

	tune_case_begin(&tune);
	if (harness_run_case(&r->h, i, &r->cases[i], &c, &s, err, sizeof(err)))
		die("%s (results so far in %s)", err, r->rundir);
	json_object_object_add(c, "controls", tune_case_end(&tune));
	results_case_name(i, r->cases[i].storm->name, name, sizeof(name));
	json_object_object_add(c, "run_id", json_object_get(
		json_object_object_get(r->meta, "run_id")));
	if (s.n) {
		json_object *sf = json_object_new_object();

		snprintf(file, sizeof(file), "%s.samples", name);
		json_object_object_add(sf, "file", json_object_new_string(file));
		json_object_object_add(sf, "n", json_object_new_int64(s.n));
		json_object_object_add(c, "samples", sf);
		if (results_write_samples(r->rundir, file, &s, err, sizeof(err)))
			die("%s", err);
	}
	free(s.col[0]);
	free(s.col[1]);
	free(s.col[2]);
	snprintf(file, sizeof(file), "%s.json", name);
	if (results_write_json(r->rundir, file, c, err, sizeof(err)))
		die("%s", err);
	json_object_object_add(entry, "done", json_object_new_boolean(1));
	json_object_object_add(entry, "status", json_object_get(
		json_object_object_get(c, "status")));
	if (results_write_json(r->rundir, "meta.json", r->meta, err,
			       sizeof(err)))
		die("%s", err);
	return c;
}

int cmd_run(int argc, char **argv)
{
	static struct run r;
	json_object *list, *e, *c, *last = NULL;
	char err[1024];
	int i;

	opts_defaults(&r.o);
	configs_dir(r.cfg, sizeof(r.cfg));
	run_args(&r, argc, argv);
	tune_aslr_reexec(&r.o, lmb_argv);
	run_cases(&r);
	if (r.dry_run) {
		run_check(&r);
		for (i = 0; i < r.ncases; i++)
			printf("case %s\n", r.cases[i].spec);
		return 0;
	}
	run_setup(&r);
	/* From here on, results are written. */
	run_meta(&r);
	if (!r.o.quiet)
		report_header(stdout);
	list = json_object_object_get(r.meta, "cases");
	for (i = 0; i < r.ncases; i++) {
		e = json_object_array_get_idx(list, i);
		if (json_object_get_boolean(json_object_object_get(e, "done")))
			continue;
		c = run_case(&r, i, e);
		if (!r.o.quiet)
			report_case(stdout, c);
		fflush(stdout);
		if (last)
			json_object_put(last);
		last = c;
	}
	stamp(r.meta, "finished");
	json_object_object_add(r.controls, "irq_advice", tune_finish(&tune));
	if (r.o.neighbour[0])
		json_object_object_add(r.meta, "neighbour",
				       neighbour_stop(&neighbour));
	if (results_write_json(r.rundir, "meta.json", r.meta, err, sizeof(err)))
		die("%s", err);
	tune_restore(&tune);
	if (!r.o.quiet && last)
		report_unavailable(stdout, last);
	if (!r.o.quiet)
		tune_report(stdout, r.controls);
	if (last)
		json_object_put(last);
	json_object_put(r.meta);
	if (r.col)
		collector_close(r.col);
	printf("%s\n", r.rundir);
	return 0;
}
