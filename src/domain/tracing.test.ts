import { describe, expect, it } from 'vitest';
import { parseInstant } from './dates.ts';
import {
  alreadyF0,
  assessExposure,
  collectCandidates,
  combineStrength,
  f1Quarantine,
  f2Window,
  F1_QUARANTINE_RULESETS,
  infectiousPeriod,
  RULESET_TRACING_2021,
  statusChangeAllowed,
  validateTracingRuleSet,
  type CoPresence,
} from './tracing.ts';

const at = (s: string) => parseInstant(s)!;
const MIN = 60_000;
const rules = RULESET_TRACING_2021;
const venue = rules.sources.venue;

describe('infectious period', () => {
  const base = { isolatedAt: null, now: at('2021-07-20T12:00'), daysBefore: 2 };
  it('starts 2 days before onset at 00:00 Vietnam time', () => {
    const p = infectiousPeriod({
      ...base,
      onsetDate: '2021-07-15',
      positiveSampleDate: '2021-07-18',
    });
    expect(p.startDate).toBe('2021-07-13');
    expect(p.start).toBe(at('2021-07-13T00:00+07:00'));
    expect(p.basis).toBe('onset');
    expect(p.explanation.vi).toContain('13/07/2021');
    expect(p.explanation.vi).toContain('khởi phát');
  });
  it('starts 2 days before the positive sample when asymptomatic', () => {
    const p = infectiousPeriod({ ...base, onsetDate: null, positiveSampleDate: '2021-07-18' });
    expect(p.startDate).toBe('2021-07-16');
    expect(p.basis).toBe('sample');
  });
  it('runs until isolation, or until now while not isolated', () => {
    const open = infectiousPeriod({ ...base, onsetDate: null, positiveSampleDate: '2021-07-18' });
    expect(open.end).toBe(base.now);
    expect(open.ongoing).toBe(true);
    const iso = at('2021-07-18T15:00');
    const closed = infectiousPeriod({
      ...base,
      isolatedAt: iso,
      onsetDate: null,
      positiveSampleDate: '2021-07-18',
    });
    expect(closed.end).toBe(iso);
    expect(closed.ongoing).toBe(false);
  });
  it('includes a contact at 00:00 of the start day and excludes one at 23:59 the day before', () => {
    const p = infectiousPeriod({
      ...base,
      onsetDate: '2021-07-15',
      positiveSampleDate: '2021-07-18',
    });
    const pairs = (start: number): CoPresence[] => {
      // the F0's presence clipped to the period, as the finder does
      const f0 = { start: Math.max(start, p.start), end: Math.min(start + 30 * MIN, p.end) };
      return [
        {
          personId: 'x',
          source: 'venue',
          placeKey: 'venue:1',
          label: null,
          traced: f0,
          other: { start, end: start + 30 * MIN },
        },
      ];
    };
    // a 30-minute visit from 23:45 the day before: 15 minutes fall in the period → a contact
    expect(collectCandidates(pairs(at('2021-07-12T23:45')), rules)).toHaveLength(1);
    // a 30-minute visit ending 23:59 the day before: nothing in the period
    expect(collectCandidates(pairs(at('2021-07-12T23:29')), rules)).toHaveLength(0);
    // starting exactly 00:00 of the start day
    expect(collectCandidates(pairs(at('2021-07-13T00:00')), rules)).toHaveLength(1);
  });
});

describe('exposure windows', () => {
  const t0 = at('2021-07-15T08:00');
  it('masked: 14 minutes together is not a contact, 15 minutes is', () => {
    const f0 = { start: t0, end: t0 + 60 * MIN, masked: true };
    const e14 = assessExposure('venue', venue, f0, { start: t0 + 46 * MIN, end: t0 + 90 * MIN });
    const e15 = assessExposure('venue', venue, f0, { start: t0 + 45 * MIN, end: t0 + 90 * MIN });
    expect(e14.contact).toBe(false);
    expect(e14.overlapMinutes).toBe(14);
    expect(e14.reason.vi).toContain('chưa đủ 15 phút');
    expect(e15.contact).toBe(true);
    expect(e15.overlapMinutes).toBe(15);
    expect(e15.reason.vi).toContain('15 phút');
  });
  it('unmasked: any time together is a contact', () => {
    const f0 = { start: t0, end: t0 + 60 * MIN, masked: false };
    expect(
      assessExposure('venue', venue, f0, { start: t0 + 59 * MIN, end: t0 + 90 * MIN }).contact,
    ).toBe(true);
    expect(
      assessExposure('venue', venue, f0, { start: t0 + 60 * MIN, end: t0 + 90 * MIN }).contact,
    ).toBe(false);
  });
  it('physical contact is a contact whatever its length', () => {
    const f0 = { start: t0, end: t0 + 2 * MIN, masked: true, physical: true };
    const e = assessExposure('interview', rules.sources.interview, f0, {
      start: t0,
      end: t0 + 2 * MIN,
    });
    expect(e.contact).toBe(true);
    expect(e.strength).toBeGreaterThanOrEqual(90);
  });
  it('checkpoint queue: within 10 minutes yes, 11 minutes no', () => {
    const cp = rules.sources.checkpoint;
    const f0 = { start: t0, end: t0 };
    expect(
      assessExposure('checkpoint', cp, f0, { start: t0 + 10 * MIN, end: t0 + 10 * MIN }).contact,
    ).toBe(true);
    expect(
      assessExposure('checkpoint', cp, f0, { start: t0 - 11 * MIN, end: t0 - 11 * MIN }).contact,
    ).toBe(false);
  });
  it('vehicle trip: same plate within 30 minutes is the same trip, strong', () => {
    const v = rules.sources.vehicle;
    const f0 = { start: t0, end: t0 };
    const e = assessExposure('vehicle', v, f0, { start: t0 + 2 * MIN, end: t0 + 2 * MIN });
    expect(e.contact).toBe(true);
    expect(e.strength).toBeGreaterThanOrEqual(80);
    expect(
      assessExposure('vehicle', v, f0, { start: t0 + 31 * MIN, end: t0 + 31 * MIN }).contact,
    ).toBe(false);
  });
  it('combines evidence: the strongest, +5 per further one, at most 100', () => {
    expect(combineStrength([])).toBe(0);
    expect(combineStrength([40, 85])).toBe(90);
    expect(combineStrength([95, 90, 90])).toBe(100);
  });
  it('ships a valid tracing rule set', () => {
    expect(validateTracingRuleSet(rules)).toEqual([]);
    expect(validateTracingRuleSet({ ...rules, infectiousDaysBefore: -1 })).toContain(
      'infectiousDaysBefore',
    );
  });
});

describe('already F0 (never an F1 candidate)', () => {
  const exposed = at('2021-07-15T08:00');
  it('an open case, opened before or after the exposure, makes them already F0', () => {
    expect(alreadyF0([{ closedAt: null }], exposed)).toBe(true);
  });
  it('a case closed one minute after the exposure began still counts; at or before it, not', () => {
    expect(alreadyF0([{ closedAt: exposed + MIN }], exposed)).toBe(true);
    expect(alreadyF0([{ closedAt: exposed }], exposed)).toBe(false);
    expect(alreadyF0([{ closedAt: exposed - MIN }], exposed)).toBe(false);
  });
  it('no case: a candidate like anyone else; any one of several cases is enough', () => {
    expect(alreadyF0([], exposed)).toBe(false);
    expect(alreadyF0([{ closedAt: exposed - MIN }, { closedAt: null }], exposed)).toBe(true);
  });
});

describe('F2 window', () => {
  const exposed = at('2021-07-15T08:00');
  it('runs from the F1 exposure to its quarantine', () => {
    const q = at('2021-07-16T10:00');
    expect(f2Window(exposed, q, at('2021-07-20T00:00'))).toEqual({ from: exposed, to: q });
  });
  it('an F1 quarantined before its second contact: that contact is no F2', () => {
    const quarantined = at('2021-07-16T10:00');
    const w = f2Window(exposed, quarantined, at('2021-07-20T00:00'))!;
    const second = { start: at('2021-07-16T11:00'), end: at('2021-07-16T12:00') };
    const pairs: CoPresence[] = [
      {
        personId: 'f2-before',
        source: 'workplace',
        placeKey: 'venue:w',
        label: null,
        traced: {
          start: Math.max(at('2021-07-16T08:00'), w.from),
          end: Math.min(at('2021-07-16T09:00'), w.to),
        },
        other: { start: at('2021-07-16T08:00'), end: at('2021-07-16T09:00') },
      },
      {
        personId: 'f2-after',
        source: 'workplace',
        placeKey: 'venue:w',
        label: null,
        // clipped to the window, the F1's later presence is empty
        traced: { start: Math.max(second.start, w.from), end: Math.min(second.end, w.to) },
        other: second,
      },
    ];
    expect(collectCandidates(pairs, rules).map((c) => c.personId)).toEqual(['f2-before']);
  });
  it('nothing to trace when quarantined before the exposure', () => {
    expect(f2Window(exposed, exposed - MIN, exposed + 100 * MIN)).toBeNull();
  });
  it('runs until now while not quarantined', () => {
    const now = at('2021-07-17T00:00');
    expect(f2Window(exposed, null, now)).toEqual({ from: exposed, to: now });
  });
});

describe('F1 quarantine by date and vaccination', () => {
  const sets = F1_QUARANTINE_RULESETS;
  const none = { vaccination: null, recoveredOn: null };
  it('05/05/2021 (Công điện 600): 21 days centralised, tests days 1, 14, 20, then 7 days at home, test day 7', () => {
    const d = f1Quarantine(sets, { ...none, lastExposureDate: '2021-05-10' })!;
    expect(d.rulesetId).toBe('f1-cd600-2021-05-05');
    expect(d.kind).toBe('centralised');
    expect(d.quarantineEnds).toBe('2021-05-30');
    expect(d.monitoringEnds).toBe('2021-06-06');
    expect(d.testDates).toEqual(['2021-05-10', '2021-05-23', '2021-05-29', '2021-06-06']);
    expect(d.explanation.vi).toContain('Công điện 600');
  });
  it('~07/2021: 14 days centralised + 14 days monitoring (reconstructed)', () => {
    const d = f1Quarantine(sets, { ...none, lastExposureDate: '2021-08-01' })!;
    expect(d.quarantineEnds).toBe('2021-08-14');
    expect(d.monitoringEnds).toBe('2021-08-28');
    expect(d.confidence).toBe('reconstructed');
  });
  it('16/12/2021: fully vaccinated (last dose ≥ 14 days, ≤ 6 months) → 7 home + 7, PCR days 1 and 7', () => {
    const d = f1Quarantine(sets, {
      lastExposureDate: '2021-12-20',
      vaccination: { doses: 2, lastDoseDate: '2021-12-06' },
      recoveredOn: null,
    })!;
    expect(d.rulesetId).toBe('f1-cv10696-2021-12-16');
    expect(d.ruleId).toBe('protected');
    expect(d.kind).toBe('home');
    expect(d.quarantineEnds).toBe('2021-12-26');
    expect(d.monitoringEnds).toBe('2022-01-02');
    expect(d.testDates).toEqual(['2021-12-20', '2021-12-26']);
    expect(d.explanation.vi).toContain('tự khai');
    // 13 days after the last dose: not yet fully vaccinated
    const early = f1Quarantine(sets, {
      lastExposureDate: '2021-12-20',
      vaccination: { doses: 2, lastDoseDate: '2021-12-07' },
      recoveredOn: null,
    })!;
    expect(early.ruleId).toBe('unprotected');
  });
  it('16/12/2021: recovered within 6 months counts like fully vaccinated', () => {
    const d = f1Quarantine(sets, {
      lastExposureDate: '2021-12-20',
      vaccination: null,
      recoveredOn: '2021-09-01',
    })!;
    expect(d.ruleId).toBe('protected');
    expect(d.facts.recovered).toBe(true);
  });
  it('21/02/2022: 5 + 5 when fully vaccinated, otherwise 7 + 3', () => {
    const v = f1Quarantine(sets, {
      lastExposureDate: '2022-03-01',
      vaccination: { doses: 3, lastDoseDate: '2022-01-10' },
      recoveredOn: null,
    })!;
    expect([v.ruleId, v.quarantineEnds, v.monitoringEnds]).toEqual([
      'vaccinated',
      '2022-03-05',
      '2022-03-10',
    ]);
    const o = f1Quarantine(sets, { ...none, lastExposureDate: '2022-03-01' })!;
    expect([o.ruleId, o.quarantineEnds, o.monitoringEnds]).toEqual([
      'other',
      '2022-03-07',
      '2022-03-10',
    ]);
  });
  it('15/04/2022 (CV 1909/BYT-DP): not quarantined', () => {
    const d = f1Quarantine(sets, { ...none, lastExposureDate: '2022-04-15' })!;
    expect(d.kind).toBe('self_monitoring');
    expect(d.quarantineEnds).toBeNull();
    expect(d.explanation.vi).toContain('không cách ly');
    const dayBefore = f1Quarantine(sets, { ...none, lastExposureDate: '2022-04-14' })!;
    expect(dayBefore.rulesetId).toBe('f1-2022-02-21');
  });
  it('no rule set before 05/05/2021', () => {
    expect(f1Quarantine(sets, { ...none, lastExposureDate: '2021-05-04' })).toBeNull();
  });
});

describe('case status', () => {
  it('closed cases stay closed; nothing goes back to unisolated', () => {
    expect(statusChangeAllowed('unisolated', 'hospital')).toBe(true);
    expect(statusChangeAllowed('hospital', 'unisolated')).toBe(false);
    expect(statusChangeAllowed('recovered', 'hospital')).toBe(false);
    expect(statusChangeAllowed('died', 'recovered')).toBe(false);
  });
});

describe('evidence of one long stay', () => {
  it('joins the pieces of a stay into one exposure', () => {
    const t0 = at('2021-07-15T12:00');
    const H = 3_600_000;
    const f0 = { start: t0 - 3 * H, end: t0 + 3 * H };
    const piece = (start: number, end: number): CoPresence => ({
      personId: 'g',
      source: 'lodging',
      placeKey: 'lodging:1',
      label: 'Khách sạn',
      traced: f0,
      other: { start, end },
    });
    const [c] = collectCandidates([piece(t0 - 72 * H, t0), piece(t0, t0 + 10 * H)], rules);
    expect(c!.evidence).toHaveLength(1);
    expect(c!.evidence[0]!.minutes).toBe(360);
    expect(c!.evidence[0]!.explanation.vi).toContain('360 phút');
  });
});
