"""Sphinx configuration of the documentation site; imports only the standard library.

Build it with `make docs` (warnings are errors). The pages are the markdown
files of this folder, read by MyST; the reference pages pull the API from the
package's docstrings (sphinx.ext.autodoc) and the command line from its
argparse parser.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))  # the package, without installing it
sys.path.insert(0, str(DOCS / "_ext"))  # our own extensions, when there are some

# The reference is in English; the command line's words follow this variable.
os.environ["TINYGRAD_EDU_LANG"] = "en"

project = "tinygrad_edu"
author = "the tinygrad_edu authors"
copyright = "the tinygrad_edu authors, MIT licence"
release = "0.1.0"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "cli_reference",  # docs/_ext/cli_reference.py: the command line, from its argparse parser
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "README.md"]
language = "en"

# MyST: GitHub-style anchors (#a-heading) for links between pages, up to ###.
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath"]

# Single backquotes in docstrings mean code, as they do in the markdown pages.
default_role = "code"

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {
    "members": True,
    "undoc-members": True,
    "show-inheritance": False,
    "no-value": True,
}

# Warnings are errors (make docs passes -W -n): every cross-reference must
# resolve, except to names of other projects, whose docs are not reachable
# offline (no intersphinx).
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(typing|collections\.abc|types|numbers|random|argparse|graphviz|hypothesis)\..*"),
    (r"py:.*", r"(Callable|Sequence|Iterable|Iterator|Mapping|Any|TypeVar|SearchStrategy|Digraph)"),
    (r"py:class", r"(int|float|str|bool|tuple|list|dict|object|None|complex|type)"),
    (r"py:.*", r"(os|http\.server|torch|st)\..*"),
    # Private helpers named in signatures; they have no page of their own.
    (r"py:class", r"tinygrad_edu\.(nn\.HasNamedParameters|compiled\._Recording)"),
]

html_theme = "furo"
html_title = "tinygrad_edu"
html_static_path: list[str] = []


# --- docstrings as reStructuredText -------------------------------------------------
# The docstrings are written as plain text for `help()` and a terminal: |x| is an
# absolute value, * and ** are Python's operators. reStructuredText would read them
# as substitutions and emphasis, so outside `code` and doctest blocks they are escaped.

_CODE_OR_TEXT = re.compile(r"(`[^`]*`)")


def _escape_plain_text(line: str) -> str:
    """`line` with | and * escaped, except inside `backquoted` code."""
    parts = _CODE_OR_TEXT.split(line)
    return "".join(
        part if part.startswith("`") else part.replace("|", r"\|").replace("*", r"\*")
        for part in parts
    )


def escape_docstring(app: object, what: str, name: str, obj: object, options: object,
                     lines: list[str]) -> None:
    """autodoc-process-docstring: escape the plain-text marks of every prose line."""
    in_example = False
    literal_indent: int | None = None
    for index, line in enumerate(lines):
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if not stripped:
            in_example = False
            continue
        if literal_indent is not None:
            if indent > literal_indent:
                continue
            literal_indent = None
        if stripped.startswith(">>>"):
            in_example = True
        if in_example:
            continue
        lines[index] = _escape_plain_text(line)
        if line.rstrip().endswith("::"):
            literal_indent = indent


def setup(app: object) -> None:
    app.connect("autodoc-process-docstring", escape_docstring)  # type: ignore[attr-defined]
