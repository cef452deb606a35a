#include "errtext.h"

#include <errno.h>
#include <string.h>

#include "format.h"

/* Two parallel lists rather than a table of pointers, which in a static-pie
 * would cost a relocation each: the k-th code's text is the k-th string.
 * The errors gracefulinit's calls commonly meet; a rarer one (ENOBUFS, a
 * secret on NFS's ESTALE) is "error N", which errno(1) names (bytes for the
 * size budget). */
static const unsigned short codes[] = {
	EPERM, ENOENT, ESRCH, EINTR, EIO, E2BIG, ENOEXEC, EBADF,
	EAGAIN, ENOMEM, EACCES, EBUSY, EEXIST, ENOTDIR, EISDIR, EINVAL,
	EMFILE, ETXTBSY, ENOSPC, EROFS, EPIPE, ENAMETOOLONG, ENOSYS, ELOOP,
	ENOTSUP, EAFNOSUPPORT, EADDRINUSE, EADDRNOTAVAIL, ENETUNREACH, ECONNRESET, ETIMEDOUT, ECONNREFUSED,
	EHOSTUNREACH, ENOTTY,
};

static const char texts[] =
	"Operation not permitted\0" /* EPERM */
	"No such file or directory\0" /* ENOENT */
	"No such process\0" /* ESRCH */
	"Interrupted system call\0" /* EINTR */
	"I/O error\0" /* EIO */
	"Argument list too long\0" /* E2BIG */
	"Exec format error\0" /* ENOEXEC */
	"Bad file descriptor\0" /* EBADF */
	"Resource temporarily unavailable\0" /* EAGAIN */
	"Out of memory\0" /* ENOMEM */
	"Permission denied\0" /* EACCES */
	"Resource busy\0" /* EBUSY */
	"File exists\0" /* EEXIST */
	"Not a directory\0" /* ENOTDIR */
	"Is a directory\0" /* EISDIR */
	"Invalid argument\0" /* EINVAL */
	"No file descriptors available\0" /* EMFILE */
	"Text file busy\0" /* ETXTBSY */
	"No space left on device\0" /* ENOSPC */
	"Read-only file system\0" /* EROFS */
	"Broken pipe\0" /* EPIPE */
	"Filename too long\0" /* ENAMETOOLONG */
	"Function not implemented\0" /* ENOSYS */
	"Symbolic link loop\0" /* ELOOP */
	"Not supported\0" /* ENOTSUP */
	"Address family not supported by protocol\0" /* EAFNOSUPPORT */
	"Address in use\0" /* EADDRINUSE */
	"Address not available\0" /* EADDRNOTAVAIL */
	"Network unreachable\0" /* ENETUNREACH */
	"Connection reset by peer\0" /* ECONNRESET */
	"Operation timed out\0" /* ETIMEDOUT */
	"Connection refused\0" /* ECONNREFUSED */
	"Host is unreachable\0" /* EHOSTUNREACH */
	"Not a tty\0" /* ENOTTY */;

const char *error_text(int err)
{
	static char unknown[24];
	const char *text = texts;

	for (size_t k = 0; k < sizeof(codes) / sizeof(codes[0]); k++, text += strlen(text) + 1)
		if (codes[k] == err)
			return text;
	format(unknown, sizeof(unknown), "error %d", err);
	return unknown;
}
