import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit, requireActor, requirePermission, scopePredicate } from '../context.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { type ListSql, param } from '../lists.ts';
import type { Scope } from '../../domain/access.ts';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày dạng YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(d)), 'Ngày không có thật');

export interface AuditFilters {
  username?: string;
  action?: string;
  outcome?: string;
  resourceType?: string;
  resourceId?: string;
  requestId?: string;
  from?: string;
  to?: string;
  /** a person's id: events naming them as the resource or among the people a list showed */
  subject?: string;
}

const AUDIT_COLUMNS = `e.id, e.at, e.request_id, e.actor_id, e.actor_username, e.actor_role, e.action,
  e.resource_type, e.resource_id, e.outcome, e.reason, e.ip, e.detail`;

/** The unit whose residents' events a scope sees through audit_event_areas (none below a commune). */
function subjectUnit(scope: Scope): string | null {
  if (scope.level === 'district') return scope.districtCode ?? null;
  if (scope.level === 'commune') return scope.communeCode ?? null;
  return null; // the province sees every event by the actor's area already; villages and sites read no trail
}

/**
 * Audit events newest first, in two arms glued with UNION ALL (issue 10, item 9):
 *   1. events of actors in the jurisdiction, through (unit, id DESC) on audit_events;
 *   2. events whose SUBJECTS live in (or are managed by) the jurisdiction, through
 *      audit_event_areas (unit_code, event_id DESC), leaving out what arm 1 found:
 *      a district sees that another district's user read its residents.
 * Each arm orders and limits through its own index; the filters are applied on the way
 * (exported for the plan tests).
 */
export function auditListSql(
  scope: Scope,
  f: AuditFilters,
  after: unknown[] | null,
  limit: number,
): ListSql {
  const params: unknown[] = [];
  const actorArea = scopePredicate(scope, params, 'e');
  const where: string[] = [];
  const eq = (col: string, v: unknown) => {
    if (v !== undefined) where.push(`e.${col} = ${param(params, v)}`);
  };
  if (f.subject) {
    const p = param(params, f.subject);
    where.push(
      `(e.resource_id = ${p} OR (e.detail -> 'subjects') @> jsonb_build_array(${p}::text))`,
    );
  }
  if (f.username)
    where.push(`lower(e.actor_username) = ${param(params, f.username.toLowerCase())}`);
  if (f.action) where.push(`e.action LIKE ${param(params, `${f.action}%`)}`);
  eq('outcome', f.outcome);
  eq('resource_type', f.resourceType);
  eq('resource_id', f.resourceId);
  eq('request_id', f.requestId);
  if (f.from) where.push(`e.at >= ${param(params, f.from)}::date`);
  if (f.to) where.push(`e.at < ${param(params, f.to)}::date + 1`);
  const n = param(params, limit);
  const unit = subjectUnit(scope);
  const byActor = [actorArea, ...where];
  if (after) byActor.push(`e.id < ${param(params, after[0])}`);
  const arms = [
    `(SELECT ${AUDIT_COLUMNS} FROM audit_events e WHERE ${byActor.join(' AND ')} ORDER BY e.id DESC LIMIT ${n})`,
  ];
  if (unit) {
    const bySubject = [`a.unit_code = ${param(params, unit)}`, `NOT coalesce(${actorArea}, false)`];
    if (after) bySubject.push(`a.event_id < ${param(params, after[0])}`);
    arms.push(
      `(SELECT ${AUDIT_COLUMNS} FROM audit_event_areas a JOIN audit_events e ON e.id = a.event_id
         WHERE ${[...bySubject, ...where].join(' AND ')} ORDER BY a.event_id DESC LIMIT ${n})`,
    );
  }
  return {
    sql: `SELECT * FROM (${arms.join(' UNION ALL ')}) page ORDER BY id DESC LIMIT ${n}`,
    params,
  };
}

/** Admins browse the audit events of their jurisdiction (its users' and its residents'), newest first. */
export async function auditRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  app.get(
    '/api/v1/audit-events',
    {
      preHandler: requirePermission('audit.read'),
      schema: {
        tags: ['audit'],
        summary: 'Audit events by users of your jurisdiction or about its residents, newest first',
        querystring: z.object({
          username: z.string().max(80).optional(),
          action: z.string().max(80).optional(),
          outcome: z.enum(['allowed', 'denied']).optional(),
          resourceType: z.string().max(40).optional(),
          resourceId: z.string().max(200).optional(),
          requestId: z.string().max(100).optional(),
          subject: z
            .uuid()
            .optional()
            .describe("A person's id: events that read or changed them, lists that showed them"),
          from: isoDate.optional(),
          to: isoDate.optional(),
          ...pageQuery,
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const f = req.query;
      const list = auditListSql(actor.scope, f, decodeCursor(f.cursor, ['int']), f.limit + 1);
      const rows = await db.query<{
        id: number;
        at: Date | string;
        request_id: string | null;
        actor_id: string | null;
        actor_username: string | null;
        actor_role: string | null;
        action: string;
        resource_type: string;
        resource_id: string | null;
        outcome: string;
        reason: string | null;
        ip: string | null;
        detail: unknown;
      }>(list.sql, list.params);
      const p = page(rows, f.limit, (r) => [Number(r.id)]);
      // Reading the trail is itself on the trail.
      await audit(db, req, {
        action: 'audit.read',
        resourceType: 'audit_events',
        outcome: 'allowed',
        detail: { filters: { ...f, cursor: undefined }, count: p.items.length },
      });
      return {
        items: p.items.map((r) => ({
          id: Number(r.id),
          at: new Date(r.at).toISOString(),
          requestId: r.request_id,
          actorId: r.actor_id,
          actorUsername: r.actor_username,
          actorRole: r.actor_role,
          action: r.action,
          resourceType: r.resource_type,
          resourceId: r.resource_id,
          outcome: r.outcome,
          reason: r.reason,
          ip: r.ip,
          detail: r.detail,
        })),
        nextCursor: p.nextCursor,
      };
    },
  );
}
