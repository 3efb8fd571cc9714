// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_matrix.c - `matrix plan NAME|FILE [--set KEY=VALUE]...`: a matrix
 * file read and checked once (matrix.c), the settings a script's command
 * line overrides applied with the same checks (matrix_set(): --set
 * smp=4 is the line "smp 4" after the file's), and the plan printed
 * (matrix.h) for the scripts that boot its cells, scripts/lab/lab,
 * scripts/server/matrix and scripts/lava/jobs, each reading it with one
 * `while read` loop.  A NAME
 * (no '/') is configs/matrix/NAME.matrix: $LAZYMMU_CONFIGS/matrix/ as
 * it is written (the scripts give theirs), or the configs/ beside the
 * binary's tree, made absolute.
 */
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cmd.h"
#include "matrix.h"
#include "util.h"

static int is_matrix(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return n > 7 && !strcmp(e->d_name + n - 7, ".matrix");
}

/* By name, without the suffix: lab-census before lab-census-kasan. */
static int by_name(const struct dirent **a, const struct dirent **b)
{
	size_t na = strlen((*a)->d_name) - 7, nb = strlen((*b)->d_name) - 7;
	int c = strncmp((*a)->d_name, (*b)->d_name, na < nb ? na : nb);

	return c ? c : (na > nb) - (na < nb);
}

/* The matrix file @arg names, or die naming the known ones. */
static void matrix_path(const char *arg, const char *cfg, char *path,
			size_t len)
{
	char dir[PATH_MAX + 10], known[1024] = "";
	struct dirent **e;
	struct stat st;
	int n, i, w;

	if (strchr(arg, '/'))
		w = snprintf(path, len, "%s", arg);
	else
		w = snprintf(path, len, "%s/matrix/%s.matrix", cfg, arg);
	if (w < (int)len && !strchr(arg, '\n') && !stat(path, &st) &&
	    S_ISREG(st.st_mode) && !access(path, R_OK))
		return;
	snprintf(dir, sizeof(dir), "%s/matrix", cfg);
	n = scandir(dir, &e, is_matrix, by_name);
	for (i = 0; i < n; i++) {
		snprintf(known + strlen(known), sizeof(known) - strlen(known),
			 "%s%.*s", i ? " " : "",
			 (int)strlen(e[i]->d_name) - 7, e[i]->d_name);
		free(e[i]);
	}
	if (n >= 0)
		free(e);
	die("unknown matrix '%s' (no %s; known: %s)", arg, path, known);
}

#define MATRIX_USAGE "usage: matrix plan NAME|FILE [--set KEY=VALUE]..."

int cmd_matrix(int argc, char **argv)
{
	static struct matrix m;
	char dir[512], cfg[PATH_MAX], path[PATH_MAX + 100], err[PATH_MAX + 600];
	int i;

	if (argc < 3 || strcmp(argv[1], "plan"))
		die(MATRIX_USAGE);
	for (i = 3; i < argc; i += 2)
		if (strcmp(argv[i], "--set") || i + 1 == argc)
			die(MATRIX_USAGE);
	configs_dir(dir, sizeof(dir));
	if (getenv("LAZYMMU_CONFIGS") || !realpath(dir, cfg))
		snprintf(cfg, sizeof(cfg), "%s", dir);
	matrix_path(argv[2], cfg, path, sizeof(path));
	if (matrix_parse(path, cfg, &m, err, sizeof(err)))
		die("%s", err);
	for (i = 4; i < argc; i += 2)
		if (matrix_set(argv[i], cfg, &m, err, sizeof(err)))
			die("%s", err);
	matrix_print(stdout, path, &m);
	return 0;
}
