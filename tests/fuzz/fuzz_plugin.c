// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_plugin.c - libFuzzer target for the lab plugin's argument string
 * and its System.map reader.  The plugin's source is compiled in (its
 * state is static), QEMU's plugin API is stubbed: nothing is translated,
 * only qemu_plugin_install() runs.  Input: the first line is the argument
 * string as QEMU splits it (at ','), the rest is a System.map; a
 * "symbols=" argument naming that file is always added.
 */
#include "lmbcount.c"

/* QEMU's side of the API, as no-ops: install only registers callbacks. */
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   qemu_plugin_vcpu_tb_trans_cb_t cb) { }
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
				    qemu_plugin_udata_cb_t cb, void *userdata) { }
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
					    qemu_plugin_vcpu_udata_cb_t cb,
					    enum qemu_plugin_cb_flags flags,
					    void *userdata) { }
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb,
					  qemu_plugin_vcpu_udata_cb_t cb,
					  enum qemu_plugin_cb_flags flags,
					  void *userdata) { }
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb) { return 0; }
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb,
						 size_t idx) { return NULL; }
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn) { return NULL; }
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn) { return 0; }
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn) { return 0; }

/* Back to a freshly loaded plugin between inputs. */
static void reset(void)
{
	size_t i;

	for (i = 0; i < nsyms; i++)
		free(syms[i].name);
	free(syms);
	syms = NULL;
	nsyms = 0;
	ncalls = 0;
	nkinds = 0;
	out_path = sym_path = NULL;
	calls_arg = NULL;
	top_n = 20;
	insns_mode = INSNS_OFF;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/lmb-fuzz-map.XXXXXX", line[1024], symarg[64];
	char *argv[64], *nl, *save = NULL, *a;
	qemu_info_t info = { .target_name = "aarch64", .system_emulation = true };
	size_t off = size, n;
	int fd, argc = 0;

	nl = memchr(data, '\n', size);
	if (nl)
		off = (size_t)(nl - (const char *)data);
	n = off < sizeof(line) ? off : sizeof(line) - 1;
	memcpy(line, data, n);
	line[n] = 0;
	fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (nl && write(fd, nl + 1, size - off - 1) < 0) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	snprintf(symarg, sizeof(symarg), "symbols=%s", path);
	argv[argc++] = symarg;
	for (a = strtok_r(line, ",", &save); a && argc < 63;
	     a = strtok_r(NULL, ",", &save))
		argv[argc++] = a;
	argv[argc] = NULL;
	qemu_plugin_install(0, &info, argc, argv);
	reset();
	unlink(path);
	return 0;
}
