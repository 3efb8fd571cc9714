// SPDX-License-Identifier: GPL-2.0
/*
 * stats.c - summary statistics, see stats.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double stats_percentile(const double *sorted, size_t n, double p)
{
	double rank, frac;
	size_t lo;

	if (n == 0)
		return NAN;
	if (p <= 0)
		return sorted[0];
	if (p >= 100)
		return sorted[n - 1];
	rank = p / 100.0 * (double)(n - 1);
	lo = (size_t)rank;
	frac = rank - (double)lo;
	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

int stats_summary_d(const double *v, size_t n, struct summary *s)
{
	double *sorted, sum = 0, sq = 0;
	size_t i;

	memset(s, 0, sizeof(*s));
	if (n == 0)
		return -1;
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return -1;
	memcpy(sorted, v, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_double);

	for (i = 0; i < n; i++)
		sum += sorted[i];
	s->n = n;
	s->mean = sum / (double)n;
	for (i = 0; i < n; i++)
		sq += (sorted[i] - s->mean) * (sorted[i] - s->mean);
	s->stddev = n > 1 ? sqrt(sq / (double)(n - 1)) : 0;
	s->cov = s->mean != 0 ? s->stddev / s->mean : 0;
	s->min = sorted[0];
	s->max = sorted[n - 1];
	s->p50 = stats_percentile(sorted, n, 50);
	s->p90 = stats_percentile(sorted, n, 90);
	s->p99 = stats_percentile(sorted, n, 99);
	free(sorted);
	return 0;
}

int stats_summary(const uint64_t *v, size_t n, struct summary *s)
{
	double *d;
	size_t i;
	int ret;

	if (n == 0) {
		memset(s, 0, sizeof(*s));
		return -1;
	}
	d = malloc(n * sizeof(*d));
	if (!d)
		return -1;
	for (i = 0; i < n; i++)
		d[i] = (double)v[i];
	ret = stats_summary_d(d, n, s);
	free(d);
	return ret;
}

void stats_sort(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
}

/*
 * Put the @k-th smallest of @v[0..n) at v[k], the smaller ones before it
 * and the larger after (Hoare's FIND, as Wirth writes it, with a median
 * of three pivot): O(n) expected, and runs of equal values (integer
 * nanoseconds) stay linear, as Hoare's partition stops on them.
 */
static void select_kth(double *v, size_t n, size_t k)
{
	ptrdiff_t l = 0, r = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k, i, j;
	double x, a, b, c, t;

	while (l < r) {
		a = v[l];
		b = v[l + (r - l) / 2];
		c = v[r];
		/* the median of the three: an element of v[l..r] */
		x = a < b ? (b < c ? b : (a < c ? c : a)) :
			    (a < c ? a : (b < c ? c : b));
		i = l;
		j = r;
		do {
			while (v[i] < x)
				i++;
			while (x < v[j])
				j--;
			if (i <= j) {
				t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				j--;
			}
		} while (i <= j);
		if (j < kk)
			l = i;
		if (kk < i)
			r = j;
	}
}

double stats_select_percentile(double *v, size_t n, double p)
{
	double rank, frac, next;
	size_t lo, i;

	if (n == 0)
		return NAN;
	if (p <= 0)
		p = 0;
	if (p >= 100)
		p = 100;
	rank = p / 100.0 * (double)(n - 1);
	lo = (size_t)rank;
	if (lo >= n)
		lo = n - 1;
	frac = rank - (double)lo;
	select_kth(v, n, lo);
	if (frac == 0 || lo + 1 >= n)
		return v[lo];
	/* the next rank: the smallest of the values above v[lo] */
	next = v[lo + 1];
	for (i = lo + 2; i < n; i++)
		if (v[i] < next)
			next = v[i];
	return v[lo] + frac * (next - v[lo]);
}

double stats_median(const double *v, size_t n)
{
	double *s, m;

	if (n == 0)
		return NAN;
	s = malloc(n * sizeof(*s));
	if (!s)
		return NAN;
	memcpy(s, v, n * sizeof(*s));
	m = stats_select_percentile(s, n, 50);
	free(s);
	return m;
}

/*
 * Exact P(U <= k) and P(U >= k) for samples of m and n without ties: the
 * number of arrangements with U = u is the coefficient of q^u in the
 * Gaussian binomial [m + n, m]_q = prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i),
 * built one factor at a time (multiply, then divide by a prefix sum).
 */
static int mw_exact(size_t m, size_t n, double k, double *le, double *ge)
{
	size_t deg = m * n, i, j;
	double *c = calloc(deg + 1, sizeof(*c)), total = 0, below = 0, above = 0;

	if (!c)
		return -1;
	c[0] = 1;
	for (i = 1; i <= m; i++) {
		/* times (1 - q^(n+i)) */
		for (j = deg; j >= n + i; j--)
			c[j] -= c[j - n - i];
		/* divided by (1 - q^i): c[j] += c[j - i] */
		for (j = i; j <= deg; j++)
			c[j] += c[j - i];
	}
	for (j = 0; j <= deg; j++) {
		total += c[j];
		if ((double)j <= k + 1e-9)
			below += c[j];
		if ((double)j >= k - 1e-9)
			above += c[j];
	}
	free(c);
	*le = below / total;
	*ge = above / total;
	return 0;
}

struct ranked {
	double v;
	int from_a;
};

static int cmp_ranked(const void *x, const void *y)
{
	return cmp_double(&((const struct ranked *)x)->v,
			  &((const struct ranked *)y)->v);
}

int stats_mann_whitney(const double *a, size_t na, const double *b,
		       size_t nb, double *u, double *p)
{
	return stats_mann_whitney_method(a, na, b, nb, MW_AUTO, u, p);
}

int stats_mann_whitney_method(const double *a, size_t na, const double *b,
			      size_t nb, enum mw_method method, double *u,
			      double *p)
{
	size_t n = na + nb, i, j;
	struct ranked *r;
	double rank_a = 0, ties = 0, mu, sigma, z, le, ge;
	int tied = 0;

	if (na == 0 || nb == 0)
		return -1;
	r = malloc(n * sizeof(*r));
	if (!r)
		return -1;
	for (i = 0; i < na; i++)
		r[i] = (struct ranked){ a[i], 1 };
	for (i = 0; i < nb; i++)
		r[na + i] = (struct ranked){ b[i], 0 };
	qsort(r, n, sizeof(*r), cmp_ranked);
	/* mid-ranks of tie groups, and sum(t^3 - t) for the correction */
	for (i = 0; i < n; i = j) {
		double mid, t;

		for (j = i + 1; j < n && r[j].v == r[i].v; j++)
			;
		t = (double)(j - i);
		mid = ((double)i + 1 + (double)j) / 2;
		if (t > 1) {
			tied = 1;
			ties += t * t * t - t;
		}
		for (size_t k = i; k < j; k++)
			if (r[k].from_a)
				rank_a += mid;
	}
	free(r);
	*u = rank_a - (double)na * ((double)na + 1) / 2;

	if (method == MW_EXACT ||
	    (method == MW_AUTO && !tied && (na < 8 || nb < 8))) {
		if (mw_exact(na, nb, *u, &le, &ge))
			return -1;
		*p = 2 * (le < ge ? le : ge);
		if (*p > 1)
			*p = 1;
		return 0;
	}
	mu = (double)na * (double)nb / 2;
	sigma = sqrt((double)na * (double)nb / 12 *
		     (((double)n + 1) - ties / ((double)n * ((double)n - 1))));
	if (sigma == 0) {
		*p = 1;
		return 0;
	}
	z = fabs(*u - mu) - 0.5;
	if (z < 0)
		z = 0;
	*p = erfc(z / sigma / sqrt(2));
	if (*p > 1)
		*p = 1;
	return 0;
}

/* splitmix64: a small, well-mixed generator; fixed seeds repeat exactly. */
static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A uniform index below @n (Lemire's multiply-shift; bias < n / 2^64). */
static size_t pick(uint64_t *s, size_t n)
{
	return (size_t)(((unsigned __int128)splitmix64(s) * n) >> 64);
}

/*
 * The median of @n values drawn with replacement from @sorted (ascending):
 * the draws are counted per position in @cnt, and the median's ranks
 * found by walking the counts.  O(n) per resample, nothing is moved, and
 * it is the value sorting the drawn values would give.
 */
static double resampled_median(const double *sorted, size_t n, size_t *cnt,
			       uint64_t *s)
{
	size_t i, j, cum = 0, lo = (n - 1) / 2;
	double x;

	memset(cnt, 0, n * sizeof(*cnt));
	for (i = 0; i < n; i++)
		cnt[pick(s, n)]++;
	for (j = 0; cum + cnt[j] <= lo; j++)
		cum += cnt[j];
	x = sorted[j];
	if (n % 2)
		return x;
	/* even n: the mean of ranks lo and lo + 1 */
	if (cum + cnt[j] > lo + 1)
		return x;
	for (j++; !cnt[j]; j++)
		;
	return x + 0.5 * (sorted[j] - x);
}

int stats_bootstrap_ratio(const double *a, size_t na, const double *b,
			  size_t nb, unsigned iters, uint64_t seed,
			  double level, double *lo, double *hi)
{
	double *ratios, *sa, *sb, ma;
	size_t *cnt;
	uint64_t s = seed;
	unsigned i, k = 0;

	if (na == 0 || nb == 0 || iters == 0)
		return -1;
	ratios = malloc(iters * sizeof(*ratios));
	sa = malloc(na * sizeof(*sa));
	sb = malloc(nb * sizeof(*sb));
	cnt = malloc((na > nb ? na : nb) * sizeof(*cnt));
	if (!ratios || !sa || !sb || !cnt) {
		free(ratios);
		free(sa);
		free(sb);
		free(cnt);
		return -1;
	}
	/* sorted once; each resample then only counts draws */
	memcpy(sa, a, na * sizeof(*sa));
	memcpy(sb, b, nb * sizeof(*sb));
	stats_sort(sa, na);
	stats_sort(sb, nb);
	for (i = 0; i < iters; i++) {
		ma = resampled_median(sa, na, cnt, &s);
		if (ma == 0)
			continue;
		ratios[k++] = resampled_median(sb, nb, cnt, &s) / ma;
	}
	free(sa);
	free(sb);
	free(cnt);
	if (k == 0) {
		free(ratios);
		return -1;
	}
	/* the interval's ends by selection: the values sorting would give */
	*lo = stats_select_percentile(ratios, k, 100 * (1 - level) / 2);
	*hi = stats_select_percentile(ratios, k, 100 * (1 + level) / 2);
	free(ratios);
	return 0;
}

int stats_compare_runs(const double *a, size_t na, const double *b,
		       size_t nb, uint64_t seed, struct run_cmp *c)
{
	double ma, mb;

	memset(c, 0, sizeof(*c));
	if (na == 0 || nb == 0)
		return -1;
	ma = stats_median(a, na);
	mb = stats_median(b, nb);
	if (ma == 0 || isnan(ma) || isnan(mb))
		return -1;
	c->ratio = mb / ma;
	if (na < STATS_MIN_RUNS || nb < STATS_MIN_RUNS)
		return 0;
	if (stats_bootstrap_ratio(a, na, b, nb, STATS_RESAMPLES, seed, 0.95,
				  &c->lo, &c->hi) ||
	    stats_mann_whitney(b, nb, a, na, &c->u, &c->p))
		return 0;
	c->tested = 1;
	c->significant = c->p < 0.05 && (c->lo > 1 || c->hi < 1);
	return 0;
}

int stats_median_ci(const double *sorted, size_t n, double level,
		    double *lo, double *hi)
{
	double tail = (1 - level) / 2, cdf = 0;
	size_t k = 0;

	/* cdf = P(Binomial(n, 1/2) <= k - 1) while it stays within the tail */
	while (k < n) {
		double pk = exp(lgamma(n + 1.0) - lgamma(k + 1.0) -
				lgamma(n - k + 1.0) - n * log(2.0));

		if (cdf + pk > tail)
			break;
		cdf += pk;
		k++;
	}
	if (k == 0 || n == 0)
		return -1;
	*lo = sorted[k - 1];
	*hi = sorted[n - k];
	return 0;
}

double stats_mad_cov(const double *v, size_t n)
{
	double med, *d;
	size_t i;

	if (n < 2)
		return NAN;
	med = stats_median(v, n);
	d = malloc(n * sizeof(*d));
	if (!d || med == 0 || isnan(med)) {
		free(d);
		return NAN;
	}
	for (i = 0; i < n; i++)
		d[i] = fabs(v[i] - med);
	med = 1.4826 * stats_median(d, n) / fabs(med);
	free(d);
	return med;
}

/* A standard normal draw (Box-Muller, one of the pair). */
static double normal(uint64_t *s)
{
	double u1 = (splitmix64(s) >> 11) * 0x1p-53;
	double u2 = (splitmix64(s) >> 11) * 0x1p-53;

	return sqrt(-2 * log(1 - u1)) * cos(2 * M_PI * u2);
}

/* The fraction of @sims simulated comparisons marked at effect @d. */
static double power_at(const double *z, size_t side, unsigned sims,
		       double cov, double d, uint64_t seed)
{
	double a[STATS_MDE_MAX_SIDE], b[STATS_MDE_MAX_SIDE];
	struct run_cmp c;
	unsigned i, hit = 0;
	size_t j;

	for (i = 0; i < sims; i++) {
		const double *za = z + (size_t)i * 2 * side, *zb = za + side;

		for (j = 0; j < side; j++) {
			a[j] = 1 + cov * za[j];
			b[j] = (1 + d) * (1 + cov * zb[j]);
		}
		if (!stats_compare_runs(a, side, b, side, seed + i, &c) &&
		    c.significant)
			hit++;
	}
	return (double)hit / sims;
}

double stats_mde(double cov, size_t side, double power, unsigned sims,
		 uint64_t seed)
{
	double lo = 0, hi = 1, *z;
	uint64_t s = seed;
	size_t i;
	int step;

	if (side < STATS_MIN_RUNS || side > STATS_MDE_MAX_SIDE || !sims ||
	    !(cov > 0) || isinf(cov))
		return NAN;
	z = malloc((size_t)sims * 2 * side * sizeof(*z));
	if (!z)
		return NAN;
	for (i = 0; i < (size_t)sims * 2 * side; i++)
		z[i] = normal(&s);
	if (power_at(z, side, sims, cov, hi, seed) < power) {
		free(z);
		return NAN;
	}
	/* 2^-11 of 100 %: 0.05 % */
	for (step = 0; step < 11; step++) {
		double mid = (lo + hi) / 2;

		if (power_at(z, side, sims, cov, mid, seed) >= power)
			hi = mid;
		else
			lo = mid;
	}
	free(z);
	return hi;
}

double stats_successive_cov(const double *v, size_t n)
{
	double sum = 0, sq = 0, mean;
	size_t i;

	if (n < 2)
		return NAN;
	for (i = 0; i < n; i++)
		sum += v[i];
	mean = sum / (double)n;
	if (mean == 0)
		return NAN;
	for (i = 1; i < n; i++)
		sq += (v[i] - v[i - 1]) * (v[i] - v[i - 1]);
	return sqrt(sq / (2.0 * (double)(n - 1))) / mean;
}

size_t stats_batch_means(const double *v, size_t n, size_t batch,
			 double *out)
{
	size_t i, j;

	if (!batch)
		return 0;
	for (i = 0; i < n / batch; i++) {
		double s = 0;

		for (j = 0; j < batch; j++)
			s += v[i * batch + j];
		out[i] = s / (double)batch;
	}
	return n / batch;
}

enum stats_verdict stats_target_verdict(double lo, double hi, double target,
					double width)
{
	if (isnan(lo) || isnan(hi) || (width > 0 && hi - lo >= width))
		return STATS_TOO_WIDE;
	if (hi <= target)
		return STATS_MET;
	if (lo > target)
		return STATS_NOT_MET;
	return STATS_UNDECIDED;
}

int stats_band_direction(double ratio, double band)
{
	return ratio > 1 + band ? 1 : ratio < 1 - band ? -1 : 0;
}
