/* SPDX-License-Identifier: GPL-2.0 */
/*
 * census.h - the nest census's call sites around a case's measured phase.
 *
 * A census kernel (VARIANT+census, kernels/overlays/census) lists in
 * /sys/kernel/debug/lazy_mmu_census/sites every (outer, nested) pair of
 * lazy MMU sections it saw, with its nested and "C" write counts so far.
 * The harness reads the list before and after the measured phase; the
 * difference, per pair, is what the case's ops did (the machine's, not only
 * this process's).  The counts themselves are counters (configs/pmu/census).
 */
#ifndef CENSUS_H
#define CENSUS_H

#include <stdint.h>
#include <json-c/json.h>

#define CENSUS_SITES_FILE	"/sys/kernel/debug/lazy_mmu_census/sites"
#define CENSUS_MAX		128

struct census_site {
	char outer[96], inner[96], stack[512];
	uint64_t nested, c;
};

/* A site of disables the census could not pair with an enable. */
struct census_loose {
	char at[96];
	uint64_t count;
};

struct census_snap {
	struct census_site site[CENSUS_MAX];
	int n;
	struct census_loose loose[CENSUS_MAX];
	int nloose;
	int ok;			/* the file was read */
};

/* Read @path (CENSUS_SITES_FILE) into @s; s->ok is 0 when it cannot be. */
void census_read(const char *path, struct census_snap *s);

/*
 * The pairs whose counts changed from @a to @b, each with its nested and C
 * counts and those per op (@ops), then the sites of unmatched disables
 * whose count changed ({"unmatched_at", "unmatched", per op}): a JSON
 * array, or NULL when either snapshot could not be read.
 */
json_object *census_json(const struct census_snap *a,
			 const struct census_snap *b, uint64_t ops);

#endif
