"""Tests for tinygrad_edu.data: shapes, balance, seeds, the clean shapes, the noise, errors."""

from __future__ import annotations

import ast
import inspect
import math
import re
import statistics
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu.data
from tinygrad_edu.data import make_blobs, make_circles, make_moons, make_xor
from tinygrad_edu.testing import dataset_sizes

Maker = Callable[..., tuple[list[tuple[float, float]], list[int]]]
MAKERS: list[Maker] = [make_blobs, make_moons, make_circles, make_xor]
DEFAULT_NOISE = {"make_blobs": 0.5, "make_moons": 0.1, "make_circles": 0.05, "make_xor": 0.3}
"""The documented defaults (see each maker's docstring for why)."""


@pytest.mark.parametrize("make", MAKERS, ids=lambda f: f.__name__)
@given(n=dataset_sizes(), seed=st.integers(0, 2**32 - 1))
def test_shape_types_and_balance(make: Maker, n: int, seed: int) -> None:
    X, y = make(n, seed=seed)
    assert len(X) == len(y) == n
    assert all(type(point) is tuple and len(point) == 2 for point in X)
    assert all(type(coordinate) is float for point in X for coordinate in point)
    assert all(type(label) is int and label in (0, 1) for label in y)
    assert (y.count(0), y.count(1)) == (n - n // 2, n // 2)


@pytest.mark.parametrize("make", MAKERS, ids=lambda f: f.__name__)
def test_same_seed_same_data_other_seed_other_data(make: Maker) -> None:
    assert make(20, seed=4) == make(20, seed=4)
    assert make(20, seed=4) != make(20, seed=5)
    assert make(20) == make(20, seed=0)


@pytest.mark.parametrize("make", MAKERS, ids=lambda f: f.__name__)
def test_examples_come_in_random_order(make: Maker) -> None:
    _, y = make(40, seed=1)
    # Not all of class 0 first: a shuffle leaves the 20 zeros in front with chance 1/C(40, 20).
    assert y != sorted(y)


def documented_noise(make: Maker) -> float:
    """The number the maker's docstring gives after "default noise"."""
    found = re.search(r"default noise\s+([0-9.]+)", make.__doc__ or "")
    assert found is not None, f"{make.__name__}'s docstring names no default noise"
    return float(found.group(1).rstrip("."))


@pytest.mark.parametrize("make", MAKERS, ids=lambda f: f.__name__)
def test_the_default_noise_is_the_one_the_docstring_gives(make: Maker) -> None:
    noise = documented_noise(make)
    assert noise == DEFAULT_NOISE[make.__name__]  # the lesson's table above agrees
    assert make(30) == make(30, noise=noise)
    assert make(30) != make(30, noise=noise * 1.5)


def distance_from_clean_shape(make: Maker, point: tuple[float, float], label: int) -> float:
    """How far a point lies from where the maker puts its class without noise (0 if on it)."""
    x1, x2 = point
    if make is make_blobs:
        center = (-1.0, -1.0) if label == 0 else (1.0, 1.0)
        return math.dist(point, center)
    if make is make_moons:
        # class 0 on the upper unit half circle, class 1 on the lower one centred at (1, 0.5)
        center, upper = ((0.0, 0.0), True) if label == 0 else ((1.0, 0.5), False)
        on_the_right_half = (x2 >= center[1] - 1e-12) if upper else (x2 <= center[1] + 1e-12)
        radius = math.dist(point, center)
        return abs(radius - 1.0) if on_the_right_half else math.inf
    if make is make_circles:
        return abs(math.hypot(x1, x2) - (1.0 if label == 0 else 0.5))
    same_sign = (x1 > 0) == (x2 > 0)
    corner_distance = min(math.dist(point, (a, b)) for a in (-1.0, 1.0) for b in (-1.0, 1.0))
    return corner_distance if same_sign == (label == 0) else math.inf


@pytest.mark.parametrize("make", MAKERS, ids=lambda f: f.__name__)
@given(n=dataset_sizes())
def test_without_noise_every_point_lies_on_its_class_shape(make: Maker, n: int) -> None:
    X, y = make(n, noise=0.0)
    # cos, sin and one multiplication round to within a few 2**-53 of the exact circle
    assert all(
        distance_from_clean_shape(make, p, label) <= 1e-15 for p, label in zip(X, y, strict=True)
    )


def flat(points: list[tuple[float, float]]) -> list[float]:
    return [coordinate for point in points for coordinate in point]


def test_without_noise_the_arcs_and_circles_are_evenly_covered() -> None:
    X, y = make_moons(6, noise=0.0)
    upper = sorted(p for p, label in zip(X, y, strict=True) if label == 0)
    assert flat(upper) == pytest.approx(flat([(-1.0, 0.0), (0.0, 1.0), (1.0, 0.0)]), abs=1e-15)
    X, y = make_circles(8, noise=0.0)
    inner = sorted(p for p, label in zip(X, y, strict=True) if label == 1)
    expected = [(-0.5, 0.0), (0.0, -0.5), (0.0, 0.5), (0.5, 0.0)]
    assert flat(inner) == pytest.approx(flat(expected), abs=1e-15)


@pytest.mark.parametrize("make", [make_blobs, make_xor], ids=lambda f: f.__name__)
@pytest.mark.parametrize("noise", [0.05, 0.3])
def test_noise_is_the_standard_deviation_of_each_coordinate(make: Maker, noise: float) -> None:
    X, y = make(2000, noise=noise, seed=3)
    clean = {0: [(-1.0, -1.0), (1.0, 1.0)], 1: [(1.0, -1.0), (-1.0, 1.0)]}
    if make is make_blobs:
        clean = {0: [(-1.0, -1.0)], 1: [(1.0, 1.0)]}
    deviations = []
    for point, label in zip(X, y, strict=True):
        nearest = min(clean[label], key=lambda corner: math.dist(point, corner))
        deviations += [point[0] - nearest[0], point[1] - nearest[1]]
    # 4000 normal draws: the sample deviation is within 10% of the true one unless off by
    # ~9 of its own standard errors (sigma / sqrt(2 * 4000) ~ 1.1% of sigma); the seed is fixed.
    assert statistics.pstdev(deviations) == pytest.approx(noise, rel=0.1)
    assert abs(statistics.fmean(deviations)) < 0.1 * noise


def test_noise_moves_points_off_the_clean_shapes() -> None:
    for make in (make_moons, make_circles):
        X, y = make(100, noise=0.1, seed=0)
        distances = [
            distance_from_clean_shape(make, p, label) for p, label in zip(X, y, strict=True)
        ]
        assert max(distances) > 0.1


def test_the_module_uses_only_the_standard_library() -> None:
    tree = ast.parse(inspect.getsource(tinygrad_edu.data))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"__future__", "math", "numbers", "random"}


@pytest.mark.parametrize("make", MAKERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"n": 1}, ValueError, r"n must be >= 2 \(at least one point per class\), got 1"),
        ({"n": 0}, ValueError, r"n must be >= 2"),
        ({"n": -5}, ValueError, r"n must be >= 2"),
        ({"n": 2.0}, TypeError, r"n must be an int, got float"),
        ({"n": True}, TypeError, r"n must be an int, got bool"),
        (
            {"n": 10, "noise": -0.1},
            ValueError,
            r"noise is the standard deviation .* must be a finite number >= 0, got -0.1",
        ),
        (
            {"n": 10, "noise": math.nan},
            ValueError,
            r"noise is .* must be a finite number >= 0, got nan",
        ),
        (
            {"n": 10, "noise": math.inf},
            ValueError,
            r"noise is .* must be a finite number >= 0, got inf",
        ),
        ({"n": 10, "noise": "0.1"}, TypeError, r"noise must be a number, got str"),
        ({"n": 10, "seed": "0"}, TypeError, r"seed must be an int or None, got str"),
    ],
)
def test_bad_arguments_say_what_is_allowed(
    make: Maker, arguments: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=rf"{make.__name__}: {message}"):
        make(**arguments)


def test_noise_and_seed_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        make_moons(10, 0.1)  # type: ignore[call-arg]
