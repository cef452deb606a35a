"""gracefulinit's shared test library: what the integration, end-to-end and
release tests, the guards, the benchmarks and the demo have in common, once.

    wait     wait_until: every wait bounded, failing the test at its limit
    procfs   /proc read as a test needs it: status, stat, children, the PID 1
             of a namespace started with unshare, descendants
    linkmap  the linker's map: placed sections and defined symbols
    elf      readelf's program headers and the RELRO layout rule
    net      free_port: a loopback port for a server a test starts
    nginx    Debian's nginx-light: where it is, a configuration for a test
    rootfs   a host program with its libraries, for a FROM-scratch image
    httpload HTTP clients that count what completes while servers change,
             from inside another network namespace if asked

pytest finds it through tests/pytest.ini (pythonpath); scripts run with
PYTHONPATH=tests/lib, as CTest and bench/run.sh set it.
"""
