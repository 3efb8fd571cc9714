/* SPDX-License-Identifier: GPL-2.0 */
/*
 * profile.h - PMU profile files (format in configs/pmu/README.md).
 *
 * Private to the collector: profile.c reads a file and its includes into a
 * flat list of events; collector.c resolves and opens them.
 */
#ifndef PROFILE_H
#define PROFILE_H

#include <stddef.h>
#include <stdint.h>

#define PROF_LABEL_MAX	32
#define PROF_NAME_MAX	64
#define PROF_SPEC_MAX	8	/* specs on one event line */
#define PROF_MIDR_MAX	8	/* midr lines in one file */

enum spec_kind {
	SPEC_PFM,		/* pfm:<libpfm4 name> */
	SPEC_RAW,		/* raw:<number> */
	SPEC_SW,		/* sw:<name> */
	SPEC_HW,		/* hw:<name> */
	SPEC_TP,		/* tp:<subsystem>:<event> */
	SPEC_FILE,		/* file:<absolute path>:<key>, "key value" lines */
};

/* A spec split into its kind and argument (@arg points into the text). */
struct spec {
	enum spec_kind kind;
	const char *arg;
	uint64_t config;	/* raw, sw and hw: the perf config */
};

enum prof_calib {
	CALIB_NONE = 0,
	CALIB_DSB,
	CALIB_DMB,
	CALIB_ISB,
};

struct prof_event {
	char label[PROF_LABEL_MAX];
	char *spec[PROF_SPEC_MAX];
	int nspec;
	enum prof_calib calib;
	int file;		/* index of the file that defined it */
	int line;
};

struct prof_midr {
	unsigned int impl, part;
};

struct profile {
	char name[PROF_NAME_MAX];
	struct prof_event *ev;
	int nev, cap;
	struct prof_midr midr[PROF_MIDR_MAX];	/* of the top file only */
	int nmidr;
};

/* Read @path and its includes into @p; -1 with "FILE:LINE: why" in @err. */
int profile_parse(const char *path, struct profile *p,
		  char *err, size_t errlen);
void profile_free(struct profile *p);

/* Split @text into @sp; -1 with the reason in @why. */
int spec_parse(const char *text, struct spec *sp, char *why, size_t len);

/* 1 if the file @path has a "midr @impl @part" line of its own, else 0. */
int profile_has_midr(const char *path, unsigned int impl, unsigned int part);

#endif
