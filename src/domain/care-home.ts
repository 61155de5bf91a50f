/**
 * Home quarantine as a daily checklist (issue 11 item 4). An F1 quarantine order or an arrival
 * decision that says "home" is followed by the village/commune team every day from the day the
 * checks begin until the quarantine ends; tests and the end of monitoring are due as planned.
 * Pure functions, no I/O.
 */
import { addDays, type IsoDate } from './dates.ts';

export interface FollowUpDueFacts {
  /** The arrival action (an F1 order at home is 'home_quarantine' too). */
  action: string;
  testDates: readonly IsoDate[];
  testsDone: number;
  monitoringEnds: IsoDate;
  quarantineEnds: IsoDate | null;
  /** The first day a check is due: the arrival day, or the day an F1 order reached the team. */
  checksFrom: IsoDate;
  /** The Vietnamese date of the latest daily check, if any. */
  lastCheckOn: IsoDate | null;
}

/**
 * The next date something is due. For home quarantine: the day after the last daily check (or
 * the first day of checks) while the quarantine lasts, unless a test or the end of monitoring
 * comes first; for the other measures the first test not yet done, else the end of monitoring.
 * A due date before today is a missed check or test (the list's "overdue").
 */
export function followUpDue(f: FollowUpDueFacts): IsoDate {
  const planned = f.testDates[f.testsDone] ?? f.monitoringEnds;
  if (f.action !== 'home_quarantine' || !f.quarantineEnds) return planned;
  const check =
    f.lastCheckOn && f.lastCheckOn >= f.checksFrom ? addDays(f.lastCheckOn, 1) : f.checksFrom;
  if (check > f.quarantineEnds) return planned;
  return check < planned ? check : planned;
}

/** The later of two dates (the first day of checks: day 1, or the day the team got the person). */
export const laterDate = (a: IsoDate, b: IsoDate): IsoDate => (a > b ? a : b);
