import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dateOfInstant } from '../../src/domain/dates.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * The province's picture through the API: cases feed the maintained aggregates in their own
 * transaction; levels per commune, district and province on their own populations, paged;
 * a commune reads only its own; the province publishes with an override and its reason;
 * capacity not met holds last week's level; the evaluator; the dashboard; CHIME.
 */
const A = '03136'; // Phường Mường Thanh, TP Điện Biên Phủ (094)
const B = '03331'; // Xã Thanh Hưng, huyện Điện Biên (100)
const today = dateOfInstant(Date.now());
const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let t: TestApp;
let xaA: string;
let xaB: string;
let tinh: string;
const pop: Record<string, number> = {};

beforeAll(async () => {
  t = await startTestApp();
  const mk = (username: string, role: string, jurisdiction: Json) =>
    t.staff(username, role, jurisdiction);
  xaA = await mk('pic.xa.a', 'commune_health', { level: 'commune', unitCode: A });
  xaB = await mk('pic.xa.b', 'commune_health', { level: 'commune', unitCode: B });
  tinh = await mk('pic.tinh', 'province', { level: 'province', unitCode: '11' });
  for (const r of await t.db.query<{ code: string; population: number }>(
    `SELECT code, population FROM admin_units WHERE code IN ('11', '094', $1, $2)`,
    [A, B],
  ))
    pop[r.code] = r.population;
  // four cases in A through the API: three found in the community, one in quarantine
  for (const [i, foundBy] of ['community', 'community', 'community', 'quarantine'].entries()) {
    const p = await t.as(xaA, 'POST', '/api/v1/persons', {
      fullName: `Lò Văn Ca ${i}`,
      birthYear: 1980 + i,
      sex: 'male',
      address: { communeCode: A },
    });
    expect(p.statusCode, p.body).toBe(201);
    const c = await t.as(xaA, 'POST', '/api/v1/cases', {
      personId: p.json().id,
      positiveSampleAt: ago(120 + i),
      foundBy,
      basis: 'pcr_positive',
    });
    expect(c.statusCode, c.body).toBe(201);
  }
}, 120_000);
afterAll(() => t?.close());

const rate = (cases: number, population: number) =>
  Math.round(((cases * 100_000) / population) * 100) / 100;

describe(`the province's picture on ${ENGINE}`, () => {
  it('keeps the case aggregates in the same transaction as the cases', async () => {
    const rows = await t.db.query<{ found_by: string; n: number }>(
      'SELECT found_by, sum(n)::int AS n FROM case_daily WHERE commune_code = $1 GROUP BY found_by ORDER BY found_by',
      [A],
    );
    expect(rows).toEqual([
      { found_by: 'community', n: 3 },
      { found_by: 'quarantine', n: 1 },
    ]);
    const open = await t.db.query<{ n: number }>(
      `SELECT sum(n)::int AS n FROM case_status_counts WHERE commune_code = $1 AND status <> 'recovered'`,
      [A],
    );
    expect(open[0]!.n).toBe(4);
  });

  it('assesses the commune on its own population, with its inputs and rule in words', async () => {
    const r = await t.as(xaA, 'GET', `/api/v1/levels?unit=${A}&date=${today}`);
    expect(r.statusCode, r.body).toBe(200);
    const [a] = r.json().items as Json[];
    expect(a!.unit.code).toBe(A);
    expect(a!.inputs.cases7d).toBe(3);
    expect(a!.inputs.population).toBe(pop[A]);
    expect(a!.rate).toBe(rate(3, pop[A]!));
    expect(a!.status).toBe('draft');
    expect(a!.ruleSet.id).toMatch(/^level-/);
    expect(a!.rule.id).toBeTruthy();
    expect(a!.explanation.vi).toContain('ca mắc mới trong cộng đồng');
    expect(a!.explanation.en).toContain(`${a!.rate.toFixed(2)} per 100,000`);
    expect(a!.inputs.capacitySource).toBe('not_entered');
  });

  it('assesses the district and the province on their own populations, paged by code', async () => {
    const first = await t.as(tinh, 'GET', `/api/v1/levels?unit=11&date=${today}&limit=60`);
    expect(first.statusCode, first.body).toBe(200);
    const items: Json[] = [...first.json().items];
    let cursor = first.json().nextCursor;
    expect(cursor).toBeTruthy();
    while (cursor) {
      const next = await t.as(
        tinh,
        'GET',
        `/api/v1/levels?unit=11&date=${today}&limit=60&cursor=${cursor}`,
      );
      items.push(...next.json().items);
      cursor = next.json().nextCursor;
    }
    const codes = items.map((i) => i.unit.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual([...codes].sort());
    expect(items.filter((i) => i.unit.level === 3)).toHaveLength(129);
    expect(items.filter((i) => i.unit.level === 2)).toHaveLength(10);
    const province = items.find((i) => i.unit.code === '11')!;
    const district = items.find((i) => i.unit.code === '094')!;
    expect(province.inputs.cases7d).toBe(3);
    expect(province.rate).toBe(rate(3, pop['11']!));
    expect(district.rate).toBe(rate(3, pop['094']!));
    expect(items.find((i) => i.unit.code === B)!.inputs.cases7d).toBe(0);
  });

  it("a commune cannot read another's levels: 404, audited", async () => {
    const r = await t.as(xaB, 'GET', `/api/v1/levels?unit=${A}&date=${today}`);
    expect(r.statusCode).toBe(404);
    const audited = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'levels.read' AND outcome = 'denied' AND resource_id = $1`,
      [A],
    );
    expect(audited[0]!.n).toBeGreaterThan(0);
    expect(
      (await t.as(xaB, 'POST', '/api/v1/levels/publish', { unit: '11', date: today })).statusCode,
    ).toBe(404);
  });

  it('evaluates inputs given directly, at the exact edges, and names a bad field', async () => {
    const body = {
      date: '2021-11-15',
      population: 100_000,
      cases7d: 20,
      cov18OneDose: 70,
      elderlyFull: 80,
      capacityMet: true,
      previous: null,
    };
    const r = await t.as(xaA, 'POST', '/api/v1/levels/evaluate', body);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ level: 2, rule: { id: 'matrix.risk2.covered' } });
    expect(r.json().ruleSet.id).toBe('level-4800-2021');
    const low = await t.as(xaA, 'POST', '/api/v1/levels/evaluate', { ...body, cases7d: 19 });
    expect(low.json().level).toBe(1);
    const bad = await t.as(xaA, 'POST', '/api/v1/levels/evaluate', { ...body, population: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('population');
    const early = await t.as(xaA, 'POST', '/api/v1/levels/evaluate', {
      ...body,
      date: '2020-01-01',
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().fields[0].path).toBe('date');
  });

  it('the province publishes with an override and its reason; the history shows it', async () => {
    const noReason = await t.as(tinh, 'POST', '/api/v1/levels/publish', {
      unit: '11',
      date: today,
      overrides: [{ unitCode: B, level: 3 }],
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().fields[0].path).toBe('overrides.0.reason');
    const foreign = await t.as(tinh, 'POST', '/api/v1/levels/publish', {
      unit: '11',
      date: today,
      overrides: [{ unitCode: '00001', level: 3, reason: 'Không thuộc tỉnh' }],
    });
    expect(foreign.statusCode).toBe(404);
    const r = await t.as(tinh, 'POST', '/api/v1/levels/publish', {
      unit: '11',
      date: today,
      overrides: [
        { unitCode: B, level: 3, reason: 'Ổ dịch mới tại chợ xã, chưa đủ 7 ngày số liệu' },
      ],
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().published).toBeGreaterThanOrEqual(140);
    const h = await t.as(xaB, 'GET', `/api/v1/levels/history?unit=${B}`);
    const [b] = h.json().items as Json[];
    expect(b).toMatchObject({ level: 3, status: 'published', date: today });
    expect(b!.overrideReason).toContain('Ổ dịch mới');
    const audited = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'levels.override' AND resource_id = $1`,
      [`${B}@${today}`],
    );
    expect(audited[0]!.n).toBe(1);
    // a recomputation leaves the published week as published
    await t.as(xaA, 'POST', '/api/v1/levels/compute', { unit: A, date: today });
    const again = await t.as(xaB, 'GET', `/api/v1/levels?unit=${B}&date=${today}`);
    expect(again.json().items[0]).toMatchObject({ level: 3, status: 'published' });
  });

  it('capacity not met (4800/QĐ-BYT): the next week may not go below the published level', async () => {
    const week1 = '2021-11-14';
    const week2 = addDays(week1, 7);
    const cap = await t.as(xaB, 'PUT', '/api/v1/levels/capacity', { unit: B, met: false });
    expect(cap.statusCode, cap.body).toBe(200);
    const pub = await t.as(tinh, 'POST', '/api/v1/levels/publish', {
      unit: '11',
      date: week1,
      overrides: [{ unitCode: B, level: 3, reason: 'Chưa đủ năng lực điều trị, giữ cấp 3' }],
    });
    expect(pub.statusCode, pub.body).toBe(200);
    const r = await t.as(xaB, 'GET', `/api/v1/levels?unit=${B}&date=${week2}`);
    const [b] = r.json().items as Json[];
    expect(b).toMatchObject({ level: 3, rule: { id: 'capacity.hold' } });
    expect(b!.ruleSet.id).toBe('level-4800-2021');
    expect(b!.inputs).toMatchObject({ previous: 3, capacityMet: false, cases7d: 0 });
    expect(b!.explanation.vi).toContain('không hạ cấp');
    // met again: recomputed, the level goes down
    await t.as(xaB, 'PUT', '/api/v1/levels/capacity', { unit: B, met: true });
    const re = await t.as(xaB, 'POST', '/api/v1/levels/compute', { unit: B, date: week2 });
    expect(re.statusCode, re.body).toBe(200);
    const after = await t.as(xaB, 'GET', `/api/v1/levels?unit=${B}&date=${week2}`);
    expect(after.json().items[0].level).toBeLessThan(3);
  });

  it('the dashboard reads the aggregates: curve by place of detection, treatment, level', async () => {
    const r = await t.as(tinh, 'GET', `/api/v1/dashboard?unit=11&date=${today}&days=14`);
    expect(r.statusCode, r.body).toBe(200);
    const d = r.json();
    expect(d.curve).toHaveLength(14);
    const sum = (k: string) => d.curve.reduce((s: number, x: Json) => s + x[k], 0);
    expect(sum('community')).toBe(3);
    expect(sum('quarantine')).toBe(1);
    expect(d.treatment.reduce((s: number, x: Json) => s + x.n, 0)).toBe(4);
    expect(d.level.status).toBe('published');
    expect(d.subunits).toHaveLength(10);
    expect(d.capacity).toBeNull();
    expect(d.notAvailable).toContain('capacity');
    expect((await t.as(xaB, 'GET', `/api/v1/dashboard?unit=${A}`)).statusCode).toBe(404);
  });

  it('CHIME through the API with its own parameter names', async () => {
    const body = {
      current_date: '2020-03-28',
      current_hospitalized: 100,
      doubling_time: 6.0,
      hospitalized: { rate: 0.05, days: 7 },
      infectious_days: 14,
      icu: { rate: 0.02, days: 9 },
      market_share: 0.05,
      mitigation_date: '2020-03-28',
      n_days: 60,
      population: 500000,
      relative_contact_rate: 0.15,
      ventilated: { rate: 0.01, days: 10 },
    };
    const tooLong = await t.as(tinh, 'POST', '/api/v1/projections/chime', body);
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().fields[0].path).toBe('n_days');
    const r = await t.as(tinh, 'POST', '/api/v1/projections/chime', { ...body, n_days: 30 });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().i_day).toBe(43);
    expect(r.json().r_t).toBeCloseTo(2.307298374881539, 9);
    const both = await t.as(tinh, 'POST', '/api/v1/projections/chime', {
      ...body,
      n_days: 30,
      date_first_hospitalized: '2020-02-14',
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().fields[0].path).toBe('doubling_time');
  });

  it('the public map: published aggregates only, small counts suppressed, no login', async () => {
    const r = await t.as(null, 'GET', '/api/v1/public/map');
    expect(r.statusCode, r.body).toBe(200);
    const m = r.json();
    expect(m.weekEnd).toBe(today);
    const a = m.communes.find((c: Json) => c.code === A);
    const b = m.communes.find((c: Json) => c.code === B);
    expect(a.cases7d).toBe('< 5');
    expect(b).toMatchObject({ level: 3, cases7d: 0 });
    expect(m.districts).toHaveLength(10);
    expect(r.body).not.toMatch(/Lò Văn Ca|person|birth/i);
    expect(r.headers['cache-control']).toContain('max-age');
    const geo = await t.as(null, 'GET', '/api/v1/public/map/boundaries');
    expect(geo.statusCode).toBe(200);
    expect(geo.json().features).toHaveLength(10);
    expect(geo.json().licence).toContain('GPL-3.0');
  });
});
