"""Synthetic labelled 2D points for the lesson (blobs, moons, circles, xor); standard library only.

Each maker returns ``(X, y)``: `X` a list of ``(x1, x2)`` float tuples and `y`
a list of 0/1 int labels, the classes balanced (for an odd `n`, class 0 has
one point more) and the examples in random order. `noise` is the standard
deviation of the Gaussian noise added to both coordinates; the same `seed`
gives the same data.

>>> X, y = make_moons(6, seed=0)
>>> len(X), sorted(y)
(6, [0, 0, 0, 1, 1, 1])
>>> make_moons(6, seed=0) == (X, y)
True
"""

from __future__ import annotations

import math
import numbers
import random

__all__ = ["make_blobs", "make_circles", "make_moons", "make_xor"]

Point = tuple[float, float]
Dataset = tuple[list[Point], list[int]]


def make_blobs(n: int, *, noise: float = 0.5, seed: int | None = 0) -> Dataset:
    """Two round Gaussian blobs: class 0 around (-1, -1), class 1 around (1, 1).

    The default noise 0.5 (each blob's standard deviation) leaves the centres
    5.7 deviations apart: nearly separable by a straight line, the easiest set.

    >>> X, y = make_blobs(4, noise=0.0)
    >>> sorted(zip(X, y))
    [((-1.0, -1.0), 0), ((-1.0, -1.0), 0), ((1.0, 1.0), 1), ((1.0, 1.0), 1)]
    """
    rng = _generator("make_blobs", n, noise, seed)
    n_zeros, n_ones = _class_sizes(n)
    clean = [((-1.0, -1.0), 0)] * n_zeros + [((1.0, 1.0), 1)] * n_ones
    return _noisy_and_shuffled(clean, noise, rng)


def make_moons(n: int, *, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """Two interleaving half circles, as scikit-learn's make_moons draws them.

    Class 0 lies on the upper arc (cos t, sin t), class 1 on the lower arc
    (1 - cos t, 0.5 - sin t), t evenly spaced over [0, pi]. The default noise
    0.1 is that of micrograd's demo: not separable by a line, easy for a small MLP.

    >>> X, y = make_moons(2, noise=0.0)
    >>> sorted(zip(X, y))
    [((0.0, 0.5), 1), ((1.0, 0.0), 0)]
    """
    rng = _generator("make_moons", n, noise, seed)
    n_zeros, n_ones = _class_sizes(n)
    upper = [((math.cos(t), math.sin(t)), 0) for t in _spaced(n_zeros, math.pi, endpoint=True)]
    lower = [
        ((1.0 - math.cos(t), 0.5 - math.sin(t)), 1) for t in _spaced(n_ones, math.pi, endpoint=True)
    ]
    return _noisy_and_shuffled(upper + lower, noise, rng)


def make_circles(n: int, *, noise: float = 0.05, seed: int | None = 0) -> Dataset:
    """Two concentric circles: class 0 on radius 1, class 1 on radius 0.5.

    Angles are evenly spaced around each circle. The default noise 0.05 keeps
    the gap of 0.5 between the rings ten deviations wide: separable, but only
    by a curved boundary.

    >>> X, y = make_circles(2, noise=0.0)
    >>> sorted(zip(X, y))
    [((0.5, 0.0), 1), ((1.0, 0.0), 0)]
    """
    rng = _generator("make_circles", n, noise, seed)
    n_zeros, n_ones = _class_sizes(n)
    points = [
        ((radius * math.cos(t), radius * math.sin(t)), label)
        for radius, label, count in ((1.0, 0, n_zeros), (0.5, 1, n_ones))
        for t in _spaced(count, 2 * math.pi, endpoint=False)
    ]
    return _noisy_and_shuffled(points, noise, rng)


def make_xor(n: int, *, noise: float = 0.3, seed: int | None = 0) -> Dataset:
    """Four clusters at the corners (+-1, +-1), labelled by xor of the signs of x1 and x2.

    Class 0 sits at (1, 1) and (-1, -1), class 1 at (1, -1) and (-1, 1), the
    points of each class shared alternately between its two corners. The
    default noise 0.3 keeps each cluster more than three deviations from the
    axes; no straight line separates the classes.

    >>> X, y = make_xor(4, noise=0.0)
    >>> sorted(zip(X, y))
    [((-1.0, -1.0), 0), ((-1.0, 1.0), 1), ((1.0, -1.0), 1), ((1.0, 1.0), 0)]
    """
    rng = _generator("make_xor", n, noise, seed)
    n_zeros, n_ones = _class_sizes(n)
    corners = {0: [(1.0, 1.0), (-1.0, -1.0)], 1: [(1.0, -1.0), (-1.0, 1.0)]}
    points = [
        (corners[label][i % 2], label)
        for label, count in ((0, n_zeros), (1, n_ones))
        for i in range(count)
    ]
    return _noisy_and_shuffled(points, noise, rng)


def _generator(function: str, n: object, noise: object, seed: object) -> random.Random:
    """Check the arguments every maker shares; return the generator for `seed`."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"{function}: n must be an int, got {type(n).__name__}: {n!r}")
    if n < 2:
        raise ValueError(f"{function}: n must be >= 2 (at least one point per class), got {n}")
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real):
        raise TypeError(
            f"{function}: noise must be a number, got {type(noise).__name__}: {noise!r}"
        )
    if not 0 <= float(noise) < math.inf:
        raise ValueError(
            f"{function}: noise is the standard deviation of the added Gaussian noise and "
            f"must be a finite number >= 0, got {noise!r}"
        )
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise TypeError(f"{function}: seed must be an int or None, got {type(seed).__name__}")
    return random.Random(seed)


def _class_sizes(n: int) -> tuple[int, int]:
    """Balanced classes: for an odd n, class 0 gets the extra point."""
    return n - n // 2, n // 2


def _spaced(count: int, stop: float, *, endpoint: bool) -> list[float]:
    """`count` evenly spaced angles from 0 to `stop` (`stop` too if `endpoint`), as linspace."""
    if count == 1:
        return [0.0]
    steps = count - 1 if endpoint else count
    return [stop * i / steps for i in range(count)]


def _noisy_and_shuffled(
    points: list[tuple[Point, int]], noise: float, rng: random.Random
) -> Dataset:
    """Add Gaussian noise to each coordinate, shuffle the examples, and split into X and y."""
    examples = [
        ((x1 + rng.gauss(0.0, noise), x2 + rng.gauss(0.0, noise)), label)
        for (x1, x2), label in points
    ]
    rng.shuffle(examples)
    return [point for point, _ in examples], [label for _, label in examples]
