"""The laws of differentiation hold for the engine's composition: sum, product, quotient, chain.

f and g are built from the ops; their own derivatives f', g' come from grad()
on separate graphs, so these tests check how backward() combines paths
(multiplying along them, adding across them), whatever the single rules say.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from hypothesis import example, given, reject
from hypothesis import strategies as st

from tinygrad_edu import Value, grad
from tinygrad_edu.engine import topological_order
from tinygrad_edu.testing import UNIT_ROUNDOFF, Expression, expressions, reals, rounding_bound

Function = Callable[[Value], Value]

FUNCTIONS: dict[str, Function] = {
    "tanh": lambda x: x.tanh(),
    "sigmoid": lambda x: x.sigmoid(),
    "softplus": lambda x: x.softplus(),
    "exp": lambda x: x.exp(),
    "square": lambda x: x**2,
    "cube": lambda x: x**3,
    "tanh of square": lambda x: (x * x).tanh(),
    "affine": lambda x: 3.0 * x - 1.0,
}
"""Functions defined and smooth on all of reals(10): exp(10) ~ 2.2e4 keeps products finite."""

POSITIVE = {name: FUNCTIONS[name] for name in ("sigmoid", "softplus", "exp")}
"""Functions that are > 0 on reals(10), so they can be divisors."""

NAMES = list(FUNCTIONS)
pairs = pytest.mark.parametrize(
    ("f", "g"),
    [(NAMES[i], NAMES[(i + step) % len(NAMES)]) for i in range(len(NAMES)) for step in (1, 3)],
)
"""Each function paired with two others: every function on both sides, 16 pairs."""


def roundings(count: int, size: float) -> float:
    """The most `count` roundings can move a result made of terms of total `size`.

    Each rounding errs by at most u relative, or by half the subnormal spacing,
    2**-1075, when the result underflows (Higham, "Accuracy and Stability of
    Numerical Algorithms", section 2.1); 2**-1074 is used for the latter.
    """
    return count * (UNIT_ROUNDOFF * size + 2.0**-1074)


def value_and_slope(function: Function, x: float) -> tuple[float, float]:
    leaf = Value(x)
    output = function(leaf)
    (slope,) = grad(output, [leaf])
    return output.data, slope


def derivative(build: Callable[[Value], Value], x: float) -> float:
    leaf = Value(x)
    build(leaf).backward()
    return leaf.grad


@pairs
@given(x=reals(10.0))
def test_sum_rule(f: str, g: str, x: float) -> None:
    """(f + g)' = f' + g'.

    Every path is the same product as alone, but the paths' contributions are
    added in another order (x * x inside g has two): at most 2 roundings of the
    terms on either side, none of which cancel (g's two paths have one sign).
    """
    _, df = value_and_slope(FUNCTIONS[f], x)
    _, dg = value_and_slope(FUNCTIONS[g], x)
    result = derivative(lambda v: FUNCTIONS[f](v) + FUNCTIONS[g](v), x)
    assert abs(result - (df + dg)) <= roundings(4, abs(df) + abs(dg))


@pairs
@given(x=reals(10.0))
def test_product_rule(f: str, g: str, x: float) -> None:
    """(f g)' = f' g + f g'.

    Each term is a product of at most 4 rounded factors on either side, in a
    different order, then up to three contributions are added: 10 roundings
    of the terms' size cover both sides.
    """
    fx, df = value_and_slope(FUNCTIONS[f], x)
    gx, dg = value_and_slope(FUNCTIONS[g], x)
    result = derivative(lambda v: FUNCTIONS[f](v) * FUNCTIONS[g](v), x)
    terms = (df * gx, fx * dg)
    assert abs(result - sum(terms)) <= roundings(10, sum(map(abs, terms)))


@pytest.mark.parametrize(
    ("f", "g"), [(f, list(POSITIVE)[i % len(POSITIVE)]) for i, f in enumerate(FUNCTIONS)]
)
@given(x=reals(10.0))
def test_quotient_rule(f: str, g: str, x: float) -> None:
    """(f / g)' = (f' g - f g') / g**2.

    The engine forms f' * (1/g) and g' * (-f / (g*g)), the closed form
    (f' g - f g') / g**2: each term has at most 6 roundings on either side,
    so 16 roundings of the terms' size cover both.
    """
    fx, df = value_and_slope(FUNCTIONS[f], x)
    gx, dg = value_and_slope(POSITIVE[g], x)
    result = derivative(lambda v: FUNCTIONS[f](v) / POSITIVE[g](v), x)
    expected = (df * gx - fx * dg) / gx**2
    size = abs(df / gx) + abs(fx * dg / gx**2)
    assert abs(result - expected) <= roundings(16, size)


@pytest.mark.parametrize("outer", ["tanh", "sigmoid", "softplus", "square", "cube"])
@pytest.mark.parametrize("inner", ["tanh", "sigmoid", "square", "affine"])
@given(x=reals(10.0))
def test_chain_rule(outer: str, inner: str, x: float) -> None:
    """f(g(x))' = f'(g(x)) g'(x): the engine multiplies the same numbers along the path."""
    gx, dg = value_and_slope(FUNCTIONS[inner], x)
    _, df_at_g = value_and_slope(FUNCTIONS[outer], gx)
    result = derivative(lambda v: FUNCTIONS[outer](FUNCTIONS[inner](v)), x)
    expected = df_at_g * dg
    assert abs(result - expected) <= roundings(4, abs(expected))


@given(a=st.floats(allow_nan=False, allow_infinity=False))
@example(a=0.0)
@example(a=-3.0)
@example(a=1e308)  # 2a overflows to inf on both sides
def test_the_derivative_of_a_times_a_is_exactly_2a(a: float) -> None:
    """Both children of a * a are a itself: its grad is 1*a + 1*a, the float 2a exactly."""
    leaf = Value(a)
    (leaf * leaf).backward()
    assert leaf.grad == 2 * a
    assert grad(leaf * leaf, [leaf]) == [2 * a]


def leaf_grads(expression: Expression, seed: float) -> list[float]:
    leaves = [Value(x) for x in expression.inputs]
    expression.build(*leaves).backward(seed)
    return [leaf.grad for leaf in leaves]


@given(expression=expressions(), power=st.integers(0, 10), sign=st.sampled_from([1.0, -1.0]))
def test_backward_is_exactly_linear_in_a_power_of_two_seed(
    expression: Expression, power: int, sign: float
) -> None:
    """Scaling the seed by ±2**k scales every product and sum exactly.

    Except where a product underflows into the subnormals: each such rounding
    may differ by 2**-1074, times at most |seed|, once per node.
    """
    seed = sign * 2.0**power
    leaves = [Value(x) for x in expression.inputs]
    try:
        output = expression.build(*leaves)
        unit = leaf_grads(expression, 1.0)
        scaled = leaf_grads(expression, seed)
    except (ValueError, ArithmeticError):
        reject()
    if not all(math.isfinite(g) for g in unit):
        reject()
    underflow = abs(seed) * len(topological_order(output)) * 2.0**-1074
    for result, g in zip(scaled, unit, strict=True):
        assert abs(result - seed * g) <= underflow  # for normal numbers: equal


@given(expression=expressions(), seed=reals(10.0))
def test_backward_is_linear_in_any_seed(expression: Expression, seed: float) -> None:
    """backward(s) = s * backward(1), up to rounding.

    Both run the arithmetic of the derivative's graph D (grad with
    create_graph=True). backward(1) is off by at most rounding_bound(D), which
    the product with s scales by |s|; backward(s) rounds every number s times
    as large, but a number that underflows still errs by a whole subnormal, so
    it is off by at most max(1, |s|) rounding_bound(D). Then the final product
    s * D rounds once more.
    """
    leaves = [Value(x) for x in expression.inputs]
    try:
        output = expression.build(*leaves)
        derivatives = grad(output, leaves, create_graph=True)
        scaled = leaf_grads(expression, seed)
    except (ValueError, ArithmeticError):
        reject()
    if not all(math.isfinite(d.data) for d in derivatives):
        reject()
    for derivative_value, result in zip(derivatives, scaled, strict=True):
        expected = seed * derivative_value.data
        bound = rounding_bound(derivative_value)
        tolerance = (abs(seed) + max(1.0, abs(seed))) * bound + roundings(1, abs(expected))
        assert abs(result - expected) <= tolerance
