// The page's words come from the server's words catalogue (words/ko.yaml, words/en.yaml: their `page`
// section, served as /words/<lang>.json); this module loads the chosen language and looks words up in it.

const loaded = new Map();
let current = { text: {}, labels: {}, words: {}, intents: {}, roles: {}, types: {} };

export async function loadLanguage(lang) {
  if (!loaded.has(lang)) {
    const response = await fetch(`/words/${lang}.json`);
    if (!response.ok) throw new Error(`/words/${lang}.json: HTTP ${response.status}`);
    loaded.set(lang, await response.json());
  }
  current = loaded.get(lang);
}

// A sentence of the page, with {name} placeholders filled from `values`.
export function t(key, values = {}) {
  return fill(current.text[key] ?? key, values);
}

// `template` with its {name} placeholders filled from `values`.
export function fill(template, values = {}) {
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

// The words a part of the page keeps together (the catalogue's page.<part>: "energy", "voice", ...).
export function words(part) {
  return current[part] ?? {};
}

// A property's name as people read it ("brightness" -> "밝기").
export function label(name) {
  return current.labels[name] ?? name.replaceAll("_", " ");
}

// A state value as people read it ("locked" -> "잠김"); numbers pass through.
export function word(value) {
  if (typeof value !== "string") return String(value);
  return current.words[value] ?? value.replaceAll("_", " ");
}

export function intentWord(intent) {
  return current.intents[intent] ?? intent.replaceAll("_", " ");
}

export function roleWord(role) {
  return current.roles[role] ?? role;
}

export function typeWord(type) {
  return current.types[type] ?? type.replaceAll("_", " ");
}
