"""The `tinygrad-edu` command: the lesson "Loss e Derivadas" and its experiments; uses all modules.

Subcommands: demo, graph, race, gradcheck, landscape, check-rules. Each has
`--help` and `--seed`, writes files only under its `--out` directory, and exits
0 on success, 1 when a check fails, 2 on bad usage or bad input.
"""

from __future__ import annotations

import argparse
import ast
import math
import operator
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from tinygrad_edu import data, losses
from tinygrad_edu.engine import Value, grad
from tinygrad_edu.gradcheck import gradcheck, nudge, numerical_derivative
from tinygrad_edu.nn import MLP
from tinygrad_edu.optim import SGD

EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT = 0, 1, 2

DATASETS: dict[str, Callable[..., data.Dataset]] = {
    "moons": data.make_moons,
    "blobs": data.make_blobs,
    "circles": data.make_circles,
    "xor": data.make_xor,
}
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
LOSSES = ("mse", "cross-entropy")
GRAPH_FORMATS = ("svg", "png", "pdf", "dot")
SLOPE = "sig'(z)"
"""Column title: the mean slope of the output sigmoid, 0.25 at most, near 0 when saturated."""
LESSON_TOLERANCE = 1e-5
"""The lesson's criterion: |numeric - analytic| < 1e-5."""


Points = list[data.Point]
Labels = list[int]


class InputError(Exception):
    """Bad input from the command line: reported in one line, exit code 2."""


# --- shared pieces ---------------------------------------------------------------------


def _positive_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {number}")
    return number


def _positive_float(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not (math.isfinite(number) and number > 0):
        raise argparse.ArgumentTypeError(f"expected a finite number > 0, got {text!r}")
    return number


def _layer_sizes(text: str) -> list[int]:
    """'4,4' -> [4, 4]; '' -> [] (no hidden layer: logistic regression)."""
    if not text.strip():
        return []
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected hidden layer sizes separated by commas, e.g. 4,4, got {text!r}"
        ) from None
    if any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError(f"every layer size must be >= 1, got {text!r}")
    return sizes


def _add_seed(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--seed", type=int, default=0, help=f"{what} (default: 0)")


def _add_out(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(default),
        help=f"directory for every file this command writes (default: ./{default}/)",
    )


def _add_model_options(parser: argparse.ArgumentParser, *, n: int, hidden: str) -> None:
    parser.add_argument(
        "--dataset", choices=sorted(DATASETS), default="moons", help="2D points labelled 0/1"
    )
    parser.add_argument("--n", type=_positive_int, default=n, help=f"number of points ({n})")
    parser.add_argument(
        "--noise", type=float, default=None, help="noise of the dataset (its own default)"
    )
    parser.add_argument(
        "--hidden",
        type=_layer_sizes,
        default=_layer_sizes(hidden),
        help=f"hidden layer sizes, comma-separated (default: {hidden}); the output is one logit",
    )
    parser.add_argument(
        "--activation", choices=ACTIVATIONS, default="tanh", help="hidden activation (tanh)"
    )
    _add_seed(parser, "seed of the dataset and of the network's initial weights")


def _dataset(args: argparse.Namespace) -> data.Dataset:
    if args.n < 2:
        raise InputError(f"--n must be at least 2 (one point per class), got {args.n}")
    options = {} if args.noise is None else {"noise": args.noise}
    try:
        return DATASETS[args.dataset](args.n, seed=args.seed, **options)
    except ValueError as error:
        raise InputError(str(error)) from None


def _model(args: argparse.Namespace) -> MLP:
    return MLP(2, [*args.hidden, 1], activation=args.activation, seed=args.seed)


def _logit(model: MLP, x: data.Point) -> Value:
    """The model's one output for x (the MLPs here end in a single neuron)."""
    output = model(x)
    if not isinstance(output, Value):
        raise TypeError(f"expected one logit from {model}, got {len(output)} outputs")
    return output


def _loss_function(model: MLP, X: Points, y: Labels, loss: str) -> Callable[[], Value]:
    """A zero-argument function that recomputes the loss from the current weights."""

    def cross_entropy() -> Value:
        return losses.binary_cross_entropy_with_logits([_logit(model, x) for x in X], y)

    def squared_error() -> Value:
        return losses.mse([_logit(model, x).sigmoid() for x in X], y)

    return cross_entropy if loss == "cross-entropy" else squared_error


def _accuracy(model: MLP, X: Points, y: Labels) -> float:
    correct = sum(
        (_logit(model, x).data > 0) == (label == 1) for x, label in zip(X, y, strict=True)
    )
    return correct / len(y)


def _render(root: Value, path: Path, **options: Any) -> Path:
    """Render with Graphviz; without the dot program, say so in one line on stderr."""
    from tinygrad_edu import viz

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", viz.GraphvizNotFoundWarning)
        written = Path(viz.render(root, path, **options))
    for warning in caught:
        first_line = str(warning.message).splitlines()[0]
        print(f"note: {first_line}", file=sys.stderr)
    return written


def _heading(title: str, out: TextIO) -> None:
    print(f"\n== {title}", file=out)


def _weight_name(named: Sequence[tuple[str, Value]], wanted: str) -> Value:
    for name, value in named:
        if name == wanted:
            return value
    shown = ", ".join(name for name, _ in named[:6])
    raise InputError(
        f"no weight named {wanted!r}; names look like {shown}, ... "
        "(see `tinygrad-edu gradcheck --all` for every name)"
    )


# --- demo --------------------------------------------------------------------------------


def run_demo(args: argparse.Namespace, out: TextIO) -> int:
    """The lesson end to end: data, MLP, both losses, gradient checks, a nudge, a graph."""
    X, y = _dataset(args)
    model = _model(args)
    named = model.named_parameters()

    _heading("1. The data: 2D points with labels 0/1 (pontos 2D com classes 0/1)", out)
    print(
        f"{args.dataset}: {len(X)} points, {y.count(0)} of class 0 and {y.count(1)} of class 1",
        file=out,
    )
    for index, (point, label) in enumerate(zip(X[:5], y[:5], strict=True)):
        print(f"  x[{index}] = ({point[0]: .3f}, {point[1]: .3f})  label {label}", file=out)
    if len(X) > 5:
        print(f"  ... {len(X) - 5} more", file=out)

    _heading("2. The model: an MLP whose output is one logit z", out)
    print(
        f"{model}: {len(named)} parameters; p = sigmoid(z) is the probability of class 1", file=out
    )

    _heading(
        "3. MSE and cross-entropy on the same input (compare os valores para o mesmo input)", out
    )
    comparison = losses.compare_losses(model, X, y)
    shown = losses.LossComparison(
        comparison.rows[: args.rows], comparison.mse, comparison.cross_entropy
    )
    print(shown, file=out)
    if len(comparison.rows) > args.rows:
        print(
            f"(first {args.rows} of {len(comparison.rows)} examples; the means use all)", file=out
        )
    print(
        "MSE compares p with y; cross-entropy charges -log(p) for the right class. "
        "Their gradients w.r.t. z\ndiffer by the factor 2*sigmoid'(z), which vanishes "
        "when the neuron saturates: MSE for regression,\ncross-entropy for classification.",
        file=out,
    )

    loss_of = _loss_function(model, X, y, "cross-entropy")
    _heading(f"4. Gradient check of the cross-entropy, h = {args.h:g}", out)
    print(
        "The lesson's check: move one weight by +h, recompute the loss, compare "
        "(loss_new - loss_old)/h\nwith the analytic derivative; the difference must be "
        f"< {LESSON_TOLERANCE:g}.",
        file=out,
    )
    forward = gradcheck(loss_of, model, h=args.h, method="forward", atol=LESSON_TOLERANCE, rtol=0)
    central = gradcheck(loss_of, model, h=args.h, method="central", atol=LESSON_TOLERANCE, rtol=0)
    print(f"\n{forward.table(max_rows=args.rows)}", file=out)
    print(f"\n{central.table(max_rows=args.rows)}", file=out)
    worst = forward.worst
    print(
        f"\nVerdict against {LESSON_TOLERANCE:g}: the lesson's forward difference "
        f"{'passes' if forward.passed else 'misses'} ({len(forward.failures)} of "
        f"{len(forward.rows)} weights fail;\nworst {worst.name}: measured error "
        f"{worst.abs_error:.2e}, predicted h/2*|f''| = {worst.predicted_error or 0.0:.2e}). "
        f"The central difference\n{'passes' if central.passed else 'FAILS'} (worst error "
        f"{central.worst.abs_error:.2e}). The engine is right: the forward difference "
        "measures the curvature too.",
        file=out,
    )

    _heading("5. If I move this weight up a little, does the loss go up or down?", out)
    steepest = max(central.rows, key=lambda row: abs(row.analytic))
    print(f"The weight with the steepest slope is {steepest.name}:", file=out)
    print(nudge(loss_of, dict(named)[steepest.name], h=args.h, name=steepest.name), file=out)

    _heading("6. The computation graph of one example's loss", out)
    example_loss = losses.binary_cross_entropy_with_logits([_logit(model, X[0])], [y[0]])
    example_loss.label = "loss"
    example_loss.backward()
    path = _render(
        example_loss, args.out / f"graph-one-example.{args.format}", params=model, legend=True
    )
    model.zero_grad()
    print(f"loss of x[0] with its gradients: {path}", file=out)
    return EXIT_CHECK_FAILED if not central.passed else EXIT_OK


# --- graph -------------------------------------------------------------------------------

FUNCTIONS: dict[str, Callable[[Value], Value]] = {
    "exp": Value.exp,
    "log": Value.log,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "relu": Value.relu,
    "softplus": Value.softplus,
    "sqrt": Value.sqrt,
    "abs": Value.abs,
}
BINARY_OPERATORS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
ALLOWED = "numbers, variables, + - * / ** unary -, parentheses and " + ", ".join(FUNCTIONS)


def parse_expression(text: str, variables: dict[str, Value]) -> Value:
    """Build `text` from Values with a whitelist over Python's syntax tree (never eval).

    >>> x = Value(2.0, label='x')
    >>> parse_expression('tanh(x * 0.5) + x ** 2', {'x': x}).data
    4.761594155955764
    """
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        raise InputError(f"cannot parse {text!r}: {error.msg}; allowed: {ALLOWED}") from None
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    used = sorted(names - called)
    missing = [name for name in used if name not in variables]
    if missing:
        hint = " ".join(f"--var {name}=1.0" for name in missing)
        raise InputError(f"no value for {', '.join(missing)}; give one with {hint}")
    try:
        result = _build(tree.body, variables)
    except RecursionError:
        raise InputError("the expression is nested too deeply to build") from None
    if not isinstance(result, Value):
        raise InputError(
            f"{text!r} uses no variable, so it has no gradient; e.g. 'x * 2' --var x=1"
        )
    return result


def _build(node: ast.AST, variables: dict[str, Value]) -> Value | float:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        if isinstance(node.value, bool):
            raise InputError(f"{node.value} is not a number; use 1 or 0")
        return float(node.value)
    if isinstance(node, ast.Name) and node.id in variables:
        return variables[node.id]
    if isinstance(node, ast.BinOp) and type(node.op) in BINARY_OPERATORS:
        left, right = _build(node.left, variables), _build(node.right, variables)
        return BINARY_OPERATORS[type(node.op)](left, right)  # type: ignore[no-any-return]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _build(node.operand, variables)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        function = FUNCTIONS.get(node.func.id)
        if function is None:
            raise InputError(f"unknown function {node.func.id!r}; allowed: {', '.join(FUNCTIONS)}")
        if len(node.args) != 1 or node.keywords:
            raise InputError(f"{node.func.id}() takes exactly one argument")
        argument = _build(node.args[0], variables)
        return function(argument if isinstance(argument, Value) else Value(argument))
    shown = ast.unparse(node) if hasattr(ast, "unparse") else type(node).__name__
    raise InputError(f"unsupported syntax {shown!r}; allowed: {ALLOWED}")


def _variable(text: str) -> tuple[str, float]:
    name, equals, number = text.partition("=")
    name = name.strip()
    if not equals or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=NUMBER, e.g. x=1.5, got {text!r}")
    if name in FUNCTIONS:
        raise argparse.ArgumentTypeError(
            f"{name!r} is a function name; choose another variable name"
        )
    try:
        return name, float(number)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"the value of {name} must be a number, got {number.strip()!r}"
        ) from None


def run_graph(args: argparse.Namespace, out: TextIO) -> int:
    """Build an expression from Values, backpropagate, print gradients, draw the graph."""
    variables = {name: Value(number, label=name) for name, number in args.var}
    try:
        result = parse_expression(args.expression, variables)
    except (ValueError, ArithmeticError) as error:
        raise InputError(str(error)) from None
    result.label = result.label or "out"
    result.backward()
    print(f"{args.expression} = {result.data:.10g}", file=out)
    for name, value in variables.items():
        print(f"  d out / d {name} = {value.grad:.10g}", file=out)
    path = _render(result, args.out / f"{args.name}.{args.format}", rankdir=args.rankdir)
    print(f"graph: {path}", file=out)
    return EXIT_OK


# --- race: MSE vs cross-entropy from a confidently wrong start ---------------------------


def _confidently_wrong(args: argparse.Namespace, X: Points, y: Labels) -> MLP:
    """A seeded MLP first fitted with cross-entropy, then its output layer flipped and
    scaled: most points now get a large logit of the wrong sign (a saturated sigmoid)."""
    model = _model(args)
    fit = _loss_function(model, X, y, "cross-entropy")
    optimizer = SGD(model.parameters(), lr=0.5)
    for _ in range(args.warmup):
        loss = fit()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    for parameter in model.layers[-1].parameters():
        parameter.data *= -args.flip
    return model


def _copy_weights(source: MLP, target: MLP) -> None:
    for (_, mine), (_, theirs) in zip(
        target.named_parameters(), source.named_parameters(), strict=True
    ):
        mine.data = theirs.data


def _mean_sigmoid_slope(model: MLP, X: Points) -> float:
    slopes = [(p := _logit(model, x).sigmoid().data) * (1 - p) for x in X]
    return sum(slopes) / len(slopes)


def run_race(args: argparse.Namespace, out: TextIO) -> int:
    """Train the same confidently wrong network with MSE and with cross-entropy."""
    X, y = _dataset(args)
    start = _confidently_wrong(args, X, y)
    runs = {}
    for loss in LOSSES:
        model = _model(args)
        _copy_weights(start, model)
        runs[loss] = (model, _loss_function(model, X, y, loss), SGD(model.parameters(), lr=args.lr))
    print(
        f"{start}, sigmoid output, {args.dataset} n={len(X)}, SGD lr={args.lr:g}, both runs from "
        f"the same weights:\naccuracy {_accuracy(start, X, y):.0%}, mean sigmoid'(z) = "
        f"{_mean_sigmoid_slope(start, X):.4f} (0.25 at most; near 0 = saturated)",
        file=out,
    )
    print(
        f"\n{'epoch':>5} | {'MSE':>9} {'acc':>5} {SLOPE:>7} | "
        f"{'cross-ent':>9} {'acc':>5} {SLOPE:>7}",
        file=out,
    )
    history: dict[str, list[tuple[float, float]]] = {loss: [] for loss in LOSSES}
    for epoch in range(args.epochs + 1):
        cells = []
        for loss in LOSSES:
            model, loss_of, optimizer = runs[loss]
            value = loss_of()
            accuracy = _accuracy(model, X, y)
            history[loss].append((value.data, accuracy))
            cells.append(
                f"{value.data:>9.4f} {accuracy:>5.0%} {_mean_sigmoid_slope(model, X):>7.4f}"
            )
            if epoch < args.epochs:
                optimizer.zero_grad()
                value.backward()
                optimizer.step()
        print(f"{epoch:>5} | {cells[0]} | {cells[1]}", file=out, flush=True)

    print(file=out)
    reached: dict[str, int | None] = {}
    for loss in LOSSES:
        epochs = [
            epoch for epoch, (_, accuracy) in enumerate(history[loss]) if accuracy >= args.target
        ]
        reached[loss] = epochs[0] if epochs else None
        when = f"at epoch {epochs[0]}" if epochs else f"not within {args.epochs} epochs"
        print(f"{loss:>13}: accuracy >= {args.target:.0%} {when}", file=out)
    mse_epoch, ce_epoch = reached["mse"], reached["cross-entropy"]
    if ce_epoch is not None and (mse_epoch is None or ce_epoch < mse_epoch):
        lead = f"{mse_epoch - ce_epoch} epochs" if mse_epoch is not None else "more than the run"
        print(f"cross-entropy left the saturated region sooner, by {lead}.", file=out)
    print(
        "MSE's gradient carries sigmoid'(z), near 0 when the sigmoid saturates, so it "
        "crawls out of a confident mistake;\ncross-entropy's gradient is p - y, large "
        "exactly there.",
        file=out,
    )
    _plot_race(history, args, out)
    return EXIT_OK


def _plot_race(
    history: dict[str, list[tuple[float, float]]], args: argparse.Namespace, out: TextIO
) -> None:
    pyplot = _pyplot()
    if pyplot is None:
        return
    figure, (loss_axes, accuracy_axes) = pyplot.subplots(1, 2, figsize=(10, 4))
    for loss in LOSSES:
        loss_axes.plot([value for value, _ in history[loss]], label=loss)
        accuracy_axes.plot([accuracy for _, accuracy in history[loss]], label=loss)
    loss_axes.set(xlabel="epoch", ylabel="its own loss", title="loss (each run's own)")
    accuracy_axes.set(xlabel="epoch", ylabel="accuracy", title="accuracy", ylim=(0, 1.05))
    for axes in (loss_axes, accuracy_axes):
        axes.legend()
        axes.grid(alpha=0.3)
    path = _save(figure, pyplot, args.out / "race.png")
    print(f"curves: {path}", file=out)


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as pyplot
    except ImportError:
        print(
            "note: matplotlib is not installed, so no picture; pip install 'tinygrad_edu[plot]'",
            file=sys.stderr,
        )
        return None
    return pyplot


def _save(figure: Any, pyplot: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    pyplot.close(figure)
    return path


# --- gradcheck ---------------------------------------------------------------------------


def run_gradcheck(args: argparse.Namespace, out: TextIO) -> int:
    """The gradient check of every weight of a seeded MLP on a dataset."""
    X, y = _dataset(args)
    model = _model(args)
    report = gradcheck(
        _loss_function(model, X, y, args.loss),
        model,
        h=args.h,
        method=args.method,
        atol=args.atol,
        rtol=args.rtol,
    )
    print(f"{model} on {args.dataset} (n={len(X)}), loss {args.loss}", file=out)
    print(report.table(all_rows=args.all), file=out)
    return EXIT_OK if report.passed else EXIT_CHECK_FAILED


# --- landscape ---------------------------------------------------------------------------


def run_landscape(args: argparse.Namespace, out: TextIO) -> int:
    """The loss over two weights, the negative gradient as an arrow, and a few SGD steps."""
    X, y = _dataset(args)
    model = _model(args)
    named = model.named_parameters()
    names = args.weights or [named[0][0], named[1][0]]
    if len(names) != 2 or names[0] == names[1]:
        raise InputError(f"--weights needs two different names, got {names}")
    first, second = (_weight_name(named, name) for name in names)
    loss_of = _loss_function(model, X, y, args.loss)
    origin = (first.data, second.data)

    loss = loss_of()
    slope = grad(loss, [first, second])
    numeric = [numerical_derivative(loss_of, weight, h=1e-5) for weight in (first, second)]
    arrow = _unit([-slope[0], -slope[1]])
    numeric_arrow = _unit([-numeric[0], -numeric[1]])
    agreement = arrow[0] * numeric_arrow[0] + arrow[1] * numeric_arrow[1]
    print(f"{model} on {args.dataset} (n={len(X)}), loss {args.loss} = {loss.data:.6g}", file=out)
    print(f"weights: a = {names[0]} = {origin[0]:.4f}, b = {names[1]} = {origin[1]:.4f}", file=out)
    print(
        f"gradient (dL/da, dL/db) = ({slope[0]:+.4g}, {slope[1]:+.4g}); the negative gradient "
        f"points along ({arrow[0]:+.3f}, {arrow[1]:+.3f}):\n  {_direction_words(arrow, names)}",
        file=out,
    )
    print(
        "finite differences give the direction "
        f"({numeric_arrow[0]:+.3f}, {numeric_arrow[1]:+.3f}); "
        f"cosine with the arrow = {agreement:.6f}",
        file=out,
    )

    path = [(first.data, second.data, loss.data)]
    for _ in range(args.steps):
        step_loss = loss_of()
        slope_a, slope_b = grad(step_loss, [first, second])
        first.data -= args.lr * slope_a
        second.data -= args.lr * slope_b
        path.append((first.data, second.data, loss_of().data))
    start_loss, end_loss = path[0][2], path[-1][2]
    print(
        f"{args.steps} SGD steps on a and b only (lr {args.lr:g}): loss {start_loss:.6g} -> "
        f"{end_loss:.6g} ({(end_loss - start_loss) / start_loss:+.1%}); a {path[0][0]:.4f} -> "
        f"{path[-1][0]:.4f}, b {path[0][1]:.4f} -> {path[-1][1]:.4f}",
        file=out,
    )

    grid = _loss_grid(loss_of, first, second, origin, args.span, args.grid)
    first.data, second.data = origin
    _plot_landscape(grid, origin, arrow, path, names, args, out)
    if agreement < 0.999:
        print(
            f"check FAILED: the arrow and the finite-difference direction disagree "
            f"(cosine {agreement:.6f} < 0.999)",
            file=out,
        )
        return EXIT_CHECK_FAILED
    return EXIT_OK


def _unit(vector: list[float]) -> tuple[float, float]:
    length = math.hypot(*vector)
    return (vector[0] / length, vector[1] / length) if length > 0 else (0.0, 0.0)


def _direction_words(arrow: tuple[float, float], names: Sequence[str]) -> str:
    words = []
    for component, name in zip(arrow, names, strict=True):
        if abs(component) < 0.05:
            words.append(f"leave {name} about where it is")
        else:
            words.append(f"{'increase' if component > 0 else 'decrease'} {name}")
    return "to lower the loss fastest, " + " and ".join(words)


def _loss_grid(
    loss_of: Callable[[], Value],
    first: Value,
    second: Value,
    origin: tuple[float, float],
    span: float,
    size: int,
) -> tuple[list[float], list[float], list[list[float]]]:
    steps = [span * (2 * index / (size - 1) - 1) for index in range(size)]
    xs = [origin[0] + step for step in steps]
    ys = [origin[1] + step for step in steps]
    rows = []
    for b in ys:
        second.data = b
        row = []
        for a in xs:
            first.data = a
            row.append(loss_of().data)
        rows.append(row)
    return xs, ys, rows


def _plot_landscape(
    grid: tuple[list[float], list[float], list[list[float]]],
    origin: tuple[float, float],
    arrow: tuple[float, float],
    path: list[tuple[float, float, float]],
    names: Sequence[str],
    args: argparse.Namespace,
    out: TextIO,
) -> None:
    pyplot = _pyplot()
    if pyplot is None:
        return
    xs, ys, losses_grid = grid
    figure, axes = pyplot.subplots(figsize=(6.5, 5.5))
    contours = axes.contour(xs, ys, losses_grid, levels=20, cmap="viridis")
    axes.clabel(contours, fontsize=7)
    axes.plot(
        [p[0] for p in path],
        [p[1] for p in path],
        "o-",
        color="black",
        markersize=3,
        label="SGD path",
    )
    length = args.span / 3
    axes.annotate(
        "",
        xy=(origin[0] + arrow[0] * length, origin[1] + arrow[1] * length),
        xytext=origin,
        arrowprops={"arrowstyle": "->", "color": "crimson", "lw": 2},
    )
    axes.plot([], [], color="crimson", label="-gradient")
    axes.set(
        xlabel=f"a = {names[0]}",
        ylabel=f"b = {names[1]}",
        title=f"{args.loss} loss over two weights",
    )
    axes.legend(loc="upper right")
    saved = _save(figure, pyplot, args.out / "landscape.png")
    print(f"picture: {saved}", file=out)


# --- check-rules -------------------------------------------------------------------------


def run_check_rules(args: argparse.Namespace, out: TextIO) -> int:
    """Property-test every built-in derivative rule against central differences."""
    try:
        from tinygrad_edu import testing
    except ImportError as error:
        raise InputError(str(error)) from None
    try:
        report = testing.check_rules(examples=args.examples, ops=args.op or None, seed=args.seed)
    except ValueError as error:
        raise InputError(str(error)) from None
    print(report, file=out)
    return EXIT_OK if report.passed else EXIT_CHECK_FAILED


# --- the parser --------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tinygrad-edu",
        description="The lesson 'Loss e Derivadas' with a scalar autograd engine: losses, "
        "derivatives, gradient checks and computation graphs.",
        epilog="Exit codes: 0 success, 1 a check failed, 2 bad usage or input.",
    )
    from tinygrad_edu import __version__

    parser.add_argument("--version", action="version", version=f"tinygrad-edu {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    demo = commands.add_parser(
        "demo",
        help="the whole lesson: data, MLP, MSE vs cross-entropy, gradient checks, a nudge, a graph",
        description="Run the lesson end to end on a small seeded example. Succeeds even though "
        "the lesson's one-sided check misses 1e-5: explaining why is its point.",
    )
    _add_model_options(demo, n=12, hidden="4")
    demo.add_argument(
        "--h", type=_positive_float, default=1e-3, help="finite-difference step (0.001)"
    )
    demo.add_argument("--rows", type=_positive_int, default=6, help="table rows to show (6)")
    demo.add_argument(
        "--format", choices=GRAPH_FORMATS, default="svg", help="graph file format (svg)"
    )
    _add_out(demo, "tinygrad-edu-demo")
    demo.set_defaults(run=run_demo)

    graph_parser = commands.add_parser(
        "graph",
        help="build an expression from Values, print its gradients and draw its graph",
        description="Parse EXPRESSION (numbers, variables, + - * / **, and "
        f"{', '.join(FUNCTIONS)}), run backward and render the graph. Example: "
        "tinygrad-edu graph 'tanh(w*x + b)' --var w=-3 --var x=2 --var b=6.88",
    )
    graph_parser.add_argument("expression", help="e.g. 'tanh(w*x + b)'")
    graph_parser.add_argument(
        "--var",
        type=_variable,
        action="append",
        default=[],
        metavar="NAME=NUMBER",
        help="a variable's value; repeat for each variable",
    )
    graph_parser.add_argument(
        "--format", choices=GRAPH_FORMATS, default="svg", help="file format (svg)"
    )
    graph_parser.add_argument("--name", default="graph", help="file name without suffix (graph)")
    graph_parser.add_argument(
        "--rankdir", choices=("LR", "TB"), default="LR", help="layout direction (LR)"
    )
    _add_seed(graph_parser, "unused: an expression has no randomness; accepted like every command")
    _add_out(graph_parser, "tinygrad-edu-out")
    graph_parser.set_defaults(run=run_graph)

    race = commands.add_parser(
        "race",
        help="MSE vs cross-entropy from a confidently wrong start (the lesson's key insight)",
        description="Fit a seeded MLP with a sigmoid output, flip its output layer so it is "
        "confidently wrong, then train two copies, one with MSE and one with cross-entropy.",
    )
    _add_model_options(race, n=40, hidden="8")
    race.add_argument("--epochs", type=_positive_int, default=30, help="training epochs (30)")
    race.add_argument("--lr", type=_positive_float, default=0.5, help="learning rate (0.5)")
    race.add_argument(
        "--warmup", type=_positive_int, default=60, help="fitting steps before the flip (60)"
    )
    race.add_argument(
        "--flip", type=_positive_float, default=4.0, help="scale of the flipped output layer (4)"
    )
    race.add_argument(
        "--target", type=float, default=0.8, help="accuracy that counts as recovered (0.8)"
    )
    _add_out(race, "tinygrad-edu-out")
    race.set_defaults(run=run_race)

    check = commands.add_parser(
        "gradcheck",
        help="compare every weight's derivative with a finite difference",
        description="Check the analytic gradient of a seeded MLP's loss against finite "
        "differences. Exit 1 when a weight is outside atol + rtol*|numeric|.",
    )
    _add_model_options(check, n=12, hidden="4")
    check.add_argument(
        "--loss", choices=LOSSES, default="cross-entropy", help="loss (cross-entropy)"
    )
    check.add_argument("--method", choices=("central", "forward", "backward"), default="central")
    check.add_argument("--h", type=_positive_float, default=1e-3, help="step (0.001)")
    check.add_argument("--atol", type=float, default=1e-5, help="absolute tolerance (1e-5)")
    check.add_argument("--rtol", type=float, default=1e-3, help="relative tolerance (1e-3)")
    check.add_argument(
        "--all", action="store_true", help="show every parameter, not the worst ones"
    )
    _add_out(check, "tinygrad-edu-out")
    check.set_defaults(run=run_gradcheck)

    landscape = commands.add_parser(
        "landscape",
        help="the loss over two weights, the negative gradient as an arrow, SGD steps",
        description="The gradient as a direction: contour lines of the loss over two chosen "
        "weights (others fixed), the negative gradient at the current point, and a few SGD steps.",
    )
    _add_model_options(landscape, n=20, hidden="4")
    landscape.add_argument("--loss", choices=LOSSES, default="cross-entropy")
    landscape.add_argument(
        "--weights", nargs=2, metavar="NAME", help="two parameter names (the first two)"
    )
    landscape.add_argument("--span", type=_positive_float, default=2.0, help="grid half-width (2)")
    landscape.add_argument(
        "--grid", type=_positive_int, default=25, help="grid points per side (25)"
    )
    landscape.add_argument("--steps", type=_positive_int, default=10, help="SGD steps (10)")
    landscape.add_argument("--lr", type=_positive_float, default=0.5, help="learning rate (0.5)")
    _add_out(landscape, "tinygrad-edu-out")
    landscape.set_defaults(run=run_landscape)

    rules = commands.add_parser(
        "check-rules",
        help="property-test every built-in derivative rule (needs hypothesis)",
        description="For random inputs in each op's domain, compare reverse mode with a "
        "central difference. Exit 1 when any rule fails.",
    )
    rules.add_argument("--examples", type=_positive_int, default=100, help="examples per op (100)")
    rules.add_argument(
        "--op", action="append", metavar="NAME", help="check only this op (repeatable)"
    )
    _add_seed(rules, "seed of the random examples")
    rules.set_defaults(run=run_check_rules)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `tinygrad-edu` and `python -m tinygrad_edu`."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "grid", 2) < 2:
        parser.error("--grid must be at least 2")
    try:
        return int(args.run(args, sys.stdout))
    except InputError as error:
        print(f"tinygrad-edu {args.command}: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
