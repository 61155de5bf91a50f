import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit, loadScoped, requirePermission } from '../context.ts';
import { scopeOfRow, type UserDbRow } from '../users/routes.ts';
import { subjectHash } from '../security/throttle.ts';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/**
 * Issue 10, item 6: an administrator sees which clients are held back from logging in as a user
 * of their jurisdiction (failed attempts, until when) and lifts the hold.
 */
export async function loginBlockRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  const loadUser = (req: Parameters<typeof loadScoped>[0], id: string) =>
    loadScoped(req, {
      action: 'users.manage',
      resourceType: 'user',
      id,
      label: 'Người dùng',
      auditAllowed: false,
      load: async () => {
        const rows = await db.query<UserDbRow>('SELECT * FROM users WHERE id = $1', [id]);
        return rows[0] && { ...scopeOfRow(rows[0]), row: rows[0] };
      },
    });
  const params = z.object({ id: z.uuid() });

  app.get(
    '/api/v1/users/:id/login-blocks',
    {
      preHandler: requirePermission('users.manage'),
      schema: {
        tags: ['users'],
        summary:
          'Clients with failed logins as this user: {items[{client, failures, blockedUntil, lastAt}]}',
        params,
      },
    },
    async (req) => {
      const { row } = await loadUser(req, req.params.id);
      const rows = await db.query<{
        client: string;
        failures: number;
        blocked_until: Date | string | null;
        updated_at: Date | string;
      }>(
        `SELECT client, failures, blocked_until, updated_at FROM throttles
          WHERE kind = 'login' AND subject = $1 ORDER BY updated_at DESC LIMIT 100`,
        [subjectHash(row.username.toLowerCase())],
      );
      await audit(db, req, {
        action: 'users.login_blocks.read',
        resourceType: 'user',
        resourceId: row.id,
        outcome: 'allowed',
      });
      return {
        items: rows.map((r) => ({
          client: r.client,
          failures: r.failures,
          blockedUntil:
            r.blocked_until && new Date(r.blocked_until) > new Date() ? iso(r.blocked_until) : null,
          lastAt: iso(r.updated_at),
        })),
      };
    },
  );

  app.delete(
    '/api/v1/users/:id/login-blocks',
    {
      preHandler: requirePermission('users.manage'),
      schema: { tags: ['users'], summary: 'Lift every login hold on this user (audited)', params },
    },
    async (req, reply) => {
      const { row } = await loadUser(req, req.params.id);
      const gone = await db.query(
        `DELETE FROM throttles WHERE kind = 'login' AND subject = $1 RETURNING client`,
        [subjectHash(row.username.toLowerCase())],
      );
      await audit(db, req, {
        action: 'users.login_blocks.lift',
        resourceType: 'user',
        resourceId: row.id,
        outcome: 'allowed',
        detail: { clients: gone.length },
      });
      return reply.status(204).send();
    },
  );
}
