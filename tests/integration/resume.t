#!/bin/bash
# A run killed with SIGKILL resumes: completed cases are kept as they
# were, the rest are run, nothing is duplicated.
. "$(dirname "$0")/../lib.sh"
plan 6

run=$(killed_run "$TMP/r")
run=${run%/}
done_before=$(jqv "$run/meta.json" '[.cases[] | select(.done)] | length')
check "killed mid-run: some but not all cases done" [ "$done_before" -ge 1 -a "$done_before" -lt 3 ]
check "no temp files left visible as results" [ -z "$(ls "$run" | grep -v -e '^[0-9][0-9]-' -e '^meta.json$')" ]
sum_before=$(sha256sum "$run/00-mprotect.json" "$run/00-mprotect.samples")

"$LMB" run --resume "$run" --quiet >/dev/null 2>"$TMP/err"
check "resume exits 0" [ $? = 0 ]
check "all cases done after resume" [ "$(jqv "$run/meta.json" '[.cases[] | select(.done)] | length')" = 3 ]
check "completed case untouched" [ "$sum_before" = "$(sha256sum "$run/00-mprotect.json" "$run/00-mprotect.samples")" ]
check "resumed run validates" "$LMB" check "$run"
