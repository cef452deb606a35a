/* lint.sh's self-test: clang-tidy must report this
 * (bugprone-suspicious-string-compare) and lint.sh must fail on it. Never
 * compiled into anything. */
#include <string.h>

int lint_canary(const char *a, const char *b);

int lint_canary(const char *a, const char *b)
{
	if (strcmp(a, b))
		return 1;
	return 0;
}
