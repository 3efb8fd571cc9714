// SPDX-License-Identifier: GPL-2.0
/*
 * meta.c - run and region metadata, see meta.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <sha2.h>
#include <zlib.h>
#include "meta.h"
#include "util.h"

/* A string read from @path, or {"unavailable": reason}. */
static json_object *file_string(const char *path)
{
	char buf[4096];

	if (sys_read_line(path, buf, sizeof(buf))) {
		json_object *o = json_object_new_object();
		char why[600];

		snprintf(why, sizeof(why), "%s: %s", path, strerror(errno));
		json_object_object_add(o, "unavailable",
				       json_object_new_string(why));
		return o;
	}
	return json_object_new_string(buf);
}

const char *meta_cmdline_value(const char *cmdline, const char *key,
			       char *buf, size_t len)
{
	size_t klen = strlen(key), n;
	const char *p = cmdline;

	while (p && *p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, klen) && (p[klen] == '=' ||
					       p[klen] == ' ' || !p[klen])) {
			p += klen;
			if (*p == '=')
				p++;
			n = strcspn(p, " ");
			if (n >= len)
				n = len - 1;
			memcpy(buf, p, n);
			buf[n] = '\0';
			return buf;
		}
		p = strchr(p, ' ');
	}
	return NULL;
}

/*
 * The kernel config: /proc/config.gz, else /boot/config-<release>.  zlib
 * reads both (gzread passes plain text through).  The hash is of the text,
 * so it equals `sha256sum /boot/config-...` and `zcat /proc/config.gz |
 * sha256sum`.  Also pulls out the DEBUG_PAGEALLOC options.
 */
static json_object *kernel_config(const char *release, json_object *dpa)
{
	char path[300], hex[SHA256_DIGEST_STRING_LENGTH], line[512], real[4096];
	const char *paths[2] = { "/proc/config.gz", path };
	json_object *o = json_object_new_object();
	SHA2_CTX ctx;
	gzFile gz = NULL;
	int i, n;

	snprintf(path, sizeof(path), "/boot/config-%s", release);
	for (i = 0; i < 2 && !gz; i++)
		if (!access(sys_path(paths[i], real, sizeof(real)), R_OK))
			gz = gzopen(real, "rb");
	if (!gz) {
		json_object_object_add(o, "unavailable", json_object_new_string(
			"neither /proc/config.gz nor /boot/config-<release> is readable"));
		json_object_object_add(dpa, "built", json_object_new_string(
			"unknown"));
		json_object_object_add(dpa, "enable_default",
				       json_object_new_string("unknown"));
		return o;
	}
	json_object_object_add(o, "source", json_object_new_string(paths[i - 1]));
	json_object_object_add(dpa, "built", json_object_new_string("n"));
	json_object_object_add(dpa, "enable_default", json_object_new_string("n"));
	SHA256Init(&ctx);
	while (gzgets(gz, line, sizeof(line))) {
		n = strlen(line);
		SHA256Update(&ctx, (const unsigned char *)line, n);
		line[strcspn(line, "\n")] = '\0';
		if (!strcmp(line, "CONFIG_DEBUG_PAGEALLOC=y"))
			json_object_object_add(dpa, "built",
					       json_object_new_string("y"));
		if (!strcmp(line, "CONFIG_DEBUG_PAGEALLOC_ENABLE_DEFAULT=y"))
			json_object_object_add(dpa, "enable_default",
					       json_object_new_string("y"));
	}
	gzclose(gz);
	SHA256End(&ctx, hex);
	json_object_object_add(o, "sha256", json_object_new_string(hex));
	return o;
}

static unsigned long cpuinfo_field(const char *name)
{
	char line[256];
	unsigned long v = 0;
	FILE *f = sys_fopen("/proc/cpuinfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, name, strlen(name))) {
			char *c = strchr(line, ':');

			if (c)
				v = strtoul(c + 1, NULL, 0);
			break;
		}
	}
	fclose(f);
	return v;
}

unsigned long meta_midr(void)
{
	char buf[64];

	if (!sys_read_line("/sys/devices/system/cpu/cpu0/regs/identification/midr_el1",
		       buf, sizeof(buf)))
		return strtoul(buf, NULL, 0);
	if (!cpuinfo_field("CPU implementer"))
		return 0;
	/*
	 * cpuinfo's "CPU architecture: 8" is not the MIDR field: on every
	 * ARMv8 core that is 0xf (features from the ID registers).
	 */
	return cpuinfo_field("CPU implementer") << 24 |
	       cpuinfo_field("CPU variant") << 20 | 0xful << 16 |
	       cpuinfo_field("CPU part") << 4 |
	       cpuinfo_field("CPU revision");
}

static json_object *cpu_info(void)
{
	json_object *o = json_object_new_object();
	char line[512], model[256] = "";
	unsigned long midr = meta_midr();
	FILE *f = sys_fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "model name", 10)) {
			char *c = strchr(line, ':');

			if (c) {
				snprintf(model, sizeof(model), "%s", c + 2);
				model[strcspn(model, "\n")] = '\0';
			}
			break;
		}
	}
	if (f)
		fclose(f);
	json_object_object_add(o, "model", model[0] ?
			       json_object_new_string(model) : NULL);
	if (midr) {
		snprintf(line, sizeof(line), "0x%08lx", midr);
		json_object_object_add(o, "midr", json_object_new_string(line));
		snprintf(line, sizeof(line), "0x%02lx", (midr >> 24) & 0xff);
		json_object_object_add(o, "implementer",
				       json_object_new_string(line));
		snprintf(line, sizeof(line), "0x%03lx", (midr >> 4) & 0xfff);
		json_object_object_add(o, "part", json_object_new_string(line));
	} else {
		json_object_object_add(o, "midr", NULL);
	}
	json_object_object_add(o, "online",
			       json_object_new_int(sysconf(_SC_NPROCESSORS_ONLN)));
	return o;
}

json_object *meta_system(void)
{
	json_object *o = json_object_new_object(), *dpa, *thp;
	char cmdline[4096] = "", buf[128];
	struct utsname u;

	uname(&u);
	/* the same as uname's, and what a recorded machine (LMB_SYSROOT) has */
	sys_read_line("/proc/sys/kernel/osrelease", u.release,
		      sizeof(u.release));
	json_object_object_add(o, "sysname", json_object_new_string(u.sysname));
	json_object_object_add(o, "nodename", json_object_new_string(u.nodename));
	json_object_object_add(o, "release", json_object_new_string(u.release));
	json_object_object_add(o, "version", json_object_new_string(u.version));
	json_object_object_add(o, "machine", json_object_new_string(u.machine));
	json_object_object_add(o, "cmdline", file_string("/proc/cmdline"));
	/* which boot: compare counts runs of one kernel over several boots */
	json_object_object_add(o, "boot_id",
			       file_string("/proc/sys/kernel/random/boot_id"));
	sys_read_line("/proc/cmdline", cmdline, sizeof(cmdline));

	dpa = json_object_new_object();
	json_object_object_add(o, "kernel_config", kernel_config(u.release, dpa));
	if (meta_cmdline_value(cmdline, "debug_pagealloc", buf, sizeof(buf)))
		json_object_object_add(dpa, "boot", json_object_new_string(buf));
	else
		json_object_object_add(dpa, "boot",
				       json_object_new_string("absent"));
	json_object_object_add(o, "debug_pagealloc", dpa);

	json_object_object_add(o, "cpu", cpu_info());
	json_object_object_add(o, "page_size",
			       json_object_new_int(sysconf(_SC_PAGESIZE)));
	thp = json_object_new_object();
	json_object_object_add(thp, "enabled", file_string(
		"/sys/kernel/mm/transparent_hugepage/enabled"));
	json_object_object_add(thp, "defrag", file_string(
		"/sys/kernel/mm/transparent_hugepage/defrag"));
	json_object_object_add(o, "thp", thp);
	json_object_object_add(o, "governor", file_string(
		"/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"));
	json_object_object_add(o, "aslr", file_string(
		"/proc/sys/kernel/randomize_va_space"));
	json_object_object_add(o, "perf_event_paranoid", file_string(
		"/proc/sys/kernel/perf_event_paranoid"));
	return o;
}

json_object *meta_region(const void *addr, size_t len)
{
	unsigned long start, end, a = (unsigned long)addr;
	json_object *o = json_object_new_object();
	char line[512];
	long kb, vmas = 0;
	int in = 0, found = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f) {
		json_object_object_add(o, "unavailable",
				       json_object_new_string(strerror(errno)));
		return o;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			vmas++;
			in = addr && a >= start && a < end;
			if (in) {
				found = 1;
				json_object_object_add(o, "vma_kb",
					json_object_new_int64((end - start) >> 10));
			}
			continue;
		}
		if (!in)
			continue;
		if (sscanf(line, "Rss: %ld kB", &kb) == 1)
			json_object_object_add(o, "rss_kb", json_object_new_int64(kb));
		else if (sscanf(line, "Anonymous: %ld kB", &kb) == 1)
			json_object_object_add(o, "anon_kb", json_object_new_int64(kb));
		else if (sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			json_object_object_add(o, "anon_huge_kb",
					       json_object_new_int64(kb));
	}
	fclose(f);
	json_object_object_add(o, "vma_count", json_object_new_int64(vmas));
	json_object_object_add(o, "region_kb", json_object_new_int64(len >> 10));
	if (addr && !found)
		json_object_object_add(o, "unavailable", json_object_new_string(
			"region not found in /proc/self/smaps"));
	return o;
}
