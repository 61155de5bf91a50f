import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Issue 13, item 4: a person co-present with an F0 who is an F0 themselves is shown as already
 * F0, never offered (nor confirmable) as an F1 candidate.
 */
const A = '03136'; // Phường Mường Thanh
const ago = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let t: TestApp;
let xa: string;
const people: Record<string, string> = {};

async function ok(method: string, url: string, body?: unknown, status = 201) {
  const r = await t.as(xa, method, url, body);
  expect(r.statusCode, `${method} ${url}: ${r.body}`).toBe(status);
  return r.json() as Json;
}
const openCase = (personId: string, hoursAgo: number) =>
  ok('POST', '/api/v1/cases', {
    personId,
    positiveSampleAt: ago(hoursAgo),
    foundBy: 'community',
    basis: 'pcr_positive',
  });

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.login('admin');
  const u = await t.as(admin, 'POST', '/api/v1/users', {
    username: 'af0.xa',
    fullName: 'af0.xa',
    password: 'password-123',
    role: 'commune_health',
    jurisdiction: { level: 'commune', unitCode: A },
  });
  expect(u.statusCode, u.body).toBe(201);
  xa = await t.login('af0.xa', 'password-123');
  const village = await ok('POST', '/api/v1/villages', {
    communeCode: A,
    name: 'Tổ 13 (đã là F0)',
    kind: 'to_dan_pho',
  });
  const hh = await ok('POST', '/api/v1/households', { villageId: village.id, address: 'Số 13' });
  for (const [k, name, relation] of [
    ['head', 'Lò Văn Chủ Hộ', 'head'],
    ['wife', 'Lò Thị Vợ Hai', 'spouse'],
    ['child', 'Lò Văn Con Ba', 'child'],
  ] as const) {
    const p = await ok('POST', '/api/v1/persons', {
      fullName: name,
      birthYear: 1980,
      sex: 'male',
      address: { communeCode: A, villageId: village.id },
    });
    people[k] = p.id;
    const m = await t.as(xa, 'POST', `/api/v1/households/${hh.id}/members`, {
      personId: p.id,
      relation,
    });
    expect(m.statusCode, m.body).toBeLessThan(300);
  }
});
afterAll(() => t?.close());

describe(`an existing F0 is never an F1 candidate, on ${ENGINE}`, () => {
  let headCase: string;
  let wifeContact: string;

  it('offers the household as F1 while no one else is F0', async () => {
    headCase = (await openCase(people.head!, 30)).id;
    const r = await ok('GET', `/api/v1/cases/${headCase}/contacts?depth=1`, undefined, 200);
    const f1 = r.f1.map((c: Json) => c.person.id).sort();
    expect(f1).toEqual([people.wife, people.child].sort());
    expect(r.alreadyF0).toEqual([]);
    wifeContact = r.f1.find((c: Json) => c.person.id === people.wife).id;
  });

  it('shows the wife as already F0 once she is a case, and refuses to confirm her as F1', async () => {
    const wifeCase = await openCase(people.wife!, 20);
    // a list fetched before she became F0 still names her: confirming answers 409 and writes nothing
    const confirm = await t.as(xa, 'POST', `/api/v1/contacts/${wifeContact}/confirm`, {});
    expect(confirm.statusCode, confirm.body).toBe(409);
    expect(confirm.json().message).toContain(wifeCase.code);
    const orders = await t.db.query('SELECT 1 FROM quarantine_orders WHERE person_id = $1', [
      people.wife,
    ]);
    expect(orders).toHaveLength(0);

    const r = await ok('GET', `/api/v1/cases/${headCase}/contacts`, undefined, 200);
    expect(r.f1.map((c: Json) => c.person.id)).toEqual([people.child]);
    expect(r.f2.map((c: Json) => c.person.id)).not.toContain(people.wife);
    expect(r.alreadyF0).toEqual([
      expect.objectContaining({
        personId: people.wife,
        fullName: 'Lò Thị Vợ Hai',
        caseId: wifeCase.id,
        caseCode: wifeCase.code,
        degree: 1,
      }),
    ]);
    const stored = await t.db.query('SELECT 1 FROM contacts WHERE person_id = $1', [people.wife]);
    expect(stored).toHaveLength(0);
    // and the head is shown as already F0 in the wife's case, not as her candidate
    const w = await ok('GET', `/api/v1/cases/${wifeCase.id}/contacts?depth=1`, undefined, 200);
    expect(w.f1.map((c: Json) => c.person.id)).toEqual([people.child]);
    expect(w.alreadyF0.map((x: Json) => x.caseCode)).toEqual([
      (await ok('GET', `/api/v1/cases/${headCase}`, undefined, 200)).code,
    ]);
  });
});
