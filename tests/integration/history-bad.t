#!/bin/bash
# lazymmu-bench history on bad input and awkward runs: a corrupt database
# or a file that is not one is refused (one line, exit 2), never read as
# empty; query and changes read a read-only database and create none; a
# run with one case twice is ingested (cases keyed by their position), a
# database of the old schema too (migrated in place); a run ingested
# unfinished and again once resumed is one run; ingest, merge and
# scripts/server/collect are all or nothing: a bad run or database among
# good ones leaves the database byte for byte as it was.
. "$(dirname "$0")/../lib.sh"
plan 35
mkrun() { # mkrun DIR CASE...: a real run, 20 iterations a case
	local out=$1 c
	local -a args=()
	shift
	for c; do args+=(--case "$c"); done
	"$LMB" run "${args[@]}" --iterations 20 --warmup 1 --pmu none \
		--out "$out" --quiet 2>/dev/null | tail -n1
}
# same FILE COPY: FILE is byte for byte COPY (nothing written)
same() { cmp -s "$1" "$2"; }
A=$(mkrun "$TMP/a" 'mprotect size=4K' 'munmap size=1M')
B=$(mkrun "$TMP/b" 'mprotect size=4K' 'munmap size=1M')
C=$(mkrun "$TMP/c" 'mprotect size=4K' 'munmap size=1M')
db=$TMP/h.db
"$LMB" history ingest "$db" "$A" "$B" "$C" 2>/dev/null
pages=$(sqlite3 "$db" 'PRAGMA page_count')
{ [ "$(sqlite3 "$db" 'PRAGMA page_size')" = 4096 ] && [ "$pages" -ge 4 ]; }
verdict "the test database: pages of 4096 bytes, more than 3 ($pages)"

# --- a corrupt database, a file that is not one ------------------------------
cp "$db" "$TMP/bad.db"
head -c 4096 /dev/zero | tr '\0' '\377' |
	dd of="$TMP/bad.db" bs=4096 seek=2 conv=notrunc status=none
cp "$TMP/bad.db" "$TMP/bad0.db"
refused "query: a page overwritten is a corrupt database, not an empty one" \
	"'$LMB' history query '$TMP/bad.db'" "^lazymmu-bench: $TMP/bad.db: database is corrupt \\(.+\\)$"
refused "changes: the same" \
	"'$LMB' history changes '$TMP/bad.db'" "$TMP/bad.db: database is corrupt"
refused "scripts/dashboard on it: lazymmu-bench's one line, exit 2" \
	"scripts/dashboard '$TMP/bad.db' '$TMP/dash'" "$TMP/bad.db: database is corrupt"
refused "ingest into it: refused" \
	"'$LMB' history ingest '$TMP/bad.db' '$A'" "$TMP/bad.db: database is corrupt"
check "... and nothing written to it" same "$TMP/bad.db" "$TMP/bad0.db"
echo 'not a database, a text file' > "$TMP/text.db"
refused "a file that is not a database: one line saying so" \
	"'$LMB' history query '$TMP/text.db'" "$TMP/text.db: not an SQLite database"

# --- read-only, missing ------------------------------------------------------------
# root writes whatever the modes say: the reads run as nobody then
ro() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		"$@"
	fi
}
chmod 755 "$TMP"
F=$(mkrun "$TMP/f" 'mprotect size=4K')
mkdir "$TMP/rod"
cp "$db" "$TMP/ro.db" && cp "$db" "$TMP/rod/h.db" && chmod 444 "$TMP/ro.db" && chmod 555 "$TMP/rod"
if ro test -x "$LMB" -a -r "$TMP/ro.db" && ! ro test -w "$TMP/ro.db"; then
	ro "$LMB" history query "$TMP/ro.db" > "$TMP/q" 2>"$TMP/err"
	{ [ $? = 0 ] && [ "$(wc -l < "$TMP/q")" = 7 ]; }; verdict "query on a read-only database: its 6 rows"
	ro "$LMB" history changes "$TMP/rod/h.db" > "$TMP/q" 2>"$TMP/err"
	{ [ $? = 0 ] && [ "$(wc -l < "$TMP/q")" = 3 ]; }; verdict "changes in a read-only directory: its 2 series"
	check "... nothing written there (no journal)" bash -c "[ \$(ls $TMP/rod) = h.db ] && cmp -s $db $TMP/rod/h.db"
	refused "ingest into a read-only database: one line naming it" \
		"ro '$LMB' history ingest '$TMP/ro.db' '$F'" "^lazymmu-bench: $TMP/ro.db: attempt to write a readonly database$"
else
	skip "nobody cannot run $LMB here"
	skip "nobody cannot run $LMB here"
	skip "nobody cannot run $LMB here"
	skip "nobody cannot run $LMB here"
fi
chmod 755 "$TMP/rod"
refused "query of a missing database: one line, exit 2" \
	"'$LMB' history query '$TMP/none.db'" "$TMP/none.db: No such file"
refused "changes of a missing database: the same" \
	"'$LMB' history changes '$TMP/none.db'" "$TMP/none.db: No such file"
check "... and no file made" [ ! -e "$TMP/none.db" ]

# --- one case twice in a run; the old schema --------------------------------------
D=$(mkrun "$TMP/d" 'mprotect size=4K' 'munmap size=1M' 'mprotect size=4K')
# runs made in one second share their run_id: a run is found by its path
rD=$(realpath "$D")
"$LMB" history ingest "$db" "$D" 2>"$TMP/err"
check "a run with one case twice: ingested" grep -q '1 run(s) added' "$TMP/err"
check "... its 3 cases stored, keyed by their position" [ "$(sqlite3 "$db" \
	"SELECT group_concat(idx || ':' || spec, ',') FROM (SELECT idx, spec FROM cases c JOIN runs r USING (run_key) WHERE r.path = '$rD' ORDER BY idx)")" = \
	"0:mprotect size=4K thp=0,1:munmap size=1M thp=0,2:mprotect size=4K thp=0" ]
"$LMB" history query "$db" --case 'mprotect size=4K thp=0' > "$TMP/q"
kD=$(sqlite3 "$db" "SELECT run_key FROM runs WHERE path = '$rD'")
check "query: both of its mprotect rows, beside one for each other run" \
	[ "$(grep -c "$kD" "$TMP/q")" = 2 -a "$(tail -n +2 "$TMP/q" | wc -l)" = 5 ]
"$LMB" history changes "$db" > "$TMP/ch"
check "changes: that run once in its series (4 runs)" grep -qE $'^mprotect size=4K thp=0\t[^\t]+\t4\t' "$TMP/ch"
m2=$(sqlite3 "$db" "SELECT (max(median) + min(median)) / 2 FROM cases WHERE run_key = '$kD' AND spec LIKE 'mprotect%'" |
	awk '{ printf "%.1f", $1 }')
"$LMB" history ingest "$TMP/d.db" "$D" 2>/dev/null
check "... with the median of its two medians ($m2)" \
	grep -qE $'^mprotect size=4K thp=0\t[^\t]+\t1\t'"$m2"$'\t\tnew' <("$LMB" history changes "$TMP/d.db")
# version 1 of the schema, as `git show e9ea199:bench/analysis/history.c` made it
old=$TMP/old.db
sqlite3 "$old" "CREATE TABLE IF NOT EXISTS runs (run_key TEXT PRIMARY KEY, run_id TEXT, started TEXT,
 cell TEXT, machine TEXT, release TEXT, backend TEXT, tool_version TEXT, boot_id TEXT, path TEXT);
CREATE TABLE IF NOT EXISTS cases (run_key TEXT, spec TEXT, n INTEGER,
 median REAL, mean REAL, stddev REAL, cov REAL, p90 REAL, p99 REAL, PRIMARY KEY (run_key, spec));
CREATE TABLE IF NOT EXISTS counters (run_key TEXT, spec TEXT,
 label TEXT, per_op REAL, PRIMARY KEY (run_key, spec, label));
PRAGMA user_version = 1;
INSERT INTO runs VALUES ('old-1', 'old', '2026-01-01T00:00:00Z', 'm/r/none', 'm', 'r', 'host', 'v', 'b', '/gone');
INSERT INTO cases VALUES ('old-1', 'munmap size=1M thp=0', 20, 500, 510, 5, 0.01, 520, 530);
INSERT INTO cases VALUES ('old-1', 'mprotect size=4K thp=0', 20, 900, 910, 9, 0.01, 920, 930);
INSERT INTO counters VALUES ('old-1', 'munmap size=1M thp=0', 'tlb flushes', 3);
INSERT INTO counters VALUES ('old-1', 'mprotect size=4K thp=0', 'tlb flushes', 1);"
cp "$old" "$TMP/old0.db"
{ "$LMB" history query "$old" --case 'munmap size=1M thp=0' | grep -q $'\told-1\tmunmap size=1M thp=0\t20\t500.0\t' &&
	same "$old" "$TMP/old0.db"; }; verdict "a version 1 database: read as it is, nothing written"
"$LMB" history ingest "$old" "$D" 2>"$TMP/err"
check "ingest into it: migrated in place to version 2" [ "$(sqlite3 "$old" 'PRAGMA user_version')" = 2 ]
check "... its rows kept, numbered in the order stored, counters with their case" [ "$(sqlite3 "$old" \
	"SELECT group_concat(x, ' ') FROM (SELECT c.idx || ':' || c.median || ':' || t.per_op AS x FROM cases c JOIN counters t USING (run_key, idx) WHERE run_key = 'old-1' ORDER BY c.idx)")" = "0:500.0:3.0 1:900.0:1.0" ]
check "... and the new run's 3 cases beside them" [ "$(sqlite3 "$old" 'SELECT count(*) FROM cases')" = 5 ]
"$LMB" history merge "$TMP/m.db" "$TMP/old0.db" 2>/dev/null
check "merge of a version 1 database: its run, cases and counters" [ "$(sqlite3 "$TMP/m.db" \
	"SELECT count(*) FROM cases c JOIN counters t USING (run_key, idx)")" = 2 ]

# --- all or nothing -----------------------------------------------------------------
cp -r "$C" "$TMP/badrun"
jq '.run_id = "bad-run" | .started = "2026-01-02T00:00:00Z"' "$C/meta.json" > "$TMP/badrun/meta.json"
for f in "$C"/[0-9]*.json; do
	jq '.run_id = "bad-run"' "$f" > "$TMP/badrun/${f##*/}"
done
jq '.run_id = "bad-run" | .counters = 5' "$C/01-munmap.json" > "$TMP/badrun/01-munmap.json"
E=$(mkrun "$TMP/e" 'mprotect size=4K')
cp "$db" "$TMP/h0.db"
refused "ingest GOOD BAD: a case file whose counters are not an array, named" \
	"'$LMB' history ingest '$db' '$E' '$TMP/badrun'" "$TMP/badrun/01-munmap.json: counters is not an array"
check "... and nothing stored, GOOD neither: the database byte for byte" same "$db" "$TMP/h0.db"
"$LMB" history ingest "$TMP/new.db" "$E" "$TMP/badrun" 2>/dev/null
check "... into a new database: none made" [ ! -e "$TMP/new.db" ]
refused "merge of a corrupt database: refused" \
	"'$LMB' history merge '$db' '$TMP/m.db' '$TMP/bad.db'" "$TMP/bad.db: database is corrupt"
refused "merge of a file that is not a database" \
	"'$LMB' history merge '$db' '$TMP/m.db' '$TMP/text.db'" "$TMP/text.db: not an SQLite database"
check "... and nothing merged, not even the good one before it" same "$db" "$TMP/h0.db"
# scripts/server/collect: the same run among good ones (one machine each)
mkdir -p "$TMP/fleet/g1" "$TMP/fleet/g2"
cp -r "$E" "$TMP/fleet/g1/" && cp -r "$TMP/badrun" "$TMP/fleet/g2/"
scripts/server/collect "$db" g1="$TMP/fleet/g1" g2="$TMP/fleet/g2" 2>"$TMP/err"
{ [ $? = 2 ] && one_line && grep -q "^lazymmu-bench: .*/g2/badrun/01-munmap.json: counters is not an array" "$TMP/err"; }
verdict "collect: lazymmu-bench's one line, exit 2"
check "... and the database as it was" same "$db" "$TMP/h0.db"

# --- a run ingested unfinished, then resumed ---------------------------------------
run=$(killed_run "$TMP/r")
# as `ls -d */` gives it, with a '/'; later without
"$LMB" history ingest "$db" "$run" 2>/dev/null
run=${run%/}
cp "$run/meta.json" "$TMP/unfinished.json"
rrun=$(realpath "$run")
n1=$(sqlite3 "$db" "SELECT count(*) FROM cases c JOIN runs r USING (run_key) WHERE r.path LIKE '$rrun%'")
{ jqt "$run/meta.json" '(has("finished") | not) and any(.cases[]; .done == false)' && [ "$n1" -ge 1 ]; }
verdict "killed mid-run and ingested: unfinished, $n1 case(s) stored"
"$LMB" run --resume "$run" --quiet >/dev/null 2>&1
"$LMB" history ingest "$db" "$run" 2>"$TMP/err"
# the run however its directory was spelt ('/' or not)
q1() { sqlite3 "$db" "SELECT count(DISTINCT r.run_key), count(*) FROM runs r JOIN cases c USING (run_key) WHERE r.path LIKE '$rrun%'"; }
{ [ "$(q1)" = "1|3" ] && grep -q '1 replaced' "$TMP/err"; }
verdict "resumed and ingested again: one run, its 3 cases"
cp "$db" "$TMP/h1.db"
cp "$run/meta.json" "$TMP/finished.json" && cp "$TMP/unfinished.json" "$run/meta.json"
"$LMB" history ingest "$db" "$run" 2>"$TMP/err"
{ grep -q '1 not stored' "$TMP/err" && same "$db" "$TMP/h1.db"; }
verdict "the unfinished version again: not stored over the finished one"
