import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { isRole, type Scope, type SiteKind } from '../../domain/access.ts';
import type { Actor } from '../context.ts';
import type { Db } from '../db/index.ts';
import { AppError } from '../errors.ts';

export const SESSION_COOKIE = 'eg_session';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(db: Db, userId: string, hours: number, req: FastifyRequest) {
  const token = randomBytes(32).toString('base64url');
  const expires = new Date(Date.now() + hours * 3600_000);
  await db.query(
    `INSERT INTO sessions (token_hash, user_id, expires_at, ip, user_agent) VALUES ($1,$2,$3,$4,$5)`,
    [
      hashToken(token),
      userId,
      expires.toISOString(),
      req.ip,
      String(req.headers['user-agent'] ?? '').slice(0, 300),
    ],
  );
  return { token, expires };
}

export async function destroySession(db: Db, token: string) {
  const hash = hashToken(token);
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [hash]);
  cacheOf(db).delete(hash);
}

/**
 * Every API request asks who its session belongs to; a checkpoint phone sends one entry after
 * another. The answer is kept for a few seconds per token. Logging out forgets the token, and
 * any change to a user or a site (disable, role, jurisdiction, password) forgets them all
 * (`forgetSessions`), so within this process a change applies to the very next request; a
 * second server process would see it at most `SESSION_CACHE_MS` later.
 */
export const SESSION_CACHE_MS = 5_000;
const caches = new WeakMap<Db, Map<string, { actor: Actor; until: number }>>();
function cacheOf(db: Db) {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new Map()));
  return c;
}

/** Forget every cached session of `db` (after a user or site changed). */
export function forgetSessions(db: Db): void {
  caches.get(db)?.clear();
}

export interface UserRow {
  id: string;
  username: string;
  full_name: string;
  role: string;
  scope_level: Scope['level'];
  province_code: string;
  district_code: string | null;
  commune_code: string | null;
  village_id: string | null;
  site_id: string | null;
  site_kind?: string | null;
  site_disabled?: boolean | null;
}

export function actorFromRow(u: UserRow): Actor {
  if (!isRole(u.role)) throw new Error(`unknown role ${u.role}`);
  return {
    id: u.id,
    username: u.username,
    fullName: u.full_name,
    role: u.role,
    siteKind: (u.site_kind as SiteKind | null) ?? null,
    siteDisabled: !!u.site_disabled,
    scope: {
      level: u.scope_level,
      provinceCode: u.province_code,
      districtCode: u.district_code,
      communeCode: u.commune_code,
      villageId: u.village_id,
      siteId: u.site_id,
    },
  };
}

/**
 * Issue 10, item 8: ends sessions past their lifetime or idle longer than `idleMinutes`
 * (called at each login, so the table holds only live sessions plus those of the idle).
 */
export async function purgeSessions(db: Db, idleMinutes: number): Promise<void> {
  await db.query(
    `DELETE FROM sessions WHERE expires_at <= now() OR last_seen_at < now() - make_interval(mins => $1)`,
    [idleMinutes],
  );
}

/** Forget one cached session (ended by its owner). */
export function forgetSession(db: Db, tokenHash: string): void {
  cacheOf(db).delete(tokenHash);
}

/**
 * The actor behind a session token, or undefined when expired, idle longer than `idleMinutes`,
 * unknown or disabled. The last request is written at most once a minute (or every quarter of
 * the idle time, if shorter), so the idle end is exact to that step.
 */
export async function actorForToken(
  db: Db,
  token: string,
  idleMinutes = 60,
): Promise<Actor | undefined> {
  const hash = hashToken(token);
  const cache = cacheOf(db);
  const now = Date.now();
  const hit = cache.get(hash);
  if (hit && hit.until > now) return hit.actor;
  const rows = await db.query<
    UserRow & {
      last_seen_at: Date | string;
      expires_at: Date | string;
      session_id: string;
      must_change_password: boolean;
    }
  >(
    `SELECT u.id, u.username, u.full_name, u.role, u.scope_level, u.province_code, u.district_code,
            u.commune_code, u.village_id, u.site_id, st.kind AS site_kind, st.disabled AS site_disabled,
            s.last_seen_at, s.expires_at, s.id AS session_id, u.must_change_password
       FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN sites st ON st.id = u.site_id
      WHERE s.token_hash = $1 AND s.expires_at > now() AND NOT u.disabled
        AND s.last_seen_at > now() - make_interval(mins => $2)`,
    [hash, idleMinutes],
    { prepare: true },
  );
  const row = rows[0];
  if (!row) {
    cache.delete(hash);
    return undefined;
  }
  const step = Math.min(60_000, idleMinutes * 15_000);
  if (now - new Date(row.last_seen_at).getTime() > step) {
    await db.query('UPDATE sessions SET last_seen_at = now() WHERE token_hash = $1', [hash]);
  }
  const actor: Actor = {
    ...actorFromRow(row),
    sessionId: row.session_id,
    mustChangePassword: row.must_change_password,
  };
  if (cache.size > 10_000) cache.clear();
  cache.set(hash, {
    actor,
    until: Math.min(
      now + SESSION_CACHE_MS,
      new Date(row.expires_at).getTime(),
      new Date(row.last_seen_at).getTime() + idleMinutes * 60_000,
    ),
  });
  return actor;
}

/** What a session whose password must change may still call (issue 10, item 8). */
const WHILE_MUST_CHANGE = new Set([
  'POST /api/v1/auth/password',
  'POST /api/v1/auth/logout',
  'GET /api/v1/me',
]);

/**
 * After an administrator's reset the user must choose their own password before anything else:
 * every other API call answers 403 `password_change_required`.
 */
export function enforcePasswordChange(req: FastifyRequest): void {
  if (!req.actor?.mustChangePassword) return;
  const path = req.url.split('?')[0];
  // Public pages (declarations, lookups, the instance banner) are open to anyone anyway.
  if (WHILE_MUST_CHANGE.has(`${req.method} ${path}`) || path?.startsWith('/api/v1/public/')) return;
  throw new AppError(
    403,
    'password_change_required',
    'Quản trị viên đã đặt lại mật khẩu của bạn: hãy đổi mật khẩu (mục "Đổi mật khẩu") trước khi tiếp tục',
  );
}
