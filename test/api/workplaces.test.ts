import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dateOfInstant } from '../../src/domain/dates.ts';
import { DEFAULT_WORKPLACE_SAFETY } from '../../src/domain/workplaces.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Workplaces and schools through the API (issue 18 item 4): the district registers a factory and
 * its reporter account works for it; the reporter's self-assessment is scored by the rule set in
 * force (stored with its id and rule, in words) and a replay is not doubled; the screening file
 * the reporter uploads through the testing module's results import raises the outbreak flag,
 * stored with the rule that decided it; the risk list, the overdue list and the map; another
 * district's workplace answers 404, audited; bad input 400 naming the field.
 */
const A = '03136'; // Phường Mường Thanh, TP Điện Biên Phủ (district 094)
const B = '03331'; // Xã Thanh Hưng, huyện Điện Biên (district 100)
const today = dateOfInstant(Date.now());
const dmy = (d: string) => d.split('-').reverse().join('/');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let t: TestApp;
let tinh: string;
let huyen: string;
let huyenB: string;
let reporter: string;
let reporterB: string;
let factory: Json;
let school: Json;

async function ok(
  cookie: string | null,
  method: string,
  url: string,
  body?: unknown,
  status = 201,
) {
  const r = await t.as(cookie, method, url, body);
  expect(r.statusCode, r.body).toBe(status);
  return r.json();
}
const allYes = () =>
  Object.fromEntries(DEFAULT_WORKPLACE_SAFETY.criteria.map((c) => [c.id, 'yes']));

function upload(cookie: string, csv: string) {
  const boundary = '----wp' + randomUUID();
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="sang-loc.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.from(csv),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/result-imports',
    payload,
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}
async function waitImport(cookie: string, id: string): Promise<Json> {
  for (let i = 0; i < 600; i++) {
    const j = await ok(cookie, 'GET', `/api/v1/result-imports/${id}?limit=100`, undefined, 200);
    if (j.status === 'done' || j.status === 'failed') return j;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('import did not finish');
}
const denied = async (resourceId: string) =>
  (
    await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE resource_id = $1 AND outcome = 'denied'`,
      [resourceId],
    )
  )[0]!.n;

beforeAll(async () => {
  t = await startTestApp();
  tinh = await t.staff('wp.tinh', 'province', { level: 'province', unitCode: '11' });
  huyen = await t.staff('wp.huyen', 'district_health', { level: 'district', unitCode: '094' });
  huyenB = await t.staff('wp.huyen.b', 'district_health', { level: 'district', unitCode: '100' });
  factory = await ok(huyen, 'POST', '/api/v1/workplaces', {
    clientId: randomUUID(),
    name: 'Công ty May Mường Thanh',
    kind: 'factory',
    workforce: 850,
    communeCode: A,
    latitude: 21.386,
    longitude: 103.017,
  });
  school = await ok(huyenB, 'POST', '/api/v1/workplaces', {
    clientId: randomUUID(),
    name: 'Trường THCS Thanh Hưng',
    kind: 'school',
    workforce: 420,
    communeCode: B,
  });
  reporter = await t.staff('wp.reporter', 'test_reporter', { level: 'site', siteId: factory.id });
  reporterB = await t.staff('wp.reporter.b', 'test_reporter', { level: 'site', siteId: school.id });
}, 120_000);
afterAll(() => t?.close());

describe(`workplaces and schools on ${ENGINE}`, () => {
  it('registers a workplace as a site with its reporters; due at once; a replay is not doubled', async () => {
    expect(factory).toMatchObject({
      kind: 'factory',
      workforce: 850,
      districtCode: '094',
      assessmentDueOn: today,
      screeningDueOn: today,
      assessment: null,
      outbreak: null,
    });
    const body = {
      clientId: randomUUID(),
      name: 'Mỏ đá Thanh Minh',
      kind: 'mine',
      workforce: 60,
      communeCode: A,
    };
    const first = await ok(huyen, 'POST', '/api/v1/workplaces', body);
    const again = await ok(huyen, 'POST', '/api/v1/workplaces', body, 200);
    expect(again.id).toBe(first.id);
    const n = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sites WHERE name = 'Mỏ đá Thanh Minh'`,
    );
    expect(n[0]!.n).toBe(1);
    const one = await ok(reporter, 'GET', `/api/v1/workplaces/${factory.id}`, undefined, 200);
    expect(one.reporters.map((r: Json) => r.username)).toEqual(['wp.reporter']);
  });

  it('refuses bad input naming the field, and a commune of another district (404, audited)', async () => {
    const bad = await t.as(huyen, 'POST', '/api/v1/workplaces', {
      clientId: randomUUID(),
      name: 'X',
      kind: 'casino',
      workforce: 0,
      communeCode: A,
    });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().fields.map((f: Json) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'kind', 'workforce']));
    const outside = await t.as(huyen, 'POST', '/api/v1/workplaces', {
      clientId: randomUUID(),
      name: 'Ngoài huyện',
      kind: 'factory',
      workforce: 10,
      communeCode: B,
    });
    expect(outside.statusCode).toBe(404);
    expect(outside.json().fields[0].path).toBe('communeCode');
    expect(await denied(B)).toBeGreaterThan(0);
  });

  it('scores the self-assessment by the rule set in force and stores its id, rule and words; a replay is not doubled', async () => {
    const body = {
      clientId: randomUUID(),
      answers: { ...allYes(), isolation_room: 'no', ventilation: 'na' },
    };
    const a = await ok(reporter, 'POST', `/api/v1/workplaces/${factory.id}/assessments`, body);
    expect(a).toMatchObject({
      assessedOn: today,
      score: 88.9, // 80 of 90 applicable points
      riskLevel: 'high', // a critical criterion (isolation room) not met caps it
      ruleSetId: 'workplace-safety-2021-06',
      ruleId: 'critical-missing',
      failed: ['isolation_room'],
    });
    expect(a.explanation.vi).toContain('phòng cách ly');
    expect(a.explanation.en).toContain('isolation room');
    const again = await ok(
      reporter,
      'POST',
      `/api/v1/workplaces/${factory.id}/assessments`,
      body,
      200,
    );
    expect(again.id).toBe(a.id);
    const w = await ok(reporter, 'GET', `/api/v1/workplaces/${factory.id}`, undefined, 200);
    expect(w.assessments).toHaveLength(1);
    expect(w).toMatchObject({
      assessment: { riskLevel: 'high', score: 88.9 },
      assessmentDueOn: addDays(today, 7),
      riskRank: 3,
    });
  });

  it('a missing answer, a future date: 400 naming the field', async () => {
    const answers: Json = allYes();
    delete answers.masks;
    const r = await t.as(reporter, 'POST', `/api/v1/workplaces/${factory.id}/assessments`, {
      clientId: randomUUID(),
      answers,
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().fields.map((f: Json) => f.path)).toEqual(['answers.masks']);
    const wrong = await t.as(reporter, 'POST', `/api/v1/workplaces/${factory.id}/assessments`, {
      clientId: randomUUID(),
      answers: { ...allYes(), masks: 'maybe' },
      assessedOn: addDays(today, 1),
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().fields.map((f: Json) => f.path)).toContain('answers.masks');
  });

  it("another workplace's reporter and another district get 404, audited", async () => {
    for (const [cookie, method, url, body] of [
      [
        reporterB,
        'POST',
        `/api/v1/workplaces/${factory.id}/assessments`,
        { clientId: randomUUID(), answers: allYes() },
      ],
      [reporterB, 'GET', `/api/v1/workplaces/${factory.id}`, undefined],
      [huyenB, 'GET', `/api/v1/workplaces/${factory.id}`, undefined],
    ] as const) {
      const before = await denied(factory.id);
      const r = await t.as(cookie, method, url, body);
      expect(r.statusCode, `${method} ${url}`).toBe(404);
      expect(await denied(factory.id)).toBe(before + 1);
    }
    const list = await ok(huyenB, 'GET', '/api/v1/workplaces?view=risk', undefined, 200);
    expect(list.items.map((w: Json) => w.id)).toEqual([school.id]);
  });

  it('screening uploaded through the results import raises the outbreak flag with the rule that decided', async () => {
    const csv = [
      'Họ tên,Năm sinh,Giới tính,CCCD,Loại XN,Kết quả,Ngày lấy mẫu',
      `Lò Văn Một,1990,Nam,011090077701,Test nhanh,Âm tính,${dmy(today)}`,
      `Lò Thị Hai,1992,Nữ,011092077702,Test nhanh,Dương tính,${dmy(today)}`,
      `Quàng Văn Ba,1988,Nam,011088077703,Test nhanh,Âm tính,${dmy(today)}`,
    ].join('\r\n');
    const up = await upload(reporter, csv);
    expect(up.statusCode, up.body).toBe(202);
    const job = await waitImport(reporter, up.json().id);
    expect(job, JSON.stringify(job.rows)).toMatchObject({
      status: 'done',
      counts: { accepted: 3, positives: 1 },
    });
    // the results are the testing module's own, linked to the workplace by its site
    const linked = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM test_results WHERE site_id = $1 AND import_id = $2',
      [factory.id, job.id],
    );
    expect(linked[0]!.n).toBe(3);
    const w = await ok(huyen, 'GET', `/api/v1/workplaces/${factory.id}`, undefined, 200);
    expect(w.outbreak).toMatchObject({
      since: today,
      positives: 1,
      ruleSetId: 'workplace-safety-2021-06',
      ruleId: 'positive-in-screening',
    });
    expect(w.outbreak.explanation.vi).toContain('Ổ dịch tại nơi làm việc');
    expect(w.outbreak.explanation.en).toContain('Workplace outbreak');
    expect(w).toMatchObject({
      screening: { lastOn: today, total: 3, positives: 1 },
      screeningDueOn: addDays(today, 1), // before each shift while flagged
      riskRank: 5,
    });
    // the same file again: nothing doubled
    const again = await upload(reporter, csv);
    expect([200, 202, 409]).toContain(again.statusCode);
    const w2 = await ok(huyen, 'GET', `/api/v1/workplaces/${factory.id}`, undefined, 200);
    expect(w2.screening.total).toBe(3);
  });

  it('the province lists the risk first by outbreak, the overdue ones, and the map by district', async () => {
    const risk = await ok(tinh, 'GET', '/api/v1/workplaces?view=risk&limit=1', undefined, 200);
    expect(risk.items[0]).toMatchObject({
      id: factory.id,
      outbreak: { ruleId: 'positive-in-screening' },
    });
    expect(risk.nextCursor).toBeTruthy();
    const seen = [risk.items[0].id];
    let cursor = risk.nextCursor;
    while (cursor) {
      const p = await ok(
        tinh,
        'GET',
        `/api/v1/workplaces?view=risk&limit=1&cursor=${cursor}`,
        undefined,
        200,
      );
      seen.push(...p.items.map((w: Json) => w.id));
      cursor = p.nextCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(school.id);
    // registered today: due today, not yet overdue; backdate the school's due day
    await t.db.query(
      'UPDATE workplaces SET assessment_due_on = $2, screening_due_on = $2 WHERE site_id = $1',
      [school.id, addDays(today, -3)],
    );
    const overdue = await ok(tinh, 'GET', '/api/v1/workplaces?view=overdue', undefined, 200);
    expect(overdue.items.map((w: Json) => w.id)).toEqual([school.id]);
    expect(overdue.items[0]).toMatchObject({ assessmentOverdue: true, screeningOverdue: true });
    const map = await ok(tinh, 'GET', '/api/v1/workplaces/map', undefined, 200);
    expect(map.districts).toEqual(
      expect.arrayContaining([
        { districtCode: '094', workplaces: 2, outbreaks: 1, worstRank: 5, overdue: 0 },
        { districtCode: '100', workplaces: 1, outbreaks: 0, worstRank: 0, overdue: 1 },
      ]),
    );
    expect(map.markers).toEqual([
      expect.objectContaining({ id: factory.id, outbreak: true, latitude: 21.386 }),
    ]);
    const badCursor = await t.as(tinh, 'GET', '/api/v1/workplaces?view=overdue&cursor=abc');
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().fields[0].path).toBe('cursor');
  });

  it('the criteria are a rule set the administrator versions: a bad threshold is refused naming it', async () => {
    const rs = await ok(reporter, 'GET', '/api/v1/workplace-safety', undefined, 200);
    expect(rs).toMatchObject({ kind: 'workplace_safety', confidence: 'reconstructed' });
    const kinds = await ok(tinh, 'GET', '/api/v1/rule-sets?kind=workplace_safety', undefined, 200);
    expect(kinds.items[0].versions.map((v: Json) => v.id)).toEqual(['workplace-safety-2021-06']);
    const bad = await t.as(tinh, 'POST', '/api/v1/rule-sets', {
      clientId: randomUUID(),
      kind: 'workplace_safety',
      definition: {
        ...DEFAULT_WORKPLACE_SAFETY,
        id: 'workplace-safety-bad',
        validFrom: addDays(today, 1),
        levels: [
          { id: 'a', level: 'low', minPercent: 60 },
          { id: 'b', level: 'medium', minPercent: 70 },
          { id: 'c', level: 'very_high', minPercent: 0 },
        ],
      },
    });
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json().fields.map((f: Json) => f.path)).toContain('definition.levels[1].minPercent');
  });
});
