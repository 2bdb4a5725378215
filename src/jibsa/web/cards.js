// A card per device: its live state and the controls its type allows.

import { LABELS, WORDS } from "./i18n.js";

const BUTTONS = {
  door_lock: ["lock", "unlock"],
  gas_valve: ["close"],
  curtain: ["open", "close"], blind: ["open", "close"], window: ["open", "close"], garage_door: ["open", "close"],
  washer: ["start", "pause", "stop"], dryer: ["start", "pause", "stop"], dishwasher: ["start", "pause", "stop"],
  robot_vacuum: ["start", "stop", "dock"],
};
const SLIDERS = new Set(["brightness", "volume", "position", "humidity"]);

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(key, String(value));
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

export function label(lang, name) {
  return (LABELS[lang] && LABELS[lang][name]) || name.replaceAll("_", " ");
}

export function word(lang, value) {
  if (typeof value !== "string") return String(value);
  return (WORDS[lang] && WORDS[lang][value]) || value.replaceAll("_", " ");
}

function reading(lang, text, prop, value) {
  if (value === undefined || value === null) return "–";
  if (prop.kind === "bool") return value ? "✓" : "–";
  if (prop.name === "remaining_time") return `${Math.round(value / 60)}′`;
  if (prop.kind === "number") return `${Math.round(value * 10) / 10}${prop.unit === "s" ? "" : prop.unit}`;
  return word(lang, value);
}

// The one-line summary shown on a card, e.g. "켜짐 · 밝기 80%".
export function summary(lang, text, device) {
  const parts = [];
  for (const prop of device.properties) {
    const value = device.state[prop.name];
    if (prop.name === "power") parts.unshift(value ? text.on : text.off);
    else if (value !== undefined) parts.push(`${label(lang, prop.name)} ${reading(lang, text, prop, value)}`);
  }
  if (!device.available) parts.unshift(text.notAnswering);
  return parts.join(" · ") || "–";
}

// Builds the card; `send(device, intent, params)` carries a control's command out.
export function renderCard(lang, text, device, send) {
  const state = device.state;
  const controls = h("div", { class: "controls" });
  const power = device.properties.find((p) => p.name === "power" && p.writable);
  if (power) {
    controls.append(h("button", {
      class: `power-toggle ${state.power ? "is-on" : ""}`, "aria-pressed": state.power ? "true" : "false",
      "aria-label": `${device.name} ${label(lang, "power")}`,
      onclick: () => send(device, state.power ? "turn_off" : "turn_on", {}),
    }, state.power ? text.on : text.off));
  }
  for (const intent of BUTTONS[device.type] || []) {
    if (device.intents.includes(intent)) {
      controls.append(h("button", { class: `action action-${intent}`, onclick: () => send(device, intent, {}) },
        text[intent] || intent));
    }
  }
  for (const prop of device.properties) {
    if (!prop.writable || prop.name === "power" || !device.intents.includes("set")) continue;
    controls.append(control(lang, text, device, prop, send));
  }
  return h("article", { class: `card type-${device.type} ${state.power ? "on" : ""}`, "data-device": device.id },
    h("header", {}, h("h3", {}, device.name), h("span", { class: "maker" }, device.maker || "")),
    h("p", { class: "state", "data-state": device.id }, summary(lang, text, device)),
    controls);
}

function control(lang, text, device, prop, send) {
  const value = device.state[prop.name];
  const set = (v) => send(device, "set", { property: prop.name, value: v });
  const name = label(lang, prop.name);
  if (prop.kind === "choice") {
    const select = h("select", { "aria-label": `${device.name} ${name}`, onchange: (e) => set(e.target.value) },
      ...prop.choices.map((c) => h("option", { value: c, selected: c === value }, word(lang, c))));
    return h("label", { class: "field" }, h("span", {}, name), select);
  }
  if (prop.kind === "bool") {
    const box = h("input", { type: "checkbox", checked: Boolean(value), onchange: (e) => set(e.target.checked) });
    return h("label", { class: "field" }, h("span", {}, name), box);
  }
  if (prop.kind === "number" && SLIDERS.has(prop.name)) {
    const slider = h("input", {
      type: "range", min: prop.minimum, max: prop.maximum, step: prop.step, value: value ?? prop.minimum,
      "aria-label": `${device.name} ${name}`, onchange: (e) => set(Number(e.target.value)),
    });
    return h("label", { class: "field" }, h("span", {}, name), slider);
  }
  if (prop.kind === "number") {
    const current = Number(value ?? prop.minimum);
    const step = prop.step || 1;
    return h("div", { class: "field stepper" }, h("span", {}, name),
      h("button", { "aria-label": `${name} -`, onclick: () => set(current - step) }, "−"),
      h("output", {}, `${current}${prop.unit}`),
      h("button", { "aria-label": `${name} +`, onclick: () => set(current + step) }, "+"));
  }
  const input = h("input", { value: value ?? "", onchange: (e) => set(e.target.value) });
  return h("label", { class: "field" }, h("span", {}, name), input);
}

export { h };
