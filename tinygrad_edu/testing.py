"""Property tests of derivative rules, for learners and our own suite; imports engine, hypothesis.

A derivative rule is right when, for every input in the op's domain, the
derivative that reverse mode computes agrees with what you measure by nudging
the input: the central difference (f(x + h) - f(x - h)) / (2h). Hypothesis
draws the inputs, and when it finds one where they disagree it shrinks it to
the simplest input that still fails. `check_op` does all of that in one call:

>>> from tinygrad_edu.testing import check_op
>>> report = check_op(lambda x: x.tanh(), reference=math.tanh, examples=20)
>>> report.passed
True

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

import inspect
import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

try:
    from hypothesis import HealthCheck, Phase, Verbosity, given, reject, settings
    from hypothesis import seed as fixed_seed
    from hypothesis import strategies as st
    from hypothesis.errors import Unsatisfiable
except ImportError as error:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "tinygrad_edu.testing needs the hypothesis package, which is an optional extra; "
        "install it with: pip install 'tinygrad_edu[testing]'"
    ) from error

from tinygrad_edu.engine import OPS, Op, Value, dot, grad, topological_order

__all__ = [
    "DEFAULT_STEP",
    "EXPRESSION_OPS",
    "KINKED_OPS",
    "OP_ROUNDING",
    "OP_TABLE",
    "POWERS",
    "RELATIVE_ERROR_FLOOR",
    "UNDERFLOW_ROUNDING",
    "UNIT_ROUNDOFF",
    "CheckFailed",
    "CheckReport",
    "Comparison",
    "Expression",
    "OpCase",
    "OutsideDomain",
    "RulesReport",
    "StencilCrossesKink",
    "away_from_zero",
    "check_op",
    "check_point",
    "check_rules",
    "exponents",
    "expressions",
    "local_rounding",
    "positive_reals",
    "reals",
    "rounding_bound",
    "values",
]

UNIT_ROUNDOFF = 2.0**-53
"""u: the largest relative error of rounding a real number to the nearest float64."""

OP_ROUNDING = 8 * UNIT_ROUNDOFF
"""The relative error allowed in one op's result: 4 units in the last place (1 ulp = 2u)."""

UNDERFLOW_ROUNDING = 4 * 2.0**-1074
"""The absolute error allowed in one op's result when it underflows: 4 smallest subnormals."""

DEFAULT_STEP = 1e-5
"""The relative step h: the truncation error (~h**2) and round-off (~u/h) are both near 1e-10."""

RELATIVE_ERROR_FLOOR = 1000.0
"""Reports count a relative error only where the numbers are this many times the allowed error:
nearer to 0 their ratio is round-off noise (tanh' far out in its tail is 1e-40 or 0.0)."""

KINKED_OPS = ("relu", "abs")
"""Built-in ops with a kink at 0, where a central difference that straddles it is meaningless."""

Domain = st.SearchStrategy[float] | tuple[float, float]
Point = tuple[float, ...]


# --- Strategies: where each op may be checked ---------------------------------------------


def reals(bound: float = 100.0) -> st.SearchStrategy[float]:
    """Finite floats in [-bound, bound], 0 and subnormal numbers included.

    For ops defined and smooth everywhere (+ - * neg exp tanh sigmoid
    softplus). ±100 already reaches the flat tails of tanh and sigmoid, where
    their derivatives underflow towards 0, while exp(100) ~ 2.7e43 and the
    product of two such numbers stay far from overflow, for every point of the
    finite-difference stencil too.

    Use it in your own tests with hypothesis's `@given`:

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20, database=None)
    ... @given(reals(2.0))
    ... def test_square_is_at_most_four(x):
    ...     assert (Value(x) ** 2).data <= 4.0
    >>> test_square_is_at_most_four()
    """
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False)


def positive_reals(low: float = 0.01, high: float = 100.0) -> st.SearchStrategy[float]:
    """Floats in [low, high] with low > 0: for log, sqrt, x ** w and non-integer powers.

    They are defined for x > 0 only (sqrt at 0 has an infinite slope). The
    floor 0.01 keeps the stencil x ± 2h inside the domain for any step up to
    h = 0.004, and keeps f''' (which grows like 1/x**3 for log) from changing
    much across it, which the truncation estimate relies on.

    >>> positive_reals()
    floats(min_value=0.01, max_value=100.0, allow_nan=False, allow_infinity=False)
    """
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def away_from_zero(margin: float = 0.01, bound: float = 100.0) -> st.SearchStrategy[float]:
    """Floats with margin <= |x| <= bound, of either sign.

    For ops with a kink at 0 (relu, abs: a central difference across the kink
    averages the two slopes) and for divisors and negative powers (a pole at 0).
    The margin 0.01 keeps x ± 2h on one side for steps up to h = 0.004.

    >>> away_from_zero(margin=0.1, bound=1.0)  # doctest: +ELLIPSIS
    one_of(floats(min_value=0.1, max_value=1.0, ...), floats(...).map(neg))
    """
    side = st.floats(margin, bound, allow_nan=False, allow_infinity=False)
    return st.one_of(side, side.map(operator.neg))


def exponents(bound: float = 5.0) -> st.SearchStrategy[float]:
    """Exponents w in [-bound, bound] for x ** w with a Value exponent.

    With bases from `positive_reals()` (0.01 to 100), |w| <= 5 keeps x ** w
    between 1e-10 and 1e10, so neither the power nor its derivatives overflow.

    >>> exponents()
    floats(min_value=-5.0, max_value=5.0, allow_nan=False, allow_infinity=False)
    """
    return reals(bound)


def values(elements: st.SearchStrategy[float] | None = None) -> st.SearchStrategy[Value]:
    """Leaf Values whose data comes from `elements` (default `reals()`).

    >>> values(positive_reals())  # doctest: +ELLIPSIS
    builds(Value, floats(min_value=0.01, max_value=100.0, ...))
    """
    return st.builds(Value, reals() if elements is None else elements)


# --- The table of built-in ops ------------------------------------------------------------


@dataclass(frozen=True)
class OpCase:
    """One built-in op as the property tests see it.

    `build` applies the op to Values; `domain` has one strategy per argument;
    `reference` is the op on floats, written independently of the engine, and
    `derivative` the closed-form partial derivatives on floats.
    """

    name: str
    build: Callable[..., Value]
    domain: tuple[st.SearchStrategy[float], ...]
    reference: Callable[..., float]
    derivative: Callable[..., tuple[float, ...]]

    @property
    def arity(self) -> int:
        """How many arguments the op takes."""
        return len(self.domain)


def _logistic(x: float) -> float:
    """1 / (1 + e**-x), written so that exp only sees a number <= 0."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    return math.exp(x) / (1.0 + math.exp(x))


def _power_case(k: float) -> OpCase:
    """The case of x ** k for one number k, on a domain where x ** k is smooth."""
    if float(k).is_integer() and k >= 0:
        domain = reals()
    elif float(k).is_integer():
        domain = away_from_zero()
    else:
        domain = positive_reals()
    return OpCase(
        f"**{k}",
        lambda x: x**k,
        (domain,),
        lambda x: float(x**k),
        lambda x: (k * x ** (k - 1) if k != 0 else 0.0,),
    )


POWERS = (0, 1, 2, 3, -1, 0.5, -1.5)
"""The number exponents k for which the '**k' rule is checked."""

OP_TABLE: tuple[OpCase, ...] = (
    OpCase("+", operator.add, (reals(), reals()), operator.add, lambda a, b: (1.0, 1.0)),
    OpCase("-", operator.sub, (reals(), reals()), operator.sub, lambda a, b: (1.0, -1.0)),
    OpCase("*", operator.mul, (reals(), reals()), operator.mul, lambda a, b: (b, a)),
    OpCase(
        "/",
        operator.truediv,
        (reals(), away_from_zero()),
        operator.truediv,
        lambda a, b: (1 / b, -a / b**2),
    ),
    OpCase("neg", operator.neg, (reals(),), operator.neg, lambda x: (-1.0,)),
    OpCase("exp", lambda x: x.exp(), (reals(),), math.exp, lambda x: (math.exp(x),)),
    OpCase("log", lambda x: x.log(), (positive_reals(),), math.log, lambda x: (1 / x,)),
    OpCase("tanh", lambda x: x.tanh(), (reals(),), math.tanh, lambda x: (1 / math.cosh(x) ** 2,)),
    OpCase(
        "sigmoid",
        lambda x: x.sigmoid(),
        (reals(),),
        _logistic,
        lambda x: (_logistic(x) * _logistic(-x),),
    ),
    OpCase(
        "relu",
        lambda x: x.relu(),
        (away_from_zero(),),
        lambda x: max(x, 0.0),
        lambda x: (1.0 if x > 0 else 0.0,),
    ),
    OpCase(
        "softplus",
        lambda x: x.softplus(),
        (reals(),),
        lambda x: math.log1p(math.exp(x)) if x <= 0 else x + math.log1p(math.exp(-x)),
        lambda x: (_logistic(x),),
    ),
    OpCase(
        "sqrt",
        lambda x: x.sqrt(),
        (positive_reals(),),
        math.sqrt,
        lambda x: (0.5 / math.sqrt(x),),
    ),
    OpCase("abs", abs, (away_from_zero(),), abs, lambda x: (math.copysign(1.0, x),)),
    OpCase(
        "**",
        operator.pow,
        (positive_reals(), exponents()),
        lambda x, w: float(x**w),
        lambda x, w: (w * x ** (w - 1), x**w * math.log(x)),
    ),
    *(_power_case(k) for k in POWERS),
    OpCase(
        "dot",
        lambda w1, x1, w2, x2, b: dot([w1, w2], [x1, x2], b),
        (reals(),) * 5,
        lambda w1, x1, w2, x2, b: w1 * x1 + w2 * x2 + b,
        lambda w1, x1, w2, x2, b: (x1, w1, x2, w2, 1.0),
    ),
)
"""Every built-in op with its domain, float reference and closed-form derivative.

The tests, `check_rules` and `tinygrad-edu check-rules` all iterate over this
table. '**k' appears once per exponent in `POWERS`, under the node's name ('**2'),
and 'dot' (w1*x1 + w2*x2 + b as one node) with two pairs and a bias.
"""


# --- Checking one point -------------------------------------------------------------------


class OutsideDomain(ValueError):
    """The op could not be evaluated at a point the check needs (an error or a non-finite value)."""


class StencilCrossesKink(OutsideDomain):
    """The points x ± h, x ± 2h lie on both sides of a relu/abs kink: no slope can be measured."""


@dataclass(frozen=True)
class Comparison:
    """One number reverse mode computed, what it was checked against, and the allowed gap."""

    quantity: str
    analytic: float
    numeric: float
    tolerance: float
    method: str

    @property
    def abs_error(self) -> float:
        """|analytic - numeric|."""
        return abs(self.analytic - self.numeric)

    @property
    def rel_error(self) -> float:
        """|analytic - numeric| / max(|analytic|, |numeric|), 0 when both are 0."""
        scale = max(abs(self.analytic), abs(self.numeric))
        return self.abs_error / scale if scale > 0 else 0.0

    @property
    def passed(self) -> bool:
        """Both numbers finite and no further apart than the tolerance."""
        numbers = (self.analytic, self.numeric, self.tolerance)
        return all(math.isfinite(x) for x in numbers) and self.abs_error <= self.tolerance


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


@dataclass(frozen=True)
class _Built:
    """The graph `build` made at one point: output, leaves, and the side of each kink it is on."""

    output: Value
    leaves: tuple[Value, ...]
    kinks: tuple[float, ...]


def _sign(x: float) -> float:
    return 1.0 if x > 0 else -1.0 if x < 0 else 0.0


def _build_at(build: Callable[..., Value], point: Point) -> _Built:
    """Build the graph at `point` from fresh leaves; fail clearly if it cannot be evaluated."""
    leaves = tuple(Value(x) for x in point)
    try:
        output = build(*leaves)
    except (ValueError, ArithmeticError) as error:
        raise OutsideDomain(f"evaluating at {_show_point(point)} raised {error!r}") from None
    if not isinstance(output, Value):
        raise TypeError(
            f"build must return a Value computed from its arguments, got "
            f"{type(output).__name__}: {output!r}; e.g. build=lambda x: x.tanh()"
        )
    nodes = topological_order(output)
    for node in nodes:
        if not math.isfinite(node.data):
            raise OutsideDomain(f"evaluating at {_show_point(point)} gave {node.data!r}")
    kinks = tuple(_sign(node._prev[0].data) for node in nodes if node._op in KINKED_OPS)
    return _Built(output, leaves, kinks)


def _show_point(point: Point, names: Sequence[str] | None = None) -> str:
    if names is None:
        names = _default_names(len(point))
    return ", ".join(f"{name} = {x!r}" for name, x in zip(names, point, strict=True))


def _default_names(arity: int) -> list[str]:
    return ["x"] if arity == 1 else [f"x{index}" for index in range(arity)]


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
    actually taken. The bound adds (see the module docstring): truncation
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


def check_point(
    build: Callable[..., Value],
    point: Sequence[float],
    *,
    h: float = DEFAULT_STEP,
    order: int = 1,
    reference: Callable[..., float] | None = None,
    names: Sequence[str] | None = None,
) -> list[Comparison]:
    """Compare reverse mode with central differences at one point, one `Comparison` per number.

    For each argument: d out/d x from `backward()` vs the central difference.
    With `reference`, also the forward value vs `reference(*point)`. With
    `order=2`, also every second derivative from `grad(create_graph=True)` vs
    the central difference of the first derivative. The tolerances are the
    bound in this module's docstring. Raises `OutsideDomain` when the op
    cannot be evaluated at a point the differences need, `StencilCrossesKink`
    when those points straddle a relu/abs kink.

    >>> [c.passed for c in check_point(lambda x, y: x * y.exp(), [0.5, -1.0])]
    [True, True]
    """
    point = tuple(float(x) for x in point)
    if order not in (1, 2):
        raise ValueError(f"order must be 1 or 2, got {order!r}")
    if not (math.isfinite(h) and h > 0):
        raise ValueError(f"h must be a finite number > 0, got {h!r}; the default is {DEFAULT_STEP}")
    names = list(names) if names is not None else _default_names(len(point))
    center = _build_at(build, point)

    def build_near(shifted: Point) -> _Built:
        built = _build_at(build, shifted)
        if built.kinks != center.kinks:
            raise StencilCrossesKink(
                f"a relu/abs kink lies between {_show_point(point, names)} and the points "
                "h away from it"
            )
        return built

    def value_at(shifted: Point) -> tuple[float, float]:
        output = build_near(shifted).output
        return output.data, rounding_bound(output)

    comparisons: list[Comparison] = []
    output = center.output
    if reference is not None:
        expected = float(reference(*point))
        tolerance = rounding_bound(output) + OP_ROUNDING * abs(expected)
        comparisons.append(Comparison("f", output.data, expected, tolerance, "reference function"))
    output.backward()
    node_count = len(topological_order(output))
    for index, leaf in enumerate(center.leaves):
        difference = _central_difference(value_at, point, index, h, output.data)
        comparisons.append(
            _derivative_comparison(f"df/d{names[index]}", leaf.grad, difference, node_count)
        )
    if order == 2:
        comparisons += _second_order(point, h, names, center, build_near)
    return comparisons


def _derivative_comparison(
    quantity: str, analytic: float, difference: _Difference, node_count: int
) -> Comparison:
    """Reverse mode vs a central difference: the difference's bound plus reverse mode's rounding."""
    own_rounding = OP_ROUNDING * node_count * max(abs(analytic), abs(difference.numeric))
    tolerance = difference.error_bound + own_rounding
    return Comparison(quantity, analytic, difference.numeric, tolerance, "central difference")


def _second_order(
    point: Point,
    h: float,
    names: Sequence[str],
    center: _Built,
    build_near: Callable[[Point], _Built],
) -> list[Comparison]:
    """Each d2f/dxi dxj from grad(create_graph=True) vs the central difference of df/dxi."""
    first = grad(center.output, list(center.leaves), create_graph=True)
    comparisons = []
    for i, derivative in enumerate(first):

        def derivative_at(shifted: Point, i: int = i) -> tuple[float, float]:
            built = build_near(shifted)
            derivative = grad(built.output, list(built.leaves), create_graph=True)[i]
            return derivative.data, rounding_bound(derivative)

        second = grad(derivative, list(center.leaves))
        node_count = len(topological_order(derivative))
        for j in range(len(point)):
            difference = _central_difference(derivative_at, point, j, h, derivative.data)
            quantity = f"d2f/d{names[i]}d{names[j]}"
            comparisons.append(_derivative_comparison(quantity, second[j], difference, node_count))
    return comparisons


# --- check_op: a property test in one call ------------------------------------------------


@dataclass(frozen=True)
class CheckReport:
    """What `check_op` found: whether every example passed, how many it tried, the largest errors.

    `max_rel_error` counts only comparisons whose numbers are at least
    `RELATIVE_ERROR_FLOOR` times the allowed error (nearer to 0 their ratio is
    round-off noise); `worst_ratio` is the
    largest error / allowed error (at most 1 when passed). On failure,
    `failing_input` is the smallest input hypothesis found and `failure` the
    comparison that failed there (None when the op could not be evaluated).
    """

    name: str
    passed: bool
    examples: int
    max_abs_error: float
    max_rel_error: float
    worst_ratio: float
    failing_input: Point | None
    failure: Comparison | None
    message: str

    def __str__(self) -> str:
        return self.message


class CheckFailed(AssertionError):
    """Raised by `check_op` when a rule fails; `.report` holds the `CheckReport`."""

    def __init__(self, report: CheckReport) -> None:
        super().__init__(report.message)
        self.report = report


class _Counterexample(Exception):
    """Raised inside the hypothesis run so that hypothesis shrinks the failing input."""

    def __init__(self, point: Point, failure: Comparison | None, problem: str) -> None:
        super().__init__(problem)
        self.point = point
        self.failure = failure
        self.problem = problem


@dataclass
class _Tally:
    """The running count and largest errors over every example checked."""

    examples: int = 0
    max_abs_error: float = 0.0
    max_rel_error: float = 0.0
    worst_ratio: float = 0.0

    def add(self, comparison: Comparison) -> None:
        error = comparison.abs_error
        if not math.isfinite(error):
            return
        self.max_abs_error = max(self.max_abs_error, error)
        size = max(abs(comparison.analytic), abs(comparison.numeric))
        if size >= RELATIVE_ERROR_FLOOR * comparison.tolerance:
            self.max_rel_error = max(self.max_rel_error, comparison.rel_error)
        if comparison.tolerance > 0:
            self.worst_ratio = max(self.worst_ratio, error / comparison.tolerance)
        elif error > 0:
            self.worst_ratio = math.inf


def _argument_names(build: Callable[..., Any]) -> list[str] | None:
    """The names of build's required positional parameters, or None when it takes *args."""
    target = build.forward if isinstance(build, Op) else build
    try:
        parameters = inspect.signature(target).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters):
        return None
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [p.name for p in parameters if p.kind in positional and p.default is p.empty]


def _is_range(spec: object) -> bool:
    return (
        isinstance(spec, (tuple, list))
        and len(spec) == 2
        and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in spec)
    )


def _strategy(spec: object) -> st.SearchStrategy[float]:
    """A strategy from one argument's domain: a (low, high) range or a strategy."""
    if isinstance(spec, st.SearchStrategy):
        return spec
    if _is_range(spec):
        low, high = (float(x) for x in cast("tuple[float, float]", spec))
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise ValueError(
                f"a domain range must be (low, high) with finite low < high, got {spec!r}"
            )
        return st.floats(low, high, allow_nan=False, allow_infinity=False)
    raise TypeError(
        f"a domain is a (low, high) range or a hypothesis strategy, got {spec!r}; "
        "e.g. domain=(0.1, 10.0), or domain=[(0.1, 10.0), (-1.0, 1.0)] for two arguments"
    )


def _domain_strategies(
    build: Callable[..., Any], domain: object
) -> tuple[list[st.SearchStrategy[float]], list[str]]:
    """One strategy and one name per argument of `build`."""
    names = _argument_names(build)
    if isinstance(domain, (tuple, list)) and not _is_range(domain):
        strategies = [_strategy(spec) for spec in domain]
        if names is not None and len(names) != len(strategies):
            raise ValueError(
                f"domain gives {len(strategies)} ranges but build takes {len(names)} "
                f"arguments ({', '.join(names)}); give one range or strategy per argument"
            )
    else:
        arity = 1 if names is None else len(names)
        if arity == 0:
            raise ValueError("build must take at least one argument, the Value(s) to vary")
        single = reals() if domain is None else _strategy(domain)
        strategies = [single] * arity
    if names is None or len(names) != len(strategies):
        names = _default_names(len(strategies))
    return strategies, names


def check_op(
    build: Callable[..., Value],
    reference: Callable[..., float] | None = None,
    domain: Domain | Sequence[Domain] | None = None,
    *,
    h: float = DEFAULT_STEP,
    order: int = 1,
    examples: int | None = None,
    raise_on_failure: bool = True,
    seed: int | None = None,
    name: str | None = None,
) -> CheckReport:
    """Property-test an op's derivative rule: reverse mode vs central differences, on many inputs.

    - `build(x, ...)` applies the op to Values and returns a Value (an op made
      by `define_op` works as it is; so does `lambda x: x.tanh()`).
    - `reference`: the op on floats; when given, the forward value is checked too.
    - `domain`: where inputs come from: a (low, high) range or a hypothesis
      strategy, or one of those per argument. Default `reals()`. Keep it at
      least 2 * h * max(1, |x|) away from where the op is undefined or has a kink.
    - `order=2` also checks every second derivative from
      `grad(create_graph=True)` against a central difference of the first
      derivative (a rule that uses `math` instead of ops fails here).
    - `examples`: how many inputs to try (default: the active hypothesis
      profile's max_examples, 100 unless a profile says otherwise).
    - `seed`: fix hypothesis's random choices, to repeat a run exactly.

    On failure it raises `CheckFailed` (an `AssertionError`) whose message
    shows the smallest failing input hypothesis found and the analytic and
    numeric values; with `raise_on_failure=False` it returns the report
    instead. Call it from a plain function or test, not from inside a
    `@given` test: it runs hypothesis itself.

    >>> report = check_op(lambda x, w: x ** w, domain=[(0.5, 2.0), (-2.0, 2.0)], examples=20)
    >>> report.passed, report.examples > 0
    (True, True)
    """
    if order not in (1, 2):
        raise ValueError(f"order must be 1 or 2, got {order!r}")
    if not (math.isfinite(h) and h > 0):
        raise ValueError(f"h must be a finite number > 0, got {h!r}; the default is {DEFAULT_STEP}")
    if examples is not None and (isinstance(examples, bool) or examples < 1):
        raise ValueError(f"examples must be a positive integer, got {examples!r}")
    if not callable(build):
        raise TypeError(f"build must be callable, got {type(build).__name__}")
    strategies, names = _domain_strategies(build, domain)
    title = name or _op_name(build, len(strategies))
    tally = _Tally()

    def check_one(point: Point) -> None:
        try:
            comparisons = check_point(
                build, point, h=h, order=order, reference=reference, names=names
            )
        except StencilCrossesKink:
            reject()  # no slope to measure here: not counted, not failed
        except OutsideDomain as error:
            tally.examples += 1
            raise _Counterexample(point, None, str(error)) from None
        tally.examples += 1
        for comparison in comparisons:
            tally.add(comparison)
        for comparison in comparisons:
            if not comparison.passed:
                raise _Counterexample(point, comparison, "")

    run = given(st.tuples(*strategies))(check_one)
    run = settings(
        parent=settings.default,
        max_examples=examples if examples is not None else settings().max_examples,
        database=None,
        deadline=None,
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        suppress_health_check=[HealthCheck.too_slow],
    )(run)
    if seed is not None:
        run = fixed_seed(seed)(run)
    try:
        run()
    except _Counterexample as found:
        report = _failure_report(title, found, names, h, order, tally)
        if raise_on_failure:
            raise CheckFailed(report) from None
        return report
    except Unsatisfiable:
        raise ValueError(
            f"check_op({title}): no input in the domain could be checked: every one put the "
            "points x ± h, x ± 2h on both sides of a relu/abs kink; choose a domain away "
            "from the kink, e.g. away_from_zero()"
        ) from None
    message = (
        f"check_op({title}) passed {tally.examples} examples (order {order}, h = {h:g}): "
        f"largest error {tally.max_abs_error:.2g} (relative {tally.max_rel_error:.2g}), "
        f"at most {tally.worst_ratio:.2g} of the allowed error"
    )
    return CheckReport(
        title,
        True,
        tally.examples,
        tally.max_abs_error,
        tally.max_rel_error,
        tally.worst_ratio,
        None,
        None,
        message,
    )


def _op_name(build: Callable[..., Any], arity: int) -> str:
    """A name for messages: the op of the node build makes, else build's own name."""
    if isinstance(build, Op):
        return build.name
    name = getattr(build, "__name__", "")
    if name and name != "<lambda>":
        return name
    try:
        output = build(*(Value(1.0) for _ in range(arity)))
    except Exception:  # any failure just means no better name than "build"
        return "build"
    return output._op if isinstance(output, Value) and output._op else "build"


def _failure_report(
    title: str, found: _Counterexample, names: Sequence[str], h: float, order: int, tally: _Tally
) -> CheckReport:
    """The report and readable message for the smallest failing input hypothesis found."""
    lines = [f"check_op({title}) failed."]
    lines.append(f"  smallest failing input hypothesis found: {_show_point(found.point, names)}")
    failure = found.failure
    if failure is None:
        lines.append(f"  {found.problem}")
        lines.append(
            f"  The check evaluates the op at x ± h and x ± 2h with h = {h:g} * max(1, |x|): "
            "keep the domain that far from where the op is undefined or overflows."
        )
    else:
        what = {
            "reference function": "the forward value disagrees with the reference function",
            "central difference": "reverse mode disagrees with the central difference",
        }[failure.method]
        width = len(failure.quantity)
        lines.append(f"  {what}:")
        lines.append(f"  {failure.quantity}  analytic = {failure.analytic!r}")
        lines.append(f"  {'':{width}}  numeric  = {failure.numeric!r} ({failure.method})")
        lines.append(
            f"  {'':{width}}  |analytic - numeric| = {failure.abs_error:.3g}, "
            f"allowed {failure.tolerance:.3g}"
        )
        if failure.quantity.startswith("d2") and failure.analytic == 0.0:
            lines.append(
                "  A second derivative of exactly 0 often means the rule uses math.* or "
                "plain floats instead of ops, so grad(create_graph=True) cannot see through it."
            )
        elif failure.method == "central difference":
            lines.append("  Check the derivative rule of this op (define_op's `derivative`).")
    lines.append(
        f"  ({tally.examples} inputs tried, counting those tried while shrinking; order {order}; "
        "the allowed error is explained in help(tinygrad_edu.testing))"
    )
    return CheckReport(
        title,
        False,
        tally.examples,
        tally.max_abs_error,
        tally.max_rel_error,
        tally.worst_ratio,
        found.point,
        failure,
        "\n".join(lines),
    )


# --- check_rules: every built-in rule -----------------------------------------------------


@dataclass(frozen=True)
class RulesReport:
    """One `CheckReport` per built-in op; prints as an aligned table."""

    rows: tuple[CheckReport, ...]

    @property
    def passed(self) -> bool:
        """True when every rule passed."""
        return all(row.passed for row in self.rows)

    def __str__(self) -> str:
        header = ("op", "examples", "max abs error", "max rel error", "error/allowed", "result")
        table = [header] + [
            (
                row.name,
                str(row.examples),
                f"{row.max_abs_error:.2e}",
                f"{row.max_rel_error:.2e}",
                f"{row.worst_ratio:.3f}",
                "pass" if row.passed else "FAIL",
            )
            for row in self.rows
        ]
        widths = [max(len(line[column]) for line in table) for column in range(len(header))]
        lines = [
            "  ".join(
                cell.ljust(width) if column == 0 else cell.rjust(width)
                for column, (cell, width) in enumerate(zip(line, widths, strict=True))
            )
            for line in table
        ]
        failed = [row for row in self.rows if not row.passed]
        if failed:
            lines.append("")
            lines += [row.message for row in failed]
            lines.append(f"{len(failed)} of {len(self.rows)} rules FAILED")
        else:
            lines.append(f"all {len(self.rows)} rules passed")
        return "\n".join(lines)


def check_rules(
    examples: int | None = None, ops: Sequence[str] | None = None, seed: int | None = None
) -> RulesReport:
    """Run `check_op` (order 2, with the reference) on every op of `OP_TABLE`, or on those in `ops`.

    `ops` takes names as in the table ('tanh', '**', '**2'); '**k' selects
    every power. Never raises on a failing rule: look at `.passed`.

    >>> report = check_rules(examples=5, ops=['tanh', '**k'])
    >>> report.passed, [row.name for row in report.rows][:3]
    (True, ['tanh', '**0', '**1'])
    """
    cases = OP_TABLE
    if ops is not None:
        known = [case.name for case in OP_TABLE]
        unknown = [name for name in ops if name not in known and name != "**k"]
        if unknown:
            raise ValueError(
                f"unknown op {', '.join(map(repr, unknown))}; the built-in ops are "
                f"{' '.join(known)} (and '**k' for every power)"
            )
        cases = tuple(
            case
            for case in OP_TABLE
            if case.name in ops or ("**k" in ops and case.name.startswith("**") and case.arity == 1)
        )
    rows = tuple(
        check_op(
            case.build,
            case.reference,
            domain=list(case.domain),
            order=2,
            examples=examples,
            raise_on_failure=False,
            seed=seed,
            name=case.name,
        )
        for case in cases
    )
    return RulesReport(rows)


# --- Random expression DAGs ---------------------------------------------------------------


def _positive(x: Any) -> Any:
    """softplus(x) + 0.5 >= 0.5: keeps log, sqrt, divisors and bases inside their domains."""
    return OPS["softplus"](x) + 0.5


@dataclass(frozen=True)
class _ExpressionOp:
    """An op as used in random expressions: how to apply it (with a domain guard) and print it."""

    arity: int
    apply: Callable[..., Any]
    template: str
    numbers_allowed: bool = False


EXPRESSION_OPS: dict[str, _ExpressionOp] = {
    "+": _ExpressionOp(2, operator.add, "{0} + {1}", numbers_allowed=True),
    "-": _ExpressionOp(2, operator.sub, "{0} - {1}", numbers_allowed=True),
    "*": _ExpressionOp(2, operator.mul, "{0} * {1}", numbers_allowed=True),
    "/": _ExpressionOp(
        2, lambda a, b: a / _positive(b), "{0} / (softplus({1}) + 0.5)", numbers_allowed=True
    ),
    "neg": _ExpressionOp(1, operator.neg, "-{0}"),
    "exp": _ExpressionOp(1, lambda x: x.exp(), "exp({0})"),
    "log": _ExpressionOp(1, lambda x: _positive(x).log(), "log(softplus({0}) + 0.5)"),
    "tanh": _ExpressionOp(1, lambda x: x.tanh(), "tanh({0})"),
    "sigmoid": _ExpressionOp(1, lambda x: x.sigmoid(), "sigmoid({0})"),
    "relu": _ExpressionOp(1, lambda x: x.relu(), "relu({0})"),
    "softplus": _ExpressionOp(1, lambda x: x.softplus(), "softplus({0})"),
    "sqrt": _ExpressionOp(1, lambda x: _positive(x).sqrt(), "sqrt(softplus({0}) + 0.5)"),
    "abs": _ExpressionOp(1, abs, "abs({0})"),
    "**": _ExpressionOp(2, lambda x, w: _positive(x) ** w, "(softplus({0}) + 0.5) ** {1}"),
    "**2": _ExpressionOp(1, lambda x: x**2, "{0} ** 2"),
    "**3": _ExpressionOp(1, lambda x: x**3, "{0} ** 3"),
    "**-1": _ExpressionOp(1, lambda x: _positive(x) ** -1, "(softplus({0}) + 0.5) ** -1"),
    "**0.5": _ExpressionOp(1, lambda x: _positive(x) ** 0.5, "(softplus({0}) + 0.5) ** 0.5"),
    "dot": _ExpressionOp(
        5, lambda w1, x1, w2, x2, b: dot([w1, w2], [x1, x2], b), "dot([{0}, {2}], [{1}, {3}], {4})"
    ),
}
"""The ops random expressions use: every built-in op, with softplus(x) + 0.5 in front of
arguments that must be positive, so that every expression is defined everywhere."""

Operand = int | float
"""In an expression step, an int is the index of an earlier node and a float is a number."""


@dataclass(frozen=True)
class Expression:
    """A random expression DAG: leaf values, then steps that each apply one op to earlier nodes.

    Node i < len(inputs) is leaf i; step s makes node len(inputs) + s. A node
    may be used by several later steps (a shared subexpression). The output is
    the sum of the nodes no step uses, so every node reaches it.

    >>> e = Expression((2.0,), (('*', (0, 0)), ('tanh', (1,)), ('+', (1, 2))))
    >>> print(e)
    x0 = 2.0
    v1 = x0 * x0
    v2 = tanh(v1)
    v3 = v1 + v2
    out = v3
    >>> e.shared_nodes()
    2
    """

    inputs: Point
    steps: tuple[tuple[str, tuple[Operand, ...]], ...]

    def build(self, *leaves: Value) -> Value:
        """The expression's graph on these leaf Values (one per input)."""
        nodes: list[Any] = list(leaves)
        for op, operands in self.steps:
            arguments = [nodes[x] if isinstance(x, int) else x for x in operands]
            nodes.append(EXPRESSION_OPS[op].apply(*arguments))
        output: Value = nodes[self._sinks()[0]]
        for index in self._sinks()[1:]:
            output = output + nodes[index]
        return output

    def _uses(self) -> list[int]:
        uses = [0] * (len(self.inputs) + len(self.steps))
        for _, operands in self.steps:
            for x in operands:
                if isinstance(x, int):
                    uses[x] += 1
        return uses

    def _sinks(self) -> list[int]:
        return [index for index, count in enumerate(self._uses()) if count == 0]

    def shared_nodes(self) -> int:
        """How many nodes are used more than once (each use counted per operand)."""
        return sum(1 for count in self._uses() if count > 1)

    def __str__(self) -> str:
        names = [f"x{index}" for index in range(len(self.inputs))]
        lines = [f"{name} = {x!r}" for name, x in zip(names, self.inputs, strict=True)]
        for op, operands in self.steps:
            shown = [names[x] if isinstance(x, int) else repr(x) for x in operands]
            names.append(f"v{len(names)}")
            lines.append(f"{names[-1]} = {EXPRESSION_OPS[op].template.format(*shown)}")
        lines.append("out = " + " + ".join(names[index] for index in self._sinks()))
        return "\n".join(lines)


@st.composite
def expressions(
    draw: st.DrawFn,
    ops: Sequence[str] | None = None,
    max_leaves: int = 3,
    max_steps: int = 8,
    leaf_values: st.SearchStrategy[float] | None = None,
    numbers: st.SearchStrategy[float] | None = None,
) -> Expression:
    """Random expression DAGs over `ops` (default: all of `EXPRESSION_OPS`), with their inputs.

    Each step applies an op to nodes drawn from everything built so far, so
    nodes get reused (shared subexpressions, where reverse mode must add the
    paths); + - * / may also take a number on either side (`2 * v`, `1 - v`).
    Leaves come from `reals(2.0)` and numbers from `reals(3.0)`: small enough
    that most expressions of up to 8 steps, exp and powers included, stay
    finite (tests reject the few that overflow). Shrinks towards fewer steps,
    earlier ops in the list and earlier nodes.

    >>> from hypothesis import given, reject, settings
    >>> @settings(max_examples=20, database=None)
    ... @given(expressions(ops=['*', 'tanh', 'relu']))
    ... def test_every_leaf(expression):
    ...     try:
    ...         comparisons = check_point(expression.build, expression.inputs)
    ...     except StencilCrossesKink:
    ...         reject()
    ...     assert all(c.passed for c in comparisons), expression
    >>> test_every_leaf()
    """
    names = list(EXPRESSION_OPS) if ops is None else list(ops)
    for name in names:
        if name not in EXPRESSION_OPS:
            raise ValueError(f"unknown op {name!r}; choose among {' '.join(EXPRESSION_OPS)}")
    leaves = reals(2.0) if leaf_values is None else leaf_values
    constants = reals(3.0) if numbers is None else numbers
    inputs = tuple(draw(st.lists(leaves, min_size=1, max_size=max_leaves)))
    count = len(inputs)
    steps: list[tuple[str, tuple[Operand, ...]]] = []
    for _ in range(draw(st.integers(1, max_steps))):
        name = draw(st.sampled_from(names))
        spec = EXPRESSION_OPS[name]
        operands: list[Operand] = [draw(st.integers(0, count - 1)) for _ in range(spec.arity)]
        if spec.numbers_allowed:
            side = draw(st.sampled_from(("none", "left", "right")))
            if side != "none":
                operands[0 if side == "left" else 1] = draw(constants)
        steps.append((name, tuple(operands)))
        count += 1
    return Expression(inputs, tuple(steps))


# --- Strategies for the losses and the data sets -------------------------------------------
# Used by tests/test_losses.py and tests/test_data.py; each says why its domain is what it is.


def logits(bound: float = 15.0) -> st.SearchStrategy[float]:
    """Logits z with |z| <= bound; 15 by default, where both forms of cross-entropy agree to 1e-9.

    sigmoid(z) is rounded to within 2**-53 of 1, so the probability form's
    1 - sigmoid(z) (and log sigmoid(z)) is off by up to 2**-53 / (1 - sigmoid(z))
    relative: about 3.6e-10 at |z| = 15, while the loss is at least
    softplus(-15) ~ 3e-7. Beyond |z| ~ 37 sigmoid(z) rounds to exactly 1 and
    that form loses the loss. The logits form is exact for any finite z: test
    it alone with a larger bound, e.g. logits(1000.0).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, database=None)
    ... @given(logits())
    ... def test_sigmoid_stays_below_one(z):
    ...     assert Value(z).sigmoid().data < 1.0
    >>> test_sigmoid_stays_below_one()
    """
    return reals(bound)


def binary_targets() -> st.SearchStrategy[float]:
    """Targets of binary cross-entropy: the labels 0.0 and 1.0, or a soft target in [0, 1].

    The labels are drawn often on purpose: the losses build a shorter graph
    for them (softplus(-z) for y = 1, softplus(z) for y = 0), a branch of its
    own that must agree with the general formula.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, database=None)
    ... @given(binary_targets())
    ... def test_in_zero_one(y):
    ...     assert 0.0 <= y <= 1.0
    >>> test_in_zero_one()
    """
    return st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0))


def probabilities(margin: float = 1e-6) -> st.SearchStrategy[float]:
    """Probabilities in [margin, 1 - margin], for the derivative of the probability form.

    Away from 0 and 1: below p = e**-100 the log terms hit the -100 clamp,
    where the gradient is cut off, and 1/p, 1/(1 - p) have poles at 0 and 1.
    With the default margin those derivatives stay below 1e6.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, database=None)
    ... @given(probabilities())
    ... def test_log_is_not_clamped(p):
    ...     assert Value(p).log().data > -100 and (1 - Value(p)).log().data > -100
    >>> test_log_is_not_clamped()
    """
    return st.floats(margin, 1.0 - margin)


def sign_labels() -> st.SearchStrategy[float]:
    """The labels of the hinge loss, -1.0 and +1.0 (a 0 label is an error there).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, database=None)
    ... @given(sign_labels())
    ... def test_a_sign(y):
    ...     assert abs(y) == 1.0
    >>> test_a_sign()
    """
    return st.sampled_from([-1.0, 1.0])


def distinguishable_reals() -> st.SearchStrategy[float]:
    """0.0, or a float with 1e-100 <= |x| <= 1e100: for "MSE is 0 exactly when p == y".

    Two distinct such floats differ by at least ulp(1e-100) ~ 1e-116, whose
    square does not underflow to 0, and by at most 2e100, whose square does
    not overflow; so (p - y)**2 is 0 exactly when p == y. Near 0 (1e-200
    against 0) or near the largest floats the law fails by rounding alone.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, database=None)
    ... @given(distinguishable_reals(), distinguishable_reals())
    ... def test_square_of_difference(p, y):
    ...     assert (((Value(p) - y) ** 2).data == 0.0) == (p == y)
    >>> test_square_of_difference()
    """
    size = st.floats(1e-100, 1e100)
    return st.one_of(st.just(0.0), size, size.map(operator.neg))


@st.composite
def class_logits(
    draw: st.DrawFn, max_examples: int = 5, max_classes: int = 5, bound: float = 50.0
) -> tuple[list[list[float]], list[int]]:
    """Inputs of cross_entropy: rows of K logits (the same K <= max_classes) and one class per row.

    Logits within +-50 put softmax terms as small as e**-100 next to 1, so
    the log-sum-exp shift is exercised, while a reference softmax written
    with math.exp(z - max) stays finite. K = 1 (a loss of exactly 0) is included.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, database=None)
    ... @given(class_logits())
    ... def test_one_class_per_row(case):
    ...     rows, classes = case
    ...     assert len(rows) == len(classes) and all(0 <= c < len(rows[0]) for c in classes)
    >>> test_one_class_per_row()
    """
    n_classes = draw(st.integers(1, max_classes))
    row = st.lists(reals(bound), min_size=n_classes, max_size=n_classes)
    rows = draw(st.lists(row, min_size=1, max_size=max_examples))
    classes = draw(st.lists(st.integers(0, n_classes - 1), min_size=len(rows), max_size=len(rows)))
    return rows, classes


def dataset_sizes(largest: int = 200) -> st.SearchStrategy[int]:
    """Sizes n for the data makers: from 2, the smallest legal n (a point per class), to `largest`.

    Odd and even n both occur, so the "classes differ by at most one" rule is
    exercised; 200 points are made in well under a millisecond.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, database=None)
    ... @given(dataset_sizes())
    ... def test_legal_size(n):
    ...     assert 2 <= n <= 200
    >>> test_legal_size()
    """
    return st.integers(2, largest)


__all__ += [
    "binary_targets",
    "class_logits",
    "dataset_sizes",
    "distinguishable_reals",
    "logits",
    "probabilities",
    "sign_labels",
]
