import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Issue 13, item 5: pooled samples follow RULES.md. One person once in a pool; people with
 * symptoms tested singly; the declared size (5 or 10) kept beside the count; a pool result not
 * before its samples nor in the future; a retest result recorded once whatever its client id; a
 * result on a specimen replaced by a new sample closes nothing. Each decision names its rule.
 */
const A = '03136';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

let t: TestApp;
let xa: string;
let lab: string;
let labSite: string;
const people: Json[] = [];

async function ok(cookie: string, method: string, url: string, body?: unknown, status = 201) {
  const r = await t.as(cookie, method, url, body);
  expect(r.statusCode, `${method} ${url}: ${r.body}`).toBe(status);
  return r.json() as Json;
}
const specimen = (p: Json, over: Json = {}) =>
  ok(xa, 'POST', '/api/v1/specimens', {
    clientId: randomUUID(),
    personId: p.id,
    testType: 'rt_pcr',
    reason: 'screening',
    labSiteId: labSite,
    sampledAt: hoursAgo(6),
    ...over,
  });
const pool = (specimenIds: string[], over: Json = {}) =>
  t.as(lab, 'POST', '/api/v1/pools', { clientId: randomUUID(), specimenIds, ...over });

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.login('admin');
  labSite = (
    await ok(admin, 'POST', '/api/v1/sites', {
      kind: 'lab',
      name: 'CDC Điện Biên (gộp mẫu)',
      communeCode: A,
    })
  ).id;
  const mk = (username: string, role: string, jurisdiction: Json) =>
    t.staff(username, role, jurisdiction);
  xa = await mk('gm.xa', 'commune_health', { level: 'commune', unitCode: A });
  lab = await mk('gm.lab', 'lab', { level: 'site', siteId: labSite });
  for (let i = 0; i < 9; i++)
    people.push(
      await ok(xa, 'POST', '/api/v1/persons', {
        fullName: `Lò Văn Gộp ${i}`,
        birthYear: 1980 + i,
        sex: 'male',
        address: { communeCode: A },
      }),
    );
});
afterAll(() => t?.close());

describe(`pooled samples follow the rules, on ${ENGINE}`, () => {
  let s: Json[];
  let poolId: string;

  it('refuses the same person twice and a person with symptoms, naming the specimen and rule', async () => {
    s = [];
    for (const p of people.slice(0, 4)) s.push(await specimen(p));
    const again = await specimen(people[0]!);
    const twice = await pool([...s.map((x) => x.id), again.id]);
    expect(twice.statusCode).toBe(400);
    expect(twice.json().fields).toEqual([
      { path: 'specimenIds.4', message: expect.stringContaining(s[0]!.code) },
    ]);
    expect(twice.json().refusals[0].ruleId).toBe('one-person-once');
    expect(twice.json().ruleSetId).toBe('pooling-byt-2021');

    const sick = await specimen(people[4]!, { symptoms: true });
    expect(sick.symptoms).toBe(true);
    const r = await pool([s[0]!.id, sick.id]);
    expect(r.statusCode).toBe(400);
    expect(r.json().fields[0].path).toBe('specimenIds.1');
    expect(r.json().refusals[0].ruleId).toBe('no-symptoms');
    const open = await t.db.query('SELECT 1 FROM pool_members WHERE open');
    expect(open).toHaveLength(0);
  });

  it('keeps the declared size beside the count; refuses a size not declared or too small', async () => {
    const bad = await pool(
      s.map((x) => x.id),
      { declaredSize: 4 },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('declaredSize');
    const r = await pool(
      s.map((x) => x.id),
      { declaredSize: 10 },
    );
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({
      size: 4,
      declaredSize: 10,
      decision: { ruleSetId: 'pooling-byt-2021', ruleId: 'admitted' },
    });
    expect(r.json().decision.explanation.vi).toContain('4/10');
    poolId = r.json().id;
  });

  it('refuses a pool result dated before its samples or in the future', async () => {
    for (const resultedAt of [hoursAgo(7), new Date(Date.now() + 3600_000).toISOString()]) {
      const r = await t.as(lab, 'POST', `/api/v1/pools/${poolId}/result`, {
        result: 'positive',
        resultedAt,
      });
      expect(r.statusCode).toBe(400);
      expect(r.json().fields[0].path).toBe('resultedAt');
    }
    const fine = await ok(
      lab,
      'POST',
      `/api/v1/pools/${poolId}/result`,
      { result: 'positive', resultedAt: hoursAgo(1) },
      200,
    );
    expect(fine.status).toBe('awaiting_retests');
  });

  it('records a retest result once whatever its client id; a different one is a conflict', async () => {
    const send = () =>
      t.as(lab, 'POST', '/api/v1/results', {
        clientId: randomUUID(),
        specimenId: s[1]!.id,
        result: 'positive',
        resultedAt: hoursAgo(0.5),
      });
    const first = await send();
    expect(first.statusCode, first.body).toBe(201);
    const again = await send();
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const n = await t.db.query(
      "SELECT 1 FROM test_results WHERE person_id = $1 AND result = 'positive'",
      [people[1]!.id],
    );
    expect(n).toHaveLength(1);
    const other = await t.as(lab, 'POST', '/api/v1/results', {
      clientId: randomUUID(),
      specimenId: s[1]!.id,
      result: 'negative',
      resultedAt: hoursAgo(0.4),
    });
    expect(other.statusCode).toBe(409);
  });

  it('a result on a specimen replaced by a new sample closes no retest', async () => {
    const mine = [await specimen(people[6]!), await specimen(people[7]!)];
    const p = await pool(mine.map((x) => x.id));
    expect(p.statusCode, p.body).toBe(201);
    await ok(
      lab,
      'POST',
      `/api/v1/pools/${p.json().id}/result`,
      { result: 'positive', resultedAt: hoursAgo(1), retestMode: 'new_sample' },
      200,
    );
    const stale = await t.as(lab, 'POST', '/api/v1/results', {
      clientId: randomUUID(),
      specimenId: mine[0]!.id,
      result: 'negative',
      resultedAt: hoursAgo(0.5),
    });
    expect(stale.statusCode).toBe(409);
    const detail = await ok(lab, 'GET', `/api/v1/pools/${p.json().id}`, undefined, 200);
    expect(detail.progress.pending).toHaveLength(2);
  });
});
