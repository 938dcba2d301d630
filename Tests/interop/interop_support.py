"""What every interop check shares: the pass/fail tally, finding the cococonvert binary, running it.

Not a check itself (run_all.py runs only `*_check.py`); the checks import it from their own directory.
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

passed = 0
failed = 0


def check(ok, what):
    """Counts one expectation; prints it when it fails. Returns `ok`."""
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)
    return ok


def finish():
    """Prints the 'N passed, M failed' line run_all.py reads and exits non-zero on any failure."""
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def binary():
    """The cococonvert to test: argv[1], $COCOCONVERT, or a build in the repository."""
    if len(sys.argv) > 1:
        return sys.argv[1]
    if os.environ.get("COCOCONVERT"):
        return os.environ["COCOCONVERT"]
    for c in (".build/debug/cococonvert", ".build/release/cococonvert"):
        p = os.path.join(ROOT, c)
        if os.path.exists(p):
            return p
    sys.exit("cococonvert binary not found; build it or pass its path")


def run_convert(*args):
    """`cococonvert convert ARGS --quiet`; prints its output when it fails. Returns success."""
    r = subprocess.run([binary(), "convert", *args, "--quiet"], capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stdout, r.stderr)
    return r.returncode == 0
