"""Tests for tinygrad_edu.optim.SGD: update rules, what it accepts, errors, a training run."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinygrad_edu.data import make_moons
from tinygrad_edu.engine import Value
from tinygrad_edu.losses import binary_cross_entropy_with_logits
from tinygrad_edu.nn import MLP
from tinygrad_edu.optim import SGD

gradients_strategy = st.lists(st.floats(-10, 10), min_size=1, max_size=6)
"""A few gradients of moderate size: the update rules are plain arithmetic on them."""


def test_a_plain_step_moves_against_the_gradient_by_lr_times_it() -> None:
    a, b = Value(1.0), Value(-2.0)
    a.grad, b.grad = 0.5, -4.0
    SGD([a, b], lr=0.1).step()
    assert (a.data, b.data) == (1.0 - 0.1 * 0.5, -2.0 - 0.1 * -4.0)


@given(gradients_strategy, st.floats(0.0, 0.99), st.floats(1e-4, 1.0))
def test_momentum_follows_pytorch_velocity_rule(
    gradients: list[float], momentum: float, lr: float
) -> None:
    # PyTorch's SGD (dampening 0, not Nesterov): v = m*v + g; p -= lr*v, v starting at 0.
    parameter = Value(0.5)
    optimizer = SGD([parameter], lr=lr, momentum=momentum)
    expected, velocity = 0.5, 0.0
    for gradient in gradients:
        parameter.grad = gradient
        optimizer.step()
        velocity = momentum * velocity + gradient
        expected -= lr * velocity
    assert parameter.data == expected  # the same operations in the same order


def test_momentum_zero_is_plain_sgd_and_keeps_no_memory() -> None:
    parameter = Value(0.0)
    optimizer = SGD([parameter], lr=1.0)
    for gradient in (1.0, 0.0):
        parameter.grad = gradient
        optimizer.step()
    assert parameter.data == -1.0


def test_step_does_not_touch_gradients_and_zero_grad_resets_them() -> None:
    parameter = Value(1.0)
    parameter.grad = 2.0
    optimizer = SGD([parameter], lr=0.5)
    optimizer.step()
    assert parameter.grad == 2.0
    optimizer.zero_grad()
    assert parameter.grad == 0.0 and type(parameter.grad) is float


def test_accepts_a_module_a_list_or_any_iterable_of_values() -> None:
    model = MLP(2, [3, 1], seed=0)
    assert SGD(model, lr=0.1).parameters == model.parameters()
    assert SGD(model.parameters(), lr=0.1).parameters == model.parameters()
    assert SGD(iter(model.parameters()), lr=0.1).parameters == model.parameters()

    class MicrogradStyle:
        def __init__(self) -> None:
            self.weight = Value(1.0)

        def parameters(self) -> list[Value]:
            return [self.weight]

    module = MicrogradStyle()
    assert SGD(module, lr=0.1).parameters == [module.weight]


def test_lr_and_momentum_can_change_between_steps() -> None:
    parameter = Value(0.0)
    optimizer = SGD([parameter], lr=1.0)
    parameter.grad = 1.0
    optimizer.step()
    optimizer.lr = 0.5
    optimizer.momentum = 0.5
    optimizer.step()  # v = 0.5 * 0 + 1, as the velocity starts at 0 and plain steps keep none
    assert parameter.data == -1.5
    assert (optimizer.lr, optimizer.momentum) == (0.5, 0.5)


def test_repr_counts_the_parameters_in_good_grammar() -> None:
    one = SGD([Value(1.0)], lr=0.1, momentum=0.9)
    three = SGD([Value(1.0), Value(2.0), Value(3.0)], lr=0.5)
    assert repr(one) == "SGD(1 parameter, lr=0.1, momentum=0.9)"
    assert repr(three) == "SGD(3 parameters, lr=0.5, momentum=0.0)"


def test_a_non_finite_gradient_stops_the_step_before_any_parameter_moves() -> None:
    a, b = Value(1.0), Value(2.0)
    a.grad, b.grad = 1.0, math.nan
    with pytest.raises(
        ValueError, match=r"parameter 1 .* has gradient nan; no step taken.*smaller lr"
    ):
        SGD([a, b], lr=0.1).step()
    assert (a.data, b.data) == (1.0, 2.0)


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"lr": 0.0}, ValueError, r"lr must be a finite number > 0, got 0.0"),
        ({"lr": -0.1}, ValueError, r"lr must be a finite number > 0, got -0.1"),
        ({"lr": math.inf}, ValueError, r"lr must be a finite number > 0, got inf"),
        ({"lr": math.nan}, ValueError, r"lr must be a finite number > 0, got nan"),
        ({"lr": "0.1"}, TypeError, r"lr must be a number, got str"),
        ({"lr": True}, TypeError, r"lr must be a number, got bool"),
        ({"lr": 0.1, "momentum": 1.0}, ValueError, r"momentum must be in \[0, 1\), got 1.0"),
        ({"lr": 0.1, "momentum": -0.5}, ValueError, r"momentum must be in \[0, 1\), got -0.5"),
        ({"lr": 0.1, "momentum": math.nan}, ValueError, r"momentum must be in \[0, 1\), got nan"),
        ({"lr": 0.1, "momentum": None}, TypeError, r"momentum must be a number, got NoneType"),
    ],
)
def test_bad_lr_or_momentum_say_what_is_allowed(
    arguments: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=rf"SGD: {message}"):
        SGD([Value(1.0)], **arguments)


def test_bad_lr_set_later_is_refused_too() -> None:
    optimizer = SGD([Value(1.0)], lr=0.1)
    with pytest.raises(ValueError, match=r"lr must be a finite number > 0"):
        optimizer.lr = -1.0
    with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\)"):
        optimizer.momentum = 2.0
    assert (optimizer.lr, optimizer.momentum) == (0.1, 0.0)


@pytest.mark.parametrize(
    ("parameters", "error", "message"),
    [
        ([], ValueError, r"got an empty list of parameters"),
        ([Value(1.0), 2.0], TypeError, r"parameters\[1\] must be a Value, got float"),
        (Value(1.0), TypeError, r"parameters must be a list of Values or a Module, got Value"),
        (3, TypeError, r"parameters must be a list of Values or a Module, got int"),
    ],
)
def test_bad_parameters_say_what_is_allowed(
    parameters: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=rf"SGD: {message}"):
        SGD(parameters, lr=0.1)


def test_a_parameter_listed_twice_is_refused() -> None:
    weight = Value(1.0)
    with pytest.raises(ValueError, match=r"parameters\[1\] appears twice"):
        SGD([weight, weight], lr=0.1)


def logits_of(model: MLP, X: list[tuple[float, float]]) -> list[Value]:
    """The model's one output (a logit) for each point."""
    logits = []
    for x in X:
        logit = model(x)
        assert isinstance(logit, Value), "a model with one output gives one Value per point"
        logits.append(logit)
    return logits


def accuracy(model: MLP, X: list[tuple[float, float]], y: list[int]) -> float:
    """The fraction of points whose logit has the sign of their label (z > 0 means class 1)."""
    logits = logits_of(model, X)
    right = sum((z.data > 0) == (label == 1) for z, label in zip(logits, y, strict=True))
    return right / len(y)


def test_sgd_with_cross_entropy_learns_the_moons() -> None:
    """A seeded MLP(2, [8, 1]) on 40 moons points reaches 95% within 200 full-batch steps.

    Everything is seeded, so the run is the same each time (it takes about 25 steps);
    the 200-step bound leaves room for a different but still working initialisation.
    """
    X, y = make_moons(40, seed=0)
    model = MLP(2, [8, 1], seed=0)
    optimizer = SGD(model, lr=0.5, momentum=0.9)
    assert accuracy(model, X, y) < 0.95  # the untrained network does not already pass
    first_loss = binary_cross_entropy_with_logits(logits_of(model, X), y).data
    for _ in range(200):
        if accuracy(model, X, y) >= 0.95:
            break
        loss = binary_cross_entropy_with_logits(logits_of(model, X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert accuracy(model, X, y) >= 0.95
    assert binary_cross_entropy_with_logits(logits_of(model, X), y).data < first_loss
