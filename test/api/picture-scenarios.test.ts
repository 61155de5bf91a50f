import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chime } from '../../src/domain/chime.ts';
import { SCENARIO_RATIOS_2021 } from '../../src/domain/scenarios.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';
import { readSheet, xlsxSheetNames } from '../helpers/xlsx.ts';

/**
 * Capacity scenarios through the API: the seeds' scenarios and the ratios in force; the needs of
 * a scenario against the beds, ICU beds and ventilators of the capacity board and the test kits
 * in stock; a CHIME census set against the same beds with the day it runs out; scope and errors.
 */
const A = '03136'; // Phường Mường Thanh, TP Điện Biên Phủ (094)
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let t: TestApp;
let tinh: string;
let huyen: string;
let huyenB: string;

const ok = async (cookie: string, method: string, url: string, body?: unknown, code = 200) => {
  const r = await t.as(cookie, method, url, body);
  expect(r.statusCode, r.body).toBe(code);
  return r.json() as Json;
};

beforeAll(async () => {
  t = await startTestApp();
  const mk = (username: string, role: string, jurisdiction: Json) =>
    t.staff(username, role, jurisdiction);
  tinh = await mk('scn.tinh', 'province', { level: 'province', unitCode: '11' });
  huyen = await mk('scn.huyen', 'district_health', { level: 'district', unitCode: '094' });
  huyenB = await mk('scn.huyen.b', 'district_health', { level: 'district', unitCode: '100' });
  // a hospital of 6 beds (2 with oxygen, 1 ICU) and 3 ventilators in district 094
  await ok(
    huyen,
    'POST',
    '/api/v1/facilities',
    {
      kind: 'tier2',
      name: 'Bệnh viện Đa khoa tỉnh — khu điều trị COVID-19',
      communeCode: A,
      rooms: [
        { name: 'Hồi sức 1', oxygen: 2, icu: 1 },
        { name: 'P201', ordinary: 3 },
      ],
      ventilators: 3,
    },
    201,
  );
  const holder = await ok(
    huyen,
    'POST',
    '/api/v1/supplies/holders',
    { kind: 'unit', unitCode: '094' },
    201,
  );
  await ok(
    huyen,
    'POST',
    '/api/v1/supplies/movements',
    {
      clientId: randomUUID(),
      kind: 'receipt',
      itemCode: 'rapid_test',
      holderId: holder.id,
      quantity: 2500,
    },
    201,
  );
}, 120_000);
afterAll(() => t?.close());

const line = (needs: Json[], r: string): Json => needs.find((n) => n.resource === r)!;

describe(`capacity scenarios on ${ENGINE}`, () => {
  it("lists the seeds' scenarios, the ratios in force and what the district has", async () => {
    const s = await ok(huyen, 'GET', '/api/v1/projections/scenarios?unit=094&date=2021-11-01');
    expect(s.scenarios.map((x: Json) => x.cases)).toEqual([1000, 2000, 30000, 300000]);
    expect(s.ruleSet).toMatchObject({ id: SCENARIO_RATIOS_2021.id, confidence: 'reconstructed' });
    expect(s.have).toMatchObject({ beds: 6, oxygenBeds: 2, icuBeds: 1, ventilators: 3 });
    expect(s.have.testKits).toBe(2500);
    expect(s.have.doctors).toBeNull();
    expect(s.chimeDefaults).toMatchObject({
      population: s.unit.population,
      current_hospitalized: 0,
      current_date: '2021-11-01',
      doubling_time: 4,
    });
    // a province with no stock at its own holders still sums its districts
    const p = await ok(tinh, 'GET', '/api/v1/projections/scenarios?unit=11&date=2021-11-01');
    expect(p.have).toMatchObject({ beds: 6, testKits: 2500 });
  });

  it('the needs of 1,000 F0 against the capacity, the shortfall counted', async () => {
    const r = await ok(huyen, 'POST', '/api/v1/projections/scenario', {
      unit: '094',
      cases: 1000,
      date: '2021-11-01',
    });
    expect(line(r.needs, 'beds')).toMatchObject({ need: 500, have: 6, shortfall: 494 });
    expect(line(r.needs, 'icuBeds')).toMatchObject({ need: 50, have: 1, shortfall: 49 });
    expect(line(r.needs, 'ventilators')).toMatchObject({ need: 20, have: 3, shortfall: 17 });
    expect(line(r.needs, 'testKits')).toMatchObject({ need: 3000, have: 2500, shortfall: 500 });
    expect(line(r.needs, 'oxygenLitresPerDay')).toMatchObject({ have: null, shortfall: null });
    expect(line(r.needs, 'icuBeds').basis.en).toBe('Tier 3 F0: 5 %');
    expect(r.projection).toBeNull();
  });

  it('a CHIME census set against the beds: the first day above them', async () => {
    const params = {
      population: 600_000,
      current_hospitalized: 2,
      current_date: '2021-11-01',
      doubling_time: 4,
      relative_contact_rate: 0.1,
      infectious_days: 14,
      market_share: 1,
      hospitalized: { rate: 0.025, days: 10 },
      icu: { rate: 0.0075, days: 14 },
      ventilated: { rate: 0.005, days: 14 },
      n_days: 30,
    };
    const r = await ok(huyen, 'POST', '/api/v1/projections/scenario', {
      unit: '094',
      cases: 1000,
      chime: params,
    });
    expect(r.date).toBe('2021-11-01');
    const own = chime(params);
    expect(r.projection.summary.i_day).toBe(own.i_day);
    expect(r.projection.rows[0]).toMatchObject({ day: 0, date: '2021-11-01' });
    expect(r.projection.rows).toHaveLength(31);
    const beds = r.projection.runsOut.find((x: Json) => x.group === 'hospitalized');
    const first = own.rows.find((x) => x.day >= 0 && x.census.hospitalized > 6)!;
    expect(beds).toMatchObject({ capacity: 6, date: first.date, day: first.day });
    const reached = own.rows.find((x) => x.day >= 0 && x.infected >= 1000);
    expect(r.projection.scenarioReached?.date ?? null).toBe(reached?.date ?? null);

    // the same as a workbook: the needs with the shortfall, the census per day
    const x = await t.as(huyen, 'POST', '/api/v1/projections/scenario.xlsx', {
      unit: '094',
      cases: 1000,
      chime: params,
    });
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-disposition']).toContain('kich-ban-1000-094-2021-11-01.xlsx');
    expect(xlsxSheetNames(x.rawPayload)).toEqual(['Nhu cầu', 'Dự báo CHIME']);
    const needs = readSheet(x.rawPayload, 'Nhu cầu');
    const icu = needs.slice(3, 8).find((row) => row[0] === 'Giường hồi sức tích cực (ICU)')!;
    expect(icu.slice(1, 4)).toEqual(['50', '1', '49']);
    const census = readSheet(x.rawPayload, 'Dự báo CHIME');
    expect(census.length).toBe(32);
    const firstOver = census.slice(1, 31).find((row) => row[5] === 'x')!;
    expect(firstOver[0]).toBe(first.date.split('-').reverse().join('/'));
  });

  it('bad input names the field; another district is 404', async () => {
    const bad = await t.as(huyen, 'POST', '/api/v1/projections/scenario', {
      unit: '094',
      cases: 0,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('cases');
    const chimeBad = await t.as(huyen, 'POST', '/api/v1/projections/scenario', {
      unit: '094',
      cases: 10,
      chime: {
        population: 1000,
        current_hospitalized: 1,
        current_date: '2021-11-01',
        relative_contact_rate: 0.3,
        infectious_days: 14,
        market_share: 1,
        hospitalized: { rate: 0.025, days: 10 },
        icu: { rate: 0.0075, days: 14 },
        ventilated: { rate: 0.005, days: 14 },
        n_days: 30,
      },
    });
    expect(chimeBad.statusCode).toBe(400);
    expect(chimeBad.json().fields[0].path).toBe('chime.doubling_time');
    const early = await t.as(huyen, 'POST', '/api/v1/projections/scenario', {
      unit: '094',
      cases: 10,
      date: '2020-01-01',
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().fields[0].path).toBe('date');
    const other = await t.as(huyenB, 'POST', '/api/v1/projections/scenario', {
      unit: '094',
      cases: 10,
    });
    expect(other.statusCode).toBe(404);
    expect((await t.as(huyenB, 'GET', '/api/v1/projections/scenarios?unit=094')).statusCode).toBe(
      404,
    );
  });
});
