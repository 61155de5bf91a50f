import { describe, expect, it } from 'vitest';
import {
  decideLevel,
  DEFAULT_LEVEL_RULESETS,
  elderlyGroupOn,
  evaluateLevel,
  LEVEL_218,
  LEVEL_4800,
  levelRuleSetFor,
  levelRuleSetProblems,
  riskOf,
  type LevelInputs,
} from './levels.ts';

const base: LevelInputs = {
  population: 100_000,
  cases7d: 0,
  cov18OneDose: 90,
  elderlyFull: 90,
  capacityMet: true,
  previous: null,
};
const at = (over: Partial<LevelInputs>, date = '2021-11-15') =>
  evaluateLevel(LEVEL_4800, date, { ...base, ...over });

describe('4800/QĐ-BYT: new community cases per 100,000 in 7 days', () => {
  it.each([
    [19, 1],
    [20, 2],
    [49, 2],
    [50, 3],
    [149, 3],
    [150, 4],
  ])('%i cases per 100,000 → level %i (coverage met)', (cases, level) => {
    expect(at({ cases7d: cases }).level).toBe(level);
  });

  it('compares exactly, not after rounding: 20 per 100,000 on an odd population', () => {
    // 3 cases for 15,000 people = 20.000 per 100,000 exactly → risk 2
    expect(riskOf(LEVEL_4800.bands, 100_000, 3, 15_000)).toBe(2);
    // 3 cases for 15,001 people = 19.9987 → risk 1
    expect(riskOf(LEVEL_4800.bands, 100_000, 3, 15_001)).toBe(1);
  });

  it('coverage exactly 70 % meets the criterion; 69.99 % does not', () => {
    expect(at({ cases7d: 10, cov18OneDose: 70 }).level).toBe(1);
    expect(at({ cases7d: 10, cov18OneDose: 69.99 }).level).toBe(2);
    expect(at({ cases7d: 60, cov18OneDose: 69.99 }).level).toBe(4);
    expect(at({ cases7d: 10, cov18OneDose: null }).level).toBe(2);
  });

  it('risk 4 is level 4 whatever the coverage', () => {
    expect(at({ cases7d: 500, cov18OneDose: 99 }).level).toBe(4);
  });
});

describe('4800: the elderly gate', () => {
  it('uses people ≥ 65 until 31/10/2021 and people ≥ 50 from 01/11/2021', () => {
    expect(elderlyGroupOn(LEVEL_4800, '2021-10-31')).toBe('65+');
    expect(elderlyGroupOn(LEVEL_4800, '2021-11-01')).toBe('50+');
    const d31 = at({ cases7d: 10, elderlyFull: 79.9 }, '2021-10-31');
    expect(d31.explanation.en).toContain('aged ≥ 65');
    const d01 = at({ cases7d: 10, elderlyFull: 79.9 }, '2021-11-01');
    expect(d01.explanation.en).toContain('aged ≥ 50');
  });

  it('missed (< 80 %) raises the level by one, exactly 80 % does not', () => {
    const missed = at({ cases7d: 10, elderlyFull: 79.99 });
    expect(missed.level).toBe(2);
    expect(missed.rule.id).toBe('elderly_gate.raise');
    expect(at({ cases7d: 10, elderlyFull: 80 }).level).toBe(1);
  });

  it('does not raise when there were no cases, and never above 4', () => {
    const none = at({ cases7d: 0, elderlyFull: 10 });
    expect(none.level).toBe(1);
    expect(none.steps.map((s) => s.id)).toContain('elderly_gate.no_cases');
    expect(at({ cases7d: 200, elderlyFull: 10 }).level).toBe(4);
  });
});

describe('4800: capacity', () => {
  it('not met: the level does not go down from last week', () => {
    const held = at({ cases7d: 0, capacityMet: false, previous: 3 });
    expect(held.level).toBe(3);
    expect(held.rule.id).toBe('capacity.hold');
    expect(held.explanation.vi).toContain('không hạ cấp');
  });
  it('met: the level goes down', () => {
    expect(at({ cases7d: 0, capacityMet: true, previous: 3 }).level).toBe(1);
  });
  it('not met does not hold a level that goes up', () => {
    expect(at({ cases7d: 60, capacityMet: false, previous: 2 }).level).toBe(3);
  });
});

describe('a decision explains itself', () => {
  it('names its rule set and rule, in Vietnamese and English', () => {
    const d = at({ cases7d: 25, population: 50_000 });
    expect(d.rate).toBe(50);
    expect(d.level).toBe(3);
    expect(d.ruleSet.id).toBe('level-4800-2021');
    expect(d.rule.id).toBe('matrix.risk3.covered');
    expect(d.explanation.vi).toMatch(/^Cấp 3 \(Cam\) ngày 15\/11\/2021 theo 4800\/QĐ-BYT/);
    expect(d.explanation.en).toContain('50.00 per 100,000');
  });
  it('refuses a population below 1', () => {
    expect(() => at({ population: 0 })).toThrow(RangeError);
  });
});

describe('the bulk decision without words', () => {
  it('gives the level, rate and rule of the worded decision on every branch', () => {
    let checked = 0;
    for (const [rs, date] of [
      [LEVEL_4800, '2021-10-20'],
      [LEVEL_4800, '2021-11-15'],
      [LEVEL_218, '2022-02-10'],
    ] as const)
      for (const cases7d of [0, 19, 20, 50, 150, 601])
        for (const cov of [null, 69.99, 70])
          for (const elderly of [null, 79.9, 80])
            for (const capacityMet of [true, false])
              for (const previous of [null, 1, 4] as const) {
                const inputs: LevelInputs = {
                  population: 100_000,
                  cases7d,
                  cov18OneDose: cov,
                  elderlyFull: elderly,
                  populationFull: cov,
                  capacityMet,
                  previous,
                };
                const worded = evaluateLevel(rs, date, inputs);
                expect(decideLevel(rs, date, inputs)).toEqual({
                  level: worded.level,
                  rate: worded.rate,
                  ruleId: worded.rule.id,
                });
                checked++;
              }
    expect(checked).toBe(3 * 6 * 3 * 3 * 2 * 3);
  });
});

describe('rule set in force', () => {
  it('4800 until 26/01/2022, 218 from 27/01/2022, none before 12/10/2021', () => {
    expect(levelRuleSetFor(DEFAULT_LEVEL_RULESETS, '2022-01-26')?.id).toBe('level-4800-2021');
    expect(levelRuleSetFor(DEFAULT_LEVEL_RULESETS, '2022-01-27')?.id).toBe('level-218-2022');
    expect(levelRuleSetFor(DEFAULT_LEVEL_RULESETS, '2021-10-11')).toBeNull();
  });
  it('the shipped sets are valid', () => {
    for (const rs of DEFAULT_LEVEL_RULESETS) expect(levelRuleSetProblems(rs)).toEqual([]);
    expect(levelRuleSetProblems({ ...LEVEL_4800, bands: LEVEL_4800.bands.slice(1) })).not.toEqual(
      [],
    );
  });
});

describe('218/QĐ-BYT (reconstructed)', () => {
  const e = (over: Partial<LevelInputs>) =>
    evaluateLevel(LEVEL_218, '2022-02-10', {
      ...base,
      populationFull: 80,
      elderlyFull: 95,
      ...over,
    });
  it('"very high" needs more than 600 per 100,000', () => {
    expect(e({ cases7d: 600 }).level).toBe(2); // T3, capacity high
    expect(e({ cases7d: 601 }).level).toBe(3); // T4, capacity high
  });
  it('capacity high / medium / low from vaccination and treatment', () => {
    expect(e({ cases7d: 10 }).level).toBe(1);
    expect(e({ cases7d: 160, capacityMet: false }).level).toBe(3);
    expect(e({ cases7d: 160, capacityMet: false, populationFull: 74.9 }).level).toBe(4);
    expect(e({ cases7d: 10, capacityMet: false, populationFull: null }).rule.id).toBe(
      'matrix.t1.low',
    );
  });
});
