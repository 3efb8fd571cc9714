// SPDX-License-Identifier: GPL-2.0
/*
 * runstats.c - `lazymmu-bench stats`: the run-level statistics of compare
 * for figures made elsewhere (a script's runs, stress-ng's bogo-op rates),
 * so that no script computes a median, a spread, an interval or a verdict
 * itself.
 *
 * Reads figures from stdin, one line each: one number; or two ("a b": a
 * baseline and a treated figure made as a pair), and then the figure is
 * the ratio b / a; or three ("a b c": b made between two baseline runs a
 * and c), and then the figure is b / ((a + c) / 2).  Every line has as
 * many numbers as the first.  --batch N first replaces each N
 * consecutive figures by their mean (an incomplete last batch is left
 * out: bare-mprotect's batches, from a run's samples).  Prints one JSON
 * object:
 *   n, of; median, median_lo, median_hi (distribution-free 95 % interval
 *   of the median), mad_cov (1.4826 MAD / median), and mde: the smallest
 *   effect compare marks with 80 % power with --side runs a side, when
 *   runs spread by mad_cov (stats_mde);
 *   mean, sd (n - 1), cov (sd / mean), cov_successive (the same from
 *   successive differences, in input order: stats_successive_cov), min,
 *   max;
 *   with --target T (the figure must stay at most T): decided (there is
 *   an interval, narrower than --width W if given) and verdict: "met"
 *   (median_hi <= T), "not met" (median_lo > T) or "undecided";
 *   with --band B (ratios only): direction of the median against
 *   1 +- B: "up", "down" or "within".
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
#define STATS_USAGE	"usage: stats [--side N] [--batch N] [--target T [--width W]] [--band B] < FIGURES"

struct runstats_args {
	uint64_t side, batch;
	double target, width, band;	/* NAN: not given */
};

/* ", \"key\": v", null when @v is not a finite number. */
static void put_num(const char *key, double v)
{
	if (isfinite(v))
		printf(", \"%s\": %.10g", key, v);
	else
		printf(", \"%s\": null", key);
}

/* A finite number >= 0 for option @name. */
static int parse_fraction(const char *name, const char *s, double *out,
			  char *err, size_t errlen)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno || !*s || *end || !isfinite(*out) || *out < 0)
		return errf(err, errlen, "stats: %s '%s' is not a number >= 0",
			    name, s);
	return 0;
}

static int runstats_parse(int argc, char **argv, struct runstats_args *a,
			  char *err, size_t errlen)
{
	const char *side = NULL, *batch = NULL, *target = NULL, *width = NULL,
		   *band = NULL, *ops[1];
	const struct arg_opt opts[] = {
		{ "--side", &side, NULL },
		{ "--batch", &batch, NULL },
		{ "--target", &target, NULL },
		{ "--width", &width, NULL },
		{ "--band", &band, NULL },
		{ NULL, NULL, NULL }
	};
	int nops;

	*a = (struct runstats_args){ 10, 1, NAN, NAN, NAN };
	if (args_parse(argc, argv, opts, ops, 1, &nops, STATS_USAGE, err,
		       errlen))
		return -1;
	if (nops)
		return errf(err, errlen, "stats: unexpected '%s' (%s)", ops[0],
			    STATS_USAGE);
	if (side && parse_uint(side, &a->side, err, errlen))
		return -1;
	if (side && (a->side < STATS_MIN_RUNS || a->side > STATS_MDE_MAX_SIDE))
		return errf(err, errlen, "stats: --side %s: from %d to %d runs",
			    side, STATS_MIN_RUNS, STATS_MDE_MAX_SIDE);
	if (batch && (parse_uint(batch, &a->batch, err, errlen) ||
		      a->batch < 1 || a->batch > 1000000000))
		return errf(err, errlen, "stats: --batch '%s': from 1 to 1000000000 figures",
			    batch);
	if ((target && parse_fraction("--target", target, &a->target, err, errlen)) ||
	    (width && parse_fraction("--width", width, &a->width, err, errlen)) ||
	    (band && parse_fraction("--band", band, &a->band, err, errlen)))
		return -1;
	if (width && !target)
		return errf(err, errlen, "stats: --width needs --target");
	return 0;
}

/*
 * The figures on stdin into *v (*n of them; *cols numbers a line), each
 * line's ratio when it has two or three numbers.
 */
static int runstats_read(double **v, size_t *n, int *cols, char *err,
			 size_t errlen)
{
	size_t cap = 0, line = 0;
	double x, y, z;
	char buf[256], extra[2];
	int k;

	*v = NULL;
	*n = 0;
	*cols = 0;
	while (fgets(buf, sizeof(buf), stdin)) {
		line++;
		k = sscanf(buf, "%lf %lf %lf %1s", &x, &y, &z, extra);
		if (k == EOF)
			continue;	/* a blank line */
		if (k < 1 || k > 3 || (*cols && k != *cols) || !isfinite(x) ||
		    (k >= 2 && (!isfinite(y) || x <= 0)) ||
		    (k == 3 && (!isfinite(z) || z <= 0)))
			return errf(err, errlen, "stats: stdin line %zu: not a figure, or not 'a b' or 'a b c' with a, c > 0 like the other lines: %.40s",
				    line, strtok(buf, "\n") ? buf : "");
		*cols = k;
		if (*n == cap) {
			double *nv;

			cap = cap ? 2 * cap : 64;
			nv = realloc(*v, cap * sizeof(**v));
			if (!nv)
				return errf(err, errlen, "stats: no memory");
			*v = nv;
		}
		(*v)[(*n)++] = k == 3 ? y / ((x + z) / 2) : k == 2 ? y / x : x;
	}
	if (!*n)
		return errf(err, errlen, "stats: no figures on stdin");
	return 0;
}

/* The verdicts asked for: against --target, and --band's direction. */
static void print_verdicts(const struct runstats_args *a, double median,
			   double lo, double hi)
{
	static const char *const dir[] = { "down", "within", "up" };
	enum stats_verdict tv;

	if (!isnan(a->target)) {
		tv = stats_target_verdict(lo, hi, a->target,
					  isnan(a->width) ? 0 : a->width);
		put_num("target", a->target);
		if (!isnan(a->width))
			put_num("width", a->width);
		printf(", \"decided\": %s, \"verdict\": \"%s\"",
		       tv == STATS_TOO_WIDE ? "false" : "true",
		       tv == STATS_MET ? "met" :
		       tv == STATS_NOT_MET ? "not met" : "undecided");
	}
	if (!isnan(a->band)) {
		put_num("band", a->band);
		printf(", \"direction\": \"%s\"",
		       dir[stats_band_direction(median, a->band) + 1]);
	}
}

/* The JSON object of @n figures @v (in input order; sorted here). */
static int runstats_print(const struct runstats_args *a, double *v,
			  size_t n, int cols, char *err, size_t errlen)
{
	static const char *const of[] = { "", "figure", "b/a", "b/((a+c)/2)" };
	double lo = NAN, hi = NAN, cov, median, succ;
	struct summary s;

	if (stats_summary_d(v, n, &s))
		return errf(err, errlen, "stats: no memory");
	succ = stats_successive_cov(v, n);	/* in input order */
	stats_sort(v, n);
	median = stats_median(v, n);
	stats_median_ci(v, n, 0.95, &lo, &hi);
	cov = stats_mad_cov(v, n);
	printf("{\"n\": %zu, \"of\": \"%s\"", n, of[cols]);
	if (a->batch > 1)
		printf(", \"batch\": %llu", (unsigned long long)a->batch);
	put_num("median", median);
	put_num("median_lo", lo);
	put_num("median_hi", hi);
	put_num("mad_cov", cov);
	printf(", \"mde_side\": %llu", (unsigned long long)a->side);
	put_num("mde", stats_mde(cov, a->side, 0.8, MDE_SIMS, MDE_SEED));
	put_num("mean", s.mean);
	put_num("sd", s.stddev);
	put_num("cov", s.mean != 0 ? s.cov : NAN);
	put_num("cov_successive", succ);
	put_num("min", s.min);
	put_num("max", s.max);
	print_verdicts(a, median, lo, hi);
	printf("}\n");
	return 0;
}

int runstats_main(int argc, char **argv, char *err, size_t errlen)
{
	struct runstats_args a;
	double *v = NULL;
	size_t n;
	int cols, rc = -1;

	if (runstats_parse(argc, argv, &a, err, errlen) ||
	    runstats_read(&v, &n, &cols, err, errlen))
		goto out;
	if (!isnan(a.band) && cols < 2) {
		errf(err, errlen, "stats: --band needs ratios ('a b' or 'a b c' lines)");
		goto out;
	}
	if (a.batch > 1 && !(n = stats_batch_means(v, n, a.batch, v))) {
		errf(err, errlen, "stats: --batch %llu: fewer figures than one batch",
		     (unsigned long long)a.batch);
		goto out;
	}
	rc = runstats_print(&a, v, n, cols, err, errlen);
out:
	free(v);
	return rc;
}

int cmd_stats(int argc, char **argv)
{
	return cmd_with_err(runstats_main, argc, argv);
}
