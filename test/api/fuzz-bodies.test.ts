import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';
import { DATABASE_TEXT } from '../helpers/dbtext.ts';

/**
 * Issue 14.4: bodies generated from each write operation's own request schema in the OpenAPI
 * document — the right shape, so they pass the first checks and reach the deeper ones — with
 * any leaf replaced now and then by a value of the wrong kind (impossible dates, huge numbers,
 * empty or endless text, a type the schema does not allow). Real ids are mixed in so some
 * requests reach the commands. Nothing may answer 5xx or show the database's own words.
 */
type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let t: TestApp;
let admin: string;
let province: string;
let ops: { method: string; path: string; schema: Schema }[];
let ids: string[];
let components: Record<string, Schema>;

const SAMPLE_UUID = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin');
  const p = await t.as(admin, 'POST', '/api/v1/users', {
    username: 'fuzzb.tinh',
    password: 'password-123',
    fullName: 'Sở Y tế',
    role: 'province',
    jurisdiction: { level: 'province', unitCode: '11' },
  });
  expect(p.statusCode, p.body).toBe(201);
  province = await t.login('fuzzb.tinh', 'password-123');
  const site = await t.as(admin, 'POST', '/api/v1/sites', {
    kind: 'checkpoint',
    name: 'Chốt Fuzz',
    communeCode: '03136',
  });
  expect(site.statusCode, site.body).toBe(201);
  ids = [SAMPLE_UUID, site.json().id, p.json().id];
  const doc = (await t.as(null, 'GET', '/api/v1/openapi.json')).json() as {
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, Schema> } }>>;
    components?: { schemas?: Record<string, Schema> };
  };
  components = doc.components?.schemas ?? {};
  ops = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).flatMap(([method, op]) => {
      const schema = op.requestBody?.content?.['application/json']?.schema;
      return schema && path !== '/api/v1/auth/logout'
        ? [{ method: method.toUpperCase(), path, schema }]
        : [];
    }),
  );
});
afterAll(() => t?.close());

const wrong = fc.constantFrom<unknown>(
  '0000-01-01',
  '1990-02-30',
  '2021-13-45T99:00:00Z',
  '9999-12-31T23:59:59Z',
  -1,
  1e308,
  -2147483649,
  Number.MAX_SAFE_INTEGER + 2,
  0.5,
  '',
  ' ',
  'x'.repeat(5000),
  "' OR 1=1 --",
  '\u0000',
  null,
  true,
  [],
  {},
  'not-a-uuid',
);

const sampleString = (s: Schema): fc.Arbitrary<string> => {
  switch (s.format) {
    case 'uuid':
      return fc.constantFrom(...ids);
    case 'date':
      return fc.constantFrom('2021-07-20', '2020-02-29', '1900-01-01', '2030-01-01');
    case 'date-time':
      return fc.constantFrom('2021-07-20T08:00:00+07:00', '2021-07-20T01:00:00.000Z');
    case 'email':
      return fc.constant('a@b.vn');
    default:
      return fc.oneof(
        fc.constantFrom('11', '094', '03136', '0912345678', 'Nguyễn Văn An', 'rt_pcr', 'in'),
        fc.string({ maxLength: 12 }),
      );
  }
};

/** A value of the schema's shape, any leaf of which may be of the wrong kind. */
function arb(s: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (s.$ref) return arb(components[String(s.$ref).split('/').pop()!] ?? {}, depth);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((a: Schema) => arb(a, depth)));
  if (s.allOf?.length) return arb(s.allOf[0], depth);
  let right: fc.Arbitrary<unknown>;
  if (s.const !== undefined) right = fc.constant(s.const);
  else if (s.enum) right = fc.constantFrom(...(s.enum as unknown[]));
  else {
    const type = Array.isArray(s.type) ? s.type[0] : s.type;
    switch (type) {
      case 'object': {
        if (depth > 5) return fc.constant({});
        const props = (s.properties ?? {}) as Record<string, Schema>;
        const required = new Set<string>(s.required ?? []);
        const model: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [k, v] of Object.entries(props)) model[k] = arb(v, depth + 1);
        right = fc.record(model, {
          requiredKeys: Object.keys(props).filter((k) => required.has(k)),
        });
        break;
      }
      case 'array':
        right =
          depth > 5 ? fc.constant([]) : fc.array(arb(s.items ?? {}, depth + 1), { maxLength: 3 });
        break;
      case 'string':
        right = sampleString(s);
        break;
      case 'integer':
        right = fc.integer({ min: s.minimum ?? -5, max: s.maximum ?? 100_000 });
        break;
      case 'number':
        right = fc.double({
          min: s.minimum ?? -5,
          max: s.maximum ?? 100_000,
          noNaN: true,
          noDefaultInfinity: true,
        });
        break;
      case 'boolean':
        right = fc.boolean();
        break;
      case 'null':
        right = fc.constant(null);
        break;
      default:
        right = fc.oneof(sampleString({}), fc.integer(), fc.constant(null));
    }
  }
  return fc.oneof({ arbitrary: right, weight: 6 }, { arbitrary: wrong, weight: 1 });
}

describe(`bodies from the OpenAPI schemas on ${ENGINE}`, () => {
  it('finds the operations that take a JSON body', () => {
    expect(ops.length).toBeGreaterThan(60);
  });

  it('never answers 5xx or database text', { timeout: 600_000 }, async () => {
    const bodies = new Map(ops.map((o) => [o, arb(o.schema)]));
    const cases = fc
      .tuple(fc.integer({ min: 0, max: 100_000 }), fc.boolean(), fc.array(fc.constantFrom(...ids)))
      .chain(([i, asAdmin, pathIds]) => {
        const op = ops[i % ops.length]!;
        return bodies.get(op)!.map((body) => ({ op, body, asAdmin, pathIds }));
      });
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(cases, async ({ op, body, asAdmin, pathIds }) => {
        let k = 0;
        const url = op.path
          .replace(/\{code\}/g, '03136')
          .replace(/\{[^}]+\}/g, () => pathIds[k++] ?? SAMPLE_UUID);
        const res = await t.app.inject({
          method: op.method as 'POST',
          url,
          headers: { cookie: asAdmin ? admin : province, 'content-type': 'application/json' },
          payload: JSON.stringify(body) ?? 'null',
        });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 500 || DATABASE_TEXT.test(res.body))
          throw new Error(
            `${op.method} ${url} → ${res.statusCode} ${res.body} for ${JSON.stringify(body).slice(0, 2000)}`,
          );
        if (res.statusCode === 400) {
          // the one error shape naming fields; FHIR endpoints answer an OperationOutcome instead
          const answer = res.json();
          if (answer.resourceType === 'OperationOutcome')
            expect(answer.issue.length).toBeGreaterThan(0);
          else expect(answer).toHaveProperty('fields');
        }
      }),
      { numRuns: Number(process.env.EPIGUARD_FUZZ_RUNS ?? 500) },
    );
    // The bodies reach the commands: some are written, most are refused field by field.
    const written = [...statuses].filter(([s]) => s < 300).reduce((n, [, c]) => n + c, 0);
    if (process.env.EPIGUARD_TEST_LOG) console.log(Object.fromEntries(statuses));
    expect(written).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(written);
  });
});
