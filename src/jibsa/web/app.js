// jibsa's dashboard: log in, see every room's devices live, talk to the home, run scenes.

import { api, ApiError, openEvents, setCsrf } from "./api.js";
import { h, label, renderCard, summary } from "./cards.js";
import { drawLineChart } from "./chart.js";
import { TEXT } from "./i18n.js";
import { mount as mountVoice } from "./voice.js";
import { mount as mountWeather } from "./weather.js";
import { mount as mountRules } from "./rules.js";

const state = {
  lang: localStorage.getItem("jibsa.lang") || "ko",
  devices: new Map(), rooms: [], scenes: [], jobs: [], chart: null, chartPoints: [],
  session: `web-${Math.random().toString(36).slice(2)}`, closeEvents: null, listeners: [],
};
let weatherStrip = null;
const $ = (selector) => document.querySelector(selector);
const t = () => TEXT[state.lang];

function applyLanguage() {
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t()[node.dataset.t];
  $("#say-input").placeholder = t().sayPlaceholder;
  $("#lang").textContent = t().language;
}

async function start() {
  applyLanguage();
  $("#lang").addEventListener("click", () => {
    state.lang = state.lang === "ko" ? "en" : "ko";
    localStorage.setItem("jibsa.lang", state.lang);
    applyLanguage();
    renderAll();
  });
  $("#login-form").addEventListener("submit", login);
  $("#logout").addEventListener("click", logout);
  $("#say-form").addEventListener("submit", say);
  $("#chart-select").addEventListener("change", (e) => loadChart(e.target.value));
  try {
    const me = await api("GET", "/api/me");
    await enter(me);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) showError(error);
    $("#login").hidden = false;
  }
}

async function login(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  $("#login-error").textContent = "";
  try {
    const me = await api("POST", "/api/login", { name: form.get("name"), password: form.get("password") });
    await enter(me);
  } catch (error) {
    $("#login-error").textContent = error.status === 429 ? t().tooMany : t().loginFailed;
  }
}

async function logout() {
  await api("POST", "/api/logout", {}).catch(() => null);
  location.reload();
}

async function enter(me) {
  setCsrf(me.csrf_token);
  $("#login").hidden = true;
  $("#app").hidden = false;
  $("#who").textContent = `${me.home.name} · ${me.name} (${me.role})`;
  const [devices, rooms, scenes] = await Promise.all([api("GET", "/api/devices"), api("GET", "/api/rooms"),
    api("GET", "/api/scenes")]);
  state.devices = new Map(devices.map((d) => [d.id, d]));
  state.rooms = rooms;
  state.scenes = scenes;
  fillChartChoices();
  weatherStrip = mountWeather($("#weather"), { api, lang: () => state.lang });
  renderAll();
  await loadJobs();
  mountRules($("#rules-part"), { api, lang: () => state.lang, onEvent: (fn) => state.listeners.push(fn), me });
  if (me.role === "owner") await loadDiscovered();
  state.closeEvents = openEvents(onEvent, (up) => {
    $("#live").textContent = up ? t().live : t().offline;
    $("#live").className = up ? "live up" : "live down";
  });
  setInterval(renderJobs, 15000);
  mountVoice($("#voice"), { lang: () => state.lang, session: state.session, showReply });
}

function renderAll() {
  if (weatherStrip) weatherStrip.render();
  const rooms = $("#rooms");
  rooms.replaceChildren(...state.rooms.map((room) => h("section", { class: "room" },
    h("h2", {}, room.id ? room.name : t().wholeHome),
    h("div", { class: "cards" }, ...room.devices.map((id) => state.devices.get(id)).filter(Boolean)
      .map((d) => renderCard(state.lang, t(), d, sendCommand))))));
  $("#scene-buttons").replaceChildren(...state.scenes.map((scene) =>
    h("button", { class: "scene", "data-scene": scene.id, onclick: () => runScene(scene) }, scene.name)));
  renderJobs();
}

function rerenderDevice(id) {
  const device = state.devices.get(id);
  const old = document.querySelector(`[data-device="${CSS.escape(id)}"]`);
  if (device && old) old.replaceWith(renderCard(state.lang, t(), device, sendCommand));
}

async function sendCommand(device, intent, params, extra = {}) {
  try {
    await api("POST", `/api/devices/${encodeURIComponent(device.id)}/commands`, { intent, params, ...extra });
  } catch (error) {
    if (error.code === "needs_confirmation" && !extra.confirm) return confirmThen(device, intent, params);
    if (error.code === "wrong_pin" && !extra.pin) {
      const pin = prompt(t().pinPrompt);
      if (pin) return sendCommand(device, intent, params, { confirm: true, pin });
      return;
    }
    showError(error);
  }
}

function confirmThen(device, intent, params) {
  if (confirm(`${device.name}: ${t().confirmUnlock}`)) return sendCommand(device, intent, params, { confirm: true });
}

async function runScene(scene) {
  try {
    const outcome = await api("POST", `/api/scenes/${encodeURIComponent(scene.id)}/run`, {});
    showReply(`${scene.name} ${outcome.ok ? "✓" : "⚠"}`);
  } catch (error) {
    showError(error);
  }
}

async function say(event) {
  event.preventDefault();
  const input = $("#say-input");
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  try {
    const turn = await api("POST", "/api/conversation", { text, session: state.session });
    showReply(turn.reply, turn.needs_confirmation);
  } catch (error) {
    showError(error);
  }
}

function showReply(text, needsConfirmation = false) {
  const reply = $("#reply");
  reply.replaceChildren(h("span", {}, text));
  if (needsConfirmation) {
    reply.append(h("button", { class: "confirm", onclick: () => sayWord("응") }, t().confirm),
      h("button", { class: "decline", onclick: () => sayWord("취소") }, t().cancel));
  }
}

async function sayWord(word) {
  $("#say-input").value = word;
  $("#say-form").requestSubmit();
}

function showError(error) {
  const message = state.lang === "en" && error.body ? error.body.message_en : error.message;
  $("#reply").replaceChildren(h("span", { class: "error" }, `${t().error}: ${message}`));
}

function onEvent(event) {
  for (const listener of state.listeners) listener(event);
  if (event.type === "state_changed") {
    const device = state.devices.get(event.device);
    if (!device) return;
    device.state = event.state;
    rerenderDevice(event.device);
    if (state.chart && state.chart.device === event.device && state.chart.property in event.changed) {
      state.chartPoints.push([event.at, event.changed[state.chart.property]]);
      drawChart();
    }
  } else if (event.type === "availability_changed") {
    const device = state.devices.get(event.device);
    if (device) { device.available = event.available; rerenderDevice(event.device); }
  } else if (event.type === "conversation") {
    $("#last-said").textContent = `${event.user}: “${event.text}” → ${event.reply}`;
  } else if (["jobs_changed", "job_fired", "timer_finished"].includes(event.type)) {
    loadJobs();
  } else if (event.type === "home_changed" || event.type === "dropped") {
    location.reload();
  }
}

// Discovered locks, gas valves and garage doors join the home only when an owner adopts them.
async function loadDiscovered() {
  const waiting = await api("GET", "/api/discovered").catch(() => []);
  $("#discovered-panel").hidden = waiting.length === 0;
  $("#discovered").replaceChildren(...waiting.map((device) => h("li", { "data-discovered": device.id },
    `${device.name} (${device.type}${device.maker ? `, ${device.maker}` : ""}) `,
    h("button", { type: "button", onclick: () => adopt(device) }, t().adopt))));
}

async function adopt(device) {
  try {
    await api("POST", `/api/discovered/${encodeURIComponent(device.id)}/adopt`, {});
  } catch (error) {
    showError(error);
  }
  await loadDiscovered();
}

async function loadJobs() {
  state.jobs = await api("GET", "/api/jobs").catch(() => []);
  renderJobs();
}

function renderJobs() {
  const now = Date.now() / 1000;
  const items = state.jobs.map((job) => {
    const what = job.kind === "timer" ? `⏱ ${job.name || ""}` : describeCommand(job.command);
    const when = job.repeat ? `${t().repeat[job.repeat] || job.repeat} ${job.at}`
      : `${Math.max(0, Math.round((job.due - now) / 60))}′ ${t().remaining}`;
    return h("li", { "data-job": job.id }, `${what} — ${when}`);
  });
  $("#jobs").replaceChildren(...(items.length ? items : [h("li", { class: "empty" }, t().noJobs)]));
}

function describeCommand(command) {
  const names = (command.targets || []).map((id) => (state.devices.get(id) || { name: id }).name);
  const scene = command.params && command.params.scene;
  return `${scene ? scene : names.join(", ")} ${command.intent}`;
}

function fillChartChoices() {
  const select = $("#chart-select");
  const options = [];
  for (const device of state.devices.values()) {
    for (const prop of device.properties) {
      if (device.type === "sensor" && prop.kind === "number") {
        options.push(h("option", { value: `${device.id}/${prop.name}` }, `${device.name} · ${label(state.lang, prop.name)}`));
      }
    }
  }
  select.replaceChildren(...options);
  if (options.length) loadChart(options[0].value);
}

async function loadChart(choice) {
  const [device, property] = choice.split("/");
  state.chart = { device, property, unit: unitOf(device, property) };
  const since = Date.now() / 1000 - 24 * 3600;
  const entries = await api("GET", `/api/history?device=${encodeURIComponent(device)}&since=${since}`).catch(() => []);
  state.chartPoints = entries.filter((e) => typeof e.new[property] === "number").map((e) => [e.at, e.new[property]]);
  const current = state.devices.get(device).state[property];
  if (typeof current === "number" && state.chartPoints.length === 0) state.chartPoints.push([Date.now() / 1000, current]);
  drawChart();
}

function unitOf(deviceId, property) {
  const prop = state.devices.get(deviceId).properties.find((p) => p.name === property);
  return prop ? prop.unit : "";
}

function drawChart() {
  drawLineChart($("#chart"), state.chartPoints, { unit: state.chart.unit, empty: t().noData });
}

export { summary };
start();
