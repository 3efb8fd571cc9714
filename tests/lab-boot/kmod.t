#!/bin/bash
# make lab-test: the lazymmu_bench module in real guests.  A guest whose
# /init is tests/lab/kmod-test.c loads the module built for its kernel and
# checks every debugfs file, the calib mode, marked ops (reads of op at
# 0x100 + phase), bad input, concurrent users and leaks over unload/reload;
# stock with debug_pagealloc=on and off, and the kernel without
# DEBUG_PAGEALLOC.
. "$(dirname "$0")/../lib.sh"
plan 6
t=build/lab/kmod-test
boot() { # boot CONFIG "cmdline extra" LOG
	local obj=build/kernel/stock/$1/obj
	kernels/build stock "$1" >/dev/null 2>&1 &&
	bench/kmod/build "$obj" "build/kernel/stock/$1/kmod" >/dev/null || return 1
	printf 'dir /dev 0755 0 0\nnod /dev/console 0600 0 0 c 5 1\nfile /init %s 0755 0 0\nfile /lazymmu_bench.ko %s 0644 0 0\n' \
		"$PWD/$t" "$PWD/build/kernel/stock/$1/kmod/lazymmu_bench.ko" > "$TMP/list"
	"$obj/usr/gen_init_cpio" "$TMP/list" > "$TMP/initrd" || return 1
	timeout 600 qemu-system-aarch64 -M virt -cpu max -smp 2 -m 1G -nographic \
		-no-reboot -monitor none -nic none -kernel "$obj/arch/arm64/boot/Image" \
		-initrd "$TMP/initrd" -append "console=ttyAMA0 panic=-1 $2" \
		</dev/null > "$3" 2>&1
}
# passed: the guest finished, no FAIL line, no oops/warning, N PASS lines
passed() {
	grep -q '=== lmbtest done: 0 failure(s)' "$1" && ! grep -q '^FAIL' "$1" &&
	! grep -qE 'Oops|BUG:|WARNING:|Kernel panic' "$1" &&
	[ "$(grep -c '^PASS' "$1")" -ge 60 ]
}
for c in "dpa debug_pagealloc=on" "dpa debug_pagealloc=off" "nodpa "; do
	set -- $c
	boot "$1" "${2:-}" "$TMP/$1-${2:-none}.log"
	check "stock/$1 ${2:-}: the guest ran the module tests" grep -q '=== lmbtest done' "$TMP/$1-${2:-none}.log"
	check "stock/$1 ${2:-}: every check passed, no oops ($(grep -c '^PASS' "$TMP/$1-${2:-none}.log") PASS, $(grep -c '^FAIL' "$TMP/$1-${2:-none}.log") FAIL)" passed "$TMP/$1-${2:-none}.log"
done
