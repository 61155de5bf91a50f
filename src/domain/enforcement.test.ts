import { describe, expect, it } from 'vitest';
import {
  checkDecision,
  DEFAULT_VIOLATION_TYPES,
  explainDecision,
  typesInForce,
  validateViolationTypes,
  vnd,
} from './enforcement.ts';

const type = (code: string) => DEFAULT_VIOLATION_TYPES.types.find((t) => t.code === code)!;

describe('violation decisions', () => {
  it('accepts a fine at both bounds of the range and refuses one outside, naming fineAmount', () => {
    const noMask = type('no_mask');
    expect(checkDecision(noMask, { decision: 'fine', fineAmount: 1_000_000 })).toEqual([]);
    expect(checkDecision(noMask, { decision: 'fine', fineAmount: 3_000_000 })).toEqual([]);
    for (const amount of [999_999, 3_000_001, 1_500_000.5]) {
      const p = checkDecision(noMask, { decision: 'fine', fineAmount: amount });
      expect(p.map((x) => x.path)).toEqual(['fineAmount']);
    }
    expect(checkDecision(noMask, { decision: 'fine', fineAmount: 999_999 })[0]!.message).toContain(
      '1.000.000 đ',
    );
    expect(checkDecision(noMask, { decision: 'fine' })[0]!.path).toBe('fineAmount');
  });
  it('refuses a decision the provision does not allow, and an amount without a fine', () => {
    expect(
      checkDecision(type('forged_test_papers'), { decision: 'fine', fineAmount: 1 })[0]!.path,
    ).toBe('decision');
    expect(checkDecision(type('no_mask'), { decision: 'warning', fineAmount: 5 })[0]!.path).toBe(
      'fineAmount',
    );
    expect(checkDecision(type('forged_test_papers'), { decision: 'pending' })).toEqual([]);
  });
  it('explains itself with the article', () => {
    const e = explainDecision(type('no_mask'), { decision: 'fine', fineAmount: 2_000_000 });
    expect(e.vi).toContain('Điều 12 khoản 1');
    expect(e.vi).toContain('2.000.000 đ');
    expect(e.en).toContain('2000000 VND');
    expect(vnd(95_000_000)).toBe('95.000.000 đ');
  });
});

describe('violation type sets', () => {
  it('ships the seeds list, valid, in force from 15/11/2020', () => {
    expect(validateViolationTypes(DEFAULT_VIOLATION_TYPES)).toEqual([]);
    expect(DEFAULT_VIOLATION_TYPES.types.map((t) => t.code)).toEqual([
      'false_declaration',
      'no_mask',
      'quarantine_escape',
      'online_misinformation',
      'forged_test_papers',
    ]);
    expect(typesInForce([DEFAULT_VIOLATION_TYPES], '2020-11-14')).toBeUndefined();
    expect(typesInForce([DEFAULT_VIOLATION_TYPES], '2020-11-15')?.id).toBe(
      DEFAULT_VIOLATION_TYPES.id,
    );
  });
  it('refuses a reversed range and a fine without a range, naming the field', () => {
    const bad = {
      ...DEFAULT_VIOLATION_TYPES,
      types: [
        { ...type('no_mask'), fine: { min: 3_000_000, max: 1_000_000 } },
        { ...type('forged_test_papers'), decisions: ['fine' as const] },
      ],
    };
    expect(validateViolationTypes(bad).map((p) => p.path)).toEqual([
      'types.0.fine',
      'types.1.fine',
    ]);
  });
});
