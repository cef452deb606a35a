/* lint.sh's self-test: a clang-tidy "error:" (the compiler's, through
 * clang-diagnostic-error), which the old lint let pass. Never compiled. */
int lint_canary(void);

int lint_canary(void)
{
	return undeclared_name;
}
