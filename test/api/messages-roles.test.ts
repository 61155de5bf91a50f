import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, ROLES } from '../../src/domain/access.ts';
import { KNOWN } from '../../src/server/messages.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Issue 16 items 6 and 7: errors in the request's language, in words; roles and their
 * permissions listed in words, and the administrator's access to people's data a decision.
 */
let t: TestApp;
let admin: string;
let province: string;
type Json = Record<string, unknown>;
type ErrorBody = { error: string; message: string; fields?: { path: string; message: string }[] };

/** Letters only Vietnamese uses (ă, â, đ, ê, ô, ơ, ư and the tone marks). */
const VIETNAMESE = /[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]/i;
/** zod's own wording, which must never reach a health worker. */
const ZOD_TEXT = /Invalid input|expected \w+, received|Too (small|big)|Invalid option|Unrecognized/;

const ask = (cookie: string, url: string, lang: string, method = 'GET', payload?: object) =>
  t.app.inject({
    method: method as 'GET',
    url,
    headers: { cookie, 'accept-language': lang },
    ...(payload ? { payload } : {}),
  });

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin');
  const p = await t.as(admin, 'POST', '/api/v1/users', {
    username: 'msg.tinh',
    password: 'password-123',
    fullName: 'Sở Y tế',
    role: 'province',
    jurisdiction: { level: 'province', unitCode: '11' },
  });
  expect(p.statusCode, p.body).toBe(201);
  province = await t.login('msg.tinh', 'password-123');
});
afterAll(() => t?.close());

describe(`errors in the request's language, on ${ENGINE}`, () => {
  it('coverage without a unit: 400 naming the field, all Vietnamese or all English', async () => {
    const vi = await ask(province, '/api/v1/coverage', 'vi-VN,vi;q=0.9');
    expect(vi.statusCode, vi.body).toBe(400);
    const viBody = vi.json() as ErrorBody;
    expect(viBody.fields).toEqual([{ path: 'querystring.unit', message: 'Chưa nhập (bắt buộc)' }]);
    expect(viBody.message).toBe('Dữ liệu chưa đúng — querystring.unit: Chưa nhập (bắt buộc)');
    expect(vi.body).not.toMatch(ZOD_TEXT);

    const en = await ask(province, '/api/v1/coverage', 'en-GB,en;q=0.8');
    expect(en.statusCode, en.body).toBe(400);
    const enBody = en.json() as ErrorBody;
    expect(enBody.fields).toEqual([{ path: 'querystring.unit', message: 'Missing (required)' }]);
    expect(enBody.message).toBe('Please check — querystring.unit: Missing (required)');
    expect(en.body).not.toMatch(VIETNAMESE);
    expect(en.body).not.toMatch(ZOD_TEXT);
  });

  it("a rule's own message, a wrong type, a limit and an enum read as words in both languages", async () => {
    const cases: [string, string, string, string][] = [
      [
        '/api/v1/coverage?unit=abc',
        'querystring.unit',
        'Mã đơn vị hành chính gồm 2, 3 hoặc 5 chữ số',
        'An administrative unit code has 2, 3 or 5 digits',
      ],
      ['/api/v1/users?limit=abc', 'querystring.limit', 'Phải là một số', 'Must be a number'],
      [
        '/api/v1/users?limit=0',
        'querystring.limit',
        'Không được nhỏ hơn 1',
        'Must not be less than 1',
      ],
      [
        '/api/v1/users?q=' + 'x'.repeat(81),
        'querystring.q',
        'Tối đa 80 ký tự',
        'At most 80 characters',
      ],
    ];
    for (const [url, path, viText, enText] of cases) {
      const vi = await ask(province, url, 'vi');
      expect(vi.statusCode, `${url} ${vi.body}`).toBe(400);
      expect((vi.json() as ErrorBody).fields, url).toEqual([{ path, message: viText }]);
      const en = await ask(province, url, 'en');
      expect((en.json() as ErrorBody).fields, url).toEqual([{ path, message: enText }]);
      expect(en.body, url).not.toMatch(VIETNAMESE);
    }
    const role = await ask(province, '/api/v1/users?role=chief', 'en');
    const field = (role.json() as ErrorBody).fields?.[0];
    expect(field?.path).toBe('querystring.role');
    expect(field?.message).toMatch(/^Must be one of: admin, province, /);
  });

  it('a body with a missing field and an unknown route, in English', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'accept-language': 'en' },
      payload: { username: 'admin' },
    });
    expect(login.statusCode, login.body).toBe(400);
    expect((login.json() as ErrorBody).fields).toEqual([
      { path: 'password', message: 'Missing (required)' },
    ]);
    const none = await ask(province, '/api/v1/nowhere', 'en');
    expect(none.statusCode).toBe(404);
    expect((none.json() as ErrorBody).message).toBe('There is no page GET /api/v1/nowhere');
    const page = await ask(admin, '/api/v1/persons', 'en');
    expect(page.statusCode).toBe(404);
    expect((page.json() as ErrorBody).message).toBe('Page not found');
  });

  it('an error a handler writes in Vietnamese answers in English from the table', async () => {
    const me = (await ask(admin, '/api/v1/me', 'en')).json() as Json;
    const self = await ask(admin, `/api/v1/users/${me.id as string}`, 'en', 'PATCH', {
      disabled: true,
    });
    expect(self.statusCode, self.body).toBe(400);
    expect((self.json() as ErrorBody).fields).toEqual([
      { path: 'disabled', message: 'You cannot disable your own account' },
    ]);
    expect((self.json() as ErrorBody).message).toBe(
      'disabled: You cannot disable your own account',
    );
    const vi = await ask(admin, `/api/v1/users/${me.id as string}`, 'vi', 'PATCH', {
      disabled: true,
    });
    expect((vi.json() as ErrorBody).fields?.[0]?.message).toBe(
      'Không thể tự vô hiệu hóa tài khoản của mình',
    );
  });

  it('every message the schemas declare is in the translated table', async () => {
    const files: string[] = [];
    const walk = async (dir: string) => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (/(?<!\.test|messages)\.ts$/.test(p)) files.push(p);
      }
    };
    await walk('src/server');
    const rule =
      /\.(?:min|max|length|regex|refine|int|positive|gte|lte)\((?:[^()]|\([^()]*\))*?,\s*'([^']+)'\s*\)/g;
    const missing = new Set<string>();
    for (const f of files) {
      const text = await readFile(f, 'utf8');
      for (const m of text.matchAll(rule)) if (!KNOWN[m[1]!]) missing.add(`${f}: ${m[1]}`);
    }
    expect([...missing]).toEqual([]);
  });
});

describe(`roles and permissions, on ${ENGINE}`, () => {
  it('GET /roles lists every role with its duties and each permission in words', async () => {
    const res = await ask(admin, '/api/v1/roles', 'vi');
    expect(res.statusCode, res.body).toBe(200);
    const items = (res.json() as { items: Json[] }).items;
    expect(items.map((r) => r.role)).toEqual([...ROLES]);
    const seen = new Set<string>();
    for (const r of items) {
      const perms = r.permissions as { action: string; label: { vi: string; en: string } }[];
      expect(perms.map((p) => p.action)).toEqual(r.actions);
      for (const p of perms) {
        expect(p.label.vi.length, p.action).toBeGreaterThan(3);
        expect(p.label.en, p.action).not.toMatch(VIETNAMESE);
        seen.add(p.action);
      }
      expect((r.duties as { vi: string }).vi.length).toBeGreaterThan(10);
    }
    // Every permission is held by some role (none is dead).
    expect(ACTIONS.filter((a) => !seen.has(a))).toEqual([]);
  });

  it("the administrator reads no one's data, by decision, and grants a health role instead", async () => {
    const items = ((await ask(admin, '/api/v1/roles', 'en')).json() as { items: Json[] }).items;
    const adminRole = items.find((r) => r.role === 'admin')!;
    const actions = adminRole.actions as string[];
    for (const a of ['persons.read', 'cases.read', 'coverage.read'])
      expect(actions, a).not.toContain(a);
    expect((adminRole.duties as { en: string }).en).toMatch(/granted a health role/);
    for (const url of ['/api/v1/persons', '/api/v1/cases', '/api/v1/coverage?unit=11']) {
      const res = await t.as(admin, 'GET', url);
      expect(res.statusCode, url).toBe(404);
    }
    // The administrator creates an account with the province role: that account reads them.
    const u = await t.as(admin, 'POST', '/api/v1/users', {
      username: 'msg.cdc',
      password: 'password-123',
      fullName: 'CDC tỉnh',
      role: 'commune_health',
      jurisdiction: { level: 'commune', unitCode: '03136' },
    });
    expect(u.statusCode, u.body).toBe(201);
    const patched = await t.as(
      admin,
      'PATCH',
      `/api/v1/users/${((u.json() as Json).user as Json).id as string}`,
      {
        role: 'province',
        jurisdiction: { level: 'province', unitCode: '11' },
      },
    );
    expect(patched.statusCode, patched.body).toBe(200);
    const cdc = await t.login('msg.cdc', 'password-123');
    for (const url of ['/api/v1/persons', '/api/v1/cases', '/api/v1/coverage?unit=11']) {
      const res = await t.as(cdc, 'GET', url);
      expect(res.statusCode, `${url} ${res.body}`).toBe(200);
    }
  });
});
