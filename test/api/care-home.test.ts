import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startOfDayInstant } from '../../src/domain/dates.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Issue 11 item 4: an F1 quarantine order that says "home" is the commune/village team's daily
 * checklist, on the same follow-up list as arrivals at home. In March 2022 (CV 873) every F1 is
 * quarantined at home 7 days: exposed on 01/03, the order made on 03/03, checks are due from
 * 03/03 to 07/03 (the test on day 7). A day without a check is missed; symptoms order a test and
 * open an alert; a replayed check is not counted twice; another commune's user gets 404, audited.
 */
const A = '03136'; // Phường Mường Thanh, TP Điện Biên Phủ
const B = '03331'; // Xã Thanh Hưng, huyện Điện Biên
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let t: TestApp;
let xa: string;
let xaB: string;
let order: Json;
let followUp: Json;
let caseId: string;

/** 09:00 in Vietnam on `date`, as the clock of the server (Date only). */
const at = (date: string) =>
  vi.useFakeTimers({ toFake: ['Date'], now: startOfDayInstant(date) + 9 * 3600_000 });
async function ok(cookie: string, method: string, url: string, body?: unknown, status = 200) {
  const r = await t.as(cookie, method, url, body);
  expect(r.statusCode, r.body).toBe(status);
  return r.json() as Json;
}
const list = async (due: string, date: string) =>
  (await ok(xa, 'GET', `/api/v1/follow-ups?due=${due}&date=${date}`)).items as Json[];

beforeAll(async () => {
  t = await startTestApp();
  xa = await t.staff('home.xa', 'commune_health', { level: 'commune', unitCode: A });
  xaB = await t.staff('home.xa.b', 'commune_health', { level: 'commune', unitCode: B });
  at('2022-03-03');
  const person = async (fullName: string) =>
    (
      await ok(
        xa,
        'POST',
        '/api/v1/persons',
        { fullName, birthYear: 1985, sex: 'male', address: { communeCode: A } },
        201,
      )
    ).id as string;
  const f0 = await person('Lò Văn Nguồn');
  const f1 = await person('Lò Văn Tại Nhà');
  const c = await ok(
    xa,
    'POST',
    '/api/v1/cases',
    {
      personId: f0,
      positiveSampleAt: '2022-03-02T08:00:00+07:00',
      foundBy: 'community',
      basis: 'pcr_positive',
    },
    201,
  );
  await ok(
    xa,
    'POST',
    `/api/v1/cases/${c.id}/interview-contacts`,
    { personId: f1, at: '2022-03-01T18:00:00+07:00', minutes: 60, masked: false },
    201,
  );
  caseId = c.id;
  const k = (await ok(xa, 'GET', `/api/v1/cases/${c.id}/contacts`)).f1[0];
  order = (await ok(xa, 'POST', `/api/v1/contacts/${k.id}/confirm`, {}, 201)).quarantineOrder;
  vi.useRealTimers();
});
afterEach(() => vi.useRealTimers());
afterAll(() => t?.close());

describe(`home quarantine checklist on ${ENGINE}`, () => {
  it('a home order is on the follow-up list, due a check today', async () => {
    expect(order.kind).toBe('home');
    const due = await list('today', '2022-03-03');
    followUp = due.find((f) => f.quarantineOrderId === order.id)!;
    expect(followUp).toMatchObject({
      entryId: null,
      action: 'home_quarantine',
      startDate: '2022-03-01',
      quarantineEnds: '2022-03-07',
      testDates: ['2022-03-07'],
      nextDue: '2022-03-03',
      dueToday: true,
      person: { fullName: 'Lò Văn Tại Nhà' },
    });
    expect(followUp.explanation.vi).toContain('tại nhà');
  });

  it('a check today makes tomorrow due; a day without one shows as missed', async () => {
    at('2022-03-03');
    const r = await ok(
      xa,
      'POST',
      `/api/v1/follow-ups/${followUp.id}/events`,
      { kind: 'daily_check', clientId: randomUUID(), temperature: 36.6, symptoms: [] },
      201,
    );
    expect(r.nextDue).toBe('2022-03-04');
    vi.useRealTimers();
    expect((await list('today', '2022-03-03')).map((f) => f.id)).not.toContain(followUp.id);
    expect((await list('today', '2022-03-04')).map((f) => f.id)).toContain(followUp.id);
    const missed = (await list('overdue', '2022-03-05')).find((f) => f.id === followUp.id);
    expect(missed).toMatchObject({ overdue: true, nextDue: '2022-03-04' });
  });

  it('symptoms at a check order a test and raise an alert, once when replayed', async () => {
    at('2022-03-05');
    const clientId = randomUUID();
    const body = { kind: 'daily_check', clientId, temperature: 38.4, symptoms: ['fever', 'cough'] };
    const first = await ok(xa, 'POST', `/api/v1/follow-ups/${followUp.id}/events`, body, 201);
    expect(first.nextDue).toBe('2022-03-06');
    const again = await ok(xa, 'POST', `/api/v1/follow-ups/${followUp.id}/events`, body, 200);
    expect(again.nextDue).toBe('2022-03-06');
    vi.useRealTimers();
    const counts = (
      await t.db.query<{ events: number; orders: number; alerts: number }>(
        `SELECT (SELECT count(*)::int FROM follow_up_events WHERE follow_up_id = $1 AND kind = 'daily_check') AS events,
                (SELECT count(*)::int FROM test_orders WHERE person_id = $2 AND reason = 'follow_up') AS orders,
                (SELECT count(*)::int FROM care_alerts WHERE follow_up_id = $1) AS alerts`,
        [followUp.id, order.personId ?? followUp.person.id],
      )
    )[0]!;
    expect(counts).toEqual({ events: 2, orders: 1, alerts: 1 });
    const alerts = await ok(xa, 'GET', `/api/v1/alerts?unit=${A}`);
    const alert = alerts.items.find((a: Json) => a.kind === 'home_check_symptoms');
    expect(alert.explanation.vi).toContain('RT-PCR');
    expect(alert.explanation.en).toContain('fever, cough');
  });

  it("is 404 to another commune's user, audited", async () => {
    expect((await t.as(xaB, 'GET', `/api/v1/follow-ups/${followUp.id}`)).statusCode).toBe(404);
    const post = await t.as(xaB, 'POST', `/api/v1/follow-ups/${followUp.id}/events`, {
      kind: 'daily_check',
      symptoms: [],
    });
    expect(post.statusCode).toBe(404);
    const denied = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE actor_username = 'home.xa.b' AND resource_id = $1 AND outcome = 'denied'`,
      [followUp.id],
    );
    expect(denied[0]!.n).toBe(2);
    const theirs = (await t.as(xaB, 'GET', '/api/v1/follow-ups?due=all')).json().items as Json[];
    expect(theirs.map((f) => f.id)).not.toContain(followUp.id);
  });

  it('closes with the order', async () => {
    await ok(
      xa,
      'POST',
      `/api/v1/tracing/tasks/${order.id}/events`,
      { kind: 'completed', clientId: randomUUID() },
      201,
    );
    const f = await ok(xa, 'GET', `/api/v1/follow-ups/${followUp.id}`);
    expect(f).toMatchObject({ status: 'completed', nextDue: null });
  });

  it('ends the home checks when the person is moved into a facility', async () => {
    // signed in on the real clock, as the others were in beforeAll
    const huyen = await t.staff('home.huyen', 'district_health', {
      level: 'district',
      unitCode: '094',
    });
    at('2022-03-03');
    const f1 = (
      await ok(
        xa,
        'POST',
        '/api/v1/persons',
        { fullName: 'Lò Thị Chuyển', birthYear: 1990, sex: 'female', address: { communeCode: A } },
        201,
      )
    ).id as string;
    const k0 = (await ok(xa, 'GET', `/api/v1/cases/${caseId}/contacts`)).f1 as Json[];
    await ok(
      xa,
      'POST',
      `/api/v1/cases/${caseId}/interview-contacts`,
      { personId: f1, at: '2022-03-01T19:00:00+07:00', minutes: 30, masked: false },
      201,
    );
    const k = ((await ok(xa, 'GET', `/api/v1/cases/${caseId}/contacts`)).f1 as Json[]).find(
      (c) => !k0.some((o) => o.id === c.id),
    )!;
    const o = (await ok(xa, 'POST', `/api/v1/contacts/${k.id}/confirm`, {}, 201)).quarantineOrder;
    const home = (await list('today', '2022-03-03')).find((f) => f.quarantineOrderId === o.id)!;
    expect(home.status).toBe('open');
    const facility = await ok(
      huyen,
      'POST',
      '/api/v1/facilities',
      {
        clientId: randomUUID(),
        kind: 'quarantine',
        name: 'Khu cách ly tập trung Trường Mầm non (test)',
        communeCode: A,
        rooms: [{ name: 'P1', ordinary: 2 }],
      },
      201,
    );
    await ok(
      huyen,
      'POST',
      '/api/v1/admissions',
      {
        clientId: randomUUID(),
        facilityId: facility.id,
        personId: f1,
        quarantineOrderId: o.id,
        admittedOn: '2022-03-03',
      },
      201,
    );
    const after = await ok(xa, 'GET', `/api/v1/follow-ups/${home.id}`);
    expect(after).toMatchObject({ status: 'moved_away', nextDue: null });
    expect((await list('today', '2022-03-04')).map((f) => f.id)).not.toContain(home.id);
  });
});
