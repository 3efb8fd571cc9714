// SPDX-License-Identifier: GPL-2.0
/*
 * opts.c - parsing of options, case specs and profiles; see opts.h.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <strings.h>
#include "opts.h"
#include "util.h"

int parse_uint(const char *s, uint64_t *out, char *err, size_t errlen)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return errf(err, errlen, "'%s' is not a number", s ? s : "");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return errf(err, errlen, "'%s' is not a number", s);
	*out = v;
	return 0;
}

int parse_size(const char *s, uint64_t *out, char *err, size_t errlen)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return errf(err, errlen, "size '%s' does not parse", s ? s : "");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return errf(err, errlen, "size '%s' is too large", s);
	switch (toupper((unsigned char)*end)) {
	case '\0':
		break;
	case 'K':
		shift = 10;
		break;
	case 'M':
		shift = 20;
		break;
	case 'G':
		shift = 30;
		break;
	case 'T':
		shift = 40;
		break;
	default:
		return errf(err, errlen, "size '%s' does not parse", s);
	}
	/* "64M", "64MB" and "64MiB" all mean 64 << 20. */
	if (*end && end[1] && strcasecmp(end + 1, "B") &&
	    strcasecmp(end + 1, "iB"))
		return errf(err, errlen, "size '%s' does not parse", s);
	if (shift && v > (~0ULL >> shift))
		return errf(err, errlen, "size '%s' is too large", s);
	*out = v << shift;
	return 0;
}

int parse_seconds(const char *s, double *out, char *err, size_t errlen)
{
	char *end;
	double v;

	if (!s || !*s)
		return errf(err, errlen, "time '' does not parse");
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v <= 0 || v > 3600)
		return errf(err, errlen,
			    "time '%s' is not a number of seconds in (0, 3600]",
			    s);
	*out = v;
	return 0;
}

void format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char sfx[] = "KMGT";
	int i = -1;

	while (i < 3 && bytes && !(bytes & 1023)) {
		bytes >>= 10;
		i++;
	}
	if (i < 0)
		snprintf(buf, len, "%llu", (unsigned long long)bytes);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)bytes, sfx[i]);
}

static const char *const tune_names[] = {
	"governor", "thp", "caches", "aslr", NULL
};

void opts_tune_string(unsigned int tune, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; tune_names[i]; i++)
		if (tune & (1u << i))
			used += snprintf(buf + used, used < len ? len - used : 0,
					 "%s%s", used ? "," : "", tune_names[i]);
	if (!buf[0])
		snprintf(buf, len, "none");
}

/* "governor,thp", "all" or "none" to TUNE_* bits. */
static int tune_parse(const char *val, struct run_opts *o, char *err,
		      size_t errlen)
{
	char buf[128], *tok, *save;
	int i;

	if (!*val || strlen(val) >= sizeof(buf))
		return errf(err, errlen, "tune: value '%s' is empty or too long",
			    val);
	strcpy(buf, val);
	o->tune = 0;
	o->tune_all = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "none"))
			continue;
		if (!strcmp(tok, "all")) {
			o->tune = TUNE_ALL;
			o->tune_all = 1;
			continue;
		}
		for (i = 0; tune_names[i] && strcmp(tune_names[i], tok); i++)
			;
		if (!tune_names[i])
			return errf(err, errlen,
				    "tune: unknown control '%s' (governor, thp, caches, aslr, all, none)",
				    tok);
		o->tune |= 1u << i;
	}
	return 0;
}

void opts_defaults(struct run_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->warmup = 5;
	o->min_time = 0.5;
	o->max_iterations = 200000;
	o->calib_barriers = 1000000;
	o->cpu = -2;
	snprintf(o->pmu, sizeof(o->pmu), "auto");
	snprintf(o->out, sizeof(o->out), "results");
}

/*
 * The run options: one line each.  The command line (--NAME), a profile's
 * "set NAME VALUE" line, the usage text, meta.json's "options" and their
 * read-back on --resume all come from this table.
 */
enum opt_kind { RO_UINT, RO_SECONDS, RO_CPU, RO_CLOCK, RO_SIZE, RO_STR,
		RO_TUNE, RO_NEIGHBOUR };

#define RO_RESUME	0x2	/* read back from meta.json on --resume */
#define RO_CLI_WINS	0x4	/* ... unless given on this command line */
#define RO_NONZERO	0x8	/* in meta.json only when set (not 0) */
#define RO_LIST		0x10	/* a comma list: no empty item */
#define RO_SESSION	0x20	/* this session's, so --resume takes it too */

#define F(field)	.off = offsetof(struct run_opts, field), \
			.size = sizeof(((struct run_opts *)0)->field)

static const struct run_opt {
	const char *name;	/* --NAME and "set NAME" */
	enum opt_kind kind;
	size_t off, size;	/* the field in struct run_opts */
	uint64_t min, max;	/* RO_UINT */
	const char *json;	/* key in meta.json's "options"; NULL: none */
	/*
	 * The old name, still taken on the command line, in a profile and
	 * (before schema version 3) as the key in meta.json.
	 */
	const char *alias;
	unsigned int flags;
	const char *cli_only;	/* why it is never a profile's, or NULL */
	int shortopt;		/* run's one-letter form, or 0 */
	const char *arg, *help;
} table[] = {
	{ "iterations", RO_UINT, F(iterations), .min = 1, .max = 100000000,
	  .json = "iterations", .flags = RO_RESUME, .arg = "N",
	  .help = "fixed ops per case (else calibrated to --min-time)" },
	{ "warmup", RO_UINT, F(warmup), .max = 100000000, .json = "warmup",
	  .flags = RO_RESUME, .arg = "N", .help = "warm-up ops (5)" },
	{ "min-time", RO_SECONDS, F(min_time), .json = "min_time_s",
	  .flags = RO_RESUME, .arg = "S",
	  .help = "calibrate each case's ops to S seconds (0.5)" },
	{ "max-iterations", RO_UINT, F(max_iterations), .min = 1,
	  .max = 100000000, .json = "max_iterations", .flags = RO_RESUME,
	  .arg = "N", .help = "at most N calibrated ops (200000)" },
	{ "calib-barriers", RO_UINT, F(calib_barriers), .min = 1,
	  .max = 100000000, .json = "calib_barriers", .flags = RO_RESUME,
	  .arg = "N", .help = "rounds of the barrier calibration (1000000)" },
	{ "clock", RO_CLOCK, F(clock), .json = "clock", .flags = RO_RESUME,
	  .arg = "raw|cntvct",
	  .help = "timestamps: CLOCK_MONOTONIC_RAW, or arm64's counter" },
	{ "pmu", RO_STR, F(pmu), .json = "pmu", .flags = RO_RESUME,
	  .arg = "NAME|none", .help = "PMU profile, configs/pmu/NAME.conf (auto)" },
	{ "profile", RO_STR, F(profile), .json = "profile",
	  .flags = RO_RESUME, .cli_only = "a profile names no profile",
	  .shortopt = 'p', .arg = "NAME|PATH",
	  .help = "cases from configs/profiles/NAME.conf (quick)" },
	{ "neighbour", RO_NEIGHBOUR, F(neighbour), .json = "neighbour",
	  .alias = "noise", .flags = RO_RESUME | RO_CLI_WINS | RO_SESSION,
	  .arg = "NAME",
	  .help = "a neighbour load on the other CPUs (configs/neighbour/)" },
	{ "tune", RO_TUNE, F(tune), .json = "tune",
	  .flags = RO_LIST | RO_SESSION, .cli_only = "it changes the machine", .arg = "LIST",
	  .help = "governor,thp,caches,aslr | all | none (root, but aslr)" },
	{ "inject-ns", RO_UINT, F(inject_ns), .max = 1000000000,
	  .json = "inject_ns", .flags = RO_RESUME | RO_NONZERO,
	  .cli_only = "a test-only effect", .arg = "N",
	  .help = "test only: busy-wait N ns inside every timed op" },
	{ "cpu", RO_CPU, F(cpu), .flags = RO_SESSION, .arg = "N|auto|none", .help = "pinning (auto)" },
	{ "size", RO_SIZE, F(size), .arg = "S",
	  .help = "every case's size (K, M, G suffixes)" },
	{ "storms", RO_STR, F(storms), .flags = RO_LIST, .arg = "a,b", .help = "only these storms" },
	{ "out", RO_STR, F(out), .arg = "DIR", .help = "results parent (results)" },
	{ "load-module", RO_STR, F(module), .flags = RO_SESSION, .cli_only = "it changes the machine",
	  .arg = "KO", .help = "load lazymmu_bench.ko for the run (root)" },
};

#define NOPTS	((int)(sizeof(table) / sizeof(table[0])))

static int copy_str(char *dst, size_t len, const char *key, const char *val,
		    char *err, size_t errlen)
{
	if (!*val || strlen(val) >= len)
		return errf(err, errlen, "%s: value '%s' is empty or too long",
			    key, val);
	strcpy(dst, val);
	return 0;
}

/* Parse @val into @t's field of @o, with @t's checks. */
static int opts_apply(struct run_opts *o, const struct run_opt *t,
		      const char *val, char *err, size_t errlen)
{
	void *field = (char *)o + t->off;
	const char *key = t->name;
	char sub[192];
	uint64_t v;

	if ((t->flags & RO_LIST) && (!*val || *val == ',' ||
				     val[strlen(val) - 1] == ',' ||
				     strstr(val, ",,")))
		return errf(err, errlen, "%s: '%s' has an empty item", key, val);
	switch (t->kind) {
	case RO_UINT:
		if (parse_uint(val, &v, sub, sizeof(sub)))
			return errf(err, errlen, "%s: %s", key, sub);
		if (v < t->min)
			return errf(err, errlen, "%s must be at least %llu",
				    key, (unsigned long long)t->min);
		if (v > t->max)
			return errf(err, errlen, "%s %s is out of range (at most %llu)",
				    key, val, (unsigned long long)t->max);
		*(uint64_t *)field = v;
		return 0;
	case RO_SECONDS:
		if (parse_seconds(val, field, sub, sizeof(sub)))
			return errf(err, errlen, "%s: %s", key, sub);
		return 0;
	case RO_CPU:
		if (!strcmp(val, "none")) {
			o->cpu = -1;
			return 0;
		}
		if (!strcmp(val, "auto")) {
			o->cpu = -2;
			return 0;
		}
		if (parse_uint(val, &v, sub, sizeof(sub)) || v > 65535)
			return errf(err, errlen,
				    "cpu: '%s' is not a CPU number, 'auto' or 'none'",
				    val);
		o->cpu = (long)v;
		return 0;
	case RO_CLOCK:
		if (!strcmp(val, "raw"))
			o->clock = CLOCK_KIND_RAW;
		else if (!strcmp(val, "cntvct"))
			o->clock = CLOCK_KIND_CNTVCT;
		else
			return errf(err, errlen,
				    "clock: unknown clock '%s' (raw, cntvct)",
				    val);
#ifndef __aarch64__
		if (o->clock == CLOCK_KIND_CNTVCT)
			return errf(err, errlen,
				    "clock: cntvct exists only on aarch64");
#endif
		return 0;
	case RO_SIZE:
		if (parse_size(val, &o->size, sub, sizeof(sub)))
			return errf(err, errlen, "%s", sub);
		if (o->size == 0)
			return errf(err, errlen, "size must be at least 1");
		return 0;
	case RO_STR:
		return copy_str(field, t->size, key, val, err, errlen);
	case RO_TUNE:
		return tune_parse(val, o, err, errlen);
	case RO_NEIGHBOUR:
		if (strspn(val, "abcdefghijklmnopqrstuvwxyz0123456789-_") !=
		    strlen(val))
			return errf(err, errlen,
				    "%s: '%s' is not a neighbour load's name (configs/neighbour/NAME.conf)",
				    key, val);
		if (!strcmp(val, "none")) {
			o->neighbour[0] = '\0';
			return 0;
		}
		return copy_str(o->neighbour, sizeof(o->neighbour), key, val,
				err, errlen);
	}
	return errf(err, errlen, "unknown option '%s'", key);
}

static const struct run_opt *opt_find(const char *key)
{
	int k;

	for (k = 0; k < NOPTS; k++)
		if (!strcmp(table[k].name, key) ||
		    (table[k].alias && !strcmp(table[k].alias, key)))
			return &table[k];
	return NULL;
}

int opts_set(struct run_opts *o, const char *key, const char *val,
	     int from_cli, char *err, size_t errlen)
{
	const struct run_opt *t = opt_find(key);
	unsigned int bit;

	if (!t)
		return errf(err, errlen, "unknown option '%s'", key);
	bit = 1u << (t - table);
	/* What changes the machine or makes an effect is asked for by hand. */
	if (!from_cli && t->cli_only)
		return errf(err, errlen, "%s: only on the command line (%s)",
			    key, t->cli_only);
	if (!from_cli && (o->from_cli & bit))
		return 0;
	if (opts_apply(o, t, val, err, errlen))
		return -1;
	if (from_cli)
		o->from_cli |= bit;
	return 0;
}

int opts_getopt(struct option *lo, int max)
{
	int k, n = 0;

	for (k = 0; k < NOPTS; k++) {
		const char *names[2] = { table[k].name, table[k].alias };
		int a;

		for (a = 0; a < 2 && names[a]; a++) {
			if (n + 1 >= max)
				return -1;
			lo[n].name = names[a];
			lo[n].has_arg = required_argument;
			lo[n].flag = NULL;
			lo[n++].val = table[k].shortopt;
		}
	}
	memset(&lo[n], 0, sizeof(lo[n]));
	return n;
}

void opts_usage(FILE *f)
{
	char left[64];
	int k;

	for (k = 0; k < NOPTS; k++) {
		snprintf(left, sizeof(left), "--%s %s", table[k].name,
			 table[k].arg);
		fprintf(f, "  %-24s %s%s%s%s\n", left, table[k].help,
			table[k].cli_only ? " [command line only]" : "",
			table[k].alias ? "; old name --" : "",
			table[k].alias ? table[k].alias : "");
	}
}

json_object *opts_json(const struct run_opts *o)
{
	json_object *j = json_object_new_object(), *v;
	char buf[128];
	int k;

	for (k = 0; k < NOPTS; k++) {
		const struct run_opt *t = &table[k];
		const void *field = (const char *)o + t->off;

		if (!t->json)
			continue;
		switch (t->kind) {
		case RO_UINT:
			if ((t->flags & RO_NONZERO) && !*(const uint64_t *)field)
				continue;
			v = json_object_new_int64(*(const uint64_t *)field);
			break;
		case RO_SECONDS:
			v = json_object_new_double(*(const double *)field);
			break;
		case RO_CLOCK:
			v = json_object_new_string(o->clock == CLOCK_KIND_CNTVCT ?
						   "cntvct" : "raw");
			break;
		case RO_TUNE:
			opts_tune_string(o->tune, buf, sizeof(buf));
			v = json_object_new_string(buf);
			break;
		case RO_NEIGHBOUR:
			v = json_object_new_string(o->neighbour[0] ?
						   o->neighbour : "none");
			break;
		default:
			v = json_object_new_string(field);
			break;
		}
		json_object_object_add(j, t->json, v);
	}
	return j;
}

const char *opts_not_for_resume(const struct run_opts *o)
{
	int k;

	for (k = 0; k < NOPTS; k++)
		if ((o->from_cli & (1u << k)) && !(table[k].flags & RO_SESSION))
			return table[k].name;
	return NULL;
}

int opts_from_json(json_object *j, struct run_opts *o, char *err,
		   size_t errlen)
{
	char val[256], sub[512];
	json_object *v;
	int k;

	for (k = 0; k < NOPTS; k++) {
		const struct run_opt *t = &table[k];

		if (!t->json || !(t->flags & RO_RESUME) ||
		    (!json_object_object_get_ex(j, t->json, &v) &&
		     !(t->alias && json_object_object_get_ex(j, t->alias, &v))))
			continue;
		if ((t->flags & RO_CLI_WINS) && (o->from_cli & (1u << k)))
			continue;
		snprintf(val, sizeof(val), "%s", json_object_get_string(v));
		/* a profile-less run recorded "" */
		if (t->kind == RO_STR && !val[0]) {
			((char *)o + t->off)[0] = '\0';
			continue;
		}
		if (opts_apply(o, t, val, sub, sizeof(sub)))
			return errf(err, errlen, "options.%s: %s", t->json, sub);
	}
	return 0;
}

static int opt_parse(const struct storm_opt *so, const char *val, long *out,
		     char *err, size_t errlen)
{
	char sub[160];
	uint64_t v;
	int i;

	switch (so->type) {
	case OPT_SIZE:
		if (parse_size(val, &v, sub, sizeof(sub)))
			return errf(err, errlen, "%s", sub);
		/* Whole pages: round up to the page size. */
		v = (v + storm_page_size() - 1) & ~(uint64_t)(storm_page_size() - 1);
		break;
	case OPT_ENUM:
		for (i = 0; so->choices[i]; i++)
			if (!strcmp(so->choices[i], val)) {
				*out = i;
				return 0;
			}
		return errf(err, errlen, "%s: unknown value '%s'", so->name,
			    val);
	default:
		if (parse_uint(val, &v, sub, sizeof(sub)))
			return errf(err, errlen, "%s: %s", so->name, sub);
		break;
	}
	if ((long long)v < so->min || v > (uint64_t)so->max) {
		if (so->type == OPT_SIZE)
			return errf(err, errlen,
				    "%s %s is out of range (%ld to %ld bytes)",
				    so->name, val, so->min, so->max);
		return errf(err, errlen, "%s %s is out of range (%ld to %ld)",
			    so->name, val, so->min, so->max);
	}
	*out = (long)v;
	return 0;
}

static void case_respell(struct bench_case *c)
{
	const struct storm *s = c->storm;
	size_t n;
	char v[32];
	int i;

	n = snprintf(c->spec, sizeof(c->spec), "%s", s->name);
	for (i = 0; i < STORM_MAX_OPTS && s->opts[i].name; i++) {
		const struct storm_opt *so = &s->opts[i];

		if (so->type == OPT_SIZE)
			format_size(c->opt[i], v, sizeof(v));
		else if (so->type == OPT_ENUM)
			snprintf(v, sizeof(v), "%s", so->choices[c->opt[i]]);
		else
			snprintf(v, sizeof(v), "%ld", c->opt[i]);
		if (n < sizeof(c->spec))
			n += snprintf(c->spec + n, sizeof(c->spec) - n, " %s=%s",
				      so->name, v);
	}
}

int case_parse(const char *text, struct bench_case *c, char *err,
	       size_t errlen)
{
	char buf[512], *tok, *save, *eq, sub[200];
	int i;

	memset(c, 0, sizeof(*c));
	if (strlen(text) >= sizeof(buf))
		return errf(err, errlen, "case '%.40s...' is too long", text);
	strcpy(buf, text);
	tok = strtok_r(buf, " \t\n", &save);
	if (!tok)
		return errf(err, errlen, "empty case");
	c->storm = storm_find(tok);
	if (!c->storm)
		return errf(err, errlen,
			    "unknown storm '%s' (see 'lazymmu-bench list')",
			    tok);
	for (i = 0; i < STORM_MAX_OPTS && c->storm->opts[i].name; i++)
		if (opt_parse(&c->storm->opts[i], c->storm->opts[i].def,
			      &c->opt[i], err, errlen))
			return -1;
	while ((tok = strtok_r(NULL, " \t\n", &save))) {
		eq = strchr(tok, '=');
		if (!eq || eq == tok)
			return errf(err, errlen, "%s: '%s' is not key=value",
				    c->storm->name, tok);
		*eq = '\0';
		i = storm_opt_index(c->storm, tok);
		if (i < 0)
			return errf(err, errlen, "%s: unknown option '%s'",
				    c->storm->name, tok);
		if (opt_parse(&c->storm->opts[i], eq + 1, &c->opt[i], sub,
			      sizeof(sub)))
			return errf(err, errlen, "%s: %s", c->storm->name, sub);
	}
	case_respell(c);
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int profile_load(const char *path, struct run_opts *o, struct bench_case *cases,
		 int *ncases, char *err, size_t errlen)
{
	char line[512], sub[300], *s, *rest;
	FILE *f;
	int lineno = 0, ret = 0;

	f = fopen(path, "r");
	if (!f)
		return errf(err, errlen, "%s: %s", path, strerror(errno));
	while (!ret && fgets(line, sizeof(line), f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			ret = errf(err, errlen, "%s:%d: line too long", path,
				   lineno);
			break;
		}
		s = strchr(line, '#');
		if (s)
			*s = '\0';
		s = trim(line);
		if (!*s)
			continue;
		rest = s + strcspn(s, " \t");
		if (*rest)
			*rest++ = '\0';
		rest = trim(rest);
		if (!strcmp(s, "case")) {
			if (*ncases >= MAX_CASES)
				ret = errf(err, errlen, "%s:%d: more than %d cases",
					   path, lineno, MAX_CASES);
			else if (case_parse(rest, &cases[*ncases], sub,
					    sizeof(sub)))
				ret = errf(err, errlen, "%s:%d: %s", path,
					   lineno, sub);
			else
				(*ncases)++;
		} else if (!strcmp(s, "set")) {
			char *val = rest + strcspn(rest, " \t");

			if (*val)
				*val++ = '\0';
			val = trim(val);
			if (!*rest || !*val)
				ret = errf(err, errlen,
					   "%s:%d: 'set' needs an option and a value",
					   path, lineno);
			else if (opts_set(o, rest, val, 0, sub, sizeof(sub)))
				ret = errf(err, errlen, "%s:%d: %s", path,
					   lineno, sub);
		} else {
			ret = errf(err, errlen,
				   "%s:%d: unknown directive '%s' (case, set)",
				   path, lineno, s);
		}
	}
	fclose(f);
	return ret;
}

static int in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while (*p) {
		if (!strncmp(p, name, n) && (p[n] == ',' || !p[n]))
			return 1;
		p = strchr(p, ',');
		if (!p)
			break;
		p++;
	}
	return 0;
}

int cases_filter(const struct run_opts *o, struct bench_case *cases,
		 int *ncases, char *err, size_t errlen)
{
	char list[256], *tok, *save;
	int i, j = 0, idx;

	if (o->storms[0]) {
		snprintf(list, sizeof(list), "%s", o->storms);
		for (tok = strtok_r(list, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save))
			if (!storm_find(tok))
				return errf(err, errlen,
					    "unknown storm '%s' (see 'lazymmu-bench list')",
					    tok);
	}
	for (i = 0; i < *ncases; i++) {
		if (o->storms[0] && !in_list(o->storms, cases[i].storm->name))
			continue;
		cases[j] = cases[i];
		idx = storm_opt_index(cases[j].storm, "size");
		if (o->size && idx >= 0) {
			char v[32], sub[200];
			long val;

			format_size(o->size, v, sizeof(v));
			if (opt_parse(&cases[j].storm->opts[idx], v, &val, sub,
				      sizeof(sub)))
				return errf(err, errlen, "%s: %s",
					    cases[j].storm->name, sub);
			cases[j].opt[idx] = val;
		}
		case_respell(&cases[j]);
		j++;
	}
	*ncases = j;
	if (!j)
		return errf(err, errlen, "no case left to run (storms '%s')",
			    o->storms);
	return 0;
}
