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
import math
import operator
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from tinygrad_edu.engine import Value

__all__ = [
    "ALLOWED",
    "FUNCTIONS",
    "MAX_EXPRESSION_LENGTH",
    "ExpressionError",
    "parse_expression",
    "variable_name",
]

FUNCTIONS = ("exp", "log", "tanh", "sigmoid", "relu", "softplus", "sqrt", "abs")
"""Functions an expression may call: the Value methods of the same names."""

ALLOWED = "numbers, variables, + - * / ** unary -, parentheses and " + ", ".join(FUNCTIONS)
"""What an expression may contain, as the error messages say it."""

SHOWN_CHARACTERS = 60
"""How much of a long expression an error message repeats."""

MAX_EXPRESSION_LENGTH = 2_000
"""The longest expression read, in characters; checked before Python's parser runs.

The lesson's longest expression, 'tanh(x1*w1 + x2*w2 + b)', has 25 characters and
a loss written out by hand a few hundred; a megabyte of text would keep the
parser busy for seconds and hundreds of megabytes."""

_BINARY_OPERATORS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}


class ExpressionError(ValueError):
    """An expression outside the whitelist, or one that cannot be built.

    `reason` names what went wrong (one of 'too long', 'not text', 'cannot parse',
    'too many digits', 'same name', 'function as variable', 'no value', 'too deep',
    'no variable', 'not a number', 'too large', 'not finite', 'overflow',
    'division by zero', 'not real', 'unknown function', 'one argument',
    'unsupported') and `fields` holds the pieces of the message (e.g.
    {'function': 'sin'}), so a caller can say it in another language; `str()` is
    the English sentence.
    """

    def __init__(self, reason: str, message: str, **fields: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.fields = fields


def shown(text: str) -> str:
    """`text` quoted, cut to SHOWN_CHARACTERS: how an error repeats what was typed.

    Characters that cannot be printed (a byte that was not UTF-8) are escaped.

    >>> shown('x' * 70)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'"
    """
    cut = text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS] + "..."
    return repr(cut).encode("utf-8", "backslashreplace").decode("utf-8")


def variable_name(name: str) -> str:
    """`name` as Python's parser reads an identifier (Unicode NFKC), so a name given
    with --var matches the same name written in the expression.

    >>> variable_name('\ufb01'), variable_name('\U0001d465'), variable_name('e\u0301') == '\xe9'
    ('fi', 'x', True)
    """
    return unicodedata.normalize("NFKC", name)


def parse_expression(text: str, variables: Mapping[str, Value]) -> Value:
    """Build `text` from Values with a whitelist over Python's syntax tree (never eval).

    `variables` maps each name the expression uses to its Value; a name matches
    however Unicode writes it (see `variable_name`). Raises ExpressionError for
    anything outside the whitelist, for text longer than MAX_EXPRESSION_LENGTH,
    for a variable with no value, for a number that is not finite (a literal, or
    arithmetic on numbers alone that overflows) and for an expression without
    variables (it has no gradient). Errors of the engine's own operations (the log
    of a negative Value) pass through unchanged.

    >>> w, x = Value(-3.0, label='w'), Value(2.0, label='x')
    >>> y = parse_expression('w * x + 1', {'w': w, 'x': x})
    >>> y.backward()
    >>> y.data, w.grad, x.grad
    (-5.0, 2.0, -3.0)
    """
    if len(text) > MAX_EXPRESSION_LENGTH:
        length, limit = f"{len(text):,}", f"{MAX_EXPRESSION_LENGTH:,}"
        raise ExpressionError(
            "too long",
            f"the expression has {length} characters, more than the {limit} allowed; "
            "write a shorter one",
            length=length,
            limit=limit,
        )
    _check_text(text)
    source = text.strip()
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError) as error:
        message = str(error.msg if isinstance(error, SyntaxError) else error)
        if "integer string conversion" in message:  # more digits than int() reads
            raise ExpressionError(
                "too many digits",
                f"{shown(text)} has a number with too many digits; write it as, e.g., 1e30",
                expression=shown(text),
            ) from None
        # The first clause says it; the rest of Python's message is advice for programs.
        detail = message.split(";")[0] if isinstance(error, SyntaxError) else "too deep"
        raise ExpressionError(
            "cannot parse",
            f"cannot parse {shown(text)}: {detail}; allowed: {ALLOWED}",
            expression=shown(text),
            detail=detail,
        ) from None
    by_name = _normalised(variables)
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    functions = sorted(name for name in names - called - set(by_name) if name in FUNCTIONS)
    if functions:
        name = functions[0]
        raise ExpressionError(
            "function as variable",
            f"{name!r} is a function, not a variable; call it as {name}(x)",
            function=repr(name),
            call=f"{name}(x)",
        )
    missing = [name for name in sorted(names - called) if name not in by_name]
    if missing:
        hint = " ".join(f"--var {name}=1.0" for name in missing)
        raise ExpressionError(
            "no value",
            f"no value for {', '.join(missing)}; give one with {hint}",
            names=", ".join(missing),
            hint=hint,
        )
    try:
        result = _Builder(source, by_name, len(text) - len(text.lstrip())).build(tree.body)
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


def _check_text(text: str) -> None:
    """Refuse a character that is not text: a NUL, or a byte that was not UTF-8
    (which reaches Python from the command line as a lone surrogate)."""
    for index, character in enumerate(text):
        if character == "\0" or "\ud800" <= character <= "\udfff":
            code = f"U+{ord(character):04X}"
            if "\udc80" <= character <= "\udcff":  # how os.fsdecode keeps a stray byte
                code = f"byte 0x{ord(character) - 0xDC00:02X}"
            raise ExpressionError(
                "not text",
                f"{shown(text)} contains {code} at character {index + 1}, which is not "
                "UTF-8 text; type the expression again",
                expression=shown(text),
                code=code,
                position=str(index + 1),
            )


def _normalised(variables: Mapping[str, Value]) -> dict[str, Value]:
    """`variables` keyed by `variable_name`; two keys that become one are refused."""
    by_name: dict[str, Value] = {}
    given: dict[str, str] = {}
    for name, value in variables.items():
        key = variable_name(name)
        if key in given:
            names = f"{given[key]!r} and {name!r}"
            raise ExpressionError(
                "same name",
                f"{names} are the same name to Python ({key!r}); give it one value",
                names=names,
                name=repr(key),
            )
        given[key], by_name[key] = name, value
    return by_name


class _Builder:
    """Turns the nodes of one parsed expression into Values, saying where a number fails."""

    def __init__(self, source: str, variables: Mapping[str, Value], offset: int) -> None:
        self.source = source
        self.lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", source)  # as ast counts lines
        self.variables = variables
        self.offset = offset  # characters stripped from the front of what was typed

    def where(self, node: ast.expr) -> tuple[str, str]:
        """The text of `node` (quoted, cut) and its 1-based character position as typed."""
        part = ast.get_source_segment(self.source, node) or ast.unparse(node)
        before = sum(len(line) for line in self.lines[: node.lineno - 1])
        line = self.lines[min(node.lineno, len(self.lines)) - 1].encode("utf-8")
        column = len(line[: node.col_offset].decode("utf-8", "replace"))
        return shown(part), str(self.offset + before + column + 1)

    def overflow(self, node: ast.expr) -> ExpressionError:
        """The error for a result too large for a float, saying which part and where."""
        part, position = self.where(node)
        return ExpressionError(
            "overflow",
            f"{part} at character {position} overflows: the result is too large for a float "
            "(at most about 1.8e308)",
            part=part,
            position=position,
        )

    def build(self, node: ast.expr) -> Value | float:
        """The Value (or, without variables below it, the float) of one node of the tree."""
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return self.number(node, node.value)
        if isinstance(node, ast.Name) and node.id in self.variables:
            return self.variables[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY_OPERATORS:
            left, right = self.build(node.left), self.build(node.right)
            try:
                result = _BINARY_OPERATORS[type(node.op)](left, right)
            except OverflowError:
                raise self.overflow(node) from None
            except ZeroDivisionError:
                if isinstance(left, Value) or isinstance(right, Value):
                    raise  # the engine's own error, as for any Value
                part, position = self.where(node)
                raise ExpressionError(
                    "division by zero",
                    f"{part} at character {position} divides by zero",
                    part=part,
                    position=position,
                ) from None
            if not isinstance(result, (Value, float)):  # e.g. (-8) ** (1/3) is complex
                part = shown(ast.unparse(node))
                raise ExpressionError("not real", f"{part} is not a real number", part=part)
            if isinstance(result, float) and not math.isfinite(result):
                raise self.overflow(node)
            return result
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.build(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return self.call(node, node.func.id)
        part = shown(ast.unparse(node))
        raise ExpressionError(
            "unsupported",
            f"unsupported syntax {part}; allowed: {ALLOWED}",
            part=part,
            allowed=ALLOWED,
        )

    def number(self, node: ast.Constant, value: float) -> float:
        """A literal as a finite float, or the reason it cannot be one."""
        if isinstance(value, bool):
            raise ExpressionError(
                "not a number", f"{value} is not a number; use 1 or 0", word=str(value)
            )
        try:
            number = float(value)
        except OverflowError:  # an int beyond the largest float
            part, position = self.where(node)
            raise ExpressionError(
                "too large",
                f"the number {part} at character {position} is too large (at most about 1.8e308)",
                number=part,
                position=position,
            ) from None
        if not math.isfinite(number):  # 1e309 reads as inf
            part, position = self.where(node)
            raise ExpressionError(
                "not finite",
                f"{part} at character {position} is not a finite number (at most about 1.8e308)",
                part=part,
                position=position,
            )
        return number

    def call(self, node: ast.Call, name: str) -> Value:
        """One of FUNCTIONS applied to its single argument."""
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
        argument = self.build(node.args[0])
        value = argument if isinstance(argument, Value) else Value(argument)
        method: Callable[[], Value] = getattr(value, name)
        try:
            return method()
        except OverflowError:
            raise self.overflow(node) from None
