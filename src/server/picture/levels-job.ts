/**
 * The weekly job of the levels: once the week ending on Sunday (Vietnamese calendar) is over,
 * every unit of the country is computed as a draft for it (one set-wise pass, computeLevels),
 * unless the home province already has that week. The province then reviews and publishes.
 */
import type { FastifyInstance } from 'fastify';
import { addDays, type IsoDate } from '../../domain/dates.ts';
import type { LevelRuleSet } from '../../domain/levels.ts';
import type { Db } from '../db/index.ts';
import { todayVn } from '../vaccination/common.ts';
import { computeLevels } from './levels.ts';

const EVERY_MS = 60 * 60_000;

/** The last Sunday on or before `today`: the end of the latest whole week. */
export const lastWeekEnd = (today: IsoDate): IsoDate =>
  addDays(today, -new Date(`${today}T00:00:00Z`).getUTCDay());

/**
 * Computes the week ending on the last Sunday before `today` when the home province has no
 * level for it yet. Returns what was computed, or null when the week was already there.
 */
export async function weeklyLevels(
  db: Db,
  province: string,
  sets: readonly LevelRuleSet[],
  today: IsoDate,
) {
  const week = lastWeekEnd(addDays(today, -1));
  const have = await db.query(
    'SELECT 1 FROM level_assessments WHERE province_code = $1 AND week_end = $2::date LIMIT 1',
    [province, week],
  );
  if (have[0]) return null;
  const out = await db.tx((q) => computeLevels(q, null, week, sets));
  return { week, assessed: out.assessed, ruleSetId: out.ruleSetId };
}

/** Runs the weekly computation every hour (the first run an hour after start). */
export function scheduleWeeklyLevels(
  app: FastifyInstance,
  sets: { get(): Promise<readonly LevelRuleSet[]> },
) {
  let timer: NodeJS.Timeout | null = null;
  app.addHook('onReady', async () => {
    timer = setInterval(() => {
      sets
        .get()
        .then((s) => weeklyLevels(app.db, app.config.province, s, todayVn()))
        .then((r) => r && app.log.info(r, 'weekly levels computed'))
        .catch((err) => app.log.error({ err }, 'weekly levels failed'));
    }, EVERY_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
  });
}
