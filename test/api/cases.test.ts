import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dateOfInstant } from '../../src/domain/dates.ts';
import { contactStatus, epiLink, openCase } from '../../src/server/cases/store.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Cases and tracing endpoints one by one: validation (400 naming the field), idempotency,
 * scoping (404 + audit), status changes and transfers, interviews, venues and their public
 * check-in, lockdown areas and who lives there, the board and assignment, notices, and the
 * contract functions the testing module calls.
 */
const A = '03136';
const B = '03331';
const today = dateOfInstant(Date.now());
const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let t: TestApp;
let admin: string;
let xaA: string;
let xaA2: string;
let xaB: string;
let huyen: string;
let xaA2Id: string;
let xaBId: string;

async function person(cookie: string, fullName: string, commune = A, extra: Json = {}) {
  const r = await t.as(cookie, 'POST', '/api/v1/persons', {
    fullName,
    birthYear: 1980,
    sex: 'male',
    address: { communeCode: commune },
    ...extra,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as string;
}
const openVia = (cookie: string, body: Json) => t.as(cookie, 'POST', '/api/v1/cases', body);
const caseBody = (personId: string, over: Json = {}) => ({
  personId,
  positiveSampleAt: ago(60),
  foundBy: 'community',
  basis: 'pcr_positive',
  ...over,
});

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin');
  const mk = async (username: string, role: string, jurisdiction: Json) => {
    const r = await t.as(admin, 'POST', '/api/v1/users', {
      username,
      fullName: `Cán bộ ${username}`,
      password: 'password-123',
      role,
      jurisdiction,
    });
    expect(r.statusCode, r.body).toBe(201);
    return { cookie: await t.login(username, 'password-123'), id: r.json().user.id as string };
  };
  xaA = (await mk('ca.xa.a', 'commune_health', { level: 'commune', unitCode: A })).cookie;
  const a2 = await mk('ca.xa.a2', 'community_team', { level: 'commune', unitCode: A });
  xaA2 = a2.cookie;
  xaA2Id = a2.id;
  const b = await mk('ca.xa.b', 'commune_health', { level: 'commune', unitCode: B });
  xaB = b.cookie;
  xaBId = b.id;
  huyen = (await mk('ca.huyen', 'district_health', { level: 'district', unitCode: '094' })).cookie;
});
afterAll(() => t?.close());

describe(`cases on ${ENGINE}`, () => {
  let caseId: string;
  let personId: string;

  it('answers 400 naming the field for bad input', async () => {
    personId = await person(xaA, 'Lò Văn Một');
    // No such person: the same 404 as another commune's person (issue 10).
    const r1 = await openVia(xaA, caseBody(randomUUID()));
    expect(r1.statusCode).toBe(404);
    expect(r1.json().fields[0].path).toBe('personId');
    const r2 = await openVia(xaA, caseBody(personId, { foundBy: 'airport' }));
    expect(r2.statusCode).toBe(400);
    expect(r2.json().fields[0].path).toBe('foundBy');
    const r3 = await openVia(xaA, caseBody(personId, { positiveSampleAt: '2999-01-01T00:00:00Z' }));
    expect(r3.json().fields[0].path).toBe('positiveSampleAt');
    const r4 = await openVia(xaA, caseBody(personId, { basis: 'f1_rapid_positive' }));
    expect(r4.statusCode).toBe(400);
    expect(r4.json().fields[0].path).toBe('basis');
    const r5 = await openVia(xaA, caseBody(personId, { basis: 'two_rapid_epi' }));
    expect(r5.json().message).toContain('yếu tố dịch tễ');
    expect(await t.db.query('SELECT 1 FROM cases')).toHaveLength(0);
  });

  it('opens a case once per person and replays without duplicating', async () => {
    const clientId = randomUUID();
    const r = await openVia(xaA, caseBody(personId, { clientId, onsetDate: addDays(today, -1) }));
    expect(r.statusCode, r.body).toBe(201);
    const c = r.json();
    caseId = c.id;
    expect(c).toMatchObject({
      status: 'unisolated',
      foundBy: 'community',
      responsibleCommune: { code: A },
      currentCommune: { code: A },
      person: { id: personId, fullName: 'Lò Văn Một' },
      decision: { ruleId: 'pcr-positive', ruleSetId: 'f0-2021-12-29' },
    });
    expect(c.infectiousPeriod).toMatchObject({ startDate: addDays(today, -3), basis: 'onset' });
    expect(c.decision.explanation.vi).toContain('RT-PCR');
    expect((await openVia(xaA, caseBody(personId, { clientId }))).statusCode).toBe(200);
    const again = await openVia(xaA, caseBody(personId));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: caseId, created: false });
    expect(await t.db.query('SELECT 1 FROM cases')).toHaveLength(1);
  });

  it("refuses a case for another commune's responsibility with 404 and audits it", async () => {
    const pB = await person(xaB, 'Cà Văn Bê', B);
    const r = await openVia(xaA, caseBody(pB, { responsibleCommuneCode: B }));
    expect(r.statusCode).toBe(404);
    const audit = await t.db.query(
      `SELECT 1 FROM audit_events WHERE actor_username = 'ca.xa.a' AND action = 'cases.create' AND outcome = 'denied'
         AND resource_id = $1`,
      [pB],
    );
    expect(audit).toHaveLength(1);
  });

  it('changes status: isolation ends the infectious period; hospital needs a tier; closed stays closed', async () => {
    const noTier = await t.as(xaA, 'POST', `/api/v1/cases/${caseId}/status`, {
      status: 'hospital',
    });
    expect(noTier.statusCode).toBe(400);
    expect(noTier.json().fields[0].path).toBe('hospitalTier');
    const iso = ago(30);
    const clientId = randomUUID();
    const r = await t.as(xaA, 'POST', `/api/v1/cases/${caseId}/status`, {
      status: 'hospital',
      hospitalTier: 2,
      at: iso,
      clientId,
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'hospital', hospitalTier: 2, isolatedAt: iso });
    expect(r.json().infectiousPeriod).toMatchObject({ to: iso, ongoing: false });
    expect(r.json().statusLabel.vi).toBe('Điều trị tại bệnh viện');
    await t.as(xaA, 'POST', `/api/v1/cases/${caseId}/status`, {
      status: 'hospital',
      hospitalTier: 2,
      clientId,
    });
    const events = (await t.as(xaA, 'GET', `/api/v1/cases/${caseId}`)).json().events;
    expect(events.map((e: Json) => e.kind).sort()).toEqual(['opened', 'status']);
  });

  it('transfers the person to another commune, which then sees the case and is told', async () => {
    expect((await t.as(xaB, 'GET', `/api/v1/cases/${caseId}`)).statusCode).toBe(404);
    const r = await t.as(xaA, 'POST', `/api/v1/cases/${caseId}/transfer`, {
      toCommuneCode: B,
      note: 'Về nhà bố mẹ',
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      responsibleCommune: { code: A },
      currentCommune: { code: B },
    });
    expect((await t.as(xaB, 'GET', `/api/v1/cases/${caseId}`)).statusCode).toBe(200);
    const list = (await t.as(xaB, 'GET', '/api/v1/cases?status=open')).json();
    expect(list.items.map((c: Json) => c.id)).toEqual([caseId]);
    const n = (await t.as(xaB, 'GET', '/api/v1/notices?unread=true')).json();
    expect(n.items[0]).toMatchObject({ kind: 'case.transfer', ref: { type: 'case', id: caseId } });
    expect(n.unread).toBe(1);
    const read = await t.as(xaB, 'POST', `/api/v1/notices/${n.items[0].id}/read`);
    expect(read.statusCode).toBe(200);
    expect((await t.as(xaB, 'GET', '/api/v1/notices?unread=true')).json().unread).toBe(0);
    // commune A's notices are not B's
    const aNotices = (await t.as(xaA, 'GET', '/api/v1/notices')).json();
    expect(aNotices.items.map((x: Json) => x.kind)).toEqual(['case.new']);
    expect(
      (await t.as(xaB, 'POST', `/api/v1/notices/${aNotices.items[0].id}/read`)).statusCode,
    ).toBe(404);
    await t.as(xaA, 'POST', `/api/v1/cases/${caseId}/status`, { status: 'recovered' });
    const closed = await t.as(xaA, 'POST', `/api/v1/cases/${caseId}/status`, {
      status: 'facility',
    });
    expect(closed.statusCode).toBe(400);
    expect(closed.json().fields[0].path).toBe('status');
  });

  it('lists cases with keyset paging and filters', async () => {
    for (const n of ['Hai', 'Ba', 'Bốn']) {
      const p = await person(xaA, `Lò Văn ${n}`);
      expect(
        (await openVia(xaA, caseBody(p, { positiveSampleAt: ago(100 + n.length) }))).statusCode,
      ).toBe(201);
    }
    const p1 = (await t.as(xaA, 'GET', '/api/v1/cases?limit=2')).json();
    expect(p1.items).toHaveLength(2);
    const p2 = (await t.as(xaA, 'GET', `/api/v1/cases?limit=2&cursor=${p1.nextCursor}`)).json();
    expect(p2.items).toHaveLength(2);
    expect(p2.nextCursor).toBeNull();
    const all = [...p1.items, ...p2.items].map((c: Json) => c.id);
    expect(new Set(all).size).toBe(4);
    expect((await t.as(xaA, 'GET', '/api/v1/cases?status=recovered')).json().items).toHaveLength(1);
    expect((await t.as(xaA, 'GET', '/api/v1/cases?status=open')).json().items).toHaveLength(3);
    expect((await t.as(xaA, 'GET', '/api/v1/cases?cursor=bad')).statusCode).toBe(400);
    expect((await t.as(huyen, 'GET', '/api/v1/cases')).json().items).toHaveLength(4);
  });
});

describe(`tracing on ${ENGINE}`, () => {
  let f0: string;
  let f0Person: string;
  let friend: string;
  let venue: Json;

  it('takes interview contacts as evidence', async () => {
    f0Person = await person(xaA, 'Quàng Văn Năm');
    friend = await person(xaA, 'Quàng Thị Sáu');
    const r = await openVia(xaA, caseBody(f0Person));
    f0 = r.json().id;
    const bad = await t.as(xaA, 'POST', `/api/v1/cases/${f0}/interview-contacts`, {
      personId: friend,
      at: ago(120),
      minutes: 0,
      masked: true,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('minutes');
    const self = await t.as(xaA, 'POST', `/api/v1/cases/${f0}/interview-contacts`, {
      personId: f0Person,
      at: ago(120),
      minutes: 5,
      masked: true,
    });
    expect(self.json().fields[0].path).toBe('personId');
    const clientId = randomUUID();
    const ok = await t.as(xaA, 'POST', `/api/v1/cases/${f0}/interview-contacts`, {
      clientId,
      personId: friend,
      at: ago(120),
      minutes: 5,
      masked: true,
      physical: true,
      place: 'Nhà văn hóa tổ 3',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(
      (
        await t.as(xaA, 'POST', `/api/v1/cases/${f0}/interview-contacts`, {
          clientId,
          personId: friend,
          at: ago(120),
          minutes: 5,
          masked: true,
        })
      ).statusCode,
    ).toBe(200);
    const c = (await t.as(xaA, 'GET', `/api/v1/cases/${f0}/contacts?depth=1`)).json();
    expect(c.f1).toHaveLength(1);
    expect(c.f1[0]).toMatchObject({ person: { id: friend }, sources: ['interview'], label: 'F1' });
    expect(c.f1[0].evidence[0].explanation.vi).toContain('tiếp xúc trực tiếp');
    expect(c.f1[0].evidence[0].place).toBe('Nhà văn hóa tổ 3');
  });

  it('registers venues with an unguessable QR; the public check-in reveals nothing', async () => {
    const bad = await t.as(xaA, 'POST', '/api/v1/venues', {
      name: 'X',
      kind: 'zoo',
      communeCode: A,
    });
    expect(bad.statusCode).toBe(400);
    const outside = await t.as(xaA, 'POST', '/api/v1/venues', {
      name: 'Chợ xã B',
      kind: 'market',
      communeCode: B,
    });
    expect(outside.statusCode).toBe(404);
    const clientId = randomUUID();
    const r = await t.as(xaA, 'POST', '/api/v1/venues', {
      clientId,
      name: 'Siêu thị Điện Biên',
      kind: 'shop',
      communeCode: A,
    });
    expect(r.statusCode, r.body).toBe(201);
    venue = r.json();
    expect(venue.qr.token.length).toBeGreaterThanOrEqual(24);
    expect(
      (
        await t.as(xaA, 'POST', '/api/v1/venues', {
          clientId,
          name: 'Siêu thị Điện Biên',
          kind: 'shop',
          communeCode: A,
        })
      ).json().id,
    ).toBe(venue.id);
    const dup = await t.as(xaA, 'POST', '/api/v1/venues', {
      name: 'siêu thị điện biên',
      kind: 'shop',
      communeCode: A,
    });
    expect(dup.statusCode).toBe(409);
    const detail = (await t.as(xaA, 'GET', `/api/v1/venues/${venue.id}`)).json();
    expect(detail.qrSvg).toContain('<svg');
    expect((await t.as(xaB, 'GET', `/api/v1/venues/${venue.id}`)).statusCode).toBe(404);
    expect(
      (await t.as(xaA, 'GET', '/api/v1/venues')).json().items.map((v: Json) => v.name),
    ).toEqual(['Siêu thị Điện Biên']);

    const decl = await t.as(null, 'POST', '/api/v1/declarations', {
      person: {
        fullName: 'Điêu Văn Quét',
        birthYear: 1990,
        sex: 'male',
        idType: 'cccd',
        idNumber: '001090099999',
        communeCode: A,
      },
      travel: { mode: 'personal_vehicle', fromProvinceCode: '01', toCommuneCode: A, date: today },
      visitedProvinces: [],
      symptoms: [],
      exposure: { caseContact: false, fromOutbreakArea: false, symptomaticContact: false },
      consent: true,
    });
    expect(decl.statusCode, decl.body).toBe(201);
    const code = decl.json().code;
    const wrongToken = await t.as(null, 'POST', `/api/v1/venues/${venue.id}/checkins`, {
      token: 'x'.repeat(24),
      declarationCode: code,
      direction: 'in',
    });
    const wrongCode = await t.as(null, 'POST', `/api/v1/venues/${venue.id}/checkins`, {
      token: venue.qr.token,
      declarationCode: 'ZZZZZZZZ',
      direction: 'in',
    });
    const noVenue = await t.as(null, 'POST', `/api/v1/venues/${randomUUID()}/checkins`, {
      token: venue.qr.token,
      declarationCode: code,
      direction: 'in',
    });
    for (const x of [wrongToken, wrongCode, noVenue]) {
      expect(x.statusCode).toBe(400);
      expect(x.json().message).toBe('Mã QR địa điểm hoặc mã khai báo không hợp lệ');
    }
    const anonPerson = await t.as(null, 'POST', `/api/v1/venues/${venue.id}/checkins`, {
      token: venue.qr.token,
      personId: friend,
      direction: 'in',
    });
    expect(anonPerson.statusCode).toBe(400);
    const ok = await t.as(null, 'POST', `/api/v1/venues/${venue.id}/checkins`, {
      token: venue.qr.token,
      declarationCode: code,
      direction: 'in',
      at: ago(100),
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.body).not.toContain('Điêu Văn Quét');
    // staff of the area check people in by person id (no token)
    const staff = await t.as(xaA, 'POST', `/api/v1/venues/${venue.id}/checkins`, {
      personId: f0Person,
      direction: 'in',
      at: ago(90),
    });
    expect(staff.statusCode, staff.body).toBe(201);
    await t.as(xaA, 'POST', `/api/v1/venues/${venue.id}/checkins`, {
      personId: f0Person,
      direction: 'out',
      at: ago(60),
    });
    const c = (await t.as(xaA, 'GET', `/api/v1/cases/${f0}/contacts?depth=1`)).json();
    const shopper = c.f1.find((x: Json) => x.person.fullName === 'Điêu Văn Quét');
    // assumed 30-minute stay for a shop from 100 min ago; the F0 came at 90: 20 minutes together
    expect(shopper.evidence[0]).toMatchObject({
      source: 'venue',
      minutes: 20,
      place: 'Siêu thị Điện Biên',
    });
  });

  it('confirms, assigns and follows an F1 on the board; audits and scopes it', async () => {
    const c = (await t.as(xaA, 'GET', `/api/v1/cases/${f0}/contacts?depth=1`)).json();
    const k = c.f1.find((x: Json) => x.person.id === friend);
    const conf = await t.as(xaA, 'POST', `/api/v1/contacts/${k.id}/confirm`, {});
    expect(conf.statusCode, conf.body).toBe(201);
    const order = conf.json().quarantineOrder;
    // the rule set in force today (CV 1909/BYT-DP, 15/04/2022): F1 not quarantined
    expect(order).toMatchObject({
      kind: 'self_monitoring',
      rulesetId: 'f1-cv1909-2022-04-15',
      quarantineEnds: null,
    });
    const orders = (await t.as(xaA, 'GET', '/api/v1/quarantine-orders')).json();
    expect(orders.items.map((o: Json) => o.id)).toEqual([order.id]);
    const ofCase = `/api/v1/quarantine-orders?status=all&case=${f0}`;
    expect((await t.as(xaA, 'GET', ofCase)).json().items.map((o: Json) => o.id)).toEqual([
      order.id,
    ]);
    const ofOther = `/api/v1/quarantine-orders?status=all&case=${randomUUID()}`;
    expect((await t.as(xaA, 'GET', ofOther)).json().items).toEqual([]);
    const wrong = await t.as(xaA, 'POST', `/api/v1/tracing/tasks/${order.id}/assign`, {
      userId: xaBId,
    });
    // A user of another commune answers like a missing one (issue 10).
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().fields[0].path).toBe('userId');
    const as = await t.as(xaA, 'POST', `/api/v1/tracing/tasks/${order.id}/assign`, {
      userId: xaA2Id,
      team: 'Tổ COVID cộng đồng tổ 3',
    });
    expect(as.statusCode, as.body).toBe(200);
    expect(as.json()).toMatchObject({
      assignedTo: { userId: xaA2Id, fullName: 'Cán bộ ca.xa.a2' },
      assignedTeam: 'Tổ COVID cộng đồng tổ 3',
    });
    const mine = (await t.as(xaA2, 'GET', '/api/v1/tracing/board?assigned=me')).json();
    expect(mine.items.map((o: Json) => o.id)).toEqual([order.id]);
    expect(mine.counts.toReach).toBe(1);
    const ev = await t.as(xaA2, 'POST', `/api/v1/tracing/tasks/${order.id}/events`, {
      kind: 'reached',
    });
    expect(ev.json().stage).toBe('reached');
    expect(
      (await t.as(xaB, 'POST', `/api/v1/tracing/tasks/${order.id}/events`, { kind: 'reached' }))
        .statusCode,
    ).toBe(404);
    const board = (await t.as(xaA, 'GET', `/api/v1/tracing/board?commune=${A}`)).json();
    expect(board.counts).toMatchObject({ toReach: 0, reached: 1, open: 1 });
    expect((await t.as(xaB, 'GET', `/api/v1/tracing/board`)).json().items).toEqual([]);
    // the contract: a confirmed F1 within 14 days, an epidemiological link
    const s = await contactStatus(t.db, friend, today);
    expect(s).toEqual({ confirmedF1: true, contactId: k.id, sourceCaseId: f0 });
    expect((await contactStatus(t.db, friend, addDays(today, 15))).confirmedF1).toBe(false);
    const l = await epiLink(t.db, friend, today);
    expect(l.linked).toBe(true);
    expect(l.reason!.vi).toContain('F1 đã xác nhận');
  });
});

describe(`lockdown areas and the contract on ${ENGINE}`, () => {
  it('declares a lockdown and lists who lives there; living there is an epidemiological link', async () => {
    const village = await t.as(xaA, 'POST', '/api/v1/villages', {
      communeCode: A,
      name: 'Bản Phong Tỏa',
      kind: 'ban',
    });
    const vid = village.json().id;
    const inside = await person(xaA, 'Lường Văn Trong', A, {
      address: { communeCode: A, villageId: vid },
    });
    const outsider = await person(xaA, 'Lường Văn Ngoài');
    const bad = await t.as(xaA, 'POST', '/api/v1/lockdowns', { name: 'Trống', startDate: today });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('unitCodes');
    const notMine = await t.as(xaA, 'POST', '/api/v1/lockdowns', {
      name: 'Xã B',
      unitCodes: [B],
      startDate: today,
    });
    expect(notMine.statusCode).toBe(404);
    const r = await t.as(xaA, 'POST', '/api/v1/lockdowns', {
      name: 'Phong tỏa bản Phong Tỏa',
      villageIds: [vid],
      startDate: addDays(today, -1),
      endDate: addDays(today, 13),
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().active).toBe(true);
    const res = (await t.as(xaA, 'GET', `/api/v1/lockdowns/${r.json().id}/residents`)).json();
    expect(res.items.map((p: Json) => p.id)).toEqual([inside]);
    expect(
      (await t.as(xaA, 'GET', '/api/v1/lockdowns?active=true')).json().items[0].residents,
    ).toBe(1);
    expect((await t.as(xaB, 'GET', `/api/v1/lockdowns/${r.json().id}/residents`)).statusCode).toBe(
      404,
    );
    expect((await epiLink(t.db, inside, today)).reason!.vi).toContain('phong tỏa');
    expect(await epiLink(t.db, outsider, today)).toEqual({ linked: false, reason: null });
    expect((await epiLink(t.db, inside, addDays(today, 14))).linked).toBe(false);
    // two rapid tests with the link: accepted as an F0
    const c = await openVia(xaA, caseBody(inside, { basis: 'two_rapid_epi' }));
    expect(c.statusCode, c.body).toBe(201);
    expect(c.json().decision.explanation.vi).toContain('phong tỏa');
    // a household member of an open case is linked too
    const hh = await t.as(xaA, 'POST', '/api/v1/households', {
      villageId: vid,
      headPersonId: inside,
    });
    expect(hh.statusCode, hh.body).toBe(201);
    const wife = await person(xaA, 'Lò Thị Vợ Trong', A, {
      address: { communeCode: A, villageId: vid },
      sex: 'female',
    });
    await t.as(xaA, 'POST', `/api/v1/households/${hh.json().id}/members`, {
      personId: wife,
      relation: 'spouse',
    });
    await t.db.query('UPDATE lockdowns SET end_date = start_date');
    expect((await epiLink(t.db, wife, today)).reason!.vi).toContain('hộ gia đình');
  });

  it('openCase is idempotent per person and tells the commune', async () => {
    const p = await person(xaA, 'Tòng Văn Hợp Đồng');
    const input = {
      personId: p,
      positiveSampleAt: ago(10),
      foundBy: 'screening' as const,
      decision: {
        ruleSetId: 'f0-test',
        ruleId: 'pcr',
        explanation: { vi: 'PCR dương tính', en: 'PCR positive' },
      },
      source: { kind: 'test_result' as const, id: randomUUID() },
    };
    const first = await t.db.tx((q) => openCase(q, input, null));
    expect(first).toMatchObject({ created: true, communeCode: A });
    const second = await t.db.tx((q) => openCase(q, input, null));
    expect(second).toEqual({ id: first.id, created: false, communeCode: A });
    const n = await t.db.query(`SELECT 1 FROM notices WHERE ref_id = $1 AND kind = 'case.new'`, [
      first.id,
    ]);
    expect(n).toHaveLength(1);
  });
});

// Last, so its cases do not change the counts the lists above expect.
describe(`notices by village on ${ENGINE}`, () => {
  it('shows a village team only the notices about its own village (issue 10 item 10)', async () => {
    const village = async (name: string) => {
      const r = await t.as(xaA, 'POST', '/api/v1/villages', { communeCode: A, name, kind: 'thon' });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as string;
    };
    const mine = await village('Thôn Thông Báo Một');
    const other = await village('Thôn Thông Báo Hai');
    const r = await t.as(admin, 'POST', '/api/v1/users', {
      username: 'ca.thon.mot',
      fullName: 'Tổ cộng đồng thôn Một',
      password: 'password-123',
      role: 'community_team',
      jurisdiction: { level: 'village', villageId: mine },
    });
    expect(r.statusCode, r.body).toBe(201);
    const team = await t.login('ca.thon.mot', 'password-123');
    const here = await person(xaA, 'Hoàng Văn Trong Thôn', A, {
      address: { communeCode: A, villageId: mine },
    });
    const there = await person(xaA, 'Hoàng Thị Thôn Khác', A, {
      address: { communeCode: A, villageId: other },
    });
    const hereCase = (await openVia(xaA, caseBody(here))).json().id as string;
    const thereCase = (await openVia(xaA, caseBody(there))).json().id as string;
    const seen = (await t.as(team, 'GET', '/api/v1/notices?limit=500')).json();
    const refs = seen.items.map((n: Json) => n.ref.id);
    expect(refs).toContain(hereCase);
    expect(refs).not.toContain(thereCase);
    expect(JSON.stringify(seen)).not.toContain('Hoàng Thị Thôn Khác');
    // the commune's staff still read both
    const commune = (await t.as(xaA, 'GET', '/api/v1/notices?limit=500')).json();
    expect(commune.items.map((n: Json) => n.ref.id)).toEqual(
      expect.arrayContaining([hereCase, thereCase]),
    );
    // and the other village's notice cannot be marked read by the team: 404 like a missing one
    const foreign = commune.items.find((n: Json) => n.ref.id === thereCase);
    expect((await t.as(team, 'POST', `/api/v1/notices/${foreign.id}/read`)).statusCode).toBe(404);
  });
});
