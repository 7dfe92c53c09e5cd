"""pytest for the whole project: a fresh op registry for every test, and the bridge's doctests.

Every test and every doctest page (docs/*.md, the package's docstrings) gets
the op registry as the engine defines it on import: ops a test defines are
removed afterwards, and a rule swapped with `define_op(..., replace=True)` is
put back. So a test or a page can define `sin` without caring who else did.

The bridge's doctests need the optional extra 'torch'. Without torch they are
left out locally; under CI (the CI environment variable set) every extra is
installed, so they are always collected there and a missing torch fails.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator

import pytest

from tinygrad_edu import engine

collect_ignore: list[str] = []
if importlib.util.find_spec("torch") is None and not os.environ.get("CI"):
    collect_ignore += ["tinygrad_edu/bridge.py", "docs/do-tinygrad-edu-ao-pytorch.md"]


@pytest.fixture(autouse=True)
def fresh_op_registry() -> Iterator[None]:
    """Snapshot the op table (names, and each Op's forward and derivative) and restore it."""
    registry = engine._OPS
    saved = {name: (op, op.forward, op.derivative) for name, op in registry.items()}
    yield
    registry.clear()
    for name, (op, forward, derivative) in saved.items():
        op.forward, op.derivative = forward, derivative  # replace=True changed them in place
        registry[name] = op
