// SPDX-License-Identifier: GPL-2.0
/*
 * results.c - writing and reading the results schema, see results.h and
 * results/README.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "opts.h"
#include "results.h"
#include "util.h"

int atomic_write(const char *dir, const char *name, const void *buf,
		 size_t len, char *err, size_t errlen)
{
	char tmp[1024], dst[1024];
	const char *p = buf;
	ssize_t n;
	int fd, dfd;

	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name);
	snprintf(dst, sizeof(dst), "%s/%s", dir, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return errf(err, errlen, "%s: %s", tmp, strerror(errno));
	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			errf(err, errlen, "%s: %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			return -1;
		}
		p += n;
		len -= n;
	}
	if (fsync(fd) || close(fd)) {
		errf(err, errlen, "%s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, dst)) {
		errf(err, errlen, "rename %s: %s", dst, strerror(errno));
		unlink(tmp);
		return -1;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

int results_write_json(const char *dir, const char *name, json_object *o,
		       char *err, size_t errlen)
{
	const char *s = json_object_to_json_string_ext(o,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	char *buf;
	int ret;

	if (asprintf(&buf, "%s\n", s) < 0)
		return errf(err, errlen, "out of memory");
	ret = atomic_write(dir, name, buf, strlen(buf), err, errlen);
	free(buf);
	return ret;
}

/*
 * Samples file: a header line
 *   # lazymmu-bench samples v1 columns=op_ns,prep_ns n=1000
 * then one line per op, the columns separated by one space, in op order.
 */
int results_write_samples(const char *dir, const char *name,
			  const struct samples *s, char *err, size_t errlen)
{
	size_t len = 0, i;
	char *buf = NULL;
	FILE *f;
	int c, ret;

	f = open_memstream(&buf, &len);
	if (!f)
		return errf(err, errlen, "out of memory");
	fprintf(f, "# lazymmu-bench samples v%d columns=", RESULTS_SAMPLES_VERSION);
	for (c = 0; c < s->ncols; c++)
		fprintf(f, "%s%s", c ? "," : "", s->names[c]);
	fprintf(f, " n=%zu\n", s->n);
	for (i = 0; i < s->n; i++)
		for (c = 0; c < s->ncols; c++)
			fprintf(f, "%llu%c", (unsigned long long)s->col[c][i],
				c + 1 < s->ncols ? ' ' : '\n');
	if (fclose(f))
		return errf(err, errlen, "out of memory");
	ret = atomic_write(dir, name, buf, len, err, errlen);
	free(buf);
	return ret;
}

int results_mkrun(const char *out, char *tmpdir, size_t len, char *err,
		  size_t errlen)
{
	char dir[1024], *p;
	int c;

	/* like mkdir -p: --out may name a directory a few levels down */
	snprintf(dir, sizeof(dir), "%s", out);
	for (p = dir + 1; ; p++) {
		if (*p && *p != '/')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return errf(err, errlen, "%s: %s", dir, strerror(errno));
		*p = c;
		if (!*p)
			break;
	}
	if ((size_t)snprintf(tmpdir, len, "%s/.new-run-XXXXXX", out) >= len)
		return errf(err, errlen, "%s: path too long", out);
	if (!mkdtemp(tmpdir))
		return errf(err, errlen, "%s: %s", tmpdir, strerror(errno));
	/* 0700 from mkdtemp; a run is as readable as mkdir would make it */
	c = umask(0);
	umask(c);
	if (chmod(tmpdir, 0755 & ~c))
		return errf(err, errlen, "%s: %s", tmpdir, strerror(errno));
	return 0;
}

/* rename(2) that never replaces @to (an empty directory would be). */
static int rename_new(const char *from, const char *to)
{
	struct stat st;

	if (!renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE))
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* a file system without RENAME_NOREPLACE: check, then rename */
	if (!lstat(to, &st)) {
		errno = EEXIST;
		return -1;
	}
	return rename(from, to);
}

int results_publish_run(char *rundir, size_t len, const char *out,
			json_object *meta, char *err, size_t errlen)
{
	char host[64] = "host", stamp[32], id[128], final[1200];
	time_t now = time(NULL);
	struct tm tm;
	int i, fd;

	gethostname(host, sizeof(host) - 1);
	host[strcspn(host, "./ ")] = '\0';
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	for (i = 0; i < 1000; i++) {
		if (i)
			snprintf(id, sizeof(id), "%s-%s-%d", stamp, host, i);
		else
			snprintf(id, sizeof(id), "%s-%s", stamp, host);
		json_object_object_add(meta, "run_id",
				       json_object_new_string(id));
		if (results_write_json(rundir, "meta.json", meta, err, errlen))
			goto fail;
		snprintf(final, sizeof(final), "%s/%s", out, id);
		if (!rename_new(rundir, final)) {
			fd = open(out, O_RDONLY | O_DIRECTORY);
			if (fd >= 0) {
				fsync(fd);
				close(fd);
			}
			if ((size_t)snprintf(rundir, len, "%s", final) >= len)
				return errf(err, errlen, "%s: path too long",
					    final);
			return 0;
		}
		if (errno != EEXIST && errno != ENOTEMPTY) {
			errf(err, errlen, "%s: %s", final, strerror(errno));
			goto fail;
		}
	}
	errf(err, errlen, "%s: too many runs this second", final);
fail:
	/* nothing of a run that never appeared is left */
	snprintf(final, sizeof(final), "%s/meta.json", rundir);
	unlink(final);
	rmdir(rundir);
	return -1;
}

int results_lock_run(const char *rundir, char *err, size_t errlen)
{
	int fd = open(rundir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return errf(err, errlen, "%s: %s", rundir, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		close(fd);
		return errf(err, errlen, "%s: %s", rundir,
			    errno == EWOULDBLOCK ?
			    "another lazymmu-bench run is writing it" :
			    strerror(errno));
	}
	return fd;
}

void results_case_name(int index, const char *storm, char *buf, size_t len)
{
	snprintf(buf, len, "%02d-%s", index, storm);
}

json_object *results_read_json(const char *path, const char *schema,
			       char *err, size_t errlen)
{
	json_object *o, *v;
	int ver;

	o = json_object_from_file(path);
	if (!o) {
		errf(err, errlen, "%s: %s", path,
		     access(path, R_OK) ? strerror(errno) :
		     "not valid JSON (truncated or malformed)");
		return NULL;
	}
	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "schema", &v) ||
	    strcmp(json_object_get_string(v), schema)) {
		errf(err, errlen, "%s: not a %s file", path, schema);
		json_object_put(o);
		return NULL;
	}
	if (!json_object_object_get_ex(o, "schema_version", &v) ||
	    !json_object_is_type(v, json_type_int)) {
		errf(err, errlen, "%s: no schema_version", path);
		json_object_put(o);
		return NULL;
	}
	ver = json_object_get_int(v);
	if (ver < RESULTS_SCHEMA_OLDEST || ver > RESULTS_SCHEMA_VERSION) {
		errf(err, errlen, "%s: schema_version %d, this build reads %d to %d",
		     path, ver, RESULTS_SCHEMA_OLDEST, RESULTS_SCHEMA_VERSION);
		json_object_put(o);
		return NULL;
	}
	return o;
}

void samples_free(struct samples *s)
{
	int c;

	for (c = 0; c < s->ncols; c++) {
		free(s->col[c]);
		free((char *)s->names[c]);
	}
	memset(s, 0, sizeof(*s));
}

int results_read_samples(const char *path, struct samples *s, char *err,
			 size_t errlen)
{
	char line[512], cols[256], *tok, *save, *p, *end;
	unsigned long long v;
	size_t n, i;
	FILE *f;
	int ver, c;

	memset(s, 0, sizeof(*s));
	f = fopen(path, "r");
	if (!f)
		return errf(err, errlen, "%s: %s", path, strerror(errno));
	if (!fgets(line, sizeof(line), f) ||
	    sscanf(line, "# lazymmu-bench samples v%d columns=%255s n=%zu",
		   &ver, cols, &n) != 3) {
		fclose(f);
		return errf(err, errlen, "%s: bad header", path);
	}
	if (ver != RESULTS_SAMPLES_VERSION) {
		fclose(f);
		return errf(err, errlen, "%s: samples v%d, this build reads v%d",
			    path, ver, RESULTS_SAMPLES_VERSION);
	}
	if (n > 100000000) {
		fclose(f);
		return errf(err, errlen, "%s: n=%zu is implausible", path, n);
	}
	for (tok = strtok_r(cols, ",", &save); tok && s->ncols < 3;
	     tok = strtok_r(NULL, ",", &save)) {
		s->names[s->ncols] = strdup(tok);
		s->col[s->ncols] = calloc(n ? n : 1, sizeof(uint64_t));
		s->ncols++;
	}
	for (i = 0; i < n; i++) {
		if (!fgets(line, sizeof(line), f)) {
			fclose(f);
			samples_free(s);
			return errf(err, errlen,
				    "%s: truncated: %zu of %zu samples", path,
				    i, n);
		}
		p = line;
		for (c = 0; c < s->ncols; c++) {
			errno = 0;
			v = strtoull(p, &end, 10);
			if (end == p || errno ||
			    (*end != (c + 1 < s->ncols ? ' ' : '\n'))) {
				fclose(f);
				samples_free(s);
				return errf(err, errlen,
					    "%s:%zu: malformed sample line",
					    path, i + 2);
			}
			s->col[c][i] = v;
			p = end + 1;
		}
	}
	if (fgets(line, sizeof(line), f)) {
		fclose(f);
		samples_free(s);
		return errf(err, errlen, "%s: more than n=%zu samples", path, n);
	}
	fclose(f);
	s->n = n;
	return 0;
}

/* @o's @key is a whole number from @min on; its value in *v. */
static int int_at_least(json_object *o, const char *key, int64_t min,
			int64_t *v)
{
	json_object *x;

	if (!json_object_object_get_ex(o, key, &x) ||
	    !json_object_is_type(x, json_type_int))
		return 0;
	*v = json_object_get_int64(x);
	return *v >= min;
}

/* @o's @key is a finite number, not negative. */
static int number_at(json_object *o, const char *key, double *v)
{
	json_object *x;

	if (!json_object_object_get_ex(o, key, &x) ||
	    (!json_object_is_type(x, json_type_int) &&
	     !json_object_is_type(x, json_type_double)))
		return 0;
	*v = json_object_get_double(x);
	return isfinite(*v) && *v >= 0;
}

/*
 * meta.json's case entry @i: an object with "index" @i, a "spec" that
 * parses and the file name that index and storm give; "done" (when
 * there) a boolean, and a done case's "status" a string.
 */
static int entry_checked(struct run_reader *r, size_t i, char *err,
			 size_t errlen)
{
	json_object *e = json_object_array_get_idx(r->cases, i), *done = NULL;
	const char *spec = results_jstr(e, "spec");
	const char *file = results_jstr(e, "file");
	struct bench_case bc;
	char name[64], sub[300];
	int64_t index;

	if (!spec || !file)
		return errf(err, errlen, "%s: case %zu has no spec or no file",
			    r->path, i);
	if (!int_at_least(e, "index", 0, &index) || (size_t)index != i)
		return errf(err, errlen, "%s: case %zu has index %.40s",
			    r->path, i, json_object_get_string(
				json_object_object_get(e, "index")));
	if (case_parse(spec, &bc, sub, sizeof(sub)))
		return errf(err, errlen, "%s: case %zu: %s", r->path, i, sub);
	results_case_name(i, bc.storm->name, name, sizeof(name));
	if (strcmp(file, name))
		return errf(err, errlen, "%s: case %zu: file '%.80s', not '%s'",
			    r->path, i, file, name);
	if (json_object_object_get_ex(e, "done", &done) &&
	    !json_object_is_type(done, json_type_boolean))
		return errf(err, errlen, "%s: case %zu: done is not true or false",
			    r->path, i);
	if (json_object_get_boolean(done) && !results_jstr(e, "status"))
		return errf(err, errlen, "%s: case %zu: done without a status",
			    r->path, i);
	return 0;
}

int results_run_open(struct run_reader *r, const char *rundir, int all,
		     char *err, size_t errlen)
{
	const char *id;
	size_t i;

	memset(r, 0, sizeof(*r));
	r->all = all;
	snprintf(r->dir, sizeof(r->dir), "%s", rundir);
	snprintf(r->path, sizeof(r->path), "%s/meta.json", rundir);
	r->meta = results_read_json(r->path, RESULTS_RUN_SCHEMA, err, errlen);
	if (!r->meta)
		return -1;
	id = results_jstr(r->meta, "run_id");
	if (!id || !*id || strchr(id, '/')) {
		results_run_close(r);
		return errf(err, errlen, "%s: no run_id", r->path);
	}
	if (!json_object_object_get_ex(r->meta, "cases", &r->cases) ||
	    !json_object_is_type(r->cases, json_type_array)) {
		results_run_close(r);
		return errf(err, errlen, "%s: no cases array", r->path);
	}
	if (json_object_array_length(r->cases) > LMB_MAX_CASES) {
		results_run_close(r);
		return errf(err, errlen, "%s: more than %d cases", r->path,
			    LMB_MAX_CASES);
	}
	for (i = 0; i < json_object_array_length(r->cases); i++)
		if (entry_checked(r, i, err, errlen)) {
			results_run_close(r);
			return -1;
		}
	return 0;
}

/*
 * latency_ns: an object per measured column (op_ns among them), each
 * with its count and ordered, finite, non-negative figures.
 */
static int latency_checked(struct run_reader *r, json_object *lat,
			   char *err, size_t errlen)
{
	static const char *const q[] = { "min", "p50", "p90", "p99", "max" };
	static const char *const m[] = { "mean", "stddev", "cov" };
	double v, prev = 0;
	int64_t n;
	size_t k;

	if (!json_object_is_type(lat, json_type_object) ||
	    !json_object_object_get_ex(lat, "op_ns", NULL))
		return errf(err, errlen, "%s: latency_ns has no op_ns", r->path);
	json_object_object_foreach(lat, col, x) {
		if (!json_object_is_type(x, json_type_object) ||
		    !int_at_least(x, "n", 1, &n))
			return errf(err, errlen, "%s: latency_ns.%.40s has no count n",
				    r->path, col);
		for (k = 0; k < 5; k++) {
			if (!number_at(x, q[k], &v) || (k && v < prev))
				return errf(err, errlen,
					    "%s: latency_ns.%.40s.%s is missing, negative or out of order",
					    r->path, col, q[k]);
			prev = v;
		}
		for (k = 0; k < 3; k++)
			if (!number_at(x, m[k], &v))
				return errf(err, errlen,
					    "%s: latency_ns.%.40s.%s is not a number",
					    r->path, col, m[k]);
	}
	return 0;
}

/*
 * counters: objects with a label and a status; an available ("ok") one
 * has its phases, each with a count.
 */
static int counters_checked(struct run_reader *r, json_object *ctrs,
			    char *err, size_t errlen)
{
	json_object *x, *ph;
	const char *st;
	double v;
	size_t i;

	if (!json_object_is_type(ctrs, json_type_array))
		return errf(err, errlen, "%s: counters is not an array", r->path);
	for (i = 0; i < json_object_array_length(ctrs); i++) {
		x = json_object_array_get_idx(ctrs, i);
		st = results_jstr(x, "status");
		if (!results_jstr(x, "label") || !st)
			return errf(err, errlen,
				    "%s: counter %zu has no label or status",
				    r->path, i);
		if (strcmp(st, "ok"))
			continue;
		if (!json_object_object_get_ex(x, "phases", &ph) ||
		    !json_object_is_type(ph, json_type_object))
			return errf(err, errlen, "%s: counter %zu has no phases",
				    r->path, i);
		json_object_object_foreach(ph, name, p) {
			if (!json_object_is_type(p, json_type_object) ||
			    !number_at(p, "count", &v) ||
			    (json_object_object_get_ex(p, "per_op", NULL) &&
			     !number_at(p, "per_op", &v)))
				return errf(err, errlen,
					    "%s: counter %zu, phase %.40s: count or per_op is not a number",
					    r->path, i, name);
		}
	}
	return 0;
}

/*
 * A case file as results_run_next() checks it against its meta.json
 * entry: the same index, storm, spec, run and status; -1 with err.
 */
static int case_checked(struct run_reader *r, json_object *entry,
			json_object *c, char *err, size_t errlen)
{
	const char *spec = results_jstr(c, "spec");
	const char *status = results_jstr(c, "status");
	const char *estatus = results_jstr(entry, "status");
	const char *run = results_jstr(c, "run_id");
	const char *storm = results_jstr(c, "storm");
	int64_t index, iters;
	size_t sl;
	json_object *v;

	if (!spec || strcmp(spec, results_jstr(entry, "spec")))
		return errf(err, errlen, "%s: holds case '%.80s', but meta.json lists '%.80s' there",
			    r->path, spec ? spec : "?",
			    results_jstr(entry, "spec"));
	sl = storm ? strlen(storm) : 0;
	if (!int_at_least(c, "index", 0, &index) ||
	    index != json_object_get_int64(json_object_object_get(entry, "index")) ||
	    !storm || strncmp(spec, storm, sl) || (spec[sl] && spec[sl] != ' '))
		return errf(err, errlen, "%s: its index or storm is not meta.json's",
			    r->path);
	if (run && strcmp(run, results_jstr(r->meta, "run_id")))
		return errf(err, errlen, "%s: belongs to run '%.80s', not this one",
			    r->path, run);
	if (!status)
		return errf(err, errlen, "%s: no status", r->path);
	if (estatus && strcmp(status, estatus))
		return errf(err, errlen, "%s: status %.40s, but meta.json says %.40s",
			    r->path, status, estatus);
	if (strcmp(status, "ok")) {
		if (!json_object_object_get_ex(c, "reason", NULL))
			return errf(err, errlen, "%s: status %.40s without a reason",
				    r->path, status);
		return 0;
	}
	if (!int_at_least(c, "iterations", 1, &iters) ||
	    !json_object_object_get_ex(c, "latency_ns", &v) ||
	    !json_object_object_get_ex(c, "counters", NULL))
		return errf(err, errlen,
			    "%s: ok case without iterations, latency_ns or counters",
			    r->path);
	if (latency_checked(r, v, err, errlen))
		return -1;
	return counters_checked(r, json_object_object_get(c, "counters"),
				err, errlen);
}

int results_run_next(struct run_reader *r, json_object **entry,
		     json_object **c, char *err, size_t errlen)
{
	json_object *e, *done;

	*c = NULL;
	while (r->next < json_object_array_length(r->cases)) {
		e = json_object_array_get_idx(r->cases, r->next++);
		*entry = e;
		if (!json_object_object_get_ex(e, "done", &done) ||
		    !json_object_get_boolean(done)) {
			if (r->all)
				return 1;
			continue;
		}
		snprintf(r->path, sizeof(r->path), "%s/%s.json", r->dir,
			 results_jstr(e, "file"));
		*c = results_read_json(r->path, RESULTS_CASE_SCHEMA, err, errlen);
		if (!*c)
			return -1;
		if (case_checked(r, e, *c, err, errlen)) {
			json_object_put(*c);
			*c = NULL;
			return -1;
		}
		return 1;
	}
	return 0;
}

int results_case_ok(json_object *entry, json_object *c)
{
	const char *e = results_jstr(entry, "status");
	const char *s = results_jstr(c, "status");

	return e && s && !strcmp(e, "ok") && !strcmp(s, "ok");
}

void results_run_close(struct run_reader *r)
{
	json_object_put(r->meta);
	r->meta = NULL;
	r->cases = NULL;
}

int results_case_samples(struct run_reader *r, json_object *entry,
			 json_object *c, struct samples *s, char *err,
			 size_t errlen)
{
	uint64_t iters;
	char name[1100];

	iters = json_object_get_int64(json_object_object_get(c, "iterations"));
	snprintf(name, sizeof(name), "%s/%s.samples", r->dir,
		 results_jstr(entry, "file"));
	if (results_read_samples(name, s, err, errlen))
		return -1;
	if (s->n != iters || !s->ncols || strcmp(s->names[0], "op_ns")) {
		samples_free(s);
		return errf(err, errlen,
			    "%s: %zu samples for %llu iterations, or no op_ns first",
			    name, s->n, (unsigned long long)iters);
	}
	return 0;
}

/* A case's samples file holds as many samples as it has iterations. */
static int check_samples(struct run_reader *r, json_object *entry,
			 json_object *c, char *err, size_t errlen)
{
	struct samples s;

	if (strcmp(results_jstr(c, "status"), "ok"))
		return 0;
	if (results_case_samples(r, entry, c, &s, err, errlen))
		return -1;
	samples_free(&s);
	return 0;
}

int results_check_run(const char *rundir, char *err, size_t errlen)
{
	struct run_reader r;
	json_object *e, *c;
	int ret;

	if (results_run_open(&r, rundir, 0, err, errlen))
		return -1;
	while ((ret = results_run_next(&r, &e, &c, err, errlen)) == 1) {
		ret = check_samples(&r, e, c, err, errlen);
		json_object_put(c);
		if (ret)
			break;
	}
	results_run_close(&r);
	return ret;
}

json_object *results_jget(json_object *o, const char *path)
{
	char buf[256], *save, *k;
	json_object *v = o;

	snprintf(buf, sizeof(buf), "%s", path);
	for (k = strtok_r(buf, ".", &save); k && v; k = strtok_r(NULL, ".", &save))
		v = json_object_is_type(v, json_type_object) ?
			json_object_object_get(v, k) : NULL;
	return v;
}

const char *results_jstr(json_object *o, const char *path)
{
	json_object *v = results_jget(o, path);

	return v && json_object_is_type(v, json_type_string) ?
		json_object_get_string(v) : NULL;
}
