import fc from 'fast-check';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoSigner } from '../../src/server/vaccination/dcc.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Random bodies at the vaccination write endpoints, as users who may use them (commune officer,
 * province), with ids that exist mixed in so that bodies reach the handlers: nothing may answer
 * 5xx. The general fuzz test covers every endpoint as the admin and as nobody.
 */
let t: TestApp;
let xa: string;
let tinh: string;
let personId: string;
let siteId: string;
let doseId: string;

const URLS: [string, 'POST' | 'PUT'][] = [
  ['/api/v1/vaccinations', 'POST'],
  ['/api/v1/certificates', 'POST'],
  ['/api/v1/public/certificates/verify', 'POST'],
  ['/api/v1/vaccination-exemptions', 'POST'],
  ['/api/v1/vaccination-screenings', 'POST'],
  ['/api/v1/vaccination-reactions', 'POST'],
  ['/api/v1/vaccination-sessions', 'POST'],
  ['/api/v1/vaccine-wastage', 'POST'],
  ['/api/v1/vaccination-targets', 'PUT'],
  ['/api/v1/vaccine-lots', 'POST'],
  ['/api/v1/vaccination-rounds', 'POST'],
  ['/api/v1/vaccine-allocations', 'POST'],
  ['/api/v1/vaccine-shipments', 'POST'],
  ['/api/v1/vaccine-distributions', 'POST'],
  ['/api/v1/dcc/trust-list', 'POST'],
];

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'epiguard-vfz-'));
  const s = await generateDemoSigner();
  await writeFile(join(dir, 'k.pem'), s.privateKeyPem);
  await writeFile(join(dir, 'c.pem'), s.certificatePem);
  process.env.EPIGUARD_DCC_KEY_FILE = join(dir, 'k.pem');
  process.env.EPIGUARD_DCC_CERT_FILE = join(dir, 'c.pem');
  t = await startTestApp();
  delete process.env.EPIGUARD_DCC_KEY_FILE;
  delete process.env.EPIGUARD_DCC_CERT_FILE;
  const admin = await t.login('admin');
  const mk = (username: string, role: string, jurisdiction: object) =>
    t.staff(username, role, jurisdiction);
  xa = await mk('vfz.xa', 'commune_health', { level: 'commune', unitCode: '03136' });
  tinh = await mk('vfz.tinh', 'province', { level: 'province', unitCode: '11' });
  const site = await t.as(admin, 'POST', '/api/v1/sites', {
    kind: 'vaccination_site',
    name: 'Điểm tiêm fuzz',
    communeCode: '03136',
  });
  siteId = site.json().id;
  const p = await t.as(xa, 'POST', '/api/v1/persons', {
    fullName: 'Lò Văn Fuzz',
    birthYear: 1980,
    sex: 'male',
    address: { communeCode: '03136' },
  });
  personId = p.json().id;
  const d = await t.as(xa, 'POST', '/api/v1/vaccinations', {
    personId,
    product: 'comirnaty',
    date: '2021-09-01',
    siteId,
  });
  expect(d.statusCode, d.body).toBe(201);
  doseId = d.json().dose.id;
});
afterAll(() => t?.close());

const plausible = () =>
  fc.oneof(
    fc.constantFrom(
      personId,
      siteId,
      doseId,
      '00000000-0000-4000-8000-000000000000',
      'comirnaty',
      'spikevax',
      'vaxzevria',
      'abdala',
      'eligible',
      'contraindicated',
      'refused',
      'serious',
      'recovered',
      'opened_vial',
      '18+',
      '65+',
      '03136',
      '094',
      '11',
      '2021-09-22',
      '2021-02-30',
      '2099-01-01',
      'HC1:NCFOXN%TS3DH',
      'HC1:',
      '5946/BYT-DP',
      '',
    ),
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.constantFrom('comirnaty', 'sốt', ''), { maxLength: 3 }),
  );

describe(`random bodies at the vaccination endpoints on ${ENGINE}`, () => {
  it('never answers 5xx', async () => {
    const KEYS = [
      'clientId',
      'personId',
      'product',
      'date',
      'doseNumber',
      'lotNumber',
      'siteId',
      'roundId',
      'sessionId',
      'screeningId',
      'vaccinator',
      'reason',
      'comorbidity',
      'note',
      'outcome',
      'findings',
      'consent',
      'doseId',
      'onsetOn',
      'severity',
      'symptoms',
      'products',
      'doses',
      'unitCode',
      'ageGroup',
      'population',
      'expiresOn',
      'number',
      'name',
      'targetGroup',
      'startsOn',
      'endsOn',
      'decisionNumber',
      'decisionDate',
      'allocationId',
      'receivedOn',
      'districtCode',
      'distributedOn',
      'recordedOn',
      'qr',
      'png',
      'certificate',
    ];
    const body = fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom(...KEYS), plausible()));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1000 }),
        fc.boolean(),
        body,
        async (i, asProvince, payload) => {
          const [url, method] = URLS[i % URLS.length]!;
          const res = await t.app.inject({
            method,
            url,
            headers: { 'content-type': 'application/json', cookie: asProvince ? tinh : xa },
            payload: JSON.stringify(payload) ?? 'null',
          });
          if (res.statusCode >= 500)
            throw new Error(
              `${method} ${url} → ${res.statusCode} ${res.body} for ${JSON.stringify(payload)}`,
            );
        },
      ),
      { numRuns: 800 },
    );
  });
});
