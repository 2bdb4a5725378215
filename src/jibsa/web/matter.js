// Adding a Matter device (owners only, when a Matter controller is set up): a sheet takes the pairing
// code, typed or read from the device's QR code by the phone's camera, shows the controller's progress in
// the page's language, then names the new device and puts it in a room. API: /api/matter (docs/matter.md).
// The camera's frames are read by the browser's own BarcodeDetector where it has one, else by ZXing's
// QR reader (@zxing/library, vendored, loaded only when scanning). The page reloads when the home gains a device, so the job being
// followed is kept in sessionStorage and the sheet opens again where it was.
import { words } from "./i18n.js";

const ZXING = "/static/vendor/zxing.min.js";
const FOLLOWED = "jibsa-matter-job";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== null && value !== undefined && value !== false) node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children);
  return node;
}

function loadZxing() {
  return new Promise((resolve, reject) => {
    if (window.ZXing) return resolve();
    const script = el("script", { src: ZXING });
    script.onload = resolve;
    script.onerror = () => reject(new Error(`${ZXING} did not load`));
    document.head.append(script);
  });
}

// The text of the QR code drawn on `canvas`, or null (ZXing's reader; the camera path's fallback).
export async function readQr(canvas) {
  await loadZxing();
  const { BinaryBitmap, HybridBinarizer, HTMLCanvasElementLuminanceSource, QRCodeReader } = window.ZXing;
  try {
    const bitmap = new BinaryBitmap(new HybridBinarizer(new HTMLCanvasElementLuminanceSource(canvas)));
    return new QRCodeReader().decode(bitmap).getText();
  } catch {
    return null;  // no code in this frame
  }
}

// Reads QR codes from the camera until `found(text)` returns true or `stop()` is called.
async function scanQr(video, found) {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
  video.srcObject = stream;
  await video.play();
  const native = "BarcodeDetector" in window ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
  if (!native) await loadZxing();
  const canvas = document.createElement("canvas");
  let running = true;
  const stop = () => { running = false; stream.getTracks().forEach((t) => t.stop()); video.srcObject = null; };
  (async () => {
    while (running) {
      await new Promise((r) => setTimeout(r, 200));
      if (!running || video.readyState < 2) continue;
      let text = null;
      if (native) {
        const codes = await native.detect(video).catch(() => []);
        text = codes.length ? codes[0].rawValue : null;
      } else {
        canvas.width = video.videoWidth; canvas.height = video.videoHeight;
        canvas.getContext("2d", { willReadFrequently: true }).drawImage(video, 0, 0);
        text = await readQr(canvas);
      }
      if (text && found(text)) stop();
    }
  })();
  return stop;
}

export async function mount(container, ctx) {
  if (ctx.user.role !== "owner") return;
  const status = await ctx.api("GET", "/api/matter").catch(() => ({ configured: false }));
  if (!status.configured) return;
  const w = () => words("matter");
  const dialog = el("dialog", { class: "sheet matter-sheet", "aria-labelledby": "matter-title" });
  let stopCamera = null;

  function say(progress) {
    return ctx.lang === "en" ? progress.message_en : progress.message;
  }

  function closeCamera() {
    if (stopCamera) stopCamera();
    stopCamera = null;
  }

  function codeForm() {
    const input = el("input", { id: "matter-code", name: "code", inputmode: "numeric", autocomplete: "off",
                                maxlength: "64", required: true, "aria-describedby": "matter-hint" });
    const video = el("video", { class: "matter-video", playsinline: true, muted: true, hidden: true, "aria-hidden": "true" });
    const scan = el("button", { type: "button", class: "chip", "data-matter": "scan" }, w().scan);
    scan.addEventListener("click", async () => {
      if (stopCamera) { closeCamera(); video.hidden = true; scan.textContent = w().scan; return; }
      try {
        video.hidden = false;
        scan.textContent = w().stopScan;
        stopCamera = await scanQr(video, (text) => {
          if (!/^MT:/i.test(text)) return false;
          input.value = text;
          video.hidden = true;
          scan.textContent = w().scan;
          stopCamera = null;
          form.requestSubmit();
          return true;
        });
      } catch {
        video.hidden = true;
        scan.textContent = w().scan;
        ctx.notify(w().cameraFailed);
      }
    });
    const form = el("form", { class: "sheet-fields", onsubmit: (e) => { e.preventDefault(); begin(input.value); } },
      el("div", { class: "field" }, el("label", { for: "matter-code" }, w().code), input),
      el("p", { id: "matter-hint", class: "muted" }, w().hint),
      el("div", { class: "sheet-actions" }, el("button", { type: "submit", class: "primary-button" }, w().start), scan),
      video);
    return form;
  }

  function progressView(progress) {
    return el("p", { class: progress.stage === "failed" ? "error" : "", role: "status", "aria-live": "polite",
                     "data-matter-stage": progress.stage }, say(progress));
  }

  function nameForm(device, rooms) {
    const name = el("input", { id: "matter-name", name: "name", maxlength: "40", required: true, value: "" });
    const room = el("select", { id: "matter-room", name: "room" }, el("option", { value: "" }, w().noRoom),
      ...rooms.map((r) => el("option", { value: r.id }, r.name)));
    return el("form", { class: "sheet-fields", "data-matter-device": device.id, onsubmit: async (e) => {
      e.preventDefault();
      sessionStorage.removeItem(FOLLOWED);  // naming reloads the page too: the sheet is done
      try {
        await ctx.api("POST", `/api/matter/devices/${encodeURIComponent(device.id)}/name`,
                      { name: name.value, room: room.value || null });
        ctx.notify(w().saved);
        dialog.close();
      } catch (error) {
        ctx.notify(error.message);
      }
    } },
    el("div", { class: "field" }, el("label", { for: "matter-name" }, w().name), name),
    el("div", { class: "field" }, el("label", { for: "matter-room" }, w().room), room),
    el("div", { class: "sheet-actions" }, el("button", { type: "submit", class: "primary-button" }, w().save)));
  }

  function show(...body) {
    dialog.replaceChildren(
      el("div", { class: "sheet-head" }, el("h2", { id: "matter-title", class: "sheet-title" }, w().title),
         el("button", { type: "button", class: "chip", onclick: () => dialog.close() }, w().close)),
      ...body);
  }

  async function begin(code) {
    closeCamera();
    let progress;
    try {
      progress = await ctx.api("POST", "/api/matter/commission", { code });
    } catch (error) {
      show(el("p", { class: "error", role: "alert" }, error.message), codeForm());
      return;
    }
    sessionStorage.setItem(FOLLOWED, progress.id);
    await follow(progress);
  }

  async function follow(start) {
    let progress = start;
    show(progressView(progress));
    while (!progress.done) {  // each request answers when the stage moves on (or after 20 s)
      const path = `/api/matter/commission/${encodeURIComponent(progress.id)}?after=${progress.stage}`;
      try {
        progress = await ctx.api("GET", path);
      } catch (error) {
        show(el("p", { class: "error", role: "alert" }, error.message), codeForm());
        return;
      }
      show(progressView(progress));
    }
    if (progress.stage === "added" && progress.devices.length) {
      const rooms = await ctx.api("GET", "/api/rooms").catch(() => []);
      show(progressView(progress), nameForm(progress.devices[0], rooms));
    } else {
      sessionStorage.removeItem(FOLLOWED);
      show(progressView(progress), codeForm());
    }
  }

  dialog.addEventListener("close", () => { closeCamera(); sessionStorage.removeItem(FOLLOWED); });
  const open = el("button", { type: "button", class: "chip", "data-matter": "add", onclick: () => {
    show(codeForm());
    dialog.showModal();
  } }, w().add);
  container.replaceChildren(open, dialog);
  ctx.onLanguage?.(() => { open.textContent = w().add; });
  const followed = sessionStorage.getItem(FOLLOWED);
  if (followed) {
    const progress = await ctx.api("GET", `/api/matter/commission/${encodeURIComponent(followed)}`).catch(() => null);
    if (progress) {
      dialog.showModal();
      follow(progress);
    } else {
      sessionStorage.removeItem(FOLLOWED);
    }
  }
}
