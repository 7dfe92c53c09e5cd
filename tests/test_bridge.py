"""The PyTorch bridge: the same network, losses, gradients and SGD step, within rounding."""

from __future__ import annotations

import dataclasses
import html.parser
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import require
from tinygrad_edu import data, losses
from tinygrad_edu.nn import MLP, Layer, Module, Neuron

ROOT = Path(__file__).resolve().parent.parent
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")


@pytest.fixture(scope="module")
def bridge() -> Any:
    require("torch", extra="torch")
    from tinygrad_edu import bridge

    return bridge


def points(n: int, nin: int, seed: int) -> tuple[list[list[float]], list[int]]:
    rng = random.Random(seed)
    X = [[rng.uniform(-2.0, 2.0) for _ in range(nin)] for _ in range(n)]
    y = [index % 2 for index in range(n)]
    rng.shuffle(y)
    return X, y


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize(
    ("nin", "nouts", "seed"), [(2, [4, 1], 0), (2, [4, 1], 7), (3, [8, 8, 1], 1), (1, [1], 3)]
)
def test_every_loss_and_activation_agrees_with_torch(
    bridge: Any, activation: str, nin: int, nouts: list[int], seed: int
) -> None:
    model = MLP(nin, nouts, activation=activation, seed=seed)
    X, y = points(6, nin, seed)
    reports = bridge.compare_all_losses(model, X, y)
    assert [report.loss for report in reports] == list(bridge.LOSSES)
    for report in reports:
        assert report.passed, report.table("en")
        assert [row.name for row in report.rows] == [n for n, _ in model.named_parameters()]
        assert all(row.bound > 0 for row in report.rows if row.ours != 0)


def test_the_torch_twin_has_the_same_layers_weights_and_activations(bridge: Any) -> None:
    torch = require("torch", extra="torch")
    model = MLP(3, [5, 4, 2], activation="relu", seed=4)
    twin = bridge.to_torch(model)
    kinds = [type(module).__name__ for module in twin]
    assert kinds == ["Linear", "ReLU", "Linear", "ReLU", "Linear"]  # the last layer linear
    assert all(p.dtype == torch.float64 for p in twin.parameters())
    for layer, linear in zip(model.layers, [twin[0], twin[2], twin[4]], strict=True):
        for row, neuron in enumerate(layer.neurons):
            assert linear.weight[row].tolist() == [w.data for w in neuron.w]
            assert linear.bias[row].item() == neuron.b.data
    x = [0.3, -1.2, 2.0]
    assert twin(torch.tensor([x], dtype=torch.float64))[0].tolist() == pytest.approx(
        [v.data for v in model(x)], rel=1e-15
    )


def test_a_layer_with_several_outputs_is_compared_with_cross_entropy_over_its_classes(
    bridge: Any,
) -> None:
    for seed in (0, 1, 2):
        layer = Layer(3, 4, activation="linear", seed=seed)
        X, _ = points(5, 3, seed)
        report = bridge.compare_with_torch(layer, X, [0, 3, 2, 1, 3], "cross_entropy")
        assert report.passed, report.table("en")
        assert report.rows[0].torch_name == "0.weight[0, 0]"
        assert report.rows[3].torch_name == "0.bias[0]"
    assert bridge.compare_with_torch(Neuron(2, "sigmoid", seed=5), [(1.0, 2.0)], [1]).passed


def test_one_sgd_step_agrees_and_leaves_our_model_as_it_was(bridge: Any) -> None:
    model = MLP(2, [4, 1], seed=2)
    for p in model.parameters():
        p.grad = 0.5  # a student's leftover gradient: the comparison must not change it
    before = [(p.data, p.grad) for p in model.parameters()]
    X, y = points(8, 2, 2)
    report = bridge.compare_with_torch(model, X, y, "mse", lr=0.3)
    assert [(p.data, p.grad) for p in model.parameters()] == before
    for row, (value, _) in zip(report.rows, before, strict=True):
        assert row.step_ours == value - 0.3 * row.ours  # what SGD.step() does
        assert row.step_error <= row.step_bound
    assert report.lr == 0.3 and report.passed


def test_a_gradient_moved_beyond_its_bound_fails_the_report(bridge: Any) -> None:
    X, y = points(6, 2, 0)
    report = bridge.compare_with_torch(MLP(2, [4, 1], seed=0), X, y)
    assert report.passed
    row = report.rows[5]
    wrong = row.ours + 2 * row.bound  # twice the rounding bound: a disagreement
    moved = dataclasses.replace(row, torch=wrong, abs_error=abs(row.ours - wrong))
    broken = dataclasses.replace(report, rows=(*report.rows[:5], moved, *report.rows[6:]))
    assert not moved.passed and not broken.passed
    assert "DISAGREES" in broken.table("en") and "DISCORDAM" in broken.table("pt")
    assert 2.0 <= broken.worst_ratio < 2.01  # ours + 2 bound, itself rounded


def test_a_wrong_activation_in_the_twin_is_caught(
    bridge: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    torch = require("torch", extra="torch")
    monkeypatch.setitem(bridge._TORCH_ACTIVATIONS, "tanh", torch.nn.Hardtanh)
    X, y = points(6, 2, 0)
    assert not bridge.compare_with_torch(MLP(2, [4, 1], seed=0), X, y).passed


def test_the_bound_is_a_few_hundred_roundings_not_a_loose_tolerance(bridge: Any) -> None:
    X, y = points(12, 2, 0)
    report = bridge.compare_with_torch(MLP(2, [4, 1], seed=0), X, y)
    for row in report.rows:
        assert row.bound < 1000 * 2.0**-53 * max(1.0, abs(row.ours))


def test_torch_flattens_the_probability_form_where_p_saturates_and_the_report_says_so(
    bridge: Any,
) -> None:
    neuron = Neuron(1, "linear", seed=0)
    neuron.w[0].data, neuron.b.data = 1.0, 0.0
    saturated = bridge.compare_with_torch(neuron, [(-50.0,)], [1], "binary_cross_entropy")
    weight = saturated.rows[0]  # d/dw = x * (sigmoid(z) - 1) = -50 * (1 - 2e-22)
    assert weight.ours == pytest.approx(50.0) and abs(weight.torch) < 1e-8
    assert not saturated.passed
    logits = bridge.compare_with_torch(neuron, [(-50.0,)], [1], "binary_cross_entropy_with_logits")
    assert logits.passed and logits.rows[0].torch == pytest.approx(50.0)
    assert bridge.compare_with_torch(neuron, [(-20.0,)], [1], "binary_cross_entropy").passed


class _Cells(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_report_prints_as_a_table_and_shows_as_escaped_html_in_both_languages(
    bridge: Any,
) -> None:
    X, y = points(4, 2, 1)
    report = bridge.compare_with_torch(MLP(2, [3, 1], seed=1), X, y, "hinge")
    english, portuguese = report.table("en"), report.table("pt")
    assert english.splitlines()[0].split()[:3] == ["parameter", "in", "PyTorch"]
    assert "parâmetro" in portuguese and "concorda" in portuguese and "veredito" in portuguese
    assert len(english.splitlines()) == 1 + len(report.rows) + 3
    assert "first 2 of 13 parameters" in report.table("en", max_rows=2)
    page = report._repr_html_("pt")
    parser = _Cells()
    parser.feed(page)
    assert set(parser.tags) <= {"table", "caption", "thead", "tr", "th", "tbody", "td", "p", "br"}
    assert parser.tags.count("tr") == 1 + len(report.rows)
    assert "layers.1.neurons.0.b" in parser.text
    named = dataclasses.replace(report, loss="<b>hinge</b>")  # any text shows as text
    assert "<b>" not in named._repr_html_("en") and "&lt;b&gt;" in named._repr_html_("en")


def test_the_language_follows_the_environment_by_default(
    bridge: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = bridge.compare_with_torch(MLP(2, [2, 1], seed=0), [(1.0, 0.0)], [1])
    monkeypatch.setenv("TINYGRAD_EDU_LANG", "pt")
    assert "veredito" in str(report) and "concorda" in report._repr_html_()
    monkeypatch.setenv("TINYGRAD_EDU_LANG", "en")
    assert "verdict" in str(report)


def test_the_demo_comparisons_use_the_demo_model_and_all_agree(bridge: Any) -> None:
    reports = bridge.demo_comparisons()
    assert [report.loss for report in reports] == list(bridge.LOSSES)
    assert all(report.passed for report in reports)
    demo_model = MLP(2, [4, 1], activation="tanh", seed=0)  # as `tinygrad-edu demo` builds it
    assert [row.value for row in reports[0].rows] == [p.data for p in demo_model.parameters()]
    X, y = data.make_moons(12, seed=0)
    assert (
        reports[2].loss_ours
        == losses.binary_cross_entropy_with_logits([demo_model(x) for x in X], y).data
    )


def test_unsupported_models_and_losses_are_refused_clearly(bridge: Any) -> None:
    class Line(Module):
        def __init__(self) -> None:
            from tinygrad_edu import Value

            self.slope = Value(1.0)

    with pytest.raises(TypeError, match=r"expected an MLP, Layer or Neuron.*got Line"):
        bridge.to_torch(Line())
    with pytest.raises(ValueError, match=r"unknown loss 'l1'"):
        bridge.compare_with_torch(MLP(2, [1], seed=0), [(1.0, 2.0)], [1], "l1")
    with pytest.raises(ValueError, match=r"3 outputs.*only loss='cross_entropy'"):
        bridge.compare_with_torch(Layer(2, 3, seed=0), [(1.0, 2.0)], [1], "mse")
    with pytest.raises(ValueError, match=r"y\[0\] is 2, but loss='hinge' needs class labels 0..1"):
        bridge.compare_with_torch(MLP(2, [1], seed=0), [(1.0, 2.0)], [2], "hinge")


def test_without_torch_the_import_error_names_the_extra() -> None:
    shim = (
        "import sys\n"
        "sys.modules['torch'] = None  # what Python does for a package that cannot be imported\n"
        "try:\n"
        "    import tinygrad_edu.bridge\n"
        "except ImportError as error:\n"
        "    print(error)\n"
        "else:\n"
        "    print('imported')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", shim],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT)},
    )
    assert "pip install 'tinygrad_edu[torch]'" in result.stdout
    assert "imported" not in result.stdout
