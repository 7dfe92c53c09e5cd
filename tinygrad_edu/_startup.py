"""Ctrl-C while the `tinygrad-edu` command is still starting; imports nothing of the package.

The package's imports take a few tenths of a second, before `cli.main` can catch
anything. When this process is the command (the console script, or
`python -m tinygrad_edu`), a Ctrl-C in that time prints one line and exits 130,
as `cli.main` does later; a program or notebook that imports the package is left
alone. `tinygrad_edu/__init__.py` imports this module first; `cli.main` puts the
usual KeyboardInterrupt back as soon as it runs.
"""

from __future__ import annotations

import itertools
import os
import signal
import sys
from types import FrameType


def started_as_the_command() -> bool:
    """Is this process `tinygrad-edu` or `python -m tinygrad_edu ...`?"""
    if os.path.basename(sys.argv[0]) == "tinygrad-edu":
        return True
    given = getattr(sys, "orig_argv", [])
    return any(a == "-m" and b == "tinygrad_edu" for a, b in itertools.pairwise(given))


def interrupted_while_starting(signum: int, frame: FrameType | None) -> None:
    """One line and exit 130; nothing has been written yet, so nothing needs undoing."""
    sys.stderr.write("tinygrad-edu: interrupted\n")
    sys.stderr.flush()
    os._exit(130)


if started_as_the_command() and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
    signal.signal(signal.SIGINT, interrupted_while_starting)
