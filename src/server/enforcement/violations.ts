/**
 * Violations: a person (in scope), the type from the list in force on the day, the record that
 * shows it, the decision and fine (within the provision's range), paid or not; the list, keyset
 * paged, and the counts by type and unit read from the maintained counts.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contains } from '../../domain/access.ts';
import {
  checkDecision,
  DECISIONS,
  EVIDENCE_KINDS,
  explainDecision,
  typesInForce,
  type ViolationTypeSet,
} from '../../domain/enforcement.ts';
import { todayVn, unitCode } from '../care/common.ts';
import { audit, loadScoped, requireActor, requirePermission } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { badRequest, conflict, fieldError } from '../errors.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { managingPlace } from '../people/store.ts';
import type { RuleSetCache } from '../rulesets.ts';
import { communeInScope, denyBodyId, personInScope } from '../scoped-ids.ts';
import { isoDate } from '../vaccination/common.ts';
import { listScope } from '../supplies/common.ts';
import { evidenceInScope } from './evidence.ts';

export const TAG = 'enforcement';

const violationBody = z.object({
  clientId: z.uuid().describe('Client-made UUID: a replay returns the same violation'),
  personId: z.uuid(),
  typeCode: z.string().min(1).max(40),
  occurredOn: isoDate,
  communeCode: z
    .string()
    .regex(/^\d{5}$/, 'Mã xã 5 chữ số')
    .optional()
    .describe("Where it happened; the person's managing commune by default"),
  place: z.string().trim().max(300).optional(),
  evidence: z.object({ kind: z.enum(EVIDENCE_KINDS), id: z.uuid() }).optional(),
  decision: z.enum(DECISIONS),
  fineAmount: z.number().int().min(1).max(10_000_000_000).nullable().optional(),
  paid: z.boolean().default(false),
  paidOn: isoDate.optional(),
});

interface ViolationRow {
  id: string;
  client_id: string;
  person_id: string;
  full_name?: string;
  type_code: string;
  ruleset_id: string;
  article: string;
  occurred_on: string;
  place: string | null;
  evidence_kind: string | null;
  evidence_id: string | null;
  decision: string;
  fine_amount: number | null;
  paid: boolean;
  paid_on: string | null;
  explanation: { vi: string; en: string };
  province_code: string;
  district_code: string;
  commune_code: string;
}
const COLUMNS = `v.id, v.client_id, v.person_id, v.type_code, v.ruleset_id, v.article, v.occurred_on::text AS occurred_on,
  v.place, v.evidence_kind, v.evidence_id, v.decision, v.fine_amount, v.paid, v.paid_on::text AS paid_on,
  v.explanation, v.province_code, v.district_code, v.commune_code`;

const present = (v: ViolationRow) => ({
  id: v.id,
  clientId: v.client_id,
  personId: v.person_id,
  personName: v.full_name,
  typeCode: v.type_code,
  ruleSetId: v.ruleset_id,
  article: v.article,
  occurredOn: v.occurred_on,
  place: v.place,
  evidence: v.evidence_kind ? { kind: v.evidence_kind, id: v.evidence_id } : null,
  decision: v.decision,
  fineAmount: v.fine_amount === null ? null : Number(v.fine_amount),
  paid: v.paid,
  paidOn: v.paid_on,
  explanation: v.explanation,
  communeCode: v.commune_code,
  districtCode: v.district_code,
});

const placeOf = (v: ViolationRow) => ({
  provinceCode: v.province_code,
  districtCode: v.district_code,
  communeCode: v.commune_code,
});

async function byClientId(q: Queryable, clientId: string) {
  return (
    await q.query<ViolationRow>(
      `SELECT ${COLUMNS}, p.full_name FROM violations v JOIN persons p ON p.id = v.person_id WHERE v.client_id = $1`,
      [clientId],
    )
  )[0];
}

/** Adds one violation (or its payment) to the maintained counts of its commune and type. */
async function bumpCounts(
  q: Queryable,
  v: Pick<ViolationRow, 'province_code' | 'district_code' | 'commune_code' | 'type_code'>,
  d: { n: number; fined: number; fine: number; paidN: number; paid: number },
) {
  await q.query(
    `INSERT INTO violation_counts AS c (commune_code, type_code, province_code, district_code, n, fined, fine_total, paid_n, paid_total)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
     ON CONFLICT (commune_code, type_code) DO UPDATE SET n = c.n + EXCLUDED.n, fined = c.fined + EXCLUDED.fined,
       fine_total = c.fine_total + EXCLUDED.fine_total, paid_n = c.paid_n + EXCLUDED.paid_n,
       paid_total = c.paid_total + EXCLUDED.paid_total`,
    [
      v.commune_code,
      v.type_code,
      v.province_code,
      v.district_code,
      d.n,
      d.fined,
      d.fine,
      d.paidN,
      d.paid,
    ],
  );
}

/** Where the violation is filed: the commune named (in scope) or the person's managing commune. */
async function communeOf(
  req: FastifyRequest,
  code: string | undefined,
  fallback: ReturnType<typeof managingPlace>,
) {
  if (!code) return fallback;
  const place = await communeInScope(req, code, {
    action: 'violations.write',
    field: 'communeCode',
  });
  return { ...place, villageId: null };
}

/** The list's SQL (exported for the plan test): newest first, keyset on (occurred_on, id), persons joined after the page. */
export function violationListSql(
  scopeSql: string,
  params: unknown[],
  after: unknown[] | null,
  limit: number,
) {
  const where = [scopeSql];
  if (after) {
    params.push(after[0], after[1]);
    where.push(`(v.occurred_on, v.id) < ($${params.length - 1}::date, $${params.length}::uuid)`);
  }
  params.push(limit + 1);
  return `SELECT ${COLUMNS}, p.full_name
    FROM (SELECT * FROM violations v WHERE ${where.join(' AND ')} ORDER BY v.occurred_on DESC, v.id DESC LIMIT $${params.length}) v
    JOIN persons p ON p.id = v.person_id ORDER BY v.occurred_on DESC, v.id DESC`;
}

export async function violationRoutes(
  server: FastifyInstance,
  opts: { types: RuleSetCache<ViolationTypeSet> },
) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.get(
    '/api/v1/violation-types',
    {
      preHandler: requirePermission('violations.read'),
      schema: {
        tags: [TAG],
        summary:
          'The violation types in force on a day (default today), with article and fine range',
        querystring: z.object({ on: isoDate.optional() }),
      },
    },
    async (req) => {
      const set = typesInForce(await opts.types.get(), req.query.on ?? todayVn());
      if (!set) throw fieldError('on', 'Không có danh mục hành vi vi phạm hiệu lực vào ngày này');
      return set;
    },
  );

  app.post(
    '/api/v1/violations',
    {
      preHandler: requirePermission('violations.write'),
      schema: {
        tags: [TAG],
        summary:
          'Record a violation with its decision and fine; a fine outside the range is a 400 naming fineAmount; a replay is not doubled',
        body: violationBody,
      },
    },
    async (req, reply) => {
      const b = req.body;
      const actor = requireActor(req);
      const existing = await byClientId(db, b.clientId);
      if (existing) {
        if (!contains(actor.scope, placeOf(existing)))
          throw await denyBodyId(
            req,
            {
              action: 'violations.write',
              resourceType: 'violation',
              id: existing.id,
              field: 'clientId',
              found: true,
            },
            'Vi phạm',
          );
        return reply.status(200).send(present(existing));
      }
      if (b.occurredOn > todayVn())
        throw fieldError('occurredOn', 'Ngày vi phạm không được ở tương lai');
      const set = typesInForce(await opts.types.get(), b.occurredOn);
      if (!set)
        throw fieldError('occurredOn', 'Không có danh mục hành vi vi phạm hiệu lực vào ngày này');
      const type = set.types.find((t) => t.code === b.typeCode);
      if (!type) throw fieldError('typeCode', `Không có hành vi ${b.typeCode} trong ${set.name}`);
      const problems = checkDecision(type, b);
      if (problems.length)
        throw badRequest(`${problems[0]!.path}: ${problems[0]!.message}`, problems);
      if (b.paid && b.decision !== 'fine')
        throw fieldError('paid', 'Chỉ quyết định phạt tiền mới có nộp phạt');
      if (b.paidOn && !b.paid) throw fieldError('paidOn', 'Ngày nộp phạt chỉ khi đã nộp');
      if (b.paidOn && b.paidOn < b.occurredOn)
        throw fieldError('paidOn', 'Ngày nộp phạt trước ngày vi phạm');
      const person = await personInScope(req, b.personId, {
        action: 'violations.write',
        field: 'personId',
      });
      if (b.evidence) await evidenceInScope(req, b.evidence, person.id);
      const where = await communeOf(req, b.communeCode, managingPlace(person));
      const created = await db.tx(async (q) => {
        const ins = await q.query<ViolationRow>(
          `INSERT INTO violations AS v (client_id, person_id, type_code, ruleset_id, article, occurred_on, place, evidence_kind,
             evidence_id, decision, fine_amount, paid, paid_on, explanation, province_code, district_code, commune_code, recorded_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)
           ON CONFLICT (client_id) DO NOTHING RETURNING ${COLUMNS}`,
          [
            b.clientId,
            person.id,
            type.code,
            set.id,
            type.article,
            b.occurredOn,
            b.place ?? null,
            b.evidence?.kind ?? null,
            b.evidence?.id ?? null,
            b.decision,
            b.fineAmount ?? null,
            b.paid,
            b.paid ? (b.paidOn ?? todayVn()) : null,
            JSON.stringify(explainDecision(type, b)),
            where.provinceCode,
            where.districtCode,
            where.communeCode,
            actor.id,
          ],
        );
        const v = ins[0];
        if (!v) return null;
        const fine = b.decision === 'fine' ? b.fineAmount! : 0;
        await bumpCounts(q, v, {
          n: 1,
          fined: fine ? 1 : 0,
          fine,
          paidN: b.paid ? 1 : 0,
          paid: b.paid ? fine : 0,
        });
        await audit(q, req, {
          action: 'violations.write',
          resourceType: 'violation',
          resourceId: v.id,
          outcome: 'allowed',
          detail: { personId: person.id },
        });
        return v;
      });
      const row = await byClientId(db, b.clientId);
      return reply.status(created ? 201 : 200).send(present(row!));
    },
  );

  app.post(
    '/api/v1/violations/:id/payment',
    {
      preHandler: requirePermission('violations.write'),
      schema: {
        tags: [TAG],
        summary: 'Record that a fine was paid (a repeat answers the same violation)',
        params: z.object({ id: z.uuid() }),
        body: z.object({ paidOn: isoDate.optional() }),
      },
    },
    async (req) => {
      const v = await loadScoped(req, {
        action: 'violations.write',
        resourceType: 'violation',
        id: req.params.id,
        label: 'Vi phạm',
        load: async () => {
          const r = (
            await db.query<ViolationRow>(`SELECT ${COLUMNS} FROM violations v WHERE v.id = $1`, [
              req.params.id,
            ])
          )[0];
          return r && { ...placeOf(r), row: r };
        },
      });
      const row = v.row;
      if (row.decision !== 'fine') throw conflict('Vi phạm này không có quyết định phạt tiền');
      const paidOn = req.body.paidOn ?? todayVn();
      if (paidOn < row.occurred_on || paidOn > todayVn())
        throw fieldError('paidOn', 'Ngày nộp phạt không hợp lệ');
      await db.tx(async (q) => {
        const upd = await q.query<{ id: string }>(
          'UPDATE violations SET paid = true, paid_on = $2 WHERE id = $1 AND NOT paid RETURNING id',
          [row.id, paidOn],
        );
        if (upd[0])
          await bumpCounts(q, row, {
            n: 0,
            fined: 0,
            fine: 0,
            paidN: 1,
            paid: Number(row.fine_amount),
          });
      });
      return present((await byClientId(db, row.client_id))!);
    },
  );

  app.get(
    '/api/v1/violations',
    {
      preHandler: requirePermission('violations.read'),
      schema: {
        tags: [TAG],
        summary: 'Violations in your area (or a unit of it), newest first, keyset paged',
        querystring: z.object({ unit: unitCode.optional(), ...pageQuery }),
      },
    },
    async (req) => {
      const params: unknown[] = [];
      const scopeSql = await listScope(req, params, 'v', req.query.unit, 'violations.read');
      const after = decodeCursor(req.query.cursor, ['date', 'uuid']);
      const rows = await db.query<ViolationRow>(
        violationListSql(scopeSql, params, after, req.query.limit),
        params,
      );
      const pg = page(rows, req.query.limit, (r) => [r.occurred_on, r.id]);
      await audit(db, req, {
        action: 'violations.read',
        resourceType: 'violation_list',
        resourceId: req.query.unit ?? null,
        outcome: 'allowed',
        detail: { count: pg.items.length },
      });
      return { items: pg.items.map(present), nextCursor: pg.nextCursor };
    },
  );
}
