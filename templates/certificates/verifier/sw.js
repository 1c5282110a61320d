/* The offline verifier's service worker: keeps the page and its scripts and styles, so that
   the page opens without the network. Network first (the newest files when online), the cache when offline. */
const CACHE = "skills-verifier-{{ version }}";
const ASSETS = [{% for a in assets %}"{{ a|escapejs }}", {% endfor %}"{{ page|escapejs }}"];
self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});
self.addEventListener("fetch", (event) => {
  // only the page and its files: the keys and status lists are kept by the page itself, with their date
  const url = new URL(event.request.url);
  const own = url.origin === self.location.origin && (ASSETS.includes(url.pathname) || event.request.mode === "navigate");
  if (event.request.method !== "GET" || !own) return;
  event.respondWith(fetch(event.request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(event.request, copy));
    }
    return response;
  }).catch(() => caches.match(event.request, {ignoreSearch: true, ignoreVary: true}).then((hit) => hit || Response.error())));
});
