// The dashboard's service worker: keeps the page's shell working offline. Network first (a change to the
// dashboard shows at once), the cached copy when the network is gone. The API is never cached.

const CACHE = "jibsa-shell-v1";
const SHELL = [
  "/", "/static/style.css", "/static/manifest.json", "/static/icon.svg", "/static/vendor/icons.svg",
  "/words/ko.json", "/words/en.json",
  ...["app", "api", "dom", "i18n", "states", "tiles", "sheet", "home-view", "history", "chart", "jobs", "theme",
    "extensions", "voice", "voice-capture", "voices", "weather", "energy", "rules", "discovered", "matter"].map((name) => `/static/${name}.js`),
  "/static/voice.css", "/static/weather.css", "/static/rules.css", "/static/energy.css",
];

// Files fetched at a time while the shell is kept: the worker installs just after the page is ready, and ~30
// requests at once would hold up what the page itself asks for next (its events, a sheet, the energy view).
const AT_ONCE = 3;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => keepShell(cache)).then(() => self.skipWaiting()));
});

// The shell's files the cache does not hold yet, `AT_ONCE` at a time (a copy kept by an earlier worker stays:
// the network-first fetch below renews it when the page uses it).
async function keepShell(cache) {
  const missing = [];
  for (const url of SHELL) if (!(await cache.match(url))) missing.push(url);
  const next = async () => {
    for (let url = missing.shift(); url !== undefined; url = missing.shift()) await cache.add(url);
  };
  await Promise.all(Array.from({ length: AT_ONCE }, next));
}

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  event.respondWith(fetch(event.request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      event.waitUntil(caches.open(CACHE).then((cache) => cache.put(event.request, copy)));
    }
    return response;
  }).catch(() => caches.match(event.request, { ignoreSearch: true }).then((cached) => cached || Response.error())));
});

// Web Push (jibsa.web_push): show a notification, and open the dashboard when it is tapped. The payload is
// {title, title_en, body, body_en, id}.
self.addEventListener("push", (event) => {
  const english = (self.navigator.language || "ko").startsWith("en");
  event.waitUntil((async () => {
    const data = event.data ? event.data.json() : { title: await appName(english ? "en" : "ko"), body: "" };
    await self.registration.showNotification(english && data.title_en ? data.title_en : data.title, {
      body: english && data.body_en ? data.body_en : data.body, tag: `jibsa-${data.id}`, icon: "/static/icon.svg",
    });
  })());
});

// The app's name from the page's words this worker keeps (a push that came without its payload).
async function appName(lang) {
  const cached = await caches.match(`/words/${lang}.json`);
  return cached ? (await cached.json()).text.appName : "jibsa";
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow("/"));
});
