"""Tests for tinygrad_edu.viz: the Digraph's structure, its encoding, and rendering with dot."""

from __future__ import annotations

import math
import os
import re
import shutil
import sys
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import graphviz  # type: ignore[import-untyped]  # graphviz ships no type information
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import require_program
from tinygrad_edu import compiled
from tinygrad_edu.engine import Value, dot, topological_order
from tinygrad_edu.viz import (
    NOT_COMPUTED_NOTICE,
    RENDER_FORMATS,
    GraphvizNotFoundWarning,
    draw_dot,
    render,
)

# --- Reading a Digraph back -----------------------------------------------------
# The graphviz package writes one statement per line; top-level statements start
# with exactly one tab, those of subgraphs (the legend) with more.

NODE_LINE = re.compile(r"^\t(?P<name>\w+) \[(?P<attributes>.*)\]$")
EDGE_LINE = re.compile(r"^\t(?P<tail>\w+) -> (?P<head>\w+)(?: \[(?P<attributes>.*)\])?$")
ATTRIBUTE = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|[^\s"]+)')
VALUE_SHAPES = ("record", "Mrecord")


def parse_attributes(text: str | None) -> dict[str, str]:
    attributes = {}
    for key, raw in ATTRIBUTE.findall(text or ""):
        if raw.startswith('"'):
            raw = raw[1:-1].replace('\\"', '"')
        attributes[key] = raw
    return attributes


@dataclass
class Drawn:
    """The top-level nodes and edges of a Digraph, read from its source."""

    nodes: dict[str, dict[str, str]] = field(default_factory=dict)
    edges: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)

    @property
    def value_nodes(self) -> dict[str, dict[str, str]]:
        return {n: a for n, a in self.nodes.items() if a.get("shape") in VALUE_SHAPES}

    @property
    def op_nodes(self) -> dict[str, dict[str, str]]:
        return {n: a for n, a in self.nodes.items() if a.get("shape") == "ellipse"}

    def fields(self, name: str) -> list[str]:
        """The fields of a Value record, e.g. ['a', 'data 2', 'grad 4']."""
        label = self.nodes[name]["label"].strip()
        if label.startswith("{ ") and label.endswith(" }"):
            label = label[2:-2]
        fields, current, characters = [], "", iter(label)
        for character in characters:
            if character == "\\":  # an escaped character belongs to the field
                current += character + next(characters)
            elif character == "|":
                fields.append(current.strip())
                current = ""
            else:
                current += character
        return [*fields, current.strip()]

    def value_named(self, name: str) -> str:
        """The node id of the Value record whose first field is `name`."""
        found = [n for n in self.value_nodes if self.fields(n)[0] == name]
        assert len(found) == 1, f"expected one record named {name!r}, found {found}"
        return found[0]

    def edges_from(self, tail: str) -> list[str]:
        return [head for t, head, _ in self.edges if t == tail]

    def edges_into(self, head: str) -> list[str]:
        return [tail for tail, h, _ in self.edges if h == head]


def read(graph: graphviz.Digraph) -> Drawn:
    drawn = Drawn()
    for line in graph.body:
        line = line.rstrip("\n")
        if edge := EDGE_LINE.match(line):
            attributes = parse_attributes(edge["attributes"])
            drawn.edges.append((edge["tail"], edge["head"], attributes))
        elif node := NODE_LINE.match(line):
            drawn.nodes[node["name"]] = parse_attributes(node["attributes"])
    return drawn


def rgb(colour: str) -> tuple[int, int, int]:
    match = re.fullmatch(r"#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})", colour)
    assert match, f"not an #rrggbb colour: {colour!r}"
    red, green, blue = (int(part, 16) for part in match.groups())
    return red, green, blue


def lecture_neuron() -> dict[str, Value]:
    """The neuron of the "building micrograd" lecture, after o.backward(), by label."""
    o = compiled.lecture_neuron()
    o.backward()
    named = {v.label: v for v in topological_order(o)}
    return {label: named[label] for label in ("x1", "x2", "w1", "w2", "b", "n", "o")}


# --- Structure -------------------------------------------------------------------


def test_lecture_neuron_has_one_record_per_value_and_one_node_per_op() -> None:
    values = lecture_neuron()
    drawn = read(draw_dot(values["o"]))
    assert len(drawn.value_nodes) == 10  # x1 x2 w1 w2 b, x1*w1 x2*w2, their sum, n, o
    assert sorted(a["label"] for a in drawn.op_nodes.values()) == ["*", "*", "+", "+", "tanh"]
    assert len(drawn.nodes) == 15
    assert len(drawn.edges) == 2 + 2 + 2 + 2 + 1 + 5  # inputs into each op, each op to its result
    # Numbers as the lecture shows them after o.backward(), to 4 significant digits.
    expected = {
        "x1": ["x1", "data 2", "grad -1.5"],
        "w1": ["w1", "data -3", "grad 1"],
        "x2": ["x2", "data 0", "grad 0.5"],
        "w2": ["w2", "data 1", "grad 0"],
        "b": ["b", "data 6.881", "grad 0.5"],
        "n": ["n", "data 0.8814", "grad 0.5"],
        "o": ["o", "data 0.7071", "grad 1"],
    }
    for label, fields in expected.items():
        assert drawn.fields(drawn.value_named(label)) == fields


def test_edges_run_child_to_op_to_result() -> None:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    e = a * b
    e.label = "e"
    drawn = read(draw_dot(e))
    (op,) = drawn.op_nodes
    assert drawn.nodes[op]["label"] == "*"
    assert drawn.edges_from(drawn.value_named("a")) == [op]
    assert drawn.edges_from(drawn.value_named("b")) == [op]
    assert drawn.edges_from(op) == [drawn.value_named("e")]
    assert drawn.edges_into(drawn.value_named("a")) == []


def test_a_reused_value_is_one_node_with_two_edges() -> None:
    a = Value(3.0, label="a")
    square = a * a
    square.label = "square"
    square.backward()
    drawn = read(draw_dot(square))
    assert len(drawn.value_nodes) == 2
    (op,) = drawn.op_nodes
    assert drawn.edges_from(drawn.value_named("a")) == [op, op]
    assert drawn.fields(drawn.value_named("a")) == ["a", "data 3", "grad 6"]


def test_a_number_in_an_expression_is_drawn_as_a_leaf() -> None:
    a = Value(5.0, label="a")
    doubled = a * 2
    doubled.label = "doubled"
    doubled.backward()
    drawn = read(draw_dot(doubled))
    (constant,) = [n for n in drawn.value_nodes if drawn.fields(n) == ["data 2", "grad 5"]]
    assert drawn.edges_into(constant) == []
    assert drawn.nodes[constant]["style"] == drawn.nodes[drawn.value_named("a")]["style"]


@pytest.mark.parametrize(
    ("make", "op_label"),
    [
        (lambda x: x**2, "**2"),
        (lambda x: x**0.5, "**0.5"),
        (lambda x: -x, "neg"),
        (lambda x: x.tanh(), "tanh"),
        (lambda x: x.exp(), "exp"),
        (lambda x: x / 4, "/"),
        (lambda x: 2**x, "**"),
    ],
)
def test_op_nodes_show_the_op_name(make: object, op_label: str) -> None:
    x = Value(1.5, label="x")
    drawn = read(draw_dot(make(x)))  # type: ignore[operator]
    assert [a["label"] for a in drawn.op_nodes.values()] == [op_label]


def test_inputs_of_order_sensitive_ops_are_labelled_left_and_right() -> None:
    a, b = Value(5.0, label="a"), Value(2.0, label="b")
    drawn = read(draw_dot(a - b))
    labels = {tail: attributes.get("label") for tail, _, attributes in drawn.edges}
    assert labels[drawn.value_named("a")] == "left"
    assert labels[drawn.value_named("b")] == "right"
    drawn = read(draw_dot(a + b))
    assert all("label" not in attributes for _, _, attributes in drawn.edges)


def test_a_neurons_dot_node_shows_which_weight_meets_which_input() -> None:
    weights = [Value(2.0, label="wa"), Value(-1.0, label="wb")]
    inputs = [Value(3.0, label="xa"), Value(4.0, label="xb")]
    bias = Value(0.5, label="bias")
    drawn = read(draw_dot(dot(weights, inputs, bias)))
    labels = {tail: attributes.get("label") for tail, _, attributes in drawn.edges}
    expected = {"wa": "w0", "xa": "x0", "wb": "w1", "xb": "x1", "bias": "b"}
    assert {name: labels[drawn.value_named(name)] for name in expected} == expected


def test_other_ops_with_several_inputs_number_them() -> None:
    a, b, c = Value(1.0, label="a"), Value(2.0, label="b"), Value(3.0, label="c")
    drawn = read(draw_dot(Value(7.0, (a, b, c), "fma")))
    labels = {tail: attributes.get("label") for tail, _, attributes in drawn.edges}
    assert [labels[drawn.value_named(name)] for name in "abc"] == ["1", "2", "3"]


def test_a_hand_built_node_shows_its_op_even_without_a_rule() -> None:
    a = Value(1.0, label="a")
    node = Value(2.0, (a,), "mystery", label="m")
    nameless = Value(3.0, (a,), "", label="n")
    assert [x["label"] for x in read(draw_dot(node)).op_nodes.values()] == ["mystery"]
    assert [x["label"] for x in read(draw_dot(nameless)).op_nodes.values()] == ["?"]


def test_a_single_leaf_is_one_record_and_no_edges() -> None:
    drawn = read(draw_dot(Value(1.0, label="alone")))
    assert list(drawn.value_nodes) == list(drawn.nodes)
    assert len(drawn.nodes) == 1
    assert drawn.edges == []


def test_a_deep_chain_draws_without_recursion() -> None:
    """The engine's iterative topological_order is the only walk, so depth is no limit."""
    depth = sys.getrecursionlimit() + 500
    x = Value(0.0, label="x")
    y = x
    for _ in range(depth):
        y = y + 1.0
    drawn = read(draw_dot(y, max_nodes=10 * depth))
    assert len(drawn.value_nodes) == len(topological_order(y)) == 2 * depth + 1
    assert len(drawn.op_nodes) == depth


def test_the_digraph_is_lecture_compatible() -> None:
    graph = draw_dot(Value(1.0) * 2)
    assert isinstance(graph, graphviz.Digraph)
    assert graph.format == "svg"
    assert graph.graph_attr["rankdir"] == "LR"


@pytest.mark.parametrize("rankdir", ["LR", "RL", "TB", "BT"])
def test_records_read_label_data_grad_in_every_direction(rankdir: str) -> None:
    a = Value(2.0, label="a")
    drawn = read(draw_dot(a, rankdir=rankdir))
    assert drawn.fields(drawn.value_named("a")) == ["a", "data 2", "grad ?"]
    assert draw_dot(a, rankdir=rankdir).graph_attr["rankdir"] == rankdir


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        (6.8813735870195432, "6.881"),
        (0.70710678, "0.7071"),
        (12345.678, "1.235e+04"),
        (-0.0, "0"),
        (1e-7, "1e-07"),
        (math.inf, "inf"),
        (math.nan, "nan"),
    ],
)
def test_numbers_are_shown_with_four_significant_digits(number: float, shown: str) -> None:
    drawn = read(draw_dot(Value(number, label="v")))
    assert drawn.fields(drawn.value_named("v"))[1] == f"data {shown}"


def test_record_characters_in_labels_are_escaped() -> None:
    drawn = read(draw_dot(Value(1.0, label="{x|y} <z> \\")))
    (name,) = drawn.value_nodes
    assert drawn.fields(name)[0] == "\\{x\\|y\\} \\<z\\> \\\\"


# --- Parameters ------------------------------------------------------------------


class TinyModule:
    """Stands for an nn.Module: only named_parameters() matters to draw_dot."""

    def __init__(self) -> None:
        self.weight = Value(0.5)
        self.bias = Value(-1.0)

    def named_parameters(self) -> list[tuple[str, Value]]:
        return [("layers.0.neurons.0.w.0", self.weight), ("layers.0.neurons.0.b", self.bias)]


def neuron_of(module: TinyModule, x: float) -> Value:
    return (module.weight * x + module.bias).tanh()


def test_a_module_names_and_marks_its_parameters() -> None:
    module = TinyModule()
    out = neuron_of(module, 3.0)
    out.backward()
    drawn = read(draw_dot(out, params=module))
    weight = drawn.value_named("layers.0.neurons.0.w.0")
    bias = drawn.value_named("layers.0.neurons.0.b")
    (constant,) = [n for n in drawn.value_nodes if drawn.fields(n)[0] == "data 3"]
    interior = [n for n in drawn.value_nodes if drawn.edges_into(n)]
    styles = {
        "parameter": {drawn.nodes[n]["style"] + drawn.nodes[n]["shape"] for n in (weight, bias)},
        "input": {drawn.nodes[constant]["style"] + drawn.nodes[constant]["shape"]},
        "computed": {drawn.nodes[n]["style"] + drawn.nodes[n]["shape"] for n in interior},
    }
    assert all(len(looks) == 1 for looks in styles.values())
    assert len(set.union(*styles.values())) == 3, "the three kinds must look different"


def test_without_params_every_leaf_looks_like_an_input() -> None:
    module = TinyModule()
    drawn = read(draw_dot(neuron_of(module, 3.0)))
    leaves = [n for n in drawn.value_nodes if not drawn.edges_into(n)]
    assert len(leaves) == 3
    assert len({drawn.nodes[n]["shape"] + drawn.nodes[n]["style"] for n in leaves}) == 1


def test_params_as_values_keep_labels_and_as_pairs_give_names() -> None:
    w = Value(2.0, label="w")
    x = Value(3.0, label="x")
    out = w * x
    as_values = read(draw_dot(out, params=[w]))
    as_pairs = read(draw_dot(out, params=[("weight", w)]))
    assert as_values.nodes[as_values.value_named("w")]["shape"] == "Mrecord"
    assert as_pairs.nodes[as_pairs.value_named("weight")]["shape"] == "Mrecord"
    assert as_pairs.nodes[as_pairs.value_named("x")]["shape"] == "record"


def test_params_outside_the_graph_add_nothing() -> None:
    module = TinyModule()
    out = module.weight * 2.0
    drawn = read(draw_dot(out, params=module))
    assert len(drawn.value_nodes) == 3
    assert all(drawn.fields(n)[0] != "layers.0.neurons.0.b" for n in drawn.value_nodes)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (Value(1.0), r"params=\[v\]"),
        ("w", "got str"),
        (3, "got int"),
        ([Value(1.0), 2.0], "got float"),
        ([("w", 2.0)], "got tuple"),
        ([(1, Value(1.0))], "got tuple"),
    ],
)
def test_bad_params_are_a_type_error(params: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        draw_dot(Value(1.0) * 2, params=params)  # type: ignore[arg-type]


# --- Colours ------------------------------------------------------------------------


@given(
    st.lists(
        st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_subnormal=False),
        min_size=1,
        max_size=6,
    )
)
def test_fill_tells_the_sign_and_size_of_the_gradient(grads: list[float]) -> None:
    """Red-ish (red channel > blue) for grad > 0, blue-ish for < 0, white for 0;
    a larger |grad| of the same sign is never paler, half of it clearly paler,
    and the largest gets the full hue."""
    leaves = [Value(float(i), label=f"leaf{i}") for i in range(len(grads))]
    total = leaves[0]
    for leaf in leaves[1:]:
        total = total + leaf
    for leaf, gradient in zip(leaves, grads, strict=True):
        leaf.grad = gradient
    for node in topological_order(total):
        if node._prev:
            node.grad = 0.0  # only the leaves' gradients matter below
    total.grad = 0.0
    if all(g == 0 for g in grads):
        total.grad = 1.0  # keep the "computed" picture; total is then the largest
    drawn = read(draw_dot(total))
    colours = {
        leaf: rgb(drawn.nodes[drawn.value_named(leaf.label)]["fillcolor"]) for leaf in leaves
    }
    largest = max(abs(node.grad) for node in topological_order(total))
    for leaf, (red, green, blue) in colours.items():
        if leaf.grad > 0:
            assert red > blue
        elif leaf.grad < 0:
            assert blue > red
        else:
            assert (red, green, blue) == (255, 255, 255)
        if leaf.grad != 0 and abs(leaf.grad) == largest:
            assert min(red, green, blue) < 100, "the largest |grad| gets the full hue"
    for first in leaves:
        for second in leaves:
            same_sign = first.grad * second.grad > 0
            if same_sign and abs(first.grad) < abs(second.grad):
                assert sum(colours[first]) >= sum(colours[second])
            if same_sign and abs(second.grad) == largest and abs(first.grad) <= largest / 2:
                # at most half the largest |grad| sits at least 0.85 / 2 of the
                # hue's distance from white closer to white: visibly paler
                assert sum(colours[first]) > sum(colours[second]) + 50


def test_non_finite_gradients_still_draw() -> None:
    a, b, c = Value(1.0, label="a"), Value(2.0, label="b"), Value(3.0, label="c")
    out = a + b + c
    a.grad, b.grad, c.grad = math.inf, math.nan, 1.0
    drawn = read(draw_dot(out))
    assert drawn.fields(drawn.value_named("a"))[2] == "grad inf"
    assert drawn.fields(drawn.value_named("b"))[2] == "grad nan"
    assert drawn.nodes[drawn.value_named("b")]["fillcolor"] == "#ffffff"
    red, _, blue = rgb(drawn.nodes[drawn.value_named("a")]["fillcolor"])
    assert red > blue


# --- Before backward() ------------------------------------------------------------------


def test_before_backward_the_graph_label_says_so_and_no_node_is_added() -> None:
    a = Value(2.0, label="a")
    out = (a * 3.0).tanh()
    before = draw_dot(out)
    assert before.graph_attr["label"] == NOT_COMPUTED_NOTICE
    assert "call .backward() on the output" in NOT_COMPUTED_NOTICE
    drawn_before = read(before)
    assert all(drawn_before.fields(n)[-1] == "grad ?" for n in drawn_before.value_nodes)
    out.backward()
    after = draw_dot(out)
    assert "label" not in after.graph_attr
    drawn_after = read(after)
    assert len(drawn_after.nodes) == len(drawn_before.nodes)
    assert len(drawn_after.edges) == len(drawn_before.edges)
    assert drawn_after.fields(drawn_after.value_named("a"))[-1] != "grad ?"


def test_the_notice_returns_when_every_gradient_is_zero_again() -> None:
    """The documented rule: all grads exactly 0.0 means no backward() has reached the graph."""
    a = Value(2.0, label="a")
    out = a * a
    out.backward()
    for node in topological_order(out):
        node.grad = 0.0
    assert draw_dot(out).graph_attr["label"] == NOT_COMPUTED_NOTICE
    a.grad = 0.25  # a single nonzero gradient means something was computed
    assert "label" not in draw_dot(out).graph_attr


# --- Legend ---------------------------------------------------------------------------


def test_no_legend_by_default() -> None:
    values = lecture_neuron()
    graph = draw_dot(values["o"])
    assert "subgraph" not in graph.source
    drawn = read(graph)
    assert set(drawn.nodes) == set(drawn.value_nodes) | set(drawn.op_nodes)


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_legend_is_a_cluster_and_leaves_the_graph_alone(rankdir: str) -> None:
    values = lecture_neuron()
    plain = read(draw_dot(values["o"], rankdir=rankdir))
    graph = draw_dot(values["o"], rankdir=rankdir, legend=True)
    with_legend = read(graph)
    assert with_legend.nodes == plain.nodes
    assert with_legend.edges == plain.edges
    assert graph.source.count("subgraph cluster_legend") == 1
    for explanation in [
        "parameter",
        "input or constant",
        "computed value",
        "raises the output",
        "lowers the output",
        "no effect on the output",
        "largest |grad| here (1.5)",
    ]:
        assert explanation in graph.source


# --- Errors ------------------------------------------------------------------------------


def chain(n_ops: int) -> Value:
    """A chain of additions: 2 * n_ops + 1 Values."""
    y = Value(0.0)
    for _ in range(n_ops):
        y = y + 1.0
    return y


def test_over_max_nodes_is_a_value_error_that_says_what_to_do() -> None:
    y = chain(30)  # 61 Values
    draw_dot(y, max_nodes=61)
    with pytest.raises(ValueError, match=r"61 Values, more than max_nodes=60") as caught:
        draw_dot(y, max_nodes=60)
    message = str(caught.value)
    assert "single example" in message
    assert "single neuron" in message
    assert "larger max_nodes" in message


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"max_nodes": 0}, ValueError, "at least 1"),
        ({"max_nodes": 1.5}, TypeError, "max_nodes must be an int"),
        ({"max_nodes": True}, TypeError, "max_nodes must be an int"),
        ({"rankdir": "XY"}, ValueError, "rankdir must be one of LR, RL, TB, BT"),
    ],
)
def test_bad_options_are_clear_errors(
    options: dict[str, object], error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        draw_dot(Value(1.0), **options)  # type: ignore[arg-type]


def test_the_root_must_be_a_value() -> None:
    with pytest.raises(TypeError, match="needs a Value as root, got float"):
        draw_dot(1.0)  # type: ignore[arg-type]


# --- render --------------------------------------------------------------------------------


@pytest.fixture
def dot_program() -> str:
    """The Graphviz `dot` program: a local run without it skips, CI without it fails."""
    return require_program("dot", install="apt-get install graphviz")


@pytest.fixture
def no_dot_program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Hide Graphviz: PATH is one empty folder for the length of the test."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("dot") is None
    yield


def svg_texts(path: Path) -> list[str]:
    tree = ElementTree.parse(path)
    return [text.text or "" for text in tree.iter("{http://www.w3.org/2000/svg}text")]


def test_render_svg_holds_the_labels(tmp_path: Path, dot_program: str) -> None:
    values = lecture_neuron()
    target = tmp_path / "neuron.svg"
    written = render(values["o"], target, params=[values["w1"], values["w2"], values["b"]])
    assert written == str(target)
    texts = svg_texts(target)
    for expected in ["x1", "data 2", "grad -1.5", "w1", "tanh", "*", "+", "o", "data 0.7071"]:
        assert expected in texts
    assert os.listdir(tmp_path) == ["neuron.svg"], "nothing but the picture is left behind"


def test_render_png_and_pdf_write_those_formats(tmp_path: Path, dot_program: str) -> None:
    out = lecture_neuron()["o"]
    png = Path(render(out, tmp_path / "neuron.png", legend=True))
    pdf = Path(render(out, tmp_path / "neuron.PDF"))
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert sorted(os.listdir(tmp_path)) == ["neuron.PDF", "neuron.png"]


@pytest.mark.parametrize("rankdir", ["LR", "RL", "TB", "BT"])
@pytest.mark.parametrize("gradients", [False, True])
def test_dot_lays_out_every_direction_with_legend(
    tmp_path: Path, dot_program: str, rankdir: str, gradients: bool
) -> None:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    out = (a - b) / (a * a) + 2.0
    if gradients:
        out.backward()
    path = render(out, tmp_path / "graph.svg", rankdir=rankdir, legend=True, params=[a])
    texts = svg_texts(Path(path))
    assert "input or constant" in texts
    assert ("gradients not computed yet" in " ".join(texts)) is not gradients


@pytest.mark.parametrize("rankdir", ["LR", "RL", "TB", "BT"])
def test_a_record_reads_left_to_right_in_every_direction(
    tmp_path: Path, dot_program: str, rankdir: str
) -> None:
    """As in the lecture, a record is one row: label, data, grad side by side."""
    a = Value(2.0, label="a")
    tree = ElementTree.parse(render(a * 3.0, tmp_path / "row.svg", rankdir=rankdir))
    svg = "{http://www.w3.org/2000/svg}"
    (record,) = [
        group
        for group in tree.iter(f"{svg}g")
        if any(text.text == "a" for text in group.iter(f"{svg}text"))
        and group.get("class") == "node"
    ]
    position = {
        text.text: (float(text.attrib["x"]), float(text.attrib["y"]))
        for text in record.iter(f"{svg}text")
    }
    (label_x, label_y), (data_x, data_y), (grad_x, grad_y) = (
        position[field] for field in ("a", "data 2", "grad ?")
    )
    assert label_y == data_y == grad_y
    assert label_x < data_x < grad_x


def test_escaped_labels_come_out_literally(tmp_path: Path, dot_program: str) -> None:
    tricky = Value(1.0, label="{x|y} <z> \\")
    texts = svg_texts(Path(render(tricky * 2, tmp_path / "tricky.svg")))
    assert "{x|y} <z> \\" in texts


def test_jupyter_shows_the_digraph_as_svg(dot_program: str) -> None:
    bundle = draw_dot(lecture_neuron()["o"])._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"]


def test_render_dot_needs_no_graphviz(tmp_path: Path, no_dot_program: None) -> None:
    out = lecture_neuron()["o"]
    target = tmp_path / "nested" / "folders" / "neuron.dot"
    assert render(out, target, legend=True) == str(target)
    assert target.read_text(encoding="utf-8") == draw_dot(out, legend=True).source


def test_render_creates_missing_folders(tmp_path: Path, dot_program: str) -> None:
    target = tmp_path / "a" / "b" / "graph.svg"
    assert render(Value(1.0) * 2, str(target)) == str(target)
    assert target.exists()


@pytest.mark.parametrize("name", ["graph.jpg", "graph", "graph.svg.txt"])
def test_render_rejects_other_suffixes(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match=r"\.svg, \.png, \.pdf, \.dot"):
        render(Value(1.0), tmp_path / "new-folder" / name)
    assert os.listdir(tmp_path) == [], "nothing is written for a bad name"
    assert RENDER_FORMATS == (".svg", ".png", ".pdf", ".dot")


def test_without_dot_render_writes_the_source_and_says_how_to_install(
    tmp_path: Path, no_dot_program: None
) -> None:
    out = lecture_neuron()["o"]
    with pytest.warns(GraphvizNotFoundWarning) as caught:
        written = render(out, tmp_path / "neuron.png", legend=True)
    assert issubclass(GraphvizNotFoundWarning, UserWarning)
    assert written == str(tmp_path / "neuron.dot")
    assert sorted(os.listdir(tmp_path)) == ["empty-bin", "neuron.dot"]
    assert Path(written).read_text(encoding="utf-8") == draw_dot(out, legend=True).source
    (warning,) = caught
    message = str(warning.message)
    for hint in ["apt-get install graphviz", "brew install graphviz", "graphviz.org", "neuron.dot"]:
        assert hint in message
    assert warning.filename == __file__, "the warning points at the caller's line"


def test_render_passes_options_to_draw_dot(tmp_path: Path, no_dot_program: None) -> None:
    module = TinyModule()
    path = render(neuron_of(module, 1.0), tmp_path / "n.dot", params=module, rankdir="TB")
    source = Path(path).read_text(encoding="utf-8")
    assert "layers.0.neurons.0.w.0" in source
    assert "rankdir=TB" in source
    with pytest.raises(TypeError):
        render(Value(1.0), tmp_path / "n.dot", colour="red")
