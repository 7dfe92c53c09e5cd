"""The same network in PyTorch, checked number by number; uses lower modules and torch.

It imports engine, nn, losses, optim, data, messages and tables, and torch (the
optional extra 'torch'); nothing of the package imports it.


`to_torch(model)` turns an `MLP`, `Layer` or `Neuron` into float64 `torch.nn.Linear`
layers with the same weights, biases and activations. `compare_with_torch(model, X,
y, loss=...)` computes one loss, its gradient and one SGD step in both, and says
whether they agree to within float64 rounding:

>>> from tinygrad_edu.nn import MLP
>>> model = MLP(2, [4, 1], seed=0)
>>> to_torch(model)
Sequential(
  (0): Linear(in_features=2, out_features=4, bias=True)
  (1): Tanh()
  (2): Linear(in_features=4, out_features=1, bias=True)
)
>>> report = compare_with_torch(model, [(1.0, 2.0), (-0.5, 0.3)], [1, 0], loss="mse")
>>> report.passed, len(report.rows)
(True, 17)

The losses, for a model with one output z per example and labels y in {0, 1}
(soft targets in [0, 1] for the first three):

- 'mse': the lesson's, on the probability: ``mse(sigmoid(z), y)`` and
  ``F.mse_loss(torch.sigmoid(z), y)``;
- 'binary_cross_entropy': on the probability, with both libraries' clamp of each
  log at -100: ``binary_cross_entropy(sigmoid(z), y)`` and
  ``F.binary_cross_entropy(torch.sigmoid(z), y)``;
  They differ, and the report says so, where p(1 - p) < 1e-12 (|z| above about
  27.6): PyTorch's backward of BCELoss divides by max(p (1 - p), 1e-12), so its
  gradient shrinks towards 0 there (at z = -50, y = 1 it gives -1.9e-10 where
  the derivative of -log sigmoid(z) is -1, which ours keeps); and where our
  clamp is active ours passes no gradient at all. The logits form has neither;
- 'binary_cross_entropy_with_logits': ``F.binary_cross_entropy_with_logits(z, y)``;
- 'cross_entropy': two classes, the logits ``[0, z]`` (class 0's logit fixed at 0,
  class 1's is z, so softmax gives class 1 the probability sigmoid(z) and the loss
  equals the binary one) and ``F.cross_entropy`` on the same two columns; a model
  with K > 1 outputs gives its K logits and y holds class indices 0..K-1;
- 'hinge': the labels mapped to -1/+1 by ``2*y - 1``, ``mean(relu(1 - t*z))`` in both.

The bound. Rounding makes the two programs differ: they add in different orders
(torch's matrix products), use different exp/log/tanh code and, for the losses, other
formulas of the same function. For each compared number q (the loss, each gradient,
each stepped weight) the report accepts ``|ours - torch| <= bound`` with

    bound = 2 * u * sum over the nodes v of q's graph of  c_v * |dq/dv| * m_v

the first-order running error bound of the computation (Linnainmaa 1976; Higham,
"Accuracy and Stability of Numerical Algorithms", 2nd ed., section 3.3): every node's
result carries a relative error of at most c_v * u, u = 2**-53, and that error reaches
q multiplied by dq/dv. m_v = |v.data| except for a 'dot' node (w.x + b), whose error in
any order of summation is at most (number of terms) * u * (sum of |w_i x_i| and |b|),
so there m_v is that sum and c_v the number of terms. c_v is 0 for neg, relu and abs
(exact), 1 for + - * / and **k (correctly rounded in IEEE 754), and 8 for exp, log,
tanh, sigmoid and softplus: at most 2 ulps (4u) for the library function (glibc's and
SLEEF's, which torch uses on the CPU, are documented within 1 to 2 ulps) plus at most
4 roundings of the formula around it. The gradients' graphs come from
`grad(..., create_graph=True)`, so the rounding of the backward pass and its
dependence on the forward values are counted too. The factor 2: the bound is computed
for our evaluation, and torch's, made of the same operations, is taken to be bounded
alike; the difference of two numbers each within B of the exact one is within 2B.
Second-order terms (u**2) are left out. The bound follows the conditioning: where a
loss subtracts nearly equal numbers (sigmoid(z) - y near 0), |dq/dv| * m_v grows and
so does the bound, as the rounding does. A relu whose input rounds to opposite sides
of 0 in the two programs would take different branches; that shows as a failure.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

try:
    import torch
except ImportError as error:  # the optional extra 'torch'
    raise ImportError(
        "tinygrad_edu.bridge needs PyTorch, which is the optional extra 'torch'; install it "
        "with: pip install 'tinygrad_edu[torch]' (torch==2.13.0, the CPU build)"
    ) from error

from tinygrad_edu import data, losses
from tinygrad_edu.engine import Value, grad, topological_order
from tinygrad_edu.messages import choose_language, text
from tinygrad_edu.nn import MLP, Layer, Module, Neuron
from tinygrad_edu.optim import SGD
from tinygrad_edu.tables import html_table

__all__ = [
    "LOSSES",
    "ParameterRow",
    "TorchComparison",
    "compare_all_losses",
    "compare_with_torch",
    "demo_comparisons",
    "rounding_bound",
    "to_torch",
]

LOSSES = (
    "mse",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "hinge",
)
"""The losses compare_with_torch runs in both libraries (see the module's docstring)."""

UNIT_ROUNDOFF = 2.0**-53
"""u: the largest relative error of rounding one exact result to a float64."""

_ROUNDINGS = {"neg": 0, "relu": 0, "abs": 0, "+": 1, "-": 1, "*": 1, "/": 1, "sqrt": 1}
_ROUNDINGS_OF_A_FUNCTION = 8
"""c_v for exp, log, tanh, sigmoid, softplus (and any other op): 2 ulps + 4 roundings."""

_TORCH_ACTIVATIONS: dict[str, Callable[[], torch.nn.Module]] = {
    "tanh": torch.nn.Tanh,
    "relu": torch.nn.ReLU,
    "sigmoid": torch.nn.Sigmoid,
}
"""Our activations as torch modules; 'linear' adds none."""

Points = Sequence[Sequence[float]]


# --- the model ------------------------------------------------------------------------


def _layers_of(model: object) -> list[Layer] | list[Neuron]:
    """The model's layers in order (a Neuron counts as a layer of one), or a clear error."""
    if isinstance(model, MLP):
        return list(model.layers)
    if isinstance(model, Layer):
        return [model]
    if isinstance(model, Neuron):
        return [model]
    raise TypeError(
        f"to_torch: expected an MLP, Layer or Neuron of tinygrad_edu.nn, got "
        f"{type(model).__name__}; a Module of your own has no layer structure to copy: "
        "build it from nn.Layer or nn.MLP"
    )


def _neurons(layer: Layer | Neuron) -> list[Neuron]:
    return list(layer.neurons) if isinstance(layer, Layer) else [layer]


def to_torch(model: Module) -> torch.nn.Sequential:
    """The same network as float64 torch layers: one `nn.Linear` per layer, then its activation.

    Neuron j of layer l becomes row j of the l-th Linear's weight (and entry j of
    its bias): our `layers.l.neurons.j.w.i` is the torch weight[j, i]. An MLP's
    last layer is linear in both; a Layer or Neuron keeps its own activation.
    The torch model owns copies of the numbers: training one does not move the
    other.

    >>> from tinygrad_edu.nn import Layer
    >>> layer = Layer(3, 2, activation="relu", seed=1)
    >>> twin = to_torch(layer)
    >>> twin[0].weight[1, 2].item() == layer.neurons[1].w[2].data, twin[0].weight.dtype
    (True, torch.float64)
    """
    modules: list[torch.nn.Module] = []
    for layer in _layers_of(model):
        neurons = _neurons(layer)
        linear = torch.nn.Linear(len(neurons[0].w), len(neurons), dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(
                torch.tensor([[w.data for w in n.w] for n in neurons], dtype=torch.float64)
            )
            linear.bias.copy_(torch.tensor([n.b.data for n in neurons], dtype=torch.float64))
        modules.append(linear)
        if layer.activation != "linear":
            modules.append(_TORCH_ACTIVATIONS[layer.activation]())
    return torch.nn.Sequential(*modules)


def _torch_names(model: Module) -> list[str]:
    """The torch entry matching each of our parameters, in named_parameters() order."""
    names = []
    index = 0
    for layer in _layers_of(model):
        for row, neuron in enumerate(_neurons(layer)):
            names += [f"{index}.weight[{row}, {column}]" for column in range(len(neuron.w))]
            names.append(f"{index}.bias[{row}]")
        index += 1 if layer.activation == "linear" else 2
    return names


# --- the losses -----------------------------------------------------------------------


def _check_loss(loss: str, outputs: int) -> None:
    if loss not in LOSSES:
        raise ValueError(f"compare_with_torch: unknown loss {loss!r}; use one of {LOSSES}")
    if outputs > 1 and loss != "cross_entropy":
        raise ValueError(
            f"compare_with_torch: the model has {outputs} outputs, and with several outputs "
            "only loss='cross_entropy' is defined (y holds class indices); for the other "
            "losses use a model with one output, e.g. MLP(nin, [..., 1])"
        )


def _check_labels(loss: str, y: Sequence[float], outputs: int) -> None:
    classes = max(outputs, 2)
    if loss in ("cross_entropy", "hinge"):
        for index, label in enumerate(y):
            if label not in range(classes):
                raise ValueError(
                    f"compare_with_torch: y[{index}] is {label!r}, but loss={loss!r} needs "
                    f"class labels 0..{classes - 1}"
                )


def _our_loss(loss: str, outputs: list[Value] | list[list[Value]], y: Sequence[float]) -> Value:
    if loss == "cross_entropy":
        rows: list[list[Value | float]] = [
            list(row) if isinstance(row, list) else [0.0, row] for row in outputs
        ]
        return losses.cross_entropy(rows, [int(label) for label in y])
    logits = [z for z in outputs if isinstance(z, Value)]
    if loss == "mse":
        return losses.mse([z.sigmoid() for z in logits], y)
    if loss == "binary_cross_entropy":
        return losses.binary_cross_entropy([z.sigmoid() for z in logits], y)
    if loss == "binary_cross_entropy_with_logits":
        return losses.binary_cross_entropy_with_logits(logits, y)
    return losses.hinge(logits, [2 * label - 1 for label in y])


def _torch_loss(loss: str, z: torch.Tensor, y: Sequence[float]) -> torch.Tensor:
    """The same loss written the way a PyTorch user would; z has shape (n, outputs)."""
    functional = torch.nn.functional
    if loss == "cross_entropy":
        classes = torch.tensor([int(label) for label in y])
        logits = z if z.shape[1] > 1 else torch.cat([torch.zeros_like(z), z], dim=1)
        return functional.cross_entropy(logits, classes)
    logit = z[:, 0]
    target = torch.tensor([float(label) for label in y], dtype=torch.float64)
    if loss == "mse":
        return functional.mse_loss(torch.sigmoid(logit), target)
    if loss == "binary_cross_entropy":
        return functional.binary_cross_entropy(torch.sigmoid(logit), target)
    if loss == "binary_cross_entropy_with_logits":
        return functional.binary_cross_entropy_with_logits(logit, target)
    return torch.relu(1 - (2 * target - 1) * logit).mean()


# --- the bound ------------------------------------------------------------------------


def rounding_bound(q: Value) -> float:
    """2u times the first-order running error bound of q's graph (see the module docstring).

    >>> from tinygrad_edu import Value
    >>> x = Value(0.1)
    >>> rounding_bound(x * 3.0 + 1.0) == 2 * 2**-53 * (abs(0.1 * 3.0) + abs(0.1 * 3.0 + 1.0))
    True
    """
    nodes = [node for node in topological_order(q) if node._prev]
    total = 0.0
    for node, slope in zip(nodes, grad(q, nodes), strict=True):
        if node._op == "dot":
            inputs = [child.data for child in node._prev]
            terms = [abs(w * x) for w, x in zip(inputs[0:-1:2], inputs[1:-1:2], strict=True)]
            size = math.fsum(terms) + abs(inputs[-1])
            total += (len(terms) + 1) * abs(slope) * size
        else:
            roundings = _ROUNDINGS.get(node._op, _ROUNDINGS_OF_A_FUNCTION)
            if node._op.startswith("**"):
                roundings = 1
            total += roundings * abs(slope) * abs(node.data)
    return 2 * UNIT_ROUNDOFF * total


# --- the report -----------------------------------------------------------------------


@dataclass(frozen=True)
class ParameterRow:
    """One parameter in both libraries: its value, the loss's gradient and the value after one step.

    `ours`, `torch` and `abs_error` are the gradient's; `bound` is the rounding
    bound of that gradient and `passed` says ``abs_error <= bound``. The `step_`
    fields compare the value after one SGD step of rate `lr`.
    """

    name: str
    torch_name: str
    value: float
    ours: float
    torch: float
    abs_error: float
    bound: float
    step_ours: float
    step_torch: float
    step_error: float
    step_bound: float

    @property
    def passed(self) -> bool:
        """The gradient and the stepped value both agree within their bounds."""
        return self.abs_error <= self.bound and self.step_error <= self.step_bound


@dataclass(frozen=True)
class TorchComparison:
    """One loss, its gradient and one SGD step computed by tinygrad_edu and by PyTorch.

    `rows` has one `ParameterRow` per parameter (named by named_parameters());
    `loss_ours`, `loss_torch`, `loss_error` and `loss_bound` compare the loss.
    `passed` is True when every number agrees within its rounding bound.
    `str()` and `table(lang=...)` print it; a notebook shows `_repr_html_()`.
    """

    loss: str
    lr: float
    rows: tuple[ParameterRow, ...]
    loss_ours: float
    loss_torch: float
    loss_bound: float

    @property
    def loss_error(self) -> float:
        return abs(self.loss_ours - self.loss_torch)

    @property
    def passed(self) -> bool:
        return self.loss_error <= self.loss_bound and all(row.passed for row in self.rows)

    @property
    def worst_ratio(self) -> float:
        """The largest error / bound over every compared number (below 1 when it passed)."""
        ratios = [_ratio(self.loss_error, self.loss_bound)]
        for row in self.rows:
            ratios.append(_ratio(row.abs_error, row.bound))
            ratios.append(_ratio(row.step_error, row.step_bound))
        return max(ratios)

    def _header(self, lang: str) -> list[str]:
        return [
            text("bridge.parameter", lang),
            text("bridge.in_torch", lang),
            text("bridge.value", lang),
            text("bridge.grad_ours", lang),
            text("bridge.grad_torch", lang),
            text("bridge.abs_error", lang),
            text("bridge.bound", lang),
            text("bridge.step_error", lang),
        ]

    def _cells(self, row: ParameterRow) -> list[object]:
        return [
            row.name,
            row.torch_name,
            f"{row.value:.6g}",
            f"{row.ours:.17g}",
            f"{row.torch:.17g}",
            f"{row.abs_error:.2g}",
            f"{row.bound:.2g}",
            f"{row.step_error:.2g}",
        ]

    def summary(self, lang: str | None = None) -> str:
        """The loss in both, and the verdict, in `lang` (default: choose_language())."""
        lang = choose_language(lang)
        verdict = "bridge.agree" if self.passed else "bridge.disagree"
        return "\n".join(
            [
                text(
                    "bridge.loss_line",
                    lang,
                    loss=self.loss,
                    ours=f"{self.loss_ours:.17g}",
                    torch=f"{self.loss_torch:.17g}",
                    error=f"{self.loss_error:.2g}",
                    bound=f"{self.loss_bound:.2g}",
                ),
                text("bridge.step_line", lang, lr=f"{self.lr:g}"),
                text(verdict, lang, ratio=f"{self.worst_ratio:.2g}"),
            ]
        )

    def table(self, lang: str | None = None, *, max_rows: int | None = None) -> str:
        """The report as a text table, at most `max_rows` parameters (all by default)."""
        lang = choose_language(lang)
        header: list[str] = [*self._header(lang), ""]
        shown = self.rows if max_rows is None else self.rows[:max_rows]
        body: list[list[str]] = [
            [
                *map(str, self._cells(row)),
                text("bridge.ok" if row.passed else "bridge.failed", lang),
            ]
            for row in shown
        ]
        widths = [max(len(str(cells[i])) for cells in [header, *body]) for i in range(len(header))]
        lines = [
            "  ".join(
                str(cell).ljust(width) if i <= 1 else str(cell).rjust(width)
                for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
            ).rstrip()
            for cells in [header, *body]
        ]
        if len(shown) < len(self.rows):
            lines.append(text("bridge.more_rows", lang, shown=len(shown), total=len(self.rows)))
        return "\n".join([*lines, self.summary(lang)])

    def __str__(self) -> str:
        return self.table()

    def _repr_html_(self, lang: str | None = None) -> str:
        lang = choose_language(lang)
        words = (text("bridge.ok", lang), text("bridge.failed", lang))
        table = html_table(
            self._header(lang),
            [self._cells(row) for row in self.rows],
            statuses=[row.passed for row in self.rows],
            status_words=words,
            caption=text("bridge.caption", lang, loss=self.loss),
        )
        summary = html.escape(self.summary(lang)).replace("\n", "<br>\n")
        return f"{table}\n<p>{summary}</p>"


def _ratio(error: float, bound: float) -> float:
    if bound > 0:
        return error / bound
    return 0.0 if error == 0 else math.inf


# --- the comparison -------------------------------------------------------------------


def _outputs(model: Module, X: Points) -> list[Value] | list[list[Value]]:
    call: Callable[[Sequence[float]], Value | list[Value]] = model  # type: ignore[assignment]
    return [call(list(x)) for x in X]  # type: ignore[return-value]


def compare_with_torch(
    model: Module,
    X: Points,
    y: Sequence[float],
    loss: str = "binary_cross_entropy_with_logits",
    *,
    lr: float = 0.1,
) -> TorchComparison:
    """Compute `loss`, its gradient and one SGD step (rate `lr`) in tinygrad_edu and in PyTorch.

    `model` is an MLP, Layer or Neuron; `X` the inputs, `y` the labels (see the
    module docstring for each loss). Ours runs `backward()` and `optim.SGD`;
    the model's data and grads are put back as they were afterwards.

    >>> from tinygrad_edu.nn import MLP
    >>> report = compare_with_torch(MLP(2, [3, 1], seed=2), [(0.5, -1.0)], [1], "hinge")
    >>> report.passed, report.loss_ours == report.loss_torch
    (True, True)
    """
    twin = to_torch(model)
    n_outputs = len(_neurons(_layers_of(model)[-1]))
    _check_loss(loss, n_outputs)
    _check_labels(loss, y, n_outputs)
    parameters = model.parameters()

    saved = [(p.data, p.grad) for p in parameters]
    try:
        for p in parameters:
            p.grad = 0.0
        ours = _our_loss(loss, _outputs(model, X), y)
        gradients_as_values = grad(ours, parameters, create_graph=True)
        ours.backward()
        gradients = [p.grad for p in parameters]
        SGD(parameters, lr=lr).step()
        stepped = [p.data for p in parameters]
    finally:
        for p, (value, gradient) in zip(parameters, saved, strict=True):
            p.data, p.grad = value, gradient

    inputs = torch.tensor([list(x) for x in X], dtype=torch.float64)
    theirs = _torch_loss(loss, twin(inputs), y)
    twin.zero_grad()
    theirs.backward()  # type: ignore[no-untyped-call]  # torch leaves it unannotated
    torch_gradients = torch.cat([_flat_grad(m) for m in twin if isinstance(m, torch.nn.Linear)])
    torch.optim.SGD(twin.parameters(), lr=lr).step()
    torch_stepped = torch.cat([_flat_data(m) for m in twin if isinstance(m, torch.nn.Linear)])

    rows = []
    named = model.named_parameters()
    torch_names = _torch_names(model)
    for index, (name, p) in enumerate(named):
        bound = rounding_bound(gradients_as_values[index])
        step = stepped[index]
        rows.append(
            ParameterRow(
                name=name,
                torch_name=torch_names[index],
                value=p.data,
                ours=gradients[index],
                torch=torch_gradients[index].item(),
                abs_error=abs(gradients[index] - torch_gradients[index].item()),
                bound=bound,
                step_ours=step,
                step_torch=torch_stepped[index].item(),
                step_error=abs(step - torch_stepped[index].item()),
                step_bound=_step_bound(lr, bound, gradients[index], step),
            )
        )
    return TorchComparison(
        loss=loss,
        lr=lr,
        rows=tuple(rows),
        loss_ours=ours.data,
        loss_torch=theirs.item(),
        loss_bound=rounding_bound(ours),
    )


def _step_bound(lr: float, gradient_bound: float, gradient: float, stepped: float) -> float:
    """p - lr*g: lr times the gradient's bound, plus two roundings (product, difference)."""
    return lr * gradient_bound + 2 * UNIT_ROUNDOFF * (abs(lr * gradient) + abs(stepped))


def _flat_grad(linear: torch.nn.Linear) -> torch.Tensor:
    """A Linear's gradients in our order: each row's weights, then that row's bias."""
    weight, bias = linear.weight.grad, linear.bias.grad
    assert weight is not None and bias is not None
    return torch.cat([weight, bias.unsqueeze(1)], dim=1).reshape(-1)


def _flat_data(linear: torch.nn.Linear) -> torch.Tensor:
    """A Linear's weights and biases in our order."""
    return torch.cat([linear.weight.detach(), linear.bias.detach().unsqueeze(1)], dim=1).reshape(-1)


def compare_all_losses(
    model: Module, X: Points, y: Sequence[float], *, lr: float = 0.1
) -> list[TorchComparison]:
    """compare_with_torch for every loss in LOSSES that the model's outputs allow."""
    n_outputs = len(_neurons(_layers_of(model)[-1]))
    chosen = LOSSES if n_outputs == 1 else ("cross_entropy",)
    return [compare_with_torch(model, X, y, loss, lr=lr) for loss in chosen]


def demo_comparisons(
    *,
    dataset: str = "moons",
    n: int = 12,
    hidden: Sequence[int] = (4,),
    activation: str = "tanh",
    seed: int = 0,
    lr: float = 0.1,
) -> list[TorchComparison]:
    """Every loss compared on the demo's data and model (the defaults of `tinygrad-edu demo`).

    >>> reports = demo_comparisons()
    >>> [report.loss for report in reports][:2], all(report.passed for report in reports)
    (['mse', 'binary_cross_entropy'], True)
    """
    makers = {
        "moons": data.make_moons,
        "blobs": data.make_blobs,
        "circles": data.make_circles,
        "xor": data.make_xor,
    }
    if dataset not in makers:
        raise ValueError(
            f"demo_comparisons: unknown dataset {dataset!r}; use one of {sorted(makers)}"
        )
    X, y = makers[dataset](n, seed=seed)
    model = MLP(2, [*hidden, 1], activation=activation, seed=seed)
    return compare_all_losses(model, X, y, lr=lr)
