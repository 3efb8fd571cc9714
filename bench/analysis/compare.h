/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compare.h - the compare command (compare.c).
 */
#ifndef COMPARE_H
#define COMPARE_H

#include <stddef.h>
#include <json-c/json.h>

/* The cell label of a run (its meta.json): compare and history agree. */
void compare_cell_label(json_object *meta, char *buf, size_t len);

/*
 * The kernel a run's cell ran, as the lab names it: "<variant>-<dpa>"
 * (stock-on, permissive-nesting-none), so that a hardware run can be put
 * beside the lab cell of the same kernel.  Lab runs carry it; a hardware
 * run's comes from its release, "-lmb-VARIANT-CONFIG" as kernels/build
 * sets it, and its DEBUG_PAGEALLOC state.  -1 (and "") when the release
 * does not say.
 */
int compare_cell_key(json_object *meta, char *buf, size_t len);

/*
 * The SHA-256 of @rundir's meta.json in hex (COMPARE_DIGEST_LEN bytes
 * with the NUL): a copy of a run has its digest, another run started in
 * the same second does not.  -1 when meta.json cannot be read.
 */
#define COMPARE_DIGEST_LEN	65
int compare_meta_digest(const char *rundir, char *hex, size_t len);

/*
 * The null test's verdict on one quantity of one case and cell: @val
 * against the baseline's @base, beside the A/A cell's @aa in the same
 * case (a NULL pointer: a value that cell lacks).  "same" (identical to
 * the baseline), "within A/A" (|val - base| <= |aa - base|), "exceeds
 * A/A", "no A/A", "no baseline", "not counted" (the baseline has it, the
 * cell not), or NULL when neither the cell nor the baseline has it.
 */
const char *compare_null_verdict(const double *base, const double *aa,
				 const double *val);

/* compare [--baseline CELL] [--aa CELL [--null-test]] [--metric M]
 * [--counters] [--format F] [LABEL=]RUNDIR...; prints to stdout; -1 with
 * a one-line reason in @err. */
int compare_main(int argc, char **argv, char *err, size_t errlen);

#endif
