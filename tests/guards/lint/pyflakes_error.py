"""lint.sh's self-test: pyflakes must report this undefined name (a helper
renamed in one file and still called in another) and lint.sh must fail."""


def lint_canary():
    return helper_that_was_renamed()  # noqa: F821 would hide it; nothing does here
