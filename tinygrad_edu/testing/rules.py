"""The table of built-in ops and check_rules over it; imports engine, hypothesis, testing.checks."""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hypothesis import strategies as st

from tinygrad_edu.engine import Value, dot
from tinygrad_edu.testing.checks import CheckReport, check_op, reports_html
from tinygrad_edu.testing.strategies import away_from_zero, exponents, positive_reals, reals


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


# --- check_rules: every built-in rule -----------------------------------------------------


@dataclass(frozen=True)
class RulesReport:
    """One `CheckReport` per built-in op; prints as an aligned table."""

    rows: tuple[CheckReport, ...]

    @property
    def passed(self) -> bool:
        """True when every rule passed."""
        return all(row.passed for row in self.rows)

    def html(self, lang: str | None = None) -> str:
        """An HTML table of every rule, the closest to failing first; `lang` 'pt' or 'en'."""
        return reports_html(self.rows, lang)

    def _repr_html_(self) -> str:
        return self.html()

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
    examples: int | None = None,
    ops: Sequence[str] | None = None,
    seed: int | None = None,
    *,
    on_op: Callable[[int, int, str], None] | None = None,
) -> RulesReport:
    """Run `check_op` (order 2, with the reference) on every op of `OP_TABLE`, or on those in `ops`.

    `ops` takes names as in the table ('tanh', '**', '**2'); '**k' selects
    every power. Never raises on a failing rule: look at `.passed`.
    `on_op(number, total, name)`, when given, is called as the check of each op
    starts (number counts from 1), e.g. to show progress: with many examples one
    op takes seconds.

    >>> report = check_rules(examples=5, ops=['tanh', '**k'])
    >>> report.passed, [row.name for row in report.rows][:3]
    (True, ['tanh', '**0', '**1'])
    >>> _ = check_rules(examples=2, ops=['exp', 'log'], on_op=lambda *started: print(*started))
    1 2 exp
    2 2 log
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
    rows = []
    for number, case in enumerate(cases, start=1):
        if on_op is not None:
            on_op(number, len(cases), case.name)
        rows.append(
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
        )
    return RulesReport(tuple(rows))
