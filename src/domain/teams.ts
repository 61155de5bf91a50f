/**
 * Community COVID teams (tổ COVID cộng đồng), issue 18 item 2: the kinds of task a village team
 * is asked to do by the other modules, when a task falls due, and the week of a team's report.
 * Pure functions, no I/O.
 */
import { addDays, dateOfInstant, toDayIndex, type IsoDate } from './dates.ts';

/** What the modules ask of a village, one kind per source. */
export const TEAM_TASK_KINDS = ['arrival', 'home_quarantine', 'f0_home', 'unvaccinated'] as const;
export type TeamTaskKind = (typeof TEAM_TASK_KINDS)[number];

export const TEAM_TASK_LABELS: Record<TeamTaskKind, { vi: string; en: string }> = {
  arrival: { vi: 'Theo dõi người về từ vùng dịch', en: 'Arrival follow-up' },
  home_quarantine: { vi: 'Kiểm tra cách ly tại nhà', en: 'Home-quarantine check' },
  f0_home: { vi: 'Theo dõi F0 tại nhà', en: 'F0 home monitoring' },
  unvaccinated: { vi: 'Vận động tiêm chủng', en: 'Unvaccinated person to visit' },
};

/** Outcomes of a visit to an unvaccinated person. */
export const VISIT_OUTCOMES = ['will_vaccinate', 'refused', 'not_home', 'exempt'] as const;
export type VisitOutcome = (typeof VISIT_OUTCOMES)[number];

/**
 * An unvaccinated adult is visited again this many days after the last visit (never visited:
 * due today). Reconstructed: the directives ask teams to "vận động" the unvaccinated without a
 * fixed interval; a week matches the teams' weekly report.
 */
export const UNVACCINATED_REVISIT_DAYS = 7;
/** Adults: the age from which the vaccination module counts a person as to be vaccinated. */
export const UNVACCINATED_MIN_AGE = 18;

export type TaskState = 'overdue' | 'today' | 'later';

/** A task due before `today` is overdue; due on `today` is today's; later ones are not listed. */
export function taskState(due: IsoDate, today: IsoDate): TaskState {
  return due < today ? 'overdue' : due === today ? 'today' : 'later';
}

/** Days a task is late (0 when due today or later). */
export function daysOverdue(due: IsoDate, today: IsoDate): number {
  return Math.max(0, toDayIndex(today) - toDayIndex(due));
}

/** The day (Vietnam time) an F0's next reading falls due: an instant becomes its calendar date. */
export function readingDueDay(nextReadingDue: number): IsoDate {
  return dateOfInstant(nextReadingDue);
}

/** When an unvaccinated person is next to be visited. */
export function unvaccinatedDue(lastVisitOn: IsoDate | null, today: IsoDate): IsoDate {
  return lastVisitOn ? addDays(lastVisitOn, UNVACCINATED_REVISIT_DAYS) : today;
}

/**
 * What completing a follow-up task means: the test planned for the due day, the end of
 * monitoring, or else a daily check (the follow-up module's own events).
 */
export type FollowUpStep = 'test' | 'close' | 'check';
export function followUpStep(f: {
  testDates: readonly IsoDate[];
  testsDone: number;
  monitoringEnds: IsoDate;
  due: IsoDate;
}): FollowUpStep {
  if (f.testDates[f.testsDone] === f.due) return 'test';
  if (f.due >= f.monitoringEnds) return 'close';
  return 'check';
}

/** The Monday-to-Sunday week holding `date`: [monday, next monday). */
export function weekOf(date: IsoDate): { from: IsoDate; to: IsoDate } {
  // day index 0 (1970-01-01) was a Thursday: Monday is index 4 modulo 7
  const back = (((toDayIndex(date) - 4) % 7) + 7) % 7;
  const from = addDays(date, -back);
  return { from, to: addDays(from, 7) };
}
