import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { type Db, openPglite, openPostgres } from '../../src/server/db/index.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';
import { testConfig, testPostgresUrl } from '../helpers/config.ts';

/**
 * Issue 14.5: the first writes after a start, when no cache is warm, succeed, and a replay of the
 * same clientId after the restart answers the stored record exactly once. The restart is a new
 * database handle on the same data (new caches), as after a crash.
 */
let t: TestApp;
let officer: string;
const COMMUNE = '03136';
const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

const declaration = (idNumber: string) => ({
  person: {
    fullName: 'Nguyễn Văn Bình',
    birthYear: 1985,
    sex: 'male',
    idType: 'cccd',
    idNumber,
    phone: '0912345678',
    communeCode: '00001',
  },
  travel: {
    mode: 'coach',
    vehicleNumber: '29B-123.45',
    fromProvinceCode: '01',
    fromDistrictCode: '001',
    toCommuneCode: COMMUNE,
    toAddress: 'Tổ 5',
    date: today,
  },
  visitedProvinces: ['01'],
  symptoms: [],
  exposure: { caseContact: false, fromOutbreakArea: false, symptomaticContact: false },
  vaccination: { doses: 0 },
  consent: true,
});

/** A second handle on the same data, with nothing cached: what a restarted server opens. */
async function coldHandle(): Promise<{ db: Db; close: () => Promise<void> }> {
  if (ENGINE === 'pglite') {
    await t.db.query('CHECKPOINT');
    const db = await openPglite(undefined, await t.db.pglite!.dumpDataDir('none'));
    return { db, close: () => db.close() };
  }
  const name = (await t.db.query<{ name: string }>('SELECT current_database() AS name'))[0]!.name;
  const url = new URL(testPostgresUrl());
  url.pathname = '/' + name;
  const db = await openPostgres(url.toString(), 3);
  return { db, close: () => db.close() };
}

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.login('admin');
  const site = await t.as(admin, 'POST', '/api/v1/sites', {
    kind: 'checkpoint',
    name: 'Chốt Tây Trang',
    communeCode: COMMUNE,
  });
  expect(site.statusCode, site.body).toBe(201);
  const u = await t.as(admin, 'POST', '/api/v1/users', {
    username: 'cold.chot',
    fullName: 'Chốt',
    password: 'password-123',
    role: 'checkpoint_officer',
    jurisdiction: { level: 'site', siteId: site.json().id },
  });
  expect(u.statusCode, u.body).toBe(201);
  officer = await t.login('cold.chot', 'password-123');
});
afterAll(() => t?.close());

describe(`the first writes after a start on ${ENGINE}`, () => {
  it('records an entry with a declaration filled in at the checkpoint as the first request, and a replay once', async () => {
    // Acknowledged before the "crash": one entry through the warm server.
    const before = {
      clientId: randomUUID(),
      direction: 'in',
      declaration: declaration('001085000001'),
    };
    const acked = await t.as(officer, 'POST', '/api/v1/entries', before);
    expect(acked.statusCode, acked.body).toBe(201);

    const cold = await coldHandle();
    try {
      const app = await buildApp({ db: cold.db, config: testConfig(), logger: false });
      await app.ready();
      const send = (body: unknown) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/entries',
          headers: { cookie: officer },
          payload: body as object,
        });
      // The phone's outbox replays both after the restart: the first request of the new server
      // is a new entry with an inline declaration, then the replay of the acknowledged one.
      const fresh = {
        clientId: randomUUID(),
        direction: 'in',
        declaration: declaration('001085000002'),
      };
      const first = await send(fresh);
      expect(first.statusCode, first.body).toBe(201);
      const replayed = await send(before);
      expect(replayed.statusCode, replayed.body).toBe(200);
      expect(replayed.json().id).toBe(acked.json().id);
      const again = await send(fresh);
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json().id).toBe(first.json().id);
      const n = await cold.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM entries WHERE client_id = ANY($1::uuid[])',
        [[before.clientId, fresh.clientId]],
      );
      expect(n[0]!.n).toBe(2);
      await app.close();
    } finally {
      await cold.close();
    }
  });
});
