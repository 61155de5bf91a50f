import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';
import { xlsxFile } from '../helpers/xlsx.ts';

// Two communes of Điện Biên in two districts, as in `epiguard demo`.
const A = { commune: '03136', district: '094' }; // Phường Mường Thanh, TP Điện Biên Phủ
const B = { commune: '03331', district: '100' }; // Xã Thanh Hưng, huyện Điện Biên

let t: TestApp;
let admin: string;

async function createUser(cookie: string, body: Record<string, unknown>) {
  return t.as(cookie, 'POST', '/api/v1/users', {
    password: 'password-123',
    fullName: 'Nguyễn Văn An',
    ...body,
  });
}

async function auditCount(filter: {
  actor?: string;
  action: string;
  outcome: string;
  resourceId?: string;
}) {
  const rows = await t.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_events WHERE action = $1 AND outcome = $2
       AND ($3::text IS NULL OR actor_username = $3) AND ($4::text IS NULL OR resource_id = $4)`,
    [filter.action, filter.outcome, filter.actor ?? null, filter.resourceId ?? null],
  );
  return rows[0]!.n;
}

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin');
});
afterAll(() => t?.close());

describe(`foundation on ${ENGINE}`, () => {
  it('reports its engine', async () => {
    const res = await t.as(null, 'GET', '/healthz');
    expect(res.json()).toMatchObject({ status: 'ok', engine: ENGINE, province: '11' });
  });

  it('knows Điện Biên and Lạng Sơn with 2019 census population', async () => {
    const db = (await t.as(null, 'GET', '/api/v1/admin-units/11')).json();
    expect(db).toMatchObject({
      name: 'Tỉnh Điện Biên',
      childrenCount: 10,
      population: { total: 598856 },
    });
    expect(db.populationSource.vi).toContain('2019');
    const ls = (await t.as(null, 'GET', '/api/v1/admin-units/20')).json();
    expect(ls.childrenCount).toBe(11);
    const communes = (await t.as(null, 'GET', '/api/v1/admin-units?province=20&level=3')).json();
    expect(communes.items).toHaveLength(200);
    const districts = (await t.as(null, 'GET', '/api/v1/admin-units?parent=11')).json();
    expect(districts.items.map((d: { code: string }) => d.code)).toEqual([
      '094',
      '095',
      '096',
      '097',
      '098',
      '099',
      '100',
      '101',
      '102',
      '103',
    ]);
    const counts = await t.db.query<{ level: number; n: number }>(
      'SELECT level, count(*)::int AS n FROM admin_units GROUP BY level ORDER BY level',
    );
    expect(counts).toEqual([
      { level: 1, n: 63 },
      { level: 2, n: 705 },
      { level: 3, n: 10603 },
    ]);
  });

  it('finds units by name typed without accents', async () => {
    const res = (await t.as(null, 'GET', '/api/v1/admin-units?q=muong%20phang')).json();
    expect(res.items.map((u: { name: string }) => u.name)).toContain('Xã Mường Phăng');
  });

  it('answers 400 naming the field for a malformed unit code, 404 for an unknown one', async () => {
    const bad = await t.as(null, 'GET', '/api/v1/admin-units/1x');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('params.code');
    expect((await t.as(null, 'GET', '/api/v1/admin-units/99')).statusCode).toBe(404);
  });

  it('logs in and out with an httpOnly SameSite cookie', async () => {
    const res = await t.as(null, 'POST', '/api/v1/auth/login', {
      username: 'admin',
      password: 'admin-password-1',
    });
    expect(res.statusCode).toBe(200);
    const c = res.cookies.find((k) => k.name === 'eg_session')!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Lax');
    expect(c.expires).toBeInstanceOf(Date);
    const cookie = `eg_session=${c.value}`;
    const me = (await t.as(cookie, 'GET', '/api/v1/me')).json();
    expect(me).toMatchObject({
      username: 'admin',
      role: 'admin',
      scope: { level: 'province', provinceCode: '11' },
    });
    expect(me.permissions).toContain('users.manage');
    expect((await t.as(cookie, 'POST', '/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await t.as(cookie, 'GET', '/api/v1/me')).statusCode).toBe(401);
  });

  it('locks an account after five wrong passwords and audits each attempt', async () => {
    expect(
      (
        await createUser(admin, {
          username: 'locky',
          role: 'commune_health',
          jurisdiction: { level: 'commune', unitCode: A.commune },
        })
      ).statusCode,
    ).toBe(201);
    for (let i = 0; i < 5; i++) {
      const r = await t.as(null, 'POST', '/api/v1/auth/login', {
        username: 'locky',
        password: 'wrong-password',
      });
      expect(r.statusCode).toBe(401);
      expect(r.json().error).toBe('unauthorized');
    }
    const locked = await t.as(null, 'POST', '/api/v1/auth/login', {
      username: 'locky',
      password: 'password-123',
    });
    expect(locked.statusCode).toBe(429);
    expect(await auditCount({ action: 'auth.login', outcome: 'denied', actor: 'locky' })).toBe(6);
  });

  it('does not say whether an unknown user exists', async () => {
    const r = await t.as(null, 'POST', '/api/v1/auth/login', {
      username: 'nobody',
      password: 'whatever-1',
    });
    expect(r.statusCode).toBe(401);
    expect(r.json().message).toBe('Sai tên đăng nhập hoặc mật khẩu');
  });

  it('rejects bad login bodies with 400 naming the field', async () => {
    const r = await t.as(null, 'POST', '/api/v1/auth/login', { username: '' });
    expect(r.statusCode).toBe(400);
    expect(
      r
        .json()
        .fields.map((f: { path: string }) => f.path)
        .sort(),
    ).toEqual(['password', 'username']);
    const junk = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":',
    });
    expect(junk.statusCode).toBe(400);
    expect(junk.json().error).toBe('bad_request');
  });

  it('creates a user with a generated password shown once', async () => {
    const r = await t.as(admin, 'POST', '/api/v1/users', {
      username: 'xa.muongthanh',
      fullName: 'Trạm Y tế Mường Thanh',
      role: 'commune_health',
      jurisdiction: { level: 'commune', unitCode: A.commune },
    });
    expect(r.statusCode).toBe(201);
    const body = r.json();
    expect(body.generatedPassword).toMatch(/^[\w]{4}-[\w]{4}-[\w]{4}-[\w]{4}$/);
    expect(body.user).toMatchObject({
      role: 'commune_health',
      scope: { level: 'commune', communeCode: A.commune, districtCode: A.district },
    });
    expect(body.user.scopeLabel).toBe(
      'Phường Mường Thanh, Thành phố Điện Biên Phủ, Tỉnh Điện Biên',
    );
    expect(JSON.stringify(body.user)).not.toContain('scrypt');
    await t.login('xa.muongthanh', body.generatedPassword);
  });

  it('does not duplicate a replayed create (same clientId)', async () => {
    const clientId = '6f1c1d7e-2b1a-4c55-9a51-0d4f3f1b2c3d';
    const body = {
      username: 'replay.user',
      role: 'commune_health',
      jurisdiction: { level: 'commune', unitCode: B.commune },
      clientId,
    };
    expect((await createUser(admin, body)).statusCode).toBe(201);
    const again = await createUser(admin, body);
    expect(again.statusCode).toBe(200);
    const n = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM users WHERE username = 'replay.user'",
    );
    expect(n[0]!.n).toBe(1);
    expect((await createUser(admin, { ...body, clientId: undefined })).statusCode).toBe(409);
  });

  it('checks the role fits the level of the jurisdiction', async () => {
    const r = await createUser(admin, {
      username: 'wrong.level',
      role: 'commune_health',
      jurisdiction: { level: 'district', unitCode: A.district },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().fields[0].path).toBe('jurisdiction.level');
    const code = await createUser(admin, {
      username: 'wrong.code',
      role: 'commune_health',
      jurisdiction: { level: 'commune', unitCode: A.district },
    });
    expect(code.statusCode).toBe(400);
    expect(code.json().fields[0].path).toBe('jurisdiction.unitCode');
  });

  it('keeps an admin from creating users outside their jurisdiction', async () => {
    expect(
      (
        await createUser(admin, {
          username: 'admin.094',
          role: 'admin',
          jurisdiction: { level: 'district', unitCode: A.district },
        })
      ).statusCode,
    ).toBe(201);
    const districtAdmin = await t.login('admin.094', 'password-123');
    // another district of the same province
    const r = await createUser(districtAdmin, {
      username: 'outside.1',
      role: 'commune_health',
      jurisdiction: { level: 'commune', unitCode: B.commune },
    });
    expect(r.statusCode).toBe(403);
    expect(r.json().fields[0].path).toBe('jurisdiction');
    // a wider level than their own
    const wider = await createUser(districtAdmin, {
      username: 'outside.2',
      role: 'province',
      jurisdiction: { level: 'province', unitCode: '11' },
    });
    expect(wider.statusCode).toBe(403);
    // the province admin cannot reach into another province either
    const otherProvince = await createUser(admin, {
      username: 'outside.3',
      role: 'commune_health',
      jurisdiction: { level: 'commune', unitCode: '06085' },
    });
    expect(otherProvince.statusCode).toBe(403);
    expect(
      await auditCount({ action: 'users.manage', outcome: 'denied', actor: 'admin.094' }),
    ).toBe(2);
    expect(
      await auditCount({
        action: 'users.manage',
        outcome: 'denied',
        actor: 'admin',
        resourceId: 'outside.3',
      }),
    ).toBe(1);
    const none = await t.db.query("SELECT 1 FROM users WHERE username LIKE 'outside.%'");
    expect(none).toHaveLength(0);
    // inside their district it works, and they see only their district's users
    expect(
      (
        await createUser(districtAdmin, {
          username: 'inside.1',
          role: 'commune_health',
          jurisdiction: { level: 'commune', unitCode: A.commune },
        })
      ).statusCode,
    ).toBe(201);
    const list = (await t.as(districtAdmin, 'GET', '/api/v1/users?limit=500')).json();
    expect(
      list.items.every(
        (u: { scope: { districtCode: string } }) => u.scope.districtCode === A.district,
      ),
    ).toBe(true);
    const replay = await t.db.query<{ id: string }>(
      "SELECT id FROM users WHERE username = 'replay.user'",
    );
    const foreign = await t.as(districtAdmin, 'GET', `/api/v1/users/${replay[0]!.id}`);
    expect(foreign.statusCode).toBe(404);
    const patch = await t.as(districtAdmin, 'PATCH', `/api/v1/users/${replay[0]!.id}`, {
      disabled: true,
    });
    expect(patch.statusCode).toBe(404);
  });

  it('resets a password to a generated one, shown once', async () => {
    await createUser(admin, {
      username: 'to.reset',
      role: 'commune_health',
      jurisdiction: { level: 'commune', unitCode: A.commune },
    });
    const id = (
      await t.db.query<{ id: string }>("SELECT id FROM users WHERE username = 'to.reset'")
    )[0]!.id;
    const r = await t.as(admin, 'PATCH', `/api/v1/users/${id}`, { generatePassword: true });
    expect(r.statusCode).toBe(200);
    await t.login('to.reset', r.json().generatedPassword);
    const both = await t.as(admin, 'PATCH', `/api/v1/users/${id}`, {
      generatePassword: true,
      password: 'another-password',
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().fields[0].path).toBe('password');
  });

  it('disabling a user ends their sessions', async () => {
    await createUser(admin, {
      username: 'to.disable',
      role: 'commune_health',
      jurisdiction: { level: 'commune', unitCode: A.commune },
    });
    const cookie = await t.login('to.disable', 'password-123');
    const id = (await t.as(cookie, 'GET', '/api/v1/me')).json().id;
    expect((await t.as(admin, 'PATCH', `/api/v1/users/${id}`, { disabled: true })).statusCode).toBe(
      200,
    );
    expect((await t.as(cookie, 'GET', '/api/v1/me')).statusCode).toBe(401);
    expect(
      (
        await t.as(null, 'POST', '/api/v1/auth/login', {
          username: 'to.disable',
          password: 'password-123',
        })
      ).statusCode,
    ).toBe(401);
  });

  describe('a commune user and another commune’s records', () => {
    let userA: string;
    let villageB: string;
    beforeAll(async () => {
      await createUser(admin, {
        username: 'xa.a',
        role: 'commune_health',
        jurisdiction: { level: 'commune', unitCode: A.commune },
      });
      await createUser(admin, {
        username: 'xa.b',
        role: 'commune_health',
        jurisdiction: { level: 'commune', unitCode: B.commune },
      });
      userA = await t.login('xa.a', 'password-123');
      const userB = await t.login('xa.b', 'password-123');
      const v = await t.as(userB, 'POST', '/api/v1/villages', {
        communeCode: B.commune,
        name: 'Bản Phủ',
        kind: 'ban',
        population: 812,
      });
      expect(v.statusCode).toBe(201);
      villageB = v.json().id;
      expect(
        (
          await t.as(userA, 'POST', '/api/v1/villages', {
            communeCode: A.commune,
            name: 'Tổ dân phố 5',
            kind: 'to_dan_pho',
          })
        ).statusCode,
      ).toBe(201);
    });

    it('cannot read it (404, audited)', async () => {
      const r = await t.as(userA, 'GET', `/api/v1/villages/${villageB}`);
      expect(r.statusCode).toBe(404);
      expect(
        await auditCount({
          actor: 'xa.a',
          action: 'villages.read',
          outcome: 'denied',
          resourceId: villageB,
        }),
      ).toBe(1);
    });

    it('cannot list it (404, audited) and its own list leaves it out', async () => {
      const r = await t.as(userA, 'GET', `/api/v1/villages?commune=${B.commune}`);
      expect(r.statusCode).toBe(404);
      expect(
        await auditCount({
          actor: 'xa.a',
          action: 'villages.read',
          outcome: 'denied',
          resourceId: B.commune,
        }),
      ).toBe(1);
      const own = (await t.as(userA, 'GET', '/api/v1/villages')).json();
      expect(own.items.map((v: { name: string }) => v.name)).toEqual(['Tổ dân phố 5']);
    });

    it('cannot change it (404, audited, unchanged)', async () => {
      const r = await t.as(userA, 'PATCH', `/api/v1/villages/${villageB}`, { name: 'Bản Đổi' });
      expect(r.statusCode).toBe(404);
      expect(
        await auditCount({
          actor: 'xa.a',
          action: 'villages.write',
          outcome: 'denied',
          resourceId: villageB,
        }),
      ).toBe(1);
      const v = await t.db.query<{ name: string }>('SELECT name FROM villages WHERE id = $1', [
        villageB,
      ]);
      expect(v[0]!.name).toBe('Bản Phủ');
      const create = await t.as(userA, 'POST', '/api/v1/villages', {
        communeCode: B.commune,
        name: 'Bản Lạ',
        kind: 'ban',
      });
      expect(create.statusCode).toBe(404);
      expect(
        await auditCount({
          actor: 'xa.a',
          action: 'villages.write',
          outcome: 'denied',
          resourceId: B.commune,
        }),
      ).toBe(1);
    });

    it('cannot export it (404, audited)', async () => {
      const r = await t.as(userA, 'GET', `/api/v1/villages/export.csv?commune=${B.commune}`);
      expect(r.statusCode).toBe(404);
      expect(
        await auditCount({
          actor: 'xa.a',
          action: 'villages.read',
          outcome: 'denied',
          resourceId: B.commune,
        }),
      ).toBe(2);
      const own = await t.as(userA, 'GET', `/api/v1/villages/export.csv?commune=${A.commune}`);
      expect(own.statusCode).toBe(200);
      expect(own.body).toContain('Tổ dân phố 5');
      expect(own.body).not.toContain('Bản Phủ');
    });

    it('cannot use admin endpoints (404, audited)', async () => {
      expect((await t.as(userA, 'GET', '/api/v1/users')).statusCode).toBe(404);
      expect((await t.as(userA, 'GET', '/api/v1/audit-events')).statusCode).toBe(404);
      expect(await auditCount({ actor: 'xa.a', action: 'audit.read', outcome: 'denied' })).toBe(1);
    });
  });

  it('lets an admin browse and filter the audit log of their jurisdiction', async () => {
    const all = (await t.as(admin, 'GET', '/api/v1/audit-events?outcome=denied&limit=5')).json();
    expect(all.items).toHaveLength(5);
    expect(all.items.every((e: { outcome: string }) => e.outcome === 'denied')).toBe(true);
    expect(all.nextCursor).toBeTruthy();
    const next = (
      await t.as(
        admin,
        'GET',
        `/api/v1/audit-events?outcome=denied&limit=5&cursor=${all.nextCursor}`,
      )
    ).json();
    expect(next.items[0].id).toBeLessThan(all.items[4].id);
    const byUser = (
      await t.as(admin, 'GET', '/api/v1/audit-events?username=xa.a&action=villages')
    ).json();
    expect(byUser.items.length).toBeGreaterThanOrEqual(4);
    expect(byUser.items[0]).toHaveProperty('requestId');
    const bad = await t.as(admin, 'GET', '/api/v1/audit-events?from=2021-13-01');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('querystring.from');
    // a district admin does not see the province admin's events
    const districtAdmin = await t.login('admin.094', 'password-123');
    const theirs = (await t.as(districtAdmin, 'GET', '/api/v1/audit-events?username=admin')).json();
    expect(theirs.items).toHaveLength(0);
  });

  it('imports villages from CSV all-or-nothing and idempotently', async () => {
    const upload = (csv: string, name = 'thon.csv') => {
      const boundary = '----epiguard';
      const payload = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
      return t.app.inject({
        method: 'POST',
        url: '/api/v1/villages/import',
        headers: { cookie: admin, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload,
      });
    };
    const bad = await upload(
      `Mã xã,Tên,Loại,Dân số,Số hộ\n${A.commune},Tổ dân phố 9,to_dan_pho,"1.250",310\n99999,Bản Ma,ban,,\n${A.commune},Tổ dân phố 9,to_dan_pho,,\n`,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().report.rejected).toBe(2);
    expect(bad.json().report.rows[1]).toMatchObject({ row: 3, status: 'rejected' });
    expect((await t.db.query("SELECT 1 FROM villages WHERE name = 'Tổ dân phố 9'")).length).toBe(0);
    const csv = `ma_xa,ten,loai,dan_so,so_ho\n${A.commune},Tổ dân phố 9,to_dan_pho,1.250,310\n${A.commune},Tổ dân phố 10,tdp,,\n`;
    const ok = await upload(csv);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ created: 2, unchanged: 0, rejected: 0 });
    const again = await upload(csv);
    expect(again.json()).toMatchObject({ created: 0, unchanged: 2 });
    const rows = await t.db.query<{ population: number }>(
      "SELECT population FROM villages WHERE name = 'Tổ dân phố 9'",
    );
    expect(rows).toEqual([{ population: 1250 }]);
  });

  it('imports villages from an XLSX file with Vietnamese headers', async () => {
    const data = await xlsxFile(
      [
        ['Mã xã', 'Tên', 'Loại', 'Dân số', 'Số hộ'],
        [B.commune, 'Bản Co Mận', 'Bản', 640, 151],
        [B.commune, 'Bản Noọng Nhai', 'ban', null, null],
      ],
      'Thôn bản',
    );
    const boundary = '----epiguardx';
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="thon.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
      ),
      data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/villages/import',
      headers: { cookie: admin, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ created: 2, rejected: 0 });
    const v = await t.db.query<{ kind: string; households: number }>(
      "SELECT kind, households FROM villages WHERE name = 'Bản Co Mận'",
    );
    expect(v).toEqual([{ kind: 'ban', households: 151 }]);
  });

  it('serves an OpenAPI document listing its endpoints', async () => {
    const doc = (await t.as(null, 'GET', '/api/v1/openapi.json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of [
      '/api/v1/auth/login',
      '/api/v1/me',
      '/api/v1/admin-units/{code}',
      '/api/v1/users',
      '/api/v1/audit-events',
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    expect(doc.paths['/api/v1/users'].post.requestBody).toBeTruthy();
  });

  it('answers with a request id of its own, not the one a client sent (issue 10)', async () => {
    const r = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'req-12345678' },
    });
    expect(r.headers['x-request-id']).not.toBe('req-12345678');
    expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
