// A small line chart as inline SVG: no library, no CDN.

const SVG = "http://www.w3.org/2000/svg";

function el(name, attrs) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  return node;
}

// points: [[seconds, value], ...]; draws them into `container`, replacing what was there.
export function drawLineChart(container, points, { unit = "", empty = "" } = {}) {
  container.replaceChildren();
  if (points.length === 0) {
    container.textContent = empty;
    return;
  }
  const width = 320, height = 140, pad = 28;
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y0 === y1) { y0 -= 1; y1 += 1; }
  const sx = (x) => pad + ((x - x0) / (x1 - x0 || 1)) * (width - 2 * pad);
  const sy = (y) => height - pad - ((y - y0) / (y1 - y0)) * (height - 2 * pad);
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img" });
  svg.append(el("line", { x1: pad, y1: height - pad, x2: width - pad, y2: height - pad, class: "axis" }));
  svg.append(el("line", { x1: pad, y1: pad, x2: pad, y2: height - pad, class: "axis" }));
  const path = points.map((p) => `${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(" ");
  svg.append(el("polyline", { points: path, class: "line" }));
  for (const [y, label] of [[y1, y1], [y0, y0]]) {
    const text = el("text", { x: 2, y: sy(y) + 4, class: "tick" });
    text.textContent = `${Math.round(label * 10) / 10}${unit}`;
    svg.append(text);
  }
  const last = points[points.length - 1];
  svg.append(el("circle", { cx: sx(last[0]), cy: sy(last[1]), r: 3, class: "dot" }));
  container.append(svg);
}
