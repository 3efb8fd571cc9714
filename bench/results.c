// SPDX-License-Identifier: GPL-2.0
/*
 * results.c - writing and reading the results schema, see results.h and
 * results/README.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
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

int results_mkrun(const char *out, char *rundir, size_t len, char *err,
		  size_t errlen)
{
	char host[64] = "host", stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int i;

	char dir[1024], *p;

	/* like mkdir -p: --out may name a directory a few levels down */
	snprintf(dir, sizeof(dir), "%s", out);
	for (p = dir + 1; ; p++) {
		if (*p && *p != '/')
			continue;
		i = *p;
		*p = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return errf(err, errlen, "%s: %s", dir, strerror(errno));
		*p = i;
		if (!*p)
			break;
	}
	gethostname(host, sizeof(host) - 1);
	host[strcspn(host, "./ ")] = '\0';
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	for (i = 0; i < 100; i++) {
		if (i)
			snprintf(rundir, len, "%s/%s-%s-%d", out, stamp, host, i);
		else
			snprintf(rundir, len, "%s/%s-%s", out, stamp, host);
		if (!mkdir(rundir, 0755))
			return 0;
		if (errno != EEXIST)
			return errf(err, errlen, "%s: %s", rundir,
				    strerror(errno));
	}
	return errf(err, errlen, "%s: too many runs this second", rundir);
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

int results_run_open(struct run_reader *r, const char *rundir, int all,
		     char *err, size_t errlen)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->all = all;
	snprintf(r->dir, sizeof(r->dir), "%s", rundir);
	snprintf(r->path, sizeof(r->path), "%s/meta.json", rundir);
	r->meta = results_read_json(r->path, RESULTS_RUN_SCHEMA, err, errlen);
	if (!r->meta)
		return -1;
	if (!json_object_object_get_ex(r->meta, "cases", &r->cases) ||
	    !json_object_is_type(r->cases, json_type_array)) {
		results_run_close(r);
		return errf(err, errlen, "%s: no cases array", r->path);
	}
	for (i = 0; i < json_object_array_length(r->cases); i++) {
		json_object *e = json_object_array_get_idx(r->cases, i);
		const char *file = results_jstr(e, "file");

		if (!results_jstr(e, "spec") || !file || !*file ||
		    strchr(file, '/') || file[0] == '.') {
			errf(err, errlen, "%s: case %zu has no spec or no plain file name",
			     r->path, i);
			results_run_close(r);
			return -1;
		}
	}
	return 0;
}

/* A case file as results_run_next() checks it; -1 with err. */
static int case_checked(struct run_reader *r, json_object *entry,
			json_object *c, char *err, size_t errlen)
{
	const char *spec = results_jstr(c, "spec");
	const char *status = results_jstr(c, "status");
	json_object *v;

	if (!spec || strcmp(spec, results_jstr(entry, "spec")))
		return errf(err, errlen, "%s: holds case '%.80s', but meta.json lists '%.80s' there",
			    r->path, spec ? spec : "?",
			    results_jstr(entry, "spec"));
	if (!status)
		return errf(err, errlen, "%s: no status", r->path);
	if (strcmp(status, "ok")) {
		if (!json_object_object_get_ex(c, "reason", NULL))
			return errf(err, errlen, "%s: status %s without a reason",
				    r->path, status);
		return 0;
	}
	if (!json_object_object_get_ex(c, "iterations", &v) ||
	    !json_object_is_type(v, json_type_int) ||
	    !json_object_object_get_ex(c, "latency_ns", &v) ||
	    !json_object_is_type(v, json_type_object) ||
	    !json_object_object_get_ex(c, "counters", &v) ||
	    !json_object_is_type(v, json_type_array))
		return errf(err, errlen,
			    "%s: ok case without iterations, latency_ns or counters",
			    r->path);
	return 0;
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

/* A case's samples file holds as many samples as it has iterations. */
static int check_samples(struct run_reader *r, json_object *entry,
			 json_object *c, char *err, size_t errlen)
{
	uint64_t iters;
	struct samples s;
	char name[1100];
	int ret = 0;

	if (strcmp(results_jstr(c, "status"), "ok"))
		return 0;
	iters = json_object_get_int64(json_object_object_get(c, "iterations"));
	snprintf(name, sizeof(name), "%s/%s.samples", r->dir,
		 results_jstr(entry, "file"));
	if (results_read_samples(name, &s, err, errlen))
		return -1;
	if (s.n != iters)
		ret = errf(err, errlen, "%s: %zu samples for %llu iterations",
			   name, s.n, (unsigned long long)iters);
	samples_free(&s);
	return ret;
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
