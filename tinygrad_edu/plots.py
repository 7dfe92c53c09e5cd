"""Matplotlib figures of the experiments' results (race, landscape); uses experiments, messages.

Needs the optional extra 'plot' (matplotlib): without it every function raises
an ImportError that says how to install it. Each figure is written to a PNG
file whose path is returned, with every title, axis and legend in `lang`
('pt' or 'en'; None chooses as `messages.choose_language()` does).

>>> from tinygrad_edu.experiments import gradient_curves
>>> import os, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     path = gradient_figure(gradient_curves([-6, 0, 6]), os.path.join(folder, 'g.png'))
...     os.path.basename(path), os.path.getsize(path) > 0
('g.png', True)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tinygrad_edu.experiments import GradientCurves, Landscape, Race
from tinygrad_edu.messages import choose_language, text

__all__ = ["gradient_figure", "landscape_figure", "race_figure"]

DPI = 110
COLOURS = {"mse": "tab:orange", "cross-entropy": "tab:blue"}
"""One colour per loss, the same in every panel."""
LABEL_STYLES = {0: "--", 1: "-"}
"""The line style tells the label apart in the |dL/dz| chart."""


def _pyplot() -> Any:
    """matplotlib.pyplot on the file-only Agg backend, or an ImportError naming the extra."""
    try:
        import matplotlib
    except ImportError:
        raise ImportError(
            "the figures need matplotlib, the optional extra 'plot': "
            "pip install 'tinygrad_edu[plot]'"
        ) from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    return pyplot


def _words(lang: str | None) -> Any:
    chosen = choose_language(lang)

    def say(key: str, **fields: object) -> str:
        return text(f"plot.{key}", chosen, **fields)

    return say


def _save(figure: Any, pyplot: Any, path: str | os.PathLike[str]) -> str:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(target, dpi=DPI)
    pyplot.close(figure)
    return str(target)


def _draw_gradients(axes: Any, curves: GradientCurves, say: Any) -> None:
    for (loss, label), values in curves.values.items():
        axes.plot(
            curves.logits, values, LABEL_STYLES[label], color=COLOURS[loss],
            label=say("gradient.line", loss=loss, label=label),
        )  # fmt: skip
    axes.set(
        xlabel=say("gradient.x"), ylabel=say("gradient.y"), title=say("gradient.title"),
        ylim=(0, 1.05),
    )  # fmt: skip
    axes.legend(fontsize=8)
    axes.grid(alpha=0.3)


def gradient_figure(
    curves: GradientCurves, path: str | os.PathLike[str], *, lang: str | None = None
) -> str:
    """|dL/dz| against the logit z, for MSE and cross-entropy at each label, written to `path`."""
    pyplot = _pyplot()
    say = _words(lang)
    figure, axes = pyplot.subplots(figsize=(6, 4))
    _draw_gradients(axes, curves, say)
    return _save(figure, pyplot, path)


def race_figure(
    race: Race, curves: GradientCurves, path: str | os.PathLike[str], *, lang: str | None = None
) -> str:
    """The race in four panels: each loss on its own axes (their values are not comparable),
    both accuracies, and why they differ, |dL/dz| against z; written to `path`."""
    pyplot = _pyplot()
    say = _words(lang)
    figure, grid = pyplot.subplots(2, 2, figsize=(11, 8))
    (mse_axes, ce_axes), (accuracy_axes, gradient_axes) = grid
    for loss, axes in (("mse", mse_axes), ("cross-entropy", ce_axes)):
        axes.plot([epoch.loss for epoch in race.history[loss]], color=COLOURS[loss])
        axes.set(xlabel=say("epoch"), ylabel=loss, title=say("race.loss_title", loss=loss))
        axes.grid(alpha=0.3)
    for loss, history in race.history.items():
        accuracy_axes.plot([epoch.accuracy for epoch in history], color=COLOURS[loss], label=loss)
    accuracy_axes.axhline(
        race.target, color="grey", linestyle="--", linewidth=1,
        label=say("race.target", target=f"{race.target:.0%}"),
    )  # fmt: skip
    accuracy_axes.set(
        xlabel=say("epoch"), ylabel=say("race.accuracy"), title=say("race.accuracy"),
        ylim=(0, 1.05),
    )  # fmt: skip
    accuracy_axes.legend(fontsize=8)
    accuracy_axes.grid(alpha=0.3)
    _draw_gradients(gradient_axes, curves, say)
    figure.suptitle(say("race.title"))
    return _save(figure, pyplot, path)


def landscape_figure(
    view: Landscape, path: str | os.PathLike[str], *, loss: str, lang: str | None = None
) -> str:
    """Contour lines of the loss over two weights, the negative gradient as an arrow at the
    start, and the SGD path; written to `path`."""
    pyplot = _pyplot()
    say = _words(lang)
    a_values, b_values, rows = view.grid
    figure, axes = pyplot.subplots(figsize=(6.5, 5.5))
    contours = axes.contour(a_values, b_values, rows, levels=20, cmap="viridis")
    axes.clabel(contours, fontsize=7)
    axes.plot(
        [point[0] for point in view.path], [point[1] for point in view.path], "o-",
        color="black", markersize=3, label=say("landscape.steps", steps=len(view.path) - 1),
    )  # fmt: skip
    axes.plot(*view.origin, "o", color="crimson", markersize=6, label=say("landscape.start"))
    length = (a_values[-1] - a_values[0]) / 6
    tip = (view.origin[0] + view.arrow[0] * length, view.origin[1] + view.arrow[1] * length)
    axes.annotate(
        "", xy=tip, xytext=view.origin,
        arrowprops={"arrowstyle": "-|>", "color": "crimson", "lw": 2},
    )  # fmt: skip
    axes.plot([], [], color="crimson", lw=2, label=say("landscape.arrow"))
    axes.set(
        xlabel=f"a = {view.names[0]}", ylabel=f"b = {view.names[1]}",
        title=say("landscape.title", loss=loss), aspect="equal",
    )  # fmt: skip
    axes.legend(loc="upper right", fontsize=8)
    return _save(figure, pyplot, path)
