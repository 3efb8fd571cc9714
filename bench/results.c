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

static int check_case(const char *rundir, json_object *entry, char *err,
		      size_t errlen)
{
	char path[1024], name[1024];
	json_object *c, *v, *status;
	struct samples s;
	const char *file;
	int ret = 0;

	if (!json_object_object_get_ex(entry, "file", &v))
		return errf(err, errlen, "%s/meta.json: case without file",
			    rundir);
	file = json_object_get_string(v);
	snprintf(path, sizeof(path), "%s/%s.json", rundir, file);
	c = results_read_json(path, RESULTS_CASE_SCHEMA, err, errlen);
	if (!c)
		return -1;
	if (!json_object_object_get_ex(c, "status", &status)) {
		json_object_put(c);
		return errf(err, errlen, "%s: no status", path);
	}
	if (!strcmp(json_object_get_string(status), "ok")) {
		json_object *it, *sm;
		uint64_t iters;

		if (!json_object_object_get_ex(c, "iterations", &it) ||
		    !json_object_object_get_ex(c, "latency_ns", &sm) ||
		    !json_object_object_get_ex(c, "counters", &v)) {
			json_object_put(c);
			return errf(err, errlen,
				    "%s: ok case without iterations, latency_ns or counters",
				    path);
		}
		iters = json_object_get_int64(it);
		snprintf(name, sizeof(name), "%s/%s.samples", rundir, file);
		if (results_read_samples(name, &s, err, errlen)) {
			ret = -1;
		} else {
			if (s.n != iters)
				ret = errf(err, errlen,
					   "%s: %zu samples for %llu iterations",
					   name, s.n, (unsigned long long)iters);
			samples_free(&s);
		}
	} else if (!json_object_object_get_ex(c, "reason", &v)) {
		ret = errf(err, errlen, "%s: status %s without a reason", path,
			   json_object_get_string(status));
	}
	json_object_put(c);
	return ret;
}

int results_check_run(const char *rundir, char *err, size_t errlen)
{
	json_object *meta, *cases;
	char path[1024];
	size_t i;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/meta.json", rundir);
	meta = results_read_json(path, RESULTS_RUN_SCHEMA, err, errlen);
	if (!meta)
		return -1;
	if (!json_object_object_get_ex(meta, "cases", &cases) ||
	    !json_object_is_type(cases, json_type_array)) {
		json_object_put(meta);
		return errf(err, errlen, "%s: no cases array", path);
	}
	for (i = 0; !ret && i < json_object_array_length(cases); i++) {
		json_object *e = json_object_array_get_idx(cases, i), *done;

		if (json_object_object_get_ex(e, "done", &done) &&
		    json_object_get_boolean(done))
			ret = check_case(rundir, e, err, errlen);
	}
	json_object_put(meta);
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
