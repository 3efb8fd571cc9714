#!/bin/bash
# tests/lava/nightly.t: the nightly chain through a real LAVA dispatcher
# (lava-run, Debian's lava-dispatcher) and LAVA's qemu device type:
# `scripts/lava/nightly lab-smoke` twice into one history (the run comes
# back through fetch-results, is ingested, the dashboard shows two runs and
# loads in chromium; the second chain with a costs job whose two runs make
# an emulated cost file that compare --predict reads), then a guest that panics and an artifact that is
# missing, each a failed job with a one-line reason, before a job that
# passes.  Needs root, lava-run and the lab's tools; the first run builds
# the stock guest kernel (BASE=allnoconfig FRAGMENT=lab+lava, minutes).
# Without them it is one SKIP line naming the command that runs it.
. "$(dirname "$0")/../lib.sh"
run="sudo scripts/install-deps --lava && sudo make test"
if ! command -v lava-run > /dev/null; then
	echo "1..0 # SKIP lava-run (LAVA's dispatcher) not installed: $run"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP lava-run runs as root only: $run"
	exit 0
fi
if ! command -v qemu-system-aarch64 > /dev/null || ! command -v aarch64-linux-gnu-gcc > /dev/null && [ "$(uname -m)" != aarch64 ]; then
	echo "1..0 # SKIP qemu-system-aarch64 or the aarch64 compiler missing: $run"
	exit 0
fi
plan 19

# --- the chain, twice, into one history -------------------------------------------
N="--db $TMP/h.db --dashboard $TMP/dash --machine t-qemu"
scripts/lava/nightly lab-smoke --out "$TMP/n1" $N > "$TMP/n1.log" 2>&1
rc=$?
sed 's/^/# /' "$TMP/n1.log"
check "nightly lab-smoke: exit 0" [ "$rc" = 0 ]
check "progress: one line per job with its verdict and wall time, and the chain's" \
	bash -c "grep -qE '^dispatch: \[1/1\] 01-stock-none-none-r1: pass, [0-9]+ (s|min)' $TMP/n1.log && grep -qE '^nightly: 1 of 1 job\(s\) passed in [0-9]' $TMP/n1.log"
run1=$(ls -d "$TMP"/n1/runs/*/*/ 2>/dev/null | head -n1)
check "the run came back from the job log and passes check" "$LMB" check "${run1:-/nonexistent}"
# fetch-results checked the archive's size and sha256 against the guest's
# BEGIN line; check that the line is there and the run is the guest's.
{ grep -qE 'LMB-RESULTS-BEGIN 01-stock-none-none-r1 size=[0-9]+ sha256=[0-9a-f]{64}' "$TMP/n1/lava/01-stock-none-none-r1/log.yaml" &&
  [ "$(jq -r .system.machine "$run1/meta.json")" = aarch64 ] &&
  jq -r .system.release "$run1/meta.json" | grep -q 'lmb-stock-nodpa$'; }
verdict "the run was made in the guest (aarch64, the lab+lava stock kernel) and sent with its sha256"
check "the job's LAVA test cases: lmb-download, lmb-cmdline, lmb-insmod, lmb-run pass" bash -c \
	"for c in lmb-download lmb-cmdline lmb-insmod lmb-run; do grep -q \"\\\"case\\\": \\\"\$c\\\", \\\"definition\\\": \\\"0_lazymmu-bench\\\".*\\\"result\\\": \\\"pass\\\"\" $TMP/n1/lava/01-stock-none-none-r1/log.yaml || exit 1; done"
check "LAVA added the kernel's modules (test_vmalloc, the modload payload) to the ramdisk" \
	grep -q 'ramdisk.modules: untar' "$TMP/n1/lava/01-stock-none-none-r1/log.yaml"
check "the artifacts served to the job are removed at the end" [ ! -e "$TMP/n1/artifacts" ]
scripts/lava/nightly lab-smoke --costs 2 --out "$TMP/n2" $N > "$TMP/n2.log" 2>&1
rc=$?
sed 's/^/# /' "$TMP/n2.log"
check "nightly again, with --costs 2: exit 0, two jobs" \
	bash -c "[ $rc = 0 ] && grep -qE '^dispatch: \[2/2\] 02-costs-stock-none: pass, ' $TMP/n2.log"
C=$TMP/n2/costs.json
{ [ "$(ls -d "$TMP"/n2/runs/02-costs-stock-none/*/ | wc -l)" = 2 ] &&
  jq -e '.label == "emulated" and (.cpu | startswith("MIDR ")) and (.kernel | endswith("lmb-stock-nodpa")) and
	(.kinds | keys | length) == 8 and (.kinds["tlbi vale1is"].ns > 0) and (.kinds["dsb ishst"].runs == 2)' "$C" > /dev/null; }
verdict "the costs job: its 2 runs came back, and OUT/costs.json is an emulated cost file with all 8 kinds, the TLBIs too"
tar -xJf results/reference/run.tar.xz -C "$TMP"
R=$(ls -d "$TMP"/*-lab-reference/ | head -n1)
"$LMB" compare --baseline stock-on --predict "$C" "$R/stock-on" "$R/permissive-nesting-on" > "$TMP/p.txt" 2> "$TMP/err"
check "compare --predict reads it: predicted from counts x its CPU's costs, labelled emulated" bash -c \
	"grep -q '^predicted from counts x MIDR .* costs\$' $TMP/p.txt && grep -q '^(emulated cost file $C, kernel ' $TMP/p.txt"
"$LMB" history query "$TMP/h.db" --machine t-qemu > "$TMP/q.tsv" 2> "$TMP/err"
# the smoke runs: those without the costs profile's barrier storm
awk -F'\t' 'NR == FNR { if ($4 ~ /^barrier /) c[$3] = 1; next } !($3 in c)' "$TMP/q.tsv" "$TMP/q.tsv" > "$TMP/qs.tsv"
{ [ "$(tail -n +2 "$TMP/qs.tsv" | cut -f3 | sort -u | wc -l)" = 2 ] &&
  [ "$(tail -n +2 "$TMP/q.tsv" | cut -f2 | sort -u)" = "t-qemu/$(jq -r .system.release "$run1/meta.json")/none" ]; }
verdict "history: two runs of the smoke cases in the one cell, as machine t-qemu"
check "history: the costs runs too, as runs of that cell (the barrier storm's series)" \
	[ "$(grep $'\tbarrier ' "$TMP/q.tsv" | cut -f3 | sort -u | wc -l)" = 2 ]
check "the dashboard shows the cell's series with both runs" bash -c \
	"grep -q 't-qemu/' $TMP/dash/index.html && ls $TMP/dash/*.png > /dev/null && grep -qE '>2<|2 runs' $TMP/dash/index.html"
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$browser" ]; then
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
		--disable-background-networking --disable-component-update --disable-sync --no-first-run \
		--user-data-dir="$TMP/chr-profile" --screenshot="$TMP/shot.png" --window-size=1200,900 \
		"file://$TMP/dash/index.html" > /dev/null 2> "$TMP/chr"
	check "chromium loads the nightly dashboard without console messages" bash -c "[ -s $TMP/shot.png ] && ! grep -q 'CONSOLE' $TMP/chr"
else
	skip "chromium not installed (.ci/run installs it)"
fi

# --- a guest that panics, an artifact that is missing, then a good job -------------
# Three rounds of the smoke cell: round 1's kernel cannot find an init and
# panics, round 2's kernel URL names no file, round 3 is left as made.
printf 'profile smoke\nsmp 2\nmem 1G\nrounds 3\ncell stock none\n' > "$TMP/three.matrix"
BASE=allnoconfig FRAGMENT=lab+lava scripts/lava/stage --rootfs build/nightly/rootfs.cpio.gz "$TMP/art" > /dev/null 2>&1
scripts/lava/serve "$TMP/art" bash -c '
	scripts/lava/jobs "$1/three.matrix" --device-type qemu --boot-method qemu --timeout 10 \
		--artifacts "http://127.0.0.1:$LMB_PORT" --guest-artifacts "http://10.0.2.2:$LMB_PORT" --out "$1/fj" 2>/dev/null || exit 3
	sed -i "s|ip=dhcp|ip=dhcp rdinit=/no-such-init|" "$1"/fj/01-*.yaml
	sed -i "s|/stock/nodpa/Image|/stock/nodpa/No-such-Image|" "$1"/fj/02-*.yaml
	scripts/lava/dispatch "$1/fj" "$1/fd"' _ "$TMP" > "$TMP/fd.log" 2>&1
rc=$?
sed 's/^/# /' "$TMP/fd.log"
check "dispatch: exit 1 when a job failed, after running all three" \
	bash -c "[ $rc = 1 ] && [ \$(tail -n +2 $TMP/fd/summary.tsv | wc -l) = 3 ]"
line=$(grep '\[1/3\]' "$TMP/fd.log")
check "the guest that panics: a failed job, one line with the panic and its log" bash -c \
	"[[ '$line' == *'FAIL'*'anic'*'(log: $TMP/fd/lava/01-'* ]]"
line=$(grep '\[2/3\]' "$TMP/fd.log")
check "the missing artifact: a failed job, one line naming the download and its log" bash -c \
	"[[ '$line' == *'FAIL'*'No-such-Image'*'(log: $TMP/fd/lava/02-'* ]]"
check "the chain goes on: the third job passes and its run comes back" bash -c \
	"grep -qE '^dispatch: \[3/3\] 03-stock-none-none-r3: pass' $TMP/fd.log && $LMB check $TMP/fd/runs/*/*/"
check "no dispatcher scratch is left behind" bash -c "! ls -d /var/lib/lava/dispatcher/tmp/lmb-* 2>/dev/null | grep -q ."
