/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lab.h - import the emulated lab's plugin counts into a run (lab.c).
 */
#ifndef LAB_H
#define LAB_H

#include <stddef.h>
#include <json-c/json.h>

/*
 * Add the plugin counts in @plugin_path to the run in @rundir; @cell (may
 * be NULL) describes the lab cell and is stored in meta.json.  Returns 0,
 * 1 when the calibration did not match (the run is marked invalid and no
 * counts are imported; @err says so), or -1 on an error in @err.
 */
int lab_import(const char *rundir, const char *plugin_path,
	       json_object *cell, char *err, size_t errlen);

/*
 * The one reader of a case's lab counts (every report goes through it).
 * Count per op of @kind in @phase of case @c, kernel mode (@kernel = 1) or
 * user mode, on the storm's vCPU (@all_vcpus = 0) or summed over every
 * vCPU.  @kind is an instruction as the plugin names it ("dsb ishst",
 * "tlbi vale1is") or a class ("dsb", "dmb", "isb", "tlbi", "dc", "ic").
 * Reads both layouts of the case's "lab" object (results/README.md).
 * Returns 0 with *per_op set (0 when the kind never executed), or -1 when
 * the case has no lab counts for @phase or the phase has no op count.
 */
int lab_per_op(json_object *c, const char *phase, int kernel, int all_vcpus,
	       const char *kind, double *per_op);

/*
 * The kinds lab_per_op() can be asked for in that phase of @c: every class,
 * then every instruction counted there (a new array, or NULL when the case
 * has no lab counts for @phase).
 */
json_object *lab_kind_list(json_object *c, const char *phase, int kernel,
		       int all_vcpus);

/* The kernel kinds reports quote (compare, history), NULL-terminated:
 * "dsb", "dsb ishst", "isb", "tlbi". */
extern const char *const lab_report_kinds[];

/* The classes lab_per_op() knows, NULL-terminated. */
extern const char *const lab_classes[];

#endif
