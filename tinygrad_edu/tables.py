"""Reports as HTML tables for notebooks (`_repr_html_`); imports nothing of the package.

Every cell is escaped, so a label such as ``<script>`` shows as text. A row may
carry a status, ``True`` (passed) or ``False`` (failed), shown as a coloured
cell with a word beside the colour, so the table reads without colour too.

>>> table = html_table(["name", "value"], [["w<1>", 0.5]], statuses=[True])
>>> for cell in table.splitlines()[3].split("</td>")[:3]:
...     print(cell + "</td>")
<tr><td>w&lt;1&gt;</td>
<td style="text-align:right">0.5</td>
<td style="background:#d8f0d8">passed</td>
"""

from __future__ import annotations

import html
import numbers
from collections.abc import Sequence

__all__ = ["html_table"]

PASSED_COLOUR = "#d8f0d8"  # pale green
FAILED_COLOUR = "#f6d0d0"  # pale red


def html_table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    statuses: Sequence[bool] | None = None,
    status_words: tuple[str, str] = ("passed", "FAILED"),
    caption: str = "",
) -> str:
    """An escaped HTML table; numbers are right-aligned, statuses coloured and worded.

    `statuses`, when given, has one bool per row and adds a last column with
    `status_words[0]` (True) or `status_words[1]` (False).
    """
    if statuses is not None and len(statuses) != len(rows):
        raise ValueError(
            f"html_table needs one status per row, got {len(statuses)} statuses "
            f"for {len(rows)} rows"
        )
    heading = [*header, ""] if statuses is not None else list(header)
    lines = ['<table class="tinygrad-edu-table">']
    if caption:
        lines.append(f"<caption>{html.escape(caption)}</caption>")
    lines.append("<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in heading))
    lines[-1] += "</tr></thead>"
    lines.append("<tbody>")
    for index, row in enumerate(rows):
        cells = [_cell(value) for value in row]
        if statuses is not None:
            passed = statuses[index]
            colour = PASSED_COLOUR if passed else FAILED_COLOUR
            word = status_words[0] if passed else status_words[1]
            cells.append(f'<td style="background:{colour}">{html.escape(word)}</td>')
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</tbody>")
    lines.append("</table>")
    return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return f'<td style="text-align:right">{html.escape(str(value))}</td>'
    return f"<td>{html.escape(str(value))}</td>"
