import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit, requireActor, requirePermission, scopePredicate } from '../context.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày dạng YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(d)), 'Ngày không có thật');

/** Admins browse the audit events of their own jurisdiction, newest first. */
export async function auditRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  app.get(
    '/api/v1/audit-events',
    {
      preHandler: requirePermission('audit.read'),
      schema: {
        tags: ['audit'],
        summary: 'Audit events in your jurisdiction, newest first',
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
      const params: unknown[] = [];
      const where = [scopePredicate(actor.scope, params)];
      const eq = (col: string, v: unknown) => {
        if (v === undefined) return;
        params.push(v);
        where.push(`${col} = $${params.length}`);
      };
      if (f.subject) {
        params.push(f.subject);
        where.push(
          `(resource_id = $${params.length} OR (detail -> 'subjects') @> jsonb_build_array($${params.length}::text))`,
        );
      }
      if (f.username) {
        params.push(f.username.toLowerCase());
        where.push(`lower(actor_username) = $${params.length}`);
      }
      if (f.action) {
        params.push(`${f.action}%`);
        where.push(`action LIKE $${params.length}`);
      }
      eq('outcome', f.outcome);
      eq('resource_type', f.resourceType);
      eq('resource_id', f.resourceId);
      eq('request_id', f.requestId);
      if (f.from) {
        params.push(f.from);
        where.push(`at >= $${params.length}::date`);
      }
      if (f.to) {
        params.push(f.to);
        where.push(`at < $${params.length}::date + 1`);
      }
      const after = decodeCursor(f.cursor, 1);
      if (after) {
        params.push(after[0]);
        where.push(`id < $${params.length}`);
      }
      params.push(f.limit + 1);
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
      }>(
        `SELECT id, at, request_id, actor_id, actor_username, actor_role, action, resource_type, resource_id, outcome, reason, ip, detail
           FROM audit_events WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
        params,
      );
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
