"""render and Graphviz's dot: time limits, failures, long labels, symlinks, the fan-in limit."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from conftest import require_program
from tinygrad_edu.engine import Value
from tinygrad_edu.viz import MAX_USES, DotFailed, DotTimedOut, draw_dot, render


def product_of(x: Value, factors: int) -> Value:
    """x * x * ... * x: one Value feeding `factors` multiplications."""
    y = x
    for _ in range(factors - 1):
        y = y * x
    return y


def fake_dot(folder: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    """Put a program called `dot` that runs `script` (sh) first on PATH."""
    program = folder / "dot"
    program.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")


def neuron() -> Value:
    x1, x2, w1, w2, b = (
        Value(v, label=n) for v, n in zip((2.0, 0.0, -3.0, 1.0, 6.88), "abcde", strict=True)
    )
    out = (x1 * w1 + x2 * w2 + b).tanh()
    out.backward()
    return out


@pytest.mark.parametrize(
    ("script", "fragment"),
    [
        (
            "cat > /dev/null; echo 'Error: syntax error in line 1' >&2; exit 3",
            "exited with status 3",
        ),
        ("cat > /dev/null; kill -SEGV $$", "killed by signal 11"),
        ("cat > /dev/null; exit 0", "wrote nothing"),
    ],
)
def test_a_failing_dot_raises_dot_failed_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str, fragment: str
) -> None:
    (tmp_path / "bin").mkdir()
    fake_dot(tmp_path / "bin", monkeypatch, script)
    target = tmp_path / "out" / "graph.svg"
    with pytest.raises(DotFailed, match=fragment) as raised:
        render(neuron(), target)
    assert "graph.svg" in str(raised.value) and "\n" not in str(raised.value)
    assert list((tmp_path / "out").iterdir()) == []


def test_a_dot_that_runs_too_long_is_stopped_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bin").mkdir()
    fake_dot(tmp_path / "bin", monkeypatch, "exec sleep 30")
    target = tmp_path / "out" / "graph.png"
    with pytest.raises(DotTimedOut, match=r"dot_timeout=0\.5 s .* larger dot_timeout="):
        render(neuron(), target, dot_timeout=0.5)
    assert list((tmp_path / "out").iterdir()) == []
    assert issubclass(DotTimedOut, DotFailed) and issubclass(DotFailed, RuntimeError)


@pytest.mark.parametrize("timeout", [0, -1.0, float("nan"), float("inf"), True, "5"])
def test_dot_timeout_must_be_a_positive_number(tmp_path: Path, timeout: object) -> None:
    with pytest.raises(ValueError, match="dot_timeout must be"):
        render(neuron(), tmp_path / "g.svg", dot_timeout=timeout)  # type: ignore[arg-type]


def test_a_label_too_long_for_dot_is_an_error_not_a_broken_pipe(tmp_path: Path) -> None:
    """dot gives up on a 100,000-character label before reading its input to the end."""
    require_program("dot", install="apt-get install graphviz")
    long = Value(1.0, label="a" * 100_000) * 2.0
    try:
        written = render(long, tmp_path / "long.svg")
    except DotFailed as error:
        assert "long.svg" in str(error)
        assert list(tmp_path.iterdir()) == []
    else:
        assert Path(written).stat().st_size > 0


def test_a_symlink_at_the_path_is_replaced_not_followed(tmp_path: Path) -> None:
    require_program("dot", install="apt-get install graphviz")
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    for name in ("graph.svg", "graph.dot"):
        (folder / name).symlink_to(outside)
        written = Path(render(neuron(), folder / name))
        assert not written.is_symlink() and written.read_bytes()
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert sorted(path.name for path in folder.iterdir()) == ["graph.dot", "graph.svg"]


def test_written_files_have_the_usual_permissions(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        written = Path(render(neuron(), tmp_path / "g.dot"))
    finally:
        os.umask(mask)
    assert stat.S_IMODE(written.stat().st_mode) == 0o644


def test_one_value_feeding_too_many_ops_is_refused_with_a_way_out() -> None:
    x = Value(1.0, label="x")
    draw_dot(product_of(x, MAX_USES))  # at the limit: drawn
    expected = r"'x' \(data 1.0\) feeds 33 ops, more than max_uses=32; .*\(x \*\* 50\)"
    with pytest.raises(ValueError, match=expected):
        draw_dot(product_of(x, MAX_USES + 1))
    assert draw_dot(product_of(x, 100), max_uses=100) is not None
    with pytest.raises(ValueError, match="max_uses must be"):
        draw_dot(x, max_uses=0)
