"""Fuzzing the parser: any text gives a Value or a clear error; valid text, what Python gives."""

from __future__ import annotations

import math
import time
import traceback

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tinygrad_edu.engine import Value, topological_order
from tinygrad_edu.expression import ExpressionError, parse_expression

# Pieces a hostile or careless user might type: digits and numbers, names (variables,
# functions, builtins), operators, brackets, syntax outside the whitelist, Unicode that
# Python normalises, and characters that are not text (a stray byte from argv, a NUL).
PIECES = [
    *"0123456789", ".", "e", "e-", "j", "_", "0x", "0b", "1e309", "9" * 30,
    "x", "y", "fi", "\ufb01", "\U0001d465", "e\u0301", "\xe9", "z",
    "exp", "log", "tanh", "sigmoid", "relu", "softplus", "sqrt", "abs", "sin", "__import__",
    "True", "None", "lambda", ":", "if", "else", "for", "in",
    "+", "-", "*", "/", "**", "//", "%", "@", "<", "==", "~", "&", "=", ":=", ",", ";",
    "(", ")", "[", "]", "{", "}", ".", "'", '"', "#", "\\",
    " ", "\t", "\n", "\r", "\x0c", "\u2028", "\u00a0",
    "\udcff", "\udc80", "\ud800", "\x00", "\x7f", "\ufeff",
]  # fmt: skip

TIME_BOUND = 5.0
"""Seconds one parse may take at most: a guard against a hang, not a speed target."""


def values() -> dict[str, Value]:
    return {"x": Value(0.5, label="x"), "y": Value(-2.0, label="y"), "fi": Value(3.0)}


# Operands joined by operators, so that most of the text parses and the builder itself
# meets the odd numbers, names and characters.
OPERANDS = [
    "x", "y", "fi", "\ufb01", "\U0001d465", "z", "exp", "exp(x)", "log(y)", "sqrt(y)",
    "relu(x", "sin(x)", "abs(x, y)", "(x - x)", "0", "9", "0.5", "1e308", "1e309", "-1e309",
    "1" + "0" * 400, "0x" + "f" * 300, "9" * 30, "True", "1j", "'a'", "x.real", "(1 / 0)",
    "\udcff", "e\u0301",
]  # fmt: skip
OPERATORS = ["+", "-", "*", "/", "**", "**", "*", " * -", "//", ","]


@st.composite
def joined(draw: st.DrawFn) -> str:
    """operand operator operand …, perhaps in brackets or inside a function."""
    text = draw(st.sampled_from(OPERANDS))
    for _ in range(draw(st.integers(0, 6))):
        text += draw(st.sampled_from(OPERATORS)) + draw(st.sampled_from(OPERANDS))
        text = draw(st.sampled_from([text, f"({text})", f"tanh({text})"]))
    return text


TEXTS = st.one_of(st.lists(st.sampled_from(PIECES), max_size=40).map("".join), joined())


@settings(max_examples=400)
@given(TEXTS)
def test_any_text_gives_a_value_or_an_expression_error(text: str) -> None:
    """Never another exception, except the engine's own refusal of an operation
    (the log of a negative Value, a Value divided by zero), which the CLI words.
    A Value built from numbers alone is finite: an infinite literal or an overflow
    among numbers is refused."""
    start = time.perf_counter()
    try:
        result = parse_expression(text, values())
    except ExpressionError as error:
        assert error.reason and str(error) and "\n" not in str(error).strip()
    except (ValueError, ArithmeticError) as error:
        where = traceback.extract_tb(error.__traceback__)[-1].filename
        assert where.endswith("engine.py"), f"{type(error).__name__} from {where}: {error}"
    else:
        assert isinstance(result, Value)
        leaves = [node for node in topological_order(result) if not node._prev]
        assert all(math.isfinite(leaf.data) for leaf in leaves)  # the variables are finite
    assert time.perf_counter() - start < TIME_BOUND


NUMBERS = st.sampled_from(["0", "1", "2", "3", "0.5", "1.5", "2.25", "7", "9.75", "0.1"])


def expressions() -> st.SearchStrategy[str]:
    """Valid text in the whitelist: numbers, x and y, + - * / unary -, small powers, functions."""
    leaf = st.one_of(NUMBERS, st.sampled_from(["x", "y"]))

    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        binary = st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
            lambda parts: f"({parts[0]} {parts[1]} {parts[2]})"
        )
        power = st.tuples(inner, st.sampled_from(["2", "3"])).map(lambda p: f"({p[0]}) ** {p[1]}")
        negative = inner.map(lambda part: f"-{part}")
        function = st.tuples(st.sampled_from(["exp", "tanh", "abs"]), inner).map(
            lambda p: f"{p[0]}({p[1]})"
        )
        return st.one_of(binary, power, negative, function)

    return st.recursive(leaf, grow, max_leaves=8)


PYTHON_NAMES = {"exp": math.exp, "tanh": math.tanh, "abs": abs}


@settings(max_examples=200)
@given(expressions(), st.floats(-3, 3), st.floats(-3, 3))
def test_a_valid_expression_has_the_value_python_gives_it(text: str, x: float, y: float) -> None:
    """Built from Values, the same text has the same float Python computes, wherever
    Python's answer is a finite real number."""
    try:
        expected = eval(text, {"__builtins__": {}}, {**PYTHON_NAMES, "x": x, "y": y})
    except ArithmeticError:
        expected = math.nan
    assume(isinstance(expected, float) and math.isfinite(expected))
    assume("x" in text or "y" in text)
    built = parse_expression(text, {"x": Value(x), "y": Value(y)})
    assert built.data == expected
