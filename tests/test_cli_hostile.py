"""The command line against hostile input: one line and exit 2 (or 130), never a
traceback, a hang, a write outside --out, or a silent nan."""

from __future__ import annotations

import errno
import gc
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from test_cli import assert_one_line_error, call, run

from conftest import require, require_program
from tinygrad_edu import cli, testing


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


def progress_run(folder: Path, lang: str, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    """The command with TINYGRAD_EDU_PROGRESS=1 (stderr is no terminal here), in bytes:
    text mode would turn the progress line's \r into \n."""
    environment = {**os.environ, "TINYGRAD_EDU_LANG": lang, "TINYGRAD_EDU_PROGRESS": "1"}
    return subprocess.run(
        [sys.executable, "-m", "tinygrad_edu", *arguments], cwd=folder, env=environment,
        capture_output=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "shown"),
    [("pt", "\rregra {number} de 3: {name}\033[K"), ("en", "\rrule {number} of 3: {name}\033[K")],
)
def test_check_rules_shows_each_rule_as_it_starts_and_leaves_stdout_as_it_was(
    tmp_path: Path, lang: str, shown: str
) -> None:
    arguments = ("check-rules", "--examples", "3", "--op", "tanh", "--op", "exp", "--op", "log")
    result = progress_run(tmp_path, lang, *arguments)
    assert result.returncode == 0, result.stderr
    in_order = ["exp", "log", "tanh"]  # the order of the table
    expected = "".join(shown.format(number=k, name=name) for k, name in enumerate(in_order, 1))
    assert result.stderr.decode() == expected + "\r\033[K"  # then cleared
    quiet = subprocess.run(
        [sys.executable, "-m", "tinygrad_edu", *arguments], cwd=tmp_path,
        env={**os.environ, "TINYGRAD_EDU_LANG": lang}, capture_output=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert quiet.stderr == b""
    assert result.stdout == quiet.stdout


def test_gradcheck_shows_each_parameter_and_leaves_stdout_as_it_was(tmp_path: Path) -> None:
    arguments = ("gradcheck", "--n", "4", "--hidden", "2", "--method", "forward")
    result = progress_run(tmp_path, "pt", *arguments)
    assert result.returncode == 1, result.stderr  # the forward difference misses: exit 1
    names = re.findall(r"^(layers\.\S+)", run(tmp_path, *arguments, "--all").stdout, re.M)
    assert len(names) == 9
    expected = "".join(f"\rparâmetro {k} de 9: {name}\033[K" for k, name in enumerate(names, 1))
    assert result.stderr.decode() == expected + "\r\033[K"
    english = progress_run(tmp_path, "en", *arguments)
    assert english.stderr.decode().startswith(f"\rparameter 1 of 9: {names[0]}\033[K")
    quiet = run(tmp_path, *arguments, "--lang", "pt")
    assert quiet.stderr == ""
    assert result.stdout.decode() == quiet.stdout


def test_an_error_after_progress_starts_on_a_clean_line(tmp_path: Path) -> None:
    result = progress_run(
        tmp_path, "en", "race", "--n", "8", "--hidden", "2", "--epochs", "3", "--warmup", "2",
        "--lr", "1e300", "--out", "out",
    )  # fmt: skip
    assert result.returncode == 2
    cleared, _, message = result.stderr.decode().rpartition("\r\033[K")
    assert "epoch" in cleared and message.startswith("tinygrad-edu race: error: training diverged")


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


CTRL_C_ON_IMPORT = """\
import builtins, os, signal
signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal
real = builtins.__import__
def ctrl_c_on(name, *args, **kwargs):
    if name == {module!r}:  # a Ctrl-C arrives while the package imports this module
        builtins.__import__ = real
        os.kill(os.getpid(), signal.SIGINT)
    return real(name, *args, **kwargs)
builtins.__import__ = ctrl_c_on
"""

CONSOLE_SCRIPT = """\
import re
import sys
from tinygrad_edu.cli import main
if __name__ == "__main__":
    sys.argv[0] = re.sub(r"(-script\\.pyw|\\.exe)?$", "", sys.argv[0])
    sys.exit(main())
"""
"""What pip writes as the `tinygrad-edu` console script (the entry point cli:main)."""


@pytest.mark.parametrize("entry", ["python -m tinygrad_edu", "tinygrad-edu"])
@pytest.mark.parametrize("module", ["graphviz", "tinygrad_edu.engine", "tinygrad_edu.expression"])
def test_ctrl_c_while_the_package_is_imported_exits_130_in_one_line(
    tmp_path: Path, entry: str, module: str
) -> None:
    """Ctrl-C during the package's own imports (before cli.main runs), delivered as a
    terminal does: a sitecustomize module sends SIGINT as the package imports `module`."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(CTRL_C_ON_IMPORT.format(module=module), "utf-8")
    if entry == "tinygrad-edu":
        script = tmp_path / "bin" / "tinygrad-edu"
        script.parent.mkdir()
        script.write_text(CONSOLE_SCRIPT, encoding="utf-8")
        command = [sys.executable, str(script), "demo"]
    else:
        command = [sys.executable, "-m", "tinygrad_edu", "demo"]
    search = os.pathsep.join([str(hook), os.environ.get("PYTHONPATH", ""), str(Path.cwd())])
    result = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "PYTHONPATH": search, "TINYGRAD_EDU_LANG": "en"},
    )  # fmt: skip
    assert result.returncode == 130, result.stderr
    assert result.stderr.strip() == "tinygrad-edu: interrupted"
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        ["hook", "bin"] if entry == "tinygrad-edu" else ["hook"]
    )


def test_a_program_that_imports_the_package_keeps_its_ctrl_c() -> None:
    program = (
        "import signal, tinygrad_edu\n"
        "assert signal.getsignal(signal.SIGINT) is signal.default_int_handler\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


# 7: Ctrl-C during check-rules
def read_stderr_until(process: subprocess.Popen[bytes], wanted: bytes, seconds: float) -> bytes:
    """What the process wrote on stderr until `wanted` appears; fails after `seconds`."""
    assert process.stderr is not None
    seen = b""
    deadline = time.monotonic() + seconds
    while wanted not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"no {wanted!r} on stderr within {seconds} s: {seen!r}"
        ready, _, _ = select.select([process.stderr], [], [], left)
        if ready:
            chunk = os.read(process.stderr.fileno(), 4096)
            assert chunk, f"stderr closed before {wanted!r}: {seen!r}"
            seen += chunk
    return seen


def ctrl_c_as_in_a_terminal() -> None:
    """In the child: Ctrl-C back to its default, even when the tests run where it is
    ignored (a job started in the background inherits SIGINT ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("presses", [1, 2])
def test_ctrl_c_during_check_rules_exits_130_in_one_line_and_leaves_no_folder(
    tmp_path: Path, presses: int
) -> None:
    """Inside hypothesis (the second rule has started), once or twice in quick succession."""
    private_tmp, work = tmp_path / "tmp", tmp_path / "work"
    private_tmp.mkdir()
    work.mkdir()
    environment = {**os.environ, "TINYGRAD_EDU_LANG": "en", "TINYGRAD_EDU_PROGRESS": "1",
                   "TMPDIR": str(private_tmp)}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "tinygrad_edu", "check-rules", "--examples", "2000"],
        cwd=work, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        preexec_fn=ctrl_c_as_in_a_terminal,
    )  # fmt: skip
    try:
        seen = read_stderr_until(process, b"rule 2 of 22: -", seconds=60)
        time.sleep(0.2)  # well into the second rule's examples
        for press in range(presses):
            if press:
                time.sleep(0.01)
            process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    stderr = (seen + err).decode()
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
    assert stderr.rpartition("\r\033[K")[2] == "tinygrad-edu check-rules: interrupted\n"
    assert out == b""  # interrupted before the table
    assert list(private_tmp.iterdir()) == []
    assert list(work.iterdir()) == []


def fake_check_rules(body: Callable[[Callable[[int, int, str], None]], None]) -> Any:
    """A check_rules that runs `body(on_op)` (playing hypothesis), then returns a passing report."""

    def check_rules(*, on_op: Callable[[int, int, str], None], **options: object) -> Any:
        body(on_op)
        return testing.RulesReport(())

    return check_rules


def press_ctrl_c() -> None:
    os.kill(os.getpid(), signal.SIGINT)  # the handler runs before os.kill returns


def test_ctrl_c_that_python_drops_in_a_gc_callback_still_stops_check_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Hypothesis times every garbage collection with a callback; a KeyboardInterrupt
    raised inside one is dropped by Python ("Exception ignored in ..."). It must still
    stop the run at once, not after the run, and print nothing but "interrupted"."""
    finished = []

    def pressed_during_a_collection(on_op: Callable[[int, int, str], None]) -> None:
        def collecting(phase: str, info: dict[str, int]) -> None:
            if phase == "start":
                gc.callbacks.remove(collecting)
                press_ctrl_c()

        gc.callbacks.append(collecting)
        gc.collect()  # the KeyboardInterrupt is raised in `collecting`, and dropped
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the rest of a long rule
            pass
        finished.append(True)

    monkeypatch.setattr(cli.testing, "check_rules", fake_check_rules(pressed_during_a_collection))
    handling = signal.getsignal(signal.SIGINT), sys.unraisablehook
    result = call(tmp_path, monkeypatch, capsys, "check-rules")
    assert result.returncode == 130
    assert result.stderr == "tinygrad-edu check-rules: interrupted\n"
    assert finished == []  # raised again in the rule's own code, which did not run to its end
    assert (signal.getsignal(signal.SIGINT), sys.unraisablehook) == handling  # given back


@pytest.mark.parametrize("hypothesis_made_of_it", ["another error", "nothing"])
def test_ctrl_c_that_hypothesis_turns_into_something_else_still_exits_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    hypothesis_made_of_it: str,
) -> None:  # fmt: skip
    """Hypothesis catches BaseException in places: a Ctrl-C while it sets up a run has
    come out as an AssertionError of its own; one caught and dropped must not let the
    run go on to the next rule."""
    rules_started = []

    def caught(on_op: Callable[[int, int, str], None]) -> None:
        for number, name in enumerate(["exp", "log"], start=1):
            on_op(number, 2, name)
            rules_started.append(name)
            try:
                press_ctrl_c()
            except BaseException:
                if hypothesis_made_of_it == "another error":
                    raise AssertionError("assert state._runner is not None") from None

    monkeypatch.setattr(cli.testing, "check_rules", fake_check_rules(caught))
    result = call(tmp_path, monkeypatch, capsys, "check-rules")
    assert result.returncode == 130
    assert result.stderr == "tinygrad-edu check-rules: interrupted\n"
    assert rules_started == ["exp"]


@pytest.mark.parametrize("while_the_folder_is", ["made", "removed"])
def test_ctrl_c_while_hypothesis_folder_is_made_or_removed_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    while_the_folder_is: str,
) -> None:  # fmt: skip
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    real_mkdtemp, real_rmtree = tempfile.mkdtemp, shutil.rmtree

    def made_then_pressed(*args: Any, **kwargs: Any) -> str:
        folder = real_mkdtemp(*args, **kwargs)
        press_ctrl_c()
        return folder

    def pressed_then_removed(*args: Any, **kwargs: Any) -> None:
        press_ctrl_c()
        real_rmtree(*args, **kwargs)

    if while_the_folder_is == "made":
        monkeypatch.setattr(cli.tempfile, "mkdtemp", made_then_pressed)
    else:
        monkeypatch.setattr(cli.shutil, "rmtree", pressed_then_removed)
    monkeypatch.setattr(cli.testing, "check_rules", fake_check_rules(lambda on_op: None))
    result = call(tmp_path, monkeypatch, capsys, "check-rules")
    assert result.returncode == 130
    assert result.stderr == "tinygrad-edu check-rules: interrupted\n"
    assert list(private_tmp.iterdir()) == []


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
@pytest.mark.parametrize(
    "arguments",
    [
        ["gradcheck", "--n", "4", "--hidden", "2"], ["code", "x*2", "--var", "x=1"],
        ["check-rules", "--examples", "2", "--op", "exp"],
        ["graph", "x*2", "--var", "x=1", "--format", "dot"],
        ["demo", "--n", "4", "--hidden", "2", "--format", "dot"],
    ],
    ids=lambda arguments: arguments[0],
)  # fmt: skip
def test_stdout_on_a_full_device_is_reported_as_stdout(
    tmp_path: Path, arguments: list[str]
) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "tinygrad_edu", *arguments], cwd=tmp_path,
            env={**os.environ, "TINYGRAD_EDU_LANG": "en"}, stdout=full,
            stderr=subprocess.PIPE, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert_one_line_error(result, "cannot write the output (stdout): No space left on device")
    assert "--out" not in result.stderr


@pytest.fixture
def full_filesystem(tmp_path: Path) -> Iterator[Path]:
    """A real full filesystem: a 64 KiB tmpfs mounted in tmp_path, filled by the file
    'filler' to its last byte; unmounted afterwards. It needs root and mount; CI runs
    the tests as root, so there a failure to mount fails the test instead of skipping it."""
    folder = tmp_path / "full"
    folder.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)]
    if os.geteuid() != 0:
        problem = "the tests do not run as root"
    elif shutil.which("mount") is None:
        problem = "there is no mount program"
    else:
        done = subprocess.run(mount, capture_output=True, text=True, timeout=30, check=False)
        problem = f"{' '.join(mount)} failed: {done.stderr.strip()}" if done.returncode else ""
    if problem:
        message = f"a full filesystem is made with {' '.join(mount[:5])}, but {problem}"
        if os.environ.get("CI"):
            pytest.fail(f"under CI the tests run as root and can mount; {message}")
        pytest.skip(message)
    try:
        with open(folder / "filler", "wb", buffering=0) as filler, pytest.raises(OSError) as full:
            while True:
                filler.write(bytes(4096))
        assert full.value.errno == errno.ENOSPC
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True, timeout=30, check=True)


def make_room(full: Path, kib: int) -> None:
    """Free `kib` KiB of the full filesystem, so that a larger file is cut off part way."""
    filler = full / "filler"
    os.truncate(filler, filler.stat().st_size - kib * 1024)


TANH_CHAIN = "tanh(" * 40 + "x" + ")" * 40  # an svg of about 54 KiB

WRITES_ON_A_FULL_DISK = [
    (["graph", "x*2", "--var", "x=1", "--format", "svg"], "graph.svg", 0),
    (["graph", "x*2", "--var", "x=1", "--format", "dot"], "graph.dot", 0),
    (["graph", "x*2", "--var", "x=1", "--format", "png"], "graph.png", 0),
    (["graph", TANH_CHAIN, "--var", "x=0.5", "--format", "svg"], "graph.svg", 8),
    (["demo", "--n", "4", "--hidden", "2", "--format", "dot"], "graph-one-example.dot", 0),
    (["race", "--n", "8", "--hidden", "2", "--epochs", "2", "--warmup", "2"], "race.png", 0),
    (["race", "--n", "8", "--hidden", "2", "--epochs", "2", "--warmup", "2"], "race.png", 16),
    (["landscape", "--n", "6", "--grid", "3", "--steps", "2"], "landscape.png", 0),
]  # fmt: skip


@pytest.mark.parametrize(
    ("arguments", "written", "room"), WRITES_ON_A_FULL_DISK,
    ids=[f"{file}-{room}KiB-free" for _, file, room in WRITES_ON_A_FULL_DISK],
)  # fmt: skip
def test_a_really_full_filesystem_is_one_line_naming_the_file_and_leaves_nothing(
    tmp_path: Path, full_filesystem: Path, arguments: list[str], written: str, room: int
) -> None:
    if arguments[0] in ("graph", "demo") and arguments[-1] != "dot":
        require_program("dot", install="apt-get install graphviz")
    if arguments[0] in ("race", "landscape"):
        require("matplotlib", extra="plot")
    make_room(full_filesystem, room)
    result = run(tmp_path, *arguments, "--out", "full/out")
    assert_one_line_error(
        result, f"cannot write {Path('full', 'out', written)}: No space left on device"
    )
    assert [path.name for path in full_filesystem.iterdir()] == ["filler"]  # no file, no folder


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
