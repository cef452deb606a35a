#include "errtext.h"

#include <errno.h>
#include <string.h>

#include "format.h"

/* Two parallel lists rather than a table of pointers, which in a static-pie
 * would cost a relocation each: the k-th code's text is the k-th string. */
static const unsigned short codes[] = {
	EPERM, ENOENT, ESRCH, EINTR, EIO, ENXIO, E2BIG, ENOEXEC,
	EBADF, ECHILD, EAGAIN, ENOMEM, EACCES, EFAULT, EBUSY, EEXIST,
	ENODEV, ENOTDIR, EISDIR, EINVAL, ENFILE, EMFILE, ETXTBSY, ENOSPC,
	EROFS, EPIPE, ENAMETOOLONG, ENOSYS, ELOOP, EOVERFLOW, ENOTSUP, EAFNOSUPPORT,
	EADDRINUSE, EADDRNOTAVAIL, ENETDOWN, ENETUNREACH, ECONNRESET, ENOBUFS, ENOTCONN, ETIMEDOUT,
	ECONNREFUSED, EHOSTUNREACH, EPROTONOSUPPORT, ELIBBAD, ENOTTY, EXDEV, ESTALE, EDQUOT,
};

static const char texts[] =
	"Operation not permitted\0" /* EPERM */
	"No such file or directory\0" /* ENOENT */
	"No such process\0" /* ESRCH */
	"Interrupted system call\0" /* EINTR */
	"I/O error\0" /* EIO */
	"No such device or address\0" /* ENXIO */
	"Argument list too long\0" /* E2BIG */
	"Exec format error\0" /* ENOEXEC */
	"Bad file descriptor\0" /* EBADF */
	"No child process\0" /* ECHILD */
	"Resource temporarily unavailable\0" /* EAGAIN */
	"Out of memory\0" /* ENOMEM */
	"Permission denied\0" /* EACCES */
	"Bad address\0" /* EFAULT */
	"Resource busy\0" /* EBUSY */
	"File exists\0" /* EEXIST */
	"No such device\0" /* ENODEV */
	"Not a directory\0" /* ENOTDIR */
	"Is a directory\0" /* EISDIR */
	"Invalid argument\0" /* EINVAL */
	"Too many open files in system\0" /* ENFILE */
	"No file descriptors available\0" /* EMFILE */
	"Text file busy\0" /* ETXTBSY */
	"No space left on device\0" /* ENOSPC */
	"Read-only file system\0" /* EROFS */
	"Broken pipe\0" /* EPIPE */
	"Filename too long\0" /* ENAMETOOLONG */
	"Function not implemented\0" /* ENOSYS */
	"Symbolic link loop\0" /* ELOOP */
	"Value too large for data type\0" /* EOVERFLOW */
	"Not supported\0" /* ENOTSUP */
	"Address family not supported by protocol\0" /* EAFNOSUPPORT */
	"Address in use\0" /* EADDRINUSE */
	"Address not available\0" /* EADDRNOTAVAIL */
	"Network is down\0" /* ENETDOWN */
	"Network unreachable\0" /* ENETUNREACH */
	"Connection reset by peer\0" /* ECONNRESET */
	"No buffer space available\0" /* ENOBUFS */
	"Socket not connected\0" /* ENOTCONN */
	"Operation timed out\0" /* ETIMEDOUT */
	"Connection refused\0" /* ECONNREFUSED */
	"Host is unreachable\0" /* EHOSTUNREACH */
	"Protocol not supported\0" /* EPROTONOSUPPORT */
	"No error information\0" /* ELIBBAD */
	"Not a tty\0" /* ENOTTY */
	"Cross-device link\0" /* EXDEV */
	"Stale file handle\0" /* ESTALE */
	"Quota exceeded\0" /* EDQUOT */;

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
