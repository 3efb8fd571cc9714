// SPDX-License-Identifier: GPL-2.0
/*
 * init.c - /init of the lab's initramfs (a static aarch64 binary).
 *
 * Mounts what the storms read (proc, sys, debugfs, tracefs), runs
 *   /bin/lazymmu-bench run <the lines of /lab/args> --out /results
 * then writes everything under /results, the bench's output and an exit
 * status as a tar archive onto /dev/vda (the host reads it back with
 * tar) and powers the machine off.  Optional /lab/kprobes: one kernel
 * function per line, counted with kprobes around the run (the
 * cross-check of the plugin); the hits land in /results/kprobes.txt.
 * Optional /lab/lazymmu_bench.ko (the vmalloc storm's module, built for
 * this cell's kernel): loaded before the run; its selfcheck (which
 * lazy MMU nesting semantics this kernel has) goes to
 * /results/selfcheck.txt.
 * Optional /lab/before and /lab/after: a program run before and after
 * the bench, one argument per line, the first the program (the lab's
 * overhead figure runs the bare loop so, scripts/lab/overhead); its
 * stdout and stderr go to /results/before.out and before.err (after.*).
 *
 * Any failure is printed to the console with "lmb-init:" and the machine
 * still powers off; the host's watchdog covers a hang.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "phase.h"

#define MAX_ARGS	64
#define OUT_DEV		"/dev/vda"
#define RESULTS		"/results"
#define LOG		"/results/guest.log"

/* Case ids the init names around the kprobe window (bench/phase.h). */
#define KPROBE_WINDOW_ID	0xfffffff0u
#define KPROBE_DONE_ID		0xfffffff1u

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("lmb-init: ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	fflush(stdout);
	va_end(ap);
}

static void mnt(const char *src, const char *dst, const char *type)
{
	mkdir(dst, 0755);
	if (mount(src, dst, type, 0, NULL) && errno != EBUSY)
		say("mount %s on %s: %s", type, dst, strerror(errno));
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_APPEND);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* ---- a minimal ustar writer --------------------------------------------- */

static int tar_fd = -1;

static void tar_header(const char *name, size_t size, int dir)
{
	unsigned char h[512];
	unsigned int sum = 0, i;

	memset(h, 0, sizeof(h));
	snprintf((char *)h, 100, "%s", name);
	snprintf((char *)h + 100, 8, "%07o", dir ? 0755 : 0644);
	snprintf((char *)h + 108, 8, "%07o", 0);
	snprintf((char *)h + 116, 8, "%07o", 0);
	snprintf((char *)h + 124, 12, "%011zo", size);
	snprintf((char *)h + 136, 12, "%011llo", (unsigned long long)time(NULL));
	h[156] = dir ? '5' : '0';
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);
	for (i = 0; i < sizeof(h); i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	if (write(tar_fd, h, sizeof(h)) != sizeof(h))
		say("tar: writing header of %s: %s", name, strerror(errno));
}

static void tar_file(const char *path, const char *name)
{
	static char buf[65536];
	struct stat st;
	size_t done = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st)) {
		say("tar: %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	tar_header(name, st.st_size, 0);
	while (done < (size_t)st.st_size &&
	       (n = read(fd, buf, sizeof(buf))) > 0) {
		if ((size_t)n > st.st_size - done)
			n = st.st_size - done;
		if (write(tar_fd, buf, n) != n)
			say("tar: writing %s: %s", name, strerror(errno));
		done += n;
	}
	close(fd);
	/* pad to 512; a file that shrank is padded with zeros */
	memset(buf, 0, 512);
	while (done % 512 || done < (size_t)st.st_size) {
		size_t pad = done < (size_t)st.st_size ?
			     (size_t)st.st_size - done : 512 - done % 512;

		if (pad > 512)
			pad = 512;
		if (write(tar_fd, buf, pad) != (ssize_t)pad)
			break;
		done += pad;
	}
}

/* Regular files of @dir (and of its subdirectories, two levels deep). */
static void tar_dir(const char *dir, const char *prefix, int depth)
{
	char path[4096], name[256];
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		snprintf(name, sizeof(name), "%s%s", prefix, de->d_name);
		if (stat(path, &st))
			continue;
		if (strlen(name) >= 99) {
			say("tar: %s: name too long for ustar, skipped", name);
		} else if (S_ISREG(st.st_mode)) {
			tar_file(path, name);
		} else if (S_ISDIR(st.st_mode) && depth < 2) {
			char sub[260];

			snprintf(sub, sizeof(sub), "%s/", name);
			tar_header(sub, 0, 1);
			tar_dir(path, sub, depth + 1);
		}
	}
	closedir(d);
}

static void tar_finish(void)
{
	static const char zero[1024];

	if (write(tar_fd, zero, sizeof(zero)) != sizeof(zero))
		say("tar: writing the end: %s", strerror(errno));
	fsync(tar_fd);
	close(tar_fd);
}

/* ---- kprobe cross-check ------------------------------------------------ */

#define TRACING "/sys/kernel/tracing"

/*
 * A line of /lab/kprobes is FUNCTION (event lmb:k<line>) or EVENT=FUNCTION
 * (event lmb:EVENT, the names scripts/server/kprobes gives, which the PMU
 * profiles count as tp:lmb:EVENT).
 */
static void probe_names(const char *line, int i, char *ev, char *fn)
{
	const char *eq = strchr(line, '=');

	if (eq) {
		snprintf(ev, 128, "%.*s", (int)(eq - line), line);
		snprintf(fn, 128, "%s", eq + 1);
	} else {
		snprintf(ev, 128, "k%d", i);
		snprintf(fn, 128, "%s", line);
	}
}

static int kprobes_arm(char names[][128], int n)
{
	char buf[300], ev[128], fn[128];
	int i, armed = 0;

	for (i = 0; i < n; i++) {
		probe_names(names[i], i, ev, fn);
		snprintf(buf, sizeof(buf), "p:lmb/%.100s %.127s\n", ev, fn);
		if (write_file(TRACING "/kprobe_events", buf)) {
			say("kprobe on %s: %s", names[i], strerror(errno));
			continue;
		}
		armed++;
	}
	/*
	 * The first event enabled expands the trace ring buffer, hundreds of
	 * page allocations inside the window but before the probes are live:
	 * size it now (the probes count hits, not trace records).
	 */
	if (armed && write_file(TRACING "/buffer_size_kb", "16\n"))
		say("buffer_size_kb: %s", strerror(errno));
	/* Name the window before enabling, close it after disabling. */
	phase_mark_id(KPROBE_WINDOW_ID);
	if (armed && write_file(TRACING "/events/lmb/enable", "1\n"))
		say("enabling kprobes: %s", strerror(errno));
	return armed;
}

static void kprobes_report(char names[][128], int n)
{
	char line[512], ev[128], fn[128], want[128];
	unsigned long long hits, miss;
	FILE *in, *out;
	int i;

	write_file(TRACING "/events/lmb/enable", "0\n");
	phase_mark_id(KPROBE_DONE_ID);
	in = fopen(TRACING "/kprobe_profile", "r");
	out = fopen(RESULTS "/kprobes.txt", "w");
	if (!in || !out) {
		say("kprobe_profile: %s", strerror(errno));
		if (in)
			fclose(in);
		if (out)
			fclose(out);
		return;
	}
	fprintf(out, "# function hits missed (kprobes, window case id 0x%x)\n",
		KPROBE_WINDOW_ID);
	while (fgets(line, sizeof(line), in)) {
		if (sscanf(line, "%127s %llu %llu", ev, &hits, &miss) != 3)
			continue;
		for (i = 0; i < n; i++) {
			probe_names(names[i], i, want, fn);
			if (!strcmp(ev, want))
				break;
		}
		if (i == n)
			continue;
		fprintf(out, "%s %llu %llu\n", fn, hits, miss);
	}
	fclose(in);
	fclose(out);
}

/* ---- the module ------------------------------------------------------- */

#define MODULE_KO	"/lab/lazymmu_bench.ko"
#define SELFCHECK	"/sys/kernel/debug/lazymmu_bench/selfcheck"

static void module_load(void)
{
	char buf[4096];
	ssize_t n;
	int fd, out;

	fd = open(MODULE_KO, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (syscall(SYS_finit_module, fd, "", 0)) {
		say("loading %s: %s", MODULE_KO, strerror(errno));
		close(fd);
		return;
	}
	close(fd);
	say("module lazymmu_bench loaded");
	fd = open(SELFCHECK, O_RDONLY);
	out = open(RESULTS "/selfcheck.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || out < 0) {
		say("selfcheck: %s", strerror(errno));
	} else {
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			if (write(out, buf, n) != n)
				break;
		if (n < 0)
			say("selfcheck: %s", strerror(errno));
	}
	if (fd >= 0)
		close(fd);
	if (out >= 0)
		close(out);
}

/* ---- main ---------------------------------------------------------------- */

static int read_lines(const char *path, char lines[][128], int max)
{
	FILE *f = fopen(path, "r");
	int n = 0;

	if (!f)
		return 0;
	while (n < max && fgets(lines[n], 128, f)) {
		lines[n][strcspn(lines[n], "\n")] = 0;
		if (lines[n][0] && lines[n][0] != '#')
			n++;
	}
	fclose(f);
	return n;
}

/*
 * The guest has no RTC: the host passes its clock as lmb.time=<epoch s>
 * on the kernel command line, so the run's timestamps are real.
 */
static void set_clock(void)
{
	char buf[4096], *p;
	struct timespec ts = { 0 };
	FILE *f = fopen("/proc/cmdline", "r");

	if (!f)
		return;
	if (fgets(buf, sizeof(buf), f)) {
		p = strstr(buf, "lmb.time=");
		if (p && sscanf(p + 9, "%ld", &ts.tv_sec) == 1 &&
		    clock_settime(CLOCK_REALTIME, &ts))
			say("setting the clock: %s", strerror(errno));
	}
	fclose(f);
}

/*
 * Start @argv[0] with stdout to @out and stderr to @err (one file when
 * they are the same path); its pid, or -1.
 */
static pid_t spawn(char **argv, const char *out, const char *err)
{
	pid_t pid = fork();
	int o, e;

	if (pid)
		return pid;
	o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	e = strcmp(out, err) ? open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644) : o;
	if (o >= 0)
		dup2(o, 1);
	if (e >= 0)
		dup2(e, 2);
	execv(argv[0], argv);
	fprintf(stderr, "lmb-init: exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Run the program /lab/<name> lists, if any (see the top of the file). */
static void run_extra(const char *name)
{
	static char lines[MAX_ARGS][128];
	char path[64], out[64], err[64], *argv[MAX_ARGS + 1];
	int n, i, st = 0;
	pid_t pid;

	snprintf(path, sizeof(path), "/lab/%s", name);
	n = read_lines(path, lines, MAX_ARGS);
	if (!n)
		return;
	for (i = 0; i < n; i++)
		argv[i] = lines[i];
	argv[n] = NULL;
	snprintf(out, sizeof(out), RESULTS "/%s.out", name);
	snprintf(err, sizeof(err), RESULTS "/%s.err", name);
	pid = spawn(argv, out, err);
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		say("running %s: %s", argv[0], strerror(errno));
	else if (!WIFEXITED(st) || WEXITSTATUS(st))
		say("%s (/lab/%s) failed: status 0x%x", argv[0], name, st);
	else
		say("%s (/lab/%s) finished", argv[0], name);
}

int main(void)
{
	static char args[MAX_ARGS][128], probes[16][128];
	char *argv[MAX_ARGS + 8], status[64];
	int nargs, nprobes, i, argc = 0, fd, st = 0;
	pid_t pid;

	mnt("devtmpfs", "/dev", "devtmpfs");
	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	mnt("proc", "/proc", "proc");
	mnt("sysfs", "/sys", "sysfs");
	mnt("debugfs", "/sys/kernel/debug", "debugfs");
	mnt("tracefs", TRACING, "tracefs");
	mkdir(RESULTS, 0755);
	set_clock();
	if (sethostname("lab", 3))
		say("sethostname: %s", strerror(errno));
	say("started");
	module_load();

	nargs = read_lines("/lab/args", args, MAX_ARGS);
	nprobes = read_lines("/lab/kprobes", probes, 16);
	argv[argc++] = "/bin/lazymmu-bench";
	argv[argc++] = "run";
	for (i = 0; i < nargs; i++)
		argv[argc++] = args[i];
	argv[argc++] = "--out";
	argv[argc++] = RESULTS "/run";
	argv[argc] = NULL;

	run_extra("before");
	if (nprobes)
		nprobes = kprobes_arm(probes, nprobes) ? nprobes : 0;
	pid = spawn(argv, LOG, LOG);
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		say("running the bench: %s", strerror(errno));
	if (nprobes)
		kprobes_report(probes, nprobes);
	run_extra("after");
	if (WIFEXITED(st))
		snprintf(status, sizeof(status), "exit %d\n", WEXITSTATUS(st));
	else
		snprintf(status, sizeof(status), "signal %d\n",
			 WIFSIGNALED(st) ? WTERMSIG(st) : -1);
	say("bench finished: %.*s", (int)strcspn(status, "\n"), status);
	fd = open(RESULTS "/status", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		if (write(fd, status, strlen(status)) < 0)
			say("writing status: %s", strerror(errno));
		close(fd);
	}

	tar_fd = open(OUT_DEV, O_WRONLY);
	if (tar_fd < 0) {
		say("%s: %s; results lost", OUT_DEV, strerror(errno));
	} else {
		tar_dir(RESULTS, "", 0);
		tar_finish();
		say("results written to %s", OUT_DEV);
	}
	sync();
	reboot(RB_POWER_OFF);
	say("power off failed: %s", strerror(errno));
	return 1;
}
