// SPDX-License-Identifier: GPL-2.0
/*
 * history.c - `lazymmu-bench history`: runs kept in an SQLite database for
 * the nightly series.
 *
 *   history ingest DB [--machine NAME] RUNDIR...
 *                                 add runs (a run already there is left
 *                                 as it is; a run directory ingested
 *                                 again whose meta.json changed since,
 *                                 e.g. re-imported lab counts, replaces
 *                                 its old rows; --machine names a host
 *                                 run's machine in its cell)
 *   history merge DB OTHER.db...  the runs of other databases
 *   history query DB [--case SPEC] [--cell CELL] [--machine NAME]
 *                                 one line per run and case, oldest first
 *   history changes DB [--threshold PCT]
 *                                 per case and cell: the latest runs
 *                                 against the ones before (compare's
 *                                 run-level test) and a change point
 * Options go anywhere after the subcommand (args_parse()).
 *
 * Tables: runs (run_key, run_id, started, cell, machine, release,
 * backend, tool_version, boot_id, path), cases (run_key, spec, n, median,
 * mean, stddev, cov, p90, p99), counters (run_key, spec, label, per_op);
 * unavailable counters are not stored.
 */
#include <errno.h>
#include <math.h>
#include <sha2.h>
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

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS runs (run_key TEXT PRIMARY KEY, run_id TEXT, started TEXT,"
	" cell TEXT, machine TEXT, release TEXT, backend TEXT,"
	" tool_version TEXT, boot_id TEXT, path TEXT);"
	"CREATE TABLE IF NOT EXISTS cases (run_key TEXT, spec TEXT, n INTEGER,"
	" median REAL, mean REAL, stddev REAL, cov REAL, p90 REAL, p99 REAL,"
	" PRIMARY KEY (run_key, spec));"
	"CREATE TABLE IF NOT EXISTS counters (run_key TEXT, spec TEXT,"
	" label TEXT, per_op REAL, PRIMARY KEY (run_key, spec, label));";

/*
 * A run's key: its run_id (time and host, to the second) and a digest of
 * its meta.json, so two runs started in the same second stay apart and
 * the same run ingested twice is recognised.
 */
static int run_key(const char *meta_path, const char *run_id, char *key,
		   size_t len)
{
	char hex[SHA256_DIGEST_STRING_LENGTH], buf[8192];
	FILE *f = fopen(meta_path, "rb");
	SHA2_CTX ctx;
	size_t n;

	if (!f)
		return -1;
	SHA256Init(&ctx);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		SHA256Update(&ctx, (const unsigned char *)buf, n);
	fclose(f);
	SHA256End(&ctx, hex);
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

#define HISTORY_DB_VERSION	1
#define HISTORY_DB_VERSION_S	"1"

static sqlite3 *open_db(const char *path, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	sqlite3 *db = NULL;
	int ver;

	if (sqlite3_open(path, &db) != SQLITE_OK) {
		errf(err, errlen, "%s: %s", path, db ? sqlite3_errmsg(db) : "cannot open");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000);
	/* user_version 0: a new database; else it must be ours, this version */
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		errf(err, errlen, "%s: not an SQLite database (%s)", path, sqlite3_errmsg(db));
		sqlite3_finalize(st);
		sqlite3_close(db);
		return NULL;
	}
	ver = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (ver && ver != HISTORY_DB_VERSION) {
		errf(err, errlen, "%s: history database version %d, this tool writes %d", path, ver, HISTORY_DB_VERSION);
		sqlite3_close(db);
		return NULL;
	}
	if (exec1(db, schema, err, errlen) ||
	    exec1(db, "PRAGMA user_version = " HISTORY_DB_VERSION_S, err, errlen)) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* One counter per op of a case of run @key. */
static void put_counter(sqlite3 *db, const char *key, const char *spec,
			const char *label, double per_op)
{
	sqlite3_stmt *st = NULL;

	sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO counters VALUES (?,?,?,?)", -1, &st, NULL);
	bind_text(st, 1, key);
	bind_text(st, 2, spec);
	bind_text(st, 3, label);
	sqlite3_bind_double(st, 4, per_op);
	sqlite3_step(st);
	sqlite3_finalize(st);
}

/* One run, in one transaction; 1 if it was there already, 2 if it
 * replaced an earlier version of itself. */
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
 * The same run directory (id and path) under another digest: its
 * meta.json changed since it was ingested (lab counts re-imported), and
 * its rows go.  1 when there were some, 0 when not, -1 with err.
 */
static int ingest_replace(sqlite3 *db, json_object *meta, const char *rundir,
			  char *err, size_t errlen)
{
	static const char *const del[] = {
		"DELETE FROM counters WHERE run_key = ?",
		"DELETE FROM cases WHERE run_key = ?",
		"DELETE FROM runs WHERE run_key = ?",
	};
	sqlite3_stmt *st = NULL;
	char old[128] = "";
	size_t k;

	if (sqlite3_prepare_v2(db, "SELECT run_key FROM runs WHERE run_id = ? AND path = ? AND started IS ? AND boot_id IS ?",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	bind_text(st, 1, results_jstr(meta, "run_id"));
	bind_text(st, 2, rundir);
	bind_text(st, 3, results_jstr(meta, "started"));
	bind_text(st, 4, results_jstr(meta, "system.boot_id"));
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(old, sizeof(old), "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	for (k = 0; old[0] && k < sizeof(del) / sizeof(del[0]); k++) {
		sqlite3_prepare_v2(db, del[k], -1, &st, NULL);
		bind_text(st, 1, old);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			return errf(err, errlen, "sqlite: %s", sqlite3_errmsg(db));
		}
		sqlite3_finalize(st);
	}
	return old[0] != '\0';
}

/* The run's row, under @key; -1 with err. */
static int ingest_run_row(sqlite3 *db, const char *key, json_object *meta,
			  const char *rundir, const char *machine, char *err,
			  size_t errlen)
{
	sqlite3_stmt *st = NULL;
	char cell[96];
	int rc;

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
	sqlite3_prepare_v2(db, "INSERT INTO runs VALUES (?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL);
	bind_text(st, 1, key);
	bind_text(st, 2, results_jstr(meta, "run_id"));
	bind_text(st, 3, results_jstr(meta, "started"));
	bind_text(st, 4, cell);
	bind_text(st, 5, machine ? machine : results_jstr(meta, "system.nodename"));
	bind_text(st, 6, results_jstr(meta, "system.release"));
	bind_text(st, 7, results_jstr(meta, "backend"));
	bind_text(st, 8, results_jstr(meta, "tool_version"));
	bind_text(st, 9, results_jstr(meta, "system.boot_id"));
	bind_text(st, 10, rundir);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return errf(err, errlen, "sqlite: %s", sqlite3_errmsg(db));
	return 0;
}

/* An ok case's row and its counters; -1 with err. */
static int ingest_case(sqlite3 *db, const char *key, struct run_reader *r,
		       json_object *entry, json_object *c, char *err,
		       size_t errlen)
{
	const char *spec = results_jstr(c, "spec");
	json_object *ctrs = json_object_object_get(c, "counters");
	sqlite3_stmt *st = NULL;
	struct summary sum;
	struct samples s;
	char path[1200];
	size_t k;
	int rc;

	snprintf(path, sizeof(path), "%s/%s.samples", r->dir,
		 results_jstr(entry, "file"));
	if (results_read_samples(path, &s, err, errlen))
		return -1;
	stats_summary(s.col[0], s.n, &sum);
	samples_free(&s);
	sqlite3_prepare_v2(db, "INSERT INTO cases VALUES (?,?,?,?,?,?,?,?,?)", -1, &st, NULL);
	bind_text(st, 1, key);
	bind_text(st, 2, spec);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)sum.n);
	sqlite3_bind_double(st, 4, sum.p50);
	sqlite3_bind_double(st, 5, sum.mean);
	sqlite3_bind_double(st, 6, sum.stddev);
	sqlite3_bind_double(st, 7, sum.cov);
	sqlite3_bind_double(st, 8, sum.p90);
	sqlite3_bind_double(st, 9, sum.p99);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return errf(err, errlen, "sqlite: %s", sqlite3_errmsg(db));
	for (k = 0; k < json_object_array_length(ctrs); k++) {
		json_object *x = json_object_array_get_idx(ctrs, k);
		json_object *m = results_jget(x, "phases.measure.per_op");
		const char *l = results_jstr(x, "label");
		const char *status = results_jstr(x, "status");

		/* unavailable counters are absent, never 0 */
		if (l && m && status && !strcmp(status, "ok"))
			put_counter(db, key, spec, l, json_object_get_double(m));
	}
	/* lab runs: the kernel counts per op every report shows */
	for (k = 0; lab_report_kinds[k]; k++) {
		char label[64];
		double v;

		if (lab_per_op(c, "measure", 1, 0, lab_report_kinds[k], &v))
			break;
		snprintf(label, sizeof(label), "lab:kernel %s", lab_report_kinds[k]);
		put_counter(db, key, spec, label, v);
	}
	return 0;
}

/*
 * Ingest the run in @rundir in one transaction: 0 added, 1 already
 * there, 2 replaced (its meta.json changed), -1 with err (nothing of it
 * stored).
 */
static int ingest_run(sqlite3 *db, const char *rundir, const char *machine,
		      char *err, size_t errlen)
{
	struct run_reader r;
	json_object *e, *c;
	sqlite3_stmt *st = NULL;
	char key[128], path[1100];
	int rc, replaced, there;

	if (results_run_open(&r, rundir, 0, err, errlen))
		return -1;
	snprintf(path, sizeof(path), "%s/meta.json", rundir);
	rc = -1;
	if (!results_jstr(r.meta, "run_id")) {
		errf(err, errlen, "%s: no run_id", path);
		goto out;
	}
	if (run_key(path, results_jstr(r.meta, "run_id"), key, sizeof(key))) {
		errf(err, errlen, "%s: cannot read", path);
		goto out;
	}
	sqlite3_prepare_v2(db, "SELECT 1 FROM runs WHERE run_key = ?", -1, &st, NULL);
	bind_text(st, 1, key);
	there = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (there) {
		rc = 1;
		goto out;
	}
	if (ingest_refused(r.meta, path, err, errlen) ||
	    exec1(db, "BEGIN", err, errlen))
		goto out;
	replaced = ingest_replace(db, r.meta, rundir, err, errlen);
	if (replaced < 0 ||
	    ingest_run_row(db, key, r.meta, rundir, machine, err, errlen))
		goto rollback;
	while ((rc = results_run_next(&r, &e, &c, err, errlen)) == 1) {
		if (results_case_ok(e, c))
			rc = ingest_case(db, key, &r, e, c, err, errlen);
		json_object_put(c);
		if (rc < 0)
			goto rollback;
	}
	if (rc < 0 || exec1(db, "COMMIT", err, errlen))
		goto rollback;
	rc = replaced ? 2 : 0;
	goto out;
rollback:
	/* err already says why; the rollback's own outcome adds nothing */
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	rc = -1;
out:
	results_run_close(&r);
	return rc;
}

static int query(sqlite3 *db, const char *spec, const char *cell,
		 const char *machine)
{
	sqlite3_stmt *st;
	int n = 0;

	if (sqlite3_prepare_v2(db,
		"SELECT r.started, r.cell, r.run_key, c.spec, c.n, c.median, c.cov"
		" FROM cases c JOIN runs r USING (run_key)"
		" WHERE (?1 IS NULL OR c.spec = ?1) AND (?2 IS NULL OR r.cell = ?2)"
		" AND (?3 IS NULL OR r.machine = ?3)"
		" ORDER BY c.spec, r.cell, r.started, r.run_key", -1, &st, NULL) != SQLITE_OK)
		return -1;
	bind_text(st, 1, spec);
	bind_text(st, 2, cell);
	bind_text(st, 3, machine);
	printf("started\tcell\trun\tcase\tn\tmedian_ns\tcov\n");
	while (sqlite3_step(st) == SQLITE_ROW) {
		printf("%s\t%s\t%s\t%s\t%d\t%.1f\t%.4f\n",
		       sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
		       sqlite3_column_text(st, 2), sqlite3_column_text(st, 3),
		       sqlite3_column_int(st, 4), sqlite3_column_double(st, 5),
		       sqlite3_column_double(st, 6));
		n++;
	}
	sqlite3_finalize(st);
	return n;
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

static int changes(sqlite3 *db, double thr)
{
	sqlite3_stmt *st;
	char spec[256] = "", cell[128] = "", (*keys)[128] = NULL;
	double *v = NULL;
	int n = 0, cap = 0;

	if (sqlite3_prepare_v2(db,
		"SELECT c.spec, r.cell, c.median, r.run_key FROM cases c"
		" JOIN runs r USING (run_key) ORDER BY c.spec, r.cell, r.started, r.run_key",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	printf("case\tcell\truns\tlatest_ns\tchange_pct\tflag\tchange_point_run\n");
	for (;;) {
		int row = sqlite3_step(st) == SQLITE_ROW;
		const char *s = row ? (const char *)sqlite3_column_text(st, 0) : "";
		const char *c = row ? (const char *)sqlite3_column_text(st, 1) : "";

		if (n && (!row || strcmp(s, spec) || strcmp(c, cell))) {
			series_report(spec, cell, v, keys, n, thr);
			n = 0;
		}
		if (!row)
			break;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = realloc(v, cap * sizeof(*v));
			keys = realloc(keys, cap * sizeof(*keys));
			if (!v || !keys)
				break;
		}
		snprintf(spec, sizeof(spec), "%s", s);
		snprintf(cell, sizeof(cell), "%s", c);
		v[n] = sqlite3_column_double(st, 2);
		snprintf(keys[n], sizeof(keys[0]), "%s", sqlite3_column_text(st, 3));
		n++;
	}
	sqlite3_finalize(st);
	free(v);
	free(keys);
	return 0;
}

/*
 * Merge other history databases (one per machine, say) into @db: every
 * run not there yet, with its cases and counters, one transaction each.
 */
static int merge(sqlite3 *db, const char *other, int *added, char *err,
		 size_t errlen)
{
	sqlite3_stmt *st = NULL;
	sqlite3 *o = NULL;
	int ver = -1;

	if (access(other, R_OK))
		return errf(err, errlen, "%s: %s", other, strerror(errno));
	if (sqlite3_open_v2(other, &o, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(o, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		ver = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(o);
	if (ver != HISTORY_DB_VERSION)
		return errf(err, errlen, "%s: not a history database of version %d",
			    other, HISTORY_DB_VERSION);
	if (sqlite3_prepare_v2(db, "ATTACH ?1 AS other", -1, &st, NULL) != SQLITE_OK)
		return errf(err, errlen, "sqlite: %s", sqlite3_errmsg(db));
	bind_text(st, 1, other);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		return errf(err, errlen, "%s: %s", other, sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	if (exec1(db, "BEGIN;"
		  "INSERT OR IGNORE INTO cases SELECT * FROM other.cases"
		  " WHERE run_key NOT IN (SELECT run_key FROM runs);"
		  "INSERT OR IGNORE INTO counters SELECT * FROM other.counters"
		  " WHERE run_key NOT IN (SELECT run_key FROM runs);", err, errlen) ||
	    exec1(db, "INSERT OR IGNORE INTO runs SELECT * FROM other.runs", err,
		  errlen)) {
		char scratch[256];

		exec1(db, "ROLLBACK", scratch, sizeof(scratch));
		exec1(db, "DETACH other", scratch, sizeof(scratch));
		return -1;
	}
	*added += sqlite3_changes(db);
	if (exec1(db, "COMMIT", err, errlen))
		return -1;
	return exec1(db, "DETACH other", err, errlen);
}

#define HISTORY_USAGE "usage: history ingest DB [--machine NAME] RUNDIR... | history merge DB OTHER.db... | history query DB [--case SPEC] [--cell CELL] [--machine NAME] | history changes DB [--threshold PCT]"

/* What history was asked: the subcommand, its database and options. */
struct history_args {
	const char *ops[1024];	/* subcommand, DB, then runs or databases */
	int nops;
	const char *spec, *cell, *machine, *threshold;
};

/* history ingest: every run, each in one transaction. */
static int history_ingest(sqlite3 *db, const struct history_args *a,
			  char *err, size_t errlen)
{
	int i, r, added = 0, known = 0, replaced = 0;

	for (i = 2; i < a->nops; i++) {
		err[0] = 0;
		r = ingest_run(db, a->ops[i], a->machine, err, errlen);
		if (r < 0)
			return -1;
		if (r == 1)
			known++;
		else if (r == 2)
			replaced++;
		else
			added++;
	}
	fprintf(stderr, "history: %d run(s) added, %d already there", added, known);
	if (replaced)
		fprintf(stderr, ", %d replaced (meta.json changed since)", replaced);
	fputc('\n', stderr);
	return 0;
}

static int history_merge(sqlite3 *db, const struct history_args *a,
			 char *err, size_t errlen)
{
	int i, added = 0;

	for (i = 2; i < a->nops; i++)
		if (merge(db, a->ops[i], &added, err, errlen))
			return -1;
	fprintf(stderr, "history: %d run(s) merged from %d database(s)\n",
		added, a->nops - 2);
	return 0;
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
	sqlite3 *db;
	int rc;

	memset(&a, 0, sizeof(a));
	if (args_parse(argc, argv, opts, a.ops, 1024, &a.nops, HISTORY_USAGE,
		       err, errlen) ||
	    history_check(&a, &thr, err, errlen))
		return -1;
	db = open_db(a.ops[1], err, errlen);
	if (!db)
		return -1;
	if (!strcmp(a.ops[0], "ingest")) {
		rc = history_ingest(db, &a, err, errlen);
	} else if (!strcmp(a.ops[0], "merge")) {
		rc = history_merge(db, &a, err, errlen);
	} else {
		rc = !strcmp(a.ops[0], "query") ?
		     query(db, a.spec, a.cell, a.machine) : changes(db, thr);
		if (rc < 0)
			errf(err, errlen, "%s: %s", a.ops[1], sqlite3_errmsg(db));
	}
	sqlite3_close(db);
	return rc < 0 ? -1 : 0;
}

int cmd_history(int argc, char **argv)
{
	return cmd_with_err(history_main, argc, argv);
}
