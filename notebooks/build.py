"""Generate the lesson notebooks from their one source, notebooks/src/*.py (jupytext percent).

For each source it writes two notebooks beside this file, without outputs:
- NAME-solucoes.ipynb: every cell as written;
- NAME.ipynb, the student's: in each cell tagged "exercise", the lines between
  "# >>> solução" and "# <<< solução" become one `raise NotImplementedError(...)`
  with a message in Portuguese, at the same indentation.

    python notebooks/build.py           # write the notebooks
    python notebooks/build.py --check   # exit 1 if they differ from the source
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat

HERE = Path(__file__).resolve().parent
BEGIN, END = "# >>> solução", "# <<< solução"
MESSAGE = "Exercício: apague esta linha e escreva a sua resposta aqui."
METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def without_solutions(source: str) -> str:
    lines, inside = [], False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == BEGIN:
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            lines.append(f"{indent}raise NotImplementedError({MESSAGE!r})")
        elif stripped == END:
            inside = False
        elif not inside:
            lines.append(line)
    if inside:
        raise ValueError(f"a cell opens {BEGIN!r} without {END!r}")
    return "\n".join(lines)


def notebooks(source: Path) -> dict[Path, str]:
    """The two notebooks made from one source, as nbformat JSON text by path."""
    solutions = jupytext.read(source, fmt="py:percent")
    solutions.metadata = dict(METADATA)
    for cell in solutions.cells:
        cell.metadata = {key: value for key, value in cell.metadata.items() if key == "tags"}
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    student = nbformat.reads(nbformat.writes(solutions), as_version=4)
    for cell in student.cells:
        if "exercise" in cell.metadata.get("tags", []):
            cell.source = without_solutions(cell.source)
        else:
            cell.source = cell.source.replace(BEGIN + "\n", "").replace(END + "\n", "")
    for cell in solutions.cells:
        lines = [line for line in cell.source.splitlines() if line.strip() not in (BEGIN, END)]
        cell.source = "\n".join(lines)
    for notebook in (solutions, student):
        for index, cell in enumerate(notebook.cells):
            cell.id = f"cell-{index}"
        nbformat.validate(notebook)
    stem = source.stem
    return {
        HERE / f"{stem}-solucoes.ipynb": nbformat.writes(solutions) + "\n",
        HERE / f"{stem}.ipynb": nbformat.writes(student) + "\n",
    }


def main(argv: list[str]) -> int:
    stale = []
    for source in sorted((HERE / "src").glob("*.py")):
        for path, text in notebooks(source).items():
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if current == text:
                continue
            if "--check" in argv:
                stale.append(path.name)
            else:
                path.write_text(text, encoding="utf-8")
                print(f"wrote {path.relative_to(HERE.parent)}")
    if stale:
        print(f"out of date: {', '.join(stale)}; run make notebooks", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
