"""tinygrad_edu: a scalar reverse-mode autograd engine made to teach backprop, losses and gradient checks."""

from tinygrad_edu.engine import Value, define_op, grad

__all__ = ["Value", "define_op", "grad"]
__version__ = "0.1.0"
