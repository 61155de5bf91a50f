import type { FastifyInstance } from 'fastify';
import { maskIdentifier } from '../../domain/masking.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { subjectIds } from '../audit/subjects.ts';
import { sessionInScope } from './common.ts';
import { z } from 'zod';
import { contains } from '../../domain/access.ts';
import { compare } from '../../domain/dates.ts';
import {
  ageOn,
  checkNewDose,
  productOf,
  scheduleInForce,
  vaccinationState,
  VACCINE_PRODUCTS,
  type VaccineScheduleRuleSet,
} from '../../domain/vaccination.ts';
import { areaScope, audit, requireActor, requirePermission } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { AppError, fieldError, notFound } from '../errors.ts';
import { getUnit } from '../geo/units.ts';
import type { PersonRow } from '../people/store.ts';
import {
  actorSiteId,
  isoDate,
  personForVaccination,
  siteForActor,
  TAG,
  todayVn,
} from './common.ts';
import type { ScheduleCache } from './rulesets.ts';

export const productCode = z
  .string()
  .min(1)
  .max(40)
  .describe(
    `Vaccine product code of the schedule: ${VACCINE_PRODUCTS.map((p) => p.code).join(', ')}`,
  );

export interface DoseRow {
  id: string;
  person_id: string;
  product: string;
  lot_number: string | null;
  dose_number: number;
  kind: 'primary' | 'booster';
  given_on: string;
  site_id: string | null;
  round_id: string | null;
  session_id: string | null;
  vaccinator: string | null;
  commune_code: string;
  rule_set_id: string;
  rule_id: string;
  explanation: { vi: string; en: string };
  client_id: string | null;
  created_at: Date | string;
}

const DOSE_COLS = `id, person_id, product, lot_number, dose_number, kind, given_on::text AS given_on, site_id,
  round_id, session_id, vaccinator, commune_code, rule_set_id, rule_id, explanation, client_id, created_at`;

export function presentDose(d: DoseRow, sets?: VaccineScheduleRuleSet[]) {
  const product = sets ? productOf(scheduleInForce(sets, d.given_on), d.product) : undefined;
  return {
    id: d.id,
    personId: d.person_id,
    product: d.product,
    productName: product?.nameVi ?? d.product,
    lotNumber: d.lot_number,
    doseNumber: d.dose_number,
    kind: d.kind,
    date: d.given_on,
    siteId: d.site_id,
    roundId: d.round_id,
    sessionId: d.session_id,
    vaccinator: d.vaccinator,
    rulesetId: d.rule_set_id,
    ruleId: d.rule_id,
    explanation: d.explanation,
    createdAt: new Date(d.created_at).toISOString(),
  };
}

export async function dosesOf(q: Queryable, personId: string): Promise<DoseRow[]> {
  return q.query<DoseRow>(
    `SELECT ${DOSE_COLS} FROM vaccination_doses WHERE person_id = $1 ORDER BY given_on, dose_number`,
    [personId],
  );
}

/** Recomputes the person's row of vaccination_status from their doses (same transaction). */
export async function refreshStatus(
  q: Queryable,
  person: PersonRow,
  sets: VaccineScheduleRuleSet[],
  today = todayVn(),
): Promise<void> {
  const doses = await dosesOf(q, person.id);
  if (!doses.length) {
    await q.query('DELETE FROM vaccination_status WHERE person_id = $1', [person.id]);
    return;
  }
  const given = doses.map((d) => ({ product: d.product, date: d.given_on }));
  const last = given[given.length - 1]!.date;
  const asOf = compare(last, today) > 0 ? last : today;
  const s = vaccinationState(sets, given, asOf, ageOn(person.birth_date, person.birth_year, asOf));
  await q.query(
    `INSERT INTO vaccination_status (person_id, province_code, res_province_code, district_code, commune_code,
        village_id, birth_year, doses, first_dose_on, last_dose_on, primary_complete_on, booster_doses,
        next_kind, next_dose_number, next_earliest, next_due, next_latest, rule_set_id, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18, now())
     ON CONFLICT (person_id) DO UPDATE SET province_code = EXCLUDED.province_code,
        res_province_code = EXCLUDED.res_province_code, district_code = EXCLUDED.district_code,
        commune_code = EXCLUDED.commune_code, village_id = EXCLUDED.village_id, birth_year = EXCLUDED.birth_year,
        doses = EXCLUDED.doses, first_dose_on = EXCLUDED.first_dose_on, last_dose_on = EXCLUDED.last_dose_on,
        primary_complete_on = EXCLUDED.primary_complete_on, booster_doses = EXCLUDED.booster_doses,
        next_kind = EXCLUDED.next_kind, next_dose_number = EXCLUDED.next_dose_number,
        next_earliest = EXCLUDED.next_earliest, next_due = EXCLUDED.next_due, next_latest = EXCLUDED.next_latest,
        rule_set_id = EXCLUDED.rule_set_id, updated_at = now()`,
    [
      person.id,
      person.registered_province_code,
      person.province_code,
      person.district_code,
      person.commune_code,
      person.village_id,
      person.birth_year,
      doses.length,
      given[0]!.date,
      last,
      s.primaryCompleteOn,
      s.boosterDoses,
      s.next?.kind ?? null,
      s.next?.doseNumber ?? null,
      s.next?.earliest ?? null,
      s.next?.due ?? null,
      s.next?.latest ?? null,
      s.rulesetId,
    ],
  );
}

export async function doseRoutes(server: FastifyInstance, opts: { schedules: ScheduleCache }) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  const body = z.object({
    clientId: z
      .uuid()
      .optional()
      .describe('Idempotency key chosen by the device: a replay returns the dose already recorded'),
    personId: z.uuid().describe('The vaccinated person (persons.id)'),
    product: productCode,
    date: isoDate.describe('Day the dose was given (YYYY-MM-DD, not in the future)'),
    doseNumber: z
      .number()
      .int()
      .min(1)
      .max(10)
      .optional()
      .describe('Checked against the person’s history when given'),
    lotNumber: z.string().trim().min(1).max(60).optional().describe('Lot (lô) printed on the vial'),
    siteId: z
      .uuid()
      .optional()
      .describe('Vaccination site; a site account always records at its own site'),
    roundId: z.uuid().optional().describe('Round (đợt) the dose belongs to'),
    sessionId: z.uuid().optional().describe('Session (buổi tiêm) at the site'),
    screeningId: z
      .uuid()
      .optional()
      .describe('The screening before this dose; it must say eligible, with consent'),
    vaccinator: z.string().trim().min(1).max(200).optional().describe('Name of the vaccinator'),
  });

  app.post(
    '/api/v1/vaccinations',
    {
      preHandler: requirePermission('vaccinations.write'),
      schema: {
        tags: [TAG],
        summary: 'Record a dose (mũi tiêm); checks interval, mixing and booster rules',
        description:
          'Answers 201 {dose, state, replayed:false}, or 200 {…, replayed:true} when the clientId (or the same person, product and date) was already recorded. 400 names the field a rule rejects (date: too early; product: mixing not allowed).',
        body,
      },
    },
    async (req, reply) => {
      const b = req.body;
      const actor = requireActor(req);
      const sets = await opts.schedules.get();
      const today = todayVn();
      // Checked (and a denial audited) before the transaction: a rolled-back denial leaves no trace.
      const person = await personForVaccination(db, req, b.personId, 'vaccinations.write');
      const result = await db.tx(async (q) => {
        await q.query('SELECT id FROM persons WHERE id = $1 FOR UPDATE', [person.id]);
        const existing = b.clientId
          ? await q.query<DoseRow>(
              `SELECT ${DOSE_COLS} FROM vaccination_doses WHERE client_id = $1`,
              [b.clientId],
            )
          : [];
        const earlier = await dosesOf(q, person.id);
        const same =
          existing[0] ?? earlier.find((d) => d.product === b.product && d.given_on === b.date);
        if (same) {
          if (same.person_id !== person.id)
            throw fieldError('clientId', 'Mã clientId đã dùng cho người khác');
          return { dose: same, person, replayed: true };
        }
        if (compare(b.date, today) > 0)
          throw fieldError('date', 'Ngày tiêm không được ở tương lai');
        const siteIdIn = actorSiteId(req) ?? b.siteId ?? null;
        const site = siteIdIn ? await siteForActor(q, req, siteIdIn) : null;
        const age = ageOn(person.birth_date, person.birth_year, b.date);
        const check = checkNewDose(
          sets,
          earlier.map((d) => ({ product: d.product, date: d.given_on })),
          { product: b.product, date: b.date },
          age,
        );
        if (!check.ok) {
          throw new AppError(
            400,
            'validation',
            check.problems.map((p) => p.vi).join('; '),
            check.problems.map((p) => ({ path: p.field, message: p.vi })),
            { rulesetId: check.rulesetId, ruleId: check.ruleId, problems: check.problems },
          );
        }
        if (b.doseNumber !== undefined && b.doseNumber !== check.doseNumber)
          throw fieldError('doseNumber', `Theo lịch sử tiêm, đây là mũi ${check.doseNumber}`);
        if (b.lotNumber) {
          const lot = await q.query<{ expires_on: string }>(
            'SELECT expires_on::text AS expires_on FROM vaccine_lots WHERE product = $1 AND lot_number = $2',
            [b.product, b.lotNumber],
          );
          if (lot[0] && compare(lot[0].expires_on, b.date) < 0)
            throw fieldError(
              'lotNumber',
              `Lô vắc xin đã hết hạn ngày ${lot[0].expires_on.split('-').reverse().join('/')}`,
            );
        }
        if (b.screeningId) {
          const sc = await q.query<{ person_id: string; outcome: string; consent: boolean }>(
            'SELECT person_id, outcome, consent FROM vaccination_screenings WHERE id = $1',
            [b.screeningId],
          );
          if (!sc[0] || sc[0].person_id !== person.id)
            throw fieldError('screeningId', 'Không có phiếu khám sàng lọc này cho người được tiêm');
          if (sc[0].outcome !== 'eligible')
            throw fieldError(
              'screeningId',
              'Khám sàng lọc không cho phép tiêm (hoãn tiêm hoặc chống chỉ định)',
            );
          if (!sc[0].consent) throw fieldError('screeningId', 'Chưa có đồng ý tiêm');
        }
        // A round is the province's plan; a session belongs to a site and its area.
        if (
          b.roundId &&
          !(
            await q.query('SELECT 1 FROM vaccination_rounds WHERE id = $1 AND province_code = $2', [
              b.roundId,
              person.registered_province_code,
            ])
          )[0]
        )
          throw fieldError('roundId', 'Không tồn tại');
        if (b.sessionId) await sessionInScope(q, req, b.sessionId);
        const lotId = b.lotNumber
          ? ((
              await q.query<{ id: string }>(
                'SELECT id FROM vaccine_lots WHERE product = $1 AND lot_number = $2',
                [b.product, b.lotNumber],
              )
            )[0]?.id ?? null)
          : null;
        const inserted = await q.query<DoseRow>(
          `INSERT INTO vaccination_doses (person_id, product, lot_id, lot_number, dose_number, kind, given_on, site_id,
              round_id, session_id, screening_id, vaccinator, province_code, district_code, commune_code, village_id,
              rule_set_id, rule_id, explanation, client_id, recorded_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21)
           RETURNING ${DOSE_COLS}`,
          [
            person.id,
            b.product,
            lotId,
            b.lotNumber ?? null,
            check.doseNumber,
            check.kind,
            b.date,
            site?.id ?? null,
            b.roundId ?? null,
            b.sessionId ?? null,
            b.screeningId ?? null,
            b.vaccinator ?? null,
            person.registered_province_code,
            person.district_code,
            person.commune_code,
            person.village_id,
            check.rulesetId,
            check.ruleId,
            JSON.stringify({
              vi: `Mũi ${check.doseNumber} (${check.kind === 'primary' ? 'cơ bản' : 'nhắc lại'}) hợp lệ theo ${check.rulesetId}, quy tắc ${check.ruleId}.`,
              en: `Dose ${check.doseNumber} (${check.kind}) valid under ${check.rulesetId}, rule ${check.ruleId}.`,
            }),
            b.clientId ?? null,
            actor.id,
          ],
        );
        await refreshStatus(q, person, sets, today);
        await audit(q, req, {
          action: 'vaccinations.write',
          resourceType: 'vaccination_dose',
          resourceId: inserted[0]!.id,
          outcome: 'allowed',
          detail: { personId: person.id, doseNumber: check.doseNumber },
        });
        return { dose: inserted[0]!, person, replayed: false };
      });
      const doses = await dosesOf(db, result.person.id);
      const state = vaccinationState(
        sets,
        doses.map((d) => ({ product: d.product, date: d.given_on })),
        today,
        ageOn(result.person.birth_date, result.person.birth_year, today),
      );
      return reply
        .status(result.replayed ? 200 : 201)
        .send({ dose: presentDose(result.dose, sets), state, replayed: result.replayed });
    },
  );

  app.get(
    '/api/v1/vaccine-schedules',
    {
      preHandler: requirePermission('vaccinations.read'),
      schema: {
        tags: [TAG],
        summary: 'The vaccine catalogue and schedules (rule sets of kind vaccine_schedule)',
        description:
          'Returns {inForce: id of the set in force on `date` (default today), items: [rule set: {id, name, legalBasis, validFrom, validTo, confidence, fullyVaccinatedAfterDays, products[{code, name, nameVi, mp, ma, vp, primaryDoses, intervals[{minDays, recommendedDays, maxDays}], ageMin, ageMax}], mixing[], booster}]}.',
        querystring: z.object({ date: isoDate.optional() }),
      },
    },
    async (req) => {
      const sets = await opts.schedules.get();
      return { inForce: scheduleInForce(sets, req.query.date ?? todayVn()).id, items: sets };
    },
  );

  app.get(
    '/api/v1/persons/:id/vaccinations',
    {
      preHandler: requirePermission('vaccinations.read'),
      schema: {
        tags: [TAG],
        summary:
          'A person’s doses, vaccination state (next dose, fully vaccinated) and certificates',
        params: z.object({ id: z.uuid() }),
        querystring: z.object({
          asOf: isoDate
            .optional()
            .describe(
              'Evaluate the state on this day (default today): fully vaccinated, next dose',
            ),
        }),
      },
    },
    async (req) => {
      const sets = await opts.schedules.get();
      const person = await personForVaccination(db, req, req.params.id, 'vaccinations.read');
      const asOf = req.query.asOf ?? todayVn();
      const doses = await dosesOf(db, person.id);
      const screenings = await db.query<{
        id: string;
        screened_on: string;
        outcome: string;
        findings: string[];
        comorbidity: boolean;
        consent: boolean;
      }>(
        `SELECT id, screened_on::text AS screened_on, outcome, findings, comorbidity, consent
           FROM vaccination_screenings WHERE person_id = $1 ORDER BY screened_on DESC, created_at DESC LIMIT 20`,
        [person.id],
      );
      const exemptions = await db.query<{
        id: string;
        reason: string;
        comorbidity: boolean;
        note: string | null;
        recorded_on: string;
      }>(
        `SELECT id, reason, comorbidity, note, recorded_on::text AS recorded_on
           FROM vaccination_exemptions WHERE person_id = $1 ORDER BY created_at DESC LIMIT 20`,
        [person.id],
      );
      const certs = await db.query<{
        id: string;
        uvci: string;
        kind: string;
        issued_at: Date;
        expires_at: Date;
      }>(
        'SELECT id, uvci, kind, issued_at, expires_at FROM vaccination_certificates WHERE person_id = $1 ORDER BY issued_at DESC',
        [person.id],
      );
      await audit(db, req, {
        action: 'vaccinations.read',
        resourceType: 'person',
        resourceId: person.id,
        outcome: 'allowed',
      });
      return {
        person: {
          id: person.id,
          fullName: person.full_name,
          birthDate: person.birth_date,
          birthYear: person.birth_year,
          communeCode: person.commune_code,
        },
        asOf,
        doses: doses.map((d) => presentDose(d, sets)),
        state: vaccinationState(
          sets,
          doses.map((d) => ({ product: d.product, date: d.given_on })),
          asOf,
          ageOn(person.birth_date, person.birth_year, asOf),
        ),
        screenings: screenings.map((x) => ({
          id: x.id,
          date: x.screened_on,
          outcome: x.outcome,
          findings: x.findings,
          comorbidity: x.comorbidity,
          consent: x.consent,
        })),
        unvaccinatedReasons: exemptions.map((x) => ({
          id: x.id,
          reason: x.reason,
          comorbidity: x.comorbidity,
          note: x.note,
          date: x.recorded_on,
        })),
        certificates: certs.map((c) => ({
          id: c.id,
          uvci: c.uvci,
          kind: c.kind,
          issuedAt: new Date(c.issued_at).toISOString(),
          expiresAt: new Date(c.expires_at).toISOString(),
        })),
      };
    },
  );

  app.get(
    '/api/v1/vaccinations/due',
    {
      preHandler: requirePermission('vaccinations.read'),
      schema: {
        tags: [TAG],
        summary: 'People of a commune due or overdue for their next dose',
        description:
          'Items {personId, fullName, birthYear, villageId, nextKind, doseNumber, earliest, due, latest, overdue, daysOverdue}, ordered by due date.',
        querystring: z.object({
          commune: z
            .string()
            .regex(/^\d{5}$/, 'Mã xã gồm 5 chữ số')
            .describe('Commune code'),
          date: isoDate.optional().describe('The day the list is for (default today)'),
          withinDays: z.coerce
            .number()
            .int()
            .min(0)
            .max(365)
            .default(7)
            .describe('Include doses falling due up to this many days after `date`'),
          overdueOnly: z.enum(['true', 'false']).optional(),
          limit: z.coerce.number().int().min(1).max(2000).default(500),
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const qy = req.query;
      const unit = await getUnit(db, qy.commune);
      const area = await areaScope(db, actor.scope);
      if (
        !unit ||
        unit.level !== 3 ||
        !contains(area, {
          provinceCode: unit.province_code,
          districtCode: unit.district_code,
          communeCode: unit.code,
        })
      ) {
        await audit(db, req, {
          action: 'vaccinations.read',
          resourceType: 'commune',
          resourceId: qy.commune,
          outcome: 'denied',
          reason: unit ? 'outside_scope' : 'not_found',
        });
        throw notFound('Xã');
      }
      const date = qy.date ?? todayVn();
      const rows = await db.query<{
        person_id: string;
        full_name: string;
        birth_year: number;
        village_id: string | null;
        phone: string | null;
        next_kind: 'primary' | 'booster';
        next_dose_number: number;
        next_earliest: string;
        next_due: string;
        next_latest: string | null;
      }>(
        `SELECT s.person_id, p.full_name, p.birth_year, s.village_id, p.phone, s.next_kind, s.next_dose_number,
                s.next_earliest::text AS next_earliest, s.next_due::text AS next_due, s.next_latest::text AS next_latest
           FROM vaccination_status s JOIN persons p ON p.id = s.person_id
          WHERE s.commune_code = $1 AND s.next_kind IS NOT NULL
            AND s.next_due <= $2::date + $3::int
            AND ($4::boolean IS NOT TRUE OR s.next_latest < $2::date)
          ORDER BY s.next_due, s.person_id LIMIT $5`,
        [qy.commune, date, qy.withinDays, qy.overdueOnly === 'true', qy.limit + 1],
      );
      await audit(db, req, {
        action: 'vaccinations.read',
        resourceType: 'due_list',
        resourceId: qy.commune,
        outcome: 'allowed',
        detail: {
          count: Math.min(rows.length, qy.limit),
          subjects: subjectIds(rows.slice(0, qy.limit)),
        },
      });
      const day = (a: string, b: string) =>
        Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
      return {
        commune: qy.commune,
        date,
        truncated: rows.length > qy.limit,
        items: rows.slice(0, qy.limit).map((r) => {
          const daysOverdue = r.next_latest ? Math.max(0, day(r.next_latest, date)) : 0;
          return {
            personId: r.person_id,
            fullName: r.full_name,
            birthYear: r.birth_year,
            villageId: r.village_id,
            phone: maskIdentifier(r.phone),
            nextKind: r.next_kind,
            doseNumber: r.next_dose_number,
            earliest: r.next_earliest,
            due: r.next_due,
            latest: r.next_latest,
            overdue: daysOverdue > 0,
            daysOverdue,
          };
        }),
      };
    },
  );
}
