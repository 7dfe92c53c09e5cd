"""The documentation cannot rot: its transcripts run, its links resolve, its API reference is whole.

The ```pycon examples in docs/*.md are run by pytest itself (--doctest-glob='*.md');
README.md lies outside pytest's testpaths, so its examples are run here. This file adds:

- command transcripts: each ```console block holds `$ tinygrad-edu ...` lines, each
  followed by the output a reader sees; every command is run (as
  `python -m tinygrad_edu ...`, in a fresh temporary directory, in the page's
  language: TINYGRAD_EDU_LANG=pt for the Portuguese pages of PAGE_LANGUAGES, en
  for the others) and its output compared line by line, trailing spaces ignored.
  A line `...` alone stands for any number of lines. A command must exit 0 unless
  the next command is `echo $?`, whose output line is then the expected exit code;
- links: every relative link and image in docs/*.md and README.md names an existing
  file, and every #anchor an existing heading;
- the API reference, docs/api.md: every public name of every module has a heading in
  its module's section, and every signature written there matches the code's
  (parameter names, kinds and default values).
"""

from __future__ import annotations

import ast
import dataclasses
import doctest
import importlib
import inspect
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = ROOT / "README.md"
API = DOCS / "api.md"
DOCUMENTS = [README, *sorted(DOCS.glob("*.md"))]

FENCE = re.compile(r"^```(\S*)\s*$")
ANY_LINES = "..."
COMMAND_TIMEOUT = 120  # seconds; the slowest transcript takes a few seconds
PAGE_LANGUAGES = {"aula-loss-e-derivadas.md": "pt"}
"""The pages written in Portuguese, whose transcripts show the commands' Portuguese."""


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# --- reading markdown ------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One fenced code block: its language tag, its lines and where it starts."""

    path: Path
    line: int
    language: str
    lines: list[str]


def code_blocks(path: Path) -> list[Block]:
    """The fenced code blocks of a markdown file (``` fences at the start of a line)."""
    blocks: list[Block] = []
    language: str | None = None
    start, lines = 0, list[str]()
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        fence = FENCE.match(text)
        if language is None:
            if fence:
                language, start, lines = fence.group(1), number, []
        elif fence and not fence.group(1):
            blocks.append(Block(path, start, language, lines))
            language = None
        else:
            lines.append(text)
    if language is not None:
        raise ValueError(f"{relative(path)}:{start}: a code block is never closed")
    return blocks


def prose(path: Path, *, keep_code_spans: bool = False) -> str:
    """The file's text with fenced code blocks blanked out, and inline code too
    unless `keep_code_spans` (headings of the API reference are code spans)."""
    kept: list[str] = []
    inside = False
    for text in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(text):
            inside = not inside
            kept.append("")
        elif inside:
            kept.append("")
        else:
            kept.append(text if keep_code_spans else re.sub(r"`[^`]*`", "", text))
    return "\n".join(kept)


def headings(path: Path) -> list[str]:
    """The text of every markdown heading of a file, outside code blocks."""
    return [
        match.group(1).strip()
        for match in re.finditer(r"^#{1,6}\s+(.*)$", prose(path, keep_code_spans=True), re.M)
    ]


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every anchor of a file, numbering repeated headings as GitHub does (-1, -2, ...)."""
    seen: dict[str, int] = {}
    found: set[str] = set()
    for heading in headings(path):
        base = anchor(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


# --- command transcripts -----------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One `$ command` of a transcript and the lines it must print."""

    line: int
    command: list[str]
    expected: list[str]


def transcript(block: Block) -> list[Step]:
    steps: list[Step] = []
    for offset, text in enumerate(block.lines, start=1):
        if text.startswith("$ "):
            steps.append(Step(block.line + offset, shlex.split(text[2:]), []))
        elif steps:
            steps[-1].expected.append(text)
        elif text.strip():
            raise ValueError(
                f"{relative(block.path)}:{block.line + offset}: a console block must start "
                f"with a '$ ' command line, got {text!r}"
            )
    return steps


def transcripts() -> list[Any]:
    return [
        pytest.param(block, id=f"{relative(block.path)}:{block.line}")
        for path in DOCUMENTS
        for block in code_blocks(path)
        if block.language == "console"
    ]


def program_arguments(step: Step, where: str) -> list[str]:
    """The arguments after `tinygrad-edu` or `python -m tinygrad_edu`."""
    command = step.command
    if command[:1] == ["tinygrad-edu"]:
        return command[1:]
    if command[:3] in (["python", "-m", "tinygrad_edu"], ["python3", "-m", "tinygrad_edu"]):
        return command[3:]
    raise ValueError(
        f"{where}: transcripts may run only `tinygrad-edu ...`, `python -m tinygrad_edu ...` "
        f"and `echo $?`, got {shlex.join(command)!r}"
    )


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line; a line `...` alone matches any number of lines (none included)."""
    if not expected:
        return not actual
    if expected[0] == ANY_LINES:
        return any(matches(expected[1:], actual[skip:]) for skip in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])


def normalise(lines: list[str]) -> list[str]:
    """Trailing spaces dropped, and blank lines at either end."""
    stripped = [line.rstrip() for line in lines]
    while stripped and not stripped[-1]:
        stripped.pop()
    while stripped and not stripped[0]:
        stripped.pop(0)
    return stripped


@pytest.mark.parametrize("block", transcripts())
def test_transcript_output_matches(block: Block, tmp_path: Path) -> None:
    """Run each command of the transcript and compare what it prints with the docs."""
    language = PAGE_LANGUAGES.get(block.path.name, "en")
    environment = {
        **os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "80", "TINYGRAD_EDU_LANG": language,
    }
    environment.pop("PYTHONWARNINGS", None)
    last_exit: int | None = None
    checked_exit = True
    for step in transcript(block):
        where = f"{relative(block.path)}:{step.line}"
        if step.command == ["echo", "$?"]:
            assert last_exit is not None, f"{where}: `echo $?` needs a command before it"
            assert normalise(step.expected) == [str(last_exit)], (
                f"{where}: the docs show exit code {step.expected}, the command exited {last_exit}"
            )
            checked_exit = True
            continue
        assert checked_exit, f"{where}: the command before this one exited {last_exit}"
        arguments = program_arguments(step, where)
        run = subprocess.run(
            [sys.executable, "-m", "tinygrad_edu", *arguments],
            cwd=tmp_path,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
        actual = normalise(run.stdout.splitlines())
        expected = normalise(step.expected)
        assert matches(expected, actual), (
            f"{where}: `{shlex.join(step.command)}` printed something else than the docs "
            "show; update the transcript (run it from an empty directory).\n"
            "--- the docs show:\n" + "\n".join(expected) + "\n--- it printed:\n" + "\n".join(actual)
        )
        last_exit, checked_exit = run.returncode, run.returncode == 0
    assert checked_exit, f"{relative(block.path)}: the last command exited {last_exit}"


# Checks of the checker itself, so a transcript cannot pass by accident.


def test_ellipsis_line_matches_any_lines_but_nothing_else() -> None:
    assert matches(["a", ANY_LINES, "d"], ["a", "b", "c", "d"])
    assert matches(["a", ANY_LINES, "b"], ["a", "b"])
    assert not matches(["a", ANY_LINES, "d"], ["a", "b", "c"])
    assert not matches(["a", "b"], ["a", "b", "c"])
    assert not matches(["a ... b"], ["a x b"])


def test_transcript_reads_commands_and_their_output(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "Text.\n\n```console\n$ tinygrad-edu graph 'x*x' --var x=3\nx*x = 9\n\n$ echo $?\n0\n```\n",
        encoding="utf-8",
    )
    (block,) = code_blocks(page)
    steps = transcript(block)
    assert [step.command for step in steps] == [
        ["tinygrad-edu", "graph", "x*x", "--var", "x=3"],
        ["echo", "$?"],
    ]
    assert [normalise(step.expected) for step in steps] == [["x*x = 9"], ["0"]]
    assert steps[0].line == 4
    with pytest.raises(ValueError, match="transcripts may run only"):
        program_arguments(Step(1, ["rm", "-rf", "/"], []), "here")


def test_docs_have_transcripts() -> None:
    """The transcript test above must have something to run."""
    assert len(transcripts()) >= 3


# --- examples ------------------------------------------------------------------------------


def test_readme_examples_run() -> None:
    """README.md's >>> examples, which pytest's doctest collection does not reach."""
    failures, tried = doctest.testfile(
        str(README), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False
    )
    assert tried > 0, "README.md should have a >>> example"
    assert failures == 0, "README.md has failing examples; the doctest report is above"


@pytest.mark.parametrize("path", DOCUMENTS, ids=relative)
def test_examples_are_in_blocks_that_get_run(path: Path) -> None:
    """`>>>` examples go in ```pycon blocks, shell commands in ```console blocks.

    pytest runs every `>>>` line as a doctest whatever the fence says, so this is
    about readers: the tag tells them what to type where. A `$ tinygrad-edu` line
    outside a console block would be shown but never checked.
    """
    for block in code_blocks(path):
        where = f"{relative(path)}:{block.line}"
        has_prompt = any(line.startswith(">>> ") for line in block.lines)
        if block.language == "pycon":
            assert has_prompt, f"{where}: a pycon block with no >>> example is never run"
        else:
            assert not has_prompt, f"{where}: >>> examples belong in a ```pycon block"
        if block.language != "console":
            assert not any(line.startswith("$ tinygrad-edu") for line in block.lines), (
                f"{where}: a `$ tinygrad-edu` transcript belongs in a ```console block, "
                "where it is checked"
            )


# --- links ---------------------------------------------------------------------------------

LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def links(path: Path) -> Iterator[tuple[int, str]]:
    for number, text in enumerate(prose(path).splitlines(), start=1):
        for match in LINK.finditer(text):
            yield number, match.group(1)


@pytest.mark.parametrize("path", DOCUMENTS, ids=relative)
def test_relative_links_point_to_existing_files_and_headings(path: Path) -> None:
    broken = []
    for number, target in links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
            continue
        file_part, _, fragment = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            broken.append(f"{relative(path)}:{number}: {target} (no such file)")
        elif fragment and linked.suffix == ".md" and fragment not in anchors(linked):
            broken.append(f"{relative(path)}:{number}: {target} (no such heading)")
    assert not broken, "broken links:\n" + "\n".join(broken)


def test_anchors_follow_github() -> None:
    assert anchor("Why topological order?") == "why-topological-order"
    assert anchor("`Value.backward(grad=1.0)`") == "valuebackwardgrad10"
    assert anchor("Por que a diferença falha") == "por-que-a-diferença-falha"


# --- the API reference -----------------------------------------------------------------------

MODULES = ["engine", "nn", "losses", "data", "optim", "gradcheck", "viz", "testing", "cli"]
CLI_PUBLIC = ["main", "build_parser", "SUBCOMMANDS"]
"""cli keeps no __all__: these are the names a user may call from Python."""

SECTION = re.compile(r"^## `(tinygrad_edu(?:\.\w+)?)`\s*$")
ENTRY = re.compile(r"^#{3,4} `([\w.]+)(\((.*)\))?`")


@dataclass(frozen=True)
class Entry:
    """A heading of docs/api.md that documents one name, with its signature if written."""

    line: int
    name: str
    parameters: str | None


@dataclass
class Section:
    """One module's part of docs/api.md: its headings and its whole text."""

    entries: list[Entry] = dataclasses.field(default_factory=list)
    text: str = ""


def api_sections() -> dict[str, Section]:
    sections: dict[str, Section] = {}
    current: Section | None = None
    for number, text in enumerate(prose(API, keep_code_spans=True).splitlines(), start=1):
        section = SECTION.match(text)
        if section:
            current = sections.setdefault(section.group(1), Section())
            continue
        if current is None:
            continue
        current.text += text + "\n"
        entry = ENTRY.match(text)
        if entry:
            current.entries.append(Entry(number, entry.group(1), entry.group(3)))
    return sections


def public_names(module: Any) -> list[str]:
    if module.__name__ == "tinygrad_edu.cli":
        return CLI_PUBLIC
    return list(module.__all__)


def documented_members(cls: type) -> list[tuple[str, Any]]:
    """The public methods and properties a class defines itself."""
    return [
        (name, member)
        for name, member in vars(cls).items()
        if not name.startswith("_") and (inspect.isfunction(member) or isinstance(member, property))
    ]


Shape = tuple[tuple[str, str, object], ...]
NO_DEFAULT = "<none>"


def shape_of_code(function: Callable[..., Any]) -> Shape:
    """(name, kind, default) of each parameter, `self` left out."""
    if isinstance(function, property):  # a property called like a method: Value._backward()
        function = function.fget  # type: ignore[assignment]
    parameters = list(inspect.signature(function).parameters.values())
    if parameters and parameters[0].name == "self":
        parameters = parameters[1:]
    return tuple(
        (
            parameter.name,
            parameter.kind.name,
            NO_DEFAULT if parameter.default is inspect.Parameter.empty else parameter.default,
        )
        for parameter in parameters
    )


def shape_of_docs(parameters: str) -> Shape:
    """The same, read from a signature as written in the docs, e.g. `x, h=1e-3, *, name=None`."""
    arguments = ast.parse(f"def documented({parameters}): pass").body[0].args  # type: ignore[attr-defined]
    shape: list[tuple[str, str, object]] = []
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults = [None] * (len(positional) - len(arguments.defaults)) + list(arguments.defaults)
    for index, (argument, default) in enumerate(zip(positional, defaults, strict=True)):
        kind = "POSITIONAL_ONLY" if index < len(arguments.posonlyargs) else "POSITIONAL_OR_KEYWORD"
        value = NO_DEFAULT if default is None else ast.literal_eval(default)
        shape.append((argument.arg, kind, value))
    if arguments.vararg:
        shape.append((arguments.vararg.arg, "VAR_POSITIONAL", NO_DEFAULT))
    for argument, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
        value = NO_DEFAULT if default is None else ast.literal_eval(default)
        shape.append((argument.arg, "KEYWORD_ONLY", value))
    if arguments.kwarg:
        shape.append((arguments.kwarg.arg, "VAR_KEYWORD", NO_DEFAULT))
    return tuple(shape)


def api_problems() -> list[str]:
    """Everything public that docs/api.md leaves out or shows with a wrong signature."""
    sections = api_sections()
    problems: list[str] = []
    for short in ["", *MODULES]:
        module_name = f"tinygrad_edu.{short}" if short else "tinygrad_edu"
        module = importlib.import_module(module_name)
        section = sections.get(module_name)
        if section is None:
            problems.append(f"no section '## `{module_name}`'")
            continue
        by_name = {entry.name: entry for entry in section.entries}
        for name in public_names(module):
            member = getattr(module, name)
            defined_here = getattr(member, "__module__", module_name) == module_name
            if inspect.ismodule(member) or not defined_here:
                if f"`{name}`" not in section.text and f"`{name}(" not in section.text:
                    problems.append(f"{module_name}: `{name}` is never mentioned")
                continue
            if name not in by_name:
                problems.append(f"{module_name}: no heading '### `{name}...`'")
                continue
            problems += signature_problems(module_name, by_name[name], member)
            if inspect.isclass(member):
                for member_name, attribute in documented_members(member):
                    qualified = f"{name}.{member_name}"
                    if qualified not in by_name:
                        problems.append(f"{module_name}: no heading '#### `{qualified}...`'")
                    elif inspect.isfunction(attribute):
                        problems += signature_problems(module_name, by_name[qualified], attribute)
        for entry in section.entries:
            try:
                target: Any = module
                for part in entry.name.split("."):
                    target = getattr(target, part)
            except AttributeError:
                problems.append(f"api.md:{entry.line}: {module_name} has no `{entry.name}`")
                continue
            problems += signature_problems(module_name, entry, target)
    return sorted(set(problems))


def signature_problems(module_name: str, entry: Entry, target: Any) -> list[str]:
    where = f"api.md:{entry.line}: {module_name}.{entry.name}"
    is_record = dataclasses.is_dataclass(target) or (
        inspect.isclass(target) and issubclass(target, BaseException)
    )
    if entry.parameters is None:
        if callable(target) and not is_record and not isinstance(target, type(sys)):
            return [f"{where}: write its signature in the heading"]
        return []
    if not callable(target) and not isinstance(target, property):
        return [f"{where}: it is not callable, so the heading should show no signature"]
    try:
        documented = shape_of_docs(entry.parameters)
    except (SyntaxError, ValueError) as error:
        return [f"{where}: cannot read the signature ({error})"]
    actual = shape_of_code(target)
    if documented != actual:
        return [f"{where}: the docs say {documented}, the code has {actual}"]
    return []


def test_api_reference_covers_every_public_name_with_its_signature() -> None:
    problems = api_problems()
    assert not problems, "docs/api.md is out of date:\n" + "\n".join(problems)


def test_signature_reader_sees_kinds_and_defaults() -> None:
    def example(a: int, b: float = 1e-3, *rest: int, c: str = "x", **options: Any) -> None:
        return None

    assert shape_of_docs("a, b=0.001, *rest, c='x', **options") == shape_of_code(example)
    assert shape_of_docs("a, b=1e-3, *, c='x'") != shape_of_code(example)
    assert shape_of_docs("a, b=1e-2, *rest, c='x', **options") != shape_of_code(example)
