#!/bin/bash
# scripts/lab/stress-ng stages Debian's arm64 stress-ng for the guest: the
# binary, every library it needs and the loader, at the paths it expects,
# so that it runs (here under qemu-aarch64, rooted in the staged tree);
# the lab's initramfs carries the tree (LMB_GUEST_ROOT).  Needs the Debian
# archive, as the kernel fetch does.
. "$(dirname "$0")/../lib.sh"
plan 6
root=$(scripts/lab/stress-ng "$TMP/sn" 2>"$TMP/err")
check "stress-ng is staged" [ -x "$root/bin/stress-ng" ]
check "its loader and libc are where the binary looks" \
	bash -c "[ -x $root/lib/ld-linux-aarch64.so.1 ] && [ -f $root/lib/aarch64-linux-gnu/libc.so.6 ] &&
		readelf -l $root/bin/stress-ng | grep -q 'interpreter: /lib/ld-linux-aarch64.so.1'"
check "every library it needs is there (NEEDED of each, recursively)" bash -c "
	for f in $root/bin/stress-ng $root/lib/aarch64-linux-gnu/*; do
		readelf -d \$f | awk '/\\(NEEDED\\)/ { gsub(/[][]/, \"\", \$5); print \$5 }'
	done | sort -u | while read -r n; do [ -f $root/lib/aarch64-linux-gnu/\$n ] || exit 1; done"
check "it runs: one vm worker, 2 bogo ops (qemu-aarch64)" \
	timeout 120 qemu-aarch64 -L "$root" "$root/bin/stress-ng" --vm 1 --vm-ops 2 --vm-bytes 1M --no-rand-seed --quiet
check "a second call reuses the staged tree" bash -c "
	t=\$(stat -c %Y $root/bin/stress-ng); [ \"\$(scripts/lab/stress-ng $TMP/sn 2>/dev/null)\" = $root ] &&
	[ \$(stat -c %Y $root/bin/stress-ng) = \$t ]"
printf -- '--profile\ncensus\n' > "$TMP/args"
LMB_GUEST_ROOT=$root scripts/lab/mkinitramfs "$TMP/initramfs" "$TMP/args"
check "the initramfs carries it (LMB_GUEST_ROOT), with the version it records" bash -c "
	cpio -it --quiet < $TMP/initramfs | grep -qx bin/stress-ng &&
	cpio -it --quiet < $TMP/initramfs | grep -qx lib/ld-linux-aarch64.so.1 &&
	grep -q '^stress-ng .* arm64 ' $root/lab/stress-ng.version"
