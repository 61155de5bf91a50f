import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { addDays, dateOfInstant, startOfDayInstant } from '../../src/domain/dates.ts';
import { RULESET_CV8399 } from '../../src/domain/rulesets.ts';
import { DEFAULT_VIOLATION_TYPES } from '../../src/domain/enforcement.ts';
import { DEFAULT_SUPPLY_CATALOGUE } from '../../src/domain/supplies.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Issue 18, item 5: an administrator of the province adds a version of the arrival rules. It is
 * validated against its kind's schema (the field named), may not overlap another version, never
 * changes a decision taken (today's arrivals keep the version that decided them), decides the
 * arrivals of the day it starts, and can be previewed over last week's arrivals first.
 */
const A = '03136'; // Phường Mường Thanh, TP Điện Biên Phủ
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const today = dateOfInstant(Date.now());
const tomorrow = addDays(today, 1);
const CV = RULESET_CV8399.id;

let t: TestApp;
let admin: string;
let officer: string;
let commune: string;
let districtAdmin: string;

/** CV 8399 copied, the unvaccinated sent to home quarantine, valid from `from`. */
const candidate = (id: string, from: string, patch: (d: Json) => void = () => {}): Json => {
  const d: Json = JSON.parse(JSON.stringify(RULESET_CV8399));
  d.id = id;
  d.name = 'Người đến chưa tiêm: cách ly tại nhà (thử nghiệm)';
  d.scope = 'provincial';
  d.issuer = 'UBND tỉnh Điện Biên';
  d.legalBasis = { number: 'QĐ 99/QĐ-UBND', date: today, title: 'Điều chỉnh cách ly người đến' };
  d.validFrom = from;
  d.validTo = null;
  const unvaccinated = d.rules.find((r: Json) => r.id === 'cv8399-unvaccinated');
  unvaccinated.then.action = 'home_quarantine';
  unvaccinated.then.explanation = {
    vi: 'Về từ {origin}, {vaccination} → cách ly tại nhà {quarantineDays} ngày — theo {basis}',
    en: 'From {origin}, {vaccination} → home quarantine {quarantineDays} days — under {basis}',
  };
  patch(d);
  return d;
};

async function arrive(at?: string) {
  const travelDate = dateOfInstant(at ? Date.parse(at) : Date.now());
  const d = await t.as(null, 'POST', '/api/v1/declarations', {
    person: {
      fullName: 'Lò Văn Bình',
      birthYear: 1990,
      sex: 'male',
      idType: 'cccd',
      idNumber: `0010900${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`,
      phone: '0912345679',
      communeCode: '00001',
    },
    travel: {
      mode: 'coach',
      fromProvinceCode: '01',
      toCommuneCode: A,
      toAddress: 'Tổ 2',
      date: travelDate,
    },
    visitedProvinces: ['01'],
    symptoms: [],
    exposure: { caseContact: false, fromOutbreakArea: true, symptomaticContact: false },
    vaccination: { doses: 0 },
    consent: true,
  });
  expect(d.statusCode, d.body).toBe(201);
  const r = await t.as(officer, 'POST', '/api/v1/entries', {
    clientId: randomUUID(),
    direction: 'in',
    declarationCode: d.json().code,
    ...(at ? { at } : {}),
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as Json;
}

const post = (cookie: string, body: Json) => t.as(cookie, 'POST', '/api/v1/rule-sets', body);

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin');
  const site = await t.as(admin, 'POST', '/api/v1/sites', {
    kind: 'checkpoint',
    name: 'Chốt Pha Đin (quy tắc)',
    communeCode: A,
  });
  expect(site.statusCode, site.body).toBe(201);
  const mk = (username: string, role: string, jurisdiction: Json) =>
    t.staff(username, role, jurisdiction);
  officer = await mk('qt.chot', 'checkpoint_officer', { level: 'site', siteId: site.json().id });
  commune = await mk('qt.xa', 'commune_health', { level: 'commune', unitCode: A });
  districtAdmin = await mk('qt.huyen', 'admin', { level: 'district', unitCode: '094' });
  const tinh = await mk('qt.tinh', 'province', { level: 'province', unitCode: '11' });
  const area = await t.as(tinh, 'POST', '/api/v1/epidemic-areas', {
    unitCode: '01',
    level: 3,
    validFrom: addDays(today, -20),
  });
  expect(area.statusCode, area.body).toBe(201);
});
afterAll(() => t?.close());
afterEach(() => vi.useRealTimers());

describe(`rule-set administration on ${ENGINE}`, () => {
  it('lists every kind with its versions, validity and legal basis; reads one in words', async () => {
    const r = await t.as(admin, 'GET', '/api/v1/rule-sets');
    expect(r.statusCode, r.body).toBe(200);
    const arrival = r.json().items.find((k: Json) => k.kind === 'arrival_classification');
    expect(arrival.label.vi).toBe('Phân loại người đến/về');
    expect(arrival.versions.map((v: Json) => [v.id, v.status])).toEqual([
      ['arrival-dienbien-2021-07', 'past'],
      [CV, 'current'],
    ]);
    expect(arrival.versions[1].legalBasis.number).toBe('CV 8399/BYT-MT');
    const kinds = r.json().items.map((k: Json) => k.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'f1_quarantine',
        'vaccine_schedule',
        'quarantine_fees',
        'epidemic_level',
      ]),
    );
    for (const k of r.json().items) expect(k.versions.length, k.kind).toBeGreaterThan(0);

    const one = (await t.as(admin, 'GET', `/api/v1/rule-sets/${CV}`)).json();
    expect(one.words.validity.vi).toContain('Hiệu lực từ 06/10/2021, không thời hạn');
    expect(one.words.rules.find((w: Json) => w.id === 'cv8399-unvaccinated').then.en).toContain(
      'Centralised quarantine; 14 days quarantine',
    );
    expect((await t.as(admin, 'GET', '/api/v1/rule-sets/none-such')).statusCode).toBe(404);
  });

  it('is closed to other roles and to an administrator below the province (404, audited)', async () => {
    expect((await t.as(officer, 'GET', '/api/v1/rule-sets')).statusCode).toBe(404);
    expect((await t.as(commune, 'GET', `/api/v1/rule-sets/${CV}`)).statusCode).toBe(404);
    const body = {
      clientId: randomUUID(),
      kind: 'arrival_classification',
      definition: candidate('x-1', tomorrow),
    };
    expect((await post(commune, body)).statusCode).toBe(404);
    expect((await post(districtAdmin, body)).statusCode).toBe(404);
    expect(
      (await t.as(districtAdmin, 'POST', `/api/v1/rule-sets/${CV}/preview`, {})).statusCode,
    ).toBe(404);
    const denied = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'rulesets.manage' AND outcome = 'denied'`,
    );
    expect(denied[0]!.n).toBeGreaterThanOrEqual(3);
  });

  it('refuses bad input with the field named', async () => {
    const bad = candidate('arrival-bad', tomorrow, (d) => {
      d.rules[5].then.quarantineDays = -3;
    });
    const r = await post(admin, {
      clientId: randomUUID(),
      kind: 'arrival_classification',
      definition: bad,
    });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().fields).toEqual([
      { path: 'definition.rules[5].then.quarantineDays', message: expect.any(String) },
    ]);
    const noClient = await post(admin, {
      kind: 'arrival_classification',
      definition: candidate('a-2', tomorrow),
    });
    expect(noClient.statusCode).toBe(400);
    expect(noClient.json().fields[0].path).toBe('clientId');
    const kind = await post(admin, { clientId: randomUUID(), kind: 'horoscope', definition: {} });
    expect(kind.statusCode).toBe(400);
    expect(kind.json().fields[0].path).toBe('kind');
    const shape = await post(admin, {
      clientId: randomUUID(),
      kind: 'f1_quarantine',
      definition: { id: 'f1-x', kind: 'f1_quarantine', name: 'x' },
    });
    expect(shape.statusCode, shape.body).toBe(400);
    expect(shape.json().fields.map((f: Json) => f.path)).toContain('definition.legalBasis');
    const past = await post(admin, {
      clientId: randomUUID(),
      kind: 'arrival_classification',
      definition: candidate('arrival-past', addDays(today, -1)),
    });
    expect(past.statusCode).toBe(409);
    expect(past.json().fields[0].path).toBe('definition.validFrom');
  });

  let todays: Json;
  it('previews a candidate over last week: the unvaccinated would go home', async () => {
    const now = Date.now();
    // Two arrivals of the last 7 days (and one of today, which the preview leaves out).
    await arrive(new Date(now - 2 * 86_400_000).toISOString());
    await arrive(
      new Date(Math.max(now - 3 * 86_400_000, startOfDayInstant(addDays(today, -3)))).toISOString(),
    );
    todays = await arrive();
    expect(todays.classification).toMatchObject({
      action: 'centralised_quarantine',
      rulesetId: CV,
    });
    const r = await t.as(admin, 'POST', `/api/v1/rule-sets/${CV}/preview`, {
      definition: candidate('arrival-home', tomorrow),
    });
    expect(r.statusCode, r.body).toBe(200);
    const p = r.json();
    expect(p.tally).toMatchObject({ records: 2, changed: 2, failed: 0 });
    expect(p.sentences.map((s: Json) => s.en)).toContain(
      'This version would have sent 2 more arrivals to home quarantine',
    );
    const bad = await t.as(admin, 'POST', `/api/v1/rule-sets/${CV}/preview`, {
      definition: candidate(
        'arrival-home',
        tomorrow,
        (d) => (d.definitions.epidemicAreaMinLevel = 7),
      ),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('definition.definitions.epidemicAreaMinLevel');
  });

  it('starts tomorrow once today has decisions; refuses an overlap; a replay is not doubled', async () => {
    const todayToo = await post(admin, {
      clientId: randomUUID(),
      kind: 'arrival_classification',
      definition: candidate('arrival-today', today),
    });
    expect(todayToo.statusCode, todayToo.body).toBe(409);
    expect(todayToo.json().fields[0].path).toBe('definition.validFrom');

    const body = {
      clientId: randomUUID(),
      kind: 'arrival_classification',
      definition: candidate('arrival-home', tomorrow),
    };
    const r = await post(admin, body);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({
      id: 'arrival-home',
      validFrom: tomorrow,
      status: 'future',
      closed: CV,
    });
    const again = await post(admin, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: 'arrival-home', replay: true });
    const rows = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM rule_sets WHERE kind = 'arrival_classification'`,
    );
    expect(rows[0]!.n).toBe(3);
    const audited = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'rulesets.create' AND resource_id = 'arrival-home'`,
    );
    expect(audited[0]!.n).toBe(1);

    const overlap = await post(admin, {
      clientId: randomUUID(),
      kind: 'arrival_classification',
      definition: candidate(
        'arrival-other',
        addDays(today, 5),
        (d) => (d.validTo = addDays(today, 9)),
      ),
    });
    expect(overlap.statusCode, overlap.body).toBe(409);
    expect(overlap.json().fields[0]).toMatchObject({
      path: 'definition.validFrom',
      message: expect.stringContaining('arrival-home'),
    });
    const list = (await t.as(admin, 'GET', '/api/v1/rule-sets?kind=arrival_classification')).json();
    expect(list.items[0].versions.find((v: Json) => v.id === CV).validTo).toBe(today);
  });

  it('versions the catalogues the same way: violation types and the supply catalogue', async () => {
    const kinds = (await t.as(admin, 'GET', '/api/v1/rule-sets')).json().items;
    for (const kind of ['supply_catalogue', 'violation_types']) {
      const k = kinds.find((x: Json) => x.kind === kind);
      expect(k?.label.vi, kind).toBeTruthy();
      expect(k.versions.length, kind).toBeGreaterThan(0);
    }
    const types = (id: string, patch: (d: Json) => void = () => {}): Json => {
      const d: Json = JSON.parse(JSON.stringify(DEFAULT_VIOLATION_TYPES));
      Object.assign(d, { id, validFrom: tomorrow, validTo: null });
      d.legalBasis = { number: 'NĐ 99/2026/NĐ-CP', date: today, title: 'Mức phạt mới' };
      patch(d);
      return d;
    };
    // The kind's own rules: a fine range upside down is refused with the field named.
    const bad = await post(admin, {
      clientId: randomUUID(),
      kind: 'violation_types',
      definition: types('violations-bad', (d) => {
        const fined = d.types.find((x: Json) => x.fine);
        fined.fine = { min: 2_000_000, max: 1_000_000 };
      }),
    });
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json().fields[0].path).toMatch(/^definition\.types\.\d+\.fine$/);
    // The shape of the earlier versions: a catalogue item without its unit is refused.
    const catalogue: Json = JSON.parse(JSON.stringify(DEFAULT_SUPPLY_CATALOGUE));
    Object.assign(catalogue, { id: 'supplies-bad', validFrom: tomorrow, validTo: null });
    catalogue.items[0].unit = 42;
    const shape = await post(admin, {
      clientId: randomUUID(),
      kind: 'supply_catalogue',
      definition: catalogue,
    });
    expect(shape.statusCode, shape.body).toBe(400);
    expect(shape.json().fields.map((f: Json) => f.path)).toContain('definition.items[0].unit');
    // A good version from tomorrow is saved and ends the one in force today.
    const good = await post(admin, {
      clientId: randomUUID(),
      kind: 'violation_types',
      definition: types('violations-2026-12'),
    });
    expect(good.statusCode, good.body).toBe(201);
    expect(good.json()).toMatchObject({ id: 'violations-2026-12', status: 'future' });
  });

  it("leaves today's decisions alone and decides tomorrow's arrivals with the new version", async () => {
    const before = (await t.as(officer, 'GET', `/api/v1/entries/${todays.id}`)).json();
    expect(before.classification).toMatchObject({
      action: 'centralised_quarantine',
      rulesetId: CV,
    });
    const later = await arrive();
    expect(later.classification).toMatchObject({ action: 'centralised_quarantine', rulesetId: CV });

    // The clock moves to tomorrow 09:00 (Vietnam).
    // (PGlite's now() reads the same clock: the officer signs in again on that day.)
    vi.useFakeTimers({ toFake: ['Date'], now: startOfDayInstant(tomorrow) + 9 * 3600_000 });
    officer = await t.login('qt.chot', 'password-123');
    const next = await arrive();
    expect(next.classification).toMatchObject({
      action: 'home_quarantine',
      rulesetId: 'arrival-home',
      ruleId: 'cv8399-unvaccinated',
    });
    expect(next.classification.explanation.vi).toContain(
      'cách ly tại nhà 14 ngày — theo QĐ 99/QĐ-UBND',
    );
    const still = (await t.as(officer, 'GET', `/api/v1/entries/${todays.id}`)).json();
    expect(still.classification).toEqual(before.classification);
  });
});
