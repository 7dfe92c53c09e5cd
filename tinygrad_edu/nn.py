"""Neural networks made of Values: Module, Neuron, Layer, MLP; imports only the engine.

The classes follow micrograd and the "building micrograd" lecture, so code
written for them ports by changing the import:

>>> import random
>>> from tinygrad_edu.nn import MLP
>>> random.seed(1337)
>>> model = MLP(2, [16, 16, 1])
>>> len(model.parameters())
337
>>> score = model([2.0, -1.0])   # one output: a Value (a logit, the last layer is linear)
>>> type(score).__name__
'Value'

Each neuron computes ``activation(w_0*x_0 + w_1*x_1 + ... + b)``: in the graph
of one call that is one 'dot' node (see `engine.dot`) whose children are
w_0, x_0, w_1, x_1, ..., b, then one node for the activation (none for the
linear one). Inputs given as numbers become leaf Values once per call and
are shared by all the neurons of the first layer.
"""

from __future__ import annotations

import numbers
import random
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from tinygrad_edu.engine import Value, _dot_of_values

__all__ = ["ACTIVATIONS", "MLP", "Layer", "Module", "Neuron", "named_leaves"]

Input = Value | float | int
Output = Value | list[Value]
Seed = int | random.Random | None


def _identity(x: Value) -> Value:
    return x


ACTIVATIONS: dict[str, Callable[[Value], Value]] = {
    "tanh": Value.tanh,
    "relu": Value.relu,
    "sigmoid": Value.sigmoid,
    "linear": _identity,
}
"""The activations a neuron may use, by name; 'linear' adds no node to the graph."""


class Module:
    """Anything with parameters: gives `parameters()`, `named_parameters()` and `zero_grad()`.

    A subclass may override `named_parameters()` (or only `parameters()`, as in
    micrograd). If it overrides neither, its parameters are found in its
    attributes, in the order they were set: a Value, a Module, or a list or
    tuple of them, named by attribute and position as PyTorch does.

    >>> class Line(Module):
    ...     def __init__(self) -> None:
    ...         self.slope = Value(2.0)
    ...         self.intercept = Value(1.0)
    >>> [name for name, _ in Line().named_parameters()]
    ['slope', 'intercept']
    """

    def parameters(self) -> list[Value]:
        """Every parameter, in the order of `named_parameters()`."""
        return [parameter for _, parameter in self.named_parameters()]

    def named_parameters(self) -> list[tuple[str, Value]]:
        """Every parameter with a stable dotted name, such as 'layers.0.neurons.1.w.0'."""
        if type(self).parameters is not Module.parameters:
            # A micrograd-style module that lists its own parameters: keep its order.
            return [(str(index), parameter) for index, parameter in enumerate(self.parameters())]
        named: list[tuple[str, Value]] = []
        for attribute, item in vars(self).items():
            _collect(attribute, item, named)
        return named

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0.0 (do it before each backward pass)."""
        for parameter in self.parameters():
            parameter.grad = 0.0


def _collect(name: str, item: object, named: list[tuple[str, Value]]) -> None:
    """Append the parameters found in one attribute of a Module."""
    if isinstance(item, Value):
        named.append((name, item))
    elif isinstance(item, Module):
        named.extend((f"{name}.{inner}", value) for inner, value in item.named_parameters())
    elif isinstance(item, (list, tuple)):
        for index, element in enumerate(item):
            _collect(f"{name}.{index}", element, named)


class HasNamedParameters(Protocol):
    """Anything with `named_parameters()`: a Module, or a learner's own class."""

    def named_parameters(self) -> list[tuple[str, Value]]: ...


Params = HasNamedParameters | Iterable[Value | tuple[str, Value]]
"""What gradcheck and draw_dot accept as `params`."""


def named_leaves(params: object, *, what: str = "params") -> list[tuple[str, Value]]:
    """Turn a Module, a list of Values or a list of (name, Value) pairs into named leaf Values.

    A Module's parameters are named by `named_parameters()`; a bare Value by
    its label, else by its position (`params[0]`). Each must be a leaf (a
    weight, a bias, an input: a Value computed from others cannot be moved
    on its own), appear once, and there must be at least one. `what` names
    the argument in error messages.

    >>> leaves = [Value(1.0, label="w"), ("b", Value(0.5)), Value(2.0)]
    >>> [name for name, _ in named_leaves(leaves)]
    ['w', 'b', 'params[2]']
    """
    allowed = f"{what} must be a Module, a list of Values or a list of (name, Value) pairs"
    if isinstance(params, Value):
        raise TypeError(
            f"{allowed}, got a single Value ({params!r}); wrap it in a list: params=[v]"
        )
    named_parameters = getattr(params, "named_parameters", None)
    if callable(named_parameters):
        items = list(named_parameters())
        source = f"{type(params).__name__}.named_parameters()"
    elif isinstance(params, Iterable) and not isinstance(params, (str, bytes)):
        items = list(params)
        source = what
    else:
        raise TypeError(f"{allowed}, got {type(params).__name__}: {params!r}")
    if not items:
        raise ValueError(f"{source} is empty: give at least one parameter")
    named: list[tuple[str, Value]] = []
    seen: dict[Value, str] = {}
    for index, item in enumerate(items):
        if isinstance(item, Value):
            name, value = item.label or f"{what}[{index}]", item
        elif (
            isinstance(item, (tuple, list))
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], Value)
        ):
            name, value = item[0], item[1]
        else:
            raise TypeError(
                f"{source}[{index}] must be a Value or a (name, Value) pair, got "
                f"{type(item).__name__}: {item!r}"
            )
        if value._prev:
            raise ValueError(
                f"{source}[{index}] ({name}) is not a leaf Value: it was computed by "
                f"{value._op!r} from other Values, so changing its .data changes nothing "
                "that is recomputed; give the leaves it is made of (the weights and biases)"
            )
        if value in seen:
            raise ValueError(
                f"{source}[{index}] ({name}) is the same Value as {seen[value]}: "
                "give each parameter once"
            )
        seen[value] = f"{source}[{index}] ({name})"
        named.append((name, value))
    return named


class Neuron(Module):
    """One neuron: ``activation(sum_i w_i * x_i + b)``, weights and bias drawn uniform in [-1, 1].

    `activation` is 'tanh' (default, as in the lecture), 'relu', 'sigmoid' or
    'linear'. micrograd's `nonlin=` is accepted too: True means 'relu' (its
    default there), False means 'linear'. `seed` is an int (a new generator),
    a `random.Random` to draw from, or None for the module-level `random`
    (so `random.seed(...)` makes it reproducible). Weights are drawn first,
    then the bias, as in the lecture.

    >>> neuron = Neuron(2, activation='linear', seed=0)
    >>> neuron
    Neuron(2, activation='linear')
    >>> w, b = [weight.data for weight in neuron.w], neuron.b.data
    >>> output = neuron([3, -1])
    >>> output._op, abs(output.data - (w[0] * 3 - w[1] + b)) < 1e-15
    ('dot', True)
    """

    def __init__(
        self,
        nin: int,
        activation: str | bool = "tanh",
        seed: Seed = None,
        *,
        nonlin: bool | None = None,
    ) -> None:
        _check_count("nin", nin, "Neuron")
        self.activation = _resolve_activation(activation, nonlin, "Neuron")
        self._activate = ACTIVATIONS[self.activation]
        uniform = random.uniform if seed is None else _generator(seed).uniform
        self.w = [Value(uniform(-1.0, 1.0)) for _ in range(nin)]
        self.b = Value(uniform(-1.0, 1.0))

    def __call__(self, x: Sequence[Input]) -> Value:
        """The neuron's output for one input vector `x` (numbers or Values)."""
        return self._forward(_as_inputs(x, len(self.w), self))

    def _forward(self, inputs: list[Value]) -> Value:
        """Output for inputs already checked and made Values (the fast path used by Layer).

        w·x + b is one 'dot' node (see engine.dot): the same numbers as micrograd's
        sum((wi*xi for ...), b), added in the same order, with one node instead of 2n.
        """
        return self._activate(_dot_of_values(self.w, inputs, self.b))

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, activation={self.activation!r})"


class Layer(Module):
    """`nout` neurons that all read the same `nin` inputs.

    Returns a Value when `nout == 1`, else a list of `nout` Values. `activation`,
    `nonlin` and `seed` mean what they mean for `Neuron`; one generator is
    shared by all the neurons.

    >>> layer = Layer(3, 2, seed=0)
    >>> layer
    Layer(3, 2, activation='tanh')
    >>> len(layer([1.0, 2.0, 3.0]))
    2
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str | bool = "tanh",
        seed: Seed = None,
        *,
        nonlin: bool | None = None,
    ) -> None:
        _check_count("nin", nin, "Layer")
        _check_count("nout", nout, "Layer")
        self.activation = _resolve_activation(activation, nonlin, "Layer")
        rng = None if seed is None else _generator(seed)
        self.neurons = [Neuron(nin, self.activation, rng) for _ in range(nout)]

    def __call__(self, x: Sequence[Input]) -> Output:
        """The layer's output for one input vector `x` (numbers or Values)."""
        outputs = self._forward(_as_inputs(x, len(self.neurons[0].w), self))
        return outputs[0] if len(outputs) == 1 else outputs

    def _forward(self, inputs: list[Value]) -> list[Value]:
        """Outputs for inputs already checked and made Values, once for all neurons."""
        return [neuron._forward(inputs) for neuron in self.neurons]

    def __repr__(self) -> str:
        nin = len(self.neurons[0].w)
        return f"Layer({nin}, {len(self.neurons)}, activation={self.activation!r})"


class MLP(Module):
    """A multilayer perceptron: `MLP(nin, nouts)` as in micrograd, e.g. `MLP(2, [16, 16, 1])`.

    Hidden layers use `activation` ('tanh' by default, as in the lecture); the
    last layer is linear, so its outputs are logits and the loss decides how
    to read them (sigmoid + cross-entropy, squared error, hinge...). Weights
    and biases are uniform in [-1, 1], drawn layer by layer, neuron by neuron,
    from one generator: `random.Random(seed)` for an int seed (same seed, same
    network), or the module-level `random` when `seed` is None, so
    `random.seed(1337)` before building reproduces the network.

    >>> model = MLP(2, [4, 1], seed=0)
    >>> model
    MLP(2, [4, 1], activation='tanh')
    >>> model.named_parameters()[0][0], model.named_parameters()[-1][0]
    ('layers.0.neurons.0.w.0', 'layers.1.neurons.0.b')
    >>> MLP(2, [4, 1], seed=0)([1.0, 2.0]).data == model([1.0, 2.0]).data
    True
    """

    def __init__(
        self, nin: int, nouts: Sequence[int], activation: str = "tanh", seed: Seed = None
    ) -> None:
        _check_count("nin", nin, "MLP")
        if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Sequence) or not nouts:
            raise TypeError(
                f"MLP: nouts must be a non-empty list of layer sizes, e.g. [16, 16, 1], "
                f"got {nouts!r}"
            )
        for size in nouts:
            _check_count("each layer size in nouts", size, "MLP")
        self.activation = _resolve_activation(activation, None, "MLP")
        rng = None if seed is None else _generator(seed)
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], self.activation if i < last else "linear", rng)
            for i in range(len(nouts))
        ]

    def __call__(self, x: Sequence[Input]) -> Output:
        """The network's output for one input vector `x`: a Value if one output, else a list."""
        values = _as_inputs(x, len(self.layers[0].neurons[0].w), self)
        for layer in self.layers:
            values = layer._forward(values)
        return values[0] if len(values) == 1 else values

    def __repr__(self) -> str:
        nin = len(self.layers[0].neurons[0].w)
        nouts = [len(layer.neurons) for layer in self.layers]
        return f"MLP({nin}, {nouts}, activation={self.activation!r})"


def _check_count(name: str, count: object, owner: str) -> None:
    """A size such as nin or nout must be an int >= 1."""
    if isinstance(count, bool) or not isinstance(count, numbers.Integral):
        raise TypeError(
            f"{owner}: {name} must be an int >= 1, got {type(count).__name__}: {count!r}"
        )
    if count < 1:
        raise ValueError(f"{owner}: {name} must be >= 1, got {count}")


def _resolve_activation(activation: str | bool, nonlin: bool | None, owner: str) -> str:
    """The activation's name, from `activation=` or micrograd's `nonlin=`.

    micrograd's nonlin=True means 'relu' and False 'linear'; a bool given in
    the place of `activation` is read the same way (micrograd's `Neuron(2, False)`).
    """
    if isinstance(activation, bool):
        if nonlin is not None:
            raise ValueError(f"{owner}: got nonlin twice ({activation!r} and {nonlin!r})")
        nonlin, activation = activation, "tanh"
    if nonlin is not None:
        if activation != "tanh":
            raise ValueError(
                f"{owner}: got both activation={activation!r} and nonlin={nonlin!r}; "
                "give only one (nonlin=True means 'relu', nonlin=False means 'linear')"
            )
        return "relu" if nonlin else "linear"
    if activation not in ACTIVATIONS:
        allowed = ", ".join(repr(name) for name in ACTIVATIONS)
        raise ValueError(f"{owner}: unknown activation {activation!r}; use one of {allowed}")
    return activation


def _generator(seed: int | random.Random) -> random.Random:
    """A new random.Random(seed) for an int; a given random.Random is used as it is."""
    if isinstance(seed, random.Random):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(
            f"seed must be an int, a random.Random or None, got {type(seed).__name__}: {seed!r}"
        )
    return random.Random(seed)


def _as_inputs(x: object, expected: int, module: Module) -> list[Value]:
    """Check one input vector's type and length; make each number a leaf Value, once."""
    if isinstance(x, (Value, numbers.Number)):
        raise TypeError(
            f"{module!r} expects a list of {expected} inputs, got a single "
            f"{type(x).__name__}: {x!r}; wrap it in a list, e.g. model([x])"
        )
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{module!r} expects a list of {expected} numbers or Values, got {x!r}")
    try:
        items = list(x)  # type: ignore[call-overload]
    except TypeError:
        raise TypeError(
            f"{module!r} expects a list of {expected} numbers or Values, "
            f"got {type(x).__name__}: {x!r}"
        ) from None
    if len(items) != expected:
        raise ValueError(
            f"{module!r} expects {expected} inputs, got {len(items)}: {x!r}; "
            f"pass one number or Value per input"
        )
    return [item if isinstance(item, Value) else Value(item) for item in items]
