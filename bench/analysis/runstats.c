// SPDX-License-Identifier: GPL-2.0
/*
 * runstats.c - `lazymmu-bench stats`: the run-level statistics of compare
 * for figures made elsewhere (a script's runs, stress-ng's bogo-op rates),
 * so that no script computes a median, a spread or an interval itself.
 *
 * Reads one figure per run from stdin, one per line; or two per line
 * ("a b": a baseline and a treated figure made as a pair), and then the
 * figure is the ratio b / a.  Prints one JSON object:
 *   n, median, median_lo, median_hi (distribution-free 95 % interval of
 *   the median), mad_cov (1.4826 MAD / median), and mde: the smallest
 *   effect compare marks with 80 % power with --side runs a side, when
 *   runs spread by mad_cov (stats_mde).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "opts.h"
#include "runstats.h"
#include "stats.h"
#include "util.h"

#define MDE_SIMS	400
#define MDE_SEED	0x6c6d62

static void put_num(const char *key, double v, int last)
{
	if (isfinite(v))
		printf("\"%s\": %.6g%s", key, v, last ? "" : ", ");
	else
		printf("\"%s\": null%s", key, last ? "" : ", ");
}

int runstats_main(int argc, char **argv, char *err, size_t errlen)
{
	double *v = NULL, x, y, lo = NAN, hi = NAN, cov, mde;
	size_t n = 0, cap = 0, line = 0;
	const char *side_arg = NULL, *ops[1];
	const struct arg_opt opts[] = {
		{ "--side", &side_arg, NULL },
		{ NULL, NULL, NULL }
	};
	uint64_t side = 10;
	int cols = 0, k, nops;
	char buf[256], extra[2];

	if (args_parse(argc, argv, opts, ops, 1, &nops,
		       "usage: stats [--side N] < FIGURES", err, errlen))
		return -1;
	if (nops)
		return errf(err, errlen, "stats: unexpected '%s' (usage: stats [--side N] < FIGURES)",
			    ops[0]);
	if (side_arg) {
		if (parse_uint(side_arg, &side, err, errlen))
			return -1;
		if (side < STATS_MIN_RUNS || side > STATS_MDE_MAX_SIDE)
			return errf(err, errlen, "stats: --side %s: from %d to %d runs",
				    side_arg, STATS_MIN_RUNS, STATS_MDE_MAX_SIDE);
	}
	while (fgets(buf, sizeof(buf), stdin)) {
		line++;
		k = sscanf(buf, "%lf %lf %1s", &x, &y, extra);
		if (k == EOF)
			continue;	/* a blank line */
		if (k < 1 || k > 2 || (cols && k != cols) || !isfinite(x) ||
		    (k == 2 && (!isfinite(y) || x <= 0)))
			goto bad;
		cols = k;
		if (n == cap) {
			double *nv;

			cap = cap ? 2 * cap : 64;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				return errf(err, errlen, "stats: no memory");
			}
			v = nv;
		}
		v[n++] = k == 2 ? y / x : x;
	}
	if (!n) {
		free(v);
		return errf(err, errlen, "stats: no figures on stdin");
	}
	stats_sort(v, n);
	stats_median_ci(v, n, 0.95, &lo, &hi);
	cov = stats_mad_cov(v, n);
	mde = stats_mde(cov, side, 0.8, MDE_SIMS, MDE_SEED);
	printf("{\"n\": %zu, \"of\": \"%s\", ", n, cols == 2 ? "b/a" : "figure");
	put_num("median", stats_median(v, n), 0);
	put_num("median_lo", lo, 0);
	put_num("median_hi", hi, 0);
	put_num("mad_cov", cov, 0);
	printf("\"mde_side\": %llu, ", (unsigned long long)side);
	put_num("mde", mde, 1);
	printf("}\n");
	free(v);
	return 0;
bad:
	free(v);
	return errf(err, errlen, "stats: stdin line %zu: not a figure, or not 'a b' with a > 0 like the other lines: %.40s",
		    line, strtok(buf, "\n") ? buf : "");
}

int cmd_stats(int argc, char **argv)
{
	char err[1024];

	if (runstats_main(argc, argv, err, sizeof(err)))
		die("%s", err);
	return 0;
}
