// The weather strip: the home's city in detail (now, today's high and low, rain chance, fine dust)
// and the 20 cities Korean news sites show, from GET /api/weather, refreshed every 10 minutes.
//
//   import { mount } from "./weather.js";
//   const weather = mount(containerElement, { api, lang: () => "ko" | "en" });
//   weather.render();   // again after the language changes (no new request)
//   weather.refresh();  // ask the server now; weather.stop() ends the timer
//
// An owner also gets the setup sheet (a city of the 20 and a data.go.kr key, PUT /api/weather/setup): from
// the line itself while the weather is not set up, from the opened strip afterwards.
//
// ctx.api(method, path) is api.js's `api`; every word on the strip is in the catalogue's page.weather or in the
// server's answer (which carries both languages).

import { words as pageWords } from "./i18n.js";

const REFRESH_MS = 10 * 60 * 1000;
// Condition -> icon drawn in SVG (emoji fonts are missing on some phones).
const ICON_OF = {
  clear: "sun", cloudy: "cloud-sun", overcast: "cloud", drizzle: "rain", shower: "rain", rain: "rain",
  sleet: "snow", snow: "snow", flurries: "snow", drizzle_snow: "snow", thunderstorm: "storm",
};
const PATHS = {
  sun: '<circle cx="12" cy="12" r="4.5"/><path d="M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1 7 17M17 7l2.1-2.1"/>',
  "cloud-sun": '<path d="M8 5.5a4 4 0 0 1 6.8 1.6"/><path d="M7 19h10a4 4 0 0 0 0-8 5.5 5.5 0 0 0-10.6 1.5A3.3 3.3 0 0 0 7 19z"/>',
  cloud: '<path d="M7 18h10a4.5 4.5 0 0 0 0-9 6 6 0 0 0-11.5 1.8A3.6 3.6 0 0 0 7 18z"/>',
  rain: '<path d="M7 14h10a4 4 0 0 0 0-8 5.5 5.5 0 0 0-10.6 1.5A3.3 3.3 0 0 0 7 14z"/><path d="M8 17l-1 3M12 17l-1 3M16 17l-1 3"/>',
  snow: '<path d="M7 14h10a4 4 0 0 0 0-8 5.5 5.5 0 0 0-10.6 1.5A3.3 3.3 0 0 0 7 14z"/><path d="M8 18h.01M12 20h.01M16 18h.01"/>',
  storm: '<path d="M7 14h10a4 4 0 0 0 0-8 5.5 5.5 0 0 0-10.6 1.5A3.3 3.3 0 0 0 7 14z"/><path d="M12 14l-2 4h3l-2 4"/>',
};

function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

function icon(condition) {
  const node = el("span", `wx-icon wx-${ICON_OF[condition] || "cloud"}`);
  node.setAttribute("aria-hidden", "true");
  node.innerHTML = `<svg viewBox="0 0 24 24" width="100%" height="100%" fill="none" stroke="currentColor"
    stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">${PATHS[ICON_OF[condition] || "cloud"]}</svg>`;
  return node;
}

const degrees = (value) => (value === null || value === undefined ? "–" : `${Math.round(value)}°`);

// The home's city in one line (what a glance needs), the rest of the day and the air below it.
function homeLine(home, lang) {
  const today = home.days[0] || {};
  const current = home.current || {};
  const name = lang === "en" ? home.city.name_en : home.city.name;
  return [icon(current.condition || today.condition),
    el("span", "wx-now", el("strong", "wx-city", name), " ",
      el("span", "wx-temp", degrees(current.temperature ?? today.high)), " ",
      el("span", "wx-words", home.words[lang]))];
}

function homeCard(home, lang, w) {
  const today = home.days[0] || {};
  const card = el("div", "wx-home",
    el("p", "wx-day", `${w.high} ${degrees(today.high)} · ${w.low} ${degrees(today.low)} · ${w.rain} ${
      today.rain_chance ?? "–"}%`));
  if (home.air) {
    const grade = (key) => el("span", `wx-grade g${home.air[`${key}_grade`] || 0}`,
      home.air_words[key][lang]);
    card.append(el("p", "wx-air", `${w.pm10} `, grade("pm10"), ` ${home.air.pm10 ?? "–"} · ${w.pm25} `,
      grade("pm25"), ` ${home.air.pm25 ?? "–"}`));
  }
  if (home.stale && home.stale.notice) card.append(el("p", "wx-stale", home.stale.notice[lang]));
  return card;
}

function cityTile(tile, lang, w) {
  const name = lang === "en" ? tile.city_en || tile.city : tile.city;
  if (tile.error) return el("li", "wx-tile wx-missing", el("span", "wx-name", name), el("span", "wx-t", w.noData));
  const item = el("li", `wx-tile${tile.stale ? " wx-old" : ""}`, el("span", "wx-name", name), icon(tile.condition),
    el("span", "wx-t", degrees(tile.temperature)), el("span", "wx-sr", tile.words[lang]));
  item.title = tile.words[lang];
  return item;
}

// The setup sheet: choose a city of the 20, paste a data.go.kr key (tried by the server before it is kept).
function setupSheet(ctx, done) {
  const dialog = el("dialog", "sheet wx-setup");
  dialog.setAttribute("aria-labelledby", "wx-setup-title");
  const w = () => pageWords("weather");

  function input(tag, attributes) {
    const node = el(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    return node;
  }

  async function open() {
    const setup = await ctx.api("GET", "/api/weather/setup");
    const words = w();
    const lang = ctx.lang === "en" ? "en" : "ko";
    const city = input("select", { id: "wx-setup-city", name: "city" });
    city.append(...setup.cities.map((c) => {
      const option = el("option", null, lang === "en" ? c.name_en : c.name);
      option.value = c.name;
      option.selected = c.name === setup.city;
      return option;
    }));
    const key = input("input", { id: "wx-setup-key", name: "service_key", type: "text", autocomplete: "off",
      autocapitalize: "off", spellcheck: "false", maxlength: "512", "aria-describedby": "wx-setup-how",
      placeholder: setup.key_set ? words.keyKept : words.keyNew });
    key.required = !setup.key_set;
    const link = input("a", { href: setup.key_page, target: "_blank", rel: "noopener noreferrer" });
    link.textContent = words.keyLink;
    const problem = input("p", { class: "error wx-setup-error", role: "alert" });
    const save = input("button", { type: "submit", class: "primary-button" });
    save.textContent = words.save;
    const cancel = input("button", { type: "button", class: "wx-setup-cancel" });
    cancel.textContent = words.cancel;
    cancel.addEventListener("click", () => dialog.close());
    const close = input("button", { type: "button", class: "chip" });
    close.textContent = words.close;
    close.addEventListener("click", () => dialog.close());
    const form = el("form", "wx-setup-form",
      el("label", null, words.city), city,
      el("label", null, words.key), key,
      el("p", "muted wx-setup-how", words.keyHow, " ", link), problem,
      el("div", "wx-setup-actions", save, cancel));
    form.querySelectorAll("label")[0].htmlFor = "wx-setup-city";
    form.querySelectorAll("label")[1].htmlFor = "wx-setup-key";
    form.querySelector(".wx-setup-how").id = "wx-setup-how";
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      problem.textContent = "";
      save.disabled = true;
      save.textContent = words.saving;
      const body = { city: city.value };
      if (key.value.trim()) body.service_key = key.value;
      try {
        await ctx.api("PUT", "/api/weather/setup", body);
        dialog.close();
        ctx.notify(words.saved);
        done();
      } catch (error) {
        const detail = error.body && error.body.detail;
        problem.textContent = (detail && (lang === "en" ? detail.message_en : detail.message)) || error.message;
      } finally {
        save.disabled = false;
        save.textContent = words.save;
      }
    });
    const title = el("h2", "sheet-title", words.settings);
    title.id = "wx-setup-title";
    dialog.replaceChildren(el("div", "sheet-head", title, close), form);
    if (!dialog.open) dialog.showModal();
  }
  return { dialog, open };
}

export function mount(container, ctx) {
  let data = null;
  let failed = false;
  container.classList.add("wx");
  const owner = ctx.user && ctx.user.role === "owner";
  const setup = owner ? setupSheet(ctx, () => refresh()) : null;

  function setupButton(w, className) {
    const button = el("button", `chip ${className}`, className === "wx-setup-open" ? w.setUp : w.settings);
    button.type = "button";
    button.addEventListener("click", () => setup.open().catch((error) => ctx.notify(error.message)));
    return button;
  }

  // One compact line (the home's city now) that opens into the day, the air and the 20 cities; whether it
  // is open survives the 10-minute refresh and a change of language.
  let open = false;
  function render() {
    const lang = ctx.lang === "en" ? "en" : "ko";
    const w = pageWords("weather");
    const heading = el("h2", "wx-title", w.title);
    if (!data) {
      container.replaceChildren(heading, el("p", "wx-note", failed ? w.failed : w.loading));
      return;
    }
    if (!data.available) {  // not set up: the line says so and, for an owner, opens the setup at once
      container.replaceChildren(el("div", "wx-unset", heading, el("span", "wx-note", w.notSet),
        setup ? setupButton(w, "wx-setup-open") : el("span", "muted", w.askOwner)), ...(setup ? [setup.dialog] : []));
      return;
    }
    const line = data.home ? homeLine(data.home, lang) : [el("span", "wx-note", w.notSet)];
    const summary = el("summary", "wx-line", heading, ...line);
    const body = [];
    if (data.home) body.push(homeCard(data.home, lang, w));
    else body.push(el("p", "wx-note", (lang === "en" ? data.message_en : data.message) || w.failed));
    if (data.strip.length) {
      const strip = el("ul", "wx-strip", ...data.strip.map((tile) => cityTile(tile, lang, w)));
      strip.setAttribute("aria-label", w.cities);
      strip.tabIndex = 0;
      body.push(strip);
    }
    if (setup) body.push(setupButton(w, "wx-setup-change"));
    const box = el("details", "wx-box", summary, ...body);
    box.open = open;
    box.addEventListener("toggle", () => { open = box.open; });
    container.replaceChildren(box, ...(setup ? [setup.dialog] : []));
  }

  async function refresh() {
    try {
      data = await ctx.api("GET", "/api/weather");
      failed = false;
    } catch {
      failed = true;
    }
    render();
  }

  render();
  refresh();
  ctx.onLanguage?.(render);
  const timer = setInterval(refresh, REFRESH_MS);
  return { render, refresh, stop: () => clearInterval(timer) };
}
