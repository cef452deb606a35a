"""Files for FROM-scratch test images: a dynamically linked program from the
host's Debian packages, with what it needs to run."""
import os
import shutil
import subprocess


def copy_with_libraries(binary, context):
    """binary and every library ldd names, at their own paths under context."""
    paths = [binary]
    for line in subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout.splitlines():
        paths += [word for word in line.split() if word.startswith("/")]
    for path in paths:
        dest = os.path.join(context, path.lstrip("/"))
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copy(os.path.realpath(path), dest)
