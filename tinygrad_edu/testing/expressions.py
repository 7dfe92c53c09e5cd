"""Random expression DAGs over every built-in op, for graph tests; imports engine, hypothesis."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from tinygrad_edu.engine import OPS, Value, dot
from tinygrad_edu.testing.strategies import reals
from tinygrad_edu.testing.tolerance import Point


def _positive(x: Any) -> Any:
    """softplus(x) + 0.5 >= 0.5: keeps log, sqrt, divisors and bases inside their domains."""
    return OPS["softplus"](x) + 0.5


@dataclass(frozen=True)
class _ExpressionOp:
    """An op as used in random expressions: how to apply it (with a domain guard) and print it."""

    arity: int
    apply: Callable[..., Any]
    template: str
    numbers_allowed: bool = False


EXPRESSION_OPS: dict[str, _ExpressionOp] = {
    "+": _ExpressionOp(2, operator.add, "{0} + {1}", numbers_allowed=True),
    "-": _ExpressionOp(2, operator.sub, "{0} - {1}", numbers_allowed=True),
    "*": _ExpressionOp(2, operator.mul, "{0} * {1}", numbers_allowed=True),
    "/": _ExpressionOp(
        2, lambda a, b: a / _positive(b), "{0} / (softplus({1}) + 0.5)", numbers_allowed=True
    ),
    "neg": _ExpressionOp(1, operator.neg, "-{0}"),
    "exp": _ExpressionOp(1, lambda x: x.exp(), "exp({0})"),
    "log": _ExpressionOp(1, lambda x: _positive(x).log(), "log(softplus({0}) + 0.5)"),
    "tanh": _ExpressionOp(1, lambda x: x.tanh(), "tanh({0})"),
    "sigmoid": _ExpressionOp(1, lambda x: x.sigmoid(), "sigmoid({0})"),
    "relu": _ExpressionOp(1, lambda x: x.relu(), "relu({0})"),
    "softplus": _ExpressionOp(1, lambda x: x.softplus(), "softplus({0})"),
    "sqrt": _ExpressionOp(1, lambda x: _positive(x).sqrt(), "sqrt(softplus({0}) + 0.5)"),
    "abs": _ExpressionOp(1, abs, "abs({0})"),
    "**": _ExpressionOp(2, lambda x, w: _positive(x) ** w, "(softplus({0}) + 0.5) ** {1}"),
    "**2": _ExpressionOp(1, lambda x: x**2, "{0} ** 2"),
    "**3": _ExpressionOp(1, lambda x: x**3, "{0} ** 3"),
    "**-1": _ExpressionOp(1, lambda x: _positive(x) ** -1, "(softplus({0}) + 0.5) ** -1"),
    "**0.5": _ExpressionOp(1, lambda x: _positive(x) ** 0.5, "(softplus({0}) + 0.5) ** 0.5"),
    "dot": _ExpressionOp(
        5, lambda w1, x1, w2, x2, b: dot([w1, w2], [x1, x2], b), "dot([{0}, {2}], [{1}, {3}], {4})"
    ),
}
"""The ops random expressions use: every built-in op, with softplus(x) + 0.5 in front of
arguments that must be positive, so that every expression is defined everywhere."""

Operand = int | float
"""In an expression step, an int is the index of an earlier node and a float is a number."""


@dataclass(frozen=True)
class Expression:
    """A random expression DAG: leaf values, then steps that each apply one op to earlier nodes.

    Node i < len(inputs) is leaf i; step s makes node len(inputs) + s. A node
    may be used by several later steps (a shared subexpression). The output is
    the sum of the nodes no step uses, so every node reaches it.

    >>> e = Expression((2.0,), (('*', (0, 0)), ('tanh', (1,)), ('+', (1, 2))))
    >>> print(e)
    x0 = 2.0
    v1 = x0 * x0
    v2 = tanh(v1)
    v3 = v1 + v2
    out = v3
    >>> e.shared_nodes()
    2
    """

    inputs: Point
    steps: tuple[tuple[str, tuple[Operand, ...]], ...]

    def build(self, *leaves: Value) -> Value:
        """The expression's graph on these leaf Values (one per input)."""
        nodes: list[Any] = list(leaves)
        for op, operands in self.steps:
            arguments = [nodes[x] if isinstance(x, int) else x for x in operands]
            nodes.append(EXPRESSION_OPS[op].apply(*arguments))
        output: Value = nodes[self._sinks()[0]]
        for index in self._sinks()[1:]:
            output = output + nodes[index]
        return output

    def _uses(self) -> list[int]:
        uses = [0] * (len(self.inputs) + len(self.steps))
        for _, operands in self.steps:
            for x in operands:
                if isinstance(x, int):
                    uses[x] += 1
        return uses

    def _sinks(self) -> list[int]:
        return [index for index, count in enumerate(self._uses()) if count == 0]

    def shared_nodes(self) -> int:
        """How many nodes are used more than once (each use counted per operand)."""
        return sum(1 for count in self._uses() if count > 1)

    def __str__(self) -> str:
        names = [f"x{index}" for index in range(len(self.inputs))]
        lines = [f"{name} = {x!r}" for name, x in zip(names, self.inputs, strict=True)]
        for op, operands in self.steps:
            shown = [names[x] if isinstance(x, int) else repr(x) for x in operands]
            names.append(f"v{len(names)}")
            lines.append(f"{names[-1]} = {EXPRESSION_OPS[op].template.format(*shown)}")
        lines.append("out = " + " + ".join(names[index] for index in self._sinks()))
        return "\n".join(lines)


@st.composite
def expressions(
    draw: st.DrawFn,
    ops: Sequence[str] | None = None,
    max_leaves: int = 3,
    max_steps: int = 8,
    leaf_values: st.SearchStrategy[float] | None = None,
    numbers: st.SearchStrategy[float] | None = None,
) -> Expression:
    """Random expression DAGs over `ops` (default: all of `EXPRESSION_OPS`), with their inputs.

    Each step applies an op to nodes drawn from everything built so far, so
    nodes get reused (shared subexpressions, where reverse mode must add the
    paths); + - * / may also take a number on either side (`2 * v`, `1 - v`).
    Leaves come from `reals(2.0)` and numbers from `reals(3.0)`: small enough
    that most expressions of up to 8 steps, exp and powers included, stay
    finite (tests reject the few that overflow). Shrinks towards fewer steps,
    earlier ops in the list and earlier nodes.

    >>> from hypothesis import given, reject, settings
    >>> from tinygrad_edu.testing import StencilCrossesKink, check_point
    >>> @settings(max_examples=20, database=None)
    ... @given(expressions(ops=['*', 'tanh', 'relu']))
    ... def test_every_leaf(expression):
    ...     try:
    ...         comparisons = check_point(expression.build, expression.inputs)
    ...     except StencilCrossesKink:
    ...         reject()
    ...     assert all(c.passed for c in comparisons), expression
    >>> test_every_leaf()
    """
    names = list(EXPRESSION_OPS) if ops is None else list(ops)
    for name in names:
        if name not in EXPRESSION_OPS:
            raise ValueError(f"unknown op {name!r}; choose among {' '.join(EXPRESSION_OPS)}")
    leaves = reals(2.0) if leaf_values is None else leaf_values
    constants = reals(3.0) if numbers is None else numbers
    inputs = tuple(draw(st.lists(leaves, min_size=1, max_size=max_leaves)))
    count = len(inputs)
    steps: list[tuple[str, tuple[Operand, ...]]] = []
    for _ in range(draw(st.integers(1, max_steps))):
        name = draw(st.sampled_from(names))
        spec = EXPRESSION_OPS[name]
        operands: list[Operand] = [draw(st.integers(0, count - 1)) for _ in range(spec.arity)]
        if spec.numbers_allowed:
            side = draw(st.sampled_from(("none", "left", "right")))
            if side != "none":
                operands[0 if side == "left" else 1] = draw(constants)
        steps.append((name, tuple(operands)))
        count += 1
    return Expression(inputs, tuple(steps))
