"""Where the graph of one example's loss is drawn, and its colours; imports engine, viz and compute.

The page draws the graph itself, as SVG, and updates its numbers and colours
in place as a slider moves; the positions are computed once per model here.
`layout` asks Graphviz (`dot -Tjson` of `viz.draw_dot`'s graph) when the `dot`
program is installed, and otherwise places the nodes by topological depth
(children to the left of their parents, as `draw_dot`'s left-to-right graphs).
`fill_colours` reads each node's fill from `draw_dot`, so the page colours by
the gradient's sign exactly as the pictures of the rest of the package do.
"""

from __future__ import annotations

import json
import re
from typing import Any

import graphviz  # type: ignore[import-untyped]  # graphviz ships no type information

from tinygrad_edu.engine import Value, topological_order
from tinygrad_edu.explore.compute import Problem, example_loss
from tinygrad_edu.viz import draw_dot

__all__ = ["ENGINES", "MAX_GRAPH_VALUES", "fill_colours", "layout"]

MAX_GRAPH_VALUES = 300
"""The most Values a drawn graph may have: beyond it a picture is unreadable and slow to lay out."""

ENGINES = ("dot", "depth")
"""'dot' is Graphviz's layout (falling back to 'depth' without the dot program); 'depth' our own."""

POINTS_PER_INCH = 72.0

_FILL = re.compile(r'^\t(value\d+) \[.*fillcolor="(#[0-9a-fA-F]{6})"')
_EDGE = re.compile(r'^\t(\w+) -> (\w+)(?: \[label=("?)(.*?)\3\])?$')

# Sizes of our own layout, in points (as Graphviz's).
_CHARACTER_WIDTH = 6.5  # an average character of the page's 11 px sans-serif
_NAME_CHARACTER_WIDTH = 5.6  # names are drawn at 10 px
_NUMBER_WIDTH = len("grad -1.235e-05") * _CHARACTER_WIDTH
_VALUE_HEIGHT = 48.0  # three rows: name, data, grad
_OP_WIDTH, _OP_HEIGHT = 40.0, 22.0
_COLUMN_GAP, _ROW_GAP, _MARGIN = 28.0, 10.0, 8.0
_ARROW = 6.0  # the length of an arrowhead


def _drawing(root: Value, problem: Problem) -> graphviz.Digraph:
    named = list(zip(problem.names, problem.parameters, strict=True))
    return draw_dot(root, params=named, max_nodes=MAX_GRAPH_VALUES)


def fill_colours(root: Value, problem: Problem) -> list[str]:
    """The fill colour `draw_dot` gives each Value below `root`, in topological order."""
    colours: dict[str, str] = {}
    for line in _drawing(root, problem).body:
        match = _FILL.match(line)
        if match:
            colours[match.group(1)] = match.group(2).lower()
    count = len(topological_order(root))
    return [colours.get(f"value{index}", "#ffffff") for index in range(count)]


def layout(problem: Problem, loss: str, example: int, engine: str = "dot") -> dict[str, Any]:
    """Positions (in points, y down) of every Value and op node of one example's loss graph.

    Node ids, edges and edge labels are `draw_dot`'s: 'value<i>' for the i-th
    Value in topological order, 'op<i>' for the operation that computed it.
    Each Value is a box of three rows (name, data, grad), each op an ellipse.
    A graph of more than MAX_GRAPH_VALUES Values is not laid out (`too_big`).
    """
    root = example_loss(problem, loss, example)
    order = topological_order(root)
    if len(order) > MAX_GRAPH_VALUES:
        return {"too_big": True, "values": len(order), "limit": MAX_GRAPH_VALUES}
    names = dict(zip(problem.parameters, problem.names, strict=True))
    nodes = [_describe(index, node, names) for index, node in enumerate(order)]
    nodes += [_operation_node(index, node) for index, node in enumerate(order) if node._prev]
    for node in nodes:
        node["width"], node["height"] = _size(node)
    edges = _edges(_drawing(root, problem))
    placed = None
    if engine == "dot":
        try:
            source = graphviz.Source(_layout_source(nodes, edges))
            drawn = json.loads(source.pipe(format="json"))
        except graphviz.ExecutableNotFound:
            pass  # no Graphviz here: our own layout below
        else:
            placed = _from_graphviz(drawn, nodes, edges)
    if placed is None:
        placed = _by_depth(nodes, edges)
    return {"too_big": False, "values": len(order), **placed}


def _size(node: dict[str, Any]) -> tuple[float, float]:
    """A node's width and height in points: room for its name and a number like -1.235e-05."""
    if node["kind"] == "op":
        return max(_OP_WIDTH, len(node["op"]) * _CHARACTER_WIDTH + 16), _OP_HEIGHT
    name_width = len(node["name"]) * _NAME_CHARACTER_WIDTH
    return max(name_width, _NUMBER_WIDTH) + 12, _VALUE_HEIGHT


def _layout_source(nodes: list[dict[str, Any]], edges: list[tuple[str, str, str]]) -> str:
    """DOT source for the layout only: draw_dot's nodes and edges, each node of a fixed size."""
    lines = [
        "digraph {",
        f"  graph [rankdir=LR nodesep={_ROW_GAP / POINTS_PER_INCH:.3f} "
        f"ranksep={_COLUMN_GAP / POINTS_PER_INCH:.3f}]",
        '  node [fixedsize=true label=""]',
    ]
    for node in nodes:
        shape = "ellipse" if node["kind"] == "op" else "box"
        width, height = node["width"] / POINTS_PER_INCH, node["height"] / POINTS_PER_INCH
        lines.append(f"  {node['id']} [shape={shape} width={width:.4f} height={height:.4f}]")
    lines += [f"  {tail} -> {head}" for tail, head, _ in edges]
    lines.append("}")
    return "\n".join(lines)


def _describe(index: int, node: Value, names: dict[Value, str]) -> dict[str, Any]:
    """A Value's node: its id, its kind (parameter, input or computed) and its name."""
    if node in names:
        kind, name = "parameter", names[node]
    else:
        kind, name = ("computed" if node._prev else "input"), node.label
    return {"id": f"value{index}", "index": index, "kind": kind, "name": name}


def _operation_node(index: int, node: Value) -> dict[str, Any]:
    return {"id": f"op{index}", "index": index, "kind": "op", "op": node._op}


def _edges(drawing: graphviz.Digraph) -> list[tuple[str, str, str]]:
    """(tail, head, label) of every edge of draw_dot's graph: child -> op -> result."""
    edges = []
    for line in drawing.body:
        match = _EDGE.match(line)
        if match:
            edges.append((match.group(1), match.group(2), match.group(4) or ""))
    return edges


def _from_graphviz(
    drawn: dict[str, Any], nodes: list[dict[str, Any]], edges: list[tuple[str, str, str]]
) -> dict[str, Any]:
    """Read node centres and edge splines from `dot -Tjson`, turning y downwards."""
    _, _, width, height = (float(number) for number in drawn["bb"].split(","))
    by_id = {node["id"]: dict(node) for node in nodes}
    gvid_to_id: dict[int, str] = {}
    for obj in drawn.get("objects", []):
        x, y = (float(number) for number in obj["pos"].split(","))
        by_id[obj["name"]].update(x=x, y=height - y)
        gvid_to_id[obj["_gvid"]] = obj["name"]
    labels = {(tail, head): label for tail, head, label in edges}
    drawn_edges = []
    for edge in drawn.get("edges", []):
        tail, head = gvid_to_id[edge["tail"]], gvid_to_id[edge["head"]]
        path, arrow = _spline(edge["pos"], height)
        drawn_edges.append(
            {
                "tail": tail,
                "head": head,
                "label": labels.get((tail, head), ""),
                "path": path,
                "arrow": arrow,
            }
        )
    return {
        "engine": "dot",
        "width": width,
        "height": height,
        "nodes": list(by_id.values()),
        "edges": drawn_edges,
    }


def _spline(position: str, height: float) -> tuple[list[list[float]], list[float] | None]:
    """Graphviz's 'e,x,y x1,y1 x2,y2 ...': the cubic Bezier points and the arrow's tip."""
    points: list[list[float]] = []
    arrow = None
    for token in position.split():
        if token.startswith(("e,", "s,")):
            x, y = (float(number) for number in token[2:].split(","))
            if token[0] == "e":
                arrow = [x, height - y]
            continue
        x, y = (float(number) for number in token.split(","))
        points.append([x, height - y])
    return points, arrow


def _by_depth(nodes: list[dict[str, Any]], edges: list[tuple[str, str, str]]) -> dict[str, Any]:
    """Our own layout: one column per depth, each leaf just left of the op that first uses it."""
    by_id = {node["id"]: dict(node) for node in nodes}
    tails: dict[str, list[str]] = {}
    for tail, head, _ in edges:
        tails.setdefault(head, []).append(tail)
    column: dict[str, int] = {}
    for node in nodes:  # Values in topological order come first, then ops
        if node["kind"] == "computed":
            op_id = f"op{node['index']}"
            column[op_id] = max(column.get(child, 0) for child in tails[op_id]) + 1
            column[node["id"]] = column[op_id] + 1
    for node in nodes:
        if node["kind"] in ("parameter", "input"):
            users = [column[head] for tail, head, _ in edges if tail == node["id"]]
            column[node["id"]] = min(users, default=1) - 1

    columns: dict[int, list[str]] = {}
    for node_id in sorted(by_id, key=lambda node_id: by_id[node_id]["index"]):
        columns.setdefault(column[node_id], []).append(node_id)  # a first order: topological
    _order_by_neighbours(columns, edges)

    lefts, x = {}, _MARGIN
    for number in sorted(columns):
        lefts[number] = x
        x += max(by_id[node_id]["width"] for node_id in columns[number]) + _COLUMN_GAP
    width = x - _COLUMN_GAP + _MARGIN
    heights = {
        number: sum(by_id[node_id]["height"] + _ROW_GAP for node_id in ids) - _ROW_GAP
        for number, ids in columns.items()
    }
    height = max(heights.values()) + 2 * _MARGIN
    for number, ids in columns.items():
        y = (height - heights[number]) / 2
        widest = max(by_id[node_id]["width"] for node_id in ids)
        for node_id in ids:
            node = by_id[node_id]
            node["x"] = lefts[number] + widest / 2
            node["y"] = y + node["height"] / 2
            y += node["height"] + _ROW_GAP

    drawn_edges = []
    for tail, head, label in edges:
        start, end = by_id[tail], by_id[head]
        x0, y0 = start["x"] + start["width"] / 2, start["y"]
        x1, y1 = end["x"] - end["width"] / 2, end["y"]
        bend = (x1 - x0) / 2
        path = [[x0, y0], [x0 + bend, y0], [x1 - bend, y1], [x1 - _ARROW, y1]]
        drawn_edges.append(
            {"tail": tail, "head": head, "label": label, "path": path, "arrow": [x1, y1]}
        )
    return {
        "engine": "depth",
        "width": width,
        "height": height,
        "nodes": list(by_id.values()),
        "edges": drawn_edges,
    }


def _order_by_neighbours(columns: dict[int, list[str]], edges: list[tuple[str, str, str]]) -> None:
    """Sort each column by the mean rank of its neighbours (the barycentre rule), to uncross edges.

    One sweep left to right (by the nodes each one reads), then one right to left.
    """
    tails: dict[str, list[str]] = {}
    heads: dict[str, list[str]] = {}
    for tail, head, _ in edges:
        heads.setdefault(tail, []).append(head)
        tails.setdefault(head, []).append(tail)
    for neighbours, numbers in ((tails, sorted(columns)), (heads, sorted(columns, reverse=True))):
        rank: dict[str, float] = {}
        for number in numbers:
            ids = columns[number]
            for place, node_id in enumerate(ids):
                known = [rank[other] for other in neighbours.get(node_id, []) if other in rank]
                rank[node_id] = sum(known) / len(known) if known else place - (len(ids) - 1) / 2
            ids.sort(key=lambda node_id: rank[node_id])
            middle = (len(ids) - 1) / 2  # columns are centred: rank by distance from the middle
            for place, node_id in enumerate(ids):
                rank[node_id] = place - middle
