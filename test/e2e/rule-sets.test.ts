/**
 * Rule-set administration in a real browser (issue 18, item 5): the province's administrator
 * opens the arrival rules, reads them in words, writes a new version in which unvaccinated
 * arrivals from an epidemic area quarantine at home — the server's errors appear beside the
 * fields (a missing legal basis, a negative number of days) — previews it over last week's three
 * arrivals ("3 more to home quarantine"), saves it from today (no arrival has been decided today),
 * and the next arrival at the checkpoint follows it. Desktop, then a 360×740 phone.
 * Screenshots go to test-results/e2e/rulesets-*.png.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addDays, dateOfInstant, formatViDate } from '../../src/domain/dates.ts';
import {
  DESKTOP,
  type E2E,
  expectTranslated,
  login,
  named,
  openMenu,
  pick,
  screenshots,
  startE2E,
  watch,
} from '../helpers/e2e.ts';

const A = '03136'; // Phường Mường Thanh
const PASSWORD = 'mat-khau-e2e-quy-tac';
const today = dateOfInstant(Date.now());
const I18N_KEY = /\b(nav|list|version|edit|actions)\.[a-z][A-Za-z_.]*[A-Za-z]\b/;
const PHONE_360 = { width: 360, height: 740 };

let e: E2E;
let officer: string;
const { shot } = screenshots('rulesets-');
const stamp = Date.now().toString(36).slice(-5);

/** An unvaccinated arrival from Hà Nội, recorded by the checkpoint at `at` (now by default). */
async function arrive(n: number, at?: string) {
  const d = await e.call(null, 'POST', '/api/v1/declarations', {
    person: {
      fullName: `Người đến ${n}`,
      birthYear: 1988,
      sex: 'female',
      idType: 'cccd',
      idNumber: `00118800${String(n).padStart(4, '0')}`,
      communeCode: '00001',
    },
    travel: {
      mode: 'coach',
      fromProvinceCode: '01',
      toCommuneCode: A,
      date: at ? dateOfInstant(Date.parse(at)) : today,
    },
    exposure: { caseContact: false, fromOutbreakArea: true, symptomaticContact: false },
    vaccination: { doses: 0 },
    consent: true,
  });
  expect(d.status, JSON.stringify(d.json)).toBe(201);
  const r = await e.call(officer, 'POST', '/api/v1/entries', {
    clientId: randomUUID(),
    direction: 'in',
    declarationCode: d.json.code,
    ...(at ? { at } : {}),
  });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json;
}

beforeAll(async () => {
  e = await startE2E();
  const admin = await e.apiLogin('admin', e.server.adminPassword);
  const site = await e.call(admin, 'POST', '/api/v1/sites', {
    kind: 'checkpoint',
    name: 'Chốt Tông Khao (e2e quy tắc)',
    communeCode: A,
  });
  expect(site.status, JSON.stringify(site.json)).toBe(201);
  const mk = async (username: string, role: string, jurisdiction: object) => {
    const r = await e.call(admin, 'POST', '/api/v1/users', {
      username,
      fullName: username,
      role,
      jurisdiction,
      password: PASSWORD,
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    return e.apiLogin(username, PASSWORD);
  };
  officer = await mk(`chot.qt.${stamp}`, 'checkpoint_officer', {
    level: 'site',
    siteId: site.json.id,
  });
  const province = await mk(`tinh.qt.${stamp}`, 'province', { level: 'province', unitCode: '11' });
  const area = await e.call(province, 'POST', '/api/v1/epidemic-areas', {
    unitCode: '01',
    level: 3,
    validFrom: addDays(today, -20),
  });
  expect(area.status, JSON.stringify(area.json)).toBe(201);
  // Last week: three unvaccinated arrivals, sent to centralised quarantine under CV 8399.
  const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
  for (const n of [1, 2, 3]) {
    const entry = await arrive(n, twoDaysAgo);
    expect(entry.classification.action).toBe('centralised_quarantine');
  }
});
afterAll(() => e?.close());

async function openArrivalRules(page: Page) {
  await openMenu(page);
  await page.getByRole('navigation').getByRole('link', { name: 'Bộ quy tắc' }).click();
  await page.waitForURL('**/quy-tac');
  await page.getByTestId('kind-arrival_classification').waitFor();
}

describe('rule-set administration', () => {
  test('administrator adds an arrival rule version, previews it; the next arrival follows it', async () => {
    const context = await e.newContext(DESKTOP);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, 'admin', e.server.adminPassword);
    await openArrivalRules(page);
    const kind = page.getByTestId('kind-arrival_classification');
    await kind.getByText('Đang hiệu lực').waitFor();
    await expectTranslated(page, I18N_KEY);
    await shot(page, '01-list-desktop');

    await kind.getByRole('link', { name: /CV 8399\/BYT-MT/ }).click();
    await page
      .getByTestId('validity')
      .getByText(/Hiệu lực từ 06\/10\/2021, không thời hạn/)
      .waitFor();
    const unvaccinated = page.getByTestId('rule-cv8399-unvaccinated');
    await unvaccinated.getByText('Người đến từ vùng dịch (cấp độ ≥ 2), chưa tiêm').waitFor();
    await unvaccinated.getByText(/Cách ly tập trung; cách ly 14 ngày/).waitFor();
    await shot(page, '02-version-in-words-desktop');

    await page.getByRole('link', { name: 'Tạo phiên bản mới từ phiên bản này' }).click();
    await page.getByRole('heading', { name: 'Phiên bản mới: Phân loại người đến/về' }).waitFor();
    const rule = page.getByTestId('edit-rule-cv8399-unvaccinated');
    await pick(page, rule.getByRole('combobox', { name: named('Biện pháp') }), 'Cách ly tại nhà');
    await rule.getByLabel('Ngày cách ly').fill('-3');
    await rule
      .getByLabel('Lời giải thích (tiếng Việt)')
      .fill('Về từ {origin}, {vaccination} → cách ly tại nhà {quarantineDays} ngày — theo {basis}');
    await rule
      .getByLabel('Lời giải thích (tiếng Anh)')
      .fill('From {origin}, {vaccination} → home quarantine {quarantineDays} days — under {basis}');
    await page.getByLabel('Hiệu lực từ (dd/mm/yyyy)').fill(formatViDate(today));
    // No legal basis yet, and a negative number of days: refused, each beside its field.
    await page.getByRole('button', { name: 'Lưu phiên bản' }).click();
    await page.getByText('Phải ≥ 0').waitFor();
    expect(await rule.getByLabel('Ngày cách ly').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Số văn bản').getAttribute('aria-invalid')).toBe('true');
    await shot(page, '03-errors-beside-fields-desktop');

    await rule.getByLabel('Ngày cách ly').fill('14');
    await page.getByLabel('Tên', { exact: true }).fill('Phân loại người đến theo QĐ 1234/QĐ-UBND');
    await page.getByLabel('Số văn bản').fill('QĐ 1234/QĐ-UBND');
    await page.getByLabel('Trích yếu').fill('Điều chỉnh biện pháp cách ly người đến chưa tiêm');
    await page.getByRole('button', { name: 'Xem trước trên dữ liệu tuần trước' }).click();
    const preview = page.getByTestId('preview');
    await preview.getByText('Phiên bản này sẽ đưa thêm 3 người đến vào cách ly tại nhà').waitFor();
    await preview.getByText(/3 lượt đến được phân loại lại, 3 lượt khác trước/).waitFor();
    await shot(page, '04-preview-desktop');

    await page.getByRole('button', { name: 'Lưu phiên bản' }).click();
    await page.waitForURL(`**/quy-tac/arrival-classification-${today}`);
    await page
      .getByTestId('validity')
      .getByText(`Hiệu lực từ ${formatViDate(today)}, không thời hạn`, { exact: false })
      .waitFor();
    await page
      .getByTestId('rule-cv8399-unvaccinated')
      .getByText(/Cách ly tại nhà; cách ly 14 ngày/)
      .waitFor();
    await shot(page, '05-saved-desktop');
    expect(errors).toEqual([]);

    // The next arrival at the checkpoint is decided by the new version, in its words.
    const next = await arrive(9);
    expect(next.classification).toMatchObject({
      action: 'home_quarantine',
      rulesetId: `arrival-classification-${today}`,
    });
    expect(next.classification.explanation.vi).toContain(
      'cách ly tại nhà 14 ngày — theo QĐ 1234/QĐ-UBND',
    );
    await context.close();
  });

  test('the same pages on a 360×740 phone', async () => {
    const context = await e.newContext(PHONE_360);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, 'admin', e.server.adminPassword);
    await openArrivalRules(page);
    const kind = page.getByTestId('kind-arrival_classification');
    await kind.getByRole('link', { name: /QĐ 1234/ }).waitFor();
    await expectTranslated(page, I18N_KEY);
    await shot(page, '06-list-phone');
    await kind.getByRole('link', { name: /QĐ 1234/ }).click();
    await page.getByTestId('validity').waitFor();
    await shot(page, '07-version-phone');
    await page.getByRole('link', { name: 'Tạo phiên bản mới từ phiên bản này' }).click();
    await page.getByRole('heading', { name: /Phiên bản mới/ }).waitFor();
    await shot(page, '08-editor-phone');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    expect(errors).toEqual([]);
    await context.close();
  });
});
