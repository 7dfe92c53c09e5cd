"""Modules import only downward, as in DESIGN.md's layout: engine at the bottom, cli at the top.

A module is a file `tinygrad_edu/NAME.py` or a subpackage `tinygrad_edu/NAME/`
(all its files together). Each has a line in ALLOWED saying what it may import;
the lines together must form layers (no cycle), nothing may import cli but
`__main__`, and the engine imports nothing of the package.
"""

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
    "tables": (set(), set()),
    "messages": (set(), set()),
    "_ctrl_c": (set(), set()),  # the command's Ctrl-C: imported first by __init__, used by cli
    "nn": ({"engine"}, set()),
    "losses": ({"engine", "messages", "tables"}, set()),
    "optim": ({"engine"}, set()),
    "compiled": ({"engine", "messages"}, set()),
    "expression": ({"engine"}, set()),
    "gradcheck": ({"engine", "nn", "tables", "messages"}, set()),  # nn: Module and params
    "testing": ({"engine", "gradcheck", "nn", "tables", "messages"}, {"hypothesis"}),
    "viz": ({"engine", "nn", "messages"}, {"graphviz"}),  # nn for the Module type and its params
    "bridge": (
        {"engine", "nn", "losses", "optim", "data", "messages", "tables"},
        {"torch"},
    ),
    "experiments": ({"data", "engine", "nn", "losses", "optim", "gradcheck", "compiled"}, set()),
    "plots": ({"experiments", "messages"}, {"matplotlib"}),
    "explore": (ANYTHING, {"graphviz"}),  # anything but cli (checked below); stdlib and graphviz
    "cli": (ANYTHING, ANYTHING),
    "__main__": ({"cli"}, set()),
    "__init__": (ANYTHING, set()),
}
"""DESIGN.md's layout; a new module needs a line here saying where it sits."""


def module_files(name: str) -> list[Path]:
    """The file of a module, or every file of a subpackage."""
    folder = PACKAGE / name
    if folder.is_dir():
        return sorted(folder.rglob("*.py"))
    return [PACKAGE / f"{name}.py"]


def is_module(name: str) -> bool:
    return (PACKAGE / f"{name}.py").exists() or (PACKAGE / name / "__init__.py").exists()


def imports_of(path: Path) -> tuple[set[str], set[str]]:
    """(package modules, other top-level packages) imported anywhere in the file.

    A file inside a subpackage that imports its siblings (`from . import x`,
    `from .x import y`) imports its own module, which is left out.
    """
    depth = len(path.resolve().relative_to(PACKAGE.resolve()).parts) - 1  # 0: a top-level file
    inside: set[str] = set()
    outside: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from . import x, from .x import y, from .. import x
                if node.level <= depth:
                    continue  # a sibling inside the same subpackage
                base = node.module.split(".")[0] if node.module else None
                inside |= {base} if base else {alias.name for alias in node.names}
                continue
            module = node.module or ""
            if module == "tinygrad_edu":
                inside |= {alias.name for alias in node.names if is_module(alias.name)}
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


def imports_of_module(name: str) -> tuple[set[str], set[str]]:
    inside: set[str] = set()
    outside: set[str] = set()
    for path in module_files(name):
        found_inside, found_outside = imports_of(path)
        inside |= found_inside
        outside |= found_outside
    inside.discard(name)
    return inside, outside


MODULES = sorted(
    [path.stem for path in PACKAGE.glob("*.py")]
    + [path.parent.name for path in PACKAGE.glob("*/__init__.py")]
)


def test_every_module_has_a_place_in_the_layout() -> None:
    unplaced = [name for name in MODULES if name not in ALLOWED]
    assert unplaced == [], f"add {unplaced} to ALLOWED with the modules they may import"


@pytest.mark.parametrize("module", [name for name in MODULES if name in ALLOWED])
def test_imports_point_down(module: str) -> None:
    inside, outside = imports_of_module(module)
    allowed_inside, allowed_outside = ALLOWED[module]
    if allowed_inside is not None:
        assert inside <= allowed_inside, f"{module} imports {sorted(inside - allowed_inside)}"
    if allowed_outside is not None:
        assert outside <= allowed_outside, f"{module} imports {sorted(outside - allowed_outside)}"


@pytest.mark.parametrize("module", [name for name in MODULES if name != "__main__"])
def test_nothing_imports_the_command_line(module: str) -> None:
    inside, _ = imports_of_module(module)
    assert "cli" not in inside or module == "cli", f"{module} imports cli"


def test_the_layout_has_layers_so_every_arrow_points_down() -> None:
    """Peel off the modules whose allowed imports are all below them; a cycle would stop it."""
    top = {name for name, (allowed, _) in ALLOWED.items() if allowed is None}
    bounded = {
        name: allowed - top for name, (allowed, _) in ALLOWED.items() if allowed is not None
    }
    placed: set[str] = set()
    while len(placed) < len(bounded):
        layer = {name for name, below in bounded.items() if name not in placed and below <= placed}
        assert layer, f"a cycle among {sorted(set(bounded) - placed)}"
        placed |= layer


def test_the_engine_is_standard_library_only_and_imports_nothing_of_the_package() -> None:
    assert imports_of_module("engine") == (set(), set())


def test_the_import_scanner_sees_every_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = (
        "import tinygrad_edu.nn\nfrom tinygrad_edu import engine\nfrom tinygrad_edu.viz import x\n"
        "from . import losses\nfrom .optim import SGD\nimport numpy\nimport math\n"
        "from tinygrad_edu.testing.strategies import y\n"
        "def f():\n    import graphviz\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path)
    (tmp_path / "engine.py").write_text("", encoding="utf-8")
    (tmp_path / "sample.py").write_text(source, encoding="utf-8")
    expected = ({"nn", "engine", "viz", "losses", "optim", "testing"}, {"numpy", "graphviz"})
    assert imports_of(tmp_path / "sample.py") == expected


def test_the_scanner_reads_a_subpackage_relative_to_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path)
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "part.py").write_text(
        "from . import sibling\nfrom .other import x\n"
        "from .. import engine\nfrom ..nn import MLP\n",
        encoding="utf-8",
    )
    assert imports_of(tmp_path / "inner" / "part.py") == ({"engine", "nn"}, set())


@pytest.mark.parametrize("subpackage", ["testing", "explore"])
def test_a_subpackage_is_checked_file_by_file(subpackage: str) -> None:
    """Every .py file of testing/ and explore/ counts towards its module's imports."""
    files = module_files(subpackage)
    assert len(files) > 1
    assert set(files) == set((PACKAGE / subpackage).rglob("*.py"))
    inside, _ = imports_of_module(subpackage)
    assert "cli" not in inside
