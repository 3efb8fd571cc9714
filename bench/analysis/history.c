// SPDX-License-Identifier: GPL-2.0
/*
 * history.c - `lazymmu-bench history`: runs kept in an SQLite database for
 * the nightly series.
 *
 *   history ingest DB [--machine NAME] RUNDIR...
 *                                 add runs, all or none: every run in one
 *                                 transaction, so one bad run leaves the
 *                                 database as it was (a run already there
 *                                 is left as it is; a run ingested again
 *                                 whose meta.json changed since, e.g.
 *                                 resumed and finished or re-imported lab
 *                                 counts, replaces its old rows unless
 *                                 those hold more cases; --machine names
 *                                 a host run's machine in its cell)
 *   history merge DB OTHER.db...  the runs of other databases (every one
 *                                 checked before anything is merged)
 *   history query DB [--case SPEC] [--cell CELL] [--machine NAME]
 *                                 one line per run and case, oldest first
 *   history changes DB [--threshold PCT]
 *                                 per case and cell: the latest runs
 *                                 against the ones before (compare's
 *                                 run-level test) and a change point
 * Options go anywhere after the subcommand (args_parse()).
 *
 * An existing database is checked whole (PRAGMA quick_check) before it is
 * read or written: a corrupt one is refused, never read as empty.  query
 * and changes open it read-only and write nothing (a missing database is
 * an error, not created); ingest and merge create it.
 *
 * Tables: runs (run_key, run_id, started, cell, machine, release,
 * backend, tool_version, boot_id, path: the run directory's real path),
 * cases (run_key, idx, spec, n, median, mean, stddev, cov, p90, p99),
 * counters (run_key, idx, spec, label, per_op); idx is the case's
 * position in meta.json's cases, so a run may hold one spec twice.
 * Unavailable counters are not stored.  Version 1 (cases and counters
 * keyed by spec) is read as it is and migrated in place, in the
 * transaction of the first ingest or merge.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "compare.h"
#include "history.h"
#include "lab.h"
#include "results.h"
#include "stats.h"
#include "util.h"

#define HISTORY_DB_VERSION	2
#define HISTORY_DB_VERSION_S	"2"

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS runs (run_key TEXT PRIMARY KEY,"
	" run_id TEXT, started TEXT, cell TEXT, machine TEXT, release TEXT,"
	" backend TEXT, tool_version TEXT, boot_id TEXT, path TEXT);"
	"CREATE TABLE IF NOT EXISTS cases (run_key TEXT, idx INTEGER,"
	" spec TEXT, n INTEGER, median REAL, mean REAL, stddev REAL, cov REAL,"
	" p90 REAL, p99 REAL, PRIMARY KEY (run_key, idx));"
	"CREATE TABLE IF NOT EXISTS counters (run_key TEXT, idx INTEGER,"
	" spec TEXT, label TEXT, per_op REAL,"
	" PRIMARY KEY (run_key, idx, label));";

/*
 * Version 1 kept one row per run and spec.  Its cases are numbered in the
 * order they were stored (the run's order, cases not ok left out): the
 * position of @t's row among its run's rows.
 */
#define V1_IDX(t)	"(SELECT count(*) FROM " t " o" \
			" WHERE o.run_key = c.run_key AND o.rowid < c.rowid)"

static const char migrate_v1[] =
	"ALTER TABLE cases RENAME TO cases_v1;"
	"ALTER TABLE counters RENAME TO counters_v1;";
static const char migrate_v1_copy[] =
	"INSERT INTO cases SELECT run_key, " V1_IDX("cases_v1") ", spec, n,"
	" median, mean, stddev, cov, p90, p99 FROM cases_v1 c;"
	"INSERT INTO counters SELECT t.run_key, c.idx, t.spec, t.label,"
	" t.per_op FROM counters_v1 t JOIN cases c"
	" ON c.run_key = t.run_key AND c.spec = t.spec;"
	"DROP TABLE cases_v1;"
	"DROP TABLE counters_v1;";

/*
 * A run's key: its run_id (time and host, to the second) and a digest of
 * its meta.json, so two runs started in the same second stay apart and
 * the same run ingested twice is recognised.
 */
static int run_key(const char *rundir, const char *run_id, char *key,
		   size_t len)
{
	char hex[COMPARE_DIGEST_LEN];

	if (compare_meta_digest(rundir, hex, sizeof(hex)))
		return -1;
	snprintf(key, len, "%s-%.12s", run_id, hex);
	return 0;
}

static int exec1(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	errf(err, errlen, "sqlite: %s", msg ? msg : "error");
	sqlite3_free(msg);
	return -1;
}

/* The whole database checked, before anything reads or writes it. */
static int db_check(sqlite3 *db, const char *path, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	char what[256];
	const char *t;
	char *p;

	if (sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		t = (const char *)sqlite3_column_text(st, 0);
		t = t ? t : "?";
		/* "*** in database main ***\nPage 3: ..." */
		if (!strncmp(t, "***", 3) && strchr(t, '\n'))
			t = strchr(t, '\n') + 1;
		snprintf(what, sizeof(what), "%s", t);
	} else {
		snprintf(what, sizeof(what), "%s", sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	if (!strcmp(what, "ok"))
		return 0;
	for (p = what; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return errf(err, errlen, "%s: database is corrupt (%s)", path, what);
}

/*
 * Open the history database @path: read-only with !@write (it must exist
 * and be a history database), else read-write, created when missing.
 * Nothing is written here.  *@ver: its version, 0 when new.
 */
static sqlite3 *open_db(const char *path, int write, int *ver, char *err,
			size_t errlen)
{
	int flags = write ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE :
			    SQLITE_OPEN_READONLY;
	sqlite3_stmt *st = NULL;
	sqlite3 *db = NULL;
	int rc;

	if (!write && access(path, F_OK)) {
		errf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		errf(err, errlen, "%s: %s", path,
		     db ? sqlite3_errmsg(db) : "cannot open");
		goto fail;
	}
	sqlite3_busy_timeout(db, 5000);
	/* user_version 0: a new database; else it must be ours */
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st,
			       NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		rc = sqlite3_extended_errcode(db);
		errf(err, errlen, "%s: %s (%s)", path,
		     rc == SQLITE_CORRUPT ? "database is corrupt" :
		     "not an SQLite database", sqlite3_errmsg(db));
		goto fail;
	}
	*ver = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (*ver < 0 || *ver > HISTORY_DB_VERSION) {
		errf(err, errlen, "%s: history database version %d, this tool knows 1 to %d",
		     path, *ver, HISTORY_DB_VERSION);
		goto fail;
	}
	if (!write && !*ver) {
		errf(err, errlen, "%s: not a history database (nothing ingested)",
		     path);
		goto fail;
	}
	if (db_check(db, path, err, errlen))
		goto fail;
	return db;
fail:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return NULL;
}

/*
 * The tables of this version, in the caller's transaction: created in a
 * new database, version 1 migrated.
 */
static int db_upgrade(sqlite3 *db, int ver, char *err, size_t errlen)
{
	if (ver == HISTORY_DB_VERSION)
		return 0;
	if ((ver == 1 && exec1(db, migrate_v1, err, errlen)) ||
	    exec1(db, schema, err, errlen) ||
	    (ver == 1 && exec1(db, migrate_v1_copy, err, errlen)))
		return -1;
	return exec1(db, "PRAGMA user_version = " HISTORY_DB_VERSION_S, err,
		     errlen);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* The outcome of @st's one step, finalized; -1 with err. */
static int step_done(sqlite3 *db, sqlite3_stmt *st, char *err, size_t errlen)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return errf(err, errlen, "sqlite: %s", sqlite3_errmsg(db));
	return 0;
}

/* One counter per op of case @idx of run @key; -1 with err. */
static int put_counter(sqlite3 *db, const char *key, int idx,
		       const char *spec, const char *label, double per_op,
		       char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO counters VALUES (?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK)
		return errf(err, errlen, "sqlite: %s", sqlite3_errmsg(db));
	bind_text(st, 1, key);
	sqlite3_bind_int(st, 2, idx);
	bind_text(st, 3, spec);
	bind_text(st, 4, label);
	sqlite3_bind_double(st, 5, per_op);
	return step_done(db, st, err, errlen);
}

/* Runs a nightly series must not hold; -1 with err. */
static int ingest_refused(json_object *meta, const char *path, char *err,
			  size_t errlen)
{
	/* Lab counts are only worth what their calibrations vouch for. */
	if (results_jstr(meta, "lab.plugin") &&
	    !json_object_get_boolean(json_object_object_get(
		    json_object_object_get(meta, "lab"), "valid")))
		return errf(err, errlen, "%s: a lab run whose calibration failed (lab.valid false): not ingested",
			    path);
	/* A made effect (--inject-ns) has no place in a nightly series. */
	if (json_object_object_get_ex(json_object_object_get(meta, "options"),
				      "inject_ns", NULL))
		return errf(err, errlen, "%s: a run with a test-only injected wait (--inject-ns): not ingested",
			    path);
	return 0;
}

/*
 * The same run, stored under another digest: its run_id, its "started"
 * and its directory (as given or its real path) are the same, its
 * meta.json changed since (a run ingested unfinished, then resumed and
 * finished; lab counts re-imported).  Two runs started in the same second
 * in two directories stay apart; the directory may have been named
 * otherwise (a trailing '/', a relative path) or the run resumed after a
 * reboot (another boot_id).
 */
#define SAME_RUN	"SELECT run_key FROM runs WHERE run_id = ?1" \
			" AND started IS ?2 AND path IN (?3, ?4)"

static int bind_same(sqlite3 *db, const char *sql, sqlite3_stmt **st,
		     json_object *meta, const char *rundir, const char *real)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
		return -1;
	bind_text(*st, 1, results_jstr(meta, "run_id"));
	bind_text(*st, 2, results_jstr(meta, "started"));
	bind_text(*st, 3, rundir);
	bind_text(*st, 4, real);
	return 0;
}

/* The cases of @meta to be stored: done, and ok in meta.json. */
static int ok_cases(json_object *meta)
{
	json_object *cases = json_object_object_get(meta, "cases"), *e;
	const char *status;
	size_t k;
	int n = 0;

	for (k = 0; k < json_object_array_length(cases); k++) {
		e = json_object_array_get_idx(cases, k);
		status = results_jstr(e, "status");
		if (json_object_get_boolean(json_object_object_get(e, "done"))
		    && status && !strcmp(status, "ok"))
			n++;
	}
	return n;
}

/*
 * Earlier versions of the run (SAME_RUN) go.  But a version holding more
 * cases than this one stays (an unfinished copy of a run ingested after
 * the finished run): 3.  1 when some went, 0 when there were none, -1
 * with err.
 */
static int ingest_replace(sqlite3 *db, json_object *meta, const char *rundir,
			  const char *real, char *err, size_t errlen)
{
	static const char *const del[] = {
		"DELETE FROM counters WHERE run_key IN (" SAME_RUN ")",
		"DELETE FROM cases WHERE run_key IN (" SAME_RUN ")",
		"DELETE FROM runs WHERE run_key IN (" SAME_RUN ")",
	};
	sqlite3_stmt *st = NULL;
	int k, n = 0, most = 0;

	if (bind_same(db, "SELECT count(*), max(n) FROM (SELECT (SELECT"
		      " count(*) FROM cases c WHERE c.run_key = s.run_key) AS n"
		      " FROM (" SAME_RUN ") s)", &st, meta, rundir, real) ||
	    sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return errf(err, errlen, "sqlite: %s", sqlite3_errmsg(db));
	}
	n = sqlite3_column_int(st, 0);
	most = sqlite3_column_int(st, 1);
	sqlite3_finalize(st);
	if (!n)
		return 0;
	if (most > ok_cases(meta))
		return 3;
	for (k = 0; k < 3; k++) {
		if (bind_same(db, del[k], &st, meta, rundir, real))
			return errf(err, errlen, "sqlite: %s",
				    sqlite3_errmsg(db));
		if (step_done(db, st, err, errlen))
			return -1;
	}
	return 1;
}

/* The run's row, under @key; -1 with err. */
static int ingest_run_row(sqlite3 *db, const char *key, json_object *meta,
			  const char *real, const char *machine, char *err,
			  size_t errlen)
{
	sqlite3_stmt *st = NULL;
	char cell[96];

	compare_cell_label(meta, cell, sizeof(cell));
	/*
	 * A fleet names its machines itself (a farm's rootfs gives every
	 * board one host name): the cell of a host run is machine/release/dpa.
	 */
	if (machine && !results_jstr(meta, "lab.cell.variant") && strchr(cell, '/')) {
		char rest[96];

		snprintf(rest, sizeof(rest), "%s", strchr(cell, '/'));
		snprintf(cell, sizeof(cell), "%.40s%.55s", machine, rest);
	}
	if (sqlite3_prepare_v2(db, "INSERT INTO runs VALUES (?,?,?,?,?,?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK)
		return errf(err, errlen, "sqlite: %s", sqlite3_errmsg(db));
	bind_text(st, 1, key);
	bind_text(st, 2, results_jstr(meta, "run_id"));
	bind_text(st, 3, results_jstr(meta, "started"));
	bind_text(st, 4, cell);
	bind_text(st, 5, machine ? machine : results_jstr(meta, "system.nodename"));
	bind_text(st, 6, results_jstr(meta, "system.release"));
	bind_text(st, 7, results_jstr(meta, "backend"));
	bind_text(st, 8, results_jstr(meta, "tool_version"));
	bind_text(st, 9, results_jstr(meta, "system.boot_id"));
	bind_text(st, 10, real);
	return step_done(db, st, err, errlen);
}

/* An ok case, the run's case @idx: its row and its counters; -1 with err. */
static int ingest_case(sqlite3 *db, const char *key, int idx,
		       struct run_reader *r, json_object *entry,
		       json_object *c, char *err, size_t errlen)
{
	const char *spec = results_jstr(c, "spec");
	json_object *ctrs = json_object_object_get(c, "counters");
	sqlite3_stmt *st = NULL;
	struct summary sum;
	struct samples s;
	size_t k;

	if (results_case_samples(r, entry, c, &s, err, errlen))
		return -1;
	stats_summary(s.col[0], s.n, &sum);
	samples_free(&s);
	if (sqlite3_prepare_v2(db, "INSERT INTO cases VALUES (?,?,?,?,?,?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK)
		return errf(err, errlen, "sqlite: %s", sqlite3_errmsg(db));
	bind_text(st, 1, key);
	sqlite3_bind_int(st, 2, idx);
	bind_text(st, 3, spec);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)sum.n);
	sqlite3_bind_double(st, 5, sum.p50);
	sqlite3_bind_double(st, 6, sum.mean);
	sqlite3_bind_double(st, 7, sum.stddev);
	sqlite3_bind_double(st, 8, sum.cov);
	sqlite3_bind_double(st, 9, sum.p90);
	sqlite3_bind_double(st, 10, sum.p99);
	if (step_done(db, st, err, errlen))
		return -1;
	for (k = 0; k < json_object_array_length(ctrs); k++) {
		json_object *x = json_object_array_get_idx(ctrs, k);
		json_object *m = results_jget(x, "phases.measure.per_op");
		const char *l = results_jstr(x, "label");
		const char *status = results_jstr(x, "status");

		/* unavailable counters are absent, never 0 */
		if (l && m && status && !strcmp(status, "ok") &&
		    put_counter(db, key, idx, spec, l,
				json_object_get_double(m), err, errlen))
			return -1;
	}
	/* lab runs: the kernel counts per op every report shows */
	for (k = 0; lab_report_kinds[k]; k++) {
		char label[64];
		double v;

		if (lab_per_op(c, "measure", 1, 0, lab_report_kinds[k], &v))
			break;
		snprintf(label, sizeof(label), "lab:kernel %s", lab_report_kinds[k]);
		if (put_counter(db, key, idx, spec, label, v, err, errlen))
			return -1;
	}
	return 0;
}

/*
 * Ingest the run in @rundir, in the caller's transaction: 0 added, 1
 * already there, 2 replaced an earlier version (its meta.json changed),
 * 3 not stored over a version with more cases, -1 with err.
 */
static int ingest_run(sqlite3 *db, const char *rundir, const char *machine,
		      char *err, size_t errlen)
{
	char key[128], path[1100], real[PATH_MAX];
	struct run_reader r;
	json_object *e, *c;
	sqlite3_stmt *st = NULL;
	int rc, replaced, there, idx;

	/* every case, done or not: idx is its position in meta.json */
	if (results_run_open(&r, rundir, 1, err, errlen))
		return -1;
	snprintf(path, sizeof(path), "%s/meta.json", rundir);
	if (!realpath(rundir, real))
		snprintf(real, sizeof(real), "%s", rundir);
	rc = -1;
	if (!results_jstr(r.meta, "run_id")) {
		errf(err, errlen, "%s: no run_id", path);
		goto out;
	}
	if (run_key(rundir, results_jstr(r.meta, "run_id"), key, sizeof(key))) {
		errf(err, errlen, "%s: cannot read", path);
		goto out;
	}
	if (ingest_refused(r.meta, path, err, errlen))
		goto out;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM runs WHERE run_key = ?", -1,
			       &st, NULL) != SQLITE_OK) {
		errf(err, errlen, "sqlite: %s", sqlite3_errmsg(db));
		goto out;
	}
	bind_text(st, 1, key);
	there = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (there) {
		rc = 1;
		goto out;
	}
	replaced = ingest_replace(db, r.meta, rundir, real, err, errlen);
	if (replaced == 3) {
		rc = 3;
		goto out;
	}
	if (replaced < 0 ||
	    ingest_run_row(db, key, r.meta, real, machine, err, errlen))
		goto out;
	for (idx = 0; (rc = results_run_next(&r, &e, &c, err, errlen)) == 1;
	     idx++) {
		if (c && results_case_ok(e, c))
			rc = ingest_case(db, key, idx, &r, e, c, err, errlen);
		json_object_put(c);
		if (rc < 0)
			goto out;
	}
	if (!rc)
		rc = replaced ? 2 : 0;
out:
	results_run_close(&r);
	return rc;
}

/* The order of a run's cases: idx, or the order stored in version 1. */
static const char *idx_col(int ver)
{
	return ver >= 2 ? "c.idx" : "c.rowid";
}

/* A case run twice in one run gives two lines, in the run's order. */
static int query(sqlite3 *db, int ver, const char *spec, const char *cell,
		 const char *machine)
{
	sqlite3_stmt *st;
	char sql[512];
	int rc;

	snprintf(sql, sizeof(sql),
		 "SELECT r.started, r.cell, r.run_key, c.spec, c.n, c.median, c.cov"
		 " FROM cases c JOIN runs r USING (run_key)"
		 " WHERE (?1 IS NULL OR c.spec = ?1) AND (?2 IS NULL OR r.cell = ?2)"
		 " AND (?3 IS NULL OR r.machine = ?3)"
		 " ORDER BY c.spec, r.cell, r.started, r.run_key, %s", idx_col(ver));
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	bind_text(st, 1, spec);
	bind_text(st, 2, cell);
	bind_text(st, 3, machine);
	printf("started\tcell\trun\tcase\tn\tmedian_ns\tcov\n");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		printf("%s\t%s\t%s\t%s\t%d\t%.1f\t%.4f\n",
		       sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
		       sqlite3_column_text(st, 2), sqlite3_column_text(st, 3),
		       sqlite3_column_int(st, 4), sqlite3_column_double(st, 5),
		       sqlite3_column_double(st, 6));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Change detection over each (case, cell) series of run medians, oldest
 * first, with compare's run-level test (stats_compare_runs: Mann-Whitney
 * on the runs and the runs' bootstrap interval of the ratio of medians).
 * The latest HISTORY_WINDOW runs against the up to 10 runs before them (at
 * least HISTORY_WINDOW): flagged "regression" (slower) or "improvement"
 * when the test marks the difference and it exceeds @thr percent;
 * "few-runs" with fewer runs, "new" with one.  One run alone is never
 * flagged: against 10 earlier ones the smallest p is 2/11.  And a change
 * point: the split (HISTORY_WINDOW runs or more each side) with the
 * smallest Mann-Whitney p, reported when that p times the number of
 * splits tried (Bonferroni) stays below 0.05, the test marks it and the
 * medians differ by more than @thr percent.
 */
#define HISTORY_WINDOW	STATS_MIN_RUNS
#define HISTORY_BEFORE	10

static void series_report(const char *spec, const char *cell, double *v,
			  char (*keys)[128], int n, double thr)
{
	int k, from, cp = -1, splits = 0, w = HISTORY_WINDOW;
	double u, p, best = 2, change = NAN;
	const char *flag = "ok";
	struct run_cmp c;
	char chg[32] = "";

	if (n >= 2 * w) {
		from = n - w - HISTORY_BEFORE > 0 ? n - w - HISTORY_BEFORE : 0;
		if (!stats_compare_runs(v + from, n - w - from, v + n - w, w,
					0x6c6d62, &c)) {
			change = (c.ratio - 1) * 100;
			if (c.significant && change > thr)
				flag = "regression";
			else if (c.significant && change < -thr)
				flag = "improvement";
		}
	} else {
		flag = n == 1 ? "new" : "few-runs";
	}
	for (k = w; k <= n - w; k++) {
		splits++;
		if (!stats_mann_whitney(v + k, n - k, v, k, &u, &p) && p < best) {
			best = p;
			cp = k;
		}
	}
	if (cp >= 0 && (best * splits >= 0.05 ||
			stats_compare_runs(v, cp, v + cp, n - cp, 0x6c6d62, &c) ||
			!c.significant || fabs(c.ratio - 1) * 100 <= thr))
		cp = -1;
	if (!isnan(change))
		snprintf(chg, sizeof(chg), "%+.1f", change);
	printf("%s\t%s\t%d\t%.1f\t%s\t%s\t%s\n", spec, cell, n, v[n - 1],
	       chg, flag, cp < 0 ? "" : keys[cp]);
}

/* A series of run medians (one a run) and the run being read. */
struct series {
	double *v, *run;
	char (*keys)[128];
	int n, cap, nrun, runcap;
};

/* Room for one more in @p (@n of them, @cap allocated, @size each). */
static int grow(void **p, int n, int *cap, size_t size)
{
	void *q;

	if (n < *cap)
		return 0;
	q = realloc(*p, (size_t)(*cap ? *cap * 2 : 64) * size);
	if (!q)
		return -1;
	*p = q;
	*cap = *cap ? *cap * 2 : 64;
	return 0;
}

/*
 * A run that ran one case twice (--case S --case S) stands in its series
 * once, with the median of its rows' medians: the run is the replicate,
 * as in compare.
 */
static int series_end_run(struct series *s, const char *key)
{
	int cap = s->cap;

	if (!s->nrun)
		return 0;
	if (grow((void **)&s->v, s->n, &cap, sizeof(*s->v)) ||
	    grow((void **)&s->keys, s->n, &s->cap, sizeof(*s->keys)))
		return -1;
	s->v[s->n] = s->nrun == 1 ? s->run[0] :
		     stats_select_percentile(s->run, s->nrun, 50);
	snprintf(s->keys[s->n++], sizeof(s->keys[0]), "%s", key);
	s->nrun = 0;
	return 0;
}

static const char *text(sqlite3_stmt *st, int col)
{
	const char *t = (const char *)sqlite3_column_text(st, col);

	return t ? t : "";
}

static int changes(sqlite3 *db, double thr, char *err, size_t errlen)
{
	char spec[256] = "", cell[128] = "", key[128] = "";
	struct series s = { 0 };
	sqlite3_stmt *st;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(db,
		"SELECT c.spec, r.cell, c.median, r.run_key FROM cases c"
		" JOIN runs r USING (run_key) ORDER BY c.spec, r.cell, r.started, r.run_key",
		-1, &st, NULL) != SQLITE_OK)
		return errf(err, errlen, "sqlite: %s", sqlite3_errmsg(db));
	printf("case\tcell\truns\tlatest_ns\tchange_pct\tflag\tchange_point_run\n");
	for (;;) {
		int row = (rc = sqlite3_step(st)) == SQLITE_ROW;
		const char *sp = row ? text(st, 0) : "";
		const char *c = row ? text(st, 1) : "";
		const char *k = row ? text(st, 3) : "";
		int other = !row || strcmp(sp, spec) || strcmp(c, cell);

		if ((other || strcmp(k, key)) && series_end_run(&s, key)) {
			ret = errf(err, errlen, "no memory");
			break;
		}
		if (s.n && other) {
			series_report(spec, cell, s.v, s.keys, s.n, thr);
			s.n = 0;
		}
		if (!row) {
			if (rc != SQLITE_DONE)
				ret = errf(err, errlen, "sqlite: %s",
					   sqlite3_errmsg(db));
			break;
		}
		if (grow((void **)&s.run, s.nrun, &s.runcap, sizeof(*s.run))) {
			ret = errf(err, errlen, "no memory");
			break;
		}
		snprintf(spec, sizeof(spec), "%s", sp);
		snprintf(cell, sizeof(cell), "%s", c);
		snprintf(key, sizeof(key), "%s", k);
		s.run[s.nrun++] = sqlite3_column_double(st, 2);
	}
	sqlite3_finalize(st);
	free(s.v);
	free(s.keys);
	free(s.run);
	return ret;
}

#define RUN_COLS	"run_key, run_id, started, cell, machine, release," \
			" backend, tool_version, boot_id, path"
#define CASE_COLS	"spec, n, median, mean, stddev, cov, p90, p99"
#define NEW_RUNS	" WHERE run_key NOT IN (SELECT run_key FROM main.runs)"

/*
 * A database to merge: a history database (version 1 or this one) with
 * the tables and columns merge() reads, checked whole; *@ver its version.
 */
static int merge_check(const char *other, int *ver, char *err,
		       size_t errlen)
{
	static const char *const sql[2][3] = { {
		"SELECT " RUN_COLS " FROM runs",
		"SELECT run_key, " CASE_COLS " FROM cases",
		"SELECT run_key, spec, label, per_op FROM counters",
	}, {
		"SELECT " RUN_COLS " FROM runs",
		"SELECT run_key, idx, " CASE_COLS " FROM cases",
		"SELECT run_key, idx, spec, label, per_op FROM counters",
	} };
	sqlite3_stmt *st = NULL;
	sqlite3 *o = open_db(other, 0, ver, err, errlen);
	int k, rc = SQLITE_OK;

	if (!o)
		return -1;
	for (k = 0; k < 3 && rc == SQLITE_OK; k++) {
		rc = sqlite3_prepare_v2(o, sql[*ver >= 2][k], -1, &st, NULL);
		sqlite3_finalize(st);
	}
	if (rc != SQLITE_OK)
		errf(err, errlen, "%s: not a history database (%s)", other,
		     sqlite3_errmsg(o));
	sqlite3_close(o);
	return rc == SQLITE_OK ? 0 : -1;
}

/*
 * Merge the history database @other (version @ver, merge_check()ed) into
 * @db: every run not there yet, with its cases and counters, in one
 * transaction.
 */
static int merge(sqlite3 *db, const char *other, int ver, int *added,
		 char *err, size_t errlen)
{
	static const char v2[] =
		"INSERT OR IGNORE INTO main.cases SELECT run_key, idx, "
		CASE_COLS " FROM other.cases" NEW_RUNS ";"
		"INSERT OR IGNORE INTO main.counters SELECT run_key, idx, spec,"
		" label, per_op FROM other.counters" NEW_RUNS ";";
	static const char v1[] =
		"INSERT OR IGNORE INTO main.cases SELECT run_key, "
		V1_IDX("other.cases") ", " CASE_COLS " FROM other.cases c"
		NEW_RUNS ";"
		"INSERT OR IGNORE INTO main.counters SELECT t.run_key, c.idx,"
		" t.spec, t.label, t.per_op FROM other.counters t"
		" JOIN main.cases c"
		" ON c.run_key = t.run_key AND c.spec = t.spec"
		" WHERE t.run_key NOT IN (SELECT run_key FROM main.runs);";
	sqlite3_stmt *st = NULL;
	char scratch[256];

	if (sqlite3_prepare_v2(db, "ATTACH ?1 AS other", -1, &st, NULL) != SQLITE_OK)
		return errf(err, errlen, "sqlite: %s", sqlite3_errmsg(db));
	bind_text(st, 1, other);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		return errf(err, errlen, "%s: %s", other, sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	if (exec1(db, "BEGIN IMMEDIATE", err, errlen) ||
	    exec1(db, ver >= 2 ? v2 : v1, err, errlen) ||
	    exec1(db, "INSERT OR IGNORE INTO main.runs SELECT " RUN_COLS
		  " FROM other.runs", err, errlen)) {
		exec1(db, "ROLLBACK", scratch, sizeof(scratch));
		exec1(db, "DETACH other", scratch, sizeof(scratch));
		return -1;
	}
	*added += sqlite3_changes(db);
	if (exec1(db, "COMMIT", err, errlen)) {
		exec1(db, "ROLLBACK", scratch, sizeof(scratch));
		exec1(db, "DETACH other", scratch, sizeof(scratch));
		return -1;
	}
	return exec1(db, "DETACH other", err, errlen);
}

#define HISTORY_USAGE "usage: history ingest DB [--machine NAME] RUNDIR... | history merge DB OTHER.db... | history query DB [--case SPEC] [--cell CELL] [--machine NAME] | history changes DB [--threshold PCT]"
#define MAX_OPS	1024

/* What history was asked: the subcommand, its database and options. */
struct history_args {
	const char *ops[MAX_OPS];	/* subcommand, DB, runs or databases */
	int nops;
	const char *spec, *cell, *machine, *threshold;
};

/*
 * The database to write, and whether this command made it: a database it
 * made is removed again when the command fails (nothing written).
 */
static sqlite3 *open_write(const char *path, int *ver, int *made, char *err,
			   size_t errlen)
{
	sqlite3 *db;

	*made = access(path, F_OK) && errno == ENOENT;
	db = open_db(path, 1, ver, err, errlen);
	if (!db && *made)
		unlink(path);
	return db;
}

/* A failure of the database itself (read-only, disk full) names it. */
static void close_write(sqlite3 *db, const char *path, int made, int failed,
			char *err, size_t errlen)
{
	char msg[512];

	sqlite3_close(db);
	if (failed && made)
		unlink(path);
	if (failed && !strncmp(err, "sqlite: ", 8)) {
		snprintf(msg, sizeof(msg), "%s", err + 8);
		errf(err, errlen, "%s: %s", path, msg);
	}
}

/* history ingest: every run, all in one transaction. */
static int history_ingest(const struct history_args *a, char *err,
			  size_t errlen)
{
	int i, r, ver, made, n[4] = { 0 };
	sqlite3 *db = open_write(a->ops[1], &ver, &made, err, errlen);

	if (!db)
		return -1;
	if (exec1(db, "BEGIN IMMEDIATE", err, errlen))
		goto fail;
	if (db_upgrade(db, ver, err, errlen))
		goto rollback;
	for (i = 2; i < a->nops; i++) {
		err[0] = 0;
		r = ingest_run(db, a->ops[i], a->machine, err, errlen);
		if (r < 0)
			goto rollback;
		n[r]++;
	}
	if (exec1(db, "COMMIT", err, errlen))
		goto rollback;
	close_write(db, a->ops[1], made, 0, err, errlen);
	fprintf(stderr, "history: %d run(s) added, %d already there", n[0],
		n[1]);
	if (n[2])
		fprintf(stderr, ", %d replaced (meta.json changed since)",
			n[2]);
	if (n[3])
		fprintf(stderr, ", %d not stored (a version with more cases is there)",
			n[3]);
	fputc('\n', stderr);
	return 0;
rollback:
	/* err already says why; the rollback's own outcome adds nothing */
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
fail:
	close_write(db, a->ops[1], made, 1, err, errlen);
	return -1;
}

/* history merge: every database checked first, then merged one by one. */
static int history_merge(const struct history_args *a, char *err,
			 size_t errlen)
{
	static int over[MAX_OPS];
	int i, ver, made, added = 0;
	sqlite3 *db;

	for (i = 2; i < a->nops; i++)
		if (merge_check(a->ops[i], &over[i], err, errlen))
			return -1;
	db = open_write(a->ops[1], &ver, &made, err, errlen);
	if (!db)
		return -1;
	if (exec1(db, "BEGIN IMMEDIATE", err, errlen))
		goto fail;
	if (db_upgrade(db, ver, err, errlen) ||
	    exec1(db, "COMMIT", err, errlen)) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		goto fail;
	}
	for (i = 2; i < a->nops; i++)
		if (merge(db, a->ops[i], over[i], &added, err, errlen))
			goto fail;
	close_write(db, a->ops[1], made, 0, err, errlen);
	fprintf(stderr, "history: %d run(s) merged from %d database(s)\n",
		added, a->nops - 2);
	return 0;
fail:
	close_write(db, a->ops[1], made, 1, err, errlen);
	return -1;
}

/* history query and changes: read-only, nothing written. */
static int history_read(const struct history_args *a, double thr, char *err,
			size_t errlen)
{
	int ver, rc;
	sqlite3 *db = open_db(a->ops[1], 0, &ver, err, errlen);

	if (!db)
		return -1;
	if (!strcmp(a->ops[0], "query")) {
		rc = query(db, ver, a->spec, a->cell, a->machine);
		if (rc < 0)
			errf(err, errlen, "%s: %s", a->ops[1],
			     sqlite3_errmsg(db));
	} else {
		rc = changes(db, thr, err, errlen);
	}
	sqlite3_close(db);
	return rc;
}

/* Options and operands that suit the subcommand; -1 with err. */
static int history_check(const struct history_args *a, double *thr,
			 char *err, size_t errlen)
{
	const char *sub = a->nops ? a->ops[0] : "";
	int ingest = !strcmp(sub, "ingest"), query = !strcmp(sub, "query");
	int changes = !strcmp(sub, "changes"), merge = !strcmp(sub, "merge");
	char *end;

	if (a->nops < 2 || !(ingest || query || changes || merge))
		return errf(err, errlen, HISTORY_USAGE);
	if ((a->machine && !ingest && !query) ||
	    ((a->spec || a->cell) && !query) || (a->threshold && !changes))
		return errf(err, errlen, "history %s: an option it does not take (%s)",
			    sub, HISTORY_USAGE);
	if ((query || changes) && a->nops > 2)
		return errf(err, errlen, "history %s: unexpected argument '%s' (%s)",
			    sub, a->ops[2], HISTORY_USAGE);
	if (ingest && a->nops < 3)
		return errf(err, errlen, "history ingest: no run directory given");
	if (merge && a->nops < 3)
		return errf(err, errlen, "history merge: no database to merge");
	if (ingest && a->machine && (!*a->machine || strchr(a->machine, '/') ||
				     strlen(a->machine) > 40))
		return errf(err, errlen, "history ingest: --machine '%s' must be 1 to 40 characters, no '/'",
			    a->machine);
	if (a->threshold) {
		*thr = strtod(a->threshold, &end);
		if (*end || !*a->threshold || *thr < 0)
			return errf(err, errlen, "history changes: --threshold '%s' is not a percentage",
				    a->threshold);
	}
	return 0;
}

int history_main(int argc, char **argv, char *err, size_t errlen)
{
	static struct history_args a;
	const struct arg_opt opts[] = {
		{ "--case", &a.spec, NULL },
		{ "--cell", &a.cell, NULL },
		{ "--machine", &a.machine, NULL },
		{ "--threshold", &a.threshold, NULL },
		{ NULL, NULL, NULL }
	};
	double thr = 5;

	memset(&a, 0, sizeof(a));
	if (args_parse(argc, argv, opts, a.ops, MAX_OPS, &a.nops, HISTORY_USAGE,
		       err, errlen) ||
	    history_check(&a, &thr, err, errlen))
		return -1;
	if (!strcmp(a.ops[0], "ingest"))
		return history_ingest(&a, err, errlen);
	if (!strcmp(a.ops[0], "merge"))
		return history_merge(&a, err, errlen);
	return history_read(&a, thr, err, errlen);
}

int cmd_history(int argc, char **argv)
{
	return cmd_with_err(history_main, argc, argv);
}
