import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { denyBodyId } from '../scoped-ids.ts';
import { z } from 'zod';
import {
  planPoolResult,
  poolProgress,
  POOL_MAX,
  POOL_MIN,
  SPECIMEN_CODE_ALPHABET,
  type ResultValue,
} from '../../domain/testing.ts';
import { randomInt } from 'node:crypto';
import { audit, requireActor, requirePermission, scopePredicate } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { AppError, conflict, fieldError } from '../errors.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { writeResult } from './apply.ts';
import { admitPool, checkPoolResultTime } from './pool-rules.ts';
import type { F0Cache } from './rulesets.ts';
import { loadTestScoped } from './scope.ts';

const iso = (d: string | Date | null) => (d === null ? null : new Date(d).toISOString());

interface PoolRow {
  id: string;
  code: string;
  lab_site_id: string;
  test_type: string;
  size: number;
  status: string;
  result: 'negative' | 'positive' | null;
  retest_mode: string | null;
  resulted_at: string | Date | null;
  province_code: string;
  district_code: string;
  commune_code: string;
  created_at: string | Date;
  site_id: null;
  declared_size: number | null;
  decision: { ruleSetId: string; ruleId: string; explanation: { vi: string; en: string } } | null;
}
const POOL_COLUMNS = `p.id, p.code, p.lab_site_id, p.test_type, p.size, p.status, p.result, p.retest_mode, p.resulted_at,
  p.province_code, p.district_code, p.commune_code, p.created_at, NULL::uuid AS site_id, p.declared_size, p.decision`;

async function poolDetail(q: Queryable, p: PoolRow) {
  const members = await q.query<{
    specimen_id: string;
    position: number;
    outcome: ResultValue | null;
    retest_order_id: string | null;
    code: string;
    person_id: string;
    full_name: string;
    birth_year: number;
    commune_code: string;
    retest_status: string | null;
  }>(
    `SELECT m.specimen_id, m.position, m.outcome, m.retest_order_id, s.code, s.person_id, pe.full_name, pe.birth_year,
       s.commune_code, o.status AS retest_status
       FROM pool_members m JOIN specimens s ON s.id = m.specimen_id JOIN persons pe ON pe.id = s.person_id
       LEFT JOIN test_orders o ON o.id = m.retest_order_id
      WHERE m.pool_id = $1 ORDER BY m.position`,
    [p.id],
  );
  const progress = poolProgress(
    { result: p.result, resultedAt: iso(p.resulted_at) },
    members.map((m) => ({
      specimenId: m.specimen_id,
      outcome: m.outcome,
      retestOrderId: m.retest_order_id,
    })),
    Date.now(),
  );
  return {
    id: p.id,
    code: p.code,
    labSiteId: p.lab_site_id,
    testType: p.test_type,
    size: p.size,
    // the size the lab declared (gộp 5 / gộp 10) and the pooling rule that admitted it
    declaredSize: p.declared_size,
    decision: p.decision,
    status: p.status,
    result: p.result,
    retestMode: p.retest_mode,
    resultedAt: iso(p.resulted_at),
    createdAt: iso(p.created_at),
    progress,
    members: members.map((m) => ({
      position: m.position,
      specimenId: m.specimen_id,
      specimenCode: m.code,
      personId: m.person_id,
      person: { fullName: m.full_name, birthYear: m.birth_year },
      communeCode: m.commune_code,
      outcome: m.outcome,
      retestOrderId: m.retest_order_id,
      retestStatus: m.retest_status,
      overdue: progress.overdue.includes(m.specimen_id),
    })),
  };
}

export async function poolRoutes(server: FastifyInstance, opts: { f0: F0Cache }) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  const loadPool = (req: FastifyRequest, id: string, action: 'tests.read' | 'pools.write') =>
    loadTestScoped(req, {
      action,
      resourceType: 'pool',
      id,
      label: 'Mẫu gộp',
      auditAllowed: action === 'tests.read',
      load: async () =>
        (await db.query<PoolRow>(`SELECT ${POOL_COLUMNS} FROM pools p WHERE p.id = $1`, [id]))[0],
    });

  app.post(
    '/api/v1/pools',
    {
      preHandler: requirePermission('pools.write'),
      schema: {
        tags: ['testing'],
        summary: `Pool ${POOL_MIN}–${POOL_MAX} specimens of your lab (gộp mẫu, usually 5 or 10); a specimen is in at most one open pool`,
        body: z
          .object({
            clientId: z.uuid().describe('Idempotency key'),
            specimenIds: z.array(z.uuid()).min(POOL_MIN).max(POOL_MAX).optional(),
            specimenCodes: z
              .array(z.string().trim().toUpperCase().min(3).max(40))
              .min(POOL_MIN)
              .max(POOL_MAX)
              .optional(),
            declaredSize: z
              .number()
              .int()
              .optional()
              .describe(
                'The declared pool size (gộp 5 / gộp 10); default: the smallest that holds them',
              ),
          })
          .refine((b) => !!b.specimenIds !== !!b.specimenCodes, {
            path: ['specimenIds'],
            message: 'Cần specimenIds hoặc specimenCodes',
          }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      const lab = actor.scope.siteId!;
      const prior = await db.query<PoolRow>(
        `SELECT ${POOL_COLUMNS} FROM pools p WHERE p.client_id = $1`,
        [b.clientId],
      );
      if (prior[0])
        return reply.status(200).send({ ...(await poolDetail(db, prior[0])), replay: true });
      const keys = b.specimenIds ?? b.specimenCodes!;
      const field = b.specimenIds ? 'specimenIds' : 'specimenCodes';
      if (new Set(keys).size !== keys.length) throw fieldError(field, 'Một mẫu có mặt hai lần');
      const specimens = await db.query<{
        id: string;
        code: string;
        status: string;
        lab_site_id: string | null;
        test_type: string;
        poolable: boolean;
      }>(
        `SELECT s.id, s.code, s.status, s.lab_site_id, s.test_type, t.poolable FROM specimens s JOIN test_types t ON t.code = s.test_type
          WHERE ${b.specimenIds ? 's.id' : 's.code'} = ANY($1)`,
        [keys],
      );
      const byKey = new Map(specimens.map((s) => [b.specimenIds ? s.id : s.code, s]));
      for (const [i, k] of keys.entries()) {
        const s = byKey.get(k);
        // Not found and another lab's specimen read the same: nothing about others' samples leaks.
        if (!s || (s.lab_site_id !== null && s.lab_site_id !== lab))
          throw await denyBodyId(
            req,
            {
              action: 'pools.write',
              resourceType: 'specimen',
              id: k,
              field: `${field}.${i}`,
              found: !!s,
            },
            'Mẫu',
          );
        if (!s.poolable)
          throw fieldError(`${field}.${i}`, `Mẫu ${s.code}: loại xét nghiệm không gộp được`);
        if (s.status === 'in_pool')
          throw conflict(`Mẫu ${s.code} đang ở trong một mẫu gộp chưa có kết quả`, [
            { path: `${field}.${i}`, message: 'Đang ở mẫu gộp khác' },
          ]);
        if (s.status !== 'collected')
          throw fieldError(
            `${field}.${i}`,
            `Mẫu ${s.code} đã có kết quả hoặc đang chờ xét nghiệm lại`,
          );
      }
      const types = new Set(specimens.map((s) => s.test_type));
      if (types.size > 1) throw fieldError(field, 'Các mẫu phải cùng loại xét nghiệm');
      const admitted = await admitPool(
        db,
        keys.map((k) => byKey.get(k)!.id),
        b.declaredSize,
        field,
      );
      const labSite = (
        await db.query<{ province_code: string; district_code: string; commune_code: string }>(
          'SELECT province_code, district_code, commune_code FROM sites WHERE id = $1',
          [lab],
        )
      )[0]!;
      try {
        const pool = await db.tx(async (q) => {
          const code =
            'GM' + Array.from({ length: 10 }, () => SPECIMEN_CODE_ALPHABET[randomInt(32)]).join('');
          const p = (
            await q.query<PoolRow>(
              `INSERT INTO pools AS p (code, lab_site_id, test_type, size, province_code, district_code, commune_code, client_id,
                 created_by, declared_size, decision)
               VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING ${POOL_COLUMNS}`,
              [
                code,
                lab,
                [...types][0],
                keys.length,
                labSite.province_code,
                labSite.district_code,
                labSite.commune_code,
                b.clientId,
                actor.id,
                admitted.declaredSize,
                JSON.stringify(admitted.decision),
              ],
            )
          )[0]!;
          const ids = keys.map((k) => byKey.get(k)!.id);
          await q.query(
            `INSERT INTO pool_members (pool_id, specimen_id, position) SELECT $1, id, ord FROM unnest($2::uuid[]) WITH ORDINALITY AS u(id, ord)`,
            [p.id, ids],
          );
          const moved = await q.query(
            `UPDATE specimens SET status = 'in_pool', lab_site_id = $2 WHERE id = ANY($1) AND status = 'collected' RETURNING id`,
            [ids, lab],
          );
          if (moved.length !== ids.length)
            throw conflict('Một mẫu vừa được gộp ở nơi khác; thử lại', [
              { path: field, message: 'Đã thay đổi' },
            ]);
          await audit(q, req, {
            action: 'pools.write',
            resourceType: 'pool',
            resourceId: p.id,
            outcome: 'allowed',
            detail: { size: ids.length },
          });
          return p;
        });
        return reply.status(201).send(await poolDetail(db, pool));
      } catch (err) {
        if ((err as { code?: string }).code === '23505')
          throw conflict('Mẫu đang ở trong một mẫu gộp chưa có kết quả', [
            { path: field, message: 'Đang ở mẫu gộp khác' },
          ]);
        throw err;
      }
    },
  );

  app.post(
    '/api/v1/pools/:id/result',
    {
      preHandler: requirePermission('pools.write'),
      schema: {
        tags: ['testing'],
        summary:
          'Result of a pool: negative → every member negative; positive → an individual retest ordered for every member (same specimen or a new sample)',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          result: z.enum(['negative', 'positive']),
          resultedAt: z.iso.datetime({ offset: true }).optional().describe('Default now'),
          retestMode: z.enum(['same_specimen', 'new_sample']).default('same_specimen'),
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const pool = await loadPool(req, req.params.id, 'pools.write');
      const b = req.body;
      if (pool.result) {
        if (pool.result === b.result) return { ...(await poolDetail(db, pool)), replay: true };
        throw conflict(
          `Mẫu gộp đã có kết quả ${pool.result === 'positive' ? 'dương tính' : 'âm tính'}`,
          [{ path: 'result', message: 'Đã có kết quả' }],
        );
      }
      const resultedAt = b.resultedAt ?? new Date().toISOString();
      await checkPoolResultTime(db, pool.id, resultedAt);
      const rulesets = await opts.f0.get();
      const updated = await db.tx(async (q) => {
        const locked = await q.query<{ id: string }>(
          `UPDATE pools SET result = $2, resulted_at = $3, retest_mode = $4, status = $5 WHERE id = $1 AND result IS NULL RETURNING id`,
          [
            pool.id,
            b.result,
            resultedAt,
            b.result === 'positive' ? b.retestMode : null,
            b.result === 'negative' ? 'negative' : 'awaiting_retests',
          ],
        );
        if (!locked[0])
          throw new AppError(409, 'conflict', 'Mẫu gộp vừa có kết quả', [
            { path: 'result', message: 'Đã có kết quả' },
          ]);
        const members = await q.query<{
          specimen_id: string;
          order_id: string;
          person_id: string;
          code: string;
          sampled_at: Date | string;
          commune_code: string;
          province_code: string;
          district_code: string;
          site_id: string | null;
        }>(
          `SELECT m.specimen_id, s.order_id, s.person_id, s.code, s.sampled_at, s.commune_code, s.province_code, s.district_code, s.site_id
             FROM pool_members m JOIN specimens s ON s.id = m.specimen_id WHERE m.pool_id = $1 ORDER BY m.position`,
          [pool.id],
        );
        const plan = planPoolResult(
          b.result,
          members.map((m) => m.specimen_id),
          b.retestMode,
        );
        await q.query('UPDATE pool_members SET open = false WHERE pool_id = $1', [pool.id]);
        if (plan.kind === 'all_negative') {
          await q.query(`UPDATE pool_members SET outcome = 'negative' WHERE pool_id = $1`, [
            pool.id,
          ]);
          await q.query(`UPDATE specimens SET status = 'collected' WHERE id = ANY($1)`, [
            members.map((m) => m.specimen_id),
          ]);
          for (const m of members)
            await writeResult(
              q,
              {
                personId: m.person_id,
                testType: pool.test_type,
                result: 'negative',
                sampledAt: iso(m.sampled_at)!,
                resultedAt,
                specimenId: m.specimen_id,
                specimenCode: m.code,
                orderId: m.order_id,
                source: 'pool',
                naturalKey: `pool:${pool.id}:${m.specimen_id}`,
                siteId: m.site_id,
                labSiteId: pool.lab_site_id,
              },
              { actorId: actor.id, rulesets },
            );
        } else {
          for (const m of members) {
            const o = await q.query<{ id: string }>(
              `INSERT INTO test_orders (person_id, test_type, reason, pool_id, status, province_code, district_code, commune_code,
                 site_id, lab_site_id, created_by, note)
               VALUES ($1,$2,'pool_retest',$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`,
              [
                m.person_id,
                pool.test_type,
                pool.id,
                b.retestMode === 'same_specimen' ? 'sampled' : 'ordered',
                m.province_code,
                m.district_code,
                m.commune_code,
                m.site_id,
                pool.lab_site_id,
                actor.id,
                `Mẫu gộp ${pool.code} dương tính: xét nghiệm lại đơn`,
              ],
            );
            await q.query(
              'UPDATE pool_members SET retest_order_id = $3 WHERE pool_id = $1 AND specimen_id = $2',
              [pool.id, m.specimen_id, o[0]!.id],
            );
            await q.query(
              `UPDATE test_orders SET status = 'sampled', updated_at = now() WHERE id = $1`,
              [m.order_id],
            );
          }
          await q.query(`UPDATE specimens SET status = $2 WHERE id = ANY($1)`, [
            members.map((m) => m.specimen_id),
            b.retestMode === 'same_specimen' ? 'awaiting_retest' : 'rejected',
          ]);
        }
        await audit(q, req, {
          action: 'pools.write',
          resourceType: 'pool',
          resourceId: pool.id,
          outcome: 'allowed',
          detail: { result: b.result },
        });
        return (
          await q.query<PoolRow>(`SELECT ${POOL_COLUMNS} FROM pools p WHERE p.id = $1`, [pool.id])
        )[0]!;
      });
      return poolDetail(db, updated);
    },
  );

  app.get(
    '/api/v1/pools/:id',
    {
      preHandler: requirePermission('tests.read'),
      schema: {
        tags: ['testing'],
        summary: 'A pool with its members, retests and overdue ones',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (req) => poolDetail(db, await loadPool(req, req.params.id, 'tests.read')),
  );

  app.get(
    '/api/v1/pools',
    {
      preHandler: requirePermission('tests.read'),
      schema: {
        tags: ['testing'],
        summary: 'Pools of your lab (area users: of the labs in their area), newest first',
        querystring: z.object({
          status: z.enum(['open', 'negative', 'awaiting_retests', 'resolved']).optional(),
          ...pageQuery,
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const params: unknown[] = [];
      const where: string[] = [];
      if (actor.scope.level === 'site')
        where.push(`p.lab_site_id = $${params.push(actor.scope.siteId)}`);
      else {
        where.push(scopePredicate(actor.scope, params, 'p'));
      }
      if (req.query.status) where.push(`p.status = $${params.push(req.query.status)}`);
      const after = decodeCursor(req.query.cursor, ['timestamp', 'uuid']);
      if (after) {
        params.push(after[0], after[1]);
        where.push(
          `(p.created_at, p.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
        );
      }
      params.push(req.query.limit + 1);
      const rows = await db.query<PoolRow & { pending: number }>(
        `SELECT ${POOL_COLUMNS}, (SELECT count(*)::int FROM pool_members m WHERE m.pool_id = p.id AND p.result = 'positive'
            AND (m.outcome IS NULL OR m.outcome = 'invalid')) AS pending
           FROM pools p WHERE ${where.join(' AND ')} ORDER BY p.created_at DESC, p.id DESC LIMIT $${params.length}`,
        params,
      );
      const pg = page(rows, req.query.limit, (r) => [iso(r.created_at)!, r.id]);
      return {
        items: pg.items.map((p) => ({
          id: p.id,
          code: p.code,
          labSiteId: p.lab_site_id,
          testType: p.test_type,
          size: p.size,
          status: p.status,
          result: p.result,
          resultedAt: iso(p.resulted_at),
          pendingRetests: p.pending,
          createdAt: iso(p.created_at),
        })),
        nextCursor: pg.nextCursor,
      };
    },
  );
}
