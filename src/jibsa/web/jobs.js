// Timers and schedules where people see them (near the top), and a word when one finishes.

import { $, h, icon } from "./dom.js";
import { intentWord, label, t, word, words } from "./i18n.js";
import { remaining } from "./states.js";

// What a pending job will do, in the page's language ("거실 천장등 끄기", "10분 타이머").
export function describeJob(job, devices, sceneName) {
  if (job.kind === "timer") return job.name ? `${t("timer")} · ${job.name}` : t("timer");
  return describeCommand(job.command, devices, sceneName);
}

export function describeCommand(command, devices, sceneName) {
  if (!command) return "";
  const params = command.params || {};
  const scene = params.scene;
  const what = scene ? sceneName(scene) : (command.targets || []).map((id) => (devices.get(id) || { name: id }).name)
    .join(", ");
  if (command.intent === "set" && params.property && params.value !== undefined) return describeSet(what, params);
  return t("commandPhrase", { what, action: intentWord(scene ? "run_scene" : command.intent) }).trim();
}

// A setting by what it will do: "거실 에어컨 23도로", "거실 천장등 밝기 40%로", "Living room AC to 23°C".
function describeSet(what, { property, value }) {
  if (property === "temperature" && typeof value === "number") {
    return t("setTemperaturePhrase", { what, value: withTo(t("degrees", { n: value })) });
  }
  const shown = typeof value === "number" ? `${value}${property === "brightness" || property === "volume" ? "%" : ""}`
    : word(value);
  return t("setPhrase", { what, label: label(property), value: withTo(shown) });
}

// "23도" -> "23도로" on the Korean page (the particle by how the word is read); as it is in English.
function withTo(text) {
  return document.documentElement.lang === "ko" ? `${text}${toParticle(text)}` : text;
}

// 으로 after a final consonant other than ㄹ, 로 otherwise (the catalogue's page.particles); a number by
// how it is read (3 삼 → 으로).
const DIGIT_CLOSED = new Set(["0", "3", "6"]);
function toParticle(text) {
  const [closed, open] = words("particles").towards;
  const last = text.trim().slice(-1);
  if (/[0-9]/.test(last)) return DIGIT_CLOSED.has(last) ? closed : open;
  const code = last.charCodeAt(0) - 0xac00;
  if (code < 0 || code > 11171) return open;
  const final = code % 28;
  return final === 0 || final === 8 ? open : closed;
}

function when(job, now) {
  if (job.repeat) return `${t(`repeat_${job.repeat}`)} ${job.at || ""}`.trim();
  return remaining(job.due - now) || t("secondsLeft");
}

// Draws the pending jobs as chips; the panel hides itself when there are none.
export function renderJobs(jobs, devices, sceneName, onCancel) {
  const now = Date.now() / 1000;
  const items = jobs.map((job) => h("li", { class: "job", "data-job": job.id },
    icon(job.kind === "timer" ? "timer" : "clock"),
    h("span", { class: "job-what" }, describeJob(job, devices, sceneName)),
    h("span", { class: "job-when" }, when(job, now)),
    h("button", { type: "button", class: "icon-button small", "aria-label": `${t("cancelJob")}: ${describeJob(job, devices, sceneName)}`,
      onclick: () => onCancel(job) }, icon("x"))));
  $("#jobs").replaceChildren(...items);
  $("#jobs-count").textContent = items.length ? String(items.length) : "";
  $("#jobs-panel").hidden = items.length === 0;
}

// A notice that stays until dismissed: a finished timer does not vanish without a word.
export function showNotice(text, kind = "info") {
  const notice = h("li", { class: `notice ${kind}` }, icon(kind === "timer" ? "timer" : "circle-alert"),
    h("span", {}, text),
    h("button", { type: "button", class: "icon-button small", "aria-label": t("dismiss"),
      onclick: () => notice.remove() }, icon("x")));
  $("#notices").append(notice);
}

export function noticeForEvent(event, devices, sceneName) {
  if (event.type === "timer_finished") {
    return event.name ? t("timerFinished", { name: event.name }) : t("timerFinishedUnnamed");
  }
  const outcome = event.outcome || {};
  const what = describeCommand(outcome.command, devices, sceneName) || event.name || "";
  return t(outcome.ok === false ? "jobFailed" : "jobFired", { what });
}
