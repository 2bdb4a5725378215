// The history panel: a sensor reading of the last 24 hours, kept live from state events.

import { api } from "./api.js";
import { drawLineChart } from "./chart.js";
import { $, h } from "./dom.js";
import { label, t } from "./i18n.js";

const DAY = 24 * 3600;
const chart = { device: null, property: null, points: [], devices: null };
let redrawSoon = null;

// The chart is drawn at the panel's width: redraw it when that changes.
addEventListener("resize", () => {
  clearTimeout(redrawSoon);
  redrawSoon = setTimeout(() => chart.devices && drawChart(chart.devices), 150);
});

export function fillChartChoices(devices) {
  const options = [];
  for (const device of devices.values()) {
    if (device.type !== "sensor") continue;
    for (const prop of device.properties.filter((p) => p.kind === "number")) {
      options.push(h("option", { value: `${device.id}/${prop.name}`, selected: device.id === chart.device
        && prop.name === chart.property }, `${device.name} · ${label(prop.name)}`));
    }
  }
  $("#chart-select").replaceChildren(...options);
  return options.length ? (chart.device ? `${chart.device}/${chart.property}` : options[0].value) : null;
}

export async function loadChart(choice, devices) {
  if (!choice) return;
  const [device, property] = choice.split("/");
  Object.assign(chart, { device, property, points: [] });
  const since = Date.now() / 1000 - DAY;
  const entries = await api("GET", `/api/history?device=${encodeURIComponent(device)}&since=${since}`).catch(() => []);
  chart.points = entries.filter((e) => typeof e.new[property] === "number").map((e) => [e.at, e.new[property]]);
  const current = devices.get(device).state[property];
  if (typeof current === "number" && chart.points.length === 0) chart.points.push([Date.now() / 1000, current]);
  drawChart(devices);
}

// A state event: adds its reading when it is the one on the chart.
export function chartSawChange(event, devices) {
  if (event.device !== chart.device || !(chart.property in event.changed)) return;
  chart.points.push([event.at, event.changed[chart.property]]);
  drawChart(devices);
}

export function drawChart(devices) {
  if (!chart.device) return;
  chart.devices = devices;
  const device = devices.get(chart.device);
  const prop = device.properties.find((p) => p.name === chart.property);
  const now = Date.now() / 1000;
  drawLineChart($("#chart"), chart.points.filter((p) => p[0] >= now - DAY), {
    x0: now - DAY, x1: now, unit: prop ? prop.unit : "", empty: t("noData"),
    title: `${device.name} · ${label(chart.property)} · ${t("hours")}`,
  });
}
