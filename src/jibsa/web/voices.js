// Who is speaking: a person enrols their voice by reading five short sentences into the microphone, sees
// and deletes their recordings; an owner sees everyone's and switches "strangers' voices as guests". A
// voice only ever narrows what a spoken request may do. The sheet also opens when someone asks
// "목소리 등록해줘" (the page's turn has the enrol_voice command: app.js and voice.js send "jibsa:enrol-voice").
//
// mount(container, ctx) — ctx as in docs/dashboard.md (api, user, lang, onLanguage, notify).
// Recording goes over WS /api/voice with {"type": "start", "enrol": true, "my_room"} (api/routes_voice.py).
// Every word is the page's catalogue's (words/<lang>.yaml, page.text.voices*).

import { t } from "./i18n.js";
import { startCapture } from "./voice.js";

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

export function mount(container, ctx) {
  if (ctx.user.role === "satellite") return;
  const owner = ctx.user.role === "owner";
  const view = { people: [], sentences: [], strangers: true, recording: null, done: new Set(), room: "", rooms: [] };
  const summary = el("p", { class: "muted", "data-voices": "summary" });
  const open = el("button", { type: "button", class: "chip", "data-voices": "open", onclick: () => show() },
    t("voicesEnrol"));  // named from the start: /api/voices may come after the page is read
  const dialog = el("dialog", { class: "sheet voices-sheet", "aria-labelledby": "voices-title", "data-voices": "sheet" });
  container.replaceChildren(el("div", { class: "panel voices-panel" }, el("h2", {}, t("voicesTitle")), summary, open), dialog);

  async function load() {
    const listed = await ctx.api("GET", `/api/voices?lang=${ctx.lang === "en" ? "en" : "ko"}`);
    Object.assign(view, { people: listed.people, sentences: listed.sentences, strangers: listed.strangers_as_guests });
    const mine = view.people.find((p) => p.name === ctx.user.name);
    view.room = view.room || mine?.room || "";
    summary.textContent = mine ? t("voicesMine", { count: mine.samples.length }) : t("voicesNone");
    open.textContent = t("voicesEnrol");
    if (dialog.open) render();
  }

  async function show() {
    view.done = new Set();
    if (!view.rooms.length) view.rooms = (await ctx.api("GET", "/api/rooms").catch(() => [])).filter((r) => r.id);
    await load();
    render();
    if (!dialog.open) dialog.showModal();
  }

  function render() {
    const rooms = el("select", { id: "voices-room", "data-voices": "room", onchange: (e) => { view.room = e.target.value; } },
      el("option", { value: "" }, t("voicesNoRoom")),
      ...view.rooms.map((r) => el("option", { value: r.id, selected: r.id === view.room }, r.name)));
    const sentences = el("ol", { class: "voices-sentences" }, ...view.sentences.map((text, index) => sentence(text, index)));
    dialog.replaceChildren(
      el("div", { class: "sheet-head" }, el("h2", { id: "voices-title", class: "sheet-title" }, t("voicesEnrol")),
        el("button", { type: "button", class: "chip", onclick: () => dialog.close() }, t("voicesClose"))),
      el("p", { class: "muted" }, t("voicesIntro")),
      el("div", { class: "sheet-fields" }, el("label", { for: "voices-room" }, t("voicesMyRoom")), rooms),
      sentences,
      owner ? strangersSwitch() : null,
      people());
  }

  function sentence(text, index) {
    const recording = view.recording === index;
    const done = view.done.has(index);
    const button = el("button", { type: "button", class: recording ? "record recording" : "record",
      "data-voices": `record-${index}`, "aria-pressed": recording ? "true" : "false",
      onclick: () => (recording ? stop() : record(index)) },
    recording ? t("voicesStop") : done ? t("voicesDone") : t("voicesRecord"));
    return el("li", { class: done ? "ok" : "" }, el("span", {}, text), button);
  }

  function strangersSwitch() {
    const box = el("input", { type: "checkbox", id: "voices-strangers", "data-voices": "strangers", checked: view.strangers,
      onchange: async (e) => {
        await ctx.api("PUT", "/api/voices", { strangers_as_guests: e.target.checked }).catch(() => null);
        await load();
      } });
    return el("p", { class: "voices-setting" }, box, " ", el("label", { for: "voices-strangers" }, t("voicesStrangers")));
  }

  function people() {
    const shown = view.people.filter((p) => owner || p.name === ctx.user.name);
    if (!shown.length) return el("p", { class: "muted" }, t("voicesNone"));
    return el("ul", { class: "voices-people" }, ...shown.map((p) => el("li", { "data-voices-person": p.name },
      el("span", {}, t("voicesPerson", { name: p.name, count: p.samples.length })),
      el("button", { type: "button", class: "chip", onclick: async () => {
        await ctx.api("DELETE", `/api/voices/${encodeURIComponent(p.name)}`).catch(() => null);
        await load();
      } }, t("voicesDelete")))));
  }

  let link = null;
  async function record(index) {
    if (link) return;
    try {
      link = await enrolment(view.room, async (message) => {
        link = null;
        view.recording = null;
        if (message.type === "enrolled") view.done.add(index);
        else ctx.notify(ctx.lang === "en" ? message.message_en : message.message);
        await load();
        render();
      });
      view.recording = index;
    } catch {
      link = null;
      ctx.notify(t("voicesNoMic"));
    }
    render();
  }

  function stop() {
    if (link) link.stop();
    view.recording = null;
    render();
  }

  dialog.addEventListener("close", () => stop());
  document.addEventListener("jibsa:enrol-voice", () => show());
  ctx.onLanguage?.(() => load());
  load().catch(() => { summary.textContent = ""; });
}

// One sentence read into the microphone and sent for enrolment; `done(message)` gets the server's
// "enrolled" or "error". Returns { stop() }: the end of the sentence.
async function enrolment(room, done) {
  if (!navigator.mediaDevices || !window.isSecureContext) throw new Error("insecure");
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true } });
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const socket = new WebSocket(`${scheme}//${location.host}/api/voice`);
  await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
  let capture = null;
  const finish = () => { if (capture) capture.close(); capture = null; };
  socket.onmessage = (event) => {  // the end of speech (the server's VAD) or `stop` ends the sentence
    const message = JSON.parse(event.data);
    if (["enrolled", "error"].includes(message.type)) { finish(); socket.close(); done(message); }
  };
  socket.send(JSON.stringify({ type: "start", enrol: true, ...(room ? { my_room: room } : {}) }));
  capture = await startCapture(stream, (pcm) => { if (socket.readyState === 1) socket.send(pcm); });
  return {
    stop() {
      finish();
      if (socket.readyState === 1) socket.send(JSON.stringify({ type: "stop" }));
    },
  };
}
