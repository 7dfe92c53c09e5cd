"""The numbers a student sees in the "building micrograd" lecture, with code written as there."""

from __future__ import annotations

import math

from tinygrad_edu import Value


def test_the_first_expression_graph() -> None:
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = Value(10.0, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    f = Value(-2.0, label="f")
    L = d * f
    L.label = "L"
    assert L.data == -8.0
    L.backward()
    grads = {v.label: v.grad for v in (a, b, c, d, e, f, L)}
    assert grads == {"a": 6.0, "b": -4.0, "c": -2.0, "e": -2.0, "d": -2.0, "f": 4.0, "L": 1.0}
    assert (e._op, d._op, L._op) == ("*", "+", "*")
    assert d._prev == (e, c)


def neuron() -> dict[str, Value]:
    x1 = Value(2.0, label="x1")
    x2 = Value(0.0, label="x2")
    w1 = Value(-3.0, label="w1")
    w2 = Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x2w2 = x2 * w2
    x1w1x2w2 = x1w1 + x2w2
    n = x1w1x2w2 + b
    o = n.tanh()
    return {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b, "n": n, "o": o}


def test_the_neuron_with_backward() -> None:
    v = neuron()
    assert abs(v["o"].data - 0.7071067811865476) <= 1e-12
    v["o"].backward()
    expected = {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5}
    for name, grad in expected.items():
        assert abs(v[name].grad - grad) <= 1e-12, name


def test_the_neuron_step_by_step_with_underscore_backward() -> None:
    """As the lecture does before backward() exists: o.grad = 1, then each _backward in turn."""
    v = neuron()
    o, n = v["o"], v["n"]
    o.grad = 1.0
    o._backward()
    assert abs(n.grad - 0.5) <= 1e-12
    x1w1x2w2, b = n._prev
    assert b is v["b"]
    n._backward()
    x1w1, x2w2 = x1w1x2w2._prev
    x1w1x2w2._backward()
    x1w1._backward()
    x2w2._backward()
    expected = {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5}
    for name, grad in expected.items():
        assert abs(v[name].grad - grad) <= 1e-12, name


def test_tanh_written_with_exp_as_in_the_lecture() -> None:
    v = neuron()
    n = v["n"]
    e = (2 * n).exp()
    o = (e - 1) / (e + 1)
    assert abs(o.data - 0.7071067811865476) <= 1e-12
    o.backward()
    for name, grad in {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5}.items():
        assert abs(v[name].grad - grad) <= 1e-12, name


def test_a_node_used_twice() -> None:
    a = Value(3.0, label="a")
    b = a + a
    b.backward()
    assert a.grad == 2.0


def test_two_paths_through_two_leaves() -> None:
    a = Value(-2.0, label="a")
    b = Value(3.0, label="b")
    d = a * b
    e = a + b
    f = d * e
    f.backward()
    assert (a.grad, b.grad) == (-3.0, -8.0)


def test_numbers_mix_with_values_on_either_side() -> None:
    a = Value(2.0)
    assert (a + 1).data == 3.0 and (1 + a).data == 3.0
    assert (2 * a).data == 4.0 and (a * 2).data == 4.0
    assert (a / 2).data == 1.0 and (2 / a).data == 1.0
    assert (1 - a).data == -1.0 and (a - 1).data == 1.0
    assert (a**2).data == 4.0 and (2**a).data == 4.0
    assert a.exp().data == math.exp(2.0)
