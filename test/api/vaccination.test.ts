import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dateOfInstant } from '../../src/domain/dates.ts';
import { ensureDemoSigner } from '../../src/cli/demo.ts';
import { loadProvinceSigner } from '../../src/server/vaccination/certificates.ts';
import {
  dccSchemaProblems,
  generateDemoSigner,
  readQrPng,
  verifyDcc,
} from '../../src/server/vaccination/dcc.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { readSheet } from '../helpers/xlsx.ts';

/**
 * Vaccination through the API: a vaccinator records dose 1, the person is due for dose 2 on the
 * right day, dose 2, fully vaccinated 14 days later, a certificate that our verifier and the DCC
 * schema accept (and that one changed byte breaks), coverage, the unvaccinated list — and
 * another commune sees none of it.
 */
const A = { commune: '03136', district: '094' }; // Phường Mường Thanh, TP Điện Biên Phủ
const B = { commune: '03331', district: '100' }; // Xã Thanh Hưng, huyện Điện Biên
const today = dateOfInstant(Date.now());
const year = Number(today.slice(0, 4));

let t: TestApp;
let admin: string;
let vaccinator: string;
let xaA: string;
let xaB: string;
let tinh: string;
let village: string;
let siteId: string;
let certPem: string;
const people: Record<string, string> = {};

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function auditCount(action: string, outcome: string, actor: string, resourceId?: string) {
  const rows = await t.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_events WHERE action = $1 AND outcome = $2 AND actor_username = $3
       AND ($4::text IS NULL OR resource_id = $4)`,
    [action, outcome, actor, resourceId ?? null],
  );
  return rows[0]!.n;
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'epiguard-vacc-'));
  const signer = await generateDemoSigner({ commonName: 'test DSC' });
  certPem = signer.certificatePem;
  await writeFile(join(dir, 'key.pem'), signer.privateKeyPem);
  await writeFile(join(dir, 'cert.pem'), signer.certificatePem);
  process.env.EPIGUARD_DCC_KEY_FILE = join(dir, 'key.pem');
  process.env.EPIGUARD_DCC_CERT_FILE = join(dir, 'cert.pem');
  t = await startTestApp();
  delete process.env.EPIGUARD_DCC_KEY_FILE;
  delete process.env.EPIGUARD_DCC_CERT_FILE;
  admin = await t.login('admin');
  const site = await t.as(admin, 'POST', '/api/v1/sites', {
    kind: 'vaccination_site',
    name: 'Điểm tiêm Trạm Y tế Mường Thanh (test)',
    communeCode: A.commune,
  });
  expect(site.statusCode, site.body).toBe(201);
  siteId = site.json().id;
  const mk = (username: string, role: string, jurisdiction: Json) =>
    t.staff(username, role, jurisdiction);
  vaccinator = await mk('vc.tiem', 'vaccination_site', { level: 'site', siteId });
  xaA = await mk('vc.xa.a', 'commune_health', { level: 'commune', unitCode: A.commune });
  xaB = await mk('vc.xa.b', 'commune_health', { level: 'commune', unitCode: B.commune });
  tinh = await mk('vc.tinh', 'province', { level: 'province', unitCode: '11' });
  const v = await t.as(xaA, 'POST', '/api/v1/villages', {
    communeCode: A.commune,
    name: 'Tổ 3 (tiêm chủng)',
    kind: 'to_dan_pho',
  });
  expect(v.statusCode, v.body).toBe(201);
  village = v.json().id;
  const person = async (key: string, fullName: string, birthDate: string, sex = 'male') => {
    const r = await t.as(xaA, 'POST', '/api/v1/persons', {
      fullName,
      birthDate,
      sex,
      address: { communeCode: A.commune, villageId: village },
    });
    expect(r.statusCode, r.body).toBe(201);
    people[key] = r.json().id;
  };
  await person('an', 'Nguyễn Văn An', '1985-03-15');
  await person('lan', 'Lò Thị Lan', `${year - 70}-05-01`, 'female');
  await person('ba', 'Quàng Văn Ba', `${year - 40}-01-20`);
  await person('em', 'Lường Văn Em', `${year - 15}-02-02`);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const dose = (body: Json, cookie = vaccinator) =>
  t.as(cookie, 'POST', '/api/v1/vaccinations', body);

describe('the vaccinator finds the people of its commune', () => {
  it('searches and opens residents of the site’s commune, and nobody else', async () => {
    const found = await t.as(vaccinator, 'POST', '/api/v1/persons/search', { q: 'nguyen van an' });
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().items.map((p: Json) => p.id)).toContain(people.an);
    expect((await t.as(vaccinator, 'GET', `/api/v1/persons/${people.an}`)).statusCode).toBe(200);
    const elsewhere = await t.as(xaB, 'POST', '/api/v1/persons', {
      fullName: 'Nguyễn Văn An',
      birthYear: 1990,
      sex: 'male',
      address: { communeCode: B.commune },
    });
    expect(elsewhere.statusCode, elsewhere.body).toBe(201);
    const again = await t.as(vaccinator, 'POST', '/api/v1/persons/search', { q: 'nguyen van an' });
    expect(again.json().items.map((p: Json) => p.id)).not.toContain(elsewhere.json().id);
    const other = await t.as(vaccinator, 'GET', `/api/v1/persons/${elsewhere.json().id}`);
    expect(other.statusCode).toBe(404);
    expect(await auditCount('persons.read', 'denied', 'vc.tiem', elsewhere.json().id)).toBe(1);
  });
});

describe('doses, next dose, fully vaccinated', () => {
  const d1 = addDays(today, -40);
  const d2 = addDays(today, -10);
  const clientId = randomUUID();

  it('records dose 1 at the vaccinator’s site and schedules dose 2 21 days later', async () => {
    const r = await dose({
      clientId,
      personId: people.an,
      product: 'comirnaty',
      date: d1,
      lotNumber: 'FF1234',
    });
    expect(r.statusCode, r.body).toBe(201);
    const b = r.json();
    expect(b.dose).toMatchObject({ doseNumber: 1, kind: 'primary', siteId, product: 'comirnaty' });
    expect(b.state.next).toMatchObject({
      kind: 'primary',
      doseNumber: 2,
      due: addDays(d1, 21),
      earliest: addDays(d1, 21),
    });
    const due = await t.as(xaA, 'GET', `/api/v1/vaccinations/due?commune=${A.commune}`);
    expect(due.statusCode, due.body).toBe(200);
    const item = due.json().items.find((i: Json) => i.personId === people.an);
    expect(item).toMatchObject({
      doseNumber: 2,
      due: addDays(d1, 21),
      overdue: true,
      daysOverdue: 19,
    });
  });

  it('a replayed dose does not duplicate', async () => {
    const again = await dose({
      clientId,
      personId: people.an,
      product: 'comirnaty',
      date: d1,
      lotNumber: 'FF1234',
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().replayed).toBe(true);
    const same = await dose({ personId: people.an, product: 'comirnaty', date: d1 });
    expect(same.json().replayed).toBe(true);
    const rows = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM vaccination_doses WHERE person_id = $1',
      [people.an],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('refuses dose 2 too early (date) and a product that may not follow (product)', async () => {
    const early = await dose({ personId: people.an, product: 'comirnaty', date: addDays(d1, 20) });
    expect(early.statusCode).toBe(400);
    expect(early.json().fields[0].path).toBe('date');
    const mixed = await dose({ personId: people.an, product: 'vaxzevria', date: d2 });
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().fields.map((f: Json) => f.path)).toContain('product');
    const future = await dose({
      personId: people.an,
      product: 'comirnaty',
      date: addDays(today, 1),
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().fields[0].path).toBe('date');
    const bad = await dose({ personId: people.an, product: 'comirnaty', date: '2021-02-30' });
    expect(bad.statusCode).toBe(400);
  });

  it('dose 2 (Moderna may follow Pfizer) completes the series; fully vaccinated on day 14, not 13', async () => {
    const r = await dose({ personId: people.an, product: 'spikevax', date: d2, doseNumber: 2 });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().state).toMatchObject({
      status: 'primary_complete',
      primaryCompleteOn: d2,
      fullyVaccinated: false,
      fullyVaccinatedFrom: addDays(d2, 14),
    });
    const on13 = await t.as(
      xaA,
      'GET',
      `/api/v1/persons/${people.an}/vaccinations?asOf=${addDays(d2, 13)}`,
    );
    expect(on13.statusCode, on13.body).toBe(200);
    expect(on13.json().state.fullyVaccinated).toBe(false);
    const on14 = await t.as(
      xaA,
      'GET',
      `/api/v1/persons/${people.an}/vaccinations?asOf=${addDays(d2, 14)}`,
    );
    expect(on14.json().state.fullyVaccinated).toBe(true);
    expect(on14.json().doses.map((d: Json) => d.doseNumber)).toEqual([1, 2]);
    const due = await t.as(xaA, 'GET', `/api/v1/vaccinations/due?commune=${A.commune}`);
    expect(due.json().items.some((i: Json) => i.personId === people.an)).toBe(false);
  });

  it('another commune gets 404 for the person, audited; its vaccinations stay untouched', async () => {
    const r = await t.as(xaB, 'GET', `/api/v1/persons/${people.an}/vaccinations`);
    expect(r.statusCode).toBe(404);
    expect(await auditCount('vaccinations.read', 'denied', 'vc.xa.b', people.an)).toBe(1);
    const w = await dose({ personId: people.an, product: 'comirnaty', date: today }, xaB);
    expect(w.statusCode).toBe(404);
    expect(await auditCount('vaccinations.write', 'denied', 'vc.xa.b', people.an)).toBe(1);
    const due = await t.as(xaB, 'GET', `/api/v1/vaccinations/due?commune=${A.commune}`);
    expect(due.statusCode).toBe(404);
    const cov = await t.as(xaB, 'GET', `/api/v1/coverage?unit=${A.commune}`);
    expect(cov.statusCode).toBe(404);
    const cert = await t.as(xaB, 'POST', '/api/v1/certificates', { personId: people.an });
    expect(cert.statusCode).toBe(404);
  });
});

describe('screening, consent, reactions, catalogue', () => {
  it('a dose needs an eligible screening with consent when it names one; reactions are counted', async () => {
    const p = await t.as(xaA, 'POST', '/api/v1/persons', {
      fullName: 'Cà Thị Chi',
      birthDate: '1990-06-06',
      sex: 'female',
      address: { communeCode: A.commune, villageId: village },
    });
    const chi = p.json().id;
    const post = await t.as(vaccinator, 'POST', '/api/v1/vaccination-screenings', {
      personId: chi,
      outcome: 'postpone',
      findings: ['Sốt 38,5 °C'],
      consent: true,
    });
    expect(post.statusCode, post.body).toBe(201);
    const refused = await dose({
      personId: chi,
      product: 'vaxzevria',
      date: today,
      screeningId: post.json().id,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().fields[0].path).toBe('screeningId');
    const noConsent = await t.as(vaccinator, 'POST', '/api/v1/vaccination-screenings', {
      personId: chi,
      outcome: 'eligible',
      consent: false,
    });
    const r2 = await dose({
      personId: chi,
      product: 'vaxzevria',
      date: today,
      screeningId: noConsent.json().id,
    });
    expect(r2.statusCode).toBe(400);
    const ok = await t.as(vaccinator, 'POST', '/api/v1/vaccination-screenings', {
      personId: chi,
      outcome: 'eligible',
      consent: true,
      comorbidity: true,
    });
    const given = await dose({
      personId: chi,
      product: 'vaxzevria',
      date: today,
      screeningId: ok.json().id,
    });
    expect(given.statusCode, given.body).toBe(201);
    expect(given.json().state.next).toMatchObject({
      doseNumber: 2,
      earliest: addDays(today, 56),
      latest: addDays(today, 84),
      products: ['vaxzevria', 'comirnaty', 'spikevax'],
    });
    const aefi = await t.as(vaccinator, 'POST', '/api/v1/vaccination-reactions', {
      doseId: given.json().dose.id,
      onsetOn: today,
      severity: 'common',
      symptoms: ['Đau chỗ tiêm', 'Sốt nhẹ'],
      outcome: 'recovered',
    });
    expect(aefi.statusCode, aefi.body).toBe(201);
    const before = await t.as(vaccinator, 'POST', '/api/v1/vaccination-reactions', {
      doseId: given.json().dose.id,
      onsetOn: addDays(today, -1),
      severity: 'common',
      symptoms: ['x'],
      outcome: 'unknown',
    });
    expect(before.json().fields[0].path).toBe('onsetOn');
    const stats = await t.as(xaA, 'GET', `/api/v1/vaccination-reactions/stats?unit=${A.commune}`);
    expect(stats.json().items.find((i: Json) => i.product === 'vaxzevria')).toEqual({
      product: 'vaxzevria',
      doses: 1,
      common: 1,
      serious: 0,
    });
    const mine = await t.as(xaA, 'GET', `/api/v1/persons/${chi}/vaccinations`);
    expect(mine.json().screenings.map((x: Json) => x.outcome)).toContain('postpone');
  });

  it('lists the catalogue with EU codes and the schedule in force', async () => {
    const r = await t.as(vaccinator, 'GET', '/api/v1/vaccine-schedules?date=2021-10-01');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().inForce).toBe('vn-vaccine-2021-09');
    const products = r.json().items[0].products.map((p: Json) => p.mp);
    expect(products).toEqual(
      expect.arrayContaining([
        'EU/1/20/1528',
        'EU/1/20/1507',
        'EU/1/21/1529',
        'BBIBP-CorV',
        'Sputnik-V',
      ]),
    );
  });
});

describe('certificates', () => {
  let qr: string;
  it('issues a signed EU-DCC that our verifier and the DCC schema accept', async () => {
    const clientId = randomUUID();
    const r = await t.as(vaccinator, 'POST', '/api/v1/certificates', {
      personId: people.an,
      clientId,
    });
    expect(r.statusCode, r.body).toBe(201);
    const b = r.json();
    qr = b.qr;
    expect(qr.startsWith('HC1:')).toBe(true);
    expect(await readQrPng(Buffer.from(b.png, 'base64'))).toBe(qr);
    const months = (Date.parse(b.expiresAt) - Date.parse(b.issuedAt)) / (86_400_000 * 30.4);
    expect(Math.round(months)).toBe(12);
    const local = verifyDcc(qr, { trust: [certPem], at: new Date() });
    expect(local.valid, local.reasons.join('; ')).toBe(true);
    expect(dccSchemaProblems(local.payload)).toEqual([]);
    expect(local.payload).toMatchObject({
      nam: { fn: 'Nguyễn', gn: 'Văn An', fnt: 'NGUYEN', gnt: 'VAN<AN' },
      dob: '1985-03-15',
      v: [
        {
          tg: '840539006',
          mp: 'EU/1/20/1507',
          ma: 'ORG-100031184',
          dn: 2,
          sd: 2,
          dt: addDays(today, -10),
          co: 'VN',
        },
      ],
    });
    const again = await t.as(vaccinator, 'POST', '/api/v1/certificates', {
      personId: people.an,
      clientId,
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().qr).toBe(qr);
    // The replay hands the certificate out again: on the trail like the first issue (issue 10.9).
    const trail = await t.db.query<{ reason: string | null; detail: { personId: string } }>(
      `SELECT reason, detail FROM audit_events WHERE action = 'certificates.issue' AND resource_id = $1 ORDER BY id`,
      [b.id],
    );
    expect(trail.map((e) => [e.reason, e.detail.personId])).toEqual([
      [null, people.an],
      ['replay', people.an],
    ]);
  });

  it('the public verifier says valid, with only what the certificate prints', async () => {
    const r = await t.as(null, 'POST', '/api/v1/public/certificates/verify', { qr });
    expect(r.statusCode, r.body).toBe(200);
    const b = r.json();
    expect(b.valid).toBe(true);
    expect(
      Object.values(b.steps)
        .filter((s) => s !== null)
        .every((s) => s === true),
    ).toBe(true);
    expect(b.certificate).toMatchObject({
      name: 'Nguyễn Văn An',
      dateOfBirth: '1985-03-15',
      vaccination: { doseNumber: 2, totalDoses: 2, product: 'EU/1/20/1507' },
    });
    expect(JSON.stringify(b)).not.toContain(people.an);
    const png = (
      await t.as(vaccinator, 'POST', '/api/v1/certificates', { personId: people.an })
    ).json().png;
    const byImage = await t.as(null, 'POST', '/api/v1/public/certificates/verify', { png });
    expect(byImage.json()).toMatchObject({ valid: true, steps: { image: true } });
  });

  it('issues test and recovery certificates from the testing and cases records', async () => {
    // A negative RT-PCR sampled 6 hours ago → a test certificate valid 72 hours from sampling.
    const sampledAt = new Date(Date.now() - 6 * 3_600_000).toISOString();
    const result = await t.as(xaA, 'POST', '/api/v1/results', {
      clientId: randomUUID(),
      personId: people.ba,
      testType: 'rt_pcr',
      sampledAt,
      result: 'negative',
    });
    expect(result.statusCode, result.body).toBe(201);
    const testCert = await t.as(xaA, 'POST', '/api/v1/certificates', {
      personId: people.ba,
      kind: 'test',
    });
    expect(testCert.statusCode, testCert.body).toBe(201);
    expect(testCert.json().kind).toBe('test');
    expect(Date.parse(testCert.json().expiresAt)).toBe(Date.parse(sampledAt) + 72 * 3_600_000);
    const tv = verifyDcc(testCert.json().qr, { trust: [certPem], at: new Date() });
    expect(tv.valid, tv.reasons.join('; ')).toBe(true);
    expect(dccSchemaProblems(tv.payload)).toEqual([]);
    expect(tv.payload).toMatchObject({ t: [{ tt: 'LP6464-4', tr: '260415000', co: 'VN' }] });
    // Four days later it would no longer be valid.
    const late = verifyDcc(testCert.json().qr, {
      trust: [certPem],
      at: new Date(Date.now() + 4 * 86_400_000),
    });
    expect(late.steps.expiry).toBe(false);

    // A recovered F0 (positive 20 days ago) → recovery valid from day 11 to day 180.
    const first = addDays(today, -20);
    const opened = await t.as(xaA, 'POST', '/api/v1/cases', {
      personId: people.ba,
      positiveSampleAt: `${first}T08:00:00+07:00`,
      foundBy: 'community',
      basis: 'pcr_positive',
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const noRecovery = await t.as(xaA, 'POST', '/api/v1/certificates', {
      personId: people.ba,
      kind: 'recovery',
    });
    expect(noRecovery.statusCode).toBe(409);
    const recovered = await t.as(xaA, 'POST', `/api/v1/cases/${opened.json().id}/status`, {
      status: 'recovered',
    });
    expect(recovered.statusCode, recovered.body).toBe(200);
    const rec = await t.as(xaA, 'POST', '/api/v1/certificates', {
      personId: people.ba,
      kind: 'recovery',
    });
    expect(rec.statusCode, rec.body).toBe(201);
    const rv = verifyDcc(rec.json().qr, { trust: [certPem], at: new Date() });
    expect(rv.valid, rv.reasons.join('; ')).toBe(true);
    expect(dccSchemaProblems(rv.payload)).toEqual([]);
    expect(rv.payload).toMatchObject({
      r: [{ fr: first, df: addDays(first, 11), du: addDays(first, 180), co: 'VN' }],
    });
    const wrong = await t.as(xaA, 'POST', '/api/v1/certificates', {
      personId: people.ba,
      kind: 'test',
      resultId: randomUUID(),
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().fields[0].path).toBe('resultId');
  });

  it('one changed byte makes it invalid', async () => {
    const i = Math.floor(qr.length / 2);
    const swapped = qr[i] === 'A' ? 'B' : 'A';
    const tampered = qr.slice(0, i) + swapped + qr.slice(i + 1);
    const r = await t.as(null, 'POST', '/api/v1/public/certificates/verify', { qr: tampered });
    expect(r.statusCode).toBe(200);
    expect(r.json().valid).toBe(false);
    expect(r.json().certificate).toBeNull();
    const empty = await t.as(null, 'POST', '/api/v1/public/certificates/verify', {});
    expect(empty.statusCode).toBe(400);
  });

  it('no dose → 409; the trust list holds our signer; without a key the server names what to set', async () => {
    const r = await t.as(xaA, 'POST', '/api/v1/certificates', { personId: people.ba });
    expect(r.statusCode).toBe(409);
    const list = await t.as(tinh, 'GET', '/api/v1/dcc/trust-list');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().signing.configured).toBe(true);
    expect(list.json().items.map((i: Json) => i.source)).toEqual(['own']);
    const other = await generateDemoSigner({ commonName: 'other province' });
    // No national CA configured here: nothing may be added (see test/api/trust-scope.test.ts).
    const imp = await t.as(tinh, 'POST', '/api/v1/dcc/trust-list', {
      certificate: other.certificatePem,
      note: 'Tỉnh khác',
    });
    expect(imp.statusCode, imp.body).toBe(400);
    expect(imp.json().message).toContain('EPIGUARD_DCC_CSCA_FILE');
    const bad = await t.as(tinh, 'POST', '/api/v1/dcc/trust-list', {
      certificate: 'not a certificate at all',
    });
    expect(bad.statusCode).toBe(400);
    expect(loadProvinceSigner({}).problem).toContain('EPIGUARD_DCC_KEY_FILE');
    // `epiguard demo` makes a demo key once and keeps it; the server loads it from the files.
    const dir = join(await mkdtemp(join(tmpdir(), 'epiguard-demo-dcc-')), 'dcc');
    expect((await ensureDemoSigner(dir))[0]).toContain('created');
    expect((await ensureDemoSigner(dir))[0]).toContain('kept');
    const env = {
      EPIGUARD_DCC_KEY_FILE: join(dir, 'dsc-key.pem'),
      EPIGUARD_DCC_CERT_FILE: join(dir, 'dsc-cert.pem'),
    };
    expect(loadProvinceSigner(env).signer?.alg).toBe(-7);
    expect(
      loadProvinceSigner({ ...env, EPIGUARD_DCC_CERT_FILE: '/nonexistent.pem' }).problem,
    ).toContain('/nonexistent.pem');
  });
});

describe('coverage and the unvaccinated', () => {
  it('counts coverage by age group with entered and estimated denominators', async () => {
    const r = await dose({ personId: people.em, product: 'comirnaty', date: addDays(today, -3) });
    expect(r.statusCode, r.body).toBe(201);
    const put = await t.as(xaA, 'PUT', '/api/v1/vaccination-targets', {
      unitCode: A.commune,
      ageGroup: '18+',
      population: 4,
    });
    expect(put.statusCode, put.body).toBe(200);
    const c = await t.as(tinh, 'GET', '/api/v1/coverage?unit=11');
    expect(c.statusCode, c.body).toBe(200);
    const commune = c.json().communes.find((x: Json) => x.code === A.commune);
    // ≥ 18: An (2 doses) and Chi (1 dose) over an entered target of 4
    expect(commune.byAge['18+']).toMatchObject({
      atLeastOne: 2,
      fullPrimary: 1,
      booster: 0,
      denominator: 4,
      denominatorSource: 'entered',
      pct: { atLeastOne: 50, fullPrimary: 25, booster: 0 },
    });
    expect(commune.byAge['12-17']).toMatchObject({
      atLeastOne: 1,
      fullPrimary: 0,
      denominatorSource: 'estimate',
    });
    expect(commune.byAge['65+'].atLeastOne).toBe(0);
    expect(c.json().communes.length).toBeGreaterThan(100);
    expect(c.json().total.all).toEqual({ atLeastOne: 3, fullPrimary: 1, booster: 0 });
    const mine = await t.as(xaA, 'GET', `/api/v1/coverage?unit=${A.commune}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().communes).toHaveLength(1);
    const above = await t.as(xaA, 'GET', '/api/v1/coverage?unit=11');
    expect(above.statusCode).toBe(404);
  });

  it('lists the unvaccinated adults of the village with reasons and priority flags, also as XLSX', async () => {
    const ex1 = await t.as(xaA, 'POST', '/api/v1/vaccination-exemptions', {
      personId: people.lan,
      reason: 'contraindicated',
      comorbidity: true,
      note: 'Suy tim',
    });
    expect(ex1.statusCode, ex1.body).toBe(201);
    const ex2 = await t.as(xaA, 'POST', '/api/v1/vaccination-exemptions', {
      personId: people.ba,
      reason: 'refused',
    });
    expect(ex2.statusCode).toBe(201);
    const r = await t.as(xaA, 'GET', `/api/v1/unvaccinated?village=${village}`);
    expect(r.statusCode, r.body).toBe(200);
    const b = r.json();
    expect(b.items.map((i: Json) => i.fullName)).toEqual(['Lò Thị Lan', 'Quàng Văn Ba']);
    expect(b.items[0]).toMatchObject({
      reason: 'contraindicated',
      flags: { age65: true, comorbidity: true, priority: true },
    });
    expect(b.items[1]).toMatchObject({
      reason: 'refused',
      reasonLabel: { vi: 'Không đồng ý tiêm' },
      flags: { priority: false },
    });
    expect(b.byReason).toMatchObject({ contraindicated: 1, refused: 1 });
    const x = await t.as(xaA, 'GET', `/api/v1/unvaccinated.xlsx?village=${village}`);
    expect(x.statusCode).toBe(200);
    const ws = readSheet(x.rawPayload);
    expect(ws[2]![1]).toBe('Lò Thị Lan');
    expect(ws[2]![7]).toBe('Chống chỉ định');
    const per = await t.as(tinh, 'GET', '/api/v1/unvaccinated/priority-by-district');
    expect(per.json().items).toEqual([
      { districtCode: A.district, name: expect.any(String), count: 1 },
    ]);
    const other = await t.as(xaB, 'GET', `/api/v1/unvaccinated?village=${village}`);
    expect(other.statusCode).toBe(404);
    expect(await auditCount('vaccinations.read', 'denied', 'vc.xa.b', village)).toBe(1);
  });

  it('supply: allocated, received, given and the percentage in one GET', async () => {
    const a = await t.as(tinh, 'POST', '/api/v1/vaccine-allocations', {
      decisionNumber: '5946/BYT-DP',
      decisionDate: '2021-07-24',
      product: 'comirnaty',
      doses: 100,
    });
    expect(a.statusCode, a.body).toBe(201);
    const again = await t.as(tinh, 'POST', '/api/v1/vaccine-allocations', {
      decisionNumber: '5946/BYT-DP',
      decisionDate: '2021-07-24',
      product: 'comirnaty',
      doses: 100,
    });
    expect(again.statusCode).toBe(200);
    const s = await t.as(tinh, 'POST', '/api/v1/vaccine-shipments', {
      allocationId: a.json().id,
      product: 'comirnaty',
      doses: 80,
      receivedOn: '2021-07-28',
    });
    expect(s.statusCode, s.body).toBe(201);
    const d = await t.as(tinh, 'POST', '/api/v1/vaccine-distributions', {
      siteId,
      product: 'comirnaty',
      doses: 50,
      distributedOn: '2021-07-29',
    });
    expect(d.statusCode, d.body).toBe(201);
    const sum = await t.as(tinh, 'GET', '/api/v1/vaccine-supply/summary');
    expect(sum.statusCode, sum.body).toBe(200);
    expect(sum.json()).toMatchObject({
      allocated: 100,
      received: 80,
      given: 4,
      givenPctOfReceived: 5,
    });
    expect(sum.json().text.vi).toBe('100 liều được cấp, 80 đã tiếp nhận, 4 mũi đã tiêm (5 %)');
    const stock = await t.as(vaccinator, 'GET', '/api/v1/vaccine-stock');
    expect(stock.json().items).toEqual([
      expect.objectContaining({
        siteId,
        product: 'comirnaty',
        received: 50,
        given: 2,
        balance: 48,
      }),
      // dose 2 of Moderna was given with no Moderna distributed to the site: the stock shows it
      expect.objectContaining({ siteId, product: 'spikevax', received: 0, given: 1, balance: -1 }),
      expect.objectContaining({ siteId, product: 'vaxzevria', received: 0, given: 1, balance: -1 }),
    ]);
    const denied = await t.as(vaccinator, 'POST', '/api/v1/vaccine-allocations', {
      decisionNumber: 'x',
      decisionDate: '2021-07-24',
      product: 'comirnaty',
      doses: 1,
    });
    expect(denied.statusCode).toBe(404);
  });
});
