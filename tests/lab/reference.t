#!/bin/bash
# The committed reference run: its data re-derive the committed report
# (scripts/lab/reference-report on run.tar.xz and aa-run.tar.xz gives
# report.md byte for byte), its controls hold, and the report script
# refuses bad input.
. "$(dirname "$0")/../lib.sh"
plan 8
R=results/reference
tar -xJf "$R/run.tar.xz" -C "$TMP" && tar -xJf "$R/aa-run.tar.xz" -C "$TMP"
check "both runs unpack" [ "$(ls -d "$TMP"/*-lab-reference | wc -l)" = 2 ]
runs=($(ls -d "$TMP"/*-lab-reference | sort))
scripts/lab/reference-report "${runs[0]}" "${runs[1]}" > "$TMP/report.md" 2>"$TMP/err"
check "reference-report re-derives report.md exactly" cmp "$TMP/report.md" "$R/report.md"
check "every cell ok, calibration exact, selfcheck ok (both runs)" bash -c \
	"[ \$(cat ${runs[0]}/*/lab/selfcheck.result ${runs[1]}/*/lab/selfcheck.result | grep -c '^ok:') = 30 ] &&
	 jq -s -e 'length == 30 and all(.calibration.result == \"ok\")' ${runs[0]}/*/meta.json ${runs[1]}/*/meta.json"
# The headline: with debug_pagealloc=on, permissive nesting's excess over
# stock in the nested storm is K + 1 - 1/16 dsb ishst per allocation, and
# flag-restore's is zero, for every K.
check "nested storm: permissive pays K + 0.94 more per allocation, flag-restore 0" bash -c "
	sed -n '/lost deferral against K/,/DEBUG_PAGEALLOC off/p' $R/report.md |
	awk -F'|' '/^\| [0-9]+ \|/ { k = \$2 + 0; n++
		if (\$4 !~ \"[(][+]\" sprintf(\"%.2f\", k + 0.9375) \"[)]\") bad++
		if (\$5 !~ /[(][+]0[.]00[)]/) bad++ }
		END { exit !(n == 7 && bad == 0) }'"
check "usage error without a run" bash -c 'scripts/lab/reference-report 2>&1 >/dev/null | grep -q usage'
check "a directory that is not a lab run" bash -c "scripts/lab/reference-report $TMP 2>/dev/null; [ \$? = 2 ]"
check "an A/A argument that is not a lab run" bash -c "scripts/lab/reference-report ${runs[0]} /nonexistent 2>&1 >/dev/null | grep -q 'not a lab run'"
check "compare --counters: the nested storm's kernel dsb, stock 51 against permissive 322 (+531%)" bash -c \
	"build/host/lazymmu-bench compare --counters ${runs[0]}/stock-on ${runs[0]}/permissive-nesting-on |
	 sed -n '/nested huge=0 writes=16/,/^\$/p' | grep -qE '^    lab:kernel dsb +322.00 \(\+531%\)'"
