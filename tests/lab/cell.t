#!/bin/bash
# run-cell and the lab driver on a canned guest: a real cell's recorded
# output replayed by tests/lab/fake-qemu (no kernel, no emulation), so the
# import, the watchdog and the failure paths are tested everywhere.
. "$(dirname "$0")/../lib.sh"
plan 22
mkdir -p "$TMP/bin" "$TMP/kernel/arch/arm64/boot"
ln -s "$PWD/tests/lab/fake-qemu" "$TMP/bin/qemu-system-aarch64"
export PATH=$TMP/bin:$PATH
K=$TMP/kernel
touch "$K/arch/arm64/boot/Image" "$K/System.map"
echo "# CONFIG_DEBUG_PAGEALLOC is not set" > "$K/.config"
printf -- '--profile\nsmoke\n' > "$TMP/args"
check "mkinitramfs builds an image" scripts/lab/mkinitramfs "$TMP/initramfs" "$TMP/args"
cpio -it --quiet < "$TMP/initramfs" > "$TMP/list" 2>/dev/null
check "it holds init, the bench, its arguments and the profiles" \
	bash -c "grep -qx init $TMP/list && grep -qx bin/lazymmu-bench $TMP/list && grep -qx lab/args $TMP/list && grep -qx configs/profiles/lab.conf $TMP/list"
check "its bench is the guest build, without SQLite" bash -c "
	mkdir $TMP/image && cd $TMP/image && cpio -id --quiet bin/lazymmu-bench < $TMP/initramfs &&
	cmp -s bin/lazymmu-bench $PWD/build/aarch64/lazymmu-bench-guest && ! grep -qi sqlite bin/lazymmu-bench"
scripts/lab/mkinitramfs "$TMP/initramfs2" "$TMP/args"
check "the same inputs give the same image" cmp -s "$TMP/initramfs" "$TMP/initramfs2"
check "mkinitramfs refuses a missing argument file" bash -c "! scripts/lab/mkinitramfs $TMP/x $TMP/nope 2>/dev/null"

cell() { scripts/lab/run-cell --kernel "$K" --initramfs "$TMP/initramfs" --cell variant=canned "$@"; }
FAKE_QEMU=ok cell --dpa none --out "$TMP/ok" 2>"$TMP/err"
check "a good cell exits 0" [ $? = 0 ]
check "its run is imported: backend lab, both calibrations exact" jqt "$TMP/ok/meta.json" \
	'.backend == "lab" and .lab.valid and .calibration.result == "ok" and .calibration.kernel.result == "ok" and .lab.cell.variant == "canned"'
check "cases carry per-op kernel counts (layout 2)" bash -c "
	jq -e '.lab.layout == 2 and .lab.phases.measure.ops == .iterations' $TMP/ok/01-mprotect.json >/dev/null &&
	'$LMB' lab-counts $TMP/ok | awk -F'\t' '\$1 ~ /^mprotect/ && \$2 == \"dsb\" && \$3 > 0 { ok = 1 } END { exit !ok }'"
# The kernel calibration, read back as the reports read a storm: each kind
# per op is rounds x its multiple in bench/kmod/kcalib.h, exactly.
check "lab-counts: kcalib rounds=100 is 100/200/300/400/500/600 per op, classes summed" bash -c "
	'$LMB' lab-counts $TMP/ok | awk -F'\t' '\$1 == \"kcalib rounds=100\" { v[\$2] = \$3 }
		END { exit !(v[\"dsb ish\"] == 100 && v[\"dsb ishst\"] == 200 && v[\"dmb ish\"] == 300 &&
			v[\"dmb ishld\"] == 400 && v[\"isb\"] == 500 && v[\"tlbi vale1is\"] == 600 &&
			v[\"dsb\"] == 300 && v[\"dmb\"] == 700 && v[\"tlbi\"] == 600 && length(v) == 11) }'"
# history keeps the lab's kernel counts, through the same reader
"$LMB" history ingest "$TMP/h.db" "$TMP/ok" 2>/dev/null
dsb=$("$LMB" lab-counts "$TMP/ok" | awk -F'\t' '$1 ~ /^munmap/ && $2 == "dsb" { print $3 }')
check "history ingest stores lab:kernel dsb/dsb ishst/isb/tlbi, dsb as lab-counts reads it ($dsb)" bash -c \
	"[ \"\$(sqlite3 $TMP/h.db \"select count(*) from counters where label = 'lab:kernel dsb' and spec like 'munmap%' and per_op = $dsb\")\" = 1 ] &&
	 [ \"\$(sqlite3 $TMP/h.db \"select count(*) from counters where label like 'lab:kernel %'\")\" = 12 ]"
# a re-import that changed meta.json replaces the run's rows instead of adding a run
jq '.lab.cell.note = "reimported"' "$TMP/ok/meta.json" > "$TMP/m" && cp "$TMP/m" "$TMP/ok/meta.json"
"$LMB" history ingest "$TMP/h.db" "$TMP/ok" 2>"$TMP/err"
check "history: the same run directory with a changed meta.json replaces its rows" bash -c \
	"grep -q '1 replaced' $TMP/err && [ \$(sqlite3 $TMP/h.db 'select count(*) from runs') = 1 ]"
# a cell whose kernel calibration does not match is a failed cell
cp -r "$TMP/ok" "$TMP/badk"
jq '.counts |= map(if .case == 0 and .phase == "measure" and .insn == "isb" then .n *= 2 else . end)' \
	tests/lab/canned/plugin.json > "$TMP/badk.json"
"$LMB" lab-import "$TMP/badk" "$TMP/badk.json" >/dev/null 2>"$TMP/err"
rc=$?
check "a doubled kernel isb fails the kernel calibration: exit 1, the kind named, lab.valid false" bash -c \
	"[ $rc = 1 ] && grep -q 'kernel calibration failed: isb' $TMP/err &&
	 jq -e '.lab.valid == false and .calibration.kernel.result == \"failed\"' $TMP/badk/meta.json >/dev/null"
"$LMB" history ingest "$TMP/h.db" "$TMP/badk" 2>"$TMP/err"
rc=$?
check "history refuses a lab run whose calibration failed, in one line" bash -c \
	"[ $rc = 2 ] && [ \$(wc -l < $TMP/err) = 1 ] && grep -q 'calibration failed' $TMP/err"
check "the run validates" "$LMB" check "$TMP/ok"
check "cell.json says ok" jqt "$TMP/ok/lab/cell.json" '.status == "ok" and .dpa == "none"'

FAKE_QEMU=hang cell --dpa none --out "$TMP/hang" --timeout 2 2>/dev/null
rc=$?
check "a hanging guest is stopped by the watchdog and recorded" \
	bash -c "[ $rc = 1 ] && jq -e '.status == \"timeout\"' $TMP/hang/lab/cell.json >/dev/null"
FAKE_QEMU=panic cell --dpa none --out "$TMP/panic" 2>/dev/null
check "a panic is recorded with its message" jqt "$TMP/panic/lab/cell.json" \
	'.status == "panic" and (.why | test("fake panic"))'
FAKE_QEMU=noresults cell --dpa none --out "$TMP/nores" 2>/dev/null
check "a guest that wrote nothing is recorded" jqt "$TMP/nores/lab/cell.json" '.status == "no-results"'
FAKE_QEMU=crash cell --dpa none --out "$TMP/crash" 2>/dev/null
check "a QEMU failure is recorded" jqt "$TMP/crash/lab/cell.json" '.status == "qemu-failed"'
check "an existing cell directory is not overwritten" bash -c "! FAKE_QEMU=ok scripts/lab/run-cell --kernel $K --initramfs $TMP/initramfs --dpa none --out $TMP/ok 2>/dev/null"
check "dpa=on on a kernel without DEBUG_PAGEALLOC is refused" bash -c "! FAKE_QEMU=ok scripts/lab/run-cell --kernel $K --initramfs $TMP/initramfs --dpa on --out $TMP/on 2>/dev/null"

printf 'profile smoke\ncell stock sideways\n' > "$TMP/bad.matrix"
scripts/lab/lab "$TMP/bad.matrix" --out "$TMP/labs" 2>"$TMP/err"
check "a malformed matrix gets a one-line error naming the line" \
	bash -c "[ $? = 2 ] && grep -q 'bad.matrix:2: DEBUG_PAGEALLOC state must be none, off or on' $TMP/err"
