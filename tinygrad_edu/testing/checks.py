"""check_point, check_op, reports: reverse mode vs central differences; imports engine, hypothesis.

`check_point` compares at one point; `check_op` lets hypothesis draw the points
and shrink a failing one. The allowed error is derived in `tolerance`.
"""

from __future__ import annotations

import inspect
import math
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

from hypothesis import HealthCheck, Phase, Verbosity, configuration, given, reject, settings
from hypothesis import seed as fixed_seed
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

from tinygrad_edu.engine import Op, Value, grad, topological_order
from tinygrad_edu.testing.strategies import reals
from tinygrad_edu.testing.tolerance import (
    DEFAULT_STEP,
    OP_ROUNDING,
    Point,
    _central_difference,
    _Difference,
    rounding_bound,
)

RELATIVE_ERROR_FLOOR = 1000.0
"""Reports count a relative error only where the numbers are this many times the allowed error:
nearer to 0 their ratio is round-off noise (tanh' far out in its tail is 1e-40 or 0.0)."""

KINKED_OPS = ("relu", "abs")
"""Built-in ops with a kink at 0, where a central difference that straddles it is meaningless."""

Domain = st.SearchStrategy[float] | tuple[float, float]


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
    bound derived in `tinygrad_edu.testing.tolerance`. Raises `OutsideDomain` when the op
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

    def html(self, lang: str | None = None) -> str:
        """An HTML table of this check (one row); `lang` 'pt' or 'en'."""
        return reports_html([self], lang)

    def _repr_html_(self) -> str:
        return self.html()


def reports_html(reports: Sequence[CheckReport], lang: str | None = None) -> str:
    """An HTML table of `check_op` reports, the closest to failing first (a notebook's view).

    >>> report = CheckReport('tanh', True, 10, 1e-12, 1e-11, 0.25, None, None, '')
    >>> 'tanh' in reports_html([report], 'pt') and 'passou' in reports_html([report], 'pt')
    True
    """
    from tinygrad_edu.messages import choose_language, text
    from tinygrad_edu.tables import html_table

    language = choose_language(lang)
    ordered = sorted(reports, key=lambda report: report.worst_ratio, reverse=True)
    keys = ["op", "examples", "max_abs_error", "max_rel_error", "worst_ratio"]
    cells = [
        [
            report.name,
            report.examples,
            f"{report.max_abs_error:.2e}",
            f"{report.max_rel_error:.2e}",
            f"{report.worst_ratio:.3f}",
        ]
        for report in ordered
    ]
    return html_table(
        [text(f"report.rules_{key}", language) for key in keys], cells,
        statuses=[report.passed for report in ordered],
        status_words=(text("report.passed", language), text("report.failed", language)),
    )  # fmt: skip


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
        with _hypothesis_files_in_a_temporary_folder():
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


@contextmanager
def _hypothesis_files_in_a_temporary_folder() -> Iterator[None]:
    """Point hypothesis's storage at a temporary folder for one run, then back where it was.

    Hypothesis keeps files under ./.hypothesis (its example database, a cache
    of the constants it read in your modules); a check called from a script or
    a notebook should leave the working folder as it found it. The example
    database is off anyway (`database=None`). Setting the environment variable
    HYPOTHESIS_STORAGE_DIRECTORY keeps hypothesis's own choice.
    """
    if os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
        yield
        return
    # hypothesis has a setter and no getter for this folder: read its module attribute
    previous = getattr(configuration, "__hypothesis_home_directory", None)
    with tempfile.TemporaryDirectory(prefix="tinygrad-edu-hypothesis-") as scratch:
        configuration.set_hypothesis_home_dir(scratch)
        try:
            yield
        finally:
            configuration.set_hypothesis_home_dir(previous)


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
        "the allowed error is explained in help(tinygrad_edu.testing.tolerance))"
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
