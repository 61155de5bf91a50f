import { randomBytes, scryptSync } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { prepareDatabase } from '../../src/server/bootstrap.ts';
import { DEMO_PASSWORD, DUMMY_HASH, hashPassword } from '../../src/server/auth/passwords.ts';
import { ENGINE, openTestDb, startTestApp, type TestApp } from '../helpers/app.ts';
import { ADMIN_PASSWORD, testConfig } from '../helpers/config.ts';

/**
 * Issue 10, the public and authentication half: no secret in the server log, forwarding headers
 * believed only from configured proxies, login throttling per (username, client) that nobody can
 * turn against another user, security headers and same-origin writes.
 */
let t: TestApp;
let admin: string;
beforeAll(async () => {
  // Per-route limits off here, to see the per-(username, client) throttle alone.
  t = await startTestApp();
  admin = await t.login('admin');
});
afterAll(() => t?.close());

const login = (
  username: string,
  password: string,
  headers: Record<string, string> = {},
  remoteAddress = '127.0.0.1',
  app = t.app,
) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
    headers,
    remoteAddress,
  });

describe(`the server log on ${ENGINE}`, () => {
  it('holds no lookup code: the code travels in the body', async () => {
    const { db, drop } = await openTestDb();
    let log = '';
    const logStream = new Writable({
      write(chunk, _enc, done) {
        log += String(chunk);
        done();
      },
    });
    const app = await buildApp({
      db,
      config: testConfig({ logLevel: 'info' }),
      logger: true,
      logStream,
    });
    try {
      await app.ready();
      const code = '7E3A9C0B5D1F2468ACE0';
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/public/results/lookup',
        payload: { code },
      });
      expect(r.statusCode).toBe(404);
      expect(log).toContain('/api/v1/public/results/lookup');
      expect(log).not.toContain(code);
      expect(log).not.toContain('birthYear');
    } finally {
      await app.close();
      await drop();
    }
  });
});

describe(`X-Forwarded-For on ${ENGINE}`, () => {
  it('is not believed by default: 60 logins with a fresh address each are limited as one client', async () => {
    const limited = await startTestApp({ rateLimits: true });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 60; i++) {
        const r = await login(
          `nobody${i}`,
          'wrong-password',
          { 'x-forwarded-for': `198.51.100.${i + 1}` },
          '10.20.0.1',
          limited.app,
        );
        codes.push(r.statusCode);
      }
      expect(codes.filter((c) => c === 429)).toHaveLength(40);
      // The audit trail records the connection's address, not what the client wrote.
      const ips = await limited.db.query<{ ip: string }>(
        `SELECT DISTINCT ip FROM audit_events WHERE action = 'auth.login'`,
      );
      expect(ips).toEqual([{ ip: '10.20.0.1' }]);
    } finally {
      await limited.close();
    }
  }, 180_000);

  it('is believed from a proxy named in configuration', async () => {
    const behind = await startTestApp({ rateLimits: true, trustedProxies: ['10.30.0.1'] });
    try {
      const r = await behind.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'nobody', password: 'wrong-password' },
        headers: { 'x-forwarded-for': '203.0.113.77' },
        remoteAddress: '10.30.0.1',
      });
      expect(r.statusCode).toBe(401);
      const ev = await behind.db.query<{ ip: string }>(
        `SELECT ip FROM audit_events WHERE action = 'auth.login' ORDER BY id DESC LIMIT 1`,
      );
      expect(ev[0]!.ip).toBe('203.0.113.77');
      // From anywhere else the header is ignored.
      await behind.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'nobody', password: 'wrong-password' },
        headers: { 'x-forwarded-for': '203.0.113.78' },
        remoteAddress: '10.99.0.1',
      });
      const ev2 = await behind.db.query<{ ip: string }>(
        `SELECT ip FROM audit_events WHERE action = 'auth.login' ORDER BY id DESC LIMIT 1`,
      );
      expect(ev2[0]!.ip).toBe('10.99.0.1');
    } finally {
      await behind.close();
    }
  });
});

describe(`login throttling on ${ENGINE}`, () => {
  it('40 wrong passwords from one client do not lock the administrator out of another', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 40; i++)
      codes.push((await login('admin', 'wrong-password-x', {}, '10.40.0.1')).statusCode);
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes.slice(5).every((c) => c === 429)).toBe(true);
    // The real administrator, elsewhere, logs in.
    expect((await login('admin', ADMIN_PASSWORD, {}, '10.40.0.2')).statusCode).toBe(200);
    // The client that tried is still held back, even with the right password.
    const held = await login('admin', ADMIN_PASSWORD, {}, '10.40.0.1');
    expect(held.statusCode).toBe(429);
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    // An administrator sees the hold and lifts it.
    const me = (await t.as(admin, 'GET', '/api/v1/me')).json();
    const blocks = await t.as(admin, 'GET', `/api/v1/users/${me.id}/login-blocks`);
    expect(blocks.statusCode).toBe(200);
    expect(blocks.json().items).toEqual([
      expect.objectContaining({
        client: '10.40.0.1',
        failures: 5,
        blockedUntil: expect.any(String),
      }),
    ]);
    expect((await t.as(admin, 'DELETE', `/api/v1/users/${me.id}/login-blocks`)).statusCode).toBe(
      204,
    );
    expect((await login('admin', ADMIN_PASSWORD, {}, '10.40.0.1')).statusCode).toBe(200);
    const lifted = await t.db.query(
      `SELECT 1 FROM audit_events WHERE action = 'users.login_blocks.lift' AND resource_id = $1`,
      [me.id],
    );
    expect(lifted).toHaveLength(1);
  }, 180_000);

  it('checks at most 5 passwords when 20 wrong logins arrive together', async () => {
    const codes = (
      await Promise.all(
        Array.from({ length: 20 }, () => login('admin', 'wrong-password-z', {}, '10.44.0.1')),
      )
    ).map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(15);
    const checked = await t.db.query<{ reason: string; n: number | string }>(
      `SELECT reason, count(*) AS n FROM audit_events
        WHERE action = 'auth.login' AND ip = '10.44.0.1' GROUP BY reason ORDER BY reason`,
    );
    expect(checked.map((r) => [r.reason, Number(r.n)])).toEqual([
      ['throttled', 15],
      ['wrong_password', 5],
    ]);
    // Unknown usernames are held back the same way.
    const unknown = (
      await Promise.all(
        Array.from({ length: 20 }, () => login('nobody-here', 'wrong-password-z', {}, '10.44.0.2')),
      )
    ).map((r) => r.statusCode);
    expect(unknown.filter((c) => c === 401)).toHaveLength(5);
  }, 180_000);

  it('answers an unknown user and a wrong password alike, in content and in work done', async () => {
    const known = await login('admin', 'wrong-password-y', {}, '10.41.0.1');
    const unknown = await login('no-such-user-at-all', 'wrong-password-y', {}, '10.41.0.1');
    expect(known.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.body).toBe(known.body);
    // An unknown user is checked against a hash of today's cost: one scrypt either way.
    const params = (h: string) => h.split('$').slice(0, 4).join('$');
    expect(params(DUMMY_HASH)).toBe(params(await hashPassword('x')));
    const ev = await t.db.query<{ resource_id: string | null }>(
      `SELECT resource_id FROM audit_events WHERE action = 'auth.login' AND reason = 'unknown_user'`,
    );
    expect(ev.length).toBeGreaterThan(0);
    expect(JSON.stringify(ev)).not.toContain('no-such-user-at-all');
  });

  it('starts again from zero after a success', async () => {
    for (let i = 0; i < 4; i++)
      expect((await login('admin', 'nope-nope-nope', {}, '10.42.0.1')).statusCode).toBe(401);
    expect((await login('admin', ADMIN_PASSWORD, {}, '10.42.0.1')).statusCode).toBe(200);
    for (let i = 0; i < 4; i++)
      expect((await login('admin', 'nope-nope-nope', {}, '10.42.0.1')).statusCode).toBe(401);
  }, 180_000);

  it('makes a hash with weaker scrypt parameters again at login', async () => {
    const salt = randomBytes(16);
    const key = scryptSync(ADMIN_PASSWORD, salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const weak = [
      'scrypt',
      2 ** 14,
      8,
      1,
      salt.toString('base64url'),
      key.toString('base64url'),
    ].join('$');
    await t.db.query(`UPDATE users SET password_hash = $1 WHERE username = 'admin'`, [weak]);
    expect((await login('admin', ADMIN_PASSWORD, {}, '10.43.0.1')).statusCode).toBe(200);
    const [row] = await t.db.query<{ password_hash: string }>(
      `SELECT password_hash FROM users WHERE username = 'admin'`,
    );
    expect(Number(row!.password_hash.split('$')[1])).toBeGreaterThan(2 ** 14);
    expect((await login('admin', ADMIN_PASSWORD, {}, '10.43.0.1')).statusCode).toBe(200);
  });
});

describe(`security headers and same-origin writes on ${ENGINE}`, () => {
  it('sends CSP with frame-ancestors, nosniff and a referrer policy; HSTS only over HTTPS', async () => {
    const r = await t.as(null, 'GET', '/healthz');
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['strict-transport-security']).toBeUndefined();
    const behind = await startTestApp({ trustedProxies: ['10.50.0.1'] });
    try {
      const s = await behind.app.inject({
        method: 'GET',
        url: '/healthz',
        headers: { 'x-forwarded-proto': 'https' },
        remoteAddress: '10.50.0.1',
      });
      expect(s.headers['strict-transport-security']).toContain('max-age=');
    } finally {
      await behind.close();
    }
  });

  it('refuses a write from another site, whatever its content type', async () => {
    const cross = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: admin, origin: 'https://evil.example', 'content-type': 'text/plain' },
      payload: 'x',
    });
    expect(cross.statusCode).toBe(403);
    expect(cross.json().error).toBe('cross_origin');
    const multipart = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: {
        cookie: admin,
        origin: 'https://evil.example',
        'content-type': 'multipart/form-data; boundary=x',
      },
      payload: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
    });
    expect(multipart.statusCode).toBe(403);
    const fetchMeta = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: admin, 'sec-fetch-site': 'cross-site' },
    });
    expect(fetchMeta.statusCode).toBe(403);
    // The session survived both.
    expect((await t.as(admin, 'GET', '/api/v1/me')).statusCode).toBe(200);
    const same = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: admin, 'sec-fetch-site': 'cross-site' },
    });
    expect(same.statusCode).toBe(200);
    const sameOrigin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/public/results/lookup',
      headers: {
        host: 'epiguard.test',
        origin: 'http://epiguard.test',
        'sec-fetch-site': 'same-origin',
      },
      payload: { code: '0'.repeat(20) },
    });
    expect(sameOrigin.statusCode).toBe(404);
  });
});

describe(`the demo password on ${ENGINE}`, () => {
  it('is refused for the first administrator outside demo mode', async () => {
    const { db, drop } = await openTestDb();
    try {
      // A database before its first start: no user yet.
      await db.query('DELETE FROM sessions');
      await db.query('DELETE FROM users');
      await expect(
        prepareDatabase(db, testConfig({ adminPassword: DEMO_PASSWORD })),
      ).rejects.toThrow(/EPIGUARD_ADMIN_PASSWORD: the demo password is public/);
      expect(await db.query('SELECT 1 FROM users')).toHaveLength(0);
      await prepareDatabase(db, testConfig({ adminPassword: DEMO_PASSWORD, demo: true }));
      expect(await db.query(`SELECT 1 FROM users WHERE username = 'admin'`)).toHaveLength(1);
    } finally {
      await drop();
    }
  });

  it('opens nothing outside demo mode, and demo mode says so', async () => {
    const hash = await hashPassword(DEMO_PASSWORD);
    await t.db.query(`UPDATE users SET password_hash = $1 WHERE username = 'admin'`, [hash]);
    const refused = await login('admin', DEMO_PASSWORD, {}, '10.60.0.1');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toBe('known_password');
    expect((await t.as(null, 'GET', '/api/v1/public/instance')).json()).toMatchObject({
      demo: false,
    });
    const demo = await startTestApp({ demo: true });
    try {
      await demo.db.query(`UPDATE users SET password_hash = $1 WHERE username = 'admin'`, [hash]);
      expect((await login('admin', DEMO_PASSWORD, {}, '10.60.0.2', demo.app)).statusCode).toBe(200);
      expect((await demo.as(null, 'GET', '/api/v1/public/instance')).json()).toMatchObject({
        demo: true,
      });
    } finally {
      await demo.close();
    }
    await t.db.query(`UPDATE users SET password_hash = $1 WHERE username = 'admin'`, [
      await hashPassword(ADMIN_PASSWORD),
    ]);
  });
});
