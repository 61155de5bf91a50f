import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { subjectIds } from '../audit/subjects.ts';
import { z } from 'zod';
import { RESULT_LABELS, RESULT_VALUES } from '../../domain/testing.ts';
import { audit, requireActor, requirePermission } from '../context.ts';
import { conflict, fieldError, notFound } from '../errors.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { presentResult, RESULT_COLUMNS, writeResult, type ResultRow } from './apply.ts';
import { SPECIMEN_COLUMNS, scopedPerson, type SpecimenRow } from './orders.ts';
import type { F0Cache } from './rulesets.ts';
import { loadTestScoped, testContains, testScope } from './scope.ts';

const iso = (d: string | Date | null) => (d === null ? null : new Date(d).toISOString());

export async function resultRoutes(server: FastifyInstance, opts: { f0: F0Cache }) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  const body = z
    .object({
      clientId: z.uuid().describe('Idempotency key: a replay returns the first result'),
      specimenId: z
        .uuid()
        .optional()
        .describe('The specimen resulted (or specimenCode, or personId + testType + sampledAt)'),
      specimenCode: z.string().trim().toUpperCase().min(3).max(40).optional(),
      personId: z.uuid().optional(),
      testType: z.string().min(1).max(40).optional(),
      sampledAt: z.iso
        .datetime({ offset: true })
        .optional()
        .describe('Required without a specimen'),
      result: z.enum(RESULT_VALUES),
      resultedAt: z.iso.datetime({ offset: true }).optional().describe('Default now'),
      ctValue: z.number().min(0).max(60).optional().describe('RT-PCR cycle threshold'),
      symptomatic: z
        .boolean()
        .optional()
        .describe('Symptoms declared with the test (suspected case, F0 rule)'),
    })
    .refine((b) => [b.specimenId, b.specimenCode, b.personId].filter(Boolean).length === 1, {
      path: ['specimenId'],
      message: 'Cần đúng một trong: specimenId, specimenCode, personId',
    })
    .refine((b) => !b.personId || (b.testType && b.sampledAt), {
      path: ['sampledAt'],
      message: 'Với personId cần testType và sampledAt',
    });

  app.post(
    '/api/v1/results',
    {
      preHandler: requirePermission('tests.write'),
      schema: {
        tags: ['testing'],
        summary:
          'Enter one result; a positive is judged by the F0 definition (case opened or confirmation PCR ordered, commune told)',
        body,
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      const prior = await db.query<ResultRow>(
        `SELECT ${RESULT_COLUMNS} FROM test_results r WHERE r.client_id = $1`,
        [b.clientId],
      );
      if (prior[0]) return reply.status(200).send(presentResult(prior[0], { replay: true }));
      const resultedAt = b.resultedAt ?? new Date().toISOString();
      const siteId = actor.scope.level === 'site' ? (actor.scope.siteId ?? null) : null;
      let input: Parameters<typeof writeResult>[1];
      if (b.personId) {
        const person = await scopedPerson(db, req, actor, b.personId, 'tests.write');
        const t = await db.query('SELECT 1 FROM test_types WHERE code = $1', [b.testType]);
        if (!t[0])
          throw fieldError('testType', `Không có loại xét nghiệm ${b.testType} trong danh mục`);
        if (Date.parse(b.sampledAt!) > Date.now() + 10 * 60_000)
          throw fieldError('sampledAt', 'Thời điểm ở tương lai');
        if (Date.parse(resultedAt) < Date.parse(b.sampledAt!))
          throw fieldError('resultedAt', 'Trả kết quả trước khi lấy mẫu');
        input = {
          personId: person.id,
          testType: b.testType!,
          result: b.result,
          sampledAt: new Date(b.sampledAt!).toISOString(),
          resultedAt,
          source: 'manual',
          naturalKey: `person:${person.id}:${b.testType}:${new Date(b.sampledAt!).toISOString()}`,
          clientId: b.clientId,
          siteId,
          labSiteId: actor.siteKind === 'lab' ? siteId : null,
          symptomatic: b.symptomatic,
          ctValue: b.ctValue ?? null,
        };
      } else {
        const field = b.specimenId ? 'specimenId' : 'specimenCode';
        const s = (
          await db.query<SpecimenRow>(
            `SELECT ${SPECIMEN_COLUMNS} FROM specimens s WHERE ${b.specimenId ? 's.id' : 's.code'} = $1`,
            [b.specimenId ?? b.specimenCode],
          )
        )[0];
        if (!s || !testContains(actor.scope, s)) {
          await audit(db, req, {
            action: 'tests.write',
            resourceType: 'specimen',
            resourceId: b.specimenId ?? b.specimenCode,
            outcome: 'denied',
            reason: s ? 'outside_scope' : 'not_found',
          });
          throw notFound('Mẫu xét nghiệm');
        }
        if (s.status === 'in_pool')
          throw conflict(`Mẫu ${s.code} đang trong mẫu gộp: nhập kết quả của mẫu gộp`, [
            { path: field, message: 'Đang trong mẫu gộp' },
          ]);
        if (Date.parse(resultedAt) < new Date(s.sampled_at).getTime())
          throw fieldError('resultedAt', 'Trả kết quả trước khi lấy mẫu');
        // A member of a positive pool whose retest is on a new sample: its own result closes
        // nothing (RULES.md, pooled samples; issue 13).
        if (s.status === 'rejected')
          throw conflict(`Mẫu ${s.code} đã được thay bằng mẫu mới: nhập kết quả của mẫu mới`, [
            { path: field, message: 'Mẫu đã được thay' },
          ]);
        // A member of a positive pool: this result is its retest — once, whatever the client id
        // (a repeat finds the same natural key; a different result is a conflict, not a second
        // result).
        let orderId = s.order_id;
        const retest = await db.query<{ retest_order_id: string }>(
          `SELECT m.retest_order_id FROM pool_members m JOIN test_orders o ON o.id = m.retest_order_id
            WHERE m.specimen_id = $1 ORDER BY o.created_at DESC LIMIT 1`,
          [s.id],
        );
        if (retest[0]) orderId = retest[0].retest_order_id;
        const existing = await db.query<ResultRow>(
          `SELECT ${RESULT_COLUMNS} FROM test_results r WHERE r.specimen_id = $1 AND r.order_id = $2
            ORDER BY r.created_at DESC LIMIT 1`,
          [s.id, orderId],
        );
        const prior = existing[0];
        if (prior && prior.result !== b.result && prior.result !== 'invalid')
          throw conflict(
            `Mẫu ${s.code} đã có kết quả ${RESULT_LABELS[prior.result].vi.toLowerCase()}`,
            [{ path: field, message: 'Đã có kết quả' }],
          );
        input = {
          personId: s.person_id,
          testType: s.test_type,
          result: b.result,
          sampledAt: iso(s.sampled_at)!,
          resultedAt,
          specimenId: s.id,
          specimenCode: s.code,
          orderId,
          source: 'manual',
          // an invalid result is repeated: the next one is a new result, not a replay
          naturalKey:
            prior?.result === 'invalid' && b.result !== 'invalid'
              ? `specimen:${s.id}:${orderId}:after:${prior.id}`
              : `specimen:${s.id}:${orderId}`,
          clientId: b.clientId,
          siteId: s.site_id,
          labSiteId: s.lab_site_id ?? (actor.siteKind === 'lab' ? siteId : null),
          symptomatic: b.symptomatic,
          ctValue: b.ctValue ?? null,
        };
      }
      const rulesets = await opts.f0.get();
      const r = await db.tx(async (q) => {
        const w = await writeResult(q, input, { actorId: actor.id, rulesets });
        if (w.created)
          await audit(q, req, {
            action: 'tests.write',
            resourceType: 'test_result',
            resourceId: w.row.id,
            outcome: 'allowed',
            detail: { personId: w.row.person_id, result: w.row.result, f0: w.row.f0_rule_id },
          });
        return w;
      });
      const p = (
        await db.query<{ full_name: string; birth_year: number }>(
          'SELECT full_name, birth_year FROM persons WHERE id = $1',
          [r.row.person_id],
        )
      )[0]!;
      return reply.status(r.created ? 201 : 200).send(
        presentResult(r.row, {
          person: { fullName: p.full_name, birthYear: p.birth_year },
          resultLabel: RESULT_LABELS[r.row.result],
          ...(r.created ? {} : { replay: true }),
        }),
      );
    },
  );

  app.get(
    '/api/v1/results/:id',
    {
      preHandler: requirePermission('tests.read'),
      schema: { tags: ['testing'], params: z.object({ id: z.uuid() }) },
    },
    async (req) => {
      const r = await loadTestScoped(req, {
        action: 'tests.read',
        resourceType: 'test_result',
        id: req.params.id,
        label: 'Kết quả xét nghiệm',
        load: async () =>
          (
            await db.query<ResultRow>(
              `SELECT ${RESULT_COLUMNS} FROM test_results r WHERE r.id = $1`,
              [req.params.id],
            )
          )[0],
      });
      const p = (
        await db.query<{ full_name: string; birth_year: number }>(
          'SELECT full_name, birth_year FROM persons WHERE id = $1',
          [r.person_id],
        )
      )[0]!;
      return presentResult(r, {
        person: { fullName: p.full_name, birthYear: p.birth_year },
        resultLabel: RESULT_LABELS[r.result],
      });
    },
  );

  app.get(
    '/api/v1/results',
    {
      preHandler: requirePermission('tests.read'),
      schema: {
        tags: ['testing'],
        summary: 'Results in your area (a site: its own), by sample date, newest first',
        querystring: z.object({
          date: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/)
            .optional()
            .describe('Sample date (Vietnam time)'),
          result: z.enum(RESULT_VALUES).optional(),
          importId: z.uuid().optional(),
          personId: z.uuid().optional(),
          ...pageQuery,
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const params: unknown[] = [];
      const where = [testScope(actor.scope, params, 'r')];
      const qy = req.query;
      if (qy.date) where.push(`r.sample_date = $${params.push(qy.date)}`);
      if (qy.result) where.push(`r.result = $${params.push(qy.result)}`);
      if (qy.importId) where.push(`r.import_id = $${params.push(qy.importId)}`);
      if (qy.personId) where.push(`r.person_id = $${params.push(qy.personId)}`);
      const after = decodeCursor(qy.cursor, ['date', 'timestamp', 'uuid']);
      if (after) {
        params.push(after[0], after[1], after[2]);
        where.push(
          `(r.sample_date, r.sampled_at, r.id) < ($${params.length - 2}::date, $${params.length - 1}::timestamptz, $${params.length}::uuid)`,
        );
      }
      params.push(qy.limit + 1);
      const rows = await db.query<ResultRow & { full_name: string; birth_year: number }>(
        `SELECT ${RESULT_COLUMNS}, p.full_name, p.birth_year FROM test_results r JOIN persons p ON p.id = r.person_id
          WHERE ${where.join(' AND ')} ORDER BY r.sample_date DESC, r.sampled_at DESC, r.id DESC LIMIT $${params.length}`,
        params,
      );
      const pg = page(rows, qy.limit, (r) => [r.sample_date, iso(r.sampled_at)!, r.id]);
      await audit(db, req, {
        action: 'tests.read',
        resourceType: 'test_result',
        outcome: 'allowed',
        detail: { count: pg.items.length, subjects: subjectIds(pg.items) },
      });
      return {
        items: pg.items.map((r) =>
          presentResult(r, {
            person: { fullName: r.full_name, birthYear: r.birth_year },
            resultLabel: RESULT_LABELS[r.result],
          }),
        ),
        nextCursor: pg.nextCursor,
      };
    },
  );
}
