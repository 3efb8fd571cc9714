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

#endif
