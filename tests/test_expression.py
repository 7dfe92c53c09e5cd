"""The whitelist parser: what it builds, and every kind of refusal with its reason."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinygrad_edu.engine import Value
from tinygrad_edu.expression import (
    FUNCTIONS,
    MAX_EXPRESSION_LENGTH,
    ExpressionError,
    parse_expression,
    variable_name,
)


def variables(**values: float) -> dict[str, Value]:
    return {name: Value(number, label=name) for name, number in values.items()}


def test_the_lecture_neuron_is_built_from_values() -> None:
    names = variables(x1=2.0, x2=0.0, w1=-3.0, w2=1.0, b=6.8813735870195432)
    o = parse_expression("tanh(x1*w1 + x2*w2 + b)", names)
    o.backward()
    assert math.isclose(o.data, 1 / math.sqrt(2), rel_tol=1e-12)
    assert math.isclose(names["w1"].grad, 1.0, rel_tol=1e-12)
    assert math.isclose(names["x1"].grad, -1.5, rel_tol=1e-12)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_function_is_the_value_method_of_that_name(function: str) -> None:
    x = Value(0.7)
    assert parse_expression(f"{function}(x)", {"x": x}).data == getattr(Value(0.7), function)().data


@given(st.floats(-3, 3), st.floats(-3, 3), st.floats(0.1, 3))
def test_arithmetic_agrees_with_python_on_floats(a: float, b: float, c: float) -> None:
    """The same tree, built from Values, gives what Python gives on the floats."""
    built = parse_expression("-a * b + a / c - b ** 2 + +c", variables(a=a, b=b, c=c))
    assert built.data == -a * b + a / c - b**2 + c


REFUSED = [
    # (expression, reason, a fragment of the English message)
    ("pi * x", "no value", "no value for pi; give one with --var pi=1.0"),
    ("sin(x)", "unknown function", "unknown function 'sin'"),
    ("x.real", "unsupported", "unsupported syntax 'x.real'"),
    ("x[0]", "unsupported", "unsupported syntax 'x[0]'"),
    ("lambda: x", "unsupported", "unsupported syntax 'lambda: x'"),
    ("x < 1", "unsupported", "unsupported syntax 'x < 1'"),
    ('__import__("os")', "unknown function", "unknown function '__import__'"),
    ('__import__("os").system("touch hacked")', "unsupported", "unsupported syntax"),
    ("'a' * x", "unsupported", "unsupported syntax"),
    ("True * x", "not a number", "True is not a number"),
    ("exp(x, x)", "one argument", "exp() takes exactly one argument"),
    ("x * (-8) ** (1/3)", "not real", "is not a real number"),
    ("x +", "cannot parse", "cannot parse 'x +'"),
    ("", "cannot parse", "cannot parse"),
    ("1 + 2", "no variable", "uses no variable"),
    ("(" * 300 + "x" + ")" * 300, "cannot parse", "cannot parse"),
    ("+".join(["x"] * 999), "too deep", "nested too deeply"),
    ("x * 1" + "0" * 400, "too large", "'1000000000000000000000000000000000000000000000000"),
    ("x * 0x" + "f" * 1500, "too large", "'0xffffffff"),
    ("x * 1e309", "not finite", "'1e309' at character 5 is not a finite number"),
    ("x * (1e309 - 1e309)", "not finite", "'1e309' at character 6"),
    ("x + 1e308 * 10", "overflow", "'1e308 * 10' at character 5 overflows"),
    ("9**9**9 * x", "overflow", "'9**9**9' at character 1 overflows"),
    ("x * 2.0 ** 5000", "overflow", "'2.0 ** 5000' at character 5 overflows"),
    ("exp(x * 1000)", "overflow", "'exp(x * 1000)' at character 1 overflows"),
    ("x * (1 / 0)", "division by zero", "'1 / 0' at character 6 divides by zero"),
    ("exp + x", "function as variable", "'exp' is a function, not a variable; call it as exp(x)"),
    ("x + \udcff", "not text", "contains byte 0xFF at character 5, which is not UTF-8"),
    ("x + \ud800", "not text", "contains U+D800 at character 5"),
    ("x\0", "not text", "contains U+0000 at character 2"),
    ("x" * 2_001, "too long", "has 2,001 characters, more than the 2,000 allowed"),
]


@pytest.mark.parametrize(("expression", "reason", "fragment"), REFUSED)
def test_anything_outside_the_whitelist_is_refused_with_its_reason(
    expression: str, reason: str, fragment: str
) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression(expression, variables(x=1.0))
    assert caught.value.reason == reason
    assert fragment in str(caught.value)


def test_the_fields_of_an_error_let_a_caller_say_it_again() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression("sin(x)", variables(x=1.0))
    assert caught.value.fields == {"function": "'sin'", "allowed": ", ".join(FUNCTIONS)}


def test_a_long_expression_is_cut_in_the_message() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression("x +" + " x +" * 40, variables(x=1.0))
    assert "...'" in str(caught.value) and len(str(caught.value)) < 250


def test_engine_errors_pass_through_unchanged() -> None:
    """A domain error is the engine's own ValueError, not an ExpressionError."""
    with pytest.raises(ValueError, match="log") as caught:
        parse_expression("log(x)", variables(x=-1.0))
    assert not isinstance(caught.value, ExpressionError)


def test_the_length_limit_is_checked_before_python_parses() -> None:
    """A megabyte of text is refused at once, before `ast.parse` sees it."""
    with pytest.raises(ExpressionError) as caught:
        parse_expression("x+" * 500_000 + "x", variables(x=1.0))
    assert caught.value.reason == "too long"
    assert caught.value.fields == {"length": "1,000,001", "limit": f"{MAX_EXPRESSION_LENGTH:,}"}


def test_the_longest_allowed_expression_still_builds() -> None:
    text = "x" + " " * (MAX_EXPRESSION_LENGTH - 1)
    assert parse_expression(text, variables(x=3.0)).data == 3.0


def test_a_number_with_more_digits_than_int_reads_is_refused_clearly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past Python's 4,300-digit limit, not its advice about sys.set_int_max_str_digits."""
    monkeypatch.setattr("tinygrad_edu.expression.MAX_EXPRESSION_LENGTH", 10_000)
    with pytest.raises(ExpressionError) as caught:
        parse_expression("x * 1" + "0" * 5000, variables(x=1.0))
    assert caught.value.reason == "too many digits"
    assert "set_int_max_str_digits" not in str(caught.value)


def test_a_large_finite_literal_is_still_a_number() -> None:
    assert parse_expression("x * 1e308", variables(x=1.0)).data == 1e308


def test_the_position_counts_characters_as_typed() -> None:
    """Leading blanks and non-ASCII names before the literal count one character each."""
    with pytest.raises(ExpressionError) as caught:
        parse_expression("  é * 1e999", {"é": Value(1.0)})
    assert caught.value.fields == {"part": "'1e999'", "position": "7"}


# Python reads identifiers in their NFKC form: the ligature fi, a mathematical italic x,
# and e followed by a combining acute accent (which becomes the one character é).
SAME_NAMES = [("\ufb01", "fi"), ("\U0001d465", "x"), ("e\u0301", "\xe9")]


@pytest.mark.parametrize(("written", "plain"), SAME_NAMES)
def test_a_name_matches_however_unicode_writes_it(written: str, plain: str) -> None:
    assert variable_name(written) == plain
    # given with --var in one form, written in the expression in the other, both ways
    assert parse_expression(f"{written} * 2", {plain: Value(3.0)}).data == 6.0
    assert parse_expression(f"{plain} * 2", {written: Value(3.0)}).data == 6.0


def test_two_spellings_of_one_name_are_refused() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression("fi * 2", {"fi": Value(1.0), "\ufb01": Value(2.0)})
    assert caught.value.reason == "same name"
    assert caught.value.fields["name"] == "'fi'"


def test_a_function_name_given_a_value_from_python_is_a_variable() -> None:
    """Only the command line forbids `--var exp=…`; a mapping may use the name."""
    assert parse_expression("exp * 2", {"exp": Value(1.5)}).data == 3.0
