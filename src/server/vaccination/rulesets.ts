import type { VaccineScheduleRuleSet } from '../../domain/vaccination.ts';
import type { Db } from '../db/index.ts';
import { ruleSetCache } from '../rulesets.ts';

/** The vaccine schedules (kind 'vaccine_schedule'), read at most once a minute. */
export const scheduleCache = (db: Db) =>
  ruleSetCache<VaccineScheduleRuleSet>(db, 'vaccine_schedule');
export type ScheduleCache = ReturnType<typeof scheduleCache>;
