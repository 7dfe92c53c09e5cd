"""The whitelist parser: what it builds, and every kind of refusal with its reason."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinygrad_edu.engine import Value
from tinygrad_edu.expression import FUNCTIONS, ExpressionError, parse_expression


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
    ("+".join(["x"] * 1200), "too deep", "nested too deeply"),
    ("x * 1" + "0" * 400, "too large", "is too large"),
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
