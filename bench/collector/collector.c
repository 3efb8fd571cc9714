// SPDX-License-Identifier: GPL-2.0
/*
 * collector.c - per-phase event counting, see collector.h.
 *
 * Every event is opened for this process (pid 0, any cpu), inherited by
 * children, counting user and kernel.  Hardware and raw events go in one
 * group so they are scheduled together; an event the group cannot take
 * is opened on its own.  Each fd is read on its own (no PERF_FORMAT_GROUP,
 * which older kernels refuse with inherit), with the enabled and running
 * times so that multiplexed counts can be scaled.
 *
 * A child's counts reach the parent's fd only when the child exits: a
 * phase sees the counts of the children that exited during it.  What the
 * child does after perf_event_exit_task() in do_exit() is not counted; on
 * 7.2 that includes exit_mm(), so a fork storm's counters miss the
 * child's address-space teardown (measured: tests/lab-boot/kprobe-counters.t).
 *
 * A file: spec is not a perf event: a "key value" line of a file (the nest
 * census's /sys/kernel/debug/lazy_mmu_census/counts), read at every phase
 * change like a counter.  It counts the whole machine, not this process.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>
#include <perfmon/pfmlib_perf_event.h>
#include "collector.h"
#include "profile.h"
#include "meta.h"
#include "util.h"

#define REASON_MAX	512
#define WHY_MAX		256
#define TYPE_FILE	UINT32_MAX	/* event->type of a file: spec */

enum cal_state {
	CAL_UNTAGGED = 0,
	CAL_PENDING,		/* tagged, not checked yet */
	CAL_NA,			/* no barriers were expected */
	CAL_OK,
	CAL_FAILED,
};

/* What read() returns with our read_format. */
struct reading {
	uint64_t value, enabled, running;
};

struct total {
	uint64_t count, enabled, running;
};

struct event {
	const struct prof_event *pe;
	int fd;
	enum ev_status status;
	enum cal_state cal;
	char reason[REASON_MAX];
	int used;		/* index of the spec that opened, or -1 */
	int resolved;		/* type and config are those of a spec */
	uint32_t type;
	uint64_t config;
	const char *key;	/* a file: spec's key (in the profile's text) */
	struct reading last;
	struct total ph[PHASE_NR];
};

struct collector {
	struct profile prof;
	struct event *ev;
	int nev;
	int leader;		/* fd of the hardware group leader, or -1 */
	enum phase cur;
	int running;
};

/* ---- resolving a spec to a perf_event_attr ---------------------------- */

static int pfm_ready(char *why, size_t len)
{
	static int done, ret;

	if (!done) {
		ret = pfm_initialize();
		done = 1;
	}
	if (ret == PFM_SUCCESS)
		return 0;
	snprintf(why, len, "pfm: %s", pfm_strerror(ret));
	return -1;
}

static int resolve_pfm(const char *name, struct perf_event_attr *attr,
		       char *why, size_t len)
{
	struct perf_event_attr pa;
	pfm_perf_encode_arg_t arg;
	int ret;

	if (pfm_ready(why, len))
		return -1;
	memset(&pa, 0, sizeof(pa));
	memset(&arg, 0, sizeof(arg));
	arg.attr = &pa;
	arg.size = sizeof(arg);
	ret = pfm_get_os_event_encoding(name, PFM_PLM0 | PFM_PLM3,
					PFM_OS_PERF_EVENT_EXT, &arg);
	if (ret != PFM_SUCCESS) {
		snprintf(why, len, "pfm: %s", pfm_strerror(ret));
		return -1;
	}
	attr->type = pa.type;
	attr->config = pa.config;
	attr->config1 = pa.config1;
	attr->config2 = pa.config2;
	return 0;
}

/* Read a tracepoint id below @base; 0, or -1 with errno set. */
static int tp_id(const char *base, const char *sub, const char *ev,
		 __u64 *id)
{
	char path[512];
	unsigned long long v;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "%s/events/%s/%s/id", base, sub, ev);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fscanf(f, "%llu", &v);
	fclose(f);
	if (n != 1) {
		errno = EINVAL;
		return -1;
	}
	*id = v;
	return 0;
}

static int resolve_tp(const char *arg, struct perf_event_attr *attr,
		      char *why, size_t len)
{
	static const char *const bases[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char sub[64], path[160];
	const char *ev = strchr(arg, ':') + 1;
	unsigned int i;

	snprintf(sub, sizeof(sub), "%.*s", (int)(ev - arg - 1), arg);
	snprintf(why, len,
		 "tracefs not mounted (looked in /sys/kernel/tracing and /sys/kernel/debug/tracing)");
	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		snprintf(path, sizeof(path), "%s/events", bases[i]);
		if (access(path, F_OK)) {
			if (errno != ENOENT)
				snprintf(why, len, "%s: %s", path,
					 strerror(errno));
			continue;
		}
		if (!tp_id(bases[i], sub, ev, &attr->config)) {
			attr->type = PERF_TYPE_TRACEPOINT;
			return 0;
		}
		if (errno == ENOENT && !strcmp(sub, "lmb"))
			snprintf(why, len,
				 "no such kprobe: scripts/server/kprobes add");
		else if (errno == ENOENT)
			snprintf(why, len, "no tracepoint %s in %s", arg, path);
		else
			snprintf(why, len, "%s/%s/%s/id: %s", path, sub, ev,
				 strerror(errno));
		return -1;
	}
	/* no tracefs at all: a kprobe counter still says how to get it */
	if (!strcmp(sub, "lmb"))
		snprintf(why, len,
			 "tracefs not mounted (mount -t tracefs nodev /sys/kernel/tracing), then scripts/server/kprobes add");
	return -1;
}

static int resolve(const char *text, struct perf_event_attr *attr,
		   char *why, size_t len)
{
	struct spec sp;

	if (spec_parse(text, &sp, why, len))
		return -1;	/* checked when parsing; cannot happen */
	switch (sp.kind) {
	case SPEC_PFM:
		return resolve_pfm(sp.arg, attr, why, len);
	case SPEC_TP:
		return resolve_tp(sp.arg, attr, why, len);
	case SPEC_RAW:
		attr->type = PERF_TYPE_RAW;
		break;
	case SPEC_SW:
		attr->type = PERF_TYPE_SOFTWARE;
		break;
	case SPEC_HW:
		attr->type = PERF_TYPE_HARDWARE;
		break;
	case SPEC_FILE:
		return -1;	/* open_file(), not perf */
	}
	attr->config = sp.config;
	return 0;
}

/* ---- opening ------------------------------------------------------------ */

static int in_group(uint32_t type)
{
	return type == PERF_TYPE_HARDWARE || type == PERF_TYPE_RAW ||
	       type == PERF_TYPE_HW_CACHE;
}

static int perf_open(const struct perf_event_attr *enc, int group_fd)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = enc->type;
	attr.config = enc->config;
	attr.config1 = enc->config1;
	attr.config2 = enc->config2;
	attr.disabled = group_fd < 0;
	attr.inherit = 1;
	attr.exclude_hv = 1;
	attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED |
			   PERF_FORMAT_TOTAL_TIME_RUNNING;
	return syscall(SYS_perf_event_open, &attr, 0, -1, group_fd,
		       PERF_FLAG_FD_CLOEXEC);
}

static int paranoid(void)
{
	FILE *f = sys_fopen("/proc/sys/kernel/perf_event_paranoid", "r");
	int v = -99;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -99;
		fclose(f);
	}
	return v;
}

static void open_why(int err, char *why, size_t len)
{
	const char *msg = strerror(err);

	switch (err) {
	case EACCES:
	case EPERM:
		snprintf(why, len,
			 "%s (perf_event_paranoid is %d: run as root or with CAP_PERFMON, or lower it)",
			 msg, paranoid());
		break;
	case ENOENT:
	case EOPNOTSUPP:
		snprintf(why, len, "%s (no such event on this PMU)", msg);
		break;
	case ENOSYS:
		snprintf(why, len,
			 "%s (no perf_event_open: kernel without perf events, or an emulator)",
			 msg);
		break;
	default:
		snprintf(why, len, "%s", msg);
	}
}

/* Open @enc, in the hardware group where it belongs; fd or -1, errno. */
static int open_enc(struct collector *c, const struct perf_event_attr *enc)
{
	int fd;

	if (!in_group(enc->type))
		return perf_open(enc, -1);
	if (c->leader < 0) {
		fd = perf_open(enc, -1);
		if (fd >= 0)
			c->leader = fd;
		return fd;
	}
	fd = perf_open(enc, c->leader);
	if (fd < 0 && (errno == EINVAL || errno == ENOSPC))
		fd = perf_open(enc, -1);
	return fd;
}

static void add_reason(struct event *e, const char *spec, const char *why)
{
	size_t n = strlen(e->reason);

	if (e->pe->nspec == 1)
		snprintf(e->reason, sizeof(e->reason), "%s", why);
	else
		snprintf(e->reason + n, sizeof(e->reason) - n, "%s%s: %s",
			 n ? "; " : "", spec, why);
}

/* The value of @key in the "key value" lines of the file open as @fd. */
static int file_value(int fd, const char *key, uint64_t *v)
{
	char buf[4096], *line, *save = NULL;
	size_t klen = strlen(key);
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, key, klen) && line[klen] == ' ')
			return sscanf(line + klen + 1, "%" SCNu64, v) == 1 ? 0 : -1;
	return -1;
}

/* file:<path>:<key>: open the file and check that it has the key. */
static int open_file(struct event *e, const char *arg, char *why, size_t len)
{
	const char *colon = strrchr(arg, ':');
	char path[512];
	uint64_t v;
	int fd;

	snprintf(path, sizeof(path), "%.*s", (int)(colon - arg), arg);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, len, "%.200s: %s", path, strerror(errno));
		return -1;
	}
	if (file_value(fd, colon + 1, &v)) {
		snprintf(why, len, "%.200s: no line '%.30s <number>'", path, colon + 1);
		close(fd);
		return -1;
	}
	e->fd = fd;
	e->key = colon + 1;
	e->type = TYPE_FILE;
	e->resolved = 1;
	return 0;
}

static void open_event(struct collector *c, struct event *e)
{
	struct perf_event_attr enc;
	char why[WHY_MAX];
	struct spec sp;
	int i, err;

	for (i = 0; i < e->pe->nspec; i++) {
		if (!spec_parse(e->pe->spec[i], &sp, why, sizeof(why)) &&
		    sp.kind == SPEC_FILE) {
			if (open_file(e, sp.arg, why, sizeof(why))) {
				add_reason(e, e->pe->spec[i], why);
				continue;
			}
			e->used = i;
			e->status = EV_OK;
			e->reason[0] = '\0';
			return;
		}
		memset(&enc, 0, sizeof(enc));
		if (resolve(e->pe->spec[i], &enc, why, sizeof(why))) {
			add_reason(e, e->pe->spec[i], why);
			continue;
		}
		e->resolved = 1;
		e->type = enc.type;
		e->config = enc.config;
		e->fd = open_enc(c, &enc);
		if (e->fd >= 0) {
			e->used = i;
			e->status = EV_OK;
			e->reason[0] = '\0';
			return;
		}
		err = errno;
		open_why(err, why, sizeof(why));
		add_reason(e, e->pe->spec[i], why);
		if (err == ENOSYS)
			break;	/* no other spec can open either */
	}
	e->status = EV_UNAVAILABLE;
}

struct collector *collector_open(const char *path, char *err, size_t errlen)
{
	struct collector *c = calloc(1, sizeof(*c));
	int i;

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (profile_parse(path, &c->prof, err, errlen)) {
		free(c);
		return NULL;
	}
	c->ev = calloc(c->prof.nev ? c->prof.nev : 1, sizeof(*c->ev));
	if (!c->ev) {
		snprintf(err, errlen, "out of memory");
		profile_free(&c->prof);
		free(c);
		return NULL;
	}
	c->nev = c->prof.nev;
	c->leader = -1;
	for (i = 0; i < c->nev; i++) {
		struct event *e = &c->ev[i];

		e->pe = &c->prof.ev[i];
		e->fd = -1;
		e->used = -1;
		e->cal = e->pe->calib ? CAL_PENDING : CAL_UNTAGGED;
		open_event(c, e);
	}
	return c;
}

void collector_close(struct collector *c)
{
	int i;

	if (!c)
		return;
	for (i = c->nev - 1; i >= 0; i--)
		if (c->ev[i].fd >= 0)
			close(c->ev[i].fd);
	profile_free(&c->prof);
	free(c->ev);
	free(c);
}

/* ---- counting ----------------------------------------------------------- */

static int read_event(const struct event *e, struct reading *r)
{
	if (e->type != TYPE_FILE)
		return read(e->fd, r, sizeof(*r)) == sizeof(*r) ? 0 : -1;
	/*
	 * Always running, never scaled; no clock read (a vDSO clock executes
	 * an isb, in the phase just entered: the lab would count it).
	 */
	r->enabled = r->running = e->last.enabled + 1;
	return file_value(e->fd, e->key, &r->value);
}

static void zero_totals(struct event *e)
{
	memset(e->ph, 0, sizeof(e->ph));
}

int collector_start(struct collector *c, enum phase phase)
{
	struct event *e;
	int i, ret = 0;

	for (i = 0; i < c->nev; i++) {
		e = &c->ev[i];
		zero_totals(e);
		if (e->fd < 0 || e->type == TYPE_FILE)
			continue;
		if (ioctl(e->fd, PERF_EVENT_IOC_RESET, 0) ||
		    ioctl(e->fd, PERF_EVENT_IOC_ENABLE, 0))
			ret = -1;
	}
	for (i = 0; i < c->nev; i++) {
		e = &c->ev[i];
		if (e->fd >= 0 && read_event(e, &e->last))
			ret = -1;
	}
	c->cur = phase;
	c->running = 1;
	return ret;
}

/* Add the counts since the last read to @t, scaled if multiplexed. */
static void account(struct event *e, struct total *t)
{
	struct reading now;
	uint64_t dv, de, dr;

	if (read_event(e, &now))
		return;
	dv = now.value - e->last.value;
	de = now.enabled - e->last.enabled;
	dr = now.running - e->last.running;
	if (dr && dr < de)
		dv = (uint64_t)((double)dv * (double)de / (double)dr);
	t->count += dv;
	t->enabled += de;
	t->running += dr;
	e->last = now;
}

void collector_phase(struct collector *c, enum phase phase)
{
	struct event *e;
	int i;

	if (!c->running)
		return;
	for (i = 0; i < c->nev; i++) {
		e = &c->ev[i];
		if (e->fd >= 0)
			account(e, &e->ph[c->cur]);
	}
	c->cur = phase;
}

void collector_stop(struct collector *c)
{
	int i;

	if (!c->running)
		return;
	collector_phase(c, c->cur);
	for (i = 0; i < c->nev; i++)
		if (c->ev[i].fd >= 0 && c->ev[i].type != TYPE_FILE)
			ioctl(c->ev[i].fd, PERF_EVENT_IOC_DISABLE, 0);
	c->running = 0;
}

/* ---- calibration -------------------------------------------------------- */

static uint64_t expected(const struct event *e, const struct calib_expect *x)
{
	switch (e->pe->calib) {
	case CALIB_DSB:
		return x->dsb;
	case CALIB_DMB:
		return x->dmb;
	case CALIB_ISB:
		return x->isb;
	default:
		return 0;
	}
}

static const char *const calib_names[] = {
	[CALIB_NONE] = "", [CALIB_DSB] = "dsb",
	[CALIB_DMB] = "dmb", [CALIB_ISB] = "isb",
};

/* 0 if @n counted for @want barriers is within tolerance, else -1. */
static int calib_one(struct event *e, uint64_t n, uint64_t want)
{
	const char *kind = calib_names[e->pe->calib];

	if (n >= want && n - want <= want / 20 + 1000)
		return 0;
	if (n == 0)
		snprintf(e->reason, sizeof(e->reason),
			 "counts 0 for %llu known %s barriers: virtualised or filtered PMU?",
			 (unsigned long long)want, kind);
	else if (n < want)
		snprintf(e->reason, sizeof(e->reason),
			 "counts %llu for %llu known %s barriers (undercount)",
			 (unsigned long long)n, (unsigned long long)want, kind);
	else
		snprintf(e->reason, sizeof(e->reason),
			 "counts %llu for %llu known %s barriers (more than 5%% + 1000 over)",
			 (unsigned long long)n, (unsigned long long)want, kind);
	return -1;
}

int collector_calib_check(struct collector *c, const struct calib_expect *exp,
			  int *checked)
{
	struct event *e;
	uint64_t want;
	int i, failed = 0;

	*checked = 0;
	for (i = 0; i < c->nev; i++) {
		e = &c->ev[i];
		if (e->cal == CAL_UNTAGGED || e->status != EV_OK)
			continue;
		want = expected(e, exp);
		if (!want) {
			e->cal = CAL_NA;
			continue;
		}
		(*checked)++;
		if (!calib_one(e, e->ph[PHASE_CALIB].count, want)) {
			e->cal = CAL_OK;
			continue;
		}
		e->cal = CAL_FAILED;
		e->status = EV_CALIB_FAILED;
		failed++;
	}
	return failed;
}

/* ---- queries ------------------------------------------------------------ */

int collector_nevents(const struct collector *c)
{
	return c->nev;
}

const char *collector_label(const struct collector *c, int i)
{
	return (i >= 0 && i < c->nev) ? c->ev[i].pe->label : NULL;
}

enum ev_status collector_status(const struct collector *c, int i,
				const char **reason)
{
	const struct event *e;

	if (i < 0 || i >= c->nev) {
		if (reason)
			*reason = "no such event";
		return EV_UNAVAILABLE;
	}
	e = &c->ev[i];
	if (reason)
		*reason = e->status == EV_OK ? NULL : e->reason;
	return e->status;
}

/*
 * -1 also when the event was enabled in @phase but never scheduled
 * (multiplexed out the whole time): its count there is unknown.
 */
int collector_value(const struct collector *c, int i, enum phase phase,
		    uint64_t *value)
{
	const struct total *t;

	if (i < 0 || i >= c->nev || phase >= PHASE_NR ||
	    c->ev[i].status != EV_OK)
		return -1;
	t = &c->ev[i].ph[phase];
	if (t->enabled && !t->running)
		return -1;
	*value = t->count;
	return 0;
}

/* ---- JSON --------------------------------------------------------------- */

static const char *status_name(enum ev_status s)
{
	switch (s) {
	case EV_OK:
		return "ok";
	case EV_CALIB_FAILED:
		return "calibration failed";
	default:
		return "unavailable";
	}
}

static const char *cal_name(enum cal_state s)
{
	switch (s) {
	case CAL_OK:
		return "ok";
	case CAL_FAILED:
		return "failed";
	case CAL_UNTAGGED:
		return "not tagged";
	default:
		return "n/a";
	}
}

static void add(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

static json_object *spec_json(const struct event *e)
{
	char buf[REASON_MAX];
	size_t n = 0;
	int i;

	if (e->used >= 0)
		return json_object_new_string(e->pe->spec[e->used]);
	buf[0] = '\0';
	for (i = 0; i < e->pe->nspec && n < sizeof(buf); i++)
		n += snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? " " : "",
			      e->pe->spec[i]);
	return json_object_new_string(buf);
}

static json_object *phase_json(const struct total *t, uint64_t ops,
			       int file)
{
	json_object *o = json_object_new_object();

	if (t->running)
		add(o, "count", json_object_new_int64(t->count));
	else
		add(o, "count", NULL);
	if (ops && t->running)
		add(o, "per_op", json_object_new_double((double)t->count /
							(double)ops));
	if (file)	/* read, not timed: no times */
		return o;
	add(o, "time_enabled_ns", json_object_new_int64(t->enabled));
	add(o, "time_running_ns", json_object_new_int64(t->running));
	return o;
}

static json_object *phases_json(const struct event *e,
				const uint64_t ops[PHASE_NR])
{
	json_object *o = json_object_new_object();
	int p;

	for (p = 0; p < PHASE_NR; p++)
		if (e->ph[p].enabled)
			add(o, phase_names[p],
			    phase_json(&e->ph[p], ops ? ops[p] : 0,
				       e->type == TYPE_FILE));
	return o;
}

static json_object *event_json(const struct event *e, const char *unseen,
			       const uint64_t ops[PHASE_NR])
{
	json_object *o = json_object_new_object();
	char hex[24];

	add(o, "label", json_object_new_string(e->pe->label));
	add(o, "spec", spec_json(e));
	if (e->resolved && e->type == TYPE_FILE) {
		add(o, "type", json_object_new_string("file"));
	} else if (e->resolved) {
		snprintf(hex, sizeof(hex), "0x%llx",
			 (unsigned long long)e->config);
		add(o, "type", json_object_new_int64(e->type));
		add(o, "config", json_object_new_string(hex));
	}
	if (unseen && e->status == EV_OK && e->type != TYPE_FILE) {
		add(o, "status", json_object_new_string("unavailable"));
		add(o, "reason", json_object_new_string(unseen));
		add(o, "calibration", json_object_new_string(cal_name(e->cal)));
		return o;
	}
	add(o, "status", json_object_new_string(status_name(e->status)));
	if (e->status != EV_OK)
		add(o, "reason", json_object_new_string(e->reason));
	add(o, "calibration", json_object_new_string(cal_name(e->cal)));
	if (e->status == EV_OK)
		add(o, "phases", phases_json(e, ops));
	return o;
}

json_object *collector_json_unseen(const struct collector *c,
				   const uint64_t ops[PHASE_NR],
				   const char *why)
{
	json_object *a = json_object_new_array();
	int i;

	for (i = 0; i < c->nev; i++)
		json_object_array_add(a, event_json(&c->ev[i], why, ops));
	return a;
}

json_object *collector_json(const struct collector *c,
			    const uint64_t ops[PHASE_NR])
{
	return collector_json_unseen(c, ops, NULL);
}

/* ---- choosing a profile ------------------------------------------------- */

static int is_conf(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 &&
	       !strcmp(d->d_name + n - 5, ".conf");
}

/* Put in @name the first profile in @dir with a matching midr line. */
static int midr_match(const char *dir, unsigned int impl, unsigned int part,
		      char *name, size_t len)
{
	struct dirent **list;
	char path[4096];
	int i, n, found = -1;

	n = scandir(dir, &list, is_conf, alphasort);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
		if (found < 0 && profile_has_midr(path, impl, part)) {
			snprintf(name, len, "%.*s",
				 (int)strlen(list[i]->d_name) - 5,
				 list[i]->d_name);
			found = 0;
		}
		free(list[i]);
	}
	free(list);
	return found;
}

static int named_path(const char *dir, const char *name, char *path,
		      size_t pathlen, char *err, size_t errlen)
{
	size_t n = snprintf(path, pathlen, "%s/%s.conf", dir, name);

	if (n >= pathlen) {
		snprintf(err, errlen, "PMU profile path too long");
		return -1;
	}
	if (access(path, R_OK)) {
		snprintf(err, errlen,
			 "unknown PMU profile '%s' (looked for %s/%s.conf)",
			 name, dir, name);
		return -1;
	}
	return 0;
}

int collector_profile_path(const char *dir, const char *name,
			   char *path, size_t pathlen, char *err, size_t errlen)
{
	unsigned int impl, part;
	unsigned long midr;
	char found[256];

	if (strchr(name, '/')) {
		if (access(name, R_OK)) {
			snprintf(err, errlen, "cannot read PMU profile %s: %s",
				 name, strerror(errno));
			return -1;
		}
		if ((size_t)snprintf(path, pathlen, "%s", name) < pathlen)
			return 0;
		snprintf(err, errlen, "PMU profile path too long");
		return -1;
	}
	if (strcmp(name, "auto"))
		return named_path(dir, name, path, pathlen, err, errlen);
	/* This CPU's MIDR (meta.c): sysfs, else /proc/cpuinfo; 0 if none. */
	midr = meta_midr();
	impl = (midr >> 24) & 0xff;
	part = (midr >> 4) & 0xfff;
	if (midr && !midr_match(dir, impl, part, found, sizeof(found)))
		return named_path(dir, found, path, pathlen, err, errlen);
	return named_path(dir, "generic", path, pathlen, err, errlen);
}
