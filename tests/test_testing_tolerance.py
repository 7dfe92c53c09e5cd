"""check_point's allowed error is tight: a rule off by one part in 1e8 fails, correct ones pass.

Along one coordinate the central difference with step s = h * max(1, |x|) is
off from f'(x) by about s**2 / 6 * |f'''| (truncation) plus B / s, B the
rounding error of one evaluation of f (about 1e-16 * |f|): at h = 1e-5 and
x = 0.5 that is near 1e-10 for tanh, while tanh' * (1 + 1e-8) is off by 7.9e-9.
A tolerance 100 times looser than the derived bound lets that rule through;
these tests fail if the bound ever grows that loose.
"""

from __future__ import annotations

import math

import pytest

from tinygrad_edu import define_op
from tinygrad_edu.testing import OP_TABLE, OpCase, check_op, check_point

SLIGHTLY = 1e-8
"""The relative error of the slightly wrong rules: far above the bound (~1e-10), far below 1."""

tanh_slightly_wrong = define_op(
    "test_tolerance_tanh_slightly_wrong",
    math.tanh,
    lambda out, x: ((1 - out**2) * (1 + SLIGHTLY),),
)


def test_a_rule_off_by_one_part_in_1e8_fails_check_point_at_a_half() -> None:
    (comparison,) = check_point(tanh_slightly_wrong, [0.5])
    assert not comparison.passed
    # analytic - numeric is 1e-8 * tanh'(0.5) = 7.9e-9; the bound is ~1e-10, 80 times smaller
    assert comparison.abs_error > 10 * comparison.tolerance


def test_the_correct_tanh_sits_well_below_the_bound_at_a_half() -> None:
    (comparison,) = check_point(lambda x: x.tanh(), [0.5])
    assert comparison.passed and comparison.abs_error < comparison.tolerance / 2


def test_a_rule_off_by_one_part_in_1e8_fails_check_op() -> None:
    report = check_op(tanh_slightly_wrong, math.tanh, domain=(-1.0, 1.0), raise_on_failure=False)
    assert not report.passed and report.failure is not None
    assert report.failure.quantity == "df/dx"
    assert report.failure.abs_error > 10 * report.failure.tolerance


def slightly_wrong(case: OpCase) -> object:
    """The op of `case` with every partial derivative multiplied by 1 + 1e-8 (floats only)."""
    return define_op(
        f"test_tolerance_slightly_wrong_{case.name}",
        case.reference,
        lambda out, *inputs: tuple(d * (1 + SLIGHTLY) for d in case.derivative(*inputs)),
    )


NONZERO_SLOPE = [case for case in OP_TABLE if case.name != "**0"]
"""Every op whose derivative at 0.5 is not 0 (x ** 0 has slope 0, which no factor changes)."""


@pytest.mark.parametrize("case", NONZERO_SLOPE, ids=[case.name for case in NONZERO_SLOPE])
def test_every_builtin_rule_off_by_one_part_in_1e8_fails_at_a_half(case: OpCase) -> None:
    """At 0.5 (inside every op's domain) each wrong partial derivative is caught."""
    point = [0.5] * case.arity
    wrong = check_point(slightly_wrong(case), point)  # type: ignore[arg-type]
    right = check_point(case.build, point)
    assert [c.passed for c in right] == [True] * case.arity
    assert [c.passed for c in wrong] == [False] * case.arity
