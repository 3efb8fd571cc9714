// SPDX-License-Identifier: GPL-2.0
/*
 * stressng.c - stress-ng's memory-management stressors as a storm: one op
 * is one run of `stress-ng --STRESSOR 1 --STRESSOR-ops OPS` (one worker,
 * a fixed number of bogo ops, no random seed) up to its exit.
 *
 * Models the real workloads stress-ng's stressors stand for: vm (page
 * writes and checks of an anonymous mapping), mmap and munmap, fork,
 * exec, madvise, mremap and brk.  Its worker may run on any CPU, so the
 * lab counts these cases over all vCPUs (counts_all_vcpus).  An op holds
 * stress-ng's start and exit as well as its bogo ops: the difference of
 * two cases that differ only in ops is the cost of the ops alone.  Bogo
 * ops change between stress-ng versions: compare runs of one version.
 *
 * stress-ng is $LMB_STRESS_NG, else /bin/stress-ng (the lab's guest,
 * scripts/lab/stress-ng), else found on $PATH.  setup() runs it once with
 * one bogo op, so a stressor it skips (exec as root, say) is reported
 * unavailable with its reason; exec runs as nobody (65534) when run as root.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "storm.h"

enum { O_STRESSOR, O_OPS, O_SIZE };

static const char *const sn_stressors[] = {
	"vm", "mmap", "fork", "exec", "madvise", "mremap", "brk", NULL
};
/*
 * Per stressor, in sn_stressors[] order: its size option (or NULL: none)
 * and an option that makes one worker's bogo ops its only work (or NULL).
 * exec starts up to --exec-max children per bogo-op loop and stops only
 * when the loop ends: 4096 execs for --exec-ops 2 without --exec-max 1.
 */
static const struct {
	const char *size_opt;
	const char *extra[2];
} sn_table[] = {
	{ "--vm-bytes", { NULL } },		/* vm */
	{ "--mmap-bytes", { NULL } },		/* mmap */
	{ NULL, { NULL } },			/* fork */
	{ NULL, { "--exec-max", "1" } },	/* exec */
	{ NULL, { NULL } },			/* madvise */
	{ "--mremap-bytes", { NULL } },		/* mremap */
	{ NULL, { NULL } },			/* brk */
};

/* One entry per stressor: a stressor is one line in each, in order. */
_Static_assert(sizeof(sn_table) / sizeof(sn_table[0]) ==
	       sizeof(sn_stressors) / sizeof(sn_stressors[0]) - 1,
	       "sn_table[] and sn_stressors[] differ");

#define SN_NOBODY	65534
/* stress-ng's exit status for a stressor it skipped or cannot run */
#define SN_EXIT_NOT_IMPLEMENTED	4

static char sn_path[512];

/* stress-ng's standard error of the last run (sn_setup names it). */
static char sn_log[64];

/* The last line of it. */
static void sn_last_line(char *buf, size_t len)
{
	char line[256];
	FILE *f = fopen(sn_log, "r");

	buf[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (line[0] != '\n')
			snprintf(buf, len, "%.*s", (int)strcspn(line, "\n"), line);
	fclose(f);
}

static const char *sn_find(void)
{
	const char *env = getenv("LMB_STRESS_NG"), *path = getenv("PATH");
	char dir[512];
	const char *p, *e;

	if (env)
		return access(env, X_OK) ? NULL : env;
	if (!access("/bin/stress-ng", X_OK))
		return "/bin/stress-ng";
	for (p = path; p && *p; p = *e ? e + 1 : e) {
		e = strchr(p, ':');
		if (!e)
			e = p + strlen(p);
		snprintf(dir, sizeof(dir), "%.*s", (int)(e - p), p);
		snprintf(sn_path, sizeof(sn_path), "%.400s/stress-ng", dir);
		if (!access(sn_path, X_OK))
			return sn_path;
	}
	return NULL;
}

/* One run of stress-ng with @ops bogo ops; its exit status, or -1. */
static int sn_run(struct storm_ctx *ctx, const char *bin, long ops)
{
	const char *name = sn_stressors[ctx->opt[O_STRESSOR]];
	long k = ctx->opt[O_STRESSOR];
	const char *size = sn_table[k].size_opt;
	char opt[32], opsopt[40], nops[24], bytes[24];
	char *argv[16];
	int status, i = 0, fd;
	pid_t pid;

	snprintf(opt, sizeof(opt), "--%s", name);
	snprintf(opsopt, sizeof(opsopt), "--%s-ops", name);
	snprintf(nops, sizeof(nops), "%ld", ops);
	snprintf(bytes, sizeof(bytes), "%ld", ctx->opt[O_SIZE]);
	argv[i++] = (char *)bin;
	argv[i++] = opt;
	argv[i++] = "1";
	argv[i++] = opsopt;
	argv[i++] = nops;
	if (size) {
		argv[i++] = (char *)size;
		argv[i++] = bytes;
	}
	if (sn_table[k].extra[0]) {
		argv[i++] = (char *)sn_table[k].extra[0];
		argv[i++] = (char *)sn_table[k].extra[1];
	}
	argv[i++] = "--no-rand-seed";
	argv[i++] = "--temp-path";
	argv[i++] = "/tmp";
	argv[i] = NULL;

	pid = fork();
	if (pid < 0) {
		snprintf(ctx->why, sizeof(ctx->why), "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
		}
		/* stress-ng's messages, for the reason of a failure */
		fd = open(sn_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd >= 0)
			dup2(fd, 2);
		if (!strcmp(name, "exec") && geteuid() == 0 &&
		    (setgid(SN_NOBODY) || setuid(SN_NOBODY)))
			_exit(126);
		execv(bin, argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid) {
		snprintf(ctx->why, sizeof(ctx->why), "waitpid: %s", strerror(errno));
		return -1;
	}
	if (!WIFEXITED(status)) {
		snprintf(ctx->why, sizeof(ctx->why), "stress-ng %s: killed by signal %d",
			 opt, WTERMSIG(status));
		return -1;
	}
	return WEXITSTATUS(status);
}

/* ctx->why for a run that exited @rc: the status and stress-ng's last line. */
static void sn_failed(struct storm_ctx *ctx, const char *what, int rc)
{
	char last[160];

	sn_last_line(last, sizeof(last));
	snprintf(ctx->why, sizeof(ctx->why), "stress-ng --%s%s%s: exit %d%s%s",
		 sn_stressors[ctx->opt[O_STRESSOR]], *what ? " " : "", what, rc,
		 last[0] ? ": " : "", last);
}

static int sn_setup(struct storm_ctx *ctx)
{
	const char *bin = sn_find();
	int rc;

	if (!bin) {
		snprintf(ctx->why, sizeof(ctx->why), "stress-ng not found (%s)",
			 getenv("LMB_STRESS_NG") ? "$LMB_STRESS_NG" :
			 "/bin/stress-ng, $PATH; apt-get install stress-ng");
		return STORM_UNAVAILABLE;
	}
	/* The guest has no /tmp: make it, writable by exec's nobody. */
	if (!mkdir("/tmp", 0) && chmod("/tmp", 01777)) {
		snprintf(ctx->why, sizeof(ctx->why), "chmod /tmp: %s", strerror(errno));
		return -1;
	}
	snprintf(sn_path, sizeof(sn_path), "%s", bin);
	ctx->priv = sn_path;
	snprintf(sn_log, sizeof(sn_log), "/tmp/lmb-stressng.%d.log", (int)getpid());
	rc = sn_run(ctx, sn_path, 1);
	if (rc == SN_EXIT_NOT_IMPLEMENTED) {
		snprintf(ctx->why, sizeof(ctx->why),
			 "stress-ng skips --%s here (exit %d: not implemented or not permitted)",
			 sn_stressors[ctx->opt[O_STRESSOR]], rc);
		return STORM_UNAVAILABLE;
	}
	if (rc) {
		if (rc > 0)
			sn_failed(ctx, "with one bogo op", rc);
		return -1;
	}
	return 0;
}

static int sn_op(struct storm_ctx *ctx)
{
	int rc = sn_run(ctx, ctx->priv, ctx->opt[O_OPS]);

	if (rc > 0)
		sn_failed(ctx, "", rc);
	return rc ? -1 : 0;
}

static void sn_teardown(struct storm_ctx *ctx)
{
	(void)ctx;
	if (sn_log[0])
		unlink(sn_log);
}

static uint64_t sn_footprint(const struct storm_ctx *ctx)
{
	return (uint64_t)ctx->opt[O_SIZE] + (64 << 20);	/* stress-ng itself */
}

const struct storm stressng_storm = {
	.name = "stressng",
	.desc = "one run of a stress-ng memory stressor: one worker, fixed bogo ops",
	.models = "stress-ng's vm, mmap, fork, exec, madvise, mremap, brk stressors",
	.opts = {
		[O_STRESSOR] = { "stressor", OPT_ENUM, "vm",
				 "vm, mmap, fork, exec, madvise, mremap or brk",
				 sn_stressors, 0, 6 },
		[O_OPS] = { "ops", OPT_INT, "100",
			    "bogo ops of the one worker (--STRESSOR-ops)",
			    NULL, 1, 100000000 },
		[O_SIZE] = { "size", OPT_SIZE, "4M",
			     "--vm-bytes, --mmap-bytes or --mremap-bytes "
			     "(vm, mmap, mremap)", NULL, 4096, 1L << 36 },
	},
	.footprint = sn_footprint,
	.setup = sn_setup,
	.op = sn_op,
	.teardown = sn_teardown,
	.counts_all_vcpus = 1,
};
