"""Second and third derivatives from grad(create_graph=True): closed forms, central differences."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tinygrad_edu import Value, grad
from tinygrad_edu.testing import (
    OP_TABLE,
    UNIT_ROUNDOFF,
    OpCase,
    check_point,
    positive_reals,
    reals,
    rounding_bound,
)

CLOSED_FORM_ROUNDING = 64 * UNIT_ROUNDOFF
"""The closed forms below: at most ~8 roundings and libm calls (2u each) of terms whose
absolute sizes `scale` returns; 64u of that size covers them with room for cosh's and
exp's 1-ulp errors feeding a square or a cube."""


@dataclass(frozen=True)
class Derivatives:
    """f with its 2nd and 3rd derivatives, each paired with the size of the terms it adds."""

    build: Callable[[Value], Value]
    domain: st.SearchStrategy[float]
    second: Callable[[float], tuple[float, float]]
    third: Callable[[float], tuple[float, float]]


def _tanh_second(x: float) -> tuple[float, float]:
    slope = 1 / math.cosh(x) ** 2  # 1 - tanh**2 without cancellation
    value = -2 * math.tanh(x) * slope
    return value, abs(value)


def _tanh_third(x: float) -> tuple[float, float]:
    t, slope = math.tanh(x), 1 / math.cosh(x) ** 2
    return -2 * slope * (1 - 3 * t * t), 2 * slope * (1 + 3 * t * t)


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def _sigmoid_second(x: float) -> tuple[float, float]:
    s, rest = _sigmoid(x), _sigmoid(-x)  # rest = 1 - s without cancellation
    slope = s * rest
    return slope * (rest - s), slope * (rest + s)


def _sigmoid_third(x: float) -> tuple[float, float]:
    s, rest = _sigmoid(x), _sigmoid(-x)
    slope = s * rest
    return slope * (1 - 6 * s * rest), slope * (1 + 6 * s * rest)


def _exp(x: float) -> tuple[float, float]:
    return math.exp(x), math.exp(x)


CASES = {
    "exp": Derivatives(lambda x: x.exp(), reals(50.0), _exp, _exp),
    "log": Derivatives(
        lambda x: x.log(),
        positive_reals(),
        lambda x: (-1 / x**2, 1 / x**2),
        lambda x: (2 / x**3, 2 / x**3),
    ),
    "tanh": Derivatives(lambda x: x.tanh(), reals(), _tanh_second, _tanh_third),
    "sigmoid": Derivatives(lambda x: x.sigmoid(), reals(), _sigmoid_second, _sigmoid_third),
    "x**3": Derivatives(lambda x: x**3, reals(), lambda x: (6 * x, abs(6 * x)), lambda x: (6, 6)),
    "x*exp(x)": Derivatives(
        lambda x: x * x.exp(),
        reals(50.0),
        lambda x: ((x + 2) * math.exp(x), (abs(x) + 2) * math.exp(x)),
        lambda x: ((x + 3) * math.exp(x), (abs(x) + 3) * math.exp(x)),
    ),
}


def _close(engine: Value, expected: tuple[float, float]) -> bool:
    """Within the engine's rounding (its graph's rounding_bound) plus the closed form's."""
    value, scale = expected
    return abs(engine.data - value) <= rounding_bound(engine) + CLOSED_FORM_ROUNDING * scale


@pytest.mark.parametrize("name", list(CASES))
@given(data=st.data())
def test_second_and_third_derivatives_match_closed_forms(name: str, data: st.DataObject) -> None:
    case = CASES[name]
    x = data.draw(case.domain, label="x")
    leaf = Value(x)
    (first,) = grad(case.build(leaf), [leaf], create_graph=True)
    (second,) = grad(first, [leaf], create_graph=True)
    (third,) = grad(second, [leaf], create_graph=True)
    assert _close(second, case.second(x)), (second.data, case.second(x))
    assert _close(third, case.third(x)), (third.data, case.third(x))


@given(a=reals(), b=reals())
@example(a=0.0, b=0.0)
def test_the_derivatives_of_a_product(a: float, b: float) -> None:
    """f = a * b: d2f/da db = 1, d2f/da2 = d2f/db2 = 0, every third derivative 0."""
    x, y = Value(a), Value(b)
    da, db = grad(x * y, [x, y], create_graph=True)
    assert (da.data, db.data) == (b, a)
    assert grad(da, [x, y]) == [0.0, 1.0]
    assert grad(db, [x, y]) == [1.0, 0.0]
    cross, _ = grad(da, [y, x], create_graph=True)
    assert grad(cross, [x, y]) == [0.0, 0.0]


@pytest.mark.parametrize("case", OP_TABLE, ids=[case.name for case in OP_TABLE])
@given(data=st.data())
def test_second_derivatives_agree_with_central_differences_of_the_first(
    case: OpCase, data: st.DataObject
) -> None:
    """Every d2f/dxi dxj of every op, against a central difference of df/dxi (check_point)."""
    point = tuple(data.draw(strategy, label=f"x{i}") for i, strategy in enumerate(case.domain))
    comparisons = check_point(case.build, point, order=2)
    assert [c for c in comparisons if not c.passed] == []


@given(x=reals(20.0))
def test_the_curvature_of_a_composite(x: float) -> None:
    """d2/dx2 tanh(x**2) against a central difference of the first derivative."""
    comparisons = check_point(lambda v: (v * v).tanh(), (x,), order=2)
    assert all(c.passed for c in comparisons)
