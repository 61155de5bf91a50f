import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dateOfInstant } from '../../src/domain/dates.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * A small outbreak built through the API: a household, a coach trip through a checkpoint, a hotel
 * (lodging entries), a market and a factory shift (venue QR check-ins). One F0 is opened; the
 * F1 and F2 sets and their evidence must come out exactly; an F1 quarantined before its second
 * contact passes on no F2 from it; the F1 who tests positive becomes an F0 linked to the source;
 * the cluster graph and the person chain show the chain; another commune sees none of it.
 */
const A = '03136'; // Phường Mường Thanh, TP Điện Biên Phủ
const B = '03331'; // Xã Thanh Hưng, huyện Điện Biên
const T = Date.now();
const ago = (h: number, m = 0) => new Date(T - (h * 60 + m) * 60_000).toISOString();
const today = dateOfInstant(T);

let t: TestApp;
let admin: string;
let xaA: string;
let xaB: string;
let chot: string;
let hotel: string;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let idSeq = 100;
/** A public health declaration for someone living in `commune`; returns code and person id. */
async function declare(fullName: string, commune = A) {
  const idNumber = `0010900${String(idSeq++).padStart(5, '0')}`;
  const r = await t.as(null, 'POST', '/api/v1/declarations', {
    person: {
      fullName,
      birthYear: 1990,
      sex: 'male',
      idType: 'cccd',
      idNumber,
      communeCode: commune,
    },
    travel: { mode: 'coach', fromProvinceCode: '01', toCommuneCode: commune, date: today },
    visitedProvinces: ['01'],
    symptoms: [],
    exposure: { caseContact: false, fromOutbreakArea: false, symptomaticContact: false },
    vaccination: { doses: 0 },
    consent: true,
  });
  expect(r.statusCode, r.body).toBe(201);
  const code = r.json().code as string;
  const p = await t.db.query<{ person_id: string }>(
    'SELECT person_id FROM declarations WHERE code = $1',
    [code],
  );
  return { code, personId: p[0]!.person_id, fullName };
}

const people: Record<string, { code?: string; personId: string; fullName: string }> = {};

async function entry(who: string, cookie: string, at: string, extra: Json = {}) {
  const r = await t.as(cookie, 'POST', '/api/v1/entries', {
    clientId: randomUUID(),
    direction: 'in',
    declarationCode: people[who]!.code,
    at,
    ...extra,
  });
  expect(r.statusCode, r.body).toBe(201);
}
async function checkout(who: string, at: string) {
  const r = await t.as(hotel, 'POST', '/api/v1/entries', {
    clientId: randomUUID(),
    direction: 'out',
    personId: people[who]!.personId,
    at,
  });
  expect(r.statusCode, r.body).toBe(201);
}
async function scan(venue: Json, who: string, direction: 'in' | 'out', at: string, area?: string) {
  const r = await t.as(null, 'POST', `/api/v1/venues/${venue.id}/checkins`, {
    token: venue.qr.token,
    declarationCode: people[who]!.code,
    direction,
    at,
    clientId: randomUUID(),
    ...(area ? { area } : {}),
  });
  expect(r.statusCode, r.body).toBe(201);
  expect(r.body).not.toContain(people[who]!.fullName);
}

let f0Case: Json;
let contacts: { f1: Json[]; f2: Json[] };
const names = (list: Json[]) => list.map((c) => c.person.fullName).sort();
const byName = (list: Json[], n: string) => list.find((c) => c.person.fullName === n)!;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin');
  const mkSite = async (kind: string, name: string) => {
    const r = await t.as(admin, 'POST', '/api/v1/sites', { kind, name, communeCode: A });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  const mk = (username: string, role: string, jurisdiction: Json) =>
    t.staff(username, role, jurisdiction);
  const checkpoint = await mkSite('checkpoint', 'Chốt Km 45 (kịch bản)');
  const lodging = await mkSite('lodging', 'Khách sạn Mường Thanh (kịch bản)');
  xaA = await mk('kb.xa.a', 'commune_health', { level: 'commune', unitCode: A });
  xaB = await mk('kb.xa.b', 'commune_health', { level: 'commune', unitCode: B });
  chot = await mk('kb.chot', 'checkpoint_officer', { level: 'site', siteId: checkpoint });
  hotel = await mk('kb.ks', 'lodging_operator', { level: 'site', siteId: lodging });

  for (const n of [
    'F0 Lò Văn Bình',
    'P1 Quàng Văn Xe',
    'P2 Lường Thị Ghế',
    'P3 Cà Văn Hàng',
    'P4 Tòng Văn Muộn',
    'G1 Vì Văn Khách',
    'G2 Điêu Thị Sau',
    'M1 Lò Thị Chợ',
    'M2 Lù Văn Mười',
    'M3 Hoàng Thị Quên',
    'W1 Mùa A Ca',
    'W2 Sùng A Muộn',
  ])
    people[n.split(' ')[0]!] = await declare(n, n.startsWith('P3') ? B : A);

  // The F0's household: a wife and a child registered by the commune.
  const village = await t.as(xaA, 'POST', '/api/v1/villages', {
    communeCode: A,
    name: 'Tổ 9 (kịch bản)',
    kind: 'to_dan_pho',
  });
  expect(village.statusCode, village.body).toBe(201);
  const hh = await t.as(xaA, 'POST', '/api/v1/households', {
    villageId: village.json().id,
    address: 'Số 7, tổ 9',
  });
  expect(hh.statusCode, hh.body).toBe(201);
  const member = async (personId: string, relation: string) => {
    const r = await t.as(xaA, 'POST', `/api/v1/households/${hh.json().id}/members`, {
      personId,
      relation,
    });
    expect(r.statusCode, r.body).toBeLessThan(300);
  };
  await member(people.F0!.personId, 'head');
  for (const [k, n, y] of [
    ['H1', 'H1 Lò Thị Vợ', 1992],
    ['H2', 'H2 Lò Văn Con', 2015],
  ] as const) {
    const p = await t.as(xaA, 'POST', '/api/v1/persons', {
      fullName: n,
      birthYear: y,
      sex: 'female',
      address: { communeCode: A },
    });
    expect(p.statusCode, p.body).toBe(201);
    people[k] = { personId: p.json().id, fullName: n };
    await member(p.json().id, k === 'H1' ? 'spouse' : 'child');
  }

  // The coach 27B-012.34 through the checkpoint; P3 passes 5 minutes later in a car (same
  // queue); P4 40 minutes later (another queue).
  await entry('F0', chot, ago(20), { vehicle: { plate: '27B-012.34', type: 'coach' } });
  await entry('P1', chot, ago(20, -1), { vehicle: { plate: '27B-012.34', type: 'coach' } });
  await entry('P2', chot, ago(20, -3), { vehicle: { plate: '27b 012.34', type: 'coach' } });
  await entry('P3', chot, ago(20, -5), { vehicle: { plate: '24A-555.55', type: 'car' } });
  await entry('P4', chot, ago(20, -40), { vehicle: { plate: '24A-666.66', type: 'car' } });

  // The hotel: G1 stays four days (stored in pieces of 3 days) across the F0's stay; G2 arrives
  // after the F0 left, while G1 is still there.
  await entry('G1', hotel, ago(96));
  await entry('F0', hotel, ago(27));
  await checkout('F0', ago(21));
  await entry('G2', hotel, ago(15));
  await checkout('G1', ago(10));

  // The market: M1 together 15 minutes, M2 14 minutes (not F1), M3 no check-out (assumed 60 min).
  const market = await t.as(xaA, 'POST', '/api/v1/venues', {
    name: 'Chợ Mường Thanh (kịch bản)',
    kind: 'market',
    communeCode: A,
  });
  expect(market.statusCode, market.body).toBe(201);
  const m = market.json();
  expect(m.qr.payload).toBe(`EGV1:${m.id}:${m.qr.token}`);
  await scan(m, 'M3', 'in', ago(8, 30));
  await scan(m, 'F0', 'in', ago(8));
  await scan(m, 'M1', 'in', ago(7, 15));
  await scan(m, 'M2', 'in', ago(7, 14));
  await scan(m, 'F0', 'out', ago(7));
  await scan(m, 'M1', 'out', ago(6, 30));
  await scan(m, 'M2', 'out', ago(6, 30));

  // The factory, shift "Ca 1": M1 works with W1 before being quarantined; W2 works a later shift
  // with M1 after M1's quarantine began (recorded below).
  const factory = await t.as(xaA, 'POST', '/api/v1/venues', {
    name: 'Nhà máy may Hải Hà (kịch bản)',
    kind: 'factory',
    communeCode: A,
  });
  expect(factory.statusCode).toBe(201);
  const f = factory.json();
  await scan(f, 'M1', 'in', ago(5), 'Ca 1');
  await scan(f, 'W1', 'in', ago(5), 'Ca 1');
  await scan(f, 'M1', 'out', ago(3), 'Ca 1');
  await scan(f, 'W1', 'out', ago(3), 'Ca 1');
  await scan(f, 'M1', 'in', ago(1), 'Ca 3');
  await scan(f, 'W2', 'in', ago(1), 'Ca 3');
  await scan(f, 'M1', 'out', ago(0, 30), 'Ca 3');
  await scan(f, 'W2', 'out', ago(0, 30), 'Ca 3');

  // The province quarantines F1 at home (a provincial rule set, stricter than CV 1909): data only.
  await t.db.query(
    `INSERT INTO rule_sets (id, kind, name, legal_basis, valid_from, valid_to, confidence, definition)
     VALUES ('f1-dienbien-test', 'f1_quarantine', 'Cách ly F1 tại nhà 7 ngày (tỉnh, kịch bản)', $1, $2, NULL, 'sure', $3)`,
    [
      JSON.stringify({ number: 'QĐ test/UBND', date: addDays(today, -10), title: 'kịch bản' }),
      addDays(today, -10),
      JSON.stringify({
        id: 'f1-dienbien-test',
        kind: 'f1_quarantine',
        name: 'Cách ly F1 tại nhà 7 ngày',
        legalBasis: { number: 'QĐ test/UBND', date: addDays(today, -10), title: 'kịch bản' },
        validFrom: addDays(today, -10),
        validTo: null,
        overrides: true,
        confidence: 'sure',
        notes: '',
        fullyVaccinated: { doses: 2, minDays: 14, maxDays: 180 },
        recoveredWithinDays: 180,
        rules: [
          {
            id: 'all',
            kind: 'home',
            quarantineDays: 7,
            monitoringDays: 7,
            testDays: [1, 7],
            confidence: 'sure',
            notes: '',
          },
        ],
      }),
    ],
  );
});
afterAll(() => t?.close());

describe(`an outbreak traced through the API on ${ENGINE}`, () => {
  it('opens the F0 with its infectious period', async () => {
    const r = await t.as(xaA, 'POST', '/api/v1/cases', {
      clientId: randomUUID(),
      personId: people.F0!.personId,
      positiveSampleAt: ago(0, 45),
      foundBy: 'community',
      basis: 'pcr_positive',
    });
    expect(r.statusCode, r.body).toBe(201);
    f0Case = r.json();
    expect(f0Case.code).toMatch(/^F0-\d{6}$/);
    expect(f0Case.infectiousPeriod.startDate).toBe(
      addDays(dateOfInstant(Date.parse(ago(0, 45))), -2),
    );
    expect(f0Case.infectiousPeriod.ongoing).toBe(true);
    expect(f0Case.infectiousPeriod.explanation.vi).toContain('Thời kỳ lây nhiễm');
  });

  it('finds exactly the F1 and F2 with their evidence', async () => {
    const r = await t.as(xaA, 'GET', `/api/v1/cases/${f0Case.id}/contacts?depth=2`);
    expect(r.statusCode, r.body).toBe(200);
    contacts = r.json();
    expect(names(contacts.f1)).toEqual([
      'G1 Vì Văn Khách',
      'H1 Lò Thị Vợ',
      'H2 Lò Văn Con',
      'M1 Lò Thị Chợ',
      'M3 Hoàng Thị Quên',
      'P1 Quàng Văn Xe',
      'P2 Lường Thị Ghế',
      'P3 Cà Văn Hàng',
    ]);
    expect(names(contacts.f2)).toEqual([
      'G2 Điêu Thị Sau',
      'M2 Lù Văn Mười',
      'W1 Mùa A Ca',
      'W2 Sùng A Muộn',
    ]);

    const p1 = byName(contacts.f1, 'P1 Quàng Văn Xe');
    expect(p1.sources.sort()).toEqual(['checkpoint', 'vehicle']);
    const bus = p1.evidence.find((e: Json) => e.source === 'vehicle');
    expect(bus.place).toBe('27B-012.34');
    expect(bus.explanation.vi).toContain('Cùng chuyến xe');
    expect(p1.strengthLabel.level).toBe('high');
    // P2's plate was typed with a space and a lower-case letter: still the same coach
    expect(byName(contacts.f1, 'P2 Lường Thị Ghế').sources).toContain('vehicle');
    const p3 = byName(contacts.f1, 'P3 Cà Văn Hàng');
    expect(p3.sources).toEqual(['checkpoint']);
    expect(p3.strengthLabel.level).toBe('low');
    expect(p3.person.communeCode).toBe(B);

    const m1 = byName(contacts.f1, 'M1 Lò Thị Chợ');
    expect(m1.evidence).toHaveLength(1);
    expect(m1.evidence[0]).toMatchObject({
      source: 'venue',
      place: 'Chợ Mường Thanh (kịch bản)',
      minutes: 15,
    });
    expect(m1.evidence[0].from).toBe(ago(7, 15));
    expect(m1.evidence[0].to).toBe(ago(7));
    expect(byName(contacts.f1, 'M3 Hoàng Thị Quên').evidence[0].minutes).toBe(30);

    const g1 = byName(contacts.f1, 'G1 Vì Văn Khách');
    expect(g1.evidence).toHaveLength(1);
    expect(g1.evidence[0]).toMatchObject({
      source: 'lodging',
      minutes: 360,
      from: ago(27),
      to: ago(21),
    });
    const h1 = byName(contacts.f1, 'H1 Lò Thị Vợ');
    expect(h1.sources).toEqual(['household']);
    expect(h1.strength).toBeGreaterThanOrEqual(90);
    expect(h1.evidence[0].place).toBe('Số 7, tổ 9');

    // F2: M2 through M1 at the market (44 minutes), W1 through M1 on shift 1, G2 through G1
    const m2 = byName(contacts.f2, 'M2 Lù Văn Mười');
    expect(m2.via.fullName).toBe('M1 Lò Thị Chợ');
    expect(m2.evidence[0].minutes).toBe(44);
    expect(byName(contacts.f2, 'W1 Mùa A Ca')).toMatchObject({
      via: { fullName: 'M1 Lò Thị Chợ' },
      sources: ['workplace'],
    });
    expect(byName(contacts.f2, 'W1 Mùa A Ca').evidence[0].place).toBe(
      'Nhà máy may Hải Hà (kịch bản) — Ca 1',
    );
    expect(byName(contacts.f2, 'G2 Điêu Thị Sau').via.fullName).toBe('G1 Vì Văn Khách');
    expect([...contacts.f1, ...contacts.f2].every((c) => c.status === 'candidate')).toBe(true);
  });

  it('confirms an F1 with a quarantine order from the rule set in force and a task for its commune', async () => {
    const m1 = byName(contacts.f1, 'M1 Lò Thị Chợ');
    const r = await t.as(xaA, 'POST', `/api/v1/contacts/${m1.id}/confirm`, {
      reason: 'Xác minh qua điện thoại',
    });
    expect(r.statusCode, r.body).toBe(201);
    const c = r.json();
    expect(c.status).toBe('confirmed');
    expect(c.quarantineOrder).toMatchObject({
      kind: 'home',
      rulesetId: 'f1-dienbien-test',
      stage: 'to_reach',
    });
    expect(c.quarantineOrder.testDates).toHaveLength(2);
    expect(c.quarantineOrder.explanation.vi).toContain('chưa tiêm đủ theo tờ khai y tế');
    const again = await t.as(xaA, 'POST', `/api/v1/contacts/${m1.id}/confirm`, {});
    expect(again.statusCode).toBe(200);
    const board = (await t.as(xaA, 'GET', `/api/v1/tracing/board?commune=${A}`)).json();
    expect(board.counts.toReach).toBe(1);
    expect(board.items[0].person.fullName).toBe('M1 Lò Thị Chợ');
    const notices = (await t.as(xaA, 'GET', '/api/v1/notices')).json();
    expect(notices.items.map((n: Json) => n.kind)).toEqual(
      expect.arrayContaining(['case.new', 'contact.f1']),
    );

    // M1 is reached and quarantined 2 hours ago: the later shift with W2 no longer counts
    const order = c.quarantineOrder.id;
    expect(
      (
        await t.as(xaA, 'POST', `/api/v1/tracing/tasks/${order}/events`, {
          kind: 'reached',
          at: ago(2, 30),
        })
      ).statusCode,
    ).toBe(201);
    const q = await t.as(xaA, 'POST', `/api/v1/tracing/tasks/${order}/events`, {
      kind: 'quarantined',
      at: ago(2),
    });
    expect(q.json().stage).toBe('quarantined');
    const after = (await t.as(xaA, 'GET', `/api/v1/cases/${f0Case.id}/contacts?depth=2`)).json();
    expect(names(after.f2)).toEqual(['G2 Điêu Thị Sau', 'M2 Lù Văn Mười', 'W1 Mùa A Ca']);
  });

  it('rejects a candidate with the reason kept', async () => {
    const p3 = byName(contacts.f1, 'P3 Cà Văn Hàng');
    const bad = await t.as(xaA, 'POST', `/api/v1/contacts/${p3.id}/reject`, {});
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('reason');
    const r = await t.as(xaA, 'POST', `/api/v1/contacts/${p3.id}/reject`, {
      reason: 'Đi ô tô riêng, không xuống xe',
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      status: 'rejected',
      decision: { reason: 'Đi ô tô riêng, không xuống xe' },
    });
  });

  let m1Case: Json;
  it("makes the F1's positive test an F0 linked to the source, in a cluster with a graph", async () => {
    const r = await t.as(xaA, 'POST', '/api/v1/cases', {
      personId: people.M1!.personId,
      positiveSampleAt: ago(0, 10),
      foundBy: 'quarantine',
      basis: 'f1_rapid_positive',
    });
    expect(r.statusCode, r.body).toBe(201);
    m1Case = r.json();
    expect(m1Case.sourceCase).toEqual({ id: f0Case.id, code: f0Case.code });
    expect(m1Case.isolatedAt).toBe(ago(2));
    expect(m1Case.status).toBe('home_isolation');
    const cl = await t.as(xaA, 'POST', '/api/v1/clusters', {
      name: 'Ổ dịch chợ Mường Thanh (kịch bản)',
      place: 'Chợ Mường Thanh',
      communeCode: A,
      startDate: today,
      caseIds: [f0Case.id, m1Case.id],
    });
    expect(cl.statusCode, cl.body).toBe(201);
    const g = (await t.as(xaA, 'GET', `/api/v1/clusters/${cl.json().id}/graph`)).json();
    const node = (pid: string) => g.nodes.find((n: Json) => n.personId === pid);
    expect(node(people.F0!.personId).role).toBe('F0');
    expect(node(people.M1!.personId)).toMatchObject({ role: 'F0', caseId: m1Case.id });
    expect(node(people.W1!.personId).role).toBe('F2');
    expect(g.edges).toContainEqual(
      expect.objectContaining({
        from: people.F0!.personId,
        to: people.M1!.personId,
        kind: 'transmission',
        sources: ['venue'],
      }),
    );
    expect(g.edges).toContainEqual(
      expect.objectContaining({
        from: people.M1!.personId,
        to: people.W1!.personId,
        kind: 'contact',
        degree: 2,
      }),
    );
    // P3 was rejected: not in the graph
    expect(node(people.P3!.personId)).toBeUndefined();
    const detail = (await t.as(xaA, 'GET', `/api/v1/clusters/${cl.json().id}`)).json();
    expect(detail.countsByDay.at(-1).cumulative).toBe(2);

    const chain = (await t.as(xaA, 'GET', `/api/v1/persons/${people.W1!.personId}/chain`)).json();
    expect(chain.nodes.map((n: Json) => n.personId)).toEqual(
      expect.arrayContaining([people.F0!.personId, people.M1!.personId, people.W1!.personId]),
    );
  });

  it('shows another commune nothing of it, and audits the attempts', async () => {
    const m1 = byName(contacts.f1, 'M1 Lò Thị Chợ');
    const h1 = byName(contacts.f1, 'H1 Lò Thị Vợ');
    expect((await t.as(xaB, 'GET', `/api/v1/cases/${f0Case.id}`)).statusCode).toBe(404);
    expect((await t.as(xaB, 'GET', `/api/v1/cases/${f0Case.id}/contacts`)).statusCode).toBe(404);
    expect((await t.as(xaB, 'GET', `/api/v1/contacts/${h1.id}`)).statusCode).toBe(404);
    expect(
      (await t.as(xaB, 'POST', `/api/v1/contacts/${m1.id}/reject`, { reason: 'không phải' }))
        .statusCode,
    ).toBe(404);
    const clusters = (await t.as(xaA, 'GET', '/api/v1/clusters')).json();
    expect(
      (await t.as(xaB, 'GET', `/api/v1/clusters/${clusters.items[0].id}/graph`)).statusCode,
    ).toBe(404);
    expect((await t.as(xaB, 'GET', '/api/v1/cases')).json().items).toEqual([]);
    const denied = await t.db.query<{ resource_type: string }>(
      `SELECT resource_type FROM audit_events WHERE actor_username = 'kb.xa.b' AND outcome = 'denied'`,
    );
    expect(denied.map((d) => d.resource_type).sort()).toEqual([
      'case',
      'case',
      'cluster',
      'contact',
      'contact',
    ]);
    // …but commune B sees its own resident P3 as a contact (the commune that reaches them)
    const p3 = byName(contacts.f1, 'P3 Cà Văn Hàng');
    expect((await t.as(xaB, 'GET', `/api/v1/contacts/${p3.id}`)).statusCode).toBe(200);
  });
});
