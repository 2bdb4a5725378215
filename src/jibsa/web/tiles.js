// A compact tile per device: icon, name, key state; a tap toggles it (or opens its sheet), the chevron or a long
// press opens its sheet.

import { h, icon } from "./dom.js";
import { fill, t, words } from "./i18n.js";
import { canToggle, deviceIcon, idleTarget, isActive, isWarning, keyState } from "./states.js";

const PARTS = " · ";
const w = () => words("tile");

export function renderTile(lang, device, { onToggle, onOpen }) {
  const toggles = canToggle(device) && device.available;
  const main = h("button", {
    type: "button", class: "tile-main",
    "aria-pressed": toggles ? String(Boolean(device.state.power)) : null,
    "aria-haspopup": toggles ? null : "dialog",
    onclick: () => (toggles ? onToggle(device) : onOpen(device)),
    oncontextmenu: (event) => { event.preventDefault(); onOpen(device); },  // a long press on a phone
  }, icon(deviceIcon(device), "tile-icon"),
  h("span", { class: "tile-name" }, device.name),
  h("span", { class: "tile-state", "data-state": device.id }, ...stateParts(lang, device)));
  const classes = ["tile", `type-${device.type}`, isActive(device) ? "on" : "", isWarning(device) ? "warn" : "",
    device.available ? "" : "unavailable"];
  return h("article", { class: classes.filter(Boolean).join(" "), "data-device": device.id },
    main,
    toggles ? h("button", {
      type: "button", class: "tile-more", "aria-haspopup": "dialog",
      "aria-label": `${device.name} ${t("details")}`, onclick: () => onOpen(device),
    }, icon("chevron-right")) : null);
}

// The key state's parts ("꺼짐", "현재 28°C"), each kept on one line, with a device's idle target after
// the first ("꺼짐 · 설정 24°C · 현재 28°C", the target dimmed). A line breaks only before a " · ", and the
// "·" goes with the part after it: a line never ends on a separator, and the one that would start a wrapped
// line sits left of the tile's edge, clipped (style.css: .tile-line), so no line starts with one either.
function stateParts(lang, device) {
  const parts = keyState(lang, device).split(PARTS).map((part) => h("span", { class: "tile-part" }, part));
  const target = idleTarget(device);
  if (target) parts.splice(1, 0, h("span", { class: "tile-part tile-idle" }, fill(w().idleTarget ?? "{n}", { n: target })));
  const [space, dot] = [PARTS.slice(0, 1), PARTS.slice(1)];
  const sep = () => h("span", { class: "tile-sep", "aria-hidden": "true" }, dot);
  const gap = () => h("span", { class: "tile-gap" }, space);
  const line = parts.flatMap((part, index) => (index ? [gap(), h("span", { class: "tile-joined" }, sep(), part)] : [part]));
  return [h("span", { class: "tile-line" }, ...line)];
}
