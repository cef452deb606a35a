/* lint.sh's self-test: cppcheck must report this (arrayIndexOutOfBounds). */
int lint_canary(void);

int lint_canary(void)
{
	int a[4] = { 0 };
	return a[4];
}
