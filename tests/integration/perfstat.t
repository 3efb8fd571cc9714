#!/bin/bash
# The collector against the perf tool: the same storm under `perf stat`.
#
# perf stat counts the whole process (exec, calibration, setup, writing
# results); the collector counts the measured phase only.  Running N and
# 2N iterations and taking differences cancels everything but N ops:
#   perf(2N) - perf(N)  ~  collector(2N) - collector(N)
# Tolerance: 2% of the difference, plus 16 events of slack for what the
# larger sample arrays themselves cost.  Context switches also carry the
# preemptions other load causes outside the measured phase, which do not
# cancel: their slack adds the larger of the two runs' involuntary
# switches (the whole process tree's, from /usr/bin/time), which bound
# them, so the check stays as tight as the machine is quiet.
. "$(dirname "$0")/../lib.sh"
events="page-faults,context-switches,tlb:tlb_flush"
labels=(page-faults context-switches tlb-flush)
plan 3

if ! command -v perf >/dev/null || ! perf stat -e page-faults true >/dev/null 2>&1; then
	for l in "${labels[@]}"; do skip "perf stat does not run here"; done
	exit 0
fi
[ -x /usr/bin/time ] || { for l in "${labels[@]}"; do skip "/usr/bin/time is missing (scripts/install-deps)"; done; exit 0; }
spec='fork size=4M cow=1'
# run N: perf stat's count per event (csv) and the collector's measured count.
measure() {
	perf stat -x, -e "$events" -o "$TMP/perf.$1" -- /usr/bin/time -f %c -o "$TMP/inv.$1" \
		"$LMB" run --case "$spec" --iterations "$1" --warmup 0 --pmu generic \
		--out "$TMP/r$1" --quiet >"$TMP/run.$1" 2>&1 || return 1
}
# A pair of runs agrees on event I: 0, else 1 with the figures in $why.
agree() {
	local i=$1 ev l p20 p40 c20 c40 dp dc diff slack=16 inv
	ev=${events//,/ }; ev=($ev); ev=${ev[$i]}; l=${labels[$i]}
	p20=$(awk -F, -v e="$ev" '$3 == e { print $1 }' "$TMP/perf.20")
	p40=$(awk -F, -v e="$ev" '$3 == e { print $1 }' "$TMP/perf.40")
	c20=$(jq -r ".counters[] | select(.label == \"$l\") | .phases.measure.count // empty" "$TMP"/r20/*/00-fork.json)
	c40=$(jq -r ".counters[] | select(.label == \"$l\") | .phases.measure.count // empty" "$TMP"/r40/*/00-fork.json)
	case "$p20$p40$c20$c40" in
	*[!0-9]* | "")
		why="not counted by both (perf: '$p20' '$p40', collector: '$c20' '$c40')"
		return 2 ;;
	esac
	dp=$((p40 - p20)); dc=$((c40 - c20))
	diff=$((dp > dc ? dp - dc : dc - dp))
	why="perf stat difference $dp, collector $dc"
	if [ "$l" = context-switches ]; then
		inv=$(sort -n "$TMP/inv.20" "$TMP/inv.40" | tail -n 1)
		case $inv in ''|*[!0-9]*) why="$why; no involuntary switch count from /usr/bin/time"; return 1 ;; esac
		slack=$((slack + inv))
		why="$why, involuntary switches up to $inv"
	fi
	[ $((diff * 100)) -le $((dp * 2 + slack * 100)) ]
}
# Preemptions by other load land in one run of a pair and not the other
# (context switches, mostly): a pair that disagrees is measured again, up
# to 3 pairs; a real disagreement disagrees every time.
declare -A result=() text=()
for attempt in 1 2 3; do
	rm -rf "$TMP"/r20 "$TMP"/r40
	measure 20 && measure 40 || { not_ok "runs under perf stat" "$(cat "$TMP/run.20" "$TMP/run.40")"; exit 0; }
	again=0
	for i in 0 1 2; do
		[ "${result[$i]:-1}" = 0 ] && continue
		agree $i
		result[$i]=$?
		text[$i]="$why (pair $attempt)"
		[ "${result[$i]}" = 1 ] && again=1
	done
	[ $again = 0 ] && break
done
for i in 0 1 2; do
	case ${result[$i]} in
	0) ok "${labels[$i]}: ${text[$i]}" ;;
	2) skip "${labels[$i]}: ${text[$i]}" ;;
	*) not_ok "${labels[$i]}: ${text[$i]}" "beyond 2% + 16 in 3 pairs" ;;
	esac
done
