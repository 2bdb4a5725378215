// The energy view: this billing period's kWh against the 누진 tier lines, the bill so far and the projected
// one, the home's use per day, and the devices that used the most (GET /api/energy, again every five
// minutes); and on every device's sheet, its draw now and its use today (GET /api/energy?device=id).
//
// mount(container, ctx) renders into `container`; ctx is the dashboard's extension context
// (docs/dashboard.md): api, lang, onLanguage. Every word is in the catalogue's page.energy (words/ko.yaml, en.yaml).

import { niceTicks } from "./chart.js";
import { words as pageWords } from "./i18n.js";
import { addSheetPart } from "./sheet.js";

const REFRESH_MS = 5 * 60 * 1000;
const SVG = "http://www.w3.org/2000/svg";

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

function svg(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

const number = (value, digits = 1) => new Intl.NumberFormat("ko-KR", { maximumFractionDigits: digits }).format(value);

// An amount of energy as people read it, on the page and to a screen reader alike: under 1 kWh in Wh ("350Wh",
// "0.4Wh"), else kWh with fewer decimals the larger it is ("1.25kWh", "12.5kWh", "251kWh").
export function energyAmount(kwh, words) {
  const wh = Math.round(kwh * 1000);
  if (wh < 1000) return fill(words.wh, { n: number(kwh * 1000, wh < 10 ? 1 : 0) });
  return fill(words.kwh, { n: number(kwh, kwh < 10 ? 2 : kwh < 100 ? 1 : 0) });
}

// A tier edge, a round number of kWh, in the words' unit ("200kWh", "200 kWh").
const edgeAmount = (kwh, words) => fill(words.kwh, { n: number(kwh, 0) });

export function mount(container, ctx) {
  const view = { data: null, failed: false };
  const w = () => pageWords("energy");
  const panel = el("section", { class: "panel energy", "aria-labelledby": "energy-title" });
  container.replaceChildren(panel);

  async function refresh() {
    try {
      view.data = await ctx.api("GET", "/api/energy");
      view.failed = false;
    } catch {
      view.failed = true;
    }
    render();
  }

  function render() {
    const words = w();
    const title = el("h2", { id: "energy-title" }, words.title);
    if (view.failed || !view.data) {
      panel.replaceChildren(title, el("p", { class: "muted" }, view.failed ? words.failed : ""));
      return;
    }
    const data = view.data;
    if (!data.measured) {
      panel.replaceChildren(title, el("p", { class: "muted energy-none" }, words.none));
      return;
    }
    panel.replaceChildren(title, summary(data, words), meter(data, words), projection(data, words),
      bars(data, words), top(data, words), data.metered ? null : el("p", { class: "muted" }, words.devicesOnly));
  }

  addSheetPart((device) => sheetPart(device, ctx, w));
  ctx.onLanguage?.(render);
  render();
  refresh();
  setInterval(refresh, REFRESH_MS);
  return { refresh, render };
}

function tierWord(tier, words) {
  return tier >= 4 ? words.superTier : fill(words.tier, { n: tier });
}

function dateWord(iso, words) {
  const [, m, d] = iso.split("-").map(Number);
  return fill(words.date, { m, d });
}

function summary(data, words) {
  return el("div", { class: "energy-summary" },
    el("p", { class: "energy-figure" }, el("span", { class: "energy-label" }, words.used),
      el("strong", { class: "energy-kwh" }, energyAmount(data.kwh, words)),
      el("span", { class: "energy-tier" }, tierWord(data.tier, words))),
    el("p", { class: "energy-figure" }, el("span", { class: "energy-label" }, words.billNow),
      el("strong", { class: "energy-won" }, fill(words.won, { n: number(data.won, 0) }))),
    el("p", { class: "muted energy-period" },
      fill(words.period, { start: dateWord(data.period.start, words), end: dateWord(data.period.end, words) })));
}

// This period's kWh as a bar, the tier edges as lines across it, the projected kWh as a dashed mark.
function meter(data, words) {
  const projected = data.projection.projected ? data.projection.kwh : 0;
  const reach = Math.max(data.kwh, projected);
  const nextEdge = data.edges.find((e) => e > reach) ?? data.edges[data.edges.length - 1] ?? reach;
  const top = Math.max(reach, nextEdge) * 1.1 || 1;
  const width = 320;
  const x = (kwh) => 8 + (kwh / top) * (width - 16);
  const chart = svg("svg", { viewBox: `0 0 ${width} 64`, class: "energy-meter", role: "img",
    "aria-label": fill(words.meterLabel, { amount: energyAmount(data.kwh, words),
      edges: data.edges.map((e) => edgeAmount(e, words)).join(", ") }) });
  chart.append(svg("rect", { x: 8, y: 24, width: width - 16, height: 16, rx: 8, class: "energy-track" }));
  chart.append(svg("rect", { x: 8, y: 24, width: Math.max(x(data.kwh) - 8, 0), height: 16, rx: 8, class: "energy-used" }));
  for (const [index, edge] of data.edges.entries()) {
    if (edge > top) continue;
    chart.append(svg("line", { x1: x(edge), x2: x(edge), y1: 18, y2: 46, class: "energy-edge" }));
    chart.append(svg("text", { x: x(edge), y: 14, "text-anchor": "middle", class: "energy-edge-label" },
      edgeAmount(edge, words)));
    const nearEnd = x(edge) > width - 70;  // the label goes left of a line near the right edge
    chart.append(svg("text", { x: x(edge) + (nearEnd ? -3 : 3), y: 58, "text-anchor": nearEnd ? "end" : "start",
      class: "energy-edge-tier" }, tierWord(index + 2, words)));
  }
  if (projected > 0) {
    const mark = svg("line", { x1: x(projected), x2: x(projected), y1: 20, y2: 44, class: "energy-projected" });
    mark.append(svg("title", {}, fill(words.projectedMark, { amount: energyAmount(projected, words) })));
    chart.append(mark);
  }
  return chart;
}

function projection(data, words) {
  const p = data.projection;
  if (!p.projected) return el("p", { class: "muted energy-projection" }, words.noProjection);
  return el("p", { class: "energy-projection" }, el("span", { class: "energy-label" }, words.projected),
    el("strong", {}, fill(words.won, { n: number(p.won, 0) })),
    el("span", { class: "muted" }, ` ${fill(words.range, { low: number(p.low_won, 0), high: number(p.high_won, 0) })} · ${words.sure[p.confidence]}`));
}

// The home's kWh per day of the period: bars, a kWh axis with round ticks, day-of-month labels.
function bars(data, words) {
  const days = data.days;
  const width = 320, height = 150, left = 34, bottom = 22, topPad = 22;
  const ticks = niceTicks(0, Math.max(...days.map((d) => d.kwh), 1), 3);
  const top = ticks[ticks.length - 1] || 1;
  const y = (kwh) => height - bottom - (kwh / top) * (height - bottom - topPad);
  const step = (width - left - 4) / Math.max(days.length, 1);
  const label = fill(words.barsLabel, { days: days.map((d) => `${dateWord(d.date, words)} ${energyAmount(d.kwh, words)}`)
    .join(", ") });
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "energy-bars", role: "img", "aria-label": label });
  chart.append(svg("text", { x: 2, y: 9, class: "energy-axis" }, "kWh"));
  for (const tick of ticks) {
    chart.append(svg("line", { x1: left, x2: width - 4, y1: y(tick), y2: y(tick), class: "energy-grid" }));
    chart.append(svg("text", { x: left - 4, y: y(tick) + 4, "text-anchor": "end", class: "energy-axis" }, number(tick)));
  }
  const every = Math.ceil(days.length / 6);
  days.forEach((day, index) => {
    const bar = svg("rect", { x: left + index * step + step * 0.15, y: y(day.kwh), width: step * 0.7,
      height: Math.max(height - bottom - y(day.kwh), 0), class: "energy-bar" });
    bar.append(svg("title", {}, `${dateWord(day.date, words)} ${energyAmount(day.kwh, words)}`));
    chart.append(bar);
    const last = index === days.length - 1;
    if ((index % every === 0 && days.length - 1 - index >= every) || last) {  // none crowding the last day's
      chart.append(svg("text", { x: left + index * step + step / 2, y: height - 6, "text-anchor": "middle", class: "energy-axis" },
        fill(words.day, { d: Number(day.date.slice(8)) })));
    }
  });
  return el("figure", { class: "energy-daily" }, el("figcaption", {}, words.daily), chart);
}

function top(data, words) {
  if (!data.top.length) return null;
  return el("section", { class: "energy-top" }, el("h3", {}, words.top),
    el("ol", {}, ...data.top.map((d) => el("li", {},
      el("span", { class: "energy-device" }, d.name),
      el("span", { class: "energy-device-kwh" }, `${energyAmount(d.kwh, words)} · ${fill(words.share, { n: number(d.share, 0) })}`),
      share(d.share)))));
}

// A bar of the device's share (set through the CSSOM: the page's CSP allows no inline style attribute).
function share(percent) {
  const bar = el("span", { class: "energy-share", "aria-hidden": "true" });
  bar.style.setProperty("--share", `${Math.min(percent, 100).toFixed(1)}%`);
  return bar;
}

function duration(seconds, words) {
  const minutes = Math.round(seconds / 60);
  return minutes >= 60 ? fill(words.hours, { h: Math.floor(minutes / 60), m: minutes % 60 }) : fill(words.minutes, { m: minutes });
}

// On a device's sheet: its draw now and its use today, for devices that measure (or are measured).
function sheetPart(device, ctx, w) {
  const words = w();
  const part = el("section", { class: "sheet-energy", hidden: "" });
  ctx.api("GET", `/api/energy?device=${encodeURIComponent(device.id)}`).then((answer) => {
    const [mine] = answer.devices;
    if (!mine || (mine.power_w === null && !mine.today_kwh)) return;
    const rows = [];
    if (mine.power_w !== null) rows.push(el("dt", {}, words.powerNow), el("dd", {}, fill(words.watt, { n: number(mine.power_w) })));
    rows.push(el("dt", {}, words.today), el("dd", {}, energyAmount(mine.today_kwh, words)));
    if (mine.today_on_s) rows.push(el("dt", {}, words.onToday), el("dd", {}, duration(mine.today_on_s, words)));
    part.replaceChildren(el("h3", {}, words.sheetTitle), el("dl", {}, ...rows));
    part.hidden = false;
  }).catch(() => null);
  return part;
}
