#!/bin/bash
# scripts/server/kprobes (the TLBI stand-ins) and scripts/server/perf-profile.
# Where this kernel has kprobe events, the probes are added for real,
# counted by the collector in the measured phase, and removed; where it
# has not (this VM), the counters must say how to get them.
. "$(dirname "$0")/../lib.sh"
plan 15
K=scripts/server/kprobes

$K add --dry-run > "$TMP/dry"
check "add --dry-run: one command per probe" [ "$(wc -l < "$TMP/dry")" = 5 ]
if command -v perf > /dev/null; then
	check "add --dry-run: perf probe GROUP:EVENT=FUNC" grep -qx "perf probe -q -a 'lmb:purge_vmap_area_lazy=__purge_vmap_area_lazy'" "$TMP/dry"
else
	check "add --dry-run: kprobe_events" grep -q "p:lmb/purge_vmap_area_lazy __purge_vmap_area_lazy" "$TMP/dry"
fi
check "remove --dry-run: one command per probe" [ "$($K remove --dry-run | wc -l)" = 5 ]
$K frob 2>"$TMP/err"
{ [ $? = 2 ] && one_line; }; verdict "unknown command: exit 2, one line"
setpriv --reuid=65534 --regid=65534 --clear-groups $K add 2>"$TMP/err"
{ [ $? = 2 ] && one_line; }; verdict "add as nobody: exit 2, one line"

tf=/sys/kernel/tracing
if [ -w $tf/kprobe_events ] && [ "$(id -u)" = 0 ]; then
	$K add > /dev/null 2>&1
	check "add: the probes are in place" grep -q "lmb:tlb_finish_mmu (tlb_finish_mmu): present" <($K list)
	check "list says present" grep -q "lmb:change_protection (change_protection): present" <($K list)
	R=$("$LMB" run --case 'mprotect size=4K' --iterations 100 --out "$TMP/r" --quiet | tail -n1)
	check "the collector counts change_protection once per mprotect" jqt "$R/00-mprotect.json" '.counters[] | select(.label == "kp-change-protection") | .phases.measure.count >= 100'
	$K remove
	check "remove: gone" grep -q "lmb:change_protection (change_protection): absent" <($K list)
else
	check "list: absent on this kernel" grep -q "lmb:tlb_finish_mmu (tlb_finish_mmu): absent" <($K list)
	if [ "$(id -u)" = 0 ]; then
		$K add > /dev/null 2>"$TMP/err"
		check "add on a kernel without kprobe events: exit 2" [ $? = 2 ]
	else
		skip "add on a kernel without kprobe events (needs root)"
	fi
	R=$("$LMB" run --case 'mprotect size=4K' --iterations 20 --out "$TMP/r" --quiet | tail -n1)
	check "the kprobe counters are unavailable, never 0" jqt "$R/00-mprotect.json" '[.counters[] | select(.label | startswith("kp-"))] | length == 5 and all(.status != "ok")'
	check "... and say how to get them" jqt "$R/00-mprotect.json" '.counters[] | select(.label == "kp-dup-mmap") | .reason | test("scripts/server/kprobes add")'
fi

# Without tracefs (a mount namespace of this test's own) the kprobe
# counters still say how to get them: mount it, then add the probes.
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	unshare -m sh -c "umount /sys/kernel/tracing 2>/dev/null; umount /sys/kernel/debug/tracing 2>/dev/null
		'$LMB' run --case 'mprotect size=4K' --iterations 20 --out '$TMP/nt' --quiet" > "$TMP/nt.out" 2>&1
	check "without tracefs: the kprobe counters say to mount it, then add them" jqt "$(tail -n1 "$TMP/nt.out")/00-mprotect.json" \
		'[.counters[] | select(.label | startswith("kp-"))] | length == 5 and all(.status != "ok" and (.reason | test("mount -t tracefs.*scripts/server/kprobes add")))'
else
	skip "without tracefs: needs root and unshare -m"
fi

# perf-profile
R=$("$LMB" run --case 'mprotect size=4K' --case 'munmap size=1M' --iterations 20 \
	--pmu none --out "$TMP/p" --quiet | tail -n1)
if perf stat -x, -e cpu-clock true 2>&1 | grep -q '^[0-9]'; then
	scripts/server/perf-profile "$R" --ops 100 > /dev/null 2>"$TMP/err"
	{ [ -s "$R/perf-profile/00-mprotect.data" ] && [ -s "$R/perf-profile/01-munmap.txt" ]; }; verdict "perf-profile: a profile per case, kept with the run"
	check "perf-profile: index names the case, event and samples" grep -qP '^01-munmap\tmunmap size=1M thp=0\t[a-z-]+\t[0-9]' "$R/perf-profile/index.txt"
	check "perf-profile: the munmap profile shows the kernel" grep -q '\[k\]' "$R/perf-profile/01-munmap.txt"
else
	for i in 1 2 3; do skip "perf-profile: perf cannot sample here"; done
fi
scripts/server/perf-profile "$TMP/nowhere" 2>"$TMP/err"
{ [ $? = 2 ] && one_line; }; verdict "perf-profile of no run: exit 2, one line"
cp -r "$R" "$TMP/bad" && rm -rf "$TMP/bad/perf-profile"
jq '.cases[1].spec = "munmap size=1Q"' "$R/meta.json" > "$TMP/bad/meta.json"
scripts/server/perf-profile "$TMP/bad" 2>"$TMP/err"
{ [ $? = 2 ] && one_line && grep -q "size '1Q' does not parse" "$TMP/err" && [ ! -e "$TMP/bad/perf-profile" ]; }
verdict "perf-profile of a run the reader refuses: its one line, exit 2, nothing made"
