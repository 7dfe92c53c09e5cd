"""Modules import only downward, as in DESIGN.md's layout: engine <- nn, losses, ... <- cli."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tinygrad_edu"

ANYTHING = None
ALLOWED: dict[str, tuple[set[str] | None, set[str] | None]] = {
    # module: (package modules it may import, third-party packages it may import)
    "engine": (set(), set()),
    "data": (set(), set()),
    "nn": ({"engine"}, set()),
    "losses": ({"engine"}, set()),
    "optim": ({"engine"}, set()),
    "gradcheck": ({"engine", "nn"}, set()),  # nn only for the Module type
    "testing": ({"engine", "gradcheck"}, {"hypothesis"}),
    "viz": ({"engine", "nn"}, {"graphviz"}),  # nn only for the Module type
    "tables": (set(), set()),
    "messages": (set(), set()),
    "compiled": ({"engine", "messages"}, set()),
    "cli": (ANYTHING, ANYTHING),
    "__main__": ({"cli"}, set()),
    "__init__": (ANYTHING, set()),
}
"""DESIGN.md's layout; a new module needs a line here saying where it sits."""


def imports_of(path: Path) -> tuple[set[str], set[str]]:
    """(package modules, other top-level packages) imported anywhere in the file."""
    inside: set[str] = set()
    outside: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from . import x, from .x import y
                base = node.module.split(".")[0] if node.module else None
                inside |= {base} if base else {alias.name for alias in node.names}
                continue
            module = node.module or ""
            if module == "tinygrad_edu":
                inside |= {
                    alias.name for alias in node.names if (PACKAGE / f"{alias.name}.py").exists()
                }
                continue
            names = [module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "tinygrad_edu":
                if len(parts) > 1:
                    inside.add(parts[1])
            elif parts[0] not in sys.stdlib_module_names and parts[0] != "__future__":
                outside.add(parts[0])
    return inside, outside


MODULES = sorted(path.stem for path in PACKAGE.glob("*.py"))


def test_every_module_has_a_place_in_the_layout() -> None:
    unplaced = [name for name in MODULES if name not in ALLOWED]
    assert unplaced == [], f"add {unplaced} to ALLOWED with the modules they may import"


@pytest.mark.parametrize("module", [name for name in MODULES if name in ALLOWED])
def test_imports_point_down(module: str) -> None:
    inside, outside = imports_of(PACKAGE / f"{module}.py")
    allowed_inside, allowed_outside = ALLOWED[module]
    inside.discard(module)
    if allowed_inside is not None:
        assert inside <= allowed_inside, f"{module} imports {sorted(inside - allowed_inside)}"
    if allowed_outside is not None:
        assert outside <= allowed_outside, f"{module} imports {sorted(outside - allowed_outside)}"


def test_the_engine_is_standard_library_only_and_imports_nothing_of_the_package() -> None:
    assert imports_of(PACKAGE / "engine.py") == (set(), set())


def test_the_import_scanner_sees_every_form(tmp_path: Path) -> None:
    source = (
        "import tinygrad_edu.nn\nfrom tinygrad_edu import engine\nfrom tinygrad_edu.viz import x\n"
        "from . import losses\nfrom .optim import SGD\nimport numpy\nimport math\n"
        "def f():\n    import graphviz\n"
    )
    path = tmp_path / "sample.py"
    path.write_text(source, encoding="utf-8")
    expected = ({"nn", "engine", "viz", "losses", "optim"}, {"numpy", "graphviz"})
    assert imports_of(path) == expected
