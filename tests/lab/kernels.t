#!/bin/bash
# kernels/build and kernels/fetch refuse bad input with a one-line error
# and exit 2, before building anything.
. "$(dirname "$0")/../lib.sh"
plan 10
err1() { "$@" >/dev/null 2>"$TMP/err"; rc=$?; [ "$rc" = 2 ] && [ "$(wc -l < "$TMP/err")" = 1 ]; }
check "unknown variant" err1 kernels/build no-such-variant dpa
check "...and the error lists the known ones" grep -q "known: .*stock" "$TMP/err"
check "unknown config fragment" err1 kernels/build stock nosuchconfig
check "BASE other than allnoconfig or defconfig" bash -c 'BASE=tinyconfig kernels/build stock dpa 2>/dev/null; [ $? = 2 ]'
check "KSRC that is not a kernel tree" env KSRC=/nonexistent bash -c 'kernels/build stock dpa 2>&1 >/dev/null | grep -q "KSRC=/nonexistent is not a kernel source tree"'
printf 'package=linux-source-7.2\nversion=7.2.13-1\nmirror=http://example.org\n' > "$TMP/bad.conf"
check "a source pin with an unknown key" env LMB_SOURCE_CONF="$TMP/bad.conf" bash -c 'kernels/fetch 2>&1 >/dev/null | grep -q "unknown key .mirror."'
printf 'package=linux-source-7.2\n' > "$TMP/short.conf"
check "a source pin without a version" env LMB_SOURCE_CONF="$TMP/short.conf" bash -c 'kernels/fetch 2>&1 >/dev/null | grep -q "version. is missing"'
mkdir -p "$TMP/obj"
check "kmod build: a missing object tree" bash -c 'bench/kmod/build /nonexistent /tmp/x 2>&1 >/dev/null | grep -q "no such kernel object tree"'
check "kmod build: a directory that is not a kernel tree" bash -c "bench/kmod/build $TMP/obj $TMP/out 2>&1 >/dev/null | grep -q 'not a kernel tree'; [ \${PIPESTATUS[0]} = 2 ]"
printf 'all:\n' > "$TMP/obj/Makefile"
check "kmod build: a tree that was never configured" bash -c "bench/kmod/build $TMP/obj $TMP/out 2>&1 >/dev/null | grep -q 'not configured'"
