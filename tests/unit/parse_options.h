/* The options as a test gives them: argv and envp as NULL-terminated
 * literals, parsed into one struct options, with the error line in err.
 * For the test files that parse options (test_options.c, test_wait.c). */
#ifndef GRACEFULINIT_TEST_PARSE_OPTIONS_H
#define GRACEFULINIT_TEST_PARSE_OPTIONS_H

#include "options.h"

static struct options opts;
static char err[256];

static int parse(char **argv, char **envp)
{
	int argc = 0;
	while (argv[argc] != NULL)
		argc++;
	err[0] = '\0';
	return options_parse(&opts, argc, argv, envp, err, sizeof(err));
}

#define ARGV(...) ((char *[]){ "gracefulinit", __VA_ARGS__, NULL })
#define ENVP(...) ((char *[]){ __VA_ARGS__, NULL })

#endif
