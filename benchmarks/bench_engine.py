"""Benchmark tinygrad_edu against micrograd 0.1.0, plain Python floats and PyTorch (when installed).

Imports tinygrad_edu and the standard library; micrograd and torch are optional
imports (the full run requires micrograd). Four workloads, all in one process:

1. a training step of MLP(2, [16, 16, 1]) with MSE over 100 fixed points;
2. bytes per node of a 100k-node graph after the forward pass (tracemalloc);
3. the deepest chain `v = v * 1.0001 + 0.0` whose backward pass works;
4. forward + backward time per node at 1e3 and 1e5 nodes (how it grows).

The garbage collector stays on with the thresholds the user has, as in a
learner's own training loop; the script only calls gc.collect() between
samples, outside the timed region, so one engine's garbage is not charged to
the next. Run `python benchmarks/bench_engine.py --help` for the options, and
see docs/performance.md for what the figures mean.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib
import importlib.metadata
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
from typing import Any

import tinygrad_edu
from tinygrad_edu import losses, nn
from tinygrad_edu.engine import Value, topological_order

GRADIENT_TOLERANCE = 1e-12
N_INPUTS = 2
LAYER_SIZES = [16, 16, 1]
N_POINTS = 100
SEED = 0
CHAIN_FACTOR = 1.0001
MICROGRAD_VERSION = "0.1.0"

TINYGRAD = "tinygrad_edu"
MICROGRAD = "micrograd"
TORCH = "torch"
PLAIN = "plain floats"
PLAIN_FORWARD = "plain floats, forward only"

Weights = list[list[tuple[list[float], float]]]
"""Per layer, per neuron: (input weights, bias), in the order `parameters()` lists them."""


# --- The engines that are installed -------------------------------------------------


@dataclass
class Engines:
    """The optional engines found in this Python, and why any is missing."""

    micrograd: ModuleType | None
    micrograd_nn: ModuleType | None
    torch: ModuleType | None
    notes: list[str] = field(default_factory=list)


def find_engines() -> Engines:
    """Import micrograd and torch if they are installed; never install anything."""
    notes = []
    micrograd = micrograd_nn = None
    try:
        micrograd = importlib.import_module("micrograd.engine")
        micrograd_nn = importlib.import_module("micrograd.nn")
    except ImportError:
        notes.append(
            "micrograd is not installed: install it with "
            f"`pip install micrograd=={MICROGRAD_VERSION}` "
            "(`make bench` does, through the project's `bench` extra)"
        )
    else:
        version = importlib.metadata.version("micrograd")
        if version != MICROGRAD_VERSION:
            notes.append(
                f"micrograd {version} is installed; the figures are for {MICROGRAD_VERSION}"
            )
    torch = None
    try:
        torch = importlib.import_module("torch")
    except ImportError:
        notes.append(
            "torch is not installed: its column is skipped (the project never installs it; "
            "run this script from an environment that has it to fill the column)"
        )
    return Engines(micrograd, micrograd_nn, torch, notes)


def engine_names(engines: Engines) -> list[str]:
    """The engines compared in this run, tinygrad_edu first."""
    names = [TINYGRAD]
    if engines.micrograd is not None:
        names.append(MICROGRAD)
    if engines.torch is not None:
        names.append(TORCH)
    return names


# --- Timing ----------------------------------------------------------------------------


@dataclass
class Timing:
    """Seconds per call, one figure per repeat, and the time the collector took in those calls."""

    per_call: list[float]
    calls_per_sample: int
    collector_seconds_per_call: list[float]  # gen 0, gen 1, gen 2

    @property
    def best(self) -> float:
        return min(self.per_call)

    @property
    def median(self) -> float:
        return statistics.median(self.per_call)


class CollectorClock:
    """Adds up the time CPython's collector spends in each generation (it only observes)."""

    def __init__(self) -> None:
        self.seconds = [0.0, 0.0, 0.0]
        self.collections = [0, 0, 0]
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            generation = info["generation"]
            self.seconds[generation] += time.perf_counter() - self._started
            self.collections[generation] += 1

    def __enter__(self) -> CollectorClock:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        gc.callbacks.remove(self)


def calls_per_sample(function: Callable[[], object], sample_seconds: float) -> int:
    """Run `function` once (a warm-up) and say how many calls fill about `sample_seconds`."""
    gc.collect()
    start = time.perf_counter()
    function()
    elapsed = time.perf_counter() - start
    return max(1, round(sample_seconds / max(elapsed, 1e-9)))


def time_interleaved(
    candidates: dict[str, Callable[[], object]], repeats: int, sample_seconds: float
) -> dict[str, Timing]:
    """Time every candidate `repeats` times, taking turns, so machine noise hits all alike.

    Each turn starts one place further along the list, so no candidate always
    runs right after the same neighbour.
    """
    numbers = {
        name: calls_per_sample(function, sample_seconds) for name, function in candidates.items()
    }
    per_call: dict[str, list[float]] = {name: [] for name in candidates}
    clocks = {name: CollectorClock() for name in candidates}
    names = list(candidates)
    for repeat in range(repeats):
        shift = repeat % len(names)
        for name in names[shift:] + names[:shift]:
            function, number = candidates[name], numbers[name]
            gc.collect()  # start from a clean heap; the collector stays on while timing
            with clocks[name]:
                start = time.perf_counter()
                for _ in range(number):
                    function()
                elapsed = time.perf_counter() - start
            per_call[name].append(elapsed / number)
    return {
        name: Timing(
            per_call[name],
            numbers[name],
            [seconds / (numbers[name] * repeats) for seconds in clocks[name].seconds],
        )
        for name in names
    }


# --- Formatting ------------------------------------------------------------------------


def format_seconds(seconds: float) -> str:
    """1.34 s, 6.30 ms or 812 us, with three significant figures."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-6:.3g} us"


def format_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A plain-text table with columns padded to their widest cell."""
    all_rows = [list(header), *[list(row) for row in rows]]
    widths = [max(len(row[column]) for row in all_rows) for column in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in all_rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
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
    """Python, platform, CPU and engine versions: what every table is measured on."""
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
        f"(left as they are), sys.getrecursionlimit() = {sys.getrecursionlimit()}"
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

    Returns the loss and d(loss)/d(parameter) in `parameters()` order.
    """
    last = len(weights) - 1
    columns = [list(zip(*(row for row, _ in layer), strict=True)) for layer in weights]
    weight_grads = [[[0.0] * len(row) for row, _ in layer] for layer in weights]
    bias_grads = [[0.0] * len(layer) for layer in weights]
    scale = 2.0 / len(points)
    total = 0.0
    for point, target in zip(points, targets, strict=True):
        layer_inputs, layer_sums = [], []
        activations = list(point)
        for index, layer in enumerate(weights):
            sums = [sum(map(mul, row, activations), bias) for row, bias in layer]
            layer_inputs.append(activations)
            layer_sums.append(sums)
            activations = sums if index == last else [max(s, 0.0) for s in sums]
        error = activations[0] - target
        total += error * error
        upstream = [scale * error]  # d(loss)/d(prediction) = 2 (p - y) / n
        for index in range(last, -1, -1):
            if index != last:  # relu' is 1 where its input was > 0, else 0
                upstream = [
                    g if s > 0 else 0.0 for g, s in zip(upstream, layer_sums[index], strict=True)
                ]
            inputs = layer_inputs[index]
            row_grads = weight_grads[index]
            for neuron, g in enumerate(upstream):
                row_grads[neuron] = [
                    old + g * x for old, x in zip(row_grads[neuron], inputs, strict=True)
                ]
                bias_grads[index][neuron] += g
            if index > 0:  # d(loss)/d(input i) = sum over neurons of g * w[neuron][i]
                upstream = [sum(map(mul, column, upstream)) for column in columns[index]]
    gradients = [
        number
        for layer_rows, layer_biases in zip(weight_grads, bias_grads, strict=True)
        for row, bias in zip(layer_rows, layer_biases, strict=True)
        for number in (*row, bias)
    ]
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
        loss = losses.mse([model(point) for point in points], targets)
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

    def scalar(number: float) -> Any:
        return torch.tensor(number, dtype=torch.float64, requires_grad=True)

    layers = [
        [([scalar(w) for w in row], scalar(bias)) for row, bias in layer] for layer in weights
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


def training_steps(engines: Engines, weights: Weights) -> dict[str, TrainingStep]:
    """Every installed engine's training step, all loaded with `weights`."""
    points, targets = make_points(SEED)
    steps = {TINYGRAD: tinygrad_training_step(weights, points, targets)}
    if engines.micrograd_nn is not None:
        steps[MICROGRAD] = micrograd_training_step(engines.micrograd_nn, weights, points, targets)
    if engines.torch is not None:
        steps[TORCH] = torch_training_step(engines.torch, weights, points, targets)
    return steps


# --- Workloads 2 and 4: a wide sum of products ---------------------------------------


def sum_of_products(xs: Sequence[Any], ys: Sequence[Any], kept: list[Any] | None = None) -> Any:
    """x0*y0 + x1*y1 + ... summed pairwise, so the graph is wide and only log2(n) deep.

    Works on floats, tinygrad_edu, micrograd and torch alike. The plain-float
    baseline passes `kept`, a list that keeps every intermediate result as a
    graph would.
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


# --- Workload 3: a deep chain -------------------------------------------------------


def chain(start: Any, steps: int) -> Any:
    """`v = v * 1.0001 + 0.0`, `steps` times: 4 Values a step (two ops, two constant leaves)."""
    v = start
    for _ in range(steps):
        v = v * CHAIN_FACTOR + 0.0
    return v


def micrograd_chain_works(value_class: type, steps: int) -> bool:
    """Whether micrograd's recursive backward survives a chain of `steps` steps."""
    start = value_class(1.0)
    try:
        chain(start, steps).backward()
    except RecursionError:
        return False
    return True


def deepest_micrograd_chain(value_class: type) -> int:
    """The largest chain micrograd differentiates: double until it fails, then bisect."""
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


# --- Gradient agreement, checked before anything is timed ---------------------------


def max_difference(values: Sequence[float], reference: Sequence[float]) -> float:
    if len(values) != len(reference):
        raise ValueError(f"{len(values)} gradients against {len(reference)} in the reference")
    return max(abs(value - expected) for value, expected in zip(values, reference, strict=True))


def sum_of_products_gradients(engines: Engines, name: str, n_terms: int) -> list[float]:
    """d(sum)/d(x_i) then d(sum)/d(y_i) from one engine."""
    xs_data, ys_data = factors(n_terms)
    make_leaf = leaf_maker(engines, name)
    xs, ys = [make_leaf(x) for x in xs_data], [make_leaf(y) for y in ys_data]
    sum_of_products(xs, ys).backward()
    return [read_grad(leaf) for leaf in xs + ys]


def chain_gradient(engines: Engines, name: str, steps: int) -> float:
    start = leaf_maker(engines, name)(1.0)
    chain(start, steps).backward()
    return read_grad(start)


def leaf_maker(engines: Engines, name: str) -> Callable[[float], Any]:
    """How an engine makes a leaf that wants a gradient."""
    if name == TINYGRAD:
        return Value
    if name == MICROGRAD and engines.micrograd is not None:
        return engines.micrograd.Value  # type: ignore[no-any-return]
    if name == TORCH and engines.torch is not None:
        torch = engines.torch
        return lambda number: torch.tensor(number, dtype=torch.float64, requires_grad=True)
    raise ValueError(f"unknown or missing engine {name!r}")


def read_grad(leaf: Any) -> float:
    """A leaf's gradient as a float, whichever engine made it."""
    grad = leaf.grad
    return float(grad.item() if hasattr(grad, "item") else grad)


def check_gradients(engines: Engines, weights: Weights) -> dict[str, dict[str, float]]:
    """Max |gradient - plain floats' gradient| per workload and engine; exits if any is > 1e-12."""
    points, targets = make_points(SEED)
    reference = plain_loss_and_gradients(weights, points, targets)[1]
    agreement: dict[str, dict[str, float]] = {"training step": {}}
    for name, step in training_steps(engines, weights).items():
        step.run()
        agreement["training step"][name] = max_difference(step.gradients(), reference)

    n_terms = 250
    xs_data, ys_data = factors(n_terms)
    reference = ys_data + xs_data  # d(sum)/d(x_i) = y_i, d(sum)/d(y_i) = x_i
    agreement["sum of products"] = {
        name: max_difference(sum_of_products_gradients(engines, name, n_terms), reference)
        for name in engine_names(engines)
    }

    steps = 400  # shallow enough for micrograd's recursive backward
    expected = chain(1.0, steps)  # d(v_n)/d(v_0) is the same product of 1.0001s as v_n itself
    agreement["chain of 400"] = {
        name: abs(chain_gradient(engines, name, steps) - expected) for name in engine_names(engines)
    }

    failures = [
        f"{workload}: {name} differs by {difference:.3g}"
        for workload, differences in agreement.items()
        for name, difference in differences.items()
        if not difference <= GRADIENT_TOLERANCE
    ]
    if failures:
        raise SystemExit(
            "error: the engines' gradients disagree by more than 1e-12, so their timings "
            "would not compare the same computation:\n  " + "\n  ".join(failures)
        )
    return agreement


def agreement_lines(agreement: dict[str, dict[str, float]]) -> list[str]:
    lines = ["gradient agreement, max |difference| from plain floats (must be <= 1e-12):"]
    for workload, differences in agreement.items():
        shown = ", ".join(f"{name} {difference:.2g}" for name, difference in differences.items())
        lines.append(f"  {workload}: {shown}")
    return lines


# --- The report ------------------------------------------------------------------------


@dataclass
class SummaryRow:
    workload: str
    cells: dict[str, str]  # engine name -> figure
    ratio: str
    target: str
    met: bool | None


@dataclass
class Report:
    """What every table is printed with, and the rows of the final table."""

    engines: Engines
    agreement: dict[str, dict[str, float]]
    rows: list[SummaryRow] = field(default_factory=list)

    def print_table(self, title: str, table: str, notes: Sequence[str] = ()) -> None:
        print(f"\n== {title} ==")
        for line in [
            *machine_lines(self.engines),
            collector_line(),
            *agreement_lines(self.agreement),
        ]:
            print(f"  {line}")
        for note in [*self.engines.notes, *notes]:
            print(f"  note: {note}")
        print(table)


def timing_cell(timing: Timing) -> str:
    return f"{format_seconds(timing.median)} (min {format_seconds(timing.best)})"


def missing(engines: Engines, name: str) -> str:
    return "not installed" if name not in engine_names(engines) else "-"


def run_training_step(
    report: Report, weights: Weights, repeats: int, sample_seconds: float
) -> None:
    points, targets = make_points(SEED)
    candidates: dict[str, Callable[[], object]] = {
        PLAIN_FORWARD: lambda: plain_loss(weights, points, targets),
        PLAIN: lambda: plain_loss_and_gradients(weights, points, targets),
    }
    for name, step in training_steps(report.engines, weights).items():
        candidates[name] = step.run
    timings = time_interleaved(candidates, repeats, sample_seconds)
    baseline = timings[PLAIN]
    rows = [
        [
            name,
            format_seconds(timing.best),
            format_seconds(timing.median),
            f"{timing.best / baseline.best:.1f}x",
            f"{timing.median / baseline.median:.1f}x",
            str(timing.calls_per_sample),
        ]
        for name, timing in timings.items()
    ]
    header = ["engine", "min", "median", "min / plain", "median / plain", "calls a sample"]
    report.print_table(
        f"1. training step: MLP(2, {LAYER_SIZES}) relu, MSE over {N_POINTS} points, "
        f"zero_grad + forward + backward ({repeats} repeats, interleaved)",
        format_table(header, rows),
        ["plain floats = the same forward with a hand-written backward; ratios from the same run"],
    )
    ratio = timings[TINYGRAD].median / baseline.median
    best_ratio = timings[TINYGRAD].best / baseline.best
    report.rows.append(
        SummaryRow(
            "training step",
            {
                name: timing_cell(timings[name])
                if name in timings
                else missing(report.engines, name)
                for name in (MICROGRAD, TORCH, PLAIN, TINYGRAD)
            },
            f"{ratio:.1f}x plain (min {best_ratio:.1f}x)",
            "<= 10x plain fwd+bwd",
            ratio <= 10,
        )
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


def run_memory(report: Report, n_nodes: int) -> None:
    n_terms = terms_for(n_nodes)

    def tinygrad_graph() -> Value:
        xs_data, ys_data = factors(n_terms)
        return sum_of_products([Value(x) for x in xs_data], [Value(y) for y in ys_data])  # type: ignore[no-any-return]

    def plain_graph() -> list[float]:
        xs_data, ys_data = factors(n_terms)
        kept = xs_data + ys_data
        sum_of_products(xs_data, ys_data, kept)
        return kept

    per_node: dict[str, float] = {}
    counts: dict[str, int] = {}
    size, root = retained_bytes(tinygrad_graph)
    counts[TINYGRAD] = len(topological_order(root))
    per_node[TINYGRAD] = size / counts[TINYGRAD]
    del root
    size, kept = retained_bytes(plain_graph)
    counts[PLAIN] = len(kept)
    per_node[PLAIN] = size / counts[PLAIN]
    del kept
    if report.engines.micrograd is not None:
        micrograd_value = report.engines.micrograd.Value

        def micrograd_graph() -> Any:
            xs_data, ys_data = factors(n_terms)
            xs, ys = [micrograd_value(x) for x in xs_data], [micrograd_value(y) for y in ys_data]
            return sum_of_products(xs, ys)

        size, root = retained_bytes(micrograd_graph)
        counts[MICROGRAD] = count_micrograd_values(root)
        per_node[MICROGRAD] = size / counts[MICROGRAD]
        del root
    rows = [
        [
            name,
            f"{counts[name]:,}",
            f"{per_node[name]:.0f} B",
            f"{per_node[name] / per_node[PLAIN]:.1f}x",
        ]
        for name in per_node
    ]
    notes = [
        "bytes allocated by the forward pass and still held, divided by the number of Values "
        "(floats for the plain baseline, which keeps every intermediate result in a list)",
    ]
    if report.engines.torch is not None:
        notes.append("torch allocates outside Python's allocator, so tracemalloc cannot see it")
    report.print_table(
        f"2. memory per node: sum of {n_terms:,} products after the forward pass (tracemalloc)",
        format_table(["engine", "nodes", "bytes per node", "/ plain"], rows),
        notes,
    )
    report.rows.append(
        SummaryRow(
            "memory per node, 100k-node graph",
            {
                MICROGRAD: f"{per_node[MICROGRAD]:.0f} B"
                if MICROGRAD in per_node
                else missing(report.engines, MICROGRAD),
                TORCH: "-",
                PLAIN: f"{per_node[PLAIN]:.0f} B",
                TINYGRAD: f"{per_node[TINYGRAD]:.0f} B",
            },
            f"{per_node[TINYGRAD] / per_node[PLAIN]:.1f}x plain",
            "<= 150 B",
            per_node[TINYGRAD] <= 150,
        )
    )


def run_chain(report: Report, steps: int, repeats: int) -> None:
    rows = []
    build_start = time.perf_counter()
    start = Value(1.0)
    root = chain(start, steps)
    build_seconds = time.perf_counter() - build_start
    n_values = len(topological_order(root))
    timings = []
    for repeat in range(repeats):
        gc.collect()
        began = time.perf_counter()
        root.backward()
        timings.append(time.perf_counter() - began)
        if repeat == 0:  # leaves accumulate, so only the first pass is compared
            difference = abs(start.grad - root.data) / root.data
            if not difference <= GRADIENT_TOLERANCE:
                raise SystemExit(
                    f"error: tinygrad_edu's gradient through the {steps:,}-step chain is "
                    f"{start.grad!r}, expected {root.data!r} (relative difference {difference:.3g})"
                )
    backward = statistics.median(timings)
    per_value = backward / n_values
    rows.append(
        [
            TINYGRAD,
            f"{steps:,} steps work",
            f"{n_values:,}",
            format_seconds(build_seconds),
            f"{format_seconds(min(timings))} / {format_seconds(backward)}",
            f"{per_value * 1e6:.2f} us",
        ]
    )
    del root, start
    gc.collect()

    cells = {TINYGRAD: f"{steps:,} steps, {per_value * 1e6:.2f} us/Value", PLAIN: "-"}
    if report.engines.micrograd is not None:
        deepest = deepest_micrograd_chain(report.engines.micrograd.Value)
        rows.append(
            [
                MICROGRAD,
                f"{deepest:,} steps work, {deepest + 1:,} raise RecursionError",
                "",
                "",
                "",
                "",
            ]
        )
        cells[MICROGRAD] = f"{deepest:,} steps (RecursionError at {deepest + 1:,})"
    else:
        cells[MICROGRAD] = missing(report.engines, MICROGRAD)
    if report.engines.torch is not None:
        cells[TORCH] = torch_chain_row(report.engines, steps, rows)
    else:
        cells[TORCH] = missing(report.engines, TORCH)
    gc.collect()
    header = ["engine", "depth", "Values", "forward", "backward min / median", "backward per Value"]
    report.print_table(
        f"3. deepest chain v = v * {CHAIN_FACTOR} + 0.0 whose backward works "
        f"({repeats} backward passes)",
        format_table(header, rows),
        ["tinygrad_edu's gradient d(v_n)/d(v_0) checked against the product of the factors"],
    )
    report.rows.append(
        SummaryRow(
            "deepest chain v = v*1.0001 + 0.0",
            cells,
            "-",
            "1e6 steps, backward <= 1 us/Value",
            per_value <= 1e-6 if steps >= 1_000_000 else None,  # --quick stops at 1e5 steps
        )
    )


def torch_chain_row(engines: Engines, steps: int, rows: list[list[str]]) -> str:
    """Run the chain on torch once; add its row and return its summary cell."""
    make_leaf = leaf_maker(engines, TORCH)
    began = time.perf_counter()
    start = make_leaf(1.0)
    root = chain(start, steps)
    forward = time.perf_counter() - began
    began = time.perf_counter()
    root.backward()
    backward = time.perf_counter() - began
    rows.append(
        [
            TORCH,
            f"{steps:,} steps work",
            f"{2 * steps:,} ops",
            format_seconds(forward),
            format_seconds(backward),
            f"{backward / (2 * steps) * 1e6:.2f} us per op",
        ]
    )
    return f"{steps:,} steps work"


def run_scaling(report: Report, sizes: Sequence[int], repeats: int, sample_seconds: float) -> None:
    engines = report.engines
    candidates: dict[str, Callable[[], object]] = {}
    n_values: dict[int, int] = {}
    for size in sizes:
        n_terms = terms_for(size)
        n_values[size] = 4 * n_terms - 1
        xs_data, ys_data = factors(n_terms)
        for name in engine_names(engines):
            candidates[f"{name} @ {size}"] = forward_backward(
                leaf_maker(engines, name), xs_data, ys_data
            )
        candidates[f"{PLAIN} @ {size}"] = plain_forward_backward(xs_data, ys_data)
    timings = time_interleaved(candidates, repeats, sample_seconds)
    small, large = min(sizes), max(sizes)
    rows = []
    growth: dict[str, float] = {}
    best_growth: dict[str, float] = {}
    large_per_node: dict[str, float] = {}
    for name in [*engine_names(engines), PLAIN]:
        small_timing, large_timing = timings[f"{name} @ {small}"], timings[f"{name} @ {large}"]

        def micro(seconds: float, size: int) -> str:
            return f"{seconds / n_values[size] * 1e6:.3f}"

        large_per_node[name] = large_timing.median / n_values[large]
        growth[name] = large_per_node[name] / (small_timing.median / n_values[small])
        best_growth[name] = (large_timing.best / n_values[large]) / (
            small_timing.best / n_values[small]
        )
        rows.append(
            [
                name,
                f"{micro(small_timing.best, small)} / {micro(small_timing.median, small)}",
                f"{micro(large_timing.best, large)} / {micro(large_timing.median, large)}",
                f"{best_growth[name]:.2f}x / {growth[name]:.2f}x",
                micro(sum(small_timing.collector_seconds_per_call), small),
                f"{micro(sum(large_timing.collector_seconds_per_call), large)} "
                f"({micro(large_timing.collector_seconds_per_call[2], large)})",
            ]
        )
    header = [
        "engine",
        f"us/node @ {n_values[small]:,} (min / median)",
        f"us/node @ {n_values[large]:,} (min / median)",
        "growth (min / median)",
        f"GC us/node @ {n_values[small]:,}",
        f"GC us/node @ {n_values[large]:,} (gen 2)",
    ]
    report.print_table(
        f"4. forward + backward per node, sum of products, {n_values[small]:,} vs "
        f"{n_values[large]:,} nodes ({repeats} repeats, interleaved)",
        format_table(header, rows),
        [
            "GC = the time CPython's collector ran inside the timed calls, per node "
            "(measured with gc.callbacks, which only observes); gen 2 = full collections"
        ],
    )
    report.rows.append(
        SummaryRow(
            f"fwd+bwd us/node growth, {n_values[large]:,} vs {n_values[small]:,} nodes",
            {
                name: f"{growth[name]:.2f}x (min {best_growth[name]:.2f}x)"
                if name in growth
                else missing(engines, name)
                for name in (MICROGRAD, TORCH, PLAIN, TINYGRAD)
            },
            f"{large_per_node[TINYGRAD] / large_per_node[PLAIN]:.1f}x plain per node",
            "<= 1.6x",
            growth[TINYGRAD] <= 1.6,
        )
    )


def forward_backward(
    make_leaf: Callable[[float], Any], xs_data: list[float], ys_data: list[float]
) -> Callable[[], None]:
    """Build the sum of products from fresh leaves and run backward, in one engine."""

    def run() -> None:
        xs, ys = [make_leaf(x) for x in xs_data], [make_leaf(y) for y in ys_data]
        sum_of_products(xs, ys).backward()

    return run


def plain_forward_backward(xs_data: list[float], ys_data: list[float]) -> Callable[[], None]:
    """The sum on plain floats, then its gradients by hand: d/dx_i = y_i, d/dy_i = x_i."""

    def run() -> None:
        sum_of_products(xs_data, ys_data)
        upstream = 1.0  # every product reaches the sum through additions, whose derivative is 1
        [upstream * y for y in ys_data]
        [upstream * x for x in xs_data]

    return run


def summary_table(report: Report, markdown: bool) -> str:
    header = ["workload", MICROGRAD, TORCH, PLAIN, TINYGRAD, "ratio", "target", "met?"]
    rows = [
        [
            row.workload,
            *(row.cells.get(name, "-") for name in (MICROGRAD, TORCH, PLAIN, TINYGRAD)),
            row.ratio,
            row.target,
            "n/a" if row.met is None else "yes" if row.met else "NO",
        ]
        for row in report.rows
    ]
    if not markdown:
        return format_table(header, rows)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)


# --- Profiling -------------------------------------------------------------------------


def profile_training_step(steps: int, top: int) -> None:
    """cProfile over `steps` tinygrad_edu training steps, the `top` functions by own time."""
    points, targets = make_points(SEED)
    step = tinygrad_training_step(make_weights(SEED), points, targets)
    step.run()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(steps):
        step.run()
    profiler.disable()
    print(f"cProfile of {steps} tinygrad_edu training steps, sorted by own time (tottime):")
    pstats.Stats(profiler).strip_dirs().sort_stats("tottime").print_stats(top)


# --- Command line ----------------------------------------------------------------------


WORKLOADS = ("training", "memory", "chain", "scaling")


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
        help="under a minute: shorter samples and a 1e5-step chain "
        "(micrograd still included if installed)",
    )
    parser.add_argument(
        "--repeats", type=int, help="timed repeats per candidate (default 7, 5 with --quick)"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=WORKLOADS,
        default=list(WORKLOADS),
        help="run only these workloads",
    )
    parser.add_argument(
        "--markdown",
        action="store_true",
        help="print the final table as Markdown (for docs/performance.md)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="instead of benchmarking, profile tinygrad_edu's training step with cProfile",
    )
    arguments = parser.parse_args(argv)
    if arguments.repeats is None:
        arguments.repeats = 5 if arguments.quick else 7
    if arguments.repeats < 1:
        parser.error(f"--repeats must be at least 1, got {arguments.repeats}")
    return arguments


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    if arguments.profile:
        profile_training_step(steps=20, top=25)
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
    weights = make_weights(SEED)
    report = Report(engines, check_gradients(engines, weights))
    # Samples of a second or more hold several training steps, so the collector's
    # periodic full collections are averaged in as they are in a training loop.
    sample_seconds = 0.2 if arguments.quick else 1.0
    if "training" in arguments.only:
        run_training_step(report, weights, arguments.repeats, sample_seconds)
    if "memory" in arguments.only:
        run_memory(report, n_nodes=100_000)
    if "chain" in arguments.only:
        run_chain(
            report, steps=100_000 if arguments.quick else 1_000_000, repeats=arguments.repeats
        )
    if "scaling" in arguments.only:
        run_scaling(report, [1_000, 100_000], arguments.repeats, sample_seconds)
    report.print_table(
        "summary: medians (minimums in brackets); ratio = tinygrad_edu / plain floats, same run; "
        "met? is judged on the median",
        summary_table(report, arguments.markdown),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
