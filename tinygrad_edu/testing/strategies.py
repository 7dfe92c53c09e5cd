"""Hypothesis strategies: where each op, loss and data set is checked; imports engine, hypothesis.

Each strategy's docstring says why its domain is what it is.
"""

from __future__ import annotations

import operator

from hypothesis import strategies as st

from tinygrad_edu.engine import Value


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
