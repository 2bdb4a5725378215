// A device's key state in people's words ("켜짐 · 70%", "잠김", "닫힘"), its icon, and whether it is "on".

import { label, t, word } from "./i18n.js";

const TYPE_ICONS = {
  light: "lightbulb", switch: "plug", fan: "fan", air_conditioner: "air-vent", boiler: "flame",
  thermostat: "thermometer", air_purifier: "wind", humidifier: "droplets", dehumidifier: "droplet-off",
  washer: "washing-machine", dryer: "shirt", dishwasher: "utensils", refrigerator: "refrigerator",
  robot_vacuum: "robot-vacuum", tv: "tv", speaker: "speaker", curtain: "panels-left-right", blind: "blinds",
  window: "app-window", garage_door: "warehouse", door_lock: "lock", gas_valve: "gauge", sensor: "activity",
};
const APPLIANCES = new Set(["washer", "dryer", "dishwasher"]);
const COVERS = new Set(["curtain", "blind", "window", "garage_door"]);
// The one number worth showing beside "켜짐", per type.
const KEY_NUMBER = {
  light: "brightness", air_conditioner: "temperature", boiler: "temperature", thermostat: "temperature",
  humidifier: "humidity", dehumidifier: "humidity",
};

export function deviceIcon(device) {
  if (device.type === "door_lock") return device.state.lock === "unlocked" ? "lock-open" : "lock";
  if (device.type === "sensor" && "temperature" in device.state) return "thermometer";
  return TYPE_ICONS[device.type] || "activity";
}

export function canToggle(device) {
  return device.properties.some((p) => p.name === "power" && p.writable) && device.intents.includes("turn_on");
}

// Whether the tile is lit: something is on, open, unlocked or running.
export function isActive(device) {
  const s = device.state;
  if ("power" in s && device.type !== "sensor") return Boolean(s.power);
  if (device.type === "door_lock") return s.lock === "unlocked";
  if (device.type === "gas_valve") return s.valve === "open";
  if (COVERS.has(device.type)) return (s.position ?? 0) > 0;
  if (device.type === "robot_vacuum") return s.run_state === "cleaning" || s.run_state === "returning";
  return false;
}

// Whether the state is one to look at twice: the front door left unlocked.
export function isWarning(device) {
  return device.type === "door_lock" && device.state.lock === "unlocked";
}

// What a device that is off keeps for when it is turned on: an air conditioner's or boiler's target
// temperature ("24°C"), shown dimmed beside "꺼짐"; null for anything else.
export function idleTarget(device) {
  const s = device.state;
  if (!device.available || s.power !== false || KEY_NUMBER[device.type] !== "temperature") return null;
  return typeof s.temperature === "number" ? degrees(s.temperature) : null;
}

// The key state: the API's own `summary` in the page's language when it gives one, else ours.
export function keyState(lang, device) {
  if (!device.available) return t("notAnswering");
  if (device.summary && device.summary[lang]) return device.summary[lang];
  return fallbackState(device);
}

function fallbackState(device) {
  const s = device.state;
  if (device.type === "door_lock") return word(s.lock);
  if (device.type === "gas_valve") return word(`valve_${s.valve}`);
  if (COVERS.has(device.type)) return coverState(s.position);
  if (APPLIANCES.has(device.type)) return applianceState(s);
  if (device.type === "robot_vacuum") return [word(s.run_state), percent(s.battery)].filter(Boolean).join(" · ");
  if (device.type === "refrigerator") return t("fridge", { a: degrees(s.temperature), b: degrees(s.freezer_temperature) });
  if (device.type === "sensor") return sensorState(device);
  return powerState(device);
}

function powerState(device) {
  const s = device.state;
  if (!s.power) return t("off");
  const parts = [t("on")];
  const key = KEY_NUMBER[device.type];
  if (key && typeof s[key] === "number") parts.push(key === "temperature" ? degrees(s[key]) : percent(s[key]));
  else if (device.type === "fan" || device.type === "air_purifier") parts.push(word(s.mode ?? s.fan_speed));
  else if (typeof s.volume === "number") parts.push(t("volumeShort", { n: s.volume }));
  return parts.filter(Boolean).join(" · ");
}

export function coverState(position) {
  if (typeof position !== "number") return "–";
  if (position <= 0) return word("closed");
  if (position >= 100) return word("open");
  return t("openPercent", { n: Math.round(position) });
}

function applianceState(s) {
  if (s.run_state === "running" || s.run_state === "paused") {
    return [word(s.run_state), remaining(s.remaining_time)].filter(Boolean).join(" · ");
  }
  if (s.run_state === "finished") return word("finished");
  return s.power ? t("on") : t("off");
}

function sensorState(device) {
  const s = device.state;
  const parts = [];
  for (const prop of device.properties) {
    const value = s[prop.name];
    if (value === undefined || value === null || prop.name === "battery") continue;
    if (prop.kind === "bool") parts.push(booleanReading(prop.name, value));
    else if (prop.kind === "number") parts.push(reading(prop, value));
    else parts.push(`${label(prop.name)} ${word(value)}`);
  }
  return parts.slice(0, 2).join(" · ") || "–";
}

function booleanReading(name, value) {
  if (name === "motion" || name === "occupancy" || name === "presence") return value ? t("motionDetected") : t("noMotion");
  if (name === "door" || name === "window") return value ? t("doorOpen") : t("doorClosed");
  return `${label(name)} ${word(value ? "yes" : "no")}`;
}

// A number with its unit, rounded for reading ("23.5°C", "45%", "12µg/m³").
export function reading(prop, value) {
  if (typeof value !== "number") return word(value);
  if (prop.name === "remaining_time") return remaining(value);
  const unit = prop.unit === "s" ? "" : prop.unit;
  const space = unit && !["%", "°C"].includes(unit) ? " " : "";
  return `${Math.round(value * 10) / 10}${space}${unit}`;
}

function degrees(value) {
  return typeof value === "number" ? `${Math.round(value * 10) / 10}°C` : "";
}

function percent(value) {
  return typeof value === "number" ? `${Math.round(value)}%` : "";
}

export function remaining(seconds) {
  if (typeof seconds !== "number" || seconds <= 0) return "";
  if (seconds < 60) return t("secondsLeft");
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return t("minutesLeft", { n: minutes });
  return t("hoursLeft", { h: Math.floor(minutes / 60), m: minutes % 60 });
}
