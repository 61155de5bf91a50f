/**
 * CHIME's own test cases (github.com/CodeForPhilly/chime at d7417b0, tests/conftest.py and
 * tests/penn_chime/model/test_sir.py, tests/penn_chime/view/test_st_display.py), reproduced.
 */
import { describe, expect, it } from 'vitest';
import { chime, ChimeError, growthRate, simulate, sirStep, type ChimeParameters } from './chime.ts';

// conftest.py `param`
const param: ChimeParameters = {
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
  recovered: 0,
  relative_contact_rate: 0.15,
  ventilated: { rate: 0.01, days: 10 },
};
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const EPSILON = 1e-7; // penn_chime.constants.EPSILON

describe('CHIME test_sir, test_sim_sir, test_growth_rate', () => {
  it('one step of the contrived example', () => {
    expect(sirStep(100, 1, 0, 0.2, 0.5, 1)).toEqual([
      0.7920792079207921, 0.20297029702970298, 0.0049504950495049506,
    ]);
  });
  it('sim_sir(5, 6, 7, gamma 0.1, beta 0.1 for 40 days)', () => {
    const r = simulate(5, 6, 7, 0.1, 0.1, 0.1, 40, 40);
    expect(Math.round(r.s[0]!)).toBe(5);
    expect(r.i[0]).toBe(6);
    expect(Math.round(r.r[0]!)).toBe(7);
    expect(r.s[40]!.toFixed(2)).toBe('0.00');
    expect(r.i[40]!.toFixed(2)).toBe('0.18');
    expect(r.r[40]!.toFixed(2)).toBe('17.82');
  });
  it('growth rates', () => {
    expect((growthRate(5) * 100).toFixed(4)).toBe('14.8698');
    expect(growthRate(0)).toBe(0);
    expect((growthRate(-4) * 100).toFixed(4)).toBe('-15.9104');
  });
});

describe('CHIME test_model: doubling time known, i_day fitted', () => {
  const m = chime(param);
  it('the summary values', () => {
    expect(Math.round(m.infected)).toBe(45810);
    expect(rel(m.intrinsic_growth_rate, 0.12246204830937302)).toBeLessThan(1e-6);
    // CHIME's own check is this loose (its figure predates a change of the model); ours is exact:
    expect(Math.abs(m.beta - 4.21501347256401e-7)).toBeLessThan(EPSILON);
    expect(rel(m.beta, (0.12246204830937302 + 1 / 14) / 499600)).toBeLessThan(1e-12);
    expect(rel(m.r_t, 2.307298374881539)).toBeLessThan(1e-6);
    expect(rel(m.r_naught, 2.7144686763312222)).toBeLessThan(1e-6);
    expect(rel(m.doubling_time_t, 7.764405988534983)).toBeLessThan(1e-6);
    expect(m.i_day).toBe(43);
  });
  it('test_model_raw_start', () => {
    expect(m.rows).toHaveLength(104);
    expect(m.rows[0]!.susceptible).toBe(499600);
    expect(Math.round(m.rows[1]!.infected)).toBe(449);
    expect(m.rows[0]!.day).toBe(-43);
    expect(m.rows[0]!.date).toBe('2020-02-14');
    expect(m.rows[0]!.ever.hospitalized).toBeCloseTo(1.0, 12);
    expect(m.rows[0]!.ever.icu).toBeCloseTo(0.4, 12);
    expect(m.rows[0]!.ever.ventilated).toBeCloseTo(0.2, 12);
    expect(Math.round(m.rows[30]!.recovered)).toBe(7083);
    const r60 = m.rows[60]!;
    expect(r60.date).toBe('2020-04-14');
    expect(
      [r60.day, r60.ever.hospitalized, r60.ever.icu, r60.ever.ventilated].map(Math.round),
    ).toEqual([17, 549, 220, 110]);
  });
  it('test_model_raw_end, conservation and monotonicity', () => {
    expect(Math.round(m.rows.at(-1)!.susceptible)).toBe(83391);
    for (let j = 0; j < m.rows.length; j++) {
      const r = m.rows[j]!;
      expect(Math.abs(r.susceptible + r.infected + r.recovered - param.population)).toBeLessThan(
        0.1,
      );
      if (j > 0) {
        expect(r.susceptible).toBeLessThanOrEqual(m.rows[j - 1]!.susceptible);
        expect(r.recovered).toBeGreaterThanOrEqual(m.rows[j - 1]!.recovered);
      }
    }
  });
  it('test_model_cumulative_census: cumulative admissions = ever − the first patient', () => {
    let cum = 0;
    for (let j = 1; j < m.rows.length - 1; j++) {
      cum += m.rows[j]!.admits.hospitalized!;
      const r = m.rows[j]!;
      expect(Math.abs(cum - (0.05 * 0.05 * (r.infected + r.recovered) - 1))).toBeLessThan(0.1);
    }
    expect(m.rows[0]!.admits.hospitalized).toBeNull();
  });
  it('census is the sum of the last L days of admissions', () => {
    const j = 50;
    let sum = 0;
    for (let t = j - 6; t <= j; t++) sum += m.rows[t]!.admits.hospitalized!;
    expect(rel(m.rows[j]!.census.hospitalized, sum)).toBeLessThan(1e-9);
    expect(m.rows[m.i_day]!.census.hospitalized).toBeGreaterThan(90);
    expect(m.rows[m.i_day]!.census.hospitalized).toBeLessThan(110);
  });
});

describe('CHIME test_model_first_hosp_fit: date of first hospitalisation known, Td fitted', () => {
  const m = chime({ ...param, doubling_time: null, date_first_hospitalized: '2020-02-14' });
  it('reproduces the fitted values', () => {
    expect(m.i_day).toBe(43);
    expect(rel(m.intrinsic_growth_rate, 0.123)).toBeLessThan(0.01);
    expect(Math.abs(m.beta - 4.21501347256401e-7)).toBeLessThan(EPSILON);
    expect(rel(m.r_t, 2.32)).toBeLessThan(0.01);
    expect(rel(m.r_naught, 2.72)).toBeLessThan(0.01);
    expect(rel(m.doubling_time_t, 7.71)).toBeLessThan(0.01);
  });
});

describe('CHIME test_st_display: the halving model', () => {
  it('halves the infections every 51.9 days, daily growth −1.33 %', () => {
    const m = chime({ ...param, relative_contact_rate: 0.7 });
    expect(m.doubling_time_t).toBeLessThan(0);
    expect(Math.abs(m.doubling_time_t).toFixed(1)).toBe('51.9');
    expect((m.daily_growth_rate_t * 100).toFixed(2)).toBe('-1.33');
  });
  it('the unmitigated statement: doubling every 6 days, R0 2.71, Rt 2.31', () => {
    const m = chime(param);
    expect(m.r_naught.toFixed(2)).toBe('2.71');
    expect(m.r_t.toFixed(2)).toBe('2.31');
  });
});

describe('validation', () => {
  it('neither or both of doubling_time and date_first_hospitalized', () => {
    expect(() => chime({ ...param, doubling_time: null })).toThrow(ChimeError);
    expect(() => chime({ ...param, date_first_hospitalized: '2020-03-01' })).toThrow(ChimeError);
  });
  it('rates in [0, 1], market share > 0, lengths of stay integers ≥ 1', () => {
    expect(() => chime({ ...param, market_share: 0 })).toThrow(/market_share/);
    expect(() => chime({ ...param, icu: { rate: 1.5, days: 9 } })).toThrow(/icu.rate/);
    expect(() => chime({ ...param, icu: { rate: 0.1, days: 0 } })).toThrow(/icu.days/);
  });
  it('a first hospitalisation long ago fits Td above 15 days: refused as unreasonable', () => {
    expect(() =>
      chime({ ...param, doubling_time: null, date_first_hospitalized: '2019-01-01' }),
    ).toThrow(/above 15 days/);
  });
});
