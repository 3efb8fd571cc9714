#!/bin/bash
# lazymmu-bench matrix plan: the one parser of matrix files.  Good
# matrices give the expected plan (settings the file gives, then the cells
# in its order); each bad input gives exit 2, one line naming FILE:LINE
# and nothing on stdout; the lab, server and LAVA scripts say the same.
# --set KEY=VALUE (a script's command-line setting) is checked and set as
# the file's line "KEY VALUE" is.
. "$(dirname "$0")/../lib.sh"
# one test per shipped matrix, and 61 more: adding a matrix needs no edit here
plan $((61 + $(ls configs/matrix/*.matrix | wc -l)))
mk() { printf "$2" > "$TMP/$1.matrix"; echo "$TMP/$1.matrix"; }

# --- good matrices ----------------------------------------------------------
m=$(mk census 'cell stock+census on\ncell permissive-nesting+census off\ncell stock on\n')
check "a variant with an overlay (VARIANT+OVERLAY, kernels/overlays/) is a cell of its own" bash -c \
	"$LMB matrix plan $m | grep -qx 'cell stock+census on' && $LMB matrix plan $m | grep -qx 'cell permissive-nesting+census off'"
# The shipped matrices give each directive once: their plan is the file's
# directives in the plan's order, blanks folded, comments left out.
expected() { # expected FILE
	local k
	echo "matrix $PWD/$1"
	for k in profile rounds neighbour timeout crosscheck smp mem cell; do
		awk -v k="$k" '$1 == k { $1 = $1; print }' "$1"
	done
}
for f in configs/matrix/*.matrix; do
	n=$(basename "$f" .matrix)
	"$LMB" matrix plan "$n" > "$TMP/by-name" 2> "$TMP/err"
	rc=$?
	"$LMB" matrix plan "$f" > "$TMP/by-path"
	{ [ $rc = 0 ] && [ ! -s "$TMP/err" ] && diff <(expected "$f") "$TMP/by-name" &&
	  diff <(tail -n +2 "$TMP/by-name") <(tail -n +2 "$TMP/by-path"); }
	verdict "$n: its settings and cells in the plan's order; by name (the absolute path) and by path the same"
done

# Every directive, comments, blank and indented lines, tabs, two noise
# lines, crosscheck's default seconds, the largest rounds and timeout, and
# a last line without a newline.
m=$(mk all '# a comment\n\n\tcell  stock\ton \nprofile smoke\n  # indented\nmem 1.5g\nsmp 1\nnoise none\nnoise vm cpu\ncrosscheck stress-ng\ntimeout 999999999\nrounds 99\nprofile quick\ncell flag-restore off\ncell stock none')
"$LMB" matrix plan "$m" > "$TMP/out"
check "every directive: one line each in a fixed order, noise on one line, the last profile, crosscheck 5 s, a last line without newline read" diff - "$TMP/out" <<EOF
matrix $m
profile quick
rounds 99
neighbour none vm cpu
timeout 999999999
crosscheck stress-ng 5
smp 1
mem 1.5g
cell stock on
cell flag-restore off
cell stock none
EOF
m=$(mk cells 'cell stock on\ncell no-batching none\n')
"$LMB" matrix plan "$m" > "$TMP/out"
check "a setting the file does not give is not printed (each script has its defaults)" diff - "$TMP/out" <<EOF
matrix $m
cell stock on
cell no-batching none
EOF
# A tree of its own: LAZYMMU_CONFIGS names configs/, variants come from the
# kernels/ beside it.
mkdir -p "$TMP/t/configs/matrix" "$TMP/t/configs/profiles" "$TMP/t/kernels/v1"
touch "$TMP/t/configs/profiles/p.conf" "$TMP/t/kernels/v1/README.md"
printf 'profile p\ncrosscheck stress-ng 30\ncell v1 on\n' > "$TMP/t/configs/matrix/mine.matrix"
LAZYMMU_CONFIGS=$TMP/t/configs "$LMB" matrix plan mine > "$TMP/out"
check "LAZYMMU_CONFIGS: the name, profile and variant found in that tree" \
	diff - "$TMP/out" <<EOF
matrix $TMP/t/configs/matrix/mine.matrix
profile p
crosscheck stress-ng 30
cell v1 on
EOF
for i in $(seq 90); do mkdir -p "$TMP/t/kernels/w$i"; touch "$TMP/t/kernels/w$i/README.md"; done
for i in $(seq 90); do for d in none off on; do echo "cell w$i $d"; done; done > "$TMP/t/configs/matrix/big.matrix"
LAZYMMU_CONFIGS=$TMP/t/configs "$LMB" matrix plan big > /dev/null 2> "$TMP/err"
{ [ $? = 2 ] && one_line && grep -q "big.matrix:257: more than 256 cells" "$TMP/err"; }
verdict "more than 256 cells: refused at the 257th"

# --- bad input: exit 2, one line, nothing on stdout ---------------------------
mkdir -p "$TMP/adir.matrix"
bad() { # bad WHAT CONTENT WANTED (extended regex; the file is $TMP/bad.matrix)
	local m rc
	m=$(mk bad "$2")
	"$LMB" matrix plan "$m" > "$TMP/out" 2> "$TMP/err"
	rc=$?
	{ [ $rc = 2 ] && [ ! -s "$TMP/out" ] && one_line && grep -qE -- "^lazymmu-bench: $3" "$TMP/err"; }
	verdict "$1: exit 2, one line, nothing on stdout"
}
M="$TMP/bad.matrix"
bad "an unknown directive, the known ones listed" 'cell stock on\ncolour blue\n' \
	"$M:2: unknown directive 'colour' \(profile, rounds, neighbour, noise, timeout, crosscheck, smp, mem, cell\)$"
bad "profile without a name" 'profile\ncell stock on\n' "$M:1: 'profile NAME'$"
bad "an unknown profile" 'profile nosuch\ncell stock on\n' "$M:1: unknown profile 'nosuch' \(no configs/profiles/nosuch.conf\)$"
bad "a profile name with shell characters" 'profile q;x\ncell stock on\n' "$M:1: unknown profile 'q;x'"
bad "profile with a second word" 'profile quick please\ncell stock on\n' "$M:1: unexpected 'please'$"
bad "rounds 0" 'rounds 0\ncell stock on\n' "$M:1: rounds must be 1 to 99, not '0'$"
bad "rounds 100" 'rounds 100\ncell stock on\n' "$M:1: rounds must be 1 to 99, not '100'$"
bad "rounds with a leading zero" 'rounds 07\ncell stock on\n' "$M:1: rounds must be 1 to 99, not '07'$"
bad "rounds that is not a number" 'cell stock on\nrounds three\n' "$M:2: rounds must be 1 to 99, not 'three'$"
bad "noise without a name" 'noise\ncell stock on\n' "$M:1: 'noise NAME...'$"
bad "an unknown neighbour load (old directive name)" 'noise none nosuch\ncell stock on\n' "$M:1: unknown neighbour load 'nosuch' \(none, or configs/neighbour/nosuch.conf\)$"
bad "a neighbour load's name that is a path" 'neighbour ../neighbour/vm\ncell stock on\n' "$M:1: unknown neighbour load '../neighbour/vm'"
bad "a neighbour load listed twice, on two lines" 'neighbour vm\nnoise none vm\ncell stock on\n' "$M:2: neighbour load 'vm' listed twice$"
bad "timeout 0" 'timeout 0\ncell stock on\n' "$M:1: timeout must be seconds, not '0'$"
bad "timeout that is not a number" 'timeout 10m\ncell stock on\n' "$M:1: timeout must be seconds, not '10m'$"
bad "timeout out of range" 'timeout 99999999999999999999\ncell stock on\n' "$M:1: timeout must be seconds"
bad "crosscheck with another tool" 'crosscheck perf\ncell stock on\n' "$M:1: crosscheck takes 'stress-ng \[SECONDS\]', not 'perf'$"
bad "crosscheck seconds not a number" 'crosscheck stress-ng soon\ncell stock on\n' "$M:1: crosscheck seconds must be a number, not 'soon'$"
bad "crosscheck with a third word" 'crosscheck stress-ng 5 6\ncell stock on\n' "$M:1: unexpected '6'$"
bad "smp 0" 'smp 0\ncell stock on\n' "$M:1: smp must be 1 to 99, not '0'$"
bad "smp 100" 'smp 100\ncell stock on\n' "$M:1: smp must be 1 to 99, not '100'$"
bad "mem that is not a size" 'mem lots\ncell stock on\n' "$M:1: mem must be a size like 2G or 2048M, not 'lots'$"
bad "mem with an unknown suffix" 'mem 2X\ncell stock on\n' "$M:1: mem must be a size like 2G or 2048M, not '2X'$"
bad "a cell without its state" 'cell stock\n' "$M:1: 'cell VARIANT none\|off\|on'$"
bad "an unknown variant" 'cell stock on\ncell nosuch off\n' "$M:2: unknown variant 'nosuch' \(no kernels/nosuch/README.md\)$"
bad "a variant that is a path" 'cell ../kernels/stock on\n' "$M:1: unknown variant '../kernels/stock'"
bad "an unknown overlay on a variant" 'cell stock+nosuch on\n' "$M:1: unknown overlay 'nosuch' in 'stock\+nosuch' \(no kernels/overlays/nosuch/README.md\)$"
bad "an overlay on an unknown variant" 'cell nosuch+census on\n' "$M:1: unknown variant 'nosuch' \(no kernels/nosuch/README.md\)$"
bad "an empty overlay name" 'cell stock+ on\n' "$M:1: 'stock\+': an empty overlay name after '\+'$"
bad "the overlays directory is no variant" 'cell overlays on\n' "$M:1: unknown variant 'overlays'"
bad "a bad DEBUG_PAGEALLOC state" 'cell stock sideways\n' "$M:1: DEBUG_PAGEALLOC state must be none, off or on, not 'sideways'$"
bad "a cell listed twice" 'cell stock on\ncell stock off\ncell  stock\ton\n' "$M:3: cell 'stock on' listed twice$"
bad "trailing words on a cell line" 'cell stock on please  \n' "$M:1: unexpected 'please'$"
bad "trailing words kept as written" 'cell stock on # no  inline comments\n' "$M:1: unexpected '# no  inline comments'$"
bad "no cells" '# nothing\nprofile quick\n\n' "$M: no cells$"
bad "an empty file" '' "$M: no cells$"
# the known ones: every file in configs/matrix/, in order
known=$(cd configs/matrix && ls *.matrix | sed 's/\.matrix$//' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
refused "an unknown matrix name, the known ones listed" "$LMB matrix plan nosuch" \
	"unknown matrix 'nosuch' \(no $PWD/configs/matrix/nosuch.matrix; known: $known\)$"
refused "a path that does not exist" "$LMB matrix plan $TMP/none.matrix" "unknown matrix '$TMP/none.matrix' \(no $TMP/none.matrix;"
refused "a directory" "$LMB matrix plan $TMP/adir.matrix" "unknown matrix '$TMP/adir.matrix'"
refused "no file: usage" "$LMB matrix plan" "usage: matrix plan NAME\|FILE \[--set KEY=VALUE\]\.\.\.$"
refused "another subcommand: usage" "$LMB matrix show lab-stock" "usage: matrix plan NAME\|FILE \[--set KEY=VALUE\]\.\.\.$"
# --- --set: a script's command-line settings, by the file's rules -------------
m=$(mk set 'profile smoke\nneighbour none cpu\nsmp 2\ncell stock on\n')
"$LMB" matrix plan "$m" --set smp=4 --set neighbour=vm --set profile=lab --set rounds=3 > "$TMP/out"
check "--set: each replaces the file's setting (neighbour loads: the list), or adds it" diff - "$TMP/out" <<EOF2
matrix $m
profile lab
rounds 3
neighbour vm
smp 4
cell stock on
EOF2
setbad() { # setbad WHAT ARG WANTED: ARG after --set refused
	"$LMB" matrix plan "$m" --set "$2" > "$TMP/out" 2> "$TMP/err"
	{ [ $? = 2 ] && [ ! -s "$TMP/out" ] && one_line && grep -qE -- "^lazymmu-bench: $3" "$TMP/err"; }
	verdict "--set $1: exit 2, one line, nothing on stdout"
}
setbad "smp not a number" smp=banana "--set smp=banana: smp must be 1 to 99, not 'banana'$"
setbad "an unknown profile" profile=nosuch "--set profile=nosuch: unknown profile 'nosuch'"
setbad "without a value" smp= "--set smp=: 'smp N'$"
setbad "a second word" 'timeout=5 6' "--set timeout=5 6: unexpected '6'$"
setbad "a cell" 'cell=stock off' "--set cell=stock off: cells come from the matrix file only$"
setbad "an unknown key" colour=blue "--set colour=blue: unknown directive 'colour'"
setbad "no KEY=" 5 "--set takes KEY=VALUE, not '5'$"
refused "--set without its value: usage" "$LMB matrix plan $m --set" "usage: matrix plan NAME\|FILE \[--set KEY=VALUE\]\.\.\.$"

# --- the three scripts: the parser's line under their own names ----------------
m=$(mk twice 'cell stock on\ncell stock on\n')
refused "lab: the parser's error as its own" "scripts/lab/lab $m --out $TMP/o" "^lab: $m:2: cell 'stock on' listed twice$"
refused "server matrix: the parser's error as its own" "LMB_STATE=$TMP/st scripts/server/matrix start $m --out $TMP/o" "^matrix: $m:2: cell 'stock on' listed twice$"
refused "lava jobs: the parser's error as its own" "scripts/lava/jobs $m --device-type d --artifacts http://a.example --out $TMP/o" "^jobs: $m:2: cell 'stock on' listed twice$"
m=$(mk server 'profile lab\nrounds 2\ncell stock on\n')
refused "lab: rounds, noise, crosscheck are a server's, refused" "scripts/lab/lab $m --out $TMP/o" "^lab: $m: 'rounds' is for servers and LAVA"
check "nothing written by bad input" [ ! -e "$TMP/o" ]
# LAVA reads what a server reads: round 1 of the jobs is the plan's cells.
scripts/lava/jobs server-full --device-type d --artifacts http://a.example --out "$TMP/j" 2> /dev/null
check "lava jobs: the plan's cells, in its order, for each noise of round 1" diff \
	<("$LMB" matrix plan server-full | awk '$1 == "neighbour" { for (i = 2; i <= NF; i++) n[++k] = $i }
		$1 == "cell" { c[++m] = $2 "\t" $3 } END { for (i = 1; i <= k; i++) for (j = 1; j <= m; j++) print c[j] "\t" n[i] }') \
	<(awk -F'\t' 'NR > 1 && $5 == 1 { print $2 "\t" $3 "\t" $4 }' "$TMP/j/index.tsv")
