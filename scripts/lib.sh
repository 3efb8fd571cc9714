# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# lib.sh - what the scripts share.  Sourced, after `set -euo pipefail`:
#   . "$(dirname "$0")/../lib.sh"      (scripts/DIR/NAME; scripts/NAME: lib.sh,
#                                       kernels/NAME: ../scripts/lib.sh)
#
# top      the tree (bench/, configs/, kernels/, build/)
# lmb      the lazymmu-bench binary: $LMB, or build/host's
# prog     the name errors start with: the script's file name (set it
#          after sourcing for another)
# oneline TEXT...       TEXT made fit for one line of a message: control
#          characters (below 0x20, and 0x7f) shown as \xHH, and cut to
#          300 bytes, the last 3 "..." (never inside a UTF-8 character)
# warn MESSAGE...       one line "PROG: MESSAGE" on stderr, through oneline:
#          every message that carries input (a name, a file's line,
#          another program's error) goes through warn or die
# die MESSAGE...        warn, then exit status 2
# need TOOL [HINT]      die "TOOL not found (HINT)" unless TOOL can be run
# run_checked RUNDIR   die with the reader's one line unless `lazymmu-bench
#          check` accepts RUNDIR: a script that reads a run's files with jq
#          calls it first, so it refuses what every command refuses
# atomic_out FILE CMD...  CMD's standard output becomes FILE whole or not
#          at all: written to a hidden temporary file beside FILE (.NAME.XXXXXX),
#          renamed to FILE when CMD exits 0, and then CMD's stderr is passed
#          on; when CMD fails the temporary file goes, and so do the
#          directories made for FILE, and the script dies with the last
#          line CMD wrote to stderr (its one-line error), or its status.
#          CMD may be a function; stdin is passed to it (a here-document).
# matrix_plan MATRIX [--set KEY=VALUE]...  sets plan to the checked plan
#          of a matrix file (`lazymmu-bench matrix plan`, bench/matrix.h:
#          "matrix PATH", the settings the file gives as "KEY VALUE" lines,
#          then "cell VARIANT DPA" per cell), MATRIX a name in
#          $top/configs/matrix/ or a path; each --set is a setting from the
#          script's command line, checked as the file's line "KEY VALUE"
#          and replacing it; a bad matrix or setting dies with the
#          binary's one line.
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
lmb=${LMB:-$top/build/host/lazymmu-bench}
prog=${0##*/}

# elapsed SECONDS: "1 min 05 s", or "42 s" under a minute.
elapsed() { if [ "$1" -ge 60 ]; then printf '%d min %02d s' $(($1 / 60)) $(($1 % 60)); else printf '%d s' "$1"; fi; }

oneline() {
	local LC_ALL=C s="$*" out= c i max=300 keep=-1 n lead
	s=${s:0:max+1}
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		[[ $c != [[:cntrl:]] ]] || printf -v c '\\x%02x' "'$c"
		# the longest prefix that leaves room for "..."
		[ "$keep" -ge 0 ] || [ $((${#out} + ${#c})) -le $((max - 3)) ] || keep=${#out}
		out+=$c
		[ ${#out} -le $max ] || break
	done
	if [ ${#out} -gt $max ]; then
		out=${out:0:keep}
		# a UTF-8 character cut short: its lead byte and what follows go
		for ((n = 1; n <= 3 && n <= ${#out}; n++)); do
			printf -v lead '%d' "'${out: -n:1}"
			[ "$lead" -ge 128 ] && [ "$lead" -lt 192 ] && continue
			if { [ "$lead" -ge 192 ] && [ "$n" -lt 2 ]; } ||
			   { [ "$lead" -ge 224 ] && [ "$n" -lt 3 ]; } ||
			   { [ "$lead" -ge 240 ] && [ "$n" -lt 4 ]; }; then
				out=${out:0:${#out}-n}
			fi
			break
		done
		out+=...
	fi
	printf '%s\n' "$out"
}

warn() { oneline "$prog: $*" >&2; }

die() { warn "$@"; exit 2; }

need() { command -v "$1" > /dev/null || die "$1 not found${2:+ ($2)}"; }

run_checked() {
	local e
	e=$("$lmb" check "$1" 2>&1 > /dev/null) || die "${e#lazymmu-bench: }"
}

atomic_out() {
	local file=$1 dir d new= tmp msg rc=0 mode
	shift
	dir=$(dirname "$file")
	d=$dir
	while [ ! -e "$d" ]; do new=$d; d=$(dirname "$d"); done
	mkdir -p "$dir" 2>/dev/null || die "$dir: cannot make the directory"
	tmp=$(mktemp "$dir/.${file##*/}.XXXXXX" 2>/dev/null) || die "$dir: cannot write there"
	msg=$({ "$@" > "$tmp"; } 2>&1) || rc=$?
	if [ "$rc" = 0 ]; then
		printf -v mode '%o' $((0666 & ~0$(umask)))
		chmod "$mode" "$tmp" && mv -f "$tmp" "$file" || { rm -f "$tmp"; die "$file: cannot write it"; }
		[ -z "$msg" ] || printf '%s\n' "$msg" >&2
		return 0
	fi
	rm -f "$tmp"
	# the directories made for FILE, deepest first, up to the first made
	d=$dir
	while [ -n "$new" ] && rmdir "$d" 2>/dev/null && [ "$d" != "$new" ]; do
		d=$(dirname "$d")
	done
	msg=${msg##*$'\n'}
	msg=${msg#lazymmu-bench: }
	die "${msg:-${1##*/} failed (exit status $rc): $file not written}"
}

matrix_plan() {
	[ -x "$lmb" ] || die "$lmb not built (make)"
	plan=$(LAZYMMU_CONFIGS=$top/configs "$lmb" matrix plan "$@" 2>&1) ||
		die "${plan#lazymmu-bench: }"
}
