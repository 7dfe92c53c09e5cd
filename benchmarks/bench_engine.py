"""Benchmark tinygrad_edu against micrograd 0.1.0, plain Python floats and PyTorch (when installed).

Imports tinygrad_edu and the standard library; micrograd and torch are optional
imports (the full run requires micrograd). Four workloads, in one process:

1. a training step of MLP(2, [16, 16, 1]) with MSE over 100 fixed points;
2. bytes per node of a 100k-node graph after the forward pass (tracemalloc);
3. the deepest chain `v = v * 1.0001 + 0.0` whose backward pass works;
4. forward + backward time per node at 1e3 and 1e5 nodes (how it grows).

The garbage collector stays on with the thresholds the user has, as in a
learner's own training loop. The script only calls gc.collect() before each
sample, outside the timed region, so one engine's garbage is not charged to
the next. torch is imported last, after the other engines are measured: its
import adds about 150,000 objects that every full collection then walks, which
would slow every engine in the process. Run it with --help for the options;
docs/performance.md explains the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib
import importlib.metadata
import importlib.util
import os
import platform
import pstats
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import mul
from types import ModuleType
from typing import Any, cast

import tinygrad_edu
from tinygrad_edu import engine, losses, nn
from tinygrad_edu.engine import Value, topological_order

GRADIENT_TOLERANCE = 1e-12
N_INPUTS = 2
LAYER_SIZES = [16, 16, 1]
N_POINTS = 100
SEED = 0
MIN_REPEATS = 5
"""Every timing reports the minimum and median of at least this many repeats."""
CHAIN_FACTOR = 1.0001
MICROGRAD_VERSION = "0.1.0"

TINYGRAD = "tinygrad_edu"
MICROGRAD = "micrograd"
TORCH = "torch"
PLAIN = "plain floats"
PLAIN_FORWARD = "plain floats, forward only"
SUMMARY_COLUMNS = (MICROGRAD, TORCH, PLAIN, TINYGRAD)

TRAINING = "training step"
MEMORY = "memory per node, 100k-node graph"
CHAIN = "deepest chain v = v*1.0001 + 0.0"
SCALING = "fwd+bwd us/node growth, 1e3 -> 1e5 nodes"

CLOCKS: dict[str, tuple[Callable[[], float], str]] = {
    "cpu": (
        time.process_time,
        "times are this process's CPU time (time.process_time): other processes on a shared "
        "machine do not count; --clock wall measures wall-clock time",
    ),
    "wall": (time.perf_counter, "times are wall-clock time (time.perf_counter)"),
}

Weights = list[list[tuple[list[float], float]]]
"""Per layer, per neuron: (input weights, bias), in the order `parameters()` lists them."""


# --- The engines --------------------------------------------------------------------


@dataclass
class Engines:
    """The optional engines in this Python; torch is found at once but imported last."""

    micrograd: ModuleType | None = None
    micrograd_nn: ModuleType | None = None
    torch: ModuleType | None = None
    torch_installed: bool = False
    notes: list[str] = field(default_factory=list)

    def installed(self, name: str) -> bool:
        return {
            TINYGRAD: True,
            PLAIN: True,
            MICROGRAD: self.micrograd is not None,
            TORCH: self.torch_installed,
        }[name]


def find_engines() -> Engines:
    """Import micrograd if it is installed and see whether torch is; never install anything."""
    engines = Engines()
    try:
        engines.micrograd = importlib.import_module("micrograd.engine")
        engines.micrograd_nn = importlib.import_module("micrograd.nn")
    except ImportError:
        engines.notes.append(
            "micrograd is not installed: install it with "
            f"`pip install micrograd=={MICROGRAD_VERSION}` "
            "(`make bench` does, through the project's `bench` extra)"
        )
    else:
        version = importlib.metadata.version("micrograd")
        if version != MICROGRAD_VERSION:
            engines.notes.append(f"micrograd {version} is installed; the targets assume 0.1.0")
    engines.torch_installed = importlib.util.find_spec("torch") is not None
    if not engines.torch_installed:
        engines.notes.append(
            "torch is not installed, so its column is skipped (the project never installs it; "
            "run this script from an environment that has it to fill the column)"
        )
    return engines


def import_torch(engines: Engines) -> bool:
    """Import torch now, after the other engines were measured; say so if it fails."""
    try:
        engines.torch = importlib.import_module("torch")
    except Exception as error:  # a broken install should cost the column, not the run
        engines.torch_installed = False
        engines.notes.append(f"torch is installed but failed to import ({error}); skipped")
        return False
    return True


# --- Timing ----------------------------------------------------------------------------


@dataclass
class Timing:
    """Seconds per call, one figure per repeat, and the collector's share of a call."""

    per_call: list[float]
    calls_per_sample: int
    collector_per_call: list[float]  # seconds in gen-0, gen-1 and gen-2 collections
    collections_per_call: list[float]  # how many of each

    @property
    def best(self) -> float:
        return min(self.per_call)

    @property
    def median(self) -> float:
        return statistics.median(self.per_call)


class CollectorClock:
    """Adds up the time CPython's collector spends in each generation; it only observes.

    Use it as a context manager: it is in `gc.callbacks` only inside the block.
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.seconds = [0.0, 0.0, 0.0]
        self.collections = [0, 0, 0]
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = self._clock()
        else:
            generation = info["generation"]
            self.seconds[generation] += self._clock() - self._started
            self.collections[generation] += 1

    def __enter__(self) -> CollectorClock:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        gc.callbacks.remove(self)


def calls_per_sample(
    function: Callable[[], object], sample_seconds: float, clock: Callable[[], float]
) -> int:
    """Run `function` once (a warm-up) and say how many calls fill about `sample_seconds`."""
    gc.collect()
    start = clock()
    function()
    elapsed = clock() - start
    return max(1, round(sample_seconds / max(elapsed, 1e-9)))


def time_interleaved(
    candidates: dict[str, Callable[[], object]],
    repeats: int,
    sample_seconds: float,
    clock: Callable[[], float],
) -> dict[str, Timing]:
    """Time every candidate `repeats` times, taking turns, so machine noise hits all alike.

    Each turn starts one place further along the list, so no candidate always
    runs right after the same neighbour. A sample is several calls when one
    call is short, so the collector's periodic full collections fall into
    samples as often as they do in a training loop.
    """
    names = list(candidates)
    numbers = {name: calls_per_sample(candidates[name], sample_seconds, clock) for name in names}
    per_call: dict[str, list[float]] = {name: [] for name in names}
    clocks = {name: CollectorClock(clock) for name in names}
    for repeat in range(repeats):
        shift = repeat % len(names)
        for name in names[shift:] + names[:shift]:
            function, number = candidates[name], numbers[name]
            gc.collect()  # start from a clean heap; the collector stays on while timing
            with clocks[name]:
                start = clock()
                for _ in range(number):
                    function()
                elapsed = clock() - start
            per_call[name].append(elapsed / number)
    return {
        name: Timing(
            per_call[name],
            numbers[name],
            [seconds / (numbers[name] * repeats) for seconds in clocks[name].seconds],
            [count / (numbers[name] * repeats) for count in clocks[name].collections],
        )
        for name in names
    }


# --- Formatting ------------------------------------------------------------------------


def format_seconds(seconds: float) -> str:
    """1.34 s, 6.3 ms or 812 us: three significant figures."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-6:.3g} us"


def format_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A plain-text table with columns padded to their widest cell; short rows end blank."""
    all_rows = [list(header), *(list(row) + [""] * (len(header) - len(row)) for row in rows)]
    widths = [max(len(row[column]) for row in all_rows) for column in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in all_rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def format_markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo, or what `platform` knows."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine_lines(engines: Engines) -> list[str]:
    """Python, platform, CPU and engine versions: what every table was measured on."""
    versions = [f"tinygrad_edu {tinygrad_edu.__version__}"]
    if engines.micrograd is not None:
        versions.append(f"micrograd {importlib.metadata.version('micrograd')}")
    if engines.torch is not None:
        versions.append(f"torch {engines.torch.__version__}")
    return [
        f"Python {platform.python_version()} ({platform.python_implementation()}) "
        f"on {platform.platform()}",
        f"{os.cpu_count()} CPUs: {cpu_model()}; {', '.join(versions)}",
    ]


def collector_line() -> str:
    """The collector's state, which this script never changes."""
    return (
        f"gc.isenabled() = {gc.isenabled()}, gc.get_threshold() = {gc.get_threshold()} "
        f"(left as they are); {len(gc.get_objects()):,} objects tracked by the collector; "
        f"sys.getrecursionlimit() = {sys.getrecursionlimit()}"
    )


# --- Workload 1: a training step ----------------------------------------------------


def make_weights(seed: int) -> Weights:
    """Weights and biases uniform in [-1, 1], the same for every engine."""
    rng = random.Random(seed)
    weights: Weights = []
    fan_in = N_INPUTS
    for size in LAYER_SIZES:
        layer = [
            ([rng.uniform(-1, 1) for _ in range(fan_in)], rng.uniform(-1, 1)) for _ in range(size)
        ]
        weights.append(layer)
        fan_in = size
    return weights


def flatten(weights: Weights) -> list[float]:
    """The numbers of `weights` in `parameters()` order: per neuron, its weights then its bias."""
    return [number for layer in weights for row, bias in layer for number in (*row, bias)]


def make_points(seed: int) -> tuple[list[tuple[float, float]], list[float]]:
    """100 fixed 2D points in [-2, 2]^2, labelled 1.0 where x1 * x2 > 0 (an XOR pattern)."""
    rng = random.Random(seed)
    points = [(rng.uniform(-2, 2), rng.uniform(-2, 2)) for _ in range(N_POINTS)]
    targets = [1.0 if x1 * x2 > 0 else 0.0 for x1, x2 in points]
    return points, targets


def load_weights(parameters: Sequence[Any], weights: Weights) -> None:
    """Copy `weights` into a model's parameters, which must be listed in the same order."""
    numbers = flatten(weights)
    if len(parameters) != len(numbers):
        raise ValueError(f"the model has {len(parameters)} parameters, the weights {len(numbers)}")
    for parameter, number in zip(parameters, numbers, strict=True):
        parameter.data = number


def plain_predict(weights: Weights, point: Sequence[float]) -> float:
    """The network on plain floats: relu hidden layers, a linear output."""
    last = len(weights) - 1
    activations = list(point)
    for index, layer in enumerate(weights):
        sums = [sum(map(mul, row, activations), bias) for row, bias in layer]
        activations = sums if index == last else [max(s, 0.0) for s in sums]
    return activations[0]


def plain_loss(
    weights: Weights, points: Sequence[Sequence[float]], targets: Sequence[float]
) -> float:
    """MSE on plain floats, forward only: the floor for any engine."""
    total = 0.0
    for point, target in zip(points, targets, strict=True):
        error = plain_predict(weights, point) - target
        total += error * error
    return total / len(points)


def plain_loss_and_gradients(
    weights: Weights, points: Sequence[Sequence[float]], targets: Sequence[float]
) -> tuple[float, list[float]]:
    """The same forward pass, then the chain rule written out by hand for this network.

    Returns the loss and d(loss)/d(parameter) in `parameters()` order. Each
    point's backward pass keeps the layer inputs and the upstream gradients;
    the weight gradients are then sums over the points, done by `sum(map(...))`
    in C: about as fast as pure Python gets.
    """
    last = len(weights) - 1
    columns = [list(zip(*(row for row, _ in layer), strict=True)) for layer in weights]
    layer_inputs: list[list[list[float]]] = [[] for _ in weights]  # [layer][point][input]
    layer_upstreams: list[list[list[float]]] = [[] for _ in weights]  # [layer][point][neuron]
    scale = 2.0 / len(points)
    total = 0.0
    for point, target in zip(points, targets, strict=True):
        sums_per_layer = []
        activations = list(point)
        for index, layer in enumerate(weights):
            sums = [sum(map(mul, row, activations), bias) for row, bias in layer]
            layer_inputs[index].append(activations)
            sums_per_layer.append(sums)
            activations = sums if index == last else [max(s, 0.0) for s in sums]
        error = activations[0] - target
        total += error * error
        upstream = [scale * error]  # d(loss)/d(prediction) = 2 (p - y) / n
        for index in range(last, -1, -1):
            if index != last:  # relu' is 1 where its input was > 0, else 0
                upstream = [
                    g if s > 0 else 0.0
                    for g, s in zip(upstream, sums_per_layer[index], strict=True)
                ]
            layer_upstreams[index].append(upstream)
            if index > 0:  # d(loss)/d(input i) = sum over neurons of g * w[neuron][i]
                upstream = [sum(map(mul, column, upstream)) for column in columns[index]]
    gradients = []
    for inputs, upstreams in zip(layer_inputs, layer_upstreams, strict=True):
        inputs_by_index = list(zip(*inputs, strict=True))  # [input][point]
        for neuron_upstreams in zip(*upstreams, strict=True):  # [point] for one neuron
            gradients += [sum(map(mul, neuron_upstreams, xs)) for xs in inputs_by_index]
            gradients.append(sum(neuron_upstreams))  # d/d(bias) = upstream
    return total / len(points), gradients


@dataclass
class TrainingStep:
    """One engine's training step (zero_grad, forward, backward) and its gradients afterwards."""

    run: Callable[[], object]
    gradients: Callable[[], list[float]]


def tinygrad_training_step(
    weights: Weights, points: Sequence[tuple[float, float]], targets: Sequence[float]
) -> TrainingStep:
    model = nn.MLP(N_INPUTS, LAYER_SIZES, activation="relu", seed=SEED)
    load_weights(model.parameters(), weights)

    def run() -> None:
        model.zero_grad()
        predictions = [model(point) for point in points]  # one output neuron: a Value each
        loss = losses.mse(cast("list[Value]", predictions), targets)
        loss.backward()

    return TrainingStep(run, lambda: [p.grad for p in model.parameters()])


def micrograd_training_step(
    micrograd_nn: ModuleType,
    weights: Weights,
    points: Sequence[tuple[float, float]],
    targets: Sequence[float],
) -> TrainingStep:
    """micrograd's own MLP (relu hidden layers, linear output) and MSE written as its users do."""
    model = micrograd_nn.MLP(N_INPUTS, LAYER_SIZES)
    load_weights(model.parameters(), weights)

    def run() -> None:
        model.zero_grad()
        predictions = [model(point) for point in points]
        loss = sum((p - y) ** 2 for p, y in zip(predictions, targets, strict=True)) / len(
            predictions
        )
        loss.backward()

    return TrainingStep(run, lambda: [float(p.grad) for p in model.parameters()])


def torch_training_step(
    torch: ModuleType,
    weights: Weights,
    points: Sequence[tuple[float, float]],
    targets: Sequence[float],
) -> TrainingStep:
    """PyTorch as a scalar engine: micrograd's MLP with one 0-d float64 tensor per number."""
    layers = [
        [([torch_leaf(torch, w) for w in row], torch_leaf(torch, bias)) for row, bias in layer]
        for layer in weights
    ]
    parameters = [p for layer in layers for row, bias in layer for p in (*row, bias)]
    last = len(layers) - 1

    def predict(point: Sequence[float]) -> Any:
        activations: list[Any] = list(point)
        for index, layer in enumerate(layers):
            sums = [
                sum((w * x for w, x in zip(row, activations, strict=True)), bias)
                for row, bias in layer
            ]
            activations = sums if index == last else [s.relu() for s in sums]
        return activations[0]

    def run() -> None:
        for parameter in parameters:
            parameter.grad = None
        predictions = [predict(point) for point in points]
        loss = sum((p - y) ** 2 for p, y in zip(predictions, targets, strict=True)) / len(
            predictions
        )
        loss.backward()

    return TrainingStep(run, lambda: [p.grad.item() for p in parameters])


def training_step(engines: Engines, name: str, weights: Weights) -> TrainingStep:
    """One engine's training step, loaded with `weights`."""
    points, targets = make_points(SEED)
    if name == TINYGRAD:
        return tinygrad_training_step(weights, points, targets)
    if name == MICROGRAD and engines.micrograd_nn is not None:
        return micrograd_training_step(engines.micrograd_nn, weights, points, targets)
    if name == TORCH and engines.torch is not None:
        return torch_training_step(engines.torch, weights, points, targets)
    raise ValueError(f"engine {name!r} is unknown or not imported")


# --- Workloads 2 and 4: a wide sum of products; workload 3: a chain -------------------


def sum_of_products(xs: Sequence[Any], ys: Sequence[Any], kept: list[Any] | None = None) -> Any:
    """x0*y0 + x1*y1 + ... summed pairwise, so the graph is wide and only log2(n) deep.

    Works on floats and on every engine's scalars. The plain-float baseline
    passes `kept`, a list that keeps every intermediate result as a graph would.
    """
    level = [x * y for x, y in zip(xs, ys, strict=True)]
    if kept is not None:
        kept.extend(level)
    while len(level) > 1:
        sums = [level[k] + level[k + 1] for k in range(0, len(level) - 1, 2)]
        if kept is not None:
            kept.extend(sums)
        if len(level) % 2:
            sums.append(level[-1])
        level = sums
    return level[0]


def factors(n_terms: int) -> tuple[list[float], list[float]]:
    """The numbers multiplied in the sum of products (new float objects on each call)."""
    return [0.5 + 0.001 * i for i in range(n_terms)], [1.0 - 0.00003 * i for i in range(n_terms)]


def terms_for(n_nodes: int) -> int:
    """How many products make a graph of about `n_nodes` Values.

    n products have 2n leaves, n product nodes and n - 1 sums: 4n - 1 Values.
    """
    return (n_nodes + 1) // 4


def chain(start: Any, steps: int) -> Any:
    """`v = v * 1.0001 + 0.0`, `steps` times: 4 Values a step (two ops, two constant leaves)."""
    v = start
    for _ in range(steps):
        v = v * CHAIN_FACTOR + 0.0
    return v


def count_micrograd_values(root: Any) -> int:
    """Every micrograd Value below `root`, walked without recursion."""
    seen = {id(root)}
    stack = [root]
    while stack:
        for child in stack.pop()._prev:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return len(seen)


def micrograd_chain_works(value_class: type, steps: int) -> bool:
    """Whether micrograd's recursive backward survives a chain of `steps` steps."""
    try:
        chain(value_class(1.0), steps).backward()
    except RecursionError:
        return False
    return True


def deepest_micrograd_chain(value_class: type) -> int:
    """The longest chain micrograd differentiates: double until it fails, then bisect."""
    works, fails = 1, 2
    while micrograd_chain_works(value_class, fails):
        works, fails = fails, fails * 2
        if fails > 1_000_000:
            return works
    while fails - works > 1:
        middle = (works + fails) // 2
        if micrograd_chain_works(value_class, middle):
            works = middle
        else:
            fails = middle
    return works


def torch_leaf(torch: ModuleType, number: float) -> Any:
    return torch.tensor(number, dtype=torch.float64, requires_grad=True)


def leaf_maker(engines: Engines, name: str) -> Callable[[float], Any]:
    """How an engine makes a leaf that wants a gradient."""
    if name == TINYGRAD:
        return Value
    if name == MICROGRAD and engines.micrograd is not None:
        return engines.micrograd.Value  # type: ignore[no-any-return]
    if name == TORCH and engines.torch is not None:
        torch = engines.torch
        return lambda number: torch_leaf(torch, number)
    raise ValueError(f"engine {name!r} is unknown or not imported")


def read_grad(leaf: Any) -> float:
    """A leaf's gradient as a float, whichever engine made it."""
    grad = leaf.grad
    return float(grad.item() if hasattr(grad, "item") else grad)


# --- Gradient agreement, checked before anything is timed ---------------------------


def max_difference(values: Sequence[float], reference: Sequence[float]) -> float:
    return max(abs(value - expected) for value, expected in zip(values, reference, strict=True))


def check_gradients(report: Report, names: Sequence[str], weights: Weights) -> None:
    """Record max |gradient - plain floats' gradient| for each engine; exit if any is > 1e-12."""
    points, targets = make_points(SEED)
    mlp_reference = plain_loss_and_gradients(weights, points, targets)[1]
    n_terms = 250
    xs_data, ys_data = factors(n_terms)
    sum_reference = ys_data + xs_data  # d(sum)/d(x_i) = y_i and d(sum)/d(y_i) = x_i
    chain_steps = 400  # shallow enough for micrograd's recursive backward
    chain_reference = chain(1.0, chain_steps)  # d(v_n)/d(v_0): the same product of 1.0001s
    for name in names:
        step = training_step(report.engines, name, weights)
        step.run()
        make_leaf = leaf_maker(report.engines, name)
        xs, ys = [make_leaf(x) for x in xs_data], [make_leaf(y) for y in ys_data]
        sum_of_products(xs, ys).backward()
        start = make_leaf(1.0)
        chain(start, chain_steps).backward()
        differences = {
            TRAINING: max_difference(step.gradients(), mlp_reference),
            "sum of products": max_difference([read_grad(v) for v in xs + ys], sum_reference),
            f"chain of {chain_steps}": abs(read_grad(start) - chain_reference),
        }
        for check, difference in differences.items():
            report.agreement.setdefault(check, {})[name] = difference
            if not difference <= GRADIENT_TOLERANCE:
                raise SystemExit(
                    f"error: {name}'s gradients differ from plain floats' by {difference:.3g} "
                    f"on the {check} (limit {GRADIENT_TOLERANCE}), so the timings would not "
                    "compare the same computation; check how the weights are loaded"
                )


# --- The report ------------------------------------------------------------------------


@dataclass
class Verdict:
    ratio: str
    target: str
    met: bool | None  # None: not judged in this run (e.g. --quick's shorter chain)


@dataclass
class Report:
    """What every table is printed with, and the cells of the final table."""

    engines: Engines
    clock_name: str
    agreement: dict[str, dict[str, float]] = field(default_factory=dict)
    cells: dict[str, dict[str, str]] = field(default_factory=dict)
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    markdown: bool = False

    @property
    def clock(self) -> Callable[[], float]:
        return CLOCKS[self.clock_name][0]

    def record(self, workload: str, name: str, cell: str) -> None:
        """Keep the first figure of an engine (plain floats are re-timed in torch's phase)."""
        self.cells.setdefault(workload, {}).setdefault(name, cell)

    def print_table(self, title: str, table: str, notes: Sequence[str] = ()) -> None:
        print(f"\n== {title} ==")
        for line in [*machine_lines(self.engines), collector_line(), CLOCKS[self.clock_name][1]]:
            print(f"  {line}")
        print("  gradient agreement, max |difference| from plain floats (limit 1e-12):")
        for check, differences in self.agreement.items():
            shown = ", ".join(
                f"{name} {difference:.2g}" for name, difference in differences.items()
            )
            print(f"    {check}: {shown}")
        for note in [*self.engines.notes, *self.notes, *notes]:
            print(f"  note: {note}")
        print(table)

    def summary_rows(self) -> list[list[str]]:
        rows = []
        for workload, cells in self.cells.items():
            verdict = self.verdicts.get(workload, Verdict("-", "-", None))
            met = {None: "n/a", True: "yes", False: "NO"}[verdict.met]
            figures = [
                cells.get(name, "-" if self.engines.installed(name) else "not installed")
                for name in SUMMARY_COLUMNS
            ]
            rows.append([workload, *figures, verdict.ratio, verdict.target, met])
        return rows


def timing_cell(timing: Timing) -> str:
    return f"{format_seconds(timing.median)} (min {format_seconds(timing.best)})"


def run_training_step(
    report: Report, names: Sequence[str], repeats: int, sample_seconds: float, phase: str
) -> None:
    weights = make_weights(SEED)
    points, targets = make_points(SEED)
    candidates: dict[str, Callable[[], object]] = {
        PLAIN_FORWARD: lambda: plain_loss(weights, points, targets),
        PLAIN: lambda: plain_loss_and_gradients(weights, points, targets),
    }
    for name in names:
        candidates[name] = training_step(report.engines, name, weights).run
    timings = time_interleaved(candidates, repeats, sample_seconds, report.clock)
    baseline = timings[PLAIN]
    rows = [
        [
            name,
            format_seconds(timing.best),
            format_seconds(timing.median),
            f"{timing.best / baseline.best:.1f}x",
            f"{timing.median / baseline.median:.1f}x",
            f"{sum(timing.collector_per_call) / timing.median:.0%}",
            str(timing.calls_per_sample),
        ]
        for name, timing in timings.items()
    ]
    header = ["engine", "min", "median", "min / plain", "median / plain", "in GC", "calls/sample"]
    report.print_table(
        f"1. training step: MLP(2, {LAYER_SIZES}) relu, MSE over {N_POINTS} points, "
        f"zero_grad + forward + backward ({repeats} repeats, interleaved){phase}",
        format_table(header, rows),
        [
            "plain floats = the same forward with a hand-written backward, timed in the same run; "
            "in GC = share of the median call spent in the collector"
        ],
    )
    for name in [*names, PLAIN]:
        report.record(TRAINING, name, timing_cell(timings[name]))
    if TINYGRAD in names:
        ratio = timings[TINYGRAD].median / baseline.median
        best_ratio = timings[TINYGRAD].best / baseline.best
        report.verdicts[TRAINING] = Verdict(
            f"{ratio:.1f}x plain (min {best_ratio:.1f}x)", "<= 6x plain fwd+bwd", ratio <= 6
        )


def retained_bytes(build: Callable[[], Any]) -> tuple[int, Any]:
    """Bytes that `build()` allocated and that are still held after it returns (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        graph = build()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return after - before, graph


def run_memory(report: Report, names: Sequence[str], n_nodes: int) -> None:
    n_terms = terms_for(n_nodes)

    def plain_graph() -> list[float]:
        xs, ys = factors(n_terms)
        kept = xs + ys
        sum_of_products(xs, ys, kept)
        return kept

    def graph_of(make_leaf: Callable[[float], Any]) -> Callable[[], Any]:
        def build() -> Any:
            xs, ys = factors(n_terms)
            return sum_of_products([make_leaf(x) for x in xs], [make_leaf(y) for y in ys])

        return build

    per_node: dict[str, float] = {}
    counts: dict[str, int] = {}
    size, kept = retained_bytes(plain_graph)
    counts[PLAIN] = len(kept)
    per_node[PLAIN] = size / counts[PLAIN]
    del kept
    counters: dict[str, Callable[[Any], int]] = {
        TINYGRAD: lambda root: len(topological_order(root)),
        MICROGRAD: count_micrograd_values,
    }
    for name in names:
        size, root = retained_bytes(graph_of(leaf_maker(report.engines, name)))
        counts[name] = counters[name](root)
        per_node[name] = size / counts[name]
        del root
        gc.collect()  # micrograd's graph is held in reference cycles
    rows = [
        [
            name,
            f"{counts[name]:,}",
            f"{per_node[name]:.0f} B",
            f"{per_node[name] / per_node[PLAIN]:.1f}x",
        ]
        for name in per_node
    ]
    report.print_table(
        f"2. memory per node: sum of {n_terms:,} products after the forward pass (tracemalloc)",
        format_table(["engine", "nodes", "bytes per node", "/ plain"], rows),
        [
            "bytes allocated by the forward pass and still held, divided by the number of Values "
            "(of floats for the plain baseline, which keeps every intermediate result in a list); "
            "torch allocates outside Python's allocator, where tracemalloc cannot see"
        ],
    )
    for name, figure in per_node.items():
        report.record(MEMORY, name, f"{figure:.0f} B")
    report.record(MEMORY, TORCH, "-")
    report.verdicts[MEMORY] = Verdict(
        f"{per_node[TINYGRAD] / per_node[PLAIN]:.1f}x plain", "<= 150 B", per_node[TINYGRAD] <= 150
    )


def run_chain(report: Report, names: Sequence[str], steps: int, repeats: int, phase: str) -> None:
    rows = []
    for name in names:
        if name == TINYGRAD:
            rows.append(tinygrad_chain(report, steps, repeats))
        elif name == MICROGRAD and report.engines.micrograd is not None:
            deepest = deepest_micrograd_chain(report.engines.micrograd.Value)
            rows.append([MICROGRAD, f"{deepest:,} steps; {deepest + 1:,} raise RecursionError"])
            report.record(
                CHAIN, MICROGRAD, f"{deepest:,} steps (RecursionError at {deepest + 1:,})"
            )
        elif name == TORCH:
            rows.append(torch_chain(report, steps))
        gc.collect()
    header = ["engine", "depth", "Values", "forward", "backward min / median", "backward per Value"]
    report.print_table(
        f"3. deepest chain v = v * {CHAIN_FACTOR} + 0.0 whose backward works{phase}",
        format_table(header, rows),
        [
            "tinygrad_edu: the gradient d(v_n)/d(v_0) is checked against the product of the "
            f"factors, then {repeats} backward passes are timed; micrograd: the longest chain "
            "found by bisection"
        ],
    )
    report.record(CHAIN, PLAIN, "-")


def tinygrad_chain(report: Report, steps: int, repeats: int) -> list[str]:
    began = report.clock()
    start = Value(1.0)
    root = chain(start, steps)
    forward = report.clock() - began
    n_values = len(topological_order(root))
    timings = []
    for repeat in range(repeats):
        gc.collect()
        began = report.clock()
        root.backward()
        timings.append(report.clock() - began)
        if repeat == 0:  # leaves accumulate, so only the first pass is compared
            difference = abs(start.grad - root.data) / root.data
            if not difference <= GRADIENT_TOLERANCE:
                raise SystemExit(
                    f"error: tinygrad_edu's gradient through the {steps:,}-step chain is "
                    f"{start.grad!r}, expected {root.data!r} (relative difference {difference:.3g})"
                )
    per_value = statistics.median(timings) / n_values
    report.record(CHAIN, TINYGRAD, f"{steps:,} steps, {per_value * 1e6:.2f} us/Value")
    report.verdicts[CHAIN] = Verdict(
        "-",
        "1e6 steps, backward <= 1 us/Value",
        per_value <= 1e-6 if steps >= 1_000_000 else None,  # --quick stops at 5e4 steps
    )
    return [
        TINYGRAD,
        f"{steps:,} steps work",
        f"{n_values:,}",
        format_seconds(forward),
        f"{format_seconds(min(timings))} / {format_seconds(statistics.median(timings))}",
        f"{per_value * 1e6:.2f} us",
    ]


def torch_chain(report: Report, steps: int) -> list[str]:
    """The chain on torch, once; wrapped numbers are not graph nodes there, so count ops."""
    make_leaf = leaf_maker(report.engines, TORCH)
    began = report.clock()
    root = chain(make_leaf(1.0), steps)
    forward = report.clock() - began
    began = report.clock()
    root.backward()
    backward = report.clock() - began
    report.record(CHAIN, TORCH, f"{steps:,} steps work")
    n_ops = 2 * steps
    return [
        TORCH,
        f"{steps:,} steps work",
        f"{n_ops:,} ops",
        format_seconds(forward),
        format_seconds(backward),
        f"{backward / n_ops * 1e6:.2f} us per op",
    ]


def forward_backward(
    make_leaf: Callable[[float], Any], xs_data: list[float], ys_data: list[float]
) -> Callable[[], None]:
    """Build the sum of products from fresh leaves and run backward, in one engine."""

    def run() -> None:
        xs, ys = [make_leaf(x) for x in xs_data], [make_leaf(y) for y in ys_data]
        sum_of_products(xs, ys).backward()

    return run


def plain_forward_backward(xs_data: list[float], ys_data: list[float]) -> Callable[[], object]:
    """The sum on plain floats, then its gradients by hand: d/dx_i = y_i, d/dy_i = x_i."""

    def run() -> tuple[float, list[float], list[float]]:
        total = sum_of_products(xs_data, ys_data)
        upstream = 1.0  # every product reaches the sum through additions, whose derivative is 1
        return total, [upstream * y for y in ys_data], [upstream * x for x in xs_data]

    return run


def run_scaling(
    report: Report,
    names: Sequence[str],
    sizes: tuple[int, int],
    repeats: int,
    sample_seconds: float,
    phase: str,
) -> None:
    n_values = {size: 4 * terms_for(size) - 1 for size in sizes}
    candidates: dict[tuple[str, int], Callable[[], object]] = {}
    for size in sizes:
        xs_data, ys_data = factors(terms_for(size))
        for name in names:
            candidates[name, size] = forward_backward(
                leaf_maker(report.engines, name), xs_data, ys_data
            )
        candidates[PLAIN, size] = plain_forward_backward(xs_data, ys_data)
    labels = {key: f"{key[0]} @ {key[1]:,}" for key in candidates}
    measured = time_interleaved(
        {labels[key]: function for key, function in candidates.items()},
        repeats,
        sample_seconds,
        report.clock,
    )
    timings = {key: measured[labels[key]] for key in candidates}

    def micro(seconds: float, size: int) -> str:
        """Seconds for the whole graph, shown as microseconds per node."""
        return f"{seconds / n_values[size] * 1e6:.3f}"

    small, large = sizes
    growth: dict[str, float] = {}
    rows = []
    for name in [*names, PLAIN]:
        before, after = timings[name, small], timings[name, large]
        nodes_ratio = n_values[small] / n_values[large]
        growth[name] = after.median / before.median * nodes_ratio
        best_growth = after.best / before.best * nodes_ratio
        rows.append(
            [
                name,
                f"{micro(before.best, small)} / {micro(before.median, small)}",
                f"{micro(after.best, large)} / {micro(after.median, large)}",
                f"{best_growth:.2f}x / {growth[name]:.2f}x",
                micro(sum(before.collector_per_call), small),
                f"{micro(sum(after.collector_per_call), large)} "
                f"({micro(after.collector_per_call[2], large)})",
                f"{before.collections_per_call[2]:.2f} / {after.collections_per_call[2]:.2f}",
            ]
        )
        report.record(SCALING, name, f"{growth[name]:.2f}x (min {best_growth:.2f}x)")
    header = [
        "engine",
        f"us/node @ {n_values[small]:,} (min / median)",
        f"us/node @ {n_values[large]:,} (min / median)",
        "growth (min / median)",
        f"GC us/node @ {n_values[small]:,}",
        f"GC us/node @ {n_values[large]:,} (gen 2)",
        "full collections a call (small / large)",
    ]
    report.print_table(
        f"4. forward + backward per node, sum of products, {n_values[small]:,} vs "
        f"{n_values[large]:,} nodes ({repeats} repeats, interleaved){phase}",
        format_table(header, rows),
        [
            "GC = time CPython's collector ran inside the timed calls, per node, averaged over "
            "the repeats (gc.callbacks, which only observes); gen 2 = full collections"
        ],
    )
    if TINYGRAD in names:
        ratio = timings[TINYGRAD, large].median / timings[PLAIN, large].median
        report.verdicts[SCALING] = Verdict(
            f"{ratio:.0f}x plain per node @ 1e5", "<= 1.6x", growth[TINYGRAD] <= 1.6
        )


# --- Workload 5: the compiled graph (tinygrad_edu.compiled) ---------------------------


COMPILED_STEP = "compiled training step"
COMPILE_TIME = "compile_graph of the training step"
COMPILED_CHAIN = "compiled chain, replay per node"


def run_compiled(
    report: Report, repeats: int, sample_seconds: float, chain_steps: int, phase: str
) -> None:
    """The training step recorded once and replayed, against plain floats in the same run."""
    from tinygrad_edu.compiled import compile_graph
    from tinygrad_edu.optim import SGD

    weights = make_weights(SEED)
    points, targets = make_points(SEED)
    model = nn.MLP(N_INPUTS, LAYER_SIZES, activation="relu", seed=SEED)
    load_weights(model.parameters(), weights)
    loss = losses.mse(cast("list[Value]", [model(point) for point in points]), targets)
    began = report.clock()
    step = compile_graph(loss)
    compile_seconds = report.clock() - began
    optimizer = SGD(model.parameters(), lr=1e-12)  # tiny steps: the numbers barely move

    def compiled_step() -> None:
        optimizer.zero_grad()
        step()
        optimizer.step()

    step()  # grads start at zero: the same gradients as the hand-written backward
    reference = plain_loss_and_gradients(weights, points, targets)[1]
    difference = max_difference([p.grad for p in model.parameters()], reference)
    if not difference <= GRADIENT_TOLERANCE:
        raise SystemExit(f"error: the compiled step's gradients differ by {difference:.3g}")
    timings = time_interleaved(
        {
            PLAIN: lambda: plain_loss_and_gradients(weights, points, targets),
            COMPILED_STEP: compiled_step,
        },
        repeats,
        sample_seconds,
        report.clock,
    )
    ratio = timings[COMPILED_STEP].median / timings[PLAIN].median
    best_ratio = timings[COMPILED_STEP].best / timings[PLAIN].best
    chain_steps = chain_steps // 4  # 4 Values a step: a chain of about `chain_steps` nodes
    start = Value(1.0)
    root = chain(start, chain_steps)
    began = report.clock()
    replay = compile_graph(root)
    chain_compile = report.clock() - began
    n_values = len(replay.leaves) + len(replay._interior)
    replays = []
    for _ in range(repeats):
        start.grad = 0.0
        gc.collect()
        began = report.clock()
        replay()
        replays.append(report.clock() - began)
    if not abs(start.grad - root.data) / root.data <= GRADIENT_TOLERANCE:
        raise SystemExit(f"error: the compiled chain's gradient is {start.grad!r}")
    per_node = statistics.median(replays) / n_values
    rows = [
        [COMPILED_STEP, timing_cell(timings[COMPILED_STEP]),
         f"{ratio:.2f}x plain (min {best_ratio:.2f}x)", "<= 0.5x plain fwd+bwd",
         {True: "yes", False: "NO"}[ratio <= 0.5]],
        [PLAIN, timing_cell(timings[PLAIN]), "-", "-", "-"],
        [COMPILE_TIME, format_seconds(compile_seconds), f"{step.mode} mode", "<= 2 s",
         {True: "yes", False: "NO"}[compile_seconds <= 2.0]],
        [COMPILED_CHAIN, f"{per_node * 1e6:.3f} us/node", f"{n_values:,} nodes, "
         f"{replay.mode} mode, compiled in {format_seconds(chain_compile)}", "<= 0.3 us/node",
         {True: "yes", False: "NO"}[per_node <= 0.3e-6] if n_values >= 1_000_000 else "n/a"],
    ]  # fmt: skip
    render = format_markdown_table if report.markdown else format_table
    report.print_table(
        f"5. compiled: MLP(2, {LAYER_SIZES}) MSE step replayed (zero_grad, cg(), SGD step) and "
        f"a chain of {chain_steps:,} steps ({repeats} repeats, interleaved){phase}",
        render(["workload", "median (min)", "ratio / detail", "target", "met?"], rows),
    )


# --- Running it ------------------------------------------------------------------------


@dataclass
class Settings:
    workloads: list[str]
    repeats: int
    sample_seconds: float
    chain_steps: int
    memory_nodes: int = 100_000
    sizes: tuple[int, int] = (1_000, 100_000)


def run_workloads(
    report: Report, names: Sequence[str], settings: Settings, phase: str = ""
) -> None:
    """Every chosen workload for the engines in `names`, plain floats included."""
    if "training" in settings.workloads:
        run_training_step(report, names, settings.repeats, settings.sample_seconds, phase)
    memory_names = [name for name in names if name != TORCH]
    if "memory" in settings.workloads and memory_names:
        run_memory(report, memory_names, settings.memory_nodes)
    if "chain" in settings.workloads:
        run_chain(report, names, settings.chain_steps, settings.repeats, phase)
    if "scaling" in settings.workloads:
        run_scaling(report, names, settings.sizes, settings.repeats, settings.sample_seconds, phase)
    if "compiled" in settings.workloads and TINYGRAD in names:
        run_compiled(report, settings.repeats, settings.sample_seconds, settings.chain_steps, phase)


def profile_training_step(steps: int, top: int) -> None:
    """Where a tinygrad_edu training step spends its time: phases, the collector, cProfile."""
    points, targets = make_points(SEED)
    model = nn.MLP(N_INPUTS, LAYER_SIZES, activation="relu", seed=SEED)
    load_weights(model.parameters(), make_weights(SEED))
    clock = time.process_time
    seconds = {"zero_grad": 0.0, "forward (model and mse)": 0.0, "backward": 0.0}
    with CollectorClock(clock) as collector:
        for _ in range(steps):
            began = clock()
            model.zero_grad()
            zeroed = clock()
            loss = losses.mse(cast("list[Value]", [model(point) for point in points]), targets)
            forward_done = clock()
            loss.backward()
            seconds["zero_grad"] += zeroed - began
            seconds["forward (model and mse)"] += forward_done - zeroed
            seconds["backward"] += clock() - forward_done
    began = clock()
    for _ in range(steps):
        engine._interior_nodes(loss)  # the walk backward() makes (it skips the leaves)
    seconds["  of which the walk in topological order"] = clock() - began
    order = topological_order(loss)
    seconds["collector, inside the phases above"] = sum(collector.seconds)
    step = seconds["zero_grad"] + seconds["forward (model and mse)"] + seconds["backward"]
    rows = [
        [phase, format_seconds(total / steps), f"{total / step:.0%}"]
        for phase, total in seconds.items()
    ]
    n_interior = sum(1 for node in order if node._prev)
    print(
        f"tinygrad_edu training step, {steps} steps, CPU time: {len(order):,} Values a step "
        f"({n_interior:,} made by ops); collections a step by generation: "
        f"{[round(count / steps, 2) for count in collector.collections]}"
    )
    print(format_table(["phase", "a step", "share"], rows))
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(steps):
        model.zero_grad()
        losses.mse(cast("list[Value]", [model(point) for point in points]), targets).backward()
    profiler.disable()
    print(f"\ncProfile of {steps} steps by own time; its per-call overhead inflates small calls,")
    print("and the collector's pauses land in whatever function allocated:")
    pstats.Stats(profiler).strip_dirs().sort_stats("tottime").print_stats(top)


WORKLOADS = ("training", "memory", "chain", "scaling", "compiled")


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Benchmark tinygrad_edu against micrograd 0.1.0, plain Python floats and PyTorch "
            "(when installed) in one process: a training step, memory per node, the deepest "
            "chain, and how time per node grows with the graph. The full run needs micrograd."
        )
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="under a minute: 5 repeats of short samples, a 5e4-step chain and no torch "
        "(micrograd is still included when installed)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        help="timed repeats per candidate, at least 5 (default 7; 5 with --quick)",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=WORKLOADS,
        default=list(WORKLOADS),
        help="run only these workloads",
    )
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="cpu",
        help="what a timing measures: the process's CPU time (default; steady on a shared "
        "machine) or wall-clock time",
    )
    parser.add_argument(
        "--markdown",
        action="store_true",
        help="print the final table as Markdown rows (for docs/performance.md)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="instead of benchmarking, profile tinygrad_edu's training step with cProfile",
    )
    arguments = parser.parse_args(argv)
    if arguments.repeats is None:
        arguments.repeats = 5 if arguments.quick else 7
    if arguments.repeats < MIN_REPEATS:
        parser.error(
            f"--repeats must be at least {MIN_REPEATS} (min and median need several), "
            f"got {arguments.repeats}"
        )
    return arguments


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    if arguments.profile:
        profile_training_step(steps=20, top=20)
        return 0
    engines = find_engines()
    if engines.micrograd is None and not arguments.quick:
        print(
            f"error: the full benchmark compares against micrograd {MICROGRAD_VERSION}, "
            "which is not installed. Install it with "
            f"`pip install micrograd=={MICROGRAD_VERSION}` (or run `make bench`, which "
            "installs the project's `bench` extra); `--quick` runs without it.",
            file=sys.stderr,
        )
        return 2
    settings = Settings(
        workloads=arguments.only,
        repeats=arguments.repeats,
        # Samples of a second hold several training steps, so the collector's
        # periodic full collections are averaged in as in a training loop.
        sample_seconds=0.1 if arguments.quick else 1.0,
        chain_steps=50_000 if arguments.quick else 1_000_000,
    )
    report = Report(engines, arguments.clock, markdown=arguments.markdown)
    if engines.torch_installed and arguments.quick:
        report.notes.append("--quick leaves torch out; the full run includes it")
    names = [name for name in (TINYGRAD, MICROGRAD) if engines.installed(name)]
    check_gradients(report, names, make_weights(SEED))
    run_workloads(report, names, settings)
    if engines.torch_installed and not arguments.quick and import_torch(engines):
        report.notes.append(
            "torch was imported only after the other engines were measured: its import adds "
            "objects that every full collection walks, which would slow every engine"
        )
        check_gradients(report, [TORCH], make_weights(SEED))
        run_workloads(report, [TORCH], settings, phase=" [torch, with plain floats re-timed]")
    header = ["workload", *SUMMARY_COLUMNS, "ratio", "target", "met?"]
    render = format_markdown_table if arguments.markdown else format_table
    report.print_table(
        "summary: medians (minimums in brackets); ratio = tinygrad_edu / plain floats in the "
        "same run; met? is judged on the median",
        render(header, report.summary_rows()),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
