"""The explorer's HTTP server on 127.0.0.1: static page and JSON API; imports messages, explore.*

Requests are stateless: the page sends the setup, the weights and what it
wants computed, and each answer is computed from that alone, so any number of
tabs can use one server. Nothing is written to disk. GET serves the static
files (only those shipped in `static/`, by exact name) and two small JSON
documents (/api/config, /api/messages); every computation is a POST of a JSON
object to /api/<name>, described in docs/explore.md.
"""

from __future__ import annotations

import errno
import json
import math
import shutil
import socketserver
import sys
import threading
import webbrowser
from collections.abc import Callable, Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any, TextIO
from urllib.parse import parse_qs, urlsplit

from tinygrad_edu.explore import compute, layout
from tinygrad_edu.explore.validation import (
    ACTIVATIONS,
    DATASETS,
    LIMITS,
    LOSSES,
    MAX_CURVE_POINTS,
    MAX_H,
    MAX_LR,
    MAX_RANGE,
    MAX_RESOLUTION,
    MAX_STEPS,
    MAX_WEIGHT,
    MIN_CURVE_POINTS,
    MIN_H,
    MIN_LR,
    MIN_RESOLUTION,
    Reader,
    RequestError,
    Setup,
    read_setup,
)
from tinygrad_edu.messages import LANGUAGES, MESSAGES, choose_language, text

__all__ = ["HOST", "ExplorerServer", "PortUnavailableError", "make_server", "serve"]

HOST = "127.0.0.1"
"""The loopback address: the explorer is never reachable from another machine."""

MAX_BODY_BYTES = 256 * 1024
"""The largest request body accepted (the weights of the largest model take about 40 KB)."""

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
"""The static files served, by suffix; a file of any other kind is not served."""

SECURITY_HEADERS = {
    # Everything comes from this server: no CDN, no inline script, nothing framed.
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

PAGE_DEFAULTS = {
    "loss": "cross-entropy",
    "h": 1e-3,  # the lesson's step
    "lr": 0.5,  # as `tinygrad-edu race`
    "weight": 0,
    "example": 0,
    "resolution": 32,
    "curve_points": 121,
    "steps_per_frame": 3,
}
"""What the page starts with, besides the setup."""


class PortUnavailableError(OSError):
    """The explorer cannot listen on the port asked for: in use, or not allowed.

    `message(lang)` says it in the chosen language, for the command line.
    """

    def __init__(self, port: int, reason: str) -> None:
        self.port = port
        self.reason = reason  # 'in use' or 'not allowed'
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        key = "explore.cli.port_in_use" if self.reason == "in use" else "explore.cli.port_denied"
        return text(key, lang, host=HOST, port=self.port)


class ExplorerServer(ThreadingHTTPServer):
    """A threading HTTP server on 127.0.0.1 that knows the explorer's defaults and language."""

    daemon_threads = True  # a connection left open never keeps the command from stopping

    def __init__(self, port: int, lang: str, setup: Setup) -> None:
        self.lang = lang
        self.setup = setup
        self.static = _static_files()
        super().__init__((HOST, port), Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host's name up (socket.getfqdn), which can
        # stall without a network; the loopback address needs no name.
        socketserver.TCPServer.server_bind(self)
        self.server_name = HOST
        self.server_port = self.server_address[1]

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser closing a connection mid-answer is normal; anything else gets one line."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):
            return
        print(f"explore: {type(error).__name__}: {error}", file=sys.stderr)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        """The page's address, e.g. http://127.0.0.1:8765/."""
        return f"http://{HOST}:{self.port}/"


def _static_files() -> dict[str, tuple[Any, str]]:
    """The files the page is made of, by name, with their content type: the only ones served."""
    folder = resources.files("tinygrad_edu.explore").joinpath("static")
    files = {}
    for entry in folder.iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1] if "." in entry.name else ""
        if entry.is_file() and suffix in CONTENT_TYPES:
            files[entry.name] = (entry, CONTENT_TYPES[suffix])
    return files


def make_server(
    *, port: int = 0, lang: str | None = None, setup: Setup | None = None
) -> ExplorerServer:
    """A server listening on 127.0.0.1:`port` (0: a free port), not yet serving.

    Call `serve_forever()` on it (in a thread, for tests) and `shutdown()` to stop.

    >>> server = make_server(lang="en")
    >>> server.url.startswith("http://127.0.0.1:")
    True
    >>> server.server_close()
    """
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise ValueError(
            f"port must be a whole number from 0 to 65535 (0 picks a free one), got {port!r}"
        )
    language = choose_language(lang)
    try:
        return ExplorerServer(port, language, setup or Setup())
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise PortUnavailableError(port, "in use") from None
        if error.errno == errno.EACCES:
            raise PortUnavailableError(port, "not allowed") from None
        raise


def serve(
    *,
    port: int = 0,
    lang: str | None = None,
    seed: int = 0,
    dataset: str = "moons",
    n: int = 12,
    noise: float | None = None,
    hidden: Sequence[int] = (4,),
    activation: str = "tanh",
    open_browser: bool = True,
    out: TextIO | None = None,
) -> None:
    """Serve the explorer until Ctrl-C: print its URL as the first line, open a browser.

    The model and data options are those of `tinygrad-edu demo` and are the
    page's starting setup; `lang` (else the environment, see
    `messages.choose_language`) is the page's starting language. Bad options
    raise ValueError; a port in use or not allowed raises PortUnavailableError.
    Ctrl-C stops it cleanly (a line says so, no traceback).
    """
    stream = sys.stdout if out is None else out
    setup = _checked_setup(dataset, n, noise, hidden, activation, seed)
    server = make_server(port=port, lang=lang, setup=setup)
    print(server.url, file=stream, flush=True)
    print(text("explore.cli.running", server.lang), file=stream, flush=True)
    if open_browser:
        threading.Thread(target=webbrowser.open, args=(server.url,), daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print(text("explore.cli.stopped", server.lang), file=stream, flush=True)
    finally:
        server.server_close()


def _checked_setup(
    dataset: str, n: int, noise: float | None, hidden: Sequence[int], activation: str, seed: int
) -> Setup:
    """The setup from serve()'s options, checked as the API checks it (errors in English)."""
    options = {
        "dataset": dataset,
        "n": n,
        "noise": noise,
        "hidden": list(hidden),
        "activation": activation,
        "seed": seed,
    }
    try:
        return read_setup(Reader(options))
    except RequestError as error:
        raise ValueError(str(error)) from None


# --- The API ------------------------------------------------------------------------------


def _weights(reader: Reader, setup: Setup, name: str = "weights") -> list[float]:
    return reader.numbers(name, length=setup.n_parameters, bound=MAX_WEIGHT)


def _index(reader: Reader, setup: Setup) -> int:
    return reader.integer("weight", low=0, high=setup.n_parameters - 1)


def _problem(reader: Reader) -> compute.Problem:
    setup = read_setup(reader.object("setup"))
    return compute.Problem(setup, _weights(reader, setup))


def api_model(reader: Reader) -> dict[str, Any]:
    setup = read_setup(reader.object("setup"))
    reader.finish()
    return compute.model_info(setup)


def api_graph(reader: Reader) -> dict[str, Any]:
    problem = _problem(reader)
    loss = reader.choice("loss", LOSSES)
    example = reader.integer("example", low=0, high=problem.setup.n - 1)
    engine = reader.choice("engine", layout.ENGINES, default="dot")
    reader.finish()
    return layout.layout(problem, loss, example, engine)


def api_point(reader: Reader) -> dict[str, Any]:
    problem = _problem(reader)
    loss = reader.choice("loss", LOSSES)
    index = _index(reader, problem.setup)
    h = reader.number("h", low=MIN_H, high=MAX_H)
    example = reader.integer("example", low=0, high=problem.setup.n - 1)
    reader.finish()
    return compute.point(problem, loss, index, h, example)


def api_curve(reader: Reader) -> dict[str, Any]:
    problem = _problem(reader)
    index = _index(reader, problem.setup)
    low = reader.number("low", low=-MAX_RANGE, high=MAX_RANGE)
    high = reader.number("high", low=-MAX_RANGE, high=MAX_RANGE)
    points = reader.integer("points", low=MIN_CURVE_POINTS, high=MAX_CURVE_POINTS)
    reader.finish()
    if not low < high:
        raise RequestError("explore.error.empty_range", parameter="high", low=low, high=high)
    return compute.curve(problem, index, low, high, points)


def api_sweep(reader: Reader) -> dict[str, Any]:
    problem = _problem(reader)
    loss = reader.choice("loss", LOSSES)
    index = _index(reader, problem.setup)
    reader.finish()
    return compute.sweep(problem, loss, index)


def api_nudge(reader: Reader) -> dict[str, Any]:
    problem = _problem(reader)
    loss = reader.choice("loss", LOSSES)
    index = _index(reader, problem.setup)
    h = reader.number("h", low=MIN_H, high=MAX_H)
    reader.finish()
    return compute.nudge(problem, loss, index, h)


def api_boundary(reader: Reader) -> dict[str, Any]:
    problem = _problem(reader)
    resolution = reader.integer("resolution", low=MIN_RESOLUTION, high=MAX_RESOLUTION)
    reader.finish()
    return compute.boundary(problem, resolution)


def api_train(reader: Reader) -> dict[str, Any]:
    setup = read_setup(reader.object("setup"))
    runs_reader = reader.object("runs")
    runs = {loss: _weights(runs_reader, setup, loss) for loss in LOSSES if runs_reader.has(loss)}
    runs_reader.finish()
    if not runs:
        raise RequestError("explore.error.no_runs", parameter="runs", losses=", ".join(LOSSES))
    lr = reader.number("lr", low=MIN_LR, high=MAX_LR)
    steps = reader.integer("steps", low=0, high=MAX_STEPS)
    reader.finish()
    return compute.train(setup, runs, lr, steps)


ROUTES: dict[str, Callable[[Reader], dict[str, Any]]] = {
    "/api/model": api_model,
    "/api/graph": api_graph,
    "/api/point": api_point,
    "/api/curve": api_curve,
    "/api/sweep": api_sweep,
    "/api/nudge": api_nudge,
    "/api/boundary": api_boundary,
    "/api/train": api_train,
}
"""The computations, each a POST of one JSON object (docs/explore.md lists their fields)."""


def _config(server: ExplorerServer) -> dict[str, Any]:
    return {
        "lang": server.lang,
        "languages": list(LANGUAGES),
        "setup": server.setup.as_json(),
        "defaults": PAGE_DEFAULTS,
        "choices": {
            "datasets": list(DATASETS),
            "activations": list(ACTIVATIONS),
            "losses": list(LOSSES),
        },
        "limits": LIMITS,
        "graphviz": shutil.which("dot") is not None,
    }


def _messages(lang: str) -> dict[str, Any]:
    entries = {key: entry[lang] for key, entry in MESSAGES.items() if key.startswith("explore.")}
    return {"lang": lang, "messages": entries}


def _finite(value: Any) -> Any:
    """The value with every non-finite float replaced by None (JSON has no inf or nan)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


# --- HTTP -------------------------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    """Answers one connection's requests: static files, /api/config, /api/messages, the POSTs."""

    server: ExplorerServer
    protocol_version = "HTTP/1.1"  # keep-alive: a dragged slider reuses one connection
    # Headers and body go out as two writes; with Nagle's algorithm the second waits for
    # the client's delayed acknowledgement of the first, about 40 ms on Linux.
    disable_nagle_algorithm = True
    server_version = "tinygrad-edu-explore"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows only the URL and how to stop."""

    def do_GET(self) -> None:
        if not self._host_allowed():
            return
        address = urlsplit(self.path)
        if address.path == "/api/config":
            self._send_json(HTTPStatus.OK, _config(self.server))
        elif address.path == "/api/messages":
            requested = parse_qs(address.query).get("lang", [self.server.lang])[0]
            if requested not in LANGUAGES:
                error = RequestError(
                    "explore.error.not_choice",
                    parameter="lang",
                    name="lang",
                    choices=", ".join(LANGUAGES),
                    given=repr(requested),
                )
                self._send_error(error, self.server.lang)
            else:
                self._send_json(HTTPStatus.OK, _messages(requested))
        elif address.path in ROUTES:
            self._send_error(
                RequestError("explore.error.method", status=405, method="GET", path=address.path),
                self.server.lang,
            )
        elif address.path == "/":
            self._send_static("index.html")
        elif address.path.startswith("/static/"):
            self._send_static(address.path[len("/static/") :])
        else:
            self._send_not_found()

    def do_POST(self) -> None:
        if not self._host_allowed():
            return
        address = urlsplit(self.path)
        lang = self.server.lang
        route = ROUTES.get(address.path)
        if route is None:
            if address.path.startswith("/api/") or address.path == "/api":
                self._discard_body()
                self._send_error(
                    RequestError("explore.error.not_found", status=404, path=address.path), lang
                )
            else:
                self._discard_body()
                self._send_error(
                    RequestError(
                        "explore.error.method", status=405, method="POST", path=address.path
                    ),
                    lang,
                )
            return
        try:
            body = self._read_json()
            if isinstance(body, dict) and body.get("lang") in LANGUAGES:
                lang = body["lang"]
            reader = Reader(body)
            reader.choice("lang", LANGUAGES, default=self.server.lang)
            result = route(reader)
        except RequestError as error:
            self._send_error(error, lang)
            return
        except Exception as error:  # a bug, not bad input: say so instead of dropping the line
            detail = f"{type(error).__name__}: {error}"
            print(f"explore: {address.path}: {detail}", file=sys.stderr)
            failure = RequestError("explore.error.internal", status=500, detail=detail)
            self._send_error(failure, lang)
            return
        self._send_json(HTTPStatus.OK, _finite(result))

    # --- helpers ---

    def _host_allowed(self) -> bool:
        """Refuse a Host (or Origin) that is not this server: a page elsewhere must not use it."""
        allowed = {f"{HOST}:{self.server.port}", f"localhost:{self.server.port}"}
        host = self.headers.get("Host")
        origin = self.headers.get("Origin")
        if (host is None or host in allowed) and (
            origin is None or urlsplit(origin).netloc in allowed
        ):
            return True
        self._discard_body()
        self._send_error(
            RequestError("explore.error.host", status=403, host=host or ""), self.server.lang
        )
        return False

    def _content_length(self) -> int:
        try:
            return max(0, int(self.headers.get("Content-Length", "0")))
        except ValueError:
            return 0

    def _discard_body(self) -> None:
        length = self._content_length()
        if 0 < length <= MAX_BODY_BYTES:
            self.rfile.read(length)
        elif length > MAX_BODY_BYTES:
            self.close_connection = True  # the rest of an oversized body is not read

    def _read_json(self) -> Any:
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            self._discard_body()
            raise RequestError(
                "explore.error.content_type", status=415, given=content_type or "none"
            )
        if "Content-Length" not in self.headers:
            self.close_connection = True
            raise RequestError("explore.error.no_length", status=411)
        length = self._content_length()
        if length > MAX_BODY_BYTES:
            self.close_connection = True
            raise RequestError(
                "explore.error.too_large", status=413, size=length, limit=MAX_BODY_BYTES
            )
        raw = self.rfile.read(length)
        try:
            return json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
        except (UnicodeDecodeError, ValueError) as error:
            raise RequestError("explore.error.bad_json", detail=str(error)) from None

    def _send_bytes(self, status: int, content: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(content)

    def _send_json(self, status: int, document: Any) -> None:
        content = json.dumps(document, allow_nan=False, ensure_ascii=False).encode("utf-8")
        self._send_bytes(status, content, "application/json; charset=utf-8")

    def _send_error(self, error: RequestError, lang: str) -> None:
        self._send_json(error.status, error.as_json(lang))

    def _send_not_found(self) -> None:
        message = text("explore.error.not_found", self.server.lang, path=urlsplit(self.path).path)
        self._send_bytes(HTTPStatus.NOT_FOUND, message.encode("utf-8"), "text/plain; charset=utf-8")

    def _send_static(self, name: str) -> None:
        """A file of static/ by its exact name: '..', '/' or any other name is simply not there."""
        found = self.server.static.get(name)
        if found is None:
            self._send_not_found()
            return
        entry, content_type = found
        self._send_bytes(HTTPStatus.OK, entry.read_bytes(), content_type)


def _refuse_constant(name: str) -> None:
    """JSON has no NaN or Infinity; Python's reader accepts them unless told not to."""
    raise ValueError(f"{name} is not a JSON number")
