"""Losses on Values (means over examples), MSE vs cross-entropy table; imports only the engine.

Every loss takes one prediction per example and one target per example
(Values or plain numbers), checks them, and returns one Value: the mean of
the per-example terms, ready for `.backward()`.

>>> from tinygrad_edu import Value
>>> z = Value(2.0)
>>> loss = binary_cross_entropy_with_logits([z], [1])
>>> loss.backward()
>>> round(loss.data, 4), round(z.grad, 4)   # -log sigmoid(2), sigmoid(2) - 1
(0.1269, -0.1192)

Which loss to use, and why MSE learns slowly on a saturated sigmoid, is
explained in docs/losses.md.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tinygrad_edu.engine import Value, grad

__all__ = [
    "LOG_CLAMP",
    "LossComparison",
    "LossRow",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "compare_losses",
    "cross_entropy",
    "hinge",
    "mse",
]

Number = Value | float | int

LOG_CLAMP = -100.0
"""binary_cross_entropy clamps each log term at this value, as PyTorch's BCELoss does."""


def mse(predictions: Sequence[Number], targets: Sequence[Number]) -> Value:
    """Mean squared error: ``(1/n) * sum_i (p_i - y_i)**2``; d/dp_i = 2 (p_i - y_i) / n.

    For regression: any finite predictions and targets.

    >>> mse([Value(0.5), Value(2.0)], [1.0, 2.0])
    Value(data=0.125, grad=0.0)
    """
    pairs = _pairs("mse", predictions, targets, "predictions", "targets")
    return _mean([(prediction - target) ** 2 for prediction, target in pairs])


def binary_cross_entropy(probabilities: Sequence[Number], targets: Sequence[Number]) -> Value:
    """Binary cross-entropy of probabilities: ``-(1/n) sum_i [y log p + (1 - y) log(1 - p)]``.

    `probabilities` in [0, 1] (apply `.sigmoid()` to a logit first), `targets`
    in [0, 1] (usually the labels 0 and 1). d/dp_i = (p - y) / (p (1 - p) n).

    As in PyTorch's BCELoss, each log is clamped at -100 (`LOG_CLAMP`), so
    p = 0 or p = 1 gives a finite loss: where the clamp is active the log term
    is the constant -100 and passes no gradient back to p. A term whose weight
    is exactly 0 (the log(p) term for y = 0, the log(1 - p) term for y = 1)
    is left out: it is 0 and passes no gradient. When the model's output is
    a logit z, prefer `binary_cross_entropy_with_logits(z, y)`: it never needs
    the clamp, keeps the gradient sigmoid(z) - y for any z, and stays exact
    where sigmoid(z) rounds to 1 (z above about 37).

    >>> loss = binary_cross_entropy([Value(0.8), Value(0.4)], [1, 0])
    >>> loss.data == -(math.log(0.8) + math.log(0.6)) / 2
    True
    >>> binary_cross_entropy([Value(0.0)], [1])   # log(0) clamped: the loss is 100, no gradient
    Value(data=100.0, grad=0.0)
    """
    pairs = _pairs(
        "binary_cross_entropy", probabilities, targets, "probabilities", "targets",
        check_prediction=_check_probability, check_target=_check_binary_target,
    )  # fmt: skip
    return _mean([_binary_cross_entropy_term(p, y) for p, y in pairs])


def binary_cross_entropy_with_logits(logits: Sequence[Number], targets: Sequence[Number]) -> Value:
    """Binary cross-entropy of sigmoid(z), computed from the logit z without ever rounding p.

    Per example ``softplus(z) - y*z`` (= ``-[y log s(z) + (1 - y) log(1 - s(z))]``),
    which is ``softplus(-z)`` for y = 1 and ``softplus(z)`` for y = 0; for a
    soft target the form without cancellation is chosen by the sign of z.
    softplus never overflows, so any finite logit works (z = +-1000 included).
    d/dz_i = (sigmoid(z_i) - y_i) / n: the error itself, never flattened by
    sigmoid'(z). Targets in [0, 1].

    >>> z = Value(-1000.0)
    >>> loss = binary_cross_entropy_with_logits([z], [1])
    >>> loss.backward()
    >>> loss.data, z.grad
    (1000.0, -1.0)
    """
    pairs = _pairs(
        "binary_cross_entropy_with_logits", logits, targets, "logits", "targets",
        check_target=_check_binary_target,
    )  # fmt: skip
    return _mean([_binary_cross_entropy_logits_term(z, y) for z, y in pairs])


def cross_entropy(
    logits_per_example: Sequence[Sequence[Number]], class_indices: Sequence[int]
) -> Value:
    """Softmax cross-entropy over K classes: ``(1/n) sum_i [log sum_k e^(z_ik) - z_i,c_i]``.

    `logits_per_example` holds one list of K logits per example (the same K
    for all), `class_indices` the right class of each example, an int in
    0..K-1. The log-sum-exp trick subtracts m = max_k z_k first,
    ``log sum_k e^(z_k - m) - (z_c - m)``, so no exp overflows; m cancels,
    so it is a constant leaf of the graph. d/dz_k = (softmax_k - [k = c]) / n.
    For two classes, logits [0, z] give the binary cross-entropy of z.

    >>> round(cross_entropy([[Value(1.0), Value(-2.0), Value(0.5)]], [0]).data, 4)
    0.5046
    >>> round(cross_entropy([[0.0, 2.0]], [1]).data, 4)   # as binary_cross_entropy_with_logits
    0.1269
    """
    function = "cross_entropy"
    rows = _items(logits_per_example, "logits_per_example", function)
    indices = _items(class_indices, "class_indices", function)
    _check_lengths(function, "logits_per_example", len(rows), "class_indices", len(indices))
    n_classes = -1
    terms = []
    for example, (row, index) in enumerate(zip(rows, indices, strict=True)):
        name = f"logits_per_example[{example}]"
        if isinstance(row, (Value, numbers.Number)):
            raise TypeError(
                f"{function}: {name} is {row!r}, but each example needs a list of K logits, "
                "one per class; for one logit per example (two classes) use "
                "binary_cross_entropy_with_logits"
            )
        logits = [
            _as_value(z, name, k, function) for k, z in enumerate(_items(row, name, function))
        ]
        if not logits:
            raise ValueError(f"{function}: {name} is empty; give one logit per class")
        if example == 0:
            n_classes = len(logits)
        elif len(logits) != n_classes:
            raise ValueError(
                f"{function}: {name} has {len(logits)} logits but logits_per_example[0] has "
                f"{n_classes}; every example needs one logit per class"
            )
        terms.append(_softmax_cross_entropy_term(logits, _check_class(index, example, n_classes)))
    return _mean(terms)


def hinge(scores: Sequence[Number], labels: Sequence[Number]) -> Value:
    """The max-margin loss of micrograd's demo: ``(1/n) sum_i relu(1 - y_i * s_i)``.

    Labels are -1 and +1 (map 0/1 labels with ``2*y - 1``). An example
    scored on the right side with a margin of at least 1 costs nothing and
    passes no gradient; otherwise d/ds_i = -y_i / n (relu' is 0 at the kink,
    margin exactly 1).

    >>> hinge([Value(2.0), Value(0.5)], [1, 1])   # relu(-1) = 0, relu(0.5) = 0.5
    Value(data=0.25, grad=0.0)
    """
    pairs = _pairs("hinge", scores, labels, "scores", "labels", check_target=_check_sign_label)
    return _mean([_hinge_term(score, label) for score, label in pairs])


# --- One example's term ----------------------------------------------------------
# Each builds the few nodes of the formula, so the graph of one example reads as math.


def _binary_cross_entropy_term(p: Value, y: Value | float) -> Value:
    if isinstance(y, float) and y == 1.0:
        return -_clamped_log(p)
    if isinstance(y, float) and y == 0.0:
        return -_clamped_log(1 - p)
    return -(y * _clamped_log(p) + (1 - y) * _clamped_log(1 - p))


def _clamped_log(x: Value) -> Value:
    """log(x), or the constant LOG_CLAMP where log(x) < LOG_CLAMP (x = 0 too): no gradient there."""
    if x.data > 0 and math.log(x.data) >= LOG_CLAMP:
        return x.log()
    return Value(LOG_CLAMP, label="log clamped")


def _binary_cross_entropy_logits_term(z: Value, y: Value | float) -> Value:
    if isinstance(y, float) and y == 1.0:
        return (-z).softplus()
    if isinstance(y, float) and y == 0.0:
        return z.softplus()
    # softplus(z) - y z == softplus(-z) + (1 - y) z; take the one whose terms do not cancel.
    if z.data >= 0:
        return (-z).softplus() + (1 - y) * z
    return z.softplus() - y * z


def _softmax_cross_entropy_term(logits: list[Value], index: int) -> Value:
    peak = Value(max(z.data for z in logits), label="max logit")
    shifted = [z - peak for z in logits]
    total = shifted[0].exp()
    for z in shifted[1:]:
        total = total + z.exp()
    return total.log() - shifted[index]


def _hinge_term(score: Value, label: Value | float) -> Value:
    if isinstance(label, float):
        return (1 - score).relu() if label == 1.0 else (1 + score).relu()
    return (1 - label * score).relu()


def _mean(terms: list[Value]) -> Value:
    """The mean of the terms: summed from the first one (no extra 0 node), then divided by n."""
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total / len(terms)


# --- Checking the inputs ---------------------------------------------------------

NumberCheck = Callable[[float, str, str], None]
"""Checks one number (value, where it is, function name); raises ValueError outside the domain."""


def _pairs(
    function: str,
    predictions: object,
    targets: object,
    prediction_name: str,
    target_name: str,
    *,
    check_prediction: NumberCheck | None = None,
    check_target: NumberCheck | None = None,
) -> list[tuple[Value, Value | float]]:
    """Check both sequences and pair them: each prediction a Value, each target a Value or float."""
    prediction_items = _items(predictions, prediction_name, function)
    target_items = _items(targets, target_name, function)
    _check_lengths(function, prediction_name, len(prediction_items), target_name, len(target_items))
    pairs: list[tuple[Value, Value | float]] = []
    for index, (prediction, target) in enumerate(zip(prediction_items, target_items, strict=True)):
        value = _as_value(prediction, prediction_name, index, function)
        if check_prediction is not None:
            check_prediction(value.data, f"{prediction_name}[{index}]", function)
        number = _as_number(target, target_name, index, function)
        if check_target is not None:
            check_target(number, f"{target_name}[{index}]", function)
        pairs.append((value, target if isinstance(target, Value) else number))
    return pairs


def _items(sequence: object, name: str, function: str) -> list[Any]:
    """The elements of a list or tuple (or other sequence) passed as `name`."""
    if isinstance(sequence, (Value, numbers.Number)):
        raise TypeError(
            f"{function}: {name} must be a list with one entry per example, got a single "
            f"{type(sequence).__name__}: {sequence!r}; wrap it in a list, e.g. [{name}]"
        )
    if isinstance(sequence, (str, bytes)) or not hasattr(sequence, "__len__"):
        raise TypeError(
            f"{function}: {name} must be a list with one entry per example, "
            f"got {type(sequence).__name__}: {sequence!r}"
        )
    return list(sequence)  # type: ignore[call-overload,no-any-return]


def _check_lengths(function: str, first: str, n_first: int, second: str, n_second: int) -> None:
    if n_first != n_second:
        raise ValueError(
            f"{function}: {first} has {n_first} entries but {second} has {n_second}; "
            "give exactly one per example"
        )
    if n_first == 0:
        raise ValueError(f"{function}: {first} and {second} are empty; give at least one example")


def _as_number(item: object, name: str, index: int, function: str) -> float:
    """The finite number in `item` (a Value or a real number)."""
    if isinstance(item, Value):
        number = item.data
    elif isinstance(item, numbers.Real) and not isinstance(item, bool):
        number = float(item)
    else:
        raise TypeError(
            f"{function}: {name}[{index}] must be a Value or a real number, "
            f"got {type(item).__name__}: {item!r}"
        )
    if not math.isfinite(number):
        raise ValueError(
            f"{function}: {name}[{index}] is {number!r}; losses need finite numbers "
            "(an inf or nan upstream usually means a step size too large or an overflow)"
        )
    return number


def _as_value(item: object, name: str, index: int, function: str) -> Value:
    """`item` as a Value (a number becomes a new leaf), after checking it is finite."""
    number = _as_number(item, name, index, function)
    return item if isinstance(item, Value) else Value(number)


def _check_probability(p: float, where: str, function: str) -> None:
    if not 0.0 <= p <= 1.0:
        raise ValueError(
            f"{function}: {where} is {p!r}, but probabilities must be in [0, 1]; "
            "apply .sigmoid() first, or pass the raw scores (logits) to "
            "binary_cross_entropy_with_logits"
        )


def _check_binary_target(y: float, where: str, function: str) -> None:
    if not 0.0 <= y <= 1.0:
        raise ValueError(
            f"{function}: {where} is {y!r}, but targets must be in [0, 1] "
            "(the labels 0 and 1, or a probability); "
            "for labels -1/+1 map them with (y + 1) / 2"
        )


def _check_sign_label(y: float, where: str, function: str) -> None:
    if y == 0.0:
        raise ValueError(
            f"{function}: {where} is 0, but hinge labels are -1 and +1; map 0/1 labels with 2*y - 1"
        )
    if y not in (-1.0, 1.0):
        raise ValueError(f"{function}: {where} is {y!r}, but hinge labels must be -1 or +1")


def _check_class(index: object, example: int, n_classes: int) -> int:
    where = f"class_indices[{example}]"
    if isinstance(index, bool) or not isinstance(index, numbers.Integral):
        raise TypeError(
            f"cross_entropy: {where} must be an int class index, "
            f"got {type(index).__name__}: {index!r}; convert it with int(...)"
        )
    index = int(index)
    if not 0 <= index < n_classes:
        raise ValueError(
            f"cross_entropy: {where} is {index}, but with {n_classes} logits per example "
            f"the classes are 0..{n_classes - 1}"
        )
    return index


# --- The lesson's comparison -----------------------------------------------------


@dataclass(frozen=True)
class LossRow:
    """One example seen by both losses, for a model whose output is a logit z.

    `squared_error` is (p - y)**2 with p = sigmoid(z); `cross_entropy` is the
    binary cross-entropy term from the logit. The two `_grad` fields are
    their derivatives with respect to z: 2 (p - y) p (1 - p) and p - y.
    """

    logit: float
    probability: float
    target: float
    squared_error: float
    cross_entropy: float
    squared_error_grad: float
    cross_entropy_grad: float


@dataclass(frozen=True)
class LossComparison:
    """MSE and cross-entropy on the same predictions: one `LossRow` per example and both means.

    `str()` gives a table. Where the model is confidently wrong (|z| large, p
    on the wrong side), `squared_error_grad` is tiny while `cross_entropy_grad`
    stays near -+1: the squared error's gradient carries the factor
    2 sigmoid'(z), which vanishes as |z| grows.
    """

    rows: tuple[LossRow, ...]
    mse: float
    cross_entropy: float

    def __str__(self) -> str:
        header = (
            f"{'#':>4} {'logit z':>9} {'p=sig(z)':>9} {'target':>6} {'(p-y)^2':>9} "
            f"{'cross-ent':>9} {'dSE/dz':>10} {'dCE/dz':>10}"
        )
        lines = [header]
        for index, row in enumerate(self.rows):
            lines.append(
                f"{index:>4} {row.logit:>9.4f} {row.probability:>9.4f} {row.target:>6g} "
                f"{row.squared_error:>9.4f} {row.cross_entropy:>9.4f} "
                f"{row.squared_error_grad:>10.3g} {row.cross_entropy_grad:>10.3g}"
            )
        lines.append(
            f"{'mean':>4} {'':>9} {'':>9} {'':>6} {self.mse:>9.4f} {self.cross_entropy:>9.4f}"
        )
        lines.append(f"MSE = {self.mse:.6g}   cross-entropy = {self.cross_entropy:.6g}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"LossComparison({len(self.rows)} examples, mse={self.mse:.6g}, "
            f"cross_entropy={self.cross_entropy:.6g})"
        )

    def html(self, lang: str | None = None) -> str:
        """An HTML table, the examples with the largest cross-entropy first; `lang` 'pt' or 'en'."""
        from tinygrad_edu.messages import choose_language, text
        from tinygrad_edu.tables import html_table

        language = choose_language(lang)
        order = sorted(range(len(self.rows)), key=lambda i: -self.rows[i].cross_entropy)
        header = ["#", "logit z", "p = sigmoid(z)", text("report.target", language), "(p-y)²",
                  "cross-entropy", "dSE/dz", "dCE/dz"]  # fmt: skip
        cells = [
            [i, f"{r.logit:.4f}", f"{r.probability:.4f}", f"{r.target:g}", f"{r.squared_error:.4f}",
             f"{r.cross_entropy:.4f}", f"{r.squared_error_grad:.3g}", f"{r.cross_entropy_grad:.3g}"]
            for i, r in ((i, self.rows[i]) for i in order)
        ]  # fmt: skip
        right = [(self.rows[i].probability > 0.5) == (self.rows[i].target > 0.5) for i in order]
        caption = text("report.losses_caption", language, mse=self.mse,
                       cross_entropy=self.cross_entropy)  # fmt: skip
        words = (text("report.right", language), text("report.wrong", language))
        return html_table(header, cells, statuses=right, status_words=words, caption=caption)

    def _repr_html_(self) -> str:
        return self.html()


def compare_losses(
    model: Callable[[Any], Any], X: Sequence[Sequence[Number]], y: Sequence[Number]
) -> LossComparison:
    """The lesson's "compare the values for the same input": MSE and cross-entropy side by side.

    `model(x)` must give one logit per input (a Value or a number), e.g. an
    `MLP(2, [..., 1])`; `y` holds targets in [0, 1]. The means equal
    ``mse([sigmoid(z) ...], y)`` and ``binary_cross_entropy_with_logits(z, y)``.

    >>> comparison = compare_losses(lambda x: Value(x[0]), [(3.0,), (-3.0,)], [1, 1])
    >>> print(comparison)
       #   logit z  p=sig(z) target   (p-y)^2 cross-ent     dSE/dz     dCE/dz
       0    3.0000    0.9526      1    0.0022    0.0486   -0.00429    -0.0474
       1   -3.0000    0.0474      1    0.9074    3.0486    -0.0861     -0.953
    mean                               0.4548    1.5486
    MSE = 0.454823   cross-entropy = 1.54859
    """
    function = "compare_losses"
    inputs = _items(X, "X", function)
    targets = _items(y, "y", function)
    _check_lengths(function, "X", len(inputs), "y", len(targets))
    rows = []
    for index, (x, target) in enumerate(zip(inputs, targets, strict=True)):
        output = model(x)
        if isinstance(output, (list, tuple)):
            raise ValueError(
                f"{function}: the model gave {len(output)} outputs for X[{index}]; "
                "it must give one logit per example, e.g. MLP(nin, [..., 1])"
            )
        logit = Value(_as_number(output, "model(X)", index, function))
        label = _as_number(target, "y", index, function)
        _check_binary_target(label, f"y[{index}]", function)
        probability = logit.sigmoid()
        squared_error = (probability - label) ** 2
        cross_entropy_term = _binary_cross_entropy_logits_term(logit, label)
        (squared_error_grad,) = grad(squared_error, [logit])
        (cross_entropy_grad,) = grad(cross_entropy_term, [logit])
        rows.append(
            LossRow(
                logit=logit.data,
                probability=probability.data,
                target=label,
                squared_error=squared_error.data,
                cross_entropy=cross_entropy_term.data,
                squared_error_grad=squared_error_grad,
                cross_entropy_grad=cross_entropy_grad,
            )
        )
    n = len(rows)
    return LossComparison(
        rows=tuple(rows),
        mse=_sum(row.squared_error for row in rows) / n,
        cross_entropy=_sum(row.cross_entropy for row in rows) / n,
    )


def _sum(numbers_in_order: Any) -> float:
    """Sum in order, as the losses' graphs do, so the means match them to the last bit."""
    total = 0.0
    for number in numbers_in_order:
        total += number
    return total
