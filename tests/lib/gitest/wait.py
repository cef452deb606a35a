"""Bounded waits: a test that waits for ever proves nothing."""
import time


def _fail(message):
    try:
        import pytest
    except ImportError:  # a script (the demo, the benchmarks) has no pytest
        raise AssertionError(message) from None
    pytest.fail(message)


def wait_until(predicate, timeout, interval=0.01, what="condition"):
    """Polls predicate until it returns something true, and returns that;
    fails (the test, or with AssertionError) after timeout seconds. what may
    be a callable, called at the timeout, to say the state then."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            _fail(f"timed out after {timeout}s waiting for {what() if callable(what) else what}")
        time.sleep(interval)
