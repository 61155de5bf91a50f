import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LOGIN_POLICY } from '../../domain/throttle.ts';
import { audit, requireActor } from '../context.ts';
import { fieldError, notFound } from '../errors.ts';
import {
  subjectHash,
  throttleReserve,
  throttleReset,
  tooManyAttempts,
  type ThrottleKey,
} from '../security/throttle.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { forgetSession, forgetSessions, hashToken, SESSION_COOKIE } from './sessions.ts';

/**
 * Issue 10, item 8: a user changes their own password (giving the current one) and sees and
 * ends their own sessions.
 */
export async function accountRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  const currentHash = (req: { cookies: Record<string, string | undefined> }) => {
    const token = req.cookies[SESSION_COOKIE];
    return token ? hashToken(token) : '';
  };

  app.post(
    '/api/v1/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change your own password; your other sessions end',
        body: z.object({
          currentPassword: z.string().min(1, 'Mật khẩu hiện tại: bắt buộc').max(200),
          newPassword: z.string().max(200, 'Mật khẩu mới: tối đa 200 ký tự'),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const { currentPassword, newPassword } = req.body;
      // Guessing the current password from a stolen session is throttled like a login.
      const key: ThrottleKey = {
        kind: 'login',
        subject: subjectHash(`password-change:${actor.id}`),
        client: req.ip,
      };
      const deny = (reason: string) =>
        audit(db, req, {
          action: 'auth.password_change',
          resourceType: 'user',
          resourceId: actor.id,
          outcome: 'denied',
          reason,
        });
      const wait = await throttleReserve(db, key, LOGIN_POLICY);
      if (wait > 0) {
        await deny('throttled');
        reply.header('retry-after', String(wait));
        throw tooManyAttempts(wait);
      }
      const [u] = await db.query<{ password_hash: string }>(
        'SELECT password_hash FROM users WHERE id = $1',
        [actor.id],
      );
      if (!u || !(await verifyPassword(currentPassword, u.password_hash))) {
        await deny('wrong_password');
        throw fieldError('currentPassword', 'Mật khẩu hiện tại không đúng');
      }
      await throttleReset(db, key);
      const problem = passwordProblem(newPassword, actor.username, 'Mật khẩu mới');
      if (problem) throw fieldError('newPassword', problem);
      if (newPassword === currentPassword)
        throw fieldError('newPassword', 'Mật khẩu mới: phải khác mật khẩu hiện tại');
      const hash = await hashPassword(newPassword);
      const ended = await db.tx(async (q) => {
        await q.query(
          `UPDATE users SET password_hash = $2, must_change_password = false, updated_at = now()
            WHERE id = $1`,
          [actor.id, hash],
        );
        const gone = await q.query(
          'DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2 RETURNING id',
          [actor.id, currentHash(req)],
        );
        await audit(q, req, {
          action: 'auth.password_change',
          resourceType: 'user',
          resourceId: actor.id,
          outcome: 'allowed',
          detail: { otherSessionsEnded: gone.length },
        });
        return gone.length;
      });
      forgetSessions(db);
      return { otherSessionsEnded: ended };
    },
  );

  app.get(
    '/api/v1/auth/sessions',
    { schema: { tags: ['auth'], summary: 'Your own live sessions, the latest used first' } },
    async (req) => {
      const actor = requireActor(req);
      const rows = await db.query<{
        id: string;
        created_at: Date | string;
        last_seen_at: Date | string;
        ip: string | null;
        user_agent: string | null;
        current: boolean;
      }>(
        `SELECT id, created_at, last_seen_at, ip, user_agent, token_hash = $2 AS current
           FROM sessions
          WHERE user_id = $1 AND expires_at > now() AND last_seen_at > now() - make_interval(mins => $3)
          ORDER BY last_seen_at DESC, id LIMIT 100`,
        [actor.id, currentHash(req), app.config.sessionIdleMinutes],
      );
      return {
        items: rows.map((r) => ({
          id: r.id,
          createdAt: new Date(r.created_at).toISOString(),
          lastSeenAt: new Date(r.last_seen_at).toISOString(),
          ip: r.ip,
          userAgent: r.user_agent,
          current: r.current,
        })),
      };
    },
  );

  app.delete(
    '/api/v1/auth/sessions/:id',
    {
      schema: {
        tags: ['auth'],
        summary: 'End one of your own sessions',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const rows = await db.query<{ token_hash: string }>(
        'DELETE FROM sessions WHERE id = $1 AND user_id = $2 RETURNING token_hash',
        [req.params.id, actor.id],
      );
      await audit(db, req, {
        action: 'auth.session_end',
        resourceType: 'session',
        resourceId: req.params.id,
        outcome: rows[0] ? 'allowed' : 'denied',
        reason: rows[0] ? undefined : 'not_own_session',
      });
      if (!rows[0]) throw notFound('Phiên đăng nhập');
      forgetSession(db, rows[0].token_hash);
      if (rows[0].token_hash === currentHash(req)) reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );
}
