// SPDX-License-Identifier: GPL-2.0
/*
 * tune.c - the machine's controls of a run; see tune.h.
 *
 * Reads and writes go through sys_path() (util.h), so the tests can run
 * every control against a recorded machine under $LMB_SYSROOT.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include "tune.h"
#include "util.h"

#define THP_ENABLED	"/sys/kernel/mm/transparent_hugepage/enabled"
#define THP_DEFRAG	"/sys/kernel/mm/transparent_hugepage/defrag"
#define DROP_CACHES	"/proc/sys/vm/drop_caches"
#define MODULE_NAME	"lazymmu_bench"

static const char *const thp_files[2] = { THP_ENABLED, THP_DEFRAG };

static void add_str(json_object *o, const char *key, const char *val)
{
	json_object_object_add(o, key, json_object_new_string(val));
}

int tune_cpulist(const char *s, unsigned char *set, int max)
{
	long a, b, i;
	int n = 0;
	char *end;

	memset(set, 0, max);
	while (*s && *s != '\n') {
		a = strtol(s, &end, 10);
		if (end == s || a < 0)
			return -1;
		b = a;
		s = end;
		if (*s == '-') {
			b = strtol(s + 1, &end, 10);
			if (end == s + 1 || b < a)
				return -1;
			s = end;
		}
		if (b >= max)
			return -1;
		for (i = a; i <= b; i++)
			n += !set[i]++;
		if (*s == ',')
			s++;
		else if (*s && *s != '\n')
			return -1;
	}
	return n;
}

long tune_isolated_cpu(void)
{
	static const char *const files[] = {
		"/sys/devices/system/cpu/isolated",
		"/sys/devices/system/cpu/nohz_full",
	};
	unsigned char set[TUNE_MAX_CPUS];
	char line[1024];
	cpu_set_t allowed;
	long i;
	int f;

	if (sched_getaffinity(0, sizeof(allowed), &allowed))
		CPU_ZERO(&allowed);
	for (f = 0; f < 2; f++) {
		if (sys_read_line(files[f], line, sizeof(line)) ||
		    tune_cpulist(line, set, TUNE_MAX_CPUS) <= 0)
			continue;
		/*
		 * An isolated CPU is usually outside the task's inherited
		 * mask; sched_setaffinity() still accepts it unless a cpuset
		 * forbids it, which the caller finds out.
		 */
		for (i = TUNE_MAX_CPUS - 1; i >= 0; i--)
			if (set[i])
				return i;
	}
	return -1;
}

/* The selected word of a sysfs choice file: "always [madvise] never". */
static int choice(const char *path, char *buf, size_t len)
{
	char line[256], *a, *b;

	if (sys_read_line(path, line, sizeof(line)))
		return -1;
	a = strchr(line, '[');
	b = a ? strchr(a, ']') : NULL;
	if (!a || !b) {
		snprintf(buf, len, "%.60s", line);
		return 0;
	}
	*b = '\0';
	snprintf(buf, len, "%.60s", a + 1);
	return 0;
}

static int writable(const char *path, const char *what, char *err,
		    size_t errlen)
{
	char real[4096];

	if (!access(sys_path(path, real, sizeof(real)), W_OK))
		return 0;
	return errf(err, errlen, "--tune %s: cannot write %s: %s%s", what, path,
		    strerror(errno), errno == EACCES || errno == EROFS ?
		    " (run as root)" : "");
}

/* Every check of what was asked, before anything changes. */
static int tune_check(struct tune *t, char *err, size_t errlen)
{
	const struct run_opts *o = t->o;
	char buf[512], real[4096];
	int i;

	if ((o->tune & TUNE_GOVERNOR) &&
	    !access(sys_path(t->gov_path, real, sizeof(real)), F_OK)) {
		if (writable(t->gov_path, "governor", err, errlen))
			return -1;
		snprintf(buf, sizeof(buf), "%.100s", t->gov_path);
		strcpy(strrchr(buf, '/'), "/scaling_available_governors");
		if (!sys_read_line(buf, real, sizeof(real)) &&
		    !strstr(real, "performance"))
			return errf(err, errlen,
				    "--tune governor: cpu %ld has no performance governor (%s)",
				    t->cpu < 0 ? 0 : t->cpu, real);
	} else if ((o->tune & TUNE_GOVERNOR) && !o->tune_all) {
		return errf(err, errlen,
			    "--tune governor: no cpufreq here (%s: %s)",
			    t->gov_path, strerror(errno));
	}
	if (o->tune & TUNE_THP) {
		for (i = 0; i < 2; i++) {
			if (access(sys_path(thp_files[i], real, sizeof(real)),
				   F_OK) && o->tune_all)
				break;
			if (writable(thp_files[i], "thp", err, errlen))
				return -1;
		}
	}
	if ((o->tune & TUNE_CACHES) && writable(DROP_CACHES, "caches", err,
						errlen))
		return -1;
	if (o->module[0] && access(o->module, R_OK))
		return errf(err, errlen, "--load-module %s: %s", o->module,
			    strerror(errno));
	return 0;
}

static json_object *isolation_json(struct tune *t)
{
	json_object *j = json_object_new_object();
	unsigned char set[TUNE_MAX_CPUS];
	char line[1024];
	int iso = 0;

	if (sys_read_line("/sys/devices/system/cpu/isolated", line,
			  sizeof(line)))
		line[0] = '\0';
	add_str(j, "isolated", line);
	if (tune_cpulist(line, set, TUNE_MAX_CPUS) > 0 && t->cpu >= 0 &&
	    t->cpu < TUNE_MAX_CPUS)
		iso = set[t->cpu];
	if (sys_read_line("/sys/devices/system/cpu/nohz_full", line,
			  sizeof(line)))
		line[0] = '\0';
	add_str(j, "nohz_full", line);
	if (!iso && tune_cpulist(line, set, TUNE_MAX_CPUS) > 0 &&
	    t->cpu >= 0 && t->cpu < TUNE_MAX_CPUS)
		iso = set[t->cpu];
	json_object_object_add(j, "pinned_cpu", json_object_new_int64(t->cpu));
	json_object_object_add(j, "pinned_isolated",
			       json_object_new_boolean(iso));
	if (!iso)
		add_str(j, "left", t->cpu < 0 ? "not pinned (--cpu)" :
			"the pinned CPU is not isolated: boot with isolcpus=N nohz_full=N and --cpu auto takes it");
	return j;
}

static json_object *governor_json(struct tune *t, char *err, size_t errlen)
{
	json_object *j = json_object_new_object();
	char cur[64], why[300];

	if (choice(t->gov_path, cur, sizeof(cur))) {
		snprintf(why, sizeof(why), "%s: %s", t->gov_path,
			 strerror(errno));
		add_str(j, "unavailable", why);
		return j;
	}
	if (!(t->o->tune & TUNE_GOVERNOR) || !strcmp(cur, "performance")) {
		add_str(j, "value", cur);
		if (strcmp(cur, "performance"))
			add_str(j, "left", "--tune governor (root) sets performance for the run");
		return j;
	}
	if (sys_write(t->gov_path, "performance")) {
		errf(err, errlen, "--tune governor: writing %s: %s",
		     t->gov_path, strerror(errno));
		json_object_put(j);
		return NULL;
	}
	snprintf(t->gov_old, sizeof(t->gov_old), "%s", cur);
	add_str(j, "was", cur);
	/* checked, not assumed: read it back */
	if (choice(t->gov_path, cur, sizeof(cur)))
		snprintf(cur, sizeof(cur), "unreadable");
	add_str(j, "value", cur);
	add_str(j, "action", strcmp(cur, "performance") ?
		"failed: did not read back performance" : "set");
	return j;
}

static json_object *thp_json(struct tune *t, char *err, size_t errlen)
{
	static const char *const keys[2] = { "enabled", "defrag" };
	json_object *j = json_object_new_object();
	char cur[64], why[300], enabled[64] = "";
	int i, want = t->o->tune & TUNE_THP, set = 0, other = 0;

	for (i = 0; i < 2; i++) {
		if (choice(thp_files[i], cur, sizeof(cur))) {
			snprintf(why, sizeof(why), "%s: %s", thp_files[i],
				 strerror(errno));
			add_str(j, keys[i], "unavailable");
			add_str(j, "unavailable", why);
			return j;
		}
		add_str(j, keys[i], cur);
		other |= strcmp(cur, "madvise") != 0;
		if (!i)
			snprintf(enabled, sizeof(enabled), "%s", cur);
		if (!want || !strcmp(cur, "madvise"))
			continue;
		if (sys_write(thp_files[i], "madvise")) {
			errf(err, errlen, "--tune thp: writing %s: %s",
			     thp_files[i], strerror(errno));
			json_object_put(j);
			return NULL;
		}
		snprintf(t->thp_old[i], sizeof(t->thp_old[i]), "%s", cur);
		t->thp_changed |= 1 << i;
		if (choice(thp_files[i], cur, sizeof(cur)))
			snprintf(cur, sizeof(cur), "unreadable");
		add_str(j, keys[i], cur);
		snprintf(why, sizeof(why), "%s_was", keys[i]);
		add_str(j, why, t->thp_old[i]);
		if (!i)
			snprintf(enabled, sizeof(enabled), "%s", cur);
		set = 1;
	}
	if (set)
		add_str(j, "action", "set madvise: thp=1 cases get huge pages, thp=0 cases none");
	else if (!want && other)
		add_str(j, "left", "each case madvises its region; --tune thp (root) sets enabled and defrag to madvise");
	if (!strcmp(enabled, "never"))
		add_str(j, "warning", "THP is never: thp=1 cases get no huge pages");
	return j;
}

static json_object *aslr_json(const struct run_opts *o)
{
	json_object *j = json_object_new_object();
	int p = personality(0xffffffff);
	char buf[64];

	if (sys_read_line("/proc/sys/kernel/randomize_va_space", buf,
			  sizeof(buf)))
		snprintf(buf, sizeof(buf), "unavailable");
	add_str(j, "randomize_va_space", buf);
	add_str(j, "process", p != -1 && (p & ADDR_NO_RANDOMIZE) ?
		"not randomized" : "randomized");
	if (!(o->tune & TUNE_ASLR))
		add_str(j, "left", "--tune aslr re-executes this run without address randomisation (no root needed)");
	else if (p == -1 || !(p & ADDR_NO_RANDOMIZE))
		add_str(j, "action", "failed: the re-exec without randomisation did not happen");
	else
		add_str(j, "action", "set: personality ADDR_NO_RANDOMIZE");
	return j;
}

void tune_aslr_reexec(const struct run_opts *o, char **argv)
{
	int p;

	if (!(o->tune & TUNE_ASLR) || getenv("LMB_ASLR_REEXEC"))
		return;
	p = personality(0xffffffff);
	if (p == -1 || (p & ADDR_NO_RANDOMIZE))
		return;
	if (personality(p | ADDR_NO_RANDOMIZE) == -1)
		return;
	setenv("LMB_ASLR_REEXEC", "1", 1);
	execv("/proc/self/exe", argv);
	/* failed: carry on randomised; aslr_json records it */
	personality(p);
}

static json_object *module_json(struct tune *t, char *err, size_t errlen)
{
	json_object *j = json_object_new_object();
	char dir[128];
	int fd;

	snprintf(dir, sizeof(dir), "/sys/module/%s", MODULE_NAME);
	if (!t->o->module[0]) {
		add_str(j, "state", access(dir, F_OK) ? "not loaded" : "loaded");
		if (access(dir, F_OK))
			add_str(j, "left", "--load-module KO (root) loads it for the run; the vmalloc storm needs it");
		return j;
	}
	add_str(j, "file", t->o->module);
	if (!access(dir, F_OK)) {
		add_str(j, "state", "loaded");
		add_str(j, "action", "none: already loaded");
		return j;
	}
	fd = open(t->o->module, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, "", 0)) {
		errf(err, errlen, "--load-module %s: %s%s", t->o->module,
		     strerror(errno), errno == EPERM ?
		     " (needs root: CAP_SYS_MODULE)" : errno == ENOSYS ?
		     " (this kernel has no module support)" : "");
		if (fd >= 0)
			close(fd);
		json_object_put(j);
		return NULL;
	}
	close(fd);
	if (access(dir, F_OK)) {
		errf(err, errlen, "--load-module %s: loaded, but it is not %s",
		     t->o->module, MODULE_NAME);
		json_object_put(j);
		return NULL;
	}
	snprintf(t->module_name, sizeof(t->module_name), "%s", MODULE_NAME);
	add_str(j, "state", "loaded");
	add_str(j, "action", "loaded; unloaded at the end");
	return j;
}

int tune_prepare(struct tune *t, const struct run_opts *o, long cpu,
		 char *err, size_t errlen)
{
	memset(t, 0, sizeof(*t));
	t->o = o;
	t->cpu = cpu;
	snprintf(t->gov_path, sizeof(t->gov_path),
		 "/sys/devices/system/cpu/cpu%ld/cpufreq/scaling_governor",
		 cpu < 0 ? 0 : cpu);
	/* resolved now: the restore may run in a signal handler */
	sys_path(t->gov_path, t->gov_real, sizeof(t->gov_real));
	sys_path(thp_files[0], t->thp_real[0], sizeof(t->thp_real[0]));
	sys_path(thp_files[1], t->thp_real[1], sizeof(t->thp_real[1]));
	return tune_check(t, err, errlen);
}

json_object *tune_apply(struct tune *t, const struct run_opts *o, long cpu,
			char *err, size_t errlen)
{
	json_object *j, *g, *h, *m;
	char line[256];

	if (tune_prepare(t, o, cpu, err, errlen))
		return NULL;
	m = module_json(t, err, errlen);
	if (!m)
		return NULL;
	g = governor_json(t, err, errlen);
	if (!g) {
		json_object_put(m);
		tune_restore(t);
		return NULL;
	}
	h = thp_json(t, err, errlen);
	if (!h) {
		json_object_put(m);
		json_object_put(g);
		tune_restore(t);
		return NULL;
	}
	j = json_object_new_object();
	json_object_object_add(j, "isolation", isolation_json(t));
	json_object_object_add(j, "governor", g);
	json_object_object_add(j, "thp", h);
	json_object_object_add(j, "aslr", aslr_json(o));
	g = json_object_new_object();
	if (o->tune & TUNE_CACHES)
		add_str(g, "action", "sync, then drop_caches=3 before every case");
	else
		add_str(g, "left", "--tune caches (root) drops the page cache before every case");
	json_object_object_add(j, "caches", g);
	json_object_object_add(j, "module", m);
	if (!sys_read_line("/proc/loadavg", line, sizeof(line)))
		add_str(j, "loadavg", line);
	return j;
}

/* ---- per case: caches, load, interrupts --------------------------------- */

static long long meminfo_kb(const char *key)
{
	FILE *f = sys_fopen("/proc/meminfo", "r");
	char line[256];
	size_t n = strlen(key);
	long long v = -1;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':') {
			v = atoll(line + n + 1);
			break;
		}
	if (f)
		fclose(f);
	return v;
}

static void read_stat(struct tune *t)
{
	FILE *f = sys_fopen("/proc/stat", "r");
	unsigned long long v[8];
	char line[512];
	int cpu;

	t->ncpu = 0;
	while (f && fgets(line, sizeof(line), f)) {
		/* "cpu " is the total; %d would skip the blanks and read it */
		if (strncmp(line, "cpu", 3) || line[3] < '0' || line[3] > '9')
			continue;
		if (sscanf(line, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu",
			   &cpu, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
			   &v[6], &v[7]) != 9 || cpu < 0 || cpu >= TUNE_MAX_CPUS)
			continue;
		/* busy: user nice system irq softirq steal; idle and iowait not */
		t->busy[cpu] = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
		t->total[cpu] = t->busy[cpu] + v[3] + v[4];
		if (cpu == t->cpu)
			t->steal = v[7];
		if (cpu + 1 > t->ncpu)
			t->ncpu = cpu + 1;
	}
	if (f)
		fclose(f);
}

/* The pinned CPU's count of every line of /proc/interrupts. */
static int read_irqs(long cpu, struct tune_irq *irq, int max)
{
	FILE *f = sys_fopen("/proc/interrupts", "r");
	char *line = NULL, *p, *end, *save;
	int col = -1, ncol = 0, n = 0, i;
	unsigned long long v;
	size_t cap = 0;

	if (!f)
		return -1;
	/* a line per IRQ, a column per CPU: long lines on big machines */
	if (getline(&line, &cap, f) > 0) {
		for (p = strtok_r(line, " \t\n", &save); p;
		     p = strtok_r(NULL, " \t\n", &save)) {
			if (!strncmp(p, "CPU", 3) && atol(p + 3) == cpu)
				col = ncol;
			ncol++;
		}
	}
	while (col >= 0 && n < max && getline(&line, &cap, f) > 0) {
		p = strchr(line, ':');
		if (!p)
			continue;
		*p++ = '\0';
		end = line + strspn(line, " ");
		snprintf(irq[n].name, sizeof(irq[n].name), "%s", end);
		irq[n].count = 0;
		for (i = 0; i < ncol; i++) {
			v = strtoull(p, &end, 10);
			if (end == p)
				break;
			if (i == col)
				irq[n].count = v;
			p = end;
		}
		/* the last word names the device */
		end = p + strlen(p);
		while (end > p && (end[-1] == '\n' || end[-1] == ' '))
			*--end = '\0';
		while (end > p && end[-1] != ' ')
			end--;
		snprintf(irq[n].desc, sizeof(irq[n].desc), "%s", end);
		n++;
	}
	free(line);
	fclose(f);
	return col >= 0 ? n : -1;
}

void tune_case_begin(struct tune *t)
{
	t->drop_errno = 0;
	if (t->o->tune & TUNE_CACHES) {
		/* checked: Cached before and after the drop are recorded */
		t->cached_kb[0] = meminfo_kb("Cached");
		sync();
		if (sys_write(DROP_CACHES, "3"))
			t->drop_errno = errno;
		t->cached_kb[1] = meminfo_kb("Cached");
	}
	read_stat(t);
	t->nirq = t->cpu >= 0 ? read_irqs(t->cpu, t->irq, TUNE_MAX_IRQS) : -1;
}

static void note_device_irq(struct tune *t, const struct tune_irq *q,
			    unsigned long long d)
{
	int i;

	for (i = 0; i < t->ndev && strcmp(t->dev[i].name, q->name); i++)
		;
	if (i == t->ndev) {
		if (t->ndev == TUNE_MAX_IRQS)
			return;
		t->dev[t->ndev++] = *q;
		t->dev[i].count = 0;
	}
	t->dev[i].count += d;
}

json_object *tune_case_end(struct tune *t)
{
	static struct tune_irq now[TUNE_MAX_IRQS];
	unsigned long long busy[TUNE_MAX_CPUS], total[TUNE_MAX_CPUS], steal;
	unsigned long long ob = 0, ot = 0, d, all = 0, dev = 0;
	json_object *j = json_object_new_object(), *top;
	int i, k, n, ncpu = t->ncpu;
	struct tune_irq best[3] = { { "", "", 0 } };

	memcpy(busy, t->busy, sizeof(busy));
	memcpy(total, t->total, sizeof(total));
	steal = t->steal;
	read_stat(t);
	for (i = 0; i < ncpu && i < t->ncpu; i++) {
		if (i == t->cpu) {
			d = t->total[i] - total[i];
			json_object_object_add(j, "pinned_cpu_busy",
				json_object_new_double(d ? (double)(t->busy[i] - busy[i]) / d : 0));
			json_object_object_add(j, "pinned_cpu_steal",
				json_object_new_double(d ? (double)(t->steal - steal) / d : 0));
			continue;
		}
		ob += t->busy[i] - busy[i];
		ot += t->total[i] - total[i];
	}
	if (ot) {
		json_object_object_add(j, "other_cpus_busy",
				       json_object_new_double((double)ob / ot));
		if (!t->o->neighbour[0] && ob * 4 > ot)
			add_str(j, "warning", "other CPUs were more than 25% busy: another load shares the machine");
	}
	if (t->o->tune & TUNE_CACHES) {
		json_object *c = json_object_new_object();

		if (t->drop_errno)
			add_str(c, "failed", strerror(t->drop_errno));
		json_object_object_add(c, "cached_kb_before",
				       json_object_new_int64(t->cached_kb[0]));
		json_object_object_add(c, "cached_kb_after",
				       json_object_new_int64(t->cached_kb[1]));
		json_object_object_add(j, "caches_dropped", c);
	}
	if (t->nirq < 0)
		return j;
	n = read_irqs(t->cpu, now, TUNE_MAX_IRQS);
	for (i = 0; i < n; i++) {
		for (k = 0; k < t->nirq && strcmp(t->irq[k].name, now[i].name); k++)
			;
		d = now[i].count - (k < t->nirq ? t->irq[k].count : 0);
		if (k < t->nirq && now[i].count < t->irq[k].count)
			d = 0;
		all += d;
		if (!d || now[i].name[0] < '0' || now[i].name[0] > '9')
			continue;
		dev += d;
		note_device_irq(t, &now[i], d);
		for (k = 0; k < 3 && best[k].count >= d; k++)
			;
		if (k < 3) {
			memmove(&best[k + 1], &best[k], (2 - k) * sizeof(best[0]));
			best[k] = now[i];
			best[k].count = d;
		}
	}
	json_object_object_add(j, "irqs_on_cpu", json_object_new_int64(all));
	json_object_object_add(j, "device_irqs_on_cpu", json_object_new_int64(dev));
	top = json_object_new_array();
	for (k = 0; k < 3 && best[k].count; k++) {
		json_object *e = json_object_new_object();

		add_str(e, "irq", best[k].name);
		add_str(e, "device", best[k].desc);
		json_object_object_add(e, "count", json_object_new_int64(best[k].count));
		json_object_array_add(top, e);
	}
	json_object_object_add(j, "top_device_irqs", top);
	return j;
}

json_object *tune_finish(struct tune *t)
{
	json_object *a = json_object_new_array();
	char line[512];
	int i, k;

	/* the busiest device interrupts first */
	for (i = 0; i < t->ndev; i++)
		for (k = i + 1; k < t->ndev; k++)
			if (t->dev[k].count > t->dev[i].count) {
				struct tune_irq x = t->dev[i];

				t->dev[i] = t->dev[k];
				t->dev[k] = x;
			}
	for (i = 0; i < t->ndev && i < 3; i++) {
		snprintf(line, sizeof(line),
			 "irq %s (%s) hit the measured CPU %ld (%llu interrupts): move it, e.g. echo <other CPUs> > /proc/irq/%s/smp_affinity_list, with irqbalance stopped",
			 t->dev[i].name, t->dev[i].desc, t->cpu,
			 t->dev[i].count, t->dev[i].name);
		json_object_array_add(a, json_object_new_string(line));
	}
	return a;
}

void tune_report(FILE *f, json_object *controls)
{
	json_object_iter it;
	json_object *v, *adv;
	size_t i;

	if (!controls)
		return;
	json_object_object_foreachC(controls, it) {
		if (json_object_object_get_ex(it.val, "left", &v))
			fprintf(f, "controls: %s: left as it is: %s\n", it.key,
				json_object_get_string(v));
		if (json_object_object_get_ex(it.val, "warning", &v))
			fprintf(f, "controls: %s: %s\n", it.key,
				json_object_get_string(v));
		if (json_object_object_get_ex(it.val, "unavailable", &v))
			fprintf(f, "controls: %s: unavailable: %s\n", it.key,
				json_object_get_string(v));
	}
	if (json_object_object_get_ex(controls, "irq_advice", &adv))
		for (i = 0; i < json_object_array_length(adv); i++)
			fprintf(f, "controls: advice: %s\n", json_object_get_string(
				json_object_array_get_idx(adv, i)));
}

/* open/write/close only: tune_restore() runs from a signal handler too. */
static int raw_write(const char *real, const char *val)
{
	int fd = open(real, O_WRONLY | O_TRUNC | O_CLOEXEC), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	return close(fd) || !ok ? -1 : 0;
}

void tune_restore(struct tune *t)
{
	int i;

	if (t->gov_old[0] && !raw_write(t->gov_real, t->gov_old))
		t->gov_old[0] = '\0';
	for (i = 0; i < 2; i++)
		if ((t->thp_changed & (1 << i)) &&
		    !raw_write(t->thp_real[i], t->thp_old[i]))
			t->thp_changed &= ~(1 << i);
	if (t->module_name[0] &&
	    !syscall(SYS_delete_module, t->module_name, O_NONBLOCK))
		t->module_name[0] = '\0';
}
