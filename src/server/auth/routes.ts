import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actionsOf, isRole } from '../../domain/access.ts';
import { ROLE_LABELS } from '../../domain/labels.ts';
import { audit, requireActor } from '../context.ts';
import { AppError, unauthorized } from '../errors.ts';
import { placeLabel } from '../geo/units.ts';
import { verifyPassword } from './passwords.ts';
import {
  actorFromRow,
  createSession,
  destroySession,
  SESSION_COOKIE,
  type UserRow,
} from './sessions.ts';

/** After this many wrong passwords in a row the account is locked for LOCK_MINUTES. */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

// A hash to compare against when the user does not exist, so timing does not tell.
const DUMMY_HASH =
  'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export async function authRoutes(server: FastifyInstance, opts: { sessionHours: number }) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.post(
    '/api/v1/auth/login',
    {
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Log in; sets an httpOnly session cookie',
        body: z.object({
          username: z.string().trim().min(1, 'Bắt buộc').max(80),
          password: z.string().min(1, 'Bắt buộc').max(200),
        }),
      },
    },
    async (req, reply) => {
      const { username, password } = req.body;
      const rows = await db.query<
        UserRow & {
          password_hash: string;
          disabled: boolean;
          locked_until: Date | string | null;
          failed_logins: number;
        }
      >(
        `SELECT u.id, u.username, u.full_name, u.role, u.scope_level, u.province_code, u.district_code, u.commune_code,
                u.village_id, u.site_id, st.kind AS site_kind, u.password_hash, u.disabled, u.locked_until, u.failed_logins
           FROM users u LEFT JOIN sites st ON st.id = u.site_id WHERE lower(u.username) = lower($1)`,
        [username],
      );
      const u = rows[0];
      const ok = await verifyPassword(password, u?.password_hash ?? DUMMY_HASH);
      const actor = u ? actorFromRow(u) : null;
      const fail = async (reason: string) => {
        await audit(db, req, {
          action: 'auth.login',
          resourceType: 'user',
          resourceId: u?.id ?? username,
          outcome: 'denied',
          reason,
          actor,
        });
        return unauthorized('Sai tên đăng nhập hoặc mật khẩu');
      };
      if (!u) throw await fail('unknown_user');
      if (u.locked_until && new Date(u.locked_until) > new Date()) {
        await audit(db, req, {
          action: 'auth.login',
          resourceType: 'user',
          resourceId: u.id,
          outcome: 'denied',
          reason: 'locked',
          actor,
        });
        throw new AppError(
          429,
          'locked',
          `Tài khoản tạm khóa do đăng nhập sai nhiều lần; thử lại sau ${LOCK_MINUTES} phút`,
        );
      }
      if (!ok) {
        await db.query(
          `UPDATE users SET failed_logins = failed_logins + 1,
             locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
           WHERE id = $1`,
          [u.id, MAX_FAILED_LOGINS, LOCK_MINUTES],
        );
        throw await fail('wrong_password');
      }
      if (u.disabled) throw await fail('disabled');
      await db.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1', [
        u.id,
      ]);
      const session = await createSession(db, u.id, opts.sessionHours, req);
      req.actor = actor!;
      await audit(db, req, {
        action: 'auth.login',
        resourceType: 'user',
        resourceId: u.id,
        outcome: 'allowed',
      });
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: 'auto',
        expires: session.expires,
      });
      return { user: await me(req) };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { schema: { tags: ['auth'], summary: 'End the session' } },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await destroySession(db, token);
      if (req.actor)
        await audit(db, req, {
          action: 'auth.logout',
          resourceType: 'user',
          resourceId: req.actor.id,
          outcome: 'allowed',
        });
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  const me = async (req: Parameters<typeof requireActor>[0]) => {
    const actor = requireActor(req);
    if (!isRole(actor.role)) throw unauthorized();
    return {
      id: actor.id,
      username: actor.username,
      fullName: actor.fullName,
      role: actor.role,
      roleLabel: ROLE_LABELS[actor.role].vi,
      roleLabels: ROLE_LABELS[actor.role],
      scope: {
        level: actor.scope.level,
        provinceCode: actor.scope.provinceCode,
        districtCode: actor.scope.districtCode ?? null,
        communeCode: actor.scope.communeCode ?? null,
        villageId: actor.scope.villageId ?? null,
        siteId: actor.scope.siteId ?? null,
      },
      scopeLabel: await placeLabel(db, actor.scope),
      siteKind: actor.siteKind ?? null,
      permissions: actionsOf(actor.role),
    };
  };

  app.get(
    '/api/v1/me',
    {
      schema: { tags: ['auth'], summary: 'The logged-in user, their jurisdiction and permissions' },
    },
    me,
  );
}
