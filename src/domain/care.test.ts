import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FEE_RULESETS,
  DEFAULT_PLACEMENT_RULESETS,
  feeStatement,
  placeAdmission,
  quarantineCourse,
  releaseDecision,
  type PlacementCandidate,
  type RoomState,
} from './care.ts';
import { F1_QUARANTINE_RULESETS } from './tracing.ts';

const rs = DEFAULT_PLACEMENT_RULESETS[0]!;
const room = (id: string, over: Partial<RoomState> = {}): RoomState => ({
  id,
  name: id,
  occupied: 0,
  freeBeds: { ordinary: 4, oxygen: 0, icu: 0 },
  cohortKey: null,
  isF0: null,
  firstAdmittedOn: null,
  familyKeys: [],
  ...over,
});
const who = (over: Partial<PlacementCandidate> = {}): PlacementCandidate => ({
  cohortKey: 'case:A',
  familyKey: null,
  isF0: false,
  admittedOn: '2021-08-10',
  bedKind: 'ordinary',
  ...over,
});
const cohortA = (over: Partial<RoomState> = {}) =>
  room('P1', {
    occupied: 2,
    cohortKey: 'case:A',
    isF0: false,
    firstAdmittedOn: '2021-08-07',
    ...over,
  });

describe('placement never mixes cohorts', () => {
  it('puts a newcomer with their cohort, fullest room first, before an empty room', () => {
    const p = placeAdmission(rs, who(), [room('P0'), cohortA()]);
    expect(p).toMatchObject({ ok: true, roomId: 'P1', rule: 'same_cohort' });
    expect(p.explanation.vi).toContain('Xếp vào phòng P1');
  });
  it('refuses another cohort and says what would be mixed', () => {
    const p = placeAdmission(rs, who({ cohortKey: 'batch:HN-07' }), [cohortA()]);
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.refusals[0]).toMatchObject({ rule: 'cohort_mix', roomId: 'P1' });
    expect(p.explanation.vi).toContain('khác nhóm (phòng: case:A, người vào: batch:HN-07)');
  });
  it('never puts an F0 with non-F0, even family', () => {
    const p = placeAdmission(rs, who({ isF0: true, familyKey: 'h1' }), [
      cohortA({ familyKeys: ['h1'] }),
    ]);
    expect(p).toMatchObject({ ok: false, refusals: [{ rule: 'f0_mix' }] });
  });
  it('admission gap: 3 days after the first occupant joins, 4 days is another cohort', () => {
    expect(placeAdmission(rs, who({ admittedOn: '2021-08-10' }), [cohortA()]).ok).toBe(true);
    const p = placeAdmission(rs, who({ admittedOn: '2021-08-11' }), [cohortA()]);
    expect(p).toMatchObject({ ok: false, refusals: [{ rule: 'admission_gap' }] });
    if (!p.ok) expect(p.explanation.vi).toContain('4 ngày (> 3 ngày');
  });
  it('keeps a family together across cohorts and prefers their room', () => {
    const fam = room('P9', {
      occupied: 1,
      cohortKey: 'case:B',
      isF0: false,
      firstAdmittedOn: '2021-08-01',
      familyKeys: ['h1'],
    });
    const p = placeAdmission(rs, who({ familyKey: 'h1' }), [cohortA(), fam]);
    expect(p).toMatchObject({ ok: true, roomId: 'P9', rule: 'family' });
  });
  it('needs a free bed of the asked kind', () => {
    const p = placeAdmission(rs, who({ bedKind: 'icu' }), [room('P0')]);
    expect(p).toMatchObject({ ok: false, refusals: [{ rule: 'no_bed' }] });
  });
});

describe('quarantine course by the rule set in force on the admission date', () => {
  const facts = { vaccination: null, recoveredOn: null };
  it('05/2021: 21 days, tests days 1, 14, 20', () => {
    const c = quarantineCourse(F1_QUARANTINE_RULESETS, { ...facts, admittedOn: '2021-06-01' })!;
    expect(c.testDates).toEqual(['2021-06-01', '2021-06-14', '2021-06-20']);
    expect(c.releaseOn).toBe('2021-06-22');
    expect(c.rulesetId).toBe('f1-cd600-2021-05-05');
  });
  it('the day the next rule set starts changes the course (14 July vs 15 July 2021)', () => {
    expect(
      quarantineCourse(F1_QUARANTINE_RULESETS, { ...facts, admittedOn: '2021-07-14' })!.releaseOn,
    ).toBe('2021-08-04');
    const c = quarantineCourse(F1_QUARANTINE_RULESETS, { ...facts, admittedOn: '2021-07-15' })!;
    expect(c.testDates).toEqual(['2021-07-15', '2021-07-21', '2021-07-28']);
    expect(c.releaseOn).toBe('2021-07-29');
  });
  it('release refused on day 14, given on day 15 with the tests done', () => {
    const c = quarantineCourse(F1_QUARANTINE_RULESETS, { ...facts, admittedOn: '2021-08-01' })!;
    const negs = ['2021-08-01', '2021-08-07', '2021-08-14'];
    const d14 = releaseDecision(c, '2021-08-14', negs);
    expect(d14).toMatchObject({ ok: false, rule: 'before_date' });
    expect(d14.explanation.vi).toContain('ngày 14');
    expect(releaseDecision(c, '2021-08-15', negs).ok).toBe(true);
  });
  it('release refused with a test missing, naming its date', () => {
    const c = quarantineCourse(F1_QUARANTINE_RULESETS, { ...facts, admittedOn: '2021-08-01' })!;
    const d = releaseDecision(c, '2021-08-15', ['2021-08-01', '2021-08-07']);
    expect(d).toMatchObject({ ok: false, rule: 'test_missing' });
    expect(d.explanation.vi).toContain('14/08/2021');
  });
});

describe('fees', () => {
  const fees = DEFAULT_FEE_RULESETS[0]!;
  it('charges 120,000 đ a day for days 1–14, nothing when exempt', () => {
    expect(feeStatement(fees, '2021-08-01', '2021-08-15', null)).toMatchObject({
      days: 14,
      amount: 1_680_000,
    });
    expect(feeStatement(fees, '2021-08-01', '2021-08-15', 'poor_household')).toMatchObject({
      amount: 0,
    });
  });
});
