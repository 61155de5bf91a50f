/**
 * Issue 16 item 8 in the browser: after `epiguard demo` (accounts and the scenario, loaded here
 * into the test server's database before it listens), the demo province and commune accounts
 * visit every page of their menu, on a desktop and on a 360×740 phone, and every page shows
 * data: none of the app's empty-state messages appears once its lists have arrived, and no API
 * answer was an error. Screenshots: test-results/e2e/demo-*.png.
 */
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_PASSWORD } from '../../src/cli/demo.ts';
import { loadDemoAll } from '../../src/cli/demo-scenario.ts';
import {
  DESKTOP,
  type E2E,
  loginLanding,
  openMenu,
  screenshots,
  startE2E,
  watch,
} from '../helpers/e2e.ts';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let e: E2E;
const { shot } = screenshots('demo-');
const PHONE_360 = { width: 360, height: 740 };

beforeAll(async () => {
  // The demo signing key goes beside the (in-memory) data folder, as `epiguard demo` puts it.
  const dir = await mkdtemp(join(tmpdir(), 'epiguard-demo-e2e-'));
  e = await startE2E({ demo: true, dataDir: join(dir, 'db') }, async (db, config) => {
    await loadDemoAll(db, config);
  });
}, 300_000);
afterAll(() => e?.close());

/**
 * The web app's empty-state messages: every `empty…` string of its translations (and the few
 * lists' own: `noPast`, `noHolder`, `noPeople`) ("Chưa có ca
 * bệnh nào trong địa bàn.", "Không có cảnh báo đang mở."…). A page showing one has no data.
 */
async function emptyStates(): Promise<string[]> {
  const files = (await readdir('src/web', { recursive: true })).filter((f) => f.endsWith('.ts'));
  const found = new Set<string>();
  for (const f of files)
    for (const m of (await readFile(join('src/web', f), 'utf8')).matchAll(
      /\b(?:empty\w*|noPast|noHolder|noPeople): '([^']+)'/g,
    ))
      if (!/^\(|^Phòng trống$|^Empty room$/.test(m[1]!)) found.add(m[1]!);
  return [...found];
}

/** Opens `path` and waits for its data; returns the API answers that failed (a 404 is how
 * some pages learn that nothing is saved yet, so only other 4xx and 5xx count). */
async function visit(page: Page, path: string) {
  const failed: string[] = [];
  const seen = (r: Response) => {
    if (r.url().includes('/api/v1/') && r.status() >= 400 && r.status() !== 404)
      failed.push(`${r.status()} ${r.url()}`);
  };
  page.on('response', seen);
  await page.goto(path);
  await page.waitForLoadState('networkidle');
  // the page's lists have arrived when no loader spins
  await expect
    .poll(() => page.locator('main .mantine-Loader-root:visible').count(), { timeout: 15_000 })
    .toBe(0);
  await page.waitForTimeout(300);
  page.off('response', seen);
  return failed;
}

for (const [who, username] of [
  ['province', 'demo.tinh'],
  ['commune', 'demo.xa.muongthanh'],
] as const)
  for (const [device, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE_360],
  ] as const)
    describe(`the demo ${who} account on a ${device}`, () => {
      test('every menu page shows data', async () => {
        const context = await e.newContext(viewport);
        const page = await context.newPage();
        const errors = watch(page);
        await loginLanding(page, username, DEMO_PASSWORD);
        await openMenu(page);
        const paths = [
          ...new Set(
            await page
              .getByRole('navigation')
              .getByRole('link')
              .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? '')),
          ),
        ].filter((p) => p.startsWith('/') && p !== '/' && !p.startsWith('/account'));
        expect(paths.length).toBeGreaterThan(10);
        const empty: string[] = [];
        const messages = await emptyStates();
        expect(messages.length).toBeGreaterThan(20);
        for (const path of paths) {
          expect(await visit(page, path), path).toEqual([]);
          const text = await page.locator('main').innerText();
          const shown = messages.filter((m) => text.includes(m));
          if (shown.length) empty.push(`${path} shows "${shown.join('", "')}"`);
          await shot(page, `${who}-${device}${path.replace(/\//g, '-')}`, { idle: false });
        }
        expect(empty, empty.join('\n')).toEqual([]);
        expect(errors).toEqual([]);
        await context.close();
      }, 600_000);
    });
