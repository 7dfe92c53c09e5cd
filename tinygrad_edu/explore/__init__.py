"""The interactive explorer: the lesson's sliders on our own graph; imports the explorer's modules.

`serve()` is the `tinygrad-edu explore` command's body: a stdlib HTTP server on
127.0.0.1 that serves the page in `static/` (plain HTML, CSS and ES modules:
no CDN, no build step) and a JSON API in which every number is computed by
this engine in Python. docs/explorador.md shows how to use it in class;
docs/explore.md is the reference of the command and of the API.

>>> from tinygrad_edu.explore import make_server
>>> server = make_server(port=0, lang="pt")
>>> server.url.startswith("http://127.0.0.1:") and server.lang
'pt'
>>> server.server_close()
"""

from __future__ import annotations

from tinygrad_edu.explore.server import (
    HOST,
    ExplorerServer,
    PortUnavailableError,
    make_server,
    serve,
)
from tinygrad_edu.explore.validation import Setup

__all__ = ["HOST", "ExplorerServer", "PortUnavailableError", "Setup", "make_server", "serve"]
