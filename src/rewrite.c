#include "rewrite.h"

#include <string.h>

#include "format.h"
#include "pairs.h"

void rewrite_init(struct signal_rewrite *rw)
{
	for (int sig = 0; sig < SIGNAL_LIMIT; sig++)
		rw->to[sig] = (unsigned char)sig;
}

static int add_pair(void *ctx, const char *from, const char *to, char *err, size_t err_size)
{
	struct signal_rewrite *rw = ctx;
	int from_sig = signal_from_name(from, 0);
	int to_sig = signal_from_name(to, 1);

	if (from_sig < 0 || signal_policy(from_sig) != SIGNAL_FORWARD) {
		format(err, err_size, "--rewrite: '%s' is not a signal gracefulinit forwards", from);
		return -1;
	}
	if (to_sig < 0 || (to_sig != 0 && signal_policy(to_sig) == SIGNAL_RESERVED)) {
		format(err, err_size, "--rewrite: '%s' is not a signal", to);
		return -1;
	}
	rw->to[from_sig] = (unsigned char)to_sig;
	return 0;
}

int rewrite_parse(struct signal_rewrite *rw, const char *spec, char *err, size_t err_size)
{
	return pairs_parse(spec, "--rewrite", add_pair, rw, err, err_size);
}

int rewrite_apply(const struct signal_rewrite *rw, int sig)
{
	return sig > 0 && sig < SIGNAL_LIMIT ? rw->to[sig] : sig;
}
