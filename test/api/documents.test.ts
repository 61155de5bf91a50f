import { mkdir } from 'node:fs/promises';
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

beforeAll(async () => {
  t = await startTestApp();
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
});
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
