"""Property tests of derivative rules, for learners and our own suite; imports engine, hypothesis.

A derivative rule is right when, for every input in the op's domain, the
derivative that reverse mode computes agrees with what you measure by nudging
the input: the central difference (f(x + h) - f(x - h)) / (2h). Hypothesis
draws the inputs, and when it finds one where they disagree it shrinks it to
the simplest input that still fails. `check_op` does all of that in one call:

>>> import math
>>> from tinygrad_edu.testing import check_op
>>> report = check_op(lambda x: x.tanh(), reference=math.tanh, examples=20)
>>> report.passed
True

The package, one module per responsibility:

- `strategies`: where each op, loss and data maker may be checked (`reals`,
  `positive_reals`, `away_from_zero`, ...), each saying why;
- `tolerance`: how far a central difference may be from the true derivative
  (the bound `check_point` allows, derived in its docstring);
- `checks`: `check_point`, `check_op` and their reports;
- `rules`: the table of built-in ops (`OP_TABLE`) and `check_rules` over it;
- `expressions`: random expression DAGs over every op.

Everything is imported from here: `from tinygrad_edu.testing import reals`.
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401  (checked first, for a clear message when it is missing)
except ImportError as error:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "tinygrad_edu.testing needs the hypothesis package, which is an optional extra; "
        "install it with: pip install 'tinygrad_edu[testing]'"
    ) from error

from tinygrad_edu.testing.checks import (
    KINKED_OPS,
    RELATIVE_ERROR_FLOOR,
    CheckFailed,
    CheckReport,
    Comparison,
    OutsideDomain,
    StencilCrossesKink,
    check_op,
    check_point,
)
from tinygrad_edu.testing.expressions import EXPRESSION_OPS, Expression, expressions
from tinygrad_edu.testing.rules import OP_TABLE, POWERS, OpCase, RulesReport, check_rules
from tinygrad_edu.testing.strategies import (
    away_from_zero,
    binary_targets,
    class_logits,
    dataset_sizes,
    distinguishable_reals,
    exponents,
    logits,
    positive_reals,
    probabilities,
    reals,
    sign_labels,
    values,
)
from tinygrad_edu.testing.tolerance import (
    DEFAULT_STEP,
    OP_ROUNDING,
    UNDERFLOW_ROUNDING,
    UNIT_ROUNDOFF,
    local_rounding,
    rounding_bound,
)

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
    "binary_targets",
    "check_op",
    "check_point",
    "check_rules",
    "class_logits",
    "dataset_sizes",
    "distinguishable_reals",
    "exponents",
    "expressions",
    "local_rounding",
    "logits",
    "positive_reals",
    "probabilities",
    "reals",
    "rounding_bound",
    "sign_labels",
    "values",
]

# Tracebacks and reprs name the import path a learner uses, not the module inside the package.
for _exported in (CheckFailed, OutsideDomain, StencilCrossesKink):
    _exported.__module__ = __name__
