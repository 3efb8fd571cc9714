// SPDX-License-Identifier: GPL-2.0
/*
 * history.c - `lazymmu-bench history`: runs kept in an SQLite database for
 * the nightly series.
 *
 *   history ingest DB RUNDIR...   add runs (a run already there is left
 *                                 as it is; a run directory ingested
 *                                 again whose meta.json changed since,
 *                                 e.g. re-imported lab counts, replaces
 *                                 its old rows)
 *   history query DB [--case SPEC] [--cell CELL]
 *                                 one line per run and case, oldest first
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
static int ingest_run(sqlite3 *db, const char *rundir, const char *machine,
		      char *err, size_t errlen)
{
	char path[1200], cell[96], key[128];
	json_object *meta, *cases, *e, *c, *ctrs, *x;
	sqlite3_stmt *st = NULL;
	const char *run_id, *spec, *file, *status;
	struct samples s;
	struct summary sum;
	size_t i, k;
	int ret = -1, there, replaced = 0;

	snprintf(path, sizeof(path), "%s/meta.json", rundir);
	meta = results_read_json(path, RESULTS_RUN_SCHEMA, err, errlen);
	if (!meta)
		return -1;
	run_id = results_jstr(meta, "run_id");
	cases = json_object_object_get(meta, "cases");
	if (!run_id || !cases) {
		errf(err, errlen, "%s: no run_id or cases", path);
		goto out;
	}
	if (run_key(path, run_id, key, sizeof(key))) {
		errf(err, errlen, "%s: cannot read", path);
		goto out;
	}
	sqlite3_prepare_v2(db, "SELECT 1 FROM runs WHERE run_key = ?", -1, &st, NULL);
	bind_text(st, 1, key);
	there = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	st = NULL;
	if (there) {
		ret = 1;
		goto out;
	}
	/* Lab counts are only worth what their calibrations vouch for. */
	if (results_jstr(meta, "lab.plugin") &&
	    !json_object_get_boolean(json_object_object_get(
		    json_object_object_get(meta, "lab"), "valid"))) {
		errf(err, errlen, "%s: a lab run whose calibration failed (lab.valid false): not ingested",
		     path);
		goto out;
	}
	/* A made effect (--inject-ns) has no place in a nightly series. */
	if (json_object_object_get_ex(json_object_object_get(meta, "options"),
				      "inject_ns", NULL)) {
		errf(err, errlen, "%s: a run with a test-only injected wait (--inject-ns): not ingested",
		     path);
		goto out;
	}
	if (exec1(db, "BEGIN", err, errlen))
		goto out;
	/*
	 * The same run directory (id and path) under another digest: its
	 * meta.json changed since it was ingested (lab counts re-imported):
	 * replace it.
	 */
	if (sqlite3_prepare_v2(db, "SELECT run_key FROM runs WHERE run_id = ? AND path = ? AND started IS ? AND boot_id IS ?",
			       -1, &st, NULL) == SQLITE_OK) {
		char old[128] = "";
		static const char *const del[] = {
			"DELETE FROM counters WHERE run_key = ?",
			"DELETE FROM cases WHERE run_key = ?",
			"DELETE FROM runs WHERE run_key = ?",
		};

		bind_text(st, 1, run_id);
		bind_text(st, 2, rundir);
		bind_text(st, 3, results_jstr(meta, "started"));
		bind_text(st, 4, results_jstr(meta, "system.boot_id"));
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(old, sizeof(old), "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		st = NULL;
		for (k = 0; old[0] && k < sizeof(del) / sizeof(del[0]); k++) {
			sqlite3_prepare_v2(db, del[k], -1, &st, NULL);
			bind_text(st, 1, old);
			if (sqlite3_step(st) != SQLITE_DONE) {
				errf(err, errlen, "sqlite: %s", sqlite3_errmsg(db));
				goto rollback;
			}
			sqlite3_finalize(st);
			st = NULL;
		}
		replaced = old[0] != '\0';
	}
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
	bind_text(st, 2, run_id);
	bind_text(st, 3, results_jstr(meta, "started"));
	bind_text(st, 4, cell);
	bind_text(st, 5, machine ? machine : results_jstr(meta, "system.nodename"));
	bind_text(st, 6, results_jstr(meta, "system.release"));
	bind_text(st, 7, results_jstr(meta, "backend"));
	bind_text(st, 8, results_jstr(meta, "tool_version"));
	bind_text(st, 9, results_jstr(meta, "system.boot_id"));
	bind_text(st, 10, rundir);
	if (sqlite3_step(st) != SQLITE_DONE) {
		errf(err, errlen, "sqlite: %s", sqlite3_errmsg(db));
		goto rollback;
	}
	sqlite3_finalize(st);
	st = NULL;
	for (i = 0; i < json_object_array_length(cases); i++) {
		e = json_object_array_get_idx(cases, i);
		spec = results_jstr(e, "spec");
		file = results_jstr(e, "file");
		status = results_jstr(e, "status");
		if (!spec || !file || !status || strcmp(status, "ok"))
			continue;
		snprintf(path, sizeof(path), "%s/%s.samples", rundir, file);
		if (results_read_samples(path, &s, err, errlen))
			goto rollback;
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
		if (sqlite3_step(st) != SQLITE_DONE) {
			errf(err, errlen, "sqlite: %s", sqlite3_errmsg(db));
			goto rollback;
		}
		sqlite3_finalize(st);
		st = NULL;
		snprintf(path, sizeof(path), "%s/%s.json", rundir, file);
		c = results_read_json(path, RESULTS_CASE_SCHEMA, err, errlen);
		if (!c)
			goto rollback;
		if (!results_jstr(c, "spec") || strcmp(results_jstr(c, "spec"), spec)) {
			errf(err, errlen, "%s: holds case '%.80s', but meta.json lists '%.80s' there",
			     path, results_jstr(c, "spec") ? results_jstr(c, "spec") : "?", spec);
			json_object_put(c);
			goto rollback;
		}
		ctrs = json_object_object_get(c, "counters");
		for (k = 0; ctrs && k < json_object_array_length(ctrs); k++) {
			json_object *m;
			const char *l;

			x = json_object_array_get_idx(ctrs, k);
			l = results_jstr(x, "label");
			m = json_object_object_get(json_object_object_get(x, "phases"), "measure");
			m = m ? json_object_object_get(m, "per_op") : NULL;
			/* unavailable counters are absent, never 0 */
			if (!l || !m || !results_jstr(x, "status") || strcmp(results_jstr(x, "status"), "ok"))
				continue;
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
		json_object_put(c);
	}
	if (exec1(db, "COMMIT", err, errlen))
		goto rollback;
	ret = replaced ? 2 : 0;
	goto out;
rollback:
	sqlite3_finalize(st);
	/* err already says why; the rollback's own outcome adds nothing */
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
out:
	json_object_put(meta);
	return ret;
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

int history_main(int argc, char **argv, char *err, size_t errlen)
{
	const char *spec = NULL, *cell = NULL, *machine = NULL;
	sqlite3 *db;
	int i, r, added = 0, known = 0, replaced = 0, first;

	if (argc >= 2 && !strcmp(argv[0], "changes")) {
		double thr = 5;
		char *end;

		for (i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "--threshold") && i + 1 < argc) {
				thr = strtod(argv[++i], &end);
				if (*end || thr < 0)
					return errf(err, errlen, "history changes: --threshold '%s' is not a percentage", argv[i]);
			} else {
				return errf(err, errlen, "history changes: unknown argument '%s' (--threshold PCT)", argv[i]);
			}
		}
		db = open_db(argv[1], err, errlen);
		if (!db)
			return -1;
		i = changes(db, thr);
		if (i < 0)
			errf(err, errlen, "%s: %s", argv[1], sqlite3_errmsg(db));
		sqlite3_close(db);
		return i < 0 ? -1 : 0;
	}
	if (argc >= 2 && !strcmp(argv[0], "merge")) {
		if (argc < 3)
			return errf(err, errlen, "history merge: no database to merge");
		db = open_db(argv[1], err, errlen);
		if (!db)
			return -1;
		for (i = 2; i < argc; i++) {
			if (merge(db, argv[i], &added, err, errlen)) {
				sqlite3_close(db);
				return -1;
			}
		}
		sqlite3_close(db);
		fprintf(stderr, "history: %d run(s) merged from %d database(s)\n",
			added, argc - 2);
		return 0;
	}
	if (argc < 2 || (strcmp(argv[0], "ingest") && strcmp(argv[0], "query")))
		return errf(err, errlen, "usage: history ingest DB [--machine NAME] RUNDIR... | history merge DB OTHER.db... | history query DB [--case SPEC] [--cell CELL] [--machine NAME] | history changes DB [--threshold PCT]");
	first = 2;
	if (!strcmp(argv[0], "ingest") && argc >= 4 && !strcmp(argv[2], "--machine")) {
		machine = argv[3];
		if (!*machine || strchr(machine, '/') || strlen(machine) > 40)
			return errf(err, errlen, "history ingest: --machine '%s' must be 1 to 40 characters, no '/'", machine);
		first = 4;
	}
	if (!strcmp(argv[0], "ingest") && argc <= first)
		return errf(err, errlen, "history ingest: no run directory given");
	if (!strcmp(argv[0], "query")) {
		for (i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "--case") && i + 1 < argc)
				spec = argv[++i];
			else if (!strcmp(argv[i], "--cell") && i + 1 < argc)
				cell = argv[++i];
			else if (!strcmp(argv[i], "--machine") && i + 1 < argc)
				machine = argv[++i];
			else
				return errf(err, errlen, "history query: unknown argument '%s' (--case SPEC, --cell CELL, --machine NAME)", argv[i]);
		}
	}
	db = open_db(argv[1], err, errlen);
	if (!db)
		return -1;
	if (!strcmp(argv[0], "query")) {
		i = query(db, spec, cell, machine);
		if (i < 0)
			errf(err, errlen, "%s: %s", argv[1], sqlite3_errmsg(db));
		sqlite3_close(db);
		return i < 0 ? -1 : 0;
	}
	for (i = first; i < argc; i++) {
		err[0] = 0;
		r = ingest_run(db, argv[i], machine, err, errlen);
		if (r < 0) {
			sqlite3_close(db);
			return -1;
		}
		if (r == 1)
			known++;
		else if (r == 2)
			replaced++;
		else
			added++;
	}
	sqlite3_close(db);
	fprintf(stderr, "history: %d run(s) added, %d already there", added, known);
	if (replaced)
		fprintf(stderr, ", %d replaced (meta.json changed since)", replaced);
	fputc('\n', stderr);
	return 0;
}
