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
# die MESSAGE...        one line "PROG: MESSAGE" on stderr, exit status 2
# need TOOL [HINT]      die "TOOL not found (HINT)" unless TOOL can be run
# matrix_plan MATRIX    sets plan to the checked plan of a matrix file
#          (`lazymmu-bench matrix plan`, bench/matrix.h: "matrix PATH",
#          the settings the file gives as "KEY VALUE" lines, then "cell
#          VARIANT DPA" per cell), MATRIX a name in $top/configs/matrix/
#          or a path; a bad matrix dies with the binary's one line.
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
lmb=${LMB:-$top/build/host/lazymmu-bench}
prog=${0##*/}

die() { echo "$prog: $*" >&2; exit 2; }

need() { command -v "$1" > /dev/null || die "$1 not found${2:+ ($2)}"; }

matrix_plan() {
	[ -x "$lmb" ] || die "$lmb not built (make)"
	plan=$(LAZYMMU_CONFIGS=$top/configs "$lmb" matrix plan "$1" 2>&1) ||
		die "${plan#lazymmu-bench: }"
}
