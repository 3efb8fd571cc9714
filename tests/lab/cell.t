#!/bin/bash
# run-cell and the lab driver on a canned guest: a real cell's recorded
# output replayed by tests/lab/fake-qemu (no kernel, no emulation), so the
# import, the watchdog and the failure paths are tested everywhere.
. "$(dirname "$0")/../lib.sh"
plan 16
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
scripts/lab/mkinitramfs "$TMP/initramfs2" "$TMP/args"
check "the same inputs give the same image" cmp -s "$TMP/initramfs" "$TMP/initramfs2"
check "mkinitramfs refuses a missing argument file" bash -c "! scripts/lab/mkinitramfs $TMP/x $TMP/nope 2>/dev/null"

cell() { scripts/lab/run-cell --kernel "$K" --initramfs "$TMP/initramfs" --cell variant=canned "$@"; }
FAKE_QEMU=ok cell --dpa none --out "$TMP/ok" 2>"$TMP/err"
check "a good cell exits 0" [ $? = 0 ]
check "its run is imported: backend lab, calibration exact" jqt "$TMP/ok/meta.json" \
	'.backend == "lab" and .lab.valid and .calibration.result == "ok" and .lab.cell.variant == "canned"'
check "cases carry per-op kernel counts" jqt "$TMP/ok/00-mprotect.json" \
	'.lab.phases.measure.kernel_per_op.dsb > 0 and .lab.phases.measure.ops == .iterations'
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
