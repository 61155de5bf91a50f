import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetSessions } from '../../src/server/auth/sessions.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';
import { ADMIN_PASSWORD } from '../helpers/config.ts';

/**
 * Issue 10, item 8 — passwords and sessions. Before: a user could not change their own password
 * (no endpoint: 404), an administrator's reset left the known password usable for everything,
 * a session stayed alive however long it sat idle, and nobody could see or end their sessions.
 */
const A = { commune: '03136' }; // Phường Mường Thanh, TP Điện Biên Phủ
let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin');
});
afterAll(() => t?.close());

async function newUser(username: string) {
  const r = await t.as(admin, 'POST', '/api/v1/users', {
    username,
    fullName: 'Lò Văn Minh',
    password: 'password-123',
    role: 'commune_health',
    jurisdiction: { level: 'commune', unitCode: A.commune },
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().user.id as string;
}

const auditRows = (action: string, outcome: string, resourceId: string) =>
  t.db.query<{ reason: string | null }>(
    'SELECT reason FROM audit_events WHERE action = $1 AND outcome = $2 AND resource_id = $3',
    [action, outcome, resourceId],
  );

describe(`changing one's own password on ${ENGINE}`, () => {
  it('needs the current password, follows the rules, ends the other sessions, is audited', async () => {
    const id = await newUser('doi.mk');
    const phone = await t.login('doi.mk', 'password-123');
    const laptop = await t.login('doi.mk', 'password-123');
    const change = (body: object) => t.as(laptop, 'POST', '/api/v1/auth/password', body);

    const wrong = await change({ currentPassword: 'not-it-at-all', newPassword: 'Đèn-xanh-2026' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().fields).toEqual([
      { path: 'currentPassword', message: 'Mật khẩu hiện tại không đúng' },
    ]);
    expect(await auditRows('auth.password_change', 'denied', id)).toEqual([
      { reason: 'wrong_password' },
    ]);
    for (const [newPassword, msg] of [
      ['qwertyuiop', /Mật khẩu mới: quá phổ biến/],
      ['doi.mk', /Mật khẩu mới: cần ít nhất 10/],
      ['DOI.MK.DOI.MK'.slice(0, 6), /ít nhất/],
      ['            ', /khoảng trắng/],
      ['password-123', /phải khác/],
    ] as const) {
      const r = await change({ currentPassword: 'password-123', newPassword });
      expect(r.statusCode, newPassword).toBe(400);
      expect(r.json().fields[0].path).toBe('newPassword');
      expect(r.json().fields[0].message).toMatch(msg);
    }
    const ok = await change({ currentPassword: 'password-123', newPassword: 'Đèn-xanh-2026' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ otherSessionsEnded: 1 });
    expect((await t.as(phone, 'GET', '/api/v1/me')).statusCode).toBe(401);
    expect((await t.as(laptop, 'GET', '/api/v1/me')).statusCode).toBe(200);
    await expect(t.login('doi.mk', 'password-123')).rejects.toThrow(/401/);
    await t.login('doi.mk', 'Đèn-xanh-2026');
    expect(await auditRows('auth.password_change', 'allowed', id)).toHaveLength(1);
  });

  it('an administrator changes their own password only with the current one', async () => {
    const me = (await t.as(admin, 'GET', '/api/v1/me')).json().id;
    const viaPatch = await t.as(admin, 'PATCH', `/api/v1/users/${me}`, {
      password: 'a-new-admin-password',
    });
    expect(viaPatch.statusCode).toBe(400);
    expect(viaPatch.json().fields[0].path).toBe('password');
    const gen = await t.as(admin, 'PATCH', `/api/v1/users/${me}`, { generatePassword: true });
    expect(gen.statusCode).toBe(400);
    const r = await t.as(admin, 'POST', '/api/v1/auth/password', {
      currentPassword: ADMIN_PASSWORD,
      newPassword: 'a-new-admin-password',
    });
    expect(r.statusCode, r.body).toBe(200);
    admin = await t.login('admin', 'a-new-admin-password');
  });
});

describe(`the forced change after an administrator's reset on ${ENGINE}`, () => {
  it('allows only the change, /me and logout until the user has chosen a password', async () => {
    const id = await newUser('bi.dat.lai');
    const r = await t.as(admin, 'PATCH', `/api/v1/users/${id}`, { generatePassword: true });
    expect(r.statusCode).toBe(200);
    const given = r.json().generatedPassword as string;
    const user = await t.login('bi.dat.lai', given);
    const me = await t.as(user, 'GET', '/api/v1/me');
    expect(me.json().mustChangePassword).toBe(true);
    const other = await t.as(user, 'GET', '/api/v1/sites');
    expect(other.statusCode).toBe(403);
    expect(other.json().error).toBe('password_change_required');
    expect(other.json().message).toMatch(/đổi mật khẩu/);
    expect((await t.as(user, 'GET', '/api/v1/auth/sessions')).statusCode).toBe(403);
    // Public pages stay open, as they are to anyone.
    expect((await t.as(user, 'GET', '/api/v1/public/instance')).statusCode).toBe(200);
    const changed = await t.as(user, 'POST', '/api/v1/auth/password', {
      currentPassword: given,
      newPassword: 'Mường-Thanh-2026',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await t.as(user, 'GET', '/api/v1/me')).json().mustChangePassword).toBe(false);
    expect((await t.as(user, 'GET', '/api/v1/sites')).statusCode).toBe(200);
  });
});

describe(`idle sessions on ${ENGINE}`, () => {
  it('end after the idle time and are purged at the next login', async () => {
    await newUser('ngoi.yen');
    const cookie = await t.login('ngoi.yen', 'password-123');
    expect((await t.as(cookie, 'GET', '/api/v1/me')).statusCode).toBe(200);
    const idle = t.app.config.sessionIdleMinutes;
    await t.db.query(
      `UPDATE sessions SET last_seen_at = now() - make_interval(mins => $1 + 1)
        WHERE user_id = (SELECT id FROM users WHERE username = 'ngoi.yen')`,
      [idle],
    );
    forgetSessions(t.db); // the few-seconds cache of this process
    expect((await t.as(cookie, 'GET', '/api/v1/me')).statusCode).toBe(401);
    const before = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'ngoi.yen'",
    );
    expect(before[0]!.n).toBe(1);
    await t.login('ngoi.yen', 'password-123');
    const after = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'ngoi.yen'",
    );
    expect(after[0]!.n).toBe(1); // only the new one
  });

  it('defaults to 60 minutes and reads EPIGUARD_SESSION_IDLE_MINUTES', async () => {
    const { configFromEnv } = await import('../../src/server/config.ts');
    expect(configFromEnv({}).sessionIdleMinutes).toBe(60);
    expect(configFromEnv({ EPIGUARD_SESSION_IDLE_MINUTES: '15' }).sessionIdleMinutes).toBe(15);
  });
});

describe(`the session cookie on ${ENGINE}`, () => {
  it('is Secure when EPIGUARD_SECURE_COOKIES=on, even over plain HTTP', async () => {
    const plain = await t.as(null, 'POST', '/api/v1/auth/login', {
      username: 'admin',
      password: 'a-new-admin-password',
    });
    expect(plain.cookies.find((c) => c.name === 'eg_session')!.secure).toBeFalsy();
    t.app.config.secureCookies = true;
    try {
      const secure = await t.as(null, 'POST', '/api/v1/auth/login', {
        username: 'admin',
        password: 'a-new-admin-password',
      });
      expect(secure.cookies.find((c) => c.name === 'eg_session')!.secure).toBe(true);
    } finally {
      t.app.config.secureCookies = 'auto';
    }
  });
});

describe(`one's own sessions on ${ENGINE}`, () => {
  it('lists them and ends one; another user’s session answers 404 and is audited', async () => {
    await newUser('hai.may');
    const one = await t.login('hai.may', 'password-123');
    const two = await t.as(null, 'POST', '/api/v1/auth/login', {
      username: 'hai.may',
      password: 'password-123',
    });
    const twoCookie = `eg_session=${two.cookies.find((c) => c.name === 'eg_session')!.value}`;
    const list = await t.as(one, 'GET', '/api/v1/auth/sessions');
    expect(list.statusCode).toBe(200);
    const items = list.json().items as { id: string; current: boolean; ip: string }[];
    expect(items).toHaveLength(2);
    expect(items.filter((s) => s.current)).toHaveLength(1);
    expect(Object.keys(items[0]!).sort()).toEqual(
      ['createdAt', 'current', 'id', 'ip', 'lastSeenAt', 'userAgent'].sort(),
    );
    const other = items.find((s) => !s.current)!;

    // Someone else's session: 404 like a missing one, audited, and it stays alive.
    const adminSessions = (await t.as(admin, 'GET', '/api/v1/auth/sessions')).json().items;
    const adminCurrent = adminSessions.find((s: { current: boolean }) => s.current).id;
    const steal = await t.as(one, 'DELETE', `/api/v1/auth/sessions/${adminCurrent}`);
    expect(steal.statusCode).toBe(404);
    expect(await auditRows('auth.session_end', 'denied', adminCurrent)).toEqual([
      { reason: 'not_own_session' },
    ]);
    expect((await t.as(admin, 'GET', '/api/v1/me')).statusCode).toBe(200);

    const end = await t.as(one, 'DELETE', `/api/v1/auth/sessions/${other.id}`);
    expect(end.statusCode).toBe(204);
    expect((await t.as(twoCookie, 'GET', '/api/v1/me')).statusCode).toBe(401);
    expect((await t.as(one, 'GET', '/api/v1/me')).statusCode).toBe(200);
    expect((await t.as(one, 'GET', '/api/v1/auth/sessions')).json().items).toHaveLength(1);
  });
});
