/**
 * Issue 16 item 8: `epiguard demo` on an empty database loads the accounts and a small province
 * scenario through the product's endpoints; the list endpoints the demo accounts' menus read
 * answer with records; a second run adds nothing; `--remove` deletes exactly the demo rows —
 * every table but the audit trail is as it was before the scenario — and the accounts and the
 * geography stay; loading again gives the same people (a fixed seed).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, loadDemo } from '../../src/cli/demo.ts';
import { snapshot } from '../../src/cli/demo-marks.ts';
import { loadScenario, removeScenario } from '../../src/cli/demo-scenario.ts';
import { buildApp } from '../../src/server/app.ts';
import type { Config } from '../../src/server/config.ts';
import type { Db } from '../../src/server/db/index.ts';
import { ENGINE, openTestDb } from '../helpers/app.ts';
import { testConfig } from '../helpers/config.ts';

let db: Db;
let drop: () => Promise<void>;
let config: Config;
let app: FastifyInstance;
let accountsOnly: Awaited<ReturnType<typeof snapshot>>;
let firstNames: string[];

/** Every table but the audit trail (append-only) and sessions (logins of this test). */
const comparable = async () => {
  const s = await snapshot(db);
  for (const t of ['sessions', 'throttles']) s.delete(t);
  return s;
};
const names = async () =>
  (
    await db.query<{ full_name: string }>(
      "SELECT full_name FROM persons WHERE commune_code IN ('03136', '03331') ORDER BY full_name",
    )
  ).map((r) => r.full_name);

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  const dir = await mkdtemp(join(tmpdir(), 'epiguard-demo-'));
  config = testConfig({ demo: true, dataDir: join(dir, 'db') });
  await loadDemo(db, { dccDir: join(dir, 'dcc'), config });
  // The app trusts the demo signing key at start: it starts before the picture is taken.
  app = await buildApp({ db, config, logger: false });
  await app.ready();
  accountsOnly = await comparable();
}, 120_000);
afterAll(async () => {
  await app?.close();
  await drop?.();
});

const cookies = new Map<string, string>();
async function get(username: string, url: string) {
  if (!cookies.has(username)) {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password: DEMO_PASSWORD },
    });
    expect(r.statusCode, r.body).toBe(200);
    cookies.set(username, `eg_session=${r.cookies.find((c) => c.name === 'eg_session')!.value}`);
  }
  const r = await app.inject({ method: 'GET', url, headers: { cookie: cookies.get(username)! } });
  expect(r.statusCode, `${username} ${url}: ${r.body}`).toBe(200);
  return r.json();
}

/** Each demo account and the lists its menu pages read. */
const LISTS: [string, string[]][] = [
  [
    'demo.tinh',
    [
      '/api/v1/cases',
      '/api/v1/clusters',
      '/api/v1/test-orders',
      '/api/v1/admissions',
      '/api/v1/violations',
      '/api/v1/levels?unit=11',
      '/api/v1/green-lane/applications',
      '/api/v1/supplies/stock?unit=11',
      '/api/v1/persons',
    ],
  ],
  [
    'demo.xa.muongthanh',
    [
      '/api/v1/cases',
      '/api/v1/clusters',
      '/api/v1/lockdowns',
      '/api/v1/venues',
      '/api/v1/notices',
      '/api/v1/tracing/board?commune=03136',
      '/api/v1/test-orders',
      '/api/v1/test-campaigns',
      '/api/v1/households',
      '/api/v1/persons',
      '/api/v1/violations',
    ],
  ],
  ['demo.xa.thanhhung', ['/api/v1/cases', '/api/v1/clusters', '/api/v1/test-orders']],
  ['demo.lab.muongthanh', ['/api/v1/specimens', '/api/v1/pools']],
  ['demo.facility.muongthanh', ['/api/v1/admissions']],
  ['demo.sgtvt', ['/api/v1/green-lane/applications']],
];

describe(`epiguard demo on ${ENGINE}`, () => {
  it('loads the scenario through the endpoints, marked as demo data', async () => {
    const lines = await loadScenario(db, config);
    expect(lines[0]).toMatch(/^Demo scenario loaded in [\d.]+ s: \d+ rows marked/);
    const marked = await db.query<{ table_name: string; n: number }>(
      'SELECT table_name, count(*)::int AS n FROM demo_rows GROUP BY table_name',
    );
    const by = Object.fromEntries(marked.map((m) => [m.table_name, m.n]));
    for (const t of [
      'persons',
      'declarations',
      'entries',
      'cases',
      'contacts',
      'quarantine_orders',
      'clusters',
      'specimens',
      'pools',
      'test_results',
      'care_admissions',
      'care_readings',
      'vaccination_doses',
      'vaccination_certificates',
      'level_assessments',
      'green_lane_permits',
      'supply_movements',
      'violations',
    ])
      expect(by[t], t).toBeGreaterThan(0);
    firstNames = await names();
  }, 240_000);

  it('every list a demo account reads has records', async () => {
    for (const [user, urls] of LISTS)
      for (const url of urls) {
        const body = await get(user, url);
        const items = body.items ?? body;
        expect(
          Array.isArray(items) ? items.length : Object.keys(items).length,
          `${user} ${url}`,
        ).toBeGreaterThan(0);
      }
  }, 120_000);

  it('a second run adds nothing', async () => {
    const before = await comparable();
    const lines = await loadScenario(db, config);
    expect(lines[0]).toMatch(/already loaded/);
    const after = await comparable();
    for (const [t, rows] of before) expect(after.get(t)!.size, t).toBe(rows.size);
  }, 120_000);

  it('--remove leaves every table as it was before the scenario, accounts and geography included', async () => {
    const lines = await removeScenario(db);
    expect(lines[0]).toMatch(/^Demo data removed: \d+ rows/);
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM demo_rows'))[0]!.n).toBe(
      0,
    );
    const after = await comparable();
    for (const [t, rows] of accountsOnly) {
      const now = after.get(t)!;
      const changed = [...rows].filter(([k, r]) => now.get(k) !== r).map(([k]) => k);
      const added = [...now.keys()].filter((k) => !rows.has(k));
      expect({ t, changed, added }).toEqual({ t, changed: [], added: [] });
    }
    // the demo accounts still log in
    cookies.clear();
    expect((await get('demo.tinh', '/api/v1/me')).username).toBe('demo.tinh');
  }, 120_000);

  it('loads again with the same people (a fixed seed)', async () => {
    await loadScenario(db, config);
    expect(await names()).toEqual(firstNames);
    await removeScenario(db);
  }, 240_000);
});
