"""Where the cococonvert executable is (kept to `os` alone: the console script imports it first)."""

from __future__ import annotations

import os

_BUNDLED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_bin", "cococonvert")


def binary() -> str:
    """The path of the cococonvert executable this package runs.

    ``COCOCONVERT_BINARY`` names another one (a source build, for development); otherwise it is the
    one inside the installed wheel.
    """
    override = os.environ.get("COCOCONVERT_BINARY")
    if override:
        return override
    if os.path.isfile(_BUNDLED):
        return _BUNDLED
    raise FileNotFoundError(
        f"the cococonvert binary is not in this installation ({_BUNDLED}); install the wheel "
        "(./dev wheel builds it) or set COCOCONVERT_BINARY to a build of the command line")
