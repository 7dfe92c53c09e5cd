"""Graphviz pictures of a computation graph (draw_dot, render); imports the engine and graphviz.

`draw_dot(root)` builds a `graphviz.Digraph` with one record per Value (label,
data, grad) and one small node per operation, edges running child -> op ->
result, as in the "building micrograd" lecture. On top of the lecture's
picture it encodes meaning a learner can read at a glance:

- border: a parameter (bold, rounded), an input or constant (dashed), or a
  computed value (thin);
- fill: the sign of the gradient, i.e. whether increasing this value raises
  (red) or lowers (blue) the output, paler for a smaller |grad| relative to
  the largest |grad| in the graph, white for 0.

`render(root, path)` writes the picture to a file, or the DOT source when the
Graphviz `dot` program is missing.

>>> from tinygrad_edu.engine import Value
>>> a = Value(3.0, label='a')
>>> b = a * a; b.label = 'b'
>>> b.backward()
>>> graph = draw_dot(b)
>>> 'data 9 | grad 1' in graph.source and 'data 3 | grad 6' in graph.source
True
"""

from __future__ import annotations

import itertools
import math
import os
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path
from typing import Any

import graphviz  # type: ignore[import-untyped]  # graphviz ships no type information

from tinygrad_edu.engine import Value, topological_order
from tinygrad_edu.messages import choose_language, text
from tinygrad_edu.nn import Params, named_leaves

__all__ = [
    "DOT_TIMEOUT",
    "MAX_USES",
    "RENDER_FORMATS",
    "DotFailed",
    "DotTimedOut",
    "GraphvizNotFoundWarning",
    "draw_dot",
    "render",
]

RENDER_FORMATS = (".svg", ".png", ".pdf", ".dot")
"""The file suffixes `render` understands; the suffix decides the format."""

RANKDIRS = ("LR", "RL", "TB", "BT")

NOT_COMPUTED_NOTICE = text("graph.not_computed", "en")

INSTALL_HINT = (
    "install Graphviz (Debian/Ubuntu: sudo apt-get install graphviz; "
    "macOS: brew install graphviz; Windows: download it from https://graphviz.org/download/ "
    "and add its bin folder to PATH)"
)

# Two hues of ColorBrewer's diverging "RdBu" scheme (Cynthia Brewer, colorbrewer2.org),
# which stays readable for colour-blind viewers; black text is legible on both.
RAISES_OUTPUT = (214, 96, 77)  # grad > 0
LOWERS_OUTPUT = (67, 147, 195)  # grad < 0
NO_EFFECT = "#ffffff"  # grad == 0 (and gradients not computed yet)
WEAKEST_SHADE = 0.15
"""How much colour the smallest nonzero |grad| still gets, so its sign stays visible."""

FONT = "Helvetica"

LEGEND_TITLE = text("graph.legend.title", "en")

# Operations whose inputs can be swapped without changing the result; the
# inputs of every other operation with several inputs get their position on
# the edge, so a - b and b - a draw differently.
COMMUTATIVE_OPS = frozenset({"+", "*"})

# How each kind of Value node looks (the fill colour is added per node).
KIND_STYLES: dict[str, dict[str, str]] = {
    "parameter": {"shape": "Mrecord", "style": "filled,bold", "penwidth": "2.5"},
    "input": {"shape": "record", "style": "filled,dashed"},
    "computed": {"shape": "record", "style": "filled"},
}
OP_STYLE = {
    "shape": "ellipse",
    "fontsize": "12",
    "margin": "0.03,0.01",
    "height": "0.3",
    "color": "#555555",
}


DOT_TIMEOUT = 20.0
"""Seconds `render` lets Graphviz's `dot` run. The lesson's graphs take well under a second
(the demo's one-example loss about 0.02 s, the lecture's neuron about 0.01 s)."""

MAX_USES = 32
"""The most times `draw_dot` lets one Value feed later ops. dot's layout time grows steeply
with one node's edges: x * x * ... * x with 40 factors takes 0.24 s, 50 take 1.5 s, 60 take
4.7 s; the lesson's widest node (an input feeding 16 neurons) has 16."""


class DotFailed(RuntimeError):
    """Graphviz's `dot` failed to draw a picture: it exited with an error, crashed or took too long.

    Nothing is left at the path `render` was given.
    """


class DotTimedOut(DotFailed):
    """Graphviz's `dot` ran longer than `render`'s `dot_timeout` and was stopped."""


class GraphvizNotFoundWarning(UserWarning):
    """`render` could not find the Graphviz `dot` program and wrote a .dot file instead."""




def draw_dot(
    root: Value,
    rankdir: str = "LR",
    max_nodes: int = 1000,
    legend: bool = False,
    params: Params | None = None,
    max_uses: int = MAX_USES,
    *,
    lang: str | None = None,
) -> graphviz.Digraph:
    """Draw the graph below `root`: one record per Value, one node per op.

    `params` (a Module, a list of Values, or `(name, Value)` pairs) marks
    those Values as parameters and names them. A graph where every gradient
    is 0.0 is taken as not yet backpropagated and says so in its title. The
    words (that notice, the legend) are in `lang`, 'pt' or 'en' (None: as
    `messages.choose_language()` picks, from $TINYGRAD_EDU_LANG or the locale).

    >>> from tinygrad_edu.engine import Value
    >>> x = Value(2.0, label='x')
    >>> y = (x * 3.0).tanh(); y.label = 'y'
    >>> graph = draw_dot(y, lang='en')
    >>> graph.graph_attr['label']
    'gradients not computed yet: call .backward() on the output'
    >>> y.backward()
    >>> 'label' in draw_dot(y).graph_attr
    False
    """
    if not isinstance(root, Value):
        raise TypeError(
            f"draw_dot needs a Value as root, got {type(root).__name__}: {root!r}; "
            "pass the output you want to see, e.g. draw_dot(loss)"
        )
    if rankdir not in RANKDIRS:
        raise ValueError(
            f"rankdir must be one of {', '.join(RANKDIRS)} (left-right, right-left, "
            f"top-bottom, bottom-top), got {rankdir!r}"
        )
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int):
        raise TypeError(f"max_nodes must be an int, got {type(max_nodes).__name__}: {max_nodes!r}")
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, got {max_nodes}")
    parameter_names = _parameter_names(params)
    lang = choose_language(lang)

    order = topological_order(root)
    if len(order) > max_nodes:
        raise ValueError(
            f"the graph below this Value has {len(order):,} Values, more than "
            f"max_nodes={max_nodes:,}; a picture that big is unreadable and slow to lay out. "
            "Draw a smaller piece instead, e.g. the loss of a single example or the output "
            "of a single neuron, or pass a larger max_nodes= if you really want all of it"
        )
    if isinstance(max_uses, bool) or not isinstance(max_uses, int) or max_uses < 1:
        raise ValueError(f"max_uses must be an int of at least 1, got {max_uses!r}")
    uses: dict[Value, int] = {}
    for node in order:
        for child in node._prev:
            uses[child] = uses.get(child, 0) + 1
    busiest, count = max(uses.items(), key=lambda item: item[1], default=(root, 0))
    if count > max_uses:
        name = f" {busiest.label!r}" if busiest.label else ""
        raise ValueError(
            f"the Value{name} (data {busiest.data!r}) feeds {count:,} ops, more than "
            f"max_uses={max_uses:,}; Graphviz lays out a node with that many edges very "
            "slowly (minutes past 100). Write the repeated product as a power (x ** 50), "
            "or pass a larger max_uses= if you really want this picture"
        )

    has_gradients = any(node.grad != 0.0 for node in order)
    largest = max((abs(node.grad) for node in order if math.isfinite(node.grad)), default=0.0)

    graph = graphviz.Digraph(
        format="svg",
        graph_attr={"rankdir": rankdir, "fontname": FONT},
        node_attr={"fontname": FONT, "fontsize": "11"},
        edge_attr={"fontname": FONT, "fontsize": "9", "color": "#555555"},
    )
    if not has_gradients:
        graph.graph_attr.update(
            label=text("graph.not_computed", lang), labelloc="t", fontsize="14", fontcolor="#b2182b"
        )

    node_ids: dict[Value, str] = {}
    for index, node in enumerate(order):
        node_id = f"value{index}"
        node_ids[node] = node_id
        kind = _kind(node, parameter_names)
        name = parameter_names.get(node) or node.label
        graph.node(
            node_id,
            label=_record_label(name, node, has_gradients, rankdir),
            fillcolor=_fill_colour(node.grad, largest) if has_gradients else NO_EFFECT,
            **KIND_STYLES[kind],
        )
        if node._prev:
            op_id = f"op{index}"
            graph.node(op_id, label=graphviz.escape(node._op or "?"), **OP_STYLE)
            positions = _operand_positions(node._op, len(node._prev))
            for child, position in zip(node._prev, positions, strict=True):
                graph.edge(node_ids[child], op_id, label=position or None)
            graph.edge(op_id, node_id)

    if legend:
        _add_legend(graph, largest if has_gradients else None, rankdir, lang)
    return graph


def render(
    root: Value,
    path: str | os.PathLike[str],
    *,
    dot_timeout: float = DOT_TIMEOUT,
    **draw_dot_options: Any,
) -> str:
    """Draw the graph below `root` into `path` and return the path written, as a str.

    The suffix picks the format: .svg, .png, .pdf or .dot (the DOT source,
    which needs no Graphviz). Missing folders are created. Without the
    Graphviz `dot` program the DOT source is written beside `path` (same name,
    suffix .dot), a `GraphvizNotFoundWarning` says how to install Graphviz,
    and that .dot path is returned. Options go to `draw_dot`.

    `dot` may run for `dot_timeout` seconds (DOT_TIMEOUT, 20, by default);
    past that it is stopped and `DotTimedOut` is raised. When `dot` fails in
    any other way (exits with an error, crashes) `DotFailed` is raised; both
    say what happened in one line, and neither leaves a file at `path`. The
    file is written under a temporary name in the same folder, then renamed:
    a symlink planted at `path` is replaced, never followed.

    >>> import os, tempfile
    >>> from tinygrad_edu.engine import Value
    >>> y = Value(2.0, label='x') * 3.0
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = render(y, os.path.join(folder, 'pictures', 'y.dot'), legend=True)
    ...     print(os.path.basename(written), os.path.getsize(written) > 0)
    y.dot True
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in RENDER_FORMATS:
        raise ValueError(
            f"cannot tell the picture format from the file name {str(path)!r}; "
            f"end it with one of {', '.join(RENDER_FORMATS)}"
        )
    if (
        isinstance(dot_timeout, bool)
        or not isinstance(dot_timeout, (int, float))
        or not (math.isfinite(dot_timeout) and dot_timeout > 0)
    ):
        raise ValueError(f"dot_timeout must be a number of seconds > 0, got {dot_timeout!r}")
    graph = draw_dot(root, **draw_dot_options)
    target.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".dot":
        _write_atomically(target, graph.source.encode("utf-8"))
        return str(target)
    program = shutil.which("dot")
    if program is None:
        source_path = target.with_suffix(".dot")
        _write_atomically(source_path, graph.source.encode("utf-8"))
        warnings.warn(
            f"the Graphviz 'dot' program was not found, so {str(target)!r} was not drawn; "
            f"wrote the graph's DOT source to {str(source_path)!r} instead. To get the "
            f"picture, {INSTALL_HINT}, then render again or run: "
            f"dot -T{suffix[1:]} {source_path} -o {target}",
            GraphvizNotFoundWarning,
            stacklevel=2,
        )
        return str(source_path)
    picture = _run_dot(program, graph.source, suffix[1:], dot_timeout, target)
    _write_atomically(target, picture)
    return str(target)


def _run_dot(program: str, source: str, file_format: str, timeout: float, target: Path) -> bytes:
    """The picture `dot` draws from `source`, or DotFailed saying what went wrong.

    The source goes in through subprocess.run's `input`, which stops writing
    when dot closes its input early (a label too long for it makes it exit at
    once) instead of dying of a broken pipe.
    """
    command = [program, f"-T{file_format}"]
    try:
        result = subprocess.run(
            command, input=source.encode("utf-8"), capture_output=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        raise DotTimedOut(
            f"Graphviz's dot took longer than dot_timeout={timeout:g} s to draw {str(target)!r} "
            "and was stopped; draw a smaller graph, or pass a larger dot_timeout= to render"
        ) from None
    except OSError as error:
        raise DotFailed(f"could not run Graphviz's dot ({program}): {error}") from None
    if result.returncode != 0 or not result.stdout:
        if result.returncode < 0:
            what = f"was killed by signal {-result.returncode}"
        elif result.returncode > 0:
            what = f"exited with status {result.returncode}"
        else:
            what = "wrote nothing"
        said = result.stderr.decode("utf-8", "backslashreplace").strip().splitlines()
        detail = f": {said[-1][:200]}" if said else ""
        raise DotFailed(f"Graphviz's dot {what} while drawing {str(target)!r}{detail}")
    return result.stdout


def _write_atomically(target: Path, content: bytes) -> None:
    """Write `content` to a temporary file beside `target`, then rename it over `target`.

    A failure leaves no partial file; a symlink at `target` is replaced, not followed.
    """
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        mask = os.umask(0)  # mkstemp makes the file private; give it the usual permissions
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _parameter_names(params: Params | None) -> dict[Value, str]:
    """Map each parameter to its name (nn.named_leaves: the given name, the label or params[i])."""
    if params is None:
        return {}
    return {value: name for name, value in named_leaves(params)}


def _kind(node: Value, parameter_names: dict[Value, str]) -> str:
    """'parameter', 'input' (a leaf: an input or a constant) or 'computed'."""
    if node in parameter_names:
        return "parameter"
    return "computed" if node._prev else "input"


def _format_number(x: float) -> str:
    """Four significant digits, compact: 2, -1.5, 0.7071, 6.881, 1.235e+04."""
    return "0" if x == 0 else format(x, ".4g")


def _record_field(text: str) -> str:
    """Escape the characters that structure a Graphviz record label."""
    text = text.replace("\\", "\\\\")
    for special in "{}|<>":
        text = text.replace(special, "\\" + special)
    return text


def _record_label(name: str, node: Value, has_gradients: bool, rankdir: str) -> str:
    """`name | data 2 | grad -1.5` in one row, whatever the direction of the graph."""
    grad = _format_number(node.grad) if has_gradients else "?"
    fields = [f"data {_format_number(node.data)}", f"grad {grad}"]
    if name:
        fields.insert(0, _record_field(name))
    row = " | ".join(fields)
    # A record's fields run across the rank direction; braces turn them by 90 degrees.
    label = "{ " + row + " }" if rankdir in ("LR", "RL") else row
    return graphviz.nohtml(label)  # type: ignore[no-any-return]


def _fill_colour(grad: float, largest: float) -> str:
    """Red for grad > 0, blue for grad < 0, white for 0; paler for smaller |grad|."""
    if grad == 0 or math.isnan(grad):
        return NO_EFFECT
    strength = abs(grad) / largest if math.isfinite(grad) else 1.0
    shade = WEAKEST_SHADE + (1 - WEAKEST_SHADE) * strength
    hue = RAISES_OUTPUT if grad > 0 else LOWERS_OUTPUT
    red, green, blue = (round(255 + (channel - 255) * shade) for channel in hue)
    return f"#{red:02x}{green:02x}{blue:02x}"


def _operand_positions(op: str, n_inputs: int) -> list[str]:
    """Edge labels telling the inputs of an order-sensitive op apart ('' when order is moot).

    `a - b`: 'left', 'right'. A neuron's `dot` node (children w0, x0, w1, x1,
    ..., bias, see `engine.dot`): 'w0', 'x0', ..., 'b', showing which weight
    multiplies which input. Any other op with several inputs: '1', '2', ...
    """
    if n_inputs < 2 or op in COMMUTATIVE_OPS:
        return [""] * n_inputs
    if op == "dot" and n_inputs % 2 == 1:
        pairs = [f"{role}{index}" for index in range(n_inputs // 2) for role in ("w", "x")]
        return [*pairs, "b"]
    if n_inputs == 2:
        return ["left", "right"]
    return [str(position) for position in range(1, n_inputs + 1)]


def _add_legend(graph: graphviz.Digraph, largest: float | None, rankdir: str, lang: str) -> None:
    """A boxed key explaining borders, colours and op nodes (`largest` None: no grads yet)."""

    def example(kind: str, text: str) -> dict[str, str]:
        return {"label": text, "fillcolor": NO_EFFECT, **KIND_STYLES[kind]}

    entries = [
        ("legend_parameter", example("parameter", text("graph.legend.parameter", lang))),
        ("legend_input", example("input", text("graph.legend.input", lang))),
        ("legend_computed", example("computed", text("graph.legend.computed", lang))),
        ("legend_op", {"label": text("graph.legend.op", lang), **OP_STYLE}),
        ("legend_colours", {"label": _colour_key(largest, lang), "shape": "plain"}),
    ]
    with graph.subgraph(name="cluster_legend") as key:
        key.attr(
            label=text("graph.legend.title", lang),
            style="rounded",
            color="#999999",
            fontsize="12",
            fontcolor="black",
        )
        # The key is one strip across the picture rather than a tall column.
        if rankdir in ("LR", "RL"):
            # Invisible edges chain the entries across the ranks.
            for name, attributes in entries:
                key.node(name, **attributes)
            for (tail, _), (head, _) in itertools.pairwise(entries):
                key.edge(tail, head, style="invis")
            return
        # Across a top-bottom graph the entries share one rank (no edges: dot
        # cannot draw an edge within a rank next to a record), and dot lays
        # such a rank out from the last node given to the first.
        with key.subgraph(name="legend_strip") as strip:
            strip.attr(rank="same")
            for name, attributes in reversed(entries):
                strip.node(name, **attributes)


def _colour_key(largest: float | None, lang: str) -> str:
    """An HTML-like table with colour swatches for the gradient's sign and size."""
    if largest is None:
        scale = text("graph.legend.no_gradients", lang)
    else:
        strongest = _format_number(largest)
        scale = text("graph.legend.scale", lang, strongest=strongest)

    def swatch(grad: float) -> str:
        colour = _fill_colour(grad, 1.0)
        return f'<TD BGCOLOR="{colour}" FIXEDSIZE="TRUE" WIDTH="24" HEIGHT="16"></TD>'

    def row(swatches: str, text: str) -> str:
        return f'<TR>{swatches}<TD ALIGN="LEFT" BORDER="0">{text}</TD></TR>'

    no_swatch = '<TD BORDER="0"></TD>'
    rows = [
        row(swatch(1.0) + swatch(0.25), text("graph.legend.raises", lang)),
        row(swatch(-1.0) + swatch(-0.25), text("graph.legend.lowers", lang)),
        row(swatch(0.0) + no_swatch, text("graph.legend.no_effect", lang)),
        row(no_swatch + no_swatch, scale),
    ]
    return '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="3">' + "".join(rows) + "</TABLE>>"
