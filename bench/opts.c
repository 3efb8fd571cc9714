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

/* Keys a profile's "set" line and the command line share. */
enum {
	K_ITERATIONS, K_WARMUP, K_MIN_TIME, K_MAX_ITERATIONS, K_CALIB,
	K_CPU, K_CLOCK, K_SIZE, K_PMU, K_STORMS, K_OUT, K_TUNE, K_MODULE,
	K_NOISE, K_INJECT,
};

static const char *const keys[] = {
	[K_ITERATIONS] = "iterations",
	[K_WARMUP] = "warmup",
	[K_MIN_TIME] = "min-time",
	[K_MAX_ITERATIONS] = "max-iterations",
	[K_CALIB] = "calib-barriers",
	[K_CPU] = "cpu",
	[K_CLOCK] = "clock",
	[K_SIZE] = "size",
	[K_PMU] = "pmu",
	[K_STORMS] = "storms",
	[K_OUT] = "out",
	[K_TUNE] = "tune",
	[K_MODULE] = "load-module",
	[K_NOISE] = "noise",
	[K_INJECT] = "inject-ns",
};

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

static int copy_str(char *dst, size_t len, const char *key, const char *val,
		    char *err, size_t errlen)
{
	if (!*val || strlen(val) >= len)
		return errf(err, errlen, "%s: value '%s' is empty or too long",
			    key, val);
	strcpy(dst, val);
	return 0;
}

static int opts_apply(struct run_opts *o, int k, const char *key,
		      const char *val, char *err, size_t errlen)
{
	char sub[192];
	uint64_t v;

	switch (k) {
	case K_ITERATIONS:
	case K_WARMUP:
	case K_MAX_ITERATIONS:
	case K_CALIB:
		if (parse_uint(val, &v, sub, sizeof(sub)))
			return errf(err, errlen, "%s: %s", key, sub);
		if (k != K_WARMUP && v == 0)
			return errf(err, errlen, "%s must be at least 1", key);
		if (v > 100000000)
			return errf(err, errlen, "%s %s is out of range", key,
				    val);
		if (k == K_ITERATIONS)
			o->iterations = v;
		else if (k == K_WARMUP)
			o->warmup = v;
		else if (k == K_MAX_ITERATIONS)
			o->max_iterations = v;
		else
			o->calib_barriers = v;
		return 0;
	case K_MIN_TIME:
		if (parse_seconds(val, &o->min_time, sub, sizeof(sub)))
			return errf(err, errlen, "min-time: %s", sub);
		return 0;
	case K_CPU:
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
	case K_CLOCK:
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
	case K_SIZE:
		if (parse_size(val, &o->size, sub, sizeof(sub)))
			return errf(err, errlen, "%s", sub);
		if (o->size == 0)
			return errf(err, errlen, "size must be at least 1");
		return 0;
	case K_PMU:
		return copy_str(o->pmu, sizeof(o->pmu), key, val, err, errlen);
	case K_STORMS:
		return copy_str(o->storms, sizeof(o->storms), key, val, err,
				errlen);
	case K_OUT:
		return copy_str(o->out, sizeof(o->out), key, val, err, errlen);
	case K_TUNE:
		return tune_parse(val, o, err, errlen);
	case K_MODULE:
		return copy_str(o->module, sizeof(o->module), key, val, err,
				errlen);
	case K_NOISE:
		if (strspn(val, "abcdefghijklmnopqrstuvwxyz0123456789-_") !=
		    strlen(val))
			return errf(err, errlen,
				    "noise: '%s' is not a noise profile name (configs/noise/NAME.conf)",
				    val);
		if (!strcmp(val, "none")) {
			o->noise[0] = '\0';
			return 0;
		}
		return copy_str(o->noise, sizeof(o->noise), key, val, err,
				errlen);
	case K_INJECT:
		if (parse_uint(val, &v, sub, sizeof(sub)))
			return errf(err, errlen, "%s: %s", key, sub);
		if (v > 1000000000)
			return errf(err, errlen, "%s %s is more than a second",
				    key, val);
		o->inject_ns = v;
		return 0;
	}
	return errf(err, errlen, "unknown option '%s'", key);
}

int opts_set(struct run_opts *o, const char *key, const char *val,
	     int from_cli, char *err, size_t errlen)
{
	int k;

	for (k = 0; k < (int)(sizeof(keys) / sizeof(keys[0])); k++)
		if (!strcmp(keys[k], key))
			break;
	if (k == (int)(sizeof(keys) / sizeof(keys[0])))
		return errf(err, errlen, "unknown option '%s'", key);
	/* What changes the machine is asked for by the person running it. */
	if (!from_cli && (k == K_TUNE || k == K_MODULE))
		return errf(err, errlen,
			    "%s: only on the command line (it changes the machine)",
			    key);
	/* A made effect for the power check never hides in a profile. */
	if (!from_cli && k == K_INJECT)
		return errf(err, errlen,
			    "%s: only on the command line (a test-only effect)",
			    key);
	if (!from_cli && (o->from_cli & (1u << k)))
		return 0;
	if (opts_apply(o, k, key, val, err, errlen))
		return -1;
	if (from_cli)
		o->from_cli |= 1u << k;
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
