// SPDX-License-Identifier: GPL-2.0
/*
 * harness.c - the measured loop; see harness.h.
 *
 * Per op, nothing runs between the two timestamps but the storm's op().
 * Counter reads (collector_phase) and markers happen outside them.  A
 * storm that marks its own timed windows (marks_window: the module's)
 * runs its ops under the marker PHASE_UNTIMED, and the module marks each
 * op's window as ctx->phase; the collector, which cannot see the
 * module's markers, counts them in the harness's phase.
 */
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "harness.h"
#include "calib.h"
#include "census.h"
#include "meta.h"
#include "stats.h"
#include "tune.h"
#include "util.h"

/* Case i of a run is named by its index (bench/phase.h): the case table
 * must not outgrow the ids the lab's plugin keeps apart. */
_Static_assert(MAX_CASES <= LMB_MAX_CASES,
	       "bench/opts.h MAX_CASES is larger than bench/phase.h LMB_MAX_CASES");

/* The clock's raw value: cntvct_el0 ticks, or ns of CLOCK_MONOTONIC_RAW. */
static inline uint64_t clock_raw(const struct harness *h)
{
	struct timespec ts;

#ifdef __aarch64__
	if (h->o->clock == CLOCK_KIND_CNTVCT) {
		uint64_t v;

		asm volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) :: "memory");
		return v;
	}
#endif
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* A raw clock value or difference in ns. */
static uint64_t raw_ns(const struct harness *h, uint64_t v)
{
#ifdef __aarch64__
	static uint64_t frq;

	if (h->o->clock == CLOCK_KIND_CNTVCT) {
		if (!frq)
			asm volatile("mrs %0, cntfrq_el0" : "=r"(frq));
		return (uint64_t)((__uint128_t)v * 1000000000u / frq);
	}
#endif
	return v;
}

uint64_t harness_now(const struct harness *h)
{
	return raw_ns(h, clock_raw(h));
}

/* Enter @p for the collector, with @mark as the lab's marker. */
static void harness_phase_as(struct harness *h, enum phase p, enum phase mark)
{
	phase_mark(mark);
	if (h->col)
		collector_phase(h->col, p);
	h->cur = p;
}

void harness_phase(struct harness *h, enum phase p)
{
	harness_phase_as(h, p, p);
}

/* Enter @p for @st's ops: marked PHASE_UNTIMED if the storm marks its own. */
static void ops_phase(struct harness *h, const struct storm *st, enum phase p)
{
	harness_phase_as(h, p, st->marks_window ? PHASE_UNTIMED : p);
}

/* The busy wait of --inject-ns: @n turns of a loop the compiler keeps. */
static void spin(uint64_t n)
{
	for (volatile uint64_t i = 0; i < n; i++)
		;
}

/* The fastest of 7 timings of @calls calls of spin(@n), in ns a call. */
static double spin_time(const struct harness *h, uint64_t n, int calls)
{
	uint64_t t0, best = UINT64_MAX;
	int i, c;

	for (i = 0; i < 7; i++) {
		t0 = harness_now(h);
		for (c = 0; c < calls; c++)
			spin(n);
		t0 = harness_now(h) - t0;
		if (t0 < best)
			best = t0;
	}
	return (double)best / calls;
}

/*
 * Loops of spin() that take @ns a call: the loop's speed from 10^6 loops,
 * then the cost of a call of that many loops measured over 10^4 calls
 * and the loops corrected for it (a short spin costs more than its loops:
 * entry, the exit's mispredicted branch).  The fastest timing counts;
 * slower ones were interrupted.
 */
static uint64_t spin_calibrate(const struct harness *h, uint64_t ns)
{
	double per_loop = spin_time(h, 1000000, 1) / 1000000, n, call;

	if (per_loop <= 0)
		return 0;
	n = ns / per_loop;
	call = spin_time(h, (uint64_t)n, 10000);
	n -= (call - ns) / per_loop;
	return n > 0 ? (uint64_t)(n + 0.5) : 0;
}

/* Pin this task to @cpu alone; 0, or -1 with errno set. */
static int pin(long cpu)
{
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	return sched_setaffinity(0, sizeof(one), &one);
}

int harness_init(struct harness *h, const struct run_opts *o,
		 struct collector *col, char *err, size_t errlen)
{
	cpu_set_t set;
	long cpu = o->cpu;
	char path[256];
	int i;

	memset(h, 0, sizeof(*h));
	h->o = o;
	h->col = col;
	h->pinned_cpu = -1;
	if (cpu == -1)
		goto pinned;
	if (sched_getaffinity(0, sizeof(set), &set))
		return errf(err, errlen, "sched_getaffinity: %s",
			    strerror(errno));
	if (cpu == -2) {
		/* An isolated CPU if there is one and a cpuset allows it. */
		cpu = tune_isolated_cpu();
		if (cpu >= 0 && cpu < CPU_SETSIZE && !pin(cpu)) {
			h->pinned_cpu = cpu;
			goto pinned;
		}
		/* Else the last allowed CPU: away from CPU0's housekeeping. */
		for (i = CPU_SETSIZE - 1; i >= 0 && !CPU_ISSET(i, &set); i--)
			;
		cpu = i;
	} else if (cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &set)) {
		return errf(err, errlen, "cpu %ld is not available to this task",
			    cpu);
	}
	if (pin(cpu))
		return errf(err, errlen, "pinning to cpu %ld: %s", cpu,
			    strerror(errno));
	h->pinned_cpu = cpu;
pinned:
	h->census = !access(sys_path(CENSUS_SITES_FILE, path, sizeof(path)), R_OK);
	/* on the CPU the ops will run on */
	if (o->inject_ns)
		h->inject_loops = spin_calibrate(h, o->inject_ns);
	return 0;
}

json_object *harness_calibrate(struct harness *h)
{
	json_object *o = json_object_new_object();
	struct calib_expect exp;
	int failed = 0, checked = 0;

	json_object_object_add(o, "rounds",
			       json_object_new_int64(h->o->calib_barriers));
	if (h->col)
		collector_start(h->col, PHASE_IDLE);
	harness_phase(h, PHASE_CALIB);
	calib_run(h->o->calib_barriers, &exp);
	harness_phase(h, PHASE_IDLE);
	if (h->col) {
		collector_stop(h->col);
		failed = collector_calib_check(h->col, &exp, &checked);
	}
	json_object_object_add(o, "dsb", json_object_new_int64(exp.dsb));
	json_object_object_add(o, "dmb", json_object_new_int64(exp.dmb));
	json_object_object_add(o, "isb", json_object_new_int64(exp.isb));
	json_object_object_add(o, "result", json_object_new_string(
		!exp.dsb ? "n/a: no barrier loop on this architecture" :
		!h->col ? "n/a: no collector" :
		!checked ? "n/a: no barrier event in the PMU profile counts" :
		failed ? "failed" : "ok"));
	json_object_object_add(o, "events_checked", json_object_new_int(checked));
	json_object_object_add(o, "events_failed", json_object_new_int(failed));
	return o;
}

static json_object *summary_json(const uint64_t *v, size_t n)
{
	json_object *o = json_object_new_object();
	struct summary s;

	stats_summary(v, n, &s);
	json_object_object_add(o, "n", json_object_new_int64(s.n));
	json_object_object_add(o, "min", json_object_new_double(s.min));
	json_object_object_add(o, "p50", json_object_new_double(s.p50));
	json_object_object_add(o, "p90", json_object_new_double(s.p90));
	json_object_object_add(o, "p99", json_object_new_double(s.p99));
	json_object_object_add(o, "max", json_object_new_double(s.max));
	json_object_object_add(o, "mean", json_object_new_double(s.mean));
	json_object_object_add(o, "stddev", json_object_new_double(s.stddev));
	json_object_object_add(o, "cov", json_object_new_double(s.cov));
	return o;
}

static json_object *params_json(const struct bench_case *bc)
{
	json_object *o = json_object_new_object();
	const struct storm *st = bc->storm;
	int i;

	for (i = 0; i < STORM_MAX_OPTS && st->opts[i].name; i++) {
		const struct storm_opt *so = &st->opts[i];

		if (so->type == OPT_ENUM)
			json_object_object_add(o, so->name, json_object_new_string(
				so->choices[bc->opt[i]]));
		else
			json_object_object_add(o, so->name,
					       json_object_new_int64(bc->opt[i]));
	}
	return o;
}

static json_object *case_json(const struct bench_case *bc, int index)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "schema",
			       json_object_new_string(RESULTS_CASE_SCHEMA));
	json_object_object_add(o, "schema_version",
			       json_object_new_int(RESULTS_SCHEMA_VERSION));
	json_object_object_add(o, "index", json_object_new_int(index));
	json_object_object_add(o, "storm", json_object_new_string(bc->storm->name));
	json_object_object_add(o, "spec", json_object_new_string(bc->spec));
	json_object_object_add(o, "params", params_json(bc));
	if (bc->storm->counts_all_vcpus)
		json_object_object_add(o, "vcpus", json_object_new_string("all"));
	return o;
}

/* One op with its optional prep, timed; returns -1 with ctx->why. */
static int one_op(struct harness *h, const struct storm *st,
		  struct storm_ctx *ctx, uint64_t *op_ns, uint64_t *prep_ns,
		  int switch_phases)
{
	uint64_t t0, t1;

	if (st->prep) {
		if (switch_phases)
			harness_phase(h, PHASE_PREP);
		t0 = harness_now(h);
		if (st->prep(ctx))
			return -1;
		t1 = harness_now(h);
		*prep_ns = t1 - t0;
		if (switch_phases)
			ops_phase(h, st, PHASE_MEASURE);
	}
	t0 = harness_now(h);
	if (st->op(ctx))
		return -1;
	/* --inject-ns: a known effect, a calibrated loop, no clock read */
	if (h->inject_loops)
		spin(h->inject_loops);
	t1 = harness_now(h);
	*op_ns = t1 - t0;
	ctx->iter++;
	return 0;
}

/*
 * The measured loop of a storm with no prep step and no extra value:
 * nothing but the op (and --inject-ns's spin) between the two clock
 * reads, the raw difference stored; raw_column() turns it into ns once
 * the measured phase is over.  In the lab this costs the bare loop's
 * instructions and the two reads (scripts/lab/overhead).  -1 with
 * ctx->why.
 */
static int measure_ops(struct harness *h, const struct storm *st,
		       struct storm_ctx *ctx, uint64_t *col, uint64_t iters)
{
	uint64_t i, t0;

	for (i = 0; i < iters; i++) {
		t0 = clock_raw(h);
		if (st->op(ctx))
			return -1;
		if (h->inject_loops)
			spin(h->inject_loops);
		col[i] = clock_raw(h) - t0;
		ctx->iter++;
	}
	return 0;
}

/* measure_ops()'s raw differences in ns, outside every counted phase. */
static void raw_column(const struct harness *h, uint64_t *col, uint64_t n)
{
	uint64_t i;

	if (h->o->clock != CLOCK_KIND_RAW)
		for (i = 0; i < n; i++)
			col[i] = raw_ns(h, col[i]);
}

/*
 * The measured ops into @s's columns: op_ns, then prep_ns, extra; op_ns
 * still raw (raw_column) for a storm with neither.
 */
static int measure(struct harness *h, const struct storm *st,
		   struct storm_ctx *ctx, struct samples *s, uint64_t iters)
{
	uint64_t i, prep_ns = 0;

	if (!st->prep && !st->extra_name)
		return measure_ops(h, st, ctx, s->col[0], iters);
	for (i = 0; i < iters; i++) {
		if (one_op(h, st, ctx, &s->col[0][i], &prep_ns, 1))
			return -1;
		if (st->prep)
			s->col[1][i] = prep_ns;
		if (st->extra_name)
			s->col[s->ncols - 1][i] = ctx->extra;
	}
	return 0;
}

static uint64_t choose_iterations(const struct run_opts *o, double est_ns)
{
	double n;

	if (o->iterations)
		return o->iterations;
	n = ceil(o->min_time * 1e9 / (est_ns > 1 ? est_ns : 1));
	if (n < 11)		/* lmbench: never fewer than 11 */
		n = 11;
	if (n > (double)o->max_iterations)
		n = (double)o->max_iterations;
	return (uint64_t)n;
}

/* Warm-up, which also estimates the op time: the ops to measure. */
static int warm_up(struct harness *h, const struct storm *st,
		   struct storm_ctx *ctx, uint64_t *nwarm, uint64_t *iters)
{
	uint64_t i, op_ns, prep_ns = 0, warm_ns = 0;

	ops_phase(h, st, PHASE_WARMUP);
	ctx->phase = PHASE_WARMUP;
	*nwarm = h->o->warmup ? h->o->warmup : (h->o->iterations ? 0 : 1);
	for (i = 0; i < *nwarm; i++) {
		if (one_op(h, st, ctx, &op_ns, &prep_ns, 0))
			return -1;
		/* min-time bounds the loop's wall time, preps included. */
		warm_ns += op_ns + (st->prep ? prep_ns : 0);
	}
	*iters = choose_iterations(h->o, *nwarm ? (double)warm_ns / *nwarm : 0);
	return 0;
}

/*
 * The state the ops will see, read outside every counted phase: a storm
 * with a prep step gets one untimed prep and op first.
 */
static int before_measure(struct harness *h, const struct storm *st,
			  struct storm_ctx *ctx, json_object *o)
{
	harness_phase(h, PHASE_IDLE);
	if (st->prep) {
		if (st->prep(ctx))
			return -1;
		json_object_object_add(o, "region",
				       meta_region(ctx->region, ctx->region_len));
		ctx->phase = PHASE_IDLE;
		if (st->marks_window)
			ops_phase(h, st, PHASE_IDLE);
		if (st->op(ctx))
			return -1;
		if (st->marks_window)
			harness_phase(h, PHASE_IDLE);
		ctx->iter++;
	} else {
		json_object_object_add(o, "region",
				       meta_region(ctx->region, ctx->region_len));
	}
	return 0;
}

/* @s's columns for @iters ops, faulted in now; -1 with err. */
static int samples_alloc(const struct storm *st, struct samples *s,
			 uint64_t iters, const char *spec, char *err,
			 size_t errlen)
{
	int c;

	s->n = iters;
	s->names[0] = "op_ns";
	s->ncols = 1;
	if (st->prep)
		s->names[s->ncols++] = "prep_ns";
	if (st->extra_name)
		s->names[s->ncols++] = st->extra_name;
	for (c = 0; c < s->ncols; c++) {
		s->col[c] = calloc(iters, sizeof(uint64_t));
		if (!s->col[c])
			return errf(err, errlen, "%s: no memory for %llu samples",
				    spec, (unsigned long long)iters);
		/* not inside the counted phase */
		memset(s->col[c], 0xff, iters * sizeof(uint64_t));
	}
	return 0;
}

/* What a measured case records beside its samples. */
static void case_done(struct harness *h, const struct storm *st,
		      json_object *o, const struct samples *s, const uint64_t *ops,
		      uint64_t nwarm, uint64_t start)
{
	json_object *lat = json_object_new_object();
	int c;

	json_object_object_add(o, "status", json_object_new_string("ok"));
	json_object_object_add(o, "iterations", json_object_new_int64(s->n));
	json_object_object_add(o, "iterations_source", json_object_new_string(
		h->o->iterations ? "fixed" : "calibrated"));
	json_object_object_add(o, "warmup", json_object_new_int64(nwarm));
	if (h->o->inject_ns) {
		json_object_object_add(o, "inject_ns",
				       json_object_new_int64(h->o->inject_ns));
		json_object_object_add(o, "inject_loops",
				       json_object_new_int64(h->inject_loops));
	}
	json_object_object_add(o, "clock", json_object_new_string(
		h->o->clock == CLOCK_KIND_CNTVCT ? "cntvct_el0" :
		"CLOCK_MONOTONIC_RAW"));
	json_object_object_add(o, "wall_ns",
			       json_object_new_int64(harness_now(h) - start));
	for (c = 0; c < s->ncols; c++)
		json_object_object_add(lat, s->names[c],
				       summary_json(s->col[c], s->n));
	json_object_object_add(o, "latency_ns", lat);
	json_object_object_add(o, "counters", h->col ?
			       collector_json_unseen(h->col, ops, st->unseen) :
			       json_object_new_array());
}

/* A storm whose setup says it cannot run here: recorded, not an error. */
static int setup_failed(struct harness *h, const struct bench_case *bc,
			struct storm_ctx *ctx, int rc, json_object *o,
			json_object **out, char *err, size_t errlen)
{
	harness_phase(h, PHASE_IDLE);
	if (h->col)
		collector_stop(h->col);
	if (bc->storm->teardown)
		bc->storm->teardown(ctx);
	if (rc != STORM_UNAVAILABLE) {
		json_object_put(o);
		return errf(err, errlen, "%s: %s", bc->spec, ctx->why);
	}
	json_object_object_add(o, "status", json_object_new_string("unavailable"));
	json_object_object_add(o, "reason", json_object_new_string(ctx->why));
	*out = o;
	return 0;
}

/*
 * A census kernel's call sites of the measured phase: the sites file read
 * before the phase and after it (census.h), outside the timed ops and in
 * the phases around the measured one.
 */
static struct census_snap census_snap[2];

static void census_at(struct harness *h, int which)
{
	char path[256];

	if (h->census)
		census_read(sys_path(CENSUS_SITES_FILE, path, sizeof(path)),
			    &census_snap[which]);
}

static void census_add(struct harness *h, json_object *o, uint64_t ops)
{
	json_object *c, *sites;

	if (!h->census)
		return;
	c = json_object_new_object();
	json_object_object_add(c, "phase", json_object_new_string("measure"));
	json_object_object_add(c, "ops", json_object_new_int64(ops));
	sites = census_json(&census_snap[0], &census_snap[1], ops);
	if (sites)
		json_object_object_add(c, "sites", sites);
	else
		json_object_object_add(c, "unavailable", json_object_new_string(
			CENSUS_SITES_FILE " could not be read"));
	json_object_object_add(o, "census", c);
}

int harness_run_case(struct harness *h, int index, const struct bench_case *bc,
		     json_object **out, struct samples *s, char *err,
		     size_t errlen)
{
	const struct storm *st = bc->storm;
	uint64_t ops[PHASE_NR] = { 0 }, iters, nwarm, start = harness_now(h);
	struct storm_ctx ctx;
	json_object *o;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	memset(s, 0, sizeof(*s));
	memcpy(ctx.opt, bc->opt, sizeof(ctx.opt));
	o = case_json(bc, index);

	phase_mark_id(index);
	if (h->col)
		collector_start(h->col, PHASE_SETUP);
	harness_phase(h, PHASE_SETUP);
	rc = st->setup(&ctx);
	if (rc)
		return setup_failed(h, bc, &ctx, rc, o, out, err, errlen);
	if (warm_up(h, st, &ctx, &nwarm, &iters) ||
	    before_measure(h, st, &ctx, o))
		goto op_failed;
	if (samples_alloc(st, s, iters, bc->spec, err, errlen))
		goto free_out;
	census_at(h, 0);
	ops_phase(h, st, PHASE_MEASURE);
	ctx.phase = PHASE_MEASURE;
	if (measure(h, st, &ctx, s, iters))
		goto op_failed;
	harness_phase(h, PHASE_IDLE);
	census_at(h, 1);
	census_add(h, o, iters);
	if (!st->prep && !st->extra_name)
		raw_column(h, s->col[0], iters);
	if (h->col)
		collector_stop(h->col);
	if (st->teardown)
		st->teardown(&ctx);
	ops[PHASE_WARMUP] = nwarm;
	ops[PHASE_MEASURE] = iters;
	if (st->prep)
		ops[PHASE_PREP] = iters;
	case_done(h, st, o, s, ops, nwarm, start);
	*out = o;
	return 0;

op_failed:
	errf(err, errlen, "%s: %s", bc->spec, ctx.why);
free_out:
	harness_phase(h, PHASE_IDLE);
	if (h->col)
		collector_stop(h->col);
	if (st->teardown)
		st->teardown(&ctx);
	for (rc = 0; rc < s->ncols; rc++)
		free(s->col[rc]);
	memset(s, 0, sizeof(*s));
	json_object_put(o);
	return -1;
}
