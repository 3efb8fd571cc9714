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

/* compare [--baseline CELL] [--metric M] [--format F] [LABEL=]RUNDIR...;
 * prints to stdout; -1 with a one-line reason in @err. */
int compare_main(int argc, char **argv, char *err, size_t errlen);

#endif
