import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actionsOf, isRole } from '../../domain/access.ts';
import { ROLE_LABELS } from '../../domain/labels.ts';
import { audit, requireActor } from '../context.ts';
import { AppError, unauthorized } from '../errors.ts';
import { placeLabel } from '../geo/units.ts';
import { LOGIN_POLICY } from '../../domain/throttle.ts';
import {
  subjectHash,
  throttleReserve,
  throttleReset,
  tooManyAttempts,
  type ThrottleKey,
} from '../security/throttle.ts';
import { accountRoutes } from './account.ts';
import { loginBlockRoutes } from './blocks.ts';
import {
  DEMO_PASSWORD,
  DUMMY_HASH,
  hashPassword,
  needsRehash,
  verifyPassword,
} from './passwords.ts';
import {
  actorFromRow,
  createSession,
  destroySession,
  purgeSessions,
  SESSION_COOKIE,
  type UserRow,
} from './sessions.ts';

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
      // Issue 10: failures count per (username, client), never per account for everyone, so
      // nobody can lock another user out by typing their name; the counter resets on success.
      const key: ThrottleKey = {
        kind: 'login',
        subject: subjectHash(username.toLowerCase()),
        client: req.ip,
      };
      // The attempt is counted before the password is checked (item 6): requests sent together
      // cannot all pass a count read before any of them failed.
      const wait = await throttleReserve(db, key, LOGIN_POLICY);
      const rows = await db.query<
        UserRow & { password_hash: string; disabled: boolean; must_change_password: boolean }
      >(
        `SELECT u.id, u.username, u.full_name, u.role, u.scope_level, u.province_code, u.district_code, u.commune_code,
                u.village_id, u.site_id, st.kind AS site_kind, u.password_hash, u.disabled, u.must_change_password
           FROM users u LEFT JOIN sites st ON st.id = u.site_id WHERE lower(u.username) = lower($1)`,
        [username],
      );
      const u = rows[0];
      const actor = u ? actorFromRow(u) : null;
      const deny = async (reason: string) =>
        audit(db, req, {
          action: 'auth.login',
          resourceType: 'user',
          // Not the typed name of an unknown user: it may be a password typed in the wrong box.
          resourceId: u?.id ?? null,
          outcome: 'denied',
          reason,
          actor,
        });
      if (wait > 0) {
        await deny('throttled');
        reply.header('retry-after', String(wait));
        throw tooManyAttempts(wait);
      }
      // An unknown user costs the same scrypt as a known one: the time does not tell them apart.
      const ok = await verifyPassword(password, u?.password_hash ?? DUMMY_HASH);
      if (!u || !ok || u.disabled) {
        await deny(!u ? 'unknown_user' : !ok ? 'wrong_password' : 'disabled');
        throw unauthorized('Sai tên đăng nhập hoặc mật khẩu');
      }
      await throttleReset(db, key);
      // Issue 10, item 13: the demo accounts' password is printed in the README; outside demo
      // mode (EPIGUARD_DEMO=on) it opens nothing.
      if (!app.config.demo && password === DEMO_PASSWORD) {
        await deny('known_password');
        throw new AppError(
          403,
          'known_password',
          'Mật khẩu demo công khai chỉ dùng được ở chế độ demo; quản trị viên cần đặt mật khẩu mới cho tài khoản này',
        );
      }
      // A hash made with older, weaker parameters is made again now that we know the password.
      const rehash = needsRehash(u.password_hash) ? await hashPassword(password) : null;
      await db.query(
        `UPDATE users SET failed_logins = 0, locked_until = NULL,
           password_hash = coalesce($2, password_hash) WHERE id = $1`,
        [u.id, rehash],
      );
      // Issue 10, item 8: sessions past their lifetime or idle time go at each login.
      await purgeSessions(db, app.config.sessionIdleMinutes);
      const session = await createSession(db, u.id, opts.sessionHours, req);
      req.actor = { ...actor!, mustChangePassword: u.must_change_password };
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
        // EPIGUARD_SECURE_COOKIES=on: the cookie is sent only over HTTPS, whatever the request.
        secure: app.config.secureCookies,
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
      mustChangePassword: !!actor.mustChangePassword,
    };
  };

  app.get(
    '/api/v1/me',
    {
      schema: { tags: ['auth'], summary: 'The logged-in user, their jurisdiction and permissions' },
    },
    me,
  );

  await app.register(loginBlockRoutes);
  await app.register(accountRoutes);
}
