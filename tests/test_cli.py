"""The `tinygrad-edu` command run as a user runs it: `python -m tinygrad_edu ...` in a subprocess.

Every run happens in an empty temporary folder, so a test can also check that
the command wrote nothing outside its --out folder. Sizes are small (few
points, few epochs) to keep the file quick; the defaults are exercised by
`make demo` in CI.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tinygrad_edu.cli import main
from tinygrad_edu.nn import MLP

COMMANDS = (
    "demo", "graph", "race", "gradcheck", "landscape", "check-rules", "explore", "torch", "code",
)  # fmt: skip
LECTURE_NEURON = "tanh(x1*w1 + x2*w2 + b)"
LECTURE_VARIABLES = ("x1=2", "x2=0", "w1=-3", "w2=1", "b=6.8813735870195432")

# A `-c` program that hides matplotlib (as if the 'plot' extra were not installed),
# then runs the command with the arguments that follow.
WITHOUT_MATPLOTLIB = """
import sys

class HideMatplotlib:
    def find_spec(self, name, path=None, target=None):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, HideMatplotlib())
from tinygrad_edu.cli import main
sys.exit(main(sys.argv[1:]))
"""

# A `-c` program that swaps tanh's rule for a wrong one (1 + out**2 instead of
# 1 - out**2), the way a teacher breaks a rule in class, then runs check-rules.
WITH_BROKEN_TANH = """
import math, sys
from tinygrad_edu.engine import define_op

define_op("tanh", math.tanh, lambda out, x: (1 + out * out,), replace=True)
from tinygrad_edu.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run(
    folder: Path, *arguments: str, program: str | None = None, path: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the command in `folder`; `program` replaces `-m tinygrad_edu`, `path` sets PATH."""
    command = [sys.executable, "-c", program] if program else [sys.executable, "-m", "tinygrad_edu"]
    environment = {**os.environ, "TINYGRAD_EDU_LANG": "en"}
    if path is not None:
        environment["PATH"] = path
    return subprocess.run(
        [*command, *arguments],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def files_outside(folder: Path, out: str = "out") -> list[Path]:
    """Every file under `folder` that is not under `folder / out`."""
    inside = (folder / out).resolve()
    return [
        path
        for path in folder.rglob("*")
        if path.is_file() and not path.resolve().is_relative_to(inside)
    ]


def call(
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *arguments: str,
) -> subprocess.CompletedProcess[str]:
    """Run `main(arguments)` in this process, in `folder`: the command's own code path,
    faster, for the long tables of bad input (an exception escaping main fails the
    test, as a traceback would)."""
    monkeypatch.chdir(folder)
    monkeypatch.setenv("TINYGRAD_EDU_LANG", "en")
    code = main(list(arguments))
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(arguments, code, captured.out, captured.err)


def assert_one_line_error(
    result: subprocess.CompletedProcess[str], *fragments: str, word: str = "error:"
) -> None:
    """Exit code 2, one line on stderr that contains `word` and each fragment, no traceback."""
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert word in lines[0]
    for fragment in fragments:
        assert fragment in lines[0]


def gradients(stdout: str) -> dict[str, float]:
    """The `d out / d NAME = NUMBER` lines of `graph`."""
    return {name: float(number) for name, number in re.findall(r"d out / d (\w+) = (\S+)", stdout)}


def is_png(path: Path) -> bool:
    return path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- demo --------------------------------------------------------------------------------


def test_demo_runs_the_lesson_and_succeeds_although_the_forward_check_misses(
    tmp_path: Path,
) -> None:
    result = run(tmp_path, "demo", "--out", "out")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    for section in ("== 1.", "== 2.", "== 3.", "== 4.", "== 5.", "== 6."):
        assert section in result.stdout
    # The lesson's forward check against 1e-5 fails, the central one passes.
    assert "gradcheck (method='forward', h=0.001, atol=1e-05, rtol=0): FAILED" in result.stdout
    assert "gradcheck (method='central', h=0.001, atol=1e-05, rtol=0): PASSED" in result.stdout
    assert "forward (the lesson's): misses" in result.stdout
    assert "central: passes" in result.stdout
    assert re.search(r"makes the loss go (up|down) by about", result.stdout)
    assert "MSE = " in result.stdout and "cross-entropy = " in result.stdout

    picture = tmp_path / "out" / "graph-one-example.svg"
    assert f"  {Path('out') / 'graph-one-example.svg'}\n" in result.stdout
    svg = picture.read_text(encoding="utf-8")
    # Inputs, logit, loss and parameters are named in the picture.
    for label in ("x0", "x1", "h0.0", "h0.3", "z", "n", "loss", "layers.1.neurons.0.b"):
        assert f">{label}</text>" in svg
    assert files_outside(tmp_path) == []


def test_demo_without_graphviz_writes_the_dot_source_and_one_note(tmp_path: Path) -> None:
    empty = tmp_path / "empty-path"
    empty.mkdir()
    result = run(tmp_path, "demo", "--out", "out", path=str(empty))
    assert result.returncode == 0, result.stderr
    notes = result.stderr.strip().splitlines()
    assert len(notes) == 1 and notes[0].startswith("note: "), result.stderr
    assert "Graphviz" in notes[0]
    written = tmp_path / "out" / "graph-one-example.dot"
    assert f"  {Path('out') / 'graph-one-example.dot'}\n" in result.stdout
    assert written.read_text(encoding="utf-8").startswith("digraph")
    assert not (tmp_path / "out" / "graph-one-example.svg").exists()
    assert files_outside(tmp_path) == []


def test_demo_fails_when_even_the_central_check_fails(tmp_path: Path) -> None:
    """With h = 1 the central difference's h**2 error is far above 1e-5: a failed check."""
    result = run(tmp_path, "demo", "--h", "1", "--format", "dot", "--out", "out")
    assert result.returncode == 1
    assert "central: FAILS" in result.stdout
    assert "try --h 1e-4" in result.stdout


def test_demo_is_reproducible_and_its_seed_changes_the_data(tmp_path: Path) -> None:
    first = run(tmp_path, "demo", "--seed", "3", "--format", "dot", "--out", "out")
    again = run(tmp_path, "demo", "--seed", "3", "--format", "dot", "--out", "out")
    other = run(tmp_path, "demo", "--seed", "4", "--format", "dot", "--out", "out")
    assert first.returncode == again.returncode == other.returncode == 0
    assert first.stdout == again.stdout
    assert first.stdout != other.stdout


def test_demo_options_change_what_it_shows(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        *("demo", "--dataset", "xor", "--n", "8", "--hidden", "3,2", "--rows", "2"),
        *("--h", "1e-4", "--format", "dot", "--out", "nested/folder"),
    )
    assert result.returncode == 0, result.stderr
    assert "xor: 8 points, 4 of class 0 and 4 of class 1" in result.stdout
    assert "MLP(2, [3, 2, 1], activation='tanh'): 20 parameters" in result.stdout
    assert "h = 0.0001" in result.stdout
    assert "(first 2 of 8 examples; the means use all; --rows shows more)" in result.stdout
    assert (tmp_path / "nested" / "folder" / "graph-one-example.dot").exists()
    assert files_outside(tmp_path, "nested/folder") == []


# --- graph -------------------------------------------------------------------------------


def test_graph_gives_the_lecture_neurons_gradients(tmp_path: Path) -> None:
    """The lecture's neuron: o = tanh(n) with n = 0.8814, so o = 1/sqrt(2) and 1 - o**2 = 1/2.

    do/dx_i = w_i / 2 and do/dw_i = x_i / 2. The command prints 10 significant
    digits, so the comparison allows a relative 1e-9.
    """
    variables = [argument for pair in LECTURE_VARIABLES for argument in ("--var", pair)]
    result = run(tmp_path, "graph", LECTURE_NEURON, *variables, "--out", "out")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert f"{LECTURE_NEURON} = 0.7071067812" in result.stdout
    expected = {"x1": -1.5, "x2": 0.5, "w1": 1.0, "w2": 0.0, "b": 0.5}
    printed = gradients(result.stdout)
    assert printed.keys() == expected.keys()
    for name, value in expected.items():
        assert math.isclose(printed[name], value, rel_tol=1e-9, abs_tol=1e-12), name
    assert (tmp_path / "out" / "graph.svg").read_text(encoding="utf-8").startswith("<?xml")
    assert f"graph: {Path('out') / 'graph.svg'}" in result.stdout
    assert files_outside(tmp_path) == []


def test_graph_name_format_and_an_expression_starting_with_minus(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        *("graph", "--var", "x=2", "--format", "dot", "--name", "negated", "--out", "out"),
        *("--", "-x*3"),
    )
    assert result.returncode == 0, result.stderr
    assert gradients(result.stdout) == {"x": -3.0}
    assert (tmp_path / "out" / "negated.dot").read_text(encoding="utf-8").startswith("digraph")


BAD_EXPRESSIONS = [
    # (expression, --var values, a fragment of the message)
    ("pi * x", ["x=1"], "no value for pi; give one with --var pi=1.0"),
    ("sin(x)", ["x=1"], "unknown function 'sin'"),
    ("x.real", ["x=1"], "unsupported syntax 'x.real'"),
    ("x[0]", ["x=1"], "unsupported syntax 'x[0]'"),
    ("lambda: x", ["x=1"], "unsupported syntax 'lambda: x'"),
    ("x < 1", ["x=1"], "unsupported syntax 'x < 1'"),
    ("x if x else 1", ["x=1"], "unsupported syntax"),
    ("[x]", ["x=1"], "unsupported syntax"),
    ('__import__("os")', ["x=1"], "unknown function '__import__'"),
    ('__import__("os").system("touch hacked")', ["x=1"], "unsupported syntax"),
    ("x @ x", ["x=1"], "unsupported syntax"),
    ("'a' * x", ["x=1"], "unsupported syntax"),
    ("True * x", ["x=1"], "True is not a number"),
    ("exp(x, x)", ["x=1"], "exp() takes exactly one argument"),
    ("x * w", ["x=1"], "no value for w"),
    ("log(x)", ["x=-1"], "log"),
    ("sqrt(x)", ["x=-1"], "sqrt"),
    ("x / 0", ["x=1"], "division by zero"),
    ("x / (x - x)", ["x=1"], "division by zero"),
    ("exp(x)", ["x=1000"], "overflow"),
    ("x * (-8) ** (1/3)", ["x=1"], "is not a real number"),
    ("x +", ["x=1"], "cannot parse 'x +'"),
    ("", ["x=1"], "cannot parse"),
    ("1 + 2", [], "uses no variable"),
    ("(" * 300 + "x" + ")" * 300, ["x=1"], "cannot parse"),
    ("+".join(["x"] * 999), ["x=1"], "nested too deeply"),
    ("+".join(["x*2"] * 400), ["x=1"], "more than the 1,000 a readable picture holds"),
    ("x * 1" + "0" * 400, ["x=1"], "is too large"),
]


@pytest.mark.parametrize(("expression", "values", "fragment"), BAD_EXPRESSIONS)
def test_graph_rejects_bad_expressions_in_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    expression: str,
    values: list[str],
    fragment: str,
) -> None:
    variables = [argument for value in values for argument in ("--var", value)]
    result = call(tmp_path, monkeypatch, capsys, "graph", expression, *variables, "--out", "out")
    assert_one_line_error(result, "tinygrad-edu graph: error:", fragment)
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []  # nothing written, nothing run


def test_the_command_reports_bad_input_in_one_line(tmp_path: Path) -> None:
    """A few of the cases above through the real command: exit code 2, one line, no traceback."""
    cases = [
        (["graph", "sin(x)", "--var", "x=1"], "unknown function 'sin'"),
        (["graph", "x.real", "--var", "x=1"], "unsupported syntax 'x.real'"),
        (["graph", "log(x)", "--var", "x=-1"], "log"),
        (["graph", "x * 2", "--var", "x=abc"], "the value of x must be a number"),
        (["graph", "x +", "--var", "x=1"], "cannot parse"),
        (["demo", "--n", "1"], "expected a number >= 2, got 1"),
        (["lesson"], "invalid choice: 'lesson'"),
    ]
    for arguments, fragment in cases:
        result = run(tmp_path, *arguments)
        assert_one_line_error(result, fragment)
        assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("arguments", "fragment"),
    [
        (["--var", "x=abc"], "the value of x must be a number, got 'abc'"),
        (["--var", "x=nan"], "the value of x must be a finite number"),
        (["--var", "x=inf"], "the value of x must be a finite number"),
        (["--var", "x"], "expected NAME=NUMBER"),
        (["--var", "2x=1"], "expected NAME=NUMBER"),
        (["--var", "exp=1"], "'exp' is a function name"),
        # names Python reads as a function's (NFKC): mathematical italic, fullwidth letters
        (["--var", "\U0001d452\U0001d465\U0001d45d=1"], "is read as 'exp', a function name"),
        (["--var", "\uff54\uff41\uff4e\uff48=1"], "is read as 'tanh', a function name"),
        (["--var", "x=1", "--var", "x=2"], "--var x= is given twice"),
        (["--var", "x=1", "--name", "../outside"], "expected a plain file name"),
        (["--var", "x=1", "--name", "/tmp/outside"], "expected a plain file name"),
        (["--var", "x=1", "--format", "gif"], "invalid choice: 'gif'"),
    ],
)
def test_graph_rejects_bad_variables_and_options_in_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    fragment: str,
) -> None:
    result = call(tmp_path, monkeypatch, capsys, "graph", "x * 2", *arguments, "--out", "out")
    assert_one_line_error(result, fragment)
    assert list(tmp_path.iterdir()) == []


def test_an_out_that_is_a_file_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("not a folder", encoding="utf-8")
    result = run(tmp_path, "graph", "x", "--var", "x=1", "--out", "taken")
    assert_one_line_error(result, "cannot use --out 'taken' as a directory")
    assert (tmp_path / "taken").read_text(encoding="utf-8") == "not a folder"


def test_a_bad_out_fails_before_the_work_and_a_good_one_is_made_only_when_used(
    tmp_path: Path,
) -> None:
    """The demo checks --out first: no lesson is printed for a folder it cannot write."""
    (tmp_path / "taken").write_text("not a folder", encoding="utf-8")
    result = run(tmp_path, "demo", "--out", "taken/inside")
    assert_one_line_error(result, "cannot use --out 'taken/inside' as a directory")
    assert result.stdout == ""
    bad = run(tmp_path, "graph", "log(x)", "--var", "x=-1", "--out", "new/deeper")
    assert bad.returncode == 2
    assert not (tmp_path / "new").exists()  # checked, then taken back: nothing to write


# --- race --------------------------------------------------------------------------------

RACE = ("race", "--n", "16", "--hidden", "4", "--warmup", "30", "--epochs", "6", "--seed", "0")


def race_rows(stdout: str) -> list[tuple[int, float, float, float, float]]:
    """(epoch, MSE, MSE accuracy, cross-entropy, its accuracy) for each row of the table."""
    pattern = r"^\s*(\d+) \|\s+(\S+)\s+(\d+)%\s+\S+ \|\s+(\S+)\s+(\d+)%\s+\S+$"
    return [
        (int(epoch), float(mse), int(mse_accuracy) / 100, float(ce), int(ce_accuracy) / 100)
        for epoch, mse, mse_accuracy, ce, ce_accuracy in re.findall(pattern, stdout, re.M)
    ]


def test_race_shows_cross_entropy_leaving_the_saturated_region_sooner(tmp_path: Path) -> None:
    result = run(tmp_path, *RACE, "--out", "out")
    assert result.returncode == 0, result.stderr
    rows = race_rows(result.stdout)
    assert [row[0] for row in rows] == list(range(7))
    # Both start from the same confidently wrong network, its sigmoid saturated
    # (sigmoid'(z) is 0.25 at most; the mean slope is less than a fifth of that)...
    assert rows[0][2] == rows[0][4] < 0.5
    match = re.search(r"mean sigmoid'\(z\) = (\S+)", result.stdout)
    assert match is not None and float(match.group(1)) < 0.05
    # ...and cross-entropy is the one that gets out of it.
    assert "cross-entropy: accuracy >= 80% at epoch" in result.stdout
    assert "mse: accuracy >= 80% not within 6 epochs" in result.stdout
    assert max(row[4] for row in rows) >= 0.8 > max(row[2] for row in rows)
    assert "MSE had not after 6" in result.stdout
    assert is_png(tmp_path / "out" / "race.png")
    assert f"curves: {Path('out') / 'race.png'}" in result.stdout
    assert files_outside(tmp_path) == []


def test_race_without_matplotlib_prints_the_table_only(tmp_path: Path) -> None:
    result = run(tmp_path, *RACE, "--out", "out", program=WITHOUT_MATPLOTLIB)
    assert result.returncode == 0, result.stderr
    assert len(race_rows(result.stdout)) == 7
    assert "curves:" not in result.stdout
    notes = result.stderr.strip().splitlines()
    assert len(notes) == 1 and notes[0].startswith("note: matplotlib is not installed"), notes
    assert "tinygrad_edu[plot]" in notes[0]
    assert list(tmp_path.iterdir()) == []


# --- gradcheck ---------------------------------------------------------------------------


def test_gradcheck_central_passes(tmp_path: Path) -> None:
    result = run(tmp_path, "gradcheck", "--n", "8", "--seed", "2")
    assert result.returncode == 0, result.stdout
    assert "PASSED" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_gradcheck_with_the_lessons_forward_check_fails(tmp_path: Path) -> None:
    """The lesson's check: forward difference, h = 0.001, |error| < 1e-5 (atol 1e-5, rtol 0)."""
    result = run(
        tmp_path, "gradcheck", "--n", "8", "--method", "forward", "--atol", "1e-5", "--rtol", "0"
    )
    assert result.returncode == 1, result.stdout
    assert "FAILED" in result.stdout
    assert "h/2*|f''|" in result.stdout


def test_gradcheck_all_shows_every_parameter(tmp_path: Path) -> None:
    names = [name for name, _ in MLP(2, [4, 1]).named_parameters()]
    summary = run(tmp_path, "gradcheck", "--n", "8", "--loss", "mse")
    every = run(tmp_path, "gradcheck", "--n", "8", "--loss", "mse", "--all")
    assert summary.returncode == every.returncode == 0
    assert "--all shows all" in summary.stdout
    assert sum(name + " " in summary.stdout for name in names) < len(names)
    rows = [line.split()[0] for line in every.stdout.splitlines() if line.startswith("layers.")]
    assert rows == names


# --- landscape ---------------------------------------------------------------------------


def test_landscape_arrow_agrees_with_finite_differences_and_draws(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        *("landscape", "--n", "10", "--grid", "6", "--steps", "4", "--seed", "1", "--out", "out"),
    )
    assert result.returncode == 0, result.stderr
    match = re.search(r"cosine with the arrow = (\S+)", result.stdout)
    assert match is not None, result.stdout
    cosine = float(match.group(1))
    assert cosine >= 0.999
    assert "to lower the loss fastest," in result.stdout
    assert "4 SGD steps on a and b" in result.stdout
    assert is_png(tmp_path / "out" / "landscape.png")
    assert f"picture: {Path('out') / 'landscape.png'}" in result.stdout
    assert files_outside(tmp_path) == []


@pytest.mark.parametrize(
    ("weights", "fragment"),
    [
        (["layers.9.w", "layers.0.neurons.0.b"], "no weight named 'layers.9.w'"),
        (["layers.0.neurons.0.b", "layers.0.neurons.0.b"], "two different names"),
    ],
)
def test_landscape_rejects_bad_weight_names(
    tmp_path: Path, weights: list[str], fragment: str
) -> None:
    result = run(tmp_path, "landscape", "--n", "4", "--grid", "2", "--weights", *weights)
    assert_one_line_error(result, fragment)
    assert list(tmp_path.iterdir()) == []


# --- check-rules -------------------------------------------------------------------------


def test_check_rules_passes_on_the_real_rules(tmp_path: Path) -> None:
    result = run(tmp_path, "check-rules", "--examples", "5", "--seed", "1")
    assert result.returncode == 0, result.stdout
    assert re.search(r"all \d+ rules passed", result.stdout)
    assert list(tmp_path.iterdir()) == []


def test_check_rules_fails_on_a_broken_rule(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        *("check-rules", "--examples", "10", "--op", "tanh", "--op", "exp"),
        program=WITH_BROKEN_TANH,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    table = {line.split()[0]: line.split()[-1] for line in result.stdout.splitlines()[1:3]}
    assert table == {"exp": "pass", "tanh": "FAIL"}
    assert "1 of 2 rules FAILED" in result.stdout


def test_check_rules_rejects_an_unknown_op(tmp_path: Path) -> None:
    assert_one_line_error(run(tmp_path, "check-rules", "--op", "sin"), "unknown op 'sin'")


# --- every subcommand ---------------------------------------------------------------------


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_exits_0(tmp_path: Path, command: str) -> None:
    result = run(tmp_path, *([command] if command else []), "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: tinygrad-edu")
    assert "--seed" in result.stdout or not command


@pytest.mark.parametrize(
    "command",
    [["gradcheck", "--n", "6", "--hidden", "2"], ["check-rules", "--examples", "3", "--op", "exp"]],
)
def test_the_seed_reproduces_a_run_and_another_seed_changes_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    first = call(tmp_path, monkeypatch, capsys, *command, "--seed", "3")
    again = call(tmp_path, monkeypatch, capsys, *command, "--seed", "3")
    other = call(tmp_path, monkeypatch, capsys, *command, "--seed", "4")
    assert first.returncode == again.returncode == other.returncode == 0, first.stdout
    assert first.stdout == again.stdout
    assert first.stdout != other.stdout


def test_the_seed_of_graph_is_documented_as_having_no_effect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every command takes --seed; an expression has no randomness, and its help says so."""
    arguments = ("graph", "x * 3", "--var", "x=2", "--format", "dot", "--out", "out")
    one = call(tmp_path, monkeypatch, capsys, *arguments, "--seed", "1")
    two = call(tmp_path, monkeypatch, capsys, *arguments, "--seed", "2")
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout
    help_text = call(tmp_path, monkeypatch, capsys, "graph", "--help").stdout
    assert re.search(r"--seed SEED\s+no effect: an expression has no randomness", help_text)


@pytest.mark.parametrize(
    ("arguments", "fragment"),
    [
        ([], "the following arguments are required: COMMAND"),
        (["lesson"], "invalid choice: 'lesson'"),
        (["demo", "--hidden", "4,x"], "expected hidden layer sizes separated by commas"),
        (["demo", "--hidden", "0"], "every layer size must be >= 1"),
        (["demo", "--n", "1"], "expected a number >= 2, got 1"),
        (["demo", "--h", "0"], "expected a finite number > 0"),
        (["demo", "--dataset", "spirals"], "invalid choice: 'spirals'"),
        (["demo", "--noise", "-1"], "expected a finite number >= 0"),
        (["demo", "--seed", "one"], "invalid int value: 'one'"),
        (["race", "--target", "2"], "expected a finite number >= 0 and <= 1"),
        (["race", "--lr", "nan"], "expected a finite number > 0"),
        (["gradcheck", "--atol", "-1"], "expected a finite number >= 0"),
        (["landscape", "--grid", "1"], "expected a number >= 2, got 1"),
        (["check-rules", "--examples", "0"], "expected a number >= 1, got 0"),
    ],
)
def test_bad_usage_exits_2_in_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    fragment: str,
) -> None:
    result = call(tmp_path, monkeypatch, capsys, *arguments)
    assert_one_line_error(result, fragment, "--help")
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("arguments", "fragment"),
    [
        (["gradcheck", "--n", "4", "--h", "1e-300"], "try the default --h 1e-3"),
        (["demo", "--noise", "1e308", "--format", "dot"], "try the default --h"),
        (["landscape", "--n", "4", "--grid", "2", "--noise", "1e308"], "try a smaller --lr"),
        (["race", "--activation", "relu", "--lr", "1e100", "--epochs", "4", "--n", "10"],
         "training diverged: try a smaller --lr"),
    ],
)
def test_numbers_broken_by_the_options_are_one_line_errors(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    fragment: str,
) -> None:
    """An h too small to move a weight, or points so far apart that the loss is NaN."""
    writes = arguments[0] != "gradcheck"  # gradcheck only prints, so it has no --out
    result = call(tmp_path, monkeypatch, capsys, *arguments, *(["--out", "out"] if writes else []))
    assert_one_line_error(result, fragment)
    assert list(tmp_path.iterdir()) == []


def test_main_returns_exit_codes_instead_of_exiting(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--n", "1"]) == 2
    assert main(["graph", "--help"]) == 0
    assert "usage: tinygrad-edu graph" in capsys.readouterr().out


# --- the language ------------------------------------------------------------------------------

NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?%?")
SAME_SEED_RUNS = [
    ["demo", "--n", "6", "--hidden", "2", "--format", "dot", "--out", "out"],
    ["graph", "tanh(w*x + b)", "--var", "w=-3", "--var", "x=2", "--var", "b=6.88", "--format",
     "dot", "--out", "out"],
    ["race", "--n", "10", "--hidden", "3", "--warmup", "10", "--epochs", "3", "--out", "out"],
    ["gradcheck", "--n", "4", "--hidden", "2", "--method", "forward"],
    ["landscape", "--n", "6", "--grid", "3", "--steps", "2", "--out", "out"],
    ["check-rules", "--examples", "3", "--op", "tanh", "--op", "log"],
]  # fmt: skip


def numbers_in(output: str) -> list[str]:
    """Every number printed, in order; paths are left out (their folder names differ)."""
    return NUMBER.findall(re.sub(r"\S*out/\S*", "", output))


@pytest.mark.parametrize("arguments", SAME_SEED_RUNS, ids=lambda arguments: arguments[0])
def test_portuguese_and_english_print_the_same_numbers(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
) -> None:
    english = call(tmp_path, monkeypatch, capsys, *arguments, "--lang", "en")
    portuguese = call(tmp_path, monkeypatch, capsys, *arguments, "--lang", "pt")
    assert english.returncode == portuguese.returncode, english.stderr + portuguese.stderr
    assert english.stderr == portuguese.stderr == ""
    assert english.stdout != portuguese.stdout  # the words differ...
    assert numbers_in(english.stdout) == numbers_in(portuguese.stdout)  # ...the numbers do not
    assert len(numbers_in(english.stdout)) >= 4


def test_the_demo_in_portuguese_keeps_the_lessons_accents(tmp_path: Path) -> None:
    result = run(tmp_path, "demo", "--lang", "pt", "--format", "dot", "--out", "out")
    assert result.returncode == 0, result.stderr
    for phrase in (
        "pontos 2D sintéticos com classes 0/1",
        '"A diferença deve ser < 1e-05"',
        "MSE para regressão, Cross-Entropy\npara classificação",
        "diferença progressiva",
        "Veredito contra 1e-05",
        "O nó 'dot' é a soma ponderada do neurônio",
    ):
        assert phrase in result.stdout, phrase
    assert "0,1066" not in result.stdout  # numbers keep the decimal point
    assert "1.15e-04" in result.stdout


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"TINYGRAD_EDU_LANG": "pt"}, "uso: "),
        ({"TINYGRAD_EDU_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "pt_BR"}, "uso: "),
        ({"TINYGRAD_EDU_LANG": "", "LC_ALL": "C", "LANG": "pt_BR.UTF-8"}, "usage: "),
        ({"TINYGRAD_EDU_LANG": "en", "LANG": "pt_BR.UTF-8"}, "usage: "),
    ],
)
def test_the_language_follows_the_variable_then_the_locale(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    environment: dict[str, str],
    expected: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert main(["gradcheck", "--help"]) == 0
    assert capsys.readouterr().out.startswith(expected + "tinygrad-edu gradcheck")
    assert main(["gradcheck", "--help", "--lang", "en" if expected == "uso: " else "pt"]) == 0
    assert not capsys.readouterr().out.startswith(expected)  # --lang wins


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_in_portuguese_translates_argparses_own_words(tmp_path: Path, command: str) -> None:
    result = run(tmp_path, *([command] if command else []), "--help", "--lang", "pt")
    assert result.returncode == 0
    assert result.stdout.startswith("uso: tinygrad-edu")
    assert "opções:" in result.stdout
    assert "mostra esta mensagem de ajuda e sai" in result.stdout
    for english in ("usage:", "options:", "show this help", "positional arguments"):
        assert english not in result.stdout
    assert "--lang {pt,en}" in result.stdout


@pytest.mark.parametrize(
    ("arguments", "fragment"),
    [
        ([], "estes argumentos são obrigatórios: COMMAND"),
        (["lesson"], "escolha inválida: 'lesson'"),
        (["demo", "--n", "1"], "argumento --n: esperava um número >= 2, recebi 1"),
        (["demo", "--seed", "one"], "valor int inválido: 'one'"),
        (["demo", "--h"], "argumento --h: esperava um valor"),
        (["demo", "--nope"], "argumentos não reconhecidos: --nope"),
        (["demo", "--h", "0,001"], "escreva decimais com ponto, como o Python lê: 0.001"),
        (["graph", "x", "--var", "w=-3,5"], "escreva decimais com ponto, como o Python lê: -3.5"),
        (["graph", "sin(x)", "--var", "x=1"], "função desconhecida 'sin'"),
        (["graph", "log(x)", "--var", "x=-1"], "a conta falhou: "),
    ],
)
def test_errors_in_portuguese_are_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    fragment: str,
) -> None:
    result = call(tmp_path, monkeypatch, capsys, *arguments, "--lang", "pt")
    assert_one_line_error(result, fragment, word="erro:")


def test_a_decimal_comma_in_english_says_to_use_a_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    result = call(tmp_path, monkeypatch, capsys, "graph", "w", "--var", "w=-3,5", "--lang", "en")
    assert_one_line_error(result, "write decimals with a point, as Python reads them: -3.5")


@pytest.mark.parametrize(
    ("arguments", "environment"),
    [
        (["--lang", "xx", "demo"], {}),
        (["demo", "--lang=de"], {}),
        (["demo"], {"TINYGRAD_EDU_LANG": "fr"}),
    ],
)
def test_an_unknown_language_is_a_one_line_error_listing_the_choices(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    environment: dict[str, str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TINYGRAD_EDU_LANG", environment.get("TINYGRAD_EDU_LANG", "en"))
    code = main(arguments)
    captured = capsys.readouterr()
    result = subprocess.CompletedProcess(arguments, code, captured.out, captured.err)
    assert_one_line_error(result, "unknown language", "choose one of: pt, en")
    assert list(tmp_path.iterdir()) == []


def test_graph_marks_parameters_and_draws_the_legend_in_the_chosen_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ("graph", "w * x + b", "--var", "w=2", "--var", "x=3", "--var", "b=1",
                 "--param", "w", "--param", "b", "--format", "dot", "--out", "out")  # fmt: skip
    plain = call(tmp_path, monkeypatch, capsys, *arguments[:8], "--format", "dot", "--out", "p")
    marked = call(tmp_path, monkeypatch, capsys, *arguments, "--legend", "--lang", "pt")
    assert plain.returncode == marked.returncode == 0
    plain_dot = (tmp_path / "p" / "graph.dot").read_text(encoding="utf-8")
    dot = (tmp_path / "out" / "graph.dot").read_text(encoding="utf-8")
    assert plain_dot.count("Mrecord") == 0 and "cluster_legend" not in plain_dot
    assert dot.count("shape=Mrecord") == 3  # w and b, and the legend's own example
    assert "como ler este grafo" in dot and "parâmetro (peso ou viés" in dot
    wrong = call(tmp_path, monkeypatch, capsys, *arguments[:8], "--param", "v", "--out", "q")
    assert_one_line_error(wrong, "--param v: there is no variable v")


def test_the_demo_says_rounding_not_curvature_when_h_is_tiny(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tiny = call(tmp_path, monkeypatch, capsys, "demo", "--h", "1e-9", "--format", "dot",
                "--out", "out", "--lang", "pt")  # fmt: skip
    usual = call(tmp_path, monkeypatch, capsys, "demo", "--format", "dot", "--out", "out")
    assert "o erro que sobra já não é a curvatura: é o arredondamento" in tiny.stdout
    assert "no longer curvature" not in usual.stdout
    assert "the forward difference also measures the curvature" in usual.stdout


def test_the_race_on_blobs_moves_mse_off_its_start(tmp_path: Path) -> None:
    """A fixed flip factor once left blobs at MSE 1.0000 and 0% in every epoch."""
    result = run(tmp_path, "race", "--dataset", "blobs", "--epochs", "6", "--out", "out")
    assert result.returncode == 0, result.stderr
    rows = race_rows(result.stdout)
    assert rows[0][1] < 1.0 and rows[-1][1] < rows[0][1]
    assert max(row[4] for row in rows) == 1.0


# --- explore, torch, code ----------------------------------------------------------------------


def test_explore_prints_its_url_first_serves_the_page_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    import signal
    import urllib.request

    process = subprocess.Popen(
        [sys.executable, "-m", "tinygrad_edu", "explore", "--no-browser", "--port", "0"],
        cwd=tmp_path, env={**os.environ, "TINYGRAD_EDU_LANG": "en"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url), url
        with urllib.request.urlopen(url, timeout=10) as page:
            assert page.status == 200
            assert b"<html" in page.read()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert "stopped" in out.lower() or "stop" in out.lower()


def test_explore_on_a_taken_port_is_a_one_line_error(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(tmp_path, "explore", "--no-browser", "--port", str(port))
    assert_one_line_error(result, str(port))


def test_explore_rejects_a_bad_model_in_one_line(tmp_path: Path) -> None:
    result = run(tmp_path, "explore", "--no-browser", "--n", "100000")
    assert_one_line_error(result, "100000")


def test_torch_agrees_with_pytorch_on_the_demo(tmp_path: Path) -> None:
    from conftest import require

    require("torch", extra="torch")
    result = run(tmp_path, "torch", "--n", "6", "--hidden", "2")
    assert result.returncode == 0, result.stderr
    assert "agree with PyTorch" in result.stdout.splitlines()[-1]
    assert "mse" in result.stdout.lower()


HIDE_TORCH = WITHOUT_MATPLOTLIB.replace('"matplotlib', '"torch')


def test_torch_without_torch_names_the_extra_in_one_line(tmp_path: Path) -> None:
    result = run(tmp_path, "torch", program=HIDE_TORCH)
    assert_one_line_error(result, "pip install 'tinygrad_edu[torch]'")


def test_code_prints_the_lecture_neuron_and_an_expression(tmp_path: Path) -> None:
    lecture = run(tmp_path, "code")
    assert lecture.returncode == 0, lecture.stderr
    assert "def replay(" in lecture.stdout
    assert "x1*w1 + x2*w2 + b" in lecture.stdout
    mine = run(tmp_path, "code", "x*w + 1", "--var", "x=2", "--var", "w=3", "--lang", "pt")
    assert mine.returncode == 0, mine.stderr
    assert "regra da cadeia" in mine.stdout
    assert "x1" not in mine.stdout
    compile(mine.stdout, "<code>", "exec")  # what it prints is Python
    assert list(tmp_path.iterdir()) == []  # it writes no file


def test_code_rejects_bad_expressions_as_graph_does(tmp_path: Path) -> None:
    assert_one_line_error(run(tmp_path, "code", "__import__('os')"))
    assert_one_line_error(run(tmp_path, "code", "x + y", "--var", "x=1"), "y")
