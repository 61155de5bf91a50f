import { describe, expect, it } from 'vitest';
import {
  decidePool,
  POOLING_BYT_2021 as rs,
  poolingRulesetOn,
  resultTimeProblem,
  type PoolCandidate,
} from './pooling.ts';

const member = (i: number, over: Partial<PoolCandidate> = {}): PoolCandidate => ({
  code: `XN${i}`,
  personId: `p${i}`,
  symptoms: false,
  confirmedF1: false,
  reason: 'screening',
  ...over,
});
const members = (n: number) => Array.from({ length: n }, (_, i) => member(i + 1));
const rules = (d: ReturnType<typeof decidePool>) =>
  d.ok ? [] : d.refusals.map((r) => [r.index, r.ruleId]);

describe('who may be pooled', () => {
  it('admits 2 to 5 screening specimens as a pool of 5, 6 to 10 as a pool of 10', () => {
    expect(decidePool(rs, members(2))).toMatchObject({ ok: true, declaredSize: 5 });
    expect(decidePool(rs, members(5))).toMatchObject({ ok: true, declaredSize: 5 });
    expect(decidePool(rs, members(6))).toMatchObject({ ok: true, declaredSize: 10 });
    const ten = decidePool(rs, members(10));
    expect(ten).toMatchObject({ ok: true, declaredSize: 10, ruleSetId: 'pooling-byt-2021' });
    expect(ten.ok && ten.explanation.vi).toContain('10/10');
  });
  it('refuses 1 and 11 specimens, and 6 in a declared pool of 5', () => {
    expect(rules(decidePool(rs, members(1)))).toEqual([[null, 'member-count']]);
    expect(rules(decidePool(rs, members(11)))).toEqual([[null, 'member-count']]);
    expect(rules(decidePool(rs, members(6), 5))).toEqual([[null, 'member-count']]);
    expect(decidePool(rs, members(5), 10)).toMatchObject({ ok: true, declaredSize: 10 });
  });
  it('refuses a declared size that is not 5 or 10', () => {
    expect(rules(decidePool(rs, members(4), 4))).toEqual([[null, 'declared-size']]);
  });
  it('refuses the same person twice, naming the second specimen', () => {
    const list = [...members(3), member(4, { personId: 'p2' })];
    const d = decidePool(rs, list);
    expect(rules(d)).toEqual([[3, 'one-person-once']]);
    expect(!d.ok && d.refusals[0]!.explanation.vi).toContain('XN2');
  });
  it('refuses people with symptoms, F1 contacts and diagnostic samples', () => {
    const list = [
      member(1, { symptoms: true }),
      member(2, { confirmedF1: true }),
      member(3, { reason: 'contact' }),
      member(4, { reason: 'confirmation' }),
      member(5, { reason: 'follow_up' }),
    ];
    expect(rules(decidePool(rs, list))).toEqual([
      [0, 'no-symptoms'],
      [1, 'no-f1'],
      [2, 'screening-only'],
      [3, 'screening-only'],
    ]);
  });
});

describe('when a pool result may be dated', () => {
  const sampled = Date.parse('2021-08-01T08:00:00Z');
  const now = Date.parse('2021-08-01T20:00:00Z');
  it('at or after the last sample, up to 5 minutes ahead of the clock', () => {
    expect(resultTimeProblem(rs, sampled, [sampled - 60_000, sampled], now)).toBeNull();
    expect(resultTimeProblem(rs, now + 5 * 60_000, [sampled], now)).toBeNull();
  });
  it('not one millisecond before the last sample, nor beyond 5 minutes ahead', () => {
    expect(resultTimeProblem(rs, sampled - 1, [sampled - 60_000, sampled], now)?.en).toContain(
      'before',
    );
    expect(resultTimeProblem(rs, now + 5 * 60_000 + 1, [sampled], now)?.en).toContain('future');
  });
});

describe('the rule set in force', () => {
  it('is found by date and is labelled reconstructed', () => {
    expect(poolingRulesetOn([rs], '2021-08-01')?.id).toBe('pooling-byt-2021');
    expect(poolingRulesetOn([rs], '2020-12-31')).toBeUndefined();
    expect(rs.confidence).toBe('reconstructed');
  });
});
