// SPDX-License-Identifier: GPL-2.0
/*
 * matrix.c - the one parser of matrix files (see matrix.h): one table
 * line per directive, every check the lab, the server and LAVA scripts
 * made, the first failure reported as "FILE:LINE: ...".  A script's
 * command-line override (--set KEY=VALUE) goes through the same setters.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "matrix.h"
#include "opts.h"
#include "util.h"

#define NAME_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
#define MAX_WORDS	64

/* @s is made of @chars only, and fits in @max bytes. */
static int is_name(const char *s, const char *chars, size_t max)
{
	return *s && strlen(s) < max && strspn(s, chars) == strlen(s);
}

/* DIR/SUB/NAME SUFFIX is a regular file we can read. */
static int is_file(const char *dir, const char *sub, const char *name,
		   const char *suffix)
{
	char path[1024];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s/%s%s", dir, sub, name, suffix);
	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, R_OK);
}

/* A whole number from 1 to @max, without a sign or a leading zero. */
static int number(const char *s, unsigned int max, unsigned int *v)
{
	char sub[128];
	uint64_t u;

	if (*s == '0' || parse_uint(s, &u, sub, sizeof(sub)) || u > max)
		return -1;
	*v = u;
	return 0;
}

struct directive {
	const char *name, *usage;
	int min, max;		/* words after the name; max 0: any number */
	int (*set)(const struct directive *d, struct matrix *m, char **w,
		   int n, const char *cfg, char *err, size_t errlen);
	/* a whole number (set_number): its field, largest value, range */
	size_t field;
	unsigned int most;
	const char *range;
};

/*
 * The setters: @w the @n words after directive @d (at least its minimum;
 * more than its maximum only for the check that comes after).
 */
#define SETTER(name) static int name(const struct directive *d, \
				     struct matrix *m, char **w, int n, \
				     const char *cfg, char *err, size_t errlen)

SETTER(set_profile)
{
	if (!is_name(w[0], NAME_CHARS "./", sizeof(m->profile)) ||
	    !is_file(cfg, "profiles", w[0], ".conf"))
		return errf(err, errlen,
			    "unknown profile '%s' (no configs/profiles/%s.conf)",
			    w[0], w[0]);
	strcpy(m->profile, w[0]);
	return 0;
}

SETTER(set_number)
{
	if (number(w[0], d->most, (unsigned int *)((char *)m + d->field)))
		return errf(err, errlen, "%s must be %s, not '%s'", d->name,
			    d->range, w[0]);
	return 0;
}

SETTER(set_neighbour)
{
	int i, j;

	if (m->nnoise + n > MATRIX_MAX_NOISE)
		return errf(err, errlen, "more than %d neighbour loads",
			    MATRIX_MAX_NOISE);
	for (i = 0; i < n; i++) {
		if (strcmp(w[i], "none") &&
		    (!is_name(w[i], NAME_CHARS, MATRIX_NAME) ||
		     !is_file(cfg, "neighbour", w[i], ".conf")))
			return errf(err, errlen,
				    "unknown neighbour load '%s' (none, or configs/neighbour/%s.conf)",
				    w[i], w[i]);
		for (j = 0; j < m->nnoise; j++)
			if (!strcmp(m->noise[j], w[i]))
				return errf(err, errlen,
					    "neighbour load '%s' listed twice", w[i]);
		strcpy(m->noise[m->nnoise++], w[i]);
	}
	return 0;
}

SETTER(set_crosscheck)
{
	if (strcmp(w[0], "stress-ng"))
		return errf(err, errlen,
			    "crosscheck takes 'stress-ng [SECONDS]', not '%s'", w[0]);
	m->crosscheck = 5;
	if (n > 1 && number(w[1], 999999999, &m->crosscheck))
		return errf(err, errlen,
			    "crosscheck seconds must be a number, not '%s'", w[1]);
	return 0;
}

/* qemu's -m: a number, perhaps with a fraction, and perhaps K, M, G or T. */
SETTER(set_mem)
{
	const char *s = w[0];
	size_t i = strspn(s, "0123456789");

	if (i && s[i] == '.' && isdigit((unsigned char)s[i + 1]))
		i += 1 + strspn(s + i + 1, "0123456789");
	if (i && s[i] && strchr("KMGTkmgt", s[i]))
		i++;
	if (!i || s[i] || strlen(s) >= sizeof(m->mem))
		return errf(err, errlen,
			    "mem must be a size like 2G or 2048M, not '%s'", s);
	strcpy(m->mem, s);
	return 0;
}

/*
 * VARIANT or VARIANT+OVERLAY[+OVERLAY...]: kernels/VARIANT/README.md and
 * kernels/overlays/OVERLAY/README.md (kernels/build builds it so).
 */
static int check_kernel(const char *cfg, const char *name, char *err,
			size_t errlen)
{
	char part[MATRIX_NAME];
	const char *p = name, *plus;
	int first = 1;

	if (!is_name(name, NAME_CHARS "+", MATRIX_NAME))
		return errf(err, errlen, "unknown variant '%s' (no kernels/%s/README.md)",
			    name, name);
	do {
		plus = strchr(p, '+');
		snprintf(part, sizeof(part), "%.*s",
			 (int)(plus ? plus - p : (ptrdiff_t)strlen(p)), p);
		if (first && (!part[0] || !is_file(cfg, "../kernels", part, "/README.md")))
			return errf(err, errlen,
				    "unknown variant '%s' (no kernels/%s/README.md)",
				    part, part);
		if (!first && !part[0])
			return errf(err, errlen, "'%s': an empty overlay name after '+'",
				    name);
		if (!first && !is_file(cfg, "../kernels/overlays", part, "/README.md"))
			return errf(err, errlen,
				    "unknown overlay '%s' in '%s' (no kernels/overlays/%s/README.md)",
				    part, name, part);
		first = 0;
		if (plus)
			p = plus + 1;
	} while (plus);
	return 0;
}

SETTER(set_cell)
{
	struct matrix_cell *c = &m->cell[m->ncells];
	int i;

	if (check_kernel(cfg, w[0], err, errlen))
		return -1;
	if (strcmp(w[1], "none") && strcmp(w[1], "off") && strcmp(w[1], "on"))
		return errf(err, errlen,
			    "DEBUG_PAGEALLOC state must be none, off or on, not '%s'",
			    w[1]);
	for (i = 0; i < m->ncells; i++)
		if (!strcmp(m->cell[i].variant, w[0]) &&
		    !strcmp(m->cell[i].dpa, w[1]))
			return errf(err, errlen, "cell '%s %s' listed twice",
				    w[0], w[1]);
	if (m->ncells == MATRIX_MAX_CELLS)
		return errf(err, errlen, "more than %d cells", MATRIX_MAX_CELLS);
	strcpy(c->variant, w[0]);
	strcpy(c->dpa, w[1]);
	m->ncells++;
	return 0;
}

#define SET(fn)			fn, 0, 0, NULL
#define NUMBER(f, most, range)	set_number, offsetof(struct matrix, f), most, range

static const struct directive directives[] = {
	{ "profile", "profile NAME", 1, 1, SET(set_profile) },
	{ "rounds", "rounds N", 1, 1, NUMBER(rounds, 99, "1 to 99") },
	{ "neighbour", "neighbour NAME...", 1, 0, SET(set_neighbour) },
	{ "noise", "noise NAME...", 1, 0, SET(set_neighbour) },	/* neighbour's old name */
	{ "timeout", "timeout SECONDS", 1, 1, NUMBER(timeout, 999999999, "seconds") },
	{ "crosscheck", "crosscheck stress-ng [SECONDS]", 1, 2, SET(set_crosscheck) },
	{ "smp", "smp N", 1, 1, NUMBER(smp, 99, "1 to 99") },
	{ "mem", "mem SIZE", 1, 1, SET(set_mem) },
	{ "cell", "cell VARIANT none|off|on", 2, 2, SET(set_cell) },
	{ NULL, NULL, 0, 0, SET(NULL) }
};

/*
 * Split @s at blanks, in place: the number of words (the first MAX_WORDS
 * are kept in @w).
 */
static int split(char *s, char **w)
{
	int n = 0;

	for (;;) {
		s += strspn(s, " \t\n");
		if (!*s)
			return n;
		if (n < MAX_WORDS)
			w[n] = s;
		n++;
		s += strcspn(s, " \t\n");
		if (*s)
			*s++ = '\0';
	}
}

/*
 * The rest of @line from @word on (a word of @buf, @line's split copy),
 * without the blanks that end it: *@r and its length.
 */
static int rest(const char *line, const char *buf, const char *word,
		const char **r)
{
	size_t len;

	*r = line + (word - buf);
	len = strlen(*r);
	while (len && strchr(" \t\n", (*r)[len - 1]))
		len--;
	return (int)len;
}

/* One line of the file: 0, or -1 with the reason (without FILE:LINE). */
static int directive(const char *line, const char *cfg, struct matrix *m,
		     char *err, size_t errlen)
{
	const struct directive *d;
	char *buf = strdup(line), *w[MAX_WORDS], names[128] = "";
	const char *r;
	int n, rc = 0;

	if (!buf)
		return errf(err, errlen, "out of memory");
	n = split(buf, w) - 1;	/* the words after the directive */
	if (n < 0 || w[0][0] == '#')
		goto out;
	for (d = directives; d->name && strcmp(d->name, w[0]); d++)
		;
	if (!d->name) {
		for (d = directives; d->name; d++)
			snprintf(names + strlen(names), sizeof(names) - strlen(names),
				 "%s%s", d == directives ? "" : ", ", d->name);
		rc = errf(err, errlen, "unknown directive '%s' (%s)", w[0], names);
	} else if (n < d->min) {
		rc = errf(err, errlen, "'%s'", d->usage);
	} else if (d->set(d, m, w + 1, n, cfg, err, errlen)) {
		rc = -1;
	} else if (d->max && n > d->max) {
		int len = rest(line, buf, w[d->max + 1], &r);

		rc = errf(err, errlen, "unexpected '%.*s'", len, r);
	}
out:
	free(buf);
	return rc;
}

int matrix_parse(const char *path, const char *cfg, struct matrix *m,
		 char *err, size_t errlen)
{
	char *line = NULL, why[512];
	size_t cap = 0;
	int ln = 0, rc = 0;
	FILE *f;

	memset(m, 0, sizeof(*m));
	f = fopen(path, "r");
	if (!f)
		return errf(err, errlen, "%s: %s", path, strerror(errno));
	while (!rc && getline(&line, &cap, f) >= 0) {
		ln++;
		if (directive(line, cfg, m, why, sizeof(why)))
			rc = errf(err, errlen, "%s:%d: %s", path, ln, why);
	}
	if (!rc && ferror(f))
		rc = errf(err, errlen, "%s: %s", path, strerror(errno));
	else if (!rc && !m->ncells)
		rc = errf(err, errlen, "%s: no cells", path);
	free(line);
	fclose(f);
	return rc;
}

int matrix_set(const char *kv, const char *cfg, struct matrix *m,
	       char *err, size_t errlen)
{
	size_t klen = strspn(kv, "abcdefghijklmnopqrstuvwxyz");
	char *line, why[512];
	int rc;

	if (!klen || kv[klen] != '=')
		return errf(err, errlen, "--set takes KEY=VALUE, not '%s'", kv);
	if (klen == 4 && !strncmp(kv, "cell", 4))
		return errf(err, errlen,
			    "--set %s: cells come from the matrix file only", kv);
	/* the loads given replace the file's, as any other setting does */
	if ((klen == 9 && !strncmp(kv, "neighbour", 9)) ||
	    (klen == 5 && !strncmp(kv, "noise", 5)))
		m->nnoise = 0;
	line = strdup(kv);
	if (!line)
		return errf(err, errlen, "out of memory");
	line[klen] = ' ';
	rc = directive(line, cfg, m, why, sizeof(why));
	free(line);
	if (rc)
		return errf(err, errlen, "--set %s: %s", kv, why);
	return 0;
}

void matrix_print(FILE *f, const char *path, const struct matrix *m)
{
	int i;

	fprintf(f, "matrix %s\n", path);
	if (m->profile[0])
		fprintf(f, "profile %s\n", m->profile);
	if (m->rounds)
		fprintf(f, "rounds %u\n", m->rounds);
	if (m->nnoise) {
		fprintf(f, "neighbour");
		for (i = 0; i < m->nnoise; i++)
			fprintf(f, " %s", m->noise[i]);
		fprintf(f, "\n");
	}
	if (m->timeout)
		fprintf(f, "timeout %u\n", m->timeout);
	if (m->crosscheck)
		fprintf(f, "crosscheck stress-ng %u\n", m->crosscheck);
	if (m->smp)
		fprintf(f, "smp %u\n", m->smp);
	if (m->mem[0])
		fprintf(f, "mem %s\n", m->mem);
	for (i = 0; i < m->ncells; i++)
		fprintf(f, "cell %s %s\n", m->cell[i].variant, m->cell[i].dpa);
}
