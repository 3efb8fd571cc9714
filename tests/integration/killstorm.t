#!/bin/bash
# Crash safety, many times over: a 6-case run is killed with SIGKILL at a
# random moment, then resumed, again and again until it finishes.  After
# every kill: meta.json is whole JSON, every case marked done has both
# files and they are exactly what they were when first seen (nothing
# redone, nothing lost), and no case appears twice.  The run validates at
# the end.  KILLS (default 20) is the number of kills to aim for.
. "$(dirname "$0")/../lib.sh"
plan 5
kills=${KILLS:-20}
cases=(--case 'mprotect size=4K' --case 'fork size=1M' --case 'mremap size=1M'
	--case 'munmap size=1M' --case 'madvise size=1M' --case 'mprotect size=64K')
RANDOM=42
survived=0 bad=0 run=
declare -A seen
for round in $(seq 1 $((kills * 3 + 50))); do
	if [ -z "$run" ]; then
		"$LMB" run "${cases[@]}" --iterations 3000 --warmup 1 --pmu none --out "$TMP/r" --quiet >/dev/null 2>&1 &
	else
		"$LMB" run --resume "$run" --quiet >/dev/null 2>&1 &
	fi
	pid=$!
	# kill at a random moment within 0.05-0.9 s, unless we have killed enough
	sleep "0.$(printf %02d $((RANDOM % 85 + 5)))"
	if [ $survived -lt $kills ] && kill -9 $pid 2>/dev/null; then
		wait $pid 2>/dev/null
		survived=$((survived + 1))
	else
		wait $pid 2>/dev/null
	fi
	[ -n "$run" ] || run=$(ls -d "$TMP"/r/*/ 2>/dev/null | head -n1)
	run=${run%/}
	# killed before meta.json existed: start afresh, as a user would
	if [ -z "$run" ] || [ ! -f "$run/meta.json" ]; then
		rm -rf "$TMP/r"; run=; continue
	fi
	jq -e . "$run/meta.json" >/dev/null 2>&1 || { bad=$((bad + 1)); echo "# round $round: meta.json is not whole JSON"; }
	[ "$(jq '[.cases[].spec] | length' "$run/meta.json")" = 6 ] &&
	[ "$(jq '[.cases[].spec] | unique | length' "$run/meta.json")" = 6 ] ||
		{ bad=$((bad + 1)); echo "# round $round: cases duplicated or lost in meta.json"; }
	for f in $(jq -r '.cases[] | select(.done) | .file' "$run/meta.json"); do
		if [ ! -f "$run/$f.json" ] || [ ! -f "$run/$f.samples" ]; then
			bad=$((bad + 1)); echo "# round $round: $f marked done without its files"; continue
		fi
		sum=$(cat "$run/$f.json" "$run/$f.samples" | sha256sum)
		if [ -z "${seen[$f]:-}" ]; then seen[$f]=$sum
		elif [ "${seen[$f]}" != "$sum" ]; then bad=$((bad + 1)); echo "# round $round: $f changed after it was done"; fi
	done
	[ "$(jq '[.cases[] | select(.done)] | length' "$run/meta.json")" = 6 ] && break
done
echo "# $survived kills survived in $round rounds"
check "the run was killed $kills times and still finished" bash -c "[ $survived = $kills ] && [ \$(jq '[.cases[] | select(.done)] | length' $run/meta.json) = 6 ]"
check "no kill left a broken meta.json, a lost or duplicated case, or a redone case" [ $bad = 0 ]
check "every completed case was kept from its first sight to the end ($(echo ${!seen[@]} | wc -w) cases)" [ "$(echo ${!seen[@]} | wc -w)" = 6 ]
check "no temp files left beside the results" bash -c "[ -z \"\$(ls $run | grep -v -e '^[0-9][0-9]-' -e '^meta.json\$')\" ]"
check "the finished run validates" "$LMB" check "$run"
