import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dateOfInstant } from '../../src/domain/dates.ts';
import { migrate } from '../../src/server/db/migrate.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Issue 13, item 1: an arrival from another province is managed where they are. A Hà Nội
 * resident declares, enters Điện Biên at a checkpoint, is followed by Phường Mường Thanh, tested
 * and found positive: the case belongs to Mường Thanh (its district and Điện Biên province see
 * and manage it, the commune and district may order tests), the home unit is kept beside it, and
 * Hà Nội's province sees a notice only — not the case, not the person.
 */
const A = { commune: '03136', district: '094' }; // Phường Mường Thanh, TP Điện Biên Phủ
const B = '03331'; // Xã Thanh Hưng, huyện Điện Biên
const HOME = { province: '01', district: '001', commune: '00001' }; // Phường Phúc Xá, Ba Đình, Hà Nội
const today = dateOfInstant(Date.now());
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let t: TestApp;
let officer: string;
let lab: string;
let labSite: string;
let xaA: string;
let xaB: string;
let huyen: string;
let tinh: string;
let hanoi: string;
let hanoiXa: string;

async function ok(
  cookie: string | null,
  method: string,
  url: string,
  body?: unknown,
  status = 201,
) {
  const r = await t.as(cookie, method, url, body);
  expect(r.statusCode, `${method} ${url}: ${r.body}`).toBe(status);
  return r.json() as Json;
}

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.login('admin');
  const site = async (kind: string, name: string) =>
    (await ok(admin, 'POST', '/api/v1/sites', { kind, name, communeCode: A.commune })).id as string;
  const checkpoint = await site('checkpoint', 'Chốt Tuần Giáo (nơi quản lý)');
  labSite = await site('lab', 'CDC Điện Biên (nơi quản lý)');
  const mk = (username: string, role: string, jurisdiction: Json) =>
    t.staff(username, role, jurisdiction);
  officer = await mk('mu.chot', 'checkpoint_officer', { level: 'site', siteId: checkpoint });
  lab = await mk('mu.lab', 'lab', { level: 'site', siteId: labSite });
  xaA = await mk('mu.xa.a', 'commune_health', { level: 'commune', unitCode: A.commune });
  xaB = await mk('mu.xa.b', 'commune_health', { level: 'commune', unitCode: B });
  huyen = await mk('mu.huyen', 'district_health', { level: 'district', unitCode: A.district });
  tinh = await mk('mu.tinh', 'province', { level: 'province', unitCode: '11' });
  // The home province's staff, as another province's instance would hold them (an admin of
  // Điện Biên cannot place users elsewhere, so they are moved in the database).
  await mk('mu.hanoi', 'province', { level: 'province', unitCode: '11' });
  await mk('mu.hanoi.xa', 'commune_health', { level: 'commune', unitCode: A.commune });
  await t.db.query(
    `UPDATE users SET province_code = '01', district_code = NULL, commune_code = NULL WHERE username = 'mu.hanoi'`,
  );
  await t.db.query(
    `UPDATE users SET province_code = $1, district_code = $2, commune_code = $3 WHERE username = 'mu.hanoi.xa'`,
    [HOME.province, HOME.district, HOME.commune],
  );
  hanoi = await t.login('mu.hanoi', 'password-123');
  hanoiXa = await t.login('mu.hanoi.xa', 'password-123');
  await ok(tinh, 'POST', '/api/v1/epidemic-areas', {
    unitCode: '01',
    level: 3,
    validFrom: addDays(today, -10),
  });
});
afterAll(() => t?.close());

describe(`an arrival's F0 is managed where they are, on ${ENGINE}`, () => {
  let personId: string;
  let followUpId: string;
  let caseId: string;

  it('makes the destination commune the unit managing the arrival', async () => {
    const d = await ok(null, 'POST', '/api/v1/declarations', {
      person: {
        fullName: 'Trần Thị Về Quê',
        birthYear: 1990,
        sex: 'female',
        idType: 'cccd',
        idNumber: '001190013013',
        phone: '0912013013',
        communeCode: HOME.commune,
      },
      travel: { mode: 'coach', fromProvinceCode: '01', toCommuneCode: A.commune, date: today },
      visitedProvinces: ['01'],
      symptoms: [],
      exposure: { caseContact: false, fromOutbreakArea: true, symptomaticContact: false },
      vaccination: { doses: 0 },
      consent: true,
    });
    const e = await ok(officer, 'POST', '/api/v1/entries', {
      clientId: randomUUID(),
      direction: 'in',
      declarationCode: d.code,
    });
    followUpId = e.followUpId;
    expect(followUpId).toBeTruthy();
    personId = e.personId ?? e.person?.id;
    expect(personId).toBeTruthy();

    const fu = await ok(xaA, 'GET', `/api/v1/follow-ups/${followUpId}`, undefined, 200);
    expect(fu.person.fullName).toBe('Trần Thị Về Quê');
    // The person page: the commune where she is sees her, with her home address kept.
    const p = await ok(xaA, 'GET', `/api/v1/persons/${personId}`, undefined, 200);
    expect(p.address.communeCode).toBe(HOME.commune);
    expect(p.currentUnit).toEqual({
      provinceCode: '11',
      districtCode: A.district,
      communeCode: A.commune,
    });
    expect((await t.as(xaB, 'GET', `/api/v1/persons/${personId}`)).statusCode).toBe(404);
  });

  it('lets the commune and the district where she is order tests, filed under that commune', async () => {
    const byDistrict = await ok(huyen, 'POST', '/api/v1/test-orders', {
      clientId: randomUUID(),
      personId,
      testType: 'rt_pcr',
      reason: 'follow_up',
    });
    expect(byDistrict.communeCode).toBe(A.commune);
    const order = await ok(xaA, 'POST', '/api/v1/test-orders', {
      clientId: randomUUID(),
      personId,
      testType: 'rt_pcr',
      reason: 'follow_up',
      labSiteId: labSite,
    });
    expect(order.communeCode).toBe(A.commune);
    const stored = await t.db.query<{ province_code: string; district_code: string }>(
      'SELECT province_code, district_code FROM test_orders WHERE id = $1',
      [order.id],
    );
    expect(stored[0]).toEqual({ province_code: '11', district_code: A.district });
    // another commune still may not
    const other = await t.as(xaB, 'POST', '/api/v1/test-orders', {
      clientId: randomUUID(),
      personId,
      testType: 'rt_pcr',
      reason: 'request',
    });
    expect(other.statusCode).toBe(404);

    const specimen = await ok(xaA, 'POST', '/api/v1/specimens', {
      clientId: randomUUID(),
      orderId: order.id,
      sampledAt: new Date(Date.now() - 3 * 3600_000).toISOString(),
    });
    const res = await ok(lab, 'POST', '/api/v1/results', {
      clientId: randomUUID(),
      specimenId: specimen.id,
      result: 'positive',
      resultedAt: new Date(Date.now() - 3600_000).toISOString(),
    });
    expect(res.f0?.outcome).toBe('open_case');
    caseId = res.f0.caseId;
    expect(caseId).toBeTruthy();
  });

  it('files the case under Mường Thanh with the home unit beside it; Điện Biên sees it at every level', async () => {
    for (const who of [xaA, huyen, tinh]) {
      const c = await ok(who, 'GET', `/api/v1/cases/${caseId}`, undefined, 200);
      expect(c.responsibleCommune.code).toBe(A.commune);
      expect(c.homeUnit).toEqual({
        provinceCode: HOME.province,
        districtCode: HOME.district,
        communeCode: HOME.commune,
        name: 'Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội',
      });
      const list = await ok(who, 'GET', '/api/v1/cases', undefined, 200);
      expect(list.items.map((x: Json) => x.id)).toContain(caseId);
    }
    // its F1 list and the person's epidemic record are open to the commune managing her
    const contacts = await ok(xaA, 'GET', `/api/v1/cases/${caseId}/contacts`, undefined, 200);
    expect(contacts.case.id).toBe(caseId);
    const mine = await ok(xaA, 'GET', `/api/v1/persons/${personId}/cases`, undefined, 200);
    expect(mine.cases.map((x: Json) => x.id)).toEqual([caseId]);
    // the commune is told of the new case
    const notices = await ok(xaA, 'GET', '/api/v1/notices', undefined, 200);
    expect(notices.items.some((n: Json) => n.kind === 'case.new' && n.ref.id === caseId)).toBe(
      true,
    );
    expect((await t.as(xaB, 'GET', `/api/v1/cases/${caseId}`)).statusCode).toBe(404);
  });

  it('gives the home province a notice only', async () => {
    const notices = await ok(hanoi, 'GET', '/api/v1/notices', undefined, 200);
    const mine = notices.items.filter((n: Json) => n.ref.id === caseId);
    expect(mine.map((n: Json) => n.kind)).toEqual(['case.resident_elsewhere']);
    expect(mine[0].title.vi).toContain('Điện Biên');
    expect((await t.as(hanoi, 'GET', `/api/v1/persons/${personId}`)).statusCode).toBe(404);
    for (const who of [hanoi, hanoiXa]) {
      expect((await t.as(who, 'GET', `/api/v1/cases/${caseId}`)).statusCode).toBe(404);
      const list = await ok(who, 'GET', '/api/v1/cases', undefined, 200);
      expect(list.items).toEqual([]);
    }
    // Điện Biên's staff are not told as if it were a resident elsewhere
    const db = await ok(tinh, 'GET', '/api/v1/notices', undefined, 200);
    expect(db.items.some((n: Json) => n.kind === 'case.resident_elsewhere')).toBe(false);
  });

  it('migrates the cases, tests and contacts filed under the home commune before the fix', async () => {
    // The state the old code left: the case and the testing records under the home commune
    // (the tests with Điện Biên's province code), no current unit, no home unit on cases.
    const home = [HOME.province, HOME.district, HOME.commune];
    await t.db.query(
      `UPDATE cases SET province_code = $1, district_code = $2, commune_code = $3, village_id = NULL,
         current_province_code = $1, current_district_code = $2, current_commune_code = $3 WHERE id = $4`,
      [...home, caseId],
    );
    for (const table of ['test_orders', 'specimens', 'test_results'])
      await t.db.query(
        `UPDATE ${table} SET district_code = $1, commune_code = $2 WHERE person_id = $3`,
        [HOME.district, HOME.commune, personId],
      );
    await t.db.exec(`DELETE FROM schema_migrations WHERE version = 13;
      ALTER TABLE persons DROP COLUMN current_province_code, DROP COLUMN current_district_code,
        DROP COLUMN current_commune_code;
      ALTER TABLE cases DROP COLUMN home_province_code, DROP COLUMN home_district_code,
        DROP COLUMN home_commune_code;
      ALTER TABLE specimens DROP COLUMN symptoms;
      ALTER TABLE pools DROP COLUMN declared_size, DROP COLUMN decision;`);

    expect(await migrate(t.db)).toEqual(['0013_managing_unit']);
    const c = await ok(xaA, 'GET', `/api/v1/cases/${caseId}`, undefined, 200);
    expect(c.responsibleCommune.code).toBe(A.commune);
    expect(c.currentCommune.code).toBe(A.commune);
    expect(c.homeUnit.communeCode).toBe(HOME.commune);
    const events = await t.db.query<{ kind: string; data: Json }>(
      "SELECT kind, data FROM case_events WHERE case_id = $1 AND kind = 'transfer'",
      [caseId],
    );
    expect(events.map((e) => e.data.toCommuneCode)).toEqual([A.commune]);
    const tests = await t.db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM test_orders WHERE person_id = $1 AND commune_code = $2)::int
            + (SELECT count(*) FROM specimens WHERE person_id = $1 AND commune_code = $2)::int
            + (SELECT count(*) FROM test_results WHERE person_id = $1 AND commune_code = $2)::int AS n`,
      [personId, A.commune],
    );
    expect(tests[0]!.n).toBe(4); // two orders, one specimen, one result
    expect(
      (await ok(xaA, 'GET', `/api/v1/persons/${personId}`, undefined, 200)).currentUnit,
    ).toEqual({ provinceCode: '11', districtCode: A.district, communeCode: A.commune });
  });
});
