"""The autograd engine: Value, the derivative-rule table, backward() and grad(); stdlib only.

A `Value` wraps one float and remembers how it was computed: its children
(`_prev`) and the operation that combined them (`_op`). Every operation is
an `Op` made by `define_op`, which pairs a forward function on floats with a
derivative rule. All built-in rules sit in one table below, one line each;
`backward()` and `grad()` read them from there and never need to know which
operation made a node.

>>> a, b = Value(2.0, label='a'), Value(-3.0, label='b')
>>> L = (a * b + 10.0) * -2.0
>>> L.backward()
>>> L.data, a.grad, b.grad
(-8.0, 6.0, -4.0)
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Union

__all__ = ["OPS", "Op", "Value", "define_op", "dot", "grad", "topological_order"]

# A rule's inputs are floats on the fast path and Values when building a
# differentiable gradient graph, so rules are typed loosely on purpose.
Forward = Callable[..., float]
Derivative = Callable[..., tuple[Any, ...]]
Operand = Union["Value", float, int]


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


class Op:
    """One operation: a forward function on floats and its derivative rule.

    Calling an Op with only numbers returns a plain float; with at least one
    Value it returns a new Value node whose children are the inputs (numbers
    become leaf Values). Make Ops with `define_op`, not directly.
    """

    __slots__ = ("derivative", "forward", "name")

    def __init__(self, name: str, forward: Forward, derivative: Derivative) -> None:
        self.name = name
        self.forward = forward
        self.derivative = derivative

    def __repr__(self) -> str:
        return f"Op({self.name!r})"

    def __call__(self, *inputs: Operand) -> Any:
        if not any(isinstance(x, Value) for x in inputs):
            numbers = [_as_float(x) for x in inputs]
            try:
                return self.forward(*numbers)
            except (ValueError, ArithmeticError) as error:
                raise self._explain(error, inputs) from None
        children = tuple([x if isinstance(x, Value) else Value(x) for x in inputs])
        try:
            data = self.forward(*[child.data for child in children])
        except (ValueError, ArithmeticError) as error:
            raise self._explain(error, children) from None
        if type(data) is not float:  # a learner's forward may return an int, or a complex
            data = self._check_result(data, children)
        return _new_node(data, children, self)

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
        return type(error)(f"{self.name}({shown}): {error}")


def _describe(x: object) -> str:
    """How a Value or number appears in an error message: its op, label and number."""
    if not isinstance(x, Value):
        return repr(x)
    op = f"{x._op} node " if x._op else ""
    return f"{op}{x.label}={x.data!r}" if x.label else f"{op}{x.data!r}"


def _new_node(data: float, children: tuple[Value, ...], op: Op) -> Value:
    """Make an interior node without re-checking what the op already checked."""
    node = _allocate(Value)
    node.data = data
    node.grad = 0.0
    node.label = ""
    node._prev = children
    node._rule = op
    return node


def _apply_unary(op: Op, x: Value) -> Value:
    """op(x) for a Value x: the hot path of every method such as v.tanh()."""
    try:
        data = op.forward(x.data)
    except (ValueError, ArithmeticError) as error:
        raise op._explain(error, (x,)) from None
    return _new_node(data, (x,), op)


def _apply_binary(op: Op, a: Value, b: Value) -> Value:
    """op(a, b) for Values a and b: the hot path of every operator such as a * b."""
    try:
        data = op.forward(a.data, b.data)
    except (ValueError, ArithmeticError) as error:
        raise op._explain(error, (a, b)) from None
    return _new_node(data, (a, b), op)


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


# --- Forward functions that need a check before the float math ---------------
# Each raises a clear error instead of Python's bare "math domain error".


def _divide(a: float, b: float) -> float:
    if b == 0:
        raise ZeroDivisionError("division by zero; the divisor must not be 0")
    return a / b


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:  # above log(largest float) ~ 709.78
        raise OverflowError(
            "exp overflows a float for inputs above ~709.78; for probabilities use "
            "x.sigmoid(), for log(1 + exp(x)) use x.softplus(), and for a loss on logits "
            "use losses.binary_cross_entropy_with_logits: they never overflow"
        ) from None


def _log(x: float) -> float:
    if x <= 0:
        raise ValueError("log is defined only for inputs > 0; check what feeds this log")
    return math.log(x)


def _sqrt(x: float) -> float:
    if x < 0:
        raise ValueError("sqrt is defined only for inputs >= 0")
    return math.sqrt(x)


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
    """x ** k for a number exponent k."""
    if x == 0 and k < 0:
        raise ZeroDivisionError(f"0 cannot be raised to the negative power {k!r}")
    if x < 0 and not float(k).is_integer():
        raise ValueError(
            f"a negative base needs an integer exponent (the result would be complex), got {k!r}"
        )
    try:
        return float(x**k)
    except OverflowError:
        raise OverflowError("the result is too large for a float") from None


def _power_value(x: float, w: float) -> float:
    """x ** w for a Value exponent w: defined (and differentiable in w) for x > 0."""
    if x <= 0:
        raise ValueError(
            "a Value exponent needs a base > 0 (d/dw x**w = x**w * log(x)); "
            "for a fixed exponent use a number, e.g. x ** 2"
        )
    return _power(x, w)


def _number(x: Operand) -> float:
    """The number inside x, whether x is a Value or already a number."""
    return x.data if isinstance(x, Value) else float(x)


def _sign(x: Operand) -> float:
    value = _number(x)
    return 1.0 if value > 0 else -1.0 if value < 0 else 0.0


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


def _power_rule(out: Any, x: Any, k: float) -> tuple[Any, ...]:
    """d/dx x**k = k * x**(k - 1), and 0 for k == 0 (x**0 is the constant 1)."""
    return (k * x ** (k - 1),) if k != 0 else (0.0,)


# --- The rule table ------------------------------------------------------------
# name, forward on floats, derivative(out, *inputs) -> one local derivative per input.
# relu' and abs' at 0 are taken as 0 (a subgradient, as PyTorch does).

add = define_op("+", lambda a, b: a + b, lambda out, a, b: (1.0, 1.0))
sub = define_op("-", lambda a, b: a - b, lambda out, a, b: (1.0, -1.0))
mul = define_op("*", lambda a, b: a * b, lambda out, a, b: (b, a))
div = define_op("/", _divide, lambda out, a, b: (1 / b, -a / (b * b)))
neg = define_op("neg", lambda x: -x, lambda out, x: (-1.0,))
exp = define_op("exp", _exp, lambda out, x: (out,))
log = define_op("log", _log, lambda out, x: (1 / x,))
tanh = define_op("tanh", math.tanh, lambda out, x: (1 - out * out,))
sigmoid = define_op("sigmoid", _sigmoid, lambda out, x: (out * (1 - out),))
relu = define_op("relu", lambda x: max(x, 0.0), lambda out, x: (1.0 if _number(x) > 0 else 0.0,))
softplus = define_op("softplus", _softplus, lambda out, x: (sigmoid(x),))
sqrt = define_op("sqrt", _sqrt, lambda out, x: (0.5 / out,))
absolute = define_op("abs", abs, lambda out, x: (_sign(x),))
power = define_op("**", _power_value, lambda out, x, w: (w * x ** (w - 1), out * log(x)))
power_by_number = define_op("**k", _power, _power_rule)
"""`x ** k` for a number k; its nodes are named '**2', '**0.5', ... and keep k on the op."""
_dot_op = define_op("dot", _dot, _dot_rule)


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
    children = [bias] * (2 * len(weights) + 1)  # w1, x1, w2, x2, ..., bias
    children[0:-1:2] = weights
    children[1:-1:2] = inputs
    return _dot_op(*children)


@lru_cache(maxsize=256, typed=True)
def _power_op(k: float) -> Op:
    """The op for `x ** k` with this fixed k, named as micrograd does ('**2').

    It looks up the '**k' rule at call time, so `define_op('**k', ..., replace=True)`
    reaches it too.
    """
    family = _OPS["**k"]
    return Op(
        f"**{k}",
        lambda x: family.forward(x, k),
        lambda out, x: family.derivative(out, x, k),
    )


class Value:
    """A scalar that remembers how it was computed, so its derivatives can flow back.

    `Value(data, _children=(), _op='', label='')` as in micrograd. `grad` holds
    d(output)/d(this value) after `output.backward()`.

    >>> x = Value(3.0, label='x')
    >>> y = x * x + 1
    >>> y.backward()
    >>> y, x.grad
    (Value(data=10.0, grad=1.0), 6.0)
    """

    __slots__ = ("_prev", "_rule", "data", "grad", "label")

    def __init__(
        self,
        data: float,
        _children: Iterable[Value] = (),
        _op: str = "",
        label: str = "",
    ) -> None:
        self.data = data if type(data) is float else _as_float(data)
        self.grad = 0.0
        self.label = label
        self._prev: tuple[Value, ...] = ()
        self._rule = _LEAF
        if _children or _op:
            self._build_by_hand(tuple(_children), _op)

    def _build_by_hand(self, children: tuple[Value, ...], op_name: str) -> None:
        """A node made as in the lecture, `Value(a.data * b.data, (a, b), '*')`."""
        for child in children:
            if not isinstance(child, Value):
                raise TypeError(
                    f"children of a Value must be Values, got {type(child).__name__}: {child!r}"
                )
        self._prev = children
        # It uses the rule of the op it names, looked up when backward() needs it.
        self._rule = (
            _OPS.get(op_name)
            or _power_op_named(op_name)
            or Op(op_name, _no_forward, _rule_named(op_name))
        )

    @property
    def _op(self) -> str:
        """The name of the op that made this node ('' for a leaf)."""
        return self._rule.name

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    def __float__(self) -> float:
        return self.data

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
        return _apply_unary(_power_op(_check_exponent(exponent)), self)

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
    def _backward(self) -> None:
        """One chain-rule step for this node only: child.grad += self.grad * local derivative."""
        if not self._prev:
            return
        for child, local in zip(self._prev, _local_grads(self, on_values=False), strict=True):
            child.grad += self.grad * local

    def backward(self, grad: float = 1.0) -> None:
        """Fill `.grad` of every Value below this one with d(self)/d(that value).

        Leaves accumulate across calls (zero them between steps); interior
        nodes hold the result of this pass only.
        """
        order = _interior_order(self)  # the nodes with children; leaves only receive
        for node in order:
            node.grad = 0.0  # an interior node's grad is this pass's result only
        self.grad += _seed(grad)
        node = self
        try:
            for node in reversed(order):  # parents before children
                children = node._prev
                upstream = node.grad
                # The chain rule: child.grad += upstream * d(node)/d(child).
                # One- and two-input nodes, nearly all of them, are unrolled for speed.
                if len(children) == 2:
                    a, b = children
                    da, db = node._rule.derivative(node.data, a.data, b.data)
                    a.grad += upstream * da
                    b.grad += upstream * db
                elif len(children) == 1:
                    (x,) = children
                    (dx,) = node._rule.derivative(node.data, x.data)
                    x.grad += upstream * dx
                else:
                    numbers = [child.data for child in children]
                    local_grads = node._rule.derivative(node.data, *numbers)
                    for child, local in zip(children, local_grads, strict=True):
                        child.grad += upstream * local
        except (ValueError, TypeError, ArithmeticError) as error:
            _local_grads(node, on_values=False)  # raises the clear error, if the rule is at fault
            raise type(error)(f"while differentiating {_describe(node)}: {error}") from None


def _no_forward(*inputs: float) -> float:
    raise ValueError("this op was only named by a node built by hand; it has no forward function")


_LEAF = Op("", _no_forward, lambda out: ())
"""The 'op' of a leaf: no inputs, so no local derivatives."""


def _power_op_named(name: str) -> Op | None:
    """The op of a name such as '**2' or '**0.5', as the lecture's __pow__ writes it."""
    if not name.startswith("**"):
        return None
    exponent = name[2:]
    for number_type in (int, float):
        try:
            return _power_op(number_type(exponent))
        except ValueError:
            continue
    return None


def _rule_named(name: str) -> Derivative:
    """The rule of an op that a node built by hand names but that was not defined
    when the node was made: use it if it has been defined since, else fail clearly."""

    def derivative(out: Any, *inputs: Any) -> tuple[Any, ...]:
        op = _OPS.get(name)
        if op is None:
            raise ValueError(
                f"no derivative rule is defined for op {name!r}, so backward() cannot pass "
                f"gradients through this node; define one with define_op({name!r}, forward, "
                "derivative), or build the node with an op that has a rule"
            )
        return op.derivative(out, *inputs)

    return derivative


def _seed(grad: object) -> float:
    """The gradient backward() starts from: d(output)/d(output), 1.0 by default."""
    if isinstance(grad, bool) or not isinstance(grad, numbers.Real):
        raise TypeError(
            f"backward(grad) needs a real number to start from (1.0 by default), got "
            f"{type(grad).__name__}: {grad!r}"
        )
    return float(grad)


def _check_exponent(exponent: object) -> float:
    if isinstance(exponent, bool) or not isinstance(exponent, numbers.Real):
        raise TypeError(
            f"the exponent must be a number or a Value, got {type(exponent).__name__}: "
            f"{exponent!r}"
        )
    return exponent  # type: ignore[return-value]


def _local_grads(node: Value, *, on_values: bool) -> tuple[Any, ...]:
    """Ask the node's rule for d(node)/d(each child), as floats or as Values."""
    rule = node._rule
    out: Any = node if on_values else node.data
    inputs: list[Any] = list(node._prev) if on_values else [child.data for child in node._prev]
    try:
        local_grads = rule.derivative(out, *inputs)
    except (ValueError, ArithmeticError) as error:
        hint = " (the derivative is infinite here)" if isinstance(error, ZeroDivisionError) else ""
        raise type(error)(f"while differentiating {_describe(node)}: {error}{hint}") from None
    except TypeError as error:  # e.g. a node built by hand with the wrong number of children
        raise TypeError(
            f"while differentiating {_describe(node)}: the rule of {rule.name!r} cannot take "
            f"this node's {len(inputs)} input(s): {error}; check the node's children, or "
            "that the rule is written as derivative(out, *inputs)"
        ) from None
    if not isinstance(local_grads, tuple) or len(local_grads) != len(inputs):
        raise ValueError(
            f"the derivative rule of {rule.name!r} returned {local_grads!r}; it must return "
            f"a tuple with one local derivative per input ({len(inputs)})"
        )
    return local_grads


def topological_order(root: Value) -> list[Value]:
    """Every Value below `root` once, children before parents, `root` last.

    >>> a = Value(1.0, label='a'); b = a * 2.0; c = b + a
    >>> [v.label or v._op for v in topological_order(c)]
    ['a', '', '*', '+']
    """
    order: list[Value] = []
    placed_leaves: set[Value] = set()
    for node in _interior_order(root):
        for child in node._prev:  # each leaf just before the first node that uses it
            if not child._prev and child not in placed_leaves:
                placed_leaves.add(child)
                order.append(child)
        order.append(node)
    return order or [root]


def _interior_order(root: Value) -> list[Value]:
    """The nodes below `root` that have children, children before parents: the
    nodes that backward() visits (leaves only receive gradients).

    Depth-first search with an explicit stack instead of recursion, so a chain
    of a million ops works (a recursive one stops at ~1,000 levels).
    """
    order: list[Value] = []
    visited: set[Value] = set()
    stack: list[Value | None] = [root] if root._prev else []
    while stack:
        node = stack.pop()
        if node is None:  # marker: every child of the node below it is now in order
            order.append(stack.pop())  # type: ignore[arg-type]
        elif node not in visited:
            visited.add(node)
            stack.append(node)
            stack.append(None)
            for child in node._prev:
                if child._prev:
                    stack.append(child)
    return order


def grad(output: Value, inputs: Sequence[Value], *, create_graph: bool = False) -> list[Any]:
    """d(output)/d(input) for each input, without touching any `.grad`.

    With `create_graph=True` the results are Values built from the same rules,
    so they can be differentiated again.

    >>> x = Value(2.0)
    >>> y = x ** 3
    >>> grad(y, [x])
    [12.0]
    >>> (dy,) = grad(y, [x], create_graph=True)
    >>> grad(dy, [x])
    [12.0]
    """
    if not isinstance(output, Value):
        raise TypeError(f"output must be a Value, got {type(output).__name__}")
    for x in inputs:
        if not isinstance(x, Value):
            raise TypeError(f"inputs must be Values, got {type(x).__name__}: {x!r}")
    grads: dict[Value, Any] = {output: Value(1.0) if create_graph else 1.0}
    for node in reversed(_interior_order(output)):
        upstream = grads[node]
        local_grads = _local_grads(node, on_values=create_graph)
        for child, local in zip(node._prev, local_grads, strict=True):
            contribution = upstream * local
            grads[child] = grads[child] + contribution if child in grads else contribution
    return [grads[x] if x in grads else Value(0.0) if create_graph else 0.0 for x in inputs]
