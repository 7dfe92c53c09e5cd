"""Tests for tinygrad_edu.losses: closed-form gradients, the laws relating the losses, errors.

Tolerances are derived, not tuned. u = 2**-53 is the unit roundoff: one
correctly rounded operation is off by at most u relative, so a number that
went through k operations is within about k*u*S of the exact one, S the sum
of the sizes of the terms involved. A closed form and the engine compute the
same quantity through a handful of different roundings, hence the bounds of
the form `ROUNDING * scale` below.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tinygrad_edu.data import make_moons
from tinygrad_edu.engine import Value, grad, topological_order
from tinygrad_edu.losses import (
    LOG_CLAMP,
    LossComparison,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    compare_losses,
    cross_entropy,
    hinge,
    mse,
)
from tinygrad_edu.nn import MLP
from tinygrad_edu.testing import (
    binary_targets,
    check_point,
    class_logits,
    distinguishable_reals,
    logits,
    probabilities,
    sign_labels,
)

UNIT_ROUNDOFF = 2.0**-53
ROUNDING = 16 * UNIT_ROUNDOFF
"""Allowed disagreement, relative to the size of the terms, between two ways of computing
one derivative: each side rounds at most about 8 times (a subtraction, a division by n,
a product with the upstream gradient, the op's own rule)."""
SUBNORMAL = 4 * 2.0**-1074
"""Absolute slack for results that underflow to subnormal numbers, where rounding is absolute."""

PROBABILITY_FORM_PRECISION = 1e-9
"""How closely the probability form of cross-entropy can follow the logits form for |z| <= 15.

sigmoid(z) is rounded to within u of 1, so 1 - sigmoid(z) (or log sigmoid(z), ~ -(1 - sigmoid))
is off by up to u / (1 - sigmoid(z)) relative: at |z| = 15 that is 2**-53 * e**15 ~ 3.6e-10.
The loss is at least softplus(-15) ~ 3.1e-7 there, so its relative error stays below 1e-9."""


def stable_sigmoid(z: float) -> float:
    """1 / (1 + e**-z), written so that exp only sees numbers <= 0."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    return math.exp(z) / (1.0 + math.exp(z))


# --- Strategies (the loss-specific ones live in tinygrad_edu.testing) -------------------


def examples_of(element: st.SearchStrategy[Any]) -> st.SearchStrategy[list[Any]]:
    """One to five examples: enough for the mean's 1/n to matter, few enough to stay fast."""
    return st.lists(element, min_size=1, max_size=5)


def gradients(loss: Value, inputs: Sequence[Value]) -> list[float]:
    """d loss / d input for each input, by reverse mode (loss.backward())."""
    loss.backward()
    return [x.grad for x in inputs]


# --- Gradients against closed forms -----------------------------------------------


@given(examples_of(st.tuples(st.floats(-100, 100), st.floats(-100, 100))))
def test_mse_gradient_is_two_times_the_error_over_n(pairs: list[tuple[float, float]]) -> None:
    predictions = [Value(p) for p, _ in pairs]
    analytic = gradients(mse(predictions, [y for _, y in pairs]), predictions)
    n = len(pairs)
    for (p, y), derivative in zip(pairs, analytic, strict=True):
        expected = 2 * (p - y) / n
        assert abs(derivative - expected) <= ROUNDING * abs(expected) + SUBNORMAL


@given(examples_of(st.tuples(logits(1000.0), st.sampled_from([0.0, 1.0]))))
@example([(1000.0, 1.0), (-1000.0, 1.0), (1000.0, 0.0), (-1000.0, 0.0)])
def test_logits_cross_entropy_gradient_is_sigmoid_minus_target_over_n(
    pairs: list[tuple[float, float]],
) -> None:
    logit_values = [Value(z) for z, _ in pairs]
    loss = binary_cross_entropy_with_logits(logit_values, [y for _, y in pairs])
    analytic = gradients(loss, logit_values)
    n = len(pairs)
    for (z, y), derivative in zip(pairs, analytic, strict=True):
        # sigmoid(z) - 1 written as -sigmoid(-z), so it keeps its relative precision
        expected = (stable_sigmoid(z) if y == 0.0 else -stable_sigmoid(-z)) / n
        assert abs(derivative - expected) <= ROUNDING * abs(expected) + SUBNORMAL


@given(examples_of(st.tuples(logits(1000.0), st.floats(0.0, 1.0))))
def test_logits_cross_entropy_gradient_with_soft_targets(pairs: list[tuple[float, float]]) -> None:
    logit_values = [Value(z) for z, _ in pairs]
    loss = binary_cross_entropy_with_logits(logit_values, [y for _, y in pairs])
    analytic = gradients(loss, logit_values)
    n = len(pairs)
    for (z, y), derivative in zip(pairs, analytic, strict=True):
        # sigmoid(z) - y = (1 - y) sigmoid(z) - y sigmoid(-z): terms of size <= 1 each
        expected = ((1 - y) * stable_sigmoid(z) - y * stable_sigmoid(-z)) / n
        assert abs(derivative - expected) <= ROUNDING * 2 / n + SUBNORMAL


@given(examples_of(st.tuples(probabilities(), binary_targets())))
def test_probability_cross_entropy_gradient(pairs: list[tuple[float, float]]) -> None:
    probabilities = [Value(p) for p, _ in pairs]
    analytic = gradients(binary_cross_entropy(probabilities, [y for _, y in pairs]), probabilities)
    n = len(pairs)
    for (p, y), derivative in zip(pairs, analytic, strict=True):
        expected = (p - y) / (p * (1 - p) * n)
        # the engine adds -y/p and (1 - y)/(1 - p): their sizes bound its rounding
        scale = (y / p + (1 - y) / (1 - p)) / n
        assert abs(derivative - expected) <= ROUNDING * scale + SUBNORMAL


@given(class_logits())
def test_cross_entropy_gradient_is_softmax_minus_one_hot_over_n(
    case: tuple[list[list[float]], list[int]],
) -> None:
    rows, classes = case
    values = [[Value(z) for z in row] for row in rows]
    loss = cross_entropy(values, classes)
    loss.backward()
    n = len(rows)
    for row, row_values, right in zip(rows, values, classes, strict=True):
        peak = max(row)
        exps = [math.exp(z - peak) for z in row]
        total = sum(exps)
        for k, (e, z) in enumerate(zip(exps, row_values, strict=True)):
            expected = (e / total - (1.0 if k == right else 0.0)) / n
            # softmax terms and the one-hot 1 are all <= 1; K of them enter the sum
            assert abs(z.grad - expected) <= ROUNDING * (len(row) + 1) / n + SUBNORMAL


@given(examples_of(st.tuples(st.floats(-5, 5), sign_labels())))
@example([(1.0, 1.0), (-1.0, -1.0), (0.9999999999999999, 1.0), (-0.9999999999999999, -1.0)])
def test_hinge_subgradient(pairs: list[tuple[float, float]]) -> None:
    scores = [Value(s) for s, _ in pairs]
    analytic = gradients(hinge(scores, [y for _, y in pairs]), scores)
    n = len(pairs)
    for (s, y), derivative in zip(pairs, analytic, strict=True):
        # -y/n inside the margin (y*s < 1), else 0 -- also at the kink y*s == 1, as relu'(0) = 0.
        # Both sides are exact: y*s and 1 - y*s never round to the wrong side of 0 or 1.
        assert derivative == (-y / n if y * s < 1 else 0.0)


# --- Laws relating the losses ------------------------------------------------------


@given(examples_of(st.tuples(logits(), binary_targets())))
@example([(15.0, 1.0), (-15.0, 0.0), (15.0, 0.0), (-15.0, 1.0)])
@example([(15.0, 0.9999999999999999)])  # softplus(z) - y*z would cancel to ~1e-8 relative here
@example([(-15.0, 1e-16)])  # and softplus(-z) + (1 - y)*z here
def test_logits_form_equals_probability_form_within_one_part_in_a_billion(
    pairs: list[tuple[float, float]],
) -> None:
    targets = [y for _, y in pairs]
    from_logits = binary_cross_entropy_with_logits([z for z, _ in pairs], targets).data
    from_probabilities = binary_cross_entropy([Value(z).sigmoid() for z, _ in pairs], targets).data
    assert from_logits == pytest.approx(from_probabilities, rel=PROBABILITY_FORM_PRECISION, abs=0)


def test_the_probability_form_loses_the_loss_beyond_thirty_seven() -> None:
    # sigmoid(40) rounds to exactly 1.0: the probability form sees log(1 - 1) and clamps it
    # at -100, while the logits form knows the loss is softplus(40) = 40 + 4e-18.
    assert Value(40.0).sigmoid().data == 1.0
    assert binary_cross_entropy([Value(40.0).sigmoid()], [0]).data == 100.0
    assert binary_cross_entropy_with_logits([40.0], [0]).data == 40.0


@given(st.lists(st.tuples(logits(7.5), logits(7.5), st.integers(0, 1)), min_size=1, max_size=5))
def test_two_class_cross_entropy_equals_the_binary_form(
    examples: list[tuple[float, float, int]],
) -> None:
    # Logits (a, b) mean P(class 1) = e^b / (e^a + e^b) = sigmoid(b - a); |b - a| <= 15.
    two_class = cross_entropy([[a, b] for a, b, _ in examples], [c for _, _, c in examples])
    binary = binary_cross_entropy_with_logits(
        [b - a for a, b, _ in examples], [c for _, _, c in examples]
    )
    assert two_class.data == pytest.approx(binary.data, rel=PROBABILITY_FORM_PRECISION, abs=0)


def test_two_class_cross_entropy_has_the_binary_gradient() -> None:
    a, b, z = Value(0.0), Value(2.5), Value(2.5)
    (two_class_gradient,) = grad(cross_entropy([[a, b]], [1]), [b])
    (binary_gradient,) = grad(binary_cross_entropy_with_logits([z], [1]), [z])
    assert two_class_gradient == pytest.approx(binary_gradient, rel=ROUNDING)


LOSS_CASES: dict[str, tuple[Callable[..., Value], st.SearchStrategy[Any]]] = {
    "mse": (mse, st.tuples(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))),
    "binary_cross_entropy": (binary_cross_entropy, st.tuples(st.floats(0, 1), binary_targets())),
    "binary_cross_entropy_with_logits": (
        binary_cross_entropy_with_logits,
        st.tuples(logits(1000.0), binary_targets()),
    ),
    "hinge": (hinge, st.tuples(st.floats(-1e6, 1e6), sign_labels())),
}


@pytest.mark.parametrize("name", sorted(LOSS_CASES))
@given(data=st.data())
def test_losses_are_never_negative(name: str, data: st.DataObject) -> None:
    loss, pair = LOSS_CASES[name]
    pairs = data.draw(examples_of(pair))
    assert loss([p for p, _ in pairs], [y for _, y in pairs]).data >= 0.0


@given(class_logits())
def test_softmax_cross_entropy_is_never_negative(case: tuple[list[list[float]], list[int]]) -> None:
    assert cross_entropy(*case).data >= 0.0


@given(
    targets=examples_of(distinguishable_reals()),
    replacement=distinguishable_reals(),
    where=st.integers(0, 4),
)
def test_mse_is_zero_exactly_when_predictions_equal_targets(
    targets: list[float], replacement: float, where: int
) -> None:
    assert mse(list(targets), targets).data == 0.0
    predictions = list(targets)
    predictions[where % len(targets)] = replacement
    assert (mse(predictions, targets).data == 0.0) == (predictions == targets)


def slopes(z: float, y: float) -> tuple[float, float]:
    """(d MSE / dz, d cross-entropy / dz) for one example whose probability is sigmoid(z)."""
    logit = Value(z)
    (mse_slope,) = grad(mse([logit.sigmoid()], [y]), [logit])
    (cross_entropy_slope,) = grad(binary_cross_entropy_with_logits([logit], [y]), [logit])
    return mse_slope, cross_entropy_slope


def sigmoid_slope(z: float) -> float:
    """sigmoid'(z) = s (1 - s), from the same rounded s as the engine's rule."""
    s = Value(z).sigmoid().data
    return s * (1 - s)


@given(logits(), st.sampled_from([0.0, 1.0]))
@example(15.0, 1.0)
@example(-15.0, 0.0)
def test_mse_slope_is_the_cross_entropy_slope_times_two_sigmoid_prime(z: float, y: float) -> None:
    # d/dz (s - y)^2 = 2 (s - y) s'(z) and d/dz CE = s - y, so the ratio is 2 s'(z). Where the
    # model is confidently right the MSE side rounds s - y from s, hence the 1e-9 (see above).
    mse_slope, cross_entropy_slope = slopes(z, y)
    expected = cross_entropy_slope * 2 * sigmoid_slope(z)
    assert mse_slope == pytest.approx(expected, rel=PROBABILITY_FORM_PRECISION, abs=SUBNORMAL)


@given(st.floats(0.0, 700.0), st.sampled_from([0.0, 1.0]))
def test_the_law_holds_to_rounding_when_confidently_wrong(size: float, y: float) -> None:
    # Wrong side: z <= 0 for y = 1, z >= 0 for y = 0. There s - y is computed without
    # cancellation on both sides, so only a few roundings separate them; |z| <= 700 keeps
    # s (1 - s) above the subnormal range.
    z = -size if y == 1.0 else size
    mse_slope, cross_entropy_slope = slopes(z, y)
    assert mse_slope == pytest.approx(cross_entropy_slope * 2 * sigmoid_slope(z), rel=ROUNDING)


@given(st.floats(2.0, 700.0))
def test_mse_slope_vanishes_when_confidently_wrong_while_cross_entropy_stays_near_one(
    size: float,
) -> None:
    # y = 1, z = -size: |d MSE/dz| = 2 (1 - s) s (1 - s) <= 2 s <= 2 e^z, while
    # |d CE/dz| = 1 - s >= 1 - sigmoid(-2) > 0.88.
    mse_slope, cross_entropy_slope = slopes(-size, 1.0)
    assert abs(mse_slope) <= 2 * math.exp(-size) * (1 + ROUNDING)
    assert abs(cross_entropy_slope) > 0.88


def test_the_mse_to_cross_entropy_slope_ratio_falls_as_the_mistake_grows() -> None:
    ratios = [abs(mse / ce) for mse, ce in (slopes(-z, 1.0) for z in (1, 2, 5, 10, 20))]
    assert ratios == sorted(ratios, reverse=True)
    assert ratios[-1] < 1e-8  # 2 sigmoid'(-20) ~ 4e-9


# --- Values and shapes -------------------------------------------------------------


def test_each_loss_is_one_value_the_mean_over_examples() -> None:
    assert mse([1.0, 3.0], [0.0, 0.0]).data == (1.0 + 9.0) / 2
    assert hinge([0.5, -2.0], [1, 1]).data == (0.5 + 3.0) / 2
    assert binary_cross_entropy([0.5, 0.5], [1, 0]).data == math.log(2)
    assert binary_cross_entropy_with_logits([0.0, 0.0], [1, 0]).data == math.log(2)
    assert cross_entropy([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]], [2, 0]).data == pytest.approx(
        math.log(3), rel=ROUNDING
    )


def test_numbers_and_values_mix_and_targets_that_are_values_get_gradients() -> None:
    loss = mse([2.0], [0.5])
    assert isinstance(loss, Value) and loss.data == 2.25
    target = Value(0.5)
    prediction = Value(2.0)
    mse([prediction], [target]).backward()
    assert (prediction.grad, target.grad) == (3.0, -3.0)


def test_binary_cross_entropy_clamps_each_log_at_minus_100_without_gradient() -> None:
    cases = {  # (p, y): (loss, d loss / dp)
        (0.0, 1.0): (100.0, 0.0),
        (1.0, 0.0): (100.0, 0.0),
        (0.0, 0.5): (50.0, 0.5),  # only log(p) is clamped; log(1 - p) keeps its gradient
        (1e-44, 1.0): (100.0, 0.0),  # log(1e-44) = -101.3: clamped
        (1.0, 1.0): (0.0, -1.0),
        (0.0, 0.0): (0.0, 1.0),
    }
    for (p, y), (expected_loss, expected_gradient) in cases.items():
        probability = Value(p)
        loss = binary_cross_entropy([probability], [y])
        loss.backward()
        assert (loss.data, probability.grad) == (expected_loss, expected_gradient), (p, y)
    assert LOG_CLAMP == -100.0


def test_just_above_the_clamp_the_log_and_its_gradient_are_kept() -> None:
    probability = Value(1e-43)  # log(1e-43) = -99.0
    loss = binary_cross_entropy([probability], [1])
    loss.backward()
    assert loss.data == pytest.approx(-math.log(1e-43), rel=ROUNDING)
    assert probability.grad == pytest.approx(-1e43, rel=ROUNDING)


@pytest.mark.parametrize(
    ("z", "y", "expected_loss", "expected_gradient"),
    [
        (1000.0, 0.0, 1000.0, 1.0),
        (-1000.0, 0.0, 0.0, 0.0),
        (1000.0, 1.0, 0.0, 0.0),
        (-1000.0, 1.0, 1000.0, -1.0),
        (1000.0, 0.25, 750.0, 0.75),
        (-1000.0, 0.25, 250.0, -0.25),
    ],
)
def test_logits_form_is_finite_with_the_right_gradient_at_plus_minus_1000(
    z: float, y: float, expected_loss: float, expected_gradient: float
) -> None:
    logit = Value(z)
    loss = binary_cross_entropy_with_logits([logit], [y])
    loss.backward()
    assert (loss.data, logit.grad) == (expected_loss, expected_gradient)


def test_cross_entropy_survives_huge_logits() -> None:
    row = [Value(1000.0), Value(-1000.0), Value(990.0)]
    loss = cross_entropy([row], [2])
    loss.backward()
    # log(e^1000 + e^-1000 + e^990) - 990 = 10 + log(1 + e^-10), e^-2000 being 0 in floats
    assert loss.data == pytest.approx(10 + math.log1p(math.exp(-10)), rel=ROUNDING)
    assert [z.grad for z in row] == pytest.approx(
        [1 / (1 + math.exp(-10)), 0.0, 1 / (1 + math.exp(10)) - 1], rel=ROUNDING
    )


def test_one_example_graphs_read_as_their_formulas() -> None:
    z = Value(0.3)
    ops = [node._op for node in topological_order(binary_cross_entropy_with_logits([z], [1]))]
    assert [op for op in ops if op] == ["neg", "softplus", "/"]  # softplus(-z) / 1
    score = Value(0.3)
    ops = [node._op for node in topological_order(hinge([score], [-1]))]
    assert [op for op in ops if op] == ["+", "relu", "/"]  # relu(1 + s) / 1
    p = Value(0.3)
    ops = [node._op for node in topological_order(mse([p], [1]))]
    assert [op for op in ops if op] == ["-", "**2", "/"]  # (p - y)**2 / 1


# --- Every gradient of a small MLP against a central difference ---------------------


def loss_of_mlp(name: str) -> tuple[MLP, Callable[[MLP], Value]]:
    """A small seeded MLP and a function computing the named loss of it on four examples."""
    X = [(0.5, -1.0), (1.5, 0.2), (-0.7, 0.9), (-1.2, -0.4)]
    labels = [1, 0, 1, 0]
    if name == "cross_entropy":
        model = MLP(2, [3, 2], seed=2)
        return model, lambda m: cross_entropy([m(x) for x in X], labels)
    model = MLP(2, [3, 1], seed=2)

    def outputs(m: MLP) -> list[Any]:
        return [m(x) for x in X]

    functions: dict[str, Callable[[MLP], Value]] = {
        "mse": lambda m: mse(outputs(m), labels),
        "binary_cross_entropy": lambda m: binary_cross_entropy(
            [z.sigmoid() for z in outputs(m)], labels
        ),
        "binary_cross_entropy_with_logits": lambda m: binary_cross_entropy_with_logits(
            outputs(m), labels
        ),
        "hinge": lambda m: hinge(outputs(m), [2 * y - 1 for y in labels]),
    }
    return model, functions[name]


@pytest.mark.parametrize("name", [*sorted(LOSS_CASES), "cross_entropy"])
def test_every_mlp_gradient_matches_a_central_difference(name: str) -> None:
    model, loss = loss_of_mlp(name)
    parameters = model.parameters()

    def build(*leaves: Value) -> Value:
        """The loss with the model's parameters replaced by these leaves, in parameters() order."""
        remaining = iter(leaves)
        for layer in model.layers:
            for neuron in layer.neurons:
                neuron.w = [next(remaining) for _ in neuron.w]
                neuron.b = next(remaining)
        return loss(model)

    # check_point's tolerance: truncation from the measured third derivative plus the
    # first-order rounding bound of the graph (see help(tinygrad_edu.testing)).
    comparisons = check_point(build, [p.data for p in parameters])
    assert len(comparisons) == len(parameters)
    failed = [c for c in comparisons if not c.passed]
    assert not failed, failed
    assert any(abs(c.analytic) > 1e-3 for c in comparisons)  # the check is not all zeros


# --- compare_losses ----------------------------------------------------------------


def test_compare_losses_rows_and_means_match_the_losses() -> None:
    X, y = make_moons(8, seed=1)
    model = MLP(2, [4, 1], seed=3)
    comparison = compare_losses(model, X, y)
    assert isinstance(comparison, LossComparison) and len(comparison.rows) == 8
    z = [model(x) for x in X]
    assert comparison.mse == mse([v.sigmoid() for v in z], y).data  # type: ignore[union-attr]
    assert comparison.cross_entropy == binary_cross_entropy_with_logits(z, y).data  # type: ignore[arg-type]
    for row, logit, label in zip(comparison.rows, z, y, strict=True):
        p = stable_sigmoid(logit.data)  # type: ignore[union-attr]
        assert (row.logit, row.target) == (logit.data, label)  # type: ignore[union-attr]
        assert row.probability == pytest.approx(p, rel=ROUNDING)
        assert row.squared_error == pytest.approx((p - label) ** 2, rel=ROUNDING)
        assert row.cross_entropy_grad == pytest.approx(p - label, rel=ROUNDING)
        assert row.squared_error_grad == pytest.approx(2 * (p - label) * p * (1 - p), rel=ROUNDING)


def test_compare_losses_prints_a_table_with_one_line_per_example_and_the_means() -> None:
    comparison = compare_losses(lambda x: Value(x[0]), [(2.0,), (-4.0,)], [1, 1])
    text = str(comparison)
    lines = text.splitlines()
    assert "logit z" in lines[0] and "(p-y)^2" in lines[0] and "cross-ent" in lines[0]
    assert lines[1].split()[:3] == ["0", "2.0000", "0.8808"]
    assert lines[2].split()[:3] == ["1", "-4.0000", "0.0180"]
    assert lines[3].startswith("mean")
    assert f"MSE = {comparison.mse:.6g}" in lines[4]
    assert f"cross-entropy = {comparison.cross_entropy:.6g}" in lines[4]


def test_compare_losses_accepts_a_model_returning_plain_numbers() -> None:
    comparison = compare_losses(lambda x: 0.0, [(1.0,)], [0])
    assert comparison.rows[0].probability == 0.5
    assert comparison.cross_entropy == math.log(2)


@pytest.mark.parametrize(
    ("model", "X", "y", "error", "message"),
    [
        (MLP(2, [3, 2], seed=0), [(0.0, 1.0)], [1], ValueError, r"gave 2 outputs for X\[0\]"),
        (lambda x: Value(0.0), [(0.0,), (1.0,)], [1], ValueError, r"X has 2 entries but y has 1"),
        (lambda x: Value(0.0), [], [], ValueError, r"X and y are empty"),
        (lambda x: Value(0.0), [(0.0,)], [2], ValueError, r"y\[0\] is 2.0, but targets must be"),
        (lambda x: math.nan, [(0.0,)], [1], ValueError, r"model\(X\)\[0\] is nan"),
        (lambda x: "z", [(0.0,)], [1], TypeError, r"model\(X\)\[0\] must be a Value or a real"),
    ],
)
def test_compare_losses_errors(
    model: Callable[[Any], Any], X: Any, y: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        compare_losses(model, X, y)


# --- Errors ------------------------------------------------------------------------

BINARY_LOSSES = [mse, binary_cross_entropy, binary_cross_entropy_with_logits, hinge]


@pytest.mark.parametrize("loss", BINARY_LOSSES, ids=lambda f: f.__name__)
def test_lengths_must_match_and_be_positive(loss: Callable[..., Value]) -> None:
    with pytest.raises(ValueError, match=r"has 2 entries but .* has 1; give exactly one per exam"):
        loss([0.5, 0.5], [1])
    with pytest.raises(ValueError, match=r"are empty; give at least one example"):
        loss([], [])


@pytest.mark.parametrize("loss", BINARY_LOSSES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, Value(math.nan)], ids=repr)
def test_non_finite_values_are_refused_saying_where(loss: Callable[..., Value], bad: Any) -> None:
    with pytest.raises(ValueError, match=r"\[1\] is -?(nan|inf); losses need finite numbers"):
        loss([0.5, bad], [1, 1])
    with pytest.raises(ValueError, match=r"\[0\] is -?(nan|inf); losses need finite numbers"):
        loss([0.5], [bad])


@pytest.mark.parametrize("loss", BINARY_LOSSES, ids=lambda f: f.__name__)
def test_a_single_value_or_a_string_instead_of_a_list_is_a_type_error(
    loss: Callable[..., Value],
) -> None:
    with pytest.raises(TypeError, match=r"got a single Value.*wrap it in a list"):
        loss(Value(0.5), [1])
    with pytest.raises(TypeError, match=r"got a single float.*wrap it in a list"):
        loss([0.5], 1.0)
    with pytest.raises(TypeError, match=r"must be a list with one entry per example, got str"):
        loss("0.5", [1])
    with pytest.raises(TypeError, match=r"\[0\] must be a Value or a real number, got str"):
        loss(["0.5"], [1])
    with pytest.raises(TypeError, match=r"\[0\] must be a Value or a real number, got bool"):
        loss([0.5], [True])


@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_probabilities_outside_zero_one_point_to_the_logits_form(p: float) -> None:
    with pytest.raises(
        ValueError,
        match=r"probabilities\[0\] is .*must be in \[0, 1\].*binary_cross_entropy_with_logits",
    ):
        binary_cross_entropy([p], [1])


@pytest.mark.parametrize("loss", [binary_cross_entropy, binary_cross_entropy_with_logits])
@pytest.mark.parametrize("y", [-1, 2, 1.0000001])
def test_binary_targets_outside_zero_one_are_refused(loss: Callable[..., Value], y: float) -> None:
    with pytest.raises(ValueError, match=r"targets\[0\] is .*targets must be in \[0, 1\]"):
        loss([0.5], [y])


def test_hinge_label_zero_says_to_map_with_two_y_minus_one() -> None:
    with pytest.raises(ValueError, match=r"labels\[1\] is 0.*map 0/1 labels with 2\*y - 1"):
        hinge([0.5, 0.5], [1, 0])
    with pytest.raises(ValueError, match=r"labels\[0\] is 0.5, but hinge labels must be -1 or \+1"):
        hinge([0.5], [0.5])


@pytest.mark.parametrize(
    ("rows", "classes", "error", "message"),
    [
        ([[0.0, 1.0]], [2], ValueError, r"class_indices\[0\] is 2, but with 2 logits .* 0..1"),
        ([[0.0, 1.0]], [-1], ValueError, r"class_indices\[0\] is -1"),
        ([[0.0, 1.0]], [1.0], TypeError, r"class_indices\[0\] must be an int class index"),
        ([[0.0, 1.0]], [True], TypeError, r"class_indices\[0\] must be an int class index"),
        ([[0.0, 1.0], [0.0]], [0, 0], ValueError, r"\[1\] has 1 logits but .*\[0\] has 2"),
        ([0.5, 1.5], [0, 1], TypeError, r"each example needs a list of K logits.*with_logits"),
        ([[0.0, math.nan]], [0], ValueError, r"logits_per_example\[0\]\[1\] is nan"),
        ([[0.0, 1.0]], [0, 1], ValueError, r"has 1 entries but class_indices has 2"),
        ([], [], ValueError, r"are empty"),
        ([[]], [0], ValueError, r"logits_per_example\[0\] is empty; give one logit per class"),
    ],
)
def test_cross_entropy_errors(
    rows: Any, classes: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        cross_entropy(rows, classes)
