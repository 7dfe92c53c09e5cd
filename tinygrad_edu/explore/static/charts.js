// Small SVG charts drawn by hand: axes with ticks, lines, dots and labels, linear or log axes.

const SVG = "http://www.w3.org/2000/svg";

/** A new SVG element with its attributes, appended to `parent` when given. */
export function element(name, attributes = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (parent) parent.appendChild(node);
  return node;
}

/** About `count` round tick values (1, 2 or 5 times a power of ten) covering [low, high]. */
export function linearTicks(low, high, count = 5) {
  const span = high - low;
  if (!(span > 0)) return [low];
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = [1, 2, 5, 10].map((m) => m * power).find((u) => span / u <= count) || 10 * power;
  const ticks = [];
  for (let v = Math.ceil(low / unit) * unit; v <= high + unit * 1e-9; v += unit) {
    ticks.push(Math.abs(v) < unit * 1e-9 ? 0 : v);
  }
  return ticks;
}

/** The powers of ten in [low, high] (both > 0), thinned to at most `most`. */
export function logTicks(low, high, most = 9) {
  const first = Math.ceil(Math.log10(low) - 1e-9);
  const last = Math.floor(Math.log10(high) + 1e-9);
  const every = Math.max(1, Math.ceil((last - first + 1) / most));
  const ticks = [];
  for (let k = first; k <= last; k += 1) if ((k - first) % every === 0) ticks.push(10 ** k);
  return ticks;
}

/** A tick's label, with as many decimals as the spacing `unit` of the ticks needs. */
function tickText(value, log, unit) {
  if (log) return `1e${Math.round(Math.log10(value))}`;
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-4) return value.toExponential(1);
  const decimals = Math.max(0, -Math.floor(Math.log10(unit) + 1e-9));
  return value.toFixed(Math.min(decimals, 10));
}

let chartCount = 0;

/** One chart in an <svg>: call setDomain, then drawAxes, then draw into `data` or `marks`. */
export class Chart {
  constructor(svg, { width = 520, height = 250, margin = {}, xLog = false, yLog = false } = {}) {
    this.svg = svg;
    this.width = width;
    this.height = height;
    this.margin = { left: 62, right: 14, top: 14, bottom: 38, ...margin };
    this.xLog = xLog;
    this.yLog = yLog;
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
    svg.replaceChildren();
    chartCount += 1;
    const clipId = `clip-${svg.id || "chart"}-${chartCount}`;
    const clip = element("clipPath", { id: clipId }, element("defs", {}, svg));
    element("rect", {
      x: this.margin.left, y: this.margin.top,
      width: width - this.margin.left - this.margin.right,
      height: height - this.margin.top - this.margin.bottom,
    }, clip);
    this.axes = element("g", { class: "axes" }, svg);
    this.data = element("g", { "clip-path": `url(#${clipId})` }, svg);
    this.marks = element("g", { "clip-path": `url(#${clipId})` }, svg);
    this.notes = element("g", { class: "notes" }, svg);
    this.setDomain(0, 1, 0, 1);
  }

  setDomain(x0, x1, y0, y1) {
    this.domain = { x0, x1, y0, y1 };
  }

  /** Screen x of a data value. */
  x(value) {
    const { x0, x1 } = this.domain;
    const left = this.margin.left;
    const right = this.width - this.margin.right;
    const f = this.xLog
      ? (Math.log10(value) - Math.log10(x0)) / (Math.log10(x1) - Math.log10(x0))
      : (value - x0) / (x1 - x0);
    return left + f * (right - left);
  }

  /** Screen y of a data value. */
  y(value) {
    const { y0, y1 } = this.domain;
    const top = this.margin.top;
    const bottom = this.height - this.margin.bottom;
    const f = this.yLog
      ? (Math.log10(value) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0))
      : (value - y0) / (y1 - y0);
    return bottom - f * (bottom - top);
  }

  /** Axes with ticks, grid lines and the two axis titles. */
  drawAxes(xTitle, yTitle) {
    this.axes.replaceChildren();
    const { x0, x1, y0, y1 } = this.domain;
    const left = this.margin.left;
    const right = this.width - this.margin.right;
    const top = this.margin.top;
    const bottom = this.height - this.margin.bottom;
    const xTicks = this.xLog ? logTicks(x0, x1) : linearTicks(x0, x1, 6);
    const yTicks = this.yLog ? logTicks(y0, y1, 7) : linearTicks(y0, y1, 5);
    const spacing = (ticks) => (ticks.length > 1 ? ticks[1] - ticks[0] : Math.abs(ticks[0]) || 1);
    for (const value of xTicks) {
      const x = this.x(value);
      element("line", { x1: x, x2: x, y1: top, y2: bottom, class: "grid" }, this.axes);
      element("text", { x, y: bottom + 15, class: "tick", "text-anchor": "middle" }, this.axes)
        .textContent = tickText(value, this.xLog, spacing(xTicks));
    }
    for (const value of yTicks) {
      const y = this.y(value);
      element("line", { x1: left, x2: right, y1: y, y2: y, class: "grid" }, this.axes);
      element("text", { x: left - 6, y: y + 4, class: "tick", "text-anchor": "end" }, this.axes)
        .textContent = tickText(value, this.yLog, spacing(yTicks));
    }
    element("rect", { x: left, y: top, width: right - left, height: bottom - top, class: "frame" },
      this.axes);
    element("text", { x: (left + right) / 2, y: this.height - 4, class: "axis-title",
      "text-anchor": "middle" }, this.axes).textContent = xTitle;
    element("text", { x: 12, y: (top + bottom) / 2, class: "axis-title", "text-anchor": "middle",
      transform: `rotate(-90 12 ${(top + bottom) / 2})` }, this.axes).textContent = yTitle;
  }

  /** A polyline through the points whose coordinates can be drawn (a gap where one cannot). */
  path(layer, points, className) {
    let d = "";
    let open = false;
    for (const [px, py] of points) {
      const drawable = Number.isFinite(px) && Number.isFinite(py)
        && (!this.xLog || px > 0) && (!this.yLog || py > 0);
      if (!drawable) { open = false; continue; }
      d += `${open ? "L" : "M"}${this.x(px).toFixed(2)},${this.y(py).toFixed(2)}`;
      open = true;
    }
    return element("path", { d, class: className }, layer);
  }

  /** A straight line between two data points. */
  segment(layer, xa, ya, xb, yb, className) {
    return element("line", {
      x1: this.x(xa), y1: this.y(ya), x2: this.x(xb), y2: this.y(yb), class: className,
    }, layer);
  }

  dot(layer, px, py, radius, className) {
    if (!Number.isFinite(px) || !Number.isFinite(py)) return null;
    if ((this.xLog && px <= 0) || (this.yLog && py <= 0)) return null;
    return element("circle", { cx: this.x(px), cy: this.y(py), r: radius, class: className },
      layer);
  }

  /** A text at screen coordinates. */
  note(text, x, y, className = "note", anchor = "start") {
    const node = element("text", { x, y, class: className, "text-anchor": anchor }, this.notes);
    node.textContent = text;
    return node;
  }
}

/** Fill a <ul class="legend"> with [className, text, shape] entries: a swatch and its text. */
export function legend(list, entries) {
  list.replaceChildren();
  for (const [className, text, shape = "line"] of entries) {
    const item = document.createElement("li");
    const swatch = element("svg", { width: 26, height: 14, class: "swatch" }, item);
    if (shape === "box") {
      element("rect", { x: 2, y: 1, width: 22, height: 12, rx: 2, class: className }, swatch);
    } else if (shape === "dot") {
      element("circle", { cx: 13, cy: 7, r: 5, class: className }, swatch);
    } else {
      element("line", { x1: 1, x2: 25, y1: 7, y2: 7, class: className }, swatch);
    }
    item.append(text);
    list.appendChild(item);
  }
}

/** [low, high] of the finite numbers (and > 0 ones on a log axis), padded by `pad` of the span. */
export function extent(values, { log = false, pad = 0.06 } = {}) {
  const usable = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (usable.length === 0) return log ? [1e-16, 1] : [0, 1];
  let low = Math.min(...usable);
  let high = Math.max(...usable);
  if (log) {
    const a = Math.log10(low);
    const b = Math.log10(high);
    const margin = Math.max((b - a) * pad, 0.3);
    return [10 ** (a - margin), 10 ** (b + margin)];
  }
  if (high === low) { high += 0.5 * (Math.abs(high) || 1); low -= 0.5 * (Math.abs(low) || 1); }
  const margin = (high - low) * pad;
  return [low - margin, high + margin];
}
