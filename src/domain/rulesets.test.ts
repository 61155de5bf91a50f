import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULESETS,
  EXPLANATION_PLACEHOLDERS,
  RULESET_CV8399,
  RULESET_DIENBIEN_2021_07,
  rulesetInForce,
  validateRuleSet,
  type ArrivalRuleSet,
  type VersionedRuleSet,
} from './rulesets.ts';

const clone = (rs: ArrivalRuleSet): ArrivalRuleSet => JSON.parse(JSON.stringify(rs));
const paths = (rs: ArrivalRuleSet) => validateRuleSet(rs).map((i) => i.path);

describe('the shipped rule sets', () => {
  it('are valid, JSON-serialisable data', () => {
    for (const rs of DEFAULT_RULESETS) {
      expect(validateRuleSet(rs)).toEqual([]);
      expect(clone(rs)).toEqual(rs);
    }
    expect(DEFAULT_RULESETS.map((r) => r.id)).toEqual([
      'arrival-dienbien-2021-07',
      'arrival-cv8399-2021-10-06',
    ]);
  });

  it('CV 8399/BYT-MT of 06/10/2021 is national, sure, open-ended', () => {
    expect(RULESET_CV8399).toMatchObject({
      kind: 'arrival_classification',
      legalBasis: { number: 'CV 8399/BYT-MT', date: '2021-10-06' },
      issuer: 'Bộ Y tế',
      scope: 'national',
      overrides: false,
      validFrom: '2021-10-06',
      validTo: null,
      confidence: 'sure',
      definitions: { fullyVaccinatedAfterDays: 14, epidemicAreaMinLevel: 2 },
    });
    const byId = Object.fromEntries(RULESET_CV8399.rules.map((r) => [r.id, r.then]));
    expect(byId['cv8399-full']).toMatchObject({
      action: 'self_monitoring',
      quarantineDays: 0,
      monitoringDays: 7,
      testDays: [1],
    });
    expect(byId['cv8399-recovered']).toMatchObject({
      action: 'self_monitoring',
      monitoringDays: 7,
    });
    expect(byId['cv8399-partial']).toMatchObject({
      action: 'home_quarantine',
      quarantineDays: 7,
      monitoringDays: 7,
      testDays: [1, 7],
    });
    expect(byId['cv8399-unvaccinated']).toMatchObject({
      action: 'centralised_quarantine',
      quarantineDays: 14,
      monitoringDays: 14,
      testDays: [1, 7, 14],
    });
    const unvaccinated = RULESET_CV8399.rules.find((r) => r.id === 'cv8399-unvaccinated');
    expect(unvaccinated?.notes).toMatch(/centralised/);
    expect(RULESET_CV8399.rules.find((r) => r.id === 'cv8399-recovered')?.when).toEqual({
      fromEpidemicArea: true,
      recoveredWithinDays: 180,
    });
    expect(RULESET_CV8399.rules.find((r) => r.id === 'cv8399-symptoms')?.confidence).toBe(
      'reconstructed',
    );
  });

  it('Điện Biên 07/2021 is provincial, overrides, reconstructed, cites seed 000', () => {
    expect(RULESET_DIENBIEN_2021_07).toMatchObject({
      issuer: 'UBND tỉnh Điện Biên',
      scope: 'provincial',
      overrides: true,
      validFrom: '2021-07-01',
      validTo: '2021-10-05',
      confidence: 'reconstructed',
    });
    expect(RULESET_DIENBIEN_2021_07.name).toMatch(/tái dựng/);
    expect(RULESET_DIENBIEN_2021_07.notes).toMatch(/RECONSTRUCTED/);
    expect(RULESET_DIENBIEN_2021_07.notes).toMatch(/seed 000/);
    for (const rule of RULESET_DIENBIEN_2021_07.rules) {
      expect(rule.confidence).toBe('reconstructed');
    }
    const level4 = RULESET_DIENBIEN_2021_07.rules.find((r) => r.id === 'db2021-level4');
    expect(level4?.then).toMatchObject({
      action: 'centralised_quarantine',
      quarantineDays: 14,
      monitoringDays: 14,
    });
    const untested = RULESET_DIENBIEN_2021_07.rules.find((r) => r.id === 'db2021-untested');
    expect(untested?.when.negativeTest).toEqual({
      withinHours: 72,
      types: ['pcr', 'rapid'],
      present: false,
    });
    expect(untested?.legalBasis?.number).toBe('CV 2299/UBND-KGVX');
  });

  it('each ends with a fallback rule and has no other', () => {
    for (const rs of DEFAULT_RULESETS) {
      const last = rs.rules[rs.rules.length - 1];
      expect(last?.when).toEqual({});
      expect(rs.rules.slice(0, -1).every((r) => Object.keys(r.when).length > 0)).toBe(true);
    }
  });
});

describe('validateRuleSet', () => {
  it('wants the last rule to be the fallback, and no fallback before it', () => {
    const a = clone(RULESET_CV8399);
    a.rules.pop();
    expect(paths(a)).toContain(`rules[${a.rules.length - 1}].when`);
    const b = clone(RULESET_CV8399);
    b.rules[1]!.when = {};
    expect(paths(b)).toContain('rules[1].when');
  });

  it('refuses duplicate rule ids, unknown conditions, bad levels and statuses', () => {
    const rs = clone(RULESET_CV8399);
    rs.rules[2]!.id = rs.rules[1]!.id;
    (rs.rules[1]!.when as Record<string, unknown>).ageOver = 65;
    rs.rules[3]!.when.originLevels = [5 as never];
    rs.rules[4]!.when.vaccination = ['booster' as never];
    expect(paths(rs)).toEqual(
      expect.arrayContaining([
        'rules[2].id',
        'rules[1].when.ageOver',
        'rules[3].when.originLevels',
        'rules[4].when.vaccination',
      ]),
    );
  });

  it('checks validity dates and precedence flags', () => {
    const rs = clone(RULESET_DIENBIEN_2021_07);
    rs.validTo = '2021-06-30';
    expect(paths(rs)).toContain('validTo');
    rs.validTo = '2021-02-30';
    expect(paths(rs)).toContain('validTo');
    const national = clone(RULESET_CV8399);
    national.overrides = true;
    expect(paths(national)).toContain('overrides');
  });

  it('checks outcomes: test days within the period, increasing; actions coherent', () => {
    const rs = clone(RULESET_CV8399);
    const partial = rs.rules.find((r) => r.id === 'cv8399-partial')!;
    partial.then.testDays = [1, 15];
    const unvaccinated = rs.rules.find((r) => r.id === 'cv8399-unvaccinated')!;
    unvaccinated.then.testDays = [7, 1];
    const full = rs.rules.find((r) => r.id === 'cv8399-full')!;
    full.then.quarantineDays = 3;
    const fallback = rs.rules[rs.rules.length - 1]!;
    fallback.then.testDays = [1];
    const i = (id: string) => rs.rules.findIndex((r) => r.id === id);
    expect(paths(rs)).toEqual(
      expect.arrayContaining([
        `rules[${i('cv8399-partial')}].then.testDays[1]`,
        `rules[${i('cv8399-unvaccinated')}].then.testDays[1]`,
        `rules[${i('cv8399-full')}].then.monitoringDays`,
        `rules[${rs.rules.length - 1}].then`,
      ]),
    );
    // 14 + 14 days: day 28 is the last allowed test day, 29 is not.
    const ok = clone(RULESET_CV8399);
    ok.rules.find((r) => r.id === 'cv8399-unvaccinated')!.then.testDays = [1, 28];
    expect(validateRuleSet(ok)).toEqual([]);
    ok.rules.find((r) => r.id === 'cv8399-unvaccinated')!.then.testDays = [1, 29];
    expect(validateRuleSet(ok)).not.toEqual([]);
  });

  it('checks template placeholders: known, and available for the rule', () => {
    const rs = clone(RULESET_CV8399);
    const full = rs.rules.find((r) => r.id === 'cv8399-full')!;
    full.then.explanation.vi += ' {district}';
    full.then.explanation.en += ' {quarantineEnds} {symptoms} {negativeTestHours}';
    const messages = validateRuleSet(rs).map((i) => i.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('{district}'),
        expect.stringContaining('{quarantineEnds}'),
        expect.stringContaining('{symptoms}'),
        expect.stringContaining('{negativeTestHours}'),
      ]),
    );
    expect(messages).toHaveLength(4);
    expect(Object.keys(EXPLANATION_PLACEHOLDERS)).toContain('testDates');
  });
});

describe('rulesetInForce', () => {
  const kind = 'arrival_classification';

  it.each([
    ['2021-06-30', null],
    ['2021-07-01', 'arrival-dienbien-2021-07'],
    ['2021-08-15', 'arrival-dienbien-2021-07'],
    ['2021-10-05', 'arrival-dienbien-2021-07'],
    ['2021-10-06', 'arrival-cv8399-2021-10-06'],
    ['2022-03-01', 'arrival-cv8399-2021-10-06'],
  ])('on %s → %s', (date, id) => {
    expect(rulesetInForce(DEFAULT_RULESETS, kind, date)?.id ?? null).toBe(id);
  });

  it('answers null for an invalid date or another kind', () => {
    expect(rulesetInForce(DEFAULT_RULESETS, kind, '2021-02-30')).toBeNull();
    const other: VersionedRuleSet[] = [
      { id: 'q', kind: 'quarantine_durations', validFrom: '2021-01-01', validTo: null },
    ];
    expect(rulesetInForce(other, 'arrival_classification', '2021-08-01')).toBeNull();
    expect(rulesetInForce(other, 'quarantine_durations', '2021-08-01')?.id).toBe('q');
  });

  // National A from 06/10/2021; a provincial override P for November; a newer national B from
  // 15/11/2021; a provincial set N that does not override, from 01/12/2021.
  const A: VersionedRuleSet = { id: 'A', kind, validFrom: '2021-10-06', validTo: null };
  const P: VersionedRuleSet = {
    id: 'P',
    kind,
    validFrom: '2021-11-01',
    validTo: '2021-11-30',
    overrides: true,
  };
  const B: VersionedRuleSet = { id: 'B', kind, validFrom: '2021-11-15', validTo: null };
  const N: VersionedRuleSet = {
    id: 'N',
    kind,
    validFrom: '2021-12-01',
    validTo: '2021-12-31',
    overrides: false,
  };
  const all = [A, P, B, N];

  it.each([
    ['2021-10-31', 'A'], // only A
    ['2021-11-01', 'P'], // P starts: the provincial override beats A
    ['2021-11-15', 'P'], // B starts later than P but P overrides national sets
    ['2021-11-30', 'P'], // last day of P
    ['2021-12-01', 'N'], // N is the most recent of the non-overriding sets in force
    ['2022-01-01', 'B'], // N ended: most recent validFrom among A, B
  ])('precedence on %s → %s', (date, id) => {
    expect(rulesetInForce(all, kind, date)?.id).toBe(id);
    expect(rulesetInForce([...all].reverse(), kind, date)?.id).toBe(id);
  });

  it('a provincial set that does not override yields to a newer national one', () => {
    const P2 = { ...P, overrides: false };
    expect(rulesetInForce([A, P2, B], kind, '2021-11-10')?.id).toBe('P');
    expect(rulesetInForce([A, P2, B], kind, '2021-11-20')?.id).toBe('B');
  });

  it('between two overriding sets, the most recent wins; ties go to the greater id', () => {
    const P3 = { ...P, id: 'P3', validFrom: '2021-11-10' };
    expect(rulesetInForce([P, P3, B], kind, '2021-11-20')?.id).toBe('P3');
    expect(rulesetInForce([P, P3, B], kind, '2021-11-05')?.id).toBe('P');
    const A2 = { ...A, id: 'A2' };
    expect(rulesetInForce([A, A2], kind, '2021-10-10')?.id).toBe('A2');
    expect(rulesetInForce([A2, A], kind, '2021-10-10')?.id).toBe('A2');
  });
});
