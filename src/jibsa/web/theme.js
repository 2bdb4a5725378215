// Light, dark or the system's choice, remembered on this device.

const KEY = "jibsa.theme";
const ORDER = ["auto", "light", "dark"];

export function currentTheme() {
  return localStorage.getItem(KEY) || "auto";
}

export function applyTheme(theme = currentTheme()) {
  if (theme === "auto") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

export function nextTheme() {
  const theme = ORDER[(ORDER.indexOf(currentTheme()) + 1) % ORDER.length];
  localStorage.setItem(KEY, theme);
  applyTheme(theme);
  return theme;
}
