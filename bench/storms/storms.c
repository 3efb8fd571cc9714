// SPDX-License-Identifier: GPL-2.0
/*
 * storms.c - the storm table.  Adding a storm: one file in this directory
 * and one line below.
 */
#include <string.h>
#include "storm.h"

extern const struct storm fork_storm;
extern const struct storm mprotect_storm;
extern const struct storm munmap_storm;
extern const struct storm mremap_storm;
extern const struct storm madvise_storm;
extern const struct storm vmalloc_storm;
extern const struct storm kcalib_storm;
extern const struct storm barrier_storm;
extern const struct storm kcost_storm;
extern const struct storm test_vmalloc_storm;
extern const struct storm modload_storm;
extern const struct storm stressng_storm;

const struct storm *const storms[] = {
	&fork_storm,
	&mprotect_storm,
	&munmap_storm,
	&mremap_storm,
	&madvise_storm,
	&vmalloc_storm,
	&kcalib_storm,
	&barrier_storm,
	&kcost_storm,
	&test_vmalloc_storm,
	&modload_storm,
	&stressng_storm,
	NULL
};

const struct storm *storm_find(const char *name)
{
	int i;

	for (i = 0; storms[i]; i++)
		if (!strcmp(storms[i]->name, name))
			return storms[i];
	return NULL;
}

int storm_opt_index(const struct storm *s, const char *name)
{
	int i;

	for (i = 0; i < STORM_MAX_OPTS && s->opts[i].name; i++)
		if (!strcmp(s->opts[i].name, name))
			return i;
	return -1;
}
