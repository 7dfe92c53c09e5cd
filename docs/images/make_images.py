"""Regenerate the pictures in docs/images: the lecture's neuron after backward(), in English
(neuron.png, for the English pages) and in Portuguese (neuron-pt.png, for the aula).

Run from the repository root: python docs/images/make_images.py
It needs the Graphviz `dot` program (Debian/Ubuntu: sudo apt-get install graphviz).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from tinygrad_edu.engine import Value
from tinygrad_edu.viz import render

IMAGES = Path(__file__).resolve().parent


def lecture_neuron() -> tuple[Value, list[Value]]:
    """The lecture's neuron after o.backward(); returns o and its parameters [w1, w2, b]."""
    x1 = Value(2.0, label="x1")
    x2 = Value(0.0, label="x2")
    w1 = Value(-3.0, label="w1")
    w2 = Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")  # chosen in the lecture so that n = 0.8814
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return o, [w1, w2, b]


def main() -> int:
    if shutil.which("dot") is None:
        print(
            "error: the Graphviz 'dot' program is missing "
            "(Debian/Ubuntu: sudo apt-get install graphviz; macOS: brew install graphviz)",
            file=sys.stderr,
        )
        return 1
    o, parameters = lecture_neuron()
    for lang, stem in (("en", "neuron"), ("pt", "neuron-pt")):
        for suffix in (".svg", ".png"):
            path = IMAGES / f"{stem}{suffix}"
            written = render(o, path, params=parameters, legend=True, lang=lang)
            print(f"wrote {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
