"""The figures: written as PNG files, worded in the chosen language, and a clear ImportError."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import require
from tinygrad_edu.experiments import (
    gradient_curves,
    landscape,
    loss_function,
    make_dataset,
    make_model,
    race,
)

PNG = b"\x89PNG\r\n\x1a\n"


def small_race() -> Any:
    X, y = make_dataset("moons", 10, seed=0)
    return race(X, y, hidden=[3], activation="tanh", seed=0, epochs=2, lr=0.5, warmup=5,
                confidence=5, target=0.8)  # fmt: skip


def texts_of(figure_function: Any, *args: Any, lang: str, tmp_path: Path, **kwargs: Any) -> str:
    """Every text drawn in the figure (titles, axes, legends), read back from matplotlib."""
    require("matplotlib", extra="plot")
    import matplotlib.pyplot as pyplot

    captured: list[str] = []
    original = pyplot.close

    def keep_texts(figure: Any) -> None:
        import matplotlib.text

        for artist in figure.findobj(matplotlib.text.Text):
            captured.append(artist.get_text())
        original(figure)

    pyplot.close = keep_texts  # type: ignore[assignment]
    try:
        path = figure_function(*args, tmp_path / f"figure-{lang}.png", lang=lang, **kwargs)
    finally:
        pyplot.close = original  # type: ignore[assignment]
    assert Path(path).read_bytes()[:8] == PNG
    return "\n".join(captured)


@pytest.mark.parametrize(
    ("lang", "words", "absent"),
    [("pt", ["época", "acurácia", "classe 1"], ["epoch", "accuracy"]),
     ("en", ["epoch", "accuracy", "label 1"], ["época", "acurácia"])],
)  # fmt: skip
def test_the_race_figure_speaks_the_chosen_language(
    lang: str, words: list[str], absent: list[str], tmp_path: Path
) -> None:
    from tinygrad_edu.plots import race_figure

    drawn = texts_of(race_figure, small_race(), gradient_curves([-4.0, 0.0, 4.0]),
                     lang=lang, tmp_path=tmp_path)  # fmt: skip
    for word in words:
        assert word in drawn
    for word in absent:
        assert word not in drawn
    assert "|dL/dz|" in drawn  # the panel that explains the race


@pytest.mark.parametrize(("lang", "word"), [("pt", "início"), ("en", "start")])
def test_the_landscape_figure_speaks_the_chosen_language(
    lang: str, word: str, tmp_path: Path
) -> None:
    from tinygrad_edu.plots import landscape_figure

    X, y = make_dataset("moons", 6, seed=0)
    model = make_model([2], "tanh", seed=0)
    view = landscape(model, loss_function(model, X, y, "mse"),
                     ("layers.0.neurons.0.w.0", "layers.0.neurons.0.b"),
                     steps=2, lr=1.0, span=1.0, grid=3)  # fmt: skip
    drawn = texts_of(landscape_figure, view, lang=lang, tmp_path=tmp_path, loss="mse")
    assert word in drawn


def test_without_matplotlib_a_figure_names_the_extra(tmp_path: Path) -> None:
    program = (
        "import sys\n"
        "class Hide:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'matplotlib':\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Hide())\n"
        "from tinygrad_edu.experiments import gradient_curves\n"
        "from tinygrad_edu.plots import gradient_figure\n"
        "try:\n"
        "    gradient_figure(gradient_curves([0.0]), 'never.png')\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    result = subprocess.run([sys.executable, "-c", program], cwd=tmp_path, capture_output=True,
                            text=True, check=True)  # fmt: skip
    assert "optional extra 'plot'" in result.stdout and "tinygrad_edu[plot]" in result.stdout
    assert list(tmp_path.iterdir()) == []
