/**
 * F0 care by tier: the placement of an F0 by the home-treatment eligibility rule set (with the
 * doses read from the vaccination register), twice-daily readings (idempotent by clientId) that
 * raise an alert at once when they cross a warning sign, the district's monitoring list, and
 * discharge by the rule set in force.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { maskIdentifier } from '../../domain/masking.ts';
import {
  CARE_SYMPTOMS,
  dischargeDecision,
  homeEligibility,
  TIER_LABELS,
  warningSigns,
  type Tier,
} from '../../domain/care-f0.ts';
import { dateOfInstant, isValidIsoDate } from '../../domain/dates.ts';
import { casePlaces, type CaseRow } from '../cases/present.ts';
import { loadCaseRow } from '../cases/cases.ts';
import { audit, loadScopedAny, requireActor, requirePermission } from '../context.ts';
import { AppError, conflict, fieldError } from '../errors.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { closeAlerts, openAlert } from './alerts-store.ts';
import {
  bumpTier,
  careListScope,
  loadCareRecord,
  placeOf,
  TAG,
  todayVn,
  treatmentSiteSql,
  unitCode,
  type PlaceRow,
} from './common.ts';
import type { CareRules } from './rulesets.ts';
import { vaccinationOf, vacate } from './stays.ts';

const isoDate = z.string().refine(isValidIsoDate, 'Ngày dạng YYYY-MM-DD');

export interface TreatmentRow extends PlaceRow {
  id: string;
  case_id: string;
  person_id: string;
  full_name?: string;
  birth_year?: number;
  phone?: string | null;
  tier: Tier;
  facility_id: string | null;
  admission_id: string | null;
  status: string;
  started_on: string;
  age_years: number;
  ruleset_id: string;
  explanation: { vi: string; en: string };
  next_reading_due: Date | string | null;
  last_reading_at: Date | string | null;
  open_alerts: number;
}
export const TREATMENT_COLUMNS = `t.id, t.case_id, t.person_id, t.province_code, t.district_code, t.commune_code, t.village_id,
  t.tier, t.facility_id, t.admission_id, t.status, t.started_on::text AS started_on, t.age_years, t.ruleset_id, t.explanation,
  t.next_reading_due, t.last_reading_at, t.open_alerts`;
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export const presentTreatment = (t: TreatmentRow) => ({
  id: t.id,
  caseId: t.case_id,
  person: {
    id: t.person_id,
    fullName: t.full_name,
    birthYear: t.birth_year,
    phone: maskIdentifier(t.phone), // issue 10 item 10: whole on the person page only
  },
  communeCode: t.commune_code,
  districtCode: t.district_code,
  tier: t.tier,
  tierLabel: TIER_LABELS[t.tier],
  facilityId: t.facility_id,
  status: t.status,
  startedOn: t.started_on,
  ageYears: t.age_years,
  explanation: t.explanation,
  nextReadingDue: iso(t.next_reading_due),
  lastReadingAt: iso(t.last_reading_at),
  overdue:
    t.status === 'active' &&
    !!t.next_reading_due &&
    new Date(t.next_reading_due).getTime() < Date.now(),
  openAlerts: t.open_alerts,
});

/**
 * The monitoring list's SQL (exported for the plan test): active patients of an area, the most
 * overdue reading first, keyset on (next_reading_due, id) through the (scope, status, due, id)
 * index; names joined after the limit.
 */
export function treatmentListSql(
  scopeSql: string,
  params: unknown[],
  after: unknown[] | null,
  limit: number,
) {
  const where = [scopeSql, `t.status = 'active'`];
  if (after) {
    params.push(after[0], after[1]);
    where.push(
      `(t.next_reading_due, t.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
    );
  }
  params.push(limit + 1);
  return `SELECT ${TREATMENT_COLUMNS.replaceAll('t.', 'x.')}, p.full_name, p.birth_year, p.phone
    FROM (SELECT * FROM care_treatments t WHERE ${where.join(' AND ')} ORDER BY t.next_reading_due, t.id LIMIT $${params.length}) x
    JOIN persons p ON p.id = x.person_id ORDER BY x.next_reading_due, x.id`;
}

const readingBody = z.object({
  clientId: z.uuid().describe('Client-made UUID: a replayed reading is stored once'),
  at: z.iso.datetime({ offset: true }).optional(),
  spo2: z.number().int().min(50).max(100).optional(),
  respiratoryRate: z.number().int().min(5).max(80).optional(),
  pulse: z.number().int().min(20).max(250).optional(),
  temperature: z.number().min(34).max(43).optional(),
  systolic: z.number().int().min(40).max(260).optional(),
  diastolic: z.number().int().min(20).max(160).optional(),
  symptoms: z.array(z.enum(CARE_SYMPTOMS)).max(CARE_SYMPTOMS.length).default([]),
});

/** Places a patient at a facility tier: admitted there (bed reserved), the case and counts follow. */
export async function moveTier(
  q: Parameters<typeof bumpTier>[0],
  t: TreatmentRow,
  to: { tier: Tier; facilityId: string | null; admissionId: string | null; siteId: string | null },
) {
  if (t.admission_id)
    await vacate(q, t.admission_id, 'transferred', todayVn(), `Chuyển ${TIER_LABELS[to.tier].vi}`);
  await q.query(
    `UPDATE care_treatments SET tier = $2, facility_id = $3, admission_id = $4, updated_at = now() WHERE id = $1`,
    [t.id, to.tier, to.facilityId, to.admissionId],
  );
  const status =
    to.tier === 'home' ? 'home_isolation' : to.tier === 'tier1' ? 'facility' : 'hospital';
  await q.query(
    `UPDATE cases SET status = $2, hospital_tier = $3, facility_site_id = $4, updated_at = now() WHERE id = $1`,
    [t.case_id, status, to.tier === 'tier2' ? 2 : to.tier === 'tier3' ? 3 : null, to.siteId],
  );
  await bumpTier(q, t, t.tier, to.tier);
}

export async function treatmentRoutes(server: FastifyInstance, opts: { rules: CareRules }) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  const { rules } = opts;

  const caseFor = (req: FastifyRequest, id: string, action: 'care.read' | 'care.write') =>
    loadScopedAny<CaseRow>(req, {
      action,
      resourceType: 'case',
      id,
      label: 'Ca bệnh',
      auditAllowed: false,
      load: async () => {
        const r = await loadCaseRow(db, id);
        return r && { places: casePlaces(r), row: r };
      },
    });
  const loadTreatment = (req: FastifyRequest, id: string, action: 'care.read' | 'care.write') =>
    loadCareRecord<TreatmentRow>(req, {
      action,
      resourceType: 'care_treatment',
      id,
      label: 'Theo dõi điều trị',
      sql: `SELECT ${TREATMENT_COLUMNS}, p.full_name, p.birth_year, p.phone, ${treatmentSiteSql('t.id')} AS site_id
              FROM care_treatments t JOIN persons p ON p.id = t.person_id WHERE t.id = $1`,
    });
  /**
   * The active treatment of a case, for a reading: one statement with the case's places and the
   * facility where the patient is (its manager records readings too). No active treatment: 404
   * when the case is unknown or outside the actor's area, else 409.
   */
  const activeTreatment = async (req: FastifyRequest, caseId: string) => {
    const r = (
      await db.query<
        TreatmentRow &
          Pick<CaseRow, 'current_province_code' | 'current_district_code' | 'current_commune_code'>
      >(
        `SELECT ${TREATMENT_COLUMNS}, c.current_province_code, c.current_district_code, c.current_commune_code,
                ${treatmentSiteSql('t.id')} AS site_id
           FROM care_treatments t JOIN cases c ON c.id = t.case_id WHERE t.case_id = $1 AND t.status = 'active'`,
        [caseId],
      )
    )[0];
    if (!r) {
      await caseFor(req, caseId, 'care.write'); // 404 (audited) when unknown or outside the area
      throw conflict('Ca bệnh chưa được đưa vào theo dõi điều trị');
    }
    return loadScopedAny<TreatmentRow>(req, {
      action: 'care.write',
      resourceType: 'case',
      id: caseId,
      label: 'Ca bệnh',
      auditAllowed: false,
      load: async () => ({
        places: [...casePlaces({ ...r, village_id: r.village_id ?? null }), placeOf(r)],
        row: r,
      }),
    });
  };

  app.post(
    '/api/v1/cases/:id/care',
    {
      preHandler: requirePermission('care.write'),
      schema: {
        tags: [TAG],
        summary:
          'Place an F0 at home or a facility tier by the home-treatment eligibility rule set (QĐ 4038)',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          clientId: z.uuid().optional(),
          startedOn: isoDate.optional(),
          spo2: z.number().int().min(50).max(100),
          respiratoryRate: z.number().int().min(5).max(80),
          severe: z.boolean().default(false),
          comorbidity: z.boolean().default(false),
          pregnant: z.boolean().default(false),
          hasCarer: z.boolean().default(true),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const c = await caseFor(req, req.params.id, 'care.write');
      const b = req.body;
      if (c.status === 'recovered' || c.status === 'died') throw conflict('Ca bệnh đã kết thúc');
      const on = b.startedOn ?? todayVn();
      if (on > todayVn()) throw fieldError('startedOn', 'Ngày ở tương lai');
      const vax = await vaccinationOf(db, c.person_id);
      const age = Number(on.slice(0, 4)) - c.birth_year;
      const rs = await rules.eligibility(on);
      const d = homeEligibility(rs, {
        ageYears: age,
        comorbidity: b.comorbidity,
        pregnant: b.pregnant,
        doses: vax.doses,
        lastDoseOn: vax.lastDoseDate,
        spo2: b.spo2,
        respiratoryRate: b.respiratoryRate,
        severe: b.severe,
        hasCarer: b.hasCarer,
        on,
      });
      const out = await db.tx(async (q) => {
        const old = (
          await q.query<{ id: string }>(
            `SELECT id FROM care_treatments WHERE (client_id = $1 AND $1 IS NOT NULL) OR (case_id = $2 AND status = 'active')`,
            [b.clientId ?? null, c.id],
          )
        )[0];
        if (old) return { id: old.id, replayed: true };
        const ins = (
          await q.query<{ id: string }>(
            `INSERT INTO care_treatments (client_id, case_id, person_id, province_code, district_code, commune_code, village_id, tier,
             started_on, age_years, ruleset_id, rule_id, explanation, next_reading_due, created_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13, now() + interval '12 hours', $14) RETURNING id`,
            [
              b.clientId ?? null,
              c.id,
              c.person_id,
              c.province_code,
              c.district_code,
              c.commune_code,
              c.village_id,
              d.tier,
              on,
              age,
              d.rulesetId,
              d.rule,
              JSON.stringify(d.explanation),
              actor.id,
            ],
          )
        )[0]!;
        await bumpTier(q, c, null, d.tier);
        await audit(q, req, {
          action: 'care.start',
          resourceType: 'care_treatment',
          resourceId: ins.id,
          outcome: 'allowed',
          detail: { caseId: c.id, tier: d.tier },
        });
        return { id: ins.id, replayed: false };
      });
      const row = (
        await db.query<TreatmentRow>(
          `SELECT ${TREATMENT_COLUMNS} FROM care_treatments t WHERE t.id = $1`,
          [out.id],
        )
      )[0]!;
      return reply
        .status(out.replayed ? 200 : 201)
        .send({ ...presentTreatment(row), decision: d, replayed: out.replayed });
    },
  );

  app.post(
    '/api/v1/cases/:id/monitoring',
    {
      preHandler: requirePermission('care.write'),
      schema: {
        tags: [TAG],
        summary:
          'A monitoring reading (SpO2, respiratory rate, pulse, temperature, blood pressure, symptoms); a warning sign opens an alert at once',
        params: z.object({ id: z.uuid() }),
        body: readingBody,
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      const at = b.at ? new Date(b.at) : new Date();
      if (at.getTime() > Date.now() + 5 * 60_000) throw fieldError('at', 'Thời điểm ở tương lai');
      const measures = [b.spo2, b.respiratoryRate, b.pulse, b.temperature, b.systolic, b.diastolic];
      if (measures.every((m) => m === undefined) && !b.symptoms.length)
        throw fieldError('spo2', 'Cần ít nhất một chỉ số hoặc triệu chứng');
      if ((b.systolic === undefined) !== (b.diastolic === undefined))
        throw fieldError(
          b.systolic === undefined ? 'systolic' : 'diastolic',
          'Huyết áp cần cả tâm thu và tâm trương',
        );
      const t = await activeTreatment(req, req.params.id);
      const rs = await rules.warning(dateOfInstant(at.getTime()));
      const signs = warningSigns(rs, b, t.age_years);
      const out = await db.tx(async (q) => {
        const ins = (
          await q.query<{ id: string }>(
            `INSERT INTO care_readings (client_id, treatment_id, at, spo2, respiratory_rate, pulse, temperature, systolic, diastolic,
             symptoms, signs, ruleset_id, recorded_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10::text[],$11,$12,$13)
           ON CONFLICT (client_id) DO NOTHING RETURNING id`,
            [
              b.clientId,
              t.id,
              at.toISOString(),
              b.spo2 ?? null,
              b.respiratoryRate ?? null,
              b.pulse ?? null,
              b.temperature ?? null,
              b.systolic ?? null,
              b.diastolic ?? null,
              b.symptoms,
              JSON.stringify(signs),
              rs.id,
              actor.id,
            ],
          )
        )[0];
        if (!ins) {
          const old = (
            await q.query<{ id: string; treatment_id: string }>(
              'SELECT id, treatment_id FROM care_readings WHERE client_id = $1',
              [b.clientId],
            )
          )[0]!;
          if (old.treatment_id !== t.id)
            throw new AppError(409, 'conflict', 'clientId đã dùng cho bệnh nhân khác', [
              { path: 'clientId', message: 'Đã dùng' },
            ]);
          const alert = (
            await q.query<{ id: string }>('SELECT id FROM care_alerts WHERE reading_id = $1', [
              old.id,
            ])
          )[0];
          return { readingId: old.id, alertId: alert?.id ?? null, replayed: true };
        }
        await q.query(
          `UPDATE care_treatments SET last_reading_at = greatest(last_reading_at, $2::timestamptz),
             next_reading_due = greatest(next_reading_due, $2::timestamptz + make_interval(hours => $3::int)), updated_at = now() WHERE id = $1`,
          [t.id, at.toISOString(), rs.readingEveryHours],
        );
        await closeAlerts(
          q,
          { treatmentId: t.id, kind: 'missed_monitoring' },
          'closed',
          'Đã có số đo',
          actor.id,
        );
        let alertId: string | null = null;
        if (signs.length)
          alertId = await openAlert(q, {
            ...t,
            kind: 'warning_sign',
            personId: t.person_id,
            treatmentId: t.id,
            readingId: ins.id,
            ageYears: t.age_years,
            rulesetId: rs.id,
            ruleId: signs.map((s) => s.id).join(','),
            explanation: {
              vi: `Dấu hiệu cảnh báo: ${signs.map((s) => s.explanation.vi).join('; ')}. Căn cứ ${rs.legalBasis.number}.`,
              en: `Warning signs: ${signs.map((s) => s.explanation.en).join('; ')}. Basis: ${rs.legalBasis.number}.`,
            },
          });
        await audit(q, req, {
          action: 'care.reading',
          resourceType: 'care_treatment',
          resourceId: t.id,
          outcome: 'allowed',
          detail: { readingId: ins.id, alertId },
        });
        return { readingId: ins.id, alertId, replayed: false };
      });
      return reply.status(out.replayed ? 200 : 201).send({ ...out, treatmentId: t.id, signs });
    },
  );

  app.get(
    '/api/v1/treatments',
    {
      preHandler: requirePermission('care.read'),
      schema: {
        tags: [TAG],
        summary: 'F0 under care in your area (or a unit of it), the most overdue reading first',
        querystring: z.object({ unit: unitCode.optional(), ...pageQuery }),
      },
    },
    async (req) => {
      const { scopeSql, params } = await careListScope(req, 't', req.query.unit, 'care.read');
      const rows = await db.query<TreatmentRow>(
        treatmentListSql(scopeSql, params, decodeCursor(req.query.cursor, 2), req.query.limit),
        params,
      );
      const pg = page(rows, req.query.limit, (r) => [iso(r.next_reading_due) ?? '', r.id]);
      await audit(db, req, {
        action: 'care.list',
        resourceType: 'care_treatment',
        outcome: 'allowed',
        detail: { count: pg.items.length },
      });
      return { items: pg.items.map(presentTreatment), nextCursor: pg.nextCursor };
    },
  );

  app.get(
    '/api/v1/treatments/:id',
    {
      preHandler: requirePermission('care.read'),
      schema: {
        tags: [TAG],
        summary: 'A patient under care with their readings (the chart)',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (req) => {
      const t = await loadTreatment(req, req.params.id, 'care.read');
      const readings = await db.query<{
        id: string;
        at: Date | string;
        spo2: string | null;
        respiratory_rate: number | null;
        pulse: number | null;
        temperature: string | null;
        systolic: number | null;
        diastolic: number | null;
        symptoms: string[];
        signs: unknown;
      }>(
        `SELECT id, at, spo2, respiratory_rate, pulse, temperature, systolic, diastolic, symptoms, signs
           FROM care_readings WHERE treatment_id = $1 ORDER BY at DESC, id LIMIT 60`,
        [t.id],
      );
      const num = (v: string | number | null) => (v === null ? null : Number(v));
      return {
        ...presentTreatment(t),
        readings: readings.reverse().map((r) => ({
          id: r.id,
          at: iso(r.at),
          spo2: num(r.spo2),
          respiratoryRate: r.respiratory_rate,
          pulse: r.pulse,
          temperature: num(r.temperature),
          systolic: r.systolic,
          diastolic: r.diastolic,
          symptoms: r.symptoms,
          signs: r.signs,
        })),
      };
    },
  );

  app.post(
    '/api/v1/treatments/:id/discharge',
    {
      preHandler: requirePermission('care.write'),
      schema: {
        tags: [TAG],
        summary:
          'End of treatment: recovered by the discharge rule set in force (409 before the day or without the test), or died',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          outcome: z.enum(['recovered', 'died']),
          on: isoDate.optional(),
          negativeTest: z.object({ on: isoDate, type: z.enum(['rapid', 'pcr']) }).optional(),
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const t = await loadTreatment(req, req.params.id, 'care.write');
      const b = req.body;
      const on = b.on ?? todayVn();
      if (on > todayVn()) throw fieldError('on', 'Ngày ở tương lai');
      if (t.status !== 'active') throw conflict('Đã kết thúc điều trị');
      const rs = await rules.discharge(t.started_on);
      const d =
        b.outcome === 'died'
          ? null
          : dischargeDecision(rs, t.started_on, on, b.negativeTest ?? null);
      if (d && !d.ok)
        throw new AppError(409, 'discharge_refused', d.explanation.vi, undefined, {
          explanation: d.explanation,
          dischargeOn: d.dischargeOn,
        });
      await db.tx(async (q) => {
        if (t.admission_id)
          await vacate(q, t.admission_id, b.outcome === 'died' ? 'died' : 'discharged', on, null);
        await q.query(
          `UPDATE care_treatments SET status = $2, ended_on = $3, next_reading_due = NULL, updated_at = now() WHERE id = $1`,
          [t.id, b.outcome === 'died' ? 'died' : 'discharged', on],
        );
        await q.query(
          `UPDATE cases SET status = $2, hospital_tier = NULL, closed_at = ($3::date + time '12:00') AT TIME ZONE 'Asia/Ho_Chi_Minh', updated_at = now() WHERE id = $1`,
          [t.case_id, b.outcome, on],
        );
        await closeAlerts(
          q,
          { treatmentId: t.id },
          'closed',
          b.outcome === 'died' ? 'Tử vong' : 'Kết thúc điều trị',
          actor.id,
        );
        await bumpTier(q, t, t.tier, null);
        await audit(q, req, {
          action: 'care.discharge',
          resourceType: 'care_treatment',
          resourceId: t.id,
          outcome: 'allowed',
          detail: { outcome: b.outcome },
        });
      });
      return {
        id: t.id,
        status: b.outcome === 'died' ? 'died' : 'discharged',
        rulesetId: rs.id,
        explanation: d?.explanation ?? { vi: 'Tử vong', en: 'Died' },
      };
    },
  );
}
