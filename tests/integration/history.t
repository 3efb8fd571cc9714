#!/bin/bash
# lazymmu-bench history: ingest is idempotent (a second ingest changes
# nothing in the database), queries filter by case and cell, unavailable
# counters are absent rather than 0, and bad input leaves the database as
# it was.
. "$(dirname "$0")/../lib.sh"
plan 10
db=$TMP/h.db
A=$("$LMB" run --case 'mprotect size=4K' --case 'munmap size=1M' --iterations 20 --warmup 1 --out "$TMP/a" --quiet 2>/dev/null | tail -n1)
B=$("$LMB" run --case 'mprotect size=4K' --iterations 20 --warmup 1 --pmu none --out "$TMP/b" --quiet 2>/dev/null | tail -n1)
"$LMB" history ingest "$db" "$A" "$B" 2>"$TMP/err"
check "ingest of two runs" grep -q '2 run(s) added, 0 already there' "$TMP/err"
sqlite3 "$db" .dump > "$TMP/d1"
"$LMB" history ingest "$db" "$A" "$B" 2>"$TMP/err"
sqlite3 "$db" .dump > "$TMP/d2"
check "ingesting again adds nothing" grep -q '0 run(s) added, 2 already there' "$TMP/err"
check "...and the database is byte for byte the same" cmp "$TMP/d1" "$TMP/d2"
check "three cases, two runs" bash -c "[ \$(sqlite3 $db 'select count(*) from cases') = 3 ] && [ \$(sqlite3 $db 'select count(*) from runs') = 2 ]"
"$LMB" history query "$db" --case 'mprotect size=4K thp=0' > "$TMP/q"
med=$(grep -v '^#' "$B/00-mprotect.samples" | cut -d' ' -f1 | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", (v[10] + v[11]) / 2 }')
check "query --case: one line per run, the median from the samples ($med)" bash -c \
	"[ \$(tail -n +2 $TMP/q | wc -l) = 2 ] && tail -n +2 $TMP/q | cut -f6 | grep -qx '$med'"
nun=$(jq '[.counters[] | select(.status != "ok")] | length' "$A/00-mprotect.json")
nok=$(jq '[.counters[] | select(.status == "ok")] | length' "$A/00-mprotect.json")
check "counters: the $nok available ones stored, none of the $nun unavailable" bash -c \
	"[ \$(sqlite3 $db \"select count(*) from counters where spec = 'mprotect size=4K thp=0'\") = $nok ]"
"$LMB" history ingest "$db" "$TMP" >/dev/null 2>"$TMP/e"
rc=$?
check "a directory that is not a run: one-line error naming meta.json, exit 2" bash -c "[ $rc = 2 ] && [ \$(wc -l < $TMP/e) = 1 ] && grep -q meta.json $TMP/e"
cp -r "$A" "$TMP/broken"
jq '.run_id = "broken-run"' "$A/meta.json" > "$TMP/broken/meta.json"
head -c 50 "$A/00-mprotect.json" > "$TMP/broken/00-mprotect.json"
"$LMB" history ingest "$db" "$TMP/broken" >/dev/null 2>&1
sqlite3 "$db" .dump > "$TMP/d3"
check "a run with a truncated case file: refused, nothing of it stored" cmp "$TMP/d1" "$TMP/d3"
check "query: an unknown argument" bash -c "'$LMB' history query $db --colour red 2>&1 >/dev/null | grep -q \"unknown argument '--colour'\""
I=$("$LMB" run --case 'mprotect size=4K' --iterations 20 --warmup 1 --pmu none --inject-ns 100 --out "$TMP/i" --quiet 2>/dev/null | tail -n1)
"$LMB" history ingest "$db" "$I" >/dev/null 2>"$TMP/e"
rc=$?
sqlite3 "$db" .dump > "$TMP/d4"
check "a run with an injected wait: refused (exit 2, one line), nothing stored" bash -c "[ $rc = 2 ] && [ \$(wc -l < $TMP/e) = 1 ] && grep -q 'inject-ns' $TMP/e && cmp -s $TMP/d1 $TMP/d4"
