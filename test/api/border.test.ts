import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateOfInstant } from '../../src/domain/dates.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Issue 17 item 5, border posts through the API (both engines): a post reports an illegal entry;
 * its people are registered and admitted to a quarantine facility in the same transaction (one
 * cohort); a replay writes nothing twice; a full facility answers 409 and leaves nothing; the
 * place, the facility and the report are checked against the officer's scope (404, audited);
 * the district lists the reports newest first and reads the counts.
 */
const A = '03136'; // Phường Mường Thanh, TP Điện Biên Phủ (district 094)
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let t: TestApp;
let admin: string;
let post: string; // border officer at a post in district 094
let postB: string; // border officer at a post in district 100
let huyen: string; // district 094 health
let huyenB: string; // district 100 health
let communeB: string;
let facilityId: string;
let smallFacilityId: string;
let hospitalId: string;
let report: Json;

const ok = async (cookie: string, method: string, url: string, body?: unknown, status = 201) => {
  const r = await t.as(cookie, method, url, body);
  expect(r.statusCode, r.body).toBe(status);
  return r.json();
};
const count = async (sql: string, params: unknown[] = []) =>
  (await t.db.query<{ n: number }>(sql, params))[0]!.n;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const entrants = [
  { fullName: 'Lò Văn Páo', sex: 'male', birthYear: 1990, nationality: 'VN' },
  { fullName: 'Vàng Thị Say', sex: 'female', birthYear: 1995, nationality: 'la' },
  {
    fullName: 'Lý A Sử',
    sex: 'male',
    birthYear: 1988,
    nationality: 'CN',
    idType: 'passport',
    idNumber: 'E12345678',
  },
];
const entry = (over: Json = {}) => ({
  clientId: randomUUID(),
  kind: 'illegal_entry',
  communeCode: A,
  place: 'Đường mòn gần mốc 120',
  occurredAt: minutesAgo(90),
  facilityId,
  people: entrants,
  ...over,
});
const auditCount = (action: string, reason: string) =>
  count(
    `SELECT count(*)::int AS n FROM audit_events WHERE action = $1 AND outcome = 'denied' AND reason = $2`,
    [action, reason],
  );

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin');
  const site = async (name: string, commune: string) =>
    (await ok(admin, 'POST', '/api/v1/sites', { kind: 'border_post', name, communeCode: commune }))
      .id as string;
  communeB = (
    await t.db.query<{ code: string }>(
      `SELECT code FROM admin_units WHERE level = 3 AND district_code = '100' ORDER BY code LIMIT 1`,
    )
  )[0]!.code;
  post = await t.staff('bp.post.a', 'border_officer', {
    level: 'site',
    siteId: await site('Đồn Biên phòng Thanh Luông (test)', A),
  });
  postB = await t.staff('bp.post.b', 'border_officer', {
    level: 'site',
    siteId: await site('Đồn Biên phòng huyện B (test)', communeB),
  });
  huyen = await t.staff('bp.huyen', 'district_health', { level: 'district', unitCode: '094' });
  huyenB = await t.staff('bp.huyen.b', 'district_health', { level: 'district', unitCode: '100' });
  const facility = async (kind: string, name: string, rooms: Json[]) =>
    (await ok(huyen, 'POST', '/api/v1/facilities', { kind, name, communeCode: A, rooms }))
      .id as string;
  facilityId = await facility('quarantine', 'Khu cách ly Trường Quân sự tỉnh (test)', [
    { name: 'A1', ordinary: 4 },
    { name: 'A2', ordinary: 4 },
  ]);
  smallFacilityId = await facility('quarantine', 'Khu cách ly nhỏ (test)', [
    { name: 'B1', ordinary: 2 },
  ]);
  hospitalId = await facility('tier2', 'Bệnh viện (test)', [{ name: 'H1', oxygen: 2 }]);
});
afterAll(() => t?.close());

describe(`border posts on ${ENGINE}`, () => {
  it('records an illegal entry: people registered and admitted together, once', async () => {
    const body = entry();
    report = await ok(post, 'POST', '/api/v1/border/reports', body);
    expect(report).toMatchObject({ kind: 'illegal_entry', peopleCount: 3, replayed: false });
    expect(report.facility.id).toBe(facilityId);
    expect(report.ground.vi).toContain('Nhập cảnh trái phép tại Đường mòn gần mốc 120');
    expect(report.people).toHaveLength(3);
    // one cohort: the three share a room, each with a quarantine course and its release date
    const rooms = new Set(report.people.map((p: Json) => p.admission.room));
    expect(rooms.size).toBe(1);
    for (const p of report.people) {
      expect(p.admission.status).toBe('admitted');
      expect(p.admission.releaseOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(report.people.map((p: Json) => p.nationality).sort()).toEqual(['CN', 'LA', 'VN']);
    // the facility's maintained count moved; the stays came from the arrival batch
    const f = await ok(huyen, 'GET', `/api/v1/facilities/${facilityId}`, undefined, 200);
    expect(f.beds.occupied).toBe(3);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM care_admissions WHERE cohort_key = $1 AND source = 'arrival'`,
        [`batch:border:${report.id}`],
      ),
    ).toBe(3);
    // the people are in the registry, in the commune where they were caught, and the district's
    // health officers see them
    const person = await ok(huyen, 'GET', `/api/v1/persons/${report.people[0].id}`, undefined, 200);
    expect(person.address?.communeCode ?? person.communeCode).toBe(A);
    // replayed (a phone that lost its answer): the same report, nothing written twice
    const again = await ok(post, 'POST', '/api/v1/border/reports', body, 200);
    expect(again.id).toBe(report.id);
    expect(again.replayed).toBe(true);
    expect(
      await count(`SELECT count(*)::int AS n FROM border_report_people WHERE report_id = $1`, [
        report.id,
      ]),
    ).toBe(3);
    expect(
      await count(`SELECT count(*)::int AS n FROM border_reports WHERE client_id = $1`, [
        body.clientId,
      ]),
    ).toBe(1);
  });

  it('a facility that cannot place the group answers 409 and writes nothing', async () => {
    const persons = await count('SELECT count(*)::int AS n FROM persons');
    const r = await t.as(
      post,
      'POST',
      '/api/v1/border/reports',
      entry({ facilityId: smallFacilityId }),
    );
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json().error).toBe('placement_refused');
    expect(await count('SELECT count(*)::int AS n FROM persons')).toBe(persons);
    expect(
      await count(`SELECT count(*)::int AS n FROM border_reports WHERE facility_id = $1`, [
        smallFacilityId,
      ]),
    ).toBe(0);
  });

  it('bad input is a 400 naming the field', async () => {
    const cases: [Json, string][] = [
      [{ kind: 'smuggling' }, 'kind'],
      [{ communeCode: '31' }, 'communeCode'],
      [{ occurredAt: 'hôm qua' }, 'occurredAt'],
      [{ occurredAt: minutesAgo(-60) }, 'occurredAt'],
      [{ occurredAt: minutesAgo(8 * 24 * 60) }, 'occurredAt'],
      [{ people: [] }, 'people'],
      [{ facilityId: undefined }, 'facilityId'],
      [{ facilityId: hospitalId }, 'facilityId'],
      [{ people: [{ ...entrants[0], nationality: 'Lào' }] }, 'people.0.nationality'],
      [{ people: [{ ...entrants[0], birthYear: 2999 }] }, 'people.0.birthYear'],
      [{ people: [{ ...entrants[0], idType: 'cccd', idNumber: '12' }] }, 'people.0.idNumber'],
      [{ kind: 'patrol', people: [] }, 'endedAt'],
      [{ kind: 'patrol', endedAt: minutesAgo(30) }, 'people'],
    ];
    for (const [over, path] of cases) {
      const r = await t.as(post, 'POST', '/api/v1/border/reports', entry(over));
      expect(r.statusCode, `${path}: ${r.body}`).toBe(400);
      expect(r.json().fields.map((f: Json) => f.path)).toContain(path);
    }
    // English beside Vietnamese
    const en = await t.app.inject({
      method: 'POST',
      url: '/api/v1/border/reports',
      headers: { cookie: post, 'accept-language': 'en' },
      payload: entry({ people: [] }),
    });
    expect(en.json().fields[0].message).toBe('List at least one person');
  });

  it('checks the place, the facility and the report against the scope (404, audited)', async () => {
    const communes = await auditCount('border.write', 'outside_scope');
    const r = await t.as(post, 'POST', '/api/v1/border/reports', entry({ communeCode: communeB }));
    expect(r.statusCode).toBe(404);
    expect(await auditCount('border.write', 'outside_scope')).toBe(communes + 1);
    const missing = await t.as(
      post,
      'POST',
      '/api/v1/border/reports',
      entry({ facilityId: randomUUID() }),
    );
    expect(missing.statusCode).toBe(404);
    const reads = await auditCount('border.read', 'outside_scope');
    for (const other of [postB, huyenB]) {
      const x = await t.as(other, 'GET', `/api/v1/border/reports/${report.id}`);
      expect(x.statusCode).toBe(404);
    }
    expect(await auditCount('border.read', 'outside_scope')).toBe(reads + 2);
    // the other post's list does not hold it
    const listB = await ok(postB, 'GET', '/api/v1/border/reports', undefined, 200);
    expect(listB.items.map((i: Json) => i.id)).not.toContain(report.id);
    // a client id another post used is a conflict that tells nothing
    const taken = await t.as(postB, 'POST', '/api/v1/border/reports', {
      ...entry({ communeCode: communeB, kind: 'patrol', people: [], endedAt: minutesAgo(10) }),
      clientId: (
        await t.db.query<{ client_id: string }>(
          'SELECT client_id FROM border_reports WHERE id = $1',
          [report.id],
        )
      )[0]!.client_id,
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).not.toContain('Páo');
  });

  it('lists the district’s reports newest first with keyset paging, and counts them', async () => {
    await ok(post, 'POST', '/api/v1/border/reports', {
      clientId: randomUUID(),
      kind: 'patrol',
      communeCode: A,
      place: 'Tuyến mốc 118 – 121',
      occurredAt: minutesAgo(300),
      endedAt: minutesAgo(180),
      note: 'Không phát hiện trường hợp vượt biên',
    });
    const handed = await ok(
      post,
      'POST',
      '/api/v1/border/reports',
      entry({
        kind: 'handed_over',
        occurredAt: minutesAgo(30),
        people: [{ fullName: 'Quàng Văn Ón', sex: 'male', birthYear: 1979, nationality: 'VN' }],
      }),
    );
    const p1 = await ok(huyen, 'GET', '/api/v1/border/reports?limit=2', undefined, 200);
    expect(p1.items.map((i: Json) => i.id)).toEqual([handed.id, report.id]);
    const p2 = await ok(
      huyen,
      'GET',
      `/api/v1/border/reports?limit=2&cursor=${p1.nextCursor}`,
      undefined,
      200,
    );
    expect(p2.items.map((i: Json) => i.kind)).toEqual(['patrol']);
    expect(p2.nextCursor).toBeNull();
    const bad = await t.as(huyen, 'GET', '/api/v1/border/reports?cursor=xyz');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('cursor');
    const today = dateOfInstant(Date.now());
    const c = await ok(
      huyen,
      'GET',
      `/api/v1/border/counts?from=2021-01-01&to=${today}`,
      undefined,
      200,
    );
    expect(c.totals.illegal_entry).toEqual({ reports: 1, people: 3, foreigners: 2 });
    expect(c.totals.handed_over).toEqual({ reports: 1, people: 1, foreigners: 0 });
    expect(c.totals.patrol.reports).toBe(1);
    const cB = await ok(huyenB, 'GET', '/api/v1/border/counts', undefined, 200);
    expect(cB.totals.illegal_entry.reports).toBe(0);
    const wrong = await t.as(huyen, 'GET', '/api/v1/border/counts?from=2021-05-01&to=2021-04-01');
    expect(wrong.json().fields[0].path).toBe('from');
    const facilities = await ok(post, 'GET', '/api/v1/border/facilities', undefined, 200);
    expect(facilities.items[0]).toMatchObject({ ownDistrict: true });
    expect(facilities.items.map((f: Json) => f.id)).not.toContain(hospitalId);
  });
});
