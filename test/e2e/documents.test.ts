/**
 * Issue 16 item 3 in a real browser on a 360×740 phone: a commune health officer downloads the
 * quarantine decision of an F1 from the tracing board; the file is a DOCX that LibreOffice turns
 * into a PDF naming the person. Screenshots: test-results/e2e/documents-*.png.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type E2E, login, screenshots, startE2E, watch } from '../helpers/e2e.ts';
import { docxToPdfText } from '../helpers/docx-text.ts';

const PHONE_360 = { width: 360, height: 740 };
const COMMUNE_CODE = '03136';
const PASSWORD = 'mat-khau-e2e-docs';
const stamp = Date.now().toString(36).slice(-5);
const officer = `tyt.docs.${stamp}`;
const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();

let e: E2E;
let vaccinated = '';
const { shot } = screenshots('documents-');

beforeAll(async () => {
  e = await startE2E();
  const admin = await e.apiLogin('admin', e.server.adminPassword);
  const u = await e.call(admin, 'POST', '/api/v1/users', {
    username: officer,
    fullName: 'Lò Thị Hoa',
    role: 'commune_health',
    jurisdiction: { level: 'commune', unitCode: COMMUNE_CODE },
    password: PASSWORD,
  });
  expect(u.status, JSON.stringify(u.json)).toBe(201);
  const me = await e.apiLogin(officer, PASSWORD);
  const person = async (fullName: string) => {
    const r = await e.call(me, 'POST', '/api/v1/persons', {
      fullName,
      birthYear: 1979,
      sex: 'male',
      address: { communeCode: COMMUNE_CODE, street: 'Tổ 2' },
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    return r.json.id as string;
  };
  const f0Person = await person('Cà Văn Bình');
  const friend = await person('Điêu Chính Tâm');
  const f0 = await e.call(me, 'POST', '/api/v1/cases', {
    personId: f0Person,
    positiveSampleAt: ago(60),
    foundBy: 'community',
    basis: 'pcr_positive',
  });
  expect(f0.status, JSON.stringify(f0.json)).toBe(201);
  const k = await e.call(me, 'POST', `/api/v1/cases/${f0.json.id}/interview-contacts`, {
    personId: friend,
    at: ago(120),
    minutes: 30,
    masked: false,
    physical: true,
  });
  expect(k.status, JSON.stringify(k.json)).toBe(201);
  const c = await e.call(me, 'GET', `/api/v1/cases/${f0.json.id}/contacts?depth=1`);
  const conf = await e.call(me, 'POST', `/api/v1/contacts/${c.json.f1[0].id}/confirm`, {});
  expect(conf.status, JSON.stringify(conf.json)).toBe(201);
  // A resident vaccinated at the commune's site.
  const site = await e.call(admin, 'POST', '/api/v1/sites', {
    kind: 'vaccination_site',
    name: 'Điểm tiêm Mường Thanh (e2e docs)',
    communeCode: COMMUNE_CODE,
  });
  expect(site.status, JSON.stringify(site.json)).toBe(201);
  const v = await e.call(admin, 'POST', '/api/v1/users', {
    username: `tiem.docs.${stamp}`,
    fullName: 'Điểm tiêm',
    role: 'vaccination_site',
    jurisdiction: { level: 'site', siteId: site.json.id },
    password: PASSWORD,
  });
  expect(v.status, JSON.stringify(v.json)).toBe(201);
  const vaccinator = await e.apiLogin(`tiem.docs.${stamp}`, PASSWORD);
  vaccinated = await person('Lò Văn Khánh');
  const d = await e.call(vaccinator, 'POST', '/api/v1/vaccinations', {
    personId: vaccinated,
    product: 'comirnaty',
    date: new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10),
    lotNumber: 'FF2001',
  });
  expect(d.status, JSON.stringify(d.json)).toBe(201);
});

afterAll(() => e?.close());

describe('documents staff print', () => {
  test('the tracing board downloads the quarantine decision as DOCX (phone)', async () => {
    const context = await e.newContext(PHONE_360);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, officer, PASSWORD);
    await page.goto('/truy-vet');
    const card = page.getByTestId('task-card').filter({ hasText: 'Điêu Chính Tâm' });
    const button = card.getByTestId('decision-docx');
    await button.waitFor();
    expect(await button.innerText()).toBe('Tải quyết định cách ly (DOCX)');
    const box = await button.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(36);
    await card.scrollIntoViewIfNeeded();
    await shot(page, '01-board-decision-button-phone');
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^quyet-dinh-cach-ly-[0-9a-f]{8}\.docx$/);
    const file = await readFile((await download.path())!);
    expect(file.subarray(0, 2).toString()).toBe('PK');
    const { text } = await docxToPdfText(file, { png: 'test-results/e2e/documents-02-decision' });
    expect(text.replace(/\s+/g, ' ')).toContain('Điêu Chính Tâm');
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  test("a person's vaccination page downloads the vaccination confirmation (phone)", async () => {
    const context = await e.newContext(PHONE_360);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, officer, PASSWORD);
    await page.goto(`/tiem-chung/nguoi/${vaccinated}`);
    const button = page.getByTestId('vaccination-docx');
    await button.waitFor();
    await button.scrollIntoViewIfNeeded();
    await shot(page, '03-vaccination-button-phone');
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^xac-nhan-tiem-chung-[0-9a-f]{8}\.docx$/);
    const { text } = await docxToPdfText(await readFile((await download.path())!), {
      png: 'test-results/e2e/documents-04-vaccination',
    });
    expect(text.replace(/\s+/g, ' ')).toContain('Lò Văn Khánh');
    expect(text).toContain('FF2001');
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);
});
