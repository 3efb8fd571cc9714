#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# guest.sh: what a LAVA job runs on the machine under test.  scripts/lava/jobs
# inlines this file into every job's test definition (comment and blank
# lines dropped), so a job does not depend on a checkout of the suite.
# POSIX sh and busybox: the machine needs sh, tar with gzip, curl or wget,
# base64 (or openssl), sha256sum and insmod; no jq, no python (the
# bundle's lazymmu-bench reads its own results: show --tsv).
#
#   sh guest.sh run NAME BUNDLE_URL MODULE_URL PROFILE NOISE DPA [UPLOAD_URL]
#                                     (LMB_WORK, LMB_OUT: /tmp/lmb-work, /tmp/lmb)
#   sh guest.sh costs NAME BUNDLE_URL MODULE_URL RUNS DPA [UPLOAD_URL]
#                                     RUNS runs of the costs profile, each
#                                     sent back as NAME-i (`lazymmu-bench
#                                     costs` makes the cost file of them)
#   sh guest.sh report RUNDIR         one lava-test-case per case
#   sh guest.sh emit NAME RUNDIR      the run as base64 between markers
#   sh guest.sh upload NAME RUNDIR URL
#
# emit prints, for scripts/lava/fetch-results to find in the job log:
#   LMB-RESULTS-BEGIN NAME size=BYTES sha256=HEX
#   <base64 of a tar.gz holding RUNDIR>
#   LMB-RESULTS-END NAME
# The size and digest let fetch-results tell a whole archive from one cut
# short or garbled on the serial line.
set +x

# Outside LAVA (a manual run) the results are only printed.
ltc=lava-test-case
command -v lava-test-case >/dev/null 2>&1 || ltc="echo lava-test-case"

# tc NAME pass|fail|skip [--measurement V --units U]
tc() {
	tcn=$1 tcr=$2
	shift 2
	$ltc "$tcn" --result "$tcr" "$@"
}

fetch() {
	if command -v curl >/dev/null 2>&1; then
		curl -fsSL --retry 3 -o "$2" "$1"
	else
		wget -q -O "$2" "$1"
	fi
}

# One test case per case of the run: its median op time in ns, or a skip
# when the case was unavailable (the vmalloc storm without the module).
# LMB_BIN: the lazymmu-bench to read the run with (default: the bundle's).
report() {
	# the suite reads its own JSON: "spec<TAB>status<TAB>median op_ns"
	"${LMB_BIN:-${LMB_WORK:-/tmp/lmb-work}/lazymmu-bench-aarch64/lazymmu-bench}" \
		show --tsv "$1" | while IFS='	' read -r spec st p50; do
		# LAVA test case names: letters, digits, ".", "_" and "-".
		id=$(printf '%s' "$spec" | tr ' =' '_-' | tr -cd 'A-Za-z0-9._-')
		if [ "$st" = ok ] && [ "$p50" != - ]; then
			tc "$id" pass --measurement "$p50" --units ns
		elif [ "$st" = unavailable ]; then
			tc "$id" skip
		else
			tc "$id" fail
		fi
	done
}

pack() {
	tar -C "$(dirname "$2")" -czf "$1" "$(basename "$2")"
}

emit() {
	name=$1 dir=$2 tgz=${TMPDIR:-/tmp}/lmb-results.$$.tar.gz
	pack "$tgz" "$dir" || return 1
	size=$(wc -c < "$tgz" | tr -d ' ')
	sum=$(sha256sum "$tgz" | cut -d' ' -f1)
	echo "LMB-RESULTS-BEGIN $name size=$size sha256=$sum"
	if command -v base64 >/dev/null 2>&1; then
		base64 "$tgz"
	else
		openssl base64 -in "$tgz"
	fi
	echo "LMB-RESULTS-END $name"
	rm -f "$tgz"
}

upload() {
	name=$1 dir=$2 url=${3%/} tgz=${TMPDIR:-/tmp}/lmb-results.$$.tar.gz
	pack "$tgz" "$dir" || return 1
	curl -fsS --retry 3 -T "$tgz" "$url/$name.tar.gz"
	rc=$?
	rm -f "$tgz"
	return $rc
}

# setup BUNDLE_URL MODULE_URL DPA: the bundle unpacked in $work ($b), the
# kernel's command line checked against the cell's, the module loaded.
# Non-zero when there is nothing to run with.
setup() {
	work=${LMB_WORK:-/tmp/lmb-work} out=${LMB_OUT:-/tmp/lmb}
	rm -rf "$work" "$out"
	mkdir -p "$work" && cd "$work" || return 1
	uname -a
	cat /proc/cmdline
	if fetch "$1" bundle.tar.gz && tar -xzf bundle.tar.gz; then
		tc lmb-download pass
	else
		tc lmb-download fail
		return 1
	fi
	b=$work/lazymmu-bench-aarch64
	# The kernel booted with the cell's arguments (a device type that
	# drops extra_kernel_args would measure the wrong cell).
	if case $3 in
		none) ! grep -q 'debug_pagealloc=' /proc/cmdline ;;
		*) grep -qw "debug_pagealloc=$3" /proc/cmdline ;;
		esac; then
		tc lmb-cmdline pass
	else
		tc lmb-cmdline fail
	fi
	# Without the module the vmalloc storm reports itself unavailable.
	# LMB_TEST=1 (tests/integration/lava.t on a build machine): the machine
	# is left alone, no module, no mounts.
	if fetch "$2" lazymmu_bench.ko && [ -z "${LMB_TEST:-}" ] && insmod lazymmu_bench.ko; then
		tc lmb-insmod pass
		# the module's interface is in debugfs
		grep -q ' /sys/kernel/debug ' /proc/mounts ||
			mount -t debugfs none /sys/kernel/debug || true
	else
		tc lmb-insmod skip
	fi
	# tracepoint counters (vmalloc:*, tlb:*) need tracefs
	[ -n "${LMB_TEST:-}" ] || grep -q ' /sys/kernel/tracing ' /proc/mounts ||
		mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
}

# measure PROFILE NOISE OUTDIR CASE: one run of PROFILE into OUTDIR, checked
# (test case CASE); its directory in $dir, empty when none was made.  Runs
# share OUTDIR, so that two started in the same second are named apart.
measure() {
	ls "$3" > before.lst 2>/dev/null || : > before.lst
	LAZYMMU_CONFIGS=$b/configs "$b/lazymmu-bench" run --profile "$1" \
		--neighbour "$2" --out "$3" > run.out 2> run.err
	rc=$?
	cat run.out run.err
	# the run directory this run made: the one new in OUTDIR
	dir=
	for d in $(ls "$3" 2>/dev/null); do
		grep -qxF "$d" before.lst || { dir=$3/$d; break; }
	done
	if [ "$rc" = 0 ] && [ -f "$dir/meta.json" ] &&
		LAZYMMU_CONFIGS=$b/configs "$b/lazymmu-bench" check "$dir"; then
		tc "$4" pass
	else
		tc "$4" fail
	fi
	# A failed run's directory still goes back: it says what happened.
	[ -n "$dir" ] && [ -f "$dir/meta.json" ] || dir=
}

# send NAME RUNDIR [UPLOAD_URL]: the run's cases as test cases, and the
# run itself uploaded, or printed between markers.
send() {
	LMB_BIN=$b/lazymmu-bench report "$2"
	if [ -n "${3:-}" ]; then
		if upload "$1" "$2" "$3"; then
			tc lmb-upload pass
			return 0
		fi
		tc lmb-upload fail
	fi
	emit "$1" "$2"
}

run() {
	name=$1 profile=$4 noise=$5 up=${7:-}
	setup "$2" "$3" "$6" || return 0
	measure "$profile" "$noise" "$out" lmb-run
	[ -z "$dir" ] || send "$name" "$dir" "$up"
}

costs() {
	cname=$1 cn=$4 cup=${6:-}
	setup "$2" "$3" "$5" || return 0
	ci=1
	while [ "$ci" -le "$cn" ]; do
		measure costs none "$out" "lmb-costs-$ci"
		[ -z "$dir" ] || send "$cname-$ci" "$dir" "$cup"
		ci=$((ci + 1))
	done
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
run|costs|report|emit|upload) "$cmd" "$@" ;;
*) echo "usage: guest.sh run|costs|report|emit|upload ..." >&2; exit 2 ;;
esac
