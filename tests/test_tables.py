"""The HTML tables that notebooks show for reports: escaped, aligned, statuses worded."""

from __future__ import annotations

import pytest

from tinygrad_edu.tables import FAILED_COLOUR, PASSED_COLOUR, html_table


def test_every_cell_and_heading_is_escaped() -> None:
    table = html_table(["<b>name</b>"], [["<script>alert(1)</script>"]], caption="a & b")
    assert "<script>" not in table and "<b>" not in table
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in table
    assert "&lt;b&gt;name&lt;/b&gt;" in table
    assert "<caption>a &amp; b</caption>" in table


def test_numbers_are_right_aligned_and_text_is_not() -> None:
    table = html_table(["a", "b"], [["w", 1.5]])
    assert "<td>w</td>" in table
    assert '<td style="text-align:right">1.5</td>' in table


def test_statuses_add_a_coloured_worded_column() -> None:
    table = html_table(["x"], [[1], [2]], statuses=[True, False], status_words=("ok", "falhou"))
    assert f'<td style="background:{PASSED_COLOUR}">ok</td>' in table
    assert f'<td style="background:{FAILED_COLOUR}">falhou</td>' in table
    assert table.count("<tr>") == 3  # heading and two rows


def test_a_status_per_row_is_required() -> None:
    with pytest.raises(ValueError, match="1 statuses for 2 rows"):
        html_table(["x"], [[1], [2]], statuses=[True])
