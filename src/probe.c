#include "probe.h"

#include "log.h"

int probe_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	log_error("probe: not implemented yet");
	return 1;
}
