import { describe, expect, it } from 'vitest';
import { chime, type ChimeRow } from './chime.ts';
import {
  capacityRunsOut,
  RESOURCES,
  SCENARIO_RATIOS_2021,
  scenarioNeeds,
  scenarioReached,
  scenarioRuleSetFor,
  validateScenarioRuleSet,
  type Have,
} from './scenarios.ts';

const none = Object.fromEntries(RESOURCES.map((r) => [r, null])) as Have;
const rs = SCENARIO_RATIOS_2021;
const line = (lines: ReturnType<typeof scenarioNeeds>, r: string) =>
  lines.find((l) => l.resource === r)!;

describe('scenario needs', () => {
  it('30,000 F0 by the default ratios', () => {
    const lines = scenarioNeeds(30000, rs, { ...none, icuBeds: 124, ventilators: 86 });
    expect(line(lines, 'beds').need).toBe(9000 + 4500 + 1500);
    expect(line(lines, 'oxygenBeds').need).toBe(4500);
    expect(line(lines, 'icuBeds')).toMatchObject({ need: 1500, have: 124, shortfall: 1376 });
    expect(line(lines, 'ventilators')).toMatchObject({ need: 600, have: 86, shortfall: 514 });
    expect(line(lines, 'oxygenLitresPerDay').need).toBe(4500 * 7200 + 1500 * 21600);
    expect(line(lines, 'doctors').need).toBe(Math.ceil(15000 * 0.005 + 9000 * 0.02 + 450 + 750));
    expect(line(lines, 'nurses').need).toBe(150 + 360 + 1125 + 1500);
    expect(line(lines, 'testKits').need).toBe(90000);
    expect(line(lines, 'beds')).toMatchObject({ have: null, shortfall: null });
    expect(line(lines, 'icuBeds').basis.vi).toContain('tầng 3: 5 %');
  });

  it('a capacity exactly equal to the need is no shortfall; one less is 1', () => {
    expect(line(scenarioNeeds(1000, rs, { ...none, icuBeds: 50 }), 'icuBeds').shortfall).toBe(0);
    expect(line(scenarioNeeds(1000, rs, { ...none, icuBeds: 49 }), 'icuBeds').shortfall).toBe(1);
  });

  it('a part of a patient is a whole patient', () => {
    // 1 F0: 5 % in tier 3 is 0.05 of a patient, needing a whole ICU bed
    expect(line(scenarioNeeds(1, rs, none), 'icuBeds').need).toBe(1);
    expect(line(scenarioNeeds(0, rs, none), 'icuBeds').need).toBe(0);
  });

  it('the rule set in force and its validation', () => {
    expect(scenarioRuleSetFor([rs], '2021-10-05')).toBeNull();
    expect(scenarioRuleSetFor([rs], '2021-10-06')?.id).toBe(rs.id);
    expect(validateScenarioRuleSet(rs)).toEqual([]);
    const bad = { ...rs, tierShares: { ...rs.tierShares, home: 0.6 } };
    expect(validateScenarioRuleSet(bad).map((p) => p.path)).toEqual(['tierShares']);
    const neg = { ...rs, ventilatorShare: 0.06, testKitsPerCase: -1 };
    expect(validateScenarioRuleSet(neg).map((p) => p.path)).toEqual([
      'ventilatorShare',
      'testKitsPerCase',
    ]);
  });
});

describe('when capacity runs out', () => {
  const row = (day: number, hosp: number, icu = 0): ChimeRow => ({
    day,
    date: `2021-10-${String(10 + day).padStart(2, '0')}`,
    susceptible: 0,
    infected: hosp * 10,
    recovered: 0,
    ever: { hospitalized: 0, icu: 0, ventilated: 0 },
    admits: { hospitalized: 0, icu: 0, ventilated: 0 },
    census: { hospitalized: hosp, icu, ventilated: 0 },
  });

  it('the first day whose census is above the beds; equal still fits; past rows ignored', () => {
    const rows = [row(-1, 500), row(0, 90), row(1, 100), row(2, 100.5), row(3, 120), row(4, 80)];
    const out = capacityRunsOut(rows, { ...none, beds: 100, icuBeds: 5 });
    const h = out.find((o) => o.group === 'hospitalized')!;
    expect(h).toMatchObject({ capacity: 100, date: '2021-10-12', day: 2 });
    expect(h.peak).toEqual({ date: '2021-10-13', census: 120 });
    expect(out.find((o) => o.group === 'icu')).toMatchObject({ capacity: 5, date: null });
    expect(out.find((o) => o.group === 'ventilated')).toMatchObject({ capacity: null, date: null });
  });

  it('the day the projected infected reach the scenario', () => {
    const rows = [row(-1, 500), row(0, 90), row(1, 100), row(2, 150)];
    expect(scenarioReached(rows, 1000)).toEqual({ date: '2021-10-11', day: 1 });
    expect(scenarioReached(rows, 5000)).toBeNull();
  });

  it('on a real CHIME run the date is where the census first passes the beds', () => {
    const r = chime({
      population: 1_300_000,
      current_hospitalized: 40,
      current_date: '2021-10-10',
      doubling_time: 4,
      relative_contact_rate: 0.1,
      infectious_days: 14,
      market_share: 1,
      hospitalized: { rate: 0.05, days: 10 },
      icu: { rate: 0.01, days: 14 },
      ventilated: { rate: 0.004, days: 14 },
      n_days: 30,
    });
    const out = capacityRunsOut(r.rows, { ...none, beds: 1000 });
    const h = out.find((o) => o.group === 'hospitalized')!;
    const i = r.rows.findIndex((x) => x.date === h.date);
    expect(i).toBeGreaterThan(0);
    expect(r.rows[i]!.census.hospitalized).toBeGreaterThan(1000);
    expect(r.rows[i - 1]!.census.hospitalized).toBeLessThanOrEqual(1000);
  });
});
