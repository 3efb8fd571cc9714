// SPDX-License-Identifier: GPL-2.0
/*
 * lazymmu_bench - kernel side of lazymmu-bench's vmalloc, kcalib and kcost
 * storms.
 *
 * debugfs: /sys/kernel/debug/lazymmu_bench/{config,op,selfcheck}.  The
 * contract with user space is bench/kmod/INTERFACE.md; read it first.
 *
 * One "op" is one kernel operation that meets a lazy MMU section:
 *   vmalloc  vmalloc() (vmalloc_huge() with huge=1) and vfree()
 *   vmap     vmap() of pages allocated at config time, and vunmap()
 *   nested   an apply_to_page_range() walk over a reserved kernel area whose
 *            callback allocates a page (with debug_pagealloc=on that maps
 *            the page through set_memory_valid(), a lazy MMU section nested
 *            in the walk's own), installs a valid kernel PTE for it and
 *            then rewrites that PTE K more times ("C" writes)
 *   calib    R rounds of known barriers and TLBIs (kcalib.h), interrupts
 *            off: the emulated lab's kernel-mode calibration
 *   pte, pte0, tlbi-vaale1is, tlbi-vale1is, loop
 *            the cost loops (kcost.h), interrupts off: N iterations of
 *            the barriers after a kernel PTE write, of a broadcast TLBI
 *            and its DSB, or of their overhead loops
 * A read of "op" at offset 0x100 + P marks the op's timed window as phase
 * P and the rest of it as "untimed", with the markers of bench/phase.h.
 * "selfcheck" reports which lazy MMU nesting semantics this kernel has.
 *
 * init_mm is not exported to modules.  bench/kmod/build reads its offset
 * from init_task (which is exported) in the tree's System.map and passes
 * it in as LMB_INIT_MM_OFFSET; KASLR moves the whole image, so the offset
 * holds at run time.  Module init verifies the result by walking its page
 * tables (with nofault reads) to a PTE vmap() has just written, and
 * refuses to load if that fails.
 *
 * The kernel virtual areas are reserved with vmap() of a dummy page, then
 * cleared: get_vm_area() is not exported either, and vmap() leaves the
 * page tables of the whole range populated, which the nested walk needs
 * (it must not allocate page tables while it is timed).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pgtable.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/stringify.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/tlbflush.h>

#include "../phase.h"
#include "interface.h"
#include "kcalib.h"
#include "kcost.h"

#ifndef LMB_INIT_MM_OFFSET
#error "LMB_INIT_MM_OFFSET (&init_mm - &init_task) is not set: build with bench/kmod/build"
#endif

/* Limits of the config file (pages, writes: interface.h); INTERFACE.md. */
#define LMB_CONFIG_LEN	128	/* longest accepted config write, bytes */

#define LMB_OP_TEXT	21	/* longest answer: 20 digits and '\n' */
#define LMB_NO_PHASE	(-1)	/* an op read at offset 0: no markers */

/*
 * Allocations made inside a lazy MMU section (the nested walk's callback,
 * the selfcheck's nested allocation) must not sleep: include/linux/pgtable.h
 * lets an architecture implement the mode by disabling preemption, "as a
 * consequence generic code may not sleep while the lazy MMU mode is
 * active".  arm64 keeps the state per task and would survive a sleep, but
 * this code is generic.  GFP_NOWAIT is also what the real nested case,
 * tlb_next_batch() under zap_pte_range(), uses; with debug_pagealloc=on
 * the page is mapped by post_alloc_hook() the same way for any gfp mask.
 */
#define LMB_INNER_GFP	(GFP_NOWAIT | __GFP_NOWARN)

/* LMB_KCOST_*: the cost loops, named as kcost.h names them. */
enum lmb_mode {
	LMB_VMALLOC,
	LMB_VMAP,
	LMB_NESTED,
	LMB_CALIB,
	LMB_KCOST_PTE,
	LMB_KCOST_PTE0,
	LMB_KCOST_TLBI_VAALE1IS,
	LMB_KCOST_TLBI_VALE1IS,
	LMB_KCOST_LOOP,
};

static const char * const lmb_mode_names[] = {
	[LMB_VMALLOC] = "vmalloc",
	[LMB_VMAP] = "vmap",
	[LMB_NESTED] = "nested",
	[LMB_CALIB] = "calib",
	[LMB_KCOST_PTE] = KCOST_PTE,
	[LMB_KCOST_PTE0] = KCOST_PTE0,
	[LMB_KCOST_TLBI_VAALE1IS] = KCOST_TLBI_VAALE1IS,
	[LMB_KCOST_TLBI_VALE1IS] = KCOST_TLBI_VALE1IS,
	[LMB_KCOST_LOOP] = KCOST_LOOP,
};

struct lmb_config {
	enum lmb_mode mode;
	unsigned int pages;
	unsigned int huge;
	unsigned int writes;
};

static struct {
	struct mutex lock;	/* everything below, and each op */
	bool configured;
	struct lmb_config cfg;
	struct page **pages;	/* vmap: the mapped pages; nested: per op */
	void *area;		/* nested: the reserved area (cfg.pages) */
	pid_t owner;		/* tgid holding "op" open, if owner_opens */
	unsigned int owner_opens;
} lmb = {
	.lock = __MUTEX_INITIALIZER(lmb.lock),
};

static struct mm_struct *lmb_init_mm;	/* &init_mm, verified */
static struct page *lmb_dummy;		/* maps reserved areas until cleared */
static struct dentry *lmb_dir;

#ifdef CONFIG_ARM64
/*
 * One reserved page: the selfcheck's probe, whose PTE it writes, the page
 * the pte and pte0 cost loops map and rewrite (lmb_probe_lock held, and
 * cleared again before the op returns), and the page the TLBIs of calib
 * and of the TLBI cost loops invalidate (harmless whether it is mapped or
 * not).
 */
static DEFINE_MUTEX(lmb_probe_lock);
static void *lmb_probe_area;
static pte_t *lmb_probe_ptep;
#endif

/* --- kernel page tables ------------------------------------------------ */

/*
 * Walk @mm's page tables to @addr with nofault reads (@mm is only a
 * candidate until this succeeds) and return the PTE pointer if it maps
 * @pfn, or NULL.
 */
static pte_t *lmb_walk_check(struct mm_struct *mm, unsigned long addr,
			     unsigned long pfn)
{
	pgd_t *pgdir, *pgdp, pgd;
	p4d_t *p4dp, p4d;
	pud_t *pudp, pud;
	pmd_t *pmdp, pmd;
	pte_t *ptep, pte;

	if (copy_from_kernel_nofault(&pgdir, &mm->pgd, sizeof(pgdir)))
		return NULL;
	pgdp = pgd_offset_pgd(pgdir, addr);
	if (copy_from_kernel_nofault(&pgd, pgdp, sizeof(pgd)) ||
	    pgd_none(pgd) || pgd_bad(pgd))
		return NULL;
	p4dp = p4d_offset_lockless(pgdp, pgd, addr);
	if (copy_from_kernel_nofault(&p4d, p4dp, sizeof(p4d)) ||
	    p4d_none(p4d) || p4d_bad(p4d))
		return NULL;
	pudp = pud_offset_lockless(p4dp, p4d, addr);
	if (copy_from_kernel_nofault(&pud, pudp, sizeof(pud)) ||
	    pud_none(pud) || pud_bad(pud))
		return NULL;
	pmdp = pmd_offset_lockless(pudp, pud, addr);
	if (copy_from_kernel_nofault(&pmd, pmdp, sizeof(pmd)) ||
	    pmd_none(pmd) || pmd_bad(pmd))
		return NULL;
	ptep = pte_offset_kernel(&pmd, addr);
	if (copy_from_kernel_nofault(&pte, ptep, sizeof(pte)) ||
	    !pte_present(pte) || pte_pfn(pte) != pfn)
		return NULL;
	return ptep;
}

static int lmb_clear_pte(pte_t *ptep, unsigned long addr, void *data)
{
	if (!pte_none(ptep_get(ptep)))
		pte_clear(lmb_init_mm, addr, ptep);
	return 0;
}

/* Clear the PTEs of [addr, addr + size) and flush the kernel TLB. */
static void lmb_clear_range(unsigned long addr, unsigned long size)
{
	/* The page tables are there: this walk allocates nothing. */
	WARN_ON(apply_to_page_range(lmb_init_mm, addr, size, lmb_clear_pte,
				    NULL));
	flush_tlb_kernel_range(addr, addr + size);
}

/*
 * Reserve @n pages of kernel virtual space with their page tables
 * populated and every PTE none.  @scratch holds @n page pointers and is
 * left zeroed.  Undo with vunmap().
 */
static void *lmb_reserve(unsigned int n, struct page **scratch)
{
	unsigned int i;
	void *area;

	for (i = 0; i < n; i++)
		scratch[i] = lmb_dummy;
	area = vmap(scratch, n, VM_MAP, PAGE_KERNEL);
	memset(scratch, 0, n * sizeof(*scratch));
	if (!area)
		return NULL;
	lmb_clear_range((unsigned long)area, (unsigned long)n << PAGE_SHIFT);
	return area;
}

/* --- configuration ----------------------------------------------------- */

/* Free what the current configuration holds; lmb.lock held. */
static void lmb_unconfigure(void)
{
	unsigned int i;

	if (lmb.configured && lmb.cfg.mode == LMB_VMAP) {
		for (i = 0; i < lmb.cfg.pages; i++)
			if (lmb.pages[i])
				__free_page(lmb.pages[i]);
	}
	if (lmb.area)
		vunmap(lmb.area);
	lmb.area = NULL;
	kvfree(lmb.pages);
	lmb.pages = NULL;
	lmb.configured = false;
}

/* Take over @cfg; lmb.lock held.  On failure nothing is configured. */
static int lmb_configure(const struct lmb_config *cfg)
{
	unsigned int i;

	lmb_unconfigure();
	/* Only vmap and nested hold memory between ops. */
	if (cfg->mode != LMB_VMAP && cfg->mode != LMB_NESTED)
		goto done;

	lmb.pages = kvcalloc(cfg->pages, sizeof(*lmb.pages), GFP_KERNEL);
	if (!lmb.pages)
		return -ENOMEM;
	if (cfg->mode == LMB_VMAP) {
		for (i = 0; i < cfg->pages; i++) {
			/* Fail with -ENOMEM rather than call the OOM killer. */
			lmb.pages[i] = alloc_page(GFP_KERNEL | __GFP_NORETRY |
						  __GFP_NOWARN);
			if (!lmb.pages[i])
				goto nomem;
		}
	} else {
		lmb.area = lmb_reserve(cfg->pages, lmb.pages);
		if (!lmb.area)
			goto nomem;
	}
done:
	lmb.cfg = *cfg;
	lmb.configured = true;
	return 0;
nomem:
	lmb.cfg = *cfg;		/* lmb_unconfigure() needs mode and pages */
	lmb.configured = true;
	lmb_unconfigure();
	return -ENOMEM;
}

/*
 * "mode=<vmalloc|vmap|nested|calib|pte|pte0|tlbi-vaale1is|tlbi-vale1is|loop>
 * pages=<N> huge=<0|1> writes=<K>": all four keys once each, in any order,
 * separated by blanks.
 */
static int lmb_parse(char *buf, struct lmb_config *cfg)
{
	unsigned int seen = 0, bit;
	char *tok, *val;
	int ret;

	while ((tok = strsep(&buf, " \t\n")) != NULL) {
		if (!*tok)
			continue;
		val = strchr(tok, '=');
		if (!val)
			return -EINVAL;
		*val++ = '\0';
		if (!strcmp(tok, "mode")) {
			bit = 0;
			ret = match_string(lmb_mode_names,
					   ARRAY_SIZE(lmb_mode_names), val);
			if (ret >= 0)
				cfg->mode = ret;
		} else if (!strcmp(tok, "pages")) {
			bit = 1;
			ret = kstrtouint(val, 10, &cfg->pages);
		} else if (!strcmp(tok, "huge")) {
			bit = 2;
			ret = kstrtouint(val, 10, &cfg->huge);
		} else if (!strcmp(tok, "writes")) {
			bit = 3;
			ret = kstrtouint(val, 10, &cfg->writes);
		} else {
			return -EINVAL;
		}
		if (ret < 0 || (seen & BIT(bit)))
			return -EINVAL;
		seen |= BIT(bit);
	}
	if (seen != 0xf || !cfg->pages || cfg->pages > LMB_PAGES_MAX ||
	    cfg->huge > 1 || cfg->writes > LMB_WRITES_MAX)
		return -EINVAL;
	/* Only vmalloc can map huge; writes only matter to nested. */
	if (cfg->huge && cfg->mode != LMB_VMALLOC)
		return -EINVAL;
	return 0;
}

static ssize_t lmb_config_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct lmb_config cfg;
	char buf[LMB_CONFIG_LEN];
	int ret;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	ret = lmb_parse(buf, &cfg);
	if (ret)
		return ret;

	/* Not while an op runs, nor while another process holds "op". */
	if (!mutex_trylock(&lmb.lock))
		return -EBUSY;
	if (lmb.owner_opens && lmb.owner != current->tgid)
		ret = -EBUSY;
	else
		ret = lmb_configure(&cfg);
	mutex_unlock(&lmb.lock);
	return ret ? ret : count;
}

static const struct file_operations lmb_config_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = lmb_config_write,
	.llseek = noop_llseek,
};

/* --- phase markers ----------------------------------------------------- */

/*
 * Enter @phase for an outside observer: "hint #(0x70 + phase)", a NOP
 * (bench/phase.h has the encoding; the lab's plugin counts by it).  HINT
 * takes an immediate, hence one instruction per phase.
 */
#ifdef CONFIG_ARM64
#define LMB_MARK(p)							\
	case (p):							\
		asm volatile("hint #%0" : : "i" (PHASE_MARK_BASE + (p))	\
			     : "memory");				\
		break

static __always_inline void lmb_mark(int phase)
{
	BUILD_BUG_ON(PHASE_MARK_BASE + PHASE_NR > PHASE_MARK_ID);
	switch (phase) {
	LMB_MARK(PHASE_IDLE);
	LMB_MARK(PHASE_SETUP);
	LMB_MARK(PHASE_WARMUP);
	LMB_MARK(PHASE_MEASURE);
	LMB_MARK(PHASE_PREP);
	LMB_MARK(PHASE_CALIB);
	LMB_MARK(PHASE_UNTIMED);
	}
}
#undef LMB_MARK
#else
static __always_inline void lmb_mark(int phase)
{
}
#endif

/*
 * An op's timed window: the caller's @phase (LMB_NO_PHASE: no markers)
 * from just before the first clock read to just after the second; the
 * rest of the op (the syscall around it, the untimed teardown) is
 * "untimed", which the harness entered before the read.
 */
static __always_inline u64 lmb_window_start(int phase)
{
	if (phase != LMB_NO_PHASE)
		lmb_mark(phase);
	return ktime_get_ns();
}

static __always_inline u64 lmb_window_end(int phase, u64 t0)
{
	u64 ns = ktime_get_ns() - t0;

	if (phase != LMB_NO_PHASE)
		lmb_mark(PHASE_UNTIMED);
	return ns;
}

/* --- ops --------------------------------------------------------------- */

struct lmb_walk {
	unsigned long start;
	struct page **pages;
	unsigned int writes;
};

/* apply_to_page_range() callback, inside the walk's lazy MMU section. */
static int lmb_nested_pte(pte_t *ptep, unsigned long addr, void *data)
{
	struct lmb_walk *w = data;
	struct page *page;
	unsigned int k;
	pte_t pte;

	/* With debug_pagealloc=on: a nested lazy MMU section. */
	page = alloc_page(LMB_INNER_GFP);
	if (!page)
		return -ENOMEM;
	w->pages[(addr - w->start) >> PAGE_SHIFT] = page;
	pte = mk_pte(page, PAGE_KERNEL);
	set_pte_at(lmb_init_mm, addr, ptep, pte);
	/*
	 * The "C" writes: the same valid kernel PTE again, unchanged (no
	 * break-before-make needed).  Each goes through __set_pte_complete()
	 * and so queue_pte_barriers(): deferred while the mode is active,
	 * dsb(ishst); isb() at once when it is not.
	 */
	for (k = 0; k < w->writes; k++)
		set_pte_at(lmb_init_mm, addr, ptep, pte);
	return 0;
}

static int lmb_op_nested(int phase, u64 *ns)
{
	unsigned long start = (unsigned long)lmb.area;
	unsigned long size = (unsigned long)lmb.cfg.pages << PAGE_SHIFT;
	struct lmb_walk w = {
		.start = start,
		.pages = lmb.pages,
		.writes = lmb.cfg.writes,
	};
	unsigned int i;
	u64 t0;
	int ret;

	t0 = lmb_window_start(phase);
	ret = apply_to_page_range(lmb_init_mm, start, size, lmb_nested_pte, &w);
	*ns = lmb_window_end(phase, t0);

	/* Untimed: unmap, flush, free, so that nothing accumulates. */
	lmb_clear_range(start, size);
	for (i = 0; i < lmb.cfg.pages; i++) {
		if (lmb.pages[i])
			__free_page(lmb.pages[i]);
		lmb.pages[i] = NULL;
	}
	return ret;
}

#ifdef CONFIG_ARM64
/*
 * The kernel-mode loops (calib and the cost loops): preemption, then
 * interrupts off, the clock read, then the marker; the marked window holds
 * what the caller runs between lmb_loop_start() and lmb_loop_end() and
 * nothing else, so its counts on the op's CPU are exactly the loop's.
 * The clock reads are just outside the window: kernel_ns covers the loop,
 * the two markers and part of a clock read.
 */
static __always_inline u64 lmb_loop_start(int phase, unsigned long *flags)
{
	u64 t0;

	preempt_disable();
	local_irq_save(*flags);
	t0 = ktime_get_ns();
	if (phase != LMB_NO_PHASE)
		lmb_mark(phase);
	return t0;
}

static __always_inline u64 lmb_loop_end(int phase, u64 t0,
					unsigned long flags)
{
	u64 ns;

	if (phase != LMB_NO_PHASE)
		lmb_mark(PHASE_UNTIMED);
	ns = ktime_get_ns() - t0;
	local_irq_restore(flags);
	preempt_enable();
	return ns;
}

/*
 * One calibration round: each kind of kcalib.h its number of times, in one
 * asm statement (volatile, with a memory clobber: the compiler can
 * neither drop, merge nor move it).  @va is a TLBI VA operand.  A kind
 * added to KCALIB_KINDS must be added here too: the lab's import checks
 * every kind, so one missing here fails the calibration.
 */
static __always_inline void lmb_calib_round(unsigned long va)
{
	asm volatile(
		".rept " __stringify(KCALIB_DSB_ISH) "\n\tdsb ish\n\t.endr\n\t"
		".rept " __stringify(KCALIB_DSB_ISHST) "\n\tdsb ishst\n\t.endr\n\t"
		".rept " __stringify(KCALIB_DMB_ISH) "\n\tdmb ish\n\t.endr\n\t"
		".rept " __stringify(KCALIB_DMB_ISHLD) "\n\tdmb ishld\n\t.endr\n\t"
		".rept " __stringify(KCALIB_ISB) "\n\tisb\n\t.endr\n\t"
		".rept " __stringify(KCALIB_TLBI_VALE1IS) "\n\ttlbi vale1is, %x0\n\t.endr"
		: : "r" (va) : "memory");
}

/*
 * The TLBI VA operand for the probe page: VA[55:12] in bits 43:0, ASID 0,
 * what __TLBI_VADDR(addr, 0) gives (asm/tlbflush.h #undefs it in 7.2).
 */
static unsigned long lmb_probe_tlbi_va(void)
{
	return ((unsigned long)lmb_probe_area >> 12) & GENMASK_ULL(43, 0);
}

/* calib: cfg.pages rounds with preemption and interrupts off. */
static int lmb_op_calib(int phase, u64 *ns)
{
	unsigned long va = lmb_probe_tlbi_va();
	unsigned int rounds = lmb.cfg.pages, r;
	unsigned long flags;
	u64 t0;

	t0 = lmb_loop_start(phase, &flags);
	for (r = 0; r < rounds; r++)
		lmb_calib_round(va);
	*ns = lmb_loop_end(phase, t0, flags);
	return 0;
}

/*
 * pte and pte0: cfg.pages writes of the same valid kernel PTE, the probe
 * page's (the dummy page, PAGE_KERNEL), with preemption and interrupts
 * off.  pte writes it with __set_pte(), what set_pte() and set_pte_at()
 * come down to for one page: the store, then __set_pte_complete(), which
 * for a valid kernel PTE outside lazy MMU mode (this task is not in it,
 * and in_interrupt() is false) is emit_pte_barriers(): dsb(ishst); isb().
 * pte0 writes it with __set_pte_nosync(), the store alone.  The PTE is
 * made valid first, outside the window, so every iteration rewrites it
 * unchanged (no break-before-make needed); afterwards it is cleared and
 * the page's kernel TLB entries flushed, as the selfcheck leaves it.
 */
static int lmb_op_pte(int phase, u64 *ns)
{
	bool barriers = lmb.cfg.mode == LMB_KCOST_PTE;
	unsigned int n = lmb.cfg.pages, i;
	pte_t *ptep = lmb_probe_ptep;
	unsigned long flags;
	pte_t pte;
	u64 t0;

	mutex_lock(&lmb_probe_lock);
	pte = mk_pte(lmb_dummy, PAGE_KERNEL);
	__set_pte(ptep, pte);
	t0 = lmb_loop_start(phase, &flags);
	if (barriers) {
		for (i = 0; i < n; i++)
			__set_pte(ptep, pte);
	} else {
		for (i = 0; i < n; i++)
			__set_pte_nosync(ptep, pte);
	}
	*ns = lmb_loop_end(phase, t0, flags);
	lmb_clear_range((unsigned long)lmb_probe_area, PAGE_SIZE);
	mutex_unlock(&lmb_probe_lock);
	return 0;
}

/*
 * tlbi-vaale1is, tlbi-vale1is and loop: cfg.pages iterations of a
 * broadcast TLBI of the probe page and the dsb(ish) that completes it
 * (flush_tlb_kernel_range()'s sequence for one page, less its leading
 * dsb(ishst) and trailing isb(); the kernel's __tlbi_sync_s1ish_kernel()
 * is this dsb(ish) and, only on CPUs with the repeat-TLBI erratum, a
 * second TLBI and DSB, which a fixed count cannot have), or of the same
 * loop with an empty asm statement that keeps the operand live instead.
 * Preemption and interrupts are off.
 */
static int lmb_op_tlbi(int phase, u64 *ns)
{
	unsigned long va = lmb_probe_tlbi_va();
	enum lmb_mode mode = lmb.cfg.mode;
	unsigned int n = lmb.cfg.pages, i;
	unsigned long flags;
	u64 t0;

	t0 = lmb_loop_start(phase, &flags);
	switch (mode) {
	case LMB_KCOST_TLBI_VAALE1IS:
		for (i = 0; i < n; i++) {
			__tlbi(vaale1is, va);
			dsb(ish);
		}
		break;
	case LMB_KCOST_TLBI_VALE1IS:
		for (i = 0; i < n; i++) {
			__tlbi(vale1is, va);
			dsb(ish);
		}
		break;
	default:
		for (i = 0; i < n; i++)
			asm volatile("" : : "r" (va) : "memory");
		break;
	}
	*ns = lmb_loop_end(phase, t0, flags);
	return 0;
}
#else
static int lmb_op_calib(int phase, u64 *ns)
{
	return -EOPNOTSUPP;
}

static int lmb_op_pte(int phase, u64 *ns)
{
	return -EOPNOTSUPP;
}

static int lmb_op_tlbi(int phase, u64 *ns)
{
	return -EOPNOTSUPP;
}
#endif /* CONFIG_ARM64 */

/*
 * Run one op of the current configuration; lmb.lock held.  @phase: mark
 * the timed window as that phase, or LMB_NO_PHASE.
 */
static int lmb_run_op(int phase, u64 *ns)
{
	unsigned long size = (unsigned long)lmb.cfg.pages << PAGE_SHIFT;
	void *p;
	u64 t0;

	if (!lmb.configured)
		return -ENODATA;

	switch (lmb.cfg.mode) {
	case LMB_VMALLOC:
		t0 = lmb_window_start(phase);
		p = lmb.cfg.huge ? vmalloc_huge(size, GFP_KERNEL) :
				   vmalloc(size);
		if (p)
			vfree(p);
		*ns = lmb_window_end(phase, t0);
		return p ? 0 : -ENOMEM;
	case LMB_VMAP:
		t0 = lmb_window_start(phase);
		p = vmap(lmb.pages, lmb.cfg.pages, VM_MAP, PAGE_KERNEL);
		if (p)
			vunmap(p);
		*ns = lmb_window_end(phase, t0);
		return p ? 0 : -ENOMEM;
	case LMB_NESTED:
		return lmb_op_nested(phase, ns);
	case LMB_CALIB:
		return lmb_op_calib(phase, ns);
	case LMB_KCOST_PTE:
	case LMB_KCOST_PTE0:
		return lmb_op_pte(phase, ns);
	case LMB_KCOST_TLBI_VAALE1IS:
	case LMB_KCOST_TLBI_VALE1IS:
	case LMB_KCOST_LOOP:
		return lmb_op_tlbi(phase, ns);
	}
	return -EINVAL;
}

static int lmb_op_open(struct inode *inode, struct file *file)
{
	int ret;

	ret = mutex_lock_interruptible(&lmb.lock);
	if (ret)
		return ret;
	if (lmb.owner_opens && lmb.owner != current->tgid) {
		ret = -EBUSY;
	} else {
		lmb.owner = current->tgid;
		lmb.owner_opens++;
	}
	mutex_unlock(&lmb.lock);
	return ret;
}

static int lmb_op_release(struct inode *inode, struct file *file)
{
	mutex_lock(&lmb.lock);
	lmb.owner_opens--;
	mutex_unlock(&lmb.lock);
	return 0;
}

/*
 * At offset 0: one op, no markers, its duration as text; the file offset
 * moves past it, so the next read() is at end of file (cat op).  At
 * LMB_OP_MARKED + P (P a phase of bench/phase.h): one op marked as phase
 * P; the whole answer or nothing (@count >= LMB_OP_TEXT), the offset is
 * left alone.  Other offsets below LMB_OP_MARKED: end of file.
 */
static ssize_t lmb_op_read(struct file *file, char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	int phase = LMB_NO_PHASE;
	char buf[LMB_OP_TEXT + 1];
	loff_t pos = *ppos;
	u64 ns = 0;
	int ret, len;

	if (pos >= LMB_OP_MARKED) {
		if (pos >= LMB_OP_MARKED + PHASE_NR || count < LMB_OP_TEXT)
			return -EINVAL;
		phase = pos - LMB_OP_MARKED;
	} else if (pos) {
		return 0;
	}
	/* One op at a time (the owner's other threads get -EBUSY). */
	if (!mutex_trylock(&lmb.lock))
		return -EBUSY;
	ret = lmb_run_op(phase, &ns);
	mutex_unlock(&lmb.lock);
	if (ret)
		return ret;
	len = scnprintf(buf, sizeof(buf), "%llu\n", ns);
	if (phase == LMB_NO_PHASE)
		return simple_read_from_buffer(ubuf, count, ppos, buf, len);
	if (copy_to_user(ubuf, buf, len))
		return -EFAULT;
	return len;
}

static const struct file_operations lmb_op_fops = {
	.owner = THIS_MODULE,
	.open = lmb_op_open,
	.release = lmb_op_release,
	.read = lmb_op_read,
	.llseek = default_llseek,
};

/* --- selfcheck --------------------------------------------------------- */

#ifdef CONFIG_ARM64
struct lmb_fact {
	bool active;
	bool deferred;
};

/*
 * Is the mode active, and would a valid kernel PTE write made now be
 * deferred?  Flush first so that TIF_LAZY_MMU_PENDING starts clear.
 */
static void lmb_probe(struct lmb_fact *f, pte_t pte)
{
	unsigned long addr = (unsigned long)lmb_probe_area;

	f->active = is_lazy_mmu_mode_active();
	if (f->active)
		arch_flush_lazy_mmu_mode();
	set_pte_at(lmb_init_mm, addr, lmb_probe_ptep, pte);
	f->deferred = test_thread_flag(TIF_LAZY_MMU_PENDING);
}

/*
 * Preemption stays enabled: the state examined is the task's own
 * (current->lazy_mmu_state and its thread flags), which a context switch
 * or a migration carries along, and interrupts do not touch it
 * (lazy_mmu_mode_*() do nothing in interrupt context, and there
 * queue_pte_barriers() emits at once).  Disabling preemption would change
 * nothing but the gfp mask the nested allocation may use.
 */
static int lmb_selfcheck_show(struct seq_file *m, void *v)
{
	static const char * const step[] = {
		"enable", "enable2", "alloc", "disable2", "disable",
	};
	unsigned long addr = (unsigned long)lmb_probe_area;
	struct lmb_fact f[ARRAY_SIZE(step)];
	struct page *page;
	pte_t pte;
	int i;

	mutex_lock(&lmb_probe_lock);
	pte = mk_pte(lmb_dummy, PAGE_KERNEL);
	lazy_mmu_mode_enable();
	lmb_probe(&f[0], pte);
	lazy_mmu_mode_enable();
	lmb_probe(&f[1], pte);
	/* With debug_pagealloc=on this opens and closes a third section. */
	page = alloc_page(LMB_INNER_GFP);
	lmb_probe(&f[2], pte);
	lazy_mmu_mode_disable();
	lmb_probe(&f[3], pte);
	lazy_mmu_mode_disable();
	lmb_probe(&f[4], pte);
	if (page)
		__free_page(page);
	lmb_clear_range(addr, PAGE_SIZE);
	mutex_unlock(&lmb_probe_lock);

	if (!page)
		return -ENOMEM;
	seq_printf(m, "debug_pagealloc=%d\n", debug_pagealloc_enabled());
	for (i = 0; i < ARRAY_SIZE(step); i++)
		seq_printf(m, "%s active=%d deferred=%d\n", step[i],
			   f[i].active, f[i].deferred);
	return 0;
}

static int lmb_selfcheck_open(struct inode *inode, struct file *file)
{
	return single_open(file, lmb_selfcheck_show, NULL);
}
#else
static int lmb_selfcheck_open(struct inode *inode, struct file *file)
{
	return -EOPNOTSUPP;
}
#endif /* CONFIG_ARM64 */

static const struct file_operations lmb_selfcheck_fops = {
	.owner = THIS_MODULE,
	.open = lmb_selfcheck_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

/* --- init and exit ----------------------------------------------------- */

/*
 * Find init_mm at init_task + LMB_INIT_MM_OFFSET and make sure it is the
 * kernel's: its page tables must lead to the PTE vmap() wrote for @area.
 */
static int lmb_find_init_mm(void *area)
{
	struct mm_struct *mm;
	pte_t *ptep;

	mm = (void *)((unsigned long)&init_task + (long)LMB_INIT_MM_OFFSET);
	ptep = lmb_walk_check(mm, (unsigned long)area, page_to_pfn(lmb_dummy));
	if (!ptep) {
		pr_err("init_mm is not at init_task%+ld: module built against another kernel build?\n",
		       (long)LMB_INIT_MM_OFFSET);
		return -ENOEXEC;
	}
	lmb_init_mm = mm;
#ifdef CONFIG_ARM64
	lmb_probe_ptep = ptep;
#endif
	return 0;
}

static void lmb_free_probe(void)
{
#ifdef CONFIG_ARM64
	if (lmb_probe_area)
		vunmap(lmb_probe_area);
	lmb_probe_area = NULL;
#endif
}

static int __init lmb_init(void)
{
	struct page *one[1];
	void *area;
	int ret;

	lmb_dummy = alloc_page(GFP_KERNEL);
	if (!lmb_dummy)
		return -ENOMEM;
	one[0] = lmb_dummy;
	area = vmap(one, 1, VM_MAP, PAGE_KERNEL);
	if (!area) {
		ret = -ENOMEM;
		goto err_page;
	}
	ret = lmb_find_init_mm(area);
	if (ret) {
		vunmap(area);
		goto err_page;
	}
	lmb_clear_range((unsigned long)area, PAGE_SIZE);
#ifdef CONFIG_ARM64
	lmb_probe_area = area;	/* the selfcheck's probe page */
#else
	vunmap(area);
#endif

	lmb_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(lmb_dir)) {
		ret = PTR_ERR(lmb_dir);
		goto err_probe;
	}
	debugfs_create_file("config", 0200, lmb_dir, NULL, &lmb_config_fops);
	debugfs_create_file("op", 0400, lmb_dir, NULL, &lmb_op_fops);
	debugfs_create_file("selfcheck", 0400, lmb_dir, NULL,
			    &lmb_selfcheck_fops);
	return 0;

err_probe:
	lmb_free_probe();
err_page:
	__free_page(lmb_dummy);
	return ret;
}

static void __exit lmb_exit(void)
{
	/* Waits for handlers that are running; no new ones start. */
	debugfs_remove(lmb_dir);
	mutex_lock(&lmb.lock);
	lmb_unconfigure();
	mutex_unlock(&lmb.lock);
	lmb_free_probe();
	__free_page(lmb_dummy);
}

module_init(lmb_init);
module_exit(lmb_exit);

MODULE_DESCRIPTION("lazymmu-bench: vmalloc/vmap/nested lazy MMU storms, calibration, cost loops and selfcheck");
MODULE_LICENSE("GPL");
