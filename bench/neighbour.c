// SPDX-License-Identifier: GPL-2.0
/*
 * neighbour.c - a neighbour load for the whole run; see neighbour.h and
 * configs/neighbour/README.md.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include "neighbour.h"
#include "tune.h"
#include "util.h"

#define NOISE_MAX_ARGS	64

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The online CPUs but @cpu, as a cpulist of ranges ("0-2,4-191"), and
 * how many; -1 if it does not fit.
 */
static int other_cpus(long cpu, char *list, size_t len)
{
	static unsigned char set[TUNE_MAX_CPUS];
	char line[4096];
	size_t used = 0;
	int count = 0, i, j;

	if (sys_read_line("/sys/devices/system/cpu/online", line, sizeof(line)) ||
	    tune_cpulist(line, set, TUNE_MAX_CPUS) <= 0) {
		memset(set, 0, sizeof(set));
		for (i = 0; i < sysconf(_SC_NPROCESSORS_ONLN) && i < TUNE_MAX_CPUS; i++)
			set[i] = 1;
	}
	if (cpu >= 0 && cpu < TUNE_MAX_CPUS)
		set[cpu] = 0;
	list[0] = '\0';
	for (i = 0; i < TUNE_MAX_CPUS; i = j) {
		if (!set[i]) {
			j = i + 1;
			continue;
		}
		for (j = i; j < TUNE_MAX_CPUS && set[j]; j++)
			count++;
		used += snprintf(list + used, used < len ? len - used : 0,
				 j - 1 > i ? "%s%d-%d" : "%s%d", used ? "," : "",
				 i, j - 1);
	}
	return used < len ? count : -1;
}

int neighbour_read(struct neighbour *n, const char *dir, const char *name,
	       char *err, size_t errlen)
{
	char path[1024], line[1024], *p;
	FILE *f;
	int ln = 0;

	memset(n, 0, sizeof(*n));
	n->pid = -1;
	snprintf(n->name, sizeof(n->name), "%s", name);
	snprintf(path, sizeof(path), "%s/%s.conf", dir, name);
	f = fopen(path, "r");
	if (!f)
		return errf(err, errlen, "unknown neighbour load '%s' (no %s)",
			    name, path);
	while (fgets(line, sizeof(line), f)) {
		ln++;
		line[strcspn(line, "\n")] = '\0';
		p = line + strspn(line, " \t");
		if (!*p || *p == '#')
			continue;
		if (!strncmp(p, "desc ", 5)) {
			snprintf(n->desc, sizeof(n->desc), "%s", p + 5);
		} else if (!strncmp(p, "stress-ng ", 10)) {
			snprintf(n->args, sizeof(n->args), "%s", p + 10);
		} else {
			fclose(f);
			return errf(err, errlen,
				    "%s:%d: want 'desc TEXT' or 'stress-ng OPTIONS'",
				    path, ln);
		}
	}
	fclose(f);
	if (!n->args[0])
		return errf(err, errlen, "%s: no 'stress-ng' line", path);
	return 0;
}

int neighbour_start(struct neighbour *n, long cpu, char *err, size_t errlen)
{
	char *argv[NOISE_MAX_ARGS + 12], args[sizeof(n->args)], num[16];
	char *tok, *save;
	int argc = 0, status, count;
	pid_t pid;

	if (cpu < 0)
		return errf(err, errlen,
			    "--neighbour %s: needs the run pinned to one CPU (--cpu)",
			    n->name);
	count = other_cpus(cpu, n->cpus, sizeof(n->cpus));
	if (count < 0)
		return errf(err, errlen, "--neighbour %s: the list of other CPUs is too long",
			    n->name);
	if (count == 0)
		return errf(err, errlen,
			    "--neighbour %s: no online CPU besides the measured cpu %ld",
			    n->name, cpu);
	snprintf(num, sizeof(num), "%d", count);
	snprintf(n->yaml, sizeof(n->yaml), "/tmp/lmb-neighbour-%d.yaml",
		 (int)getpid());
	snprintf(args, sizeof(args), "%s", n->args);
	argv[argc++] = "stress-ng";
	for (tok = strtok_r(args, " \t", &save); tok && argc < NOISE_MAX_ARGS;
	     tok = strtok_r(NULL, " \t", &save))
		argv[argc++] = strcmp(tok, "N") ? tok : num;
	argv[argc++] = "--taskset";
	argv[argc++] = n->cpus;
	argv[argc++] = "--timeout";
	argv[argc++] = "86400";
	argv[argc++] = "--metrics";
	argv[argc++] = "--yaml";
	argv[argc++] = n->yaml;
	argv[argc] = NULL;
	n->cmd[0] = '\0';
	for (count = 0; count < argc; count++)
		snprintf(n->cmd + strlen(n->cmd), sizeof(n->cmd) - strlen(n->cmd),
			 "%s%s", count ? " " : "", argv[count]);
	unlink(n->yaml);
	pid = fork();
	if (pid < 0)
		return errf(err, errlen, "--neighbour %s: fork: %s", n->name,
			    strerror(errno));
	if (!pid) {
		/* its own group, so the stop reaches every stressor */
		setpgid(0, 0);
		if (!freopen("/dev/null", "w", stdout) ||
		    !freopen("/dev/null", "w", stderr))
			_exit(126);
		execvp("stress-ng", argv);
		_exit(127);
	}
	setpgid(pid, pid);
	n->pid = pid;
	n->started = now_s();
	/* checked: still running a moment later */
	usleep(300000);
	if (waitpid(pid, &status, WNOHANG) == pid) {
		n->pid = -1;
		return errf(err, errlen, "--neighbour %s: stress-ng %s (%s)", n->name,
			    WIFEXITED(status) && WEXITSTATUS(status) == 127 ?
			    "not found (install stress-ng)" :
			    "exited at once", n->cmd);
	}
	return 0;
}

/* "bogo-ops: N" of every "- stressor: X" in stress-ng's YAML report. */
static json_object *bogo_ops(const char *path)
{
	json_object *o = json_object_new_object();
	char line[512], name[64] = "";
	long long v;
	FILE *f = fopen(path, "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, " - stressor: %63s", name) == 1)
			continue;
		if (name[0] && sscanf(line, " bogo-ops: %lld", &v) == 1)
			json_object_object_add(o, name, json_object_new_int64(v));
	}
	if (f)
		fclose(f);
	return o;
}

json_object *neighbour_stop(struct neighbour *n)
{
	json_object *j = json_object_new_object(), *ops;
	double t0 = now_s(), ran = t0 - n->started;
	int status = 0, i;
	char why[128];

	json_object_object_add(j, "name", json_object_new_string(n->name));
	json_object_object_add(j, "desc", json_object_new_string(n->desc));
	json_object_object_add(j, "command", json_object_new_string(n->cmd));
	json_object_object_add(j, "cpus", json_object_new_string(n->cpus));
	if (n->pid < 0) {
		json_object_object_add(j, "unavailable", json_object_new_string(
			"stress-ng was not running"));
		return j;
	}
	/* SIGINT: stress-ng stops its stressors and writes its report */
	kill(n->pid, SIGINT);
	for (i = 0; i < 100 && waitpid(n->pid, &status, WNOHANG) == 0; i++)
		usleep(100000);
	if (i == 100) {
		kill(-n->pid, SIGKILL);
		waitpid(n->pid, &status, 0);
	}
	kill(-n->pid, SIGKILL);
	n->pid = -1;
	json_object_object_add(j, "ran_s", json_object_new_double(ran));
	ops = bogo_ops(n->yaml);
	unlink(n->yaml);
	if (!json_object_object_length(ops)) {
		snprintf(why, sizeof(why),
			 "no metrics from stress-ng (exit status %d)",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		json_object_object_add(j, "unavailable",
				       json_object_new_string(why));
		json_object_put(ops);
		return j;
	}
	json_object_object_add(j, "bogo_ops", ops);
	return j;
}

void neighbour_kill(struct neighbour *n)
{
	if (n->pid > 0) {
		kill(-n->pid, SIGKILL);
		waitpid(n->pid, NULL, 0);
		n->pid = -1;
		unlink(n->yaml);
	}
}
