/**
 * Command functions of a stay in a facility: admit (placement by the rule set, a bed taken, the
 * room's cohort and every maintained count changed in one transaction) and vacate (the bed
 * freed, the room emptied of its cohort when it is the last one out). Routes call these; so does
 * the transfer of a patient that answers an alert.
 */
import {
  placeAdmission,
  quarantineCourse,
  type BedKind,
  type Placement,
  type QuarantineCourse,
  type RoomState,
} from '../../domain/care.ts';
import { formatViDate, type IsoDate } from '../../domain/dates.ts';
import type { Queryable } from '../db/index.ts';
import { AppError } from '../errors.ts';
import { AUDIT_COLUMNS, AUDIT_FIELDS } from '../context.ts';
import type { PlacementRuleSet } from '../../domain/care.ts';
import type { F1QuarantineRuleSet } from '../../domain/tracing.ts';
import type { CareRules } from './rulesets.ts';
import type { RoomRow } from './rooms.ts';

/** The rule sets an admission decides with, read before its transaction. */
export interface AdmissionRules {
  placement: PlacementRuleSet;
  quarantineSets: F1QuarantineRuleSet[];
}
export const admissionRules = async (rules: CareRules, on: IsoDate): Promise<AdmissionRules> => ({
  placement: await rules.placement(on),
  quarantineSets: await rules.quarantineSets(),
});

export interface AdmitInput {
  facilityId: string;
  personId: string;
  purpose: 'quarantine' | 'treatment';
  source: 'order' | 'arrival' | 'manual' | 'transfer';
  cohortKey: string;
  familyKey: string | null;
  isF0: boolean;
  admittedOn: IsoDate;
  bedKind: BedKind;
  quarantineOrderId?: string | null;
  followUpId?: string | null;
  caseId?: string | null;
  feeExemption?: string | null;
  clientId?: string | null;
  actorId: string;
}

export interface AdmitResult {
  id: string;
  replayed: boolean;
  placement: Extract<Placement, { ok: true }>;
  course: QuarantineCourse | null;
}

/** The refusal of a placement as a 409 that names every room and what it would mix. */
export const placementRefused = (p: Extract<Placement, { ok: false }>) =>
  new AppError(409, 'placement_refused', p.explanation.vi, undefined, {
    rulesetId: p.rulesetId,
    rule: p.rule,
    explanation: p.explanation,
    refusals: p.refusals,
  });

/** Primary doses from the vaccination register: how many, and the last one's date. */
export async function vaccinationOf(q: Queryable, personId: string) {
  const r = await q.query<{ doses: number; last: string | null }>(
    `SELECT count(*)::int AS doses, max(given_on)::text AS last FROM vaccination_doses
      WHERE person_id = $1 AND kind = 'primary'`,
    [personId],
  );
  return { doses: r[0]?.doses ?? 0, lastDoseDate: r[0]?.last ?? null };
}

/**
 * The room-state read of an admission, after the facility's row is locked: every room with its
 * cohort and free beds (and whether the person's household is in it), and the person's primary
 * doses for the quarantine course — one statement.
 */
const ROOMS_SQL = `SELECT
    (SELECT coalesce(json_agg(r ORDER BY r.name), '[]'::json) FROM (
       SELECT r.id, r.name, r.occupied, r.free_ordinary, r.free_oxygen, r.free_icu, r.cohort_key, r.is_f0,
              r.first_admitted_on::text AS first_admitted_on,
              ($2::text IS NOT NULL AND EXISTS (SELECT 1 FROM care_admissions x WHERE x.room_id = r.id
                 AND x.status = 'admitted' AND x.family_key = $2)) AS family
         FROM care_rooms r WHERE r.facility_id = $1) r) AS rooms,
    (SELECT count(*)::int FROM vaccination_doses WHERE person_id = $3 AND kind = 'primary') AS doses,
    (SELECT max(given_on)::text FROM vaccination_doses WHERE person_id = $3 AND kind = 'primary') AS last_dose`;

/**
 * Every write of an admission in one statement (atomic without more round trips): the free bed
 * taken, the stay inserted, the bed, room and facility figures changed, the 'admitted' event,
 * the test orders of the course, the person's home-quarantine checks ended and, when asked, the
 * audit row naming the new stay.
 */
function writeSql(kind: BedKind, withAudit: boolean) {
  const auditCols = AUDIT_FIELDS.map(([c, type], i) =>
    c === 'resource_id' ? `coalesce($${23 + i}::text, ins.id::text)` : `$${23 + i}::${type}`,
  ).join(', ');
  return `WITH bed AS (
      SELECT id FROM care_beds WHERE room_id = $1::uuid AND kind = $2::text AND admission_id IS NULL ORDER BY label LIMIT 1 FOR UPDATE
    ), ins AS (
      INSERT INTO care_admissions (client_id, person_id, facility_id, room_id, bed_id, province_code, district_code, commune_code,
         site_id, purpose, source, quarantine_order_id, follow_up_id, case_id, is_f0, cohort_key, family_key, admitted_on, release_on,
         test_dates, fee_exemption, ruleset_id, rule_id, placement, course, created_by)
      SELECT $3::uuid, $4::uuid, $5::uuid, $1::uuid, bed.id, f.province_code, f.district_code, f.commune_code, f.site_id,
             $6::text, $7::text, $8::uuid, $9::uuid, $10::uuid, $11::boolean, $12::text, $13::text, $14::date, $15::date,
             $16::date[], $17::text, $18::text, $19::text, $20::jsonb, $21::jsonb, $22::uuid
        FROM bed, care_facilities f WHERE f.id = $5
      RETURNING id, bed_id, person_id, province_code, district_code, commune_code, site_id
    ), b AS (
      UPDATE care_beds SET admission_id = ins.id FROM ins WHERE care_beds.id = ins.bed_id RETURNING 1
    ), r AS (
      UPDATE care_rooms SET occupied = occupied + 1, free_${kind} = free_${kind} - 1,
         cohort_key = coalesce(cohort_key, $12::text), is_f0 = coalesce(is_f0, $11::boolean), first_admitted_on = coalesce(first_admitted_on, $14::date)
       WHERE id = $1 AND EXISTS (SELECT 1 FROM ins) RETURNING 1
    ), fa AS (
      UPDATE care_facilities SET beds_occupied = beds_occupied + 1,
         oxygen_beds_occupied = oxygen_beds_occupied + ${kind === 'oxygen' ? 1 : 0},
         icu_occupied = icu_occupied + ${kind === 'icu' ? 1 : 0}, updated_at = now()
       WHERE id = $5 AND EXISTS (SELECT 1 FROM ins) RETURNING 1
    ), ev AS (
      INSERT INTO care_admission_events (admission_id, kind, data, recorded_by)
      SELECT id, 'admitted', $${withAudit ? 23 + AUDIT_FIELDS.length : 23}::jsonb, $22::uuid FROM ins RETURNING 1
    ), t AS (
      INSERT INTO test_orders (person_id, test_type, reason, note, province_code, district_code, commune_code, site_id, created_by)
      SELECT ins.person_id, 'rt_pcr', 'follow_up', 'Xét nghiệm cách ly ngày ' || to_char(d, 'DD/MM/YYYY'), ins.province_code,
             ins.district_code, ins.commune_code, ins.site_id, $22::uuid
        FROM ins, unnest($16::date[]) d RETURNING 1
    ), home AS (
      -- moved from home into a facility: the village team's home checks end (issue 11 item 4)
      UPDATE follow_ups SET status = 'moved_away', next_due = NULL, updated_at = now()
       WHERE person_id = $4::uuid AND status = 'open' AND action = 'home_quarantine'
         AND EXISTS (SELECT 1 FROM ins) RETURNING 1
    )${
      withAudit
        ? `, au AS (INSERT INTO audit_events (${AUDIT_COLUMNS}) SELECT ${auditCols} FROM ins RETURNING 1)`
        : ''
    }
    SELECT id FROM ins`;
}

/**
 * Admits in five round trips (BEGIN, lock, room state, write, COMMIT — issue 11 item 3):
 * `audit`, the values of `auditValues` for the new stay (its resource id is filled in).
 */
export async function admit(
  q: Queryable,
  rules: AdmissionRules,
  a: AdmitInput,
  audit?: unknown[],
): Promise<AdmitResult> {
  // The facility locked (admissions to one facility are placed one at a time), the replay and
  // a current stay looked up beside it.
  const f = (
    await q.query<{
      replay: {
        id: string;
        placement: AdmitResult['placement'];
        course: QuarantineCourse | null;
      } | null;
      staying: boolean;
    }>(
      `SELECT (SELECT json_build_object('id', id, 'placement', placement, 'course', course) FROM care_admissions
                WHERE client_id = $2) AS replay,
              EXISTS (SELECT 1 FROM care_admissions WHERE person_id = $3 AND status = 'admitted') AS staying
         FROM care_facilities WHERE id = $1 FOR UPDATE`,
      [a.facilityId, a.clientId ?? null, a.personId],
      { prepare: true },
    )
  )[0]!;
  if (f.replay) return { ...f.replay, replayed: true };
  if (f.staying)
    throw new AppError(409, 'conflict', 'Người này đang ở một cơ sở cách ly/điều trị', [
      { path: 'personId', message: 'Đang ở một cơ sở' },
    ]);
  const state = (
    await q.query<{
      rooms: (Omit<RoomRow, 'case_code'> & { family: boolean })[];
      doses: number;
      last_dose: string | null;
    }>(ROOMS_SQL, [a.facilityId, a.familyKey, a.personId], { prepare: true })
  )[0]!;
  const rooms = typeof state.rooms === 'string' ? JSON.parse(state.rooms) : state.rooms;
  const states: RoomState[] = (rooms as typeof state.rooms).map((r) => ({
    id: r.id,
    name: r.name,
    occupied: r.occupied,
    freeBeds: { ordinary: r.free_ordinary, oxygen: r.free_oxygen, icu: r.free_icu },
    cohortKey: r.cohort_key,
    isF0: r.is_f0,
    firstAdmittedOn: r.first_admitted_on,
    familyKeys: r.family && a.familyKey ? [a.familyKey] : [],
  }));
  const placement = placeAdmission(rules.placement, { ...a }, states);
  if (!placement.ok) throw placementRefused(placement);
  let course: QuarantineCourse | null = null;
  if (a.purpose === 'quarantine') {
    course = quarantineCourse(rules.quarantineSets, {
      admittedOn: a.admittedOn,
      vaccination: { doses: state.doses, lastDoseDate: state.last_dose },
      recoveredOn: null,
    });
    if (!course)
      throw new AppError(
        409,
        'conflict',
        `Không có quy định cách ly có hiệu lực ngày ${formatViDate(a.admittedOn)}`,
      );
  }
  const ins = await q.query<{ id: string }>(
    writeSql(a.bedKind, !!audit),
    [
      placement.roomId,
      a.bedKind,
      a.clientId ?? null,
      a.personId,
      a.facilityId,
      a.purpose,
      a.source,
      a.quarantineOrderId ?? null,
      a.followUpId ?? null,
      a.caseId ?? null,
      a.isF0,
      a.cohortKey,
      a.familyKey,
      a.admittedOn,
      course?.releaseOn ?? null,
      course?.testDates ?? [],
      a.feeExemption ?? null,
      placement.rulesetId,
      placement.rule,
      JSON.stringify(placement),
      course ? JSON.stringify(course) : null,
      a.actorId,
      ...(audit ?? []),
      JSON.stringify({ placement: placement.explanation, course: course?.explanation ?? null }),
    ],
    { prepare: true },
  );
  if (!ins[0]) throw new AppError(409, 'conflict', 'Không còn giường trống loại này trong phòng');
  return { id: ins[0].id, replayed: false, placement, course };
}

async function bumpFacility(q: Queryable, facilityId: string, kind: BedKind, d: 1 | -1) {
  await q.query(
    `UPDATE care_facilities SET beds_occupied = beds_occupied + $2,
       oxygen_beds_occupied = oxygen_beds_occupied + CASE WHEN $3 = 'oxygen' THEN $2 ELSE 0 END,
       icu_occupied = icu_occupied + CASE WHEN $3 = 'icu' THEN $2 ELSE 0 END, updated_at = now() WHERE id = $1`,
    [facilityId, d, kind],
  );
}

/** Ends a stay: status and reason, the bed freed, the room's cohort cleared when it empties. */
export async function vacate(
  q: Queryable,
  admissionId: string,
  status: 'released' | 'transferred' | 'escaped' | 'positive' | 'discharged' | 'died',
  leftOn: IsoDate,
  reason: string | null,
) {
  const a = (
    await q.query<{ facility_id: string; room_id: string; bed_id: string; kind: BedKind }>(
      `UPDATE care_admissions a SET status = $2, left_on = $3, left_reason = $4, updated_at = now()
         FROM care_beds b WHERE a.id = $1 AND a.status = 'admitted' AND b.id = a.bed_id
       RETURNING a.facility_id, a.room_id, a.bed_id, b.kind`,
      [admissionId, status, leftOn, reason],
    )
  )[0];
  if (!a) throw new AppError(409, 'conflict', 'Người này không còn ở cơ sở');
  await q.query('UPDATE care_beds SET admission_id = NULL WHERE id = $1', [a.bed_id]);
  await q.query(
    `UPDATE care_rooms SET occupied = occupied - 1, free_${a.kind} = free_${a.kind} + 1,
       cohort_key = CASE WHEN occupied = 1 THEN NULL ELSE cohort_key END,
       is_f0 = CASE WHEN occupied = 1 THEN NULL ELSE is_f0 END,
       first_admitted_on = CASE WHEN occupied = 1 THEN NULL ELSE first_admitted_on END
     WHERE id = $1`,
    [a.room_id],
  );
  await bumpFacility(q, a.facility_id, a.kind, -1);
  return a;
}
