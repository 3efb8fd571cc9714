#!/bin/bash
# Bad input: one line on stderr, exit status 2, nothing written.
. "$(dirname "$0")/../lib.sh"

# "description|args|expected text in the error"
cases=(
	"unknown storm|--case forkk|unknown storm 'forkk'"
	"unknown storm in --storms|--storms fork,spoon|unknown storm 'spoon'"
	"unknown storm option|--case 'fork colour=1'|unknown option 'colour'"
	"size that does not parse|--case 'munmap size=64Q'|size '64Q' does not parse"
	"size that does not parse (--size)|--size lots|size 'lots' does not parse"
	"size beyond memory|--case 'fork size=512G'|more than 80% of MemAvailable"
	"size beyond the storm's range|--case 'fork size=2T'|out of range"
	"iterations of 0|--iterations 0|iterations must be at least 1"
	"min-time not a number|--min-time soon|min-time"
	"unknown PMU profile|--pmu pentium4|unknown PMU profile 'pentium4'"
	"unknown run profile|--profile nosuch|unknown profile 'nosuch'"
	"unknown option|--frobnicate|bad option '--frobnicate'"
	"cpu not available|--cpu 4000|cpu 4000"
	"stray argument|fork|unexpected argument 'fork'"
	"resume of a missing run|--resume $TMP/none|$TMP/none"
	"an empty profile name|--profile ''|profile: value '' is empty"
	"an empty run to resume|--resume ''|--resume: '' is empty"
	"an empty last storm|--storms 'fork,'|storms: 'fork,' has an empty item"
	"an empty storm between two|--storms 'fork,,munmap'|storms: 'fork,,munmap' has an empty item"
	"an empty control|--tune ',thp'|tune: ',thp' has an empty item"
)
printf '# no events at all\n' >"$TMP/empty-pmu.conf"
cases+=("a PMU profile without events|--pmu $TMP/empty-pmu.conf|empty-pmu.conf: no events (--pmu none runs without counters)")
printf '# a profile with an unknown event spec kind\nevent x bogus:thing\n' >"$TMP/bad-pmu.conf"
cases+=("malformed PMU profile|--pmu $TMP/bad-pmu.conf|bad-pmu.conf:2")
printf 'case fork\nset warmup many\n' >"$TMP/bad-run.conf"
cases+=("malformed run profile|--profile $TMP/bad-run.conf|bad-run.conf:2")
printf 'case mprotect size=4K\nset inject-ns 500\n' >"$TMP/inject.conf"
cases+=("an injected wait in a profile|--profile $TMP/inject.conf|inject.conf:2: inject-ns: only on the command line")
cases+=("an injected wait beyond a second|--inject-ns 2000000000|inject-ns 2000000000 is out of range")

plan $((${#cases[@]} * 2 + 2))
for c in "${cases[@]}"; do
	IFS='|' read -r what args want <<<"$c"
	eval "\"\$LMB\" run --out \"\$TMP/out\" $args" >"$TMP/stdout" 2>"$TMP/stderr"
	rc=$?
	if [ $rc = 2 ] && [ "$(wc -l <"$TMP/stderr")" = 1 ] && grep -qF -- "$want" "$TMP/stderr"; then
		ok "$what: exit 2, one line naming it"
	else
		not_ok "$what: exit 2, one line naming it" "rc=$rc stderr: $(head -c 300 "$TMP/stderr")"
	fi
	check "$what: nothing written" [ ! -e "$TMP/out" ]
done
"$LMB" frob >/dev/null 2>"$TMP/stderr"
check "unknown command: exit 2" [ $? = 2 ]
"$LMB" check "$TMP" >/dev/null 2>"$TMP/stderr"
check "check of a non-run: exit 2 naming meta.json" grep -q "$TMP/meta.json" "$TMP/stderr"
