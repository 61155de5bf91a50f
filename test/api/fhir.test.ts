import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dateOfInstant } from '../../src/domain/dates.ts';
import { transactionProblems } from '../../src/domain/fhir.ts';
import { validateFhir } from '../../src/server/testing/fhir-schema.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Issue 13, item 6: FHIR R4 exchange other systems can load. Export as a transaction (POST with
 * conditional create) or a collection, vaccinations as Immunization; the importer refuses what
 * a FHIR server refuses (codes outside their system, 30 February, transactions without
 * requests, repeated fullUrls, documents without their Composition) with an OperationOutcome
 * in the request's language, answers one response entry per entry, keeps the sender's
 * identifiers and stores names in NFC. Checked against the official R4 schema and the WHO DDCC
 * examples in shared/testdata.
 */
const A = '03136'; // Phường Mường Thanh
// shared/ beside the repository (EPIGUARD_SHARED when the checkout lives elsewhere, e.g. a worktree).
const DDCC = `${process.env.EPIGUARD_SHARED ?? fileURLToPath(new URL('../../../shared', import.meta.url))}/testdata/fhir/ddcc`;
const yesterday = addDays(dateOfInstant(Date.now()), -1);
const at = (hm: string) => `${yesterday}T${hm}:00+07:00`;
const SCT = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let t: TestApp;
let admin: string;
let province: string;
let lab: string;
let personId: string;

async function mkUser(username: string, role: string, jurisdiction: Json) {
  const r = await t.as(admin, 'POST', '/api/v1/users', {
    username,
    fullName: username,
    password: 'password-123',
    role,
    jurisdiction,
  });
  expect(r.statusCode, r.body).toBe(201);
  return t.login(username, 'password-123');
}
const count = async (sql: string) => (await t.db.query<{ n: number }>(sql))[0]!.n;
const post = (body: unknown, lang = 'vi') =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/fhir/Bundle',
    payload: body as Json,
    headers: { cookie: province, 'accept-language': lang },
  });

let n = 0;
/** A transaction from a lab system: Patient, Specimen, Observation (+ DiagnosticReport). */
function labBundle(o: {
  value?: Json;
  effective?: string;
  name?: string;
  idNumber?: string;
  obsId?: string;
  ct?: number;
  extra?: Json;
}) {
  n++;
  const pid = `urn:uuid:7d3c1f0e-6a52-4f1e-9a57-${String(n).padStart(12, '0')}`;
  const sid = `urn:uuid:5e1f9d8c-7b6a-4f4e-8c55-${String(n).padStart(12, '0')}`;
  const oid = `urn:uuid:0b7c9a52-2f0e-4c55-8e1f-${String(n).padStart(12, '0')}`;
  const did = `urn:uuid:9f3a2b1c-0d4e-4f5a-8b6c-${String(n).padStart(12, '0')}`;
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: pid,
        resource: {
          resourceType: 'Patient',
          identifier: [
            { system: 'urn:epiguard:vn-national-id', value: o.idNumber ?? `0110900${50000 + n}` },
          ],
          name: [{ text: o.name ?? `Hoàng Thị Thử ${String.fromCharCode(64 + n)}` }],
          gender: 'female',
          birthDate: '1990-05-02',
          address: [
            { country: 'VN', extension: [{ url: 'urn:epiguard:fhir:commune-code', valueCode: A }] },
          ],
        },
        request: { method: 'POST', url: 'Patient' },
      },
      {
        fullUrl: sid,
        resource: {
          resourceType: 'Specimen',
          identifier: [{ system: 'https://lab.example.vn/mau', value: `m-${n}` }],
          subject: { reference: pid },
        },
        request: { method: 'POST', url: 'Specimen' },
      },
      {
        fullUrl: oid,
        resource: {
          resourceType: 'Observation',
          identifier: [{ system: 'https://lab.example.vn/ket-qua', value: o.obsId ?? `KQ-${n}` }],
          status: 'final',
          code: { coding: [{ system: LOINC, code: '94500-6' }] },
          subject: { reference: pid },
          effectiveDateTime: o.effective ?? at('08:00'),
          issued: at('18:00'),
          specimen: { reference: sid },
          ...(o.value ?? {
            valueCodeableConcept: { coding: [{ system: SCT, code: '260415000' }] },
          }),
          ...(o.ct !== undefined
            ? {
                component: [
                  {
                    code: {
                      coding: [{ system: 'urn:epiguard:observation-component', code: 'ct' }],
                    },
                    valueQuantity: {
                      value: o.ct,
                      unit: 'Ct',
                      system: 'http://unitsofmeasure.org',
                      code: '{Ct}',
                    },
                  },
                ],
              }
            : {}),
          ...o.extra,
        },
        request: { method: 'POST', url: 'Observation' },
      },
      {
        fullUrl: did,
        resource: {
          resourceType: 'DiagnosticReport',
          identifier: [{ system: 'https://lab.example.vn/phieu', value: `PH-${n}` }],
          status: 'final',
          code: { coding: [{ system: LOINC, code: '94500-6' }] },
          subject: { reference: pid },
          result: [{ reference: oid }],
        },
        request: { method: 'POST', url: 'DiagnosticReport' },
      },
    ],
  };
}
const outcome = (r: { statusCode: number; body: string; json: () => Json }) => {
  expect(r.statusCode, r.body).toBe(400);
  const o = r.json();
  expect(o.resourceType).toBe('OperationOutcome');
  expect(validateFhir(o)).toEqual([]);
  return o.issue as { severity: string; code: string; expression: string[]; diagnostics: string }[];
};

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin');
  province = await mkUser('fhir.tinh', 'province', { level: 'province', unitCode: '11' });
  const labSite = await t.as(admin, 'POST', '/api/v1/sites', {
    kind: 'lab',
    name: 'Phòng xét nghiệm FHIR (test)',
    communeCode: A,
  });
  lab = await mkUser('fhir.lab', 'lab', { level: 'site', siteId: labSite.json().id });
  const vsite = await t.as(admin, 'POST', '/api/v1/sites', {
    kind: 'vaccination_site',
    name: 'Điểm tiêm FHIR (test)',
    communeCode: A,
  });
  const p = await t.as(province, 'POST', '/api/v1/persons', {
    fullName: 'Lò Văn Tiêm',
    birthDate: '1980-04-12',
    sex: 'male',
    idType: 'cccd',
    idNumber: '011080012399',
    address: { communeCode: A },
  });
  expect(p.statusCode, p.body).toBe(201);
  personId = p.json().id;
  const d = await t.as(province, 'POST', '/api/v1/vaccinations', {
    personId,
    product: 'comirnaty',
    date: '2021-09-01',
    lotNumber: 'FF2588',
    siteId: vsite.json().id,
  });
  expect(d.statusCode, d.body).toBe(201);
}, 120_000);
afterAll(() => t?.close());

describe(`FHIR exchange on ${ENGINE}`, () => {
  it('answers a transaction with one response entry per request, keeps Ct as a number', async () => {
    const r = await post(
      labBundle({
        ct: 31.5,
        value: { valueCodeableConcept: { coding: [{ system: SCT, code: '10828004' }] } },
      }),
    );
    expect(r.statusCode, r.body).toBe(201);
    const b = r.json();
    expect(validateFhir(b)).toEqual([]);
    expect(b.type).toBe('transaction-response');
    expect(b.entry).toHaveLength(4);
    expect(b.entry.map((e: Json) => e.response.status)).toEqual([
      '201 Created',
      '200 OK',
      '201 Created',
      '200 OK',
    ]);
    expect(b.entry[0].response.location).toMatch(/^Patient\//);
    expect(b.entry[2].response.location).toMatch(/^Observation\//);
    const id = b.entry[2].response.location.split('/')[1];
    const row = (
      await t.db.query<Json>('SELECT result, ct_value FROM test_results WHERE id = $1', [id])
    )[0]!;
    expect(row.result).toBe('positive');
    expect(Number(row.ct_value)).toBe(31.5);
  }, 60_000);

  it('refuses a code that does not belong to its coding system (SNOMED code under LOINC)', async () => {
    const before = await count('SELECT count(*)::int AS n FROM test_results');
    const r = await post(
      labBundle({
        value: { valueCodeableConcept: { coding: [{ system: LOINC, code: '260373001' }] } },
      }),
    );
    const issues = outcome(r);
    expect(issues[0]).toMatchObject({
      severity: 'error',
      code: 'code-invalid',
      expression: ['Bundle.entry[2].resource.valueCodeableConcept.coding[0]'],
    });
    expect(await count('SELECT count(*)::int AS n FROM test_results')).toBe(before);
  });

  it('refuses 30 February before any rule is applied, in the language asked for', async () => {
    const before = await count('SELECT count(*)::int AS n FROM test_results');
    const cases = await count('SELECT count(*)::int AS n FROM cases');
    const bundle = labBundle({
      effective: '2021-02-30T10:00:00+07:00',
      value: { valueCodeableConcept: { coding: [{ system: SCT, code: '260373001' }] } },
    });
    const vi = outcome(await post(bundle));
    expect(vi[0]).toMatchObject({
      code: 'value',
      expression: ['Bundle.entry[2].resource.effectiveDateTime'],
    });
    expect(vi[0]!.diagnostics).toContain('không phải ngày giờ có thật');
    const en = outcome(await post(bundle, 'en-GB,en;q=0.9'));
    expect(en[0]!.diagnostics).toContain('not a real date');
    expect(await count('SELECT count(*)::int AS n FROM test_results')).toBe(before);
    expect(await count('SELECT count(*)::int AS n FROM cases')).toBe(cases);
  });

  it('refuses transactions without request, duplicate fullUrls and documents without a Composition first', async () => {
    const noRequest = labBundle({});
    delete (noRequest.entry[2] as Json).request;
    expect(outcome(await post(noRequest))[0]).toMatchObject({
      code: 'required',
      expression: ['Bundle.entry[2].request'],
    });
    const dup = labBundle({});
    dup.entry[3]!.fullUrl = dup.entry[2]!.fullUrl;
    expect(outcome(await post(dup))[0]).toMatchObject({
      code: 'duplicate',
      expression: ['Bundle.entry[3].fullUrl'],
    });
    const ddcc = JSON.parse(readFileSync(`${DDCC}/Bundle-ExampleEnglish.json`, 'utf8'));
    const reordered = { ...ddcc, entry: [...ddcc.entry.slice(1), ddcc.entry[0]] };
    expect(outcome(await post(reordered)).map((i) => i.expression[0])).toContain('Bundle.entry[0]');
  });

  it('checks the official WHO DDCC R4 examples: schema-valid, document structure accepted, what is not a result refused by name', async () => {
    for (const f of readdirSync(DDCC))
      expect(validateFhir(JSON.parse(readFileSync(`${DDCC}/${f}`, 'utf8'))), f).toEqual([]);
    const doc = JSON.parse(readFileSync(`${DDCC}/Bundle-ExampleEnglish.json`, 'utf8'));
    const issues = outcome(await post(doc));
    // The document's structure passes (Composition first, identifier, timestamp); its
    // Immunization names its vaccine in ICD-11 only (no CVX / EU DCC product code we know) and
    // an ImmunizationRecommendation is not stored: both refused by entry, nothing written.
    expect(issues.map((i) => [i.code, i.expression[0]])).toEqual([
      ['code-invalid', 'Bundle.entry[3].resource.vaccineCode'],
      ['not-supported', 'Bundle.entry[4].resource'],
    ]);
    const batch = JSON.parse(readFileSync(`${DDCC}/Bundle-DDCCTXSHEbundleexample1.json`, 'utf8'));
    expect(outcome(await post(batch))[0]).toMatchObject({
      code: 'not-supported',
      expression: ['Bundle.entry[0].request'],
    });
  });

  it('exports a transaction a FHIR server accepts, or a collection on request; both schema-valid', async () => {
    const r = await t.as(province, 'GET', '/api/v1/fhir/Bundle');
    expect(r.statusCode, r.body).toBe(200);
    const tx = r.json();
    expect(tx.type).toBe('transaction');
    expect(validateFhir(tx)).toEqual([]);
    expect(transactionProblems(tx)).toEqual([]);
    for (const e of tx.entry) {
      expect(e.request).toMatchObject({ method: 'POST', url: e.resource.resourceType });
      expect(e.request.ifNoneExist).toMatch(/^identifier=[^|]+\|.+$/);
      expect(e.resource.id).toBeUndefined();
    }
    const obs = tx.entry.find((e: Json) => e.resource.resourceType === 'Observation').resource;
    expect(obs.note).toBeUndefined();
    const c = await t.as(province, 'GET', '/api/v1/fhir/Bundle?type=collection');
    const coll = c.json();
    expect(coll.type).toBe('collection');
    expect(validateFhir(coll)).toEqual([]);
    expect(coll.entry.every((e: Json) => e.request === undefined && e.resource.id)).toBe(true);
    const bad = await t.as(province, 'GET', '/api/v1/fhir/Bundle?type=searchset');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().resourceType).toBe('OperationOutcome');
  });

  it('exports the Ct value as a number and an invalid result without the US-extension code', async () => {
    await post(
      labBundle({
        obsId: 'KQ-INVALID',
        value: { valueCodeableConcept: { coding: [{ system: SCT, code: '419984006' }] } },
      }),
    );
    const r = await t.as(province, 'GET', '/api/v1/fhir/Bundle?type=collection&_count=500');
    expect(r.body).not.toContain('455371000124106');
    const obs = r
      .json()
      .entry.map((e: Json) => e.resource)
      .filter((x: Json) => x.resourceType === 'Observation');
    const withCt = obs.find((o: Json) => o.component);
    expect(withCt.component[0].valueQuantity).toMatchObject({ value: 31.5, code: '{Ct}' });
    const invalid = obs.find((o: Json) => o.identifier[0].value === 'KQ-INVALID');
    expect(invalid.valueCodeableConcept).toBeUndefined();
    expect(invalid.dataAbsentReason.coding[0]).toMatchObject({ code: 'error' });
  });

  it('exports vaccinations as Immunization with CVX and EU DCC codes, lot, date and dose number', async () => {
    const r = await t.as(province, 'GET', '/api/v1/fhir/Bundle?_type=Immunization');
    expect(r.statusCode, r.body).toBe(200);
    const b = r.json();
    expect(validateFhir(b)).toEqual([]);
    expect(transactionProblems(b)).toEqual([]);
    const imm = b.entry.find((e: Json) => e.resource.resourceType === 'Immunization');
    expect(imm.request).toMatchObject({ method: 'POST', url: 'Immunization' });
    const res = imm.resource;
    expect(res.vaccineCode.coding).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ system: 'http://hl7.org/fhir/sid/cvx', code: '208' }),
        expect.objectContaining({ code: 'EU/1/20/1528' }),
      ]),
    );
    expect(res).toMatchObject({
      status: 'completed',
      occurrenceDateTime: '2021-09-01',
      lotNumber: 'FF2588',
    });
    expect(res.protocolApplied[0].doseNumberPositiveInt).toBe(1);
    const patient = b.entry.find((e: Json) => e.fullUrl === res.patient.reference);
    // Issue 10, item 10: no ID number or phone leaves in an export; the person is known by our id.
    expect(patient.resource.identifier).toEqual([
      { system: 'urn:epiguard:person', value: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    ]);
    expect(JSON.stringify(b)).not.toContain('011080012399');
    // the lab exchanges results only
    expect((await t.as(lab, 'GET', '/api/v1/fhir/Bundle?_type=Immunization')).statusCode).toBe(404);
  });

  it("keeps the sender's identifiers on a round trip, and another instance loads our transaction once", async () => {
    await post(labBundle({ obsId: 'KQ-ROUND-1' }));
    const r = await t.as(province, 'GET', '/api/v1/fhir/Bundle?_count=500');
    const tx = r.json();
    const obs = tx.entry.find((e: Json) => e.resource.identifier?.[0]?.value === 'KQ-ROUND-1');
    expect(obs.resource.identifier[0]).toEqual({
      system: 'https://lab.example.vn/ket-qua',
      value: 'KQ-ROUND-1',
    });
    expect(obs.request.ifNoneExist).toBe(
      'identifier=https%3A%2F%2Flab.example.vn%2Fket-qua|KQ-ROUND-1',
    );
    // our own export back into this instance changes nothing
    const before = await count('SELECT count(*)::int AS n FROM test_results');
    const back = await post(tx);
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json().entry).toHaveLength(tx.entry.length);
    expect(await count('SELECT count(*)::int AS n FROM test_results')).toBe(before);
    // another instance loads it, once
    const other = await startTestApp();
    try {
      const oadmin = await other.login('admin');
      const u = await other.as(oadmin, 'POST', '/api/v1/users', {
        username: 'fhir.other',
        fullName: 'fhir.other',
        password: 'password-123',
        role: 'province',
        jurisdiction: { level: 'province', unitCode: '11' },
      });
      expect(u.statusCode).toBe(201);
      const o = await other.login('fhir.other', 'password-123');
      const first = await other.as(o, 'POST', '/api/v1/fhir/Bundle', tx);
      expect(first.statusCode, first.body).toBe(201);
      expect(first.json().entry).toHaveLength(tx.entry.length);
      const loaded = await other.db.query<{ natural_key: string }>(
        `SELECT natural_key FROM test_results WHERE natural_key LIKE 'fhir:https://lab.example.vn/%'`,
      );
      expect(loaded.map((x) => x.natural_key)).toContain(
        'fhir:https://lab.example.vn/ket-qua|KQ-ROUND-1',
      );
      const again = await other.as(o, 'POST', '/api/v1/fhir/Bundle', tx);
      expect(again.statusCode).toBe(200);
      // vaccinations too: the Immunization transaction is recorded by the vaccination rules, once
      const imm = (await t.as(province, 'GET', '/api/v1/fhir/Bundle?_type=Immunization')).json();
      const doses = await other.as(o, 'POST', '/api/v1/fhir/Bundle', imm);
      expect(doses.statusCode, doses.body).toBe(201);
      const k = imm.entry.findIndex((e: Json) => e.resource.resourceType === 'Immunization');
      expect(doses.json().entry[k].response).toMatchObject({ status: '201 Created' });
      expect(doses.json().entry[k].response.location).toMatch(/^Immunization\//);
      const dose = await other.db.query<Json>(
        `SELECT d.product, d.lot_number, d.dose_number, d.given_on::text AS given_on FROM vaccination_doses d
           JOIN persons p ON p.id = d.person_id WHERE p.full_name = 'Lò Văn Tiêm'`,
      );
      expect(dose).toEqual([
        { product: 'comirnaty', lot_number: 'FF2588', dose_number: 1, given_on: '2021-09-01' },
      ]);
      const dosesAgain = await other.as(o, 'POST', '/api/v1/fhir/Bundle', imm);
      expect(dosesAgain.statusCode, dosesAgain.body).toBe(200);
      // and gives the lab's identifier back in its own export
      const out = (await other.as(o, 'GET', '/api/v1/fhir/Bundle?_count=500')).json();
      expect(
        out.entry.some(
          (e: Json) =>
            e.resource.identifier?.[0]?.value === 'KQ-ROUND-1' &&
            e.resource.resourceType === 'Observation',
        ),
      ).toBe(true);
    } finally {
      await other.close();
    }
  }, 180_000);

  it('stores and exports names in NFC, from FHIR and from the person form', async () => {
    const nfd = 'Nguyễn Thị Hường'.normalize('NFD');
    const r = await post(labBundle({ name: nfd, idNumber: '011090077777' }));
    expect(r.statusCode, r.body).toBe(201);
    const pid = r.json().entry[0].response.location.split('/')[1];
    const stored = (
      await t.db.query<{ full_name: string }>('SELECT full_name FROM persons WHERE id = $1', [pid])
    )[0]!;
    expect(stored.full_name).toBe('Nguyễn Thị Hường');
    expect(stored.full_name).toBe(stored.full_name.normalize('NFC'));
    const form = await t.as(province, 'POST', '/api/v1/persons', {
      fullName: 'Đặng Văn Tuấn'.normalize('NFD'),
      birthYear: 1975,
      sex: 'male',
      address: { communeCode: A },
    });
    expect(form.statusCode, form.body).toBe(201);
    expect(form.json().fullName).toBe('Đặng Văn Tuấn'.normalize('NFC'));
    const patch = await t.as(province, 'PATCH', `/api/v1/persons/${form.json().id}`, {
      fullName: 'Đặng Văn Tuấn Anh'.normalize('NFD'),
    });
    expect(patch.statusCode, patch.body).toBe(200);
    const got = await t.as(province, 'GET', `/api/v1/persons/${form.json().id}`);
    expect(got.json().fullName).toBe('Đặng Văn Tuấn Anh'.normalize('NFC'));
  });
});
