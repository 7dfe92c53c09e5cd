"""The lesson's experiments (demo, race, landscape) as results, no printing; uses the layers below.

Each function computes and returns a frozen record; the command line prints
them and `tinygrad_edu.plots` draws them. Choice lists come from here:
`DATASETS` and `LOSSES` are the one table each that maps a name to what it
means, so an unknown name cannot run something else under its name.

>>> X, y = make_dataset('moons', 12, seed=0)
>>> model = make_model([4], 'tanh', seed=0)
>>> round(loss_function(model, X, y, 'cross-entropy')().data, 6)
0.754968
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from tinygrad_edu import data, losses
from tinygrad_edu.compiled import compile_graph
from tinygrad_edu.engine import Value, grad, topological_order
from tinygrad_edu.gradcheck import GradcheckReport, Nudge, gradcheck, nudge, numerical_derivative
from tinygrad_edu.nn import MLP
from tinygrad_edu.optim import SGD

__all__ = [
    "DATASETS",
    "LESSON_TOLERANCE",
    "LOSSES",
    "Epoch",
    "GradientCurves",
    "Landscape",
    "Lesson",
    "Race",
    "accuracy",
    "confidently_wrong",
    "gradient_curves",
    "landscape",
    "lesson",
    "loss_function",
    "make_dataset",
    "make_model",
    "mean_sigmoid_slope",
    "race",
]

Points = list[data.Point]
Labels = list[int]

DATASETS: dict[str, Callable[..., data.Dataset]] = {
    "moons": data.make_moons,
    "blobs": data.make_blobs,
    "circles": data.make_circles,
    "xor": data.make_xor,
}
"""The point sets by name: each maker takes (n, *, noise=..., seed=...)."""


def _mse_of_sigmoid(logits: Sequence[Value], targets: Labels) -> Value:
    return losses.mse([z.sigmoid() for z in logits], targets)


LOSSES: dict[str, Callable[[Sequence[Value], Labels], Value]] = {
    "mse": _mse_of_sigmoid,
    "cross-entropy": losses.binary_cross_entropy_with_logits,
}
"""Each loss by name, from the model's logits z: MSE of p = sigmoid(z), cross-entropy of z."""

LESSON_TOLERANCE = 1e-5
"""The lesson's criterion: "A diferença deve ser < 1e-5"."""

FLAT = 1e-8
"""A finite-difference slope below this counts as none (its round-off is about 1e-11)."""


# --- the pieces every experiment uses ------------------------------------------------------


def make_dataset(name: str, n: int, *, seed: int, noise: float | None = None) -> data.Dataset:
    """The points of dataset `name` (a key of DATASETS); `noise` None keeps its own default.

    >>> X, y = make_dataset('xor', 4, seed=1)
    >>> len(X), sorted(y)
    (4, [0, 0, 1, 1])
    """
    maker = _chosen(DATASETS, name, "dataset")
    return maker(n, seed=seed) if noise is None else maker(n, seed=seed, noise=noise)


def make_model(hidden: Sequence[int], activation: str, seed: int) -> MLP:
    """An MLP from 2 inputs through `hidden` layers to one logit.

    >>> make_model([3, 2], 'relu', seed=0)
    MLP(2, [3, 2, 1], activation='relu')
    """
    return MLP(2, [*hidden, 1], activation=activation, seed=seed)


def _logit(model: MLP, x: data.Point) -> Value:
    """The model's one output for x (the MLPs here end in a single neuron)."""
    output = model(x)
    if not isinstance(output, Value):
        raise TypeError(f"expected one logit from {model}, got {len(output)} outputs")
    return output


def loss_function(model: MLP, X: Points, y: Labels, loss: str) -> Callable[[], Value]:
    """A zero-argument function that recomputes loss `loss` (a key of LOSSES) from the weights.

    >>> X, y = make_dataset('moons', 4, seed=0)
    >>> f = loss_function(make_model([2], 'tanh', seed=0), X, y, 'mse')
    >>> f().data == f().data
    True
    """
    chosen = _chosen(LOSSES, loss, "loss")

    def recompute() -> Value:
        return chosen([_logit(model, x) for x in X], y)

    return recompute


Chosen = TypeVar("Chosen")


def _chosen(table: Mapping[str, Chosen], name: str, what: str) -> Chosen:
    try:
        return table[name]
    except KeyError:
        raise ValueError(f"unknown {what} {name!r}; choose one of: {', '.join(table)}") from None


def accuracy(model: MLP, X: Points, y: Labels) -> float:
    """The fraction of points on the right side of z = 0.

    >>> X, y = make_dataset('moons', 12, seed=0)
    >>> round(accuracy(make_model([4], 'tanh', seed=0), X, y), 4)
    0.4167
    """
    pairs = zip(X, y, strict=True)
    correct = sum((_logit(model, x).data > 0) == (label == 1) for x, label in pairs)
    return correct / len(y)


def mean_sigmoid_slope(model: MLP, X: Points) -> float:
    """The mean of sigmoid'(z) = p (1 - p) over the points: 0.25 at most, near 0 when saturated.

    >>> X, _ = make_dataset('moons', 12, seed=0)
    >>> round(mean_sigmoid_slope(make_model([4], 'tanh', seed=0), X), 4)
    0.231
    """
    slopes = [(p := _logit(model, x).sigmoid().data) * (1 - p) for x in X]
    return sum(slopes) / len(slopes)


# --- demo: the lesson end to end -------------------------------------------------------------


@dataclass(frozen=True)
class Lesson:
    """What the demo shows: both losses on the same input, the two gradient checks (the
    lesson's forward one and the central one), the nudge of the steepest weight, and
    the labelled graph of one example's cross-entropy (already backpropagated)."""

    comparison: losses.LossComparison
    forward: GradcheckReport
    central: GradcheckReport
    nudge: Nudge
    example_loss: Value
    graph_size: int


def lesson(model: MLP, X: Points, y: Labels, *, h: float = 1e-3) -> Lesson:
    """Run the lesson's steps on `model` and the points; the weights are left as they were.

    >>> X, y = make_dataset('moons', 12, seed=0)
    >>> result = lesson(make_model([4], 'tanh', seed=0), X, y)
    >>> result.forward.passed, result.central.passed, result.nudge.name
    (False, True, 'layers.1.neurons.0.w.2')
    """
    comparison = losses.compare_losses(model, X, y)
    loss_of = loss_function(model, X, y, "cross-entropy")
    forward = gradcheck(loss_of, model, h=h, method="forward", atol=LESSON_TOLERANCE, rtol=0)
    central = gradcheck(loss_of, model, h=h, method="central", atol=LESSON_TOLERANCE, rtol=0)
    steepest = max(central.rows, key=lambda row: abs(row.analytic))
    moved = nudge(loss_of, dict(model.named_parameters())[steepest.name], h=h, name=steepest.name)
    example_loss = losses.binary_cross_entropy_with_logits([labelled_logit(model, X[0])], [y[0]])
    example_loss.label = "loss"
    if example_loss._op == "/" and not example_loss._prev[-1]._prev:
        example_loss._prev[-1].label = "n"  # the mean over one example divides by n = 1
    example_loss.backward()
    return Lesson(
        comparison, forward, central, moved, example_loss, len(topological_order(example_loss))
    )


def labelled_logit(model: MLP, x: data.Point) -> Value:
    """The model's logit for x, layer by layer, with inputs (x0, x1), hidden outputs
    (hL.j: neuron j of hidden layer L) and the logit (z) labelled for a picture.

    >>> labelled_logit(make_model([2], 'tanh', seed=0), (0.5, -1.0)).label
    'z'
    """
    values = [Value(x[0], label="x0"), Value(x[1], label="x1")]
    for index, layer in enumerate(model.layers):
        output = layer(values)
        values = output if isinstance(output, list) else [output]
        for position, value in enumerate(values):
            value.label = f"h{index}.{position}"
    (logit,) = values
    logit.label = "z"
    return logit


# --- race: MSE against cross-entropy from a confidently wrong start ----------------------------


@dataclass(frozen=True)
class Epoch:
    """One run's state at the start of an epoch: its own loss, accuracy, mean sigmoid'(z)."""

    loss: float
    accuracy: float
    slope: float


@dataclass(frozen=True)
class Race:
    """Both runs of `race`: `history[loss]` has one Epoch per epoch (epoch 0 is the start)."""

    start: MLP
    start_accuracy: float
    start_slope: float
    history: dict[str, tuple[Epoch, ...]]
    target: float

    def first_epoch_reaching(self, loss: str) -> int | None:
        """The first epoch whose accuracy is at least `target`, or None."""
        for epoch, state in enumerate(self.history[loss]):
            if state.accuracy >= self.target:
                return epoch
        return None


def confidently_wrong(
    model: MLP, X: Points, y: Labels, *, warmup: int, confidence: float, compiled: bool = True
) -> MLP:
    """Fit `model` with cross-entropy for `warmup` steps, then flip its output layer's sign and
    scale it so that the mean |z| over the points is `confidence`: most points now get a logit
    of the wrong sign and of that size (a sigmoid saturated, sigmoid'(4) = 0.018).
    With `compiled` (the default) the warm-up replays the loss recorded once by
    `compile_graph`: the same numbers as building it every step, faster.

    Scaling to a mean |z|, rather than by a fixed factor, gives every dataset the same start:
    on well-separated blobs a fixed factor makes |z| > 20, where sigmoid'(z) < 1e-9 and MSE
    cannot move at all (its loss sits at 1 and its accuracy at 0 whatever the training).

    >>> X, y = make_dataset('blobs', 20, seed=0)
    >>> model = confidently_wrong(make_model([4], 'tanh', seed=0), X, y, warmup=30, confidence=4)
    >>> accuracy(model, X, y), round(sum(abs(model(x).data) for x in X) / len(X), 6)
    (0.0, 4.0)
    """
    fit = loss_function(model, X, y, "cross-entropy")
    optimizer = SGD(model.parameters(), lr=0.5)
    replay = compile_graph(fit()) if compiled and warmup > 0 else None
    for _ in range(warmup):
        optimizer.zero_grad()
        if replay is not None:  # the same numbers as building the loss and backward()
            replay()
        else:
            fit().backward()
        optimizer.step()
    size = sum(abs(_logit(model, x).data) for x in X) / len(X)
    scale = confidence / size if size > 0 else confidence
    for parameter in model.layers[-1].parameters():
        parameter.data *= -scale
    return model


def race(
    X: Points,
    y: Labels,
    *,
    hidden: Sequence[int],
    activation: str,
    seed: int,
    epochs: int,
    lr: float,
    warmup: int,
    confidence: float,
    target: float,
    on_epoch: Callable[[int, dict[str, Epoch]], None] | None = None,
    compiled: bool = True,
) -> Race:
    """Train two copies of the same confidently wrong network, one per loss of LOSSES, with
    plain SGD; `on_epoch(epoch, states)` is called as each epoch's states are known.

    With `compiled` (the default) each loss's graph over the whole batch is recorded once
    by `compile_graph` and replayed every epoch: the same float operations as building it
    again and calling backward(), so the same numbers, faster. Both losses of LOSSES
    qualify: neither branches on a value that training changes (the targets are fixed).

    >>> X, y = make_dataset('moons', 16, seed=0)
    >>> result = race(X, y, hidden=[4], activation='tanh', seed=0, epochs=3, lr=0.5,
    ...               warmup=30, confidence=6, target=0.8)
    >>> [len(result.history[loss]) for loss in LOSSES]
    [4, 4]
    """
    start = confidently_wrong(
        make_model(hidden, activation, seed), X, y, warmup=warmup, confidence=confidence,
        compiled=compiled,
    )
    runs = {}
    for loss in LOSSES:
        model = make_model(hidden, activation, seed)
        for (_, mine), (_, theirs) in zip(
            model.named_parameters(), start.named_parameters(), strict=True
        ):
            mine.data = theirs.data
        runs[loss] = (model, loss_function(model, X, y, loss), SGD(model.parameters(), lr=lr))
    replays = {}
    if compiled:
        replays = {loss: compile_graph(loss_of()) for loss, (_, loss_of, _) in runs.items()}
    history: dict[str, list[Epoch]] = {loss: [] for loss in LOSSES}
    for epoch in range(epochs + 1):
        states = {}
        for loss, (model, loss_of, optimizer) in runs.items():
            training = epoch < epochs
            if compiled:
                optimizer.zero_grad()  # the replay adds into the leaves' grads, as backward()
                replay = replays[loss]
                loss_value = replay() if training else replay.forward()
            else:
                value = loss_of()
                loss_value = value.data
                if training:
                    optimizer.zero_grad()
                    value.backward()
            states[loss] = Epoch(loss_value, accuracy(model, X, y), mean_sigmoid_slope(model, X))
            history[loss].append(states[loss])
            if training:
                optimizer.step()
        if on_epoch is not None:
            on_epoch(epoch, states)
    return Race(
        start,
        accuracy(start, X, y),
        mean_sigmoid_slope(start, X),
        {loss: tuple(states) for loss, states in history.items()},
        target,
    )


@dataclass(frozen=True)
class GradientCurves:
    """|dL/dz| of one example's loss against its logit z, for each loss and label:
    `values[(loss, label)]` holds one number per z of `logits`."""

    logits: tuple[float, ...]
    values: dict[tuple[str, int], tuple[float, ...]]


def gradient_curves(logits: Sequence[float]) -> GradientCurves:
    """The lesson's key insight as numbers: MSE's |dL/dz| = 2|p - y| p (1 - p) vanishes as the
    sigmoid saturates, cross-entropy's |dL/dz| = |p - y| does not (computed by backward()).

    >>> curves = gradient_curves([-8.0, 0.0])
    >>> [round(v, 4) for v in curves.values[('mse', 1)]], curves.values[('cross-entropy', 1)][1]
    ([0.0007, 0.25], 0.5)
    """
    values: dict[tuple[str, int], tuple[float, ...]] = {}
    for loss, function in LOSSES.items():
        for label in (0, 1):
            slopes = []
            for number in logits:
                z = Value(number)
                (slope,) = grad(function([z], [label]), [z])
                slopes.append(abs(slope))
            values[(loss, label)] = tuple(slopes)
    return GradientCurves(tuple(logits), values)


# --- landscape: the gradient as a direction ---------------------------------------------------


@dataclass(frozen=True)
class Landscape:
    """The loss over two weights a and b (the others fixed) around their values `origin`.

    `gradient` is (dL/da, dL/db) from backward, `numeric` the same by central differences;
    `arrow` and `numeric_arrow` are their negatives as unit vectors ((0, 0) when flat) and
    `agreement` the cosine between them. `path` holds (a, b, loss) of each SGD step and
    `grid` (a values, b values, loss rows) for contour lines; the weights end as they began.
    """

    names: tuple[str, str]
    loss: float
    origin: tuple[float, float]
    gradient: tuple[float, float]
    numeric: tuple[float, float]
    arrow: tuple[float, float]
    numeric_arrow: tuple[float, float]
    agreement: float
    path: tuple[tuple[float, float, float], ...]
    grid: tuple[tuple[float, ...], tuple[float, ...], tuple[tuple[float, ...], ...]]

    @property
    def flat(self) -> bool:
        """True when the gradient in a and b is exactly 0: there is no direction to follow."""
        return self.arrow == (0.0, 0.0)


def landscape(
    model: MLP,
    loss_of: Callable[[], Value],
    names: tuple[str, str],
    *,
    steps: int,
    lr: float,
    span: float,
    grid: int,
    on_row: Callable[[int, int], None] | None = None,
) -> Landscape:
    """Measure the gradient at two weights of `model` (by their names), take `steps` SGD steps
    on them alone, and tabulate the loss on a `grid` x `grid` square of half-width `span`
    around the start (widened to hold the path); `on_row(done, grid)` is called as each
    row of the grid is known (for a progress line).

    >>> X, y = make_dataset('moons', 8, seed=0)
    >>> model = make_model([2], 'tanh', seed=0)
    >>> view = landscape(model, loss_function(model, X, y, 'mse'),
    ...                  ('layers.0.neurons.0.w.0', 'layers.0.neurons.0.b'),
    ...                  steps=2, lr=1.0, span=1.0, grid=3)
    >>> view.agreement > 0.999, len(view.path), len(view.grid[2])
    (True, 3, 3)
    """
    named = dict(model.named_parameters())
    for name in names:
        if name not in named:
            raise ValueError(f"no weight named {name!r} in {model}")
    if names[0] == names[1]:
        raise ValueError(f"two different weights are needed, got {names[0]!r} twice")
    first, second = named[names[0]], named[names[1]]
    origin = (first.data, second.data)

    loss = loss_of()
    slope_a, slope_b = grad(loss, [first, second])
    numeric = (
        numerical_derivative(loss_of, first, h=1e-5),
        numerical_derivative(loss_of, second, h=1e-5),
    )
    arrow = _unit((-slope_a, -slope_b))
    numeric_arrow = _unit((-numeric[0], -numeric[1]))
    if arrow == (0.0, 0.0):
        # No direction to compare: agree only if finite differences see no slope either.
        agreement = 1.0 if math.hypot(*numeric) < FLAT else 0.0
    else:
        agreement = arrow[0] * numeric_arrow[0] + arrow[1] * numeric_arrow[1]

    path = [(first.data, second.data, loss.data)]
    for _ in range(steps):
        step_a, step_b = grad(loss_of(), [first, second])
        first.data -= lr * step_a
        second.data -= lr * step_b
        path.append((first.data, second.data, loss_of().data))

    reach = max(max(abs(a - origin[0]), abs(b - origin[1])) for a, b, _ in path)
    half_width = max(span, 1.15 * reach)
    offsets = [half_width * (2 * index / (grid - 1) - 1) for index in range(grid)]
    a_values = tuple(origin[0] + offset for offset in offsets)
    b_values = tuple(origin[1] + offset for offset in offsets)
    rows = []
    for b in b_values:
        second.data = b
        row = []
        for a in a_values:
            first.data = a
            row.append(loss_of().data)
        rows.append(tuple(row))
        if on_row is not None:
            on_row(len(rows), grid)
    first.data, second.data = origin
    return Landscape(
        names,
        loss.data,
        origin,
        (slope_a, slope_b),
        numeric,
        arrow,
        numeric_arrow,
        agreement,
        tuple(path),
        (a_values, b_values, tuple(rows)),
    )


def _unit(vector: tuple[float, float]) -> tuple[float, float]:
    length = math.hypot(*vector)
    return (vector[0] / length, vector[1] / length) if length > 0 else (0.0, 0.0)
