/* SPDX-License-Identifier: GPL-2.0 */
/*
 * meta.h - what a run must record about the machine and about the region a
 * case measured, so that two kernels can be shown to measure the same
 * state.  Anything that cannot be read is recorded as null with a reason,
 * never guessed.
 */
#ifndef META_H
#define META_H

#include <stddef.h>
#include <json-c/json.h>

/* uname, cmdline, DEBUG_PAGEALLOC, kernel config hash, CPU, THP, governor,
 * ASLR, page size. */
json_object *meta_system(void);

/* The state of the mapping that holds [addr, addr + len): VMA count of the
 * process, the region's Rss, Anonymous and AnonHugePages from smaps. */
json_object *meta_region(const void *addr, size_t len);

/* The value of "key=value" or bare "key" in @cmdline; NULL if absent. */
const char *meta_cmdline_value(const char *cmdline, const char *key,
			       char *buf, size_t len);

/* MIDR of cpu0 as (implementer << 24 | part << 4 ...), 0 if unknown. */
unsigned long meta_midr(void);

#endif
