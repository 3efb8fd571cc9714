#!/bin/bash
# history changes and scripts/dashboard on a made-up nightly series: 8 runs
# of two cells, real run directories whose samples and start times are
# replaced; the last 4 runs of one cell are twice as slow (the detector's
# window: one run alone is never significant).  The detector must flag
# that one only, with its change point; the page must link only to files that exist, and
# load in a real browser (Debian's chromium, headless) without console
# errors, giving a screenshot that is not blank.  Bad input: one line,
# exit 2, nothing written (no OUTDIR; an existing one as it was).
. "$(dirname "$0")/../lib.sh"
plan 14
db=$TMP/h.db
for i in 1 2 3 4 5 6 7 8; do
	for cell in steady slower; do
		r=$("$LMB" run --case 'mprotect size=4K' --iterations 20 --warmup 1 --pmu none --out "$TMP/$cell$i" --quiet 2>/dev/null | tail -n1)
		f=$r/00-mprotect.samples
		base=$((1000 + (i % 3) * 5))
		[ "$cell" = slower ] && [ $i -ge 5 ] && base=$((base + 1000))
		{ head -n1 "$f" | sed 's/columns=[^ ]*/columns=op_ns/'; seq $base $((base + 19)); } > "$f.new" && mv "$f.new" "$f"
		jq --arg t "2026-11-0${i}T00:00:00Z" --arg c "$cell" '.started = $t | .system.release = $c' "$r/meta.json" > "$r/m" && mv "$r/m" "$r/meta.json"
		"$LMB" history ingest "$db" "$r" 2>/dev/null
	done
done
"$LMB" history changes "$db" > "$TMP/ch"
k5=$(sqlite3 "$db" "SELECT run_key FROM runs WHERE started = '2026-11-05T00:00:00Z' AND release = 'slower'")
check "two series of 8 runs" bash -c "[ \$(grep -c $'\t8\t' $TMP/ch) = 2 ]"
check "the doubled last 4 runs are flagged a regression (+9x%), changed at run 5" grep -qE $'^mprotect size=4K thp=0\t[^\t]*/slower/[a-z?]+\t8\t[0-9.]+\t\\+9[0-9]\\.[0-9]\tregression\t'"$k5" "$TMP/ch"
check "the steady series is not flagged" grep -qE $'/steady/[a-z?]+\t8\t.*\tok\t' "$TMP/ch"
scripts/dashboard "$db" "$TMP/dash" >/dev/null 2>"$TMP/err"
check "dashboard writes index.html" [ -s "$TMP/dash/index.html" ]
check "every src and href of the page is a file that exists" bash -c "
	cd $TMP/dash && grep -oE '(src|href)=\"[^\"]+\"' index.html | cut -d'\"' -f2 | sed 's|^file://||' |
	while read -r f; do [ -e \"\$f\" ] || { echo missing \$f; exit 1; }; done"
check "the regression row is marked" grep -qE '<tr class="reg"><td>mprotect size=4K thp=0</td><td>[^<]*/slower/' "$TMP/dash/index.html"
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$browser" ]; then
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
		--window-size=1200,900 --screenshot="$TMP/shot.png" "file://$TMP/dash/index.html" >/dev/null 2>"$TMP/chr"
	check "chromium loads the page without console messages" bash -c "[ -s $TMP/shot.png ] && ! grep -q 'CONSOLE' $TMP/chr"
	# not blank: the screenshot is not one colour (the table, the plots)
	check "the screenshot is not blank" bash -c "[ \$(stat -c %s $TMP/shot.png) -gt 20000 ]"
else
	skip "chromium not installed (.ci/run installs it)"
	skip "chromium not installed (.ci/run installs it)"
fi
bc=$(tail -n +2 "$TMP/ch" | grep steady | cut -f2)
scripts/dashboard "$db" "$TMP/dash2" --baseline "$bc" >/dev/null 2>&1
check "--baseline: the slower cell's latest against the steady one's (+9x%)" grep -qE '<td>[^<]*/slower/[^<]*</td><td>8</td><td>[0-9.]+</td><td>\+9[0-9]\.[0-9]%</td>' "$TMP/dash2/index.html"
refused "--baseline with an unknown cell: exit 2, one line listing the cells" "scripts/dashboard $db $TMP/dash3 --baseline nope" "--baseline nope: no such cell in .*steady"
check "... and no OUTDIR made" [ ! -e "$TMP/dash3" ]
refused "history changes refuses an option: exit 2, its one line" "scripts/dashboard $db $TMP/dash4 --threshold banana" "--threshold 'banana' is not a percentage"
check "... no OUTDIR made (no changes.tsv)" [ ! -e "$TMP/dash4" ]
# an existing page stays as it was: no changes.tsv of the failed run, no temporary
(cd "$TMP/dash" && ls -A && cat changes.tsv index.html) > "$TMP/dash.before"
scripts/dashboard "$db" "$TMP/dash" --threshold banana >/dev/null 2>&1
scripts/dashboard "$db" "$TMP/dash" --baseline nope >/dev/null 2>&1
(cd "$TMP/dash" && ls -A && cat changes.tsv index.html) | cmp -s - "$TMP/dash.before"
verdict "bad input into an existing OUTDIR: its files as they were, none added"
