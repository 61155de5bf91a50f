import { describe, expect, it } from 'vitest';
import {
  checkValidity,
  schemaFromVersions,
  schemaIssues,
  type StoredVersion,
} from './ruleset-admin.ts';
import {
  arrivalRulesInWords,
  emptyTally,
  previewSentences,
  tallyDecision,
} from './ruleset-words.ts';
import { RULESET_CV8399, RULESET_DIENBIEN_2021_07, type ArrivalRuleSet } from './rulesets.ts';
import { F1_QUARANTINE_RULESETS } from './tracing.ts';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));
const stored = (rs: ArrivalRuleSet): StoredVersion => ({
  id: rs.id,
  kind: rs.kind,
  validFrom: rs.validFrom,
  validTo: rs.validTo,
  overrides: rs.overrides,
  definition: rs as unknown as Record<string, unknown>,
});
const candidate = (patch: Partial<ArrivalRuleSet> = {}): ArrivalRuleSet => ({
  ...clone(RULESET_CV8399),
  id: 'arrival-2026-12-08',
  validFrom: '2026-12-08',
  validTo: null,
  ...patch,
});
const paths = (rs: unknown) => schemaIssues('arrival_classification', rs, []).map((i) => i.path);

describe('a new arrival classification version against its schema', () => {
  it('accepts a copy of the version in force', () => {
    expect(schemaIssues('arrival_classification', candidate(), [])).toEqual([]);
  });

  it('refuses a bad threshold and names the field', () => {
    const bad = candidate();
    bad.rules[4]!.then.quarantineDays = -3;
    expect(paths(bad)).toEqual(['rules[4].then.quarantineDays']);
    bad.rules[4]!.then.quarantineDays = 61; // the upper bound is 60 days
    expect(paths(bad)).toEqual(['rules[4].then.quarantineDays']);
    bad.rules[4]!.then.quarantineDays = 60;
    expect(paths(bad)).toEqual([]);
    const hours = candidate();
    hours.rules[0]!.when.positiveTest!.withinHours = 0;
    expect(paths(hours)).toEqual(['rules[0].when.positiveTest.withinHours']);
    const level = candidate();
    (level.definitions as { epidemicAreaMinLevel: number }).epidemicAreaMinLevel = 5;
    expect(paths(level)).toEqual(['definitions.epidemicAreaMinLevel']);
  });

  it('refuses an unknown field, a missing legal basis and a non-fallback last rule', () => {
    const typo = clone(candidate()) as unknown as { rules: { then: Record<string, unknown> }[] };
    typo.rules[2]!.then.quarantineDay = 7;
    expect(paths(typo)).toEqual(['rules[2].then']);
    const noBasis = candidate({ legalBasis: { number: ' ', date: '2026-12-01', title: 'x' } });
    expect(paths(noBasis)).toContain('legalBasis.number');
    const lastRule = candidate();
    lastRule.rules = lastRule.rules.slice(0, -1);
    expect(paths(lastRule)).toEqual([`rules[${lastRule.rules.length - 1}].when`]);
  });

  it('checks other kinds against the shape of their versions', () => {
    const versions = F1_QUARANTINE_RULESETS.map(
      (r) => clone(r) as unknown as Record<string, unknown>,
    );
    const schema = schemaFromVersions(versions);
    expect(schema.safeParse(versions[0]).success).toBe(true);
    const next = clone(versions.at(-1)!) as Record<string, unknown>;
    const numeric = Object.keys(next).find((k) => typeof next[k] === 'number');
    if (numeric) {
      next[numeric] = -1;
      const issues = schemaIssues(
        'f1_quarantine',
        next,
        versions.map((d) => ({ definition: d }) as StoredVersion),
      );
      expect(issues.map((i) => i.path)).toContain(numeric);
    }
    const extra = { ...clone(versions[0]!), surprise: 1 };
    expect(schema.safeParse(extra).success).toBe(false);
  });
});

describe('the validity of a new version', () => {
  const versions = [stored(RULESET_DIENBIEN_2021_07), stored(RULESET_CV8399)];

  it('closes the open-ended version in force the day before it starts', () => {
    const r = checkValidity(candidate(), versions, '2026-12-07', true);
    expect(r).toEqual({
      issues: [],
      closes: { id: 'arrival-cv8399-2021-10-06', validTo: '2026-12-07' },
    });
  });

  it('starts today only while no decision of its kind was taken today', () => {
    const today = candidate({ validFrom: '2026-12-07' });
    expect(checkValidity(today, versions, '2026-12-07', false).issues).toEqual([]);
    const r = checkValidity(today, versions, '2026-12-07', true);
    expect(r.issues.map((i) => i.path)).toEqual(['validFrom']);
    expect(r.closes).toBeNull();
    const past = candidate({ validFrom: '2026-12-06' });
    expect(checkValidity(past, versions, '2026-12-07', false).issues.map((i) => i.path)).toEqual([
      'validFrom',
    ]);
  });

  it('refuses a version overlapping another of the same kind, naming the field', () => {
    const later = { ...stored(RULESET_CV8399), id: 'arrival-2027', validFrom: '2027-01-01' };
    later.validTo = '2027-03-31';
    // Open-ended from 08/12/2026 runs into the version that starts on 01/01/2027.
    const r = checkValidity(candidate(), [...versions, later], '2026-12-07', true);
    expect(r.issues).toEqual([
      { path: 'validTo', message: expect.stringContaining('arrival-2027') },
    ]);
    // Bounded inside the open-ended version in force (a gap would follow it): refused.
    const bounded = candidate({ validTo: '2026-12-31' });
    expect(checkValidity(bounded, [...versions, later], '2026-12-07', true).issues).toEqual([
      { path: 'validFrom', message: expect.stringContaining('arrival-cv8399-2021-10-06') },
    ]);
    // Starting inside a bounded one: validFrom named (the version in force ended meanwhile).
    const closed = [versions[0]!, { ...versions[1]!, validTo: '2026-12-31' }];
    const inside = candidate({ validFrom: '2027-02-01', validTo: '2027-02-28' });
    expect(checkValidity(inside, [...closed, later], '2026-12-07', true).issues).toEqual([
      { path: 'validFrom', message: expect.stringContaining('arrival-2027') },
    ]);
    // The last day of one and the first of the next may touch, not share.
    const touching = candidate({ validFrom: '2027-04-01' });
    expect(checkValidity(touching, [...closed, later], '2026-12-07', true).issues).toEqual([]);
    const sharing = candidate({ validFrom: '2027-03-31' });
    expect(
      checkValidity(sharing, [...closed, later], '2026-12-07', true).issues.map((i) => i.path),
    ).toEqual(['validFrom']);
  });

  it('compares a provincial overriding version only with overriding ones', () => {
    const strict = candidate({ overrides: true, scope: 'provincial', validTo: '2026-12-31' });
    expect(checkValidity(strict, versions, '2026-12-07', true)).toEqual({
      issues: [],
      closes: null,
    });
  });
});

describe('rules in words and the preview', () => {
  it('reads a rule in Vietnamese and English', () => {
    const words = arrivalRulesInWords(RULESET_CV8399);
    const partial = words.find((w) => w.id === 'cv8399-partial')!;
    expect(partial.when.vi).toBe('Người đến từ vùng dịch (cấp độ ≥ 2), tiêm chưa đủ liều');
    expect(partial.then.en).toBe(
      'Home quarantine; 7 days quarantine; 7 days self-monitoring; tests on days 1, 7',
    );
    expect(words.at(-1)!.when.en).toBe('Everyone else');
  });

  it('says how many more arrivals a version would send to home quarantine', () => {
    const t = emptyTally();
    for (let i = 0; i < 37; i++) tallyDecision(t, 'centralised_quarantine', 'home_quarantine');
    tallyDecision(t, 'none', 'none');
    tallyDecision(t, 'none', null);
    expect(t).toMatchObject({ records: 39, changed: 37, failed: 1 });
    const s = previewSentences(t, '2026-11-30', '2026-12-06');
    expect(s.map((x) => x.en)).toEqual([
      '2026-11-30 to 2026-12-06: 39 arrivals classified again, 37 decided differently',
      'This version would have sent 37 more arrivals to home quarantine',
      'This version would have sent 37 fewer arrivals to centralised quarantine',
      '1 arrivals could not be classified under this version',
    ]);
    expect(s[1]!.vi).toBe('Phiên bản này sẽ đưa thêm 37 người đến vào cách ly tại nhà');
  });
});
