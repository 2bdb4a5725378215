// Rules and notifications on the dashboard: a bell with the unread count and its list, a toast for
// each new notification, the rules (switch on/off, remove) and "I'm home / I'm out".
//
// mount(container, ctx) renders into `container`. ctx = {
//   api(method, path, body) -> Promise<json>   (api.js's api: session cookie + CSRF),
//   lang() -> "ko" | "en"                      (read at every render),
//   onEvent(fn)                                 (fn(event) for every /api/events message),
//   me: {name}                                  (the person logged in: their notifications)
// }. Every word is in the catalogue's page.rules (words/ko.yaml, en.yaml).
import { words } from "./i18n.js";

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

function icon(name) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("class", "icon");
  svg.setAttribute("aria-hidden", "true");
  const use = document.createElementNS("http://www.w3.org/2000/svg", "use");
  use.setAttribute("href", `/static/vendor/icons.svg#${name}`);
  svg.append(use);
  return svg;
}

export function mount(container, ctx) {
  const view = { rules: [], notes: [], unread: 0, open: false, present: null, pushing: false, fired: [] };
  const w = () => words("rules");
  const text = (note) => (ctx.lang === "en" ? note.text_en : note.text);
  const mine = (note) => note.person === "" || note.person === ctx.user.name;

  const bell = el("button", { type: "button", class: "bell", onclick: toggle });
  const list = el("div", { class: "bell-list", hidden: "" });
  const toasts = el("div", { class: "toasts", role: "status", "aria-live": "polite" });
  const panel = el("div", { class: "panel rules-panel" });
  container.replaceChildren(bell, list, toasts, panel);

  async function load() {
    const [rules, notes] = await Promise.all([ctx.api("GET", "/api/rules"), ctx.api("GET", "/api/notifications")]);
    view.rules = rules.rules;
    view.notes = notes.notifications;
    view.unread = notes.unread;
    render();
  }

  async function loadRules() {
    view.rules = (await ctx.api("GET", "/api/rules")).rules;
    render();
  }

  function renderBell() {
    bell.replaceChildren(icon("i-bell"), ...(view.unread ? [el("span", { class: "count" }, String(view.unread))] : []));
    bell.title = w().bell;
    bell.setAttribute("aria-label", view.unread ? `${w().bell} ${view.unread}` : w().bell);
  }

  function render() {
    renderBell();
    list.hidden = !view.open;
    list.replaceChildren(
      el("button", { type: "button", class: "read-all", onclick: readAll }, w().readAll),
      ...(view.notes.length ? view.notes.map((n) => el("p", { class: n.read ? "note" : "note unread" },
        el("time", { datetime: new Date(n.at * 1000).toISOString() }, when(n.at)), " ", text(n)))
        : [el("p", { class: "empty" }, w().noNotes)]),
    );
    panel.replaceChildren(el("h2", {}, w().rules), presenceButton(), pushButton(), ...ruleItems(),
      ...firedItems());
  }

  function presenceButton() {
    const label = view.present === false ? w().away : w().home;
    return el("button", { type: "button", class: "presence", onclick: togglePresence }, icon("i-house"), label);
  }

  function pushButton() {
    if (!("serviceWorker" in navigator) || !("PushManager" in window)) return null;
    return el("button", { type: "button", class: "push", onclick: subscribePush },
      view.pushing ? w().phoneOn : w().phone);
  }

  // Web Push: ask the person, subscribe with the home's VAPID key, tell jibsa where to send.
  async function subscribePush() {
    if ((await Notification.requestPermission()) !== "granted") return;
    const registration = await navigator.serviceWorker.register("/sw.js");
    const { key } = await ctx.api("GET", "/api/push/key");
    const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true,
      applicationServerKey: Uint8Array.from(atob(key.replace(/-/g, "+").replace(/_/g, "/")),
        (c) => c.charCodeAt(0)) });
    await ctx.api("POST", "/api/push/subscriptions", subscription.toJSON());
    view.pushing = true;
    render();
  }

  function ruleItems() {
    if (!view.rules.length) return [el("p", { class: "empty" }, w().noRules)];
    return [el("ul", { class: "rules" }, ...view.rules.map((rule) => el("li", { "data-rule": rule.id },
      el("span", { class: "rule-name" }, rule.name, rule.once ? ` (${w().once})` : ""),
      el("button", { type: "button", class: rule.enabled ? "rule-switch is-on" : "rule-switch",
        onclick: () => switchRule(rule) }, rule.enabled ? w().on : w().off),
      el("button", { type: "button", class: "rule-remove", onclick: () => removeRule(rule) }, w().remove),
    )))];
  }

  // The time of day of `at` (seconds), with the date when it is not today ("오후 3:05", "12. 5. 오후 3:05").
  function when(at) {
    const date = new Date(at * 1000);
    const locale = ctx.lang === "en" ? "en" : "ko";
    const today = date.toDateString() === new Date().toDateString();
    return date.toLocaleString(locale, today ? { timeStyle: "short" } : { dateStyle: "short", timeStyle: "short" });
  }

  // What rules did lately (the `rule_fired` events since the page opened): name, why, when.
  function firedItems() {
    if (!view.fired.length) return [];
    const time = when;
    return [el("h3", {}, w().recent), el("ul", { class: "fired" }, ...view.fired.map((f) => el("li", {},
      `${time(f.at)} · ${f.name} — ${ctx.lang === "en" ? f.reason_en : f.reason}`)))];
  }

  function toggle() {
    view.open = !view.open;
    render();
  }

  async function readAll() {
    await ctx.api("POST", "/api/notifications/read", {});
    await load();
  }

  async function switchRule(rule) {
    await ctx.api("PATCH", `/api/rules/${encodeURIComponent(rule.id)}`, { enabled: !rule.enabled });
    await load();
  }

  async function removeRule(rule) {
    await ctx.api("DELETE", `/api/rules/${encodeURIComponent(rule.id)}`);
    await load();
  }

  async function togglePresence() {
    view.present = view.present === false;
    await ctx.api("PUT", `/api/presence/${encodeURIComponent(ctx.user.name)}`, { home: view.present });
    render();
  }

  function toast(message) {
    const item = el("p", { class: "toast" }, message);
    toasts.append(item);
    setTimeout(() => item.remove(), 6000);
  }

  ctx.onEvent((event) => {
    if (event.type === "notification" && mine(event)) {
      view.notes.unshift(event);
      view.unread += 1;
      toast(text(event));
      render();
    } else if (event.type === "notifications_resolved") {
      // What they told of no longer holds (the door is locked again): they leave the list.
      const gone = new Set(event.ids);
      const left = view.notes.filter((n) => !gone.has(n.id));
      view.unread -= view.notes.filter((n) => gone.has(n.id) && !n.read).length;
      view.notes = left;
      render();
    } else if (event.type === "rule_fired") {
      view.fired = [event, ...view.fired].slice(0, 10);
      loadRules();
    } else if (["home_changed", "conversation"].includes(event.type)) {
      loadRules();
    }
  });
  new MutationObserver(render).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
  ctx.onLanguage?.(render);
  renderBell(); // named from the start: the lists come when the server answers
  load();
}
