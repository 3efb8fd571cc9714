# SPDX-License-Identifier: GPL-2.0
# lazymmu-bench: build, test and run.  `make help` lists the targets.

CC	?= gcc
# On an arm64 machine the "cross" build is the native one.
CROSS	?= $(if $(filter aarch64,$(shell uname -m)),,aarch64-linux-gnu-)
CFLAGS	?= -O2 -g
# SANITIZE=1: the host build with AddressSanitizer (LeakSanitizer
# included) and UBSan, in build/host-san (make test-asan).
ifeq ($(SANITIZE),1)
SAN	:= -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
SAN	:=
endif
VERSION	:= $(shell git describe --always --dirty 2>/dev/null || echo unknown)
CFLAGS	+= -DLMB_VERSION='"$(VERSION)"'
# Headers are included by name ("stats.h", "lab.h") from every folder of
# bench/ that the library is built from.
CFLAGS	+= -std=gnu11 -Wall -Wextra -Wno-unused-parameter -D_GNU_SOURCE \
	   -Ibench -Ibench/analysis -Ibench/lab
LDLIBS	= -lpfm -ljson-c -lsqlite3 -lmd -lz -lm
LDLIBS_GUEST = $(filter-out -lsqlite3,$(LDLIBS))

# The library: measurement (bench/, storms, collector), analysis
# (bench/analysis) and the lab's importer (bench/lab/lab.c).  The rest of
# bench/lab/ (the TCG plugin, the guest's /init) is built on its own below.
LIB_SRC	:= $(filter-out bench/main.c bench/analysis/history-none.c,$(wildcard \
	   bench/*.c bench/storms/*.c bench/collector/*.c bench/analysis/*.c)) \
	   bench/lab/lab.c
HDRS	:= $(wildcard bench/*.h bench/storms/*.h bench/collector/*.h \
	   bench/analysis/*.h bench/lab/*.h)
# The lab guest's binary: every command but history (no SQLite in the image).
GUEST_SRC := $(filter-out bench/analysis/history.c,$(LIB_SRC)) bench/analysis/history-none.c
UNIT	:= $(wildcard tests/unit/test_*.c)

HOST	:= build/host$(if $(SAN),-san)
A64	:= build/aarch64

.PHONY: costs nightly server server-status server-kernels all aarch64 lab-tools kernel kernels lab lab-test lab-overhead labbench reference test test-host test-asan fuzz bench selfbench aa clean distclean help
# Keep objects of the test binaries between runs.
.SECONDARY:

all: $(HOST)/lazymmu-bench

# --- host build --------------------------------------------------------
$(HOST)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) -c -o $@ $<

$(HOST)/liblmb.a: $(LIB_SRC:%.c=$(HOST)/%.o)
	$(AR) rcs $@ $^

$(HOST)/lazymmu-bench: $(HOST)/bench/main.o $(HOST)/liblmb.a
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(LDLIBS)

$(HOST)/tests/%: $(HOST)/tests/unit/%.o $(HOST)/liblmb.a
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ -lcmocka $(LDLIBS)

# main.o carries the version: rebuild it when `git describe` changes.
build/version: FORCE
	@mkdir -p build
	@echo '$(VERSION)' | cmp -s - $@ || echo '$(VERSION)' > $@
$(HOST)/bench/main.o $(A64)/bench/main.o: build/version
FORCE:

# --- static aarch64 build (gcc-aarch64-linux-gnu, arm64 -dev packages) --
$(A64)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(CFLAGS) -c -o $@ $<

$(A64)/liblmb.a: $(LIB_SRC:%.c=$(A64)/%.o)
	$(CROSS)ar rcs $@ $^

$(A64)/lazymmu-bench: $(A64)/bench/main.o $(A64)/liblmb.a
	$(CROSS)gcc $(CFLAGS) -static -o $@ $^ $(LDLIBS)

# The same for the lab's initramfs (scripts/lab/mkinitramfs), without
# history and SQLite: build/aarch64/lazymmu-bench keeps every command
# for servers and LAVA.
$(A64)/liblmb-guest.a: $(GUEST_SRC:%.c=$(A64)/%.o)
	$(CROSS)ar rcs $@ $^

$(A64)/lazymmu-bench-guest: $(A64)/bench/main.o $(A64)/liblmb-guest.a
	$(CROSS)gcc $(CFLAGS) -static -o $@ $^ $(LDLIBS_GUEST)

# Debian ships no static cmocka: the unit tests link dynamically against
# the arm64 multiarch libraries, which qemu-aarch64 finds in /lib.
$(A64)/tests/%: $(A64)/tests/unit/%.o $(A64)/liblmb.a
	$(CROSS)gcc $(CFLAGS) -o $@ $^ -lcmocka $(LDLIBS)

# The lab's overhead figure runs the bare loop in the guest (scripts/lab/overhead).
$(A64)/bare-mprotect: bench/tools/bare-mprotect.c bench/phase.c bench/phase.h
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(CFLAGS) -static -o $@ $(filter %.c,$^)

aarch64: $(A64)/lazymmu-bench $(A64)/lazymmu-bench-guest $(A64)/bare-mprotect $(UNIT:tests/unit/%.c=$(A64)/tests/%)

# --- the emulated lab (bench/lab, scripts/lab, kernels/) ---------------------
# The TCG plugin (bench/lab/plugin) is built against QEMU's qemu-plugin.h,
# which scripts/lab/plugin-header finds or fetches (Debian ships it in no
# binary package).  init and the plugin's test program are static aarch64.
LAB	:= build/lab
PLUGIN_SRC := bench/lab/plugin/lmbcount.c bench/lab/plugin/a64insn.c bench/phase.c
PLUGIN_HDR := bench/lab/plugin/a64insn.h bench/phase.h

$(LAB)/include/qemu-plugin.h:
	scripts/lab/plugin-header $@

$(LAB)/lmbcount.so: $(PLUGIN_SRC) $(PLUGIN_HDR) $(LAB)/include/qemu-plugin.h
	$(CC) $(CFLAGS) -fPIC -shared -Ibench/lab/plugin -I$(LAB)/include \
		-o $@ $(PLUGIN_SRC) -lpthread

$(LAB)/a64decode: bench/lab/plugin/a64decode.c bench/lab/plugin/a64insn.c bench/lab/plugin/a64insn.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ibench/lab/plugin -o $@ $(filter %.c,$^)

$(LAB)/init: bench/lab/init.c bench/phase.c bench/phase.h
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(CFLAGS) -static -o $@ $(filter %.c,$^)

$(LAB)/plugin-prog: tests/lab/plugin-prog.c bench/phase.c bench/calib.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(CFLAGS) -static -o $@ $(filter %.c,$^)

$(LAB)/insns-prog: tests/lab/insns-prog.c
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(CFLAGS) -static -o $@ $<

$(LAB)/kmod-test: tests/lab/kmod-test.c
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(CFLAGS) -static -o $@ $< -lpthread

lab-tools: $(LAB)/lmbcount.so $(LAB)/a64decode $(LAB)/init $(LAB)/plugin-prog $(LAB)/insns-prog $(LAB)/kmod-test

# One kernel: make kernel VARIANT=stock CONFIG=dpa (kernels/build).
VARIANT	?= stock
CONFIG	?= dpa
kernel:
	kernels/build $(VARIANT) $(CONFIG)

# Every variant (a directory of kernels/ with a README.md), both configs.
VARIANTS := $(patsubst kernels/%/README.md,%,$(wildcard kernels/*/README.md))
kernels:
	set -e; for v in $(VARIANTS); do for c in nodpa dpa; do \
		kernels/build $$v $$c; done; done

labbench: all aarch64 lab-tools
	scripts/lab/labbench

# The lab: every cell of MATRIX (configs/matrix/MATRIX.matrix), kernels
# built as needed, results under results/.
MATRIX	?= lab-stock
lab: all aarch64 lab-tools
	scripts/lab/lab $(MATRIX) $(LAB_ARGS)

# The harness's overhead, exact: one boot, the mprotect storm and the bare
# loop counted instruction by instruction (scripts/lab/overhead; figures
# in results/<UTC>-lab-overhead/overhead.json).
lab-overhead: all aarch64 lab-tools
	scripts/lab/overhead $(OVERHEAD_ARGS)

# A reference run like results/reference/ (two runs of the reference
# matrix, the report, tarballs) under results/reference-<UTC>/.
reference: all aarch64 lab-tools
	scripts/lab/reference

# --- a real arm64 server (scripts/server/) ---------------------------------
# Every variant built for servers (defconfig + configs/kernel/server) and
# installed with its module and initrd; then a matrix, one cell per boot,
# cycled with kexec and resumed after every boot by a systemd unit.
server-kernels:
	set -e; for v in $(VARIANTS); do for c in nodpa dpa; do \
		BASE=defconfig FRAGMENT=server kernels/build $$v $$c; \
		scripts/server/install-kernel $$v $$c; done; done

SMATRIX	= $(if $(filter command line,$(origin MATRIX)),$(MATRIX),server-main)
server: all
	scripts/server/matrix start $(SMATRIX) --kexec $(SERVER_ARGS)

server-status:
	scripts/server/matrix status

# The nightly chain through a real LAVA dispatcher (lava-run) and LAVA's qemu
# device type, no LAVA server: guest kernels, stage, jobs, lava-run each,
# fetch-results, history, dashboard (scripts/lava/nightly; root, and
# scripts/install-deps --lava).  NIGHTLY_ARGS: --machine, --db, --rounds, ...
NMATRIX	= $(if $(filter command line,$(origin MATRIX)),$(MATRIX),lab-smoke)
nightly: all aarch64
	scripts/lava/nightly $(NMATRIX) $(NIGHTLY_ARGS)

# What each counted instruction costs on this CPU (scripts/costs): runs of
# the costs profile and the cost file compare --predict reads.
costs: all
	scripts/costs $(COSTS_ARGS)

# The lab's own end-to-end test: builds the stock kernels, boots them.
lab-test: all aarch64 lab-tools
	prove --exec scripts/tap-exec tests/lab-boot/*.t

# --- fuzzing (clang's libFuzzer, with ASan and UBSan) ---------------------
# One target per parser family (tests/fuzz/fuzz_*.c), seeded from
# tests/fuzz/corpus/<target>/.  make fuzz FUZZ_SECONDS=N runs each for N s.
FUZZ	:= build/fuzz
FUZZ_CC	:= clang
FUZZ_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(FUZZ)/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 15

$(FUZZ)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(filter-out -O2,$(CFLAGS)) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ)/liblmb.a: $(LIB_SRC:%.c=$(FUZZ)/%.o)
	$(AR) rcs $@ $^

$(FUZZ)/fuzz_%: $(FUZZ)/tests/fuzz/fuzz_%.o $(FUZZ)/liblmb.a
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

# The plugin target compiles the plugin's source in, against qemu-plugin.h.
$(FUZZ)/tests/fuzz/fuzz_plugin.o: tests/fuzz/fuzz_plugin.c $(PLUGIN_SRC) $(PLUGIN_HDR) $(LAB)/include/qemu-plugin.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(filter-out -O2,$(CFLAGS)) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link \
		-Ibench/lab/plugin -I$(LAB)/include -c -o $@ $<

$(FUZZ)/fuzz_plugin: $(FUZZ)/tests/fuzz/fuzz_plugin.o $(filter-out %/lmbcount.c,$(PLUGIN_SRC))
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -Ibench/lab/plugin -Ibench -o $@ $^ -lpthread

# Each target for FUZZ_SECONDS from its seed corpus (copied, so the
# repository's corpus only grows by hand); a crash leaves its input in
# build/fuzz/ and fails.
fuzz: $(FUZZ_TARGETS)
	@set -e; for t in $(FUZZ_TARGETS); do n=$${t##*/}; \
		rm -rf $(FUZZ)/corpus-$$n && mkdir -p $(FUZZ)/corpus-$$n && \
		cp tests/fuzz/corpus/$$n/* $(FUZZ)/corpus-$$n/; \
		echo "fuzz: $$n for $(FUZZ_SECONDS) s"; \
		if ! $$t -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(FUZZ)/$$n- \
			-print_final_stats=1 $(FUZZ)/corpus-$$n > $(FUZZ)/$$n.log 2>&1; then \
			grep -E -A20 'ERROR|SUMMARY' $(FUZZ)/$$n.log | head -40; \
			echo "0 passed, 1 failed (fuzz $$n; input in $(FUZZ)/$$n-*)"; exit 1; fi; \
		grep -E '^Done|number_of_executed_units' $(FUZZ)/$$n.log; done; \
		echo "fuzz: no crash"

# --- tests ---------------------------------------------------------------
# One prove run over everything, so CI reads one summary: host unit tests
# (cmocka in TAP mode), integration scripts, and the aarch64 unit tests and
# storms under qemu-aarch64 (scripts/tap-exec picks the runner).
HOST_UNIT := $(UNIT:tests/unit/%.c=$(HOST)/tests/%)
A64_UNIT  := $(UNIT:tests/unit/%.c=$(A64)/tests/%)

test: all aarch64 lab-tools $(HOST_UNIT)
	CMOCKA_MESSAGE_OUTPUT=TAP prove --exec scripts/tap-exec \
		$(HOST_UNIT) tests/integration/*.t $(A64_UNIT) tests/aarch64/*.t \
		tests/lab/*.t tests/lava/*.t
	$(MAKE) test-asan
	$(MAKE) fuzz FUZZ_SECONDS=10

test-host: all $(HOST_UNIT)
	CMOCKA_MESSAGE_OUTPUT=TAP prove --exec scripts/tap-exec \
		$(HOST_UNIT) tests/integration/*.t

# The host unit and integration tests on the sanitized build.  Reports
# go to build/host-san/reports/ as well as failing the process; any report
# fails the target, even one whose test ignored the exit status.
SANLOG	:= $(CURDIR)/build/host-san/reports
test-asan: all aarch64 lab-tools
	$(MAKE) SANITIZE=1 build/host-san/lazymmu-bench $(UNIT:tests/unit/%.c=build/host-san/tests/%)
	rm -rf $(SANLOG) && mkdir -p $(SANLOG)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:log_path=$(SANLOG)/asan \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$(SANLOG)/ubsan \
	LMB=build/host-san/lazymmu-bench CMOCKA_MESSAGE_OUTPUT=TAP prove --exec scripts/tap-exec \
		$(UNIT:tests/unit/%.c=build/host-san/tests/%) tests/integration/*.t tests/lab/*.t
	@if ls $(SANLOG)/* >/dev/null 2>&1; then \
		echo "test-asan: sanitizer reports:"; head -n 30 $(SANLOG)/*; \
		echo "0 passed, 1 failed (sanitizer reports in $(SANLOG))"; exit 1; fi
	@echo "test-asan: no sanitizer report"

# --- running -------------------------------------------------------------
PROFILE	?= quick
bench: $(HOST)/lazymmu-bench
	$(HOST)/lazymmu-bench run --profile $(PROFILE) $(BENCH_ARGS)

# --- the suite measuring itself (figures, not tests) -----------------------
$(HOST)/bare-mprotect: bench/tools/bare-mprotect.c bench/phase.c bench/phase.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $(filter %.c,$^)

selfbench: $(HOST)/lazymmu-bench $(HOST)/bare-mprotect
	scripts/selfbench

# A/A false alarms, detectable effects and power (scripts/aa-bench).
aa: $(HOST)/lazymmu-bench
	scripts/aa-bench

# clean keeps the kernels (build/kernel: ~4 min each to rebuild), the
# fetched sources and apt state; distclean removes everything.
clean:
	rm -rf build/host build/host-san build/fuzz build/aarch64 build/lab build/version

distclean:
	rm -rf build

help:
	@echo "make            build the host binary ($(HOST)/lazymmu-bench)"
	@echo "make bench      run PROFILE=$(PROFILE) on this kernel (BENCH_ARGS=... for more)"
	@echo "make test       unit, integration and aarch64-under-qemu tests"
	@echo "make test-host  the same without the aarch64 half"
	@echo "make aarch64    static aarch64 binaries in $(A64) (lazymmu-bench-guest: the lab's, without history)"
	@echo "make selfbench  harness overhead and noise against stress-ng"
	@echo "make aa         A/A false alarms, detectable effects, power (compare, history)"
	@echo "make lab-tools  the TCG plugin, the lab's init, the decoder"
	@echo "make kernel     one lab kernel: VARIANT=$(VARIANT) CONFIG=$(CONFIG) (nodpa|dpa)"
	@echo "make lab        run MATRIX=$(MATRIX) in qemu-system-aarch64 (LAB_ARGS=...)"
	@echo "make kernels    every variant in kernels/, nodpa and dpa"
	@echo "make test-asan  the host tests on an ASan+UBSan build (part of make test)"
	@echo "make fuzz       libFuzzer on every parser, FUZZ_SECONDS=$(FUZZ_SECONDS) each (10 s in make test)"
	@echo "make lab-test   build and boot the stock kernels, check the counts"
	@echo "make nightly    [MATRIX=lab-smoke] the nightly chain through lava-run (root, install-deps --lava)"
	@echo "make costs      this CPU's cost per barrier kind: results/costs/<cpu>-<kernel>/costs.json (COSTS_ARGS=--runs N)"
	@echo "make labbench   the lab's wall-time and rebuild figures"
	@echo "make lab-overhead  the harness's overhead in instructions per op, exact (OVERHEAD_ARGS=...)"
	@echo "make reference  the reference run (results/reference/README.md)"
	@echo "make server-kernels  build and install every variant on this arm64 server (root)"
	@echo "make server     the kexec matrix, one cell per boot: MATRIX=server-main (root)"
	@echo "make server-status   progress of the current server matrix"
	@echo "make clean      remove the builds but not the kernels; distclean: all of build/"
