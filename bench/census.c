// SPDX-License-Identifier: GPL-2.0
/*
 * census.c - the nest census's call sites of a case (census.h).
 *
 * Lines of the census's sites file:
 *   nested=N c=N outer=SYM+off/len inner=SYM+off/len stack=S1,S2,...
 *   unmatched=N at=SYM+off/len
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "census.h"

/* "key=VALUE" of @line into @buf, up to the next blank (stack: the rest). */
static int field(const char *line, const char *key, char *buf, size_t len)
{
	const char *p = strstr(line, key);
	size_t n;

	if (!p)
		return -1;
	p += strlen(key);
	n = strcmp(key, " stack=") ? strcspn(p, " \n") : strcspn(p, "\n");
	snprintf(buf, len, "%.*s", (int)n, p);
	return 0;
}

void census_read(const char *path, struct census_snap *s)
{
	char line[1024];
	FILE *f = fopen(path, "r");

	s->n = 0;
	s->ok = f != NULL;
	s->nloose = 0;
	while (f && s->n < CENSUS_MAX && fgets(line, sizeof(line), f)) {
		struct census_site *c = &s->site[s->n];
		struct census_loose *l = &s->loose[s->nloose];

		if (!strncmp(line, "unmatched=", 10) && s->nloose < CENSUS_MAX &&
		    sscanf(line, "unmatched=%" SCNu64, &l->count) == 1 &&
		    !field(line, " at=", l->at, sizeof(l->at))) {
			s->nloose++;
			continue;
		}
		if (strncmp(line, "nested=", 7) ||
		    sscanf(line, "nested=%" SCNu64 " c=%" SCNu64, &c->nested, &c->c) != 2 ||
		    field(line, " outer=", c->outer, sizeof(c->outer)) ||
		    field(line, " inner=", c->inner, sizeof(c->inner)))
			continue;
		if (field(line, " stack=", c->stack, sizeof(c->stack)))
			c->stack[0] = '\0';
		s->n++;
	}
	if (f)
		fclose(f);
}

/*
 * A site's totals in @s: one site may be listed more than once (two
 * addresses that print alike, such as copies of one inline function).
 */
static void site_total(const struct census_snap *s, const struct census_site *c,
		       uint64_t *nested, uint64_t *w)
{
	int i;

	*nested = *w = 0;
	for (i = 0; i < s->n; i++)
		if (!strcmp(s->site[i].outer, c->outer) &&
		    !strcmp(s->site[i].inner, c->inner)) {
			*nested += s->site[i].nested;
			*w += s->site[i].c;
		}
}

static uint64_t loose_total(const struct census_snap *s, const char *at)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < s->nloose; i++)
		if (!strcmp(s->loose[i].at, at))
			n += s->loose[i].count;
	return n;
}

/* Is site @i of @s the first of its name there? */
static int first_site(const struct census_snap *s, int i)
{
	int k;

	for (k = 0; k < i; k++)
		if (!strcmp(s->site[k].outer, s->site[i].outer) &&
		    !strcmp(s->site[k].inner, s->site[i].inner))
			return 0;
	return 1;
}

static int first_loose(const struct census_snap *s, int i)
{
	int k;

	for (k = 0; k < i; k++)
		if (!strcmp(s->loose[k].at, s->loose[i].at))
			return 0;
	return 1;
}

json_object *census_json(const struct census_snap *a,
			 const struct census_snap *b, uint64_t ops)
{
	json_object *arr, *o;
	int i;

	if (!a->ok || !b->ok)
		return NULL;
	arr = json_object_new_array();
	for (i = 0; i < b->n; i++) {
		const struct census_site *c = &b->site[i];
		uint64_t nb, wb, na, wa, n, w;

		if (!first_site(b, i))
			continue;
		site_total(b, c, &nb, &wb);
		site_total(a, c, &na, &wa);
		/* counts only grow: less is a reset in between, not a count */
		if (nb < na || wb < wa)
			continue;
		n = nb - na;
		w = wb - wa;
		if (!n && !w)
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "outer", json_object_new_string(c->outer));
		json_object_object_add(o, "inner", json_object_new_string(c->inner));
		json_object_object_add(o, "nested", json_object_new_int64(n));
		json_object_object_add(o, "c_writes", json_object_new_int64(w));
		if (ops) {
			json_object_object_add(o, "nested_per_op",
					       json_object_new_double((double)n / ops));
			json_object_object_add(o, "c_writes_per_op",
					       json_object_new_double((double)w / ops));
		}
		json_object_object_add(o, "stack", json_object_new_string(c->stack));
		json_object_array_add(arr, o);
	}
	for (i = 0; i < b->nloose; i++) {
		uint64_t nb, na;

		if (!first_loose(b, i))
			continue;
		nb = loose_total(b, b->loose[i].at);
		na = loose_total(a, b->loose[i].at);
		if (nb <= na)
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "unmatched_at",
				       json_object_new_string(b->loose[i].at));
		json_object_object_add(o, "unmatched", json_object_new_int64(nb - na));
		if (ops)
			json_object_object_add(o, "unmatched_per_op",
					       json_object_new_double((double)(nb - na) / ops));
		json_object_array_add(arr, o);
	}
	return arr;
}
