/**
 * Admissions to facilities: placement in a room by the rule set (409 with what would be mixed),
 * the facility's list of who is due a test or release today, release by the quarantine course
 * (refused before the date or with a test missing; early release and extension with a reason),
 * tests, a positive in quarantine (an F0 "detected in quarantine", out of the room, roommates
 * flagged), escapes, transfers that keep the history, and the fee statement.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  BED_KINDS,
  feeStatement,
  releaseDecision,
  type QuarantineCourse,
} from '../../domain/care.ts';
import { addDays, isValidIsoDate } from '../../domain/dates.ts';
import { openCase } from '../cases/store.ts';
import {
  audit,
  auditValues,
  loadScopedAny,
  requireActor,
  requirePermission,
  scopePredicate,
} from '../context.ts';
import { AppError, conflict, fieldError } from '../errors.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { personColumns, personPlace, type PersonRow } from '../people/store.ts';
import { placeOf, TAG, todayVn } from './common.ts';
import { loadFacility } from './facilities.ts';
import type { CareRules } from './rulesets.ts';
import { admissionRules, admit, vacate } from './stays.ts';
import { orderWarrant } from './waiting.ts';

const isoDate = z.string().refine(isValidIsoDate, 'Ngày dạng YYYY-MM-DD');

interface AdmissionRow {
  id: string;
  person_id: string;
  full_name: string;
  birth_year: number;
  facility_id: string;
  room_id: string | null;
  room_name: string | null;
  bed_label: string | null;
  province_code: string;
  district_code: string;
  commune_code: string;
  site_id: string;
  purpose: string;
  source: string;
  is_f0: boolean;
  cohort_key: string;
  status: string;
  admitted_on: string;
  release_on: string | null;
  test_dates: string[];
  negative_on: string[];
  fee_exemption: string | null;
  placement: { explanation: { vi: string; en: string } };
  course: QuarantineCourse | null;
  left_on: string | null;
  left_reason: string | null;
}
export const ADMISSION_COLUMNS = `a.id, a.person_id, p.full_name, p.birth_year, a.facility_id, a.room_id, r.name AS room_name,
  b.label AS bed_label, a.province_code, a.district_code, a.commune_code, a.site_id, a.purpose, a.source, a.is_f0, a.cohort_key,
  a.status, a.admitted_on::text AS admitted_on, a.release_on::text AS release_on, a.test_dates::text[] AS test_dates,
  a.negative_on::text[] AS negative_on, a.fee_exemption, a.placement, a.course, a.left_on::text AS left_on, a.left_reason`;
const ADMISSION_FROM = `care_admissions a JOIN persons p ON p.id = a.person_id
  LEFT JOIN care_rooms r ON r.id = a.room_id LEFT JOIN care_beds b ON b.id = a.bed_id`;

const present = (a: AdmissionRow, today: string) => ({
  id: a.id,
  person: { id: a.person_id, fullName: a.full_name, birthYear: a.birth_year },
  facilityId: a.facility_id,
  room: a.room_id ? { id: a.room_id, name: a.room_name, bed: a.bed_label } : null,
  purpose: a.purpose,
  source: a.source,
  isF0: a.is_f0,
  cohortKey: a.cohort_key,
  status: a.status,
  admittedOn: a.admitted_on,
  releaseOn: a.release_on,
  testDates: a.test_dates,
  negativeOn: a.negative_on,
  testDueToday: a.status === 'admitted' && a.test_dates.includes(today),
  releaseDue: a.status === 'admitted' && !!a.release_on && a.release_on <= today,
  feeExemption: a.fee_exemption,
  placement: a.placement.explanation,
  course: a.course?.explanation ?? null,
  leftOn: a.left_on,
  leftReason: a.left_reason,
});

/**
 * The list's SQL (exported for the plan test): a facility's (site's) or an area's current stays
 * by release date, keyset on (release_on, id), through the (scope, status, release_on, id) index.
 */
export function admissionListSql(
  scopeSql: string,
  params: unknown[],
  after: unknown[] | null,
  limit: number,
) {
  const where = [scopeSql, `a.status = 'admitted'`];
  if (after) {
    params.push(after[0], after[1]);
    where.push(`(a.release_on, a.id) > ($${params.length - 1}::date, $${params.length}::uuid)`);
  }
  params.push(limit + 1);
  return `SELECT ${ADMISSION_COLUMNS} FROM (SELECT * FROM care_admissions a WHERE ${where.join(' AND ')}
      ORDER BY a.release_on, a.id LIMIT $${params.length}) a
    JOIN persons p ON p.id = a.person_id LEFT JOIN care_rooms r ON r.id = a.room_id LEFT JOIN care_beds b ON b.id = a.bed_id
    ORDER BY a.release_on, a.id`;
}

const eventBody = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('test'),
    on: isoDate,
    result: z.enum(['negative', 'positive']),
    testType: z.enum(['pcr', 'rapid']).default('pcr'),
  }),
  z.object({
    kind: z.literal('escaped'),
    on: isoDate.optional(),
    note: z.string().trim().min(3).max(500),
  }),
  z.object({
    kind: z.literal('extended'),
    days: z.number().int().min(1).max(60),
    reason: z.string().trim().min(3).max(500),
  }),
]);

export async function admissionRoutes(server: FastifyInstance, opts: { rules: CareRules }) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  const { rules } = opts;

  const loadAdmission = (
    req: FastifyRequest,
    id: string,
    action: 'admissions.read' | 'admissions.write',
  ) =>
    loadScopedAny(req, {
      action,
      resourceType: 'care_admission',
      id,
      label: 'Lượt cách ly',
      load: async () => {
        const r = (
          await db.query<AdmissionRow>(
            `SELECT ${ADMISSION_COLUMNS} FROM ${ADMISSION_FROM} WHERE a.id = $1`,
            [id],
          )
        )[0];
        return r && { places: [placeOf(r)], row: r };
      },
    });
  const fresh = async (id: string) =>
    present(
      (
        await db.query<AdmissionRow>(
          `SELECT ${ADMISSION_COLUMNS} FROM ${ADMISSION_FROM} WHERE a.id = $1`,
          [id],
        )
      )[0]!,
      todayVn(),
    );

  app.post(
    '/api/v1/admissions',
    {
      preHandler: requirePermission('admissions.write'),
      schema: {
        tags: [TAG],
        summary:
          'Admit a person to a facility: placed in a room by the rule set, or 409 saying what would be mixed',
        body: z.object({
          clientId: z.uuid().optional(),
          facilityId: z.uuid(),
          personId: z.uuid(),
          purpose: z.enum(['quarantine', 'treatment']).default('quarantine'),
          source: z.enum(['order', 'arrival', 'manual']).default('manual'),
          quarantineOrderId: z.uuid().optional(),
          sourceCaseId: z.uuid().optional().describe('Cohort: the F0 this person was exposed to'),
          arrivalBatch: z
            .string()
            .trim()
            .min(1)
            .max(100)
            .optional()
            .describe('Cohort: the arrival batch'),
          bedKind: z.enum(BED_KINDS).default('ordinary'),
          admittedOn: isoDate.optional(),
          feeExemption: z.string().trim().max(50).optional(),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      const today = todayVn();
      const admittedOn = b.admittedOn ?? today;
      if (admittedOn > today) throw fieldError('admittedOn', 'Ngày ở tương lai');
      const facility = await loadFacility(req, b.facilityId, 'admissions.write');
      // An open centralised order of the facility's district is the warrant to admit its person
      // (a facility manager's scope is their site, not where the F1 lives).
      const warrant = b.quarantineOrderId
        ? await orderWarrant(db, b.quarantineOrderId, b.personId, facility.district_code)
        : null;
      const person = await loadScopedAny(req, {
        action: 'admissions.write',
        resourceType: 'person',
        id: b.personId,
        label: 'Người',
        auditAllowed: false,
        load: async () => {
          // the person, whether they are an F0 now (an open case) and their household (families
          // together): one statement
          const p = (
            await db.query<
              PersonRow & { adm_case_id: string | null; adm_household_id: string | null }
            >(
              `SELECT ${personColumns()},
                      (SELECT c.id FROM cases c WHERE c.person_id = p.id AND c.closed_at IS NULL LIMIT 1) AS adm_case_id,
                      (SELECT m.household_id FROM household_members m WHERE m.person_id = p.id LIMIT 1) AS adm_household_id
                 FROM persons p WHERE p.id = $1`,
              [b.personId],
              { prepare: true },
            )
          )[0];
          if (!p || p.merged_into) return undefined;
          // the warrant's place is the facility's, which the actor may admit into
          return { places: [warrant ? placeOf(facility) : personPlace(p)], row: p };
        },
      });
      let cohortKey = b.sourceCaseId
        ? `case:${b.sourceCaseId}`
        : b.arrivalBatch
          ? `batch:${b.arrivalBatch}`
          : `person:${person.id}`;
      if (warrant) cohortKey = `case:${warrant.case_id}`;
      else if (b.quarantineOrderId) {
        const o = await loadScopedAny(req, {
          action: 'admissions.write',
          resourceType: 'quarantine_order',
          id: b.quarantineOrderId,
          label: 'Lệnh cách ly',
          auditAllowed: false,
          load: async () => {
            const r = (
              await db.query<{
                case_id: string;
                person_id: string;
                province_code: string;
                district_code: string;
                commune_code: string;
                village_id: string | null;
              }>(
                'SELECT case_id, person_id, province_code, district_code, commune_code, village_id FROM quarantine_orders WHERE id = $1',
                [b.quarantineOrderId],
              )
            )[0];
            return r && { places: [placeOf(r)], row: r };
          },
        });
        if (o.person_id !== person.id)
          throw fieldError('quarantineOrderId', 'Lệnh cách ly của người khác');
        cohortKey = `case:${o.case_id}`;
      }
      if (b.feeExemption) {
        const fees = await rules.fees(admittedOn);
        if (!fees.exemptions.some((e) => e.code === b.feeExemption))
          throw fieldError('feeExemption', `Không có diện miễn ${b.feeExemption}`);
      }
      const openCaseRow = person.adm_case_id ? { id: person.adm_case_id } : undefined;
      const family = person.adm_household_id
        ? { household_id: person.adm_household_id }
        : undefined;
      const ar = await admissionRules(rules, admittedOn);
      const out = await db.tx(async (q) => {
        return admit(
          q,
          ar,
          {
            facilityId: facility.id,
            personId: person.id,
            purpose: b.purpose,
            source: b.source,
            cohortKey: openCaseRow ? 'f0' : cohortKey,
            familyKey: family?.household_id ?? null,
            isF0: !!openCaseRow,
            admittedOn,
            bedKind: b.bedKind,
            quarantineOrderId: b.quarantineOrderId ?? null,
            caseId: openCaseRow?.id ?? null,
            feeExemption: b.feeExemption ?? null,
            clientId: b.clientId ?? null,
            actorId: actor.id,
          },
          auditValues(req, {
            action: 'admissions.create',
            resourceType: 'care_admission',
            outcome: 'allowed',
            detail: { personId: person.id },
          }),
        );
      });
      return reply
        .status(out.replayed ? 200 : 201)
        .send({ ...(await fresh(out.id)), replayed: out.replayed });
    },
  );

  app.get(
    '/api/v1/admissions',
    {
      preHandler: requirePermission('admissions.read'),
      schema: {
        tags: [TAG],
        summary:
          'People in facilities of your area (a facility: its own), by release date; tests and releases due today flagged',
        querystring: z.object({ facility: z.uuid().optional(), ...pageQuery }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const params: unknown[] = [];
      let scopeSql = scopePredicate(actor.scope, params, 'a');
      if (req.query.facility) {
        const f = await loadFacility(req, req.query.facility, 'facilities.read');
        params.push(f.site_id);
        scopeSql = `a.site_id = $${params.length} AND ${scopeSql}`;
      }
      const rows = await db.query<AdmissionRow>(
        admissionListSql(scopeSql, params, decodeCursor(req.query.cursor, 2), req.query.limit),
        params,
      );
      const pg = page(rows, req.query.limit, (r) => [r.release_on ?? '9999-12-31', r.id]);
      await audit(db, req, {
        action: 'admissions.list',
        resourceType: 'care_admission',
        outcome: 'allowed',
        detail: { count: pg.items.length },
      });
      const today = todayVn();
      return { items: pg.items.map((a) => present(a, today)), nextCursor: pg.nextCursor, today };
    },
  );

  app.get(
    '/api/v1/admissions/:id',
    {
      preHandler: requirePermission('admissions.read'),
      schema: { tags: [TAG], params: z.object({ id: z.uuid() }) },
    },
    async (req) => {
      const a = await loadAdmission(req, req.params.id, 'admissions.read');
      const events = await db.query<{ kind: string; at: Date | string; data: unknown }>(
        'SELECT kind, at, data FROM care_admission_events WHERE admission_id = $1 ORDER BY at, id',
        [a.id],
      );
      return {
        ...present(a, todayVn()),
        events: events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
      };
    },
  );

  app.get(
    '/api/v1/admissions/:id/statement',
    {
      preHandler: requirePermission('admissions.read'),
      schema: {
        tags: [TAG],
        summary: 'Fee statement of one stay',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (req) => {
      const a = await loadAdmission(req, req.params.id, 'admissions.read');
      const rs = await rules.fees(a.admitted_on);
      return feeStatement(rs, a.admitted_on, a.left_on ?? todayVn(), a.fee_exemption);
    },
  );

  app.post(
    '/api/v1/admissions/:id/release',
    {
      preHandler: requirePermission('admissions.write'),
      schema: {
        tags: [TAG],
        summary:
          'Release: by the course (409 before the date or with a test missing), or early with a reason',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          early: z.boolean().default(false),
          reason: z.string().trim().min(3).max(500).optional(),
          on: isoDate.optional(),
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const a = await loadAdmission(req, req.params.id, 'admissions.write');
      const b = req.body;
      const on = b.on ?? todayVn();
      if (on > todayVn()) throw fieldError('on', 'Ngày ở tương lai');
      if (a.status !== 'admitted') throw conflict('Người này không còn ở cơ sở');
      if (b.early && !b.reason) throw fieldError('reason', 'Cho ra sớm phải nêu lý do');
      let explanation = { vi: b.reason ?? '', en: b.reason ?? '' };
      if (!b.early && a.course) {
        const d = releaseDecision(a.course, on, a.negative_on);
        if (!d.ok)
          throw new AppError(409, 'release_refused', d.explanation.vi, undefined, {
            rule: d.rule,
            explanation: d.explanation,
          });
        explanation = d.explanation;
      }
      const fee = feeStatement(await rules.fees(a.admitted_on), a.admitted_on, on, a.fee_exemption);
      await db.tx(async (q) => {
        await vacate(q, a.id, 'released', on, b.early ? b.reason! : null);
        await q.query(
          `INSERT INTO care_admission_events (admission_id, kind, data, recorded_by) VALUES ($1, $2, $3, $4)`,
          [
            a.id,
            b.early ? 'early_release' : 'released',
            JSON.stringify({ explanation, fee }),
            actor.id,
          ],
        );
        await audit(q, req, {
          action: 'admissions.release',
          resourceType: 'care_admission',
          resourceId: a.id,
          outcome: 'allowed',
        });
      });
      return { ...(await fresh(a.id)), explanation, fee };
    },
  );

  app.post(
    '/api/v1/admissions/:id/events',
    {
      preHandler: requirePermission('admissions.write'),
      schema: {
        tags: [TAG],
        summary:
          'A test result in the stay (a positive opens an F0 detected in quarantine), an escape, an extension',
        params: z.object({ id: z.uuid() }),
        body: eventBody,
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const a = await loadAdmission(req, req.params.id, 'admissions.write');
      const b = req.body;
      if (a.status !== 'admitted') throw conflict('Người này không còn ở cơ sở');
      const today = todayVn();
      if ('on' in b && b.on && (b.on > today || b.on < a.admitted_on))
        throw fieldError('on', 'Ngày ngoài thời gian cách ly');
      const extra = await db.tx(async (q) => {
        let data: Record<string, unknown> = { ...b };
        if (b.kind === 'test' && b.result === 'negative') {
          await q.query(
            'UPDATE care_admissions SET negative_on = array_append(negative_on, $2::date), updated_at = now() WHERE id = $1',
            [a.id, b.on],
          );
        } else if (b.kind === 'test') {
          const c = await openCase(
            q,
            {
              personId: a.person_id,
              positiveSampleAt: `${b.on}T08:00:00+07:00`,
              foundBy: 'quarantine',
              decision: {
                ruleSetId: a.course?.rulesetId ?? 'manual',
                ruleId: 'positive_in_quarantine',
                explanation: {
                  vi: `Xét nghiệm ${b.testType === 'pcr' ? 'RT-PCR' : 'nhanh'} dương tính ngày ${b.on.split('-').reverse().join('/')} khi đang cách ly tập trung: F0 phát hiện trong khu cách ly`,
                  en: `Positive ${b.testType} test on ${b.on} during centralised quarantine: F0 detected in quarantine`,
                },
              },
              source: { kind: 'manual' },
            },
            actor.id,
          );
          const roommates = await q.query<{ id: string }>(
            `SELECT id FROM care_admissions WHERE room_id = $1 AND status = 'admitted' AND id <> $2`,
            [a.room_id, a.id],
          );
          await vacate(q, a.id, 'positive', b.on, 'Dương tính khi cách ly');
          await q.query(
            `INSERT INTO care_admission_events (admission_id, kind, data, recorded_by)
             SELECT id, 'roommate_positive', $2, $3 FROM unnest($1::uuid[]) id`,
            [
              roommates.map((r) => r.id),
              JSON.stringify({ caseId: c.id, admissionId: a.id }),
              actor.id,
            ],
          );
          data = { ...data, caseId: c.id, roommatesFlagged: roommates.length };
        } else if (b.kind === 'escaped') {
          await vacate(q, a.id, 'escaped', b.on ?? today, b.note);
        } else {
          if (!a.release_on) throw fieldError('kind', 'Lượt này không có ngày ra để gia hạn');
          await q.query(
            'UPDATE care_admissions SET release_on = $2, updated_at = now() WHERE id = $1',
            [a.id, addDays(a.release_on, b.days)],
          );
          if (a.course)
            await q.query(
              `UPDATE care_admissions SET course = jsonb_set(course, '{releaseOn}', to_jsonb($2::text)) WHERE id = $1`,
              [a.id, addDays(a.release_on, b.days)],
            );
        }
        await q.query(
          `INSERT INTO care_admission_events (admission_id, kind, data, recorded_by) VALUES ($1, $2, $3, $4)`,
          [
            a.id,
            b.kind === 'test' && b.result === 'positive' ? 'positive' : b.kind,
            JSON.stringify(data),
            actor.id,
          ],
        );
        await audit(q, req, {
          action: `admissions.${b.kind}`,
          resourceType: 'care_admission',
          resourceId: a.id,
          outcome: 'allowed',
        });
        return data;
      });
      return {
        ...(await fresh(a.id)),
        caseId: extra.caseId ?? null,
        roommatesFlagged: extra.roommatesFlagged ?? 0,
      };
    },
  );
}
