#!/bin/bash
# scripts/plot: charts for every case of a comparison, PNG and SVG, from
# real run directories (host runs: CDFs only) and from the committed lab
# reference run (CDFs and barrier bars); bad input: one line, exit 2,
# control characters escaped, and nothing written (no DIR, no
# results/plots-*, an existing DIR as it was).
. "$(dirname "$0")/../lib.sh"
plan 12
A=$("$LMB" run --case 'mprotect size=4K' --case 'munmap size=1M' --iterations 20 --warmup 1 --pmu none --out "$TMP/a" --quiet 2>/dev/null | tail -n1)
B=$("$LMB" run --case 'mprotect size=4K' --case 'munmap size=1M' --iterations 20 --warmup 1 --pmu none --out "$TMP/b" --quiet 2>/dev/null | tail -n1)
scripts/plot --out "$TMP/p" one="$A" two="$B" >/dev/null 2>"$TMP/err"
check "plot exits 0" [ $? = 0 ]
check "one CDF per case, PNG and SVG" bash -c "[ \$(ls $TMP/p/*-cdf.png | wc -l) = 2 ] && [ \$(ls $TMP/p/*-cdf.svg | wc -l) = 2 ]"
check "the PNGs are PNG images of some size" bash -c "for f in $TMP/p/*.png; do [ \"\$(head -c 8 \$f | od -An -tx1 | tr -d ' ')\" = 89504e470d0a1a0a ] && [ \$(stat -c %s \$f) -gt 10000 ] || exit 1; done"
check "the SVGs are SVG documents naming both cells" bash -c "for f in $TMP/p/*.svg; do grep -q '<svg' \$f && grep -q '>one<\\|>one ' \$f && grep -q 'two' \$f || exit 1; done"
check "host runs without barrier counts: no bar charts" bash -c "! ls $TMP/p/*-counters.png 2>/dev/null | grep -q ."
tar -xJf results/reference/run.tar.xz -C "$TMP"
R=$(ls -d "$TMP"/*-lab-reference)
scripts/plot --out "$TMP/q" --metric kernel_ns "$R/stock-on" "$R/permissive-nesting-on" >/dev/null 2>&1
nmod=$(jq -s '[.[] | select(.storm == "vmalloc" or .storm == "kcalib")] | length' "$R"/stock-on/[0-9]*.json)
check "lab runs: a bar chart of kernel dsb/isb/tlbi for each of the $nmod module cases (vmalloc, kcalib)" bash -c "[ $nmod -gt 10 ] && [ \$(ls $TMP/q/*-counters.png | wc -l) = $nmod ] && [ \$(ls $TMP/q/*-counters.svg | wc -l) = $nmod ]"
scripts/plot --out "$TMP/r" "$TMP" >/dev/null 2>"$TMP/e"
rc=$?
check "a run directory that is not one: one-line error naming meta.json, exit 2" bash -c "[ $rc = 2 ] && [ \$(wc -l < $TMP/e) = 1 ] && grep -q 'meta.json' $TMP/e"
check "... and nothing written: no --out directory" [ ! -e "$TMP/r" ]
# an existing DIR keeps its files: no compare.txt of the failed comparison
cp "$TMP/p/compare.txt" "$TMP/p.compare"
ls -A "$TMP/p" > "$TMP/p.before"
refused "bad input into an existing --out: exit 2, one line" "scripts/plot --out $TMP/p $TMP" 'meta.json'
{ cmp -s "$TMP/p.compare" "$TMP/p/compare.txt" && ls -A "$TMP/p" | cmp -s - "$TMP/p.before"; }
verdict "... its compare.txt as it was, no file added (no temporary left)"
ls -d results/plots-* > "$TMP/plots.before" 2>/dev/null
scripts/plot "$TMP" >/dev/null 2>"$TMP/e"
rc=$?
ls -d results/plots-* 2>/dev/null | comm -13 "$TMP/plots.before" - > "$TMP/plots.new"
check "without --out, bad input leaves no results/plots-* directory" bash -c "[ $rc = 2 ] && [ ! -s $TMP/plots.new ]"
xargs -r rm -rf < "$TMP/plots.new"
# a control character in the input is shown escaped, not sent to the terminal
mkdir -p "$TMP/"$'\e[31mred'
scripts/plot --out "$TMP/r" "$TMP/"$'\e[31mred' >/dev/null 2>"$TMP/err"
{ [ $? = 2 ] && one_line && ! grep -q $'\e' "$TMP/err" && grep -qF '\x1b[31mred' "$TMP/err"; }
verdict "an escape sequence in a run's name: shown as \\x1b in the one line"
