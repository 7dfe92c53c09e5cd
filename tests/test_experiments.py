"""The experiments as results: one table per choice, the race's start, the landscape's arrow."""

from __future__ import annotations

import math

import pytest

from tinygrad_edu import losses
from tinygrad_edu.experiments import (
    DATASETS,
    LOSSES,
    accuracy,
    confidently_wrong,
    gradient_curves,
    landscape,
    lesson,
    loss_function,
    make_dataset,
    make_model,
    mean_sigmoid_slope,
    race,
)


def test_each_loss_name_means_its_own_loss() -> None:
    X, y = make_dataset("moons", 8, seed=0)
    model = make_model([3], "tanh", seed=0)
    logits = [model(x) for x in X]
    expected = {
        "mse": losses.mse([z.sigmoid() for z in logits], y).data,
        "cross-entropy": losses.binary_cross_entropy_with_logits(logits, y).data,
    }
    assert set(LOSSES) == set(expected)
    for name, value in expected.items():
        assert loss_function(model, X, y, name)().data == value


@pytest.mark.parametrize(("table", "maker"), [("loss", loss_function), ("dataset", None)])
def test_an_unknown_name_is_refused_not_run_as_something_else(table: str, maker: object) -> None:
    with pytest.raises(ValueError, match=f"unknown {table} 'hinge'; choose one of"):
        if table == "loss":
            X, y = make_dataset("moons", 4, seed=0)
            loss_function(make_model([2], "tanh", seed=0), X, y, "hinge")
        else:
            make_dataset("hinge", 4, seed=0)


@pytest.mark.parametrize("name", DATASETS)
def test_datasets_by_name_are_the_data_makers(name: str) -> None:
    assert make_dataset(name, 6, seed=2) == DATASETS[name](6, seed=2)
    assert make_dataset(name, 6, seed=2, noise=0.0) == DATASETS[name](6, seed=2, noise=0.0)


def test_the_lesson_misses_with_the_forward_difference_and_passes_with_the_central_one() -> None:
    X, y = make_dataset("moons", 12, seed=0)
    model = make_model([4], "tanh", seed=0)
    before = [p.data for p in model.parameters()]
    result = lesson(model, X, y)
    assert not result.forward.passed and result.central.passed
    assert math.isclose(result.comparison.cross_entropy, 0.754968, abs_tol=5e-7)
    assert result.nudge.name == max(result.central.rows, key=lambda r: abs(r.analytic)).name
    assert result.example_loss.label == "loss" and result.graph_size < 1000
    assert [p.data for p in model.parameters()] == before


@pytest.mark.parametrize("name", DATASETS)
def test_a_confidently_wrong_start_has_the_asked_mean_logit_on_every_dataset(name: str) -> None:
    """The flip scales to a mean |z|, so even well-separated blobs stay trainable by MSE
    (a fixed factor sent their |z| past 20, where MSE's gradient is below 1e-9)."""
    X, y = make_dataset(name, 20, seed=0)
    model = confidently_wrong(make_model([4], "tanh", seed=0), X, y, warmup=30, confidence=5)
    mean_logit = sum(abs(model(x).data) for x in X) / len(X)
    assert math.isclose(mean_logit, 5.0, rel_tol=1e-12)
    assert accuracy(model, X, y) <= 0.5
    assert 1e-4 < mean_sigmoid_slope(model, X) < 0.05


@pytest.mark.parametrize("dataset", ["moons", "xor"])
def test_the_compiled_warm_up_gives_the_eager_one_bit_for_bit(dataset: str) -> None:
    X, y = make_dataset(dataset, 16, seed=2)
    replayed, built = (
        confidently_wrong(make_model([4], "tanh", seed=2), X, y, warmup=25, confidence=5,
                          compiled=compiled)
        for compiled in (True, False)
    )  # fmt: skip
    assert [p.data for p in replayed.parameters()] == [p.data for p in built.parameters()]
    assert replayed.parameters()[0].data != make_model([4], "tanh", seed=2).parameters()[0].data


def test_on_blobs_the_default_race_moves_both_losses_and_cross_entropy_wins() -> None:
    X, y = make_dataset("blobs", 40, seed=0)
    result = race(
        X, y, hidden=[8], activation="tanh", seed=0, epochs=30, lr=0.5, warmup=60,
        confidence=5, target=0.8,
    )  # fmt: skip
    mse = result.history["mse"]
    assert mse[-1].loss < mse[0].loss - 0.1  # MSE moves: it is not stuck at 1.0
    assert result.first_epoch_reaching("cross-entropy") is not None
    ce_epoch = result.first_epoch_reaching("cross-entropy")
    mse_epoch = result.first_epoch_reaching("mse")
    assert ce_epoch is not None and (mse_epoch is None or ce_epoch < mse_epoch)


@pytest.mark.parametrize("dataset", ["moons", "blobs"])
def test_the_compiled_race_gives_the_eager_race_bit_for_bit(dataset: str) -> None:
    X, y = make_dataset(dataset, 24, seed=1)
    options = {
        "hidden": [5], "activation": "tanh", "seed": 1, "epochs": 12, "lr": 0.5,
        "warmup": 20, "confidence": 5, "target": 0.8,
    }  # fmt: skip
    compiled = race(X, y, compiled=True, **options)  # type: ignore[arg-type]
    eager = race(X, y, compiled=False, **options)  # type: ignore[arg-type]
    assert compiled.history == eager.history  # every loss, accuracy and slope, to the last bit


def test_the_race_reports_each_epoch_as_it_finishes() -> None:
    X, y = make_dataset("moons", 10, seed=0)
    seen: list[int] = []
    result = race(
        X, y, hidden=[3], activation="tanh", seed=0, epochs=2, lr=0.5, warmup=5,
        confidence=5, target=0.8, on_epoch=lambda epoch, states: seen.append(epoch),
    )  # fmt: skip
    assert seen == [0, 1, 2]
    mse_start, ce_start = result.history["mse"][0], result.history["cross-entropy"][0]
    assert (mse_start.accuracy, mse_start.slope) == (ce_start.accuracy, ce_start.slope)


def test_gradient_curves_show_mses_gradient_vanishing_where_cross_entropys_does_not() -> None:
    curves = gradient_curves([-10.0, -5.0, 0.0, 5.0, 10.0])
    for label, wrong in ((1, 0), (0, 4)):  # z = -10 is confidently wrong for label 1
        mse, ce = curves.values[("mse", label)], curves.values[("cross-entropy", label)]
        assert mse[wrong] < 1e-3 < 0.99 < ce[wrong]
    p = 1 / (1 + math.exp(-5.0))
    assert math.isclose(curves.values[("mse", 0)][3], 2 * p * p * (1 - p), rel_tol=1e-12)
    assert math.isclose(curves.values[("cross-entropy", 0)][3], p, rel_tol=1e-12)


def test_the_landscape_arrow_is_the_negative_gradient_and_the_weights_come_back() -> None:
    X, y = make_dataset("moons", 10, seed=1)
    model = make_model([4], "tanh", seed=1)
    names = ("layers.0.neurons.0.w.0", "layers.1.neurons.0.b")
    before = [p.data for p in model.parameters()]
    view = landscape(model, loss_function(model, X, y, "cross-entropy"), names,
                     steps=4, lr=2.0, span=1.0, grid=4)  # fmt: skip
    length = math.hypot(*view.gradient)
    assert view.arrow == pytest.approx((-view.gradient[0] / length, -view.gradient[1] / length))
    assert view.agreement > 0.999 and not view.flat
    assert view.path[-1][2] < view.path[0][2]
    assert len(view.grid[0]) == len(view.grid[2]) == 4
    assert [p.data for p in model.parameters()] == before
    with pytest.raises(ValueError, match="no weight named 'w'"):
        landscape(model, loss_function(model, X, y, "mse"), ("w", names[1]),
                  steps=1, lr=1.0, span=1.0, grid=2)  # fmt: skip
