import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DISCHARGE_RULESETS,
  DEFAULT_ELIGIBILITY_RULESETS,
  DEFAULT_WARNING_SIGN_RULESETS,
  dischargeDecision,
  homeEligibility,
  warningSigns,
  type EligibilityFacts,
} from './care-f0.ts';

const ws = DEFAULT_WARNING_SIGN_RULESETS[0]!;
const ids = (r: Parameters<typeof warningSigns>[1], age = 30) =>
  warningSigns(ws, r, age).map((s) => s.id);

describe('warning signs at exactly the threshold', () => {
  it('SpO2 96 % warns, 97 % does not, in words', () => {
    expect(ids({ spo2: 97, symptoms: [] })).toEqual([]);
    const s = warningSigns(ws, { spo2: 96, symptoms: [] }, 30);
    expect(s.map((x) => x.id)).toEqual(['spo2_low']);
    expect(warningSigns(ws, { spo2: 95, symptoms: [] }, 30)[0]!.explanation.vi).toBe(
      'SpO2 95 % ≤ 96 %',
    );
  });
  it('respiratory rate by age band: adult 20, child 1–<5 40, child 5–<12 30', () => {
    expect(ids({ respiratoryRate: 19, symptoms: [] })).toEqual([]);
    expect(ids({ respiratoryRate: 20, symptoms: [] })).toEqual(['rr_adult']);
    expect(ids({ respiratoryRate: 39, symptoms: [] }, 3)).toEqual([]);
    expect(ids({ respiratoryRate: 40, symptoms: [] }, 3)).toEqual(['rr_child_1_5']);
    expect(ids({ respiratoryRate: 30, symptoms: [] }, 5)).toEqual(['rr_child_5_12']);
    expect(ids({ respiratoryRate: 29, symptoms: [] }, 11)).toEqual([]);
  });
  it('pulse above 120 or below 50 (120 and 50 themselves do not warn)', () => {
    expect(ids({ pulse: 120, symptoms: [] })).toEqual([]);
    expect(ids({ pulse: 121, symptoms: [] })).toEqual(['pulse_high']);
    expect(ids({ pulse: 50, symptoms: [] })).toEqual([]);
    expect(ids({ pulse: 49, symptoms: [] })).toEqual(['pulse_low']);
  });
  it('blood pressure and symptoms', () => {
    expect(ids({ systolic: 90, diastolic: 60, symptoms: ['cough'] })).toEqual([]);
    expect(ids({ systolic: 89, diastolic: 59, symptoms: ['shortness_of_breath'] })).toEqual([
      'systolic_low',
      'diastolic_low',
      'dyspnoea',
    ]);
    expect(ids({ symptoms: ['not_feeding'] }, 30)).toEqual([]);
    expect(ids({ symptoms: ['not_feeding'] }, 2)).toEqual(['not_feeding']);
  });
});

describe('home-treatment eligibility (QĐ 4038)', () => {
  const el = DEFAULT_ELIGIBILITY_RULESETS[0]!;
  const f = (over: Partial<EligibilityFacts> = {}): EligibilityFacts => ({
    ageYears: 30,
    comorbidity: false,
    pregnant: false,
    doses: 0,
    lastDoseOn: null,
    spo2: 98,
    respiratoryRate: 16,
    severe: false,
    hasCarer: true,
    on: '2021-09-20',
    ...over,
  });
  it('age 49 at home, 50 to tier 1 unless fully vaccinated', () => {
    expect(homeEligibility(el, f({ ageYears: 49 })).tier).toBe('home');
    const d = homeEligibility(el, f({ ageYears: 50 }));
    expect(d).toMatchObject({ tier: 'tier1', rule: 'risk' });
    expect(d.explanation.vi).toContain('50 tuổi');
  });
  it('fully vaccinated from the 14th day after the last dose (day 13 not yet)', () => {
    expect(homeEligibility(el, f({ ageYears: 60, doses: 2, lastDoseOn: '2021-09-07' })).tier).toBe(
      'tier1',
    );
    const d = homeEligibility(el, f({ ageYears: 60, doses: 2, lastDoseOn: '2021-09-06' }));
    expect(d).toMatchObject({ tier: 'home', fullyVaccinated: true });
  });
  it('SpO2 96 % and respiratory rate 20 stay at home; 95 % or 21 go to tier 2', () => {
    expect(homeEligibility(el, f({ spo2: 96, respiratoryRate: 20 })).tier).toBe('home');
    expect(homeEligibility(el, f({ spo2: 95 }))).toMatchObject({ tier: 'tier2', rule: 'clinical' });
    expect(homeEligibility(el, f({ respiratoryRate: 21 })).tier).toBe('tier2');
  });
});

describe('discharge by the rule set in force', () => {
  const [, dec2021, feb2022] = DEFAULT_DISCHARGE_RULESETS;
  it('12/2021: day 10 refused, day 11 with a negative rapid test discharged', () => {
    const neg = { on: '2021-12-20', type: 'rapid' as const };
    expect(dischargeDecision(dec2021!, '2021-12-10', '2021-12-19', neg).ok).toBe(false);
    const d = dischargeDecision(dec2021!, '2021-12-10', '2021-12-20', neg);
    expect(d).toMatchObject({ ok: true, dischargeOn: '2021-12-20' });
    expect(dischargeDecision(dec2021!, '2021-12-10', '2021-12-20', null).ok).toBe(false);
  });
  it('02/2022: 7 days', () => {
    expect(
      dischargeDecision(feb2022!, '2022-03-01', '2022-03-08', { on: '2022-03-08', type: 'pcr' }).ok,
    ).toBe(true);
    expect(
      dischargeDecision(feb2022!, '2022-03-01', '2022-03-07', { on: '2022-03-07', type: 'pcr' }).ok,
    ).toBe(false);
  });
});
