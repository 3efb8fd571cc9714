#!/bin/bash
# Bad input to the lab's scripts: each gets exit status 2 and exactly one
# line on stderr that names what was wrong; nothing is left behind.
. "$(dirname "$0")/../lib.sh"
mk() { printf "$2" > "$TMP/$1.matrix"; echo "$TMP/$1.matrix"; }
m_variant=$(mk variant 'cell stock on\ncell nosuch off\n')
m_twice=$(mk twice 'cell stock on\ncell stock on\n')
m_dir=$(mk dir 'profile lab\ncolour blue\ncell stock on\n')
m_none=$(mk none 'profile lab\n')
m_prof=$(mk prof 'profile nosuch\ncell stock on\n')
m_extra=$(mk extra 'cell stock on please\n')
mkdir -p "$TMP/notalab" "$TMP/obj"
# A profile one case over LMB_MAX_CASES (bench/phase.h).  The lab takes
# profile names from configs/profiles/; this one is reached from there.
max=$(sed -n 's/^#define[[:space:]]*LMB_MAX_CASES[[:space:]]*\([0-9]*\).*/\1/p' bench/phase.h)
{ echo 'case kcalib rounds=1000'; for i in $(seq "$max"); do echo 'case mprotect size=4K'; done; } > "$TMP/big.conf"
m_big=$(mk big "profile $(realpath --relative-to=configs/profiles "$TMP/big")\ncell stock on\n")
# "description|command|text expected in the error"
cases=(
	"lab: unknown matrix name, the known ones listed|scripts/lab/lab nosuch --out $TMP/o|unknown matrix 'nosuch' .no .*; known: .*lab-stock"
	"lab: unknown variant, file and line named|scripts/lab/lab $m_variant --out $TMP/o|variant.matrix:2: unknown variant 'nosuch'"
	"lab: a cell listed twice|scripts/lab/lab $m_twice --out $TMP/o|twice.matrix:2: cell 'stock on' listed twice"
	"lab: unknown directive|scripts/lab/lab $m_dir --out $TMP/o|dir.matrix:2: unknown directive 'colour'"
	"lab: a matrix without cells|scripts/lab/lab $m_none --out $TMP/o|none.matrix: no cells"
	"lab: unknown profile|scripts/lab/lab $m_prof --out $TMP/o|unknown profile 'nosuch'"
	"lab: trailing words on a cell line|scripts/lab/lab $m_extra --out $TMP/o|extra.matrix:1: unexpected 'please'"
	"lab: unknown option|scripts/lab/lab lab-smoke --frobnicate|unknown option '--frobnicate'"
	"lab: a profile without the kernel calibration|scripts/lab/lab lab-stock --profile quick --out $TMP/o|profile 'quick' has no kcalib case"
	"lab: a profile with more cases than a lab run holds, before any boot|scripts/lab/lab $m_big --out $TMP/o|has $((max + 1)) cases; a lab run holds at most $max "
	"lab: --resume of something that is not a lab run|scripts/lab/lab lab-smoke --resume $TMP/notalab|not a lab run"
	"run-cell: required options missing|scripts/lab/run-cell --dpa on|--kernel, --dpa, --initramfs and --out are required"
	"run-cell: a kernel tree without an Image|scripts/lab/run-cell --kernel $TMP/obj --dpa none --initramfs $TMP/x --out $TMP/c|Image missing"
	"run-cell: unknown option|scripts/lab/run-cell --colour red|unknown option '--colour'"
	"selfcheck: an unknown state|scripts/lab/selfcheck stock sideways $TMP/x|state must be none, off or on, not 'sideways'"
	"selfcheck: an unknown variant|scripts/lab/selfcheck nosuch on $TMP/x|nosuch/selfcheck.expect"
	"summary: not a lab run|scripts/lab/summary $TMP/notalab|usage: summary LABRUN"
	"reimport: not a lab run|scripts/lab/reimport $TMP/notalab|notalab: not a lab run"
	"reimport: no argument|scripts/lab/reimport|usage: reimport LABRUN"
	"lab-counts: unknown phase|build/host/lazymmu-bench lab-counts --phase nosuch $TMP/notalab|unknown phase 'nosuch'"
	"lab-counts: not a run|build/host/lazymmu-bench lab-counts $TMP/notalab|notalab/meta.json"
	"check-patches: a directory that is not a kernel tree|kernels/check-patches $TMP/notalab|is not a kernel source tree"
	"check-patches: unknown option|kernels/check-patches --all|unknown option '--all'"
	"mkinitramfs: missing arguments|scripts/lab/mkinitramfs $TMP/i|usage: mkinitramfs"
	"overhead: ops not a multiple of the batch|scripts/lab/overhead --ops 1500 --out $TMP/o|--ops .1500. must be a multiple of --batch .1000."
	"overhead: unknown variant|scripts/lab/overhead --variant nosuch --out $TMP/o|unknown variant 'nosuch'"
	"overhead: unknown DEBUG_PAGEALLOC state|scripts/lab/overhead --dpa sideways --out $TMP/o|--dpa must be none, off or on, not 'sideways'"
	"overhead: not a number of ops|scripts/lab/overhead --ops 1e4 --out $TMP/o|--ops must be a whole number from 1, not '1e4'"
	"overhead: unknown counting method|scripts/lab/overhead --method fast --out $TMP/o|--method must be tb or insn, not 'fast'"
	"overhead: bad --sve|scripts/lab/overhead --sve maybe --out $TMP/o|--sve must be off or on, not 'maybe'"
	"overhead: an option without its value|scripts/lab/overhead --out $TMP/o --ops|--ops needs a value"
	"overhead: unknown option|scripts/lab/overhead --colour red|unknown option '--colour'"
)
plan $((${#cases[@]} + 1))
for c in "${cases[@]}"; do
	IFS='|' read -r desc cmd want <<< "$c"
	refused "$desc" "$cmd" "$want"
done
check "no lab run directory was left behind by any of them" bash -c "[ ! -e $TMP/o ] || [ -z \"\$(ls -A $TMP/o)\" ]"
