import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoSigner } from '../../src/server/vaccination/dcc-keys.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dateOfInstant, formatViDate } from '../../src/domain/dates.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';
import { docxToPdfText } from '../helpers/docx-text.ts';

/**
 * Issue 16 item 3: the quarantine decision (Quyết định cách ly) of an order as DOCX, in the
 * administrative layout, converted by LibreOffice; scoped like the order (404 + audit outside it)
 * and its download audited.
 */
const A = '03136'; // Phường Mường Thanh
const B = '03331';
const today = dateOfInstant(Date.now());
const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();

let t: TestApp;
let xaA: string;
let xaB: string;
let orderId: string;

let vaccinated: string;

beforeAll(async () => {
  // A DCC signing key, so the vaccination confirmation carries a signed QR.
  const dir = await mkdtemp(join(tmpdir(), 'epiguard-docs-'));
  const signer = await generateDemoSigner({ commonName: 'test DSC' });
  await writeFile(join(dir, 'key.pem'), signer.privateKeyPem);
  await writeFile(join(dir, 'cert.pem'), signer.certificatePem);
  process.env.EPIGUARD_DCC_KEY_FILE = join(dir, 'key.pem');
  process.env.EPIGUARD_DCC_CERT_FILE = join(dir, 'cert.pem');
  t = await startTestApp();
  delete process.env.EPIGUARD_DCC_KEY_FILE;
  delete process.env.EPIGUARD_DCC_CERT_FILE;
  xaA = await t.staff('doc.xa.a', 'commune_health', { level: 'commune', unitCode: A });
  xaB = await t.staff('doc.xa.b', 'commune_health', { level: 'commune', unitCode: B });
  const person = async (fullName: string, extra: object = {}) => {
    const r = await t.as(xaA, 'POST', '/api/v1/persons', {
      fullName,
      birthYear: 1980,
      sex: 'female',
      address: { communeCode: A, street: 'Tổ 7' },
      ...extra,
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  const f0Person = await person('Lò Văn Một');
  const friend = await person('Quàng Thị Sáu', { birthDate: '1986-03-09', birthYear: 1986 });
  const f0 = await t.as(xaA, 'POST', '/api/v1/cases', {
    personId: f0Person,
    positiveSampleAt: ago(60),
    foundBy: 'community',
    basis: 'pcr_positive',
  });
  expect(f0.statusCode, f0.body).toBe(201);
  const k = await t.as(xaA, 'POST', `/api/v1/cases/${f0.json().id}/interview-contacts`, {
    personId: friend,
    at: ago(120),
    minutes: 30,
    masked: false,
    physical: true,
  });
  expect(k.statusCode, k.body).toBe(201);
  const c = (await t.as(xaA, 'GET', `/api/v1/cases/${f0.json().id}/contacts?depth=1`)).json();
  const conf = await t.as(xaA, 'POST', `/api/v1/contacts/${c.f1[0].id}/confirm`, {});
  expect(conf.statusCode, conf.body).toBe(201);
  orderId = conf.json().quarantineOrder.id;

  // Two doses at the commune's vaccination site, then a certificate.
  const admin = await t.login('admin');
  const site = await t.as(admin, 'POST', '/api/v1/sites', {
    kind: 'vaccination_site',
    name: 'Điểm tiêm Trạm Y tế Mường Thanh (docs)',
    communeCode: A,
  });
  expect(site.statusCode, site.body).toBe(201);
  const vaccinator = await t.staff('doc.tiem', 'vaccination_site', {
    level: 'site',
    siteId: site.json().id,
  });
  vaccinated = await person('Lò Thị Xuân', { birthDate: '1975-11-02', birthYear: 1975 });
  for (const [date, lot] of [
    [addDays(today, -90), 'FF1001'],
    [addDays(today, -60), 'FF1002'],
  ] as const) {
    const r = await t.as(vaccinator, 'POST', '/api/v1/vaccinations', {
      personId: vaccinated,
      product: 'comirnaty',
      date,
      lotNumber: lot,
    });
    expect(r.statusCode, r.body).toBe(201);
  }
  const cert = await t.as(xaA, 'POST', '/api/v1/certificates', { personId: vaccinated });
  expect(cert.statusCode, cert.body).toBe(201);
}, 180_000);
afterAll(() => t?.close());

describe(`documents staff print on ${ENGINE}`, () => {
  it('the quarantine decision converts to PDF with the name, dd/mm/yyyy dates and the legal basis', async () => {
    // A home quarantine of 7 days, as an order under a stricter rule set reads.
    await t.db.query(
      `UPDATE quarantine_orders SET kind = 'home', start_date = $2, quarantine_ends = $3 WHERE id = $1`,
      [orderId, addDays(today, -2), addDays(today, 4)],
    );
    const r = await t.as(xaA, 'GET', `/api/v1/quarantine-orders/${orderId}/decision.docx`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toContain('wordprocessingml');
    expect(r.headers['content-disposition']).toMatch(/attachment; filename="quyet-dinh-cach-ly-/);
    await mkdir('test-results/documents', { recursive: true });
    const { text } = await docxToPdfText(r.rawPayload, {
      png: `test-results/documents/quarantine-decision-${ENGINE}`,
    });
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(flat).toContain('Độc lập – Tự do – Hạnh phúc');
    expect(flat).toContain('/QĐ-UBND');
    expect(flat).toContain('QUYẾT ĐỊNH');
    expect(flat).toContain('Quàng Thị Sáu');
    expect(flat).toContain('ngày sinh: 09/03/1986');
    expect(flat).toContain(
      `từ ngày ${formatViDate(addDays(today, -2))} đến hết ngày ${formatViDate(addDays(today, 4))}`,
    );
    expect(flat).toContain('cách ly y tế tại nhà');
    expect(flat).toContain('Tổ 7, Phường Mường Thanh');
    // The legal basis of the order's rule set, as stored.
    const rs = await t.db.query<{ legal_basis: { number: string; date: string } }>(
      'SELECT rs.legal_basis FROM rule_sets rs JOIN quarantine_orders o ON o.ruleset_id = rs.id WHERE o.id = $1',
      [orderId],
    );
    const lb = rs[0]!.legal_basis;
    expect(flat).toContain(`Căn cứ ${lb.number} ngày ${formatViDate(lb.date)}`);
    expect(flat).toContain('CHỦ TỊCH');
    const audit = await t.db.query<{ detail: { subjects: string[] } }>(
      `SELECT detail FROM audit_events WHERE action = 'documents.download' AND resource_id = $1`,
      [orderId],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail.subjects).toHaveLength(1);
  }, 180_000);

  it('the vaccination confirmation lists the doses with dd/mm/yyyy dates, the legal basis and the QR', async () => {
    const r = await t.as(xaA, 'GET', `/api/v1/persons/${vaccinated}/vaccination-certificate.docx`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-disposition']).toMatch(/filename="xac-nhan-tiem-chung-/);
    const { text } = await docxToPdfText(r.rawPayload, {
      png: `test-results/documents/vaccination-certificate-${ENGINE}`,
    });
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(flat).toContain('GIẤY XÁC NHẬN TIÊM CHỦNG');
    expect(flat).toContain('Lò Thị Xuân');
    expect(flat).toContain('Ngày sinh: 02/11/1975');
    expect(flat).toContain(formatViDate(addDays(today, -90)));
    expect(flat).toContain(formatViDate(addDays(today, -60)));
    expect(flat).toContain('FF1002');
    expect(flat).toMatch(/Căn cứ .+ ngày \d{2}\/\d{2}\/\d{4}/);
    expect(flat).toContain('Mã chứng nhận (UVCI): URN:UVCI:');
    const audit = await t.db.query(
      `SELECT 1 FROM audit_events WHERE action = 'documents.download' AND resource_id = $1`,
      [vaccinated],
    );
    expect(audit).toHaveLength(1);
    // Another commune: 404, audited.
    const other = await t.as(
      xaB,
      'GET',
      `/api/v1/persons/${vaccinated}/vaccination-certificate.docx`,
    );
    expect(other.statusCode).toBe(404);
    const denied = await t.db.query(
      `SELECT 1 FROM audit_events WHERE resource_id = $1 AND outcome = 'denied'`,
      [vaccinated],
    );
    expect(denied.length).toBeGreaterThanOrEqual(1);
  }, 180_000);

  it("another commune's user gets 404 like a missing order, and the attempt is audited", async () => {
    const r = await t.as(xaB, 'GET', `/api/v1/quarantine-orders/${orderId}/decision.docx`);
    expect(r.statusCode).toBe(404);
    expect(r.headers['content-type']).toContain('application/json');
    const denied = await t.db.query(
      `SELECT 1 FROM audit_events WHERE resource_id = $1 AND outcome = 'denied'`,
      [orderId],
    );
    expect(denied).toHaveLength(1);
    const bad = await t.as(xaA, 'GET', '/api/v1/quarantine-orders/not-a-uuid/decision.docx');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('params.id');
  });
});
