import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/server/db/index.ts';
import {
  teamOverdueSql,
  teamTaskListSql,
  teamWeekDoneSql,
} from '../../src/server/teams/task-sql.ts';
import { taskArgs } from '../../src/server/teams/tasks.ts';
import { ENGINE, openTestDb } from '../helpers/app.ts';
import { checkPlan } from '../helpers/plan.ts';
import { fillTeams, teamId as teamIdSql, TEAMS_TODAY } from '../helpers/teams-data.ts';

/**
 * Issue 18 item 2: a team's task list and weekly report start from the team's households by
 * index and reach each module's rows through an index per UNION ALL arm — no sequential scan of
 * the 100,000 households, 200,000 people, their follow-ups, treatments and vaccination status;
 * the sort holds only the team's own due tasks. On PostgreSQL.
 */
let db: Db;
let drop: () => Promise<void>;
const BIG = {
  bigTables: [
    'households',
    'community_team_households',
    'persons',
    'household_members',
    'follow_ups',
    'care_treatments',
    'vaccination_status',
    'community_team_visits',
    'follow_up_events',
    'care_readings',
  ],
};
const TEAM = '5d41402a-bc4b-2a76-b971-9d911017c592';

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  if (ENGINE !== 'postgres') return;
  await fillTeams(db, { households: 100_000, teams: 1_200, perHousehold: 2 });
}, 300_000);
afterAll(() => drop?.());

describe.runIf(ENGINE === 'postgres')('community team plans', () => {
  it('the task list, first page and with a cursor, limits through the indexes', async () => {
    const teamId = (await db.query<{ id: string }>(`SELECT ${teamIdSql('77')}::text AS id`))[0]!.id;
    const first = teamTaskListSql(taskArgs(teamId, TEAMS_TODAY), null, 51);
    const rows = await db.query(first.sql, first.params);
    expect(rows.length).toBeGreaterThan(10); // the filled team has tasks, so the plan is of a real list
    for (const after of [null, [TEAMS_TODAY, 'arrival', TEAM, TEAM]]) {
      const q = teamTaskListSql(taskArgs(teamId, TEAMS_TODAY), after, 51);
      const { problems, plan } = await checkPlan(db, q.sql, q.params, BIG);
      expect(problems, plan).toEqual([]);
    }
  });

  it('the weekly report: done by kind, households visited, overdue', async () => {
    const done = teamWeekDoneSql(TEAM, {
      from: '2026-12-07',
      to: '2026-12-14',
      fromInstant: '2026-12-06T17:00:00Z',
      toInstant: '2026-12-13T17:00:00Z',
    });
    for (const q of [done, teamOverdueSql(taskArgs(TEAM, TEAMS_TODAY))]) {
      const { problems, plan } = await checkPlan(db, q.sql, q.params, BIG);
      expect(problems, plan).toEqual([]);
    }
  });
});
