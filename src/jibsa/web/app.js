// jibsa's dashboard: log in, see the home by room live, talk to it, run scenes, watch timers and a sensor's day.

import { api, ApiError, openEvents, setCsrf } from "./api.js";
import { $, h } from "./dom.js";
import { mountExtensions } from "./extensions.js";
import { chartSawChange, drawChart, fillChartChoices, loadChart } from "./history.js";
import { FAVOURITE_TAB, loadFavourites, renderScenes, sceneLabel, renderTabs, renderTiles, rerenderTile, roomName,
  saveFavourites } from "./home-view.js";
import { loadLanguage, roleWord, t } from "./i18n.js";
import { noticeForEvent, renderJobs, showNotice } from "./jobs.js";
import { openSheetDevice, showSheet, updateSheet } from "./sheet.js";
import { applyTheme, currentTheme, nextTheme } from "./theme.js";

const state = {
  lang: localStorage.getItem("jibsa.lang") === "en" ? "en" : "ko",
  me: null, devices: new Map(), rooms: [], scenes: [], jobs: [], favourites: new Set(), tab: FAVOURITE_TAB,
  session: `web-${Math.random().toString(36).slice(2)}`, listeners: new Set(), languageListeners: new Set(),
};

function view() {
  return { lang: state.lang, devices: state.devices, rooms: state.rooms, favourites: state.favourites, tab: state.tab,
    onTab: selectTab, onToggle: toggle, onOpen: openSheet };
}

function applyLanguage() {
  document.documentElement.lang = state.lang;
  document.title = t("title");
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  for (const node of document.querySelectorAll("[data-t-label]")) node.setAttribute("aria-label", t(node.dataset.tLabel));
  $("#say-input").placeholder = t("sayPlaceholder");
  $("#lang").textContent = t("language");
  $("#lang").lang = t("languageCode");
  $("#theme").textContent = `${t("theme")}: ${t(`theme${currentTheme()[0].toUpperCase()}${currentTheme().slice(1)}`)}`;
  if (state.me) {
    $("#who").textContent = `${state.me.name} · ${roleWord(state.me.role)}`;
    $("#home-name").textContent = state.me.home.name;
  }
}

async function start() {
  applyTheme();
  // Everything the first screen needs, asked for at once (a 401 just means: log in first).
  const me = api("GET", "/api/me");
  const home = loadHome();
  me.catch(() => null);  // answered below; until then a 401 is no uncaught error in the console
  home.catch(() => null);
  try {
    await loadLanguage(state.lang);
    applyLanguage();
  } catch {
    // jibsa is unreachable and nothing is cached yet: the page keeps the Korean words of its HTML.
  }
  $("#lang").addEventListener("click", switchLanguage);
  $("#theme").addEventListener("click", () => { nextTheme(); applyLanguage(); });
  $("#login-form").addEventListener("submit", login);
  $("#logout").addEventListener("click", logout);
  $("#say-form").addEventListener("submit", say);
  $("#chart-select").addEventListener("change", (e) => loadChart(e.target.value, state.devices));
  try {
    await enter(await me, home);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) $("#login").hidden = false;
    else $("#unreachable").hidden = false;
  }
}

async function switchLanguage() {
  state.lang = state.lang === "ko" ? "en" : "ko";
  localStorage.setItem("jibsa.lang", state.lang);
  await loadLanguage(state.lang);
  applyLanguage();
  if (state.me) renderAll();
  for (const listener of state.languageListeners) callSafely(listener, state.lang);
}

async function login(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  $("#login-error").textContent = "";
  try {
    const me = await api("POST", "/api/login", { name: form.get("name"), password: form.get("password") });
    await enter(me, loadHome());
  } catch (error) {
    $("#login-error").textContent = error.status === 429 ? t("tooMany") : t("loginFailed");
  }
}

async function logout() {
  await api("POST", "/api/logout", {}).catch(() => null);
  location.reload();
}

function loadHome() {
  return Promise.all(["/api/devices", "/api/rooms", "/api/scenes", "/api/jobs"].map((path) => api("GET", path)));
}

async function enter(me, home) {
  setCsrf(me.csrf_token);
  state.me = me;
  const [devices, rooms, scenes, jobs] = await home;
  state.devices = new Map(devices.map((d) => [d.id, d]));
  Object.assign(state, { rooms, scenes, jobs });
  state.favourites = loadFavourites(state.devices, rooms);
  $("#login").hidden = true;
  for (const id of ["#app", "#account", "#live"]) $(id).hidden = false;
  applyLanguage();
  renderAll();
  loadChart(fillChartChoices(state.devices), state.devices);
  openEvents(onEvent, showConnection);
  setInterval(drawJobs, 15000);
  document.body.dataset.ready = "true";
  performance.mark("jibsa-ready");
  mountExtensions(extensionContext());
  // Kept for offline use once the page is up, so that filling its cache does not slow the first load.
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => null);
}

function showConnection(up) {
  $("#live").className = up ? "live up" : "live down";
  $("#live-text").textContent = up ? t("live") : t("offline");
  $("#live").title = $("#live-text").textContent;
}

function renderAll() {
  renderTabs(view());
  renderTiles(view());
  renderScenes(state.lang, state.scenes, runScene);
  fillChartChoices(state.devices);
  drawChart(state.devices);
  drawJobs();
  const open = openSheetDevice();
  if (open) openSheet(state.devices.get(open));
}

function selectTab(tab) {
  state.tab = tab;
  renderTabs(view());
  renderTiles(view());
}

function sheetContext() {
  return { lang: state.lang, roomName: (id) => roomName(state.rooms, id), send: sendCommand,
    isFavourite: (id) => state.favourites.has(id), toggleFavourite };
}

function openSheet(device) {
  showSheet(device, sheetContext());
}

function toggleFavourite(id) {
  if (!state.favourites.delete(id)) state.favourites.add(id);
  saveFavourites(state.favourites);
  if (state.tab === FAVOURITE_TAB) renderTiles(view());
}

function toggle(device) {
  return sendCommand(device, device.state.power ? "turn_off" : "turn_on", {});
}

// Sends one command; the page changes only when the device's own state event says it did.
async function sendCommand(device, intent, params, extra = {}) {
  try {
    await api("POST", `/api/devices/${encodeURIComponent(device.id)}/commands`, { intent, params, ...extra });
  } catch (error) {
    if (error.code === "needs_confirmation" && !extra.confirm) {
      if (confirm(`${device.name}: ${t("confirmUnlock")}`)) return sendCommand(device, intent, params, { confirm: true });
      return;
    }
    if (error.code === "wrong_pin" && !extra.pin) {
      const pin = prompt(t("pinPrompt"));
      if (pin) return sendCommand(device, intent, params, { confirm: true, pin });
      return;
    }
    showError(error);
  }
}

async function runScene(scene) {
  try {
    const outcome = await api("POST", `/api/scenes/${encodeURIComponent(scene.id)}/run`, {});
    showReply(t(outcome.ok ? "sceneDone" : "sceneFailed", { name: sceneLabel(state.lang, scene) }));
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
  await sayText(text);
}

async function sayText(text) {
  try {
    const turn = await api("POST", "/api/conversation", { text, session: state.session });
    showReply(turn.reply, turn.needs_confirmation);
    if (turn.commands.some((c) => c.intent === "enrol_voice")) document.dispatchEvent(new Event("jibsa:enrol-voice"));
    return turn;
  } catch (error) {
    showError(error);
    return null;
  }
}

function showReply(text, needsConfirmation = false) {
  const reply = $("#reply");
  reply.replaceChildren(h("span", {}, text));
  if (needsConfirmation) {
    reply.append(h("button", { type: "button", class: "confirm", onclick: () => sayText("응") }, t("confirm")),
      h("button", { type: "button", class: "decline", onclick: () => sayText("취소") }, t("cancel")));
  }
}

function showError(error) {
  const message = state.lang === "en" && error.body ? error.body.message_en : error.message;
  $("#reply").replaceChildren(h("span", { class: "error" }, `${t("error")}: ${message}`));
}

function onEvent(event) {
  if (event.type === "state_changed" || event.type === "availability_changed") deviceChanged(event);
  else if (event.type === "conversation") $("#last-said").textContent = `${event.user}: “${event.text}” → ${event.reply}`;
  else if (event.type === "timer_finished" && event.missed) loadJobs(); // told as a notification, not rung
  else if (event.type === "timer_finished" || event.type === "job_fired") {
    showNotice(noticeForEvent(event, state.devices, sceneName), event.type === "timer_finished" ? "timer" : "info");
    loadJobs();
  } else if (event.type === "jobs_changed") loadJobs();
  else if (event.type === "home_changed" || event.type === "dropped") location.reload();
  for (const listener of state.listeners) callSafely(listener, event);
}

// A page part's listener that throws must not stop the others, nor the page.
function callSafely(listener, value) {
  try {
    listener(value);
  } catch (error) {
    console.error("listener failed:", error);
  }
}

function deviceChanged(event) {
  const device = state.devices.get(event.device);
  if (!device) return;
  if (event.type === "availability_changed") device.available = event.available;
  else {
    device.state = event.state;
    if (event.summary) device.summary = event.summary;
    chartSawChange(event, state.devices);
  }
  rerenderTile(view(), device);
  if (openSheetDevice() === device.id) updateSheet(device, event.changed ?? null, sheetContext());
}

function sceneName(id) {
  return sceneLabel(state.lang, state.scenes.find((s) => s.id === id) || { name: id });
}

async function loadJobs() {
  state.jobs = await api("GET", "/api/jobs").catch(() => state.jobs);
  drawJobs();
}

function drawJobs() {
  renderJobs(state.jobs, state.devices, sceneName, async (job) => {
    await api("DELETE", `/api/jobs/${encodeURIComponent(job.id)}`).catch(showError);
    loadJobs();
  });
}

// What page parts from other modules (extensions.js) get: see docs/dashboard.md.
function extensionContext() {
  return {
    api, home: state.me.home, user: { name: state.me.name, role: state.me.role },
    get lang() { return state.lang; },
    devices: () => [...state.devices.values()],
    onEvent: (listener) => { state.listeners.add(listener); return () => state.listeners.delete(listener); },
    onLanguage: (listener) => { state.languageListeners.add(listener); return () => state.languageListeners.delete(listener); },
    say: sayText, notify: (text) => showNotice(text), showReply, session: state.session,
    reportProblem: () => showNotice(t("extensionFailed"), "error"),
  };
}

start();
