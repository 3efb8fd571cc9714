/* SPDX-License-Identifier: GPL-2.0 */
/*
 * results.h - the results schema on disk (documented in results/README.md).
 *
 * A run is a directory <out>/<run-id>/ holding meta.json and, per case,
 * NN-<storm>.json (summary, counters) and NN-<storm>.samples (raw per-op
 * samples).  Every file is written atomically: temp file, fsync, rename,
 * fsync of the directory.
 */
#ifndef RESULTS_H
#define RESULTS_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

/*
 * Version 2: a lab case's "lab" object keeps instructions and classes
 * apart (layout 2) and meta.json's calibration gains "kernel".
 * Version 3: names without double meanings: the machine's controls are
 * "controls" in meta.json and in each case (were "noise"), the neighbour
 * load is options.neighbour (was options.noise), the PMU event set
 * "pmu_events" (was "pmu_profile").  Readers take every version from
 * RESULTS_SCHEMA_OLDEST on, with the old names (lab.c reads layout 1).
 */
#define RESULTS_SCHEMA_VERSION	3
#define RESULTS_SCHEMA_OLDEST	1
#define RESULTS_SAMPLES_VERSION	1
#define RESULTS_RUN_SCHEMA	"lazymmu-bench/run"
#define RESULTS_CASE_SCHEMA	"lazymmu-bench/case"

struct samples {
	size_t n;
	int ncols;
	const char *names[3];	/* e.g. op_ns, prep_ns, kernel_ns */
	uint64_t *col[3];
};

int atomic_write(const char *dir, const char *name, const void *buf,
		 size_t len, char *err, size_t errlen);
int results_write_json(const char *dir, const char *name, json_object *o,
		       char *err, size_t errlen);
int results_write_samples(const char *dir, const char *name,
			  const struct samples *s, char *err, size_t errlen);

/*
 * A run directory appears whole or not at all: results_mkrun() makes
 * <out> (like mkdir -p) and in it a hidden <out>/.new-run-XXXXXX, into
 * @tmpdir; results_publish_run() gives @meta its "run_id" (time and
 * host, -1, -2, ... for a run of the same second), writes it as
 * meta.json into @rundir (the temporary directory) and renames that to
 * <out>/<run-id> without ever replacing a directory, then sets @rundir to
 * it.  A run killed before that leaves only the hidden directory.
 */
int results_mkrun(const char *out, char *tmpdir, size_t len, char *err,
		  size_t errlen);
int results_publish_run(char *rundir, size_t len, const char *out,
			json_object *meta, char *err, size_t errlen);
/*
 * Hold @rundir for this process (an flock on the directory, so nothing
 * is added to it): the fd, or -1 with "another lazymmu-bench run is
 * writing it".  Two runs never write one directory at once.
 */
int results_lock_run(const char *rundir, char *err, size_t errlen);

/* Read a JSON file and check its "schema" and "schema_version". */
json_object *results_read_json(const char *path, const char *schema,
			       char *err, size_t errlen);
/* Read a samples file; columns are allocated, free with samples_free(). */
int results_read_samples(const char *path, struct samples *s, char *err,
			 size_t errlen);
void samples_free(struct samples *s);

/*
 * The one reader of a run's cases, for every command that reads runs
 * (check, show, compare, history, lab-import, lab-counts, run --resume),
 * so that they accept and refuse the same runs.  results_run_open()
 * reads meta.json (schema checked): a "run_id", a "cases" array of at
 * most LMB_MAX_CASES entries, entry i with "index" i, a "spec" that
 * parses and the "file" name that index and storm give (so no entry
 * twice and no file outside the run), "done" a boolean.
 * results_run_next() gives the next case marked done: *entry is its
 * meta.json entry, *c its case file (put it with json_object_put),
 * checked against the entry (index, storm, spec, run_id and status
 * agree); a status other than "ok" has a "reason"; an "ok" one has
 * "iterations" >= 1, a "latency_ns" object of columns (op_ns among
 * them) each with n >= 1 and finite, non-negative, ordered min <= p50
 * <= p90 <= p99 <= max, mean, stddev and cov, and a "counters" array of
 * objects with a label and a status, an "ok" one with phases whose count
 * (and per_op) are numbers.  With @all, cases not done come too, with *c
 * NULL.  It returns 1 with a case, 0 at the end, -1 with a one-line
 * reason naming the file.
 */
struct run_reader {
	char dir[1024];
	json_object *meta;
	json_object *cases;
	size_t next;
	int all;
	char path[1100];	/* the file read last, for messages */
};

int results_run_open(struct run_reader *r, const char *rundir, int all,
		     char *err, size_t errlen);
int results_run_next(struct run_reader *r, json_object **entry,
		     json_object **c, char *err, size_t errlen);
void results_run_close(struct run_reader *r);
/*
 * A case to measure from: meta.json's entry and the case file both say
 * "ok" (meta.json's record decides; compare and history alike).
 */
int results_case_ok(json_object *entry, json_object *c);
/*
 * An ok case's samples (@entry, @c from results_run_next()): as many
 * as its iterations, op_ns the first column; free with samples_free().
 */
int results_case_samples(struct run_reader *r, json_object *entry,
			 json_object *c, struct samples *s, char *err,
			 size_t errlen);

/* The value at dotted @path ("lab.phases.measure") in @o; NULL if a key is
 * missing or a value on the way is not an object. */
json_object *results_jget(json_object *o, const char *path);
/* The string at dotted @path ("system.cpu.model") in @o; NULL if a key is
 * missing or the value is not a string. */
const char *results_jstr(json_object *o, const char *path);

/* Validate a whole run directory; 0 if it is well formed. */
int results_check_run(const char *rundir, char *err, size_t errlen);

/* Case file base name: "03-munmap". */
void results_case_name(int index, const char *storm, char *buf, size_t len);

#endif
