import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can, type Scope } from '../../domain/access.ts';
import { areaScope, audit, requireActor, scopePredicate, UUID_RE } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { fieldError, notFound } from '../errors.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { subjectIds } from '../audit/subjects.ts';

/**
 * Notices are held by commune and stamped with the village of the person they name: a village team
 * reads only its own village's notices (issue 10 item 10; notices name F0s and F1s).
 */
async function noticeScope(q: Queryable, scope: Scope): Promise<Scope> {
  if (scope.level === 'village') return scope;
  // A site (a lab, a checkpoint) is not told of its commune's cases: notices name people.
  if (scope.level === 'site') return scope;
  return areaScope(q, scope);
}

/** Notices name people: only roles that work cases, contacts or tests read them. */
function mayReadNotices(req: FastifyRequest) {
  const actor = requireActor(req);
  if (!(['cases.read', 'contacts.read', 'tests.read'] as const).some((a) => can(actor.role, a)))
    throw notFound('Trang');
  return actor;
}

/** The tables a notice may point at; each carries the person it is about. */
const NOTICE_REF_TABLES: Record<string, string> = {
  case: 'cases',
  contact: 'contacts',
  quarantine_order: 'quarantine_orders',
  test_result: 'test_results',
};

/**
 * The people a page of notices names (issue 10 item 9): the persons of the records they point
 * at, for the audit event's `detail.subjects`. One query over at most a page of ids.
 */
export async function noticeSubjects(
  q: Queryable,
  rows: readonly { ref_type: string; ref_id: string }[],
): Promise<string[]> {
  const params: unknown[] = [];
  const arms: string[] = [];
  for (const [type, table] of Object.entries(NOTICE_REF_TABLES)) {
    const ids = rows.filter((r) => r.ref_type === type && UUID_RE.test(r.ref_id));
    if (!ids.length) continue;
    params.push(ids.map((r) => r.ref_id));
    arms.push(`SELECT person_id FROM ${table} WHERE id = ANY($${params.length}::uuid[])`);
  }
  if (!arms.length) return [];
  return subjectIds(await q.query<{ person_id: string }>(arms.join(' UNION '), params));
}

interface NoticeRow {
  id: string;
  kind: string;
  title: { vi: string; en: string };
  ref_type: string;
  ref_id: string;
  commune_code: string | null;
  read_at: Date | string | null;
  created_at: Date | string;
}

export async function noticeRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.get(
    '/api/v1/notices',
    {
      schema: {
        tags: ['notices'],
        summary: 'Notices to your area (new F0, new F1 to reach, results…), newest first',
        querystring: z.object({
          unread: z.enum(['true', 'false']).optional().describe('true: only unread'),
          kind: z.string().max(60).optional().describe('case.new, contact.f1, …'),
          ...pageQuery,
        }),
      },
    },
    async (req) => {
      const actor = mayReadNotices(req);
      const scope = await noticeScope(db, actor.scope);
      const params: unknown[] = [];
      const where = [scopePredicate(scope, params, 'n')];
      if (req.query.unread === 'true') where.push('n.read_at IS NULL');
      if (req.query.kind) {
        params.push(req.query.kind);
        where.push(`n.kind = $${params.length}`);
      }
      const after = decodeCursor(req.query.cursor, 2);
      if (after) {
        if (
          Number.isNaN(Date.parse(String(after[0]))) ||
          typeof after[1] !== 'string' ||
          !UUID_RE.test(after[1])
        )
          throw fieldError('cursor', 'Con trỏ phân trang không hợp lệ');
        params.push(after[0], after[1]);
        where.push(
          `(n.created_at, n.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
        );
      }
      params.push(req.query.limit + 1);
      const rows = await db.query<NoticeRow>(
        `SELECT n.id, n.kind, n.title, n.ref_type, n.ref_id, n.commune_code, n.read_at, n.created_at FROM notices n
          WHERE ${where.join(' AND ')} ORDER BY n.created_at DESC, n.id DESC LIMIT $${params.length}`,
        params,
      );
      const pg = page(rows, req.query.limit, (r) => [new Date(r.created_at).toISOString(), r.id]);
      const p2: unknown[] = [];
      const w2 = scopePredicate(scope, p2, 'n');
      const unread = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM notices n WHERE ${w2} AND n.read_at IS NULL`,
        p2,
      );
      // Notices name people (an F0's name in the title): reading them is on the trail.
      await audit(db, req, {
        action: 'notices.list',
        resourceType: 'notice',
        outcome: 'allowed',
        detail: { count: pg.items.length, subjects: await noticeSubjects(db, pg.items) },
      });
      return {
        items: pg.items.map((n) => ({
          id: n.id,
          kind: n.kind,
          title: n.title,
          ref: { type: n.ref_type, id: n.ref_id },
          communeCode: n.commune_code,
          read: n.read_at !== null,
          createdAt: new Date(n.created_at).toISOString(),
        })),
        unread: unread[0]!.n,
        nextCursor: pg.nextCursor,
      };
    },
  );

  app.post(
    '/api/v1/notices/:id/read',
    {
      schema: {
        tags: ['notices'],
        summary: 'Mark a notice read',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (req) => {
      const actor = mayReadNotices(req);
      const scope = await noticeScope(db, actor.scope);
      const params: unknown[] = [req.params.id, actor.id];
      const r = await db.query<{ id: string }>(
        `UPDATE notices n SET read_at = coalesce(read_at, now()), read_by = coalesce(read_by, $2)
          WHERE n.id = $1 AND ${scopePredicate(scope, params, 'n')} RETURNING id`,
        params,
      );
      if (!r[0]) {
        await audit(db, req, {
          action: 'notices.read',
          resourceType: 'notice',
          resourceId: req.params.id,
          outcome: 'denied',
          reason: 'not_found_or_outside_scope',
        });
        throw notFound('Thông báo');
      }
      await audit(db, req, {
        action: 'notices.read',
        resourceType: 'notice',
        resourceId: r[0].id,
        outcome: 'allowed',
      });
      return { id: r[0].id, read: true };
    },
  );
}
