"""Every built-in derivative rule: reverse mode equals the closed form and a central difference.

The ops, their domains, references and closed forms come from
`tinygrad_edu.testing.OP_TABLE` (the same table `tinygrad-edu check-rules`
uses); the tolerances are derived in that module's docstring and below.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import example, find, given, reject, settings
from hypothesis import strategies as st

from tinygrad_edu import Value, grad
from tinygrad_edu.engine import _BUILT_IN_RULES, OPS
from tinygrad_edu.testing import (
    EXPRESSION_OPS,
    OP_TABLE,
    POWERS,
    UNIT_ROUNDOFF,
    Expression,
    OpCase,
    OutsideDomain,
    check_point,
    expressions,
    reals,
    rounding_bound,
)

CASES = pytest.mark.parametrize("case", OP_TABLE, ids=[case.name for case in OP_TABLE])

CLOSED_FORM_ROUNDING = 32 * UNIT_ROUNDOFF
"""How far the closed forms in OP_TABLE may be from the exact derivative, relative.

Each is at most four roundings and libm calls (within 1 ulp = 2u each), except
d/dx x**w = w * x**(w - 1), whose exponent w - 1 is itself rounded: that moves
the power by |ln x| * |w - 1| * u <= 4.61 * 6 * u ~ 28u on the domain
positive_reals() x exponents(). 28u + 4u = 32u covers every row.
"""


def draw_point(data: st.DataObject, case: OpCase) -> tuple[float, ...]:
    return tuple(data.draw(strategy, label=f"x{i}") for i, strategy in enumerate(case.domain))


def builtin_op_names() -> set[str]:
    """The ops the engine defines on import (test modules may add theirs when imported)."""
    return {name for name, op in OPS.items() if op.derivative in _BUILT_IN_RULES}


def test_the_table_covers_every_builtin_op() -> None:
    names = {case.name for case in OP_TABLE}
    powers = {name for name in names if name.startswith("**") and name != "**"}
    assert builtin_op_names() == (names - powers) | {"**k"}
    assert len(powers) == len(POWERS) >= 3


def test_random_expressions_use_every_builtin_op() -> None:
    named = {name for name in EXPRESSION_OPS if not name.startswith("**") or name == "**"}
    assert builtin_op_names() - {"**k"} == named
    assert any(name.startswith("**") and name != "**" for name in EXPRESSION_OPS)


@CASES
@given(data=st.data())
def test_reverse_mode_equals_the_closed_form(case: OpCase, data: st.DataObject) -> None:
    """backward() and grad(create_graph=True) give the textbook derivative.

    Allowed: the engine's own rounding (`rounding_bound` of the derivative's
    graph) plus the closed form's (CLOSED_FORM_ROUNDING).
    """
    point = draw_point(data, case)
    leaves = [Value(x) for x in point]
    output = case.build(*leaves)
    output.backward()
    derivatives = grad(output, leaves, create_graph=True)
    for leaf, derivative, expected in zip(
        leaves, derivatives, case.derivative(*point), strict=True
    ):
        tolerance = rounding_bound(derivative) + CLOSED_FORM_ROUNDING * abs(expected)
        assert abs(leaf.grad - expected) <= tolerance, (point, leaf.grad, expected)
        assert abs(derivative.data - expected) <= tolerance, (point, derivative.data, expected)


@CASES
@given(data=st.data())
def test_reverse_mode_agrees_with_a_central_difference(case: OpCase, data: st.DataObject) -> None:
    """Within the truncation + round-off bound of check_point; the forward value matches too."""
    point = draw_point(data, case)
    comparisons = check_point(case.build, point, reference=case.reference)
    assert [c for c in comparisons if not c.passed] == []


PINNED = [
    ("tanh", (0.0,)),
    ("tanh", (20.0,)),  # 1 - out**2 rounds to ~1e-16 while the truth is 1.7e-17
    ("tanh", (-100.0,)),
    ("sigmoid", (-100.0,)),  # the derivative is 3.7e-44: only the relative bound can see it
    ("softplus", (100.0,)),
    ("exp", (100.0,)),
    ("log", (0.01,)),  # the domain's edge: x - 2h stays positive, f''' = 2e6
    ("sqrt", (0.01,)),
    ("relu", (0.01,)),
    ("abs", (-0.01,)),
    ("*", (5e-324, 3.0)),  # subnormal products: the underflow term of the bound
    ("/", (5e-324, -0.01)),
    ("**", (0.01, -5.0)),
    ("**", (100.0, 5.0)),
    ("**-1.5", (0.01,)),
    ("**3", (2.220446049250313e-16,)),  # round-off must be measured at x ± h, not at x
    ("**0", (0.0,)),
    ("dot", (0.0, 0.0, 0.0, 0.0, 0.0)),
]


@pytest.mark.parametrize(("name", "point"), PINNED)
def test_pinned_points(name: str, point: tuple[float, ...]) -> None:
    (case,) = [case for case in OP_TABLE if case.name == name]
    comparisons = check_point(case.build, point, reference=case.reference, order=2)
    assert [c for c in comparisons if not c.passed] == []


SHARED = Expression(
    (0.5, -1.5),
    (("*", (0, 1)), ("tanh", (2,)), ("+", (2, 3)), ("*", (3, 3)), ("log", (4,)), ("-", (5, 6))),
)
"""p = x0 * x1 feeds tanh and +; t = tanh(p) feeds + and both sides of *: two shared nodes."""


@given(expression=expressions())
@example(expression=SHARED)
@example(expression=Expression((0.0,), (("relu", (0,)),)))  # at the kink: rejected, not failed
@example(expression=Expression((1.0, 2.0), (("dot", (0, 1, 1, 0, 1)),)))
def test_random_expressions_agree_with_central_differences_at_every_leaf(
    expression: Expression,
) -> None:
    """Random DAGs over every op, reusing nodes: each leaf's gradient matches a central difference.

    Expressions that overflow, or whose stencil straddles a relu/abs kink,
    have no derivative to measure and are rejected.
    """
    try:
        comparisons = check_point(expression.build, expression.inputs)
    except OutsideDomain:
        reject()
    assert len(comparisons) == len(expression.inputs)
    failures = [c for c in comparisons if not c.passed]
    assert failures == [], f"{expression}\n{failures}"


def test_the_expression_strategy_makes_shared_subexpressions() -> None:
    found = find(expressions(), lambda e: e.shared_nodes() >= 2, settings=settings(database=None))
    assert found.shared_nodes() >= 2


def test_a_shared_node_receives_the_sum_of_its_paths() -> None:
    """SHARED is out = t**2 - log(softplus(p + t) + 0.5) with p = x0 * x1 and t = tanh(p).

    d out/dp = 2 t t' - sigmoid(p + t) (1 + t') / (softplus(p + t) + 0.5), t' = 1 - t**2,
    summing p's two paths and t's three. Allowed: the engine's rounding
    (rounding_bound) plus the closed form's, about 20 roundings of terms below 4.
    """
    x0, x1 = SHARED.inputs
    leaves = [Value(x) for x in SHARED.inputs]
    output = SHARED.build(*leaves)
    assert SHARED.shared_nodes() == 2
    output.backward()
    p = x0 * x1
    t = math.tanh(p)
    slope = 1 / math.cosh(p) ** 2
    s = p + t
    softplus = math.log1p(math.exp(s))
    sigmoid = 1 / (1 + math.exp(-s))
    d_out_d_p = 2 * t * slope - sigmoid * (1 + slope) / (softplus + 0.5)
    derivatives = grad(output, leaves, create_graph=True)
    for leaf, derivative, expected in zip(
        leaves, derivatives, (d_out_d_p * x1, d_out_d_p * x0), strict=True
    ):
        tolerance = rounding_bound(derivative) + 40 * UNIT_ROUNDOFF * 4 * 2
        assert abs(leaf.grad - expected) <= tolerance


@given(x=reals())
@example(x=0.0)
@example(x=2.220446049250313e-16)  # regression: f(x) = 0 but f(x ± h) is not
def test_the_cube_to_second_order(x: float) -> None:
    comparisons = check_point(lambda v: v**3, (x,), order=2)
    assert all(c.passed for c in comparisons)
