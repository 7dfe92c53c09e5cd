"""Finite-difference error against h for one MLP parameter: the table in docs/gradient-check.md.

For h = 1e-1, 1e-2, ..., 1e-10 it compares the forward difference (the
lesson's) and the central difference with the engine's exact derivative, and
prints beside each measured error the error the Taylor expansion predicts
(h/2 |f''| and h^2/6 |f'''|, from exact higher derivatives) and the size of
the round-off, eps |f| / h. Run from the repository root:

    .venv/bin/python benchmarks/fd_error_table.py
    .venv/bin/python benchmarks/fd_error_table.py --loss mse --parameter layers.2.neurons.0.b
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence

from tinygrad_edu import losses
from tinygrad_edu.data import make_moons
from tinygrad_edu.engine import Value, grad
from tinygrad_edu.gradcheck import numerical_derivative
from tinygrad_edu.nn import MLP

MACHINE_EPSILON = sys.float_info.epsilon  # 2**-52: the gap between 1.0 and the next float
STEPS = [10.0**-exponent for exponent in range(1, 11)]


def build_loss(loss_name: str, n_points: int, seed: int) -> tuple[MLP, Callable[[], Value]]:
    """The lesson's setting: a seeded MLP(2, [8, 8, 1]) on make_moons, and a loss function."""
    points, labels = make_moons(n_points, noise=0.1, seed=seed)
    model = MLP(2, [8, 8, 1], seed=seed)

    def logits() -> list[Value]:
        outputs = [model(point) for point in points]
        return [output for output in outputs if isinstance(output, Value)]

    def cross_entropy() -> Value:
        return losses.binary_cross_entropy_with_logits(logits(), labels)

    def squared_error() -> Value:
        return losses.mse([logit.sigmoid() for logit in logits()], labels)

    return model, cross_entropy if loss_name == "cross_entropy" else squared_error


def derivatives(f: Callable[[], Value], weight: Value) -> tuple[float, float, float, float]:
    """f, f', f'' and f''' at the weight's current value, exactly (up to round-off)."""
    loss = f()
    (first,) = grad(loss, [weight], create_graph=True)
    (second,) = grad(first, [weight], create_graph=True)
    (third,) = grad(second, [weight])
    return loss.data, first.data, second.data, third


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loss", choices=["cross_entropy", "mse"], default="cross_entropy")
    parser.add_argument("--parameter", default="layers.0.neurons.0.w.0", help="dotted name")
    parser.add_argument("--points", type=int, default=32, help="make_moons points (default 32)")
    parser.add_argument("--seed", type=int, default=0, help="seed of data and model (default 0)")
    args = parser.parse_args(argv)

    model, f = build_loss(args.loss, args.points, args.seed)
    parameters = dict(model.named_parameters())
    if args.parameter not in parameters:
        names = ", ".join(list(parameters)[:4])
        parser.error(f"no parameter named {args.parameter!r}; names look like {names}, ...")
    weight = parameters[args.parameter]
    value, first, second, third = derivatives(f, weight)

    print(
        f"MLP(2, [8, 8, 1], seed={args.seed}) on make_moons({args.points}, noise=0.1, "
        f"seed={args.seed}), loss={args.loss}"
    )
    print(f"parameter {args.parameter} = {weight.data:.6g}")
    print(
        f"f = {value:.6g}   f' = {first:.10g}   f'' = {second:.6g}   f''' = {third:.6g}   "
        f"eps = {MACHINE_EPSILON:.3g}"
    )
    print()
    header = [
        "h", "forward error", "h/2*|f''|", "central error", "h^2/6*|f'''|", "eps*|f|/h"
    ]  # fmt: skip
    rows = [header]
    measured: dict[str, list[tuple[float, float]]] = {"forward": [], "central": []}
    for h in STEPS:
        forward = abs(numerical_derivative(f, weight, h=h, method="forward") - first)
        central = abs(numerical_derivative(f, weight, h=h, method="central") - first)
        measured["forward"].append((forward, h))
        measured["central"].append((central, h))
        rows.append(
            [
                f"{h:.0e}",
                f"{forward:.2e}",
                f"{h / 2 * abs(second):.2e}",
                f"{central:.2e}",
                f"{h * h / 6 * abs(third):.2e}",
                f"{MACHINE_EPSILON * abs(value) / h:.2e}",
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))
    print()
    for method, theory in (
        ("forward", math.sqrt(2 * MACHINE_EPSILON * abs(value) / abs(second))),
        ("central", (3 * MACHINE_EPSILON * abs(value) / abs(third)) ** (1 / 3)),
    ):
        error, h = min(measured[method])
        print(
            f"{method}: smallest error {error:.2e} at h = {h:.0e}; "
            f"theory puts the best h near {theory:.1e}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
