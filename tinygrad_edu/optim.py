"""Stochastic gradient descent over Values, with optional momentum; imports only the engine.

>>> from tinygrad_edu import Value
>>> w = Value(3.0)
>>> optimizer = SGD([w], lr=0.1)
>>> for _ in range(50):
...     optimizer.zero_grad()
...     loss = (w - 1.0) ** 2
...     loss.backward()
...     optimizer.step()
>>> round(w.data, 3)   # (w - 1) shrinks by 1 - 2 * lr = 0.8 each step
1.0
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

from tinygrad_edu.engine import Value

__all__ = ["SGD"]


class SGD:
    """Gradient descent: each `step()` moves every parameter against its gradient.

    Without momentum: ``p -= lr * p.grad``. With momentum m, as PyTorch's SGD
    (no dampening, not Nesterov): ``v = m * v + p.grad; p -= lr * v``, the
    velocity v starting at 0. `parameters` is a list of Values or a Module
    (anything with a `parameters()` method, micrograd's included). `lr` must
    be > 0 and `momentum` in [0, 1); both may be changed between steps (e.g.
    a decaying learning rate).

    >>> w = Value(1.0)
    >>> w.grad = 2.0
    >>> SGD([w], lr=0.25).step()
    >>> w.data
    0.5
    """

    def __init__(self, parameters: Any, lr: float, momentum: float = 0.0) -> None:
        if callable(getattr(parameters, "parameters", None)):
            parameters = parameters.parameters()
        if isinstance(parameters, Value) or not isinstance(parameters, Iterable):
            raise TypeError(
                "SGD: parameters must be a list of Values or a Module, got "
                f"{type(parameters).__name__}; pass model.parameters() or the model itself"
            )
        self.parameters: list[Value] = list(parameters)
        _check_parameters(self.parameters)
        self.lr = lr
        self.momentum = momentum
        self._velocities = [0.0] * len(self.parameters)

    @property
    def lr(self) -> float:
        """The learning rate, a finite number > 0."""
        return self._lr

    @lr.setter
    def lr(self, lr: float) -> None:
        number = _as_real("lr", lr)
        if not 0 < number < math.inf:
            raise ValueError(
                f"SGD: lr must be a finite number > 0, got {lr!r}; typical values are 0.001 to 1"
            )
        self._lr = number

    @property
    def momentum(self) -> float:
        """The momentum m in [0, 1): how much of the last step the next keeps (0: plain SGD)."""
        return self._momentum

    @momentum.setter
    def momentum(self, momentum: float) -> None:
        number = _as_real("momentum", momentum)
        if not 0 <= number < 1:
            raise ValueError(
                f"SGD: momentum must be in [0, 1), got {momentum!r}; 0 means plain SGD, "
                "0.9 is a common choice"
            )
        self._momentum = number

    def step(self) -> None:
        """Move every parameter one step against its gradient.

        Raises ValueError, before changing anything, if a gradient is inf or
        nan (usually a learning rate too large made the loss overflow).
        """
        parameters = self.parameters
        for index, parameter in enumerate(parameters):
            if not math.isfinite(parameter.grad):
                raise ValueError(
                    f"SGD: parameter {index} ({parameter!r}) has gradient {parameter.grad!r}; "
                    "no step taken. The loss overflowed or became nan: try a smaller lr"
                )
        lr, momentum = self._lr, self._momentum
        if momentum == 0.0:
            for parameter in parameters:
                parameter.data -= lr * parameter.grad
            return
        velocities = self._velocities
        for index, parameter in enumerate(parameters):
            velocities[index] = momentum * velocities[index] + parameter.grad
            parameter.data -= lr * velocities[index]

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0.0 (call it before each backward pass)."""
        for parameter in self.parameters:
            parameter.grad = 0.0

    def __repr__(self) -> str:
        count = len(self.parameters)
        noun = "parameter" if count == 1 else "parameters"
        return f"SGD({count} {noun}, lr={self._lr!r}, momentum={self._momentum!r})"


def _check_parameters(parameters: list[Value]) -> None:
    if not parameters:
        raise ValueError("SGD: got an empty list of parameters; pass model.parameters()")
    seen: set[Value] = set()
    for index, parameter in enumerate(parameters):
        if not isinstance(parameter, Value):
            raise TypeError(
                f"SGD: parameters[{index}] must be a Value, got {type(parameter).__name__}: "
                f"{parameter!r}"
            )
        if parameter in seen:
            raise ValueError(
                f"SGD: parameters[{index}] appears twice in the list; each step would move "
                "it twice, so pass each parameter once"
            )
        seen.add(parameter)


def _as_real(name: str, number: object) -> float:
    if isinstance(number, bool) or not isinstance(number, numbers.Real):
        raise TypeError(f"SGD: {name} must be a number, got {type(number).__name__}: {number!r}")
    return float(number)
