// The home at a glance: a strip of room tabs (favourites first), compact tiles, scene buttons.

import { $, h, icon } from "./dom.js";
import { t } from "./i18n.js";
import { renderTile } from "./tiles.js";

const FAVOURITES_KEY = "jibsa.favourites";
const FAVOURITE_TAB = "*favourites";
// Without a choice of their own, people first see what they check most: doors, gas, heating, laundry.
const DEFAULT_FAVOURITE_TYPES = new Set(["door_lock", "gas_valve", "boiler", "thermostat", "air_conditioner",
  "washer", "dryer", "robot_vacuum"]);

export function loadFavourites(devices, rooms) {
  const saved = localStorage.getItem(FAVOURITES_KEY);
  if (saved) return new Set(JSON.parse(saved).filter((id) => devices.has(id)));
  const firstRoomLights = (rooms[0] ? rooms[0].devices : []).filter((id) => devices.get(id)?.type === "light");
  const picked = [...devices.values()].filter((d) => DEFAULT_FAVOURITE_TYPES.has(d.type)).map((d) => d.id);
  return new Set([...firstRoomLights, ...picked].slice(0, 12));
}

export function saveFavourites(favourites) {
  localStorage.setItem(FAVOURITES_KEY, JSON.stringify([...favourites]));
}

export function roomName(rooms, roomId) {
  if (!roomId) return t("wholeHome");
  const room = rooms.find((r) => r.id === roomId);
  return room ? room.name : roomId;
}

// view: { lang, devices, rooms, favourites, tab, onTab, onToggle, onOpen }
export function renderTabs(view) {
  const tabs = [{ id: FAVOURITE_TAB, name: t("favourites"), star: true },
    ...view.rooms.map((r) => ({ id: r.id || "*home", name: r.id ? r.name : t("wholeHome") }))];
  $("#room-tabs").replaceChildren(...tabs.map((tab) => h("button", {
    type: "button", role: "tab", id: `tab-${tab.id}`, class: "chip tab", "data-room": tab.id,
    "aria-selected": String(tab.id === view.tab), "aria-controls": "tiles", tabindex: tab.id === view.tab ? "0" : "-1",
    onclick: () => view.onTab(tab.id), onkeydown: (e) => moveTab(e, tabs, view),
  }, tab.star ? icon("star") : null, tab.name)));
  $("#tiles").setAttribute("aria-labelledby", `tab-${view.tab}`);
}

function moveTab(event, tabs, view) {
  const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
  if (!step) return;
  const index = tabs.findIndex((tab) => tab.id === view.tab);
  const next = tabs[(index + step + tabs.length) % tabs.length];
  view.onTab(next.id);
  document.getElementById(`tab-${next.id}`).focus();
}

export function tabDevices(view) {
  if (view.tab === FAVOURITE_TAB) return [...view.favourites].map((id) => view.devices.get(id)).filter(Boolean);
  const room = view.rooms.find((r) => (r.id || "*home") === view.tab) || view.rooms[0];
  return room ? room.devices.map((id) => view.devices.get(id)).filter(Boolean) : [];
}

export function renderTiles(view) {
  const devices = tabDevices(view);
  const tiles = devices.map((d) => renderTile(view.lang, d, view));
  $("#tiles").replaceChildren(...(tiles.length ? tiles : [h("p", { class: "muted empty" }, t("noFavourites"))]));
}

// Redraws one tile, keeping the keyboard focus on the button that had it.
export function rerenderTile(view, device) {
  const old = document.querySelector(`#tiles [data-device="${CSS.escape(device.id)}"]`);
  if (!old) return;
  const focused = old.contains(document.activeElement) ? document.activeElement.className : null;
  const tile = renderTile(view.lang, device, view);
  old.replaceWith(tile);
  if (focused) tile.querySelector(`.${CSS.escape(focused.split(" ")[0])}`)?.focus();
}

// A scene as the page's language calls it: in English its `name_en` when the home file gives one.
export function sceneLabel(lang, scene) {
  return lang === "en" && scene.name_en ? scene.name_en : scene.name;
}

export function renderScenes(lang, scenes, onRun) {
  $("#scene-buttons").replaceChildren(...scenes.map((scene) => h("button", {
    type: "button", class: "chip scene", "data-scene": scene.id, onclick: () => onRun(scene),
  }, icon("sparkles"), sceneLabel(lang, scene))));
}

export { FAVOURITE_TAB };
