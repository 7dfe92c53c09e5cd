"""Finite-difference gradient checks and the "nudge one weight" experiment; imports only the engine.

The lesson's check moves one weight by h and compares (loss_new - loss_old) / h
with the analytic derivative; `gradcheck` also offers the backward and central
differences. Why the lesson's forward difference misses 1e-5 even when the gradient
is right is explained once, in docs/gradient-check.md.

Every function takes `f`, a zero-argument callable that rebuilds the loss
from the current parameter values and returns it as a Value:

>>> w = Value(0.0, label='w')
>>> def f():
...     return (1.5 * w - 1) ** 2
>>> print(nudge(f, w))
Moving w up by 0.001 makes the loss go down by about 3.00e-03 (the gradient predicted 3.00e-03).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tinygrad_edu.engine import Value, grad
from tinygrad_edu.nn import Params, named_leaves

__all__ = [
    "METHODS",
    "GradcheckReport",
    "GradcheckRow",
    "Nudge",
    "gradcheck",
    "nudge",
    "numerical_derivative",
]

METHODS = ("forward", "backward", "central")
"""The finite differences on offer: 'forward' is the lesson's, 'central' the accurate one."""

ONE_SIDED_METHODS = ("forward", "backward")

FLAT_RELATIVE_CHANGE = 1e-12
"""`nudge` calls a weight 'flat' when the gradient predicts a change of the loss no
larger than this fraction of the loss: below what a float64 loss, itself the result
of many roundings of relative size 1.1e-16, can show reliably."""

CURVATURE_NOTE = (
    "Note: a one-sided difference is off by about h/2*|f''(w)| even when the gradient is right:\n"
    "that is the loss's curvature, not a bug (compare 'abs error' with 'h/2*|f''|').\n"
    "method='central' cancels that term (its error shrinks like h^2) and is the fix."
)
"""The line under the verdict of a 'forward' or 'backward' report."""

SUMMARY_ROWS = 10
"""How many rows `str(report)` shows before summarising the rest."""

Loss = Callable[[], Value]




# --- Checking what comes in ---------------------------------------------------------


def _check_callable(f: object) -> None:
    if not callable(f):
        raise TypeError(
            f"f must be a zero-argument function that recomputes the loss, got "
            f"{type(f).__name__}: {f!r}; e.g. def f(): return losses.mse(model(x), y)"
        )


def _check_step(h: object) -> float:
    """Return h as a float if it is a usable step: a finite number > 0."""
    if isinstance(h, bool) or not isinstance(h, numbers.Real):
        raise TypeError(f"h must be a number, got {type(h).__name__}: {h!r}; e.g. h=1e-3")
    step = float(h)
    if not math.isfinite(step) or step <= 0:
        raise ValueError(
            f"h must be a finite number > 0, got {h!r}; the lesson uses h=1e-3 "
            "(docs/gradient-check.md shows how the error depends on h)"
        )
    return step


def _check_method(method: object) -> str:
    if method not in METHODS:
        allowed = ", ".join(repr(m) for m in METHODS)
        raise ValueError(
            f"unknown method {method!r}; allowed: {allowed} "
            "('forward' is the lesson's (f(w+h) - f(w))/h, 'central' the accurate one)"
        )
    return str(method)


def _check_parameter(param: object, name: str) -> Value:
    """A parameter to perturb must be a leaf Value: changing its .data must change f()."""
    if not isinstance(param, Value):
        raise TypeError(
            f"{name} must be a Value (a weight, bias or input leaf), got "
            f"{type(param).__name__}: {param!r}"
        )
    if param._prev:
        raise ValueError(
            f"{name} is not a leaf Value: it was computed by {param._op!r} from other Values, "
            "so f() recomputes it from them and never sees a change to its .data; "
            "check the leaves it is made of (the weights and biases) instead"
        )
    return param


def _check_finite(number: float, what: str) -> float:
    if not math.isfinite(number):
        raise ValueError(
            f"{what} is {number!r}; a finite-difference check needs finite numbers: "
            "look for an overflow, a log of 0 or a division by 0 in the loss, or try a smaller h"
        )
    return number


def _parameter_name(param: Value) -> str:
    return param.label or "param"


def _evaluate(f: Loss, where: str) -> Value:
    """Call f(), check that it returned a finite loss Value, and return it."""
    loss = f()
    if not isinstance(loss, Value):
        raise TypeError(
            f"f must return the loss as a Value, but at {where} it returned "
            f"{type(loss).__name__}: {loss!r}; return the loss Value itself "
            "(not loss.data or float(loss)), so its gradient can be computed"
        )
    _check_finite(loss.data, f"the loss at {where}")
    return loss


# --- Finite differences ---------------------------------------------------------------


_OFFSETS = {"w": 0.0, "w+h": 1.0, "w-h": -1.0}
"""Where the loss is evaluated, as multiples of h away from the parameter's value w."""


def _losses_at(f: Loss, param: Value, h: float, points: Sequence[str], name: str) -> list[float]:
    """f().data with param.data set to each point ('w', 'w+h' or 'w-h') in turn; restored after."""
    w = param.data
    losses: list[Value] = []
    loss_values: list[float] = []
    try:
        for where in points:
            moved = w + _OFFSETS[where] * h
            if where != "w" and moved == w:
                raise ValueError(
                    f"h = {h!r} is too small for {name} = {w!r}: {where} rounds back to w in "
                    "floating point, so the loss cannot change; use a larger h such as 1e-3"
                )
            param.data = moved
            context = f"{name} = {w!r}" if where == "w" else f"{name}: w = {w!r}, h = {h!r}"
            loss = _evaluate(f, f"{where} ({context})")
            if any(loss is earlier for earlier in losses) and loss._prev:
                raise ValueError(
                    f"f returned the same loss node for two values of {name}, so it cannot "
                    "see the change; f must rebuild the loss on each call, e.g. "
                    "def f(): return losses.mse(model(x), y), not f = lambda: loss"
                )
            losses.append(loss)
            loss_values.append(loss.data)  # read now: if f returned param itself, it moves on
    finally:
        param.data = w
    return loss_values


def _difference(f: Loss, param: Value, h: float, method: str, name: str) -> float:
    """The finite difference of f with respect to param, by the given method."""
    if method == "forward":
        above, at = _losses_at(f, param, h, ("w+h", "w"), name)
        derivative = (above - at) / h
    elif method == "backward":
        at, below = _losses_at(f, param, h, ("w", "w-h"), name)
        derivative = (at - below) / h
    else:
        above, below = _losses_at(f, param, h, ("w+h", "w-h"), name)
        derivative = (above - below) / (2 * h)
    return _check_finite(derivative, f"the {method} difference for {name}")


def numerical_derivative(f: Loss, param: Value, h: float = 1e-3, method: str = "central") -> float:
    """Estimate d f() / d param by moving param.data by h and recomputing the loss.

    - 'forward' (the lesson's):  (f(w+h) - f(w)) / h,        error about h/2 * f''(w)
    - 'backward':                (f(w) - f(w-h)) / h,        error about h/2 * f''(w)
    - 'central':                 (f(w+h) - f(w-h)) / (2h),   error about h**2/6 * f'''(w)

    `param` must be a leaf Value; its `.data` is restored afterwards, even if
    `f` raises. Its `.grad` is never touched.

    >>> w = Value(0.0)
    >>> def f():
    ...     return (1.5 * w - 1) ** 2
    >>> round(numerical_derivative(f, w, method='forward'), 10)
    -2.99775
    >>> round(numerical_derivative(f, w), 10)
    -3.0
    >>> w.data
    0.0
    """
    _check_callable(f)
    step = _check_step(h)
    chosen = _check_method(method)
    _check_parameter(param, "param")
    return _difference(f, param, step, chosen, _parameter_name(param))


# --- gradcheck and its report -------------------------------------------------------------


@dataclass(frozen=True)
class GradcheckRow:
    """One parameter's check: the analytic and numeric derivatives and how far apart they are.

    `second_derivative` (f''(w), signed) and `predicted_error` (h/2 * |f''(w)|)
    are filled for the one-sided methods ('forward', 'backward'), else None.
    """

    name: str
    analytic: float
    numeric: float
    abs_error: float
    rel_error: float
    passed: bool
    second_derivative: float | None = None
    predicted_error: float | None = None


@dataclass(frozen=True)
class GradcheckReport:
    """The result of `gradcheck`: one row per parameter, in the order given.

    `str(report)` is an aligned table; more than `SUMMARY_ROWS` rows are
    summarised, worst first, and `report.table(all_rows=True)` shows them all.
    """

    rows: tuple[GradcheckRow, ...]
    method: str
    h: float
    atol: float
    rtol: float

    @property
    def passed(self) -> bool:
        """True when every row is within atol + rtol * |numeric|."""
        return all(row.passed for row in self.rows)

    @property
    def failures(self) -> list[GradcheckRow]:
        """The rows outside the tolerance, in parameter order."""
        return [row for row in self.rows if not row.passed]

    @property
    def worst(self) -> GradcheckRow:
        """The row with the largest absolute error (the first of them on a tie)."""
        return max(self.rows, key=lambda row: row.abs_error)

    def __str__(self) -> str:
        return self.table()

    def __repr__(self) -> str:
        return (
            f"GradcheckReport(method={self.method!r}, h={self.h!r}, passed={self.passed}, "
            f"rows={len(self.rows)}, failures={len(self.failures)})"
        )

    def table(
        self,
        all_rows: bool = False,
        max_rows: int = SUMMARY_ROWS,
        more_hint: str = "report.table(all_rows=True) shows all",
    ) -> str:
        """The report as text: a verdict line, for one-sided methods a line on
        curvature, then an aligned table.

        With `all_rows=False` and more than `max_rows` rows, only the `max_rows`
        worst rows are shown (largest absolute error first) and a last line says
        how many more there are, and `more_hint` how to see them; otherwise
        every row, in parameter order.
        """
        lines = [self._verdict()]
        if self.method in ONE_SIDED_METHODS:
            lines.append(CURVATURE_NOTE)
        shown = list(self.rows)
        hidden: list[GradcheckRow] = []
        if not all_rows and len(shown) > max_rows:
            by_error = sorted(shown, key=lambda row: row.abs_error, reverse=True)
            shown, hidden = by_error[:max_rows], by_error[max_rows:]
        lines.extend(_align([self._header(), *(self._cells(row) for row in shown)]))
        if hidden:
            hidden_failures = sum(not row.passed for row in hidden)
            status = f"{hidden_failures} of them failing" if hidden_failures else "all passing"
            lines.append(
                f"... {len(hidden)} more rows ({status}); {more_hint}"
            )
        return "\n".join(lines)

    def _verdict(self) -> str:
        settings = f"method={self.method!r}, h={self.h:g}, atol={self.atol:g}, rtol={self.rtol:g}"
        count = len(self.rows)
        if self.passed:
            return f"gradcheck ({settings}): PASSED, {_plural(count)} within tolerance"
        worst = self.worst
        return (
            f"gradcheck ({settings}): FAILED, {len(self.failures)} of {_plural(count)} "
            f"outside tolerance (worst: {worst.name}, abs error {worst.abs_error:.2e})"
        )

    def _header(self) -> list[str]:
        header = ["name", "analytic", "numeric", "abs error", "rel error"]
        if self.method in ONE_SIDED_METHODS:
            header += ["f''(w)", "h/2*|f''|"]
        return [*header, "ok"]

    def _cells(self, row: GradcheckRow) -> list[str]:
        cells = [
            row.name,
            f"{row.analytic: .8e}",
            f"{row.numeric: .8e}",
            f"{row.abs_error:.2e}",
            f"{row.rel_error:.2e}",
        ]
        if row.second_derivative is not None and row.predicted_error is not None:
            cells += [f"{row.second_derivative: .2e}", f"{row.predicted_error:.2e}"]
        return [*cells, "pass" if row.passed else "FAIL"]

    def html(self, lang: str | None = None) -> str:
        """An HTML table of every row, the largest absolute error first; `lang` 'pt' or 'en'."""
        from tinygrad_edu.messages import choose_language, text
        from tinygrad_edu.tables import html_table

        language = choose_language(lang)
        settings = {"method": self.method, "h": self.h, "atol": self.atol, "rtol": self.rtol,
                    "count": len(self.rows), "failures": len(self.failures)}  # fmt: skip
        verdict = "report.gradcheck_passed" if self.passed else "report.gradcheck_failed"
        keys = ["name", "analytic", "numeric", "abs_error", "rel_error"]
        header = [text(f"report.{key}", language) for key in keys]
        one_sided = self.method in ONE_SIDED_METHODS
        if one_sided:
            header += ["f''(w)", text("report.predicted_error", language)]
        rows = sorted(self.rows, key=lambda row: row.abs_error, reverse=True)
        cells = []
        for row in rows:
            cell = [row.name, f"{row.analytic:.8e}", f"{row.numeric:.8e}",
                    f"{row.abs_error:.2e}", f"{row.rel_error:.2e}"]  # fmt: skip
            if one_sided and row.second_derivative is not None:
                cell += [f"{row.second_derivative:.2e}", f"{row.predicted_error:.2e}"]
            cells.append(cell)
        return html_table(
            header, cells, statuses=[row.passed for row in rows],
            status_words=(text("report.passed", language), text("report.failed", language)),
            caption=text(verdict, language, **settings),
        )  # fmt: skip

    def _repr_html_(self) -> str:
        return self.html()


def _plural(count: int) -> str:
    return f"{count} parameter" if count == 1 else f"{count} parameters"


def _align(table: list[list[str]]) -> list[str]:
    """Pad each column to its widest cell: names to the left, numbers to the right."""
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = []
    for row in table:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
    return lines


def _named_parameters(params: object) -> list[tuple[str, Value]]:
    """The named leaves to check (nn.named_leaves), each a Value that can be moved."""
    return named_leaves(params)


def gradcheck(
    f: Loss,
    params: Params,
    h: float = 1e-3,
    method: str = "central",
    atol: float = 1e-5,
    rtol: float = 1e-3,
    *,
    on_param: Callable[[int, int, str], None] | None = None,
) -> GradcheckReport:
    """Compare the engine's gradient of f() with a finite difference, parameter by parameter.

    `params` is a list of Values (rows named by label, else `params[i]`), a list
    of `(name, Value)` pairs, or a Module (rows named by `named_parameters()`).
    The analytic gradient comes from `tinygrad_edu.grad`, so no `.grad` is
    touched, and every `.data` is restored. A row passes when
    |analytic - numeric| <= atol + rtol * |numeric| (PyTorch's allclose rule).
    The lesson's own criterion, |difference| < 1e-5, is atol=1e-5, rtol=0.
    `on_param(number, total, name)`, when given, is called as the check of each
    parameter starts (number counts from 1), e.g. to show progress on a large model.

    >>> w = Value(0.0, label='w')
    >>> def f():
    ...     return (1.5 * w - 1) ** 2
    >>> report = gradcheck(f, [w], method='forward', rtol=0)
    >>> report.passed, f"{report.worst.abs_error:.6f}", f"{report.worst.predicted_error:.6f}"
    (False, '0.002250', '0.002250')
    >>> gradcheck(f, [w]).passed
    True
    >>> report = gradcheck(f, [w], on_param=lambda number, total, name: print(number, total, name))
    1 1 w
    """
    _check_callable(f)
    step = _check_step(h)
    chosen = _check_method(method)
    for tolerance_name, tolerance in (("atol", atol), ("rtol", rtol)):
        if isinstance(tolerance, bool) or not isinstance(tolerance, numbers.Real):
            raise TypeError(f"{tolerance_name} must be a number, got {type(tolerance).__name__}")
        if not tolerance >= 0:
            raise ValueError(f"{tolerance_name} must be >= 0, got {tolerance!r}")
    named = _named_parameters(params)
    values = [value for _, value in named]

    loss = _evaluate(f, "the current parameter values")
    analytic = grad(loss, values)
    # For the one-sided methods, each first derivative as a graph, to take f'' from it.
    first = grad(loss, values, create_graph=True) if chosen in ONE_SIDED_METHODS else None

    rows = []
    for index, ((name, value), exact) in enumerate(zip(named, analytic, strict=True)):
        if on_param is not None:
            on_param(index + 1, len(named), name)
        _check_finite(exact, f"the analytic derivative for {name}")
        numeric = _difference(f, value, step, chosen, name)
        abs_error = abs(exact - numeric)
        scale = max(abs(exact), abs(numeric))
        curvature: float | None = None
        predicted: float | None = None
        if first is not None:
            (curvature,) = grad(first[index], [value])
            _check_finite(curvature, f"the second derivative for {name}")
            predicted = step / 2 * abs(curvature)
        rows.append(
            GradcheckRow(
                name=name,
                analytic=exact,
                numeric=numeric,
                abs_error=abs_error,
                rel_error=abs_error / scale if scale > 0 else 0.0,
                passed=abs_error <= atol + rtol * abs(numeric),
                second_derivative=curvature,
                predicted_error=predicted,
            )
        )
    return GradcheckReport(tuple(rows), chosen, step, float(atol), float(rtol))


# --- nudge -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Nudge:
    """What happens to the loss when one weight moves up by h: predicted and measured.

    `direction` is where the loss goes according to the gradient: 'up', 'down',
    or 'flat' when |predicted_change| <= FLAT_RELATIVE_CHANGE * |loss|.
    """

    name: str
    h: float
    loss: float
    gradient: float
    predicted_change: float
    actual_change: float
    direction: str

    def __str__(self) -> str:
        move = f"Moving {self.name} up by {self.h:g}"
        predicted, actual = self.predicted_change, self.actual_change
        if self.direction == "flat":
            return (
                f"{move} leaves the loss flat to first order: the gradient is "
                f"{self.gradient:.2e}, and the loss actually changed by {actual:+.2e}."
            )
        if actual * predicted > 0:
            return (
                f"{move} makes the loss go {self.direction} by about {abs(actual):.2e} "
                f"(the gradient predicted {abs(predicted):.2e})."
            )
        return (
            f"{move}: the gradient predicts the loss goes {self.direction} by "
            f"{abs(predicted):.2e}, but it actually changed by {actual:+.2e}, so the "
            "curvature outweighs the slope over this step; try a smaller h."
        )

    def html(self, lang: str | None = None) -> str:
        """An HTML table of the prediction and the measurement; `lang` 'pt' or 'en'."""
        from tinygrad_edu.messages import choose_language, text
        from tinygrad_edu.tables import html_table

        language = choose_language(lang)
        caption = text("report.nudge_caption", language, name=self.name, h=self.h,
                       direction=text(f"report.{self.direction}", language),
                       predicted=abs(self.predicted_change), actual=self.actual_change)  # fmt: skip
        rows = [
            ["loss", f"{self.loss:.8g}"],
            [text("report.gradient", language), f"{self.gradient:.6g}"],
            [text("report.predicted_change", language), f"{self.predicted_change:+.3e}"],
            [text("report.actual_change", language), f"{self.actual_change:+.3e}"],
        ]
        agrees = self.direction == "flat" or self.actual_change * self.predicted_change > 0
        header = [text("report.quantity", language), text("report.value", language)]
        words = (text("report.agrees", language), text("report.failed", language))
        return html_table(header, rows, statuses=[True, True, True, agrees],
                          status_words=words, caption=caption)  # fmt: skip

    def _repr_html_(self) -> str:
        return self.html()


def nudge(f: Loss, param: Value, h: float = 1e-3, *, name: str | None = None) -> Nudge:
    """If param moves up by h, does the loss go up or down, and by about how much?

    The gradient predicts the change (gradient * h); moving param.data really
    measures it (then restores it). `name` defaults to param's label. No
    `.grad` is touched.

    >>> w = Value(2.0, label='w')
    >>> def f():
    ...     return w * w
    >>> result = nudge(f, w)
    >>> result.direction, result.predicted_change
    ('up', 0.004)
    >>> print(result)
    Moving w up by 0.001 makes the loss go up by about 4.00e-03 (the gradient predicted 4.00e-03).
    """
    _check_callable(f)
    step = _check_step(h)
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name must be a string or None, got {type(name).__name__}: {name!r}")
    _check_parameter(param, "param" if name is None else name)
    label = _parameter_name(param) if name is None else name
    at, above = _losses_at(f, param, step, ("w", "w+h"), label)
    (gradient,) = grad(_evaluate(f, f"w ({label} = {param.data!r})"), [param])
    _check_finite(gradient, f"the analytic derivative for {label}")
    predicted = gradient * step
    actual = above - at
    if abs(predicted) <= FLAT_RELATIVE_CHANGE * abs(at):
        direction = "flat"
    else:
        direction = "up" if predicted > 0 else "down"
    return Nudge(label, step, at, gradient, predicted, actual, direction)
