#!/bin/bash
# The variant machinery of kernels/build, on a fake three-file kernel tree
# (no compiler run): a variant's series is applied to its own hard-linked
# copy, the pristine source is untouched, a changed series is reversed and
# the new one applied, a patch that does not apply is a one-line error.
# Then the real variants: kernels/check-patches on the pinned source (when
# it has been fetched) and each variant's selfcheck.expect is well formed.
. "$(dirname "$0")/../lib.sh"
plan 12
top=$TMP/top src=$TMP/ksrc
mkdir -p "$top/kernels/v" "$top/configs/kernel" "$top/bin" "$top/scripts" "$src/arch/arm64" "$src/mm"
cp kernels/build "$top/kernels/build"
cp scripts/lib.sh "$top/scripts/lib.sh"
: > "$top/configs/kernel/lab.config"
: > "$top/configs/kernel/dpa.config"
echo "# v" > "$top/kernels/v/README.md"
# kbuild is not run: configuring this tree fails, after the patch step.
printf 'all:\n\tfalse\n' > "$src/Makefile"
printf 'one\ntwo\nthree\n' > "$src/mm/x.c"
for t in flex bison bc; do printf '#!/bin/sh\n' > "$top/bin/$t"; chmod +x "$top/bin/$t"; done
mkpatch() { # mkpatch NAME FROM TO: a -p1 patch of mm/x.c
	printf -- '--- a/mm/x.c\n+++ b/mm/x.c\n@@ -1,3 +1,3 @@\n one\n-%s\n+%s\n three\n' "$2" "$3" > "$top/kernels/v/$1"
}
kb() { PATH=$top/bin:$PATH KSRC=$src CROSS_COMPILE= "$top/kernels/build" v dpa >"$TMP/out" 2>"$TMP/err"; echo $? > "$TMP/rc"; }
tree=$top/build/kernel/v/src
mkpatch 0001-a.patch two TWO
kb
check "the series is applied before configuring (which fails here, exit 2)" \
	bash -c "[ \$(cat $TMP/rc) = 2 ] && grep -q 'applied 1 patch' $TMP/err && grep -q 'configuring failed' $TMP/err"
check "the variant's tree carries the patch" grep -qx TWO "$tree/mm/x.c"
check "the source tree is untouched" grep -qx two "$src/mm/x.c"
check "untouched files are hard links to the source" [ "$tree/Makefile" -ef "$src/Makefile" ]
kb
check "nothing is applied again when the series did not change" bash -c "! grep -q 'applied' $TMP/err"
mkpatch 0001-a.patch two deux
kb
check "a changed series: the old one reversed, the new one applied" \
	bash -c "grep -qx deux $tree/mm/x.c && grep -q 'applied 1 patch' $TMP/err"
check "...and the source is still untouched" grep -qx two "$src/mm/x.c"
mkpatch 0002-b.patch nothere never
kb
check "a patch that does not apply: exit 2 and an error naming it" \
	bash -c "[ \$(cat $TMP/rc) = 2 ] && grep -q '0002-b.patch does not apply' $TMP/err"

# The real variants.
n=0 bad=
for d in kernels/*/; do
	[ -f "$d/README.md" ] || continue
	n=$((n + 1))
	e=$d/selfcheck.expect
	[ -f "$e" ] && [ "$(grep -cE '^(none|off|on) +enable=[01]/[01] enable2=[01]/[01] alloc=[01]/[01] disable2=[01]/[01] disable=0/0$' "$e")" = 3 ] ||
		bad="$bad $d"
done
check "every variant ($n) has a well-formed selfcheck.expect" [ -z "$bad" ]
check "stock expects counted nesting: active and deferred until the outer disable" \
	grep -qE '^on +enable=1/1 enable2=1/1 alloc=1/1 disable2=1/1 disable=0/0$' kernels/stock/selfcheck.expect
check "scripts/lab/selfcheck: a guest output that differs is a mismatch" bash -c "
	printf 'debug_pagealloc=1\nenable active=1 deferred=1\nenable2 active=1 deferred=1\nalloc active=0 deferred=0\ndisable2 active=0 deferred=0\ndisable active=0 deferred=0\n' > $TMP/sc
	scripts/lab/selfcheck stock on $TMP/sc | grep -q MISMATCH && scripts/lab/selfcheck permissive-nesting on $TMP/sc | grep -q '^ok'"
if [ -f build/kernel/src/7.2.13-1/verified ]; then
	check "kernels/check-patches: every series applies to the pinned source" kernels/check-patches
else
	skip "kernels/check-patches needs the pinned source (kernels/fetch; make kernels)"
fi
