#!/bin/bash
# lazymmu-bench stats: run-level figures of numbers on stdin, the ones
# compare uses; known answers, and bad input refused with one line.
. "$(dirname "$0")/../lib.sh"
plan 8
seq 1 30 | "$LMB" stats > "$TMP/s"
check "1..30: n 30, median 15.5" jq -e '.n == 30 and .median == 15.5 and .of == "figure"' "$TMP/s"
check "1..30: the median's 95 % interval is the 10th and 21st values" jq -e '.median_lo == 10 and .median_hi == 21' "$TMP/s"
seq 990 1010 | "$LMB" stats --side 10 > "$TMP/m"
check "spread 1.4826 x MAD / median; a detectable effect when the spread is small" jq -e --slurpfile m "$TMP/m" '(.mad_cov - 1.4826 * 7.5 / 15.5 | fabs) < 1e-5 and .mde == null and $m[0].mde_side == 10 and $m[0].mde > $m[0].mad_cov and $m[0].mde < 3 * $m[0].mad_cov' "$TMP/s"
printf '100 110\n200 220\n50 55\n10 11\n20 22\n400 440\n' | "$LMB" stats > "$TMP/p"
check "pairs: the figure is b/a (1.1), no interval with 6" jq -e '.of == "b/a" and (.median - 1.1 | fabs) < 1e-9 and .median_lo != null' "$TMP/p"
printf '5\n5\n5\n5\n5\n5\n' | "$LMB" stats > "$TMP/c"
check "no spread: no detectable effect is claimed (null, not 0)" jq -e '.mad_cov == 0 and .mde == null' "$TMP/c"
bad() { # bad WHAT INPUT WANT ARGS...
	local what=$1 in=$2 want=$3
	shift 3
	printf "$in" | "$LMB" stats "$@" > "$TMP/o" 2> "$TMP/e"
	local rc=$?
	{ [ $rc = 2 ] && [ ! -s "$TMP/o" ] && [ "$(wc -l < "$TMP/e")" = 1 ] && grep -q -- "$want" "$TMP/e"; }
	verdict "$what: exit 2, one line naming it, nothing printed"
}
bad "a word" '1\n2\nthree\n' "line 3"
bad "a pair among single figures" '1\n2 3\n' "line 2"
bad "--side below 4" '1\n2\n' "side" --side 3
