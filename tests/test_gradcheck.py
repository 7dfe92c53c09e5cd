"""Tests for tinygrad_edu.gradcheck: finite differences, the gradcheck report and nudge.

Tolerances are derived, not tuned: u = 2**-53 is the unit roundoff of a float64,
and a loss computed with k roundings from terms whose magnitudes add up to S is
off by at most about k*u*S (the standard bound gamma_k ~ k*u), plus k times
half the smallest subnormal when results underflow. A finite difference
divides two such errors by h, so its round-off is about 2*k*u*S/h.
"""

from __future__ import annotations

import importlib.util
import itertools
import math
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinygrad_edu import gradcheck as gradcheck_module
from tinygrad_edu import losses
from tinygrad_edu.data import make_moons
from tinygrad_edu.engine import Value, define_op
from tinygrad_edu.gradcheck import (
    FLAT_RELATIVE_CHANGE,
    METHODS,
    GradcheckReport,
    gradcheck,
    nudge,
    numerical_derivative,
)
from tinygrad_edu.nn import MLP

UNIT_ROUNDOFF = 2.0**-53
SUBNORMAL_STEP = math.ulp(0.0)  # below 2**-1022 roundings are absolute, up to half of this

_fresh_names = itertools.count()


def fresh_op_name(purpose: str) -> str:
    """A name no other test (nor the engine) uses, so define_op never clashes."""
    return f"test_gradcheck_{purpose}_{next(_fresh_names)}"


def pinned_quadratic() -> tuple[Value, Callable[[], Value]]:
    """The lesson's pinned example: f(w) = (1.5 w - 1)^2 at w = 0, with f'(0) = -3 and f'' = 4.5."""
    w = Value(0.0, label="w")

    def f() -> Value:
        return (1.5 * w - 1) ** 2

    return w, f


# --- numerical_derivative ----------------------------------------------------------------


def test_the_three_methods_on_the_pinned_quadratic() -> None:
    """f(h) = 1 - 3h + 2.25h^2, so forward = -3 + 2.25h, backward = -3 - 2.25h, central = -3.

    The values near 1 carry round-off of a few u, divided by h = 1e-3: about 1e-12.
    """
    w, f = pinned_quadratic()
    assert numerical_derivative(f, w, method="forward") == pytest.approx(-3 + 2.25e-3, abs=1e-12)
    assert numerical_derivative(f, w, method="backward") == pytest.approx(-3 - 2.25e-3, abs=1e-12)
    assert numerical_derivative(f, w) == pytest.approx(-3.0, abs=1e-12)
    assert w.data == 0.0


@given(
    a=st.floats(-10, 10),
    b=st.floats(-10, 10),
    c=st.floats(-10, 10),
    sixty_fourths=st.integers(-640, 640),
    method=st.sampled_from(METHODS),
)
def test_for_any_quadratic_the_error_is_exactly_the_curvature_term(
    a: float, b: float, c: float, sixty_fourths: int, method: str
) -> None:
    """For p(w) = a w^2 + b w + c: forward - p'(w) = +a h, backward - p'(w) = -a h, central = 0.

    w is a multiple of 1/64 and h = 2**-10, so w +- h is exact and only the
    evaluation of p rounds: at most 4 roundings (pow, mul, add, add) on terms
    adding up to S = |a|(|w|+h)^2 + |b|(|w|+h) + |c|, twice, divided by h;
    the analytic derivative 2aw + b adds a few roundings of its own terms.
    """
    h = 2.0**-10
    w = Value(sixty_fourths / 64)

    def f() -> Value:
        return a * w**2 + b * w + c

    exact_slope = 2 * a * w.data + b
    truncation = {"forward": a * h, "backward": -a * h, "central": 0.0}[method]
    reach = abs(w.data) + h
    terms = abs(a) * reach**2 + abs(b) * reach + abs(c)
    denominator = h if method != "central" else 2 * h
    bound = 2 * 4 * (UNIT_ROUNDOFF * terms + SUBNORMAL_STEP) / denominator + 4 * (
        UNIT_ROUNDOFF * (abs(exact_slope) + abs(truncation) + abs(b)) + SUBNORMAL_STEP
    )

    report = gradcheck(f, [w], h=h, method=method)
    row = report.rows[0]
    assert row.numeric - row.analytic == pytest.approx(truncation, abs=bound)
    if method != "central":
        assert row.second_derivative == 2 * a
        assert row.predicted_error == h * abs(a)
    else:
        assert row.second_derivative is None
        assert row.predicted_error is None


def test_works_on_any_expression_of_values() -> None:
    """Not only MLPs: a loss using several ops; central error is O(h^2) ~ 1e-6 * f''' here."""
    x, y = Value(0.7, label="x"), Value(-0.4, label="y")

    def f() -> Value:
        return (x * y).tanh() + (x - y).exp().log() * y.sigmoid() + (x * x + 1).sqrt() / (2 + y)

    report = gradcheck(f, [x, y], rtol=0)
    assert report.passed, str(report)
    assert report.worst.abs_error < 1e-6


# --- the lesson's model: a seeded MLP on make_moons ------------------------------------------


def lesson_losses() -> dict[str, tuple[MLP, Callable[[], Value]]]:
    """A small seeded MLP on 16 moons points, with the lesson's two losses.

    Cross-entropy reads the output as a logit; MSE compares the probability
    sigmoid(logit) with the 0/1 label, as the lesson's side-by-side table does.
    """
    points, labels = make_moons(16, noise=0.1, seed=0)
    model = MLP(2, [4, 4, 1], seed=0)

    def logits() -> list[Value]:
        outputs = [model(point) for point in points]
        return [output for output in outputs if isinstance(output, Value)]

    def cross_entropy() -> Value:
        return losses.binary_cross_entropy_with_logits(logits(), labels)

    def squared_error() -> Value:
        return losses.mse([logit.sigmoid() for logit in logits()], labels)

    return {"cross_entropy": (model, cross_entropy), "mse": (model, squared_error)}


LOSS_NAMES = ["cross_entropy", "mse"]


@pytest.mark.parametrize("loss_name", LOSS_NAMES)
def test_central_check_passes_the_lessons_1e_5_on_every_mlp_parameter(loss_name: str) -> None:
    """Central error is h^2/6 * |f'''| ~ 1e-7 here, far below 1e-5 (rtol=0: absolute only)."""
    model, f = lesson_losses()[loss_name]
    report = gradcheck(f, model, method="central", atol=1e-5, rtol=0)
    assert report.passed, str(report)
    assert [row.name for row in report.rows] == [name for name, _ in model.named_parameters()]
    assert len(report.rows) == 37


@pytest.mark.parametrize("loss_name", LOSS_NAMES)
def test_forward_check_error_is_the_predicted_curvature_term(loss_name: str) -> None:
    """forward - analytic = h/2 f'' + h^2/6 f''' + ...: within a factor 2 of h/2*|f''|, same sign.

    Below 1e-6 the next term (h^2/6 * f''', about 1e-7 here) and round-off may
    compete, so the comparison is made where the measured error exceeds 1e-6,
    as the issue asks; the lesson's criterion is missed on the same correct model.
    """
    model, f = lesson_losses()[loss_name]
    report = gradcheck(f, model, method="forward", atol=1e-5, rtol=0)
    compared = [row for row in report.rows if row.abs_error > 1e-6]
    assert len(compared) >= len(report.rows) // 2
    for row in compared:
        assert row.second_derivative is not None and row.predicted_error is not None
        assert 0.5 <= row.abs_error / row.predicted_error <= 2, row
        assert math.copysign(1, row.numeric - row.analytic) == math.copysign(
            1, row.second_derivative
        ), row
    assert not report.passed, "a correct engine misses the lesson's 1e-5 with the forward check"


def test_nudge_on_the_mlp_agrees_with_grad_and_with_the_forward_difference() -> None:
    """nudge's actual change is h times the forward difference (one rounding apart).

    So it deviates from the prediction by about h * (h/2 f''), and its sign is
    the gradient's wherever |grad| > h * |f''| (the slope outweighs the curvature).
    """
    model, f = lesson_losses()["cross_entropy"]
    h = 1e-3
    report = gradcheck(f, model, h=h, method="forward")
    model.zero_grad()
    f().backward()
    signs_checked = 0
    for (name, weight), row in zip(model.named_parameters(), report.rows, strict=True):
        result = nudge(f, weight, h=h, name=name)
        assert result.direction == ("up" if weight.grad > 0 else "down")
        assert result.predicted_change == pytest.approx(weight.grad * h, rel=1e-12)
        assert result.actual_change == pytest.approx(row.numeric * h, rel=4 * UNIT_ROUNDOFF)
        assert row.second_derivative is not None
        if abs(weight.grad) > h * abs(row.second_derivative):
            signs_checked += 1
            assert math.copysign(1, result.actual_change) == math.copysign(1, weight.grad)
            assert str(result).startswith(f"Moving {name} up by 0.001 makes the loss go ")
    assert signs_checked >= len(report.rows) // 2


# --- the report -----------------------------------------------------------------------


def test_pinned_forward_check_measures_and_predicts_the_lessons_miss() -> None:
    """The issue's pinned numbers: forward error 2.25e-3, predicted h/2*|f''| = 2.25e-3.

    f is quadratic, so the prediction is exact; the measurement carries the
    ~1e-12 round-off of the difference (see the test above), hence rel=1e-8.
    """
    w, f = pinned_quadratic()
    report = gradcheck(f, [w], method="forward", atol=1e-5, rtol=0)
    (row,) = report.rows
    assert row.name == "w"
    assert row.analytic == -3.0
    assert row.abs_error == pytest.approx(2.25e-3, rel=1e-8)
    assert row.predicted_error == pytest.approx(2.25e-3, rel=1e-12)
    assert row.second_derivative == 4.5
    assert not row.passed and not report.passed
    central = gradcheck(f, [w], method="central", atol=1e-5, rtol=0)
    assert central.rows[0].abs_error < 1e-12
    assert central.passed


def test_passed_is_pytorchs_allclose_rule_scaled_by_the_numeric_value() -> None:
    """abs_error <= atol + rtol * |numeric|: an op claiming slope 3 for 2x is off by exactly 1.

    With rtol = 0.4 the rule allows 0.8 (from |numeric| = 2), not 1.2 (from |analytic| = 3).
    """
    doubled = define_op(fresh_op_name("double"), lambda x: 2 * x, lambda out, x: (3.0,))
    w = Value(0.5, label="w")
    (row,) = gradcheck(lambda: doubled(w), [w], atol=0, rtol=0.4).rows
    assert row.analytic == 3.0
    assert row.abs_error == pytest.approx(1.0, abs=1e-12)
    assert row.rel_error == pytest.approx(1 / 3, abs=1e-12)
    assert not row.passed
    assert gradcheck(lambda: doubled(w), [w], atol=0.21, rtol=0.4).rows[0].passed


@pytest.mark.parametrize("method", METHODS)
def test_a_wrong_derivative_is_reported_failing_by_name(method: str) -> None:
    """A square whose rule says 3x instead of 2x: off by 1.3 at x = 1.3, far above any tolerance."""
    wrong_square = define_op(
        fresh_op_name("wrong_square"), lambda x: x * x, lambda out, x: (3 * x,)
    )
    a, b = Value(1.3, label="a"), Value(-0.2, label="b")

    def f() -> Value:
        square: Value = wrong_square(a)
        return square + 2 * b  # linear in b: no truncation error for any method

    report = gradcheck(f, [a, b], method=method)
    assert not report.passed
    assert [row.name for row in report.failures] == ["a"]
    assert report.worst.name == "a"
    assert report.worst.abs_error == pytest.approx(1.3, abs=2e-3)
    assert "FAILED, 1 of 2 parameters outside tolerance (worst: a" in str(report)
    failing_line = next(line for line in str(report).splitlines() if line.startswith("a "))
    assert failing_line.endswith("FAIL")


def test_rows_are_named_by_label_or_index_or_pair_or_module() -> None:
    labelled, unlabelled = Value(1.0, label="weight"), Value(2.0)

    def f() -> Value:
        return labelled * unlabelled

    by_value = gradcheck(f, [labelled, unlabelled])
    assert [row.name for row in by_value.rows] == ["weight", "params[1]"]
    by_pair = gradcheck(f, [("first", labelled), ("second", unlabelled)])
    assert [row.name for row in by_pair.rows] == ["first", "second"]

    class TwoWeights:
        """Anything with named_parameters() counts as a Module."""

        def named_parameters(self) -> list[tuple[str, Value]]:
            return [("layers.0.w", labelled), ("layers.0.b", unlabelled)]

    by_module = gradcheck(f, TwoWeights())
    assert [row.name for row in by_module.rows] == ["layers.0.w", "layers.0.b"]
    assert [row.analytic for row in by_module.rows] == [2.0, 1.0]


def test_rel_error_is_zero_when_both_derivatives_are_zero() -> None:
    unused, used = Value(3.0, label="unused"), Value(2.0, label="used")
    (row,) = gradcheck(lambda: used * used, [unused], rtol=0, atol=0).rows
    assert (row.analytic, row.numeric, row.abs_error, row.rel_error) == (0.0, 0.0, 0.0, 0.0)
    assert row.passed


def test_gradcheck_touches_no_grad_and_restores_every_value() -> None:
    weights = [Value(0.1 * k + 0.05, label=f"w{k}") for k in range(4)]
    for weight in weights:
        weight.grad = 7.0
    before = [weight.data for weight in weights]

    def f() -> Value:
        return sum((weight.tanh() for weight in weights), Value(0.0))

    for method in METHODS:
        gradcheck(f, weights, method=method)
    assert [weight.data for weight in weights] == before
    assert [weight.grad for weight in weights] == [7.0] * 4


def many_weights(count: int) -> tuple[list[Value], Callable[[], Value]]:
    """count weights whose forward errors differ and are not in parameter order.

    f'' of w tanh(w) falls as w grows from 0 to 1, so spreading the weights over
    [0, 1.2] in a shuffled order gives errors that are neither sorted nor tied.
    """
    weights = [Value(0.05 * ((7 * k) % 25), label=f"w{k}") for k in range(count)]

    def f() -> Value:
        return sum((weight.tanh() * weight for weight in weights), Value(0.0))

    return weights, f


def test_str_shows_a_verdict_line_the_curvature_note_and_an_aligned_table() -> None:
    weights, f = many_weights(3)
    forward = str(gradcheck(f, weights, method="forward", rtol=0))
    lines = forward.splitlines()
    assert lines[0].startswith("gradcheck (method='forward', h=0.001, atol=1e-05, rtol=0): ")
    assert "h/2*|f''(w)|" in forward and "method='central'" in forward and "not a bug" in forward
    table = lines[lines.index(next(line for line in lines if line.startswith("name"))) :]
    assert table[0].split() == [
        "name", "analytic", "numeric", "abs", "error", "rel", "error", "f''(w)", "h/2*|f''|", "ok"
    ]  # fmt: skip
    assert len(table) == 4
    assert len({len(line) for line in table}) == 1, "columns must line up"

    central = str(gradcheck(f, weights))
    assert central.splitlines()[0] == (
        "gradcheck (method='central', h=0.001, atol=1e-05, rtol=0.001): "
        "PASSED, 3 parameters within tolerance"
    )
    assert "f''" not in central


def test_long_reports_show_the_worst_rows_first_and_say_how_to_see_all() -> None:
    weights, f = many_weights(25)
    report = gradcheck(f, weights, method="forward", rtol=0)
    by_error = sorted(report.rows, key=lambda row: row.abs_error, reverse=True)
    shown = str(report).splitlines()
    names = [line.split()[0] for line in shown if line.startswith("w")]
    assert names == [row.name for row in by_error[:10]]
    assert names != [row.name for row in report.rows[:10]], "the order must be by error"
    hidden_failures = sum(not row.passed for row in by_error[10:])
    status = f"{hidden_failures} of them failing" if hidden_failures else "all passing"
    assert shown[-1] == f"... 15 more rows ({status}); report.table(all_rows=True) shows all"

    every = report.table(all_rows=True).splitlines()
    assert [line.split()[0] for line in every if line.startswith("w")] == [
        f"w{k}" for k in range(25)
    ]
    assert report.worst is by_error[0]
    assert "rows=25" in repr(report)


def test_the_report_uses_the_step_method_and_tolerances_it_was_given() -> None:
    """forward with h = 0.01 on the pinned quadratic: numeric = -3 + 2.25h = -2.9775.

    |a - n| = 0.0225 fails the defaults (1e-5 + 1e-3 * 2.9775 ~ 0.003) and
    passes atol = 0.02 plus rtol = 1e-3 (0.02298); atol = 0.019 (0.02198) fails.
    """
    w, f = pinned_quadratic()
    report = gradcheck(f, [w], h=0.01, method="forward")
    assert isinstance(report, GradcheckReport)
    assert (report.method, report.h) == ("forward", 0.01)
    (row,) = report.rows
    assert row.numeric == pytest.approx(-2.9775, abs=1e-10)
    assert row.abs_error == pytest.approx(0.0225, abs=1e-10)
    assert not report.passed and report.failures == [row]
    assert gradcheck(f, [w], h=0.01, method="forward", atol=0.02).passed
    assert not gradcheck(f, [w], h=0.01, method="forward", atol=0.019).passed
    assert gradcheck(f, [w]).failures == []


@pytest.mark.parametrize("method", METHODS)
def test_on_param_is_called_as_each_parameters_check_starts(
    method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Progress for a large model: one call per parameter, in order, each before that
    parameter's work, the second derivative of the one-sided methods included (it is the
    slowest part, and it must not run silently before the first call)."""
    model, f = lesson_losses()["cross_entropy"]
    names = [name for name, _ in model.named_parameters()]
    events: list[str] = []
    real_grad = gradcheck_module.grad

    def recorded_grad(output: Value, inputs: list[Value], **options: bool) -> list[Value]:
        if len(inputs) == 1:  # the second derivative of one parameter
            events.append("f''")
        return real_grad(output, inputs, **options)

    monkeypatch.setattr(gradcheck_module, "grad", recorded_grad)
    calls: list[tuple[int, int, str]] = []

    def on_param(number: int, total: int, name: str) -> None:
        calls.append((number, total, name))
        events.append("start")

    report = gradcheck(f, model, method=method, on_param=on_param)
    assert calls == [(number, len(names), name) for number, name in enumerate(names, start=1)]
    step = ["start", "f''"] if method != "central" else ["start"]
    assert events == step * len(names)
    monkeypatch.undo()
    assert report == gradcheck(f, model, method=method)  # the same report without it


# --- nudge ---------------------------------------------------------------------------


def test_nudge_reads_as_one_sentence() -> None:
    w, f = pinned_quadratic()
    result = nudge(f, w)
    assert result.direction == "down"
    assert result.predicted_change == pytest.approx(-3e-3, abs=1e-15)
    assert result.actual_change == pytest.approx(-3e-3 + 2.25e-6, abs=1e-15)
    assert str(result) == (
        "Moving w up by 0.001 makes the loss go down by about 3.00e-03 "
        "(the gradient predicted 3.00e-03)."
    )
    assert w.data == 0.0


@given(
    a=st.floats(-10, 10).filter(lambda a: abs(a) > 1e-3),
    b=st.floats(-10, 10),
    sixty_fourths=st.integers(-640, 640),
)
def test_nudge_agrees_with_grad_and_with_the_actual_change(
    a: float, b: float, sixty_fourths: int
) -> None:
    """For p = a w^2 + b w: actual = p' h + a h^2 exactly; the sign of .grad is the direction.

    Same exactness argument as the quadratic test above (w + h is exact); the
    sign of the actual change agrees whenever |p'| h > |a| h^2, i.e. |p'| > |a| h.
    """
    h = 2.0**-10
    w = Value(sixty_fourths / 64, label="w")

    def f() -> Value:
        return a * w**2 + b * w

    f().backward()
    result = nudge(f, w, h=h)
    reach = abs(w.data) + h
    bound = 2 * 3 * (UNIT_ROUNDOFF * (abs(a) * reach**2 + abs(b) * reach) + SUBNORMAL_STEP)
    assert result.actual_change == pytest.approx(result.predicted_change + a * h * h, abs=bound)
    # grad() and backward() may add the two paths into w in another order: a few roundings.
    slope_terms = abs(2 * a * w.data) + abs(b)
    assert result.predicted_change == pytest.approx(
        w.grad * h, abs=4 * (UNIT_ROUNDOFF * slope_terms * h + SUBNORMAL_STEP)
    )
    if result.direction != "flat":
        assert result.direction == ("up" if w.grad > 0 else "down")
        if abs(w.grad) > abs(a) * h + bound / h:
            assert math.copysign(1, result.actual_change) == math.copysign(1, w.grad)
            assert result.direction in str(result)


def test_nudge_calls_a_zero_slope_flat_and_says_what_really_happened() -> None:
    w = Value(0.0, label="w")
    result = nudge(lambda: w * w, w)
    assert result.direction == "flat"
    assert result.actual_change == pytest.approx(1e-6, rel=1e-12)
    assert str(result) == (
        "Moving w up by 0.001 leaves the loss flat to first order: the gradient is 0.00e+00, "
        "and the loss actually changed by +1.00e-06."
    )


def test_flat_means_a_predicted_change_below_a_tiny_fraction_of_the_loss() -> None:
    """Slope s on a loss of 1e6: flat iff s * h <= FLAT_RELATIVE_CHANGE * 1e6 (= 1e-6 here)."""
    w = Value(0.0, label="w")
    threshold_slope = FLAT_RELATIVE_CHANGE * 1e6 / 1e-3
    assert nudge(lambda: 1e6 + 0.5 * threshold_slope * w, w).direction == "flat"
    assert nudge(lambda: 1e6 + 2 * threshold_slope * w, w).direction == "up"
    assert nudge(lambda: 1e6 - 2 * threshold_slope * w, w).direction == "down"


def test_nudge_warns_when_curvature_outweighs_the_slope() -> None:
    """(1.5 w - 1)^2 moved by h = 2: slope predicts -6, curvature adds 2.25 * 4 = +9, net +3."""
    w, f = pinned_quadratic()
    result = nudge(f, w, h=2)
    assert result.direction == "down"
    assert result.actual_change == 3.0
    assert str(result) == (
        "Moving w up by 2: the gradient predicts the loss goes down by 6.00e+00, but it actually "
        "changed by +3.00e+00, so the curvature outweighs the slope over this step; "
        "try a smaller h."
    )


def test_nudge_names_and_restores_and_leaves_grad_alone() -> None:
    w = Value(0.1, label="")
    w.grad = 5.0
    result = nudge(lambda: w * 3, w, h=1e-3, name="layers.0.neurons.0.w.1")
    assert str(result).startswith("Moving layers.0.neurons.0.w.1 up by 0.001 makes the loss go up")
    assert (w.data, w.grad) == (0.1, 5.0)
    assert str(nudge(lambda: w * 3, w)).startswith("Moving param up by 0.001")
    with pytest.raises(TypeError, match="name must be a string or None, got int"):
        nudge(lambda: w * 3, w, name=3)  # type: ignore[arg-type]


# --- restoring and errors --------------------------------------------------------------------


class Boom(Exception):
    """Raised by a loss function on purpose."""


@given(w0=st.floats(-1e3, 1e3), h=st.sampled_from([1e-1, 1e-3, 1e-5]))
def test_the_value_is_restored_exactly_even_when_f_raises(w0: float, h: float) -> None:
    """Restored bit for bit (not w + h - h, which can differ from w in floats)."""
    w = Value(w0, label="w")

    def f() -> Value:
        if w.data != w0:
            raise Boom
        return w * w

    for method in METHODS:
        with pytest.raises(Boom):
            numerical_derivative(f, w, h=h, method=method)
        assert w.data == w0
    with pytest.raises(Boom):
        gradcheck(f, [w], h=h)
    assert w.data == w0
    with pytest.raises(Boom):
        nudge(f, w, h=h)
    assert w.data == w0


@pytest.mark.parametrize("h", [0, 0.0, -1e-3, math.inf, -math.inf, math.nan])
def test_h_must_be_finite_and_positive(h: float) -> None:
    w, f = pinned_quadratic()
    for call in (
        lambda: numerical_derivative(f, w, h=h),
        lambda: gradcheck(f, [w], h=h),
        lambda: nudge(f, w, h=h),
    ):
        with pytest.raises(ValueError, match=r"h must be a finite number > 0"):
            call()


@pytest.mark.parametrize("h", ["0.001", True, None, Value(1e-3)])
def test_h_must_be_a_number(h: object) -> None:
    w, f = pinned_quadratic()
    with pytest.raises(TypeError, match="h must be a number"):
        numerical_derivative(f, w, h=h)  # type: ignore[arg-type]


def test_h_too_small_for_the_weight_is_an_error_not_a_silent_zero() -> None:
    w = Value(1.0, label="w")
    with pytest.raises(ValueError, match=r"h = 1e-20 is too small for w = 1.0: w\+h rounds back"):
        numerical_derivative(lambda: w * w, w, h=1e-20)


def test_unknown_method_lists_the_allowed_ones() -> None:
    w, f = pinned_quadratic()
    message = r"unknown method 'sideways'; allowed: 'forward', 'backward', 'central'"
    with pytest.raises(ValueError, match=message):
        numerical_derivative(f, w, method="sideways")
    with pytest.raises(ValueError, match=message):
        gradcheck(f, [w], method="sideways")


@pytest.mark.parametrize(
    ("method", "where", "side"),
    [("forward", "w+h", 1), ("forward", "w", 0), ("backward", "w-h", -1), ("central", "w-h", -1)],
)
def test_a_non_finite_loss_says_where_it_was_met(method: str, where: str, side: int) -> None:
    """The loss is inf only on one side of w = 0 (or at w itself): the message names that point."""
    w = Value(0.0, label="w")

    def f() -> Value:
        where_w_is = (w.data > 0) - (w.data < 0)  # +1 at w+h, 0 at w, -1 at w-h
        return w + (math.inf if where_w_is == side else 0.0)

    context = "w = 0.0" if where == "w" else "w: w = 0.0, h = 0.001"
    pattern = rf"the loss at {re.escape(where)} \({context}\) is inf"
    with pytest.raises(ValueError, match=pattern):
        numerical_derivative(f, w, method=method)
    assert w.data == 0.0


def test_a_non_finite_loss_at_the_start_is_reported() -> None:
    w = Value(1.0, label="w")
    with pytest.raises(ValueError, match=r"the loss at the current parameter values is nan"):
        gradcheck(lambda: w * math.nan, [w])
    with pytest.raises(ValueError, match=r"the loss at w \(w = 1.0\) is inf"):
        nudge(lambda: w * math.inf, w)


def test_a_difference_that_overflows_is_reported() -> None:
    """Two finite losses of +-1.5e308 whose difference overflows to inf."""
    w = Value(0.0, label="w")
    with pytest.raises(ValueError, match=r"the central difference for w is inf"):
        numerical_derivative(lambda: w * 1e308, w, h=1.5)


def test_a_non_finite_analytic_derivative_is_reported() -> None:
    vertical = define_op(fresh_op_name("vertical"), lambda x: x, lambda out, x: (math.inf,))
    w = Value(0.5, label="w")
    with pytest.raises(ValueError, match=r"the analytic derivative for w is inf"):
        gradcheck(lambda: vertical(w), [w])
    with pytest.raises(ValueError, match=r"the analytic derivative for w is inf"):
        nudge(lambda: vertical(w), w)


def test_a_non_finite_second_derivative_is_reported() -> None:
    """An op whose slope is another op with slope inf: f' = 1 is fine, f'' = inf is not."""
    slope = define_op(fresh_op_name("slope"), lambda x: 1.0, lambda out, x: (math.inf,))
    identity = define_op(fresh_op_name("identity"), lambda x: x, lambda out, x: (slope(x),))
    w = Value(0.5, label="w")
    assert gradcheck(lambda: identity(w), [w]).passed
    with pytest.raises(ValueError, match=r"the second derivative for w is inf"):
        gradcheck(lambda: identity(w), [w], method="forward")


def test_param_must_be_a_leaf_value() -> None:
    w = Value(2.0, label="w")
    doubled = w * 2
    with pytest.raises(ValueError, match=r"not a leaf Value: it was computed by '\*'"):
        numerical_derivative(lambda: doubled * doubled, doubled)
    with pytest.raises(ValueError, match=r"params\[0\] \(params\[0\]\) is not a leaf"):
        gradcheck(lambda: doubled * doubled, [doubled])
    with pytest.raises(ValueError, match=r"params\[0\] \(d\) is not a leaf"):
        gradcheck(lambda: doubled * doubled, [("d", doubled)])
    with pytest.raises(ValueError, match=r"not a leaf"):
        nudge(lambda: doubled * doubled, doubled)
    with pytest.raises(TypeError, match=r"param must be a Value .* got float"):
        numerical_derivative(lambda: w * w, 2.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"param must be a Value"):
        nudge(lambda: w * w, 2.0)  # type: ignore[arg-type]


@pytest.mark.parametrize(("returned", "type_name"), [(0.25, "float"), (None, "NoneType")])
def test_f_must_return_a_value(returned: object, type_name: str) -> None:
    w = Value(1.0, label="w")
    message = rf"f must return the loss as a Value, but at .* it returned {type_name}"
    for call in (
        lambda: numerical_derivative(lambda: returned, w),  # type: ignore[arg-type,return-value]
        lambda: gradcheck(lambda: returned, [w]),  # type: ignore[arg-type,return-value]
        lambda: nudge(lambda: returned, w),  # type: ignore[arg-type,return-value]
    ):
        with pytest.raises(TypeError, match=message) as caught:
            call()
        assert "return the loss Value itself" in str(caught.value)
        assert w.data == 1.0


def test_f_must_be_callable_and_must_rebuild_the_loss() -> None:
    w = Value(1.0, label="w")
    loss = w * w
    with pytest.raises(TypeError, match=r"f must be a zero-argument function .* got Value"):
        numerical_derivative(loss, w)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"f returned the same loss node for two values of w"):
        numerical_derivative(lambda: loss, w)
    with pytest.raises(ValueError, match=r"same loss node"):
        nudge(lambda: loss, w)
    # A leaf returned twice is fine: f = w has slope 1.
    assert numerical_derivative(lambda: w, w) == pytest.approx(1.0, abs=1e-12)


def test_gradcheck_params_must_be_a_list_pairs_or_module() -> None:
    w = Value(1.0, label="w")

    def f() -> Value:
        return w * w

    with pytest.raises(TypeError, match=r"got a single Value .* wrap it in a list"):
        gradcheck(f, w)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"params is empty"):
        gradcheck(f, [])
    with pytest.raises(TypeError, match=r"params\[1\] must be a Value or a \(name, Value\) pair"):
        gradcheck(f, [w, 3.0])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"params\[0\] must be a Value or a \(name, Value\) pair"):
        gradcheck(f, [(w, "w")])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"params must be a Module, a list of Values"):
        gradcheck(f, 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"params must be a Module, a list of Values"):
        gradcheck(f, "w")  # type: ignore[arg-type]

    class Empty:
        def named_parameters(self) -> list[tuple[str, Value]]:
            return []

    with pytest.raises(ValueError, match=r"Empty.named_parameters\(\) is empty"):
        gradcheck(f, Empty())


@pytest.mark.parametrize(
    ("keyword", "value", "error", "message"),
    [
        ("atol", -1e-5, ValueError, "atol must be >= 0"),
        ("rtol", math.nan, ValueError, "rtol must be >= 0"),
        ("atol", "1e-5", TypeError, "atol must be a number"),
        ("rtol", None, TypeError, "rtol must be a number"),
    ],
)
def test_gradcheck_tolerances_must_be_non_negative_numbers(
    keyword: str, value: object, error: type[Exception], message: str
) -> None:
    w, f = pinned_quadratic()
    with pytest.raises(error, match=message):
        gradcheck(f, [w], **{keyword: value})  # type: ignore[arg-type]


# --- the documentation's table ---------------------------------------------------------------


def test_the_error_table_in_the_docs_is_what_the_script_prints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """docs/gradient-check.md pastes the output of benchmarks/fd_error_table.py.

    Only the lines that do not depend on the last bits of the platform's
    tanh/exp are compared: the header and the rows h = 1e-1 .. 1e-3, where
    truncation (>= 1e-9) dwarfs round-off (~1e-13). If this fails, rerun the
    script and paste its output into the page.
    """
    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location(
        "fd_error_table", root / "benchmarks" / "fd_error_table.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.main([]) == 0
    printed = capsys.readouterr().out.splitlines()
    stable = printed[: printed.index("") + 5]  # 3 header lines, blank, column names, 3 rows
    assert stable[-1].startswith("1e-03")
    page = (root / "docs" / "gradient-check.md").read_text(encoding="utf-8")
    assert "\n".join(stable) in page
