/**
 * Border posts (issue 17 item 5): the SQL of the report lists and counts, and the one command that
 * records a report. An illegal entry or a hand-over registers each person (people/store.ts
 * `insertPerson`) and admits them to the chosen quarantine facility (care/stays.ts `admit`: the
 * placement rule set, the quarantine course, the test orders and the facility's counts), all in
 * the report's transaction — a facility that cannot place the group answers 409 and nothing is
 * written, so the officer chooses another.
 */
import type { Scope } from '../../domain/access.ts';
import { borderCohort, type BorderReportKind } from '../../domain/border.ts';
import { dateOfInstant } from '../../domain/dates.ts';
import { scopePredicate } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { admit, type AdmissionRules } from '../care/stays.ts';
import { insertPerson, type PersonValues } from '../people/store.ts';

export interface BorderReportRow {
  id: string;
  kind: BorderReportKind;
  site_id: string | null;
  site_name: string | null;
  province_code: string;
  district_code: string;
  commune_code: string;
  place: string;
  occurred_at: string;
  ended_at: string | null;
  people_count: number;
  facility_id: string | null;
  facility_name: string | null;
  note: string | null;
  created_at: string;
}

const REPORT_COLUMNS = `r.id, r.kind, r.site_id, s.name AS site_name, r.province_code, r.district_code,
  r.commune_code, r.place, to_json(r.occurred_at) #>> '{}' AS occurred_at,
  to_json(r.ended_at) #>> '{}' AS ended_at, r.people_count, r.facility_id, f.name AS facility_name,
  r.note, to_json(r.created_at) #>> '{}' AS created_at`;
const REPORT_JOINS = `LEFT JOIN sites s ON s.id = r.site_id LEFT JOIN care_facilities f ON f.id = r.facility_id`;

export const presentReport = (r: BorderReportRow) => ({
  id: r.id,
  kind: r.kind,
  site: r.site_id ? { id: r.site_id, name: r.site_name } : null,
  provinceCode: r.province_code,
  districtCode: r.district_code,
  communeCode: r.commune_code,
  place: r.place,
  occurredAt: r.occurred_at,
  endedAt: r.ended_at,
  peopleCount: r.people_count,
  facility: r.facility_id ? { id: r.facility_id, name: r.facility_name } : null,
  note: r.note,
  createdAt: r.created_at,
});

export async function loadReport(q: Queryable, id: string) {
  return (
    await q.query<BorderReportRow>(
      `SELECT ${REPORT_COLUMNS} FROM border_reports r ${REPORT_JOINS} WHERE r.id = $1`,
      [id],
    )
  )[0];
}

/**
 * The list's SQL (exported for the plan test): reports of a post, a district or a province,
 * newest first, keyset on (occurred_at, id) through border_reports_{site,district,province}; the
 * page is cut before the joins.
 */
export function borderReportListSql(
  scope: Scope,
  params: unknown[],
  after: unknown[] | null,
  limit: number,
) {
  const where = [scopePredicate(scope, params, 'r')];
  if (after) {
    params.push(after[0], after[1]);
    where.push(
      `(r.occurred_at, r.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
    );
  }
  params.push(limit + 1);
  return `SELECT ${REPORT_COLUMNS} FROM (SELECT * FROM border_reports r WHERE ${where.join(' AND ')}
      ORDER BY r.occurred_at DESC, r.id DESC LIMIT $${params.length}) r ${REPORT_JOINS}
    ORDER BY r.occurred_at DESC, r.id DESC`;
}

/**
 * The counts of the report between two dates (inclusive), per district and kind, read from the
 * maintained border_daily_counts: a province or a district (a post counts its district).
 */
export function borderCountsSql(scope: Scope, params: unknown[], from: string, to: string) {
  const area =
    scope.level === 'province'
      ? `province_code = $${params.push(scope.provinceCode)}`
      : `district_code = $${params.push(scope.districtCode)}`;
  params.push(from, to);
  return `SELECT district_code, kind, sum(reports)::int AS reports, sum(people)::int AS people,
      sum(foreigners)::int AS foreigners
    FROM border_daily_counts WHERE ${area} AND day BETWEEN $${params.length - 1}::date AND $${params.length}::date
    GROUP BY district_code, kind ORDER BY district_code, kind`;
}

export interface ReportInput {
  clientId: string | null;
  kind: BorderReportKind;
  siteId: string | null;
  place: { provinceCode: string; districtCode: string; communeCode: string };
  placeText: string;
  occurredAt: number;
  endedAt: number | null;
  facilityId: string | null;
  note: string | null;
  people: PersonValues[];
  actor: { id: string; provinceCode: string; siteId: string | null };
  /** when the stays begin (Vietnam date of now) */
  admittedOn: string;
}

/**
 * Records a report in the caller's transaction: the report row (a replayed client id answers the
 * first report: `replayed`), each person registered and admitted, the link rows and the day's
 * counts. `rules` is read before the transaction; the caller audits in the same transaction.
 */
export async function recordBorderReport(
  q: Queryable,
  rules: AdmissionRules,
  r: ReportInput,
): Promise<{ id: string; replayed: boolean; personIds: string[] }> {
  const ins = await q.query<{ id: string }>(
    `INSERT INTO border_reports (client_id, kind, site_id, province_code, district_code, commune_code, place,
       occurred_at, ended_at, occurred_on, people_count, facility_id, note, reported_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (client_id) DO NOTHING RETURNING id`,
    [
      r.clientId,
      r.kind,
      r.siteId,
      r.place.provinceCode,
      r.place.districtCode,
      r.place.communeCode,
      r.placeText,
      new Date(r.occurredAt).toISOString(),
      r.endedAt === null ? null : new Date(r.endedAt).toISOString(),
      dateOfInstant(r.occurredAt),
      r.people.length,
      r.facilityId,
      r.note,
      r.actor.id,
    ],
  );
  if (!ins[0]) {
    const first = await q.query<{ id: string }>(
      'SELECT id FROM border_reports WHERE client_id = $1',
      [r.clientId],
    );
    return { id: first[0]!.id, replayed: true, personIds: [] };
  }
  const id = ins[0].id;
  const personIds: string[] = [];
  for (const v of r.people) {
    const person = await insertPerson(q, v, {
      userId: r.actor.id,
      registeredProvinceCode: r.actor.provinceCode,
      registeredSiteId: r.actor.siteId,
    });
    const stay = await admit(q, rules, {
      facilityId: r.facilityId!,
      personId: person.row.id,
      purpose: 'quarantine',
      source: 'arrival',
      cohortKey: borderCohort(id),
      familyKey: null,
      isF0: false,
      admittedOn: r.admittedOn,
      bedKind: 'ordinary',
      actorId: r.actor.id,
    });
    await q.query(
      `INSERT INTO border_report_people (report_id, person_id, admission_id, nationality) VALUES ($1, $2, $3, $4)`,
      [id, person.row.id, stay.id, v.nationality],
    );
    personIds.push(person.row.id);
  }
  await q.query(
    `INSERT INTO border_daily_counts (province_code, district_code, day, kind, reports, people, foreigners)
     VALUES ($1, $2, $3, $4, 1, $5, $6)
     ON CONFLICT (district_code, day, kind) DO UPDATE SET reports = border_daily_counts.reports + 1,
       people = border_daily_counts.people + EXCLUDED.people, foreigners = border_daily_counts.foreigners + EXCLUDED.foreigners`,
    [
      r.place.provinceCode,
      r.place.districtCode,
      dateOfInstant(r.occurredAt),
      r.kind,
      r.people.length,
      r.people.filter((p) => p.nationality !== 'VN').length,
    ],
  );
  return { id, replayed: false, personIds };
}

/** The people of a report with their stay: whom, where placed, until when. */
export async function reportPeople(q: Queryable, reportId: string) {
  return q.query<{
    person_id: string;
    full_name: string;
    birth_year: number;
    sex: string;
    nationality: string;
    admission_id: string;
    facility_name: string;
    room_name: string | null;
    status: string;
    release_on: string | null;
  }>(
    `SELECT bp.person_id, p.full_name, p.birth_year, p.sex, bp.nationality, bp.admission_id,
        f.name AS facility_name, rm.name AS room_name, a.status, a.release_on::text AS release_on
       FROM border_report_people bp JOIN persons p ON p.id = bp.person_id
       JOIN care_admissions a ON a.id = bp.admission_id JOIN care_facilities f ON f.id = a.facility_id
       LEFT JOIN care_rooms rm ON rm.id = a.room_id
      WHERE bp.report_id = $1 ORDER BY p.full_name, p.id`,
    [reportId],
  );
}
