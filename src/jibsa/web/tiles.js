// A compact tile per device: icon, name, key state; a tap toggles it (or opens its sheet), the chevron or a long
// press opens its sheet.

import { h, icon } from "./dom.js";
import { t } from "./i18n.js";
import { canToggle, deviceIcon, isActive, isWarning, keyState } from "./states.js";

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
  h("span", { class: "tile-state", "data-state": device.id }, keyState(lang, device)));
  const classes = ["tile", `type-${device.type}`, isActive(device) ? "on" : "", isWarning(device) ? "warn" : "",
    device.available ? "" : "unavailable"];
  return h("article", { class: classes.filter(Boolean).join(" "), "data-device": device.id },
    main,
    toggles ? h("button", {
      type: "button", class: "tile-more", "aria-haspopup": "dialog",
      "aria-label": `${device.name} ${t("details")}`, onclick: () => onOpen(device),
    }, icon("chevron-right")) : null);
}
