/* syscall_fails WHAT COMMAND [ARG...]: runs COMMAND with one system call
 * failing, through a seccomp filter that exec keeps, to take paths CI's
 * kernel never takes:
 *   close_range  close_range(2) fails with ENOSYS, as before Linux 5.9
 *   subreaper    prctl(PR_SET_CHILD_SUBREAPER) fails with EINVAL, as under qemu-user
 * Exits 99 when the filter is not in force, so no test passes without it. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_close_range
#define __NR_close_range 436 /* the same on every architecture */
#endif

#if defined(__x86_64__)
#define ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH AUDIT_ARCH_AARCH64
#else
#error "syscall_fails: add this architecture's AUDIT_ARCH"
#endif

#define LOAD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
#define FAIL(err) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (err))

/* Fails nr with err; with arg0 >= 0, only when the first argument's low 32
 * bits (little-endian) equal it. */
static int install(unsigned nr, long arg0, unsigned err)
{
	struct sock_filter filter[] = {
		LOAD(arch),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0),
		ALLOW,
		LOAD(nr),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 3),
		LOAD(args[0]),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)arg0, 0, 1),
		FAIL(err),
		ALLOW,
	};
	struct sock_fprog prog = { sizeof(filter) / sizeof(filter[0]), filter };

	if (arg0 < 0)
		filter[6] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, 0, 0, 0);
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

int main(int argc, char **argv)
{
	int close_range = argc >= 3 && strcmp(argv[1], "close_range") == 0;
	int subreaper = argc >= 3 && strcmp(argv[1], "subreaper") == 0;

	if (!close_range && !subreaper) {
		fprintf(stderr, "usage: syscall_fails close_range|subreaper COMMAND [ARG...]\n");
		return 2;
	}
	if ((close_range ? install(__NR_close_range, -1, ENOSYS) : install(__NR_prctl, PR_SET_CHILD_SUBREAPER, EINVAL)) != 0) {
		perror("syscall_fails: PR_SET_SECCOMP");
		return 99;
	}
	/* Harmless calls, to see the filter in force: an empty range, "not a subreaper". */
	if (close_range ? syscall(__NR_close_range, ~0U, ~0U, 0) == 0 || errno != ENOSYS
			: prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0) == 0 || errno != EINVAL) {
		fprintf(stderr, "syscall_fails: %s still works\n", argv[1]);
		return 99;
	}
	execvp(argv[2], argv + 2);
	perror("syscall_fails: exec");
	return 127;
}
