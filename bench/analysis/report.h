/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report.h - the short human table printed by `run` and `show`, made from
 * the case JSON (never from in-memory state, so both print the same).
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>
#include <json-c/json.h>

void report_header(FILE *f);
void report_case(FILE *f, json_object *c);
/* One line naming the counters that were unavailable, with reasons. */
void report_unavailable(FILE *f, json_object *c);
void format_ns(double ns, char *buf, size_t len);

#endif
