// Talking to jibsa with the microphone: press to talk (or hold to talk on a phone); the words appear as
// they are recognised, then the reply, spoken with the device's own Korean voice when it has one, else
// with jibsa's. "목소리 점검" (voice check): read ten sentences, see what was heard and how many were
// understood, and download the recordings as a manifest for bench/voice_bench.py.
//
// mount(container, ctx) — ctx: { lang(): "ko" | "en", session: string,
//                                showReply(text: string, needsConfirmation: boolean): void }
// Audio goes over WS /api/voice as 16 kHz mono 16-bit PCM (the server's protocol: src/jibsa/api/routes_voice.py).
// Browsers give the microphone only on https or localhost (docs/remote-access.md).
import { fill, words } from "./i18n.js";

const RATE = 16000;
const HOLD_MS = 400;

export function mount(container, ctx) {
  const t = () => words("voice");
  const mic = el("button", { type: "button", class: "mic", "data-voice": "mic" });
  const heard = el("span", { class: "heard", "data-voice": "heard", role: "status", "aria-live": "polite" });
  const checkBox = el("details", { class: "voice-check" });
  container.replaceChildren(el("div", { class: "voice" }, mic, heard), checkBox);
  const voice = new VoiceLink(ctx, { onHeard: showHeard, onTurn, onProblem, onEnd: () => setListening(false) });
  const check = new VoiceCheck(checkBox, voice, t);
  let pressedAt = 0;

  ctx.onLanguage?.(() => label());
  function label() { mic.textContent = voice.listening ? t().listening : t().talk; heard.title = t().hint; check.label(); }
  function setListening(on) { mic.classList.toggle("listening", on); label(); }
  function showHeard(text, final) { heard.textContent = text; heard.classList.toggle("final", final); }
  function onTurn(turn) { ctx.showReply(turn.reply, turn.needs_confirmation); askedToEnrol(turn); }
  function onProblem(message) { heard.textContent = message; heard.classList.add("final"); }

  mic.addEventListener("pointerdown", async (event) => {
    event.preventDefault();
    if (voice.listening) { voice.stop(); return; }
    pressedAt = Date.now();
    showHeard("", false);
    try { await voice.start({}); setListening(true); } catch (error) { onProblem(micProblem(error, t())); }
  });
  mic.addEventListener("pointerup", () => {  // held like a walkie-talkie (phones): letting go ends it
    if (voice.listening && pressedAt && Date.now() - pressedAt > HOLD_MS) voice.stop();
  });
  label();
  // The dashboard switches language by setting <html lang>: follow it.
  new MutationObserver(label).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
}

class VoiceLink {
  constructor(ctx, handlers) {
    this.ctx = ctx; this.handlers = handlers; this.socket = null; this.listening = false; this.capture = null;
    this.pending = null; this.player = null;
  }

  async connect() {
    if (this.socket && this.socket.readyState <= 1) return this.opened;
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    this.socket = new WebSocket(`${scheme}//${location.host}/api/voice`);
    this.socket.binaryType = "arraybuffer";
    this.socket.onmessage = (message) => this.receive(message.data);
    this.opened = new Promise((resolve, reject) => { this.socket.onopen = resolve; this.socket.onerror = reject; });
    return this.opened;
  }

  async start(options) {
    if (!navigator.mediaDevices || !window.isSecureContext) throw new Error("insecure");
    const stream = await navigator.mediaDevices.getUserMedia(
      { audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true } });
    await this.connect();
    const lang = this.ctx.lang;
    const speak = !browserVoice(lang);
    this.socket.send(JSON.stringify({ type: "start", language: lang, session: this.ctx.session, speak, ...options }));
    this.capture = await startCapture(stream, (pcm) => {
      if (this.socket.readyState === 1) this.socket.send(pcm);
      if (this.pending) this.pending.push(pcm);
    });
    this.listening = true;
  }

  stop() {
    if (!this.listening) return;
    this.listening = false;
    this.capture.close();
    if (this.socket.readyState === 1) this.socket.send(JSON.stringify({ type: "stop" }));
    this.handlers.onEnd();
  }

  receive(data) {
    if (data instanceof ArrayBuffer) { playWav(data); return; }
    const message = JSON.parse(data);
    const lang = this.ctx.lang;
    if (message.type === "partial") this.handlers.onHeard(message.text, false);
    else if (message.type === "transcript") { this.stop(); this.handlers.onHeard(message.text, true); }
    else if (message.type === "turn") { this.handlers.onTurn(message); if (browserVoice(lang)) say(message.reply, lang); }
    else if (message.type === "understood" && this.onUnderstood) this.onUnderstood(message);
    else if (["error", "notice", "busy"].includes(message.type)) {
      if (message.type === "error") this.stop();
      this.handlers.onProblem(lang === "en" ? message.message_en : message.message);
      if (message.type === "error" && this.onUnderstood) this.onUnderstood(null);
    }
  }
}

// The microphone as 16 kHz PCM16 blocks of 0.1 s, each handed to `onPcm` (voices.js records with it too).
export async function startCapture(stream, onPcm) {
  const context = new AudioContext({ sampleRate: RATE });
  await context.audioWorklet.addModule("/static/voice-capture.js");
  const source = context.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(context, "jibsa-capture");
  let buffered = [];
  let count = 0;
  node.port.onmessage = ({ data }) => {
    buffered.push(data);
    count += data.length;
    if (count >= RATE / 10) { onPcm(toPcm16(buffered, count)); buffered = []; count = 0; }
  };
  source.connect(node);
  return { close: () => { stream.getTracks().forEach((track) => track.stop()); context.close(); } };
}

function toPcm16(blocks, count) {
  const out = new Int16Array(count);
  let at = 0;
  for (const block of blocks) {
    for (const sample of block) out[at++] = Math.max(-1, Math.min(1, sample)) * 0x7fff;
  }
  return out.buffer;
}

function browserVoice(lang) {
  if (!("speechSynthesis" in window)) return null;
  return speechSynthesis.getVoices().find((v) => v.lang.toLowerCase().startsWith(lang)) || null;
}

function say(text, lang) {
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.voice = browserVoice(lang);
  utterance.lang = lang === "en" ? "en-US" : "ko-KR";
  speechSynthesis.speak(utterance);
}

async function playWav(data) {
  // Web Audio, not an <audio> element: the page's content policy allows no blob: media.
  const context = new AudioContext();
  const buffer = await context.decodeAudioData(data);
  const source = context.createBufferSource();
  source.buffer = buffer;
  source.connect(context.destination);
  source.onended = () => context.close();
  source.start();
}

// "목소리 등록해줘": the enrolment sheet (voices.js) opens.
function askedToEnrol(turn) {
  if ((turn.commands || []).some((c) => c.intent === "enrol_voice")) document.dispatchEvent(new Event("jibsa:enrol-voice"));
}

function micProblem(error, text) {
  return error && error.message === "insecure" ? text.insecure : text.noMic;
}

class VoiceCheck {
  constructor(box, link, t) {
    this.box = box; this.link = link; this.t = t; this.index = -1; this.results = [];
    this.summary = el("summary", {});
    this.button = el("button", { type: "button", "data-voice": "check" });
    this.list = el("ol", {});
    this.outcome = el("p", { class: "muted" });
    box.append(this.summary, this.button, this.list, this.outcome);
    this.button.addEventListener("click", () => this.step());
    this.label();
  }

  label() {
    this.summary.textContent = this.t().check;
    this.button.textContent = this.index < 0 ? this.t().checkStart : this.t().checkNext;
  }

  async step() {
    const sentences = this.t().sentences;
    if (this.link.listening) { this.link.stop(); return; }
    if (this.index < 0) { this.results = []; this.list.replaceChildren(); this.outcome.textContent = ""; }
    this.index += 1;
    if (this.index >= sentences.length) { this.finish(); return; }
    const item = el("li", {}, sentences[this.index]);
    this.list.append(item);
    const sentence = sentences[this.index];
    this.link.pending = [];
    this.link.onUnderstood = (message) => this.record(item, sentence, message);
    await this.link.start({ check: true, expected_text: sentence });
    this.label();
  }

  record(item, sentence, message) {
    const ok = Boolean(message && message.matches);
    item.className = ok ? "ok" : "miss";
    item.append(el("div", { class: "muted" }, `${this.t().heard}: ${message ? message.text : "—"}`));
    this.results.push({ text: sentence, ok, pcm: this.link.pending, expected: message ? message.expected : [] });
    this.link.pending = null;
    if (this.index + 1 >= this.t().sentences.length) this.finish();
  }

  finish() {
    const understood = this.results.filter((r) => r.ok).length;
    this.outcome.textContent = fill(this.t().checkDone, { n: understood, total: this.results.length });
    const link = el("a", { download: "voice-check.jsonl", href: "#" }, this.t().download);
    link.addEventListener("click", () => { link.href = manifestUrl(this.results, this.link.ctx.lang); });
    this.outcome.append(" ", link);
    this.index = -1;
    this.label();
  }
}

function manifestUrl(results, lang) {
  // One JSONL line per sentence, the recording inline (base64 WAV): bench/voice_bench.py --manifest reads it.
  const lines = results.map((r, i) => JSON.stringify({
    file: `check-${i + 1}.wav`, text: r.text, language: lang, expected: r.expected, wav_base64: wavBase64(r.pcm) }));
  return `data:application/x-ndjson;charset=utf-8,${encodeURIComponent(lines.join("\n") + "\n")}`;
}

function wavBase64(chunks) {
  const length = chunks.reduce((n, c) => n + c.byteLength, 0);
  const view = new DataView(new ArrayBuffer(44 + length));
  const text = (at, s) => [...s].forEach((ch, i) => view.setUint8(at + i, ch.charCodeAt(0)));
  text(0, "RIFF"); view.setUint32(4, 36 + length, true); text(8, "WAVEfmt "); view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); view.setUint16(22, 1, true); view.setUint32(24, RATE, true);
  view.setUint32(28, RATE * 2, true); view.setUint16(32, 2, true); view.setUint16(34, 16, true);
  text(36, "data"); view.setUint32(40, length, true);
  let at = 44;
  for (const chunk of chunks) { new Uint8Array(view.buffer, at, chunk.byteLength).set(new Uint8Array(chunk)); at += chunk.byteLength; }
  let binary = "";
  new Uint8Array(view.buffer).forEach((b) => { binary += String.fromCharCode(b); });
  return btoa(binary);
}

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}
