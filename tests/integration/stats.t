#!/bin/bash
# lazymmu-bench stats: run-level figures of numbers on stdin, the ones
# compare uses; known answers, and bad input refused with one line.
. "$(dirname "$0")/../lib.sh"
plan 22
seq 1 30 | "$LMB" stats > "$TMP/s"
check "1..30: n 30, median 15.5" jq -e '.n == 30 and .median == 15.5 and .of == "figure"' "$TMP/s"
check "1..30: the median's 95 % interval is the 10th and 21st values" jq -e '.median_lo == 10 and .median_hi == 21' "$TMP/s"
seq 990 1010 | "$LMB" stats --side 10 > "$TMP/m"
check "spread 1.4826 x MAD / median; a detectable effect when the spread is small" jq -e --slurpfile m "$TMP/m" '(.mad_cov - 1.4826 * 7.5 / 15.5 | fabs) < 1e-5 and .mde == null and $m[0].mde_side == 10 and $m[0].mde > $m[0].mad_cov and $m[0].mde < 3 * $m[0].mad_cov' "$TMP/s"
printf '100 110\n200 220\n50 55\n10 11\n20 22\n400 440\n' | "$LMB" stats > "$TMP/p"
check "pairs: the figure is b/a (1.1), no interval with 6" jq -e '.of == "b/a" and (.median - 1.1 | fabs) < 1e-9 and .median_lo != null' "$TMP/p"
printf '5\n5\n5\n5\n5\n5\n' | "$LMB" stats > "$TMP/c"
check "no spread: no detectable effect is claimed (null, not 0)" jq -e '.mad_cov == 0 and .mde == null' "$TMP/c"
check "1..30: mean, sd (n - 1), CoV, min, max" jq -e '.mean == 15.5 and (.sd - 8.80341 | fabs) < 1e-5 and (.cov - 8.80341 / 15.5 | fabs) < 1e-5 and .min == 1 and .max == 30' "$TMP/s"
check "1..30 in order: successive-difference CoV sqrt(29 / 58) / 15.5" jq -e '(.cov_successive - (0.5 | sqrt) / 15.5 | fabs) < 1e-6' "$TMP/s"
seq 1 30 | sort -R --random-source=/dev/zero | "$LMB" stats > "$TMP/r"
check "successive differences follow the input order, the other figures do not" jq -e --slurpfile s "$TMP/s" '.cov_successive > $s[0].cov_successive and .median == $s[0].median and .cov == $s[0].cov' "$TMP/r"
printf '100 105 110\n200 210 220\n' | "$LMB" stats > "$TMP/t3"
check "three a line: b against the mean of a and c (1.0)" jq -e '.of == "b/((a+c)/2)" and .n == 2 and .median == 1 and .min == 1 and .max == 1' "$TMP/t3"
seq 1 10 | "$LMB" stats --batch 3 > "$TMP/b"
check "--batch 3: the means of 1..3, 4..6, 7..9; 10 left out" jq -e '.batch == 3 and .n == 3 and .median == 5 and .min == 2 and .max == 8' "$TMP/b"
seq 100 120 | awk '{ print 1 + $1 / 10000 }' | "$LMB" stats --target 1.02 --width 0.02 > "$TMP/v"
check "--target 1.02: interval [1.0105, 1.0115] is met, decided" jq -e '.verdict == "met" and .decided and .target == 1.02 and .width == 0.02' "$TMP/v"
seq 100 120 | awk '{ print 1 + $1 / 1000 }' | "$LMB" stats --target 1.02 --width 0.02 > "$TMP/v"
check "--target 1.02: interval [1.105, 1.115] is not met" jq -e '.verdict == "not met" and .decided' "$TMP/v"
seq 100 120 | awk '{ print $1 / 110 }' | "$LMB" stats --target 1.02 --width 0.02 > "$TMP/v"
check "--width 0.02: an interval as wide as [0.955, 1.045] decides nothing" jq -e '.verdict == "undecided" and (.decided | not)' "$TMP/v"
printf '1 2\n' | "$LMB" stats --target 1.02 > "$TMP/v"
check "--target without an interval (one figure): undecided, not decided" jq -e '.verdict == "undecided" and (.decided | not) and .median == 2' "$TMP/v"
check "--band 0.05: up, within, down" bash -c "
	[ \"\$(echo '100 106' | '$LMB' stats --band 0.05 | jq -r .direction)\" = up ] &&
	[ \"\$(echo '100 105' | '$LMB' stats --band 0.05 | jq -r .direction)\" = within ] &&
	[ \"\$(echo '100 94' | '$LMB' stats --band 0.05 | jq -r .direction)\" = down ]"
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
bad "a c of 0 in 'a b c'" '1 2 0\n' "line 1"
bad "--batch larger than the figures" '1\n2\n' "fewer figures than one batch" --batch 3
bad "--band on plain figures" '1\n2\n' "needs ratios" --band 0.05
bad "--width without --target" '1\n' "needs --target" --width 0.02
