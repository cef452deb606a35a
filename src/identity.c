#include "identity.h"

#include "log.h"

int identity_resolve(const struct options *opts, struct identity *id)
{
	id->wanted = opts->user != NULL || opts->cap_lists > 0;
	if (id->wanted) {
		log_error("--user and --cap are not implemented yet");
		return -1;
	}
	return 0;
}

int identity_apply(const struct identity *id)
{
	(void)id;
	return 0;
}
