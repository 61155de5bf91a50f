/* global self, caches */
/**
 * epiguard offline support (registered by the checkpoint, follow-up and declaration pages).
 *
 * A checkpoint in the mountains or a community team in a village must be able to open the app,
 * record entries and follow-up events without a connection (they wait in IndexedDB, see
 * src/web/entry/outbox.ts). This worker keeps:
 *  - the app shell: index.html (network first, the cached copy when offline) and the hashed
 *    /assets/ files (cache first; stale ones dropped when a new index.html arrives). Every page
 *    is its own chunk (issue 15.6), so the build writes the list of all of them into PRECACHE
 *    below and the whole app is kept, not only what index.html names: a page never opened
 *    online still opens offline;
 *  - the last answer of a few read-only API calls (who is logged in, the province's public key,
 *    administrative units, follow-ups, today's entries, epidemic areas), network first.
 * Nothing is written through it. Logging in or out, or a 401 from /api/v1/me, empties the API
 * cache, so one person's data is not shown to the next.
 */
const SHELL = 'epiguard-shell-v1';
const API = 'epiguard-api-v1';
const INDEX = '/index.html';
/** Every hashed file of the build, written here by vite.config.ts (empty in `vite dev`). */
const PRECACHE = [];
const API_CACHED = [
  /^\/api\/v1\/me$/,
  /^\/api\/v1\/roles$/,
  /^\/api\/v1\/public\/declaration-key$/,
  /^\/api\/v1\/admin-units(\/|$)/,
  /^\/api\/v1\/follow-ups(\/[^/]+)?$/,
  /^\/api\/v1\/entries$/,
  /^\/api\/v1\/epidemic-areas$/,
];
/** How long a request may hang before the cached copy is shown instead. */
const TIMEOUT_MS = 6000;

const assetsOf = (html) => [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);

async function cacheShell(response) {
  const html = await response.clone().text();
  const cache = await caches.open(SHELL);
  await cache.put(INDEX, response.clone());
  const wanted = new Set([...assetsOf(html), ...PRECACHE]);
  await Promise.all(
    [...wanted].map(async (path) => {
      if (!(await cache.match(path))) {
        const r = await fetch(path);
        if (r.ok) await cache.put(path, r);
      }
    }),
  );
  for (const req of await cache.keys()) {
    const path = new URL(req.url).pathname;
    if (path.startsWith('/assets/') && !wanted.has(path)) await cache.delete(req);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const r = await fetch('/', { cache: 'no-store' });
      if (r.ok) await cacheShell(r);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== SHELL && name !== API) await caches.delete(name);
      }
      await self.clients.claim();
      // The page that registered us asked who is logged in before we were there.
      try {
        const me = await fetch('/api/v1/me', { credentials: 'same-origin' });
        if (me.ok) await (await caches.open(API)).put('/api/v1/me', me);
      } catch {
        /* offline: cached at the next visit */
      }
    })(),
  );
});

/** The network, unless it fails or hangs while a cached copy exists. */
async function networkFirst(request, cacheName, key, onResponse) {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(key);
  const network = fetch(request).then(async (response) => {
    await onResponse(response, cache);
    return response;
  });
  if (!cached) return network;
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), TIMEOUT_MS));
  return (await Promise.race([network.catch(() => null), timeout])) ?? cached;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.method !== 'GET') {
    if (url.pathname === '/api/v1/auth/login' || url.pathname === '/api/v1/auth/logout') {
      event.waitUntil(caches.delete(API));
    }
    return;
  }

  if (request.mode === 'navigate') {
    event.respondWith(
      networkFirst(request, SHELL, INDEX, async (response) => {
        const html = response.headers.get('content-type')?.includes('text/html');
        if (response.ok && html) await cacheShell(response);
      }).catch(async () => (await caches.match(INDEX)) ?? Response.error()),
    );
    return;
  }

  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      (async () => {
        const cache = await caches.open(SHELL);
        const hit = await cache.match(url.pathname);
        if (hit) return hit;
        const response = await fetch(request);
        if (response.ok) await cache.put(url.pathname, response.clone());
        return response;
      })(),
    );
    return;
  }

  if (API_CACHED.some((re) => re.test(url.pathname))) {
    event.respondWith(
      networkFirst(request, API, request, async (response, cache) => {
        if (response.ok) await cache.put(request, response.clone());
        else if (response.status === 401) await caches.delete(API);
        else if (response.status === 403 || response.status === 404) await cache.delete(request);
      }),
    );
  }
});
