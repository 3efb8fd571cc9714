/* SPDX-License-Identifier: GPL-2.0 */
/*
 * interface.h - the numbers of the module's debugfs contract
 * (INTERFACE.md), shared by the module and the storms that drive it
 * (bench/storms/kmod.c), so that neither can drift from the other.
 */
#ifndef LMB_INTERFACE_H
#define LMB_INTERFACE_H

#define LMB_PAGES_MAX	65536U	/* config pages= (calib: rounds); 256 MiB of 4K pages */
#define LMB_WRITES_MAX	512U	/* config writes= */

/* "op": a read at LMB_OP_MARKED + P runs one op marked as phase P. */
#define LMB_OP_MARKED	0x100

#endif
