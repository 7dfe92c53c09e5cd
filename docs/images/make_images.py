"""Regenerate the pictures in docs/images and their manifest; imports the engine and viz.

The lecture's neuron after backward(), in English (neuron.png, for the English pages)
and in Portuguese (neuron-pt.png, for the aula). The explorer's screenshots
(explorer.png, explorer-en.png) are taken by the browser test with
TINYGRAD_EDU_SCREENSHOTS=docs/images. `make docs-figures` does both, then runs this
script with --manifest, which writes manifest.json: for each figure the sha256 of the
picture and of every source file that made it, so that a test can tell when a source
changed and the picture was not regenerated.

Run from the repository root: python docs/images/make_images.py [--manifest]
It needs the Graphviz `dot` program (Debian/Ubuntu: sudo apt-get install graphviz).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

from tinygrad_edu import compiled
from tinygrad_edu.engine import Value, topological_order
from tinygrad_edu.messages import MESSAGES
from tinygrad_edu.viz import render

IMAGES = Path(__file__).resolve().parent
ROOT = IMAGES.parent.parent
MANIFEST = IMAGES / "manifest.json"

NEURON_SOURCES = [
    "docs/images/make_images.py",
    "tinygrad_edu/compiled.py",  # lecture_neuron()
    "tinygrad_edu/viz.py",
    "messages:graph.",
]
EXPLORER_SOURCES = [
    "tests/test_explore_browser.py",
    "tinygrad_edu/explore/**/*",
    "messages:explore.",
]
FIGURES = {
    "neuron.png": NEURON_SOURCES,
    "neuron.svg": NEURON_SOURCES,
    "neuron-pt.png": NEURON_SOURCES,
    "neuron-pt.svg": NEURON_SOURCES,
    "explorer.png": EXPLORER_SOURCES,
    "explorer-en.png": EXPLORER_SOURCES,
}
"""Each picture of docs/images and what makes it: files (globs, from the repository root),
and `messages:PREFIX`, the entries of the message catalog whose keys start with PREFIX
(only the words the picture shows, so editing another command's words changes nothing)."""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_files(patterns: list[str]) -> list[Path]:
    """The files the glob `patterns` name, sorted, skipping folders and caches."""
    found = {path for pattern in patterns for path in ROOT.glob(pattern)}
    return sorted(
        path for path in found if path.is_file() and "__pycache__" not in path.parts
    )


def catalog_digest(prefix: str) -> str:
    """The sha256 of the catalog entries whose keys start with `prefix`, in key order."""
    entries = {key: entry for key, entry in MESSAGES.items() if key.startswith(prefix)}
    return hashlib.sha256(json.dumps(entries, sort_keys=True).encode("utf-8")).hexdigest()


def source_digests(patterns: list[str]) -> dict[str, str]:
    """Each source of a picture by name, with the sha256 of what it holds."""
    files = source_files([pattern for pattern in patterns if not pattern.startswith("messages:")])
    digests = {path.relative_to(ROOT).as_posix(): sha256(path) for path in files}
    for pattern in patterns:
        if pattern.startswith("messages:"):
            digests[pattern] = catalog_digest(pattern.removeprefix("messages:"))
    return digests


def manifest() -> dict[str, dict[str, object]]:
    """What manifest.json holds: per figure, the sha256 of the picture and of its sources.

    >>> entry = manifest()["neuron.png"]
    >>> sorted(entry), "docs/images/make_images.py" in entry["sources"]
    (['picture', 'sources'], True)
    """
    return {
        name: {
            "picture": sha256(IMAGES / name),
            "sources": source_digests(patterns),
        }
        for name, patterns in FIGURES.items()
    }


def write_manifest() -> None:
    MANIFEST.write_text(json.dumps(manifest(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {MANIFEST}")


def lecture_neuron() -> tuple[Value, list[Value]]:
    """The lecture's neuron after o.backward(); returns o and its parameters [w1, w2, b]."""
    o = compiled.lecture_neuron()
    o.backward()
    by_label = {value.label: value for value in topological_order(o)}
    return o, [by_label["w1"], by_label["w2"], by_label["b"]]


def main() -> int:
    if sys.argv[1:] == ["--manifest"]:
        write_manifest()
        return 0
    if sys.argv[1:]:
        print(f"usage: python {sys.argv[0]} [--manifest]", file=sys.stderr)
        return 2
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
