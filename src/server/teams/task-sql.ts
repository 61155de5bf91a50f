/**
 * The SQL of a team's task list and weekly report (issue 18 item 2), exported so the plan test
 * EXPLAINs the very statements the endpoints run.
 *
 * Both start from the team: its households by `community_team_households_team` (team_id,
 * household_id), their members by household_members' key — a few hundred people — and reach
 * each module's rows from those people through an index per arm (follow_ups_person,
 * care_treatments_person_home, vaccination_status's key, community_team_visits_person), in a
 * UNION ALL. The list sorts the team's due tasks (bounded by the team's size), limits, and only
 * then joins names and addresses.
 */
import { UNVACCINATED_REVISIT_DAYS } from '../../domain/teams.ts';

/** The team's people (household, person), materialised once for every arm. */
const TEAM_PEOPLE = `team_people AS MATERIALIZED (
  SELECT th.household_id, hm.person_id
    FROM community_team_households th
    JOIN household_members hm ON hm.household_id = th.household_id
   WHERE th.team_id = $1::uuid)`;

/**
 * Every task of the team, with the day it is due: $1 team, $2 today, $3 the first instant of
 * tomorrow (Vietnam time), $4 the latest birth year of an adult. Tasks due after today are left out.
 */
const TEAM_TASKS = `${TEAM_PEOPLE},
team_tasks AS (
  SELECT CASE WHEN f.quarantine_order_id IS NULL THEN 'arrival' ELSE 'home_quarantine' END AS kind,
         f.id AS source_id, f.next_due AS due_on, tp.household_id, tp.person_id
    FROM team_people tp JOIN follow_ups f ON f.person_id = tp.person_id
   WHERE f.status = 'open' AND f.next_due <= $2::date
  UNION ALL
  SELECT 'f0_home', c.case_id, ((c.next_reading_due AT TIME ZONE 'UTC') + interval '7 hours')::date,
         tp.household_id, tp.person_id
    FROM team_people tp JOIN care_treatments c ON c.person_id = tp.person_id AND c.status = 'active'
   WHERE c.tier = 'home' AND c.next_reading_due < $3::timestamptz
  UNION ALL
  SELECT 'unvaccinated', p.id, coalesce(lv.last_on + ${UNVACCINATED_REVISIT_DAYS}, $2::date),
         tp.household_id, tp.person_id
    FROM team_people tp JOIN persons p ON p.id = tp.person_id
    LEFT JOIN LATERAL (SELECT max(x.visited_on) AS last_on FROM community_team_visits x
                        WHERE x.person_id = p.id) lv ON true
   WHERE p.merged_into IS NULL AND p.birth_year <= $4::int
     AND NOT EXISTS (SELECT 1 FROM vaccination_status s WHERE s.person_id = p.id)
     AND coalesce(lv.last_on + ${UNVACCINATED_REVISIT_DAYS}, $2::date) <= $2::date)`;

export interface TaskListArgs {
  teamId: string;
  today: string;
  tomorrowStarts: string;
  maxBirthYear: number;
}

/** One page of the team's tasks in (due day, kind, source id, household) order. */
export function teamTaskListSql(
  a: TaskListArgs,
  after: unknown[] | null,
  limit: number,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [a.teamId, a.today, a.tomorrowStarts, a.maxBirthYear];
  let keyset = '';
  if (after) {
    params.push(...after);
    keyset = `WHERE (k.due_on, k.kind, k.source_id, k.household_id) > ($5::date, $6::text, $7::uuid, $8::uuid)`;
  }
  params.push(limit);
  const sql = `WITH ${TEAM_TASKS}
SELECT k.kind, k.source_id, k.due_on::text AS due_on, k.household_id, k.person_id,
       p.full_name, p.birth_year, p.phone, h.address,
       f.test_dates::text[] AS test_dates, f.tests_done, f.monitoring_ends::text AS monitoring_ends,
       c.next_reading_due, c.last_reading_at
  FROM (SELECT * FROM team_tasks k ${keyset}
         ORDER BY k.due_on, k.kind, k.source_id, k.household_id LIMIT $${params.length}) k
  JOIN persons p ON p.id = k.person_id
  JOIN households h ON h.id = k.household_id
  LEFT JOIN follow_ups f ON k.kind IN ('arrival', 'home_quarantine') AND f.id = k.source_id
  LEFT JOIN care_treatments c ON k.kind = 'f0_home' AND c.case_id = k.source_id AND c.status = 'active'
 ORDER BY k.due_on, k.kind, k.source_id, k.household_id`;
  return { sql, params };
}

/** Tasks overdue on $2 (today, or the last day of a past week), by kind. */
export function teamOverdueSql(a: TaskListArgs): { sql: string; params: unknown[] } {
  return {
    sql: `WITH ${TEAM_TASKS}
SELECT kind, count(*)::int AS n FROM team_tasks WHERE due_on < $2::date GROUP BY kind`,
    params: [a.teamId, a.today, a.tomorrowStarts, a.maxBirthYear],
  };
}

/**
 * What the team did in a week, by kind, and the households visited: the follow-up module's
 * events, the care module's readings and the team's own visits of the week ($2, $3 its first
 * and after-last instants; $4, $5 its first and after-last days).
 */
export function teamWeekDoneSql(
  teamId: string,
  week: { fromInstant: string; toInstant: string; from: string; to: string },
): { sql: string; params: unknown[] } {
  return {
    sql: `WITH ${TEAM_PEOPLE},
done AS (
  SELECT CASE WHEN f.quarantine_order_id IS NULL THEN 'arrival' ELSE 'home_quarantine' END AS kind,
         tp.household_id
    FROM team_people tp JOIN follow_ups f ON f.person_id = tp.person_id
    JOIN follow_up_events e ON e.follow_up_id = f.id
   WHERE e.at >= $2::timestamptz AND e.at < $3::timestamptz AND e.kind <> 'note'
  UNION ALL
  SELECT 'f0_home', tp.household_id
    FROM team_people tp JOIN care_treatments c ON c.person_id = tp.person_id AND c.tier = 'home'
    JOIN care_readings r ON r.treatment_id = c.id
   WHERE r.at >= $2::timestamptz AND r.at < $3::timestamptz
  UNION ALL
  SELECT 'unvaccinated', x.household_id FROM community_team_visits x
   WHERE x.team_id = $1::uuid AND x.visited_on >= $4::date AND x.visited_on < $5::date)
SELECT kind, count(*)::int AS n, NULL::int AS households FROM done GROUP BY kind
UNION ALL
SELECT 'all', count(*)::int, count(DISTINCT household_id)::int FROM done`,
    params: [teamId, week.fromInstant, week.toInstant, week.from, week.to],
  };
}
