import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * The facility manager's side of quarantine (issue 11): a manager placed at their facility sees
 * its rooms (keyset-paged), occupancy by cohort and today's tests and releases; admits an F1 the
 * district ordered into centralised quarantine from the waiting list (the order is the warrant);
 * releases early with a reason; sees only their facility in the capacity board. Another
 * facility, another person or a crafted cursor answers 404 (audited) or 400 naming the field.
 */
const A = '03136'; // Phường Mường Thanh, TP Điện Biên Phủ (district 094)
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let t: TestApp;
let huyen: string;
let huyenB: string;
let manager: string;
let facility: Json;
let otherFacility: Json;
let order: Json;
let stranger: string;

async function ok(cookie: string, method: string, url: string, body?: unknown, status = 200) {
  const r = await t.as(cookie, method, url, body);
  expect(r.statusCode, r.body).toBe(status);
  return r.json() as Json;
}
const denied = async (username: string, id: string) =>
  (
    await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE resource_id = $1 AND outcome = 'denied' AND actor_username = $2`,
      [id, username],
    )
  )[0]!.n;

beforeAll(async () => {
  t = await startTestApp();
  const mk = (username: string, role: string, jurisdiction: Json) =>
    t.staff(username, role, jurisdiction);
  huyen = await mk('mgr.huyen', 'district_health', { level: 'district', unitCode: '094' });
  huyenB = await mk('mgr.huyen.b', 'district_health', { level: 'district', unitCode: '100' });
  const xa = await mk('mgr.xa', 'commune_health', { level: 'commune', unitCode: A });
  facility = await ok(
    huyen,
    'POST',
    '/api/v1/facilities',
    {
      kind: 'quarantine',
      name: 'Khu cách ly Ký túc xá Trường Chính trị',
      communeCode: A,
      rooms: ['P101', 'P102', 'P103'].map((name) => ({ name, ordinary: 2 })),
    },
    201,
  );
  otherFacility = await ok(
    huyen,
    'POST',
    '/api/v1/facilities',
    {
      kind: 'quarantine',
      name: 'Khu cách ly Đồn Biên phòng',
      communeCode: A,
      rooms: [{ name: 'A1', ordinary: 2 }],
    },
    201,
  );
  manager = await mk('mgr.coso', 'facility_manager', { level: 'site', siteId: facility.siteId });
  // An F0 exposed a neighbour in August 2021: the rule set then sends F1 to a facility.
  const person = async (fullName: string) =>
    (
      await ok(
        xa,
        'POST',
        '/api/v1/persons',
        {
          fullName,
          birthYear: 1979,
          sex: 'female',
          address: { communeCode: A },
        },
        201,
      )
    ).id as string;
  const f0 = await person('Quàng Thị Nguồn');
  const f1 = await person('Lường Thị Tiếp Xúc');
  stranger = await person('Cà Văn Lạ');
  const c = await ok(
    xa,
    'POST',
    '/api/v1/cases',
    {
      personId: f0,
      positiveSampleAt: '2021-08-12T08:00:00+07:00',
      foundBy: 'community',
      basis: 'pcr_positive',
    },
    201,
  );
  await ok(
    xa,
    'POST',
    `/api/v1/cases/${c.id}/interview-contacts`,
    {
      personId: f1,
      at: '2021-08-10T18:00:00+07:00',
      minutes: 60,
      masked: false,
    },
    201,
  );
  const k = (await ok(xa, 'GET', `/api/v1/cases/${c.id}/contacts`)).f1[0];
  order = (await ok(xa, 'POST', `/api/v1/contacts/${k.id}/confirm`, {}, 201)).quarantineOrder;
});
afterAll(() => t?.close());

describe(`the facility manager on ${ENGINE}`, () => {
  it('sees the F1 ordered into centralised quarantine waiting, and admits them from the order', async () => {
    expect(order.kind).toBe('centralised');
    const waiting = await ok(manager, 'GET', `/api/v1/facilities/${facility.id}/waiting`);
    expect(waiting.items.map((w: Json) => w.orderId)).toEqual([order.id]);
    expect(waiting.items[0].person.fullName).toBe('Lường Thị Tiếp Xúc');
    const a = await ok(
      manager,
      'POST',
      '/api/v1/admissions',
      {
        clientId: randomUUID(),
        facilityId: facility.id,
        personId: order.personId ?? waiting.items[0].person.id,
        quarantineOrderId: order.id,
        source: 'order',
        admittedOn: '2021-08-12',
      },
      201,
    );
    expect(a.room.name).toBe('P101');
    // the audit row is written by the admission's own statement, naming the new stay
    const audited = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'admissions.create' AND resource_id = $1 AND actor_username = 'mgr.coso'`,
      [a.id],
    );
    expect(audited[0]!.n).toBe(1);
    expect(a.cohortKey).toBe(`case:${waiting.items[0].caseId}`);
    expect((await ok(manager, 'GET', `/api/v1/facilities/${facility.id}/waiting`)).items).toEqual(
      [],
    );
  });

  it('sees rooms by name, keyset-paged, occupancy by cohort and the day', async () => {
    const f = await ok(manager, 'GET', `/api/v1/facilities/${facility.id}`);
    expect(f.beds).toEqual({ total: 6, occupied: 1, free: 5 });
    expect(f.today).toMatchObject({ admitted: 1 });
    expect(f.cohorts).toHaveLength(1);
    expect(f.cohorts[0]).toMatchObject({ rooms: 1, people: 1, cohort: { kind: 'case' } });
    expect(f.cohorts[0].cohort.label).toMatch(/^F0-/);
    expect(f.rooms.map((r: Json) => [r.name, r.occupied, r.beds])).toEqual([
      ['P101', 1, 2],
      ['P102', 0, 2],
      ['P103', 0, 2],
    ]);
    const p1 = await ok(manager, 'GET', `/api/v1/facilities/${facility.id}/rooms?limit=2`);
    expect(p1.items.map((r: Json) => r.name)).toEqual(['P101', 'P102']);
    expect(p1.items[0].cohort.kind).toBe('case');
    const p2 = await ok(
      manager,
      'GET',
      `/api/v1/facilities/${facility.id}/rooms?limit=2&cursor=${p1.nextCursor}`,
    );
    expect(p2.items.map((r: Json) => r.name)).toEqual(['P103']);
    expect(p2.nextCursor).toBeNull();
    const list = await ok(manager, 'GET', `/api/v1/admissions?facility=${facility.id}`);
    expect(list.items).toHaveLength(1);
    // their F0 and alerts lists read the patients of their facility (was a 500: no site column)
    expect((await ok(manager, 'GET', '/api/v1/treatments')).items).toEqual([]);
    expect((await ok(manager, 'GET', '/api/v1/alerts')).items).toEqual([]);
  });

  it('bad input is a 400 naming the field', async () => {
    const cur = await t.as(manager, 'GET', `/api/v1/facilities/${facility.id}/rooms?cursor=xyz`);
    expect(cur.statusCode).toBe(400);
    expect(cur.json().fields[0].path).toBe('cursor');
    const lim = await t.as(manager, 'GET', `/api/v1/facilities/${facility.id}/waiting?limit=0`);
    expect(lim.statusCode).toBe(400);
    expect(lim.json().fields[0].path).toMatch(/limit$/);
    const id = await t.as(manager, 'GET', '/api/v1/facilities/not-a-uuid/rooms');
    expect(id.statusCode).toBe(400);
    expect(id.json().fields[0].path).toMatch(/id$/);
  });

  it('another facility, another district or a person outside the site: 404, audited', async () => {
    for (const url of ['', '/rooms', '/waiting']) {
      const r = await t.as(manager, 'GET', `/api/v1/facilities/${otherFacility.id}${url}`);
      expect(r.statusCode, url).toBe(404);
    }
    expect(await denied('mgr.coso', otherFacility.id)).toBe(3);
    const b = await t.as(huyenB, 'GET', `/api/v1/facilities/${facility.id}/rooms`);
    expect(b.statusCode).toBe(404);
    expect(await denied('mgr.huyen.b', facility.id)).toBe(1);
    // no order: the person is outside the manager's site
    const p = await t.as(manager, 'POST', '/api/v1/admissions', {
      facilityId: facility.id,
      personId: stranger,
    });
    expect(p.statusCode).toBe(404);
    expect(await denied('mgr.coso', stranger)).toBe(1);
    // an order is a warrant for its own person only, and only into its district's facilities
    const w = await t.as(manager, 'POST', '/api/v1/admissions', {
      facilityId: facility.id,
      personId: stranger,
      quarantineOrderId: order.id,
    });
    expect(w.statusCode).toBe(404);
    const x = await t.as(huyenB, 'GET', `/api/v1/facilities/${facility.id}/waiting`);
    expect(x.statusCode).toBe(404);
  });

  it('releases early with a reason; the counts follow; the capacity board shows their facility', async () => {
    const list = await ok(manager, 'GET', `/api/v1/admissions?facility=${facility.id}`);
    const id = list.items[0].id;
    const noReason = await t.as(manager, 'POST', `/api/v1/admissions/${id}/release`, {
      early: true,
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().fields[0].path).toBe('reason');
    const r = await ok(manager, 'POST', `/api/v1/admissions/${id}/release`, {
      early: true,
      reason: 'Chuyển về cách ly tại nhà theo quyết định của huyện',
      on: '2021-08-20',
    });
    expect(r.status).toBe('released');
    const f = await ok(manager, 'GET', `/api/v1/facilities/${facility.id}`);
    expect(f.beds.occupied).toBe(0);
    expect(f.cohorts).toEqual([]);
    expect(f.rooms[0].cohort).toBeNull();
    const cap = await ok(manager, 'GET', '/api/v1/capacity');
    expect(cap.facilities.map((x: Json) => x.id)).toEqual([facility.id]);
    expect(cap.total.beds).toEqual({ total: 6, occupied: 0, free: 6 });
  });
});
