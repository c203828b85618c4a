// The service worker: precaches the app shell, keeps pages working offline and never caches API data
// (API responses hold patients' names, which must not be stored on the device). A template: the server fills
// in the shell's version and files (web/views.py).
const VERSION = {{ version|tojson }};
const SHELL = {{ shell|tojson }};
const CACHE = `wardtrack-shell-${VERSION}`;
const PAGES = new Set({{ pages|tojson }});

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request, url));
  } else if (url.pathname.startsWith("/static/") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});

// Pages: the network first (fresh HTML), then the cached shell, then the offline page.
async function page(request, url) {
  try {
    const response = await fetch(request);
    if (response.ok && PAGES.has(url.pathname)) {
      const cache = await caches.open(CACHE); // re-filled here after a logout emptied the caches
      await cache.put(url.pathname, response.clone());
    }
    return response;
  } catch (error) {
    return (await caches.match(url.pathname)) || (await caches.match("/offline")) || Response.error();
  }
}

// Web push: the server sends only a generic title, text and a same-origin path (never patient data).
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = {};
  }
  const title = message.title || "wardtrack";
  event.waitUntil(self.registration.showNotification(title, {
    body: message.body || "",
    icon: "/static/icons/icon-192.png",
    tag: "wardtrack-reminder",
    data: { url: message.url || "/" },
  }));
});

// Tapping the notification focuses an open wardtrack window (or opens one) at the message's path.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data && event.notification.data.url || "/", self.location.origin);
  if (target.origin !== self.location.origin) return;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    for (const client of windows) {
      if (new URL(client.url).origin === target.origin && "focus" in client) {
        await client.focus();
        return client.navigate ? client.navigate(target.href) : undefined;
      }
    }
    return self.clients.openWindow(target.href);
  })());
});
