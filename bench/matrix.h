/* SPDX-License-Identifier: GPL-2.0 */
/*
 * matrix.h - matrix files (configs/matrix/NAME.matrix): the cells, kernel
 * variant x DEBUG_PAGEALLOC state, that the lab (scripts/lab/lab), a
 * server (scripts/server/matrix) or LAVA (scripts/lava/jobs) boots, and
 * their settings.  One parser for the three: they read its plan
 * (`lazymmu-bench matrix plan`, cmd_matrix.c), with the settings their
 * command lines override checked by the same rules (matrix_set()).
 *
 * A line is a directive and its words, or a comment ('#' first):
 *   profile NAME            configs/profiles/NAME.conf
 *   rounds N                1 to 99: every cell N times (servers, LAVA)
 *   neighbour NAME...       neighbour loads, each cell under each in turn:
 *                           none, or configs/neighbour/NAME.conf (servers,
 *                           LAVA; "noise" is its old name)
 *   timeout SECONDS         one cell's time limit (lab, servers)
 *   crosscheck stress-ng [SECONDS]  stress-ng beside each cell (servers)
 *   smp N, mem SIZE         the lab's guest: 1 to 99 vCPUs, qemu's -m
 *   cell VARIANT none|off|on   kernels/VARIANT/README.md; the state of
 *                           DEBUG_PAGEALLOC: not built, built and off, on
 * Each consumer ignores what it does not use (the lab refuses rounds,
 * neighbour and crosscheck) and has its own defaults.
 */
#ifndef MATRIX_H
#define MATRIX_H

#include <stddef.h>
#include <stdio.h>

#define MATRIX_MAX_CELLS	256
#define MATRIX_MAX_NOISE	16
#define MATRIX_NAME		64	/* a variant's or a neighbour load's name */

struct matrix_cell {
	char variant[MATRIX_NAME];
	char dpa[8];			/* none, off, on */
};

/* A setting the file does not give is "" or 0. */
struct matrix {
	char profile[256];
	unsigned int rounds;
	char noise[MATRIX_MAX_NOISE][MATRIX_NAME];
	int nnoise;
	unsigned int timeout;		/* seconds */
	unsigned int crosscheck;	/* stress-ng's seconds */
	unsigned int smp;
	char mem[32];
	struct matrix_cell cell[MATRIX_MAX_CELLS];
	int ncells;
};

/*
 * Read and check the matrix file @path; profiles and neighbour loads are
 * looked up in @cfg (the configs/ folder), variants in the kernels/
 * beside it.  0, or -1 with one line "PATH:LINE: ..." (or "PATH: no
 * cells") in @err.
 */
int matrix_parse(const char *path, const char *cfg, struct matrix *m,
		 char *err, size_t errlen);

/*
 * A setting given on a script's command line, "KEY=VALUE", applied to @m
 * (after matrix_parse) with the check and setter of the file's line "KEY
 * VALUE": it replaces the file's setting (neighbour loads: the whole
 * list); cells come from the file only.  0, or -1 with one line "--set
 * KEY=VALUE: ..." in @err.
 */
int matrix_set(const char *kv, const char *cfg, struct matrix *m,
	       char *err, size_t errlen);

/*
 * The plan, for scripts: "matrix PATH", then the settings the file gives
 * as "KEY VALUE" lines (in the order above; the neighbour loads on one
 * line, crosscheck as "crosscheck stress-ng SECONDS"), then "cell VARIANT
 * DPA" per cell, in the file's order.
 */
void matrix_print(FILE *f, const char *path, const struct matrix *m);

#endif
