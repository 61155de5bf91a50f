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
import type { PlacementRuleSet } from '../../domain/care.ts';
import type { F1QuarantineRuleSet } from '../../domain/tracing.ts';
import type { CareRules } from './rulesets.ts';

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

export async function admit(
  q: Queryable,
  rules: AdmissionRules,
  a: AdmitInput,
): Promise<AdmitResult> {
  if (a.clientId) {
    const old = (
      await q.query<{
        id: string;
        placement: AdmitResult['placement'];
        course: QuarantineCourse | null;
      }>('SELECT id, placement, course FROM care_admissions WHERE client_id = $1', [a.clientId])
    )[0];
    if (old) return { id: old.id, replayed: true, placement: old.placement, course: old.course };
  }
  const f = (
    await q.query<{
      province_code: string;
      district_code: string;
      commune_code: string;
      site_id: string;
    }>(
      'SELECT province_code, district_code, commune_code, site_id FROM care_facilities WHERE id = $1 FOR UPDATE',
      [a.facilityId],
    )
  )[0]!;
  const stay = await q.query<{ id: string }>(
    `SELECT id FROM care_admissions WHERE person_id = $1 AND status = 'admitted'`,
    [a.personId],
  );
  if (stay[0])
    throw new AppError(409, 'conflict', 'Người này đang ở một cơ sở cách ly/điều trị', [
      { path: 'personId', message: 'Đang ở một cơ sở' },
    ]);
  const rs = rules.placement;
  const rooms = await q.query<{
    id: string;
    name: string;
    occupied: number;
    free_ordinary: number;
    free_oxygen: number;
    free_icu: number;
    cohort_key: string | null;
    is_f0: boolean | null;
    first_admitted_on: string | null;
    family: boolean;
  }>(
    `SELECT r.id, r.name, r.occupied, r.free_ordinary, r.free_oxygen, r.free_icu, r.cohort_key, r.is_f0,
            r.first_admitted_on::text AS first_admitted_on,
            ($2::text IS NOT NULL AND EXISTS (SELECT 1 FROM care_admissions x WHERE x.room_id = r.id
               AND x.status = 'admitted' AND x.family_key = $2)) AS family
       FROM care_rooms r WHERE r.facility_id = $1 ORDER BY r.name`,
    [a.facilityId, a.familyKey],
  );
  const states: RoomState[] = rooms.map((r) => ({
    id: r.id,
    name: r.name,
    occupied: r.occupied,
    freeBeds: { ordinary: r.free_ordinary, oxygen: r.free_oxygen, icu: r.free_icu },
    cohortKey: r.cohort_key,
    isF0: r.is_f0,
    firstAdmittedOn: r.first_admitted_on,
    familyKeys: r.family && a.familyKey ? [a.familyKey] : [],
  }));
  const placement = placeAdmission(rs, { ...a }, states);
  if (!placement.ok) throw placementRefused(placement);
  let course: QuarantineCourse | null = null;
  if (a.purpose === 'quarantine') {
    course = quarantineCourse(rules.quarantineSets, {
      admittedOn: a.admittedOn,
      vaccination: await vaccinationOf(q, a.personId),
      recoveredOn: null,
    });
    if (!course)
      throw new AppError(
        409,
        'conflict',
        `Không có quy định cách ly có hiệu lực ngày ${formatViDate(a.admittedOn)}`,
      );
  }
  const bed = (
    await q.query<{ id: string }>(
      `SELECT id FROM care_beds WHERE room_id = $1 AND kind = $2 AND admission_id IS NULL ORDER BY label LIMIT 1 FOR UPDATE`,
      [placement.roomId, a.bedKind],
    )
  )[0]!;
  const ins = await q.query<{ id: string }>(
    `INSERT INTO care_admissions (client_id, person_id, facility_id, room_id, bed_id, province_code, district_code, commune_code,
       site_id, purpose, source, quarantine_order_id, follow_up_id, case_id, is_f0, cohort_key, family_key, admitted_on, release_on,
       test_dates, fee_exemption, ruleset_id, rule_id, placement, course, created_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20::date[],$21,$22,$23,$24,$25,$26) RETURNING id`,
    [
      a.clientId ?? null,
      a.personId,
      a.facilityId,
      placement.roomId,
      bed.id,
      f.province_code,
      f.district_code,
      f.commune_code,
      f.site_id,
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
    ],
  );
  const id = ins[0]!.id;
  await q.query('UPDATE care_beds SET admission_id = $2 WHERE id = $1', [bed.id, id]);
  await q.query(
    `UPDATE care_rooms SET occupied = occupied + 1, free_${a.bedKind} = free_${a.bedKind} - 1,
       cohort_key = coalesce(cohort_key, $2), is_f0 = coalesce(is_f0, $3), first_admitted_on = coalesce(first_admitted_on, $4::date)
     WHERE id = $1`,
    [placement.roomId, a.cohortKey, a.isF0, a.admittedOn],
  );
  await bumpFacility(q, a.facilityId, a.bedKind, 1);
  await q.query(
    `INSERT INTO care_admission_events (admission_id, kind, data, recorded_by) VALUES ($1, 'admitted', $2, $3)`,
    [
      id,
      JSON.stringify({ placement: placement.explanation, course: course?.explanation ?? null }),
      a.actorId,
    ],
  );
  if (course?.testDates.length) {
    // The stay's tests are orders of the testing module, sampled at the facility.
    await q.query(
      `INSERT INTO test_orders (person_id, test_type, reason, note, province_code, district_code, commune_code, site_id, created_by)
       SELECT $1, 'rt_pcr', 'follow_up', 'Xét nghiệm cách ly ngày ' || to_char(d, 'DD/MM/YYYY'), $2, $3, $4, $5, $6
         FROM unnest($7::date[]) d`,
      [
        a.personId,
        f.province_code,
        f.district_code,
        f.commune_code,
        f.site_id,
        a.actorId,
        course.testDates,
      ],
    );
  }
  return { id, replayed: false, placement, course };
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
