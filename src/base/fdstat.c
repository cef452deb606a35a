/* The fstat system call into the kernel's own struct stat (<asm/stat.h>, the
 * layout that architecture's fstat fills), not libc's. musl's fstat goes
 * through fstatat, converts every field, and carries a /proc/self/fd
 * fallback for kernels without AT_EMPTY_PATH, none of which gracefulinit
 * needs (bench/notes.md has the bytes). */
#include "fdstat.h"

#include <asm/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* S_IFMT and S_IFREG, the same on every Linux (<sys/stat.h> would clash
 * with the kernel's struct stat). */
#define MODE_TYPE 0170000
#define MODE_REGULAR 0100000

int fd_facts(int fd, struct fd_facts *facts)
{
	struct stat st;

	if (syscall(SYS_fstat, fd, &st) != 0)
		return -1;
	facts->type = st.st_mode & MODE_TYPE;
	facts->regular = facts->type == MODE_REGULAR;
	facts->size = (long long)st.st_size;
	return 0;
}
