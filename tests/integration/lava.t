#!/bin/bash
# LAVA jobs (scripts/lava/): every job generated for the server matrix, for
# every boot method, passes LAVA's own job schema (Debian's lava-common,
# strict); the jobs come in interleaved order with the right kernel and
# arguments per cell; bad input is refused whole; and a run directory goes
# through the job's own test shell code, a LAVA job log and fetch-results
# and comes back byte for byte.  Without lava-common the schema checks FAIL:
# CI installs it.
. "$(dirname "$0")/../lib.sh"
plan 62
# Debian's python, where lava-common and python3-yaml are installed (a
# python3 earlier in PATH may be another one).
PY=/usr/bin/python3
J=scripts/lava/jobs VAL=scripts/lava/validate F=scripts/lava/fetch-results
ART=https://artifacts.example/lmb
[ -x "$LMB" ] || make >/dev/null 2>&1

# q FILE EXPR: a Python expression over the job `j`, printed.
cat > "$TMP/q.py" <<'EOF'
import sys, yaml
j = yaml.safe_load(open(sys.argv[1]))
v = eval(sys.argv[2])
print("\n".join(map(str, v)) if isinstance(v, list) else v)
EOF
q() { "$PY" "$TMP/q.py" "$@"; }
steps='j["actions"][2]["test"]["definitions"][0]["repository"]["run"]["steps"]'
mk() { printf "$2" > "$TMP/$1.matrix"; echo "$TMP/$1.matrix"; }

check "lava_common is importable (apt-get install lava-common)" "$PY" -c 'import lava_common.schemas, lava_common.compat'

# --- the server matrix, every boot method ------------------------------------
ncells=$(grep -c '^cell ' configs/matrix/server-main.matrix)
nrounds=$(awk '$1 == "rounds" { print $2 }' configs/matrix/server-main.matrix)
nnoise=$(awk '$1 == "neighbour" { print NF - 1 }' configs/matrix/server-main.matrix)
want=$((ncells * ${nrounds:-1} * ${nnoise:-1}))
for m in qemu u-boot grub uefi; do
	check "jobs: server-main for $m" "$J" server-main --device-type dt-$m --artifacts "$ART" \
		--boot-method "$m" --out "$TMP/j-$m"
	"$VAL" "$TMP/j-$m"/*.yaml > "$TMP/val-$m" 2>&1
	rc=$?
	n=$(grep -c '^ok ' "$TMP/val-$m")
	if [ "$rc" = 0 ] && [ "$n" = "$want" ]; then
		ok "validate: all $want $m jobs pass LAVA's strict job schema"
	else
		not_ok "validate: all $want $m jobs pass LAVA's strict job schema" "exit $rc, $n ok: $(grep -v '^ok ' "$TMP/val-$m" | head -n 3)"
	fi
done
got=$(ls "$TMP/j-qemu"/*.yaml | wc -l)
check "cells x rounds x noise = $ncells x ${nrounds:-1} x ${nnoise:-1} = $want jobs, as many index.tsv rows" \
	[ "$got" = "$want" -a "$(tail -n +2 "$TMP/j-qemu/index.tsv" | wc -l)" = "$want" ]
# round 1 of every cell, then round 2, ...: as the matrix lists the cells
mapfile -t cl < <(awk '$1 == "cell" { print $2 "-" $3 }' configs/matrix/server-main.matrix)
exp= i=0
for ((r = 1; r <= ${nrounds:-1}; r++)); do
	for c in "${cl[@]}"; do
		i=$((i + 1))
		exp+=$(printf '%02d-%s-none-r%d.yaml' "$i" "$c" "$r")$'\n'
	done
done
check "submission order interleaved (round 1 of every cell, then round 2, ...)" \
	[ "$exp" = "$(tail -n +2 "$TMP/j-qemu/index.tsv" | cut -f1)"$'\n' -a "$exp" = "$(cd "$TMP/j-qemu" && ls *.yaml)"$'\n' ]

# --- kernel and arguments per DEBUG_PAGEALLOC state ----------------------------
m3=$(mk three 'profile quick\ncell stock none\ncell stock off\ncell stock on\n')
"$J" "$m3" --device-type qemu --artifacts "$ART" --boot-method qemu --out "$TMP/k-qemu" 2>/dev/null
"$J" "$m3" --device-type board --artifacts "$ART/" --boot-method u-boot --out "$TMP/k-uboot" 2>/dev/null
got=$(for f in "$TMP"/k-qemu/*.yaml; do q "$f" 'j["actions"][0]["deploy"]["images"]["kernel"]["url"] + " " + j["actions"][0]["deploy"]["images"]["kernel"]["image_arg"]'; done)
exp="$ART/stock/nodpa/Image -kernel {kernel} -append \"console=ttyAMA0,115200 ip=dhcp\"
$ART/stock/dpa/Image -kernel {kernel} -append \"console=ttyAMA0,115200 ip=dhcp debug_pagealloc=off\"
$ART/stock/dpa/Image -kernel {kernel} -append \"console=ttyAMA0,115200 ip=dhcp debug_pagealloc=on\""
check "qemu: none boots the nodpa kernel with no argument, off/on the dpa kernel with debug_pagealloc=off/on" [ "$got" = "$exp" ]
got=$(q "$TMP/k-qemu/01-stock-none-none-r1.yaml" 'repr(j["actions"][0]["deploy"]["images"]["ramdisk"]) + " " + repr(j["context"])')
exp="{'image_arg': '-initrd {ramdisk}', 'url': '$ART/rootfs.cpio.gz', 'compression': 'gz', 'format': 'cpio.newc', 'overlays': {'lava': True, 'modules': {'url': '$ART/stock/nodpa/modules.tar.xz', 'compression': 'xz', 'format': 'tar', 'path': '/'}}} {'arch': 'arm64', 'cpu': 'max', 'machine': 'virt', 'memory': 2048, 'extra_options': ['-smp 2', '-no-reboot']}"
check "qemu: a ramdisk LAVA adds its overlay and the cell kernel's modules to (no guestfs), context arm64/max/virt, 2048M, -smp 2, -no-reboot" [ "$got" = "$exp" ]
m1=$(mk smpmem 'profile smoke\nsmp 4\nmem 1G\ncell stock none\n')
"$J" "$m1" --device-type qemu --artifacts "$ART" --guest-artifacts http://10.0.2.2:8080/a --boot-method qemu --out "$TMP/g-qemu" 2>/dev/null
got=$(q "$TMP/g-qemu/01-stock-none-none-r1.yaml" 'str(j["context"]["memory"]) + " " + " ".join(j["context"]["extra_options"]) + " " + j["actions"][0]["deploy"]["images"]["kernel"]["url"] + " " + '"$steps"'[-1]')
check "qemu: the matrix's smp and mem; the guest downloads from --guest-artifacts, the dispatcher from --artifacts" \
	[ "$got" = "1024 -smp 4 -no-reboot $ART/stock/nodpa/Image sh lmb-guest.sh run 01-stock-none-none-r1 http://10.0.2.2:8080/a/lazymmu-bench-aarch64.tar.gz http://10.0.2.2:8080/a/stock/nodpa/lazymmu_bench.ko smoke none none" ]
got=$(for f in "$TMP"/k-uboot/*.yaml; do q "$f" 'j["actions"][0]["deploy"]["kernel"]["url"] + " " + j["actions"][0]["deploy"]["modules"]["url"] + " " + j.get("context", {}).get("extra_kernel_args", "-")'; done)
exp="$ART/stock/nodpa/Image $ART/stock/nodpa/modules.tar.xz -
$ART/stock/dpa/Image $ART/stock/dpa/modules.tar.xz debug_pagealloc=off
$ART/stock/dpa/Image $ART/stock/dpa/modules.tar.xz debug_pagealloc=on"
check "u-boot: kernel and modules per state, extra_kernel_args only for off/on" [ "$got" = "$exp" ]
got=$(for f in "$TMP"/k-uboot/*.yaml; do q "$f" "$steps"'[-1]'; done)
exp="sh lmb-guest.sh run 01-stock-none-none-r1 $ART/lazymmu-bench-aarch64.tar.gz $ART/stock/nodpa/lazymmu_bench.ko quick none none
sh lmb-guest.sh run 02-stock-off-none-r1 $ART/lazymmu-bench-aarch64.tar.gz $ART/stock/dpa/lazymmu_bench.ko quick none off
sh lmb-guest.sh run 03-stock-on-none-r1 $ART/lazymmu-bench-aarch64.tar.gz $ART/stock/dpa/lazymmu_bench.ko quick none on"
check "the test shell fetches the bundle and the module built for the cell's kernel" [ "$got" = "$exp" ]
got=$(q "$TMP/k-qemu/03-stock-on-none-r1.yaml" '" ".join(j["metadata"][k] for k in ("lmb.matrix", "lmb.variant", "lmb.dpa", "lmb.neighbour", "lmb.round", "lmb.profile", "lmb.tool"))')
check "metadata: matrix, variant, dpa, noise, round, profile, git describe" \
	[ "$got" = "three stock on none 1 quick $(git describe --always --dirty 2>/dev/null || echo unknown)" ]

# --- other matrices and options ----------------------------------------------------
check "lab-main: its 6 cells give 6 jobs" bash -c \
	"$J lab-main --device-type d --artifacts $ART --out $TMP/lab 2>/dev/null && [ \$(ls $TMP/lab/*.yaml | wc -l) = 6 ]"
check "--rounds overrides the matrix's rounds" bash -c \
	"$J server-main --device-type d --artifacts $ART --rounds 1 --out $TMP/r1 2>/dev/null && [ \$(ls $TMP/r1/*.yaml | wc -l) = $ncells ]"
nz=$(ls configs/neighbour/*.conf 2>/dev/null | head -n 1)
if [ -n "$nz" ]; then
	nz=$(basename "$nz" .conf)
	mn=$(mk noise "rounds 2\nnoise none $nz\ncell stock off\ncell stock on\n")
	"$J" "$mn" --device-type d --artifacts "$ART" --out "$TMP/nz" 2>/dev/null
	check "noise: each round runs every cell under each noise in turn" [ "$(ls "$TMP/nz")" = "01-stock-off-none-r1.yaml
02-stock-on-none-r1.yaml
03-stock-off-$nz-r1.yaml
04-stock-on-$nz-r1.yaml
05-stock-off-none-r2.yaml
06-stock-on-none-r2.yaml
07-stock-off-$nz-r2.yaml
08-stock-on-$nz-r2.yaml
index.tsv" ]
else
	skip "noise: no configs/noise/*.conf to try"
fi

# --- the costs job (--costs RUNS) ---------------------------------------------------
"$J" "$m3" --device-type qemu --artifacts "$ART" --boot-method qemu --costs 3 --out "$TMP/c-qemu" 2>/dev/null
"$J" server-main --device-type board --artifacts "$ART" --boot-method u-boot --costs 5 --out "$TMP/c-uboot" 2>/dev/null
"$VAL" "$TMP"/c-qemu/*.yaml "$TMP"/c-uboot/*-costs-*.yaml > "$TMP/val-c" 2>&1
check "--costs: one job more, last, named NN-costs-VARIANT-DPA, kind costs in index.tsv; qemu and u-boot pass LAVA's schema" \
	bash -c "[ \"\$(tail -n +2 $TMP/c-qemu/index.tsv | cut -f1,7 | tail -n 2)\" = \"03-stock-on-none-r1.yaml	cell
04-costs-stock-none.yaml	costs\" ] && [ \$(grep -c '^ok ' $TMP/val-c) = 5 ]"
got=$(q "$TMP/c-qemu/04-costs-stock-none.yaml" '" ".join(j["metadata"][k] for k in ("lmb.kind", "lmb.profile", "lmb.runs", "lmb.kernel")) + " " + j["actions"][0]["deploy"]["images"]["kernel"]["image_arg"] + " " + '"$steps"'[-1]')
check "the costs job: N runs of the costs profile on the first cell without DEBUG_PAGEALLOC, with its module" \
	[ "$got" = "costs costs 3 stock/nodpa -kernel {kernel} -append \"console=ttyAMA0,115200 ip=dhcp\" sh lmb-guest.sh costs 04-costs-stock-none $ART/lazymmu-bench-aarch64.tar.gz $ART/stock/nodpa/lazymmu_bench.ko 3 none" ]
m_on=$(mk onlyon 'cell permissive-nesting on\ncell stock on\n')
"$J" "$m_on" --device-type d --artifacts "$ART" --costs 1 --out "$TMP/c-on" 2>/dev/null
check "a matrix without a none cell: the costs job boots the first cell's kernel and arguments" \
	[ "$(q "$TMP/c-on/03-costs-permissive-nesting-on.yaml" 'j["context"]["extra_kernel_args"] + " " + j["actions"][0]["deploy"]["kernel"]["url"]')" = "debug_pagealloc=on $ART/permissive-nesting/dpa/Image" ]

# --- the validator can fail ------------------------------------------------------
good=$TMP/j-qemu/01-stock-off-none-r1.yaml
sed 's/^visibility: public/visibility: everyone/' "$good" > "$TMP/bad-visibility.yaml"
"$VAL" "$good" "$TMP/bad-visibility.yaml" > "$TMP/v.out" 2>&1
rc=$?
check "validate: a broken field is rejected (exit 1, 'FILE: visibility: ...'), the good job still ok" \
	[ "$rc" = 1 -a "$(grep -c "^ok $good\$" "$TMP/v.out")" = 1 -a "$(grep -c "^$TMP/bad-visibility.yaml: visibility: " "$TMP/v.out")" = 1 ]
sed 's/^    media: tmpfs/    media: tmpfs\n    colour: blue/' "$good" > "$TMP/bad-key.yaml"
"$VAL" "$TMP/bad-key.yaml" > "$TMP/v.out" 2>&1
rc=$?
check "validate: strict: a key LAVA does not know is rejected" bash -c "[ $rc = 1 ] && grep -q 'colour: extra keys not allowed' $TMP/v.out"

# --- bad input: exit 2, one line, nothing left behind -------------------------------
mkdir -p "$TMP/exists" && echo keep > "$TMP/exists/f"
m_var=$(mk variant 'cell stock on\ncell nosuch off\n')
m_dpa=$(mk dpa 'cell stock sideways\n')
m_twice=$(mk twice 'cell stock on\ncell stock on\n')
m_dir=$(mk dir 'profile quick\ncolour blue\ncell stock on\n')
m_noise=$(mk badnoise 'noise none nosuch\ncell stock on\n')
common="--device-type d --artifacts $ART"
# "description|command|text expected in the error"
cases=(
	"unknown matrix name, the known ones listed|$J nosuch $common --out $TMP/bo|unknown matrix 'nosuch' .*known: .*server-main"
	"unknown variant, file and line named|$J $m_var $common --out $TMP/bo|variant.matrix:2: unknown variant 'nosuch'"
	"a bad DEBUG_PAGEALLOC state|$J $m_dpa $common --out $TMP/bo|dpa.matrix:1: DEBUG_PAGEALLOC state must be none, off or on, not 'sideways'"
	"a cell listed twice|$J $m_twice $common --out $TMP/bo|twice.matrix:2: cell 'stock on' listed twice"
	"an unknown directive|$J $m_dir $common --out $TMP/bo|dir.matrix:2: unknown directive 'colour'"
	"an unknown neighbour load|$J $m_noise $common --out $TMP/bo|badnoise.matrix:1: unknown neighbour load 'nosuch'"
	"--device-type missing|$J server-main --artifacts $ART --out $TMP/bo|--device-type, --artifacts and --out are required"
	"an existing, non-empty out directory|$J server-main $common --out $TMP/exists|exists/? exists and is not an empty directory"
	"an unknown boot method|$J server-main $common --boot-method pxe --out $TMP/bo|--boot-method must be u-boot, grub, uefi or qemu, not 'pxe'"
	"a bad priority|$J server-main $common --priority urgent --out $TMP/bo|--priority must be"
	"a URL with shell characters|$J server-main --device-type d --artifacts 'http://x/\$(reboot)' --out $TMP/bo|a URL without blanks"
	"a rootfs that is not a ramdisk|$J server-main $common --rootfs http://x/rootfs.ext4.gz --out $TMP/bo|--rootfs 'http://x/rootfs.ext4.gz': a ramdisk, a newc cpio"
	"a guest URL with shell characters|$J server-main $common --guest-artifacts 'http://x/;reboot' --out $TMP/bo|a URL without blanks"
	"a number of cost runs that is not one|$J server-main $common --costs many --out $TMP/bo|--costs must be a number of runs \\(0..99\\), not 'many'"
)
for c in "${cases[@]}"; do
	IFS='|' read -r desc cmd wanted <<< "$c"
	refused "jobs: $desc" "$cmd" "$wanted"
done
check "jobs: nothing left behind by bad input (no out dir, no temp dir, the existing dir untouched)" \
	bash -c "[ ! -e $TMP/bo ] && [ -z \"\$(ls -A $TMP | grep '^\\.jobs')\" ] && [ \"\$(ls -A $TMP/exists)\" = f ]"

# --- results: the job's own code, a LAVA log, fetch-results -------------------------
"$LMB" run --case 'mprotect size=4K' --iterations 20 --warmup 1 --pmu none --out "$TMP/r" --quiet > "$TMP/run.out" 2>/dev/null
run=$(tail -n 1 "$TMP/run.out")
check "a real run to send back" [ -f "$run/meta.json" ]
# The test shell as the job carries it: the here-document in its steps.
q "$good" "$steps" > "$TMP/steps"
sed -n "/^cat > lmb-guest.sh << 'LMB_GUEST_EOF'\$/,/^LMB_GUEST_EOF\$/p" "$TMP/steps" | sed '1d;$d' > "$TMP/guest.sh"
check "the job carries scripts/lava/guest.sh (comments aside) as a here-document" \
	[ -s "$TMP/guest.sh" -a "$(grep -Ev '^[[:space:]]*(#.*)?$' scripts/lava/guest.sh)" = "$(cat "$TMP/guest.sh")" ]
sh "$TMP/guest.sh" emit 01-stock-off-none-r1 "$run" > "$TMP/emit.out" 2>"$TMP/emit.err"
check "the job's code prints the run between LMB-RESULTS-BEGIN/END" \
	[ "$(head -n 1 "$TMP/emit.out" | cut -d' ' -f1,2)" = "LMB-RESULTS-BEGIN 01-stock-off-none-r1" -a "$(tail -n 1 "$TMP/emit.out")" = "LMB-RESULTS-END 01-stock-off-none-r1" ]
# mklog OUT EMIT MODE: a LAVA job log (LAVA's YAML dumper, with the
# arguments of lava_common.log.dump) around the emitted lines: the shell's
# trace of a marker, a kernel message inside the base64, a line split in
# two.  MODE: full, truncated (the end lost), corrupt (a line lost).
cat > "$TMP/mklog.py" <<'EOF'
import sys
from lava_common.compat import yaml_dump
out, emitted, mode = sys.argv[1:4]
def dump(lvl, msg):
    d = {"dt": "2026-11-30T10:00:00.000000", "lvl": lvl, "msg": msg}
    return "- " + yaml_dump(d, default_flow_style=True, default_style='"', width=10**6)[:-1] + "\n"
lines = open(emitted).read().splitlines()
log = [dump("info", "start: 3.1 lava-test-shell"),
       dump("target", "+ echo 'LMB-RESULTS-BEGIN 01-stock-off-none-r1 size=1 sha256=" + "0" * 64 + "'"),
       dump("target", "+ sh lmb-guest.sh run 01-stock-off-none-r1 ...")]
if mode == "truncated":
    lines = lines[: len(lines) // 2]
if mode == "corrupt":
    del lines[2]
for i, l in enumerate(lines):
    if i == 2 and len(l) > 10:
        log += [dump("target", l[:10]), dump("target", l[10:])]
    else:
        log.append(dump("target", l))
    if i == 3:
        log.append(dump("target", "[   42.000001] random: crng reseeded"))
log.append(dump("results", {"case": "lmb-run", "definition": "0_lazymmu-bench", "result": "pass"}))
open(out, "w").write("".join(log))
EOF
for mode in full truncated corrupt; do
	"$PY" "$TMP/mklog.py" "$TMP/log-$mode.yaml" "$TMP/emit.out" "$mode"
done
"$F" "$TMP/log-full.yaml" "$TMP/got" > "$TMP/fetch.out" 2>"$TMP/fetch.err"
check "fetch-results: exit 0, names the run it recovered" \
	[ "$(cat "$TMP/fetch.out")" = "01-stock-off-none-r1	$TMP/got/$(basename "$run")" ]
check "fetch-results: lazymmu-bench check accepts the recovered run" "$LMB" check "$TMP/got/$(basename "$run")"
check "fetch-results: samples, case and meta.json byte-identical" diff -r "$run" "$TMP/got/$(basename "$run")"
# The job's report step: one lava-test-case per case, the median in ns.
mkdir -p "$TMP/bin"
printf '#!/bin/sh\necho "$*" >> %s/cases\n' "$TMP" > "$TMP/bin/lava-test-case"
chmod +x "$TMP/bin/lava-test-case"
LMB_BIN=$LMB PATH=$TMP/bin:$PATH sh "$TMP/guest.sh" report "$run"
p50=$(jq -r '.latency_ns.op_ns.p50' "$run/00-mprotect.json")
got=$(cat "$TMP/cases" 2>/dev/null)
check "report: lava-test-case mprotect_size-4K_thp-0 pass, measurement = the JSON's op_ns p50, in ns" \
	awk -v g="$got" -v p="$p50" 'BEGIN { n = split(g, a, " "); exit !(n == 7 && a[1] == "mprotect_size-4K_thp-0" && a[3] == "pass" && a[4] == "--measurement" && a[5] + 0 == p + 0 && a[7] == "ns") }'
badf() { # badf DESC WANTED LOG OUT
	"$F" "$3" "$4" > /dev/null 2>"$TMP/err"
	local rc=$?
	if [ "$rc" = 2 ] && [ "$(wc -l < "$TMP/err")" = 1 ] && grep -qE -- "$2" "$TMP/err" && [ ! -e "$4" -o "$4" = "$TMP/got" ] &&
		[ -z "$(ls -A "$TMP" | grep '^\.fetch-results')" ]; then
		ok "fetch-results: $1"
	else
		not_ok "fetch-results: $1" "exit $rc, stderr: $(head -c 300 "$TMP/err")"
	fi
}
badf "a truncated log: one line, exit 2, no OUTDIR" "01-stock-off-none-r1: truncated \(LMB-RESULTS-BEGIN without LMB-RESULTS-END\)" "$TMP/log-truncated.yaml" "$TMP/got2"
badf "a base64 line lost: caught by the size and digest" "01-stock-off-none-r1: truncated or corrupt" "$TMP/log-corrupt.yaml" "$TMP/got2"
"$PY" "$TMP/mklog.py" "$TMP/log-none.yaml" /dev/null full
badf "a log without markers" "no LMB-RESULTS-BEGIN marker" "$TMP/log-none.yaml" "$TMP/got2"
mkdir -p "$TMP/notrun/x" && echo hi > "$TMP/notrun/x/hello"
sh "$TMP/guest.sh" emit 01-x "$TMP/notrun/x" > "$TMP/emit-x.out"
"$PY" "$TMP/mklog.py" "$TMP/log-x.yaml" "$TMP/emit-x.out" full
badf "an archive that is not a run directory" "01-x: not a run directory \(no x/meta.json\)" "$TMP/log-x.yaml" "$TMP/got2"
badf "an existing, non-empty OUTDIR" "exists and is not an empty directory" "$TMP/log-full.yaml" "$TMP/got"
sh "$TMP/guest.sh" emit $'01-\e[31mx' "$run" > "$TMP/emit-esc.out"
"$PY" "$TMP/mklog.py" "$TMP/log-esc.yaml" "$TMP/emit-esc.out" truncated
badf "an escape sequence in a block's name: shown as \\x1b, not sent raw" '^fetch-results: [^'$'\e'']*01-\\x1b\[31mx: truncated' "$TMP/log-esc.yaml" "$TMP/got2"

# --- the job's whole test shell, here: a bundle of the host binary --------------------
# file:// URLs, LMB_TEST=1 (no insmod, no mounts), a one-case profile.
bb=$TMP/bundle/lazymmu-bench-aarch64
mkdir -p "$bb/configs/profiles" "$TMP/up"
cp "$LMB" "$bb/lazymmu-bench"
cp -r configs/pmu configs/noise "$bb/configs/" 2>/dev/null
printf 'set iterations 20\nset warmup 1\nset pmu none\ncase mprotect size=4K\n' > "$bb/configs/profiles/lavatest.conf"
tar -czf "$TMP/lazymmu-bench-aarch64.tar.gz" -C "$TMP/bundle" lazymmu-bench-aarch64
echo 'not a module' > "$TMP/lazymmu_bench.ko"
rm -f "$TMP/cases"
grun() { LMB_TEST=1 LMB_WORK=$TMP/gw LMB_OUT=$TMP/go PATH=$TMP/bin:$PATH sh "$TMP/guest.sh" run "$@"; }
(cd "$TMP" && grun 02-stock-none-none-r1 "file://$TMP/lazymmu-bench-aarch64.tar.gz" "file://$TMP/lazymmu_bench.ko" lavatest none none) > "$TMP/g.out" 2>&1
"$PY" "$TMP/mklog.py" "$TMP/log-g.yaml" "$TMP/g.out" full
"$F" "$TMP/log-g.yaml" "$TMP/got-g" > "$TMP/fetch-g.out" 2>&1
gdir=$(cut -f2 "$TMP/fetch-g.out")
check "guest.sh run: download, run, check, report and markers; fetch-results brings the run back whole" \
	bash -c "grep -qx 'lmb-download --result pass' $TMP/cases && grep -qx 'lmb-run --result pass' $TMP/cases &&
		grep -qx 'lmb-insmod --result skip' $TMP/cases && grep -q '^mprotect_size-4K_thp-0 --result pass --measurement ' $TMP/cases &&
		[ -n '$gdir' ] && $LMB check '$gdir' >/dev/null && diff -r $TMP/go/\$(basename '$gdir') '$gdir'"
rm -f "$TMP/cases"
(cd "$TMP" && grun 02-stock-none-none-r1 "file://$TMP/lazymmu-bench-aarch64.tar.gz" "file://$TMP/lazymmu_bench.ko" lavatest none none "file://$TMP/up/") > "$TMP/u.out" 2>&1
check "guest.sh run --upload: the run goes up as NAME.tar.gz (curl -T), no markers in the log" \
	bash -c "grep -qx 'lmb-upload --result pass' $TMP/cases && ! grep -q LMB-RESULTS-BEGIN $TMP/u.out &&
		tar -tzf $TMP/up/02-stock-none-none-r1.tar.gz | grep -q '/meta.json\$'"
# the costs job's shell: RUNS runs of the costs profile, each sent back
printf 'set iterations 20\nset warmup 1\nset pmu none\ncase barrier insn=none loops=10\n' > "$bb/configs/profiles/costs.conf"
tar -czf "$TMP/lazymmu-bench-aarch64.tar.gz" -C "$TMP/bundle" lazymmu-bench-aarch64
rm -f "$TMP/cases"
(cd "$TMP" && LMB_TEST=1 LMB_WORK=$TMP/gw LMB_OUT=$TMP/go PATH=$TMP/bin:$PATH sh "$TMP/guest.sh" costs 03-costs-stock-none \
	"file://$TMP/lazymmu-bench-aarch64.tar.gz" "file://$TMP/lazymmu_bench.ko" 2 none) > "$TMP/c.out" 2>&1
"$PY" "$TMP/mklog.py" "$TMP/log-c.yaml" "$TMP/c.out" full
"$F" "$TMP/log-c.yaml" "$TMP/got-c" > "$TMP/fetch-c.out" 2>&1
check "guest.sh costs: 2 runs of the costs profile, each checked and sent back as NAME-i; fetch-results brings both" \
	bash -c "grep -qx 'lmb-costs-1 --result pass' $TMP/cases && grep -qx 'lmb-costs-2 --result pass' $TMP/cases &&
		[ \"\$(cut -f1 $TMP/fetch-c.out)\" = \"03-costs-stock-none-1
03-costs-stock-none-2\" ] && for d in \$(cut -f2 $TMP/fetch-c.out); do
		$LMB check \$d > /dev/null && grep -q '\"spec\": *\"barrier insn=none' \$d/meta.json || exit 1; done"

# --- stage -------------------------------------------------------------------------
LMB_BUILD=$TMP/nobuild scripts/lava/stage --dry-run "$TMP/st0" > "$TMP/st.out" 2>&1
rc=$?
check "stage: nothing built: a skip line per kernel, exit 1, nothing written" \
	[ "$rc" = 1 -a "$(grep -c '^stage: skip stock/dpa: no kernel' "$TMP/st.out")" = 1 -a ! -e "$TMP/st0" ]
# a fake server build of stock/dpa: its Makefile's modules_install makes one module
fb=$TMP/fb/kernel/stock/dpa-server-defconfig
mkdir -p "$fb/obj/arch/arm64/boot/dts/vendor" "$fb/kmod" "$TMP/fb/aarch64"
echo image > "$fb/obj/arch/arm64/boot/Image"
echo dtb > "$fb/obj/arch/arm64/boot/dts/vendor/board.dtb"
echo 'CONFIG_ARM64=y' > "$fb/obj/.config"
printf 'modules_install:\n\tmkdir -p $(INSTALL_MOD_PATH)/lib/modules/7.2.0/kernel && echo m > $(INSTALL_MOD_PATH)/lib/modules/7.2.0/kernel/m.ko\n' > "$fb/obj/Makefile"
echo ko > "$fb/kmod/lazymmu_bench.ko"
echo payload > "$fb/kmod/lmb_payload.ko"
{ head -c 18 /dev/zero; printf '\267'; head -c 45 /dev/zero; } > "$TMP/fb/aarch64/lazymmu-bench"
LMB_BUILD=$TMP/fb scripts/lava/stage --dry-run "$TMP/st" > "$TMP/st.out" 2>&1
rc=$?
check "stage --dry-run: says what it would copy, writes nothing" \
	[ "$rc" = 0 -a ! -e "$TMP/st" -a "$(grep -c '^stage: would ' "$TMP/st.out")" = 5 ]
# a module built before its sources changed: older than bench/kmod/, newer than the kernel
touch -d 1999-01-01 "$fb/obj/arch/arm64/boot/Image"
touch -d 2000-01-01 "$fb/kmod/lazymmu_bench.ko"
LMB_BUILD=$TMP/fb scripts/lava/stage --dry-run "$TMP/st" > "$TMP/st-old.out" 2>&1
touch "$fb/obj/arch/arm64/boot/Image" "$fb/kmod/lazymmu_bench.ko"
check "stage: a module older than its sources (bench/kmod/) is built again, not staged stale" \
	grep -q "^stage: would build $fb/kmod/lazymmu_bench.ko" "$TMP/st-old.out"
LMB_BUILD=$TMP/fb scripts/lava/stage "$TMP/st" > "$TMP/st.out" 2>&1
check "stage: the artifact tree (Image, modules.tar.xz with the modload payload in extra/, module, dtbs, bundle with configs)" bash -c "
	cmp -s $TMP/st/stock/dpa/Image $fb/obj/arch/arm64/boot/Image &&
	tar -tJf $TMP/st/stock/dpa/modules.tar.xz > $TMP/mods.lst &&
	grep -qx lib/modules/7.2.0/kernel/m.ko $TMP/mods.lst && grep -qx lib/modules/7.2.0/extra/lmb_payload.ko $TMP/mods.lst &&
	cmp -s $TMP/st/stock/dpa/lazymmu_bench.ko $fb/kmod/lazymmu_bench.ko &&
	[ -f $TMP/st/stock/dpa/dtbs/vendor/board.dtb ] && [ ! -e $TMP/st/stock/nodpa ] &&
	tar -tzf $TMP/st/lazymmu-bench-aarch64.tar.gz > $TMP/bundle.lst &&
	grep -qx lazymmu-bench-aarch64/lazymmu-bench $TMP/bundle.lst &&
	grep -qx lazymmu-bench-aarch64/configs/profiles/quick.conf $TMP/bundle.lst &&
	grep -qx lazymmu-bench-aarch64/configs/pmu/generic.conf $TMP/bundle.lst"
# the lab+lava builds, only the kernels named, and the ramdisk
cp -a "$fb" "$TMP/fb/kernel/stock/dpa-lab+lava-allnoconfig"
cp -a "$fb" "$TMP/fb/kernel/stock/nodpa-lab+lava-allnoconfig"
printf 'ramdisk' | gzip > "$TMP/rd.cpio.gz"
LMB_BUILD=$TMP/fb BASE=allnoconfig FRAGMENT=lab+lava scripts/lava/stage --kernel stock/nodpa --rootfs "$TMP/rd.cpio.gz" "$TMP/st2" > "$TMP/st.out" 2>&1
check "stage BASE=allnoconfig FRAGMENT=lab+lava --kernel stock/nodpa --rootfs: that kernel and the ramdisk only" bash -c "
	[ -f $TMP/st2/stock/nodpa/Image ] && [ ! -e $TMP/st2/stock/dpa ] && cmp -s $TMP/st2/rootfs.cpio.gz $TMP/rd.cpio.gz"
# Every file a job names is where stage put it.
"$J" "$m3" --device-type board --artifacts "file://$TMP/st" --boot-method u-boot --dtb vendor/board.dtb --out "$TMP/k-st" 2>/dev/null
urls=$(q "$TMP/k-st/02-stock-off-none-r1.yaml" '[j["actions"][0]["deploy"][k]["url"] for k in ("kernel", "modules", "dtb")] + '"$steps"'[-1].split()[4:6]')
missing=$(for u in $urls; do [ -f "${u#file://}" ] || echo "$u"; done)
check "stage and jobs agree: kernel, modules, dtb, bundle and module URLs of a job all exist" [ -z "$missing" -a -n "$urls" ]
