// The 2D points and the model's decision boundary: p = sigmoid(z) as a heatmap, the line p = 0.5.

// Two ends of ColorBrewer's diverging "PRGn" scheme (colour-blind safe), apart from
// the red and blue the graph uses for the gradient's sign.
export const CLASS_COLOURS = ["#762a83", "#1b7837"];
const LIGHT = [[194, 165, 207], [166, 219, 160]]; // the heatmap at p = 0 and p = 1
const WHITE = [255, 255, 255];

function mix(a, b, f) {
  return a.map((channel, i) => Math.round(channel + (b[i] - channel) * f));
}

/** The colour of a probability: purple (class 0) through white (p = 0.5) to green (class 1). */
function heat(p) {
  return p < 0.5 ? mix(LIGHT[0], WHITE, p / 0.5) : mix(WHITE, LIGHT[1], (p - 0.5) / 0.5);
}

/**
 * Draw on `canvas`: the heatmap of `boundary` (an /api/boundary answer), the
 * line p = 0.5, then the points (`highlight` is the index of the graph's example).
 */
export function drawBoundary(canvas, boundary, points, labels, highlight) {
  const context = canvas.getContext("2d");
  const { width, height } = canvas;
  context.clearRect(0, 0, width, height);
  const [x0, x1, y0, y1] = boundary.extent;
  const toX = (x) => ((x - x0) / (x1 - x0)) * width;
  const toY = (y) => ((y1 - y) / (y1 - y0)) * height;
  const n = boundary.resolution;
  const p = boundary.probability;

  const cells = document.createElement("canvas");
  cells.width = n;
  cells.height = n;
  const cellContext = cells.getContext("2d");
  const image = cellContext.createImageData(n, n);
  p.forEach((probability, i) => {
    const [r, g, b] = heat(probability ?? 0.5);
    image.data.set([r, g, b, 255], 4 * i);
  });
  cellContext.putImageData(image, 0, 0);
  context.imageSmoothingEnabled = true;
  // Each cell covers its square of the canvas; smoothing blends between the cells' centres.
  context.drawImage(cells, 0, 0, width, height);

  drawContour(context, p, n, width, height);

  context.strokeStyle = "rgba(0, 0, 0, 0.25)";
  context.lineWidth = 1;
  context.strokeRect(0.5, 0.5, width - 1, height - 1);

  points.forEach(([x, y], i) => {
    context.beginPath();
    context.arc(toX(x), toY(y), 6.5, 0, 2 * Math.PI);
    context.fillStyle = CLASS_COLOURS[labels[i]];
    context.fill();
    context.lineWidth = 1.5;
    context.strokeStyle = "#ffffff";
    context.stroke();
  });
  if (highlight !== null && highlight < points.length) {
    const [x, y] = points[highlight];
    context.beginPath();
    context.arc(toX(x), toY(y), 11, 0, 2 * Math.PI);
    context.lineWidth = 2.5;
    context.strokeStyle = "#111111";
    context.stroke();
  }
}

/** The line p = 0.5 by marching squares over the grid of cell centres. */
function drawContour(context, p, n, width, height) {
  const cellWidth = width / n;
  const cellHeight = height / n;
  const at = (row, column) => p[row * n + column] - 0.5;
  const centre = (row, column) => [(column + 0.5) * cellWidth, (row + 0.5) * cellHeight];
  const crossing = (a, b, va, vb) => {
    const f = va / (va - vb);
    return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
  };
  context.beginPath();
  for (let row = 0; row + 1 < n; row += 1) {
    for (let column = 0; column + 1 < n; column += 1) {
      const corners = [[row, column], [row, column + 1], [row + 1, column + 1], [row + 1, column]];
      const values = corners.map(([r, c]) => at(r, c));
      const positions = corners.map(([r, c]) => centre(r, c));
      const found = [];
      for (let k = 0; k < 4; k += 1) {
        const next = (k + 1) % 4;
        if ((values[k] < 0) !== (values[next] < 0)) {
          found.push(crossing(positions[k], positions[next], values[k], values[next]));
        }
      }
      for (let k = 0; k + 1 < found.length; k += 2) {
        context.moveTo(...found[k]);
        context.lineTo(...found[k + 1]);
      }
    }
  }
  context.lineWidth = 2;
  context.strokeStyle = "rgba(30, 30, 30, 0.75)";
  context.stroke();
}
