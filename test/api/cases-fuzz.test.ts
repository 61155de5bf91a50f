import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Random bodies at the cases / tracing write endpoints with ids that exist (so that the bodies
 * reach the handlers, past the 404 of an unknown id), as a commune officer: nothing may answer
 * 5xx. The general fuzz test covers every endpoint with made-up ids.
 */
let t: TestApp;
let officer: string;
let urls: string[] = [];

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.login('admin');
  const u = await t.as(admin, 'POST', '/api/v1/users', {
    username: 'fz.xa',
    fullName: 'fz',
    password: 'password-123',
    role: 'commune_health',
    jurisdiction: { level: 'commune', unitCode: '03136' },
  });
  expect(u.statusCode).toBe(201);
  officer = await t.login('fz.xa', 'password-123');
  const p = await t.as(officer, 'POST', '/api/v1/persons', {
    fullName: 'Lò Văn Fuzz',
    birthYear: 1980,
    sex: 'male',
    address: { communeCode: '03136' },
  });
  const friend = await t.as(officer, 'POST', '/api/v1/persons', {
    fullName: 'Lò Văn Bạn',
    birthYear: 1981,
    sex: 'male',
    address: { communeCode: '03136' },
  });
  const c = await t.as(officer, 'POST', '/api/v1/cases', {
    personId: p.json().id,
    positiveSampleAt: new Date().toISOString(),
    foundBy: 'community',
    basis: 'pcr_positive',
  });
  await t.as(officer, 'POST', `/api/v1/cases/${c.json().id}/interview-contacts`, {
    personId: friend.json().id,
    at: new Date(Date.now() - 3_600_000).toISOString(),
    minutes: 30,
    masked: false,
  });
  const k = (await t.as(officer, 'GET', `/api/v1/cases/${c.json().id}/contacts`)).json().f1[0];
  const conf = (await t.as(officer, 'POST', `/api/v1/contacts/${k.id}/confirm`, {})).json();
  const v = (
    await t.as(officer, 'POST', '/api/v1/venues', {
      name: 'Chợ fuzz',
      kind: 'market',
      communeCode: '03136',
    })
  ).json();
  const cl = (
    await t.as(officer, 'POST', '/api/v1/clusters', {
      name: 'Ổ fuzz',
      communeCode: '03136',
      startDate: '2026-01-01',
    })
  ).json();
  urls = [
    '/api/v1/cases',
    `/api/v1/cases/${c.json().id}/status`,
    `/api/v1/cases/${c.json().id}/transfer`,
    `/api/v1/cases/${c.json().id}/interview-contacts`,
    `/api/v1/contacts/${k.id}/confirm`,
    `/api/v1/contacts/${k.id}/reject`,
    `/api/v1/tracing/tasks/${conf.quarantineOrder.id}/assign`,
    `/api/v1/tracing/tasks/${conf.quarantineOrder.id}/events`,
    '/api/v1/venues',
    `/api/v1/venues/${v.id}/checkins`,
    '/api/v1/clusters',
    `/api/v1/clusters/${cl.id}/cases`,
    `/api/v1/clusters/${cl.id}/close`,
    '/api/v1/lockdowns',
  ];
  for (const url of urls) expect(url).not.toContain('undefined');
});
afterAll(() => t?.close());

const plausible = fc.oneof(
  fc.constantFrom(
    '03136',
    '03331',
    '094',
    '00000000-0000-4000-8000-000000000000',
    'hospital',
    'in',
    'out',
    'market',
    'community',
    'pcr_positive',
    'two_rapid_epi',
    'test',
    'reached',
    'quarantined',
    '2026-01-01',
    '2021-07-20T08:00:00+07:00',
    '1900-01-01T00:00:00Z',
    'ABCDEFGH',
    '',
  ),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string(), fc.uuid()), { maxLength: 3 }),
);
const body = fc.oneof(
  fc.anything(),
  fc.dictionary(
    fc.constantFrom(
      'personId',
      'positiveSampleAt',
      'onsetDate',
      'foundBy',
      'basis',
      'status',
      'hospitalTier',
      'facilitySiteId',
      'toCommuneCode',
      'responsibility',
      'at',
      'minutes',
      'masked',
      'physical',
      'token',
      'declarationCode',
      'direction',
      'area',
      'reason',
      'userId',
      'team',
      'kind',
      'result',
      'name',
      'communeCode',
      'startDate',
      'endDate',
      'caseIds',
      'unitCodes',
      'villageIds',
      'clientId',
      'responsibleCommuneCode',
      'place',
    ),
    plausible,
  ),
);

describe(`random bodies at the tracing endpoints on ${ENGINE}`, () => {
  it('answers 404 for a case that does not exist put in a cluster, audited', async () => {
    // The denial's audit event was written outside the open transaction: on the embedded
    // database (one connection) that waited for the transaction forever.
    const url = urls.find((u) => u.endsWith('/cases') && u.includes('/clusters/'))!;
    const missing = '00000000-0000-4000-8000-000000000001';
    const r = await t.as(officer, 'POST', url, { caseIds: [missing] });
    expect(r.statusCode, r.body).toBe(404);
    const audited = await t.db.query(
      "SELECT 1 FROM audit_events WHERE action = 'clusters.cases' AND outcome = 'denied' AND detail->'ids' ? $1",
      [missing],
    );
    expect(audited).toHaveLength(1);
  });

  it('never answers 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1000 }), body, async (i, payload) => {
        const url = urls[i % urls.length]!;
        const res = await t.app.inject({
          method: 'POST',
          url,
          headers: { 'content-type': 'application/json', cookie: officer },
          payload: JSON.stringify(payload) ?? 'null',
        });
        if (res.statusCode >= 500)
          throw new Error(
            `POST ${url} → ${res.statusCode} ${res.body} for ${JSON.stringify(payload)}`,
          );
      }),
      { numRuns: 600 },
    );
  });
});
