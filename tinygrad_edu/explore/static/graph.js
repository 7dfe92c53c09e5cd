// The computation graph of one example's loss: drawn once from the server's layout,
// then its numbers and colours updated in place as the sliders move.

import { element } from "./charts.js";
import { compact } from "./format.js";

const ROW = 16; // height of one row of a value node (name, data, grad)

export class GraphView {
  constructor(svg, onSelectWeight) {
    this.svg = svg;
    this.onSelectWeight = onSelectWeight;
    this.values = []; // per Value index: {group, rect, data, grad, title, name, kind}
  }

  /** Draw the nodes and edges of `layout` (the answer of /api/graph), with empty numbers. */
  build(layout) {
    this.svg.replaceChildren();
    this.values = [];
    this.layout = layout;
    if (layout.too_big) return;
    const { width, height } = layout;
    this.svg.setAttribute("viewBox", `-4 -4 ${width + 8} ${height + 8}`);
    this.svg.style.maxWidth = `${Math.ceil(width + 8)}px`;
    this.svg.dataset.engine = layout.engine;
    const edges = element("g", { class: "edges" }, this.svg);
    const nodes = element("g", { class: "nodes" }, this.svg);
    for (const edge of layout.edges) this.drawEdge(edges, edge);
    for (const node of layout.nodes) {
      if (node.kind === "op") this.drawOp(nodes, node);
      else this.drawValue(nodes, node);
    }
  }

  drawEdge(parent, edge) {
    const [first, ...rest] = edge.path;
    let d = `M${first[0]},${first[1]}`;
    for (let i = 0; i + 2 < rest.length; i += 3) {
      d += `C${rest[i][0]},${rest[i][1]} ${rest[i + 1][0]},${rest[i + 1][1]} ${rest[i + 2][0]},${rest[i + 2][1]}`;
    }
    const path = element("path", { d, class: "edge" }, parent);
    if (edge.arrow) {
      const [tx, ty] = edge.arrow;
      const [lx, ly] = edge.path[edge.path.length - 1];
      const length = Math.hypot(tx - lx, ty - ly) || 1;
      const ux = (tx - lx) / length;
      const uy = (ty - ly) / length;
      const back = 8;
      const side = 3.5;
      const points = [
        [tx, ty],
        [tx - back * ux - side * uy, ty - back * uy + side * ux],
        [tx - back * ux + side * uy, ty - back * uy - side * ux],
      ].map((p) => p.join(",")).join(" ");
      element("polygon", { points, class: "arrow" }, parent);
    }
    if (edge.label) {
      const total = path.getTotalLength();
      const at = path.getPointAtLength(total * 0.55);
      element("text", { x: at.x, y: at.y + 3, class: "edge-label", "text-anchor": "middle" },
        parent).textContent = edge.label;
    }
  }

  drawOp(parent, node) {
    const group = element("g", { class: "op", transform: `translate(${node.x},${node.y})` }, parent);
    element("ellipse", { rx: node.width / 2, ry: node.height / 2 }, group);
    element("text", { y: 4, "text-anchor": "middle" }, group).textContent = node.op;
  }

  drawValue(parent, node) {
    const left = -node.width / 2;
    const top = -node.height / 2;
    const group = element("g", {
      class: `value ${node.kind}`, transform: `translate(${node.x},${node.y})`,
      "data-index": node.index,
    }, parent);
    const title = element("title", {}, group);
    const rect = element("rect", {
      x: left, y: top, width: node.width, height: node.height,
      rx: node.kind === "parameter" ? 7 : 1, fill: "#ffffff",
    }, group);
    const rows = node.name ? 3 : 2;
    const firstRow = top + (node.height - rows * ROW) / 2;
    const line = (k) => element("line", {
      x1: left, x2: -left, y1: firstRow + k * ROW, y2: firstRow + k * ROW, class: "separator",
    }, group);
    const row = (k, className) => element("text", {
      x: 0, y: firstRow + k * ROW + 12, "text-anchor": "middle", class: className,
    }, group);
    if (node.name) {
      row(0, "name").textContent = node.name;
      line(1);
    }
    const data = row(rows - 2, "number");
    line(rows - 1);
    const grad = row(rows - 1, "number");
    if (node.kind === "parameter") {
      group.addEventListener("click", () => this.onSelectWeight(node.name));
    }
    this.values[node.index] = { group, rect, data, grad, title, name: node.name, kind: node.kind };
  }

  /** New numbers and colours (the `graph` of a /api/point answer); `selected` names a weight. */
  update(graph, selected) {
    if (!this.layout || this.layout.too_big) return;
    this.values.forEach((value, index) => {
      if (!value) return;
      const data = graph.data[index];
      const grad = graph.grad[index];
      value.data.textContent = `data ${compact(data)}`;
      value.grad.textContent = `grad ${compact(grad)}`;
      value.rect.setAttribute("fill", graph.fill[index]);
      value.group.dataset.grad = String(grad);
      value.group.classList.toggle("selected", value.kind === "parameter" && value.name === selected);
      value.title.textContent = `${value.name ? `${value.name}\n` : ""}data = ${data}\ngrad = ${grad}`;
    });
  }
}
