/**
 * Cases (F0) as other modules see them: open a case, ask whether a person is a confirmed F1,
 * whether a person has an epidemiological link. The testing module calls these inside its own
 * transaction when a result makes someone an F0.
 */
import {
  addDays,
  dateOfInstant,
  formatViDate,
  startOfDayInstant,
  type IsoDate,
} from '../../domain/dates.ts';
import type { Queryable } from '../db/index.ts';
import { canonicalPersonId } from '../people/store.ts';
import { notifyCommune, notifyProvince } from './notices.ts';
import { closeOrderFollowUp } from '../care/home-checks.ts';

export type CaseFoundBy = 'community' | 'quarantine' | 'entry' | 'imported' | 'screening';
export const CASE_FOUND_BY: readonly CaseFoundBy[] = [
  'community',
  'quarantine',
  'entry',
  'imported',
  'screening',
];

export interface OpenCaseInput {
  personId: string;
  /** ISO instant of the positive sample. */
  positiveSampleAt: string;
  foundBy: CaseFoundBy;
  /** Which F0 definition decided it (rule set id + rule id) and why, in words. */
  decision: { ruleSetId: string; ruleId: string; explanation: { vi: string; en: string } };
  source: { kind: 'test_result'; id: string } | { kind: 'manual' };
  /** Default: the commune managing the person (where they are now, else their home; issue 13). */
  responsibleCommuneCode?: string | null;
  /** Extra fields a manual case may carry. */
  onsetDate?: IsoDate | null;
  clientId?: string | null;
}

export class CaseInputError extends Error {
  constructor(
    public readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Opens an F0 case; idempotent per person: an open case (not recovered/died) of the person is
 * returned with created=false. Links the case to its source case when the person is a confirmed
 * F1. Notifies the responsible commune. Throws CaseInputError (field, Vietnamese message) on a
 * person or commune that does not exist.
 */
export async function openCase(
  q: Queryable,
  input: OpenCaseInput,
  actorId: string | null,
): Promise<{ id: string; created: boolean; communeCode: string | null }> {
  const personId = await canonicalPersonId(q, input.personId);
  if (!personId) throw new CaseInputError('personId', 'Không có người này');
  const existing = async () =>
    (
      await q.query<{ id: string; commune_code: string }>(
        'SELECT id, commune_code FROM cases WHERE person_id = $1 AND closed_at IS NULL',
        [personId],
      )
    )[0];
  const open = await existing();
  if (open) return { id: open.id, created: false, communeCode: open.commune_code };

  const sampleMs = Date.parse(input.positiveSampleAt);
  if (!Number.isFinite(sampleMs))
    throw new CaseInputError('positiveSampleAt', 'Thời điểm lấy mẫu không hợp lệ');
  const person = (
    await q.query<{
      full_name: string;
      province_code: string;
      district_code: string;
      commune_code: string;
      village_id: string | null;
      current_commune_code: string | null;
    }>(
      `SELECT full_name, province_code, district_code, commune_code, village_id, current_commune_code
         FROM persons WHERE id = $1`,
      [personId],
    )
  )[0]!;
  const communeCode =
    input.responsibleCommuneCode ?? person.current_commune_code ?? person.commune_code;
  const unit = (
    await q.query<{ code: string; province_code: string; district_code: string }>(
      'SELECT code, province_code, district_code FROM admin_units WHERE code = $1 AND level = 3',
      [communeCode],
    )
  )[0];
  if (!unit) throw new CaseInputError('responsibleCommuneCode', `Không có xã mã ${communeCode}`);
  const villageId = unit.code === person.commune_code ? person.village_id : null;

  // A confirmed F1 who tests positive: linked to the case they were exposed to. Found in
  // quarantine: the infectious period ended when the quarantine began.
  const sampleDate = dateOfInstant(sampleMs);
  const link = await contactStatus(q, personId, sampleDate);
  let status = 'unisolated';
  let isolatedAt: string | null = null;
  if (input.foundBy === 'entry') {
    status = 'facility';
    isolatedAt = new Date(sampleMs).toISOString();
  }
  if (link.contactId) {
    const order = (
      await q.query<{ kind: string; quarantined_at: Date | string | null; status: string }>(
        'SELECT kind, quarantined_at, status FROM quarantine_orders WHERE contact_id = $1',
        [link.contactId],
      )
    )[0];
    if (order?.quarantined_at && order.kind !== 'self_monitoring') {
      status = order.kind === 'home' ? 'home_isolation' : 'facility';
      isolatedAt = new Date(order.quarantined_at).toISOString();
    }
  }
  if (input.foundBy === 'quarantine' && !isolatedAt) {
    status = 'facility';
    isolatedAt = new Date(sampleMs).toISOString();
  }

  const rows = await q.query<{ id: string; code: string }>(
    `INSERT INTO cases (code, person_id, province_code, district_code, commune_code, village_id, current_province_code,
       current_district_code, current_commune_code, positive_sample_at, onset_date, found_by, decision, source, status,
       isolated_at, source_case_id, source_contact_id, client_id, created_by, home_province_code, home_district_code,
       home_commune_code)
     VALUES ('F0-' || lpad(nextval('case_code_seq')::text, 6, '0'), $1, $2, $3, $4, $5, $2, $3, $4, $6, $7, $8, $9, $10,
       $11, $12, $13, $14, $15, $16, $17, $18, $19)
     ON CONFLICT (person_id) WHERE closed_at IS NULL DO NOTHING RETURNING id, code`,
    [
      personId,
      unit.province_code,
      unit.district_code,
      unit.code,
      villageId,
      new Date(sampleMs).toISOString(),
      input.onsetDate ?? null,
      input.foundBy,
      JSON.stringify(input.decision),
      JSON.stringify(input.source),
      status,
      isolatedAt,
      link.sourceCaseId ?? null,
      link.contactId ?? null,
      input.clientId ?? null,
      actorId,
      person.province_code,
      person.district_code,
      person.commune_code,
    ],
  );
  if (!rows[0]) {
    const raced = await existing();
    return { id: raced!.id, created: false, communeCode: raced!.commune_code };
  }
  const c = rows[0];
  await q.query(
    `INSERT INTO case_events (case_id, kind, at, data, recorded_by) VALUES ($1, 'opened', now(), $2, $3)`,
    [
      c.id,
      JSON.stringify({
        foundBy: input.foundBy,
        decision: input.decision,
        source: input.source,
        sourceCaseId: link.sourceCaseId ?? null,
      }),
      actorId,
    ],
  );
  if (link.contactId) {
    await q.query(
      `UPDATE quarantine_orders SET status = 'became_case', next_due = NULL, updated_at = now()
        WHERE contact_id = $1 AND status = 'open'`,
      [link.contactId],
    );
    await closeOrderFollowUp(q, { contactId: link.contactId });
  }
  await notifyCommune(q, {
    communeCode: unit.code,
    kind: 'case.new',
    title: {
      vi: `Ca bệnh mới (F0) ${c.code}: ${person.full_name}, lấy mẫu ngày ${formatViDate(sampleDate)}${
        link.sourceCaseId ? ' — là F1 đã xác nhận' : ''
      }`,
      en: `New case (F0) ${c.code}: ${person.full_name}, sampled on ${sampleDate}${
        link.sourceCaseId ? ' — a confirmed F1' : ''
      }`,
    },
    refType: 'case',
    refId: c.id,
    personId,
  });
  // The home province of a person found elsewhere is told, and sees the notice only: the case
  // belongs to the unit managing the person.
  if (person.province_code !== unit.province_code) {
    const where = await q.query<{ name: string; province_name: string }>(
      `SELECT u.name, pr.name AS province_name FROM admin_units u JOIN admin_units pr ON pr.code = u.province_code
        WHERE u.code = $1`,
      [unit.code],
    );
    const at = `${where[0]?.name ?? unit.code}, ${where[0]?.province_name ?? unit.province_code}`;
    await notifyProvince(q, {
      provinceCode: person.province_code,
      kind: 'case.resident_elsewhere',
      title: {
        vi: `Người dân của tỉnh là ca bệnh (F0) ${c.code} tại ${at}, lấy mẫu ngày ${formatViDate(sampleDate)}; hồ sơ do nơi này quản lý`,
        en: `A resident of the province is case (F0) ${c.code} in ${at}, sampled on ${sampleDate}; the case is managed there`,
      },
      refType: 'case',
      refId: c.id,
    });
  }
  return { id: c.id, created: true, communeCode: unit.code };
}

/** Is the person a confirmed F1 (contact of an F0) whose exposure is within the last 14 days before `at`? */
export async function contactStatus(
  q: Queryable,
  personId: string,
  at: IsoDate,
): Promise<{ confirmedF1: boolean; contactId?: string; sourceCaseId?: string }> {
  const id = (await canonicalPersonId(q, personId)) ?? personId;
  const from = new Date(startOfDayInstant(addDays(at, -14))).toISOString();
  const to = new Date(startOfDayInstant(addDays(at, 1))).toISOString();
  const rows = await q.query<{ id: string; case_id: string }>(
    `SELECT id, case_id FROM contacts
      WHERE person_id = $1 AND status = 'confirmed' AND degree = 1
        AND last_exposure_at >= $2 AND first_exposure_at < $3
      ORDER BY last_exposure_at DESC LIMIT 1`,
    [id, from, to],
  );
  const r = rows[0];
  return r
    ? { confirmedF1: true, contactId: r.id, sourceCaseId: r.case_id }
    : { confirmedF1: false };
}

/**
 * Epidemiological link (for the two-rapid-tests F0 rule): confirmed F1, a household member of an
 * open case, or living in an active lockdown area on `at`.
 */
export async function epiLink(
  q: Queryable,
  personId: string,
  at: IsoDate,
): Promise<{ linked: boolean; reason: { vi: string; en: string } | null }> {
  const id = (await canonicalPersonId(q, personId)) ?? personId;
  const f1 = await contactStatus(q, id, at);
  if (f1.confirmedF1) {
    const c = (
      await q.query<{ code: string }>('SELECT code FROM cases WHERE id = $1', [f1.sourceCaseId])
    )[0];
    return {
      linked: true,
      reason: {
        vi: `Là F1 đã xác nhận của ca ${c?.code ?? ''} (tiếp xúc trong 14 ngày trước ${formatViDate(at)})`,
        en: `A confirmed F1 of case ${c?.code ?? ''} (exposed within 14 days before ${at})`,
      },
    };
  }
  const end = new Date(startOfDayInstant(addDays(at, 1))).toISOString();
  const household = await q.query<{ code: string }>(
    `SELECT c.code FROM household_members me
       JOIN household_members other ON other.household_id = me.household_id AND other.person_id <> me.person_id
       JOIN cases c ON c.person_id = other.person_id AND c.closed_at IS NULL AND c.positive_sample_at < $2
      WHERE me.person_id = $1 LIMIT 1`,
    [id, end],
  );
  if (household[0]) {
    return {
      linked: true,
      reason: {
        vi: `Sống cùng hộ gia đình với ca bệnh ${household[0].code} đang điều trị`,
        en: `Lives in the household of open case ${household[0].code}`,
      },
    };
  }
  const lockdown = await q.query<{ name: string; start_date: string }>(
    `SELECT l.name, l.start_date::text AS start_date FROM persons p
       JOIN lockdowns l ON l.start_date <= $2::date AND (l.end_date IS NULL OR l.end_date >= $2::date)
        AND (p.commune_code = ANY (l.unit_codes) OR p.district_code = ANY (l.unit_codes)
             OR (p.village_id IS NOT NULL AND p.village_id = ANY (l.village_ids)))
      WHERE p.id = $1 ORDER BY l.start_date DESC LIMIT 1`,
    [id, at],
  );
  if (lockdown[0]) {
    return {
      linked: true,
      reason: {
        vi: `Sống trong khu vực phong tỏa "${lockdown[0].name}" (từ ${formatViDate(lockdown[0].start_date)})`,
        en: `Lives in lockdown area "${lockdown[0].name}" (since ${lockdown[0].start_date})`,
      },
    };
  }
  return { linked: false, reason: null };
}
