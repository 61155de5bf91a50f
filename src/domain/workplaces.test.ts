import { describe, expect, it } from 'vitest';
import {
  answerProblems,
  assessWorkplace,
  decideOutbreak,
  DEFAULT_WORKPLACE_SAFETY as RS,
  dueDates,
  isOverdue,
  riskRank,
  validateWorkplaceSafety,
  type Answer,
} from './workplaces.ts';

/** All ten default criteria 'yes', except the ones named. */
const answers = (over: Record<string, Answer> = {}) =>
  Object.fromEntries(RS.criteria.map((c) => [c.id, over[c.id] ?? 'yes'])) as Record<string, Answer>;

describe('workplace self-assessment', () => {
  it('scores at the exact band thresholds (80 / 65 / 50 %)', () => {
    // 8 of 10 met (non-critical misses) = 80 % → low; 7.9 is not reachable with weights of 10,
    // so the edge is checked with not-applicable criteria: 7 of 9 = 77.8 % → medium.
    const eighty = assessWorkplace(RS, answers({ distancing: 'no', ventilation: 'no' }));
    expect(eighty).toMatchObject({ score: 80, level: 'low', ruleId: 'score-low' });
    const seventyEight = assessWorkplace(
      RS,
      answers({ distancing: 'no', ventilation: 'no', canteen: 'na' }),
    );
    expect(seventyEight).toMatchObject({ score: 77.8, level: 'medium', ruleId: 'score-medium' });
    // 13 of 20 = 65 % exactly → medium; 64.3 % → high
    const custom = {
      ...RS,
      criteria: [
        { id: 'a', text: { vi: 'a', en: 'a' }, weight: 13, critical: false },
        { id: 'b', text: { vi: 'b', en: 'b' }, weight: 7, critical: false },
      ],
    };
    expect(assessWorkplace(custom, { a: 'yes', b: 'no' })).toMatchObject({
      score: 65,
      level: 'medium',
    });
    const custom2 = {
      ...custom,
      criteria: [
        { id: 'a', text: { vi: 'a', en: 'a' }, weight: 9, critical: false },
        { id: 'b', text: { vi: 'b', en: 'b' }, weight: 5, critical: false },
      ],
    };
    expect(assessWorkplace(custom2, { a: 'yes', b: 'no' })).toMatchObject({
      score: 64.3,
      level: 'high',
    });
    // 5 of 10 = 50 % → high; 4 of 10 → very high
    const five = answers({
      distancing: 'no',
      ventilation: 'no',
      canteen: 'no',
      transport: 'no',
      on_site_plan: 'no',
    });
    expect(assessWorkplace(RS, five)).toMatchObject({
      score: 50,
      level: 'high',
      ruleId: 'score-high',
    });
    const four = { ...five, hand_hygiene: 'no' as const };
    expect(assessWorkplace(RS, four)).toMatchObject({ score: 40, level: 'very_high' });
  });

  it('a critical criterion not met caps the level at high, and says why in both languages', () => {
    const r = assessWorkplace(RS, answers({ isolation_room: 'no' }));
    expect(r).toMatchObject({ score: 90, level: 'high', ruleId: 'critical-missing' });
    expect(r.failed).toEqual(['isolation_room']);
    expect(r.explanation.vi).toContain('Có phòng cách ly tạm thời');
    expect(r.explanation.en).toContain('required criterion');
    // already worse than the cap: the band decides
    const bad = assessWorkplace(
      RS,
      Object.fromEntries(RS.criteria.map((c) => [c.id, 'no'])) as Record<string, Answer>,
    );
    expect(bad).toMatchObject({ score: 0, level: 'very_high', ruleId: 'score-very-high' });
  });

  it('all yes is low; nothing applicable scores 0 %', () => {
    expect(assessWorkplace(RS, answers())).toMatchObject({ score: 100, level: 'low', failed: [] });
    const none = Object.fromEntries(RS.criteria.map((c) => [c.id, 'na'])) as Record<string, Answer>;
    expect(assessWorkplace(RS, none)).toMatchObject({ score: 0, level: 'very_high' });
  });

  it('names a missing or unknown answer', () => {
    const a: Record<string, string> = answers();
    delete a.masks;
    a.sauna = 'yes';
    expect(answerProblems(RS, a).map((p) => p.path)).toEqual(['answers.masks', 'answers.sauna']);
  });
});

describe('outbreak flag', () => {
  it('one positive in the window raises it; none does not', () => {
    expect(decideOutbreak(RS, 1, '2021-11-20')).toMatchObject({
      outbreak: true,
      ruleId: 'positive-in-screening',
    });
    const none = decideOutbreak(RS, 0, '2021-11-20');
    expect(none.outbreak).toBe(false);
    expect(none.explanation.vi).toContain('07/11/2021 – 20/11/2021'); // 14 days, both included
    const two = { ...RS, outbreak: { ...RS.outbreak, minPositives: 2 } };
    expect(decideOutbreak(two, 1, '2021-11-20').outbreak).toBe(false);
    expect(decideOutbreak(two, 2, '2021-11-20').outbreak).toBe(true);
  });
});

describe('due dates', () => {
  it('assessment weekly: due day 7, overdue from day 8; never assessed: due the day it registered', () => {
    const d = dueDates(RS, {
      registeredOn: '2021-11-01',
      assessedOn: '2021-11-10',
      screenedOn: null,
      outbreak: false,
    });
    expect(d).toEqual({ assessmentDueOn: '2021-11-17', screeningDueOn: '2021-11-01' });
    expect(isOverdue(d.assessmentDueOn, '2021-11-17')).toBe(false);
    expect(isOverdue(d.assessmentDueOn, '2021-11-18')).toBe(true);
    expect(isOverdue(d.screeningDueOn, '2021-11-01')).toBe(false);
    expect(isOverdue(d.screeningDueOn, '2021-11-02')).toBe(true);
  });
  it('during an outbreak screening is due the next day (before each shift)', () => {
    const d = dueDates(RS, {
      registeredOn: '2021-11-01',
      assessedOn: null,
      screenedOn: '2021-11-16',
      outbreak: true,
    });
    expect(d.screeningDueOn).toBe('2021-11-17');
  });
  it('ranks an outbreak above every level, unassessed last', () => {
    expect(riskRank('low', true)).toBe(5);
    expect(riskRank('very_high', false)).toBe(4);
    expect(riskRank('low', false)).toBe(1);
    expect(riskRank(null, false)).toBe(0);
  });
});

describe('rule set validation', () => {
  it('the shipped version is valid', () => {
    expect(validateWorkplaceSafety(RS)).toEqual([]);
  });
  it('names a bad threshold, a repeated criterion and a bad interval', () => {
    const bad = {
      ...RS,
      criteria: [RS.criteria[0]!, RS.criteria[0]!],
      levels: [
        { id: 'a', level: 'low' as const, minPercent: 60 },
        { id: 'b', level: 'medium' as const, minPercent: 70 },
        { id: 'c', level: 'high' as const, minPercent: 10 },
      ],
      screeningEveryDays: 0,
    };
    expect(validateWorkplaceSafety(bad).map((p) => p.path)).toEqual([
      'criteria[1].id',
      'levels[1].minPercent',
      'levels',
      'screeningEveryDays',
    ]);
  });
});
