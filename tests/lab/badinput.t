#!/bin/bash
# Bad input to the lab's scripts: each gets exit status 2 and exactly one
# line on stderr that names what was wrong (control characters escaped, at
# most 300 bytes); nothing is left behind.  The lab checks its options
# (--profile, --smp by the matrix file's rules) before anything is made.
. "$(dirname "$0")/../lib.sh"
mk() { printf "$2" > "$TMP/$1.matrix"; echo "$TMP/$1.matrix"; }
m_variant=$(mk variant 'cell stock on\ncell nosuch off\n')
m_twice=$(mk twice 'cell stock on\ncell stock on\n')
m_dir=$(mk dir 'profile lab\ncolour blue\ncell stock on\n')
m_none=$(mk none 'profile lab\n')
m_prof=$(mk prof 'profile nosuch\ncell stock on\n')
m_extra=$(mk extra 'cell stock on please\n')
mkdir -p "$TMP/notalab" "$TMP/obj" "$TMP/oldlab"
# a lab run of lab-smoke made with smp 1, and another build
printf '{"schema":"lazymmu-bench/lab","schema_version":1,"profile":"smoke","smp":1,"mem":"1G","tool_version":"0000000"}\n' > "$TMP/oldlab/lab.json"
: > "$TMP/afile"
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
	"lab: --resume of a lab run made with another smp|scripts/lab/lab lab-smoke --resume $TMP/oldlab --smp 2|made with smp 1, this would be 2: not resumed"
	"lab: --resume of a lab run made by another build|scripts/lab/lab lab-smoke --resume $TMP/oldlab --smp 1|made with tool_version 0000000, this would be .*: not resumed"
	"lab: --smp not a number: the matrix file's rule|scripts/lab/lab lab-smoke --smp banana --out $TMP/o|--set smp=banana: smp must be 1 to 99, not 'banana'"
	"lab: --smp out of range|scripts/lab/lab lab-smoke --smp 100 --out $TMP/o|smp must be 1 to 99, not '100'"
	"lab: --profile unknown: the matrix file's rule|scripts/lab/lab lab-smoke --profile nosuch --out $TMP/o|--set profile=nosuch: unknown profile 'nosuch'"
	"lab: --profile empty|scripts/lab/lab lab-smoke --profile '' --out $TMP/o|--set profile=: 'profile NAME'"
	"lab: an option without its value|scripts/lab/lab lab-smoke --out $TMP/o --smp|--smp needs a value"
	"lab: --out without its value|scripts/lab/lab lab-smoke --out|--out needs a value"
	"lab: --kprobes not a readable file, before any boot|scripts/lab/lab lab-smoke --kprobes $TMP/nope --out $TMP/o|--kprobes .*/nope: not a readable file"
	"reference: OUTDIR that is a file|scripts/lab/reference $TMP/afile|afile is not a directory"
	"workloads: OUTDIR that is a file|scripts/lab/workloads $TMP/afile|afile is not a directory"
	"workloads: two OUTDIRs|scripts/lab/workloads $TMP/a $TMP/b|usage: workloads .--only census|kasan|tvm.... .--report. .OUTDIR."
	"workloads: an unknown part|scripts/lab/workloads --only vm $TMP/a|--only vm: a part is census, kasan or tvm"
	"workloads: --only without its part|scripts/lab/workloads --only|usage: workloads"
	"workloads: --report without OUTDIR|scripts/lab/workloads --report|--report needs the OUTDIR that holds the runs"
	"workloads: --report of a directory with no runs|scripts/lab/workloads --report $TMP/notalab|notalab: no part to report"
	"workloads: an unknown option|scripts/lab/workloads --fast $TMP/a|usage: workloads"
	"workloads-report: no run|scripts/lab/workloads-report|usage: workloads-report .--census RUN AARUN."
	"workloads-report: --census without its A/A run|scripts/lab/workloads-report --census $TMP/notalab|usage: workloads-report"
	"workloads-report: not a lab run|scripts/lab/workloads-report --test-vmalloc $TMP/notalab $TMP/notalab|notalab: not a lab run"
	"stress-ng: a suite with no arm64 stress-ng|LMB_STRESSNG_SUITE=nosuchsuite scripts/lab/stress-ng $TMP/sn|nosuchsuite"
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
	"mkinitramfs: --tools takes nothing else|scripts/lab/mkinitramfs --tools $TMP/i|usage: mkinitramfs"
	"lab: the guest's binary missing, said before a run directory is made|LMB_A64_BENCH=$TMP/nope scripts/lab/lab lab-smoke --out $TMP/o|nope is missing .make aarch64 lab-tools."
	"overhead: ops not a multiple of the batch|scripts/lab/overhead --ops 1500 --out $TMP/o|--ops .1500. must be a multiple of --batch .1000."
	"overhead: unknown variant|scripts/lab/overhead --variant nosuch --out $TMP/o|unknown variant 'nosuch'"
	"overhead: unknown DEBUG_PAGEALLOC state|scripts/lab/overhead --dpa sideways --out $TMP/o|--dpa must be none, off or on, not 'sideways'"
	"overhead: not a number of ops|scripts/lab/overhead --ops 1e4 --out $TMP/o|--ops must be a whole number from 1, not '1e4'"
	"overhead: unknown counting method|scripts/lab/overhead --method fast --out $TMP/o|--method must be tb or insn, not 'fast'"
	"overhead: bad --sve|scripts/lab/overhead --sve maybe --out $TMP/o|--sve must be off or on, not 'maybe'"
	"overhead: an option without its value|scripts/lab/overhead --out $TMP/o --ops|--ops needs a value"
	"overhead: unknown option|scripts/lab/overhead --colour red|unknown option '--colour'"
)
plan $((${#cases[@]} + 6))
for c in "${cases[@]}"; do
	IFS='|' read -r desc cmd want <<< "$c"
	refused "$desc" "$cmd" "$want"
done
# Messages: an escape sequence from the command line is shown escaped; a
# matrix line of 10 MB gives one line of at most 300 bytes.
refused "lab: an escape sequence in --profile, shown as \\x1b" "scripts/lab/lab lab-smoke --profile \$'\\e[31mred' --out $TMP/o" 'unknown profile .\\x1b\[31mred.'
check "... and no raw escape on stderr" bash -c "! grep -q \$'\\e' $TMP/err"
{ printf 'cell stock on\n'; head -c 10000000 /dev/zero | tr '\0' x; printf ' 1\n'; } > "$TMP/huge.matrix"
refused "lab: a matrix line of 10 MB: one line naming the file" "scripts/lab/lab $TMP/huge.matrix --out $TMP/o" '^lab: .*huge.matrix:2: unknown directive'
check "... cut to 300 bytes, ending with '...'" bash -c "[ \$(head -n1 $TMP/err | wc -c) -le 301 ] && head -n1 $TMP/err | grep -q '\.\.\.\$'"
# The overrides, applied: --check prints what a run would use, makes nothing.
scripts/lab/lab lab-smoke --smp 3 --profile reference --check --out "$TMP/o" > "$TMP/plan" 2>"$TMP/err"
{ [ $? = 0 ] && grep -qx 'smp 3' "$TMP/plan" && grep -qx 'profile reference' "$TMP/plan" && grep -qx 'mem 1G' "$TMP/plan" && grep -qx 'cell stock none' "$TMP/plan"; }
verdict "lab --check: --smp and --profile win over the file's, the rest is the file's"
check "no lab run directory was left behind by any of them" bash -c "[ ! -e $TMP/o ] || [ -z \"\$(ls -A $TMP/o)\" ]"
