// SPDX-License-Identifier: GPL-2.0
/*
 * test_collector.c - PMU profiles and per-phase counting.
 *
 * Runs from the repository root (profiles in configs/pmu).  Passes with
 * or without a hardware PMU, with or without tracefs, and under
 * qemu-aarch64 where perf_event_open may not exist: counting tests skip
 * when their event did not open.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/perf_event.h>
#include <cmocka.h>
#include "collector/collector.h"
#include "meta.h"
#include "collector/profile.h"

#define PMU_DIR		"configs/pmu"
#define NPAGES		64

static const char *const hw_profiles[] = {
	"neoverse-n1", "neoverse-v1", "neoverse-n2", "neoverse-v2",
	"ampereone",
};

/* ---- helpers ------------------------------------------------------------ */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* A temporary profile holding @text; its path goes in @path. */
static void temp_profile(char path[64], const char *text)
{
	int fd;

	strcpy(path, "/tmp/lmb-collector-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static struct collector *open_text(const char *text, char path[64])
{
	char err[512] = "";
	struct collector *c;

	temp_profile(path, text);
	c = collector_open(path, err, sizeof(err));
	if (!c)
		print_error("collector_open(%s): %s\n", path, err);
	assert_non_null(c);
	return c;
}

static int find(const struct collector *c, const char *label)
{
	int i;

	for (i = 0; i < collector_nevents(c); i++)
		if (!strcmp(collector_label(c, i), label))
			return i;
	return -1;
}

static json_object *event_obj(json_object *arr, const char *label)
{
	json_object *o, *l;
	size_t i;

	for (i = 0; i < json_object_array_length(arr); i++) {
		o = json_object_array_get_idx(arr, i);
		if (json_object_object_get_ex(o, "label", &l) &&
		    !strcmp(json_object_get_string(l), label))
			return o;
	}
	return NULL;
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return NULL;
	return json_object_get_string(v);
}

static int has_key(json_object *o, const char *key)
{
	return json_object_object_get_ex(o, key, NULL);
}

static void assert_contains(const char *s, const char *sub)
{
	if (!s || !strstr(s, sub)) {
		print_error("'%s' does not contain '%s'\n", s ? s : "(null)",
			    sub);
		fail();
	}
}

/* Write to @n fresh pages, one fault each. */
static void touch_pages(int n)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, n * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int i;

	assert_true(p != MAP_FAILED);
	madvise(p, n * page, MADV_NOHUGEPAGE);	/* no large folios */
	for (i = 0; i < n; i++)
		((volatile char *)p)[i * page] = 1;
	munmap(p, n * page);
}

static uint64_t value(const struct collector *c, int i, enum phase p)
{
	uint64_t v = 0;

	assert_int_equal(collector_value(c, i, p, &v), 0);
	return v;
}

/*
 * A test that cannot run here says so and passes: cmocka 1.1.5 reports
 * skip() in TAP as "not ok N # SKIP", which prove counts as a failure.
 */
static int skip_unless_ok(const struct collector *c, int i)
{
	const char *why;

	if (collector_status(c, i, &why) == EV_OK)
		return 0;
	print_message("# SKIP %s unavailable: %s\n", collector_label(c, i),
		      why);
	return 1;
}

/* ---- shipped profiles --------------------------------------------------- */

static int is_conf(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && !strcmp(d->d_name + n - 5, ".conf");
}

static void test_shipped_profiles_parse(void **state)
{
	struct dirent **list;
	char path[512], err[512];
	struct collector *c;
	int i, n;

	(void)state;
	n = scandir(PMU_DIR, &list, is_conf, alphasort);
	assert_true(n >= 6);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), PMU_DIR "/%s", list[i]->d_name);
		err[0] = '\0';
		c = collector_open(path, err, sizeof(err));
		if (!c)
			print_error("%s: %s\n", path, err);
		assert_non_null(c);
		/* everything includes, or is, generic */
		assert_true(find(c, "page-faults") >= 0);
		assert_true(find(c, "cycles") >= 0);
		collector_close(c);
		free(list[i]);
	}
	free(list);
}

static void check_hw_profile(const char *name)
{
	static const char *const tagged[] = { "dsb", "dmb", "isb" };
	char path[512], err[512];
	struct collector *c;
	json_object *arr, *o;
	unsigned int i;

	snprintf(path, sizeof(path), PMU_DIR "/%s.conf", name);
	c = collector_open(path, err, sizeof(err));
	if (!c)
		print_error("%s: %s\n", path, err);
	assert_non_null(c);
	arr = collector_json(c, NULL);
	for (i = 0; i < 3; i++) {
		o = event_obj(arr, tagged[i]);
		assert_non_null(o);
		/* tagged, not yet checked */
		assert_string_equal(jstr(o, "calibration"), "n/a");
	}
	/* generic's hw:cycles is replaced by the core's own event */
	o = event_obj(arr, "cycles");
	assert_non_null(o);
	assert_null(strstr(jstr(o, "spec"), "hw:"));
	assert_contains(jstr(o, "spec"), "0x11");
	o = event_obj(arr, "page-faults");
	assert_string_equal(jstr(o, "calibration"), "not tagged");
	json_object_put(arr);
	collector_close(c);
}

static void test_hw_profiles_have_calib(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(hw_profiles) / sizeof(hw_profiles[0]); i++)
		check_hw_profile(hw_profiles[i]);
}

/* ---- parse errors ------------------------------------------------------- */

struct bad {
	const char *text;
	int line;
	const char *what;
};

static const struct bad bad_profiles[] = {
	{ "event\n", 1, "needs a label" },
	{ "event x\n", 1, "needs a label" },
	{ "# comment\n\nfrobnicate x\n", 3, "unknown directive 'frobnicate'" },
	{ "event x bogus:1\n", 1, "unknown spec kind 'bogus'" },
	{ "event x page-faults\n", 1, "no kind" },
	{ "event x sw:pagefaults\n", 1, "unknown sw event 'pagefaults'" },
	{ "event x hw:branches\n", 1, "unknown hw event 'branches'" },
	{ "event x raw:zz\n", 1, "not a number" },
	{ "event x pfm:\n", 1, "no libpfm4 event name" },
	{ "event x tp:sched\n", 1, "tp:<subsystem>:<event>" },
	{ "event x sw:task-clock\nevent x sw:page-faults\n", 2,
	  "duplicate event label 'x'" },
	{ "event a/b sw:task-clock\n", 1, "bad event label" },
	{ "midr 0x41\n", 1, "want 'midr" },
	{ "midr 0x141 0xd0c\n", 1, "want 'midr" },
	{ "name\n", 1, "want 'name" },
	{ "event x sw:task-clock\ncalib x dsbx\n", 2, "unknown calibration" },
	{ "event x sw:task-clock\n\ncalib y dsb\n", 3, "no event labelled" },
	{ "include\n", 1, "want 'include" },
	{ "include no-such-profile-here\n", 1, "cannot read" },
	{ "event x file:relative/path:k\n", 1, "file:<absolute path>:<key>" },
	{ "event x file:/no/key\n", 1, "file:<absolute path>:<key>" },
	{ "event x file:/a:Bad-Key\n", 1, "file:<absolute path>:<key>" },
};

static void test_parse_errors(void **state)
{
	char path[64], err[512], where[96];
	struct collector *c;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad_profiles) / sizeof(bad_profiles[0]); i++) {
		temp_profile(path, bad_profiles[i].text);
		err[0] = '\0';
		c = collector_open(path, err, sizeof(err));
		if (c)
			print_error("accepted: %s", bad_profiles[i].text);
		assert_null(c);
		snprintf(where, sizeof(where), "%s:%d: ", path,
			 bad_profiles[i].line);
		assert_contains(err, where);
		assert_contains(err, bad_profiles[i].what);
		unlink(path);
	}
}

/*
 * file: events (the nest census's counts): a "key value" line read at
 * every phase change, the difference since the last one added to the
 * phase that ended; a file that is not there, or has no such key, is
 * unavailable with its reason, never 0.
 */
static void test_file_events(void **state)
{
	char dir[] = "/tmp/lmb-collector-XXXXXX", counts[96], text[512];
	char path[64];
	struct collector *c;
	json_object *arr;
	const char *why;
	uint64_t v;
	int n, m, x;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(counts, sizeof(counts), "%s/counts", dir);
	write_file(counts, "sections 10\nnested 3\nc_writes 7\n");
	snprintf(text, sizeof(text),
		 "event nested file:%s:nested\nevent c file:%s:c_writes\n"
		 "event missing file:%s/none:nested\nevent nokey file:%s:nokey\n",
		 counts, counts, dir, counts);
	c = open_text(text, path);
	n = find(c, "nested");
	m = find(c, "c");
	assert_int_equal(collector_status(c, n, &why), EV_OK);
	assert_int_equal(collector_start(c, PHASE_SETUP), 0);
	write_file(counts, "sections 12\nnested 5\nc_writes 7\n");
	collector_phase(c, PHASE_MEASURE);
	write_file(counts, "sections 30\nnested 21\nc_writes 107\n");
	collector_stop(c);
	assert_int_equal(collector_value(c, n, PHASE_SETUP, &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(collector_value(c, n, PHASE_MEASURE, &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(collector_value(c, m, PHASE_SETUP, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(collector_value(c, m, PHASE_MEASURE, &v), 0);
	assert_int_equal(v, 100);
	/* file events read the whole machine: a case whose work the
	 * process's counters miss keeps them */
	arr = collector_json_unseen(c, NULL, "in kernel threads");
	assert_string_equal(jstr(event_obj(arr, "nested"), "status"), "ok");
	json_object_put(arr);
	x = find(c, "missing");
	assert_int_equal(collector_status(c, x, &why), EV_UNAVAILABLE);
	assert_contains(why, "/none: No such file or directory");
	assert_int_equal(collector_value(c, x, PHASE_MEASURE, &v), -1);
	x = find(c, "nokey");
	assert_int_equal(collector_status(c, x, &why), EV_UNAVAILABLE);
	assert_contains(why, "no line 'nokey <number>'");
	collector_close(c);
	unlink(path);
	unlink(counts);
	rmdir(dir);
}

static void test_missing_file(void **state)
{
	char err[256];

	(void)state;
	assert_null(collector_open("/nonexistent/x.conf", err, sizeof(err)));
	assert_contains(err, "/nonexistent/x.conf");
}

/* ---- includes ----------------------------------------------------------- */

struct tdir {
	char dir[64];
	char path[8][128];
	int n;
};

static const char *tdir_add(struct tdir *t, const char *name,
			    const char *text)
{
	char buf[sizeof(t->path[0])];
	char *p = t->path[t->n++];

	snprintf(buf, sizeof(buf), "%s/%s.conf", t->dir, name);
	strcpy(p, buf);
	write_file(p, text);
	return p;
}

static void tdir_rm(struct tdir *t)
{
	while (t->n)
		unlink(t->path[--t->n]);
	rmdir(t->dir);
}

static void test_include_loop(void **state)
{
	struct tdir t = { .n = 0 };
	char err[512], where[160];
	const char *a, *self;

	(void)state;
	strcpy(t.dir, "/tmp/lmb-collector-XXXXXX");
	assert_non_null(mkdtemp(t.dir));
	a = tdir_add(&t, "a", "event x sw:task-clock\ninclude b\n");
	tdir_add(&t, "b", "# b\nevent y sw:page-faults\ninclude a\n");
	self = tdir_add(&t, "self", "\ninclude self\n");

	assert_null(collector_open(a, err, sizeof(err)));
	snprintf(where, sizeof(where), "%s/b.conf:3: ", t.dir);
	assert_contains(err, where);
	assert_contains(err, "loop");

	assert_null(collector_open(self, err, sizeof(err)));
	snprintf(where, sizeof(where), "%s:2: ", self);
	assert_contains(err, where);
	assert_contains(err, "loop");
	tdir_rm(&t);
}

static void test_include_override(void **state)
{
	struct tdir t = { .n = 0 };
	const char *top, *diamond, *clash, *outer;
	struct collector *c;
	json_object *arr;
	char err[512], where[160];

	(void)state;
	strcpy(t.dir, "/tmp/lmb-collector-XXXXXX");
	assert_non_null(mkdtemp(t.dir));
	tdir_add(&t, "base", "event cycles hw:cycles\n"
			     "event pf sw:page-faults\n");
	tdir_add(&t, "mid", "include base\nevent m sw:task-clock\n");
	tdir_add(&t, "other", "event pf sw:minor-faults\n");
	top = tdir_add(&t, "top", "include base\nevent cycles raw:0x11\n");
	diamond = tdir_add(&t, "diamond", "include base\ninclude mid\n");
	clash = tdir_add(&t, "clash", "include base\ninclude other\n");
	outer = tdir_add(&t, "outer", "event pf sw:task-clock\n"
				      "include base\n");

	/* a redefinition replaces the included event in its place */
	c = collector_open(top, err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(collector_nevents(c), 2);
	assert_int_equal(find(c, "cycles"), 0);
	arr = collector_json(c, NULL);
	assert_contains(jstr(event_obj(arr, "cycles"), "spec"), "raw:0x11");
	json_object_put(arr);
	collector_close(c);

	/* a file included twice (not a loop) is read once */
	c = collector_open(diamond, err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(collector_nevents(c), 3);
	collector_close(c);

	/* the including file's definition wins over a later include */
	c = collector_open(outer, err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(collector_nevents(c), 2);
	arr = collector_json(c, NULL);
	assert_contains(jstr(event_obj(arr, "pf"), "spec"), "sw:task-clock");
	json_object_put(arr);
	collector_close(c);

	/* two unrelated files with one label */
	assert_null(collector_open(clash, err, sizeof(err)));
	snprintf(where, sizeof(where), "%s/other.conf:1: ", t.dir);
	assert_contains(err, where);
	assert_contains(err, "duplicate event label 'pf'");
	tdir_rm(&t);
}

/* ---- resolution --------------------------------------------------------- */

static void test_raw_fallback(void **state)
{
	struct collector *c;
	json_object *arr, *o;
	char path[64];
	const char *reason;

	(void)state;
	c = open_text("event dsb pfm:arm_n1::DSB_SPEC raw:0x7d\n", path);
	arr = collector_json(c, NULL);
	o = event_obj(arr, "dsb");
	assert_non_null(o);
	/* the pfm name (aarch64, arm_n1) or the raw fallback: same encoding */
	assert_true(has_key(o, "type"));
	assert_int_equal(json_object_get_int(
		json_object_object_get(o, "type")), PERF_TYPE_RAW);
	assert_string_equal(jstr(o, "config"), "0x7d");
	if (collector_status(c, 0, &reason) == EV_OK) {
		assert_null(reason);
		assert_false(has_key(o, "reason"));
	} else {
		assert_non_null(reason);
		assert_contains(jstr(o, "spec"),
				"pfm:arm_n1::DSB_SPEC raw:0x7d");
		/* each spec tried says why (ENOSYS stops after the first) */
		assert_contains(reason, "pfm:arm_n1::DSB_SPEC: ");
	}
#ifndef __aarch64__
	/* no arm tables in this libpfm4: only raw can have resolved */
	if (collector_status(c, 0, &reason) == EV_OK)
		assert_string_equal(jstr(o, "spec"), "raw:0x7d");
	else
		assert_contains(reason,
				"pfm:arm_n1::DSB_SPEC: pfm: event not found");
#endif
	json_object_put(arr);
	collector_close(c);
	unlink(path);
}

/*
 * Must @pmu's names resolve (1), fail (0), or either (-1)?  An x86 libpfm4
 * has no arm tables; on aarch64 only the forced or detected PMU's do.
 */
static int pfm_expect(const char *pmu)
{
#ifdef __aarch64__
	const char *forced = getenv("LIBPFM_FORCE_PMU");

	if (!forced || !*forced)
		return -1;
	return !strcmp(forced, pmu);
#else
	(void)pmu;
	return 0;
#endif
}

static void check_pfm_name(const char *pmu)
{
	struct collector *c;
	json_object *arr, *o;
	char path[64], text[128];
	const char *reason;
	int expect = pfm_expect(pmu);

	snprintf(text, sizeof(text), "event dsb pfm:%s::DSB_SPEC\n", pmu);
	c = open_text(text, path);
	arr = collector_json(c, NULL);
	o = event_obj(arr, "dsb");
	if (has_key(o, "type")) {
		assert_int_not_equal(expect, 0);
		assert_int_equal(json_object_get_int(
			json_object_object_get(o, "type")), PERF_TYPE_RAW);
		assert_string_equal(jstr(o, "config"), "0x7d");
	} else {
		assert_int_not_equal(expect, 1);
		assert_int_equal(collector_status(c, 0, &reason),
				 EV_UNAVAILABLE);
		assert_string_equal(reason, "pfm: event not found");
	}
	json_object_put(arr);
	collector_close(c);
	unlink(path);
}

static void test_pfm_names(void **state)
{
	(void)state;
	check_pfm_name("arm_n1");
	check_pfm_name("arm_v1");
	check_pfm_name("arm_n2");
	check_pfm_name("arm_v2");
}

/* The number after " raw:" in @spec, which must have one. */
static uint64_t raw_fallback(const char *spec)
{
	const char *raw = strstr(spec, " raw:");

	assert_non_null(raw);
	return strtoull(raw + 5, NULL, 0);
}

/*
 * Events of profile @file whose first spec is a pfm name for @pmu must
 * resolve, to the same code as their raw fallback.  Returns how many.
 */
static int check_forced_profile(const char *file, const char *pmu)
{
	char path[512], err[512], prefix[64];
	struct collector *c;
	json_object *arr, *o;
	const char *spec, *reason;
	int i, n = 0;

	snprintf(path, sizeof(path), PMU_DIR "/%s", file);
	snprintf(prefix, sizeof(prefix), "pfm:%s::", pmu);
	c = collector_open(path, err, sizeof(err));
	assert_non_null(c);
	arr = collector_json(c, NULL);
	for (i = 0; i < collector_nevents(c); i++) {
		o = json_object_array_get_idx(arr, i);
		spec = jstr(o, "spec");
		if (strncmp(spec, prefix, strlen(prefix)))
			continue;	/* not ours, or opened by a fallback */
		n++;
		assert_true(has_key(o, "type"));
		assert_int_equal(json_object_get_int(
			json_object_object_get(o, "type")), PERF_TYPE_RAW);
		if (collector_status(c, i, &reason) != EV_OK) {
			if (strstr(reason, "event not found"))
				print_error("%s: %s\n", spec, reason);
			assert_null(strstr(reason, "event not found"));
			assert_int_equal(strtoull(jstr(o, "config"), NULL, 16),
					 raw_fallback(spec));
		}
	}
	if (n)
		print_message("# %s: %d %s events resolved\n", file, n, pmu);
	json_object_put(arr);
	collector_close(c);
	return n;
}

/* Does profile @file name events of @pmu? */
static int names_pmu(const char *file, const char *pmu)
{
	char path[512], line[512], prefix[64];
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), PMU_DIR "/%s", file);
	snprintf(prefix, sizeof(prefix), "pfm:%s::", pmu);
	f = fopen(path, "r");
	assert_non_null(f);
	while (!found && fgets(line, sizeof(line), f))
		found = line[0] != '#' && strstr(line, prefix);
	fclose(f);
	return found;
}

static void test_forced_pmu_profiles(void **state)
{
	const char *pmu = getenv("LIBPFM_FORCE_PMU");
	struct dirent **list;
	int i, n, resolved = 0, named = 0;

	(void)state;
	if (pfm_expect(pmu ? pmu : "") != 1) {
		print_message("# SKIP needs aarch64 and LIBPFM_FORCE_PMU\n");
		return;
	}
	n = scandir(PMU_DIR, &list, is_conf, alphasort);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		resolved += check_forced_profile(list[i]->d_name, pmu);
		named += names_pmu(list[i]->d_name, pmu);
		free(list[i]);
	}
	free(list);
	if (!named)
		print_message("# no shipped profile uses %s\n", pmu);
	assert_int_equal(resolved > 0, named > 0);
}

/* ---- counting ----------------------------------------------------------- */

static void test_page_faults_by_phase(void **state)
{
	char err[512];
	struct collector *c;
	uint64_t ops[PHASE_NR] = { 0 }, v;
	json_object *arr, *o, *phases, *m;
	int pf, p, status;
	pid_t pid;

	(void)state;
	c = collector_open(PMU_DIR "/generic.conf", err, sizeof(err));
	assert_non_null(c);
	pf = find(c, "page-faults");
	assert_true(pf >= 0);
	if (skip_unless_ok(c, pf)) {
		collector_close(c);
		return;
	}
	assert_int_equal(collector_start(c, PHASE_IDLE), 0);
	collector_phase(c, PHASE_MEASURE);
	touch_pages(NPAGES);
	collector_phase(c, PHASE_IDLE);
	collector_phase(c, PHASE_PREP);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		touch_pages(NPAGES);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	collector_phase(c, PHASE_IDLE);
	collector_stop(c);

	assert_true(value(c, pf, PHASE_MEASURE) >= NPAGES);
	/* the forked child's faults fold back into the phase it ran in */
	assert_true(value(c, pf, PHASE_PREP) >= NPAGES);
	assert_true(value(c, pf, PHASE_IDLE) < NPAGES);
	for (p = 0; p < PHASE_NR; p++)
		if (p != PHASE_MEASURE && p != PHASE_PREP && p != PHASE_IDLE)
			assert_int_equal(value(c, pf, p), 0);

	ops[PHASE_MEASURE] = NPAGES;
	arr = collector_json(c, ops);
	o = event_obj(arr, "page-faults");
	assert_string_equal(jstr(o, "status"), "ok");
	assert_string_equal(jstr(o, "spec"), "sw:page-faults");
	assert_true(json_object_object_get_ex(o, "phases", &phases));
	assert_true(json_object_object_get_ex(phases, "measure", &m));
	assert_false(json_object_object_get_ex(phases, "setup", NULL));
	v = json_object_get_int64(json_object_object_get(m, "count"));
	assert_int_equal(v, value(c, pf, PHASE_MEASURE));
	assert_true(json_object_get_double(
		json_object_object_get(m, "per_op")) >= 1.0);
	assert_true(json_object_get_int64(
		json_object_object_get(m, "time_enabled_ns")) > 0);
	assert_true(has_key(m, "time_running_ns"));
	assert_true(json_object_object_get_ex(phases, "idle", &m));
	assert_false(has_key(m, "per_op"));
	json_object_put(arr);
	/* a case whose work runs where these counters do not look */
	arr = collector_json_unseen(c, ops, "in kernel threads");
	o = event_obj(arr, "page-faults");
	assert_string_equal(jstr(o, "status"), "unavailable");
	assert_string_equal(jstr(o, "reason"), "in kernel threads");
	assert_false(has_key(o, "phases"));
	json_object_put(arr);
	collector_close(c);
}

static void test_restart_zeroes(void **state)
{
	char err[512];
	struct collector *c;
	int pf;

	(void)state;
	c = collector_open(PMU_DIR "/generic.conf", err, sizeof(err));
	assert_non_null(c);
	pf = find(c, "page-faults");
	/* phase changes before start are ignored */
	collector_phase(c, PHASE_MEASURE);
	collector_stop(c);
	if (skip_unless_ok(c, pf)) {
		collector_close(c);
		return;
	}
	assert_int_equal(value(c, pf, PHASE_MEASURE), 0);
	collector_start(c, PHASE_MEASURE);
	touch_pages(NPAGES);
	collector_stop(c);
	assert_true(value(c, pf, PHASE_MEASURE) >= NPAGES);
	collector_start(c, PHASE_SETUP);
	collector_stop(c);
	assert_int_equal(value(c, pf, PHASE_MEASURE), 0);
	collector_close(c);
}

/* ---- unavailable events ------------------------------------------------- */

static void test_unavailable(void **state)
{
	struct collector *c;
	json_object *arr, *o;
	const char *reason;
	char path[64];
	uint64_t v = 12345;
	int i, p;

	(void)state;
	c = open_text("event nope pfm:no_such_pmu::NO_SUCH_EVENT\n"
		      "event notp tp:no_such_subsystem:no_such_event\n"
		      "event bad raw:0xffffffffffffffff\n", path);
	assert_int_equal(collector_nevents(c), 3);
	collector_start(c, PHASE_MEASURE);
	collector_phase(c, PHASE_IDLE);
	collector_stop(c);
	arr = collector_json(c, NULL);
	for (i = 0; i < 2; i++) {
		assert_int_equal(collector_status(c, i, &reason),
				 EV_UNAVAILABLE);
		assert_non_null(reason);
		assert_true(strlen(reason) > 0);
		for (p = 0; p < PHASE_NR; p++)
			assert_int_equal(collector_value(c, i, p, &v), -1);
		o = json_object_array_get_idx(arr, i);
		assert_string_equal(jstr(o, "status"), "unavailable");
		assert_string_equal(jstr(o, "reason"), reason);
		assert_false(has_key(o, "phases"));
		assert_false(has_key(o, "type"));
	}
	assert_int_equal(v, 12345);
	collector_status(c, 1, &reason);
	/* not mounted, no such tracepoint, or tracefs unreadable */
	assert_true(strstr(reason, "tracefs not mounted") ||
		    strstr(reason, "no tracepoint") ||
		    strstr(reason, "/sys/kernel/"));
	/* a raw config no PMU takes: resolved, then refused */
	if (collector_status(c, 2, &reason) != EV_OK) {
		assert_true(strlen(reason) > 0);
		o = json_object_array_get_idx(arr, 2);
		assert_true(has_key(o, "type"));
	}
	assert_int_equal(collector_value(c, 3, PHASE_MEASURE, &v), -1);
	assert_null(collector_label(c, 3));
	json_object_put(arr);
	collector_close(c);
	unlink(path);
}

/* ---- calibration -------------------------------------------------------- */

static void test_calib_check(void **state)
{
	struct calib_expect exp = { 0, 0, 0 };
	struct collector *c;
	json_object *arr, *o;
	const char *reason;
	char path[64];
	uint64_t n, v, nmf;
	int pf, mf, mf_fails, checked;

	(void)state;
	c = open_text("event page-faults sw:page-faults\n"
		      "event major sw:major-faults\n"
		      "event cs sw:context-switches\n"
		      "calib page-faults dsb\n"
		      "calib major dmb\n", path);
	pf = find(c, "page-faults");
	mf = find(c, "major");
	if (skip_unless_ok(c, pf) || skip_unless_ok(c, mf)) {
		collector_close(c);
		unlink(path);
		return;
	}
	collector_start(c, PHASE_IDLE);
	collector_phase(c, PHASE_CALIB);
	touch_pages(NPAGES);
	collector_phase(c, PHASE_IDLE);
	collector_stop(c);
	n = value(c, pf, PHASE_CALIB);
	assert_true(n >= NPAGES);

	/* nothing expected (not aarch64): n/a, nothing changes */
	assert_int_equal(collector_calib_check(c, &exp, &checked), 0);
	assert_int_equal(checked, 0);
	arr = collector_json(c, NULL);
	assert_string_equal(jstr(event_obj(arr, "page-faults"), "calibration"),
			    "n/a");
	assert_string_equal(jstr(event_obj(arr, "cs"), "calibration"),
			    "not tagged");
	json_object_put(arr);

	/* within tolerance: ok */
	exp.dsb = n;
	assert_int_equal(collector_calib_check(c, &exp, &checked), 0);
	assert_int_equal(checked, 1);
	assert_int_equal(collector_status(c, pf, NULL), EV_OK);
	arr = collector_json(c, NULL);
	assert_string_equal(jstr(event_obj(arr, "page-faults"), "calibration"),
			    "ok");
	json_object_put(arr);

	/* one more barrier expected than counted: failed from now on */
	exp.dsb = n + 1;
	exp.dmb = 1000;
	nmf = value(c, mf, PHASE_CALIB);
	mf_fails = nmf < 1000 || nmf > 1000 + 50 + 1000;
	assert_int_equal(collector_calib_check(c, &exp, &checked), 1 + mf_fails);
	assert_int_equal(checked, 2);
	assert_int_equal(collector_status(c, pf, &reason), EV_CALIB_FAILED);
	assert_contains(reason, "counts ");
	assert_contains(reason, "undercount");
	assert_int_equal(collector_value(c, pf, PHASE_CALIB, &v), -1);
	arr = collector_json(c, NULL);
	o = event_obj(arr, "page-faults");
	assert_string_equal(jstr(o, "status"), "calibration failed");
	assert_string_equal(jstr(o, "calibration"), "failed");
	assert_string_equal(jstr(o, "reason"), reason);
	assert_false(has_key(o, "phases"));
	json_object_put(arr);
	/* major faults: almost surely none, the message for a silent PMU */
	if (!nmf) {
		assert_int_equal(collector_status(c, mf, &reason),
				 EV_CALIB_FAILED);
		assert_contains(reason, "counts 0 for 1000 known dmb barriers");
		assert_contains(reason, "virtualised or filtered PMU?");
	}

	/* a failed event is not checked again */
	exp.dsb = n;
	assert_int_equal(collector_calib_check(c, &exp, &checked), 0);
	assert_int_equal(collector_status(c, pf, NULL), EV_CALIB_FAILED);
	collector_close(c);
	unlink(path);
}

/* ---- choosing a profile ------------------------------------------------- */

static void test_profile_path(void **state)
{
	char path[512], err[512], small[8];

	(void)state;
	assert_int_equal(collector_profile_path(PMU_DIR, "nope", path,
						sizeof(path), err,
						sizeof(err)), -1);
	assert_string_equal(err, "unknown PMU profile 'nope' (looked for "
			    PMU_DIR "/nope.conf)");

	assert_int_equal(collector_profile_path(PMU_DIR, "generic", path,
						sizeof(path), err,
						sizeof(err)), 0);
	assert_string_equal(path, PMU_DIR "/generic.conf");

	assert_int_equal(collector_profile_path(PMU_DIR, "neoverse-n1", path,
						sizeof(path), err,
						sizeof(err)), 0);
	assert_string_equal(path, PMU_DIR "/neoverse-n1.conf");

	assert_int_equal(collector_profile_path(PMU_DIR,
						PMU_DIR "/ampereone.conf",
						path, sizeof(path), err,
						sizeof(err)), 0);
	assert_string_equal(path, PMU_DIR "/ampereone.conf");
	assert_int_equal(collector_profile_path(PMU_DIR, "/nonexistent/x.conf",
						path, sizeof(path), err,
						sizeof(err)), -1);
	assert_contains(err, "/nonexistent/x.conf");

	assert_int_equal(collector_profile_path(PMU_DIR, "generic", small,
						sizeof(small), err,
						sizeof(err)), -1);

	assert_int_equal(collector_profile_path(PMU_DIR, "auto", path,
						sizeof(path), err,
						sizeof(err)), 0);
	assert_int_equal(access(path, R_OK), 0);
	print_message("# auto: %s\n", path);
#if defined(__x86_64__) || defined(__i386__)
	assert_string_equal(path, PMU_DIR "/generic.conf");
#endif
}

/* What "auto" matches, profile by profile (the CPU here cannot be faked). */
static void test_midr_lines(void **state)
{
	static const struct {
		const char *name;
		unsigned int impl, part;
	} cpus[] = {
		{ "neoverse-n1", 0x41, 0xd0c },
		{ "neoverse-v1", 0x41, 0xd40 },
		{ "neoverse-n2", 0x41, 0xd49 },
		{ "neoverse-v2", 0x41, 0xd4f },
		{ "ampereone", 0xc0, 0xac3 },
	};
	char path[256];
	unsigned int i, j;

	(void)state;
	for (i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
		snprintf(path, sizeof(path), PMU_DIR "/%s.conf", cpus[i].name);
		for (j = 0; j < sizeof(cpus) / sizeof(cpus[0]); j++)
			assert_int_equal(profile_has_midr(path, cpus[j].impl,
							  cpus[j].part),
					 i == j);
		/* a profile's midr lines are its own, not its includes' */
		assert_int_equal(profile_has_midr(PMU_DIR "/generic.conf",
						  cpus[i].impl, cpus[i].part),
				 0);
	}
}

/* tests/machines/: the profile "auto" picks on each recorded machine. */
static void test_recorded_machines(void **state)
{
	static const struct {
		const char *machine, *profile;
		unsigned long midr;
	} m[] = {
		{ "graviton2", "neoverse-n1", 0x413fd0c1 },
		{ "graviton3", "neoverse-v1", 0x411fd401 },
		{ "graviton4", "neoverse-v2", 0x410fd4f1 },
		{ "altra", "neoverse-n1", 0x413fd0c1 },
		{ "cobalt100", "neoverse-n2", 0x410fd490 },
		{ "ampereone", "ampereone", 0xc00fac30 },
		{ "kunpeng920", "generic", 0x481fd010 },
		{ "x86", "generic", 0 },
	};
	char root[512], path[512], want[512], err[256];
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		snprintf(root, sizeof(root), "%s/tests/machines/%s",
			 getcwd(path, sizeof(path)), m[i].machine);
		assert_int_equal(access(root, R_OK), 0);
		setenv("LMB_SYSROOT", root, 1);
		assert_int_equal(collector_profile_path(PMU_DIR, "auto", path,
							sizeof(path), err,
							sizeof(err)), 0);
		snprintf(want, sizeof(want), PMU_DIR "/%s.conf", m[i].profile);
		print_message("# %s: midr 0x%08lx -> %s\n", m[i].machine,
			      meta_midr(), path);
		assert_string_equal(path, want);
		assert_int_equal(meta_midr(), m[i].midr);
	}
	unsetenv("LMB_SYSROOT");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_profiles_parse),
		cmocka_unit_test(test_hw_profiles_have_calib),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_include_loop),
		cmocka_unit_test(test_include_override),
		cmocka_unit_test(test_raw_fallback),
		cmocka_unit_test(test_pfm_names),
		cmocka_unit_test(test_forced_pmu_profiles),
		cmocka_unit_test(test_page_faults_by_phase),
		cmocka_unit_test(test_restart_zeroes),
		cmocka_unit_test(test_unavailable),
		cmocka_unit_test(test_calib_check),
		cmocka_unit_test(test_profile_path),
		cmocka_unit_test(test_midr_lines),
		cmocka_unit_test(test_recorded_machines),
		cmocka_unit_test(test_file_events),
	};

	return cmocka_run_group_tests_name("collector", tests, NULL, NULL);
}
