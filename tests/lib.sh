# tests/lib.sh - a few TAP helpers for the integration tests (bash).
# Source it, call plan N, then ok/fail/skip; every test names what it checks.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
LMB=${LMB:-build/host/lazymmu-bench}
TMP=$(mktemp -d /tmp/lmb-test.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$TMP"' EXIT
_n=0
plan() { echo "1..$1"; }
ok() { _n=$((_n + 1)); echo "ok $_n - $1"; }
not_ok() { _n=$((_n + 1)); echo "not ok $_n - $1"; [ $# -gt 1 ] && echo "# $2"; return 0; }
skip() { _n=$((_n + 1)); echo "ok $_n # SKIP $1"; }
# check "name" command...: ok when the command succeeds.
check() {
	local name=$1
	shift
	if "$@" >/dev/null 2>"$TMP/check.err"; then
		ok "$name"
	else
		not_ok "$name" "failed: $* $(head -c 300 "$TMP/check.err")"
	fi
}
# jqv FILE FILTER: one value from a JSON file.
jqv() { jq -r "$2" "$1"; }
# jqt FILE FILTER: true when FILTER yields true for FILE.
jqt() { jq -e "$2" "$1" >/dev/null; }
# { cmd1 && cmd2; }; verdict "name": ok when the compound just before
# succeeded (check "name" cmd1 && cmd2 would test only cmd1).
verdict() {
	local rc=$?
	if [ $rc = 0 ]; then
		ok "$1"
	else
		not_ok "$1" "failed (status $rc): $(head -c 300 "$TMP/err" 2>/dev/null)"
	fi
}
# one_line: the last command's stderr, in $TMP/err, is exactly one line.
one_line() { [ "$(wc -l < "$TMP/err")" = 1 ]; }
# refused DESC CMD WANTED: CMD (eval'd) exits 2 with one stderr line
# matching the extended regex WANTED.
refused() {
	local rc
	eval "$2" >/dev/null 2>"$TMP/err"
	rc=$?
	if [ "$rc" = 2 ] && one_line && grep -qE -- "$3" "$TMP/err"; then
		ok "$1"
	else
		not_ok "$1" "exit $rc, stderr: $(head -c 300 "$TMP/err")"
	fi
}
# wait_for GLOB PID: poll until a file matches GLOB (true), or PID has
# ended without one (false); a condition, not a fixed sleep.
wait_for() {
	while ! compgen -G "$1" > /dev/null; do
		kill -0 "$2" 2> /dev/null || compgen -G "$1" > /dev/null || return 1
		sleep 0.05
	done
}
# killed_run DIR: a three-case run into DIR, SIGKILLed once its first
# case is written and recorded done; prints the run directory (as `ls -d`
# does, with '/').
killed_run() {
	local pid
	"$LMB" run --case 'mprotect size=4K' --case 'fork size=16M' --case 'mremap size=1M' \
		--iterations 3000 --warmup 1 --out "$1" --quiet > /dev/null 2>&1 &
	pid=$!
	wait_for "$1/*/00-mprotect.json" $pid
	# meta.json records the case done just after its file is written: a
	# kill in between (a loaded machine) would leave no case done.
	until jq -e '.cases[0].done == true' "$1"/*/meta.json > /dev/null 2>&1; do
		kill -0 $pid 2> /dev/null || break
		sleep 0.05
	done
	kill -9 $pid 2> /dev/null
	wait $pid 2> /dev/null
	ls -d "$1"/*/ | head -n1
}
