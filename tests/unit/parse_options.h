/* The options as a test gives them: argv and envp as NULL-terminated
 * literals, parsed into one struct options, with the error line in err.
 * For the test files that parse options (test_options.c, test_wait.c). */
#ifndef GRACEFULINIT_TEST_PARSE_OPTIONS_H
#define GRACEFULINIT_TEST_PARSE_OPTIONS_H

#include <string.h>

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

/* A usage error: one line naming the value (says), and exit 125. Needs
 * check.h before this header. */
static inline void refused(char **argv, const char *says)
{
	ck_assert_msg(parse(argv, NULL) == -1, "%s %s was accepted", argv[1], argv[2]);
	ck_assert_msg(strstr(err, says) != NULL, "'%s' does not say '%s'", err, says);
	ck_assert_int_eq(options_usage_status(&opts), 125);
}

#endif
