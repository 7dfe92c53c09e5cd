"""The engine's contract: Value, operators, _op names, errors, backward, grad, define_op."""

from __future__ import annotations

import copy
import math
import pickle
import re
import sys
from collections.abc import Callable
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import example, given, reject
from hypothesis import strategies as st

from tinygrad_edu import Value, define_op, grad
from tinygrad_edu.engine import OPS, topological_order
from tinygrad_edu.testing import (
    UNIT_ROUNDOFF,
    Expression,
    expressions,
    reals,
    rounding_bound,
)

# --- Value ------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [2, 2.0, np.float64(2.0), np.int64(2), Fraction(2, 1)])
def test_data_is_a_python_float(data: object) -> None:
    v = Value(data)  # type: ignore[arg-type]
    assert type(v.data) is float and v.data == 2.0


def test_a_new_value_is_a_leaf_with_zero_float_grad() -> None:
    v = Value(1.5)
    assert (v.grad, type(v.grad), v.label, v._op, v._prev) == (0.0, float, "", "", ())


def test_micrograd_constructor_order() -> None:
    a, b = Value(2.0), Value(3.0)
    c = Value(5.0, (a, b), "+", "c")
    assert (c.data, c._prev, c._op, c.label) == (5.0, (a, b), "+", "c")
    c.backward()
    assert (a.grad, b.grad) == (1.0, 1.0)


@pytest.mark.parametrize(
    ("data", "type_name"),
    [(True, "bool"), ("1.0", "str"), (1j, "complex"), (None, "NoneType"), ([1.0], "list")],
)
def test_non_real_data_is_a_type_error_naming_the_type(data: object, type_name: str) -> None:
    with pytest.raises(TypeError, match=type_name):
        Value(data)  # type: ignore[arg-type]


def test_a_value_is_not_data() -> None:
    with pytest.raises(TypeError, match="Value"):
        Value(Value(1.0))  # type: ignore[arg-type]


def test_children_must_be_values() -> None:
    with pytest.raises(TypeError, match="float"):
        Value(1.0, (1.0,), "+")  # type: ignore[arg-type]


def test_a_value_is_not_a_number_but_formats_and_reprs_its_data() -> None:
    v = Value(2.5, label="v")
    v.grad = -1.0
    for convert, method in (
        (float, "v.data"),
        (math.exp, "v.exp()"),
        (math.tanh, "v.tanh()"),
        (math.log, "v.log()"),
        (math.sqrt, "v.sqrt()"),
    ):
        with pytest.raises(TypeError) as raised:
            convert(v)  # type: ignore[arg-type]
        assert method in str(raised.value) and "v.data" in str(raised.value)
    for convert, what in ((int, "int(v)"), (round, "round(v)")):
        with pytest.raises(TypeError, match=r"not a number: " + re.escape(what)) as raised:
            convert(v)  # type: ignore[call-overload]
        assert "v.data" in str(raised.value)
    assert f"{v:.3f}" == "2.500" and f"{v}" == str(v)
    assert "2.5" in repr(v) and "-1.0" in repr(v)


def test_identity_semantics() -> None:
    a, b = Value(1.0), Value(1.0)
    assert a != b and a == a
    assert len({a, b, a}) == 2
    assert {a: "a", b: "b"}[a] == "a"
    with pytest.raises(TypeError):
        _ = a < b  # type: ignore[operator]


def test_non_finite_data_is_allowed_and_products_may_overflow_to_inf() -> None:
    assert math.isinf(Value(math.inf).data) and math.isnan(Value(math.nan).data)
    assert (Value(1e200) * 1e200).data == math.inf
    assert (Value(1e308) + Value(1e308)).data == math.inf


# --- Operators, reflected forms, _op names ------------------------------------------------

UNARY: list[tuple[Callable[[Value], Value], str, Callable[[float], float]]] = [
    (lambda v: -v, "neg", lambda x: -x),
    (lambda v: v.exp(), "exp", math.exp),
    (lambda v: v.log(), "log", math.log),
    (lambda v: v.tanh(), "tanh", math.tanh),
    (lambda v: v.sigmoid(), "sigmoid", lambda x: 1 / (1 + math.exp(-x))),
    (lambda v: v.relu(), "relu", lambda x: max(x, 0.0)),
    (lambda v: v.softplus(), "softplus", lambda x: math.log1p(math.exp(x))),
    (lambda v: v.sqrt(), "sqrt", math.sqrt),
    (lambda v: v.abs(), "abs", abs),
    (abs, "abs", abs),
    (lambda v: v**2, "**2", lambda x: x**2),
    (lambda v: v**2.0, "**2.0", lambda x: x**2.0),
    (lambda v: v**0.5, "**0.5", lambda x: x**0.5),
    (lambda v: v**-1, "**-1", lambda x: x**-1),
]


@pytest.mark.parametrize(("apply", "name", "reference"), UNARY, ids=[u[1] for u in UNARY])
def test_unary_ops_make_one_node_named_as_in_the_contract(
    apply: Callable[[Value], Value], name: str, reference: Callable[[float], float]
) -> None:
    x = Value(0.7)
    y = apply(x)
    assert (y._op, y._prev) == (name, (x,))
    # engine and reference each round at most 4 times: 16u relative covers both
    assert y.data == pytest.approx(reference(0.7), rel=16 * UNIT_ROUNDOFF, abs=0)


BINARY: list[tuple[Callable[[object, object], Value], str, float]] = [
    (lambda a, b: a + b, "+", 5.0),  # type: ignore[operator]
    (lambda a, b: a - b, "-", -1.0),  # type: ignore[operator]
    (lambda a, b: a * b, "*", 6.0),  # type: ignore[operator]
    (lambda a, b: a / b, "/", 2 / 3),  # type: ignore[operator]
    (lambda a, b: a**b, "**", 8.0),  # type: ignore[operator]
]


BINARY_SIDES = [
    pytest.param(*operation, sides, id=f"{operation[1]} {sides}")
    for operation in BINARY
    for sides in ("both", "number left", "number right")
    if (operation[1], sides) != ("**", "number right")  # v ** 3 is '**3', tested above
]


@pytest.mark.parametrize(("apply", "name", "expected", "sides"), BINARY_SIDES)
def test_binary_ops_and_reflected_forms(
    apply: Callable[[object, object], Value], name: str, expected: float, sides: str
) -> None:
    """`2 * v`, `1 - v`, `1 / v`, `2 ** v`: a number on either side becomes a leaf child."""
    a, b = Value(2.0), Value(3.0)
    left: object = 2 if sides == "number left" else a
    right: object = 3 if sides == "number right" else b
    out = apply(left, right)
    assert isinstance(out, Value)
    assert (out._op, out.data) == (name, expected)
    assert len(out._prev) == 2
    first, second = out._prev
    assert [first.data, second.data] == [2.0, 3.0]
    for operand, child in ((left, first), (right, second)):
        if isinstance(operand, Value):
            assert child is operand
        else:
            assert (child._prev, child._op, child.grad) == ((), "", 0.0)


def test_power_by_a_number_keeps_k_on_the_node_not_as_a_child() -> None:
    x = Value(3.0)
    y = x**3
    assert y._prev == (x,) and y._op == "**3"
    y.backward()
    assert x.grad == 27.0


def test_sum_of_values_starts_from_the_number_zero() -> None:
    xs = [Value(float(i)) for i in range(4)]
    total = sum(xs)
    assert isinstance(total, Value) and total.data == 6.0
    total.backward()
    assert [x.grad for x in xs] == [1.0] * 4


def test_subtraction_and_division_are_ops_of_their_own() -> None:
    a, b = Value(1.0), Value(2.0)
    assert (a - b)._op == "-" and (a / b)._op == "/"
    assert {child._op for child in (a - b)._prev} == {""}


# --- Errors: op, value and label in every message ------------------------------------------

ERRORS: list[tuple[Callable[[], object], type[Exception], list[str]]] = [
    (lambda: Value(-1.0, label="x").log(), ValueError, ["log", "-1.0", "x"]),
    (lambda: Value(0.0, label="x").log(), ValueError, ["log", "0.0", "x"]),
    (lambda: Value(-4.0, label="x").sqrt(), ValueError, ["sqrt", "-4.0", "x"]),
    (lambda: Value(-2.0, label="x") ** Value(0.5), ValueError, ["**", "-2.0", "x"]),
    (lambda: Value(0.0, label="x") ** Value(2.0), ValueError, ["**", "0.0", "x"]),
    (lambda: (-2) ** Value(0.5, label="w"), ValueError, ["**", "-2", "w"]),
    (lambda: Value(-1.0, label="x") ** 0.5, ValueError, ["**0.5", "-1.0", "x"]),
    (lambda: Value(1.0, label="a") / Value(0.0, label="b"), ZeroDivisionError, ["/", "0.0", "b"]),
    (lambda: 1 / Value(0.0, label="b"), ZeroDivisionError, ["/", "0.0", "b"]),
    (lambda: Value(1.0, label="a") / 0, ZeroDivisionError, ["/", "0", "a"]),
    (lambda: Value(0.0, label="x") ** -1, ZeroDivisionError, ["**-1", "0.0", "x"]),
    (lambda: Value(0.0, label="x") ** -0.5, ZeroDivisionError, ["**-0.5", "0.0", "x"]),
    (lambda: Value(1000.0, label="x").exp(), OverflowError, ["exp", "1000.0", "x", "sigmoid"]),
    (lambda: Value(10.0, label="x") ** 400, OverflowError, ["**400", "10.0", "x"]),
    (lambda: Value(1.0) ** "2", TypeError, ["str"]),
    (lambda: Value(1.0) ** True, TypeError, ["bool"]),
    (lambda: Value(1.0) + "a", TypeError, ["str"]),
]


@pytest.mark.parametrize(("make", "error", "fragments"), ERRORS)
def test_every_error_names_the_op_the_value_and_the_label(
    make: Callable[[], object], error: type[Exception], fragments: list[str]
) -> None:
    with pytest.raises(error) as raised:
        make()
    message = str(raised.value)
    assert all(fragment in message for fragment in fragments), message
    assert "math domain error" not in message


def test_exp_overflow_suggests_the_stable_forms() -> None:
    with pytest.raises(OverflowError) as raised:
        Value(710.0).exp()
    assert "sigmoid" in str(raised.value) and "softplus" in str(raised.value)


def test_exp_is_fine_up_to_the_largest_float() -> None:
    """exp(x) is finite for x <= ln(max float) = 709.78271289...; only larger inputs overflow."""
    x = 709.782
    assert Value(x).exp().data == math.exp(x)


def test_a_node_with_an_op_that_has_no_rule_fails_clearly() -> None:
    a = Value(1.0, label="a")
    mystery = Value(2.0, (a,), "mystery", label="m")
    for differentiate in (mystery.backward, lambda: grad(mystery, [a])):
        with pytest.raises(ValueError, match="mystery") as raised:
            differentiate()
        assert "define_op" in str(raised.value)
    assert a.grad == 0.0


def test_a_rule_returning_the_wrong_number_of_derivatives_fails_clearly() -> None:
    pair = define_op("pair", lambda x: x, lambda out, x: (1.0, 1.0))
    x = Value(1.0)
    with pytest.raises(ValueError, match="pair"):
        pair(x).backward()


def test_a_rule_that_cannot_take_the_nodes_inputs_fails_clearly() -> None:
    """A rule written without `out`, or a node built by hand with the wrong number
    of children, is a TypeError naming the op and the node, from both paths."""
    no_out = define_op("no_out", lambda x: 2 * x, lambda x: (2.0,))
    one_child_plus = Value(4.0, (Value(1.0),), "+", label="lonely")
    for node, name in ((no_out(Value(1.0)), "'no_out'"), (one_child_plus, "'\\+'")):
        for differentiate in (node.backward, lambda node=node: grad(node, [node])):
            with pytest.raises(TypeError, match=f"while differentiating .*rule of {name}"):
                differentiate()
    with pytest.raises(TypeError, match=r"lonely=4\.0"):
        one_child_plus.backward()


def test_a_node_built_by_hand_with_a_power_name_uses_the_power_rule() -> None:
    """The lecture's __pow__ builds Value(x.data**k, (x,), f'**{k}')."""
    for k, x in ((2, 3.0), (0.5, 4.0), (-1, 2.0)):
        base = Value(x)
        node = Value(x**k, (base,), f"**{k}")
        node.backward()
        assert node._op == f"**{k}"
        assert base.grad == pytest.approx(k * x ** (k - 1), rel=1e-15)


def test_a_failing_rule_names_the_node() -> None:
    with pytest.raises(ZeroDivisionError, match="sqrt"):
        Value(0.0, label="x").sqrt().backward()


def test_backward_and_grad_check_their_arguments() -> None:
    with pytest.raises(TypeError, match="str"):
        Value(1.0).backward("a")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="float"):
        grad(3.0, [])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="float"):
        grad(Value(1.0), [3.0])  # type: ignore[list-item]


# --- Numerically safe ops -----------------------------------------------------------------


def test_the_lecture_examples_of_saturation() -> None:
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).sigmoid().data == 1.0
    assert Value(1000.0).softplus().data == 1000.0
    assert Value(-1000.0).softplus().data == 0.0
    assert Value(1000.0).tanh().data == 1.0 and Value(-1000.0).tanh().data == -1.0


@given(x=st.floats(allow_nan=False, allow_infinity=False))
@example(x=355.0)  # the lecture's exp-based tanh overflows near here
@example(x=-1000.0)
@example(x=1000.0)
@example(x=-745.2)  # exp(-745.2) underflows to 0
@example(x=1.7976931348623157e308)
@example(x=-1.7976931348623157e308)
def test_tanh_sigmoid_softplus_never_overflow_and_their_grads_stay_finite(x: float) -> None:
    for name, low, high in (
        ("tanh", -1.0, 1.0),
        ("sigmoid", 0.0, 1.0),
        ("softplus", 0.0, math.inf),
    ):
        v = Value(x)
        y = getattr(v, name)()
        y.backward()
        assert low <= y.data <= high and math.isfinite(y.data)
        assert 0.0 <= v.grad <= 1.0


@pytest.mark.parametrize("name", ["relu", "abs"])
def test_relu_and_abs_have_derivative_zero_at_zero(name: str) -> None:
    x = Value(0.0)
    y = getattr(x, name)()
    y.backward()
    assert x.grad == 0.0
    (derivative,) = grad(getattr(Value(0.0), name)(), [x])
    assert derivative == 0.0


# --- backward() ---------------------------------------------------------------------------


def test_backward_twice_doubles_leaf_grads_and_keeps_interior_ones() -> None:
    """micrograd's (a*a)**2 would triple a.grad on the second call; PyTorch doubles it."""
    a = Value(3.0)
    b = a * a
    c = b**2
    c.backward()
    first = (a.grad, b.grad, c.grad)
    assert first == (4 * 27.0, 18.0, 1.0)
    c.backward()
    assert (a.grad, b.grad, c.grad) == (2 * first[0], first[1], first[2])


def test_backward_accumulates_into_leaves_until_zeroed() -> None:
    a, b = Value(2.0), Value(5.0)
    (a * b).backward()
    (a + b).backward()
    assert (a.grad, b.grad) == (6.0, 3.0)
    a.grad = b.grad = 0.0
    (a * b).backward()
    assert (a.grad, b.grad) == (5.0, 2.0)


def test_backward_on_a_leaf_adds_the_seed() -> None:
    a = Value(1.0)
    a.backward()
    a.backward(2.5)
    assert a.grad == 3.5


def test_the_seed_scales_every_gradient() -> None:
    a, b = Value(2.0), Value(-3.0)
    (a * b).backward(grad=0.5)
    assert (a.grad, b.grad) == (-1.5, 1.0)


def test_a_node_reused_receives_the_sum_of_its_paths() -> None:
    a = Value(3.0)
    b = a + a
    b.backward()
    assert a.grad == 2.0
    x = Value(2.0)
    y = x * x * x
    y.backward()
    assert x.grad == 12.0


def test_underscore_backward_is_one_chain_rule_step_by_hand() -> None:
    """As in the lecture: set o.grad, call o._backward(), then each child's in turn."""
    x, w = Value(2.0, label="x"), Value(-3.0, label="w")
    n = x * w
    o = n.tanh()
    o.grad = 1.0
    o._backward()
    assert n.grad == pytest.approx(1 - o.data**2, abs=0) and x.grad == 0.0
    n._backward()
    assert (x.grad, w.grad) == (n.grad * -3.0, n.grad * 2.0)
    n._backward()  # `+=`, as in the lecture: a second call adds again
    assert (x.grad, w.grad) == (2 * n.grad * -3.0, 2 * n.grad * 2.0)
    x._backward()  # a leaf has nothing to pass on
    assert x.grad == 2 * n.grad * -3.0


def test_a_million_node_chain() -> None:
    """v = v * 1.0001 + 0.0, 500,000 times: 1,000,000 op nodes deep, no recursion.

    d v/d x = 1.0001**500000 ~ 5.2e21. Both the chain and pow round at most
    once per step, so they agree within 2 * 500,000 * u relative.
    """
    steps = 500_000
    x = Value(1.0)
    v = x
    for _ in range(steps):
        v = v * 1.0001 + 0.0
    v.backward()
    expected = 1.0001**steps
    assert abs(x.grad - expected) <= 2 * steps * UNIT_ROUNDOFF * expected
    assert abs(v.data - expected) <= 2 * steps * UNIT_ROUNDOFF * expected


# --- topological_order and grad() ---------------------------------------------------------


@given(expression=expressions())
def test_topological_order_lists_every_node_once_children_first(expression: Expression) -> None:
    try:
        output = expression.build(*(Value(x) for x in expression.inputs))
    except (ValueError, ArithmeticError):
        reject()
    order = topological_order(output)
    assert order[-1] is output
    assert len(order) == len(set(order))
    position = {node: index for index, node in enumerate(order)}
    seen: set[Value] = set()
    stack = [output]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        for child in node._prev:
            assert position[child] < position[node]
            stack.append(child)
    assert seen == set(order)


@given(expression=expressions())
def test_grad_equals_backward_and_touches_no_grad(expression: Expression) -> None:
    leaves = [Value(x) for x in expression.inputs]
    try:
        output = expression.build(*leaves)
        derivatives = grad(output, leaves)
        nodes = topological_order(output)
        assert all(node.grad == 0.0 for node in nodes)
        values = grad(output, leaves, create_graph=True)
        output.backward()
    except (ValueError, ArithmeticError):
        reject()
    for leaf, derivative, value in zip(leaves, derivatives, values, strict=True):
        assert derivative == leaf.grad
        assert isinstance(value, Value)
        assert abs(value.data - derivative) <= 2 * rounding_bound(value)


def test_grad_of_an_unrelated_input_is_zero() -> None:
    x, unrelated = Value(2.0), Value(5.0)
    y = x * x
    assert grad(y, [x, unrelated]) == [4.0, 0.0]
    dx, du = grad(y, [x, unrelated], create_graph=True)
    assert isinstance(du, Value) and du.data == 0.0 and dx.data == 4.0


def test_grad_of_the_output_itself_is_one() -> None:
    x = Value(2.0)
    assert grad(x, [x]) == [1.0]
    y = x.exp()
    assert grad(y, [y]) == [1.0]


# --- define_op ----------------------------------------------------------------------------


def test_define_op_on_numbers_returns_a_float_and_on_values_a_node() -> None:
    triple = define_op("triple", lambda x: 3 * x, lambda out, x: (3.0,))
    assert triple(2.0) == 6.0 and isinstance(triple(2.0), float)
    x = Value(2.0)
    y = triple(x)
    assert (y._op, y._prev, y.data) == ("triple", (x,), 6.0)
    assert OPS["triple"] is triple
    with pytest.raises(ValueError, match="already defined"):
        define_op("triple", lambda x: 3 * x, lambda out, x: (3.0,))


@pytest.mark.parametrize(
    ("name", "forward", "derivative"),
    [
        ("", math.sin, math.cos),
        (None, math.sin, math.cos),
        ("ok", 3, math.cos),
        ("ok", math.sin, 3),
    ],
)
def test_define_op_checks_its_arguments(name: object, forward: object, derivative: object) -> None:
    with pytest.raises(TypeError):
        define_op(name, forward, derivative)  # type: ignore[arg-type]


def test_a_wrong_rule_is_used_by_backward_and_by_grad_with_create_graph() -> None:
    """square's rule says d/dx x**2 = x (the right one is 2x): every path must show x, not 2x."""
    square = define_op("square", lambda x: x * x, lambda out, x: (x,))
    x = Value(3.0)
    y = square(x)
    y.backward()
    assert x.grad == 3.0
    assert grad(y, [x]) == [3.0]
    (first,) = grad(y, [x], create_graph=True)
    assert first.data == 3.0
    assert grad(first, [x]) == [1.0]  # d/dx of the rule's x, differentiated through the table
    z = square(x) * 2.0
    z.backward()
    assert x.grad == 3.0 + 6.0


def test_replace_swaps_a_builtin_rule_everywhere() -> None:
    x = Value(0.5)
    existing = x.tanh()
    define_op("tanh", math.tanh, lambda out, x: (1 - out,), replace=True)
    for y in (existing, x.tanh(), OPS["tanh"](x)):
        x.grad = 0.0
        y.backward()
        assert x.grad == 1 - y.data
    (derivative,) = grad(x.tanh(), [x], create_graph=True)
    assert derivative.data == 1 - math.tanh(0.5)


def test_a_node_built_by_hand_uses_the_rule_of_the_op_it_names() -> None:
    a, b = Value(2.0), Value(3.0)
    product = Value(6.0, (a, b), "*")
    product.backward()
    assert (a.grad, b.grad) == (3.0, 2.0)


@given(x=reals(10.0))
def test_every_op_leaves_its_inputs_untouched(x: float) -> None:
    v = Value(x)
    for y in (v + 1, v * v, v.tanh(), v.sigmoid(), v.softplus(), v**2, abs(v), -v):
        assert v in y._prev
    assert (v.data, v.grad) == (x, 0.0)


# --- The op registry is fresh in every test (the root conftest.py) ----------------------


@pytest.mark.parametrize("turn", [1, 2])
def test_each_test_may_define_sin_and_break_tanh(turn: int) -> None:
    """Run twice: the second run fails if the first one's op or broken rule leaked."""
    assert "sin" not in OPS
    x = Value(0.5)
    x.tanh().backward()
    assert x.grad == 1 - math.tanh(0.5) ** 2
    define_op("sin", math.sin, lambda out, x: (OPS["cos"](x),))
    define_op("tanh", math.tanh, lambda out, x: (0.0,), replace=True)


# --- Attributes, hand-written closures, labels ------------------------------------------


def test_a_learner_may_keep_attributes_on_a_value() -> None:
    p = Value(1.0)
    p.m = 0.0  # type: ignore[attr-defined]
    p.m = 0.9 * p.m + 0.1 * 2.0  # type: ignore[attr-defined]
    y = p * 3.0
    y.backward()
    assert p.m == pytest.approx(0.2) and p.grad == 3.0  # type: ignore[attr-defined]
    assert sys.getsizeof(Value(1.0)) + sys.getsizeof(()) < 150


def test_a_lecture_style_closure_is_used_by_backward() -> None:
    a = Value(0.5, label="a")
    out = Value(math.sin(a.data), (a,), "my_sin")

    def _backward() -> None:
        a.grad += math.cos(a.data) * out.grad

    out._backward = _backward
    y = out * 2.0
    y.backward()
    assert a.grad == 2.0 * math.cos(0.5)
    with pytest.raises(ValueError, match="closure"):
        grad(y, [a])


def test_a_closure_on_an_op_with_a_rule_or_on_a_leaf_is_an_error() -> None:
    a = Value(0.5)
    with pytest.raises(ValueError, match="already has a derivative rule"):
        (a * 2.0)._backward = lambda: None
    with pytest.raises(ValueError, match="already has a derivative rule"):
        Value(1.0, (a,), "tanh")._backward = lambda: None
    with pytest.raises(ValueError, match="is a leaf"):
        a._backward = lambda: None


def test_labels_must_be_strings_in_the_constructor_and_later() -> None:
    with pytest.raises(TypeError, match="label must be a str, got int: 5"):
        Value(1.0, label=5)  # type: ignore[arg-type]
    v = Value(1.0, label="w")
    with pytest.raises(TypeError, match="label must be a str"):
        v.label = None  # type: ignore[assignment]
    assert v.label == "w"


def test_grad_accepts_a_generator_of_inputs() -> None:
    xs = [Value(1.0), Value(2.0)]
    y = xs[0] * xs[1]
    assert grad(y, (x for x in xs)) == [2.0, 1.0]


def test_a_complex_local_derivative_is_refused_naming_the_op() -> None:
    twisted = define_op("twisted", lambda x: 2.0 * x, lambda out, x: (1j,))
    x = Value(1.0)
    with pytest.raises(TypeError, match=r"twisted.*real number"):
        twisted(x).backward()
    with pytest.raises(TypeError, match=r"twisted.*real number"):
        grad(twisted(x), [x])


@pytest.mark.parametrize("result", [None, 1j, "2"])
def test_a_forward_returning_a_non_number_is_refused_on_numbers_and_values(result: object) -> None:
    broken = define_op("broken", lambda x: result, lambda out, x: (1.0,))
    for argument in (2.0, Value(2.0)):
        with pytest.raises(TypeError, match=r"broken.*forward function returned"):
            broken(argument)


# --- Saving and copying -----------------------------------------------------------------


def chain(steps: int) -> tuple[Value, Value]:
    x = Value(0.5, label="x")
    y = x
    for _ in range(steps):
        y = y * 1.0 + 0.0
    return x, y


@pytest.mark.parametrize("steps", [1_000, 100_000])
def test_deep_chains_pickle_and_deepcopy(steps: int) -> None:
    x, y = chain(steps)
    y.backward()
    y.note = "output"  # type: ignore[attr-defined]
    for copied in (pickle.loads(pickle.dumps(y)), copy.deepcopy(y)):
        assert copied is not y and copied.data == y.data and copied._op == "+"
        assert copied.note == "output"  # type: ignore[attr-defined]
        (leaf,) = [v for v in topological_order(copied) if v.label == "x"]
        assert leaf is not x and leaf.grad == 1.0
        leaf.grad = 0.0
        copied.backward()
        assert leaf.grad == 1.0 and x.grad == 1.0


def test_a_saved_mlp_loads_with_the_same_outputs_and_leaf_parameters() -> None:
    from tinygrad_edu import nn

    model = nn.MLP(2, [4, 1])
    model.parameters()[0].m = 0.5  # type: ignore[attr-defined]
    for loaded in (pickle.loads(pickle.dumps(model)), copy.deepcopy(model)):
        point = [Value(0.3), Value(-0.7)]
        assert loaded(point).data == model(point).data  # type: ignore[union-attr]
        parameters = loaded.parameters()
        assert [p.data for p in parameters] == [p.data for p in model.parameters()]
        assert all(not p._prev for p in parameters) and parameters[0].m == 0.5  # type: ignore[attr-defined]


def test_closure_nodes_are_refused_by_pickle_and_deepcopy() -> None:
    a = Value(0.5)
    out = Value(2.0, (a,), "my_op")
    out._backward = lambda: None
    with pytest.raises(TypeError, match=r"cannot save .*closure"):
        pickle.dumps(out * 2.0)
    with pytest.raises(TypeError, match=r"cannot deep-copy .*closure"):
        copy.deepcopy(out)


def test_an_error_shows_an_unlabelled_arithmetic_node_as_its_expression() -> None:
    p = Value(40.0, label="z").sigmoid()  # rounds to exactly 1.0
    with pytest.raises(ValueError, match=re.escape("log(1.0 - sigmoid(…) = 0.0)")):
        (1 - p).log()
    a = Value(2.0, label="a")
    with pytest.raises(ValueError, match=re.escape("log(a - 2.0 = 0.0)")):
        (a - 2).log()
