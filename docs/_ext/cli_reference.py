"""Sphinx extension: the `cli-reference` directive writes the command line's reference
from `tinygrad_edu.cli.build_parser`; imports argparse and, inside `setup()`, Sphinx.

Every subcommand of the parser appears once, in the parser's order: its usage, its
description and each option with its help, choices and default. Nothing is listed by
hand, so a new subcommand shows up on the next build. Sphinx and docutils are imported
only when Sphinx loads the extension, so that pytest can collect this file without them.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog='tool', description='Does things.')
>>> commands = parser.add_subparsers(dest='command')
>>> run = commands.add_parser('run', help='run it', description='Runs it.')
>>> _ = run.add_argument('--times', type=int, default=3, help='how often')
>>> [name for name, _ in subcommands(parser)]
['run']
>>> print('\\n'.join(option_lines(run)[3:]))
``--times TIMES``
   how often (default: ``3``)
<BLANKLINE>
"""

from __future__ import annotations

import argparse
import re
from typing import Any

SPECIAL = re.compile(r"([\\`*|_\[\]<>])")


def escaped(text: str) -> str:
    """`text` with every reStructuredText mark escaped, so it reads as written.

    >>> escaped('x*y | z_')
    'x\\\\*y \\\\| z\\\\_'
    """
    return SPECIAL.sub(r"\\\1", text)


def subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    """The parser's subcommands as (name, parser), each once (an alias is not repeated)."""
    found: list[tuple[str, argparse.ArgumentParser]] = []
    seen: set[int] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                if id(subparser) not in seen:
                    seen.add(id(subparser))
                    found.append((name, subparser))
    return found


def _help(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    """The action's help with %(default)s and the like filled in, as argparse prints it."""
    if not action.help:
        return ""
    return parser._get_formatter()._expand_help(action)


def option_lines(parser: argparse.ArgumentParser) -> list[str]:
    """One definition-list item per option and positional argument of `parser`."""
    lines: list[str] = []
    formatter = parser._get_formatter()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) or action.help == argparse.SUPPRESS:
            continue
        if action.option_strings:
            if action.nargs == 0:
                term = ", ".join(action.option_strings)
            else:
                metavar = formatter._format_args(action, action.dest.upper())
                term = ", ".join(f"{option} {metavar}" for option in action.option_strings)
        else:
            term = formatter._format_args(action, action.dest)
        parts = [escaped(_help(parser, action))] if action.help else []
        if action.choices is not None:
            parts.append("choices: " + ", ".join(f"``{choice}``" for choice in action.choices))
        shown_default = action.default not in (None, False, argparse.SUPPRESS)
        help_text = _help(parser, action)
        if shown_default and action.option_strings and str(action.default) not in help_text:
            parts.append(f"(default: ``{action.default}``)")
        lines += [f"``{term}``", "   " + (" ".join(parts) or "(no description)"), ""]
    return lines


def _usage(parser: argparse.ArgumentParser) -> list[str]:
    usage = parser.format_usage().strip()
    return ["::", "", *("   " + line for line in usage.splitlines()), ""]


def reference_lines(parser: argparse.ArgumentParser) -> list[str]:
    """The whole reference of `parser` as reStructuredText lines: the program, then one
    section per subcommand."""
    lines = [*_usage(parser)]
    if parser.description:
        lines += [escaped(parser.description), ""]
    lines += option_lines(parser)
    for name, subparser in subcommands(parser):
        title = f"{parser.prog} {name}"
        lines += [title, "-" * len(title), "", *_usage(subparser)]
        if subparser.description:
            lines += [escaped(subparser.description), ""]
        lines += option_lines(subparser)
        if subparser.epilog:
            lines += [escaped(subparser.epilog), ""]
    return lines


def setup(app: Any) -> dict[str, Any]:
    """Register the `cli-reference` directive with Sphinx."""
    from docutils import nodes
    from docutils.statemachine import StringList
    from sphinx.util.docutils import SphinxDirective
    from sphinx.util.nodes import nested_parse_with_titles

    class CliReference(SphinxDirective):
        """``.. cli-reference::`` — the reference of the `tinygrad-edu` command."""

        def run(self) -> list[nodes.Node]:
            from tinygrad_edu.cli import build_parser

            self.env.note_dependency(self.env.relfn2path("../../tinygrad_edu/cli.py")[1])
            container = nodes.section()
            container.document = self.state.document
            source = StringList(reference_lines(build_parser("en")), source="tinygrad_edu.cli")
            nested_parse_with_titles(self.state, source, container)
            return list(container.children)

    app.add_directive("cli-reference", CliReference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
