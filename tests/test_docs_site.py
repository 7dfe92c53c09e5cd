"""The documentation site builds with warnings as errors, as `make docs` builds it, and
its pictures are as new as the code that draws them.

Sphinx (the 'docs' extra) reads every page, the API reference generated from the
docstrings and the command-line reference generated from the argparse parser; a
broken cross-reference, a docstring reStructuredText cannot read or a page left out of
the table of contents fails the build. It takes a few seconds.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from conftest import require

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
PICTURE_SUFFIXES = {".png", ".svg"}


def make_images() -> Any:
    """docs/images/make_images.py, imported as a module (it is a script, not in a package)."""
    spec = importlib.util.spec_from_file_location("make_images", IMAGES / "make_images.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def stale_figures(recorded: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """Why each figure of `current` disagrees with the manifest `recorded`, one line each."""
    problems = []
    for name, entry in current.items():
        old = recorded.get(name)
        if old is None:
            problems.append(f"{name}: not in the manifest")
            continue
        if old["picture"] != entry["picture"]:
            problems.append(f"{name}: the picture changed since the manifest was written")
        for source in sorted(set(entry["sources"]) | set(old["sources"])):
            if old["sources"].get(source) != entry["sources"].get(source):
                problems.append(f"{name}: its source {source} changed")
    problems += [f"{name}: in the manifest, but no longer made"
                 for name in sorted(set(recorded) - set(current))]  # fmt: skip
    return problems


def test_figures_are_regenerated_when_their_sources_change() -> None:
    module = make_images()
    recorded = json.loads(module.MANIFEST.read_text(encoding="utf-8"))
    problems = stale_figures(recorded, module.manifest())
    assert not problems, (
        "the pictures in docs/images are older than their sources; run `make docs-figures` "
        "and commit the pictures and docs/images/manifest.json:\n" + "\n".join(problems)
    )


def test_every_picture_has_a_recipe() -> None:
    pictures = {path.name for path in IMAGES.iterdir() if path.suffix in PICTURE_SUFFIXES}
    assert pictures == set(make_images().FIGURES), (
        "every picture of docs/images must be listed in make_images.FIGURES with its sources"
    )


def test_stale_figures_names_the_changed_source() -> None:
    recorded = {"a.png": {"picture": "1", "sources": {"viz.py": "x"}}}
    assert stale_figures(recorded, recorded) == []
    changed = {"a.png": {"picture": "1", "sources": {"viz.py": "y"}}}
    assert stale_figures(recorded, changed) == ["a.png: its source viz.py changed"]


def build(out: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q",
               "-b", "html", str(ROOT / "docs"), str(out)]  # fmt: skip
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_site_builds_with_warnings_as_errors(tmp_path: Path) -> None:
    require("sphinx", extra="docs")
    require("myst_parser", extra="docs")
    require("furo", extra="docs")
    result = build(tmp_path / "html")
    assert result.returncode == 0, f"sphinx-build failed:\n{result.stderr}{result.stdout}"
    cli = (tmp_path / "html" / "reference" / "cli.html").read_text(encoding="utf-8")
    for command in ("demo", "graph", "gradcheck", "check-rules"):
        assert f'id="tinygrad-edu-{command}"' in cli, f"the CLI reference lacks {command}"
    api = (tmp_path / "html" / "reference" / "api.html").read_text(encoding="utf-8")
    assert 'id="tinygrad_edu.engine.Value.backward"' in api
    assert 'id="tinygrad_edu.gradcheck.gradcheck"' in api
