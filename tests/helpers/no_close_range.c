/* no_close_range COMMAND [ARG...]: runs COMMAND with close_range(2) failing
 * with ENOSYS, as on kernels before 5.9, through a seccomp filter that exec
 * keeps. The integration tests run gracefulinit under it to take the path
 * that lists /proc/self/fd instead, which CI's kernel never takes. Exits 99
 * when the filter is not in force, so no test passes without it. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
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
#error "no_close_range: add this architecture's AUDIT_ARCH"
#endif

int main(int argc, char **argv)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_close_range, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(filter) / sizeof(filter[0]), filter };

	if (argc < 2) {
		fprintf(stderr, "usage: no_close_range COMMAND [ARG...]\n");
		return 2;
	}
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
		perror("no_close_range: PR_SET_SECCOMP");
		return 99;
	}
	/* An empty range: harmless if the filter did not take. */
	if (syscall(__NR_close_range, ~0U, ~0U, 0) == 0 || errno != ENOSYS) {
		fprintf(stderr, "no_close_range: close_range still works\n");
		return 99;
	}
	execvp(argv[1], argv + 1);
	perror("no_close_range: exec");
	return 127;
}
