"""The documentation site builds with warnings as errors, as `make docs` builds it.

Sphinx (the 'docs' extra) reads every page, the API reference generated from the
docstrings and the command-line reference generated from the argparse parser; a
broken cross-reference, a docstring reStructuredText cannot read or a page left out of
the table of contents fails the build. It takes a few seconds.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import require

ROOT = Path(__file__).resolve().parent.parent


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
