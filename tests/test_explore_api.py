"""The explorer's server and JSON API, over a real loopback connection.

Gradients against central differences, the nudge against the gradient's sign,
every kind of bad parameter refused with a message in the page's language, the
bounds on work, the static files (content types, nothing from elsewhere, no
path traversal), independence of concurrent clients, and nothing written to disk.
"""

from __future__ import annotations

import builtins
import http.client
import io
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tinygrad_edu import data, losses
from tinygrad_edu.engine import grad
from tinygrad_edu.explore import ExplorerServer, PortUnavailableError, Setup, make_server, serve
from tinygrad_edu.explore import server as server_module
from tinygrad_edu.explore.compute import EPSILON, Problem
from tinygrad_edu.explore.validation import MAX_STEPS
from tinygrad_edu.messages import MESSAGES
from tinygrad_edu.nn import MLP
from tinygrad_edu.viz import draw_dot

STATIC = Path(server_module.__file__).parent / "static"
DEFAULT_SETUP = Setup().as_json()


@pytest.fixture(scope="module")
def server() -> Iterator[ExplorerServer]:
    running = make_server(port=0, lang="en")
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running
    running.shutdown()
    running.server_close()


def request(
    server: ExplorerServer,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def post(server: ExplorerServer, path: str, body: Any, status: int = 200) -> Any:
    code, headers, content = request(
        server, "POST", path, json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    answer = json.loads(content)
    assert code == status, answer
    return answer


def initial_weights(setup: dict[str, Any] = DEFAULT_SETUP) -> list[float]:
    return [
        p.data
        for p in MLP(2, [*setup["hidden"], 1], setup["activation"], setup["seed"]).parameters()
    ]


def point_body(**changes: Any) -> dict[str, Any]:
    body = {
        "setup": DEFAULT_SETUP,
        "weights": initial_weights(),
        "loss": "cross-entropy",
        "weight": 0,
        "h": 1e-3,
        "example": 0,
    }
    body.update(changes)
    return body


# --- the numbers --------------------------------------------------------------------------

SETUPS = [
    DEFAULT_SETUP,
    {**DEFAULT_SETUP, "dataset": "xor", "n": 20, "hidden": [3, 3], "activation": "relu", "seed": 4},
    {**DEFAULT_SETUP, "dataset": "circles", "n": 9, "hidden": [], "activation": "tanh", "seed": 2},
    {
        **DEFAULT_SETUP,
        "dataset": "blobs",
        "n": 8,
        "hidden": [5],
        "activation": "sigmoid",
        "seed": 7,
        "noise": 0.8,
    },
]


def own_loss(setup: dict[str, Any], weights: list[float], loss: str) -> tuple[Any, MLP]:
    """The test's own computation of the whole loss, from the package's public API."""
    makers = {
        "moons": data.make_moons,
        "blobs": data.make_blobs,
        "circles": data.make_circles,
        "xor": data.make_xor,
    }
    options = {} if setup["noise"] is None else {"noise": setup["noise"]}
    X, y = makers[setup["dataset"]](setup["n"], seed=setup["seed"], **options)
    model = MLP(2, [*setup["hidden"], 1], setup["activation"], setup["seed"])
    for parameter, weight in zip(model.parameters(), weights, strict=True):
        parameter.data = weight

    def f() -> Any:
        logits = [model(x) for x in X]
        if loss == "mse":
            return losses.mse([z.sigmoid() for z in logits], y)
        return losses.binary_cross_entropy_with_logits(logits, y)

    return f, model


@pytest.mark.parametrize("setup", SETUPS, ids=lambda s: f"{s['dataset']}-{s['hidden']}")
@pytest.mark.parametrize("loss", ["mse", "cross-entropy"])
def test_the_gradient_is_backward_of_the_whole_loss_and_agrees_with_a_central_difference(
    server: ExplorerServer, setup: dict[str, Any], loss: str
) -> None:
    weights = initial_weights(setup)
    f, model = own_loss(setup, weights, loss)
    parameters = model.parameters()
    h = 1e-4
    for index in (0, len(weights) // 2, len(weights) - 1):
        answer = post(
            server,
            "/api/point",
            point_body(setup=setup, weights=weights, loss=loss, weight=index, h=h),
        )
        value = f()
        assert answer["loss"][loss] == value.data  # the same engine on the same numbers
        (exact,) = grad(value, [parameters[index]])
        assert math.isclose(answer["gradient"], exact, rel_tol=1e-12, abs_tol=1e-15)
        # Our own central difference: its error is h^2/6 |L'''| (Taylor) plus rounding of
        # about epsilon |L| / h per evaluation of a loss made of a few hundred operations.
        w = parameters[index].data
        parameters[index].data = w + h
        above = f().data
        parameters[index].data = w - h
        below = f().data
        parameters[index].data = w
        central = (above - below) / (2 * h)
        allowed = 2 * h * h / 6 * abs(answer["third_derivative"]) + 500 * EPSILON * value.data / h
        assert abs(answer["gradient"] - central) <= allowed
        assert answer["central"]["estimate"] == pytest.approx(central, abs=allowed)


def test_the_finite_differences_err_by_what_taylor_predicts(server: ExplorerServer) -> None:
    for index in range(17):
        answer = post(server, "/api/point", point_body(weight=index, h=1e-3))
        h, second, third = answer["h"], answer["second_derivative"], answer["third_derivative"]
        # forward: (L(w+h) - L(w))/h - L'(w) = h/2 L'' + h^2/6 L''' + ...
        rounding = 100 * EPSILON * answer["loss"]["cross-entropy"] / h
        assert (
            abs(answer["forward"]["error"] - h / 2 * second)
            <= h * h / 6 * abs(third) * 2 + rounding
        )
        assert answer["forward"]["predicted"] == h / 2 * abs(second)
        assert answer["central"]["predicted"] == h * h / 6 * abs(third)


def test_the_sweep_shows_the_forward_error_shrink_like_h_and_the_central_like_h_squared(
    server: ExplorerServer,
) -> None:
    body = point_body()
    del body["h"], body["example"]
    answer = post(server, "/api/sweep", body)
    hs = answer["h"]
    assert hs[0] == pytest.approx(1e-8) and hs[-1] == 1.0 and len(hs) == 33

    def slope(errors: list[float], big: float, small: float) -> float:
        i, j = (
            hs.index(min(hs, key=lambda x: abs(x - big))),
            hs.index(min(hs, key=lambda x: abs(x - small))),
        )
        return math.log10(abs(errors[i]) / abs(errors[j])) / math.log10(hs[i] / hs[j])

    assert slope(answer["forward"], 1e-2, 1e-4) == pytest.approx(1.0, abs=0.05)
    assert slope(answer["central"], 1e-1, 1e-3) == pytest.approx(2.0, abs=0.1)
    # ... until rounding wins: at h = 1e-8 the central error is far above its h^2 law.
    smallest = abs(answer["central"][0])
    assert smallest > 100 * hs[0] ** 2 / 6 * abs(answer["third_derivative"])


def test_the_nudge_goes_the_way_the_gradient_says(server: ExplorerServer) -> None:
    weights = initial_weights()
    for index in range(len(weights)):
        body = point_body(weight=index)
        del body["example"]
        nudge = post(server, "/api/nudge", body)
        point = post(server, "/api/point", point_body(weight=index))
        gradient = point["gradient"]
        assert nudge["gradient"] == pytest.approx(gradient, rel=1e-12, abs=1e-15)
        assert nudge["predicted_change"] == nudge["gradient"] * 1e-3
        if nudge["direction"] != "flat":
            assert nudge["direction"] == ("up" if gradient > 0 else "down")
        # The measured change has the gradient's sign wherever the slope outweighs the
        # curvature over the step: |L'| h > h^2/2 |L''|.
        if abs(gradient) * 1e-3 > 1e-6 * abs(point["second_derivative"]):
            assert nudge["actual_change"] * gradient > 0
    assert nudge["name"] == "layers.1.neurons.0.b"  # the last one asked, named as nn names it


def test_the_graph_values_are_those_of_one_examples_loss(server: ExplorerServer) -> None:
    answer = post(server, "/api/point", point_body(example=3))
    graph = answer["graph"]
    assert len(graph["data"]) == len(graph["grad"]) == len(graph["fill"])
    assert graph["grad"][-1] == 1.0  # the root: d loss / d loss
    problem = Problem(Setup())
    from tinygrad_edu.explore.compute import example_loss

    root = example_loss(problem, "cross-entropy", 3)
    root.backward()
    assert graph["data"][-1] == root.data
    source = draw_dot(root, params=list(zip(problem.names, problem.parameters, strict=True)))
    fills = dict(re.findall(r'\t(value\d+) \[.*fillcolor="(#[0-9a-f]{6})"', source.source))
    assert graph["fill"] == [fills[f"value{i}"] for i in range(len(graph["fill"]))]


@pytest.mark.parametrize("engine", ["dot", "depth"])
@pytest.mark.parametrize("loss", ["mse", "cross-entropy"])
def test_the_graph_layout_places_every_node_once_without_overlaps(
    server: ExplorerServer, engine: str, loss: str
) -> None:
    if engine == "dot":
        from conftest import require_program

        require_program("dot", install="apt-get install graphviz")
    body = point_body(loss=loss, engine=engine)
    del body["weight"], body["h"]
    layout = post(server, "/api/graph", body)
    assert layout["engine"] == engine and not layout["too_big"]
    values = [node for node in layout["nodes"] if node["kind"] != "op"]
    point = post(server, "/api/point", point_body(loss=loss))
    assert sorted(node["index"] for node in values) == list(range(len(point["graph"]["data"])))
    ids = {node["id"] for node in layout["nodes"]}
    assert len(ids) == len(layout["nodes"])
    assert all(edge["tail"] in ids and edge["head"] in ids for edge in layout["edges"])
    boxes = [
        (
            n["x"] - n["width"] / 2,
            n["y"] - n["height"] / 2,
            n["x"] + n["width"] / 2,
            n["y"] + n["height"] / 2,
        )
        for n in layout["nodes"]
    ]
    rounding = 0.5  # Graphviz writes positions to a tenth of a point or so
    for i, a in enumerate(boxes):
        assert a[0] >= -rounding and a[1] >= -rounding
        assert a[2] <= layout["width"] + rounding and a[3] <= layout["height"] + rounding
        for b in boxes[i + 1 :]:
            apart = (
                a[2] <= b[0] + rounding
                or b[2] <= a[0] + rounding
                or a[3] <= b[1] + rounding
                or b[3] <= a[1] + rounding
            )
            assert apart, (a, b)
    parameters = {node["name"] for node in values if node["kind"] == "parameter"}
    assert parameters == set(Problem(Setup()).names)


def test_the_curve_holds_both_losses_and_puts_the_weight_back(server: ExplorerServer) -> None:
    body = point_body(low=-2.0, high=2.0, points=5)
    del body["h"], body["example"], body["loss"]
    answer = post(server, "/api/curve", body)
    assert answer["w"] == [-2.0, -1.0, 0.0, 1.0, 2.0]
    f, model = own_loss(DEFAULT_SETUP, initial_weights(), "mse")
    model.parameters()[0].data = 1.0
    assert answer["mse"][3] == f().data


def test_training_lowers_both_losses_from_the_same_start(server: ExplorerServer) -> None:
    start = initial_weights()
    runs = {"mse": start, "cross-entropy": start}
    answer = post(
        server, "/api/train", {"setup": DEFAULT_SETUP, "runs": runs, "lr": 0.5, "steps": 20}
    )["runs"]
    assert answer["mse"]["before"] == answer["cross-entropy"]["before"]
    for loss in ("mse", "cross-entropy"):
        history = answer[loss]["history"]
        assert len(history) == 20
        assert history[-1][loss] < 0.9 * answer[loss]["before"][loss]
    assert answer["mse"]["weights"] != answer["cross-entropy"]["weights"]


def test_training_in_pieces_gives_the_same_weights_as_at_once(server: ExplorerServer) -> None:
    """What lets a shared address replay its training exactly."""
    start = initial_weights()
    runs = {"cross-entropy": start}
    once = post(
        server, "/api/train", {"setup": DEFAULT_SETUP, "runs": runs, "lr": 0.3, "steps": 10}
    )["runs"]["cross-entropy"]
    half = post(
        server, "/api/train", {"setup": DEFAULT_SETUP, "runs": runs, "lr": 0.3, "steps": 5}
    )["runs"]["cross-entropy"]
    rest = post(
        server,
        "/api/train",
        {"setup": DEFAULT_SETUP, "runs": {"cross-entropy": half["weights"]}, "lr": 0.3, "steps": 5},
    )["runs"]["cross-entropy"]
    assert rest["weights"] == once["weights"]
    assert half["history"] + rest["history"] == once["history"]


def test_a_diverging_training_is_a_clear_error(server: ExplorerServer) -> None:
    setup = {**DEFAULT_SETUP, "hidden": [], "activation": "linear"}
    start = [50.0, -50.0, 3.0]
    answer = post(
        server,
        "/api/train",
        {"setup": setup, "runs": {"mse": start}, "lr": 100.0, "steps": 50},
        status=200,
    )
    assert all(
        math.isfinite(w) for w in answer["runs"]["mse"]["weights"]
    )  # sigmoid keeps MSE bounded
    big = {**DEFAULT_SETUP, "hidden": [16], "n": 12, "activation": "relu"}
    weights = [999_999.0] * Setup(hidden=(16,)).n_parameters
    error = post(
        server,
        "/api/train",
        {"setup": big, "runs": {"cross-entropy": weights}, "lr": 100.0, "steps": 3},
        status=400,
    )["error"]
    assert error["parameter"] == "lr" and "learning rate" in error["message"]


def test_the_boundary_has_the_resolution_asked(server: ExplorerServer) -> None:
    body = {"setup": DEFAULT_SETUP, "weights": initial_weights(), "resolution": 7}
    answer = post(server, "/api/boundary", body)
    assert len(answer["probability"]) == 49
    assert all(0.0 <= p <= 1.0 for p in answer["probability"])
    x_min, x_max, y_min, y_max = answer["extent"]
    problem = Problem(Setup())
    centre = [x_min + 3.5 * (x_max - x_min) / 7, y_max - 3.5 * (y_max - y_min) / 7]
    assert answer["probability"][3 * 7 + 3] == problem.logit(centre).sigmoid().data


# --- validation and bounds ---------------------------------------------------------------------

BAD_POINTS = [
    ({"h": 0.0}, "h", "explore.error.out_of_range"),
    ({"h": 100.0}, "h", "explore.error.out_of_range"),
    ({"h": "small"}, "h", "explore.error.not_number"),
    ({"h": True}, "h", "explore.error.not_number"),
    ({"weight": 17}, "weight", "explore.error.out_of_range"),
    ({"weight": 1.5}, "weight", "explore.error.not_integer"),
    ({"weight": -1}, "weight", "explore.error.out_of_range"),
    ({"loss": "hinge"}, "loss", "explore.error.not_choice"),
    ({"example": 12}, "example", "explore.error.out_of_range"),
    ({"weights": [0.1] * 16}, "weights", "explore.error.wrong_length"),
    ({"weights": "0.1"}, "weights", "explore.error.not_list"),
    ({"weights": [0.1] * 16 + [None]}, "weights[16]", "explore.error.not_number"),
    ({"weights": [0.1] * 16 + [1e9]}, "weights", "explore.error.out_of_range"),
    ({"speed": 3}, "speed", "explore.error.unknown"),
    ({"lang": "fr"}, "lang", "explore.error.not_choice"),
    (
        {"setup": {**DEFAULT_SETUP, "dataset": "spiral"}},
        "setup.dataset",
        "explore.error.not_choice",
    ),
    ({"setup": {**DEFAULT_SETUP, "n": 1}}, "setup.n", "explore.error.out_of_range"),
    ({"setup": {**DEFAULT_SETUP, "n": 10_000}}, "setup.n", "explore.error.out_of_range"),
    ({"setup": {**DEFAULT_SETUP, "seed": -1}}, "setup.seed", "explore.error.out_of_range"),
    ({"setup": {**DEFAULT_SETUP, "noise": -0.1}}, "setup.noise", "explore.error.out_of_range"),
    ({"setup": {**DEFAULT_SETUP, "hidden": [0]}}, "setup.hidden", "explore.error.out_of_range"),
    ({"setup": {**DEFAULT_SETUP, "hidden": [17]}}, "setup.hidden", "explore.error.out_of_range"),
    ({"setup": {**DEFAULT_SETUP, "hidden": "4"}}, "setup.hidden", "explore.error.not_sizes"),
    (
        {"setup": {**DEFAULT_SETUP, "hidden": [4, 4, 4, 4]}},
        "setup.hidden",
        "explore.error.too_many_layers",
    ),
    (
        {"setup": {**DEFAULT_SETUP, "n": 100, "hidden": [16, 16]}},
        "setup",
        "explore.error.too_much_work",
    ),
    ({"setup": {**DEFAULT_SETUP, "layers": 3}}, "setup.layers", "explore.error.unknown"),
    ({"setup": [1, 2]}, "setup", "explore.error.not_object"),
]


@pytest.mark.parametrize(("change", "parameter", "key"), BAD_POINTS)
@pytest.mark.parametrize("lang", ["pt", "en"])
def test_a_bad_parameter_is_a_400_naming_it_in_the_pages_language(
    server: ExplorerServer, change: dict[str, Any], parameter: str, key: str, lang: str
) -> None:
    body = {**point_body(**change)}
    if change.get("lang") is None:
        body["lang"] = lang
    error = post(server, "/api/point", body, status=400)["error"]
    assert error["key"] == key
    assert error["parameter"] == parameter
    if key != "explore.error.too_much_work":  # that one names the points and parameters
        assert parameter.split("[")[0] in error["message"]
    if "lang" not in change:
        template = MESSAGES[key][lang].split("{")[0]
        assert error["message"].startswith(template)


def test_a_missing_parameter_is_named(server: ExplorerServer) -> None:
    body = point_body()
    del body["h"]
    error = post(server, "/api/point", body, status=400)["error"]
    assert error["key"] == "explore.error.missing" and error["parameter"] == "h"


@pytest.mark.parametrize(
    ("path", "change", "parameter"),
    [
        ("/api/curve", {"low": 1.0, "high": 1.0, "points": 5}, "high"),
        ("/api/curve", {"low": -1.0, "high": 1.0, "points": 1000}, "points"),
        ("/api/curve", {"low": -1e9, "high": 1.0, "points": 5}, "low"),
        ("/api/boundary", {"resolution": 1000}, "resolution"),
        ("/api/boundary", {"resolution": 2}, "resolution"),
    ],
)
def test_the_work_of_a_picture_is_bounded(
    server: ExplorerServer, path: str, change: dict[str, Any], parameter: str
) -> None:
    body = {"setup": DEFAULT_SETUP, "weights": initial_weights(), **change}
    if path == "/api/curve":
        body["weight"] = 0
    assert post(server, path, body, status=400)["error"]["parameter"] == parameter


@pytest.mark.parametrize(
    ("change", "parameter"),
    [
        ({"steps": MAX_STEPS + 1}, "steps"),
        ({"lr": 0.0}, "lr"),
        ({"runs": {}}, "runs"),
        ({"runs": {"hinge": [0.0] * 17}}, "runs.hinge"),
        ({"runs": {"mse": [0.0] * 3}}, "runs.mse"),
    ],
)
def test_training_is_bounded_and_checked(
    server: ExplorerServer, change: dict[str, Any], parameter: str
) -> None:
    body = {
        "setup": DEFAULT_SETUP,
        "runs": {"mse": initial_weights()},
        "lr": 0.5,
        "steps": 1,
        **change,
    }
    assert post(server, "/api/train", body, status=400)["error"]["parameter"] == parameter


def test_the_largest_allowed_requests_are_answered(server: ExplorerServer) -> None:
    setup = {**DEFAULT_SETUP, "n": 200, "hidden": []}  # 200 points x 3 parameters
    weights = initial_weights(setup)
    answer = post(server, "/api/boundary", {"setup": setup, "weights": weights, "resolution": 64})
    assert len(answer["probability"]) == 64 * 64
    curve = post(
        server,
        "/api/curve",
        {
            "setup": setup,
            "weights": weights,
            "weight": 2,
            "low": -1000.0,
            "high": 1000.0,
            "points": 201,
        },
    )
    assert len(curve["w"]) == 201
    train = post(
        server,
        "/api/train",
        {"setup": setup, "runs": {"mse": weights}, "lr": 1.0, "steps": MAX_STEPS},
    )
    assert len(train["runs"]["mse"]["history"]) == MAX_STEPS


def test_a_graph_too_big_to_draw_says_so(server: ExplorerServer) -> None:
    setup = {**DEFAULT_SETUP, "n": 2, "hidden": [16, 16, 16]}
    layout = post(
        server,
        "/api/graph",
        {"setup": setup, "weights": initial_weights(setup), "loss": "mse", "example": 0},
    )
    assert layout["too_big"] and layout["values"] > layout["limit"]


def raw(server: ExplorerServer, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(data)
        chunks = []
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks):
                head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
                length = re.search(rb"Content-Length: (\d+)", head)
                if length and len(body) >= int(length.group(1)):
                    break
        return b"".join(chunks)


def test_bodies_that_are_not_json_objects_are_refused(server: ExplorerServer) -> None:
    host = f"Host: 127.0.0.1:{server.port}\r\n".encode()
    for body, status, key in [
        (b"{not json", 400, "explore.error.bad_json"),
        (b'{"h": NaN}', 400, "explore.error.bad_json"),
        (b"[1, 2]", 400, "explore.error.not_object"),
    ]:
        code, _, content = request(
            server, "POST", "/api/point", body, {"Content-Type": "application/json"}
        )
        assert (code, json.loads(content)["error"]["key"]) == (status, key)
    code, _, content = request(server, "POST", "/api/point", b"{}", {"Content-Type": "text/plain"})
    assert code == 415 and json.loads(content)["error"]["key"] == "explore.error.content_type"
    answer = raw(
        server, b"POST /api/point HTTP/1.1\r\n" + host + b"Content-Type: application/json\r\n\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 411")
    huge = json.dumps(point_body(weights=[0.5] * 80_000)).encode()
    code, _, content = request(
        server, "POST", "/api/point", huge, {"Content-Type": "application/json"}
    )
    assert code == 413 and json.loads(content)["error"]["key"] == "explore.error.too_large"


def test_methods_and_paths_outside_the_api_are_refused(server: ExplorerServer) -> None:
    code, _, content = request(server, "GET", "/api/point")
    assert code == 405 and json.loads(content)["error"]["key"] == "explore.error.method"
    code, _, content = request(
        server, "POST", "/api/nothing", b"{}", {"Content-Type": "application/json"}
    )
    assert code == 404 and json.loads(content)["error"]["key"] == "explore.error.not_found"


def test_requests_naming_another_host_or_origin_are_refused(server: ExplorerServer) -> None:
    """A page on another site (or a DNS name rebound to 127.0.0.1) must not use the API."""
    code, _, content = request(server, "GET", "/api/config", headers={"Host": "evil.example"})
    assert code == 403 and json.loads(content)["error"]["key"] == "explore.error.host"
    code, _, _ = request(
        server,
        "POST",
        "/api/model",
        json.dumps({"setup": DEFAULT_SETUP}).encode(),
        {"Content-Type": "application/json", "Origin": "http://evil.example"},
    )
    assert code == 403
    code, _, _ = request(server, "GET", "/", headers={"Host": f"localhost:{server.port}"})
    assert code == 200


def test_config_and_messages(server: ExplorerServer) -> None:
    code, _, content = request(server, "GET", "/api/config")
    config = json.loads(content)
    assert code == 200 and config["lang"] == "en" and config["setup"] == DEFAULT_SETUP
    pt = json.loads(request(server, "GET", "/api/messages?lang=pt")[2])["messages"]
    en = json.loads(request(server, "GET", "/api/messages?lang=en")[2])["messages"]
    assert pt.keys() == en.keys() and all(key.startswith("explore.") for key in pt)
    assert pt["explore.title"] != en["explore.title"]
    code, _, content = request(server, "GET", "/api/messages?lang=de")
    assert code == 400 and json.loads(content)["error"]["parameter"] == "lang"


# --- two tabs at once ----------------------------------------------------------------------------


def test_concurrent_clients_with_different_setups_do_not_disturb_each_other(
    server: ExplorerServer,
) -> None:
    """Nothing is kept between requests: each answer depends on its own request alone."""
    bodies = []
    for k, setup in enumerate(SETUPS):
        weights = [w + 0.01 * k for w in initial_weights(setup)]
        bodies.append(point_body(setup=setup, weights=weights, weight=k % 3, h=10.0 ** -(k + 2)))
    alone = [post(server, "/api/point", body) for body in bodies]
    together: dict[int, list[Any]] = {k: [] for k in range(len(bodies))}

    def client(k: int) -> None:
        for _ in range(5):
            together[k].append(post(server, "/api/point", bodies[k]))

    threads = [threading.Thread(target=client, args=(k,)) for k in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for k, answers in together.items():
        assert answers == [alone[k]] * 5


# --- static files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/static/index.html", "text/html; charset=utf-8"),
        ("/static/main.js", "text/javascript; charset=utf-8"),
        ("/static/graph.js", "text/javascript; charset=utf-8"),
        ("/static/style.css", "text/css; charset=utf-8"),
    ],
)
def test_static_files_have_their_content_types(
    server: ExplorerServer, path: str, content_type: str
) -> None:
    code, headers, content = request(server, "GET", path)
    assert code == 200 and headers["Content-Type"] == content_type
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    name = "index.html" if path == "/" else path.rsplit("/", 1)[1]
    assert content == (STATIC / name).read_bytes()


def test_every_static_file_is_served() -> None:
    names = {entry.name for entry in STATIC.iterdir()}
    assert {"index.html", "main.js", "style.css"} <= names
    assert all(Path(name).suffix in server_module.CONTENT_TYPES for name in names)


def test_the_page_loads_nothing_from_elsewhere() -> None:
    """No CDN: every script, style, image and import comes from this server."""
    for path in STATIC.iterdir():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), path.name
        assert not re.search(r"""(import|from)\s*\(?\s*["'](https?:)?//""", text), path.name
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), path.name


@pytest.mark.parametrize(
    "path",
    [
        "/static/../server.py",
        "/static/..%2fserver.py",
        "/static/%2e%2e/server.py",
        "/static/%2e%2e%2f%2e%2e%2fmessages.py",
        "/../tinygrad_edu/explore/server.py",
        "/static//etc/passwd",
        "/static/../../messages.py",
        "/static/",
        "/static/.",
        "/static/index.html/..",
        "/static/..\\server.py",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/server.py",
        "/static/__init__.py",
        "/etc/passwd",
    ],
)
def test_paths_outside_the_static_files_are_not_found(server: ExplorerServer, path: str) -> None:
    code, _, content = request(server, "GET", path)
    assert code == 404
    assert b"import" not in content and b"root:" not in content


def test_a_raw_request_line_with_dots_is_not_found(server: ExplorerServer) -> None:
    host = f"Host: 127.0.0.1:{server.port}\r\n".encode()
    for target in (b"../../etc/passwd", b"/static/../../../../etc/passwd", b"static/main.js"):
        answer = raw(
            server, b"GET " + target + b" HTTP/1.1\r\n" + host + b"Connection: close\r\n\r\n"
        )
        assert answer.split(b"\r\n", 1)[0].split()[1] in (b"404", b"400"), answer[:80]


# --- nothing on disk -------------------------------------------------------------------------


def test_a_whole_session_writes_nothing_to_disk(
    server: ExplorerServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every endpoint, with any file opened for writing an error (and a clean folder after)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    real_open, real_os_open = builtins.open, os.open
    writes: list[str] = []

    def guarded_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        # An int is a file descriptor already open (the pipe to Graphviz's dot), not a path.
        if not isinstance(file, int) and any(flag in mode for flag in "wax+"):
            writes.append(str(file))
        return real_open(file, mode, *args, **kwargs)

    def guarded_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            writes.append(str(path))
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)
    before = sorted(STATIC.parent.rglob("*"))
    weights = initial_weights()
    for path in ("/", "/static/main.js", "/api/config", "/api/messages?lang=pt"):
        assert request(server, "GET", path)[0] == 200
    post(server, "/api/model", {"setup": DEFAULT_SETUP})
    post(
        server,
        "/api/graph",
        {"setup": DEFAULT_SETUP, "weights": weights, "loss": "mse", "example": 1},
    )
    post(server, "/api/point", point_body())
    post(
        server,
        "/api/curve",
        {
            "setup": DEFAULT_SETUP,
            "weights": weights,
            "weight": 1,
            "low": -3.0,
            "high": 3.0,
            "points": 11,
        },
    )
    post(
        server,
        "/api/sweep",
        {"setup": DEFAULT_SETUP, "weights": weights, "weight": 1, "loss": "mse"},
    )
    post(
        server,
        "/api/nudge",
        {"setup": DEFAULT_SETUP, "weights": weights, "weight": 1, "loss": "mse", "h": 0.01},
    )
    post(server, "/api/boundary", {"setup": DEFAULT_SETUP, "weights": weights, "resolution": 8})
    post(
        server,
        "/api/train",
        {"setup": DEFAULT_SETUP, "runs": {"mse": weights}, "lr": 0.5, "steps": 3},
    )
    post(server, "/api/point", point_body(h=-1.0), status=400)
    assert writes == []
    assert list(tmp_path.iterdir()) == []
    assert sorted(STATIC.parent.rglob("*")) == before


# --- the command's body --------------------------------------------------------------------------


def test_serve_prints_the_url_first_opens_a_browser_and_stops_cleanly_on_ctrl_c(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(server_module.webbrowser, "open", lambda url: opened.append(url))

    def interrupted(self: ExplorerServer, poll_interval: float = 0.5) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ExplorerServer, "serve_forever", interrupted)
    out = io.StringIO()
    serve(port=0, lang="pt", out=out)
    lines = out.getvalue().splitlines()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", lines[0])
    assert lines[-1] == MESSAGES["explore.cli.stopped"]["pt"]
    for _ in range(100):
        if opened:
            break
        threading.Event().wait(0.01)
    assert opened == [lines[0]]
    out = io.StringIO()
    opened.clear()
    serve(port=0, lang="en", out=out, open_browser=False)
    assert opened == [] and out.getvalue().splitlines()[-1] == MESSAGES["explore.cli.stopped"]["en"]


def test_serve_refuses_a_taken_port_and_bad_options_in_one_line() -> None:
    taken = make_server(port=0)
    try:
        with pytest.raises(PortUnavailableError) as caught:
            serve(port=taken.port, open_browser=False, out=io.StringIO())
        assert caught.value.port == taken.port
        assert "\n" not in str(caught.value) and "--port" in str(caught.value)
        assert "porta" in caught.value.message("pt")
    finally:
        taken.server_close()
    for options, word in [
        ({"dataset": "spiral"}, "dataset"),
        ({"n": 1}, "n"),
        ({"hidden": [4] * 5}, "hidden"),
        ({"port": 70000}, "port"),
    ]:
        with pytest.raises(ValueError, match=word):
            serve(open_browser=False, out=io.StringIO(), **options)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is how a terminal's Ctrl-C arrives")
def test_ctrl_c_stops_the_real_server_without_a_traceback() -> None:
    root = Path(__file__).resolve().parent.parent
    environment = {**os.environ, "PYTHONPATH": str(root)}
    program = "from tinygrad_edu.explore import serve; serve(port=0, lang='en', open_browser=False)"
    process = subprocess.Popen(
        [sys.executable, "-c", program],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url)
        port = int(url.rsplit(":", 1)[1].strip("/"))
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/api/config")
        assert connection.getresponse().status == 200
        connection.close()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0
    assert "Traceback" not in err and err == ""
    assert out.splitlines()[-1] == MESSAGES["explore.cli.stopped"]["en"]


# --- every word from the catalog ---------------------------------------------------------------


def test_every_word_of_the_page_comes_from_the_catalog() -> None:
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    scripts = "".join(path.read_text(encoding="utf-8") for path in STATIC.glob("*.js"))
    used = set(re.findall(r'data-i18n="([^"]+)"', html))
    used |= set(re.findall(r't\("(explore\.[a-z0-9_.]+)"', scripts))
    used |= set(re.findall(r'"(explore\.[a-z0-9_.]*[a-z0-9])"', scripts))
    missing = sorted(key for key in used if key not in MESSAGES)
    assert missing == []
    for prefix, names in [
        ("explore.dataset.", ("moons", "blobs", "circles", "xor")),
        ("explore.activation.", ("tanh", "relu", "sigmoid", "linear")),
        ("explore.reading.", ("up", "down", "flat")),
        ("explore.nudge.word_", ("up", "down", "flat")),
    ]:
        assert all(prefix + name in MESSAGES for name in names)
    # No word is written into the page itself: outside code, the HTML's text is empty.
    visible = re.sub(r"<(script|style|code|title)[^>]*>.*?</\1>", "", html, flags=re.S)
    words = [part.strip() for part in re.sub(r"<[^>]+>", "\n", visible).splitlines()]
    assert [word for word in words if word and word != "tinygrad_edu"] == []
