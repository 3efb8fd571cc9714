#!/bin/bash
# The lab plugin's instruction decoder against binutils: every barrier,
# TLBI, DC and IC form the kernel uses (and some it does not) is
# assembled, and the decoder must name each as objdump disassembles it;
# look-alikes (AT, CLREX, SB, other hints, MSR) must not be counted.
. "$(dirname "$0")/../lib.sh"
DEC=build/lab/a64decode
AS=${CROSS:-aarch64-linux-gnu-}as
OBJDUMP=${CROSS:-aarch64-linux-gnu-}objdump
[ "$(uname -m)" = aarch64 ] && AS=as OBJDUMP=objdump

insns=(
	"dsb sy" "dsb st" "dsb ld" "dsb ish" "dsb ishst" "dsb ishld"
	"dsb nsh" "dsb nshst" "dsb nshld" "dsb osh" "dsb oshst" "dsb oshld"
	"dmb sy" "dmb st" "dmb ld" "dmb ish" "dmb ishst" "dmb ishld"
	"dmb nsh" "dmb osh" "dmb oshld" "isb" "ssbb" "pssbb"
	"dsb ishnxs" "dsb synxs"
	"tlbi vmalle1is" "tlbi vmalle1" "tlbi vae1is, x0" "tlbi vale1is, x1"
	"tlbi vaae1is, x2" "tlbi vaale1is, x3" "tlbi aside1is, x4"
	"tlbi vae1, x5" "tlbi vale1, x6" "tlbi aside1, x7" "tlbi vaale1, x8"
	"tlbi rvae1is, x9" "tlbi rvale1is, x10" "tlbi rvaae1is, x11"
	"tlbi rvaale1is, x12" "tlbi rvae1, x13" "tlbi vmalle1os"
	"tlbi vale1os, x14" "tlbi rvale1os, x15"
	"dc cvau, x0" "dc civac, x1" "dc cvac, x2" "dc ivac, x3" "dc zva, x4"
	"dc cvap, x5" "dc isw, x6" "dc cisw, x7"
	"ic ivau, x0" "ic iallu" "ic ialluis"
)
others=("nop" "yield" "hint #0x5f" "clrex" "sb" "at s1e1r, x0"
	"msr ttbr0_el1, x0" "add x0, x0, #1" "hint #0x22")
marks=("hint #0x60" "hint #0x6f" "hint #0x70" "hint #0x75" "hint #0x7f")

plan 4
{
	echo '.arch armv8.7-a'
	for i in "${insns[@]}" "${others[@]}" "${marks[@]}"; do echo "	$i"; done
} > "$TMP/t.s"
if ! "$AS" -o "$TMP/t.o" "$TMP/t.s" 2>"$TMP/as.err"; then
	not_ok "assemble the instruction list" "$(head -c 300 "$TMP/as.err")"
	exit 0
fi
ok "assemble the instruction list"
# "   0:	d5033f9f 	dsb	sy" -> word and text
"$OBJDUMP" -d "$TMP/t.o" | awk -F'\t' '/^ +[0-9a-f]+:/ { w = $2; gsub(/ /, "", w); t = $3 "\t" $4; print w "\t" t }' > "$TMP/dis"
n=$(wc -l < "$TMP/dis")
total=$(( ${#insns[@]} + ${#others[@]} + ${#marks[@]} ))
check "objdump shows all $total instructions" [ "$n" = "$total" ]

bad=
i=0
while IFS=$'\t' read -r word mn args; do
	got=$("$DEC" "$word")
	cls=$(echo "$got" | cut -d' ' -f2)
	name=$(echo "$got" | cut -d' ' -f3-)
	if [ "$i" -lt ${#insns[@]} ]; then
		want="$mn"
		# operands that name the operation (not the register)
		op=${args%%,*}
		case $mn in dsb|dmb|tlbi|dc|ic) [ -n "$op" ] && want="$mn $op" ;; esac
		[ "$cls" = "$mn" ] || [ "$mn" = ssbb ] || [ "$mn" = pssbb ] || bad="$bad [$word $mn $args: class $cls]"
		[ "$name" = "$want" ] || bad="$bad [$word '$want' decoded as '$name']"
	elif [ "$i" -lt $(( ${#insns[@]} + ${#others[@]} )) ]; then
		[ "$cls" = other ] || bad="$bad [$word $mn $args counted as $cls]"
	else
		[ "$cls" = mark ] || bad="$bad [$word $mn $args not a marker: $cls]"
	fi
	i=$((i + 1))
done < "$TMP/dis"
if [ -z "$bad" ]; then ok "decoder names agree with objdump"; else not_ok "decoder names agree with objdump" "$bad"; fi
check "a malformed word is rejected" bash -c "! $DEC zz"
