"""The `tinygrad-edu` command: the lesson "Loss e Derivadas" and its experiments; uses all modules.

Subcommands: demo, graph, race, gradcheck, landscape, check-rules. Each has
`--help` and `--seed`, writes files only under its `--out` directory, and exits
0 on success, 1 when a check fails, 2 on bad usage or bad input (one line on
stderr saying what to fix, never a traceback).
"""

from __future__ import annotations

import argparse
import ast
import math
import operator
import os
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TextIO

from tinygrad_edu import data, losses
from tinygrad_edu.engine import Value, grad, topological_order
from tinygrad_edu.gradcheck import gradcheck, nudge, numerical_derivative
from tinygrad_edu.nn import MLP
from tinygrad_edu.optim import SGD

EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT = 0, 1, 2
EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 130, 141
"""Ctrl-C, and a reader that stopped reading, as a shell reports them (128 + signal number)."""

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
"""The lesson's criterion: "A diferenca deve ser < 1e-5"."""
WRITES_FILES = frozenset({"demo", "graph", "race", "landscape"})
"""The subcommands that write files under --out (gradcheck and check-rules only print)."""
AGREEMENT = 0.999
"""Least cosine between the arrow and the finite-difference direction (about 2.6 degrees)."""
DRAWABLE = 1000
"""The most Values a picture may hold (viz's max_nodes): beyond it a graph is unreadable."""
FLAT = 1e-8
"""A finite-difference slope below this counts as none (its round-off is about 1e-11)."""


Points = list[data.Point]
Labels = list[int]


class InputError(Exception):
    """Bad input from the command line: reported in one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors that point to --help instead of repeating the usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


# --- shared pieces ---------------------------------------------------------------------


def _whole_number(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number >= minimum."""

    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"expected a number >= {minimum}, got {number}")
        return number

    return parse


def _real_number(*, low: float, high: float = math.inf, low_open: bool) -> Callable[[str], float]:
    """An argparse type: a finite number in [low, high] (low excluded when `low_open`)."""
    wanted = f"a finite number {'>' if low_open else '>='} {low:g}"
    if high < math.inf:
        wanted += f" and <= {high:g}"

    def parse(text: str) -> float:
        try:
            number = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}") from None
        too_low = number <= low if low_open else number < low
        if not math.isfinite(number) or too_low or number > high:
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}")
        return number

    return parse


_positive_float = _real_number(low=0.0, low_open=True)
_non_negative_float = _real_number(low=0.0, low_open=False)
_fraction = _real_number(low=0.0, high=1.0, low_open=False)


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
        "--dataset",
        choices=sorted(DATASETS),
        default="moons",
        help="2D points labelled 0/1 (moons)",
    )
    parser.add_argument(
        "--n", type=_whole_number(2), default=n, help=f"number of points, at least 2 ({n})"
    )
    parser.add_argument(
        "--noise",
        type=_non_negative_float,
        default=None,
        help="noise of the points (default: the dataset's own)",
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


def _output_directory(directory: Path) -> Path:
    """Create --out (and its parents) if needed; a path that cannot be one is bad input."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(
            f"cannot use --out {str(directory)!r} as a directory: {error.strerror}; "
            "give a folder you can write to"
        ) from None
    return directory


def _check_output_directory(directory: Path) -> None:
    """Make sure --out can be created, then take back what was created: nothing is
    written until there is a file to write."""
    missing = []
    ancestor = directory
    while not ancestor.exists() and ancestor != ancestor.parent:
        missing.append(ancestor)
        ancestor = ancestor.parent
    _output_directory(directory)
    for created in missing:  # deepest first, so each one is empty when removed
        created.rmdir()


def _render(root: Value, path: Path, **options: Any) -> Path:
    """Render with Graphviz; without the dot program, say so in one line on stderr."""
    from tinygrad_edu import viz

    _output_directory(path.parent)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", viz.GraphvizNotFoundWarning)
        written = Path(viz.render(root, path, max_nodes=DRAWABLE, **options))
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
    shown = ", ".join(name for name, _ in named[:3])
    raise InputError(
        f"no weight named {wanted!r} in this network; names look like {shown}, ..., "
        f"{named[-1][0]} (`tinygrad-edu gradcheck --all` lists every name)"
    )


@contextmanager
def _reported_as_bad_input(advice: str) -> Iterator[None]:
    """Turn a numeric failure that the options caused (an overflow, a NaN, an h too small
    to move a weight) into a one-line error with `advice` on which option to change."""
    try:
        yield
    except (ValueError, ArithmeticError) as error:
        raise InputError(f"{error} ({advice})") from None


# --- demo --------------------------------------------------------------------------------


def _run_demo(args: argparse.Namespace, out: TextIO) -> int:
    """The lesson end to end: data, MLP, both losses, gradient checks, a nudge, a graph."""
    with _reported_as_bad_input("try the default --h, --noise and --hidden"):
        return _demo(args, out)


def _demo(args: argparse.Namespace, out: TextIO) -> int:
    X, y = _dataset(args)
    model = _model(args)
    named = model.named_parameters()

    _heading('1. The data: 2D points with labels 0/1 ("pontos 2D sinteticos com classes 0/1")', out)
    print(
        f"{args.dataset}: {len(X)} points, {y.count(0)} of class 0 and {y.count(1)} of class 1",
        file=out,
    )
    for index, (point, label) in enumerate(zip(X[:5], y[:5], strict=True)):
        print(f"  point {index}: ({point[0]: .3f}, {point[1]: .3f})  label {label}", file=out)
    if len(X) > 5:
        print(f"  ... {len(X) - 5} more", file=out)

    _heading("2. The model: an MLP whose output is one logit z", out)
    print(
        f"{model}: {len(named)} parameters; p = sigmoid(z) is the probability of class 1", file=out
    )

    _heading(
        '3. MSE and cross-entropy on the same input ("Compare os valores para o mesmo input")', out
    )
    comparison = losses.compare_losses(model, X, y)
    shown = losses.LossComparison(
        comparison.rows[: args.rows], comparison.mse, comparison.cross_entropy
    )
    print(shown, file=out)
    if len(comparison.rows) > args.rows:
        print(
            f"(first {args.rows} of {len(comparison.rows)} examples; the means use all; "
            "--rows shows more)",
            file=out,
        )
    print(
        "MSE compares p with y; cross-entropy charges -log of the probability given to the right\n"
        "class. Their gradients w.r.t. z (the last two columns) differ by the factor\n"
        "2*sigmoid'(z), which vanishes when the output saturates: "
        '"MSE para regressao, Cross-Entropy\npara classificacao" (`tinygrad-edu race` shows it).',
        file=out,
    )

    loss_of = _loss_function(model, X, y, "cross-entropy")
    _heading(f"4. Gradient check of the cross-entropy, h = {args.h:g}", out)
    print(
        "The lesson's check: move one weight by +h, recompute the loss, and compare\n"
        "(loss_new - loss_old) / h with the analytic derivative; "
        f'"A diferenca deve ser < {LESSON_TOLERANCE:g}".',
        file=out,
    )
    forward = gradcheck(loss_of, model, h=args.h, method="forward", atol=LESSON_TOLERANCE, rtol=0)
    central = gradcheck(loss_of, model, h=args.h, method="central", atol=LESSON_TOLERANCE, rtol=0)
    for report in (forward, central):
        table = report.table(max_rows=args.rows, more_hint="--rows N shows more")
        print(f"\n{table}", file=out)
    worst = forward.worst
    print(
        f"\nVerdict against {LESSON_TOLERANCE:g}:\n"
        f"  forward (the lesson's): {'passes' if forward.passed else 'misses'}, "
        f"{len(forward.failures)} of {len(forward.rows)} weights fail; worst {worst.name}:\n"
        f"    measured error {worst.abs_error:.2e}, predicted h/2*|f''| = "
        f"{worst.predicted_error or 0.0:.2e}\n"
        f"  central: {'passes' if central.passed else 'FAILS'}, worst error "
        f"{central.worst.abs_error:.2e}\n{_verdict_reason(forward.passed, central.passed)}",
        file=out,
    )

    _heading('5. "Se eu mexer nesse peso um pouquinho pra cima, o loss sobe ou desce?"', out)
    steepest = max(central.rows, key=lambda row: abs(row.analytic))
    print(
        "If I move this weight up a little, does the loss go up or down?\n"
        f"The weight with the steepest slope is {steepest.name}:",
        file=out,
    )
    print(nudge(loss_of, dict(named)[steepest.name], h=args.h, name=steepest.name), file=out)

    _heading("6. The computation graph of one example's loss", out)
    example_loss = losses.binary_cross_entropy_with_logits([_labelled_logit(model, X[0])], [y[0]])
    example_loss.label = "loss"
    if example_loss._op == "/" and not example_loss._prev[-1]._prev:
        example_loss._prev[-1].label = "n"  # the mean over one example divides by n = 1
    example_loss.backward()
    size = len(topological_order(example_loss))
    if size > DRAWABLE:
        print(
            f"note: the graph of one example's loss has {size:,} values, more than the "
            f"{DRAWABLE:,} a readable picture holds, so it is not drawn; try a smaller --hidden",
            file=sys.stderr,
        )
        return EXIT_CHECK_FAILED if not central.passed else EXIT_OK
    path = _render(
        example_loss, args.out / f"graph-one-example.{args.format}", params=model, legend=True
    )
    model.zero_grad()
    print(
        f"the cross-entropy of point 0 (label {y[0]}) with every gradient d(loss)/d(value):\n"
        f"  {path}\n"
        "x0, x1 are the point's coordinates, hL.j the output of neuron j of hidden layer L,\n"
        "z the logit and n the number of examples (here 1); weights and biases carry the names\n"
        "of the tables above. Red: increasing that value raises the loss; blue: lowers it.",
        file=out,
    )
    return EXIT_CHECK_FAILED if not central.passed else EXIT_OK


def _verdict_reason(forward_passed: bool, central_passed: bool) -> str:
    if not central_passed:
        return (
            "The central difference fails too: h may be too large or too small for these\n"
            "weights (try --h 1e-4), or a derivative rule is wrong (tinygrad-edu check-rules)."
        )
    if forward_passed:
        return "Both pass here: with this h the curvature term h/2*|f''| stays under the tolerance."
    return (
        "The analytic gradient is right: the forward difference also measures the curvature,\n"
        "which the central difference cancels."
    )


def _labelled_logit(model: MLP, x: data.Point) -> Value:
    """The model's logit for x, layer by layer, with inputs, hidden outputs and z labelled."""
    values = [Value(x[0], label="x0"), Value(x[1], label="x1")]
    for index, layer in enumerate(model.layers):
        output = layer(values)
        values = output if isinstance(output, list) else [output]
        for position, value in enumerate(values):
            value.label = f"h{index}.{position}"
    (logit,) = values
    logit.label = "z"
    return logit


# --- graph -------------------------------------------------------------------------------

FUNCTIONS = ("exp", "log", "tanh", "sigmoid", "relu", "softplus", "sqrt", "abs")
"""Functions an expression may call: the Value methods of the same names."""
BINARY_OPERATORS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
ALLOWED = "numbers, variables, + - * / ** unary -, parentheses and " + ", ".join(FUNCTIONS)
SHOWN_CHARACTERS = 60
"""How much of a long expression an error message repeats."""


def _shown(text: str) -> str:
    return repr(text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS] + "...")


def parse_expression(text: str, variables: dict[str, Value]) -> Value:
    """Build `text` from Values with a whitelist over Python's syntax tree (never eval).

    Raises InputError for anything outside the whitelist, for a variable with
    no value, and for an expression without variables.

    >>> x = Value(2.0, label='x')
    >>> parse_expression('tanh(x * 0.5) + x ** 2', {'x': x}).data
    4.761594155955764
    """
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError) as error:
        # The first clause says it; the rest of Python's message is advice for programs.
        reason = error.msg.split(";")[0] if isinstance(error, SyntaxError) else "too deep"
        raise InputError(f"cannot parse {_shown(text)}: {reason}; allowed: {ALLOWED}") from None
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    missing = [name for name in sorted(names - called) if name not in variables]
    if missing:
        hint = " ".join(f"--var {name}=1.0" for name in missing)
        raise InputError(f"no value for {', '.join(missing)}; give one with {hint}")
    try:
        result = _build(tree.body, variables)
    except RecursionError:
        raise InputError(
            f"{_shown(text)} is nested too deeply to build (at most a few hundred levels)"
        ) from None
    if not isinstance(result, Value):
        raise InputError(
            f"{_shown(text)} uses no variable, so it has no gradient; e.g. 'x * 2' --var x=1"
        )
    return result


def _build(node: ast.AST, variables: dict[str, Value]) -> Value | float:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        if isinstance(node.value, bool):
            raise InputError(f"{node.value} is not a number; use 1 or 0")
        try:
            return float(node.value)
        except OverflowError:
            raise InputError(f"the number {_shown(str(node.value))} is too large") from None
    if isinstance(node, ast.Name) and node.id in variables:
        return variables[node.id]
    if isinstance(node, ast.BinOp) and type(node.op) in BINARY_OPERATORS:
        left, right = _build(node.left, variables), _build(node.right, variables)
        result = BINARY_OPERATORS[type(node.op)](left, right)
        if not isinstance(result, (Value, float)):  # e.g. (-8) ** (1/3) is complex
            raise InputError(f"{_shown(ast.unparse(node))} is not a real number")
        return result
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _build(node.operand, variables)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = node.func.id
        if name not in FUNCTIONS:
            raise InputError(f"unknown function {name!r}; allowed: {', '.join(FUNCTIONS)}")
        if len(node.args) != 1 or node.keywords:
            raise InputError(f"{name}() takes exactly one argument, e.g. {name}(x)")
        argument = _build(node.args[0], variables)
        value = argument if isinstance(argument, Value) else Value(argument)
        return getattr(value, name)()  # type: ignore[no-any-return]
    raise InputError(f"unsupported syntax {_shown(ast.unparse(node))}; allowed: {ALLOWED}")


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
        value = float(number)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"the value of {name} must be a number, got {number.strip()!r}"
        ) from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(
            f"the value of {name} must be a finite number, got {number.strip()!r}"
        )
    return name, value


def _file_stem(text: str) -> str:
    """A file name without folders, so that the file stays inside --out."""
    if not text or text in (".", "..") or "/" in text or "\\" in text:
        raise argparse.ArgumentTypeError(
            f"expected a plain file name such as 'neuron' (no folders; use --out for those), "
            f"got {text!r}"
        )
    return text


def _run_graph(args: argparse.Namespace, out: TextIO) -> int:
    """Build an expression from Values, backpropagate, print gradients, draw the graph."""
    variables: dict[str, Value] = {}
    for name, number in args.var:
        if name in variables:
            raise InputError(f"--var {name}= is given twice; give each variable once")
        variables[name] = Value(number, label=name)
    try:
        result = parse_expression(args.expression, variables)
        result.label = result.label or "out"
        result.backward()
    except (ValueError, ArithmeticError) as error:
        raise InputError(str(error)) from None
    size = len(topological_order(result))
    if size > DRAWABLE:
        raise InputError(
            f"{_shown(args.expression)} makes a graph of {size:,} values, more than the "
            f"{DRAWABLE:,} a readable picture holds; draw a shorter expression"
        )
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


def _run_race(args: argparse.Namespace, out: TextIO) -> int:
    """Train the same confidently wrong network with MSE and with cross-entropy."""
    X, y = _dataset(args)
    with _reported_as_bad_input("training diverged: try a smaller --lr or --flip"):
        history = _race(args, X, y, out)

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
    if ce_epoch is not None and mse_epoch is None:
        print(
            f"cross-entropy left the saturated region within {ce_epoch} epochs; "
            f"MSE had not after {args.epochs}.",
            file=out,
        )
    elif ce_epoch is not None and mse_epoch is not None and ce_epoch < mse_epoch:
        print(
            f"cross-entropy left the saturated region {mse_epoch - ce_epoch} epochs sooner.",
            file=out,
        )
    print(
        "MSE's gradient carries sigmoid'(z), near 0 when the sigmoid saturates, so it crawls\n"
        "out of a confident mistake; cross-entropy's gradient is p - y, large exactly there:\n"
        "\"O termo sigma'(z) nos gradientes do MSE causa aprendizado lento quando neuronios "
        'saturam."',
        file=out,
    )
    _plot_race(history, args, out)
    return EXIT_OK


def _race(
    args: argparse.Namespace, X: Points, y: Labels, out: TextIO
) -> dict[str, list[tuple[float, float]]]:
    """Train both copies, printing one row per epoch as it finishes; (loss, accuracy) history."""
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
    return history


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
    accuracy_axes.axhline(
        args.target, color="grey", linestyle="--", linewidth=1, label=f"target {args.target:.0%}"
    )
    loss_axes.set(xlabel="epoch", ylabel="its own loss", title="loss (each run's own)")
    accuracy_axes.set(xlabel="epoch", ylabel="accuracy", title="accuracy", ylim=(0, 1.05))
    for axes in (loss_axes, accuracy_axes):
        axes.legend()
        axes.grid(alpha=0.3)
    figure.suptitle("the same confidently wrong start, trained with MSE and with cross-entropy")
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
    _output_directory(path.parent)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    pyplot.close(figure)
    return path


# --- gradcheck ---------------------------------------------------------------------------


def _run_gradcheck(args: argparse.Namespace, out: TextIO) -> int:
    """The gradient check of every weight of a seeded MLP on a dataset."""
    X, y = _dataset(args)
    model = _model(args)
    with _reported_as_bad_input("try the default --h 1e-3 and --noise"):
        report = gradcheck(
            _loss_function(model, X, y, args.loss),
            model,
            h=args.h,
            method=args.method,
            atol=args.atol,
            rtol=args.rtol,
        )
    print(f"{model} on {args.dataset} (n={len(X)}), loss {args.loss}", file=out)
    print(report.table(all_rows=args.all, more_hint="--all shows all"), file=out)
    return EXIT_OK if report.passed else EXIT_CHECK_FAILED


# --- landscape ---------------------------------------------------------------------------


def _run_landscape(args: argparse.Namespace, out: TextIO) -> int:
    """The loss over two weights, the negative gradient as an arrow, and a few SGD steps."""
    with _reported_as_bad_input("try a smaller --lr or --span, or the default --noise"):
        return _landscape(args, out)


def _landscape(args: argparse.Namespace, out: TextIO) -> int:
    X, y = _dataset(args)
    model = _model(args)
    named = model.named_parameters()
    names = args.weights or [named[0][0], named[1][0]]
    if names[0] == names[1]:
        raise InputError(f"--weights needs two different names, got {names[0]!r} twice")
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
    print(
        f"a = {names[0]} = {origin[0]:.4f}, b = {names[1]} = {origin[1]:.4f} "
        "(the other weights stay fixed)",
        file=out,
    )
    print(f"gradient (dL/da, dL/db) = ({slope[0]:+.4g}, {slope[1]:+.4g})", file=out)
    flat = arrow == (0.0, 0.0)
    if flat:
        # No direction to compare: agree only if finite differences see no slope either.
        agreement = 1.0 if math.hypot(*numeric) < FLAT else 0.0
        print(
            "the loss is flat here in a and b, so there is no direction to follow; "
            "try --weights with two others",
            file=out,
        )
    else:
        print(
            f"the arrow, the negative gradient, points along ({arrow[0]:+.3f}, {arrow[1]:+.3f}):\n"
            f"  {_direction_words(arrow, names)}",
            file=out,
        )
    print(
        f"finite differences point along ({numeric_arrow[0]:+.3f}, {numeric_arrow[1]:+.3f}); "
        f"cosine with the arrow = {agreement:.6f}\n"
        f"  (they agree when the cosine is >= {AGREEMENT})",
        file=out,
    )

    path = _descend(loss_of, first, second, args)
    start_loss, end_loss = path[0][2], path[-1][2]
    change = f" ({(end_loss - start_loss) / start_loss:+.1%})" if start_loss else ""
    print(
        f"{args.steps} SGD steps on a and b (lr {args.lr:g}): loss {start_loss:.6g} -> "
        f"{end_loss:.6g}{change}\n"
        f"  a {path[0][0]:.4f} -> {path[-1][0]:.4f}, b {path[0][1]:.4f} -> {path[-1][1]:.4f}",
        file=out,
    )

    reach = max(max(abs(a - origin[0]), abs(b - origin[1])) for a, b, _ in path)
    span = max(args.span, 1.15 * reach)
    grid = _loss_grid(loss_of, first, second, origin, span, args.grid)
    first.data, second.data = origin
    _plot_landscape(grid, origin, arrow, path, names, args, out)
    if agreement < AGREEMENT:
        print(
            f"check FAILED: the arrow and the finite-difference direction disagree "
            f"(cosine {agreement:.6f} < {AGREEMENT})",
            file=out,
        )
        return EXIT_CHECK_FAILED
    return EXIT_OK


def _descend(
    loss_of: Callable[[], Value], first: Value, second: Value, args: argparse.Namespace
) -> list[tuple[float, float, float]]:
    """`args.steps` plain gradient steps on two weights: the (a, b, loss) visited."""
    path = [(first.data, second.data, loss_of().data)]
    for _ in range(args.steps):
        slope_a, slope_b = grad(loss_of(), [first, second])
        first.data -= args.lr * slope_a
        second.data -= args.lr * slope_b
        path.append((first.data, second.data, loss_of().data))
    return path


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
        [point[0] for point in path],
        [point[1] for point in path],
        "o-",
        color="black",
        markersize=3,
        label=f"{args.steps} SGD steps",
    )
    axes.plot(*origin, "o", color="crimson", markersize=6, label="start")
    length = (xs[-1] - xs[0]) / 6
    axes.annotate(
        "",
        xy=(origin[0] + arrow[0] * length, origin[1] + arrow[1] * length),
        xytext=origin,
        arrowprops={"arrowstyle": "-|>", "color": "crimson", "lw": 2},
    )
    axes.plot([], [], color="crimson", lw=2, label="-gradient (steepest descent)")
    axes.set(
        xlabel=f"a = {names[0]}",
        ylabel=f"b = {names[1]}",
        title=f"{args.loss} loss over two weights (the others fixed)",
        aspect="equal",
    )
    axes.legend(loc="upper right", fontsize=8)
    saved = _save(figure, pyplot, args.out / "landscape.png")
    print(f"picture: {saved}", file=out)


# --- check-rules -------------------------------------------------------------------------


def _run_check_rules(args: argparse.Namespace, out: TextIO) -> int:
    """Property-test every built-in derivative rule against central differences."""
    try:
        from tinygrad_edu import testing
    except ImportError as error:  # hypothesis, the optional 'testing' extra, is missing
        raise InputError(str(error)) from None
    from hypothesis.configuration import set_hypothesis_home_dir

    # Hypothesis caches what it learns in ./.hypothesis; this command writes no file,
    # so the cache goes to a temporary folder that is removed at the end.
    with tempfile.TemporaryDirectory(prefix="tinygrad-edu-") as scratch:
        set_hypothesis_home_dir(scratch)
        try:
            report = testing.check_rules(
                examples=args.examples, ops=args.op or None, seed=args.seed
            )
        except ValueError as error:
            raise InputError(str(error)) from None
        finally:
            set_hypothesis_home_dir(None)
    print(report, file=out)
    return EXIT_OK if report.passed else EXIT_CHECK_FAILED


# --- the parser --------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The `tinygrad-edu` argument parser with its six subcommands.

    >>> args = build_parser().parse_args(['graph', 'w * x', '--var', 'w=-3', '--var', 'x=2'])
    >>> args.command, args.expression, args.var
    ('graph', 'w * x', [('w', -3.0), ('x', 2.0)])
    """
    parser = _Parser(
        prog="tinygrad-edu",
        description="The lesson 'Loss e Derivadas' with a scalar autograd engine: losses, "
        "derivatives, gradient checks and computation graphs.",
        epilog="Start with: tinygrad-edu demo. Exit codes: 0 success, 1 a check failed, "
        "2 bad usage or input.",
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
    demo.add_argument("--rows", type=_whole_number(1), default=6, help="table rows to show (6)")
    demo.add_argument(
        "--format", choices=GRAPH_FORMATS, default="svg", help="graph file format (svg)"
    )
    _add_out(demo, "tinygrad-edu-demo")
    demo.set_defaults(run=_run_demo)

    graph_parser = commands.add_parser(
        "graph",
        help="build an expression from Values, print its gradients and draw its graph",
        description="Parse EXPRESSION (numbers, variables, + - * / **, and "
        f"{', '.join(FUNCTIONS)}), run backward and render the graph. Example: "
        "tinygrad-edu graph 'tanh(w*x + b)' --var w=-3 --var x=2 --var b=6.88. "
        "An expression that starts with '-' goes after --, e.g. "
        "tinygrad-edu graph --var x=2 -- '-x*3'.",
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
    graph_parser.add_argument(
        "--name", type=_file_stem, default="graph", help="file name without suffix (graph)"
    )
    graph_parser.add_argument(
        "--rankdir", choices=("LR", "TB"), default="LR", help="layout direction (LR)"
    )
    _add_seed(graph_parser, "unused: an expression has no randomness; accepted like every command")
    _add_out(graph_parser, "tinygrad-edu-out")
    graph_parser.set_defaults(run=_run_graph)

    race = commands.add_parser(
        "race",
        help="MSE vs cross-entropy from a confidently wrong start (the lesson's key insight)",
        description="Fit a seeded MLP with a sigmoid output, flip its output layer so it is "
        "confidently wrong, then train two copies, one with MSE and one with cross-entropy.",
    )
    _add_model_options(race, n=40, hidden="8")
    race.add_argument("--epochs", type=_whole_number(1), default=30, help="training epochs (30)")
    race.add_argument("--lr", type=_positive_float, default=0.5, help="learning rate (0.5)")
    race.add_argument(
        "--warmup", type=_whole_number(0), default=60, help="fitting steps before the flip (60)"
    )
    race.add_argument(
        "--flip", type=_positive_float, default=4.0, help="scale of the flipped output layer (4)"
    )
    race.add_argument(
        "--target", type=_fraction, default=0.8, help="accuracy that counts as recovered (0.8)"
    )
    _add_out(race, "tinygrad-edu-out")
    race.set_defaults(run=_run_race)

    check = commands.add_parser(
        "gradcheck",
        help="compare every weight's derivative with a finite difference",
        description="Check the analytic gradient of a seeded MLP's loss against finite "
        "differences. Exit 1 when a weight is outside atol + rtol*|numeric|. The lesson's "
        "check is --method forward --atol 1e-5 --rtol 0.",
    )
    _add_model_options(check, n=12, hidden="4")
    check.add_argument(
        "--loss", choices=LOSSES, default="cross-entropy", help="loss (cross-entropy)"
    )
    check.add_argument(
        "--method",
        choices=("central", "forward", "backward"),
        default="central",
        help="finite difference (central); forward is the lesson's",
    )
    check.add_argument("--h", type=_positive_float, default=1e-3, help="step (0.001)")
    check.add_argument(
        "--atol", type=_non_negative_float, default=1e-5, help="absolute tolerance (1e-5)"
    )
    check.add_argument(
        "--rtol", type=_non_negative_float, default=1e-3, help="relative tolerance (1e-3)"
    )
    check.add_argument(
        "--all", action="store_true", help="show every parameter, not only the worst ones"
    )
    _add_out(check, "tinygrad-edu-out")
    check.set_defaults(run=_run_gradcheck)

    landscape = commands.add_parser(
        "landscape",
        help="the loss over two weights, the negative gradient as an arrow, SGD steps",
        description="The gradient as a direction ('gradiente como direcao'): contour lines of "
        "the loss over two chosen weights (the others fixed), the negative gradient at the "
        "current point, and a few SGD steps. Exit 1 if the arrow disagrees with the direction "
        "finite differences give.",
    )
    _add_model_options(landscape, n=20, hidden="4")
    landscape.add_argument(
        "--loss", choices=LOSSES, default="cross-entropy", help="loss (cross-entropy)"
    )
    landscape.add_argument(
        "--weights", nargs=2, metavar="NAME", help="two parameter names (the first two)"
    )
    landscape.add_argument(
        "--span",
        type=_positive_float,
        default=2.0,
        help="grid half-width around the start (2; widened to hold the SGD path)",
    )
    landscape.add_argument(
        "--grid", type=_whole_number(2), default=25, help="grid points per side (25)"
    )
    landscape.add_argument("--steps", type=_whole_number(1), default=10, help="SGD steps (10)")
    landscape.add_argument("--lr", type=_positive_float, default=2.0, help="learning rate (2)")
    _add_out(landscape, "tinygrad-edu-out")
    landscape.set_defaults(run=_run_landscape)

    rules = commands.add_parser(
        "check-rules",
        help="property-test every built-in derivative rule (needs hypothesis)",
        description="For random inputs in each op's domain, compare reverse mode with a "
        "central difference. Exit 1 when any rule fails.",
    )
    rules.add_argument(
        "--examples", type=_whole_number(1), default=100, help="examples per op (100)"
    )
    rules.add_argument(
        "--op", action="append", metavar="NAME", help="check only this op (repeatable)"
    )
    _add_seed(rules, "seed of the random examples")
    rules.set_defaults(run=_run_check_rules)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `tinygrad-edu` and `python -m tinygrad_edu`; returns the exit code.

    >>> main(['graph', 'x * 3', '--var', 'x=2', '--format', 'nope'])
    2
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version and usage errors
        return stop.code if isinstance(stop.code, int) else EXIT_BAD_INPUT
    try:
        if args.command in WRITES_FILES:
            _check_output_directory(args.out)  # fail before the work, not after it
        return int(args.run(args, sys.stdout))
    except InputError as error:
        print(f"tinygrad-edu {args.command}: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # the reader went away, e.g. `tinygrad-edu race | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as error:
        print(
            f"tinygrad-edu {args.command}: error: cannot write {error.filename or 'a file'}: "
            f"{error.strerror}; check --out",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"tinygrad-edu {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
