"""The autograd engine: Value, the derivative-rule table, backward() and grad(); stdlib only.

A `Value` holds one number, `data`, and remembers how it was computed: its
children (`_prev`) and the operation that made it (`_operation`, whose name is
`_op`). `backward()` visits the nodes from the output down, parents before
children, and at each one applies the chain rule with the local derivatives
that the node's operation gives in the rule table further down.

>>> a, b = Value(2.0, label='a'), Value(-3.0, label='b')
>>> e = a * b              # d e/d a = b, d e/d b = a: the '*' line of the table
>>> L = (e + 10.0) * -2.0
>>> L.backward()           # fills .grad of every Value below L
>>> L.data, a.grad, b.grad
(-8.0, 6.0, -4.0)
>>> f"L = {L:.1f}"         # formats L.data; float(L) is refused: L is not a number
'L = -8.0'

The file reads top-down: `Value` (constructor, operators, methods,
`backward`), `Op` and `define_op`, the rule table, `dot`, `grad()` and
`topological_order()`, then the helpers (domain checks, the power family,
error messages).
"""

from __future__ import annotations

import copy
import inspect
import math
import numbers
import operator
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache, partial
from types import MappingProxyType
from typing import Any, NoReturn, Union

__all__ = ["OPS", "Op", "Value", "define_op", "dot", "grad", "topological_order"]

# A rule's inputs are floats on the fast path and Values when building a
# differentiable gradient graph, so rules are typed loosely on purpose.
Forward = Callable[..., float]
Derivative = Callable[..., tuple[Any, ...]]
Operand = Union["Value", float, int]


class Value:
    """A scalar that remembers how it was computed, so its derivatives can flow back.

    `Value(data, _children=(), _op='', label='')` as in micrograd. `grad` holds
    d(output)/d(this value) after `output.backward()`. A Value is not a
    number: use `v.data` for its number and `v.exp()`, `v.log()`, ... rather
    than `math` functions, which would cut it out of the graph.

    >>> x = Value(3.0, label='x')
    >>> y = x * x + 1
    >>> y.backward()
    >>> y, x.grad
    (Value(data=10.0, grad=1.0), 6.0)
    """

    # "__dict__" lets a learner keep attributes of their own on a Value (an
    # optimiser's `p.m`); the dict is only allocated when one is set. A label
    # lives there too (most nodes have none, and then share this class default).
    __slots__ = ("__dict__", "_operation", "_prev", "data", "grad")
    _label = ""

    def __init__(
        self,
        data: float,
        _children: Iterable[Value] = (),
        _op: str = "",
        label: str = "",
    ) -> None:
        self.data = data if type(data) is float else _as_float(data)
        self.grad = 0.0
        if label:
            self._label = label if type(label) is str else _check_label(label)
        elif type(label) is not str:
            _check_label(label)
        self._prev: tuple[Value, ...] = ()
        self._operation: Op = _LEAF
        if _children or _op:  # a node built by hand, as in the lecture
            self._prev = _check_children(_children)
            self._operation = _op_named(_op)

    @property
    def _op(self) -> str:
        """The name of the op that made this node ('' for a leaf)."""
        return self._operation.name

    @property
    def label(self) -> str:
        """A name to show in pictures and error messages ('' for none); always a str."""
        return self._label

    @label.setter
    def label(self, label: str) -> None:
        self._label = _check_label(label)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    def __format__(self, format_spec: str) -> str:
        """`f"{v:.4f}"` formats `v.data` (display only); `f"{v}"` is `str(v)`."""
        return format(self.data, format_spec) if format_spec else str(self)

    # A Value is not a number: converting one would silently cut it out of the graph.
    def __float__(self) -> NoReturn:
        raise TypeError(_NOT_A_NUMBER.format(what="float(v)"))

    def __int__(self) -> NoReturn:
        raise TypeError(_NOT_A_NUMBER.format(what="int(v)"))

    def __round__(self, ndigits: int | None = None) -> NoReturn:
        raise TypeError(_NOT_A_NUMBER.format(what="round(v)") + "; to show it use f'{v:.4f}'")

    # Arithmetic: a number on either side becomes a leaf Value child.
    def __add__(self, other: Operand) -> Value:
        return _apply_binary(add, self, other if isinstance(other, Value) else Value(other))

    def __radd__(self, other: float) -> Value:
        return _apply_binary(add, Value(other), self)

    def __sub__(self, other: Operand) -> Value:
        return _apply_binary(sub, self, other if isinstance(other, Value) else Value(other))

    def __rsub__(self, other: float) -> Value:
        return _apply_binary(sub, Value(other), self)

    def __mul__(self, other: Operand) -> Value:
        return _apply_binary(mul, self, other if isinstance(other, Value) else Value(other))

    def __rmul__(self, other: float) -> Value:
        return _apply_binary(mul, Value(other), self)

    def __truediv__(self, other: Operand) -> Value:
        return _apply_binary(div, self, other if isinstance(other, Value) else Value(other))

    def __rtruediv__(self, other: float) -> Value:
        return _apply_binary(div, Value(other), self)

    def __neg__(self) -> Value:
        return _apply_unary(neg, self)

    def __pow__(self, exponent: Operand) -> Value:
        if isinstance(exponent, Value):
            return _apply_binary(power, self, exponent)
        return _apply_unary(_power_k_op(_check_exponent(exponent)), self)

    def __rpow__(self, base: float) -> Value:
        return _apply_binary(power, Value(base), self)

    def __abs__(self) -> Value:
        return _apply_unary(absolute, self)

    # Functions, each one op from the table.
    def exp(self) -> Value:
        """e**x; d/dx = e**x."""
        return _apply_unary(exp, self)

    def log(self) -> Value:
        """Natural log, for x > 0; d/dx = 1/x."""
        return _apply_unary(log, self)

    def tanh(self) -> Value:
        """tanh(x); d/dx = 1 - tanh(x)**2. Never overflows."""
        return _apply_unary(tanh, self)

    def sigmoid(self) -> Value:
        """1 / (1 + e**-x); d/dx = s(1 - s). Never overflows."""
        return _apply_unary(sigmoid, self)

    def relu(self) -> Value:
        """max(x, 0); d/dx = 1 for x > 0, else 0 (0 at the kink, as PyTorch)."""
        return _apply_unary(relu, self)

    def softplus(self) -> Value:
        """log(1 + e**x); d/dx = sigmoid(x). Never overflows."""
        return _apply_unary(softplus, self)

    def sqrt(self) -> Value:
        """x ** 0.5 for x >= 0; d/dx = 1 / (2 sqrt(x)), infinite at 0."""
        return _apply_unary(sqrt, self)

    def abs(self) -> Value:
        """|x|; d/dx = sign(x), taken as 0 at x = 0."""
        return _apply_unary(absolute, self)

    # Backpropagation.
    def backward(self, grad: float = 1.0) -> None:
        """Fill `.grad` of every Value below this one with d(self)/d(that value).

        Leaves accumulate across calls (zero them between steps); interior
        nodes hold the result of this pass only.
        """
        nodes = _interior_nodes(self)  # children before parents; leaves only receive
        for node in nodes:
            node.grad = 0.0
        self.grad += _initial_gradient(grad)  # d(self)/d(self), 1.0 by default
        for node in reversed(nodes):  # parents before children: each node's grad is complete
            _chain_rule_step(node)

    @property
    def _backward(self) -> Callable[[], None]:
        """One chain-rule step for this node only, as in the lecture: `o._backward()`
        adds `o.grad` times each local derivative into its children's `grad`."""
        operation = self._operation
        if isinstance(operation, _ClosureOp):
            return operation.closure
        return partial(_chain_rule_step, self)

    @_backward.setter
    def _backward(self, closure: Callable[[], None]) -> None:
        """The lecture's way of adding an op: `out = Value(x, (a,), 'sin')`, then
        `out._backward = closure`, the closure doing `a.grad += ... * out.grad`."""
        self._operation = _closure_op(self, closure)

    # Saving and copying: iterative, so a chain of any depth works.
    def __reduce__(self) -> tuple[Any, ...]:
        if not self._prev:
            return (_leaf_from_pickle, (self.data, self.grad, self._label, _attributes(self)))
        return (_graph_from_pickle, (_graph_records(self),))

    def __deepcopy__(self, memo: dict[int, Any]) -> Value:
        return _deep_copy(self, memo)

    def __copy__(self) -> Value:
        copied = _new_node(self.data, self._prev, self._operation)
        copied.grad = self.grad
        copied.__dict__.update(self.__dict__)
        return copied


def _chain_rule_step(node: Value) -> None:
    """The chain rule at one node: child.grad += node.grad * d(node)/d(child), each child.

    Shared by backward() and `_backward()`. The local derivatives come from
    the rule of the node's op. The built-in rules give one float per child;
    any other rule's result is checked first (one per child, each a real number).
    """
    operation = node._operation
    if type(operation) is _ClosureOp:  # built the lecture's way: its closure does the step
        operation.closure()
        return
    upstream = node.grad
    children = node._prev
    try:
        if operation.derivative in _BUILT_IN_RULES:
            local_grads = operation.derivative(node.data, *[child.data for child in children])
        else:  # a learner's rule (or a power's): its result is checked
            local_grads = _local_grads(node)
        for child, local in zip(children, local_grads, strict=False):
            child.grad += upstream * local
    except (ValueError, TypeError, ArithmeticError) as error:
        _local_grads(node)  # raises the clear error where the rule is at fault
        raise type(error)(f"while differentiating {_describe(node)}: {error}") from None


def _local_grads(node: Value, *, as_values: bool = False) -> tuple[Any, ...]:
    """d(node)/d(child) for each child, from the rule of the node's op.

    As floats, or with `as_values=True` as Values whose own graph can be
    differentiated again (grad(create_graph=True)).
    """
    children = node._prev
    try:
        if as_values:
            local_grads = node._operation.derivative(node, *children)
        else:
            local_grads = node._operation.derivative(node.data, *[child.data for child in children])
    except (ValueError, TypeError, ArithmeticError) as error:
        raise _rule_failed(node, error) from None
    if not isinstance(local_grads, (tuple, list)) or len(local_grads) != len(children):
        raise _wrong_number_of_grads(node, local_grads)
    if not as_values and not all(_is_real(local) for local in local_grads):
        raise _not_real_grads(node, local_grads)
    return tuple(local_grads) if as_values else tuple(map(float, local_grads))


class Op:
    """One operation: a forward function on floats and its derivative rule.

    Calling an Op with only numbers returns a plain float; with at least one
    Value it returns a new Value node whose children are the inputs (numbers
    become leaf Values). A node's op is its `_operation`. Make Ops with
    `define_op`, not directly.
    """

    __slots__ = ("derivative", "forward", "name")

    def __init__(self, name: str, forward: Forward, derivative: Derivative) -> None:
        self.name = name
        self.forward = forward
        self.derivative = derivative

    def __repr__(self) -> str:
        return f"Op({self.name!r})"

    def __call__(self, *inputs: Operand) -> Any:
        for x in inputs:
            if isinstance(x, Value):
                break
        else:  # only numbers: a plain float, so one rule can call another op on floats
            return self._apply_to_numbers(inputs)
        # (type() first: it is the common case, and faster than isinstance alone)
        children = tuple(
            [x if type(x) is Value or isinstance(x, Value) else Value(x) for x in inputs]
        )
        try:
            data = self.forward(*[child.data for child in children])
        except (ValueError, ArithmeticError) as error:
            raise self._explain(error, children) from None
        if type(data) is not float:  # a learner's forward may return an int, or a complex
            data = self._check_result(data, children)
        return _new_node(data, children, self)

    def _apply_to_numbers(self, inputs: Sequence[Operand]) -> float:
        try:
            data = self.forward(*[_as_float(x) for x in inputs])
        except (ValueError, ArithmeticError) as error:
            raise self._explain(error, inputs) from None
        return data if type(data) is float else self._check_result(data, inputs)

    def _check_result(self, data: object, inputs: Sequence[object]) -> float:
        try:
            return _as_float(data)
        except TypeError:
            shown = ", ".join(_describe(x) for x in inputs)
            raise TypeError(
                f"{self.name}({shown}): its forward function returned "
                f"{type(data).__name__} {data!r}; it must return a real number (a float)"
            ) from None

    def _explain(self, error: Exception, inputs: Sequence[object]) -> Exception:
        """The same kind of error, saying which op and which inputs caused it."""
        shown = ", ".join(_describe(x) for x in inputs)
        reason = _DOMAIN_ERRORS.get(self.forward, str(error))
        return type(error)(f"{self.name}({shown}): {reason}")


def _new_node(data: float, children: tuple[Value, ...], operation: Op) -> Value:
    """Make an interior node without re-checking what the op already checked."""
    node = _allocate(Value)
    node.data = data
    node.grad = 0.0
    node._prev = children
    node._operation = operation
    return node


def _apply_unary(operation: Op, x: Value) -> Value:
    """op(x) for a Value x: the hot path of every method such as v.tanh()."""
    try:
        data = operation.forward(x.data)
    except (ValueError, ArithmeticError) as error:
        raise operation._explain(error, (x,)) from None
    return _new_node(data, (x,), operation)


def _apply_binary(operation: Op, a: Value, b: Value) -> Value:
    """op(a, b) for Values a and b: the hot path of every operator such as a * b."""
    try:
        data = operation.forward(a.data, b.data)
    except (ValueError, ArithmeticError) as error:
        raise operation._explain(error, (a, b)) from None
    return _new_node(data, (a, b), operation)


_allocate = object.__new__
_OPS: dict[str, Op] = {}
OPS = MappingProxyType(_OPS)
"""Every defined op by name (read-only; change it with `define_op`)."""


def define_op(name: str, forward: Forward, derivative: Derivative, *, replace: bool = False) -> Op:
    """Define an operation and return the callable that applies it.

    `forward(*floats) -> float` computes the value; `derivative(out, *inputs)`
    returns one local derivative per input and must work on floats and on
    Values (use ops, not `math`, in it). `replace=True` swaps the rule of an
    existing op everywhere, its Value methods and existing nodes included.

    >>> cube = define_op('cube', lambda x: x ** 3, lambda out, x: (3 * x ** 2,))
    >>> x = Value(2.0)
    >>> y = cube(x)
    >>> y.backward()
    >>> y.data, x.grad, cube(2.0)
    (8.0, 12.0, 8.0)
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"op name must be a non-empty string, got {name!r}")
    for role, function in (("forward", forward), ("derivative", derivative)):
        if not callable(function):
            raise TypeError(
                f"define_op({name!r}): {role} must be callable, got {type(function).__name__}"
            )
    existing = _OPS.get(name)
    if existing is None:
        _OPS[name] = Op(name, forward, derivative)
        return _OPS[name]
    if not replace:
        raise ValueError(
            f"op {name!r} is already defined; choose another name, or pass replace=True "
            "to swap its rule everywhere (e.g. to show a broken rule being caught)"
        )
    existing.forward = forward
    existing.derivative = derivative
    return existing


# Forward functions that need more than one line (the stable forms and the power family).


def _sigmoid(x: float) -> float:
    # exp of a negative number only, so it never overflows: sigmoid(-1000) == 0.0
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _softplus(x: float) -> float:
    # log(1 + e^x) = max(x, 0) + log(1 + e^-|x|): softplus(1000) == 1000.0
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _power(x: float, k: float) -> float:
    """x ** k for a number k, refusing what would be complex or infinite."""
    if x == 0 and k < 0:
        raise ZeroDivisionError(f"0 cannot be raised to the negative power {k!r}")
    if x < 0 and not float(k).is_integer():
        raise ValueError(
            f"a negative base needs an integer exponent (the result would be complex), got {k!r}"
        )
    try:
        if type(k) is int or type(k) is float:
            power: float = x**k  # a float: x is one, and a complex result was refused above
            return power
        return float(x**k)  # a numpy or Fraction exponent computes its own power
    except OverflowError:
        raise OverflowError("the result is too large for a float") from None


def _power_of_positive_base(x: float, w: float) -> float:
    """x ** w for a Value exponent w: defined (and differentiable in w) for x > 0 only."""
    if x <= 0:
        raise ValueError(
            "a Value exponent needs a base > 0 (d/dw x**w = x**w * log(x)); "
            "for a fixed exponent use a number, e.g. x ** 2"
        )
    return _power(x, w)


def _dot(*inputs: float) -> float:
    """w1*x1 + w2*x2 + ... + b, for inputs (w1, x1, w2, x2, ..., b)."""
    total = inputs[-1]
    for i in range(0, len(inputs) - 1, 2):
        total += inputs[i] * inputs[i + 1]  # in micrograd's order: b + w1*x1 + w2*x2 + ...
    return total


def _dot_rule(out: Any, *inputs: Any) -> tuple[Any, ...]:
    """d/dw_i = x_i, d/dx_i = w_i, d/db = 1: each weight and input swap places."""
    swapped = list(inputs)
    swapped[0:-1:2], swapped[1:-1:2] = inputs[1:-1:2], inputs[0:-1:2]
    swapped[-1] = 1.0
    return tuple(swapped)


# --- The rule table --------------------------------------------------------------------
# name, forward on floats, derivative(out, *inputs) -> one local derivative per input.
# A rule is written with operations that work on floats and on Values alike.
# relu' and abs' at 0 are taken as 0 (a subgradient, as PyTorch does).

add = define_op("+", operator.add, lambda out, a, b: (1.0, 1.0))  # d(a+b) = 1, 1
sub = define_op("-", operator.sub, lambda out, a, b: (1.0, -1.0))  # d(a-b) = 1, -1
mul = define_op("*", operator.mul, lambda out, a, b: (b, a))  # d(ab) = b, a
div = define_op("/", operator.truediv, lambda out, a, b: (1 / b, -a / (b * b)))  # 1/b, -a/b²
neg = define_op("neg", operator.neg, lambda out, x: (-1.0,))  # d(-x) = -1
exp = define_op("exp", math.exp, lambda out, x: (out,))  # d e^x = e^x
log = define_op("log", math.log, lambda out, x: (1 / x,))  # d log x = 1/x
tanh = define_op("tanh", math.tanh, lambda out, x: (1 - out * out,))  # 1 - tanh²
sigmoid = define_op("sigmoid", _sigmoid, lambda out, x: (out * (1 - out),))  # s (1 - s)
relu = define_op("relu", lambda x: max(x, 0.0), lambda out, x: (_step(x),))  # 1 if x > 0, else 0
softplus = define_op("softplus", _softplus, lambda out, x: (sigmoid(x),))  # sigmoid(x)
sqrt = define_op("sqrt", math.sqrt, lambda out, x: (0.5 / out,))  # 1 / (2 sqrt x)
absolute = define_op("abs", abs, lambda out, x: (_sign(x),))  # sign(x)
power = define_op(  # x ** w, w a Value: w x^(w-1), x^w log x
    "**", _power_of_positive_base, lambda out, x, w: (w * x ** (w - 1), out * log(x))
)
power_k = define_op(  # x ** k, k a number kept on the node ('**2'): k x^(k-1)
    "**k", _power, lambda out, x, k: (k * x ** (k - 1) if k != 0 else 0.0,)
)
_dot_op = define_op("dot", _dot, _dot_rule)  # w1*x1 + ... + b: each weight and input swap


_BUILT_IN_RULES = frozenset(operation.derivative for operation in _OPS.values())
"""The rules defined above, which return one float per input when given floats."""


def dot(weights: Sequence[Operand], inputs: Sequence[Operand], bias: Operand = 0.0) -> Any:
    """w1*x1 + ... + wn*xn + bias as ONE node, the pre-activation of a neuron.

    Same value and gradients as building it from `*` and `+`, with one node
    instead of 2n: MLP graphs stay readable and training runs several times
    faster. Its node's children are w1, x1, w2, x2, ..., bias.

    >>> w, x = [Value(2.0), Value(-1.0)], [Value(3.0), Value(4.0)]
    >>> z = dot(w, x, 0.5)
    >>> z.backward()
    >>> z.data, z._op, [v.grad for v in w + x]
    (2.5, 'dot', [3.0, 4.0, 2.0, -1.0])
    """
    if len(weights) != len(inputs):
        raise ValueError(
            f"dot needs as many weights as inputs, got {len(weights)} weights and "
            f"{len(inputs)} inputs"
        )
    return _dot_op(*_interleave(weights, inputs, bias))


def _interleave(weights: Sequence[Any], inputs: Sequence[Any], bias: Any) -> list[Any]:
    """The children of a dot node: w1, x1, w2, x2, ..., bias."""
    children = [bias] * (2 * len(weights) + 1)
    children[0:-1:2] = weights
    children[1:-1:2] = inputs
    return children


def _dot_of_values(weights: Sequence[Value], inputs: Sequence[Value], bias: Value) -> Value:
    """dot() for operands that are Values already (a neuron's): the same node, made
    without wrapping or re-reading each child, so a network's forward pass runs faster."""
    if _dot_op.forward is not _dot:  # the rule was replaced: the general path uses the new one
        node: Value = dot(weights, inputs, bias)
        return node
    total = bias.data
    for w, x in zip(weights, inputs):  # noqa: B905 - the caller checked the lengths
        total += w.data * x.data  # as _dot does: b + w1*x1 + w2*x2 + ...
    return _new_node(total, tuple(_interleave(weights, inputs, bias)), _dot_op)


# --- grad() and the order of the walk ---------------------------------------------------


def grad(output: Value, inputs: Iterable[Value], *, create_graph: bool = False) -> list[Any]:
    """d(output)/d(input) for each input, without touching any `.grad`.

    `inputs` is a list (or any iterable) of Values. With `create_graph=True`
    the results are Values built from the same rules, so they can be
    differentiated again.

    >>> x = Value(2.0)
    >>> y = x ** 3
    >>> grad(y, [x])
    [12.0]
    >>> (dy,) = grad(y, [x], create_graph=True)
    >>> grad(dy, [x])
    [12.0]
    """
    if not isinstance(output, Value):
        raise TypeError(f"output must be a Value, got {type(output).__name__}: {output!r}")
    wanted = _check_inputs(inputs)
    grads: dict[Value, Any] = {output: Value(1.0) if create_graph else 1.0}
    for node in reversed(_interior_nodes(output)):  # parents before children
        upstream = grads[node]
        for child, local in zip(
            node._prev, _local_grads(node, as_values=create_graph), strict=True
        ):
            contribution = upstream * local  # the chain rule, as in backward()
            grads[child] = grads[child] + contribution if child in grads else contribution
    return [grads[x] if x in grads else Value(0.0) if create_graph else 0.0 for x in wanted]


def topological_order(root: Value) -> list[Value]:
    """Every Value below `root` once, children before parents, `root` last.

    >>> a = Value(1.0, label='a'); b = a * 2.0; c = b + a
    >>> [v.label or v._op for v in topological_order(c)]
    ['a', '', '*', '+']
    """
    order: list[Value] = []
    placed_leaves: set[Value] = set()
    for node in _interior_nodes(root):
        for child in node._prev:  # each leaf just before the first node that uses it
            if not child._prev and child not in placed_leaves:
                placed_leaves.add(child)
                order.append(child)
        order.append(node)
    return order or [root]


def _interior_nodes(root: Value) -> list[Value]:
    """The nodes below `root` that have children, children before parents: the
    nodes backward() visits (leaves only receive gradients, so they are left out).

    Depth-first search with a stack of (node, children_done) pairs instead of
    recursion, so a chain of a million ops works (recursion stops at ~1,000).
    """
    order: list[Value] = []
    visited: set[Value] = set()
    stack = [(root, False)] if root._prev else []
    while stack:
        node, children_done = stack.pop()
        if children_done:  # every child of node is in order already
            order.append(node)
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))  # comes back after its children
            for child in node._prev:
                if child._prev and child not in visited:
                    stack.append((child, False))
    return order


# --- Helpers: input checks, the power family, hand-built nodes, saving, error messages ---


def _as_float(data: object) -> float:
    """Check that `data` is a real number and return it as a float."""
    if type(data) is float:
        return data
    if isinstance(data, Value):
        raise TypeError(
            f"Value data must be a number, got a Value ({data!r}); "
            "use the Value itself, or its number with v.data"
        )
    if isinstance(data, bool) or not isinstance(data, numbers.Real):
        raise TypeError(
            f"Value data must be a real number (int, float or a numbers.Real such as a "
            f"numpy scalar), got {type(data).__name__}: {data!r}; "
            "convert it first, e.g. Value(float(x))"
        )
    return float(data)


def _is_real(x: object) -> bool:
    """A real number that is not a bool (int, float, numpy scalar, Fraction ...)."""
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _check_label(label: object) -> str:
    if not isinstance(label, str):
        raise TypeError(
            f"a Value's label must be a str, got {type(label).__name__}: {label!r}; "
            f"e.g. label='w1' (or label=str(...))"
        )
    return label


def _check_children(children: object) -> tuple[Value, ...]:
    if not isinstance(children, Iterable):
        raise TypeError(
            f"the children of a Value must be a tuple of Values, got {type(children).__name__}"
        )
    checked = tuple(children)
    for child in checked:
        if not isinstance(child, Value):
            raise TypeError(
                f"children of a Value must be Values, got {type(child).__name__}: {child!r}"
            )
    return checked


def _check_inputs(inputs: object) -> list[Value]:
    if isinstance(inputs, Value):
        raise TypeError("inputs must be a list of Values; for one input write grad(y, [x])")
    if not isinstance(inputs, Iterable):
        raise TypeError(f"inputs must be a list of Values, got {type(inputs).__name__}")
    wanted = list(inputs)
    for x in wanted:
        if not isinstance(x, Value):
            raise TypeError(f"inputs must be Values, got {type(x).__name__}: {x!r}")
    return wanted


def _initial_gradient(grad: float) -> float:
    """The gradient backward() starts from: d(output)/d(output), 1.0 by default."""
    if not _is_real(grad):
        raise TypeError(
            f"backward(grad) needs a real number to start from (1.0 by default), got "
            f"{type(grad).__name__}: {grad!r}"
        )
    return float(grad)


def _check_exponent(exponent: float) -> float:
    if not _is_real(exponent):
        raise TypeError(
            f"the exponent must be a number or a Value, got {type(exponent).__name__}: {exponent!r}"
        )
    return exponent  # kept as given: x ** 2 is '**2', x ** 2.0 is '**2.0'


def _step(x: Operand) -> float:
    """relu's derivative: 1 for x > 0, else 0 (x a Value or a number)."""
    return 1.0 if (x.data if isinstance(x, Value) else x) > 0.0 else 0.0


def _sign(x: Operand) -> float:
    value = _number(x)
    return 1.0 if value > 0.0 else -1.0 if value < 0.0 else 0.0


def _number(x: Operand) -> float:
    """The number inside x, whether x is a Value or already a number."""
    return x.data if isinstance(x, Value) else x


@lru_cache(maxsize=256, typed=True)
def _power_k_op(k: float) -> Op:
    """The op of `x ** k` for this number k, named as micrograd does ('**2').

    Its forward and derivative take x only; they use the '**k' rule of the
    table at call time, so `define_op('**k', ..., replace=True)` reaches them.
    """
    family = _OPS["**k"]
    return Op(
        f"**{k}",
        lambda x: family.forward(x, k),
        lambda out, x: family.derivative(out, x, k),
    )


def _op_named(name: str) -> Op:
    """The op of a node built by hand, `Value(data, (a, b), '*')`: the table's op of
    that name, the power op of a name such as '**2', or else an op that looks its
    rule up when backward() needs it (it may be defined later)."""
    if not isinstance(name, str):
        raise TypeError(f"_op must be a str naming the op, got {type(name).__name__}: {name!r}")
    if name in _OPS:
        return _OPS[name]
    if name.startswith("**"):
        for number_type in (int, float):
            try:
                return _power_k_op(number_type(name[2:]))
            except ValueError:
                continue
    return Op(name, _no_forward, partial(_rule_defined_later, name))


def _rule_defined_later(name: str, out: Any, *inputs: Any) -> tuple[Any, ...]:
    """The rule of an op that a node built by hand names: the table's, once defined."""
    operation = _OPS.get(name)
    if operation is None:
        raise ValueError(
            f"no derivative rule is defined for op {name!r}, so backward() cannot pass "
            f"gradients through this node; define one with define_op({name!r}, forward, "
            "derivative), give the node a lecture-style _backward closure, or build the node "
            "with an op that has a rule"
        )
    return operation.derivative(out, *inputs)


def _no_forward(*inputs: float) -> float:
    raise ValueError("this op was only named by a node built by hand; it has no forward function")


_LEAF = Op("", _no_forward, lambda out: ())
"""The 'op' of a leaf: no inputs, so no local derivatives."""


class _ClosureOp(Op):
    """The op of a node built the lecture's way, whose own `_backward` closure adds
    into its children's grads; it has no rule in the table for grad() to use."""

    __slots__ = ("closure",)

    def __init__(self, name: str, closure: Callable[[], None]) -> None:
        super().__init__(name, _no_forward, partial(_closure_has_no_rule, name))
        self.closure = closure


def _closure_has_no_rule(name: str, out: Any, *inputs: Any) -> NoReturn:
    raise ValueError(
        f"the node's op {name!r} is a hand-written _backward closure, which only backward() "
        "and _backward() run; grad() (and compiled graphs) need a rule in the table: "
        f"define_op({name!r}, forward, derivative)"
    )


def _closure_op(node: Value, closure: object) -> _ClosureOp:
    """Check that a lecture-style closure may go on this node, and wrap it as its op."""
    if not callable(closure):
        raise TypeError(
            f"_backward must be a function of no arguments, got {type(closure).__name__}"
        )
    if not node._prev:
        raise ValueError(
            f"{_describe(node)} is a leaf: it has no children to pass gradients to, so a "
            "_backward closure on it would never run; build the node with its children, "
            "e.g. Value(x, (a,), 'sin')"
        )
    name = node._op
    if node._operation.forward is not _no_forward or name in _OPS:  # the op has a rule
        raise ValueError(
            f"op {name!r} already has a derivative rule in the table, which backward() uses "
            "for this node; a _backward closure would be a second copy of that rule. Drop "
            "the closure, or give your op a name of its own (e.g. 'my_"
            + name.strip("*")
            + "') to use the closure"
        )
    return _ClosureOp(name, closure)


def _attributes(node: Value) -> dict[str, Any]:
    """A learner's own attributes on a Value (`p.m = 0.0`), as a dict (the label apart)."""
    return {name: value for name, value in node.__dict__.items() if name != "_label"}


def _leaf_from_pickle(data: float, grad: float, label: str, attributes: dict[str, Any]) -> Value:
    leaf = Value(data, label=label)
    leaf.grad = grad
    leaf.__dict__.update(attributes)
    return leaf


def _graph_records(root: Value) -> list[Any]:
    """The graph below `root` flat, children first, for pickle (which recurses on
    nesting): leaves as themselves (so a model's parameters stay the same objects),
    interior nodes as (op name, child positions, data, grad, label, attributes)."""
    order = topological_order(root)
    position = {node: index for index, node in enumerate(order)}
    records: list[Any] = []
    for node in order:
        if not node._prev:
            records.append(node)
            continue
        if isinstance(node._operation, _ClosureOp):
            raise TypeError(
                f"cannot save {_describe(node)}: its _backward is a closure, which pickle "
                f"cannot store; define the op with define_op({node._op!r}, forward, "
                "derivative) and build the node with it"
            )
        children = tuple(position[child] for child in node._prev)
        records.append((node._op, children, node.data, node.grad, node._label, _attributes(node)))
    return records


def _graph_from_pickle(records: list[Any]) -> Value:
    nodes: list[Value] = []
    for record in records:
        if isinstance(record, Value):
            nodes.append(record)
            continue
        name, children, data, grad, label, attributes = record
        node = Value(data, tuple(nodes[i] for i in children), name, label)
        node.grad = grad
        node.__dict__.update(attributes)
        nodes.append(node)
    return nodes[-1]


def _deep_copy(root: Value, memo: dict[int, Any]) -> Value:
    """copy.deepcopy of the graph below root, node by node in topological order (no
    recursion); nodes already copied (in `memo`) are shared, as deepcopy does."""
    for node in topological_order(root):
        if id(node) in memo:
            continue
        if isinstance(node._operation, _ClosureOp):
            raise TypeError(
                f"cannot deep-copy {_describe(node)}: its _backward closure adds into the "
                "original children's grads; define the op with define_op instead"
            )
        children = tuple(memo[id(child)] for child in node._prev)
        copied = _new_node(node.data, children, node._operation)
        copied.grad = node.grad
        memo[id(node)] = copied
        if node.__dict__:
            copied.__dict__.update(copy.deepcopy(node.__dict__, memo))
    return memo[id(root)]  # type: ignore[no-any-return]


def _describe(x: object) -> str:
    """How a Value or number appears in an error message: its op, label and number.

    An unlabelled `+ - * /` node reads as the expression that made it, one level deep,
    so `log(1 - p)` at p = 1 says `log(1.0 - sigmoid(…) = 0.0)`, not just "a - node".
    """
    if not isinstance(x, Value):
        return repr(x)
    if not x.label and x._op in _INFIX and len(x._prev) == 2:
        left, right = (_name_of(child) for child in x._prev)
        return f"{left} {x._op} {right} = {x.data!r}"
    op = f"{x._op} node " if x._op else ""
    return f"{op}{x.label}={x.data!r}" if x.label else f"{op}{x.data!r}"


_INFIX = frozenset({"+", "-", "*", "/"})


def _name_of(x: Value) -> str:
    """A child in an expression: its label, its number if it is a leaf, else its op."""
    if x.label:
        return x.label
    return repr(x.data) if not x._prev else f"{x._op}(…)"


_NOT_A_NUMBER = (
    "a Value is not a number: {what} would cut it out of the graph (no gradient flows "
    "through a plain float). Use v.data for its number; for functions use the Value's "
    "methods, which keep the graph: v.exp() for math.exp(v), v.log() for math.log(v), "
    "v.tanh() for math.tanh(v), v.sqrt() for math.sqrt(v)"
)

_DOMAIN_ERRORS: dict[Callable[..., Any], str] = {
    operator.truediv: "division by zero; the divisor must not be 0",
    math.log: "log is defined only for inputs > 0; check what feeds this log",
    math.sqrt: "sqrt is defined only for inputs >= 0",
    math.exp: (
        "exp overflows a float for inputs above ~709.78; for probabilities use "
        "x.sigmoid(), for log(1 + exp(x)) use x.softplus(), and for a loss on logits "
        "use losses.binary_cross_entropy_with_logits: they never overflow"
    ),
}
"""What a built-in forward's bare error ("math domain error") means, by forward function."""


def _rule_failed(node: Value, error: Exception) -> Exception:
    """The error of a derivative rule, saying which node it was differentiating."""
    where = f"while differentiating {_describe(node)}"
    if isinstance(error, TypeError) and not _rule_accepts(node):
        return TypeError(
            f"{where}: the rule of {node._op!r} cannot take this node's {len(node._prev)} "
            f"input(s): {error}; check the node's children, or that the rule is written as "
            "derivative(out, *inputs)"
        )
    hint = " (the derivative is infinite here)" if isinstance(error, ZeroDivisionError) else ""
    return type(error)(f"{where}: {error}{hint}")


def _rule_accepts(node: Value) -> bool:
    """Whether the node's rule can be called with (out, *children) at all."""
    try:
        inspect.signature(node._operation.derivative).bind(node.data, *node._prev)
    except TypeError:
        return False
    except ValueError:  # a builtin without a signature: assume it can
        return True
    return True


def _wrong_number_of_grads(node: Value, local_grads: object) -> ValueError:
    return ValueError(
        f"while differentiating {_describe(node)}: the derivative rule of {node._op!r} "
        f"returned {local_grads!r}; it must return a tuple with one local derivative per "
        f"input ({len(node._prev)})"
    )


def _not_real_grads(node: Value, local_grads: tuple[Any, ...]) -> TypeError:
    return TypeError(
        f"while differentiating {_describe(node)}: the derivative rule of {node._op!r} "
        f"returned {local_grads!r}; each local derivative must be a real number (a float), "
        "not a complex number, a Value or None"
    )
