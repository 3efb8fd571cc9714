#!/bin/bash
# scripts/server/collect and `history merge`: runs from several machines
# (directories, an archive, another machine's database) in one history,
# keyed by the machine names given, not by the host names the runs carry
# (all the runs here come from this one host, as a farm's boards whose
# root filesystems share a host name would).
. "$(dirname "$0")/../lib.sh"
plan 19
C=scripts/server/collect
mkrun() { "$LMB" run --case 'mprotect size=4K' --iterations 20 --warmup 1 --pmu none \
	--out "$1" --quiet 2>/dev/null | tail -n1; }
mkrun "$TMP/fleet/g3a/results" > /dev/null
mkrun "$TMP/fleet/g3a/results" > /dev/null
mkrun "$TMP/fleet/g3b/results" > /dev/null
A=$(mkrun "$TMP/altra") && tar -czf "$TMP/altra.tar.gz" -C "$TMP/altra" .
mkrun "$TMP/c" > /dev/null
"$LMB" history ingest "$TMP/c.db" --machine cobalt "$TMP"/c/*/ 2>/dev/null
DB=$TMP/hist/all.db
mkdir -p "$TMP/hist"
rel=$(cat /proc/sys/kernel/osrelease)

# bad input first: nothing is ingested
$C "$DB" g3a="$TMP/fleet/g3a" "$TMP/nowhere" 2>"$TMP/err"
{ [ $? = 2 ] && one_line && grep -q "nowhere: no such file" "$TMP/err"; }; verdict "a missing source: exit 2, one line"
check "... and nothing was ingested" [ ! -e "$DB" ]
$C "$DB" 'g3 a'="$TMP/fleet/g3a" 2>"$TMP/err"
{ [ $? = 2 ] && one_line; }; verdict "a bad machine name: exit 2, one line"
echo junk > "$TMP/junk.tar.gz"
$C "$DB" x="$TMP/junk.tar.gz" 2>"$TMP/err"
{ [ $? = 2 ] && one_line && grep -q "not a readable archive" "$TMP/err"; }; verdict "an archive that is not one: exit 2, one line"
$C "$DB" cobalt="$TMP/c.db" 2>"$TMP/err"
{ [ $? = 2 ] && one_line; }; verdict "a database with MACHINE=: refused"

# directories, an archive and a database
$C "$DB" g3a="$TMP/fleet/g3a" g3b="$TMP/fleet/g3b" altra="$TMP/altra.tar.gz" "$TMP/c.db" 2>"$TMP/err"
check "collect exits 0" [ $? = 0 ]
q() { sqlite3 "$DB" "$1"; }
check "5 runs in all" [ "$(q 'select count(*) from runs')" = 5 ]
check "keyed by the names given" [ "$(q 'select machine, count(*) from runs group by machine order by machine' | paste -sd' ')" = "altra|1 cobalt|1 g3a|2 g3b|1" ]
check "the cell carries the machine, not the host name" [ "$(q "select count(*) from runs where cell like 'g3a/$rel/%'")" = 2 ]
check "the archive was kept in the store (named by its digest), the run points there" [ "$(q "select path from runs where machine = 'altra'")" = "$TMP/hist/collected/altra/altra-$(sha256sum "$TMP/altra.tar.gz" | cut -c1-12)/$(basename "$A")" ]
check "history query --machine" [ "$("$LMB" history query "$DB" --machine g3b | wc -l)" = 2 ]
before=$(sqlite3 "$DB" .dump | sha256sum)
$C "$DB" g3a="$TMP/fleet/g3a" g3b="$TMP/fleet/g3b" altra="$TMP/altra.tar.gz" "$TMP/c.db" 2>"$TMP/err"
check "collecting the same again adds nothing" [ "$(sqlite3 "$DB" .dump | sha256sum)" = "$before" ]
{ grep -q "0 run(s) merged" "$TMP/err" && grep -q "0 run(s) added, 2 already there" "$TMP/err"; }; verdict "... and says so"

# history merge directly
"$LMB" history merge "$TMP/m.db" "$DB" "$TMP/c.db" 2>"$TMP/err"
{ [ "$(sqlite3 "$TMP/m.db" 'select count(*) from runs')" = 5 ] && grep -q "5 run(s) merged" "$TMP/err"; }; verdict "merge into a new database: every run once"
check "merge keeps cases and their medians" [ "$(sqlite3 "$TMP/m.db" 'select count(*), sum(median) from cases')" = "$(sqlite3 "$DB" 'select count(*), sum(median) from cases')" ]
"$LMB" history merge "$TMP/m.db" /etc/hostname 2>"$TMP/err"
{ [ $? = 2 ] && one_line; }; verdict "merging what is not a history database: exit 2, one line"

# a LAVA job log: the run the job printed between its markers
L=$(mkrun "$TMP/lava")
sh scripts/lava/guest.sh emit 01-stock-on-none-r1 "$L" |
	awk '{ printf "- {\"dt\": \"2026-11-30T10:00:00.000000\", \"lvl\": \"target\", \"msg\": \"%s\"}\n", $0 }' > "$TMP/job42.yaml"
$C "$DB" board-7="$TMP/job42.yaml" 2>"$TMP/err"
check "a LAVA log: collected" [ $? = 0 ]
check "... keyed by the board's name" [ "$(q "select count(*) from runs where machine = 'board-7'")" = 1 ]
"$LMB" history ingest "$TMP/l.db" "$L" 2>/dev/null
check "... its samples whole (the same median as the run it came from)" [ "$(q "select c.median from cases c join runs r using (run_key) where r.machine = 'board-7'")" = "$(sqlite3 "$TMP/l.db" 'select median from cases')" ]
