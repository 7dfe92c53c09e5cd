"""Every number the explorer shows; imports engine, nn, losses, data, optim, gradcheck, validation.

A `Problem` is one setup's data and network with the weights the page sends:
the page keeps the weights and sends them with each request, so nothing here
remembers anything between requests and two browser tabs cannot disturb each
other. Each function returns a plain dict, ready to be sent as JSON.

>>> from tinygrad_edu.explore.validation import Setup
>>> problem = Problem(Setup())
>>> len(problem.names), problem.names[0]
(17, 'layers.0.neurons.0.w.0')
>>> result = point(problem, "cross-entropy", index=0, h=1e-3, example=0)
>>> result["gradient"] == problem.gradient("cross-entropy", 0)
True
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from typing import Any

from tinygrad_edu import data, gradcheck, losses
from tinygrad_edu.engine import Value, grad, topological_order
from tinygrad_edu.explore.validation import MAX_WEIGHT, RequestError, Setup
from tinygrad_edu.nn import MLP
from tinygrad_edu.optim import SGD

__all__ = [
    "H_GRID",
    "Problem",
    "boundary",
    "curve",
    "example_loss",
    "model_info",
    "nudge",
    "point",
    "sweep",
    "train",
]

MAKERS: dict[str, Callable[..., data.Dataset]] = {
    "moons": data.make_moons,
    "blobs": data.make_blobs,
    "circles": data.make_circles,
    "xor": data.make_xor,
}

EPSILON = sys.float_info.epsilon
"""2.2e-16, the spacing of floats near 1: the relative rounding of one operation."""

H_GRID = [10.0 ** (k / 4 - 8) for k in range(33)]
"""The steps of the error-versus-h picture: 1e-8 to 1, four per decade."""

EXTENT_MARGIN = 0.5
"""How far the decision-boundary picture reaches beyond the outermost point."""


class Problem:
    """One setup's points and MLP, with the given weights (the seed's own when None)."""

    def __init__(self, setup: Setup, weights: Sequence[float] | None = None) -> None:
        self.setup = setup
        options = {} if setup.noise is None else {"noise": setup.noise}
        self.X, self.y = MAKERS[setup.dataset](setup.n, seed=setup.seed, **options)
        self.model = MLP(2, setup.layer_sizes, activation=setup.activation, seed=setup.seed)
        named = self.model.named_parameters()
        self.names = [name for name, _ in named]
        self.parameters = [parameter for _, parameter in named]
        if weights is not None:
            for parameter, weight in zip(self.parameters, weights, strict=True):
                parameter.data = weight

    @property
    def weights(self) -> list[float]:
        return [parameter.data for parameter in self.parameters]

    def logit(self, x: Sequence[float | Value]) -> Value:
        """The network's one output z for the input x."""
        output = self.model(x)
        if not isinstance(output, Value):  # the last layer has one neuron: never a list
            raise TypeError(f"expected one logit from {self.model}, got {len(output)} outputs")
        return output

    def loss_function(self, loss: str) -> Callable[[], Value]:
        """A zero-argument function that rebuilds the chosen loss from the current weights."""

        def squared_error() -> Value:
            return losses.mse([self.logit(x).sigmoid() for x in self.X], self.y)

        def cross_entropy() -> Value:
            return losses.binary_cross_entropy_with_logits([self.logit(x) for x in self.X], self.y)

        return squared_error if loss == "mse" else cross_entropy

    def measure(self) -> tuple[dict[str, Value], float]:
        """Both losses from one forward pass, as Values (ready for backward), and the accuracy."""
        logits = [self.logit(x) for x in self.X]
        both = {
            "mse": losses.mse([z.sigmoid() for z in logits], self.y),
            "cross-entropy": losses.binary_cross_entropy_with_logits(logits, self.y),
        }
        correct = sum((z.data > 0) == (label == 1) for z, label in zip(logits, self.y, strict=True))
        return both, correct / len(self.y)

    def gradient(self, loss: str, index: int) -> float:
        """d loss / d weight, by backward() on the whole loss, as the lesson computes it."""
        self.model.zero_grad()
        value = self.loss_function(loss)()
        value.backward()
        result = self.parameters[index].grad
        self.model.zero_grad()
        return result

    def extent(self) -> list[float]:
        """[x_min, x_max, y_min, y_max] of a square around the points, with a margin."""
        xs = [point[0] for point in self.X]
        ys = [point[1] for point in self.X]
        half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 + EXTENT_MARGIN
        x_middle, y_middle = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        return [x_middle - half, x_middle + half, y_middle - half, y_middle + half]


def _metrics(both: dict[str, Value], accuracy: float) -> dict[str, float]:
    return {
        "mse": both["mse"].data,
        "cross-entropy": both["cross-entropy"].data,
        "accuracy": accuracy,
    }


def _engine_failure(error: Exception) -> RequestError:
    """A numeric failure of the engine (overflow, a too-small h) as a 400 the page can show."""
    return RequestError("explore.error.computation", detail=str(error))


def model_info(setup: Setup) -> dict[str, Any]:
    """The points, their labels, the parameter names and the seed's starting weights."""
    problem = Problem(setup)
    return {
        "setup": setup.as_json(),
        "names": problem.names,
        "weights": problem.weights,
        "points": [list(point) for point in problem.X],
        "labels": problem.y,
        "extent": problem.extent(),
    }


def example_loss(problem: Problem, loss: str, example: int) -> Value:
    """The chosen loss of one example, its nodes labelled as the lesson names them.

    x0, x1 are the point's coordinates, hL.j the output of neuron j of hidden
    layer L, z the logit, p = sigmoid(z) (for the squared error), y the target
    and n the number of examples the mean divides by (here 1).
    """
    x = problem.X[example]
    values = [Value(x[0], label="x0"), Value(x[1], label="x1")]
    for index, layer in enumerate(problem.model.layers):
        output = layer(values)
        values = output if isinstance(output, list) else [output]
        for position, value in enumerate(values):
            value.label = f"h{index}.{position}"
    (logit,) = values
    logit.label = "z"
    target = problem.y[example]
    if loss == "mse":
        probability = logit.sigmoid()
        probability.label = "p"
        root = losses.mse([probability], [target])
    else:
        root = losses.binary_cross_entropy_with_logits([logit], [target])
    root.label = "loss"
    parameters = set(problem.parameters)
    for node in topological_order(root):
        for child in node._prev:
            if not child._prev and not child.label and child not in parameters:
                child.label = {"/": "n", "-": "y"}.get(node._op, "")
    return root


def point(problem: Problem, loss: str, index: int, h: float, example: int) -> dict[str, Any]:
    """Everything a slider move shows, for the chosen loss L and weight w:

    both losses and the accuracy; dL/dw from backward(); the forward and central
    differences at h with their errors against it and the errors Taylor predicts
    (h/2 |L''| and h^2/6 |L'''|, from second and third derivatives by grad());
    the rounding error's size (epsilon |L| / h); L at w - h, w, w + h for the
    secants; and the data, grad and colour of every node of one example's graph.
    """
    from tinygrad_edu.explore.layout import fill_colours  # viz is needed only for the graph

    parameter = problem.parameters[index]
    name = problem.names[index]
    f = problem.loss_function(loss)
    try:
        both, accuracy = problem.measure()
        gradient = problem.gradient(loss, index)
        forward = gradcheck.numerical_derivative(f, parameter, h=h, method="forward")
        central = gradcheck.numerical_derivative(f, parameter, h=h, method="central")
        second, third = _higher_derivatives(f(), parameter)
        around = _losses_around(f, parameter, h)
    except (ValueError, ArithmeticError) as error:
        raise _engine_failure(error) from None
    value = both[loss].data
    root = example_loss(problem, loss, example)
    problem.model.zero_grad()
    root.backward()
    order = topological_order(root)
    graph = {
        "data": [node.data for node in order],
        "grad": [node.grad for node in order],
        "fill": fill_colours(root, problem),
    }
    problem.model.zero_grad()
    return {
        "name": name,
        "value": parameter.data,
        "loss": {key: both[key].data for key in both},
        "accuracy": accuracy,
        "gradient": gradient,
        "h": h,
        "forward": {
            "estimate": forward,
            "error": forward - gradient,
            "predicted": h / 2 * abs(second),
        },
        "central": {
            "estimate": central,
            "error": central - gradient,
            "predicted": h * h / 6 * abs(third),
        },
        "second_derivative": second,
        "third_derivative": third,
        "rounding": EPSILON * abs(value) / h,
        "around": around,
        "graph": graph,
    }


def _higher_derivatives(loss: Value, parameter: Value) -> tuple[float, float]:
    """L''(w) and L'''(w), differentiating the gradient's own graph (grad with create_graph)."""
    (first,) = grad(loss, [parameter], create_graph=True)
    (second,) = grad(first, [parameter], create_graph=True)
    (third,) = grad(second, [parameter])
    return second.data, third


def _losses_around(f: Callable[[], Value], parameter: Value, h: float) -> dict[str, float]:
    """L at w - h, w and w + h (the weight restored afterwards)."""
    w = parameter.data
    result = {}
    try:
        for key, offset in (("w-h", -h), ("w", 0.0), ("w+h", h)):
            parameter.data = w + offset
            result[key] = f().data
    finally:
        parameter.data = w
    return result


def curve(problem: Problem, index: int, low: float, high: float, points: int) -> dict[str, Any]:
    """Both losses at `points` evenly spaced values of one weight in [low, high], others fixed."""
    parameter = problem.parameters[index]
    w = parameter.data
    xs = [low + (high - low) * k / (points - 1) for k in range(points)]
    result: dict[str, Any] = {"w": xs, "mse": [], "cross-entropy": []}
    try:
        for x in xs:
            parameter.data = x
            both, _ = problem.measure()
            for key, value in both.items():
                result[key].append(value.data)
    except (ValueError, ArithmeticError) as error:
        raise _engine_failure(error) from None
    finally:
        parameter.data = w
    return result


def sweep(problem: Problem, loss: str, index: int) -> dict[str, Any]:
    """The two finite differences' errors against backward()'s gradient at every h of H_GRID.

    With the derivatives and the loss that predict them: truncation h/2 |L''|
    (forward) and h^2/6 |L'''| (central), rounding about epsilon |L| / h.
    """
    parameter = problem.parameters[index]
    f = problem.loss_function(loss)
    try:
        gradient = problem.gradient(loss, index)
        value = f()
        second, third = _higher_derivatives(value, parameter)
        errors: dict[str, list[float]] = {"forward": [], "central": []}
        for h in H_GRID:
            for method, found in errors.items():
                estimate = gradcheck.numerical_derivative(f, parameter, h=h, method=method)
                found.append(estimate - gradient)
    except (ValueError, ArithmeticError) as error:
        raise _engine_failure(error) from None
    return {
        "h": H_GRID,
        "gradient": gradient,
        "loss": value.data,
        "second_derivative": second,
        "third_derivative": third,
        "epsilon": EPSILON,
        **errors,
    }


def nudge(problem: Problem, loss: str, index: int, h: float) -> dict[str, Any]:
    """gradcheck.nudge: move the weight up by h; does the loss go up or down? (then put back)"""
    try:
        result = gradcheck.nudge(
            problem.loss_function(loss), problem.parameters[index], h=h, name=problem.names[index]
        )
    except (ValueError, ArithmeticError) as error:
        raise _engine_failure(error) from None
    return {
        "name": result.name,
        "h": result.h,
        "loss": result.loss,
        "gradient": result.gradient,
        "predicted_change": result.predicted_change,
        "actual_change": result.actual_change,
        "direction": result.direction,
    }


def boundary(problem: Problem, resolution: int) -> dict[str, Any]:
    """p = sigmoid(z) at the centre of each cell of a resolution-square grid, top row first."""
    x_min, x_max, y_min, y_max = problem.extent()
    width, height = (x_max - x_min) / resolution, (y_max - y_min) / resolution
    probabilities = [
        problem.logit([x_min + (column + 0.5) * width, y_max - (row + 0.5) * height]).sigmoid().data
        for row in range(resolution)
        for column in range(resolution)
    ]
    return {
        "extent": [x_min, x_max, y_min, y_max],
        "resolution": resolution,
        "probability": probabilities,
    }


def train(setup: Setup, runs: dict[str, list[float]], lr: float, steps: int) -> dict[str, Any]:
    """`steps` steps of full-batch gradient descent (optim.SGD) for each run, on its own loss.

    `runs` maps a loss ('mse', 'cross-entropy') to the weights that run starts
    from. Each run reports its weights afterwards, the metrics (both losses and
    the accuracy) before the first step, and after each step.
    """
    result: dict[str, Any] = {}
    for loss, weights in runs.items():
        problem = Problem(setup, weights)
        optimizer = SGD(problem.model, lr=lr)
        history = []
        try:
            for step in range(steps + 1):
                both, accuracy = problem.measure()
                history.append(_metrics(both, accuracy))
                if step == steps:
                    break
                optimizer.zero_grad()
                both[loss].backward()
                optimizer.step()
        except (ValueError, ArithmeticError):
            raise RequestError("explore.error.diverged", parameter="lr", lr=lr) from None
        if not all(math.isfinite(w) and abs(w) <= MAX_WEIGHT for w in problem.weights):
            raise RequestError("explore.error.diverged", parameter="lr", lr=lr)
        result[loss] = {"weights": problem.weights, "before": history[0], "history": history[1:]}
    return {"runs": result}
