import type { Queryable } from '../../src/server/db/index.ts';

/**
 * A province's community teams for the plan test and the benchmark (issue 18 item 2):
 * `households` households of `perHousehold` people each, split evenly over `teams` teams of their
 * own village; one person in five followed up (arrival or home quarantine, due over the ten days
 * around 2026-12-08), one in two treated once (one in forty still treated, most at home), nine in ten vaccinated, some visits. Made with
 * generate_series; references and triggers are off for the fill (the plans depend on sizes and
 * distributions, not on the referenced rows). Then ANALYZE.
 */
export const TEAMS_TODAY = '2026-12-08';

/** A team's id from its number: md5 with the version and variant bits of a UUID v4 (the API checks them). */
export const teamId = (n: string) =>
  `overlay(overlay(md5('t' || ${n}) placing '4' from 13) placing '8' from 17)::uuid`;

export async function fillTeams(
  db: { tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>; query: Queryable['query'] },
  o: { households: number; teams: number; perHousehold: number },
): Promise<void> {
  const per = Math.ceil(o.households / o.teams);
  // team t (1..teams) in commune t % 130 of district (t % 130) % 10, village md5('v' || t)
  const area = (t: string) =>
    `'11', lpad(((${t} % 130) % 10)::text, 5, '0'), lpad((${t} % 130)::text, 5, '0')`;
  const team = (h: string) => `((${h} - 1) / ${per} + 1)`;
  await db.tx(async (q) => {
    await q.query('SET LOCAL session_replication_role = replica');
    await q.query(`INSERT INTO villages (id, province_code, district_code, commune_code, name, kind, search_name)
      SELECT md5('v' || t)::uuid, ${area('t')}, 'Thôn ' || t, 'thon', 'thon ' || t
        FROM generate_series(1, ${o.teams}) t`);
    await q.query(`INSERT INTO community_teams (id, province_code, district_code, commune_code, village_id, name)
      SELECT ${teamId('t')}, ${area('t')}, md5('v' || t)::uuid, 'Tổ ' || t
        FROM generate_series(1, ${o.teams}) t`);
    await q.query(`INSERT INTO households (id, province_code, district_code, commune_code, village_id, address)
      SELECT md5('h' || h)::uuid, ${area(team('h'))}, md5('v' || ${team('h')})::uuid, 'Số ' || h
        FROM generate_series(1, ${o.households}) h`);
    await q.query(`INSERT INTO community_team_households (household_id, team_id, village_id)
      SELECT md5('h' || h)::uuid, ${teamId(team('h'))}, md5('v' || ${team('h')})::uuid
        FROM generate_series(1, ${o.households}) h`);
    // person g = household (g - 1) / perHousehold + 1
    const hh = `((g - 1) / ${o.perHousehold} + 1)`;
    const total = o.households * o.perHousehold;
    await q.query(`INSERT INTO persons (id, full_name, search_name, birth_year, sex, province_code, district_code,
        commune_code, village_id, registered_province_code)
      SELECT md5('p' || g)::uuid, 'Người ' || g, 'nguoi ' || g, 1950 + g % 60, 'male', ${area(team(hh))},
             md5('v' || ${team(hh)})::uuid, '11'
        FROM generate_series(1, ${total}) g`);
    await q.query(`INSERT INTO household_members (household_id, person_id, relation)
      SELECT md5('h' || ${hh})::uuid, md5('p' || g)::uuid, CASE WHEN (g - 1) % ${o.perHousehold} = 0 THEN 'head' ELSE 'child' END
        FROM generate_series(1, ${total}) g`);
    await q.query(`INSERT INTO follow_ups (entry_id, quarantine_order_id, person_id, province_code, district_code,
        commune_code, village_id, action, start_date, monitoring_ends, status, next_due)
      SELECT CASE WHEN g % 2 = 0 THEN md5('e' || g)::uuid END, CASE WHEN g % 2 = 1 THEN md5('q' || g)::uuid END,
             md5('p' || g)::uuid, ${area(team(hh))}, md5('v' || ${team(hh)})::uuid,
             CASE WHEN g % 2 = 0 THEN 'self_monitor' ELSE 'home_quarantine' END,
             date '${TEAMS_TODAY}' - 7, date '${TEAMS_TODAY}' + 7,
             CASE WHEN g % 3 = 0 THEN 'completed' ELSE 'open' END,
             CASE WHEN g % 3 <> 0 THEN date '${TEAMS_TODAY}' - 5 + g % 10 END
        FROM generate_series(5, ${total}, 5) g`);
    await q.query(`INSERT INTO care_treatments (case_id, person_id, province_code, district_code, commune_code, village_id,
        tier, status, started_on, age_years, ruleset_id, rule_id, explanation, next_reading_due)
      SELECT md5('c' || g)::uuid, md5('p' || g)::uuid, ${area(team(hh))}, md5('v' || ${team(hh)})::uuid,
             CASE WHEN g % 3 = 0 THEN 'tier2' ELSE 'home' END,
             CASE WHEN g % 40 = 7 THEN 'active' ELSE 'discharged' END, date '${TEAMS_TODAY}' - 3, 40, 'r', 'home', '{}',
             timestamptz '${TEAMS_TODAY}T00:00:00+07:00' + (g % 48) * interval '1 hour'
        FROM generate_series(1, ${total}, 2) g`);
    await q.query(`INSERT INTO vaccination_status (person_id, province_code, res_province_code, district_code, commune_code,
        village_id, birth_year, doses, first_dose_on, last_dose_on, rule_set_id)
      SELECT md5('p' || g)::uuid, '11', '11', lpad(((${team(hh)} % 130) % 10)::text, 5, '0'),
             lpad((${team(hh)} % 130)::text, 5, '0'), md5('v' || ${team(hh)})::uuid, 1950 + g % 60, 2,
             date '2021-09-01', date '2021-10-01', 'r'
        FROM generate_series(1, ${total}) g WHERE g % 10 <> 3`);
    await q.query(`INSERT INTO community_team_visits (client_id, team_id, household_id, person_id, province_code,
        district_code, commune_code, village_id, outcome, at, visited_on, recorded_by)
      SELECT md5('x' || g)::uuid, ${teamId(team(hh))}, md5('h' || ${hh})::uuid, md5('p' || g)::uuid,
             ${area(team(hh))}, md5('v' || ${team(hh)})::uuid, 'not_home', now(), date '${TEAMS_TODAY}' - g % 14,
             md5('u')::uuid
        FROM generate_series(3, ${total}, 20) g`);
  });
  for (const t of [
    'villages',
    'community_teams',
    'households',
    'community_team_households',
    'persons',
    'household_members',
    'follow_ups',
    'care_treatments',
    'vaccination_status',
    'community_team_visits',
  ])
    await db.query(`ANALYZE ${t}`);
}
