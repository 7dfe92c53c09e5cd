"""The `tinygrad-edu` command: parsing and printing only; uses every module but is used by none.

Each subcommand is one pair, `add_<command>(commands, lang)` building its
parser and `run_<command>(args)` printing its results, listed in `SUBCOMMANDS`.
Every subcommand has `--help`, `--seed` and `--lang`, writes files only under
its `--out` directory, and exits 0 on success, 1 when a check fails, 2 on bad
usage or bad input (one line on stderr saying what to fix, never a traceback).
The words come from `tinygrad_edu.messages`, in the language `--lang`,
$TINYGRAD_EDU_LANG or the locale choose.
"""

from __future__ import annotations

import argparse
import errno
import math
import os
import re
import shutil
import signal
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, NoReturn

from tinygrad_edu import __version__, _ctrl_c, compiled, experiments, explore, plots, viz
from tinygrad_edu.engine import Value, topological_order
from tinygrad_edu.expression import (
    FUNCTIONS,
    ExpressionError,
    parse_expression,
    shown,
    variable_name,
)
from tinygrad_edu.gradcheck import METHODS, GradcheckReport, Nudge, gradcheck
from tinygrad_edu.losses import LossComparison
from tinygrad_edu.messages import LANGUAGES, choose_language, text
from tinygrad_edu.nn import ACTIVATIONS

try:  # hypothesis, the optional 'testing' extra, is needed by check-rules only
    from tinygrad_edu import testing
except ImportError as missing_testing:
    testing = None  # type: ignore[assignment]
    TESTING_MISSING = str(missing_testing)
else:
    TESTING_MISSING = ""

__all__ = ["SUBCOMMANDS", "build_parser", "main"]

PROG = "tinygrad-edu"
EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT = 0, 1, 2
EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 130, 141
"""Ctrl-C, and a reader that stopped reading, as a shell reports them (128 + signal number)."""

GRAPH_FORMATS = ("svg", "png", "pdf", "dot")
AGREEMENT = 0.999
"""Least cosine between the arrow and the finite-difference direction (about 2.6 degrees)."""
DRAWABLE = 1000
"""The most Values a picture may hold (viz's max_nodes): beyond it a graph is unreadable."""
ROUNDING_DOMINATES = 10.0
"""When the forward difference's error is this many times the curvature term h/2*|f''|
predicts, what is left is floating-point rounding (a tiny h), not curvature."""


MOST = {
    "n": 2000, "layers": 4, "width": 64, "epochs": 2000, "warmup": 2000, "steps": 1000,
    "grid": 101, "examples": 10_000,
}  # fmt: skip
"""The largest sizes the options take: far beyond the lesson's (12 to 40 points, one hidden
layer of 4 or 8), small enough that every command ends in minutes, not hours or gigabytes."""

DIVERGED = 1e6
"""A loss above this in `race` means training diverged (the lesson's losses stay below 10)."""


class InputError(Exception):
    """Bad input from the command line, already worded: one line, exit code 2."""


def say(lang: str, key: str, /, **fields: object) -> str:
    """The command line's message `key` (without its 'cli.' prefix) in `lang`."""
    return text(f"cli.{key}", lang, **fields)


# --- argparse in the chosen language -------------------------------------------------------


def _phrase_pattern(template: str) -> re.Pattern[str]:
    """A regex that reads the fields back out of a message made from `template`."""
    parts = re.split(r"\{(\w+)\}", template)
    pattern = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)"
        for index, part in enumerate(parts)
    )
    return re.compile(f"^{pattern}$", re.S)


ARGPARSE_PHRASES = (
    "argument",
    "required",
    "invalid_choice",
    "invalid_value",
    "one_argument",
    "n_arguments",
    "unrecognized",
    "ambiguous",
)
"""argparse's own error sentences, in the catalog as 'cli.argparse.<name>': the English
text is argparse's, so a message argparse made is read back and said again in `lang`."""


def translate_argparse(message: str, lang: str) -> str:
    """argparse's English `message` in `lang` (unchanged when it is not one of its phrases).

    >>> translate_argparse("argument --n: expected one argument", "pt")
    'argumento --n: esperava um valor'
    """
    if lang == "en":
        return message
    for name in ARGPARSE_PHRASES:
        key = f"cli.argparse.{name}"
        found = _phrase_pattern(text(key, "en")).match(message)
        if found:
            fields = dict(found.groupdict())
            if "message" in fields:
                fields["message"] = translate_argparse(fields["message"], lang)
            return text(key, lang, **fields)
    return message


class _Formatter(argparse.HelpFormatter):
    """Help text whose 'usage:' is said in the parser's language."""

    def __init__(self, prog: str, lang: str) -> None:
        super().__init__(prog, max_help_position=30)
        self.lang = lang

    def add_usage(
        self,
        usage: str | None,
        actions: Any,
        groups: Any,
        prefix: str | None = None,
    ) -> None:
        if prefix is None:
            prefix = say(self.lang, "argparse.usage")
        super().add_usage(usage, actions, groups, prefix)


class _Parser(argparse.ArgumentParser):
    """argparse speaking `lang`: its headings, its help line and its errors, in one line
    that points to --help instead of repeating the usage."""

    def __init__(self, *args: Any, lang: str, **kwargs: Any) -> None:
        kwargs["add_help"] = False  # the help option is added below, worded in `lang`
        super().__init__(*args, **kwargs)
        self.lang = lang
        self._positionals.title = say(lang, "argparse.positionals")
        self._optionals.title = say(lang, "argparse.options")
        self.add_argument("-h", "--help", action="help", help=say(lang, "argparse.help"))

    def _get_formatter(self) -> argparse.HelpFormatter:
        return _Formatter(self.prog, self.lang)

    def error(self, message: str) -> NoReturn:
        reason = translate_argparse(message, self.lang)
        self.exit(EXIT_BAD_INPUT, say(self.lang, "error.usage", prog=self.prog, reason=reason))


# --- argument types ----------------------------------------------------------------------------


def _decimal_comma_hint(given: str, lang: str) -> str:
    """'; write decimals with a point: 0.5' when `given` reads as a number with a comma."""
    repaired = given.strip().replace(",", ".")
    try:
        float(repaired)
    except ValueError:
        return ""
    return say(lang, "type.decimal_point", number=repaired) if "," in given else ""


def _whole_number(minimum: int, lang: str, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number >= minimum (and <= maximum, when given)."""

    def parse(given: str) -> int:
        try:
            number = int(given)
        except ValueError:
            raise argparse.ArgumentTypeError(say(lang, "type.whole", given=given)) from None
        if number < minimum:
            raise argparse.ArgumentTypeError(
                say(lang, "type.at_least", minimum=minimum, given=number)
            )
        if maximum is not None and number > maximum:
            raise argparse.ArgumentTypeError(
                say(lang, "type.at_most_whole", maximum=maximum, given=number)
            )
        return number

    return parse


def _real_number(
    lang: str, *, low: float, high: float = math.inf, low_open: bool
) -> Callable[[str], float]:
    """An argparse type: a finite number in [low, high] (low excluded when `low_open`)."""
    key = "type.above" if low_open else "type.at_least_real"
    wanted = say(lang, key, low=f"{low:g}")
    if high < math.inf:
        wanted += say(lang, "type.at_most", high=f"{high:g}")

    def parse(given: str) -> float:
        refused = argparse.ArgumentTypeError(
            say(lang, "type.real", wanted=wanted, given=given) + _decimal_comma_hint(given, lang)
        )
        try:
            number = float(given)
        except ValueError:
            raise refused from None
        too_low = number <= low if low_open else number < low
        if not math.isfinite(number) or too_low or number > high:
            raise refused
        return number

    return parse


def _layer_sizes(lang: str) -> Callable[[str], list[int]]:
    """'4,4' -> [4, 4]; '' -> [] (no hidden layer: logistic regression)."""

    def parse(given: str) -> list[int]:
        if not given.strip():
            return []
        try:
            sizes = [int(part) for part in given.split(",")]
        except ValueError:
            raise argparse.ArgumentTypeError(say(lang, "type.layers", given=given)) from None
        if any(size < 1 for size in sizes):
            raise argparse.ArgumentTypeError(say(lang, "type.layer_size", given=given))
        if len(sizes) > MOST["layers"] or max(sizes) > MOST["width"]:
            raise argparse.ArgumentTypeError(
                say(lang, "type.layers_most", layers=MOST["layers"], width=MOST["width"],
                    given=given)
            )  # fmt: skip
        return sizes

    return parse


def _variable(lang: str) -> Callable[[str], tuple[str, float]]:
    """NAME=NUMBER for `graph --var`."""

    def parse(given: str) -> tuple[str, float]:
        name, equals, number = given.partition("=")
        name, number = name.strip(), number.strip()
        if not equals or not name.isidentifier():
            raise argparse.ArgumentTypeError(say(lang, "type.variable", given=given))
        read_as = variable_name(name)  # as Python reads it (NFKC): a math-italic exp is exp
        if read_as in FUNCTIONS:
            raise argparse.ArgumentTypeError(
                say(lang, "type.function_name", name=name)
                if read_as == name
                else say(lang, "type.function_name_read_as", given=name, name=read_as)
            )
        try:
            value = float(number)
        except ValueError:
            raise argparse.ArgumentTypeError(
                say(lang, "type.variable_number", name=name, given=number)
                + _decimal_comma_hint(number, lang)
            ) from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(
                say(lang, "type.variable_finite", name=name, given=number)
            )
        return name, value

    return parse


def _port(lang: str) -> Callable[[str], int]:
    """A TCP port, 0 to 65535 (0: a free one)."""

    def parse(given: str) -> int:
        try:
            number = int(given)
        except ValueError:
            number = -1
        if not 0 <= number <= 65535:
            raise argparse.ArgumentTypeError(say(lang, "type.port", given=given))
        return number

    return parse


def _file_stem(lang: str) -> Callable[[str], str]:
    """A file name without folders, so that the file stays inside --out."""

    def parse(given: str) -> str:
        if not given or given in (".", "..") or "/" in given or "\\" in given:
            raise argparse.ArgumentTypeError(say(lang, "type.file_stem", given=given))
        return given

    return parse


# --- options several subcommands share ----------------------------------------------------------


def _most(lang: str, maximum: int) -> str:
    return say(lang, "option.most", maximum=f"{maximum:,}")


def _add_common(parser: argparse.ArgumentParser, lang: str, seed_help: str) -> None:
    parser.add_argument("--seed", type=int, default=0, help=seed_help)
    parser.add_argument(
        "--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=say(lang, "option.lang")
    )


def _add_out(parser: argparse.ArgumentParser, lang: str, default: str) -> None:
    parser.add_argument(
        "--out", type=Path, default=Path(default), help=say(lang, "option.out", default=default)
    )


def _add_var(parser: argparse.ArgumentParser, lang: str) -> None:
    """--var NAME=NUMBER, repeated: the variables of an expression (graph, code)."""
    parser.add_argument(
        "--var", type=_variable(lang), action="append", default=[], metavar="NAME=NUMBER",
        help=say(lang, "option.var"),
    )  # fmt: skip


def _add_dot_timeout(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument(
        "--dot-timeout", type=_real_number(lang, low=0.0, high=3600.0, low_open=True),
        default=viz.DOT_TIMEOUT, metavar="SECONDS",
        help=say(lang, "option.dot_timeout", default=f"{viz.DOT_TIMEOUT:g}"),
    )  # fmt: skip


def _add_model_options(parser: argparse.ArgumentParser, lang: str, *, n: int, hidden: str) -> None:
    parser.add_argument(
        "--dataset", choices=list(experiments.DATASETS), default="moons",
        help=say(lang, "option.dataset"),
    )  # fmt: skip
    parser.add_argument(
        "--n", type=_whole_number(2, lang, MOST["n"]), default=n,
        help=say(lang, "option.n", n=n) + _most(lang, MOST["n"]),
    )  # fmt: skip
    parser.add_argument(
        "--noise", type=_real_number(lang, low=0.0, low_open=False), default=None,
        help=say(lang, "option.noise"),
    )  # fmt: skip
    parser.add_argument(
        "--hidden", type=_layer_sizes(lang), default=_layer_sizes(lang)(hidden),
        help=say(lang, "option.hidden", hidden=hidden)
        + say(lang, "option.most_layers", layers=MOST["layers"], width=MOST["width"]),
    )  # fmt: skip
    parser.add_argument(
        "--activation", choices=list(ACTIVATIONS), default="tanh",
        help=say(lang, "option.activation"),
    )  # fmt: skip
    _add_common(parser, lang, say(lang, "option.seed_model"))


def _add_loss(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument(
        "--loss", choices=list(experiments.LOSSES), default="cross-entropy",
        help=say(lang, "option.loss"),
    )  # fmt: skip


def _dataset(args: argparse.Namespace) -> tuple[list[tuple[float, float]], list[int]]:
    try:
        return experiments.make_dataset(args.dataset, args.n, seed=args.seed, noise=args.noise)
    except ValueError as error:
        raise InputError(str(error)) from None


def _model(args: argparse.Namespace) -> Any:
    return experiments.make_model(args.hidden, args.activation, args.seed)


@contextmanager
def _framed(lang: str, advice: str) -> Iterator[None]:
    """Turn a numeric failure that the options caused (an overflow, a NaN, an h too small
    to move a weight) into a one-line error, the library's English framed in `lang`, with
    `advice` on which option to change."""
    try:
        yield
    except (ValueError, ArithmeticError) as error:
        raise InputError(say(lang, "error.framed", error=error, advice=advice)) from None


def _out_problem(directory: Path, lang: str, reason: str | None) -> InputError:
    return InputError(say(lang, "error.out", out=repr(str(directory)), reason=reason))


def _output_directory(directory: Path, lang: str) -> list[Path]:
    """Create --out (and its parents) if needed and return the folders created, deepest
    first; a path that cannot be one is bad input.

    The folders are made one by one from the top (Path.mkdir(parents=True) recurses,
    and a --out thousands of levels deep would overflow the stack).
    """
    missing = []
    ancestor = directory
    while not (ancestor.exists() or ancestor.is_symlink()) and ancestor != ancestor.parent:
        missing.append(ancestor)
        ancestor = ancestor.parent
    created: list[Path] = []
    try:
        for folder in reversed(missing):
            folder.mkdir()
            created.insert(0, folder)
        if not directory.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(directory))
    except OSError as error:
        _remove_folders(created)
        raise _out_problem(directory, lang, error.strerror) from None
    return created


def _remove_folders(created: Sequence[Path]) -> None:
    """Remove the folders a command created (deepest first) when they are still empty."""
    for folder in created:
        try:
            folder.rmdir()
        except OSError:
            return


def _check_output_directory(directory: Path, lang: str) -> None:
    """Make sure --out can be created and written to, then take back what was created:
    nothing is written until there is a file to write, and a folder that cannot take
    one is found before the work, not after it."""
    created = _output_directory(directory, lang)
    try:
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as error:
        raise _out_problem(directory, lang, error.strerror) from None
    finally:
        _remove_folders(created)


@contextmanager
def _writing(path: Path, lang: str, created: Sequence[Path]) -> Iterator[None]:
    """Name `path` in the error when writing it fails, and take back the folders made for it."""
    try:
        yield
    except OSError as error:
        _remove_folders(created)
        raise InputError(
            say(lang, "error.write_file", path=path, reason=error.strerror or error)
        ) from None
    except BaseException:
        _remove_folders(created)
        raise


def _render(root: Value, path: Path, lang: str, dot_timeout: float, **options: Any) -> Path:
    """Render with Graphviz; without the dot program, say so in one line on stderr.
    A failed or too slow `dot`, or a graph too tangled to draw, is a one-line error and
    leaves no file and no folder behind."""
    created = _output_directory(path.parent, lang)
    with _writing(path, lang, created), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", viz.GraphvizNotFoundWarning)
        try:
            written = Path(viz.render(root, path, max_nodes=DRAWABLE, lang=lang,
                                      dot_timeout=dot_timeout, **options))  # fmt: skip
        except viz.DotTimedOut as error:
            _remove_folders(created)
            raise InputError(say(lang, "error.dot_timeout", error=error)) from None
        except (viz.DotFailed, ValueError) as error:
            _remove_folders(created)
            raise InputError(say(lang, "error.dot", error=error)) from None
    for _warning in caught:
        print(say(lang, "note.no_graphviz", path=written), file=sys.stderr)
    return written


def _draw(lang: str, path: Path, draw: Callable[[Path], object]) -> Path | None:
    """Have `draw(file)` save a matplotlib figure, and put it at `path`: it is saved
    under a temporary name beside `path`, then renamed over it, so that a full disk
    leaves no empty or cut-off picture, and a symlink at `path` is replaced, never
    followed out of --out. Without the 'plot' extra, one note on stderr and no picture."""
    created = _output_directory(path.parent, lang)
    with _writing(path, lang, created):
        handle, name = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix
        )  # the suffix tells matplotlib the format
        os.close(handle)
        temporary = Path(name)
        try:
            draw(temporary)
            mask = os.umask(0)  # mkstemp makes the file private; give it the usual permissions
            os.umask(mask)
            temporary.chmod(0o666 & ~mask)
            os.replace(temporary, path)
        except ImportError:
            temporary.unlink()
            _remove_folders(created)
            print(say(lang, "note.no_matplotlib"), file=sys.stderr)
            return None
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    return path


def _progress(
    lang: str, done: int | None, total: int = 0, unit: str = "note.progress", **fields: object
) -> None:
    """A progress line on stderr that rewrites itself ('\r'); None clears it. Only on a
    terminal, or when TINYGRAD_EDU_PROGRESS=1 asks for it (a log file keeps no '\r').
    `unit` is the message that counts (epochs by default, grid rows for landscape, rules
    and parameters with their `name` in `fields`); what a longer line left is erased."""
    if not (sys.stderr.isatty() or os.environ.get("TINYGRAD_EDU_PROGRESS") == "1"):
        return
    if done is None:
        sys.stderr.write("\r\033[K")
    else:
        sys.stderr.write("\r" + say(lang, unit, done=done, total=total, **fields) + "\033[K")
    sys.stderr.flush()


@contextmanager
def _progress_line(lang: str) -> Iterator[None]:
    """Clear the progress line when the work ends, however it ends: an error or
    'interrupted' is then written on a clean line."""
    try:
        yield
    finally:
        _progress(lang, None)


def _heading(title: str) -> None:
    print(f"\n== {title}")


# --- the reports, worded in the chosen language ---------------------------------------------------


def _align(rows: list[list[str]]) -> list[str]:
    """Pad each column to its widest cell: the first to the left, the others to the right."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            [row[0].ljust(widths[0])]
            + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        ).rstrip()
        for row in rows
    ]


def _parameters(lang: str, count: int) -> str:
    return say(lang, "report.parameter" if count == 1 else "report.parameters", count=count)


def gradcheck_table(
    report: GradcheckReport, lang: str, *, all_rows: bool = False, max_rows: int = 10,
    more_hint: str = "",
) -> str:  # fmt: skip
    """A gradient-check report as text in `lang`, as `report.table()` gives it in English."""
    settings = (
        f"method={report.method!r}, h={report.h:g}, atol={report.atol:g}, rtol={report.rtol:g}"
    )
    count = len(report.rows)
    if report.passed:
        lines = [say(lang, "report.passed", settings=settings, count=_parameters(lang, count))]
    else:
        lines = [
            say(
                lang, "report.failed", settings=settings, failures=len(report.failures),
                count=_parameters(lang, count), worst=report.worst.name,
                error=f"{report.worst.abs_error:.2e}",
            )
        ]  # fmt: skip
    one_sided = report.method != "central"
    if one_sided:
        lines.append(say(lang, "report.curvature"))
    header = [say(lang, "report.column." + name) for name in ("name", "analytic", "numeric")]
    header += [say(lang, "report.column.abs"), say(lang, "report.column.rel")]
    if one_sided:
        header += ["f''(w)", "h/2*|f''|"]
    header.append(say(lang, "report.column.ok"))
    shown_rows, hidden = list(report.rows), []
    if not all_rows and len(shown_rows) > max_rows:
        by_error = sorted(shown_rows, key=lambda row: row.abs_error, reverse=True)
        shown_rows, hidden = by_error[:max_rows], by_error[max_rows:]
    table = [header]
    for row in shown_rows:
        cells = [row.name, f"{row.analytic: .8e}", f"{row.numeric: .8e}"]
        cells += [f"{row.abs_error:.2e}", f"{row.rel_error:.2e}"]
        if row.second_derivative is not None and row.predicted_error is not None:
            cells += [f"{row.second_derivative: .2e}", f"{row.predicted_error:.2e}"]
        cells.append(say(lang, "report.pass" if row.passed else "report.fail"))
        table.append(cells)
    lines += _align(table)
    if hidden:
        failing = sum(not row.passed for row in hidden)
        status = (
            say(lang, "report.hidden_failing", count=failing)
            if failing
            else say(lang, "report.hidden_passing")
        )
        more = say(lang, "report.more_rows", count=len(hidden), status=status, hint=more_hint)
        lines.append(more)
    return "\n".join(lines)


def comparison_table(comparison: LossComparison, lang: str, rows: int) -> str:
    """MSE and cross-entropy per example, as `str(comparison)` in English, first `rows` rows."""
    lines = [
        f"{'#':>4} {'logit z':>9} {'p=sig(z)':>9} {say(lang, 'compare.target'):>6} "
        f"{'(p-y)^2':>9} {'cross-ent':>9} {'dSE/dz':>10} {'dCE/dz':>10}"
    ]
    for index, row in enumerate(comparison.rows[:rows]):
        lines.append(
            f"{index:>4} {row.logit:>9.4f} {row.probability:>9.4f} {row.target:>6g} "
            f"{row.squared_error:>9.4f} {row.cross_entropy:>9.4f} "
            f"{row.squared_error_grad:>10.3g} {row.cross_entropy_grad:>10.3g}"
        )
    mean = say(lang, "compare.mean")
    lines.append(
        f"{mean:>4} {'':>9} {'':>9} {'':>6} {comparison.mse:>9.4f} {comparison.cross_entropy:>9.4f}"
    )
    lines.append(f"MSE = {comparison.mse:.6g}   cross-entropy = {comparison.cross_entropy:.6g}")
    return "\n".join(lines)


def nudge_sentence(result: Nudge, lang: str) -> str:
    """`str(result)` in `lang`: which way the loss goes when the weight moves up by h."""
    fields: dict[str, object] = {
        "name": result.name,
        "h": f"{result.h:g}",
        "direction": say(lang, "nudge." + result.direction),
        "gradient": f"{result.gradient:.2e}",
        "predicted": f"{abs(result.predicted_change):.2e}",
        "actual": f"{abs(result.actual_change):.2e}",
        "signed": f"{result.actual_change:+.2e}",
    }
    if result.direction == "flat":
        return say(lang, "nudge.sentence_flat", **fields)
    if result.actual_change * result.predicted_change > 0:
        return say(lang, "nudge.sentence", **fields)
    return say(lang, "nudge.sentence_curved", **fields)


# --- demo ----------------------------------------------------------------------------------------


def add_demo(commands: Any, lang: str) -> None:
    demo = commands.add_parser(
        "demo", lang=lang, help=say(lang, "demo.help"), description=say(lang, "demo.description")
    )
    _add_model_options(demo, lang, n=12, hidden="4")
    demo.add_argument(
        "--h", type=_real_number(lang, low=0.0, low_open=True), default=1e-3,
        help=say(lang, "option.h_demo"),
    )  # fmt: skip
    demo.add_argument(
        "--rows", type=_whole_number(1, lang), default=6, help=say(lang, "option.rows")
    )
    demo.add_argument(
        "--format", choices=GRAPH_FORMATS, default="svg", help=say(lang, "option.format_demo")
    )
    _add_dot_timeout(demo, lang)
    _add_out(demo, lang, "tinygrad-edu-demo")
    demo.set_defaults(run=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    """The lesson end to end: data, MLP, both losses, gradient checks, a nudge, a graph."""
    lang = args.lang
    X, y = _dataset(args)
    model = _model(args)
    with _framed(lang, say(lang, "advice.demo")):
        result = experiments.lesson(model, X, y, h=args.h)

    _heading(say(lang, "demo.data.title"))
    print(say(lang, "demo.data.count", dataset=args.dataset, n=len(X), zeros=y.count(0),
              ones=y.count(1)))  # fmt: skip
    for index, (point, label) in enumerate(zip(X[:5], y[:5], strict=True)):
        print(say(lang, "demo.data.point", index=index, x=f"{point[0]: .3f}",
                  y=f"{point[1]: .3f}", label=label))  # fmt: skip
    if len(X) > 5:
        print(say(lang, "demo.data.more", count=len(X) - 5))

    _heading(say(lang, "demo.model.title"))
    print(say(lang, "demo.model.text", model=model, count=len(model.parameters())))

    _heading(say(lang, "demo.losses.title"))
    print(comparison_table(result.comparison, lang, args.rows))
    if len(result.comparison.rows) > args.rows:
        print(say(lang, "demo.losses.first_rows", rows=args.rows, n=len(result.comparison.rows)))
    print(say(lang, "demo.losses.text"))

    forward, central = result.forward, result.central
    _heading(say(lang, "demo.check.title", h=f"{args.h:g}"))
    print(say(lang, "demo.check.text", tolerance=f"{experiments.LESSON_TOLERANCE:g}"))
    for report in (forward, central):
        table = gradcheck_table(
            report, lang, max_rows=args.rows, more_hint=say(lang, "demo.check.more")
        )
        print(f"\n{table}")
    worst = forward.worst
    print()
    print(say(lang, "demo.verdict.title", tolerance=f"{experiments.LESSON_TOLERANCE:g}"))
    print(say(
        lang, "demo.verdict.forward",
        verdict=say(lang, "demo.verdict.passes" if forward.passed else "demo.verdict.misses"),
        failures=len(forward.failures), count=len(forward.rows), name=worst.name,
        measured=f"{worst.abs_error:.2e}", predicted=f"{worst.predicted_error or 0.0:.2e}",
    ))  # fmt: skip
    print(say(
        lang, "demo.verdict.central",
        verdict=say(lang, "demo.verdict.passes" if central.passed else "demo.verdict.fails"),
        error=f"{central.worst.abs_error:.2e}",
    ))  # fmt: skip
    predicted = worst.predicted_error or 0.0
    if worst.abs_error > ROUNDING_DOMINATES * predicted and worst.abs_error > 0:
        print(say(lang, "demo.reason.rounding", h=f"{args.h:g}"))
    elif not central.passed:
        print(say(lang, "demo.reason.central_fails"))
    elif forward.passed:
        print(say(lang, "demo.reason.both_pass"))
    else:
        print(say(lang, "demo.reason.curvature"))

    _heading(say(lang, "demo.nudge.title"))
    print(say(lang, "demo.nudge.text", name=result.nudge.name))
    print(nudge_sentence(result.nudge, lang))

    _heading(say(lang, "demo.graph.title"))
    exit_code = EXIT_OK if central.passed else EXIT_CHECK_FAILED
    if result.graph_size > DRAWABLE:
        print(say(lang, "note.graph_too_big", size=f"{result.graph_size:,}",
                  limit=f"{DRAWABLE:,}"), file=sys.stderr)  # fmt: skip
        return exit_code
    path = _render(
        result.example_loss, args.out / f"graph-one-example.{args.format}", lang,
        args.dot_timeout, params=model, legend=True,
    )  # fmt: skip
    print(say(lang, "demo.graph.text", label=y[0], path=path))
    return exit_code


# --- graph ---------------------------------------------------------------------------------------


def add_graph(commands: Any, lang: str) -> None:
    graph = commands.add_parser(
        "graph", lang=lang, help=say(lang, "graph.help"),
        description=say(lang, "graph.description", functions=", ".join(FUNCTIONS)),
    )  # fmt: skip
    graph.add_argument("expression", help=say(lang, "graph.expression"))
    _add_var(graph, lang)
    graph.add_argument(
        "--param", action="append", default=[], metavar="NAME", help=say(lang, "option.param")
    )
    graph.add_argument("--legend", action="store_true", help=say(lang, "option.legend"))
    graph.add_argument(
        "--format", choices=GRAPH_FORMATS, default="svg", help=say(lang, "option.format")
    )
    graph.add_argument(
        "--name", type=_file_stem(lang), default="graph", help=say(lang, "option.name")
    )
    graph.add_argument(
        "--rankdir", choices=("LR", "TB"), default="LR", help=say(lang, "option.rankdir")
    )
    _add_common(graph, lang, say(lang, "option.seed_graph"))
    _add_dot_timeout(graph, lang)
    _add_out(graph, lang, "tinygrad-edu-out")
    graph.set_defaults(run=run_graph)


def _expression_error(error: ExpressionError, lang: str) -> str:
    return say(lang, "expression." + error.reason.replace(" ", "_"), **error.fields)


def _parsed(args: argparse.Namespace) -> tuple[Value, dict[str, Value]]:
    """EXPR with its --var values, parsed by the whitelist parser and backpropagated."""
    lang = args.lang
    variables: dict[str, Value] = {}
    for name, number in args.var:
        if name in variables:
            raise InputError(say(lang, "graph.twice", name=name))
        variables[name] = Value(number, label=name)
    for name in getattr(args, "param", []):
        if name not in variables:
            raise InputError(say(lang, "graph.unknown_param", name=name))
    try:
        result = parse_expression(args.expression, variables)
        result.label = result.label or "out"
        result.backward()
    except ExpressionError as error:
        raise InputError(_expression_error(error, lang)) from None
    except (ValueError, ArithmeticError) as error:
        raise InputError(say(lang, "error.expression", error=error)) from None
    if not math.isfinite(result.data):
        raise InputError(say(lang, "graph.not_finite", value=result.data))
    for name, value in variables.items():
        if not math.isfinite(value.grad):
            raise InputError(say(lang, "graph.grad_not_finite", name=name, value=value.grad))
    return result, variables


def run_graph(args: argparse.Namespace) -> int:
    """Build an expression from Values, backpropagate, print gradients, draw the graph."""
    lang = args.lang
    result, variables = _parsed(args)
    size = len(topological_order(result))
    if size > DRAWABLE:
        raise InputError(
            say(lang, "graph.too_big", expression=shown(args.expression), size=f"{size:,}",
                limit=f"{DRAWABLE:,}")
        )  # fmt: skip
    print(f"{args.expression} = {result.data:.10g}")
    for name, value in variables.items():
        print(f"  d out / d {name} = {value.grad:.10g}")
    params = [(name, variables[name]) for name in args.param]
    path = _render(
        result, args.out / f"{args.name}.{args.format}", lang, args.dot_timeout,
        rankdir=args.rankdir,
        params=params or None, legend=args.legend,
    )  # fmt: skip
    print(say(lang, "graph.written", path=path))
    return EXIT_OK


# --- race: MSE against cross-entropy from a confidently wrong start ---------------------------


def add_race(commands: Any, lang: str) -> None:
    race = commands.add_parser(
        "race", lang=lang, help=say(lang, "race.help"), description=say(lang, "race.description")
    )
    _add_model_options(race, lang, n=40, hidden="8")
    positive = _real_number(lang, low=0.0, low_open=True)
    race.add_argument(
        "--epochs", type=_whole_number(1, lang, MOST["epochs"]), default=30,
        help=say(lang, "option.epochs") + _most(lang, MOST["epochs"]),
    )  # fmt: skip
    race.add_argument("--lr", type=positive, default=0.5, help=say(lang, "option.lr", lr=0.5))
    race.add_argument(
        "--warmup", type=_whole_number(0, lang, MOST["warmup"]), default=60,
        help=say(lang, "option.warmup") + _most(lang, MOST["warmup"]),
    )  # fmt: skip
    race.add_argument("--flip", type=positive, default=5.0, help=say(lang, "option.flip"))
    race.add_argument(
        "--target", type=_real_number(lang, low=0.0, high=1.0, low_open=False), default=0.8,
        help=say(lang, "option.target"),
    )  # fmt: skip
    _add_out(race, lang, "tinygrad-edu-out")
    race.set_defaults(run=run_race)


def run_race(args: argparse.Namespace) -> int:
    """Train the same confidently wrong network with MSE and with cross-entropy."""
    lang = args.lang
    X, y = _dataset(args)
    slope = "sig'(z)"
    losses_in_order = list(experiments.LOSSES)

    def print_epoch(epoch: int, states: dict[str, experiments.Epoch]) -> None:
        for loss, state in states.items():
            if not (math.isfinite(state.loss) and state.loss <= DIVERGED):
                raise InputError(say(lang, "race.diverged", loss=loss, epoch=epoch,
                                     value=f"{state.loss:.3g}", lr=f"{args.lr:g}"))  # fmt: skip
        _progress(lang, epoch, args.epochs)
        if epoch == 0:
            print(say(lang, "race.start", model=_model(args), dataset=args.dataset, n=len(X),
                      lr=f"{args.lr:g}", accuracy=f"{states['mse'].accuracy:.0%}",
                      slope=f"{states['mse'].slope:.4f}"))  # fmt: skip
            print(
                f"\n{say(lang, 'race.epoch'):>5} | {'MSE':>9} {say(lang, 'race.accuracy'):>5} "
                f"{slope:>7} | {'cross-ent':>9} {say(lang, 'race.accuracy'):>5} {slope:>7}"
            )
        cells = [
            f"{states[loss].loss:>9.4f} {states[loss].accuracy:>5.0%} {states[loss].slope:>7.4f}"
            for loss in losses_in_order
        ]
        print(f"{epoch:>5} | {cells[0]} | {cells[1]}", flush=True)

    with _progress_line(lang), _framed(lang, say(lang, "advice.race")):
        result = experiments.race(
            X, y, hidden=args.hidden, activation=args.activation, seed=args.seed,
            epochs=args.epochs, lr=args.lr, warmup=args.warmup, confidence=args.flip,
            target=args.target, on_epoch=print_epoch,
        )  # fmt: skip
    print()
    reached = {loss: result.first_epoch_reaching(loss) for loss in losses_in_order}
    for loss, epoch in reached.items():
        when = (
            say(lang, "race.at_epoch", epoch=epoch)
            if epoch is not None
            else say(lang, "race.not_within", epochs=args.epochs)
        )
        print(f"{loss:>13}: " + say(lang, "race.reached", target=f"{args.target:.0%}", when=when))
    mse_epoch, ce_epoch = reached["mse"], reached["cross-entropy"]
    if ce_epoch is not None and mse_epoch is None:
        print(say(lang, "race.ce_only", ce=ce_epoch, epochs=args.epochs))
    elif ce_epoch is not None and mse_epoch is not None and ce_epoch < mse_epoch:
        print(say(lang, "race.ce_sooner", count=mse_epoch - ce_epoch))
    print(say(lang, "race.explanation"))
    curves = experiments.gradient_curves([z / 4 for z in range(-40, 41)])
    written = _draw(
        lang, args.out / "race.png", lambda file: plots.race_figure(result, curves, file, lang=lang)
    )
    if written is not None:
        print(say(lang, "race.written", path=written))
    return EXIT_OK


# --- gradcheck -----------------------------------------------------------------------------------


def add_gradcheck(commands: Any, lang: str) -> None:
    check = commands.add_parser(
        "gradcheck", lang=lang, help=say(lang, "gradcheck.help"),
        description=say(lang, "gradcheck.description"),
    )  # fmt: skip
    _add_model_options(check, lang, n=12, hidden="4")
    _add_loss(check, lang)
    check.add_argument(
        "--method", choices=METHODS, default="central", help=say(lang, "option.method")
    )
    tolerance = _real_number(lang, low=0.0, low_open=False)
    check.add_argument(
        "--h", type=_real_number(lang, low=0.0, low_open=True), default=1e-3,
        help=say(lang, "option.h"),
    )  # fmt: skip
    check.add_argument("--atol", type=tolerance, default=1e-5, help=say(lang, "option.atol"))
    check.add_argument("--rtol", type=tolerance, default=1e-3, help=say(lang, "option.rtol"))
    check.add_argument("--all", action="store_true", help=say(lang, "option.all"))
    check.set_defaults(run=run_gradcheck)


def run_gradcheck(args: argparse.Namespace) -> int:
    """The gradient check of every weight of a seeded MLP on a dataset."""
    lang = args.lang
    X, y = _dataset(args)
    model = _model(args)

    def show(number: int, total: int, name: str) -> None:
        _progress(lang, number, total, "note.progress_parameters", name=name)

    with _progress_line(lang), _framed(lang, say(lang, "advice.gradcheck")):
        report = gradcheck(
            experiments.loss_function(model, X, y, args.loss), model,
            h=args.h, method=args.method, atol=args.atol, rtol=args.rtol, on_param=show,
        )  # fmt: skip
    print(say(lang, "gradcheck.title", model=model, dataset=args.dataset, n=len(X), loss=args.loss))
    print(gradcheck_table(report, lang, all_rows=args.all, more_hint=say(lang, "gradcheck.more")))
    return EXIT_OK if report.passed else EXIT_CHECK_FAILED


# --- landscape -----------------------------------------------------------------------------------


def add_landscape(commands: Any, lang: str) -> None:
    landscape = commands.add_parser(
        "landscape", lang=lang, help=say(lang, "landscape.help"),
        description=say(lang, "landscape.description"),
    )  # fmt: skip
    _add_model_options(landscape, lang, n=20, hidden="4")
    _add_loss(landscape, lang)
    positive = _real_number(lang, low=0.0, low_open=True)
    landscape.add_argument(
        "--weights", nargs=2, metavar="NAME", help=say(lang, "option.weights")
    )
    landscape.add_argument("--span", type=positive, default=2.0, help=say(lang, "option.span"))
    landscape.add_argument(
        "--grid", type=_whole_number(2, lang, MOST["grid"]), default=25,
        help=say(lang, "option.grid") + _most(lang, MOST["grid"]),
    )  # fmt: skip
    landscape.add_argument(
        "--steps", type=_whole_number(1, lang, MOST["steps"]), default=10,
        help=say(lang, "option.steps") + _most(lang, MOST["steps"]),
    )  # fmt: skip
    landscape.add_argument("--lr", type=positive, default=2.0, help=say(lang, "option.lr", lr=2))
    _add_out(landscape, lang, "tinygrad-edu-out")
    landscape.set_defaults(run=run_landscape)


def _direction_words(arrow: tuple[float, float], names: Sequence[str], lang: str) -> str:
    words = []
    for component, name in zip(arrow, names, strict=True):
        if abs(component) < 0.05:
            words.append(say(lang, "landscape.leave", name=name))
        else:
            words.append(say(lang, "landscape.increase" if component > 0 else
                              "landscape.decrease", name=name))  # fmt: skip
    return say(lang, "landscape.fastest", words=say(lang, "landscape.and").join(words))


def run_landscape(args: argparse.Namespace) -> int:
    """The loss over two weights, the negative gradient as an arrow, and a few SGD steps."""
    lang = args.lang
    X, y = _dataset(args)
    model = _model(args)
    named = model.named_parameters()
    names = args.weights or [named[0][0], named[1][0]]
    if names[0] == names[1]:
        raise InputError(say(lang, "landscape.same", name=repr(names[0])))
    known = [name for name, _ in named]
    for name in names:
        if name not in known:
            raise InputError(say(lang, "landscape.no_weight", name=repr(name),
                                 shown=", ".join(known[:3]), last=known[-1]))  # fmt: skip
    with _progress_line(lang), _framed(lang, say(lang, "advice.landscape")):
        view = experiments.landscape(
            model, experiments.loss_function(model, X, y, args.loss), (names[0], names[1]),
            steps=args.steps, lr=args.lr, span=args.span, grid=args.grid,
            on_row=lambda done, total: _progress(lang, done, total, "note.progress_rows"),
        )  # fmt: skip
    a, b = view.origin
    print(say(lang, "landscape.title", model=model, dataset=args.dataset, n=len(X),
              loss=args.loss, value=f"{view.loss:.6g}"))  # fmt: skip
    print(say(lang, "landscape.weights", a_name=names[0], a=f"{a:.4f}", b_name=names[1],
              b=f"{b:.4f}"))  # fmt: skip
    slope_a, slope_b = view.gradient
    print(say(lang, "landscape.gradient", a=f"{slope_a:+.4g}", b=f"{slope_b:+.4g}"))
    if view.flat:
        print(say(lang, "landscape.flat"))
    else:
        print(say(lang, "landscape.arrow", a=f"{view.arrow[0]:+.3f}", b=f"{view.arrow[1]:+.3f}"))
        print("  " + _direction_words(view.arrow, names, lang))
    print(say(lang, "landscape.numeric", a=f"{view.numeric_arrow[0]:+.3f}",
              b=f"{view.numeric_arrow[1]:+.3f}", cosine=f"{view.agreement:.6f}",
              least=AGREEMENT))  # fmt: skip
    start, end = view.path[0], view.path[-1]
    change = f" ({(end[2] - start[2]) / start[2]:+.1%})" if start[2] else ""
    print(say(lang, "landscape.steps", steps=args.steps, lr=f"{args.lr:g}",
              start=f"{start[2]:.6g}", end=f"{end[2]:.6g}", change=change))  # fmt: skip
    print(f"  a {start[0]:.4f} -> {end[0]:.4f}, b {start[1]:.4f} -> {end[1]:.4f}")
    written = _draw(lang, args.out / "landscape.png", lambda file: plots.landscape_figure(
        view, file, loss=args.loss, lang=lang))  # fmt: skip
    if written is not None:
        print(say(lang, "landscape.written", path=written))
    if view.agreement < AGREEMENT:
        print(say(lang, "landscape.disagree", cosine=f"{view.agreement:.6f}", least=AGREEMENT))
        return EXIT_CHECK_FAILED
    return EXIT_OK


# --- check-rules ---------------------------------------------------------------------------------


def add_check_rules(commands: Any, lang: str) -> None:
    rules = commands.add_parser(
        "check-rules", lang=lang, help=say(lang, "rules.help"),
        description=say(lang, "rules.description"),
    )  # fmt: skip
    rules.add_argument(
        "--examples", type=_whole_number(1, lang, MOST["examples"]), default=100,
        help=say(lang, "option.examples") + _most(lang, MOST["examples"]),
    )  # fmt: skip
    rules.add_argument(
        "--op", action="append", metavar="NAME", help=say(lang, "option.op")
    )
    _add_common(rules, lang, say(lang, "option.seed_rules"))
    rules.set_defaults(run=run_check_rules)


@contextmanager
def _hypothesis_home(ctrl_c: _ctrl_c.CtrlC) -> Iterator[None]:
    """Hypothesis's files (by default in ./.hypothesis: a cache of the constants it read
    in our modules) go to one temporary folder, removed at the end: check-rules writes no
    file. The folder is made and removed with Ctrl-C held back, so that no Ctrl-C, however
    timed, leaves it in $TMPDIR; with HYPOTHESIS_STORAGE_DIRECTORY pointing there,
    check_op makes no temporary folder of its own."""
    from hypothesis.configuration import set_hypothesis_home_dir

    ctrl_c.hold(True)
    scratch = tempfile.mkdtemp(prefix="tinygrad-edu-")
    own_choice = os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY")
    try:
        os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = scratch
        set_hypothesis_home_dir(scratch)
        ctrl_c.hold(False)  # a Ctrl-C pressed meanwhile is raised here, inside the try
        yield
    finally:
        ctrl_c.hold(True)
        set_hypothesis_home_dir(None)
        if own_choice is None:
            del os.environ["HYPOTHESIS_STORAGE_DIRECTORY"]
        else:
            os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = own_choice
        shutil.rmtree(scratch, ignore_errors=True)
        ctrl_c.hold(False)


def run_check_rules(args: argparse.Namespace) -> int:
    """Property-test every built-in derivative rule against central differences."""
    lang = args.lang
    if testing is None:
        raise InputError(say(lang, "rules.no_hypothesis", error=TESTING_MISSING))

    with _ctrl_c.CtrlC() as ctrl_c, _hypothesis_home(ctrl_c), _progress_line(lang):

        def show(number: int, total: int, name: str) -> None:
            ctrl_c.stop_if_pressed()
            _progress(lang, number, total, "note.progress_rules", name=name)

        try:
            report = testing.check_rules(
                examples=args.examples, ops=args.op or None, seed=args.seed, on_op=show
            )
        except ValueError as error:
            raise InputError(say(lang, "error.rules", error=error)) from None
    header = ["op", "examples", "max abs error", "max rel error", "error/allowed", "result"]
    table = [[say(lang, "rules.column." + column.replace(" ", "_").replace("/", "_"))
              for column in header]]  # fmt: skip
    for row in report.rows:
        table.append([
            row.name, str(row.examples), f"{row.max_abs_error:.2e}", f"{row.max_rel_error:.2e}",
            f"{row.worst_ratio:.3f}", say(lang, "report.pass" if row.passed else "report.fail"),
        ])  # fmt: skip
    # The op column is left-aligned, the numbers right-aligned, as in str(report).
    print("\n".join(_align(table)))
    failed = [row for row in report.rows if not row.passed]
    if failed:
        print()
        for row in failed:
            print(row.message)
        print(say(lang, "rules.failed", failed=len(failed), count=len(report.rows)))
    else:
        print(say(lang, "rules.passed", count=len(report.rows)))
    return EXIT_OK if report.passed else EXIT_CHECK_FAILED


# --- explore -------------------------------------------------------------------------------------


def add_explore(commands: Any, lang: str) -> None:
    parser = commands.add_parser(
        "explore", lang=lang, help=say(lang, "explore.help"),
        description=say(lang, "explore.description"),
    )  # fmt: skip
    parser.add_argument(
        "--port", type=_port(lang), default=0, help=say(lang, "explore.option.port")
    )
    parser.add_argument(
        "--no-browser", action="store_true", help=say(lang, "explore.option.no_browser")
    )
    _add_model_options(parser, lang, n=12, hidden="4")
    parser.set_defaults(run=run_explore)


def run_explore(args: argparse.Namespace) -> int:
    """Serve the interactive explorer on 127.0.0.1 until Ctrl-C."""
    try:
        explore.serve(
            port=args.port, lang=args.lang, seed=args.seed, dataset=args.dataset, n=args.n,
            noise=args.noise, hidden=args.hidden, activation=args.activation,
            open_browser=not args.no_browser, out=sys.stdout,
        )  # fmt: skip
    except explore.PortUnavailableError as error:
        raise InputError(error.message(args.lang)) from None
    except ValueError as error:
        raise InputError(say(args.lang, "error.framed", error=error,
                             advice=say(args.lang, "advice.explore"))) from None  # fmt: skip
    return EXIT_OK


# --- torch: the same numbers from PyTorch -------------------------------------------------------


def add_torch(commands: Any, lang: str) -> None:
    compare = commands.add_parser(
        "torch", lang=lang, help=say(lang, "torch.help"),
        description=say(lang, "torch.description"),
    )  # fmt: skip
    _add_model_options(compare, lang, n=12, hidden="4")
    compare.set_defaults(run=run_torch)


def run_torch(args: argparse.Namespace) -> int:
    """Every loss and gradient of the demo's model, computed again by PyTorch and compared."""
    lang = args.lang
    try:
        # bridge imports torch, the optional extra 'torch': imported here, when asked for,
        # so that every other subcommand works without it.
        from tinygrad_edu import bridge
    except ImportError:
        raise InputError(say(lang, "torch.missing")) from None
    with _framed(lang, say(lang, "advice.torch")):
        reports = bridge.demo_comparisons(
            dataset=args.dataset, n=args.n, hidden=args.hidden, activation=args.activation,
            seed=args.seed,
        )  # fmt: skip
    for index, report in enumerate(reports):
        if index:
            print()
        print(report.table(lang))
    failed = [report for report in reports if not report.passed]
    if failed:
        print(say(lang, "torch.failed", failed=len(failed), count=len(reports)))
        return EXIT_CHECK_FAILED
    print(say(lang, "torch.passed", count=len(reports)))
    return EXIT_OK


# --- code: the generated code of a graph --------------------------------------------------------


def add_code(commands: Any, lang: str) -> None:
    code = commands.add_parser(
        "code", lang=lang, help=say(lang, "code.help"),
        description=say(lang, "code.description", functions=", ".join(FUNCTIONS)),
    )  # fmt: skip
    code.add_argument("expression", nargs="?", default=None, help=say(lang, "code.expression"))
    _add_var(code, lang)
    _add_common(code, lang, say(lang, "option.seed_graph"))
    code.set_defaults(run=run_code)


def run_code(args: argparse.Namespace) -> int:
    """Print the forward and backward pass of an expression as straight-line Python."""
    lang = args.lang
    if args.expression is None:
        if args.var:
            raise InputError(say(lang, "code.var_without_expression"))
        print(compiled.source_code(None, lang))
        return EXIT_OK
    result, _variables = _parsed(args)
    with _framed(lang, say(lang, "advice.code")):
        listing = compiled.source_code(result, lang)
    print(listing)
    return EXIT_OK


# --- the parser and main ------------------------------------------------------------------------

SUBCOMMANDS: tuple[Callable[[Any, str], None], ...] = (
    add_demo,
    add_graph,
    add_race,
    add_gradcheck,
    add_landscape,
    add_check_rules,
    add_explore,
    add_torch,
    add_code,
)
"""Every subcommand's add_<command>, in the order --help lists them."""

WRITES_FILES = frozenset({"demo", "graph", "race", "landscape"})
DRAWS_PLOTS = frozenset({"race", "landscape"})
"""The subcommands that import matplotlib, whose config and cache go to a temporary folder."""
"""The subcommands that write files under --out (gradcheck and check-rules only print)."""


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    """The `tinygrad-edu` argument parser with every subcommand, speaking `lang`.

    >>> args = build_parser().parse_args(['graph', 'w * x', '--var', 'w=-3', '--var', 'x=2'])
    >>> args.command, args.expression, args.var
    ('graph', 'w * x', [('w', -3.0), ('x', 2.0)])
    """
    parser = _Parser(
        prog=PROG, lang=lang, description=say(lang, "description"), epilog=say(lang, "epilog")
    )
    parser.add_argument(
        "--version", action="version", version=f"{PROG} {__version__}",
        help=say(lang, "argparse.version"),
    )  # fmt: skip
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help=say(lang, "option.lang"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in SUBCOMMANDS:
        add(commands, lang)
    return parser


def _requested_language(argv: Sequence[str]) -> str | None:
    """The value of --lang in `argv` (before any `--`), read before the parser is built
    so that --help and the errors already speak it."""
    for index, argument in enumerate(argv):
        if argument == "--":
            break
        if argument == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if argument.startswith("--lang="):
            return argument.partition("=")[2]
    return None


@contextmanager
def _matplotlib_home(needed: bool) -> Iterator[None]:
    """Point matplotlib's config and font cache (MPLCONFIGDIR) at a temporary folder, so
    that a command writes nothing outside --out, not even in ~/.cache or ~/.config."""
    if not needed or "MPLCONFIGDIR" in os.environ:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="tinygrad-edu-") as scratch:
        os.environ["MPLCONFIGDIR"] = scratch
        try:
            yield
        finally:
            del os.environ["MPLCONFIGDIR"]


def _speak_any_bytes() -> None:
    """Print a name with bytes the terminal cannot show (a non-UTF-8 --out) as escapes,
    never as a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `tinygrad-edu` and `python -m tinygrad_edu`; returns the exit code.

    After Ctrl-C a command says "interrupted" once and ignores a further Ctrl-C, which
    would otherwise turn exit 130 into a traceback. Called with `argv` from Python, main
    then puts back the Ctrl-C handling it found; called as the program (no `argv`), it
    leaves Ctrl-C ignored, as the process is about to end.

    >>> main(['graph', 'x * 3', '--var', 'x=2', '--format', 'nope', '--lang', 'en'])
    2
    """
    _speak_any_bytes()
    if signal.getsignal(signal.SIGINT) is _ctrl_c.interrupted_while_starting:
        _set_ctrl_c(signal.default_int_handler)  # from here on Ctrl-C is a KeyboardInterrupt
    found = signal.getsignal(signal.SIGINT)
    try:
        return _main(argv)
    except KeyboardInterrupt:  # Ctrl-C while the parser is built or the arguments read
        _set_ctrl_c(signal.SIG_IGN)
        print(say("en", "error.interrupted", where=PROG), file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if argv is not None and found is not None:
            _set_ctrl_c(found)


def _set_ctrl_c(handler: Any) -> None:
    """Set what Ctrl-C does (signal.SIG_IGN: nothing), where Python may: in the main thread."""
    with suppress(ValueError):
        signal.signal(signal.SIGINT, handler)


def _main(argv: Sequence[str] | None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        lang = choose_language(_requested_language(arguments))
    except ValueError:
        given = _requested_language(arguments) or os.environ.get("TINYGRAD_EDU_LANG", "")
        print(say("en", "error.language", prog=PROG, given=repr(given),
                  choices=", ".join(LANGUAGES)), file=sys.stderr)  # fmt: skip
        return EXIT_BAD_INPUT
    parser = build_parser(lang)
    try:
        args = parser.parse_args(arguments)
    except SystemExit as stop:  # --help, --version and usage errors
        return stop.code if isinstance(stop.code, int) else EXIT_BAD_INPUT
    args.lang = lang
    where = f"{PROG} {args.command}"
    try:
        if args.command in WRITES_FILES:
            args.out = Path(os.path.normpath(args.out))  # W/new/../out is W/out
            _check_output_directory(args.out, lang)  # fail before the work, not after it
        with _matplotlib_home(args.command in DRAWS_PLOTS):
            code = int(args.run(args))
        sys.stdout.flush()  # a full stdout is found here, not at exit
        return code
    except InputError as error:
        print(say(lang, "error.input", where=where, reason=error), file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # the reader went away, e.g. `tinygrad-edu race | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except MemoryError:
        print(say(lang, "error.memory", where=where), file=sys.stderr)
        return EXIT_BAD_INPUT
    except RecursionError:
        print(say(lang, "error.recursion", where=where), file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        if error.filename is None:  # not a file of --out: the output stream itself
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            print(say(lang, "error.stdout", where=where, reason=error.strerror or error),
                  file=sys.stderr)  # fmt: skip
        else:
            print(say(lang, "error.write", where=where, path=error.filename,
                      reason=error.strerror), file=sys.stderr)  # fmt: skip
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        _set_ctrl_c(signal.SIG_IGN)
        print(say(lang, "error.interrupted", where=where), file=sys.stderr)
        return EXIT_INTERRUPTED
