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
});
