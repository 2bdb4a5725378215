// jibsa's service worker: shows a Web Push notification (sent by jibsa.web_push) and opens the
// dashboard when it is tapped. The payload is {title, body, body_en, id}.
self.addEventListener("push", (event) => {
  const data = event.data ? event.data.json() : { title: "집사", body: "" };
  const english = (self.navigator.language || "ko").startsWith("en");
  event.waitUntil(self.registration.showNotification(data.title, {
    body: english && data.body_en ? data.body_en : data.body, tag: `jibsa-${data.id}`, icon: "/static/icon.svg",
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow("/"));
});
