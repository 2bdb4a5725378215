// Discovered locks, gas valves and garage doors join the home only when an owner adopts them
// (GET /api/discovered, POST /api/discovered/{id}/adopt). Shown to owners only; empty otherwise.
import { words } from "./i18n.js";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

export function mount(container, ctx) {
  if (ctx.user.role !== "owner") return;
  let waiting = [];
  const w = () => words("discovered");

  function render() {
    if (waiting.length === 0) {
      container.replaceChildren();
      return;
    }
    const items = waiting.map((device) => el("li", { "data-discovered": device.id },
      `${device.name}${device.maker ? ` · ${device.maker}` : ""} `,
      el("button", { type: "button", onclick: () => adopt(device) }, w().adopt)));
    container.replaceChildren(el("section", { class: "panel" }, el("h2", {}, w().title), el("ul", {}, ...items)));
  }

  async function load() {
    waiting = await ctx.api("GET", "/api/discovered").catch(() => []);
    render();
  }

  async function adopt(device) {
    try {
      await ctx.api("POST", `/api/discovered/${encodeURIComponent(device.id)}/adopt`, {});
    } catch {
      ctx.notify(w().failed);
    }
    await load();
  }

  ctx.onLanguage?.(render);
  ctx.onEvent((event) => { if (event.type === "home_changed") load(); });
  load();
}
