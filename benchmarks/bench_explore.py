"""How fast the explorer answers, driving its JSON API over HTTP as the page does; imports explore.

Starts a server on a free loopback port in this process, then, for the default
model: drags the weight slider (POST /api/point with the weight swept across
its range), and times the other requests a move or a training frame makes
(/api/sweep, /api/boundary, /api/curve) and one training step of both runs
(/api/train, steps=1). Prints the median and the 95th percentile of each, and
the ratio of the percentile to its target: a slider move in under 50 ms, a
training step in under 20 ms (ratios below 1 meet them). Times are wall clock,
client side, over one keep-alive connection, as the page's fetches.

    PYTHONPATH=. python benchmarks/bench_explore.py [--moves 300]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import threading
import time
from typing import Any

from tinygrad_edu.explore import Setup, make_server
from tinygrad_edu.explore.compute import Problem

TARGETS = {
    "slider move (/api/point)": 0.050,
    "training step (/api/train, 1 step, both runs)": 0.020,
}


def timed(connection: http.client.HTTPConnection, path: str, body: dict[str, Any]) -> float:
    data = json.dumps(body).encode()
    start = time.perf_counter()
    connection.request("POST", path, body=data, headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    content = response.read()
    elapsed = time.perf_counter() - start
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}: {content[:200]!r}")
    return elapsed


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=300, help="slider moves to time (300)")
    args = parser.parse_args()

    server = make_server(port=0, lang="en")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    setup = Setup().as_json()
    weights = Problem(Setup()).weights
    base = {"setup": setup, "weights": weights}

    def with_weight(k: int, count: int) -> list[float]:
        moved = list(weights)
        moved[0] = -3.0 + 6.0 * k / max(1, count - 1)  # the slider swept from -3 to 3
        return moved

    for _ in range(10):  # warm up: imports, first connections
        timed(
            connection,
            "/api/point",
            {**base, "loss": "cross-entropy", "weight": 0, "h": 1e-3, "example": 0},
        )
    results: dict[str, list[float]] = {}
    results["slider move (/api/point)"] = [
        timed(
            connection,
            "/api/point",
            {
                "setup": setup,
                "weights": with_weight(k, args.moves),
                "loss": "cross-entropy",
                "weight": 0,
                "h": 1e-3,
                "example": 0,
            },
        )
        for k in range(args.moves)
    ]
    runs = {"mse": weights, "cross-entropy": weights}
    results["training step (/api/train, 1 step, both runs)"] = [
        timed(connection, "/api/train", {"setup": setup, "runs": runs, "lr": 0.5, "steps": 1})
        for _ in range(args.moves)
    ]
    few = max(20, args.moves // 10)
    results["boundary 32x32 (/api/boundary)"] = [
        timed(connection, "/api/boundary", {**base, "resolution": 32}) for _ in range(few)
    ]
    results["error sweep, 33 h (/api/sweep)"] = [
        timed(connection, "/api/sweep", {**base, "loss": "cross-entropy", "weight": 0})
        for _ in range(few)
    ]
    results["loss curve, 121 w (/api/curve)"] = [
        timed(
            connection, "/api/curve", {**base, "weight": 0, "low": -3.0, "high": 3.0, "points": 121}
        )
        for _ in range(few)
    ]
    results["graph layout (/api/graph)"] = [
        timed(connection, "/api/graph", {**base, "loss": "cross-entropy", "example": 0})
        for _ in range(few)
    ]
    connection.close()
    server.shutdown()

    print(f"default model: {Setup()}; times in ms, wall clock, over HTTP on 127.0.0.1")
    print(f"{'request':48} {'n':>4} {'median':>8} {'p95':>8} {'target':>7} {'p95/target':>10}")
    for name, samples in results.items():
        p95 = percentile(samples, 0.95)
        target = TARGETS.get(name)
        ratio = f"{p95 / target:10.2f}" if target else f"{'':10}"
        target_text = f"{target * 1e3:7.0f}" if target else f"{'':7}"
        print(
            f"{name:48} {len(samples):4d} {statistics.median(samples) * 1e3:8.2f} "
            f"{p95 * 1e3:8.2f} {target_text} {ratio}"
        )


if __name__ == "__main__":
    main()
