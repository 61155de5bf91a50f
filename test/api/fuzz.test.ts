import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/server/paging.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';
import { DATABASE_TEXT } from '../helpers/dbtext.ts';

/**
 * Throws random bodies at every write endpoint in the OpenAPI document, logged in as the
 * province admin and as nobody, and asserts that nothing answers 5xx.
 */
let t: TestApp;
let admin: string;
let province: string;
let writes: { method: string; url: string }[];
let operations: { method: string; path: string; query: string[]; pathParams: string[] }[];

const SAMPLE_UUID = '00000000-0000-4000-8000-000000000000';
const fill = (path: string) =>
  path
    .replace(/\{id\}/g, SAMPLE_UUID)
    .replace(/\{code\}/g, '11')
    .replace(/\{[^}]+\}/g, 'x');

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin');
  const p = await t.as(admin, 'POST', '/api/v1/users', {
    username: 'fuzz.tinh',
    password: 'password-123',
    fullName: 'Sở Y tế',
    role: 'province',
    jurisdiction: { level: 'province', unitCode: '11' },
  });
  expect(p.statusCode, p.body).toBe(201);
  province = await t.login('fuzz.tinh', 'password-123');
  const doc = (await t.as(null, 'GET', '/api/v1/openapi.json')).json() as {
    paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
  };
  operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map(([m, op]) => ({
        method: m.toUpperCase(),
        path,
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
      }))
      .filter((o) => o.path !== '/api/v1/auth/logout'),
  );
  writes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => ({ method: m.toUpperCase(), url: fill(path) }))
      // logging out would end the session the other runs use; it takes no body anyway
      .filter((e) => e.url !== '/api/v1/auth/logout'),
  );
});
afterAll(() => t?.close());

// Values shaped like what the endpoints expect, mixed with anything at all.
const plausible = fc.oneof(
  fc.constantFrom(
    '11',
    '094',
    '03136',
    '99999',
    'admin',
    '',
    'commune',
    'site',
    'commune_health',
    SAMPLE_UUID,
    'thon',
  ),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const body = fc.oneof(
  fc.anything(),
  fc.dictionary(
    fc.constantFrom(
      'username',
      'password',
      'fullName',
      'role',
      'jurisdiction',
      'communeCode',
      'name',
      'kind',
      'population',
      'households',
      'clientId',
      'disabled',
      'phone',
      'level',
      'unitCode',
      'siteId',
      'villageId',
      'address',
    ),
    fc.oneof(
      plausible,
      fc.dictionary(fc.constantFrom('level', 'unitCode', 'villageId', 'siteId'), plausible),
    ),
  ),
);

describe(`random bodies on ${ENGINE}`, () => {
  it('finds the write endpoints', () => {
    expect(writes.length).toBeGreaterThanOrEqual(6);
  });

  it('never answers 5xx to any body on any write endpoint', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1000 }),
        body,
        fc.boolean(),
        async (i, payload, loggedIn) => {
          const ep = writes[i % writes.length]!;
          const res = await t.app.inject({
            method: ep.method as 'POST',
            url: ep.url,
            headers: { 'content-type': 'application/json', ...(loggedIn ? { cookie: admin } : {}) },
            payload: JSON.stringify(payload) ?? 'null',
          });
          if (res.statusCode >= 500 || DATABASE_TEXT.test(res.body))
            throw new Error(
              `${ep.method} ${ep.url} → ${res.statusCode} ${res.body} for ${JSON.stringify(payload)}`,
            );
          if (res.statusCode === 400) expect(res.json()).toHaveProperty('error');
        },
      ),
      { numRuns: 400 },
    );
  });

  // Issue 14.4: every operation of the OpenAPI document, its path and query parameters filled
  // with values of the wrong kind (crafted cursors, impossible dates, huge numbers, odd text).
  const badValue = fc.oneof(
    plausible,
    fc.constantFrom(
      '0000-01-01',
      '1990-02-30',
      '2021-13-45T99:00:00Z',
      '-1',
      '1e309',
      '99999999999999999999',
      "' OR 1=1 --",
      '%00',
      encodeCursor(['not a time', 'not a uuid']),
      encodeCursor([1e300, -1]),
      encodeCursor(['x']),
    ),
  );
  it('never answers 5xx or database text to bad parameters on any operation', async () => {
    expect(operations.length).toBeGreaterThan(100);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(badValue, { minLength: 6, maxLength: 6 }),
        fc.array(badValue.map(String), { minLength: 8, maxLength: 8 }),
        fc.boolean(),
        async (i, pathValues, queryValues, asAdmin) => {
          const op = operations[i % operations.length]!;
          let url = op.path;
          op.pathParams.forEach((name, k) => {
            url = url.replace(`{${name}}`, encodeURIComponent(String(pathValues[k] ?? 'x')));
          });
          url = url.replace(/\{[^}]+\}/g, 'x');
          const qs = new URLSearchParams(op.query.map((name, k) => [name, queryValues[k % 8]!]));
          const res = await t.app.inject({
            method: op.method as 'GET',
            url: qs.size ? `${url}?${qs}` : url,
            headers: { cookie: asAdmin ? admin : province, 'content-type': 'application/json' },
            payload: op.method === 'GET' || op.method === 'DELETE' ? undefined : '{}',
          });
          if (res.statusCode >= 500 || DATABASE_TEXT.test(res.body))
            throw new Error(`${op.method} ${url}?${qs} → ${res.statusCode} ${res.body}`);
        },
      ),
      { numRuns: 600 },
    );
  });
});
