"""The explorer's page end to end: Debian's Chromium, headless, driven by Playwright.

The page must load with no console error and no failed request, its numbers
must follow the sliders, the nudge must agree with the gradient's sign, the
graph must update in place, the language must toggle, training must lower the
loss, and the address must bring the same state back. Set
TINYGRAD_EDU_SCREENSHOTS=docs/images to also write the documentation's
screenshots (explorer.png in Portuguese, explorer-en.png in English).
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import require, require_program
from tinygrad_edu.explore import ExplorerServer, Setup, make_server
from tinygrad_edu.explore.compute import Problem
from tinygrad_edu.messages import MESSAGES

BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 900}
TIMEOUT = 15_000  # ms: generous for a loaded CI machine; a healthy page answers in well under 1 s


@pytest.fixture(scope="module")
def server() -> Iterator[ExplorerServer]:
    running = make_server(port=0, lang="pt")
    threading.Thread(target=running.serve_forever, daemon=True).start()
    yield running
    running.shutdown()
    running.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    sync_api = require("playwright.sync_api", extra="browser")
    chromium = require_program("chromium", install="apt-get install chromium")
    with sync_api.sync_playwright() as playwright:
        # A persistent context on a new, empty folder: a fresh profile, nothing of the user's.
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=chromium,
            headless=True,
            args=BROWSER_ARGS,
            viewport=VIEWPORT,
        )
        context.set_default_timeout(TIMEOUT)
        yield context
        context.close()


class Visit:
    """One page of the explorer, with every console error and failed request it met."""

    def __init__(self, browser: Any, url: str) -> None:
        from playwright.sync_api import expect

        self.expect = expect
        self.problems: list[str] = []
        self.page = browser.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))
        self.page.on("response", self._response)
        self.page.goto(url)
        expect(self.page.locator("body")).to_have_attribute("data-ready", "true")

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status}: {response.url}")

    def by_id(self, testid: str) -> Any:
        return self.page.get_by_test_id(testid)

    def value(self, testid: str) -> float:
        return float(self.by_id(testid).get_attribute("data-value"))

    def set_range(self, testid: str, value: float) -> None:
        """Move a slider as a hand does: a new value, then the input event."""
        self.by_id(testid).evaluate(
            "(slider, value) => { slider.value = String(value);"
            " slider.dispatchEvent(new Event('input', { bubbles: true })); }",
            value,
        )

    def wait_for_change(self, testid: str, old: str) -> None:
        self.expect(self.by_id(testid)).not_to_have_attribute("data-value", old)

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def visit(browser: Any, server: ExplorerServer) -> Iterator[Any]:
    opened: list[Visit] = []

    def open_page(query: str = "") -> Visit:
        page = Visit(browser, server.url + query)
        opened.append(page)
        return page

    yield open_page
    for page in opened:
        page.close()


def significant_digits(text: str) -> int:
    mantissa = text.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
    return len(mantissa)


def test_the_page_loads_in_the_servers_language_with_no_error(visit: Any) -> None:
    page = visit()
    expect = page.expect
    expect(page.page.locator("h1")).to_have_text(MESSAGES["explore.title"]["pt"])
    assert page.page.locator("html").get_attribute("lang") == "pt-BR"
    for testid in ("loss-mse", "loss-ce"):
        expect(page.by_id(testid)).not_to_have_attribute("data-value", "")
        assert significant_digits(page.by_id(testid).inner_text()) >= 6
    problem = Problem(Setup())
    both, _ = problem.measure()
    assert page.value("loss-ce") == both["cross-entropy"].data
    assert page.value("loss-mse") == both["mse"].data
    assert page.value("gradient") == problem.gradient("cross-entropy", 0)
    assert page.by_id("weight-select").locator("option").count() == len(problem.names)
    assert page.by_id("graph").locator("g.value").count() > 20
    assert page.by_id("graph").locator("g.value.selected").count() == 1
    assert page.problems == []


def test_the_weight_slider_moves_the_numbers_and_the_graph_in_place(visit: Any) -> None:
    page = visit()
    old_loss = page.by_id("loss-ce").get_attribute("data-value")
    selected = page.by_id("graph").locator("g.value.selected")
    old_text = selected.text_content()
    node_count = page.by_id("graph").locator("g.value").count()
    page.set_range("weight-slider", -1.5)
    page.wait_for_change("loss-ce", old_loss)
    page.expect(selected).not_to_have_text(old_text)
    assert page.by_id("graph").locator("g.value").count() == node_count  # the same nodes
    assert "data -1.5" in page.by_id("graph").locator("g.value.selected").text_content()
    weights = Problem(Setup()).weights
    weights[0] = -1.5
    both, _ = Problem(Setup(), weights).measure()
    assert page.value("loss-ce") == both["cross-entropy"].data
    assert page.value("gradient") == Problem(Setup(), weights).gradient("cross-entropy", 0)
    assert "start=" in page.page.url
    assert page.problems == []


def test_the_h_slider_changes_the_finite_differences_not_the_gradient(visit: Any) -> None:
    page = visit()
    gradient = page.value("gradient")
    old = page.by_id("fd-forward").get_attribute("data-value")
    page.set_range("h-slider", -1)
    page.wait_for_change("fd-forward", old)
    assert page.by_id("h-value").inner_text() == "1e-1"
    assert page.value("gradient") == gradient
    error = page.value("fd-forward-error")
    assert error == pytest.approx(page.value("fd-forward") - gradient, abs=1e-15)
    assert abs(error) == pytest.approx(page.value("fd-forward-predicted"), rel=0.2)
    assert abs(page.value("fd-central-error")) < abs(error)
    assert page.problems == []


def test_the_nudge_agrees_with_the_sign_of_the_gradient(visit: Any) -> None:
    page = visit()
    for index in (0, 5, 16):
        old = page.by_id("gradient").get_attribute("data-value")
        page.by_id("weight-select").select_option(str(index))
        if index:
            page.wait_for_change("gradient", old)
        page.by_id("nudge-button").click()
        result = page.by_id("nudge-result")
        page.expect(result).to_have_attribute("data-direction", re.compile("up|down|flat"))
        gradient = page.value("gradient")
        direction = result.get_attribute("data-direction")
        assert direction == ("up" if gradient > 0 else "down")
        assert float(result.get_attribute("data-actual")) * gradient > 0
        assert page.page.locator("#weight-select option:checked").inner_text().split(" ")[0] in (
            result.inner_text()
        )
    assert page.problems == []


def test_clicking_a_weight_in_the_graph_chooses_it(visit: Any) -> None:
    page = visit()
    node = page.by_id("graph").locator("g.value.parameter").nth(3)
    name = node.locator("text.name").text_content()
    node.click()
    page.expect(page.by_id("graph").locator("g.value.selected text.name")).to_have_text(name)
    chosen = page.page.locator("#weight-select option:checked").inner_text()
    assert chosen.startswith(name + " ")


def test_the_language_toggles(visit: Any) -> None:
    page = visit()
    toggle = page.by_id("lang-toggle")
    toggle.click()
    page.expect(page.page.locator("h1")).to_have_text(MESSAGES["explore.title"]["en"])
    assert page.page.locator("html").get_attribute("lang") == "en"
    assert "lang=en" in page.page.url
    assert page.by_id("nudge-button").inner_text() == MESSAGES["explore.nudge.button"]["en"]
    toggle.click()
    page.expect(page.page.locator("h1")).to_have_text(MESSAGES["explore.title"]["pt"])
    assert page.problems == []


def test_training_lowers_the_loss_of_both_runs(visit: Any) -> None:
    page = visit()
    status = page.by_id("train-status")
    start_ce = page.value("loss-ce")
    start_mse = float(status.get_attribute("data-mse"))
    for _ in range(3):
        page.by_id("step-button").click()
    page.expect(status).to_have_attribute("data-steps", "3")
    page.by_id("play-button").click()
    page.expect(status).to_have_attribute("data-steps", re.compile(r"[1-9]\d+"))
    page.by_id("pause-button").click()
    page.expect(page.by_id("play-button")).to_be_enabled()
    assert float(status.get_attribute("data-ce")) < start_ce
    assert float(status.get_attribute("data-mse")) < start_mse
    page.expect(page.by_id("loss-ce")).not_to_have_attribute("data-value", str(start_ce))
    assert page.value("loss-ce") < start_ce
    assert page.by_id("race-chart").locator("path.run-ce").get_attribute("d").count("L") >= 10
    assert page.problems == []


def test_the_address_brings_the_same_state_back(visit: Any) -> None:
    page = visit()
    page.by_id("loss-select").select_option("mse")
    page.by_id("weight-select").select_option("6")
    page.set_range("weight-slider", 0.75)
    page.set_range("h-slider", -2)
    for _ in range(4):
        page.by_id("step-button").click()
    page.expect(page.by_id("train-status")).to_have_attribute("data-steps", "4")
    page.expect(page.page).to_have_url(re.compile("train=0.5x4"))
    shown = ["loss-mse", "loss-ce", "gradient", "fd-forward", "fd-central", "weight-value"]
    page.expect(page.by_id("h-value")).to_have_text("1e-2")
    page.page.wait_for_load_state("networkidle")
    before = {testid: page.by_id(testid).inner_text() for testid in shown}
    address = page.page.url
    again = visit(address[address.index("?") :])
    for testid, text in before.items():
        again.expect(again.by_id(testid)).to_have_text(text)
    assert again.by_id("loss-select").input_value() == "mse"
    assert again.by_id("weight-select").input_value() == "6"
    assert again.by_id("train-status").get_attribute("data-steps") == "4"
    assert page.problems == [] and again.problems == []


def test_a_bad_address_shows_the_servers_message(visit: Any) -> None:
    page = visit("?n=100000&lang=pt")
    error = page.by_id("error")
    page.expect(error).to_be_visible()
    page.expect(error).to_contain_text("setup.n deve estar entre 2 e 200")


def test_screenshots(visit: Any, tmp_path: Path) -> None:
    """The pictures of the documentation, looked at by a person: a trained network, h = 0.1."""
    target = os.environ.get("TINYGRAD_EDU_SCREENSHOTS")
    for lang, name in (("pt", "explorer.png"), ("en", "explorer-en.png")):
        page = visit(f"?lang={lang}&weight=1&h=-1&train=0.5x40")
        page.expect(page.by_id("train-status")).to_have_attribute("data-steps", "40")
        page.page.wait_for_load_state("networkidle")
        path = tmp_path / name
        page.page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 50_000
        if target:
            Path(target).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, Path(target) / name)
        assert page.problems == []
