import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Throws random bodies at every write endpoint in the OpenAPI document, logged in as the
 * province admin and as nobody, and asserts that nothing answers 5xx.
 */
let t: TestApp;
let admin: string;
let writes: { method: string; url: string }[];

const SAMPLE_UUID = '00000000-0000-4000-8000-000000000000';
const fill = (path: string) =>
  path
    .replace(/\{id\}/g, SAMPLE_UUID)
    .replace(/\{code\}/g, '11')
    .replace(/\{[^}]+\}/g, 'x');

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin');
  const doc = (await t.as(null, 'GET', '/api/v1/openapi.json')).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
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
          if (res.statusCode >= 500)
            throw new Error(
              `${ep.method} ${ep.url} → ${res.statusCode} ${res.body} for ${JSON.stringify(payload)}`,
            );
          if (res.statusCode === 400) expect(res.json()).toHaveProperty('error');
        },
      ),
      { numRuns: 400 },
    );
  });
});
