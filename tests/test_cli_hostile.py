"""The command line against hostile input: one line and exit 2 (or 130), never a
traceback, a hang, a write outside --out, or a silent nan."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli import assert_one_line_error, call, run

from tinygrad_edu import cli


def run_bytes(folder: Path, *arguments: bytes) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable.encode(), b"-m", b"tinygrad_edu", *arguments], cwd=folder,
        env={**os.environ, "TINYGRAD_EDU_LANG": "en", "LC_ALL": "C.UTF-8"},
        capture_output=True, text=True, errors="replace", timeout=60, check=False,
    )  # fmt: skip


# 1-2: dot that fails or takes too long
FAKE_DOT = "#!/bin/sh\n{body}\n"


def fake_dot(folder: Path, body: str) -> str:
    bin_folder = folder / "bin"
    bin_folder.mkdir()
    dot = bin_folder / "dot"
    dot.write_text(FAKE_DOT.format(body=body), encoding="utf-8")
    dot.chmod(0o755)
    return f"{bin_folder}{os.pathsep}{os.environ['PATH']}"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [("echo broken >&2; exit 3", "Graphviz could not draw"), ("sleep 30", "--dot-timeout")],
)
def test_a_failing_or_slow_dot_is_one_line_and_leaves_no_folder(
    tmp_path: Path, body: str, fragment: str
) -> None:
    path = fake_dot(tmp_path, body)
    result = run(
        tmp_path, "graph", "x*x", "--var", "x=2", "--format", "svg", "--dot-timeout", "1",
        "--out", "pictures", path=path,
    )  # fmt: skip
    assert_one_line_error(result, fragment)
    assert not (tmp_path / "pictures").exists()


def test_the_demo_has_a_dot_timeout_option(tmp_path: Path) -> None:
    assert "--dot-timeout" in run(tmp_path, "demo", "--help").stdout


# 3, 9, 12: --out
def test_an_out_with_dotdot_is_normalised_and_only_the_folder_is_made(tmp_path: Path) -> None:
    for out, made in (("W/new/../out", "W/out"), ("a/b/../../out2", "out2")):
        result = run(tmp_path, "graph", "x*2", "--var", "x=1", "--format", "dot", "--out", out)
        assert result.returncode == 0, result.stderr
        assert (tmp_path / made / "graph.dot").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["W", "out2"]
    assert [p.name for p in (tmp_path / "W").iterdir()] == ["out"]


def test_a_very_deep_out_is_no_recursion_traceback(tmp_path: Path) -> None:
    deep = "/".join(["d"] * 1500)
    try:
        result = run(tmp_path, "graph", "x*2", "--var", "x=1", "--format", "dot", "--out", deep)
        assert "Traceback" not in result.stderr
        assert result.returncode == 0, result.stderr
        assert (tmp_path / deep / "graph.dot").is_file()
    finally:  # shutil.rmtree (pytest's clean-up) recurses: take the tree down level by level
        (tmp_path / deep / "graph.dot").unlink(missing_ok=True)
        for level in range(1500, 0, -1):
            folder = tmp_path.joinpath(*["d"] * level)
            if folder.is_dir():
                folder.rmdir()


def test_an_out_that_cannot_be_written_is_found_before_the_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "locked").mkdir()

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    def no_work(args: object) -> int:
        raise AssertionError("the work ran before --out was checked")

    monkeypatch.setattr(cli.tempfile, "TemporaryFile", refuse)
    monkeypatch.setattr(cli, "run_race", no_work)
    result = call(tmp_path, monkeypatch, capsys, "race", "--out", "locked")
    assert_one_line_error(result, "Permission denied", "locked")


# 4: non-finite results and gradients
@pytest.mark.parametrize(
    ("expression", "fragment"),
    [
        # y*10 overflows inside the graph (the parser refuses literals that overflow)
        ("x*(y*10) - x*(y*10)", "not a finite number (nan)"),
        ("x + y*10", "not a finite number (inf)"),
        ("tanh(x*(y*10))", "d out / d x is not a finite number (nan)"),
    ],
)
def test_a_non_finite_result_or_gradient_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    expression: str, fragment: str,
) -> None:  # fmt: skip
    for command in ("graph", "code"):
        result = call(
            tmp_path, monkeypatch, capsys, command, expression, "--var", "x=1", "--var", "y=1e308"
        )
        assert_one_line_error(result, fragment)
    assert list(tmp_path.iterdir()) == []


# 5: bounded sizes, memory
@pytest.mark.parametrize(
    "arguments",
    [
        ["gradcheck", "--n", "1000000"], ["demo", "--n", "100000000"],
        ["race", "--epochs", "10000000"], ["race", "--warmup", "10000000"],
        ["landscape", "--grid", "100000"], ["landscape", "--steps", "10000000"],
        ["check-rules", "--examples", "100000000"], ["demo", "--hidden", "100000"],
        ["demo", "--hidden", "2,2,2,2,2,2,2,2,2,2"],
    ],
)  # fmt: skip
def test_sizes_are_bounded_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    arguments: list[str],
) -> None:  # fmt: skip
    result = call(tmp_path, monkeypatch, capsys, *arguments)
    assert_one_line_error(result)
    assert "expected a number <=" in result.stderr or "at most" in result.stderr


def test_help_says_the_bounds(tmp_path: Path) -> None:
    assert "at most 2,000" in " ".join(run(tmp_path, "gradcheck", "--help").stdout.split())


def test_running_out_of_memory_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(cli.experiments, "make_dataset", exhausted)
    assert_one_line_error(call(tmp_path, monkeypatch, capsys, "gradcheck"), "out of memory")


def test_a_race_shows_progress_on_stderr(tmp_path: Path) -> None:
    environment = {**os.environ, "TINYGRAD_EDU_LANG": "en", "TINYGRAD_EDU_PROGRESS": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "tinygrad_edu", "race", "--n", "8", "--hidden", "2",
         "--epochs", "3", "--warmup", "2", "--out", "out"],
        cwd=tmp_path, env=environment, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert b"\repoch 3 of 3" in result.stderr  # bytes: text mode would turn \r into \n


def test_a_landscape_shows_progress_on_stderr(tmp_path: Path) -> None:
    environment = {**os.environ, "TINYGRAD_EDU_LANG": "pt", "TINYGRAD_EDU_PROGRESS": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "tinygrad_edu", "landscape", "--n", "8", "--steps", "2",
         "--grid", "5", "--out", "out"],
        cwd=tmp_path, env=environment, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = [f"\rlinha {row} de 5 da grade".encode() for row in range(1, 6)]
    assert all(row in result.stderr for row in rows)


# 6: Ctrl-C before the work
def test_ctrl_c_while_the_parser_is_built_exits_130_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(lang: str = "en") -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "build_parser", interrupted)
    assert cli.main(["demo"]) == 130
    assert capsys.readouterr().err.strip() == "tinygrad-edu: interrupted"


def test_ctrl_c_while_importing_exits_130_in_one_line(tmp_path: Path) -> None:
    program = (
        "import builtins, runpy, sys\n"
        "real = builtins.__import__\n"
        "def stop(name, *args, **kwargs):\n"
        "    if name == 'tinygrad_edu.cli':\n"
        "        raise KeyboardInterrupt\n"
        "    return real(name, *args, **kwargs)\n"
        "builtins.__import__ = stop\n"
        "runpy.run_module('tinygrad_edu', run_name='__main__')\n"
    )
    result = run(tmp_path, "demo", program=program)
    assert result.returncode == 130
    assert result.stderr.strip() == "tinygrad-edu: interrupted"


# 8: bytes that are not UTF-8
def test_non_utf8_bytes_in_name_and_out_are_escaped_not_a_traceback(tmp_path: Path) -> None:
    result = run_bytes(
        tmp_path, b"graph", b"x*2", b"--var", b"x=1", b"--format", b"dot",
        b"--name", b"g\xff", b"--out", b"o\xfe",
    )  # fmt: skip
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert "\\udcfe" in result.stdout and "\\udcff" in result.stdout


# 10: stdout that cannot be written, a file that cannot be written
def test_stdout_on_a_full_device_is_reported_as_stdout(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "tinygrad_edu", "gradcheck", "--n", "4", "--hidden", "2"],
            cwd=tmp_path, env={**os.environ, "TINYGRAD_EDU_LANG": "en"}, stdout=full,
            stderr=subprocess.PIPE, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert_one_line_error(result, "stdout")
    assert "--out" not in result.stderr


def test_a_full_disk_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def full(*args: object, **kwargs: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli.viz, "render", full)
    result = call(tmp_path, monkeypatch, capsys, "graph", "x*2", "--var", "x=1", "--out", "o")
    assert_one_line_error(result, "No space left on device", str(Path("o") / "graph.svg"))
    assert not (tmp_path / "o").exists()


# 11: symlinks and matplotlib's cache
def test_a_symlink_in_out_is_not_followed(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "race.png").symlink_to(victim)
    home = tmp_path / "home"
    home.mkdir()
    environment = {**os.environ, "TINYGRAD_EDU_LANG": "en", "HOME": str(home),
                   "XDG_CACHE_HOME": str(home / ".cache"), "XDG_CONFIG_HOME": str(home / ".config")}
    environment.pop("MPLCONFIGDIR", None)
    result = subprocess.run(
        [sys.executable, "-m", "tinygrad_edu", "race", "--n", "8", "--hidden", "2",
         "--epochs", "2", "--warmup", "2", "--out", "out"],
        cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "out" / "race.png").is_symlink()
    assert list(home.iterdir()) == []  # no font cache in ~/.cache or ~/.config


# 13: a race that diverges
def test_a_diverging_race_is_one_line_suggesting_a_smaller_lr(tmp_path: Path) -> None:
    result = run(
        tmp_path, "race", "--n", "8", "--hidden", "2", "--epochs", "3", "--warmup", "2",
        "--lr", "1e300", "--out", "out",
    )  # fmt: skip
    assert_one_line_error(result, "diverged", "smaller --lr")
