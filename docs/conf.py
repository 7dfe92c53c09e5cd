"""Sphinx configuration of the documentation site; imports only the standard library.

Build it with `make docs` (warnings are errors). The pages are the markdown
files of this folder, read by MyST; the reference pages pull the API from the
package's docstrings (sphinx.ext.autodoc) and the command line from its
argparse parser.
"""

from __future__ import annotations

import os
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
]

html_theme = "furo"
html_title = "tinygrad_edu"
html_static_path: list[str] = []
