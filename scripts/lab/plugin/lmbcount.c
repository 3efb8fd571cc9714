// SPDX-License-Identifier: GPL-2.0
/*
 * lmbcount.c - the emulated lab's QEMU TCG plugin: exact counts of
 * barriers (DSB and DMB by option, ISB), TLBIs by operation and DC/IC
 * maintenance, per case, per phase, per vCPU, kernel vs user.
 *
 * Phases and cases come from the harness's marker instructions
 * (bench/phase.h): hint #(0x70 + phase) switches the phase, hint #0x7f
 * and eight nibble hints name the case.  The phase is machine-wide (the
 * last marker any vCPU executed); counts are kept per vCPU, so the
 * storm's own CPU can be told from the others.  Kernel instructions
 * (bit 63 of the PC set) are also counted per site and, with a System.map,
 * attributed to the kernel function holding them.
 *
 * Arguments (-plugin lmbcount.so,arg=value,...):
 *   out=FILE      write the counts as JSON to FILE at exit (default:
 *                 QEMU's log, i.e. stderr)
 *   symbols=FILE  System.map of the guest kernel, for "functions"
 *   top=N         functions listed per case and phase (default 20)
 *   calls=F1:F2   also count calls of these kernel functions (executions
 *                 of their first instruction; needs symbols=), reported
 *                 as class "call", insn "call F1"
 *   insns=M       also count every instruction executed, per case, phase,
 *                 vCPU and EL, in "insns" (method M, "insns_method"):
 *                 tb (or on): one callback per translation block adding
 *                 its length, split where a marker inside the block
 *                 switches case or phase (costs ~6 % of wall time in
 *                 scripts/lab/overhead's cell); insn: one callback per
 *                 instruction, the reference (~60 %); off (default):
 *                 nothing, and no "insns" in the output.
 *                 Both count an instruction each time it starts (one that
 *                 faults and is retried counts twice); tb also counts
 *                 the rest of a block an exception leaves early.
 *
 * Counting uses one callback per instrumented instruction (never inline
 * counters, which are not per vCPU in plugin API v1).  A vCPU only
 * writes its own counters; per-site counters are shared and atomic.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <qemu-plugin.h>

#include "a64insn.h"
#include "phase.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define MAX_VCPUS	64
#define MAX_CASES	128	/* case slots; slot 0 is "before any case" */
#define MAX_KINDS	128	/* distinct instruction names */
#define NO_CASE		0xffffffffu

enum { EL_USER, EL_KERNEL, EL_NR };

/* insns=: how every instruction is counted, if at all. */
enum { INSNS_OFF, INSNS_TB, INSNS_INSN };
static const char *const insns_names[] = { "off", "tb", "insn" };

/* Kinds of class CLASS_CALL count function entries, not instructions. */
#define CLASS_CALL	A64_CLASS_NR
#define MAX_CALLS	16
static const char *const el_names[EL_NR] = { "user", "kernel" };

/* One distinct counted instruction name ("dsb ishst", "tlbi vale1is"). */
struct kind {
	int cls;		/* enum a64_class or CLASS_CALL */
	char name[112];
};

/* Counters of one vCPU: [case slot][phase][el][kind]. */
struct vcpu {
	uint64_t (*cnt)[PHASE_NR][EL_NR][MAX_KINDS];
	uint64_t (*insns)[PHASE_NR][EL_NR];	/* insns=: all instructions */
	int nibbles_left;	/* case-id decoder state */
	uint32_t id;
	uint64_t markers;
};

/* A kernel instruction site, for attribution to functions. */
struct site {
	uint64_t pc;
	int kind;
	uint64_t cnt[MAX_CASES][PHASE_NR];	/* atomic */
	struct site *next;
};

/* What an instrumented instruction's callback gets. */
struct insn_ud {
	int kind;		/* counted kinds */
	int el;
	unsigned int mark;	/* markers */
	unsigned int seg;	/* insns=tb, markers: instructions from this
				 * one to the next marker or the block's end */
	struct site *site;	/* kernel sites */
};

static struct kind kinds[MAX_KINDS];
static int nkinds;
static struct vcpu vcpus[MAX_VCPUS];
static uint32_t case_ids[MAX_CASES];	/* slot -> id */
static int case_vcpu[MAX_CASES];	/* vCPU that named the case */
static int ncases = 1;
static int cur_case;			/* slot, atomic */
static int cur_phase;			/* atomic */
static int overflow;			/* atomic: something did not fit */

#define SITE_BUCKETS 4096
static struct site *sites[SITE_BUCKETS];
static int nsites;
/* Translation may run on several vCPU threads: guard the registries. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static const char *out_path;
static const char *sym_path;
static char *calls_arg;
static struct call {
	uint64_t addr;
	char name[96];
	int kind;
} calls[MAX_CALLS];
static int ncalls;
static int top_n = 20;
static int insns_mode;
static pid_t owner;
static int system_emulation;

/* ---- registries (under lock) ------------------------------------------ */

static int kind_get(int cls, const char *name)
{
	int i;

	for (i = 0; i < nkinds; i++)
		if (!strcmp(kinds[i].name, name))
			return i;
	if (nkinds == MAX_KINDS) {
		__atomic_store_n(&overflow, 1, __ATOMIC_RELAXED);
		return -1;
	}
	kinds[nkinds].cls = cls;
	snprintf(kinds[nkinds].name, sizeof(kinds[nkinds].name), "%s", name);
	return nkinds++;
}

static const char *class_name(int cls)
{
	return cls == CLASS_CALL ? "call" : a64_class_names[cls];
}

static struct site *site_get(uint64_t pc, int kind)
{
	unsigned int b = (pc >> 2) % SITE_BUCKETS;
	struct site *s;

	for (s = sites[b]; s; s = s->next)
		if (s->pc == pc && s->kind == kind)
			return s;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->pc = pc;
	s->kind = kind;
	s->next = sites[b];
	sites[b] = s;
	nsites++;
	return s;
}

static int case_slot(uint32_t id, int vcpu)
{
	int i, slot = -1;

	pthread_mutex_lock(&lock);
	for (i = 1; i < ncases; i++)
		if (case_ids[i] == id)
			slot = i;
	if (slot < 0 && ncases < MAX_CASES) {
		slot = ncases;
		case_ids[slot] = id;
		case_vcpu[slot] = vcpu;
		ncases++;
	}
	pthread_mutex_unlock(&lock);
	if (slot < 0)
		__atomic_store_n(&overflow, 1, __ATOMIC_RELAXED);
	return slot < 0 ? 0 : slot;
}

static struct vcpu *vcpu_get(unsigned int idx)
{
	struct vcpu *v;

	if (idx >= MAX_VCPUS) {
		__atomic_store_n(&overflow, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	v = &vcpus[idx];
	if (!v->cnt) {
		/* Only this vCPU's thread gets here for this index. */
		v->insns = calloc(MAX_CASES, sizeof(*v->insns));
		v->cnt = calloc(MAX_CASES, sizeof(*v->cnt));
		if (!v->cnt || !v->insns) {
			free(v->cnt);
			free(v->insns);
			v->cnt = NULL;
			v->insns = NULL;
			__atomic_store_n(&overflow, 1, __ATOMIC_RELAXED);
			return NULL;
		}
	}
	return v;
}

/* ---- execution callbacks ---------------------------------------------- */

/* insns=: @n instructions at @el, in the current case and phase. */
static void add_insns(unsigned int vcpu_index, int el, uint64_t n)
{
	struct vcpu *v = vcpu_get(vcpu_index);
	int c = __atomic_load_n(&cur_case, __ATOMIC_RELAXED);
	int p = __atomic_load_n(&cur_phase, __ATOMIC_RELAXED);

	if (v)
		v->insns[c][p][el] += n;
}

/*
 * udata is n << 1 | el: insns=tb, n instructions before the block's first
 * marker; insns=insn, 1 per instruction.
 */
static void on_insns(unsigned int vcpu_index, void *udata)
{
	uintptr_t u = (uintptr_t)udata;

	add_insns(vcpu_index, u & 1, u >> 1);
}

static void on_count(unsigned int vcpu_index, void *udata)
{
	struct insn_ud *ud = udata;
	struct vcpu *v = vcpu_get(vcpu_index);
	int c = __atomic_load_n(&cur_case, __ATOMIC_RELAXED);
	int p = __atomic_load_n(&cur_phase, __ATOMIC_RELAXED);

	if (!v)
		return;
	v->cnt[c][p][ud->el][ud->kind]++;
	if (ud->site)
		__atomic_fetch_add(&ud->site->cnt[c][p], 1, __ATOMIC_RELAXED);
}

static void on_mark(unsigned int vcpu_index, void *udata)
{
	struct insn_ud *ud = udata;
	struct vcpu *v = vcpu_get(vcpu_index);
	unsigned int m = ud->mark;

	if (!v)
		return;
	v->markers++;
	if (m == PHASE_MARK_ID) {
		v->nibbles_left = 8;
		v->id = 0;
	} else if (m >= PHASE_NIBBLE_BASE && m < PHASE_NIBBLE_BASE + 16) {
		if (v->nibbles_left > 0) {
			v->id = v->id << 4 | (m - PHASE_NIBBLE_BASE);
			if (--v->nibbles_left == 0)
				__atomic_store_n(&cur_case,
						 case_slot(v->id, vcpu_index),
						 __ATOMIC_RELAXED);
		}
	} else if (m >= PHASE_MARK_BASE && m < PHASE_MARK_BASE + PHASE_NR) {
		v->nibbles_left = 0;
		__atomic_store_n(&cur_phase, m - PHASE_MARK_BASE,
				 __ATOMIC_RELAXED);
	}
	/*
	 * Markers of phases this build does not know are ignored.  insns=tb:
	 * the marker and what follows it in its block, in the new state.
	 */
	if (ud->seg)
		add_insns(vcpu_index, ud->el, ud->seg);
}

/* ---- translation ------------------------------------------------------ */

/* Count executions of a watched function's first instruction. */
static void instrument_call(struct qemu_plugin_insn *insn, uint64_t pc)
{
	struct insn_ud *ud;
	int i;

	for (i = 0; i < ncalls; i++) {
		if (calls[i].addr != pc)
			continue;
		ud = calloc(1, sizeof(*ud));
		if (!ud) {
			__atomic_store_n(&overflow, 1, __ATOMIC_RELAXED);
			return;
		}
		ud->kind = calls[i].kind;
		ud->el = pc >> 63 ? EL_KERNEL : EL_USER;
		qemu_plugin_register_vcpu_insn_exec_cb(insn, on_count,
				QEMU_PLUGIN_CB_NO_REGS, ud);
	}
}

/*
 * insns=: count @insn (at @el) in the block being translated.  With
 * insns=tb an instruction adds to the last marker's segment, or before
 * the first marker to the block's prefix (counted by the block's own
 * callback); with insns=insn it gets a callback of its own, registered
 * after a marker's, so a marker counts in the phase it starts.
 */
static void tally_insn(struct qemu_plugin_insn *insn, int el,
		       struct insn_ud *last_mark, uint64_t *prefix)
{
	if (insns_mode == INSNS_INSN)
		qemu_plugin_register_vcpu_insn_exec_cb(insn, on_insns,
				QEMU_PLUGIN_CB_NO_REGS,
				(void *)(uintptr_t)(1 << 1 | el));
	else if (insns_mode == INSNS_TB && last_mark)
		last_mark->seg++;
	else if (insns_mode == INSNS_TB)
		(*prefix)++;
}

static void on_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);
	struct insn_ud *last_mark = NULL;
	uint64_t prefix = 0;
	int tb_el = EL_USER;

	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t pc = qemu_plugin_insn_vaddr(insn);
		int el = pc >> 63 ? EL_KERNEL : EL_USER;
		struct insn_ud *ud;
		struct a64_insn ai;
		uint32_t word;

		/* A block is contiguous: all kernel or all user. */
		if (i == 0)
			tb_el = el;
		if (qemu_plugin_insn_size(insn) != 4) {
			tally_insn(insn, el, last_mark, &prefix);
			continue;
		}
		instrument_call(insn, pc);
		memcpy(&word, qemu_plugin_insn_data(insn), 4);
		if (a64_classify(word, &ai) == A64_OTHER) {
			tally_insn(insn, el, last_mark, &prefix);
			continue;
		}
		/*
		 * One small allocation per instrumented instruction per
		 * translation; translations are rare next to executions.
		 */
		ud = calloc(1, sizeof(*ud));
		if (!ud) {
			__atomic_store_n(&overflow, 1, __ATOMIC_RELAXED);
			continue;
		}
		if (ai.cls == A64_MARK) {
			ud->mark = ai.mark;
			ud->el = el;
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark,
					QEMU_PLUGIN_CB_NO_REGS, ud);
			if (insns_mode == INSNS_TB)
				last_mark = ud;
			tally_insn(insn, el, last_mark, &prefix);
			continue;
		}
		tally_insn(insn, el, last_mark, &prefix);
		ud->el = el;
		pthread_mutex_lock(&lock);
		ud->kind = kind_get(ai.cls, ai.name);
		if (ud->kind >= 0 && ud->el == EL_KERNEL)
			ud->site = site_get(pc, ud->kind);
		pthread_mutex_unlock(&lock);
		if (ud->kind < 0) {
			free(ud);
			continue;
		}
		qemu_plugin_register_vcpu_insn_exec_cb(insn, on_count,
				QEMU_PLUGIN_CB_NO_REGS, ud);
	}
	if (prefix)
		qemu_plugin_register_vcpu_tb_exec_cb(tb, on_insns,
				QEMU_PLUGIN_CB_NO_REGS,
				(void *)(uintptr_t)(prefix << 1 | tb_el));
}

/* ---- output ------------------------------------------------------------ */

struct sym {
	uint64_t addr;
	char *name;
};

static struct sym *syms;
static size_t nsyms;

static int sym_cmp(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Text symbols of a System.map ("addr type name"). */
static int syms_load(const char *path)
{
	char line[512], name[256], type;
	size_t cap = 0;
	uint64_t addr;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%" SCNx64 " %c %255s", &addr, &type,
			   name) != 3)
			continue;
		if (type != 't' && type != 'T')
			continue;
		if (nsyms == cap) {
			cap = cap ? 2 * cap : 4096;
			syms = realloc(syms, cap * sizeof(*syms));
			if (!syms) {
				fclose(f);
				return -1;
			}
		}
		syms[nsyms].addr = addr;
		syms[nsyms].name = strdup(name);
		if (!syms[nsyms].name) {
			fclose(f);
			return -1;
		}
		nsyms++;
	}
	fclose(f);
	if (!nsyms) {
		/* found by fuzzing: qsort of nothing was undefined behaviour */
		fprintf(stderr, "lmbcount: %s: no text symbols (not a System.map?)\n",
			path);
		return -2;
	}
	qsort(syms, nsyms, sizeof(*syms), sym_cmp);
	return 0;
}

static const char *sym_find(uint64_t pc)
{
	size_t lo = 0, hi = nsyms;

	if (!nsyms || pc < syms[0].addr)
		return NULL;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (syms[mid].addr <= pc)
			lo = mid;
		else
			hi = mid;
	}
	return syms[lo].name;
}

struct fn_count {
	const char *fn;
	int kind;
	uint64_t n;
	uint64_t pc;	/* the site's address when no symbol is known */
};

static int fn_cmp(const void *a, const void *b)
{
	const struct fn_count *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->fn ? x->fn : "", y->fn ? y->fn : "");
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void json_case(FILE *f, int slot)
{
	if (slot == 0)
		fputs("null", f);
	else
		fprintf(f, "%" PRIu32, case_ids[slot]);
}

/* Functions of one case and phase, summed per (function, kind), top N. */
static void write_functions(FILE *f, int c, int p, int *first)
{
	struct fn_count *fc = NULL;
	size_t nfc = 0, cap = 0, i, j;
	struct site *s;
	int b;

	for (b = 0; b < SITE_BUCKETS; b++) {
		for (s = sites[b]; s; s = s->next) {
			uint64_t n = s->cnt[c][p];
			const char *fn;

			if (!n)
				continue;
			fn = sym_find(s->pc);
			for (j = 0; j < nfc; j++)
				if (fc[j].kind == s->kind &&
				    (fn ? fc[j].fn && !strcmp(fc[j].fn, fn)
					: !fc[j].fn && fc[j].pc == s->pc))
					break;
			if (j == nfc) {
				if (nfc == cap) {
					cap = cap ? 2 * cap : 64;
					fc = realloc(fc, cap * sizeof(*fc));
					if (!fc)
						return;
				}
				fc[nfc].fn = fn;
				fc[nfc].kind = s->kind;
				fc[nfc].n = 0;
				fc[nfc].pc = s->pc;
				nfc++;
			}
			fc[j].n += n;
		}
	}
	qsort(fc, nfc, sizeof(*fc), fn_cmp);
	for (i = 0; i < nfc && (int)i < top_n; i++) {
		char pcbuf[24];

		fprintf(f, "%s\n  {\"case\": ", *first ? "" : ",");
		*first = 0;
		json_case(f, c);
		fprintf(f, ", \"phase\": \"%s\", \"function\": ", phase_names[p]);
		snprintf(pcbuf, sizeof(pcbuf), "0x%" PRIx64, fc[i].pc);
		json_str(f, fc[i].fn ? fc[i].fn : pcbuf);
		fputs(", \"insn\": ", f);
		json_str(f, kinds[fc[i].kind].name);
		fprintf(f, ", \"n\": %" PRIu64 "}", fc[i].n);
	}
	free(fc);
}

/* A count's row up to its own fields: case, phase, vCPU, EL. */
static void row_head(FILE *f, int *first, int c, int p, unsigned int v,
		     int e)
{
	fprintf(f, "%s\n  {\"case\": ", *first ? "" : ",");
	*first = 0;
	json_case(f, c);
	fprintf(f, ", \"phase\": \"%s\", \"vcpu\": %u, \"el\": \"%s\"",
		phase_names[p], v, el_names[e]);
}

/* insns=: every instruction, per case, phase, vCPU and EL. */
static void write_insns(FILE *f)
{
	int c, p, e, first = 1;
	unsigned int v;

	fprintf(f, ",\n\"insns_method\": \"%s\",\n\"insns\": [",
		insns_names[insns_mode]);
	for (c = 0; c < ncases; c++)
		for (p = 0; p < PHASE_NR; p++)
			for (v = 0; v < MAX_VCPUS; v++)
				for (e = 0; e < EL_NR; e++) {
					uint64_t n;

					if (!vcpus[v].insns)
						continue;
					n = vcpus[v].insns[c][p][e];
					if (!n)
						continue;
					row_head(f, &first, c, p, v, e);
					fprintf(f, ", \"n\": %" PRIu64 "}", n);
				}
	fprintf(f, "\n]");
}

static void write_json(FILE *f)
{
	int c, p, e, k, first = 1;
	unsigned int v;

	fprintf(f, "{\n\"format\": \"lmbcount\", \"version\": 1,\n");
	fprintf(f, "\"system_emulation\": %s,\n",
		system_emulation ? "true" : "false");
	fprintf(f, "\"complete\": %s,\n",
		__atomic_load_n(&overflow, __ATOMIC_RELAXED) ? "false" : "true");
	fprintf(f, "\"symbols\": ");
	if (sym_path)
		json_str(f, sym_path);
	else
		fputs("null", f);
	fprintf(f, ",\n\"sites\": %d,\n\"cases\": [", nsites);
	for (c = 1; c < ncases; c++)
		fprintf(f, "%s{\"case\": %" PRIu32 ", \"vcpu\": %d}",
			c > 1 ? ", " : "", case_ids[c], case_vcpu[c]);
	fprintf(f, "],\n\"markers\": [");
	for (v = 0, first = 1; v < MAX_VCPUS; v++) {
		if (!vcpus[v].cnt)
			continue;
		fprintf(f, "%s{\"vcpu\": %u, \"n\": %" PRIu64 "}",
			first ? "" : ", ", v, vcpus[v].markers);
		first = 0;
	}
	fprintf(f, "],\n\"counts\": [");
	first = 1;
	for (c = 0; c < ncases; c++)
		for (p = 0; p < PHASE_NR; p++)
			for (v = 0; v < MAX_VCPUS; v++)
				for (e = 0; e < EL_NR; e++)
					for (k = 0; k < nkinds; k++) {
						uint64_t n;

						if (!vcpus[v].cnt)
							continue;
						n = vcpus[v].cnt[c][p][e][k];
						if (!n)
							continue;
						row_head(f, &first, c, p, v, e);
						fprintf(f, ", \"class\": \"%s\", \"insn\": ",
							class_name(kinds[k].cls));
						json_str(f, kinds[k].name);
						fprintf(f, ", \"n\": %" PRIu64 "}", n);
					}
	fprintf(f, "\n],\n\"functions\": [");
	first = 1;
	for (c = 0; c < ncases; c++)
		for (p = 0; p < PHASE_NR; p++)
			write_functions(f, c, p, &first);
	fprintf(f, "\n]");
	if (insns_mode != INSNS_OFF)
		write_insns(f);
	fprintf(f, "\n}\n");
}

static void on_exit_cb(qemu_plugin_id_t id, void *p)
{
	char tmp[4096];
	FILE *f;

	/* In user mode a forked guest process is a forked QEMU: only the
	 * process that loaded the plugin writes. */
	if (getpid() != owner)
		return;
	if (!out_path) {
		write_json(stderr);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", out_path);
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "lmbcount: %s: %s\n", tmp, strerror(errno));
		return;
	}
	write_json(f);
	if (fflush(f) || fsync(fileno(f)) || fclose(f) ||
	    rename(tmp, out_path))
		fprintf(stderr, "lmbcount: writing %s: %s\n", out_path,
			strerror(errno));
}

/* calls=F1:F2: entry addresses from the System.map. */
static int resolve_calls(char *list)
{
	char *name, *save = NULL;
	size_t i;

	if (!sym_path) {
		fprintf(stderr, "lmbcount: calls= needs symbols=\n");
		return -1;
	}
	for (name = strtok_r(list, ":", &save); name;
	     name = strtok_r(NULL, ":", &save)) {
		char kname[112];

		if (ncalls == MAX_CALLS) {
			fprintf(stderr, "lmbcount: at most %d calls=\n", MAX_CALLS);
			return -1;
		}
		for (i = 0; i < nsyms; i++)
			if (!strcmp(syms[i].name, name))
				break;
		if (i == nsyms) {
			fprintf(stderr, "lmbcount: calls=%s: no such function in %s\n",
				name, sym_path);
			return -1;
		}
		calls[ncalls].addr = syms[i].addr;
		snprintf(calls[ncalls].name, sizeof(calls[ncalls].name), "%s", name);
		snprintf(kname, sizeof(kname), "call %.100s", name);
		calls[ncalls].kind = kind_get(CLASS_CALL, kname);
		ncalls++;
	}
	return 0;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	int i;

	if (strcmp(info->target_name, "aarch64")) {
		fprintf(stderr, "lmbcount: target %s is not aarch64\n",
			info->target_name);
		return -1;
	}
	for (i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (eq && !strncmp(argv[i], "out=", 4)) {
			out_path = eq + 1;
		} else if (eq && !strncmp(argv[i], "symbols=", 8)) {
			sym_path = eq + 1;
		} else if (eq && !strncmp(argv[i], "calls=", 6)) {
			calls_arg = eq + 1;
		} else if (eq && !strncmp(argv[i], "insns=", 6)) {
			if (!strcmp(eq + 1, "on") || !strcmp(eq + 1, "tb"))
				insns_mode = INSNS_TB;
			else if (!strcmp(eq + 1, "insn"))
				insns_mode = INSNS_INSN;
			else if (!strcmp(eq + 1, "off"))
				insns_mode = INSNS_OFF;
			else {
				fprintf(stderr, "lmbcount: bad insns=%s (on, tb, insn or off)\n",
					eq + 1);
				return -1;
			}
		} else if (eq && !strncmp(argv[i], "top=", 4)) {
			char *end;

			top_n = (int)strtol(eq + 1, &end, 10);
			if (*end || top_n < 0 || top_n > 100000) {
				fprintf(stderr, "lmbcount: bad top=%s\n", eq + 1);
				return -1;
			}
		} else {
			fprintf(stderr, "lmbcount: unknown argument '%s' (out=, symbols=, top=, calls=, insns=)\n",
				argv[i]);
			return -1;
		}
	}
	if (out_path && !*out_path) {
		fprintf(stderr, "lmbcount: out= needs a file name\n");
		return -1;
	}
	if (sym_path) {
		int r = syms_load(sym_path);

		if (r == -1)
			fprintf(stderr, "lmbcount: %s: cannot read symbols: %s\n",
				sym_path, strerror(errno));
		if (r)
			return -1;
	}
	if (calls_arg && resolve_calls(calls_arg))
		return -1;
	owner = getpid();
	system_emulation = info->system_emulation;
	case_ids[0] = NO_CASE;
	case_vcpu[0] = -1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb_trans);
	qemu_plugin_register_atexit_cb(id, on_exit_cb, NULL);
	return 0;
}
