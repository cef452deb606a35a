/* libFuzzer target: options_parse as a whole, flags and environment, and
 * then the --user and --cap values it hands on, parsed as identity_sys.c would.
 *
 * Input: words separated by NUL bytes. The first byte says how many of
 * them are arguments (after argv[0]); the rest are environment entries
 * ("GRACEFULINIT_GRACE=5s"). Each word is its own heap allocation, so ASan
 * sees a read past any word's end. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "caplist.h"
#include "options.h"
#include "identity.h"

#define MAX_WORDS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t split_words(const uint8_t *data, size_t size, char **words)
{
	size_t count = 0;
	size_t start = 0;

	for (size_t i = 0; i <= size && count < MAX_WORDS; i++) {
		if (i < size && data[i] != '\0')
			continue;
		size_t len = i - start;
		words[count] = malloc(len + 1);
		if (words[count] == NULL)
			break;
		memcpy(words[count], data + start, len);
		words[count][len] = '\0';
		count++;
		start = i + 1;
	}
	return count;
}

static void parse_identity(const struct options *opts)
{
	char err[256];
	struct user_spec spec;

	if (opts->identity.user != NULL)
		(void)user_spec_parse(&spec, opts->identity.user, err, sizeof(err));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *words[MAX_WORDS];
	char *argv[MAX_WORDS + 2];
	char *envp[MAX_WORDS + 1];
	struct options opts;
	char err[256];

	if (size < 1 || size > 4096)
		return 0;
	size_t count = split_words(data + 1, size - 1, words);
	size_t argc_words = data[0] % (count + 1);
	argv[0] = "gracefulinit";
	for (size_t i = 0; i < argc_words; i++)
		argv[i + 1] = words[i];
	argv[argc_words + 1] = NULL;
	for (size_t i = argc_words; i < count; i++)
		envp[i - argc_words] = words[i];
	envp[count - argc_words] = NULL;

	err[0] = '\0';
	if (options_parse(&opts, (int)argc_words + 1, argv, envp, err, sizeof(err)) == 0) {
		if (opts.mode == MODE_RUN && (opts.command == NULL || opts.command[0] == NULL))
			abort(); /* a run without a command must be an error */
		if (opts.mode == MODE_RUN)
			parse_identity(&opts);
	} else if (memchr(err, '\0', sizeof(err)) == NULL || err[0] == '\0') {
		abort(); /* every error comes with its message */
	}
	for (size_t i = 0; i < count; i++)
		free(words[i]);
	return 0;
}
