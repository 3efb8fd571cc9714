/* SPDX-License-Identifier: GPL-2.0 */
/*
 * opts.h - run options, case specs and profile files.
 *
 * A case spec is "<storm> [key=value ...]" (e.g. "fork size=64M cow=1");
 * a profile (configs/profiles/<name>.conf) holds "set <option> <value>" and
 * "case <spec>" lines.  Options given on the command line win over a
 * profile's "set" lines.
 */
#ifndef OPTS_H
#define OPTS_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>
#include "storm.h"

#define MAX_CASES	LMB_MAX_CASES

enum clock_kind { CLOCK_KIND_RAW = 0, CLOCK_KIND_CNTVCT };

/* --tune: the machine's controls a run may change (bench/tune.c). */
#define TUNE_GOVERNOR	0x1	/* performance governor on the pinned CPU */
#define TUNE_THP	0x2	/* THP enabled/defrag = madvise */
#define TUNE_CACHES	0x4	/* drop the page cache before every case */
#define TUNE_ASLR	0x8	/* this process without address randomisation */
#define TUNE_ALL	0xf

struct run_opts {
	uint64_t iterations;		/* 0: calibrate to min_time */
	uint64_t warmup;
	double min_time;		/* seconds */
	uint64_t max_iterations;
	uint64_t calib_barriers;	/* rounds of the barrier calibration */
	long cpu;			/* -1: no pinning, -2: auto */
	enum clock_kind clock;
	uint64_t size;			/* 0: keep each case's size */
	char pmu[128];
	char storms[256];		/* comma list filter, "" = all */
	char profile[256];
	char out[256];
	char resume[512];
	unsigned int tune;		/* TUNE_*: command line only */
	int tune_all;			/* "all": skip what this machine lacks */
	char module[512];		/* --load-module KO: command line only */
	char neighbour[128];		/* --neighbour NAME: a neighbour load, "" none */
	/*
	 * --inject-ns N: busy-wait N ns inside every timed op, a known
	 * effect for the power check (scripts/aa-bench); command line only.
	 */
	uint64_t inject_ns;
	int quiet;
	unsigned int from_cli;		/* bitmask of keys set on the CLI */
};

struct bench_case {
	const struct storm *storm;
	long opt[STORM_MAX_OPTS];
	char spec[256];			/* canonical: every option spelled */
};

/* All return 0 on success, -1 with a one-line reason in err. */
int parse_size(const char *s, uint64_t *out, char *err, size_t errlen);
int parse_uint(const char *s, uint64_t *out, char *err, size_t errlen);
int parse_seconds(const char *s, double *out, char *err, size_t errlen);

void opts_defaults(struct run_opts *o);
/* TUNE_* bits as "governor,thp", or "none". */
void opts_tune_string(unsigned int tune, char *buf, size_t len);
/* Set option @key (its CLI name without "--") from text. */
int opts_set(struct run_opts *o, const char *key, const char *val,
	     int from_cli, char *err, size_t errlen);
/*
 * From the option table: getopt_long entries for every run option into
 * @lo (room for @max, ending with a zeroed one; returns how many, -1 if
 * @max is too small; val is the one-letter form or 0), the usage lines,
 * meta.json's "options", and their read-back on --resume, checked as if
 * given again (-1 with "options.KEY: why").
 */
int opts_getopt(struct option *lo, int max);
void opts_usage(FILE *f);
json_object *opts_json(const struct run_opts *o);
int opts_from_json(json_object *j, struct run_opts *o, char *err,
		   size_t errlen);
/*
 * The first option given on the command line that a resumed run cannot
 * take (all but this session's: --cpu, --tune, --neighbour,
 * --load-module), or NULL.
 */
const char *opts_not_for_resume(const struct run_opts *o);

int case_parse(const char *text, struct bench_case *c, char *err,
	       size_t errlen);
/* Spell @bytes with the largest exact suffix: 65536 -> "64K". */
void format_size(uint64_t bytes, char *buf, size_t len);

/*
 * Load profile @path: apply its "set" lines (unless set on the CLI) and
 * append its cases.  Errors name the file and line.
 */
int profile_load(const char *path, struct run_opts *o, struct bench_case *cases,
		 int *ncases, char *err, size_t errlen);

/* Apply --storms and --size to the case list; rebuild canonical specs. */
int cases_filter(const struct run_opts *o, struct bench_case *cases,
		 int *ncases, char *err, size_t errlen);

#endif
