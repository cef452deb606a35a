/* no_subreaper COMMAND [ARG...]: runs COMMAND with
 * prctl(PR_SET_CHILD_SUBREAPER) failing with EINVAL, as under qemu-user,
 * through a seccomp filter that exec keeps. Exits 99 when the filter is not
 * in force, so no test passes without it. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH AUDIT_ARCH_AARCH64
#else
#error "no_subreaper: add this architecture's AUDIT_ARCH"
#endif

/* The low 32 bits of the first argument (little-endian). */
#define ARG0 offsetof(struct seccomp_data, args[0])

int main(int argc, char **argv)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_prctl, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PR_SET_CHILD_SUBREAPER, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EINVAL),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(filter) / sizeof(filter[0]), filter };

	if (argc < 2) {
		fprintf(stderr, "usage: no_subreaper COMMAND [ARG...]\n");
		return 2;
	}
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
		perror("no_subreaper: PR_SET_SECCOMP");
		return 99;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0) == 0 || errno != EINVAL) {
		fprintf(stderr, "no_subreaper: PR_SET_CHILD_SUBREAPER still works\n");
		return 99;
	}
	execvp(argv[1], argv + 1);
	perror("no_subreaper: exec");
	return 127;
}
