// A line chart of one sensor reading over the last day, as inline SVG: value axis with its unit,
// time axis with clock times. No library, no CDN.

const SVG = "http://www.w3.org/2000/svg";
const HEIGHT = 180;
const PAD = { left: 44, right: 12, top: 12, bottom: 26 };

function el(name, attrs, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

// Round tick values covering [lo, hi]: steps of 1, 2 or 5 times a power of ten.
export function niceTicks(lo, hi, count = 4) {
  if (lo === hi) { lo -= 1; hi += 1; }
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  const ticks = [];
  for (let v = Math.floor(lo / step) * step; v <= hi + step / 2; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return ticks;
}

// Clock times on the hour, every `hours` hours, within [x0, x1] (seconds).
export function timeTicks(x0, x1, hours = 6) {
  const ticks = [];
  const first = new Date(x0 * 1000);
  first.setMinutes(0, 0, 0);
  for (let at = first.getTime() / 1000; at <= x1; at += 3600) {
    if (at >= x0 && new Date(at * 1000).getHours() % hours === 0) ticks.push(at);
  }
  return ticks;
}

function clock(seconds) {
  const d = new Date(seconds * 1000);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

// points: [[seconds, value], ...] within [x0, x1]; draws into `container`, replacing what was there.
export function drawLineChart(container, points, { x0, x1, unit = "", empty = "", title = "" }) {
  container.replaceChildren();
  if (points.length === 0) {
    container.textContent = empty;
    return;
  }
  const width = Math.max(240, Math.round(container.clientWidth) || 360);  // drawn at its real size: text stays readable
  const ys = points.map((p) => p[1]);
  const ticks = niceTicks(Math.min(...ys), Math.max(...ys));
  const [y0, y1] = [ticks[0], ticks[ticks.length - 1]];
  const sx = (x) => PAD.left + ((x - x0) / (x1 - x0 || 1)) * (width - PAD.left - PAD.right);
  const sy = (y) => HEIGHT - PAD.bottom - ((y - y0) / (y1 - y0 || 1)) * (HEIGHT - PAD.top - PAD.bottom);
  const svg = el("svg", { viewBox: `0 0 ${width} ${HEIGHT}`, class: "chart", role: "img", "aria-label": title });
  for (const y of ticks) {
    svg.append(el("line", { x1: PAD.left, x2: width - PAD.right, y1: sy(y), y2: sy(y), class: "grid" }));
    svg.append(el("text", { x: PAD.left - 6, y: sy(y) + 4, class: "tick y" }, `${y}${unit}`));
  }
  for (const x of timeTicks(x0, x1, width > 600 ? 3 : 6)) {
    svg.append(el("line", { x1: sx(x), x2: sx(x), y1: HEIGHT - PAD.bottom, y2: HEIGHT - PAD.bottom + 4, class: "axis" }));
    const end = sx(x) > width - PAD.right - 16;  // "06:00" centred on the last tick would be cut off at the edge
    svg.append(el("text", { x: end ? width - 2 : sx(x), y: HEIGHT - 8, class: end ? "tick x end" : "tick x" }, clock(x)));
  }
  svg.append(el("line", { x1: PAD.left, x2: width - PAD.right, y1: HEIGHT - PAD.bottom, y2: HEIGHT - PAD.bottom, class: "axis" }));
  // A reading holds until the next one: draw steps, then carry the last value to the right edge.
  const path = [];
  points.forEach(([x, y], i) => {
    if (i > 0) path.push(`${sx(x).toFixed(1)},${sy(points[i - 1][1]).toFixed(1)}`);
    path.push(`${sx(x).toFixed(1)},${sy(y).toFixed(1)}`);
  });
  const last = points[points.length - 1];
  path.push(`${sx(x1).toFixed(1)},${sy(last[1]).toFixed(1)}`);
  svg.append(el("polyline", { points: path.join(" "), class: "line" }));
  svg.append(el("circle", { cx: sx(last[0]), cy: sy(last[1]), r: 3, class: "dot" }));
  container.append(svg);
}
