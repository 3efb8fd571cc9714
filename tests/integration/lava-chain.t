#!/bin/bash
# tests/integration/lava-chain.t: the pieces of the nightly chain that need
# no dispatcher (tests/lava/nightly.t runs the real one): the device
# dictionary a qemu job renders passes LAVA's device schema and carries the
# job's context; verdict reads LAVA's results; serve serves and stops;
# bad input to nightly, dispatch, device, serve, rootfs and stage is one
# line and exit 2, with nothing left behind.
. "$(dirname "$0")/../lib.sh"
plan 24
PY=/usr/bin/python3
J=scripts/lava/jobs
printf 'profile smoke\nsmp 4\nmem 1G\ncell stock none\ncell stock on\n' > "$TMP/m.matrix"
"$J" "$TMP/m.matrix" --device-type qemu --boot-method qemu --artifacts http://127.0.0.1:1/a \
	--guest-artifacts http://10.0.2.2:1/a --out "$TMP/j" 2>/dev/null
scripts/lava/device "$TMP/j/02-stock-on-none-r1.yaml" > "$TMP/dev.yaml" 2> "$TMP/err"
check "device: a qemu job's device dictionary passes LAVA's device schema" \
	"$PY" -c 'import sys, yaml; from lava_common.schemas.device import validate; validate(yaml.safe_load(open(sys.argv[1])))' "$TMP/dev.yaml"
got=$("$PY" -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1]))["actions"]["boot"]["methods"]["qemu"]["parameters"]; print(d["command"], "|", " ".join(d["options"]), "|", " ".join(d["extra"]))' "$TMP/dev.yaml")
check "device: the job's context rendered: qemu-system-aarch64, -cpu max, virt, -m 1024, user net, -smp 4 -no-reboot" \
	[ "$got" = "qemu-system-aarch64 | -cpu max -machine virt -nographic -net nic,model=virtio,macaddr=52:54:00:12:34:58 -net user -m 1024 -monitor none | -smp 4 -no-reboot" ]
"$J" "$TMP/m.matrix" --device-type board --artifacts http://x/a --out "$TMP/ju" 2>/dev/null
refused "device: a job for another device type" "scripts/lava/device $TMP/ju/01-stock-none-none-r1.yaml" "device_type is 'board', not qemu"
refused "device: no such job" "scripts/lava/device $TMP/nosuch.yaml" "nosuch.yaml: .*No such file"
printf 'device_type: qemu\ncontext: {arch: riscv64}\n' > "$TMP/rv.yaml"
refused "device: a guest that is not arm64" "scripts/lava/device $TMP/rv.yaml" "arch 'riscv64': only arm64"

# --- verdict ------------------------------------------------------------------
logl() { printf -- '- {"dt": "x", "lvl": "results", "msg": {"case": "%s", "definition": "%s", "result": "%s"}}\n' "$@"; }
printf 'definition: lava\ncase: job\nresult: pass\n' > "$TMP/pass.yaml"
printf 'definition: lava\ncase: job\nresult: fail\nerror_type: Job\nerror_msg: "kernel-messages: Kernel panic - not syncing"\n' > "$TMP/fail.yaml"
{ logl http-download lava pass; logl lmb-run 0_lazymmu-bench pass; logl mprotect 0_lazymmu-bench skip; } > "$TMP/good.log"
{ logl lmb-download 0_lazymmu-bench pass; logl lmb-run 0_lazymmu-bench fail; } > "$TMP/bad.log"
logl http-download lava pass > "$TMP/none.log"
V=scripts/lava/verdict
check "verdict: LAVA's pass and every test case passed or skipped: pass" bash -c "[ \"\$($V $TMP/pass.yaml $TMP/good.log)\" = pass ]"
check "verdict: LAVA's error, its type and message, exit 1" bash -c \
	"out=\$($V $TMP/fail.yaml $TMP/good.log); [ \$? = 1 ] && [ \"\$out\" = 'fail: Job error: kernel-messages: Kernel panic - not syncing' ]"
printf -- '- {"dt": "x", "lvl": "target", "msg": "[    0.39] Kernel panic - not syncing: VFS: Unable to mount root fs"}\n' > "$TMP/panic.log"
printf 'result: fail\nerror_type: Infrastructure\nerror_msg: Connection closed\n' > "$TMP/closed.yaml"
check "verdict: a guest that panicked: its panic line first, then LAVA's error" bash -c \
	"[ \"\$($V $TMP/closed.yaml $TMP/panic.log)\" = 'fail: the guest: Kernel panic - not syncing: VFS: Unable to mount root fs (Infrastructure error: Connection closed)' ]"
check "verdict: a failed test case is a failed job" bash -c \
	"[ \"\$($V $TMP/pass.yaml $TMP/bad.log)\" = 'fail: test case lmb-run of 0_lazymmu-bench: fail' ]"
check "verdict: a job that ran no test case" bash -c "[ \"\$($V $TMP/pass.yaml $TMP/none.log)\" = 'fail: the job ran no test case' ]"
check "verdict: no result file (lava-run died)" bash -c "[ \"\$($V $TMP/nosuch.yaml $TMP/good.log)\" = 'fail: lava-run wrote no result (it died or was killed)' ]"

# --- serve --------------------------------------------------------------------
mkdir -p "$TMP/www" && echo hello > "$TMP/www/f"
got=$(scripts/lava/serve "$TMP/www" bash -c 'curl -fsS "http://127.0.0.1:$LMB_PORT/f"; echo "$LMB_PORT" > '"$TMP/port" 2> "$TMP/err")
check "serve: the directory is served on LMB_PORT while the command runs" [ "$got" = hello ]
check "serve: the server is stopped when the command ends" bash -c "! curl -fsS --max-time 5 http://127.0.0.1:\$(cat $TMP/port)/f"
scripts/lava/serve "$TMP/www" bash -c 'exit 7' 2> /dev/null
check "serve: the command's exit status" [ $? = 7 ]
refused "serve: not a directory" "scripts/lava/serve $TMP/www/f true" "f: not a directory"

# --- bad input to the chain -----------------------------------------------------
refused "nightly: an unknown matrix" "scripts/lava/nightly nosuch --out $TMP/n" "unknown matrix 'nosuch'"
refused "nightly: a bad machine name" "scripts/lava/nightly lab-smoke --machine 'a b' --out $TMP/n" "--machine 'a b': 1 to 40 letters"
refused "nightly: rounds out of range" "scripts/lava/nightly lab-smoke --rounds 100 --out $TMP/n" "--rounds must be 1..99"
refused "dispatch: a directory without index.tsv" "scripts/lava/dispatch $TMP/www $TMP/d" "www/index.tsv: no such file"
LMB_BUSYBOX_DEB=$TMP/www/f scripts/lava/rootfs "$TMP/r/rootfs.cpio.gz" > /dev/null 2> "$TMP/err"
{ [ $? = 2 ] && one_line && grep -q 'not a .deb' "$TMP/err" && [ ! -e "$TMP/r" ]; }
verdict "rootfs: a file that is not a .deb, one line, nothing written"
refused "stage: --rootfs that is not there" "scripts/lava/stage --rootfs $TMP/nosuch.cpio.gz $TMP/st" "nosuch.cpio.gz: not readable"
refused "stage: --kernel that is not VARIANT/nodpa|dpa" "scripts/lava/stage --kernel stock/on $TMP/st" "--kernel 'stock/on': VARIANT/nodpa or VARIANT/dpa"
refused "stage: a FRAGMENT that is not fragment names" "FRAGMENT='lab lava' scripts/lava/stage $TMP/st" "FRAGMENT 'lab lava': names of configs/kernel"
check "nothing left behind by bad input (no nightly out, no dispatch out, no stage out)" \
	bash -c "[ ! -e $TMP/n ] && [ ! -e $TMP/d ] && [ ! -e $TMP/st ]"
