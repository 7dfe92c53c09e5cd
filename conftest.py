"""pytest outside tests/: the bridge's doctests need the optional extra 'torch'.

Without torch they are left out locally; under CI (the CI environment variable
set) every extra is installed, so they are always collected there and a missing
torch fails.
"""

from __future__ import annotations

import importlib.util
import os

collect_ignore: list[str] = []
if importlib.util.find_spec("torch") is None and not os.environ.get("CI"):
    collect_ignore += ["tinygrad_edu/bridge.py", "docs/do-tinygrad-edu-ao-pytorch.md"]
