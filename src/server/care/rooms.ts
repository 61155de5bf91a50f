/**
 * A facility's rooms as its manager sees them: occupancy and free beds by kind, and the cohort
 * each room holds (an F0 room, the contacts of one source case, one arrival batch, one person)
 * — read from the maintained room rows, keyset-paged by name; and the facility's day (tests and
 * releases due today) from its stays through the (site, status, release_on) index.
 */
import type { Queryable } from '../db/index.ts';

export interface RoomRow {
  id: string;
  name: string;
  occupied: number;
  free_ordinary: number;
  free_oxygen: number;
  free_icu: number;
  cohort_key: string | null;
  is_f0: boolean | null;
  first_admitted_on: string | null;
  case_code: string | null;
}

/** What a cohort key names, for a page to word: `case:<id>`, `batch:<name>`, `person:<id>`, `f0`. */
export function cohortOf(key: string | null, isF0: boolean | null, caseCode: string | null) {
  if (!key) return null;
  if (key === 'f0' || isF0) return { kind: 'f0' as const, label: null };
  const [kind, ...rest] = key.split(':');
  const value = rest.join(':');
  if (kind === 'case') return { kind: 'case' as const, label: caseCode ?? value };
  if (kind === 'batch') return { kind: 'batch' as const, label: value };
  return { kind: 'person' as const, label: null };
}

export const presentRoom = (r: RoomRow) => ({
  id: r.id,
  name: r.name,
  beds: r.occupied + r.free_ordinary + r.free_oxygen + r.free_icu,
  occupied: r.occupied,
  free: { ordinary: r.free_ordinary, oxygen: r.free_oxygen, icu: r.free_icu },
  cohortKey: r.cohort_key,
  cohort: cohortOf(r.cohort_key, r.is_f0, r.case_code),
  isF0: r.is_f0,
  firstAdmittedOn: r.first_admitted_on,
});

/**
 * The room list's SQL (exported for the plan test): one facility's rooms by name, keyset on
 * (name, id) through care_rooms_facility_name (migration 0023); the source case's code is read
 * by primary key for the page only.
 */
export function roomListSql(
  facilityParam: string,
  params: unknown[],
  after: unknown[] | null,
  limit: number,
) {
  const where = [`r.facility_id = ${facilityParam}`];
  if (after) {
    params.push(after[0], after[1]);
    where.push(`(r.name, r.id) > ($${params.length - 1}::text, $${params.length}::uuid)`);
  }
  params.push(limit + 1);
  return `SELECT r.id, r.name, r.occupied, r.free_ordinary, r.free_oxygen, r.free_icu, r.cohort_key, r.is_f0,
      r.first_admitted_on::text AS first_admitted_on, c.code AS case_code
    FROM (SELECT * FROM care_rooms r WHERE ${where.join(' AND ')} ORDER BY r.name, r.id LIMIT $${params.length}) r
    LEFT JOIN cases c ON c.id = CASE WHEN r.cohort_key LIKE 'case:%' THEN substr(r.cohort_key, 6)::uuid END
    ORDER BY r.name, r.id`;
}

export async function facilityRooms(
  q: Queryable,
  facilityId: string,
  after: unknown[] | null,
  limit: number,
) {
  const params: unknown[] = [facilityId];
  const rows = await q.query<RoomRow>(roomListSql('$1', params, after, limit), params);
  return rows;
}

/**
 * The facility's day: how many stays have a test due today and how many may be released (the
 * release date reached), over the facility's current stays only (the site index).
 */
export async function facilityToday(q: Queryable, siteId: string, today: string) {
  const r = await q.query<{ tests_due: number; releases_due: number; admitted: number }>(
    `SELECT count(*) FILTER (WHERE $2::date = ANY (test_dates))::int AS tests_due,
            count(*) FILTER (WHERE release_on <= $2::date)::int AS releases_due,
            count(*)::int AS admitted
       FROM care_admissions WHERE site_id = $1 AND status = 'admitted'`,
    [siteId, today],
  );
  return {
    testsDue: r[0]?.tests_due ?? 0,
    releasesDue: r[0]?.releases_due ?? 0,
    admitted: r[0]?.admitted ?? 0,
  };
}

/**
 * Occupancy by cohort: each cohort in the facility with its rooms and people, from the room rows
 * (a facility's rooms are a few hundred; the district never reads this, it reads the totals).
 */
export async function facilityCohorts(q: Queryable, facilityId: string) {
  const rows = await q.query<{
    cohort_key: string;
    is_f0: boolean | null;
    rooms: number;
    people: number;
    first_admitted_on: string | null;
    case_code: string | null;
  }>(
    `SELECT g.*, c.code AS case_code FROM (
       SELECT cohort_key, bool_or(is_f0) AS is_f0, count(*)::int AS rooms, sum(occupied)::int AS people,
              min(first_admitted_on)::text AS first_admitted_on
         FROM care_rooms WHERE facility_id = $1 AND occupied > 0 GROUP BY cohort_key) g
     LEFT JOIN cases c ON c.id = CASE WHEN g.cohort_key LIKE 'case:%' THEN substr(g.cohort_key, 6)::uuid END
     ORDER BY g.first_admitted_on, g.cohort_key`,
    [facilityId],
  );
  return rows.map((r) => ({
    cohortKey: r.cohort_key,
    cohort: cohortOf(r.cohort_key, r.is_f0, r.case_code),
    rooms: r.rooms,
    people: r.people,
    firstAdmittedOn: r.first_admitted_on,
  }));
}
