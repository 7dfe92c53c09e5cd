"""tinygrad_edu: a scalar reverse-mode autograd engine made to teach backprop and gradient checks.

>>> from tinygrad_edu import Value
>>> x = Value(2.0, label='x')
>>> y = (x * x).tanh()
>>> y.backward()
>>> round(x.grad, 6)
0.005364
"""

from __future__ import annotations

import importlib as _importlib
from types import ModuleType as _ModuleType

from tinygrad_edu import _ctrl_c as _ctrl_c  # first: Ctrl-C while the command starts
from tinygrad_edu import compiled, data, engine, gradcheck, losses, nn, optim, viz
from tinygrad_edu.engine import Value, define_op, grad
from tinygrad_edu.viz import draw_dot

__all__ = [
    "Value",
    "compiled",
    "data",
    "define_op",
    "draw_dot",
    "engine",
    "grad",
    "gradcheck",
    "losses",
    "nn",
    "optim",
    "viz",
]
# `testing` is reachable as tinygrad_edu.testing but left out of __all__: it needs
# hypothesis, and `from tinygrad_edu import *` must work without it.
__version__ = "0.1.0"


def __getattr__(name: str) -> _ModuleType:
    # `testing` needs hypothesis (the optional 'testing' extra), so it loads on first use.
    if name == "testing":
        return _importlib.import_module("tinygrad_edu.testing")
    raise AttributeError(f"module 'tinygrad_edu' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), "testing"])
