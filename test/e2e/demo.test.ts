/**
 * Issue 16 item 8 in the browser: after `epiguard demo` (accounts and the scenario, loaded here
 * into the test server's database before it listens), the demo province and commune accounts
 * visit every page of their menu, on a desktop and on a 360×740 phone, and every page shows
 * data: at least one of the API answers the page read holds records or counts, and no answer
 * was an error. Screenshots: test-results/e2e/demo-*.png.
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
import { mkdtemp } from 'node:fs/promises';
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

/** Holds records or counts: a non-empty array, or a positive number, anywhere in the answer. */
function hasData(v: unknown, key = ''): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'number') return v > 0 && !/^(limit|version|max|min|threshold)/i.test(key);
  if (v && typeof v === 'object') return Object.entries(v).some(([k, x]) => hasData(x, k));
  return false;
}
/** Answers every page reads whatever it shows: the session, the notices badge, catalogues. */
const AMBIENT = /\/api\/v1\/(auth\/|notices\/unread|system\/|me\b|rule-sets\/kinds)/;

async function visit(page: Page, path: string) {
  const answers: { url: string; status: number; data: boolean }[] = [];
  const seen = async (r: Response) => {
    const url = new URL(r.url());
    if (r.request().method() !== 'GET' || !url.pathname.startsWith('/api/v1/')) return;
    if (AMBIENT.test(url.pathname)) return;
    const type = r.headers()['content-type'] ?? '';
    const json = type.includes('json') ? await r.json().catch(() => null) : null;
    answers.push({
      url: url.pathname + url.search,
      status: r.status(),
      data: hasData(json) || !type.includes('json'),
    });
  };
  page.on('response', seen);
  await page.goto(path);
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
  page.off('response', seen);
  return answers;
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
        ].filter((p) => p.startsWith('/') && p !== '/');
        expect(paths.length).toBeGreaterThan(10);
        const empty: string[] = [];
        for (const path of paths) {
          const answers = await visit(page, path);
          const failed = answers.filter((a) => a.status >= 400);
          expect(failed, `${path}: ${JSON.stringify(failed)}`).toEqual([]);
          if (!answers.some((a) => a.data)) empty.push(`${path} ${JSON.stringify(answers)}`);
          await shot(page, `${who}-${device}${path.replace(/\//g, '-')}`, { idle: false });
        }
        expect(empty, empty.join('\n')).toEqual([]);
        expect(errors).toEqual([]);
        await context.close();
      }, 600_000);
    });
