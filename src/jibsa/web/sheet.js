// The detail sheet of one device: every control its type allows, and its readings.

import { $, h, icon } from "./dom.js";
import { intentWord, label, t, typeWord, word } from "./i18n.js";
import { deviceIcon, keyState, reading } from "./states.js";

const SLIDERS = new Set(["brightness", "volume", "position", "humidity"]);
const PARTS = [];  // parts other modules add below the readings: (device, ctx) -> Node | null

// Adds a part to every device's sheet (energy.js: the device's draw now and its use today).
export function addSheetPart(part) {
  PARTS.push(part);
}

// Opens (or redraws) the sheet for `device`. `ctx`: { lang, roomName, isFavourite, toggleFavourite, send }.
export function showSheet(device, ctx) {
  const dialog = $("#sheet");
  const focused = dialog.open && dialog.contains(document.activeElement) ? focusKey(document.activeElement) : null;
  dialog.dataset.device = device.id;
  dialog.replaceChildren(sheetHeader(device, ctx), h("p", { class: "sheet-state" }, keyState(ctx.lang, device)),
    actions(device, ctx), controls(device, ctx), readings(device), ...PARTS.map((part) => part(device, ctx)).filter(Boolean));
  if (!dialog.open) dialog.showModal();
  if (focused) dialog.querySelector(focused)?.focus();
}

// A state event for the open sheet's device: readings alone (a room warming, a cycle counting down) redraw
// only the state line and the readings, so that a control in use is not replaced under the finger.
export function updateSheet(device, changed, ctx) {
  const dialog = $("#sheet");
  const writable = changed && device.properties.some((p) => p.writable && p.name in changed);
  if (!changed || writable) return showSheet(device, ctx);
  dialog.querySelector(".sheet-state").textContent = keyState(ctx.lang, device);
  dialog.querySelector(".sheet-readings, .sheet-readings-none").replaceWith(readings(device));
}

function focusKey(element) {
  if (element.id) return `#${CSS.escape(element.id)}`;
  const named = [...element.classList].filter((c) => c !== "is-on").pop();  // the most particular class
  return named ? `.${CSS.escape(named)}` : null;
}

export function openSheetDevice() {
  const dialog = $("#sheet");
  return dialog.open ? dialog.dataset.device : null;
}

export function closeSheet() {
  const dialog = $("#sheet");
  if (dialog.open) dialog.close();
}

function sheetHeader(device, ctx) {
  const favourite = ctx.isFavourite(device.id);
  const where = [ctx.roomName(device.room), typeWord(device.type), device.maker].filter(Boolean).join(" · ");
  return h("header", { class: "sheet-head" }, icon(deviceIcon(device), "sheet-icon"),
    h("div", { class: "sheet-title" }, h("h2", { id: "sheet-title" }, device.name), h("p", { class: "muted" }, where)),
    h("button", {
      type: "button", class: `icon-button star ${favourite ? "is-on" : ""}`, "aria-pressed": String(favourite),
      "aria-label": t("favourites"), title: t(favourite ? "removeFavourite" : "addFavourite"), onclick: () => { ctx.toggleFavourite(device.id); showSheet(device, ctx); },
    }, icon("star")),
    h("button", { type: "button", class: "icon-button", "aria-label": t("closeSheet"), onclick: closeSheet }, icon("x")));
}

function actions(device, ctx) {
  const row = h("div", { class: "sheet-actions" });
  const power = device.properties.find((p) => p.name === "power" && p.writable);
  if (power && device.intents.includes("turn_on")) {
    const on = Boolean(device.state.power);
    row.append(h("button", {
      type: "button", class: `power-button ${on ? "is-on" : ""}`,
      onclick: () => ctx.send(device, on ? "turn_off" : "turn_on", {}),
    }, icon("power"), on ? t("turnOff") : t("turnOn")));
  }
  const asks = device.asks_confirmation || [];
  for (const intent of device.buttons) {  // the intent table's buttons (jibsa.domain.intents)
    const careful = asks.includes(intent);
    row.append(h("button", {
      type: "button", class: `action action-${intent}${careful ? " asks" : ""}`, onclick: () => ctx.send(device, intent, {}),
      ...(careful ? { "aria-describedby": `asks-${intent}` } : {}),
    }, ...(careful ? [icon("circle-alert")] : []), intentWord(intent)));
  }
  const notes = asks.filter((intent) => device.buttons.includes(intent)).map((intent) =>
    h("p", { class: "asks-note muted", id: `asks-${intent}` }, t("asksConfirmation", { action: intentWord(intent) })));
  return notes.length ? h("div", { class: "sheet-actions-box" }, row, ...notes) : row;
}

function controls(device, ctx) {
  const box = h("div", { class: "sheet-fields" });
  if (!device.intents.includes("set")) return box;
  for (const prop of device.properties.filter((p) => p.writable && p.name !== "power")) {
    box.append(control(device, prop, (value, keepPower) => ctx.send(device, "set",
      { property: prop.name, value, ...(keepPower === true ? { keep_power: true } : {}) })));
  }
  return box;
}

// Whether the device is off: "+" then sets the target it will start at and leaves it off, as LG's and
// Samsung's apps do (`keep_power`); the stepper shows the stored target.
function isOff(device) {
  return device.state.power === false && device.properties.some((p) => p.name === "power" && p.writable);
}

function control(device, prop, set) {
  const value = device.state[prop.name];
  const name = label(prop.name);
  const id = `field-${prop.name}`;
  if (prop.kind === "choice") {
    return field(id, name, h("select", { id, onchange: (e) => set(e.target.value) },
      ...prop.choices.map((c) => h("option", { value: c, selected: c === value }, word(c)))));
  }
  if (prop.kind === "bool") {
    return field(id, name, h("input", { id, type: "checkbox", class: "switch", checked: Boolean(value),
      onchange: (e) => set(e.target.checked) }));
  }
  if (prop.kind === "number" && SLIDERS.has(prop.name)) return slider(id, name, prop, value, set);
  if (prop.kind === "number") return stepper(name, prop, value, isOff(device) ? (next) => set(next, true) : set);
  return field(id, name, h("input", { id, value: value ?? "", onchange: (e) => set(e.target.value) }));
}

function field(id, name, input) {
  return h("div", { class: "field" }, h("label", { for: id }, name), input);
}

function slider(id, name, prop, value, set) {
  const output = h("output", { for: id }, reading(prop, value ?? prop.minimum));
  const input = h("input", {
    id, type: "range", min: prop.minimum, max: prop.maximum, step: prop.step, value: value ?? prop.minimum,
    oninput: (e) => { output.textContent = reading(prop, Number(e.target.value)); },
    onchange: (e) => set(Number(e.target.value)),
  });
  return h("div", { class: "field slider" }, h("label", { for: id }, name), input, output);
}

function stepper(name, prop, value, set) {
  const current = Number(value ?? prop.minimum);
  const step = prop.step || 1;
  return h("div", { class: "field stepper", role: "group", "aria-label": name }, h("span", { class: "field-name" }, name),
    h("button", { type: "button", class: "step-down", "aria-label": t("lower", { name }),
      disabled: prop.minimum !== null && current <= prop.minimum, onclick: (e) => set(current - step, e.currentTarget) }, "−"),
    h("output", { class: "step-value", "aria-live": "polite" }, reading(prop, current)),
    h("button", { type: "button", class: "step-up", "aria-label": t("raise", { name }),
      disabled: prop.maximum !== null && current >= prop.maximum, onclick: (e) => set(current + step, e.currentTarget) }, "+"));
}

function readings(device) {
  const rows = device.properties.filter((p) => !p.writable && device.state[p.name] !== undefined)
    .flatMap((p) => [h("dt", {}, label(p.name)), h("dd", {}, valueText(p, device.state[p.name]))]);
  if (!rows.length) return h("div", { class: "sheet-readings-none" });
  return h("section", { class: "sheet-readings" }, h("h3", {}, t("readings")), h("dl", {}, ...rows));
}

// A door or window that reads true is open: "문 열림", never "문 아니요".
const OPENINGS = new Set(["door", "window", "opening", "garage_door"]);

function valueText(prop, value) {
  if (prop.kind === "bool" && OPENINGS.has(prop.name)) return word(value ? "open" : "closed");
  if (prop.kind === "bool") return word(value ? "yes" : "no");
  if (prop.name === "valve") return word(`valve_${value}`);
  return reading(prop, value) || "–";
}
