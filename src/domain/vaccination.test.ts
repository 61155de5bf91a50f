import { describe, expect, it } from 'vitest';
import { addDays } from './dates.ts';
import {
  addMonthsIso,
  ageGroupsOf,
  ageOn,
  birthYearsOf,
  checkNewDose,
  countCoverage,
  coverageFigure,
  DEFAULT_VACCINE_SCHEDULES as SETS,
  estimateTarget,
  isFullyVaccinated,
  percent,
  scheduleInForce,
  supplyLine,
  validateSchedule,
  vaccinationState,
  VACCINE_PRODUCTS,
  type VaccineScheduleRuleSet,
} from './vaccination.ts';

const d = (product: string, date: string) => ({ product, date });

describe('rule sets', () => {
  it('every shipped set is valid and has the EU codes', () => {
    for (const rs of SETS) expect(validateSchedule(rs)).toEqual([]);
    const mp = Object.fromEntries(VACCINE_PRODUCTS.map((p) => [p.code, p.mp]));
    expect(mp).toMatchObject({
      comirnaty: 'EU/1/20/1528',
      spikevax: 'EU/1/20/1507',
      vaxzevria: 'EU/1/21/1529',
      bbibp: 'BBIBP-CorV',
      sputnik_v: 'Sputnik-V',
      jcovden: 'EU/1/20/1525',
      abdala: 'Abdala',
    });
  });
  it('picks the set by date, including the edges', () => {
    expect(scheduleInForce(SETS, '2021-08-31').id).toBe('vn-vaccine-2021-07');
    expect(scheduleInForce(SETS, '2021-09-01').id).toBe('vn-vaccine-2021-09');
    expect(scheduleInForce(SETS, '2021-11-16').id).toBe('vn-vaccine-2021-09');
    expect(scheduleInForce(SETS, '2021-11-17').id).toBe('vn-vaccine-2021-11');
    expect(scheduleInForce(SETS, '2022-01-08').id).toBe('vn-vaccine-2022-01');
    expect(scheduleInForce(SETS, '2021-03-08').id).toBe('vn-vaccine-2021-07');
  });
  it('rejects broken sets', () => {
    const bad: VaccineScheduleRuleSet = {
      ...SETS[0]!,
      products: [{ ...VACCINE_PRODUCTS[1]!, intervals: [] }],
      mixing: [{ id: 'x', from: ['nope'], to: ['comirnaty'], confidence: 'sure', notes: '' }],
    };
    const paths = validateSchedule(bad).map((i) => i.path);
    expect(paths).toContain('products.0.intervals');
    expect(paths).toContain('mixing.0');
  });
});

describe('intervals (QĐ 3588) — minimum edge for every product', () => {
  const cases: [string, number, number, number | null][] = [
    ['vaxzevria', 56, 56, 84],
    ['comirnaty', 21, 21, null],
    ['spikevax', 28, 28, null],
    ['bbibp', 21, 21, 28],
    ['sputnik_v', 21, 21, null],
    ['abdala', 14, 14, null],
  ];
  for (const [p, min, rec, max] of cases) {
    it(`${p}: dose 2 due after ${rec} days, earliest ${min}, ${min - 1} refused`, () => {
      const first = '2021-08-02';
      const s = vaccinationState(SETS, [d(p, first)], '2021-08-03');
      expect(s.status).toBe('partial');
      expect(s.next).toMatchObject({
        kind: 'primary',
        doseNumber: 2,
        earliest: addDays(first, min),
        due: addDays(first, rec),
        latest: addDays(first, max ?? rec),
        overdue: false,
      });
      expect(checkNewDose(SETS, [d(p, first)], d(p, addDays(first, min))).ok).toBe(true);
      const early = checkNewDose(SETS, [d(p, first)], d(p, addDays(first, min - 1)));
      expect(early.problems.map((x) => x.code)).toEqual(['too_early']);
    });
  }
  it('overdue from the day after the latest day', () => {
    const s1 = vaccinationState(SETS, [d('bbibp', '2021-08-01')], '2021-08-29');
    expect(s1.next).toMatchObject({ overdue: false, daysOverdue: 0 });
    const s2 = vaccinationState(SETS, [d('bbibp', '2021-08-01')], '2021-08-30');
    expect(s2.next).toMatchObject({ overdue: true, daysOverdue: 1 });
    const s3 = vaccinationState(SETS, [d('comirnaty', '2021-08-01')], '2021-08-23');
    expect(s3.next).toMatchObject({ due: '2021-08-22', overdue: true, daysOverdue: 1 });
  });
  it('Abdala needs 3 doses 14 days apart and ages 19–65', () => {
    const s = vaccinationState(
      SETS,
      [d('abdala', '2021-10-01'), d('abdala', '2021-10-15')],
      '2021-10-16',
    );
    expect(s.next).toMatchObject({ doseNumber: 3, earliest: '2021-10-29' });
    expect(s.primaryDoses).toBe(3);
    expect(checkNewDose(SETS, [], d('abdala', '2021-10-01'), 66).problems[0]?.code).toBe('age');
    expect(checkNewDose(SETS, [], d('abdala', '2021-10-01'), 65).ok).toBe(true);
    expect(checkNewDose(SETS, [], d('abdala', '2021-10-01'), 18).problems[0]?.code).toBe('age');
  });
  it('Janssen: one dose completes the primary series', () => {
    const s = vaccinationState(SETS, [d('jcovden', '2021-10-01')], '2021-10-15');
    expect(s).toMatchObject({
      status: 'primary_complete',
      primaryCompleteOn: '2021-10-01',
      fullyVaccinated: true,
    });
  });
  it('a provincial set can shorten AstraZeneca to 4 weeks', () => {
    const az = VACCINE_PRODUCTS.find((p) => p.code === 'vaxzevria')!;
    const province: VaccineScheduleRuleSet = {
      ...SETS[1]!,
      id: 'dienbien-az-4w',
      scope: 'provincial',
      overrides: true,
      products: SETS[1]!.products.map((p) =>
        p.code === 'vaxzevria'
          ? { ...az, intervals: [{ minDays: 28, recommendedDays: 28, maxDays: 84 }] }
          : p,
      ),
    };
    expect(validateSchedule(province)).toEqual([]);
    const sets = [...SETS, province];
    expect(
      checkNewDose(sets, [d('vaxzevria', '2021-09-01')], d('vaxzevria', '2021-09-29')).ok,
    ).toBe(true);
    expect(
      checkNewDose(SETS, [d('vaxzevria', '2021-09-01')], d('vaxzevria', '2021-09-29')).ok,
    ).toBe(false);
  });
});

describe('mixing rules', () => {
  it('before 09/2021 no mixing at all', () => {
    const c = checkNewDose(SETS, [d('vaxzevria', '2021-06-01')], d('comirnaty', '2021-08-10'));
    expect(c.problems.map((p) => p.code)).toEqual(['mixing_not_allowed']);
    expect(c.rulesetId).toBe('vn-vaccine-2021-07');
  });
  it('AZ → Pfizer and AZ → Moderna allowed from 09/2021, interval of AZ', () => {
    for (const to of ['comirnaty', 'spikevax']) {
      const c = checkNewDose(SETS, [d('vaxzevria', '2021-08-01')], d(to, '2021-09-26'));
      expect(c).toMatchObject({ ok: true, ruleId: 'az-to-mrna', doseNumber: 2 });
      const early = checkNewDose(SETS, [d('vaxzevria', '2021-08-01')], d(to, '2021-09-25'));
      expect(early.problems.map((p) => p.code)).toEqual(['too_early']);
    }
    const s = vaccinationState(SETS, [d('vaxzevria', '2021-08-01')], '2021-09-02');
    expect(s.next?.products).toEqual(['vaxzevria', 'comirnaty', 'spikevax']);
  });
  it('Pfizer ↔ Moderna allowed', () => {
    expect(
      checkNewDose(SETS, [d('comirnaty', '2021-09-01')], d('spikevax', '2021-09-22')).ruleId,
    ).toBe('mrna-interchange');
    expect(checkNewDose(SETS, [d('spikevax', '2021-09-01')], d('comirnaty', '2021-09-29')).ok).toBe(
      true,
    );
    expect(checkNewDose(SETS, [d('spikevax', '2021-09-01')], d('comirnaty', '2021-09-28')).ok).toBe(
      false,
    );
  });
  it('mRNA → AZ, Vero Cell → Pfizer, Sputnik → Moderna refused', () => {
    for (const [a, b] of [
      ['comirnaty', 'vaxzevria'],
      ['bbibp', 'comirnaty'],
      ['sputnik_v', 'spikevax'],
    ]) {
      const c = checkNewDose(SETS, [d(a!, '2021-09-01')], d(b!, '2021-12-01'));
      expect(c.problems.map((p) => p.code)).toContain('mixing_not_allowed');
    }
  });
  it('unknown product and a date before the previous dose', () => {
    expect(checkNewDose(SETS, [], d('covaxin', '2021-09-01')).problems[0]?.code).toBe(
      'unknown_product',
    );
    expect(
      checkNewDose(SETS, [d('comirnaty', '2021-09-01')], d('comirnaty', '2021-09-01')).problems.map(
        (p) => p.code,
      ),
    ).toContain('before_previous');
  });
});

describe('booster', () => {
  const primary = [d('comirnaty', '2021-06-01'), d('comirnaty', '2021-06-22')];
  it('none before 17/11/2021', () => {
    expect(vaccinationState(SETS, primary, '2021-11-16').next).toBeNull();
    expect(checkNewDose(SETS, primary, d('comirnaty', '2021-11-16')).problems[0]?.code).toBe(
      'booster_not_recommended',
    );
  });
  it('6 months after the primary series from 11/2021 (edge day)', () => {
    const s = vaccinationState(SETS, primary, '2021-11-20');
    expect(s.next).toMatchObject({ kind: 'booster', doseNumber: 3, earliest: '2021-12-22' });
    expect(checkNewDose(SETS, primary, d('spikevax', '2021-12-21')).problems[0]?.code).toBe(
      'booster_too_early',
    );
    expect(checkNewDose(SETS, primary, d('spikevax', '2021-12-22')).ok).toBe(true);
  });
  it('3 months from 08/01/2022, and only booster products', () => {
    const p2 = [d('bbibp', '2021-10-01'), d('bbibp', '2021-10-22')];
    expect(vaccinationState(SETS, p2, '2022-01-10').next?.earliest).toBe('2022-01-22');
    expect(checkNewDose(SETS, p2, d('bbibp', '2022-02-01')).problems[0]?.code).toBe(
      'booster_product',
    );
    expect(checkNewDose(SETS, p2, d('vaxzevria', '2022-01-22')).ok).toBe(true);
  });
  it('not offered under 18; boosted status after it', () => {
    expect(vaccinationState(SETS, primary, '2022-02-01', 16).next).toBeNull();
    const s = vaccinationState(SETS, [...primary, d('spikevax', '2022-01-10')], '2022-02-01');
    expect(s).toMatchObject({ status: 'boosted', boosterDoses: 1, next: null });
  });
  it('calendar months clamp to the end of the month', () => {
    expect(addMonthsIso('2021-08-31', 6)).toBe('2022-02-28');
    expect(addMonthsIso('2021-11-30', 3)).toBe('2022-02-28');
    expect(addMonthsIso('2023-11-30', 3)).toBe('2024-02-29');
    expect(addMonthsIso('2021-12-15', 1)).toBe('2022-01-15');
  });
});

describe('fully vaccinated', () => {
  const doses = [d('spikevax', '2021-09-01'), d('spikevax', '2021-09-29')];
  it('day 13 no, day 14 yes', () => {
    expect(isFullyVaccinated(SETS, doses, '2021-10-12')).toBe(false);
    expect(isFullyVaccinated(SETS, doses, '2021-10-13')).toBe(true);
    expect(vaccinationState(SETS, doses, '2021-10-12')).toMatchObject({
      status: 'primary_complete',
      fullyVaccinated: false,
      fullyVaccinatedFrom: '2021-10-13',
    });
  });
  it('one dose of a two-dose vaccine is never full; future doses are ignored', () => {
    expect(isFullyVaccinated(SETS, doses.slice(0, 1), '2022-06-01')).toBe(false);
    expect(vaccinationState(SETS, doses, '2021-09-15').dosesGiven).toBe(1);
    expect(vaccinationState(SETS, [], '2021-09-15').status).toBe('none');
  });
});

describe('coverage arithmetic', () => {
  it('age and groups, by date and by birth year', () => {
    expect(ageOn('2004-11-20', 2004, '2021-11-19')).toBe(16);
    expect(ageOn('2004-11-20', 2004, '2021-11-20')).toBe(17);
    expect(ageOn(null, 2004, '2021-01-01')).toBe(17);
    expect(ageGroupsOf(11)).toEqual([]);
    expect(ageGroupsOf(12)).toEqual(['12-17']);
    expect(ageGroupsOf(17)).toEqual(['12-17']);
    expect(ageGroupsOf(18)).toEqual(['18+']);
    expect(ageGroupsOf(50)).toEqual(['18+', '50+']);
    expect(ageGroupsOf(65)).toEqual(['18+', '50+', '65+']);
    expect(birthYearsOf('12-17', 2021)).toEqual({ from: 2004, to: 2009 });
    expect(birthYearsOf('65+', 2021)).toEqual({ from: null, to: 1956 });
  });
  it('the seed figures: 95 % one dose and 80.77 % two doses', () => {
    // Seed 002: 495.909 over 18 with dose 1 (95 %), 450.905 with 2 doses (80,77 %).
    const f = coverageFigure(
      { atLeastOne: 495_909, fullPrimary: 450_905, booster: 0 },
      558_268,
      null,
      '18+',
    );
    expect(f.pct.fullPrimary).toBe(80.77);
    expect(f.denominatorSource).toBe('entered');
    expect(percent(37_799, 72_812)).toBe(51.91);
  });
  it('estimate from the census total, labelled, and none without either', () => {
    const f = coverageFigure({ atLeastOne: 50, fullPrimary: 20, booster: 5 }, null, 1000, '65+');
    expect(f).toMatchObject({ denominator: 77, denominatorSource: 'estimate' });
    expect(f.pct).toEqual({ atLeastOne: 64.94, fullPrimary: 25.97, booster: 6.49 });
    expect(estimateTarget(598_856, '18+')).toBe(431_176);
    expect(
      coverageFigure({ atLeastOne: 1, fullPrimary: 0, booster: 0 }, null, null, '18+').pct
        .atLeastOne,
    ).toBeNull();
    expect(
      coverageFigure({ atLeastOne: 1, fullPrimary: 0, booster: 0 }, 0, 100, '18+').pct.atLeastOne,
    ).toBeNull();
  });
  it('counts a small set by group', () => {
    const st = (doses: number, complete: boolean, boosters: number) => ({
      dosesGiven: doses,
      primaryCompleteOn: complete ? '2021-09-01' : null,
      boosterDoses: boosters,
    });
    const people = [
      { age: 15, state: st(1, false, 0) },
      { age: 30, state: st(2, true, 0) },
      { age: 70, state: st(3, true, 1) },
      { age: 66, state: st(0, false, 0) },
      { age: 10, state: st(2, true, 0) },
    ];
    expect(countCoverage(people, '12-17')).toEqual({ atLeastOne: 1, fullPrimary: 0, booster: 0 });
    expect(countCoverage(people, '18+')).toEqual({ atLeastOne: 2, fullPrimary: 2, booster: 1 });
    expect(countCoverage(people, '65+')).toEqual({ atLeastOne: 1, fullPrimary: 1, booster: 1 });
  });
});

describe('supply line', () => {
  it('reproduces seed 000', () => {
    expect(supplyLine(78_040, 68_550, 59_495)).toEqual({
      givenPctOfReceived: 86.8,
      vi: '78.040 liều được cấp, 68.550 đã tiếp nhận, 59.495 mũi đã tiêm (86,8 %)',
    });
    expect(supplyLine(100, 0, 0).vi).toBe('100 liều được cấp, 0 đã tiếp nhận, 0 mũi đã tiêm');
  });
});
