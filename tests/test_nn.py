"""Tests for tinygrad_edu.nn: shapes, parameter order and names, seeds, forward pass, errors."""

from __future__ import annotations

import math
import random
import struct
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinygrad_edu.engine import Value, define_op, dot, topological_order
from tinygrad_edu.gradcheck import gradcheck
from tinygrad_edu.nn import ACTIVATIONS, MLP, Layer, Module, Neuron, named_leaves
from tinygrad_edu.viz import draw_dot

REFERENCE_ACTIVATIONS: dict[str, Callable[[float], float]] = {
    "tanh": math.tanh,
    "relu": lambda x: max(x, 0.0),
    "sigmoid": lambda x: 1.0 / (1.0 + math.exp(-x)),
    "linear": lambda x: x,
}
"""The activations written independently of the engine, for the reference forward pass."""

UNIT_ROUNDOFF = 2.0**-53

FORWARD_TOLERANCE = 1e-12
"""How far the engine's forward pass may be from `matrix_forward` for MLP(3, [4, 3, 2]).

The two add the same products in different orders (the engine's neuron adds
the bias first), so a sum of k terms may differ by up to about k*u*S, S the
sum of the terms' sizes (u = 2**-53). With |x| <= 10 and weights in [-1, 1]:
layer 1 adds k = 4 terms with S <= 31, layer 2 k = 5 with S <= 4*31 + 1 = 125,
layer 3 k = 4 with S <= 3*125 + 1 = 376 (relu's worst case; tanh and sigmoid
keep S smaller, and their own few-u roundings are below 1e-15 as |output| <= 1).
An error e entering a layer of n inputs leaves it at most n*e (|w| <= 1, the
activations 1-Lipschitz): e1 <= 4u*31, e2 <= 4*e1 + 5u*125, e3 <= 3*e2 + 4u*376,
about 5.4e-13, within 1e-12.
"""

inputs_strategy = st.lists(
    st.floats(min_value=-10.0, max_value=10.0, allow_nan=False), min_size=3, max_size=3
)
"""Three bounded inputs: with weights in [-1, 1] every pre-activation stays below
~6000 in size, so the reference sigmoid's exp(-x) cannot overflow."""


def matrix_forward(model: MLP, x: list[float]) -> list[float]:
    """The MLP's output computed by hand: h <- act(W h + b), layer by layer, on plain floats.

    Each row of W is summed left to right and the bias added last, as a
    matrix-vector product written out in Python would be.
    """
    h = list(x)
    for layer in model.layers:
        weights = [[w.data for w in neuron.w] for neuron in layer.neurons]
        biases = [neuron.b.data for neuron in layer.neurons]
        activate = REFERENCE_ACTIVATIONS[layer.activation]
        next_h = []
        for row, bias in zip(weights, biases, strict=True):
            total = 0.0
            for weight, value in zip(row, h, strict=True):
                total += weight * value
            next_h.append(activate(total + bias))
        h = next_h
    return h


# --- Shape, parameters and names ---------------------------------------------------


def test_micrograd_sized_mlp_has_337_parameters() -> None:
    # (2*16 + 16) + (16*16 + 16) + (16*1 + 1) = 48 + 272 + 17
    assert len(MLP(2, [16, 16, 1]).parameters()) == 337


def test_parameters_are_layer_by_layer_neuron_by_neuron_weights_then_bias() -> None:
    model = MLP(2, [3, 2], seed=0)
    expected = [
        parameter
        for layer in model.layers
        for neuron in layer.neurons
        for parameter in [*neuron.w, neuron.b]
    ]
    assert model.parameters() == expected
    assert all(a is b for a, b in zip(model.parameters(), expected, strict=True))


def test_named_parameters_are_unique_dotted_and_in_parameters_order() -> None:
    model = MLP(2, [16, 16, 1], seed=0)
    named = model.named_parameters()
    names = [name for name, _ in named]
    assert len(set(names)) == len(names) == 337
    assert all(a is b for (_, a), b in zip(named, model.parameters(), strict=True))
    assert names[:4] == [
        "layers.0.neurons.0.w.0",
        "layers.0.neurons.0.w.1",
        "layers.0.neurons.0.b",
        "layers.0.neurons.1.w.0",
    ]
    assert "layers.0.neurons.1.w.0" in names
    assert names[-1] == "layers.2.neurons.0.b"
    assert dict(named)["layers.1.neurons.3.w.15"] is model.layers[1].neurons[3].w[15]


def test_layer_and_neuron_names_are_relative_to_themselves() -> None:
    layer = Layer(2, 2, seed=0)
    assert [name for name, _ in layer.named_parameters()] == [
        "neurons.0.w.0",
        "neurons.0.w.1",
        "neurons.0.b",
        "neurons.1.w.0",
        "neurons.1.w.1",
        "neurons.1.b",
    ]
    assert [name for name, _ in Neuron(1, seed=0).named_parameters()] == ["w.0", "b"]


def test_zero_grad_resets_every_parameter() -> None:
    model = MLP(2, [3, 1], seed=0)
    output = model([1.0, -2.0])
    assert isinstance(output, Value)
    output.backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 and type(p.grad) is float for p in model.parameters())


def test_repr_shows_the_shape() -> None:
    assert repr(MLP(2, [16, 16, 1], seed=0)) == "MLP(2, [16, 16, 1], activation='tanh')"
    assert repr(MLP(3, [4, 2], activation="relu", seed=0)) == "MLP(3, [4, 2], activation='relu')"
    assert repr(Layer(3, 4, activation="sigmoid", seed=0)) == "Layer(3, 4, activation='sigmoid')"
    assert repr(Neuron(5, seed=0)) == "Neuron(5, activation='tanh')"


def test_hidden_layers_use_the_activation_and_the_last_layer_is_linear() -> None:
    model = MLP(2, [4, 4, 3], activation="relu", seed=0)
    assert [layer.activation for layer in model.layers] == ["relu", "relu", "linear"]
    assert all(n.activation == "relu" for n in model.layers[0].neurons)
    assert all(n.activation == "linear" for n in model.layers[-1].neurons)


# --- Initialisation and seeds ------------------------------------------------------


def test_same_seed_same_network_and_different_seed_different_network() -> None:
    def weights(seed: int) -> list[float]:
        return [p.data for p in MLP(2, [4, 1], seed=seed).parameters()]

    assert weights(7) == weights(7)
    assert weights(7) != weights(8)


def test_weights_and_biases_are_uniform_in_minus_one_one() -> None:
    values = [p.data for p in MLP(2, [16, 16, 1], seed=3).parameters()]
    assert all(-1.0 <= v <= 1.0 for v in values)
    # 337 draws of U(-1, 1): both halves of the range are used (P(all one sign) = 2**-336).
    assert min(values) < -0.5 and max(values) > 0.5


def test_one_generator_is_drawn_in_parameters_order() -> None:
    model = MLP(2, [3, 2], seed=11)
    generator = random.Random(11)
    expected = [generator.uniform(-1.0, 1.0) for _ in model.parameters()]
    assert [p.data for p in model.parameters()] == expected


def test_seed_none_draws_from_the_module_random_so_random_seed_reproduces() -> None:
    random.seed(1337)
    expected = [random.uniform(-1.0, 1.0) for _ in range(337)]
    random.seed(1337)
    first = [p.data for p in MLP(2, [16, 16, 1]).parameters()]
    random.seed(1337)
    second = [p.data for p in MLP(2, [16, 16, 1]).parameters()]
    assert first == second == expected


def test_a_random_generator_can_be_passed_as_the_seed() -> None:
    shared = random.Random(5)
    first = Neuron(2, seed=shared)
    second = Neuron(2, seed=shared)
    generator = random.Random(5)
    expected = [generator.uniform(-1.0, 1.0) for _ in range(6)]
    assert [p.data for p in first.parameters() + second.parameters()] == expected


# --- The forward pass --------------------------------------------------------------


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@given(x=inputs_strategy, seed=st.integers(0, 2**32 - 1))
def test_forward_pass_equals_a_hand_written_matrix_computation(
    activation: str, x: list[float], seed: int
) -> None:
    model = MLP(3, [4, 3, 2], activation=activation, seed=seed)
    outputs = model(x)
    assert isinstance(outputs, list)
    expected = matrix_forward(model, x)
    assert [o.data for o in outputs] == pytest.approx(expected, rel=0, abs=FORWARD_TOLERANCE)


def test_one_output_gives_a_value_several_give_a_list() -> None:
    assert isinstance(MLP(2, [3, 1], seed=0)([1.0, 2.0]), Value)
    several = MLP(2, [3, 2], seed=0)([1.0, 2.0])
    assert isinstance(several, list) and len(several) == 2
    assert isinstance(Layer(2, 1, seed=0)([1.0, 2.0]), Value)
    assert isinstance(Neuron(2, seed=0)([1.0, 2.0]), Value)


def test_inputs_may_be_tuples_lists_or_values_and_values_receive_gradients() -> None:
    model = MLP(2, [3, 1], seed=0)
    x0 = Value(1.0)
    from_values = model([x0, Value(-2.0)])
    assert isinstance(from_values, Value)
    from_tuple, from_ints = model((1.0, -2.0)), model([1, -2])
    assert isinstance(from_tuple, Value) and isinstance(from_ints, Value)
    assert from_values.data == from_tuple.data == from_ints.data
    from_values.backward()
    assert x0.grad != 0.0


def test_a_neuron_graph_reads_as_one_dot_node_then_the_activation() -> None:
    neuron = Neuron(3, activation="tanh", seed=0)
    x = [Value(1.0), Value(2.0), Value(3.0)]
    out = neuron(x)
    assert out._op == "tanh"
    (pre_activation,) = out._prev
    assert pre_activation._op == "dot"
    w = neuron.w
    assert pre_activation._prev == (w[0], x[0], w[1], x[1], w[2], x[2], neuron.b)
    assert len(topological_order(out)) == 3 + 3 + 1 + 2  # inputs, weights, b, dot, tanh


@given(
    x=st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=8),
    seed=st.integers(0, 2**32 - 1),
)
def test_a_neuron_makes_the_same_dot_node_as_engine_dot_to_the_bit(
    x: list[float], seed: int
) -> None:
    neuron = Neuron(len(x), activation="linear", seed=seed)
    inputs = [Value(number) for number in x]
    out = neuron(inputs)
    reference = dot(neuron.w, inputs, neuron.b)
    assert out._prev == reference._prev and out._operation is reference._operation
    assert struct.pack("<d", out.data) == struct.pack("<d", reference.data)


def test_a_replaced_dot_rule_reaches_every_neuron() -> None:
    define_op("dot", lambda *inputs: 42.0, lambda out, *inputs: (0.0,) * len(inputs), replace=True)
    out = Neuron(2, activation="linear", seed=0)([1.0, 2.0])
    out.backward()
    assert out._op == "dot" and out.data == 42.0


def test_a_linear_neuron_adds_no_activation_node() -> None:
    out = Neuron(2, activation="linear", seed=0)([1.0, 2.0])
    assert out._op == "dot"


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_each_activation_is_one_node(activation: str) -> None:
    assert Neuron(2, activation=activation, seed=0)([1.0, 2.0])._op == activation


def test_a_layer_turns_each_number_input_into_one_leaf_shared_by_its_neurons() -> None:
    layer = Layer(2, 4, seed=0)
    outputs = layer([1.0, 2.0])
    assert isinstance(outputs, list)
    total = outputs[0] + outputs[1] + outputs[2] + outputs[3]
    parameters = set(layer.parameters())
    leaves = [node for node in topological_order(total) if not node._prev]
    inputs = [leaf for leaf in leaves if leaf not in parameters]
    assert sorted(leaf.data for leaf in inputs) == [1.0, 2.0]


# --- micrograd compatibility -------------------------------------------------------


def test_micrograd_nonlin_alias() -> None:
    assert Neuron(2, nonlin=True, seed=0).activation == "relu"
    assert Neuron(2, nonlin=False, seed=0).activation == "linear"
    assert Neuron(2, False, seed=0).activation == "linear"  # micrograd's positional form
    assert Layer(2, 3, nonlin=True, seed=0).activation == "relu"
    assert all(n.activation == "linear" for n in Layer(2, 3, nonlin=False, seed=0).neurons)


def test_module_subclasses_find_their_parameters_like_pytorch() -> None:
    class Line(Module):
        def __init__(self) -> None:
            self.slope = Value(2.0)
            self.name = "not a parameter"
            self.inner = [Neuron(1, seed=0), (Value(3.0),)]

    line = Line()
    assert [name for name, _ in line.named_parameters()] == [
        "slope",
        "inner.0.w.0",
        "inner.0.b",
        "inner.1.0",
    ]
    assert line.parameters()[0] is line.slope


def test_a_micrograd_style_module_that_lists_its_own_parameters_keeps_its_order() -> None:
    a, b = Value(1.0), Value(2.0)

    class Pair(Module):
        def parameters(self) -> list[Value]:
            return [b, a]

    pair = Pair()
    assert pair.named_parameters() == [("0", b), ("1", a)]
    a.grad = b.grad = 5.0
    pair.zero_grad()
    assert a.grad == b.grad == 0.0


# --- Errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [MLP(2, [3, 1], seed=0), Layer(2, 3, seed=0), Neuron(2, seed=0)],
    ids=["MLP", "Layer", "Neuron"],
)
def test_wrong_input_length_says_expected_and_got(model: Module) -> None:
    with pytest.raises(ValueError, match=r"expects 2 inputs, got 3"):
        model([1.0, 2.0, 3.0])  # type: ignore[operator]
    with pytest.raises(ValueError, match=r"expects 2 inputs, got 0"):
        model([])  # type: ignore[operator]


@pytest.mark.parametrize("bad", [1.0, Value(1.0)], ids=["number", "Value"])
def test_a_single_input_not_in_a_list_says_to_wrap_it(bad: object) -> None:
    with pytest.raises(TypeError, match=r"wrap it in a list"):
        MLP(1, [2, 1], seed=0)(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["ab", None, {1, 2}.__len__], ids=["str", "None", "function"])
def test_an_input_that_is_not_a_sequence_is_a_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match=r"expects a list of 2 numbers or Values"):
        MLP(2, [2, 1], seed=0)(bad)  # type: ignore[arg-type]


def test_an_input_element_that_is_not_a_number_is_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"str"):
        MLP(2, [2, 1], seed=0)([1.0, "2"])  # type: ignore[list-item]


def test_unknown_activation_lists_the_allowed_ones() -> None:
    for make in (
        lambda: MLP(2, [3, 1], activation="gelu"),
        lambda: Layer(2, 3, activation="gelu"),
        lambda: Neuron(2, activation="gelu"),
    ):
        allowed = "'tanh', 'relu', 'sigmoid', 'linear'"
        with pytest.raises(ValueError, match=rf"unknown activation 'gelu'; use one of {allowed}"):
            make()


def test_activation_and_nonlin_together_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"both activation='sigmoid' and nonlin=True"):
        Neuron(2, activation="sigmoid", nonlin=True)
    with pytest.raises(ValueError, match=r"nonlin twice"):
        Neuron(2, True, nonlin=False)


# Deliberately wrong arguments go through these untyped names, so mypy lets the tests make them.
UntypedMLP: Any = MLP
UntypedLayer: Any = Layer
UntypedNeuron: Any = Neuron


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: MLP(0, [1]), ValueError, r"MLP: nin must be >= 1, got 0"),
        (lambda: UntypedMLP(2.0, [1]), TypeError, r"MLP: nin must be an int >= 1, got float"),
        (lambda: UntypedMLP(True, [1]), TypeError, r"nin must be an int >= 1, got bool"),
        (lambda: MLP(2, []), TypeError, r"nouts must be a non-empty list of layer sizes"),
        (lambda: UntypedMLP(2, 16), TypeError, r"nouts must be a non-empty list of layer sizes"),
        (lambda: MLP(2, [16, 0]), ValueError, r"each layer size in nouts must be >= 1, got 0"),
        (lambda: Layer(2, -1), ValueError, r"Layer: nout must be >= 1, got -1"),
        (lambda: Neuron(0), ValueError, r"Neuron: nin must be >= 1, got 0"),
        (lambda: UntypedMLP(2, [1], seed="1"), TypeError, r"seed must be an int, a random.Random"),
        (lambda: UntypedNeuron(2, seed=1.5), TypeError, r"seed must be an int, a random.Random"),
        (lambda: UntypedLayer(2, 3.0), TypeError, r"Layer: nout must be an int >= 1, got float"),
    ],
)
def test_bad_sizes_and_seeds_say_what_is_allowed(
    make: Callable[[], object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        make()


# --- named_leaves: the one reading of "params" ---------------------------------------------


def test_neuron_layer_and_mlp_use_the_one_generic_parameter_walk() -> None:
    for cls in (Neuron, Layer, MLP):
        assert "named_parameters" not in vars(cls) and "parameters" not in vars(cls), cls
    names = [name for name, _ in MLP(2, [2, 1], seed=0).named_parameters()]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    assert names[-1] == "layers.1.neurons.0.b" and len(names) == 9


def test_named_leaves_reads_a_module_values_and_pairs() -> None:
    model = MLP(2, [1], seed=0)
    assert named_leaves(model) == model.named_parameters()
    w, x = Value(1.0, label="w"), Value(2.0)
    assert named_leaves([w, x, ("bias", Value(0.0))])[:2] == [("w", w), ("params[1]", x)]
    assert named_leaves([["b", x]], what="marks") == [("b", x)]


@pytest.mark.parametrize(
    ("params", "error", "fragment"),
    [
        (Value(1.0), TypeError, r"single Value .* params=\[v\]"),
        (3, TypeError, "got int: 3"),
        ("wb", TypeError, "got str"),
        ([Value(1.0), 2.0], TypeError, r"params\[1\] must be a Value or a \(name, Value\) pair"),
        ([("w", 2.0)], TypeError, r"params\[0\] must be a Value"),
        ([], ValueError, "params is empty"),
        ([Value(1.0) * 2], ValueError, r"params\[0\] \(params\[0\]\) is not a leaf .* '\*'"),
    ],
)
def test_named_leaves_says_what_is_wrong(params: object, error: type, fragment: str) -> None:
    with pytest.raises(error, match=fragment):
        named_leaves(params)


def test_named_leaves_refuses_a_value_given_twice() -> None:
    w = Value(1.0)
    with pytest.raises(ValueError, match=r"params\[1\] \(b\) is the same Value as params\[0\]"):
        named_leaves([w, ("b", w)])
    with pytest.raises(ValueError, match="same Value"):
        gradcheck(lambda: w * w, [w, w])
    with pytest.raises(ValueError, match="same Value"):
        draw_dot(w * w, params=[w, w])
