import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/server/paging.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';
import { DATABASE_TEXT } from '../helpers/dbtext.ts';

/**
 * Issue 14.4: each input the fuzzer found answering 500, or 400 with raw database text, answers
 * 400 naming the field. A database message never reaches the client.
 */
let t: TestApp;
let admin: string;
let village: string;
let province: string;
type Json = Record<string, unknown>;
const COMMUNE = '03136'; // Phường Mường Thanh

function expectFieldError(res: { statusCode: number; body: string }, path: string) {
  expect(res.statusCode, res.body).toBe(400);
  const body = JSON.parse(res.body) as { fields?: { path: string; message: string }[] };
  expect(res.body).not.toMatch(DATABASE_TEXT);
  const paths = body.fields?.map((f) => f.path) ?? [];
  expect(
    paths.some((p) => p === path || p.endsWith('.' + path)),
    res.body,
  ).toBe(true);
}

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin');
  const v = await t.as(admin, 'POST', '/api/v1/villages', {
    communeCode: COMMUNE,
    name: 'Tổ 1',
    kind: 'to_dan_pho',
  });
  expect(v.statusCode, v.body).toBe(201);
  const u = await t.as(admin, 'POST', '/api/v1/users', {
    username: 'robust.to1',
    password: 'password-123',
    fullName: 'Tổ Covid cộng đồng',
    role: 'community_team',
    jurisdiction: { level: 'village', villageId: (v.json() as Json).id },
  });
  expect(u.statusCode, u.body).toBe(201);
  village = await t.login('robust.to1', 'password-123');
  const p = await t.as(admin, 'POST', '/api/v1/users', {
    username: 'robust.tinh',
    password: 'password-123',
    fullName: 'Sở Y tế',
    role: 'province',
    jurisdiction: { level: 'province', unitCode: '11' },
  });
  expect(p.statusCode, p.body).toBe(201);
  province = await t.login('robust.tinh', 'password-123');
});
afterAll(() => t?.close());

describe(`inputs the fuzzer found, on ${ENGINE}`, () => {
  it('a multipart upload without a boundary is a 400 naming the file, not a 500', async () => {
    for (const [who, url] of [
      [province, '/api/v1/result-imports'],
      [admin, '/api/v1/villages/import'],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: { cookie: who, 'content-type': 'multipart/form-data' },
        payload: 'ma_xa,ten\n03136,Tổ 2\n',
      });
      expectFieldError(res, 'file');
    }
  });

  it('the date 0000-01-01 is a 400 naming the field (vaccinations)', async () => {
    const r = await t.as(
      province,
      'GET',
      `/api/v1/vaccinations/due?commune=${COMMUNE}&date=0000-01-01`,
    );
    expectFieldError(r, 'date');
    const dose = await t.as(province, 'POST', '/api/v1/vaccinations', { date: '0000-01-01' });
    expectFieldError(dose, 'date');
  });

  it('village-level users may list sites and a person’s cases (no missing column)', async () => {
    const sites = await t.as(village, 'GET', '/api/v1/sites');
    expect(sites.statusCode, sites.body).toBe(200);
    const cases = await t.as(
      village,
      'GET',
      '/api/v1/persons/00000000-0000-4000-8000-000000000000/cases',
    );
    expect([200, 404]).toContain(cases.statusCode);
    expect(cases.body).not.toMatch(DATABASE_TEXT);
  });

  it('a FHIR Patient born 1990-02-30 is a 400 naming the field', async () => {
    const r = await t.as(province, 'POST', '/api/v1/fhir/Bundle', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:7d3c1f0e-6a52-4f1e-9a57-1a2b3c4d5e6f',
          resource: {
            resourceType: 'Patient',
            identifier: [{ system: 'urn:epiguard:vn-national-id', value: '011090054321' }],
            name: [{ text: 'Hoàng Thị Thu' }],
            gender: 'female',
            birthDate: '1990-02-30',
            address: [
              {
                country: 'VN',
                extension: [{ url: 'urn:epiguard:fhir:commune-code', valueCode: COMMUNE }],
              },
            ],
          },
          request: { method: 'POST', url: 'Patient' },
        },
        {
          fullUrl: 'urn:uuid:0b7c9a52-2f0e-4c55-8e1f-9d8c7b6a5f4e',
          resource: {
            resourceType: 'Observation',
            identifier: [{ system: 'https://lab.example.vn/ket-qua', value: 'KQ-1' }],
            status: 'final',
            code: { coding: [{ system: 'http://loinc.org', code: '94500-6' }] },
            subject: { reference: 'urn:uuid:7d3c1f0e-6a52-4f1e-9a57-1a2b3c4d5e6f' },
            effectiveDateTime: '2021-10-05T10:00:00+07:00',
            issued: '2021-10-05T18:00:00+07:00',
            valueCodeableConcept: {
              coding: [{ system: 'http://snomed.info/sct', code: '260415000' }],
            },
          },
          request: { method: 'POST', url: 'Observation' },
        },
      ],
    });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.body).not.toMatch(DATABASE_TEXT);
    // FHIR errors are an OperationOutcome (issue 13 item 6): the field is the issue's expression.
    const paths = (r.json() as { issue: { expression: string[] }[] }).issue.flatMap(
      (i) => i.expression,
    );
    expect(
      paths.some((p) => p.endsWith('birthDate')),
      r.body,
    ).toBe(true);
  });

  const lists = [
    '/api/v1/test-orders',
    '/api/v1/specimens',
    '/api/v1/entries',
    '/api/v1/follow-ups',
    '/api/v1/pools',
  ];
  const crafted = [
    encodeCursor(['not a time', 'not a uuid']),
    encodeCursor([1e300, 'x']),
    encodeCursor(['2021-13-45T99:00:00Z', '00000000-0000-4000-8000-000000000000']),
    encodeCursor(['x', 'y', 'z']),
    encodeCursor([-1, -1]),
  ];
  it.each(lists)('a crafted cursor on %s is a 400 naming the cursor', async (url) => {
    for (const cursor of crafted) {
      const r = await t.as(province, 'GET', `${url}?cursor=${cursor}`);
      expectFieldError(r, 'cursor');
    }
  });
});
