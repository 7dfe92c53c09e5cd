"""Ctrl-C in the `tinygrad-edu` command: while it starts, and during check-rules; imports
nothing of the package.

- While it starts: the package's imports take a few tenths of a second, before
  `cli.main` can catch anything. When this process is the command (the console
  script, or `python -m tinygrad_edu`), a Ctrl-C in that time prints one line and
  exits 130, as `cli.main` does later; a program or notebook that imports the
  package is left alone. `tinygrad_edu/__init__.py` imports this module first;
  `cli.main` puts the usual KeyboardInterrupt back as soon as it runs.
- `CtrlC`: the block check-rules runs in, so that Ctrl-C always stops it.
"""

from __future__ import annotations

import _thread
import itertools
import os
import signal
import sys
import threading
from types import FrameType
from typing import Any


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


class CtrlC:
    """While check-rules runs: Ctrl-C ends the command every time, and once.

    Hypothesis passes a KeyboardInterrupt on, but not every one reaches it: Python
    drops an exception raised inside a garbage-collector callback (printing "Exception
    ignored in: ... gc_callback") and hypothesis times every collection with one, so
    now and then Ctrl-C lands there and is lost; one that lands while hypothesis sets
    up a run can come out as an error of its own (an AssertionError). So here:

    - the first Ctrl-C raises KeyboardInterrupt and is remembered in `pressed`; later
      ones are ignored, so that clean-up finishes and "interrupted" is said once;
    - what Python drops goes to a list (sys.unraisablehook is the list's append, code
      in C that no Ctrl-C can interrupt), and a helper thread looks at it every
      `PATIENCE` seconds: a KeyboardInterrupt is raised again in the main thread
      (`_thread.interrupt_main`), anything else is printed as Python would have;
    - `stop_if_pressed()` raises it between two rules, and leaving the block after a
      Ctrl-C raises it whatever hypothesis made of it;
    - `hold(True)` ... `hold(False)` keeps what must not be cut short (making and
      removing a folder) from any KeyboardInterrupt: one meanwhile is raised after.

    Outside the main thread, or where Ctrl-C is ignored (a background job), it does
    nothing. After a Ctrl-C, Ctrl-C stays ignored: `cli.main` puts back what it found.
    """

    PATIENCE = 0.02
    """Seconds between two looks at what Python dropped."""

    def __init__(self) -> None:
        self.pressed = False
        self._raise_again = False
        self._held = False
        self._dropped: list[Any] = []
        self._closing = threading.Event()
        self._helper: threading.Thread | None = None
        self._previous_handler: Any = None
        self._previous_hook = sys.unraisablehook

    def __enter__(self) -> CtrlC:
        if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
            return self
        try:
            self._previous_handler = signal.signal(signal.SIGINT, self._on_ctrl_c)
        except ValueError:  # not the main thread, the only one that handles signals
            return self
        self._previous_hook = sys.unraisablehook
        sys.unraisablehook = self._dropped.append
        self._helper = threading.Thread(target=self._look_at_what_was_dropped, daemon=True)
        self._helper.start()
        return self

    def _on_ctrl_c(self, signal_number: int, frame: object) -> None:
        # The first Ctrl-C, or a dropped KeyboardInterrupt raised again, raises;
        # while held, it is only remembered.
        raise_now = self._raise_again or not self.pressed
        self.pressed, self._raise_again = True, False
        if raise_now and not self._held:
            raise KeyboardInterrupt

    def _look_at_what_was_dropped(self) -> None:
        while not self._closing.wait(self.PATIENCE):
            while self._dropped:
                unraisable = self._dropped.pop(0)
                if isinstance(unraisable.exc_value, KeyboardInterrupt):
                    self._raise_again = True
                    _thread.interrupt_main()  # _on_ctrl_c runs next in the main thread
                else:
                    self._previous_hook(unraisable)

    def stop_if_pressed(self) -> None:
        """Raise KeyboardInterrupt if Ctrl-C was pressed (and somehow did not stop the run)."""
        if self.pressed:
            raise KeyboardInterrupt

    def hold(self, held: bool) -> None:
        """Hold Ctrl-C back (it is only remembered), or let it through again: one
        pressed while it was held is raised now."""
        self._held = held
        if not held:
            self.stop_if_pressed()

    def __exit__(self, *exception: object) -> None:
        self._held = True  # from here on nothing is raised before the last line
        if self._helper is not None:
            self._closing.set()
            self._helper.join()
            sys.unraisablehook = self._previous_hook
            for unraisable in self._dropped:  # what came after the helper's last look
                if not isinstance(unraisable.exc_value, KeyboardInterrupt):
                    self._previous_hook(unraisable)
            signal.signal(signal.SIGINT, signal.SIG_IGN if self.pressed else self._previous_handler)
        self.stop_if_pressed()
