"""How far a central difference may be from the true derivative; imports engine only.

How much disagreement is allowed (the bound `check_point` uses)
---------------------------------------------------------------
With the step h_x = h * max(1, |x|) the central difference is off from f'(x) by

- truncation: f'''(xi) * h_x**2 / 6 for some xi within h_x of x (Taylor's
  theorem). f''' is estimated from the same evaluations (a third divided
  difference over x - 2h_x .. x + 2h_x) and doubled, which covers f''' changing
  by up to its own size across that window; the domains below stay far enough
  from poles that it changes much less;
- round-off: each evaluation of f is off by at most B = sum over the graph's
  op nodes n of |d out/d n| * (4 ulp * |n| + 4 * 2**-1074) (first-order
  rounding-error analysis, with each op allowed 4 units in the last place:
  libm's exp/log/tanh/pow are within 1, the engine's sigmoid and softplus round
  at most 3 times; the second term covers results that underflow to subnormal
  numbers, Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed.,
  section 2.1; 'dot', a sum inside one op, gets a sum's bound, see
  `local_rounding`). B is measured at x - h and x + h; dividing by the step
  turns it into B / h_x;
- the analytic side's own rounding, 4 ulp per node of the graph times the
  size of the derivative.

The sensitivities d out/d n come from the rules under test, but they cannot
hide a wrong rule: B / h_x is about 1e-10 times their size, so a rule that
inflated them would be off by far more than the bound it inflates. At h = 1e-5
the allowed error is around 1e-10 relative; a wrong rule is off by far more.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tinygrad_edu.engine import Value, grad, topological_order

UNIT_ROUNDOFF = 2.0**-53
"""u: the largest relative error of rounding a real number to the nearest float64."""

OP_ROUNDING = 8 * UNIT_ROUNDOFF
"""The relative error allowed in one op's result: 4 units in the last place (1 ulp = 2u)."""

UNDERFLOW_ROUNDING = 4 * 2.0**-1074
"""The absolute error allowed in one op's result when it underflows: 4 smallest subnormals."""

DEFAULT_STEP = 1e-5
"""The relative step h: the truncation error (~h**2) and round-off (~u/h) are both near 1e-10."""

Point = tuple[float, ...]
"""A point of an op's domain: one float per argument."""


def local_rounding(node: Value) -> float:
    """How far one op node's computed value may be from the exact op applied to its inputs.

    4 ulp of the result (plus 4 subnormals, for underflow) for an op that
    computes one function. 'dot' sums m = pairs + 1 terms after rounding each
    product, so its error scales with the terms, not with their sum, which can
    cancel: (m + 1) * u * sum|terms| (Higham, section 4.2), doubled like every
    op's allowance. A learner's op that sums terms internally needs the same care.

    >>> local_rounding(Value(2.0) * 3.0) == 8 * 2.0**-53 * 6.0 + 4 * 2.0**-1074
    True
    """
    if node._op == "dot":
        *pairs, bias = (child.data for child in node._prev)
        terms = [abs(w * x) for w, x in zip(pairs[0::2], pairs[1::2], strict=True)]
        terms.append(abs(bias))
        summation = 2 * (len(terms) + 1) * UNIT_ROUNDOFF * math.fsum(terms)
        return summation + len(terms) * UNDERFLOW_ROUNDING
    return OP_ROUNDING * abs(node.data) + UNDERFLOW_ROUNDING


def rounding_bound(output: Value) -> float:
    """A first-order bound on the rounding error in `output.data`.

    Sum over the op nodes n below `output` of |d output/d n| * local_rounding(n):
    each op's own error reaches the output multiplied by its sensitivity
    (first-order rounding-error analysis). Leaves are exact.

    >>> x = Value(3.0)
    >>> rounding_bound(x * x) == local_rounding(x * x)
    True
    """
    nodes = [node for node in topological_order(output) if node._prev]
    sensitivities = grad(output, nodes)
    return math.fsum(
        abs(sensitivity) * local_rounding(node)
        for sensitivity, node in zip(sensitivities, nodes, strict=True)
    )


def _divided_difference(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Newton's divided difference f[x0, ..., xn]: f^(n)(xi) / n! for some xi among the xs."""
    if len(xs) == 1:
        return ys[0]
    high = _divided_difference(xs[1:], ys[1:])
    low = _divided_difference(xs[:-1], ys[:-1])
    return (high - low) / (xs[-1] - xs[0])


@dataclass(frozen=True)
class _Difference:
    """A central difference along one coordinate, and the bound on its error."""

    numeric: float
    error_bound: float


Evaluation = Callable[[Point], tuple[float, float]]
"""A function of the point that returns its value and a bound on that value's rounding error."""


def _central_difference(
    evaluate: Evaluation, point: Point, index: int, h: float, center: float
) -> _Difference:
    """(f(x + s) - f(x - s)) / (2s) along coordinate `index`, s = h * max(1, |x|), and its bound.

    The points are rounded to floats, so the difference divides by the step
    actually taken. The bound adds (see this module's docstring): truncation
    2 * s**2 / 6 * |f'''|, with f''' from the third divided difference over
    x ± s, x ± 2s (widened by the round-off that estimate can carry); the
    round-off of f(x ± s), divided by 2s; and |f''| times how far the rounded
    points' midpoint moved from x.
    """
    x = point[index]
    step = h * max(1.0, abs(x))
    xs = (x - 2 * step, x - step, x + step, x + 2 * step)
    evaluations = [evaluate((*point[:index], xi, *point[index + 1 :])) for xi in xs]
    ys = [value for value, _ in evaluations]
    bounds = [bound for _, bound in evaluations]
    width = xs[2] - xs[1]
    numeric = (ys[2] - ys[1]) / width
    half = width / 2
    third = 6 * _divided_difference(xs, ys)
    # |weights| of the third divided difference at x-2s, x-s, x+s, x+2s: 1/12, 1/6, 1/6, 1/12 / s**3
    third_noise = (bounds[0] / 2 + bounds[1] + bounds[2] + bounds[3] / 2) / half**3
    truncation = 2 * half**2 / 6 * (abs(third) + third_noise)
    round_off = (bounds[1] + bounds[2]) / width
    second = 2 * _divided_difference((xs[1], x, xs[2]), (ys[1], center, ys[2]))
    off_center = (abs((xs[1] + xs[2]) / 2 - x) + UNIT_ROUNDOFF * abs(x)) * abs(second)
    return _Difference(numeric, truncation + round_off + off_center)
