// SPDX-License-Identifier: GPL-2.0
/*
 * lmb_payload: the module the modload storm loads and unloads.  It does
 * nothing; it only has a module's shape: text, read-only data and data
 * over several pages each, so that loading it maps them, makes them
 * read-only or executable (set_memory_*(), kernel PTE writes), and
 * unloading it puts them back and frees them.
 */
#include <linux/module.h>
#include <linux/init.h>

#define LMB_PAYLOAD_PAGES	4

/* Read-only data, writable data: LMB_PAYLOAD_PAGES pages each. */
static const unsigned long lmb_payload_ro[LMB_PAYLOAD_PAGES * PAGE_SIZE /
					  sizeof(unsigned long)] = { 1 };
static unsigned long lmb_payload_rw[LMB_PAYLOAD_PAGES * PAGE_SIZE /
				    sizeof(unsigned long)] = { 1 };

static int __init lmb_payload_init(void)
{
	/* Touch both, so neither is discarded. */
	lmb_payload_rw[0] += READ_ONCE(lmb_payload_ro[0]);
	return 0;
}

static void __exit lmb_payload_exit(void)
{
}

module_init(lmb_payload_init);
module_exit(lmb_payload_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lazymmu-bench: a module to load and unload");
