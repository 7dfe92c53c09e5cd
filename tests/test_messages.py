"""The message catalog: every entry in both languages, with the same placeholders."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from tinygrad_edu.messages import LANGUAGES, MESSAGES, choose_language, text


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_exists_in_every_language_with_the_same_placeholders(key: str) -> None:
    entry = MESSAGES[key]
    assert set(entry) == set(LANGUAGES), f"{key} has {sorted(entry)}"
    assert placeholders(entry["pt"]) == placeholders(entry["en"]), key
    assert all(entry[lang].strip() for lang in LANGUAGES), f"{key} has an empty text"


@pytest.mark.parametrize(
    ("explicit", "environ", "expected"),
    [
        ("en", {"TINYGRAD_EDU_LANG": "pt"}, "en"),  # --lang wins
        (None, {"TINYGRAD_EDU_LANG": "pt", "LANG": "en_US.UTF-8"}, "pt"),  # then the variable
        (None, {"LC_ALL": "pt_BR.UTF-8", "LANG": "en_US"}, "pt"),  # then the locale, LC_ALL first
        (None, {"LC_MESSAGES": "pt_PT", "LANG": "en_US"}, "pt"),
        (None, {"LANG": "pt_BR.UTF-8"}, "pt"),
        (None, {"LANG": "de_DE.UTF-8"}, "en"),  # English is the fallback
        (None, {"LC_ALL": "", "LANG": "pt_BR"}, "pt"),  # an empty variable is not set
        (None, {}, "en"),
    ],
)
def test_the_language_is_chosen_in_the_documented_order(
    explicit: str | None, environ: dict[str, str], expected: str
) -> None:
    assert choose_language(explicit, environ=environ) == expected


@pytest.mark.parametrize("bad", ["xx", "PT", "pt_BR"])
def test_an_unknown_language_is_refused_listing_the_choices(bad: str) -> None:
    with pytest.raises(ValueError, match="choose one of: pt, en"):
        choose_language(bad, environ={})
    with pytest.raises(ValueError, match="choose one of: pt, en"):
        choose_language(environ={"TINYGRAD_EDU_LANG": bad})


def test_text_fills_placeholders_and_names_a_missing_key() -> None:
    assert text("language.unknown", "pt", given="xx", choices="pt, en").startswith(
        "idioma desconhecido 'xx'"
    )
    with pytest.raises(KeyError, match="no message 'nope'"):
        text("nope", "pt")


# --- every key the code uses exists ---------------------------------------------------------

PACKAGE = Path(__file__).resolve().parent.parent / "tinygrad_edu"
PREFIXES = {"cli.py": "cli.", "plots.py": "plot."}
"""The modules whose `say(...)` adds a prefix to the key it is given."""


def literal_keys(path: Path) -> set[str]:
    """Keys written as string literals: text("key", ...), and say(lang, "key", ...) or
    say("key", ...) with the module's prefix; a key built from parts ends with '.'."""
    prefix = PREFIXES.get(path.name, "")
    keys: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        strings = [arg for arg in node.args[:2] if isinstance(arg, ast.Constant)]
        strings = [arg for arg in strings if isinstance(arg.value, str)]
        if node.func.id == "text" and node.args and node.args[0] in strings:
            keys.add(strings[0].value)
        elif node.func.id == "say" and strings:
            keys.add(prefix + strings[-1].value)  # say(lang, "key") or say("key")
        elif node.func.id == "say" and node.args:
            built = node.args[-1]  # say(lang, "report.column." + name): the family's stem
            if isinstance(built, ast.BinOp) and isinstance(built.left, ast.Constant):
                keys.add(prefix + str(built.left.value))
    return keys


def test_the_scan_finds_keys_in_every_module_that_speaks() -> None:
    found = {path.name: literal_keys(path) for path in PACKAGE.glob("*.py")}
    assert len(found["cli.py"]) > 150 and len(found["plots.py"]) > 10
    assert "graph.legend.title" in found["viz.py"]
    assert "cli.report.column." in found["cli.py"]  # a family of keys, checked below


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda path: path.name)
def test_every_key_the_code_uses_exists(path: Path) -> None:
    missing = []
    for key in literal_keys(path):
        if key.endswith("."):
            if not any(name.startswith(key) for name in MESSAGES):
                missing.append(key + "*")
        elif key not in MESSAGES:
            missing.append(key)
    assert not missing, f"{path.name} uses keys missing from MESSAGES: {sorted(missing)}"


def expression_reasons() -> set[str]:
    tree = ast.parse((PACKAGE / "expression.py").read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "ExpressionError"
        and isinstance(node.args[0], ast.Constant)
    }


def test_every_key_built_from_parts_exists() -> None:
    from tinygrad_edu.cli import ARGPARSE_PHRASES

    reasons = expression_reasons()
    assert len(reasons) == 18
    built = [f"cli.expression.{reason.replace(' ', '_')}" for reason in reasons]
    built += [f"cli.nudge.{direction}" for direction in ("up", "down", "flat")]
    built += [f"cli.argparse.{name}" for name in ARGPARSE_PHRASES]
    built += [f"cli.report.column.{name}" for name in ("name", "analytic", "numeric")]
    columns = ("op", "examples", "max abs error", "max rel error", "error/allowed", "result")
    built += [f"cli.rules.column.{c.replace(' ', '_').replace('/', '_')}" for c in columns]
    assert [key for key in built if key not in MESSAGES] == []
