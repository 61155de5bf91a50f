import { ruleSetsOfKind } from '../rulesets.ts';
import { f0RulesetOn, type F0RuleSet } from '../../domain/testing.ts';
import { subjectIds } from '../audit/subjects.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allowed } from '../../domain/access.ts';
import { dateOfInstant, formatViDate, isValidIsoDate } from '../../domain/dates.ts';
import { CASE_STATUSES, CASE_STATUS_LABELS, statusChangeAllowed } from '../../domain/tracing.ts';
import { audit, requireActor, requirePermission } from '../context.ts';
import { AppError, fieldError } from '../errors.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { personInScope } from '../scoped-ids.ts';
import { canonicalPersonId, managingPlace } from '../people/store.ts';
import { notifyCommune } from './notices.ts';
import {
  CASE_SELECT,
  casePlaces,
  CONTACT_SELECT,
  presentCase,
  presentContact,
  type CaseRow,
  type ContactRow,
} from './present.ts';
import { caseListSql } from './lists.ts';
import { CASE_SECOND, dualScope, loadScopedAny, unitPlace } from './scope.ts';
import {
  CASE_FOUND_BY,
  CaseInputError,
  contactStatus,
  epiLink,
  openCase,
  type CaseFoundBy,
} from './store.ts';
import { refreshContacts } from './tracing.ts';

const communeCode = z
  .string()
  .regex(/^\d{5}$/, 'Mã xã gồm 5 chữ số')
  .describe('GSO commune code (5 digits)');
const isoDate = z
  .string()
  .refine(isValidIsoDate, 'Ngày dạng YYYY-MM-DD')
  .describe('Calendar date YYYY-MM-DD');
const instant = z.iso
  .datetime({ offset: true, message: 'Thời điểm dạng ISO 8601' })
  .describe('ISO 8601 instant with offset');

/** The F0 definitions (RULES.md, "F0 / F1 / F2") a manually opened case names as its basis. */
export const F0_BASES = {
  pcr_positive: {
    vi: 'Xét nghiệm RT-PCR dương tính',
    en: 'Positive RT-PCR',
    needs: null,
  },
  f1_rapid_positive: {
    vi: 'F1 có xét nghiệm nhanh kháng nguyên dương tính',
    en: 'An F1 with a positive rapid test',
    needs: 'f1',
  },
  suspect_rapid_epi: {
    vi: 'Ca nghi ngờ có xét nghiệm nhanh dương tính và có yếu tố dịch tễ',
    en: 'A suspected case with a positive rapid test and an epidemiological link',
    needs: 'link',
  },
  two_rapid_epi: {
    vi: 'Hai xét nghiệm nhanh dương tính trong 8 giờ và có yếu tố dịch tễ (định nghĩa 29/12/2021)',
    en: 'Two positive rapid tests within 8 hours with an epidemiological link (29/12/2021)',
    needs: 'link',
  },
} as const;
/** The rule of the F0 definitions (rule sets of kind 'f0_definition') each basis stands for. */
const BASIS_RULE: Record<keyof typeof F0_BASES, string> = {
  pcr_positive: 'pcr-positive',
  f1_rapid_positive: 'f1-rapid-positive',
  suspect_rapid_epi: 'suspected-rapid-epi',
  two_rapid_epi: 'two-rapid-8h-epi',
};

export const loadCaseRow = async (q: FastifyInstance['db'], id: string) =>
  (await q.query<CaseRow>(`${CASE_SELECT} WHERE c.id = $1`, [id]))[0];

export function loadCase(
  req: FastifyRequest,
  id: string,
  action: 'cases.read' | 'cases.write' | 'contacts.read' | 'contacts.write',
  auditAllowed = true,
) {
  return loadScopedAny(req, {
    action,
    resourceType: 'case',
    id,
    label: 'Ca bệnh',
    auditAllowed,
    load: async () => {
      const r = await loadCaseRow(req.server.db, id);
      return r && { places: casePlaces(r), row: r };
    },
  });
}

const caseBody = z.object({
  clientId: z.uuid().optional().describe('Client-made UUID: a replay returns the same case'),
  personId: z.uuid().describe('The person who tested positive'),
  positiveSampleAt: instant.describe('When the positive sample was taken'),
  onsetDate: isoDate.nullable().optional().describe('Symptom onset; null or absent: asymptomatic'),
  foundBy: z
    .enum(CASE_FOUND_BY as [CaseFoundBy, ...CaseFoundBy[]])
    .describe('community | quarantine | entry | imported (from another province) | screening'),
  basis: z
    .enum(Object.keys(F0_BASES) as [keyof typeof F0_BASES, ...(keyof typeof F0_BASES)[]])
    .describe('Which F0 definition applies (RULES.md): checked against F1 status / epi link'),
  responsibleCommuneCode: communeCode
    .optional()
    .describe("Responsible commune; default the person's address commune"),
  note: z.string().max(500).optional(),
});

export async function caseRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.post(
    '/api/v1/cases',
    {
      preHandler: requirePermission('cases.write'),
      schema: {
        tags: ['cases'],
        summary:
          'Open an F0 case (idempotent per person: an open case is returned with 200); links to the source case when the person is a confirmed F1',
        body: caseBody,
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      const sampleMs = Date.parse(b.positiveSampleAt);
      if (sampleMs > Date.now() + 5 * 60_000)
        throw fieldError('positiveSampleAt', 'Thời điểm ở tương lai');
      const sampleDate = dateOfInstant(sampleMs);
      if (b.onsetDate && b.onsetDate > sampleDate && b.onsetDate > dateOfInstant(Date.now()))
        throw fieldError('onsetDate', 'Ngày khởi phát ở tương lai');
      if (b.clientId) {
        const prior = await db.query<{ id: string }>('SELECT id FROM cases WHERE client_id = $1', [
          b.clientId,
        ]);
        if (prior[0]) {
          const row = await loadCase(req, prior[0].id, 'cases.read');
          return reply.status(200).send({ ...presentCase(row), created: false });
        }
      }
      // The person is held to the actor's scope like any id in a body (missing and elsewhere
      // answer the same 404), and so is the responsible commune: naming oneself responsible does
      // not open a case on another area's resident. The case is filed under the commune managing
      // the person: where they are now, else their home (issue 13).
      const person = await personInScope(req, b.personId, {
        action: 'cases.create',
        field: 'personId',
      });
      const personId = person.id;
      const managingCommune = managingPlace(person).communeCode;
      const commune = b.responsibleCommuneCode ?? managingCommune;
      const unit = commune ? await unitPlace(db, commune, 3) : undefined;
      if (!unit) throw fieldError('responsibleCommuneCode', `Không có xã mã ${commune}`);
      if (!allowed(actor, 'cases.write', unit.place)) {
        await audit(db, req, {
          action: 'cases.create',
          resourceType: 'case',
          outcome: 'denied',
          reason: 'outside_scope',
          detail: { personId, commune },
        });
        throw new AppError(404, 'not_found', 'Xã chịu trách nhiệm không thuộc địa bàn của bạn', [
          { path: 'responsibleCommuneCode', message: 'Không thuộc địa bàn của bạn' },
        ]);
      }
      const basis = F0_BASES[b.basis];
      // The definition in force on the day of the sample must know this basis.
      const ruleSet = f0RulesetOn(await ruleSetsOfKind<F0RuleSet>(db, 'f0_definition'), sampleDate);
      const ruleId = BASIS_RULE[b.basis];
      if (!ruleSet?.rules.some((r) => r.id === ruleId))
        throw fieldError(
          'basis',
          `Định nghĩa ca bệnh hiệu lực ngày ${formatViDate(sampleDate)} không có tiêu chí này`,
        );
      let why = '';
      let whyEn = '';
      if (basis.needs === 'f1') {
        const s = await contactStatus(db, personId, sampleDate);
        if (!s.confirmedF1)
          throw fieldError('basis', 'Người này không phải F1 đã xác nhận trong 14 ngày qua');
        why = ' — là F1 đã xác nhận';
        whyEn = ' — a confirmed F1';
      } else if (basis.needs === 'link') {
        const l = await epiLink(db, personId, sampleDate);
        if (!l.linked)
          throw fieldError(
            'basis',
            'Không có yếu tố dịch tễ (không là F1, không cùng hộ với F0, không sống trong vùng phong tỏa)',
          );
        why = ` — ${l.reason!.vi}`;
        whyEn = ` — ${l.reason!.en}`;
      }
      const result = await db
        .tx(async (q) => {
          const r = await openCase(
            q,
            {
              personId,
              positiveSampleAt: new Date(sampleMs).toISOString(),
              foundBy: b.foundBy,
              decision: {
                ruleSetId: ruleSet.id,
                ruleId,
                explanation: {
                  vi: `F0: ${basis.vi}, lấy mẫu ngày ${formatViDate(sampleDate)}${why} (nhập tay bởi ${actor.username}${b.note ? `: ${b.note}` : ''}) — theo ${ruleSet.legalBasis.number}`,
                  en: `F0: ${basis.en}, sampled on ${formatViDate(sampleDate)}${whyEn} (entered by ${actor.username}) — under ${ruleSet.legalBasis.number}`,
                },
              },
              source: { kind: 'manual' },
              responsibleCommuneCode: commune,
              onsetDate: b.onsetDate ?? null,
              clientId: b.clientId ?? null,
            },
            actor.id,
          );
          await audit(q, req, {
            action: 'cases.create',
            resourceType: 'case',
            resourceId: r.id,
            outcome: 'allowed',
            detail: { personId, created: r.created },
          });
          return r;
        })
        .catch((err: unknown) => {
          if (err instanceof CaseInputError) throw fieldError(err.field, err.message);
          throw err;
        });
      const row = (await loadCaseRow(db, result.id))!;
      return reply
        .status(result.created ? 201 : 200)
        .send({ ...presentCase(row), created: result.created });
    },
  );

  app.get(
    '/api/v1/cases',
    {
      preHandler: requirePermission('cases.read'),
      schema: {
        tags: ['cases'],
        summary: 'Cases in your area (responsible or current commune), newest sample first',
        querystring: z.object({
          status: z
            .enum(['open', 'closed', ...CASE_STATUSES] as [string, ...string[]])
            .optional()
            .describe('open (not recovered/died), closed, or one status'),
          commune: communeCode.optional().describe('Responsible or current commune'),
          cluster: z.uuid().optional().describe('Cases of one cluster'),
          from: isoDate.optional().describe('Positive sample on or after'),
          to: isoDate.optional().describe('Positive sample on or before'),
          ...pageQuery,
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const qs = req.query;
      const list = caseListSql(actor.scope, qs, decodeCursor(qs.cursor, 2), qs.limit + 1);
      const rows = await db.query<CaseRow>(list.sql, list.params);
      const pg = page(rows, qs.limit, (r) => [new Date(r.positive_sample_at).toISOString(), r.id]);
      await audit(db, req, {
        action: 'cases.list',
        resourceType: 'case',
        outcome: 'allowed',
        detail: { count: pg.items.length, subjects: subjectIds(pg.items) },
      });
      return { items: pg.items.map((c) => presentCase(c)), nextCursor: pg.nextCursor };
    },
  );

  app.get(
    '/api/v1/cases/:id',
    {
      preHandler: requirePermission('cases.read'),
      schema: {
        tags: ['cases'],
        summary: 'One case with its infectious period, status history and contact counts',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (req) => {
      const row = await loadCase(req, req.params.id, 'cases.read');
      const events = await db.query<{
        id: string;
        kind: string;
        at: Date | string;
        data: Record<string, unknown>;
      }>('SELECT id, kind, at, data FROM case_events WHERE case_id = $1 ORDER BY at, id', [row.id]);
      const counts = await db.query<{ degree: number; status: string; n: number }>(
        'SELECT degree, status, count(*)::int AS n FROM contacts WHERE case_id = $1 GROUP BY 1, 2',
        [row.id],
      );
      const count = (degree: number, status: string) =>
        counts.find((c) => c.degree === degree && c.status === status)?.n ?? 0;
      // the person's home unit in words (the case is managed where they are; issue 13)
      const home = await db.query<{ name: string }>(
        `SELECT concat_ws(', ', c.name, d.name, p.name) AS name FROM admin_units c
           LEFT JOIN admin_units d ON d.code = c.district_code LEFT JOIN admin_units p ON p.code = c.province_code
          WHERE c.code = $1`,
        [row.home_commune_code],
      );
      const presented = presentCase(row);
      return {
        ...presented,
        homeUnit: { ...presented.homeUnit, name: home[0]?.name ?? row.home_commune_code },
        events: events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
        contactCounts: {
          f1: {
            candidate: count(1, 'candidate'),
            confirmed: count(1, 'confirmed'),
            rejected: count(1, 'rejected'),
          },
          f2: {
            candidate: count(2, 'candidate'),
            confirmed: count(2, 'confirmed'),
            rejected: count(2, 'rejected'),
          },
        },
      };
    },
  );

  app.post(
    '/api/v1/cases/:id/status',
    {
      preHandler: requirePermission('cases.write'),
      schema: {
        tags: ['cases'],
        summary:
          'Change the status: home_isolation, facility, hospital (tier 1–3), recovered, died; the first isolation ends the infectious period',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          clientId: z.uuid().optional().describe('A replay does not duplicate the change'),
          status: z.enum(CASE_STATUSES as [string, ...string[]]).describe('New status'),
          hospitalTier: z.number().int().min(1).max(3).optional().describe('Required for hospital'),
          facilitySiteId: z.uuid().optional().describe('Facility / hospital site'),
          at: instant.optional().describe('When; default now'),
          note: z.string().max(500).optional(),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const row = await loadCase(req, req.params.id, 'cases.write', false);
      const b = req.body;
      if (b.clientId) {
        const prior = await db.query('SELECT 1 FROM case_events WHERE client_id = $1', [
          b.clientId,
        ]);
        if (prior[0]) return reply.status(200).send(presentCase((await loadCaseRow(db, row.id))!));
      }
      const status = b.status as CaseRow['status'];
      if (!statusChangeAllowed(row.status, status))
        throw fieldError(
          'status',
          `Không thể chuyển từ "${CASE_STATUS_LABELS[row.status].vi}" sang "${CASE_STATUS_LABELS[status].vi}"`,
        );
      if (status === 'hospital' && !b.hospitalTier)
        throw fieldError('hospitalTier', 'Cần tầng điều trị (1, 2 hoặc 3)');
      const at = b.at ? new Date(b.at) : new Date();
      if (at.getTime() > Date.now() + 5 * 60_000) throw fieldError('at', 'Thời điểm ở tương lai');
      if (at.getTime() < new Date(row.positive_sample_at).getTime() - 14 * 86_400_000)
        throw fieldError('at', 'Thời điểm trước ngày lấy mẫu quá 14 ngày');
      if (b.facilitySiteId) {
        const s = await db.query('SELECT 1 FROM sites WHERE id = $1', [b.facilitySiteId]);
        if (!s[0]) throw fieldError('facilitySiteId', 'Không có cơ sở này');
      }
      const closed = status === 'recovered' || status === 'died';
      await db.tx(async (q) => {
        await q.query(
          `UPDATE cases SET status = $2, hospital_tier = $3, facility_site_id = coalesce($4, facility_site_id),
             isolated_at = CASE WHEN isolated_at IS NULL AND $2 <> 'unisolated' THEN $5::timestamptz ELSE isolated_at END,
             closed_at = CASE WHEN $6 THEN $5::timestamptz ELSE NULL END, updated_at = now()
           WHERE id = $1`,
          [
            row.id,
            status,
            status === 'hospital' ? b.hospitalTier : null,
            b.facilitySiteId ?? null,
            at.toISOString(),
            closed,
          ],
        );
        await q.query(
          `INSERT INTO case_events (client_id, case_id, kind, at, data, recorded_by) VALUES ($1, $2, 'status', $3, $4, $5)`,
          [
            b.clientId ?? null,
            row.id,
            at.toISOString(),
            JSON.stringify({
              from: row.status,
              to: status,
              hospitalTier: b.hospitalTier ?? null,
              note: b.note ?? null,
            }),
            actor.id,
          ],
        );
        await audit(q, req, {
          action: 'cases.status',
          resourceType: 'case',
          resourceId: row.id,
          outcome: 'allowed',
          detail: { from: row.status, to: status },
        });
      });
      return presentCase((await loadCaseRow(db, row.id))!);
    },
  );

  app.post(
    '/api/v1/cases/:id/transfer',
    {
      preHandler: requirePermission('cases.write'),
      schema: {
        tags: ['cases'],
        summary:
          'Record that the person is now in another commune (and optionally hand over responsibility); the new commune is told',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          clientId: z.uuid().optional(),
          toCommuneCode: communeCode.describe('Where the person is now'),
          responsibility: z
            .boolean()
            .default(false)
            .describe('Also make that commune responsible for the case'),
          at: instant.optional(),
          note: z.string().max(500).optional(),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const row = await loadCase(req, req.params.id, 'cases.write', false);
      const b = req.body;
      if (b.clientId) {
        const prior = await db.query('SELECT 1 FROM case_events WHERE client_id = $1', [
          b.clientId,
        ]);
        if (prior[0]) return reply.status(200).send(presentCase((await loadCaseRow(db, row.id))!));
      }
      const to = await unitPlace(db, b.toCommuneCode, 3);
      if (!to) throw fieldError('toCommuneCode', `Không có xã mã ${b.toCommuneCode}`);
      const at = b.at ? new Date(b.at) : new Date();
      if (at.getTime() > Date.now() + 5 * 60_000) throw fieldError('at', 'Thời điểm ở tương lai');
      await db.tx(async (q) => {
        await q.query(
          `UPDATE cases SET current_province_code = $2, current_district_code = $3, current_commune_code = $4,
             province_code = CASE WHEN $5 THEN $2 ELSE province_code END,
             district_code = CASE WHEN $5 THEN $3 ELSE district_code END,
             commune_code = CASE WHEN $5 THEN $4 ELSE commune_code END,
             village_id = CASE WHEN $5 THEN NULL ELSE village_id END, updated_at = now()
           WHERE id = $1`,
          [row.id, to.unit.province_code, to.unit.district_code, to.unit.code, b.responsibility],
        );
        await q.query(
          `INSERT INTO case_events (client_id, case_id, kind, at, data, recorded_by) VALUES ($1, $2, 'transfer', $3, $4, $5)`,
          [
            b.clientId ?? null,
            row.id,
            at.toISOString(),
            JSON.stringify({
              fromCommuneCode: row.current_commune_code,
              toCommuneCode: to.unit.code,
              responsibility: b.responsibility,
              note: b.note ?? null,
            }),
            actor.id,
          ],
        );
        await notifyCommune(q, {
          communeCode: to.unit.code,
          kind: 'case.transfer',
          title: {
            vi: `Ca bệnh ${row.code} (${row.full_name}) chuyển đến địa bàn từ ${row.current_commune_name}${
              b.responsibility ? '; xã nhận trách nhiệm quản lý' : ''
            }`,
            en: `Case ${row.code} (${row.full_name}) moved here from ${row.current_commune_name}`,
          },
          refType: 'case',
          refId: row.id,
          personId: row.person_id,
        });
        await audit(q, req, {
          action: 'cases.transfer',
          resourceType: 'case',
          resourceId: row.id,
          outcome: 'allowed',
          detail: { to: to.unit.code, responsibility: b.responsibility },
        });
      });
      return presentCase((await loadCaseRow(db, row.id))!);
    },
  );

  app.post(
    '/api/v1/cases/:id/interview-contacts',
    {
      preHandler: requirePermission('contacts.write'),
      schema: {
        tags: ['cases'],
        summary:
          'A contact named in the epidemiological interview (who, when, how long, masked, physical); becomes co-presence evidence',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          clientId: z.uuid().optional(),
          personId: z.uuid().describe('The person met (create them first through /persons)'),
          at: instant.describe('When the meeting began'),
          minutes: z.number().int().min(1).max(44_640).describe('How long, in minutes'),
          masked: z.boolean().describe('Both wore masks'),
          physical: z.boolean().default(false).describe('Physical contact / care without PPE'),
          place: z.string().trim().max(200).optional().describe('Where, in words'),
          note: z.string().max(500).optional(),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const row = await loadCase(req, req.params.id, 'contacts.write', false);
      const b = req.body;
      if (b.clientId) {
        const prior = await db.query<{ id: string }>(
          'SELECT id FROM interview_contacts WHERE client_id = $1',
          [b.clientId],
        );
        if (prior[0]) return reply.status(200).send({ id: prior[0].id, replay: true });
      }
      const personId = (
        await personInScope(req, b.personId, { action: 'contacts.interview', field: 'personId' })
      ).id;
      if (personId === row.person_id) throw fieldError('personId', 'Là chính ca bệnh');
      const start = new Date(b.at);
      if (start.getTime() > Date.now() + 5 * 60_000)
        throw fieldError('at', 'Thời điểm ở tương lai');
      const end = new Date(start.getTime() + b.minutes * 60_000);
      const id = await db.tx(async (q) => {
        const ins = await q.query<{ id: string }>(
          `INSERT INTO interview_contacts (client_id, case_id, person_id, start_at, minutes, masked, physical, place, note, recorded_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id`,
          [
            b.clientId ?? null,
            row.id,
            personId,
            start.toISOString(),
            b.minutes,
            b.masked,
            b.physical,
            b.place ?? null,
            b.note ?? null,
            actor.id,
          ],
        );
        const iid = ins[0]!.id;
        for (const pid of [row.person_id, personId]) {
          await q.query(
            `INSERT INTO presence (person_id, place_key, start_at, end_at, source, ref_id, masked, physical, label)
             VALUES ($1, $2, $3, $4, 'interview', $5, $6, $7, $8)`,
            [
              pid,
              `interview:${iid}`,
              start.toISOString(),
              end.toISOString(),
              iid,
              b.masked,
              b.physical,
              b.place ?? 'Khai thác dịch tễ',
            ],
          );
        }
        await audit(q, req, {
          action: 'contacts.interview',
          resourceType: 'case',
          resourceId: row.id,
          outcome: 'allowed',
          detail: { personId, interviewContactId: iid },
        });
        return iid;
      });
      return reply.status(201).send({ id, replay: false });
    },
  );

  app.get(
    '/api/v1/cases/:id/contacts',
    {
      preHandler: requirePermission('contacts.read'),
      schema: {
        tags: ['cases'],
        summary:
          'F1 (and with depth=2 F2) candidates and decided contacts of a case, each with its evidence (where, when, how long, source) and strength; refreshed from co-presence on each call',
        params: z.object({ id: z.uuid() }),
        querystring: z.object({
          depth: z.coerce
            .number()
            .int()
            .min(1)
            .max(2)
            .default(2)
            .describe('1: F1 only; 2: F1 and F2'),
          status: z.enum(['candidate', 'confirmed', 'rejected']).optional(),
        }),
      },
    },
    async (req) => {
      const row = await loadCase(req, req.params.id, 'contacts.read');
      const depth = req.query.depth as 1 | 2;
      const { alreadyF0, ...found } = await db.tx((q) => refreshContacts(q, row, depth));
      const params: unknown[] = [row.id, depth];
      let extra = '';
      if (req.query.status) {
        params.push(req.query.status);
        extra = ` AND k.status = $3`;
      }
      const rows = await db.query<ContactRow>(
        `${CONTACT_SELECT} WHERE k.case_id = $1 AND k.degree <= $2${extra}
          ORDER BY k.degree, k.strength DESC, p.full_name, k.id`,
        params,
      );
      const items = rows.map(presentContact);
      return {
        case: presentCase(row),
        found,
        f1: items.filter((c) => c.degree === 1),
        f2: items.filter((c) => c.degree === 2),
        // co-present people who are F0 themselves: shown as such, never as candidates (issue 13)
        alreadyF0: alreadyF0.filter((x) => x.degree <= depth),
      };
    },
  );

  /** Used by the scenario tests and the UI to show "who is this person to the epidemic". */
  app.get(
    '/api/v1/persons/:id/cases',
    {
      preHandler: requirePermission('cases.read'),
      schema: {
        tags: ['cases'],
        summary: "A person's cases and contact records in your area",
        params: z.object({ id: z.uuid() }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const pid = (await canonicalPersonId(db, req.params.id)) ?? req.params.id;
      const params: unknown[] = [pid];
      const cases = await db.query<CaseRow>(
        `${CASE_SELECT} WHERE c.person_id = $1 AND ${dualScope(actor.scope, params, 'c', CASE_SECOND)}
          ORDER BY c.positive_sample_at DESC`,
        params,
      );
      const p2: unknown[] = [pid];
      const contacts = await db.query<ContactRow>(
        `${CONTACT_SELECT} WHERE k.person_id = $1 AND ${dualScope(actor.scope, p2, 'k', {
          province: 'person_province_code',
          district: 'person_district_code',
          commune: 'person_commune_code',
          village: 'person_village_id',
          ownVillage: null,
        })} ORDER BY k.last_exposure_at DESC`,
        p2,
      );
      // Nothing of theirs in the area: the person must be the actor's to look at (404 + audit
      // like the person page, the same for "elsewhere" and "no such person").
      if (!cases.length && !contacts.length)
        await personInScope(req, req.params.id, { action: 'cases.person', field: 'id' });
      await audit(db, req, {
        action: 'cases.person',
        resourceType: 'person',
        resourceId: pid,
        outcome: 'allowed',
      });
      return { cases: cases.map((c) => presentCase(c)), contacts: contacts.map(presentContact) };
    },
  );
}
