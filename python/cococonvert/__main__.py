"""``python -m cococonvert`` and the ``cococonvert`` console script: the binary itself."""

from __future__ import annotations

import os
import sys

from ._binary import binary


def main() -> None:
    """Replaces this process with the cococonvert binary, arguments unchanged."""
    path = binary()
    try:
        os.execv(path, ["cococonvert", *sys.argv[1:]])
    except OSError as error:
        sys.exit(f"cococonvert: cannot run {path}: {error}")


if __name__ == "__main__":
    main()
