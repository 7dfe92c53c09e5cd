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
