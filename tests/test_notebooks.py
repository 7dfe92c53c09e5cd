"""The lesson's notebooks and the reports they show: HTML tables, short reprs, pt-BR words."""

from __future__ import annotations

from tinygrad_edu import Value
from tinygrad_edu.gradcheck import gradcheck, nudge
from tinygrad_edu.losses import compare_losses
from tinygrad_edu.tables import FAILED_COLOUR, PASSED_COLOUR


def comparison():  # type: ignore[no-untyped-def]
    return compare_losses(lambda x: Value(x[0]), [(3.0,), (-6.0,), (0.5,)], [1, 1, 0])


def test_loss_comparison_has_a_short_repr_and_a_table_worst_first() -> None:
    result = comparison()
    assert repr(result) == "LossComparison(3 examples, mse=0.461589, cross_entropy=2.34171)"
    page = result.html(lang="pt")
    rows = page.split("<tbody>")[1].split("<tr>")[1:]
    assert [row.split("</td>")[0] for row in rows] == [
        '<td style="text-align:right">1',  # z = -6, target 1: the largest cross-entropy
        '<td style="text-align:right">2',
        '<td style="text-align:right">0',
    ]
    assert "erra" in rows[0] and FAILED_COLOUR in rows[0] and PASSED_COLOUR in rows[2]
    assert "alvo" in page and "os exemplos com a maior cross-entropy primeiro" in page
    assert "target" in result.html(lang="en")


def test_gradcheck_report_table_worst_first_coloured_and_escaped() -> None:
    w, b = Value(0.0, label="<w>"), Value(2.0, label="b")

    def f() -> Value:
        return (1.5 * w - 1) ** 2 + b * b

    report = gradcheck(f, [w, b], method="forward", rtol=0)
    page = report.html(lang="pt")
    assert "&lt;w&gt;" in page and "<w>" not in page
    body = page.split("<tbody>")[1]
    assert body.index("&lt;w&gt;") < body.index(">b<")  # abs error 2.25e-3 before 1e-3
    assert "FALHOU" in page and "erro previsto" in page and "analítica" in page
    assert report._repr_html_() == report.html()


def test_nudge_table_says_the_direction_in_the_language() -> None:
    w = Value(2.0, label="w")
    result = nudge(lambda: w * w, w)
    assert "o loss sobe" in result.html(lang="pt")
    assert "the loss goes up" in result.html(lang="en")
    assert PASSED_COLOUR in result.html(lang="pt")


def test_value_and_mlp_reprs_are_short() -> None:
    from tinygrad_edu.nn import MLP

    assert repr(Value(1.5)) == "Value(data=1.5, grad=0.0)"
    assert repr(MLP(2, [16, 16, 1], seed=0)) == "MLP(2, [16, 16, 1], activation='tanh')"


# --- the notebooks themselves ------------------------------------------------------------

import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402

from conftest import require  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
STUDENT = NOTEBOOKS / "loss-e-derivadas.ipynb"
SOLUTIONS = NOTEBOOKS / "loss-e-derivadas-solucoes.ipynb"
CELL_TIMEOUT = 60  # seconds for one cell; the whole notebook takes a few seconds


def committed(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def execute(path: Path, tmp_path: Path, *, allow_errors: bool) -> Any:
    """Run a notebook in a kernel of this interpreter, with the worktree on its path."""
    nbformat = require("nbformat", extra="notebook")
    nbclient = require("nbclient", extra="notebook")
    require("ipykernel", extra="notebook")
    kernel = tmp_path / "kernels" / "tinygrad-edu-tests"
    kernel.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "tinygrad_edu tests",
        "language": "python",
        "env": {"PYTHONPATH": str(ROOT), "TINYGRAD_EDU_LANG": "pt"},
    }
    (kernel / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    os.environ["JUPYTER_PATH"] = str(tmp_path)
    try:
        notebook = nbformat.read(path, as_version=4)
        client = nbclient.NotebookClient(
            notebook, timeout=CELL_TIMEOUT, kernel_name="tinygrad-edu-tests",
            allow_errors=allow_errors, resources={"metadata": {"path": str(NOTEBOOKS)}},
        )  # fmt: skip
        client.execute()
    finally:
        del os.environ["JUPYTER_PATH"]
    return notebook


def printed(cell: Any) -> str:
    return "".join(output.get("text", "") for output in cell.get("outputs", []))


def test_the_solutions_run_clean_and_every_check_says_right(tmp_path: Path) -> None:
    notebook = execute(SOLUTIONS, tmp_path, allow_errors=False)
    text = "".join(printed(cell) for cell in notebook.cells)
    assert text.count("✅") == 4 and "❌" not in text and "⏳" not in text
    html = [
        output["data"]["text/html"]
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if "text/html" in output.get("data", {})
    ]
    assert any("FALHOU" in page for page in html) and any("o loss sobe" in page for page in html)
    assert any("image/svg+xml" in output.get("data", {}) for c in notebook.cells
               for output in c.get("outputs", []))  # fmt: skip
    assert any("image/png" in output.get("data", {}) for c in notebook.cells
               for output in c.get("outputs", []))  # fmt: skip


def test_the_student_notebook_fails_only_in_the_exercises(tmp_path: Path) -> None:
    notebook = execute(STUDENT, tmp_path, allow_errors=True)
    failing, exercises = [], []
    for index, cell in enumerate(notebook.cells):
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            failing.append(index)
            assert errors[0]["ename"] == "NotImplementedError"
            assert "Exercício" in errors[0]["evalue"]
        if "exercise" in cell.metadata.get("tags", []):
            exercises.append(index)
            assert "ainda não feito" in printed(notebook.cells[index + 1])
    assert failing == exercises and len(exercises) == 4


def test_the_notebooks_are_generated_from_their_source() -> None:
    require("jupytext", extra="notebook")
    result = subprocess.run(
        [sys.executable, str(NOTEBOOKS / "build.py"), "--check"],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", [STUDENT, SOLUTIONS], ids=lambda p: p.name)
def test_committed_notebooks_have_no_outputs(path: Path) -> None:
    for cell in committed(path)["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


UNACCENTED = re.compile(r"\b(funcao|nao|derivadas? analitica|voce|entao|direcao|derivada e a taxa|"
                        r"previsoes|regressao|classificacao|numerica|tambem|ja|ate)\b")  # fmt: skip


@pytest.mark.parametrize("path", [STUDENT, SOLUTIONS], ids=lambda p: p.name)
def test_the_prose_keeps_its_accents(path: Path) -> None:
    prose = "\n".join(
        "".join(cell["source"]) for cell in committed(path)["cells"]
        if cell["cell_type"] == "markdown"
    ).lower()  # fmt: skip
    for word in ("derivada", "função", "gradiente", "direção", " é ", "você", "não"):
        assert word in prose
    assert UNACCENTED.findall(prose) == []


def test_the_code_uses_only_public_names() -> None:
    code = "\n".join(
        "".join(cell["source"]) for cell in committed(SOLUTIONS)["cells"]
        if cell["cell_type"] == "code"
    )  # fmt: skip
    assert re.findall(r"\.\_[a-z]\w*|tinygrad_edu\.\w+\._", code) == []
    assert "float(" not in code and "math." not in code
