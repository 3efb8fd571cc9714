// SPDX-License-Identifier: GPL-2.0
/*
 * profile.c - read PMU profiles, see profile.h and configs/pmu/README.md.
 *
 * Includes are read depth first, in place.  A label may be defined once
 * per file; a file may redefine a label that came from a file it includes
 * (the redefinition replaces it where it stood), and a label defined by an
 * including file wins over the same label met later in an included one.
 * Any other repeat is an error.  A file already read (not in a loop) is
 * skipped, so two profiles may both include generic.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>
#include "profile.h"
#include "util.h"

#define LINE_MAX_LEN	1024
#define FILES_MAX	32
#define TOKENS_MAX	(2 + PROF_SPEC_MAX)

struct name_config {
	const char *name;
	uint64_t config;
};

static const struct name_config sw_names[] = {
	{ "task-clock", PERF_COUNT_SW_TASK_CLOCK },
	{ "page-faults", PERF_COUNT_SW_PAGE_FAULTS },
	{ "minor-faults", PERF_COUNT_SW_PAGE_FAULTS_MIN },
	{ "major-faults", PERF_COUNT_SW_PAGE_FAULTS_MAJ },
	{ "context-switches", PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "cpu-migrations", PERF_COUNT_SW_CPU_MIGRATIONS },
	{ NULL, 0 },
};

static const struct name_config hw_names[] = {
	{ "cycles", PERF_COUNT_HW_CPU_CYCLES },
	{ "instructions", PERF_COUNT_HW_INSTRUCTIONS },
	{ NULL, 0 },
};

struct pfile {
	char path[PATH_MAX];	/* as named, for messages */
	char real[PATH_MAX];	/* for loop and repeat checks */
	int parent;
};

struct pcalib {
	char label[PROF_LABEL_MAX];
	enum prof_calib kind;
	int file, line;
};

struct pstate {
	struct profile *p;
	struct pfile file[FILES_MAX];
	int nfiles;
	struct pcalib *calib;
	int ncalib, calibcap;
	char *err;
	size_t errlen;
};

static int fail(struct pstate *st, int file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct pstate *st, int file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(st->err, st->errlen, "%s:%d: ", st->file[file].path, line);
	if (n < 0 || (size_t)n >= st->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(st->err + n, st->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

static int lookup(const struct name_config *tab, const char *name,
		  uint64_t *config)
{
	for (; tab->name; tab++) {
		if (!strcmp(tab->name, name)) {
			*config = tab->config;
			return 0;
		}
	}
	return -1;
}

static int tp_name_ok(const char *arg)
{
	const char *colon = strchr(arg, ':');
	const char *s;

	if (!colon || colon == arg || !colon[1] || strchr(colon + 1, ':'))
		return 0;
	for (s = arg; *s; s++)
		if (s != colon && !isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

/* "<absolute path>:<key>": the key after the last ':', [a-z0-9_]. */
static int file_spec_ok(const char *arg)
{
	const char *colon = strrchr(arg, ':');
	const char *s;

	if (arg[0] != '/' || !colon || colon == arg + 1 || !colon[1])
		return 0;
	for (s = colon + 1; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '_')
			return 0;
	return 1;
}

static int parse_raw(const char *arg, uint64_t *config)
{
	char *end;

	if (!isdigit((unsigned char)*arg))
		return -1;
	errno = 0;
	*config = strtoull(arg, &end, 0);
	return (errno || *end) ? -1 : 0;
}

int spec_parse(const char *text, struct spec *sp, char *why, size_t len)
{
	const char *colon = strchr(text, ':');
	size_t klen;

	if (!colon) {
		snprintf(why, len, "spec '%s' has no kind (pfm:, raw:, sw:, hw:, tp: or file:)",
			 text);
		return -1;
	}
	klen = colon - text;
	sp->arg = colon + 1;
	sp->config = 0;
	if (klen == 3 && !strncmp(text, "pfm", 3)) {
		sp->kind = SPEC_PFM;
		if (*sp->arg)
			return 0;
		snprintf(why, len, "spec '%s' has no libpfm4 event name", text);
	} else if (klen == 3 && !strncmp(text, "raw", 3)) {
		sp->kind = SPEC_RAW;
		if (!parse_raw(sp->arg, &sp->config))
			return 0;
		snprintf(why, len, "spec '%s': raw config is not a number", text);
	} else if (klen == 2 && !strncmp(text, "sw", 2)) {
		sp->kind = SPEC_SW;
		if (!lookup(sw_names, sp->arg, &sp->config))
			return 0;
		snprintf(why, len,
			 "unknown sw event '%s' (task-clock, page-faults, minor-faults, major-faults, context-switches or cpu-migrations)",
			 sp->arg);
	} else if (klen == 2 && !strncmp(text, "hw", 2)) {
		sp->kind = SPEC_HW;
		if (!lookup(hw_names, sp->arg, &sp->config))
			return 0;
		snprintf(why, len,
			 "unknown hw event '%s' (cycles or instructions)",
			 sp->arg);
	} else if (klen == 2 && !strncmp(text, "tp", 2)) {
		sp->kind = SPEC_TP;
		if (tp_name_ok(sp->arg))
			return 0;
		snprintf(why, len,
			 "spec '%s': want tp:<subsystem>:<event>", text);
	} else if (klen == 4 && !strncmp(text, "file", 4)) {
		sp->kind = SPEC_FILE;
		if (file_spec_ok(sp->arg))
			return 0;
		snprintf(why, len,
			 "spec '%s': want file:<absolute path>:<key>", text);
	} else {
		snprintf(why, len, "unknown spec kind '%.*s' in '%s'",
			 (int)klen, text, text);
	}
	return -1;
}

static int label_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n >= PROF_LABEL_MAX || !isalnum((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.:-", *s))
			return 0;
	return 1;
}

/* Is file @a an includer (direct or not) of file @b? */
static int includes(const struct pstate *st, int a, int b)
{
	for (b = st->file[b].parent; b >= 0; b = st->file[b].parent)
		if (b == a)
			return 1;
	return 0;
}

static int find_label(const struct profile *p, const char *label)
{
	int i;

	for (i = 0; i < p->nev; i++)
		if (!strcmp(p->ev[i].label, label))
			return i;
	return -1;
}

static void event_clear(struct prof_event *e)
{
	int i;

	for (i = 0; i < e->nspec; i++)
		free(e->spec[i]);
	e->nspec = 0;
}

static struct prof_event *event_slot(struct pstate *st, const char *label,
				     int file, int line)
{
	struct profile *p = st->p;
	struct prof_event *e;
	int i = find_label(p, label);

	if (i >= 0) {
		e = &p->ev[i];
		if (e->file == file) {
			fail(st, file, line,
			     "duplicate event label '%s' (first at line %d)",
			     label, e->line);
			return NULL;
		}
		if (includes(st, file, e->file)) {
			event_clear(e);
			return e;
		}
		if (includes(st, e->file, file))
			return e;	/* caller sees e->file and keeps it */
		fail(st, file, line,
		     "duplicate event label '%s' (also defined at %s:%d)",
		     label, st->file[e->file].path, e->line);
		return NULL;
	}
	if (p->nev == p->cap) {
		int cap = p->cap ? 2 * p->cap : 16;
		struct prof_event *ev = realloc(p->ev, cap * sizeof(*ev));

		if (!ev) {
			fail(st, file, line, "out of memory");
			return NULL;
		}
		p->ev = ev;
		p->cap = cap;
	}
	e = &p->ev[p->nev++];
	memset(e, 0, sizeof(*e));
	return e;
}

static int do_event(struct pstate *st, int file, int line,
		    char **tok, int ntok)
{
	struct prof_event *e;
	struct spec sp;
	char why[256];
	int i;

	if (ntok < 3)
		return fail(st, file, line,
			    "'event' needs a label and at least one spec");
	if (!label_ok(tok[1]))
		return fail(st, file, line,
			    "bad event label '%s' (letters, digits, '_.:-', at most %d)",
			    tok[1], PROF_LABEL_MAX - 1);
	for (i = 2; i < ntok; i++)
		if (spec_parse(tok[i], &sp, why, sizeof(why)))
			return fail(st, file, line, "%s", why);
	e = event_slot(st, tok[1], file, line);
	if (!e)
		return -1;
	if (e->nspec && includes(st, e->file, file))
		return 0;	/* the including file's definition wins */
	strcpy(e->label, tok[1]);
	e->file = file;
	e->line = line;
	for (i = 2; i < ntok; i++) {
		e->spec[e->nspec] = strdup(tok[i]);
		if (!e->spec[e->nspec])
			return fail(st, file, line, "out of memory");
		e->nspec++;
	}
	return 0;
}

static int do_calib(struct pstate *st, int file, int line,
		    char **tok, int ntok)
{
	static const char *const kinds[] = { "", "dsb", "dmb", "isb" };
	struct pcalib *c;
	int k;

	if (ntok != 3)
		return fail(st, file, line, "want 'calib <label> dsb|dmb|isb'");
	for (k = CALIB_DSB; k <= CALIB_ISB; k++)
		if (!strcmp(tok[2], kinds[k]))
			break;
	if (k > CALIB_ISB)
		return fail(st, file, line,
			    "unknown calibration '%s' (dsb, dmb or isb)",
			    tok[2]);
	if (!label_ok(tok[1]))
		return fail(st, file, line, "bad event label '%s'", tok[1]);
	if (st->ncalib == st->calibcap) {
		int cap = st->calibcap ? 2 * st->calibcap : 8;

		c = realloc(st->calib, cap * sizeof(*c));
		if (!c)
			return fail(st, file, line, "out of memory");
		st->calib = c;
		st->calibcap = cap;
	}
	c = &st->calib[st->ncalib++];
	strcpy(c->label, tok[1]);
	c->kind = k;
	c->file = file;
	c->line = line;
	return 0;
}

static int parse_hex(const char *s, unsigned int max, unsigned int *v)
{
	unsigned long n;
	char *end;

	if (!isxdigit((unsigned char)*s))
		return -1;
	errno = 0;
	n = strtoul(s, &end, 16);
	if (errno || *end || n > max)
		return -1;
	*v = n;
	return 0;
}

static int do_midr(struct pstate *st, int file, int line,
		   char **tok, int ntok)
{
	struct profile *p = st->p;
	struct prof_midr m;

	if (ntok != 3 || parse_hex(tok[1], 0xff, &m.impl) ||
	    parse_hex(tok[2], 0xfff, &m.part))
		return fail(st, file, line,
			    "want 'midr <implementer-hex> <part-hex>' (e.g. midr 0x41 0xd0c)");
	if (file != 0)
		return 0;	/* an included file's midr is not ours */
	if (p->nmidr == PROF_MIDR_MAX)
		return fail(st, file, line, "more than %d midr lines",
			    PROF_MIDR_MAX);
	p->midr[p->nmidr++] = m;
	return 0;
}

static int parse_file(struct pstate *st, const char *path, int parent,
		      int pline);

static int do_include(struct pstate *st, int file, int line,
		      char **tok, int ntok)
{
	char path[PATH_MAX];
	const char *slash = strrchr(st->file[file].path, '/');
	int dirlen = slash ? (int)(slash - st->file[file].path) : 1;
	const char *dir = slash ? st->file[file].path : ".";

	if (ntok != 2 || strchr(tok[1], '/') || !tok[1][0])
		return fail(st, file, line, "want 'include <profile-name>'");
	if (snprintf(path, sizeof(path), "%.*s/%s.conf", dirlen, dir,
		     tok[1]) >= (int)sizeof(path))
		return fail(st, file, line, "include path too long");
	return parse_file(st, path, file, line);
}

static int do_name(struct pstate *st, int file, int line,
		   char **tok, int ntok)
{
	if (ntok != 2 || strlen(tok[1]) >= PROF_NAME_MAX)
		return fail(st, file, line, "want 'name <profile-name>'");
	if (file == 0)
		strcpy(st->p->name, tok[1]);
	return 0;
}

static int split(char *buf, char **tok)
{
	char *save, *t, *hash = strchr(buf, '#');
	int n = 0;

	if (hash)
		*hash = '\0';
	for (t = strtok_r(buf, " \t\r\n", &save); t;
	     t = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == TOKENS_MAX)
			return -1;
		tok[n++] = t;
	}
	return n;
}

static int parse_line(struct pstate *st, int file, int line, char *buf)
{
	char *tok[TOKENS_MAX];
	int n = split(buf, tok);

	if (n < 0)
		return fail(st, file, line, "too many words (at most %d specs)",
			    PROF_SPEC_MAX);
	if (n == 0)
		return 0;
	if (!strcmp(tok[0], "event"))
		return do_event(st, file, line, tok, n);
	if (!strcmp(tok[0], "calib"))
		return do_calib(st, file, line, tok, n);
	if (!strcmp(tok[0], "midr"))
		return do_midr(st, file, line, tok, n);
	if (!strcmp(tok[0], "include"))
		return do_include(st, file, line, tok, n);
	if (!strcmp(tok[0], "name"))
		return do_name(st, file, line, tok, n);
	return fail(st, file, line, "unknown directive '%s'", tok[0]);
}

static int read_lines(struct pstate *st, int file, FILE *f)
{
	char buf[LINE_MAX_LEN];
	int line = 0;

	while (fgets(buf, sizeof(buf), f)) {
		line++;
		if (!strchr(buf, '\n') && !feof(f))
			return fail(st, file, line, "line too long");
		if (parse_line(st, file, line, buf))
			return -1;
	}
	if (ferror(f))
		return fail(st, file, line, "read error");
	return 0;
}

/* Index of a file already read with the same real path, else -1. */
static int find_file(const struct pstate *st, const char *real)
{
	int i;

	for (i = 0; i < st->nfiles; i++)
		if (!strcmp(st->file[i].real, real))
			return i;
	return -1;
}

static int open_error(struct pstate *st, const char *path, int parent,
		      int pline)
{
	if (parent < 0) {
		snprintf(st->err, st->errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return fail(st, parent, pline, "include: cannot read %s: %s", path,
		    strerror(errno));
}

static int parse_file(struct pstate *st, const char *path, int parent,
		      int pline)
{
	struct pfile *pf;
	char real[PATH_MAX];
	FILE *f;
	int i, ret;

	if (!realpath(path, real))
		return open_error(st, path, parent, pline);
	i = find_file(st, real);
	if (i >= 0 && (i == parent || includes(st, i, parent)))
		return fail(st, parent, pline,
			    "include loop: %s is already being read", path);
	if (i >= 0)
		return 0;
	if (st->nfiles == FILES_MAX)
		return fail(st, parent, pline, "more than %d files included",
			    FILES_MAX);
	f = fopen(path, "r");
	if (!f)
		return open_error(st, path, parent, pline);
	pf = &st->file[st->nfiles];
	snprintf(pf->path, sizeof(pf->path), "%s", path);
	strcpy(pf->real, real);
	pf->parent = parent;
	ret = read_lines(st, st->nfiles++, f);
	fclose(f);
	return ret;
}

static int apply_calib(struct pstate *st)
{
	struct pcalib *c;
	int i, ev;

	for (i = 0; i < st->ncalib; i++) {
		c = &st->calib[i];
		ev = find_label(st->p, c->label);
		if (ev < 0)
			return fail(st, c->file, c->line,
				    "calib: no event labelled '%s'", c->label);
		st->p->ev[ev].calib = c->kind;
	}
	return 0;
}

static void default_name(struct profile *p, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strcspn(base, ".");
	if (n >= sizeof(p->name))
		n = sizeof(p->name) - 1;
	memcpy(p->name, base, n);
	p->name[n] = '\0';
}

int profile_parse(const char *path, struct profile *p,
		  char *err, size_t errlen)
{
	struct pstate *st;
	int ret;

	memset(p, 0, sizeof(*p));
	st = calloc(1, sizeof(*st));
	if (!st) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	st->p = p;
	st->err = err;
	st->errlen = errlen;
	ret = parse_file(st, path, -1, 0);
	if (!ret)
		ret = apply_calib(st);
	if (!ret && !p->name[0])
		default_name(p, path);
	if (!ret && !p->nev)
		ret = errf(err, errlen,
			   "%s: no events (--pmu none runs without counters)",
			   path);
	free(st->calib);
	free(st);
	if (ret)
		profile_free(p);
	return ret;
}

void profile_free(struct profile *p)
{
	int i;

	for (i = 0; i < p->nev; i++)
		event_clear(&p->ev[i]);
	free(p->ev);
	memset(p, 0, sizeof(*p));
}

int profile_has_midr(const char *path, unsigned int impl, unsigned int part)
{
	char buf[LINE_MAX_LEN], *tok[TOKENS_MAX];
	unsigned int i, pt;
	int n, found = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (!found && fgets(buf, sizeof(buf), f)) {
		n = split(buf, tok);
		if (n == 3 && !strcmp(tok[0], "midr") &&
		    !parse_hex(tok[1], 0xff, &i) &&
		    !parse_hex(tok[2], 0xfff, &pt))
			found = (i == impl && pt == part);
	}
	fclose(f);
	return found;
}
