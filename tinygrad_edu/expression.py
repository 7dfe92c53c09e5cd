"""Typed expressions such as 'tanh(w*x + b)' built from Values by a whitelist; imports the engine.

Python's own parser reads the text into a syntax tree; only numbers, variable
names, ``+ - * / **``, unary ``-``/``+``, parentheses and the one-argument
functions in `FUNCTIONS` are turned into Values. Anything else is refused with
an `ExpressionError`: nothing is ever passed to `eval`.

>>> x = Value(2.0, label='x')
>>> parse_expression('tanh(x * 0.5) + x ** 2', {'x': x}).data
4.761594155955764
>>> parse_expression('x.real', {'x': x})
Traceback (most recent call last):
  ...
tinygrad_edu.expression.ExpressionError: unsupported syntax 'x.real'; allowed: numbers, \
variables, + - * / ** unary -, parentheses and exp, log, tanh, sigmoid, relu, softplus, sqrt, abs
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from typing import Any

from tinygrad_edu.engine import Value

__all__ = ["ALLOWED", "FUNCTIONS", "ExpressionError", "parse_expression"]

FUNCTIONS = ("exp", "log", "tanh", "sigmoid", "relu", "softplus", "sqrt", "abs")
"""Functions an expression may call: the Value methods of the same names."""

ALLOWED = "numbers, variables, + - * / ** unary -, parentheses and " + ", ".join(FUNCTIONS)
"""What an expression may contain, as the error messages say it."""

SHOWN_CHARACTERS = 60
"""How much of a long expression an error message repeats."""

_BINARY_OPERATORS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}


class ExpressionError(ValueError):
    """An expression outside the whitelist, or one that cannot be built.

    `reason` names what went wrong (one of 'cannot parse', 'no value',
    'too deep', 'no variable', 'not a number', 'too large', 'not real',
    'unknown function', 'one argument', 'unsupported') and `fields` holds the
    pieces of the message (e.g. {'function': 'sin'}), so a caller can say it in
    another language; `str()` is the English sentence.
    """

    def __init__(self, reason: str, message: str, **fields: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.fields = fields


def shown(text: str) -> str:
    """`text` quoted, cut to SHOWN_CHARACTERS: how an error repeats what was typed.

    >>> shown('x' * 70)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'"
    """
    return repr(text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS] + "...")


def parse_expression(text: str, variables: Mapping[str, Value]) -> Value:
    """Build `text` from Values with a whitelist over Python's syntax tree (never eval).

    `variables` maps each name the expression uses to its Value. Raises
    ExpressionError for anything outside the whitelist, for a variable with
    no value, and for an expression without variables (it has no gradient).

    >>> w, x = Value(-3.0, label='w'), Value(2.0, label='x')
    >>> y = parse_expression('w * x + 1', {'w': w, 'x': x})
    >>> y.backward()
    >>> y.data, w.grad, x.grad
    (-5.0, 2.0, -3.0)
    """
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError) as error:
        # The first clause says it; the rest of Python's message is advice for programs.
        detail = error.msg.split(";")[0] if isinstance(error, SyntaxError) else "too deep"
        raise ExpressionError(
            "cannot parse",
            f"cannot parse {shown(text)}: {detail}; allowed: {ALLOWED}",
            expression=shown(text),
            detail=detail,
        ) from None
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    missing = [name for name in sorted(names - called) if name not in variables]
    if missing:
        hint = " ".join(f"--var {name}=1.0" for name in missing)
        raise ExpressionError(
            "no value",
            f"no value for {', '.join(missing)}; give one with {hint}",
            names=", ".join(missing),
            hint=hint,
        )
    try:
        result = _build(tree.body, variables)
    except RecursionError:
        raise ExpressionError(
            "too deep",
            f"{shown(text)} is nested too deeply to build (at most a few hundred levels)",
            expression=shown(text),
        ) from None
    if not isinstance(result, Value):
        raise ExpressionError(
            "no variable",
            f"{shown(text)} uses no variable, so it has no gradient; e.g. 'x * 2' --var x=1",
            expression=shown(text),
        )
    return result


def _build(node: ast.AST, variables: Mapping[str, Value]) -> Value | float:
    """The Value (or, without variables below it, the float) of one node of the tree."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        if isinstance(node.value, bool):
            raise ExpressionError(
                "not a number", f"{node.value} is not a number; use 1 or 0", word=str(node.value)
            )
        try:
            return float(node.value)
        except OverflowError:
            number = shown(str(node.value))
            raise ExpressionError(
                "too large", f"the number {number} is too large", number=number
            ) from None
    if isinstance(node, ast.Name) and node.id in variables:
        return variables[node.id]
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY_OPERATORS:
        left, right = _build(node.left, variables), _build(node.right, variables)
        result = _BINARY_OPERATORS[type(node.op)](left, right)
        if not isinstance(result, (Value, float)):  # e.g. (-8) ** (1/3) is complex
            part = shown(ast.unparse(node))
            raise ExpressionError("not real", f"{part} is not a real number", part=part)
        return result
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _build(node.operand, variables)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = node.func.id
        if name not in FUNCTIONS:
            allowed = ", ".join(FUNCTIONS)
            raise ExpressionError(
                "unknown function",
                f"unknown function {name!r}; allowed: {allowed}",
                function=repr(name),
                allowed=allowed,
            )
        if len(node.args) != 1 or node.keywords:
            raise ExpressionError(
                "one argument",
                f"{name}() takes exactly one argument, e.g. {name}(x)",
                function=name,
            )
        argument = _build(node.args[0], variables)
        value = argument if isinstance(argument, Value) else Value(argument)
        method: Callable[[], Value] = getattr(value, name)
        return method()
    part = shown(ast.unparse(node))
    raise ExpressionError(
        "unsupported", f"unsupported syntax {part}; allowed: {ALLOWED}", part=part, allowed=ALLOWED
    )
