// SPDX-License-Identifier: GPL-2.0
/*
 * kmod-test.c - /init of a guest that exercises lazymmu_bench.ko: loads it,
 * checks config/op/selfcheck, the calib mode and the cost loops (pte,
 * pte0, tlbi-vaale1is, tlbi-vale1is, loop), marked ops (reads at 0x100 +
 * phase), bad input (EINVAL, ENOMEM, EBUSY, ENODATA), concurrent users
 * and leaks over unload/reload; prints PASS/FAIL lines
 * and "=== lmbtest done: N failure(s)", then powers off.  Driven by
 * tests/lab-boot/kmod.t (make lab-test).
 */
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "phase.h"

#define D "/sys/kernel/debug/lazymmu_bench"
/* INTERFACE.md: a read at OP_MARKED + P runs one op marked as phase P. */
#define OP_MARKED 0x100
#define OP_TEXT 21		/* a marked read must ask for this much */

static int failures;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
	if (!ok)
		failures++;
}

static int config(const char *s)
{
	int fd = open(D "/config", O_WRONLY);
	ssize_t n;
	int e = 0;

	if (fd < 0)
		return errno;
	n = write(fd, s, strlen(s));
	if (n < 0)
		e = errno;
	else if ((size_t)n != strlen(s))
		e = -1;
	close(fd);
	return e;
}

static long long op_at(int fd, off_t off, int *err)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, off);

	*err = 0;
	if (n <= 0) {
		*err = n < 0 ? errno : -1;
		return -1;
	}
	buf[n] = 0;
	return strtoll(buf, NULL, 10);
}

static long long op(int fd, int *err)
{
	return op_at(fd, 0, err);
}

static void cat(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		printf("%s: %s\n", path, strerror(errno));
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	if (n < 0)
		printf("%s: read: %s\n", path, strerror(errno));
	close(fd);
}

static long meminfo(const char *key)
{
	char line[256];
	FILE *f = fopen("/proc/meminfo", "r");
	long v = -1;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':')
			v = strtol(line + strlen(key) + 1, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

/* Pages allocated and not freed since boot (pgalloc_* - pgfree). */
static long netpages(void)
{
	char key[64];
	long v, net = 0;
	FILE *f = fopen("/proc/vmstat", "r");

	while (f && fscanf(f, "%63s %ld", key, &v) == 2) {
		if (!strncmp(key, "pgalloc_", 8))
			net += v;
		else if (!strcmp(key, "pgfree"))
			net -= v;
	}
	if (f)
		fclose(f);
	return net;
}

static void *op_thread(void *arg)
{
	int e;

	op(*(int *)arg, &e);
	return (void *)(long)e;
}

static int load(void)
{
	int fd = open("/lazymmu_bench.ko", O_RDONLY);

	if (fd < 0 || syscall(SYS_finit_module, fd, "", 0)) {
		printf("load: %s\n", strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* @nops ops of @cfg as the storms run them: marked as the measure phase. */
static void run(const char *cfg, int nops)
{
	long long v[64];
	int fd, e, i;

	e = config(cfg);
	if (e) {
		printf("config '%s': %s\n", cfg, e > 0 ? strerror(e) : "short");
		failures++;
		return;
	}
	fd = open(D "/op", O_RDONLY);
	for (i = 0; i < nops; i++) {
		v[i] = op_at(fd, OP_MARKED + PHASE_MEASURE, &e);
		if (e) {
			printf("op '%s': %s\n", cfg, e > 0 ? strerror(e) : "empty");
			failures++;
			close(fd);
			return;
		}
	}
	close(fd);
	printf("ops %-44s", cfg);
	for (i = 0; i < nops && i < 5; i++)
		printf(" %lld", v[i]);
	qsort(v, nops, sizeof(v[0]), cmp);
	printf("  | median %lld ns over %d\n", v[nops / 2], nops);
}

int main(void)
{
	static const struct { const char *s; int err; } bad[] = {
		{ "", EINVAL },
		{ "\n", EINVAL },
		{ "garbage\n", EINVAL },
		{ "mode=vmalloc pages=16 huge=0\n", EINVAL },
		{ "mode=vmalloc pages=16 huge=0 writes=1 writes=1\n", EINVAL },
		{ "mode=vmalloc pages=16 huge=0 writes=1 extra=1\n", EINVAL },
		{ "mode=sideways pages=16 huge=0 writes=1\n", EINVAL },
		{ "mode=vmalloc pages=0 huge=0 writes=1\n", EINVAL },
		{ "mode=vmalloc pages=-1 huge=0 writes=1\n", EINVAL },
		{ "mode=vmalloc pages=65537 huge=0 writes=1\n", EINVAL },
		{ "mode=vmalloc pages=99999999999 huge=0 writes=1\n", EINVAL },
		{ "mode=vmalloc pages=16 huge=2 writes=1\n", EINVAL },
		{ "mode=nested pages=16 huge=0 writes=513\n", EINVAL },
		{ "mode=nested pages=16 huge=1 writes=1\n", EINVAL },
		{ "mode=vmalloc pages=16x huge=0 writes=1\n", EINVAL },
		{ "mode= pages=16 huge=0 writes=1\n", EINVAL },
		{ "mode=vmalloc pages=16 huge=0 writes=1 "
		  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", EINVAL },
		{ "writes=512 huge=0 pages=65536 mode=vmalloc\n", 0 },
		{ "mode=vmap pages=65536 huge=0 writes=0\n", 0 },
		{ "mode=vmap pages=1 huge=0 writes=0", 0 },
		{ "mode=vmap pages=65536 huge=0 writes=0\n", 0 },
		{ "mode=nested pages=65536 huge=0 writes=512\n", 0 },
		{ "mode=nested pages=3 huge=0 writes=0\n", 0 },
		{ "mode=calib pages=0 huge=0 writes=0\n", EINVAL },
		{ "mode=calib pages=65537 huge=0 writes=0\n", EINVAL },
		{ "mode=calib pages=16 huge=1 writes=0\n", EINVAL },
		{ "mode=calib pages=16 huge=0\n", EINVAL },
		{ "mode=calib pages=1 huge=0 writes=0\n", 0 },
		{ "mode=calib pages=65536 huge=0 writes=0\n", 0 },
		{ "writes=0 huge=0 pages=1000 mode=calib", 0 },
		{ "mode=pte pages=0 huge=0 writes=0\n", EINVAL },
		{ "mode=pte pages=65537 huge=0 writes=0\n", EINVAL },
		{ "mode=pte pages=16 huge=1 writes=0\n", EINVAL },
		{ "mode=pte0 pages=16 huge=0 writes=513\n", EINVAL },
		{ "mode=tlbi-vaale1is pages=16 huge=1 writes=0\n", EINVAL },
		{ "mode=tlbi-vale1is pages=16 writes=0\n", EINVAL },
		{ "mode=tlbi pages=16 huge=0 writes=0\n", EINVAL },
		{ "mode=loop pages=16 huge=0 writes=0 mode=loop\n", EINVAL },
		{ "mode=pte pages=1 huge=0 writes=0\n", 0 },
		{ "mode=pte pages=65536 huge=0 writes=512\n", 0 },
		{ "mode=pte0 pages=65536 huge=0 writes=0\n", 0 },
		{ "mode=tlbi-vaale1is pages=65536 huge=0 writes=0\n", 0 },
		{ "mode=tlbi-vale1is pages=1 huge=0 writes=0\n", 0 },
		{ "writes=0 huge=0 pages=1000 mode=loop", 0 },
	};
	static const char *const kcost[] = {
		"pte", "pte0", "tlbi-vaale1is", "tlbi-vale1is", "loop",
	};
	long free0, free1, vm0, vm1, net0 = 0, net1 = 0;
	char buf[64];
	int fd, fd2, e, i, status, round;
	unsigned int k;
	pid_t pid;

	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	mkdir("/proc", 0755);
	mkdir("/sys", 0755);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	printf("=== lmbtest: cmdline: ");
	cat("/proc/cmdline");

	free0 = meminfo("MemFree");
	vm0 = meminfo("VmallocUsed");
	if (load())
		goto out;
	printf("=== selfcheck\n");
	cat(D "/selfcheck");
	cat(D "/selfcheck");

	printf("=== op before config\n");
	fd = open(D "/op", O_RDONLY);
	op(fd, &e);
	check(e == ENODATA, "op before any config: ENODATA");
	op_at(fd, OP_MARKED + PHASE_MEASURE, &e);
	check(e == ENODATA, "marked op before any config: ENODATA");
	close(fd);

	printf("=== bad and edge inputs\n");
	for (i = 0; i < (int)(sizeof(bad) / sizeof(bad[0])); i++) {
		char what[256];

		e = config(bad[i].s);
		snprintf(what, sizeof(what), "'%.*s' -> %s (want %s)",
			 (int)strcspn(bad[i].s, "\n"), bad[i].s,
			 e > 0 ? strerror(e) : e ? "short" : "ok",
			 bad[i].err ? strerror(bad[i].err) : "ok");
		check(e == bad[i].err, what);
	}

	printf("=== ENOMEM: hold all but ~150 MB in user space\n");
	{
		long avail = meminfo("MemFree") - 150 * 1024;
		size_t len = avail > 0 ? (size_t)avail * 1024 : 0;
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

		printf("holding %zu MB, MemFree %ld kB\n", len >> 20,
		       meminfo("MemFree"));
		e = config("mode=vmap pages=65536 huge=0 writes=0\n");
		check(e == ENOMEM, "vmap pages=65536 (256 MB) with ~150 MB free -> ENOMEM");
		fd = open(D "/op", O_RDONLY);
		op(fd, &e);
		check(e == ENODATA, "after a failed config nothing is configured: op -> ENODATA");
		close(fd);
		if (p != MAP_FAILED)
			munmap(p, len);
	}

	printf("=== op: short read, offset, cat semantics\n");
	config("mode=vmalloc pages=4 huge=0 writes=0\n");
	fd = open(D "/op", O_RDONLY);
	check(read(fd, buf, sizeof(buf)) > 1, "read at 0 runs an op");
	check(read(fd, buf, sizeof(buf)) == 0, "next read() at offset>0: EOF");
	check(pread(fd, buf, sizeof(buf), 0) > 1, "pread at 0 again: an op");
	close(fd);

	printf("=== marked ops: offset 0x100 + phase\n");
	fd = open(D "/op", O_RDONLY);
	for (e = 0, i = 0; i < PHASE_NR; i++)
		if (op_at(fd, OP_MARKED + i, &e) <= 0 || e)
			break;
	check(i == PHASE_NR, "pread at 0x100 + P, every phase P: an op, ns > 0");
	check(pread(fd, buf, sizeof(buf), OP_MARKED + PHASE_NR) < 0 &&
	      errno == EINVAL, "pread at 0x100 + PHASE_NR -> EINVAL");
	check(pread(fd, buf, sizeof(buf), 0x1ff) < 0 && errno == EINVAL,
	      "pread at 0x1ff -> EINVAL");
	check(pread(fd, buf, sizeof(buf), 1L << 40) < 0 && errno == EINVAL,
	      "pread at 1 << 40 -> EINVAL");
	check(pread(fd, buf, sizeof(buf), 0xff) == 0, "pread at 0xff: EOF");
	check(pread(fd, buf, OP_TEXT - 1, OP_MARKED + PHASE_MEASURE) < 0 &&
	      errno == EINVAL, "marked pread of 20 bytes -> EINVAL");
	{
		ssize_t n = pread(fd, buf, OP_TEXT, OP_MARKED + PHASE_MEASURE);

		check(n > 1 && buf[n - 1] == '\n' && strtoll(buf, NULL, 10) > 0,
		      "marked pread of 21 bytes: the whole answer");
	}
	check(lseek(fd, OP_MARKED + PHASE_WARMUP, SEEK_SET) == OP_MARKED + PHASE_WARMUP &&
	      read(fd, buf, sizeof(buf)) > 1 && read(fd, buf, sizeof(buf)) > 1 &&
	      lseek(fd, 0, SEEK_CUR) == OP_MARKED + PHASE_WARMUP,
	      "read() at 0x100 + P twice: two ops, the offset stays");
	close(fd);

	printf("=== calib\n");
	check(config("mode=calib pages=1000 huge=0 writes=0\n") == 0,
	      "calib pages=1000 accepted");
	fd = open(D "/op", O_RDONLY);
	check(op(fd, &e) > 0 && !e, "calib op at offset 0: ns > 0");
	check(op_at(fd, OP_MARKED + PHASE_MEASURE, &e) > 0 && !e,
	      "calib op marked as measure: ns > 0");
	check(pread(fd, buf, sizeof(buf), OP_MARKED + PHASE_NR) < 0 &&
	      errno == EINVAL, "calib: pread at 0x100 + PHASE_NR -> EINVAL");
	close(fd);
	check(config("mode=calib pages=65536 huge=0 writes=0\n") == 0,
	      "calib pages=65536 accepted");
	fd = open(D "/op", O_RDONLY);
	{
		long long ns = op_at(fd, OP_MARKED + PHASE_MEASURE, &e);

		printf("calib 65536 rounds: %lld ns\n", ns);
		check(ns > 0 && !e, "calib op of 65536 rounds (interrupts off) completes");
	}
	close(fd);

	printf("=== cost loops\n");
	{
		char sc0[512], sc1[512];
		ssize_t n0, n1;

		fd2 = open(D "/selfcheck", O_RDONLY);
		n0 = fd2 >= 0 ? read(fd2, sc0, sizeof(sc0)) : -1;
		close(fd2);
		for (i = 0; i < (int)(sizeof(kcost) / sizeof(kcost[0])); i++) {
			char cfg[96], what[160];
			long long a, b, c;
			int e1, e2, e3;

			snprintf(cfg, sizeof(cfg),
				 "mode=%s pages=1000 huge=0 writes=0\n", kcost[i]);
			e = config(cfg);
			fd = open(D "/op", O_RDONLY);
			a = op(fd, &e1);
			b = op_at(fd, OP_MARKED + PHASE_MEASURE, &e2);
			close(fd);
			snprintf(cfg, sizeof(cfg),
				 "mode=%s pages=65536 huge=0 writes=0\n", kcost[i]);
			config(cfg);
			fd = open(D "/op", O_RDONLY);
			c = op_at(fd, OP_MARKED + PHASE_MEASURE, &e3);
			close(fd);
			printf("%s: 1000 iterations %lld ns, marked %lld ns; 65536 marked %lld ns\n",
			       kcost[i], a, b, c);
			snprintf(what, sizeof(what),
				 "%s: config accepted, ops at 0 and marked, 1000 and 65536 iterations (interrupts off): ns > 0",
				 kcost[i]);
			check(!e && !e1 && !e2 && !e3 && a > 0 && b > 0 && c > 0,
			      what);
		}
		/* pte and pte0 borrow the selfcheck's page and leave it clear. */
		fd2 = open(D "/selfcheck", O_RDONLY);
		n1 = fd2 >= 0 ? read(fd2, sc1, sizeof(sc1)) : -1;
		close(fd2);
		check(n0 > 0 && n0 == n1 && !memcmp(sc0, sc1, n0),
		      "selfcheck after the pte and pte0 ops: the same answer");
	}

	printf("=== EBUSY\n");
	fd = open(D "/op", O_RDONLY);
	check(fd >= 0, "owner opens op");
	fd2 = open(D "/op", O_RDONLY);
	check(fd2 >= 0, "owner opens op twice");
	close(fd2);
	pid = fork();
	if (pid == 0) {
		int r = 0;

		if (open(D "/op", O_RDONLY) >= 0 || errno != EBUSY)
			r |= 1;
		if (config("mode=vmalloc pages=4 huge=0 writes=0\n") != EBUSY)
			r |= 2;
		_exit(r);
	}
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && (WEXITSTATUS(status) & 1) == 0,
	      "other process: open op -> EBUSY");
	check(WIFEXITED(status) && (WEXITSTATUS(status) & 2) == 0,
	      "other process: config write -> EBUSY");
	check(config("mode=vmalloc pages=8 huge=0 writes=0\n") == 0,
	      "owner may reconfigure while holding op");
	close(fd);
	pid = fork();
	if (pid == 0)
		_exit(config("mode=vmalloc pages=4 huge=0 writes=0\n") != 0);
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "after the owner closes op, others may configure");

	printf("=== EBUSY while an op runs (thread of the owner)\n");
	{
		pthread_t t;
		void *ret;
		struct timespec ts = { 0, 50 * 1000 * 1000 };

		config("mode=nested pages=65536 huge=0 writes=512\n");
		fd = open(D "/op", O_RDONLY);
		pthread_create(&t, NULL, op_thread, &fd);
		nanosleep(&ts, NULL);
		e = config("mode=vmalloc pages=4 huge=0 writes=0\n");
		check(e == EBUSY, "config write while another thread runs an op -> EBUSY");
		op(fd, &e);
		check(e == EBUSY, "second concurrent op -> EBUSY");
		pthread_join(t, &ret);
		check(ret == NULL, "the running op (nested 65536 pages, 512 writes) completes");
		close(fd);
	}

	printf("=== ops (ns; first 5, then median)\n");
	run("mode=vmalloc pages=16 huge=0 writes=0\n", 21);
	run("mode=vmalloc pages=512 huge=0 writes=0\n", 21);
	run("mode=vmalloc pages=512 huge=1 writes=0\n", 21);
	run("mode=vmap pages=16 huge=0 writes=0\n", 21);
	run("mode=vmap pages=512 huge=0 writes=0\n", 21);
	run("mode=nested pages=16 huge=0 writes=0\n", 21);
	run("mode=nested pages=16 huge=0 writes=1\n", 21);
	run("mode=nested pages=16 huge=0 writes=16\n", 21);
	run("mode=nested pages=16 huge=0 writes=64\n", 21);
	run("mode=nested pages=512 huge=0 writes=16\n", 11);
	run("mode=nested pages=4096 huge=0 writes=512\n", 3);
	run("mode=calib pages=1 huge=0 writes=0\n", 21);
	run("mode=calib pages=1000 huge=0 writes=0\n", 21);
	for (i = 0; i < (int)(sizeof(kcost) / sizeof(kcost[0])); i++) {
		snprintf(buf, sizeof(buf), "mode=%s pages=1000 huge=0 writes=0\n",
			 kcost[i]);
		run(buf, 21);
	}

	printf("=== kprobe on __kernel_map_pages around 10 nested ops of 16 pages\n");
	mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL);
	fd = open("/sys/kernel/tracing/kprobe_events", O_WRONLY);
	if (fd < 0 || write(fd, "p:lmb_kmp __kernel_map_pages\n", 29) != 29) {
		printf("kprobe: %s\n", strerror(errno));
	} else {
		close(fd);
		fd = open("/sys/kernel/tracing/events/kprobes/lmb_kmp/enable", O_WRONLY);
		if (fd >= 0 && write(fd, "1", 1) == 1) {
			close(fd);
			run("mode=nested pages=16 huge=0 writes=0\n", 10);
			printf("kprobe_profile: ");
			cat("/sys/kernel/tracing/kprobe_profile");
			run("mode=vmap pages=16 huge=0 writes=0\n", 10);
			printf("kprobe_profile after 10 vmap ops: ");
			cat("/sys/kernel/tracing/kprobe_profile");
			fd = open("/sys/kernel/tracing/events/kprobes/lmb_kmp/enable", O_WRONLY);
			write(fd, "0", 1);
		} else {
			printf("kprobe enable: %s\n", strerror(errno));
		}
		close(fd);
	}

	printf("=== leaks: 4 rounds of (200 reconfigurations + ops, rmmod, reload)\n");
	for (round = 0; round < 4; round++) {
		for (k = 0; k < 200; k++) {
			static const char *const c[] = {
				"mode=vmap pages=300 huge=0 writes=0\n",
				"mode=nested pages=300 huge=0 writes=2\n",
				"mode=vmalloc pages=1024 huge=1 writes=0\n",
				"mode=calib pages=100 huge=0 writes=0\n",
				"mode=pte pages=100 huge=0 writes=0\n",
			};
			config(c[k % 5]);
			fd = open(D "/op", O_RDONLY);
			op(fd, &e);
			close(fd);
			if (e) {
				printf("leak loop op %u: %s\n", k, strerror(e));
				failures++;
				break;
			}
		}
		/* leave something configured for module_exit to free */
		config(round & 1 ? "mode=vmap pages=5000 huge=0 writes=0\n" :
				   "mode=nested pages=5000 huge=0 writes=0\n");
		if (round == 3) {
			fd = open(D "/op", O_RDONLY);
			check(syscall(SYS_delete_module, "lazymmu_bench",
				      O_NONBLOCK) != 0,
			      "rmmod refused while op is open");
			close(fd);
		}
		check(syscall(SYS_delete_module, "lazymmu_bench", O_NONBLOCK) == 0,
		      "rmmod while configured");
		free1 = meminfo("MemFree");
		vm1 = meminfo("VmallocUsed");
		net1 = netpages();
		printf("round %d: after rmmod MemFree %ld kB VmallocUsed %ld kB, pages allocated-freed since boot %ld\n",
		       round, free1, vm1, net1);
		if (round == 1) {
			free0 = free1;
			vm0 = vm1;
			net0 = net1;
		}
		if (load())
			break;
	}
	printf("round 1 -> round 3: MemFree %+ld kB, VmallocUsed %+ld kB, net pages %+ld\n",
	       free1 - free0, vm1 - vm0, net1 - net0);
	/*
	 * VmallocUsed moves by a module image's worth (tens of kB) when the
	 * kernel frees the unloaded module's memory late; one leaked area of
	 * any op here is 1200 kB or more (300 pages), 200 of them far more.
	 */
	check(net1 - net0 < 32 && vm1 - vm0 < 256,
	      "no leak: rounds 1..3 (2 x 200 ops, 60000+ pages each) net < 32 pages, VmallocUsed < 256 kB (one leaked area: >= 1200 kB)");
	fd = open(D "/selfcheck", O_RDONLY);
	check(fd >= 0 && read(fd, buf, sizeof(buf)) > 0, "selfcheck after reload");
	close(fd);
out:
	printf("=== lmbtest done: %d failure(s)\n", failures);
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
