import { describe, expect, it } from 'vitest';
import {
  checkCrewOnBoard,
  checkLeg,
  GREEN_LANE_2021 as rs,
  normalisePlate,
  permitValidity,
  windowProblem,
  yardEntry,
  type PermitFacts,
} from './greenlane.ts';

const H = 3_600_000;
const t0 = Date.parse('2021-09-01T08:00:00+07:00');
const at = (hours: number, minutes = 0) => t0 + hours * H + minutes * 60_000;
const iso = (t: number) => new Date(t).toISOString();
const permit = (over: Partial<PermitFacts> = {}): PermitFacts => ({
  windowFrom: iso(at(0)),
  windowTo: iso(at(24 * 7)),
  orderEndsAt: null,
  // the oldest test sampled at t0, a newer one a day later
  crewSampledAt: [iso(at(24)), iso(at(0))],
  ruleSetId: rs.id,
  testValidHours: rs.testValidHours,
  ...over,
});

describe('permit validity: the 72 hours of the oldest test', () => {
  it('is valid at 71 h 59 min and lapsed at 72 h from the oldest sampling', () => {
    const ok = permitValidity(permit(), at(71, 59));
    expect(ok).toMatchObject({ status: 'valid', valid: true, ruleId: 'valid', ruleSetId: rs.id });
    expect(ok.lapsesAt).toBe(iso(at(72)));
    const lapsed = permitValidity(permit(), at(72));
    expect(lapsed).toMatchObject({ status: 'lapsed', valid: false, ruleId: 'test_expired' });
    expect(lapsed.reason.vi).toContain('người thứ 2');
    expect(lapsed.reason.vi).toContain('72 giờ');
    expect(lapsed.reason.en).toContain('72 hours');
  });
  it('reads its hours from the rule set the permit names', () => {
    const p = permit({ testValidHours: 48 });
    expect(permitValidity(p, at(47, 59)).valid).toBe(true);
    expect(permitValidity(p, at(48)).ruleId).toBe('test_expired');
  });
  it('is never valid when someone on board has no test', () => {
    const v = permitValidity(permit({ crewSampledAt: [iso(at(0)), null] }), at(1));
    expect(v).toMatchObject({ valid: false, ruleId: 'test_missing' });
    expect(permitValidity(permit({ crewSampledAt: [] }), at(1)).ruleId).toBe('test_missing');
  });
});

describe('permit validity: the window and the order', () => {
  const fresh = [iso(at(30))];
  it('starts at windowFrom (included)', () => {
    const p = permit({ windowFrom: iso(at(31)), crewSampledAt: fresh });
    expect(permitValidity(p, at(30, 59))).toMatchObject({
      status: 'not_yet',
      ruleId: 'window_not_started',
    });
    expect(permitValidity(p, at(31)).valid).toBe(true);
  });
  it('ends at windowTo (excluded)', () => {
    const p = permit({ windowTo: iso(at(40)), crewSampledAt: fresh });
    expect(permitValidity(p, at(39, 59)).valid).toBe(true);
    const v = permitValidity(p, at(40));
    expect(v).toMatchObject({ status: 'lapsed', ruleId: 'window_ended', lapsesAt: iso(at(40)) });
    expect(v.reason.en).toContain('window ended');
  });
  it('lapses when the order it relies on ends, whichever comes first', () => {
    const p = permit({ orderEndsAt: iso(at(35)), crewSampledAt: fresh });
    expect(permitValidity(p, at(34, 59)).valid).toBe(true);
    expect(permitValidity(p, at(35))).toMatchObject({ ruleId: 'order_ended', valid: false });
    expect(permitValidity(p, at(35)).reason.vi).toContain('hết hiệu lực');
  });
  it('lapses at the revocation (a passage a minute before it was let through rightly)', () => {
    const p = permit({ revokedAt: iso(at(20)), crewSampledAt: fresh });
    expect(permitValidity(p, at(19, 59)).valid).toBe(true);
    expect(permitValidity(p, at(19, 59)).lapsesAt).toBe(iso(at(20)));
    const v = permitValidity(p, at(20));
    expect(v).toMatchObject({ status: 'lapsed', ruleId: 'revoked', lapsesAt: iso(at(20)) });
    expect(v.reason.vi).toContain('thu hồi');
    expect(v.reason.en).toContain('revoked');
    // an earlier end still names its own cause
    const ended = permit({ windowTo: iso(at(10)), revokedAt: iso(at(20)), crewSampledAt: fresh });
    expect(permitValidity(ended, at(25)).ruleId).toBe('window_ended');
    expect(permitValidity(permit({ revokedAt: null, crewSampledAt: fresh }), at(25)).valid).toBe(
      true,
    );
  });
  it('refuses an empty, inverted or too long window', () => {
    expect(windowProblem(rs, iso(at(1)), iso(at(1)))).not.toBeNull();
    expect(windowProblem(rs, iso(at(0)), iso(at(rs.maxWindowHours)))).toBeNull();
    expect(windowProblem(rs, iso(at(0)), iso(at(rs.maxWindowHours, 1)))?.en).toContain('at most');
  });
});

describe('closed loop legs', () => {
  const leg = { from: 'first_checkpoint', to: 'yard', expectedMinutes: 90 } as const;
  it('is on time at exactly the expected minutes and alerts one minute later', () => {
    expect(checkLeg(leg, iso(at(0)), iso(at(1, 30)), 0)).toMatchObject({
      alert: false,
      ruleId: 'leg_on_time',
    });
    const late = checkLeg(leg, iso(at(0)), iso(at(1, 31)), 0);
    expect(late).toMatchObject({ alert: true, ruleId: 'leg_overdue', overdueMinutes: 1 });
    expect(late.reason.vi).toContain('quá 1 phút');
  });
  it('alerts for a vehicle that has not arrived once the time has passed', () => {
    expect(checkLeg(leg, iso(at(0)), null, at(1, 30)).alert).toBe(false);
    expect(checkLeg(leg, iso(at(0)), null, at(1, 31))).toMatchObject({
      alert: true,
      overdueMinutes: 1,
    });
  });
});

describe('plates', () => {
  it('normalises the usual ways of writing a plate and refuses others', () => {
    expect(normalisePlate('29C-123.45')).toBe('29C12345');
    expect(normalisePlate('12h 0011')).toBe('12H0011');
    expect(normalisePlate('ABC')).toBeNull();
    expect(normalisePlate('')).toBeNull();
  });
});

describe('a crew member stepping out (issue 17 item 3)', () => {
  it('all bound people on board pass; one fewer raises the alert, with how many left', () => {
    expect(checkCrewOnBoard(2, 2, 'yard')).toMatchObject({ alert: false, ruleId: 'crew_complete' });
    expect(checkCrewOnBoard(2, 3, 'yard')).toMatchObject({ alert: false, missing: 0 });
    const one = checkCrewOnBoard(2, 1, 'yard');
    expect(one).toMatchObject({ alert: true, ruleId: 'crew_missing', missing: 1 });
    expect(one.reason.vi).toBe(
      'Bãi trung chuyển: trên xe có 1/2 người theo giấy luồng xanh — 1 người đã rời xe; rời vòng khép kín',
    );
    expect(one.reason.en).toContain('1 of the 2 people');
    expect(checkCrewOnBoard(3, 0, 'gate').missing).toBe(3);
  });
});

describe('a transit yard’s capacity (issue 17 item 4)', () => {
  it('the vehicle that fills the yard is not flagged; the next one is', () => {
    expect(yardEntry(99, 100)).toEqual({ full: false, occupied: 100, reason: null });
    const over = yardEntry(100, 100);
    expect(over).toMatchObject({ full: true, occupied: 101 });
    expect(over.reason!.vi).toBe('Bãi đã đầy: 101/100 xe (vượt sức chứa 1 xe)');
    expect(yardEntry(500, null).full).toBe(false);
    expect(yardEntry(0, 0).full).toBe(true);
  });
});
