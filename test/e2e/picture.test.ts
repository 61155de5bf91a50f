/**
 * The province's picture in a real browser: a province officer reads the levels of Điện Biên,
 * asks why a commune has its level, overrides one with a reason and publishes; the dashboard on
 * a desktop shows the curve (chart and table) and the published level; a commune officer reads
 * the levels on a phone; anyone sees the published colours on the public map (360×740, no
 * login); the province edits and downloads the steering committee's report (DOCX).
 * Screenshots: test-results/e2e/picture-*.png.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dateOfInstant } from '../../src/domain/dates.ts';
import {
  DESKTOP,
  type E2E,
  expectTranslated,
  login,
  openMenu,
  pick,
  PHONE,
  screenshots,
  startE2E,
  watch,
} from '../helpers/e2e.ts';

const A = '03136'; // Phường Mường Thanh
const B = '03331'; // Xã Thanh Hưng
const PASSWORD = 'mat-khau-tinh-11-picture';
const I18N_KEY = /\b(nav|levels|dash)\.[a-z][A-Za-z_]+\b/;
const stamp = Date.now().toString(36).slice(-5);
const tinhUser = `tinh.capdo.${stamp}`;
const xaUser = `xa.capdo.${stamp}`;
const today = dateOfInstant(Date.now());
const { shot, shotDialog } = screenshots('picture-');
let e: E2E;

beforeAll(async () => {
  e = await startE2E();
  const admin = await e.apiLogin('admin', e.server.adminPassword);
  for (const [username, role, jurisdiction] of [
    [tinhUser, 'province', { level: 'province', unitCode: '11' }],
    [xaUser, 'commune_health', { level: 'commune', unitCode: A }],
  ] as const) {
    const u = await e.call(admin, 'POST', '/api/v1/users', {
      username,
      fullName: username === tinhUser ? 'Trần Văn Bình' : 'Lò Thị Hoa',
      role,
      jurisdiction,
      password: PASSWORD,
    });
    expect(u.status, JSON.stringify(u.json)).toBe(201);
  }
  const xa = await e.apiLogin(xaUser, PASSWORD);
  for (let i = 0; i < 6; i++) {
    const p = await e.call(xa, 'POST', '/api/v1/persons', {
      fullName: `Quàng Văn Ca ${i}`,
      birthYear: 1970 + i,
      sex: 'male',
      address: { communeCode: A },
    });
    expect(p.status, JSON.stringify(p.json)).toBe(201);
    const c = await e.call(xa, 'POST', '/api/v1/cases', {
      personId: p.json.id,
      positiveSampleAt: new Date(Date.now() - (i + 1) * 20 * 3600_000).toISOString(),
      foundBy: i < 4 ? 'community' : 'quarantine',
      basis: 'pcr_positive',
    });
    expect(c.status, JSON.stringify(c.json)).toBe(201);
  }
});
afterAll(() => e?.close());

describe('the province publishes levels', () => {
  test('levels with their reasons, an override, publication (desktop)', async () => {
    const context = await e.newContext(DESKTOP);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, tinhUser, PASSWORD);
    await openMenu(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Cấp độ dịch' }).click();
    await page.getByRole('heading', { name: 'Cấp độ dịch' }).waitFor();
    await page.getByTestId('own-level').waitFor();
    const rowA = page.locator(`tr[data-unit="${A}"]`);
    await rowA.waitFor();
    await expect.poll(() => rowA.innerText(), { timeout: 30_000 }).toContain('Phường Mường Thanh');
    await shot(page, '01-levels-province-desktop');
    await rowA.getByRole('button', { name: 'Vì sao?' }).click();
    await page.getByText('Quy tắc quyết định').waitFor();
    await page
      .getByText(/4 ca mắc mới trong cộng đồng trong 7 ngày/)
      .first()
      .waitFor();
    await shotDialog(page, '02-levels-why-desktop');
    await page.keyboard.press('Escape');
    const rowB = page.locator(`tr[data-unit="${B}"]`);
    await rowB.getByRole('button', { name: 'Vì sao?' }).click();
    await pick(page, 'Điều chỉnh cấp', '3');
    await page.getByLabel('Lý do điều chỉnh').fill('Chùm ca mới tại chợ xã, chờ đủ 7 ngày số liệu');
    await page.getByRole('button', { name: 'Lưu điều chỉnh' }).click();
    await expect
      .poll(() => rowB.locator('[data-level]').getAttribute('data-level'), { timeout: 30_000 })
      .toBe('3');
    await page.getByTestId('publish').click();
    await expect.poll(() => rowB.innerText(), { timeout: 30_000 }).toContain('Đã công bố');
    await expect
      .poll(() => rowB.innerText(), { timeout: 30_000 })
      .toContain('Chùm ca mới tại chợ xã');
    await shot(page, '03-levels-published-desktop');
    await expectTranslated(page, I18N_KEY);
    const cookie = (await context.cookies()).find((c) => c.name === 'eg_session')!;
    const api = await e.call(
      `eg_session=${cookie.value}`,
      'GET',
      `/api/v1/levels?unit=${B}&date=${today}`,
    );
    expect(api.json.items[0]).toMatchObject({ level: 3, status: 'published' });

    // the public map, with no login, on a 360×740 phone: the commune in its published colour
    const anon = await e.newContext({ width: 360, height: 740 });
    const pub = await anon.newPage();
    const pubErrors = watch(pub);
    await pub.goto('/ban-do');
    await pub.getByTestId('map').locator('path').first().waitFor();
    const pubB = pub.locator(`tr[data-unit="${B}"]`);
    await expect
      .poll(() => pubB.locator('[data-level]').getAttribute('data-level'), { timeout: 30_000 })
      .toBe('3');
    await expect
      .poll(() => pub.locator(`tr[data-unit="${A}"]`).innerText(), { timeout: 30_000 })
      .toContain('< 5');
    expect(await pub.locator('body').innerText()).not.toContain('Quàng Văn Ca');
    await shot(pub, '05a-public-map-phone');
    await expectTranslated(pub, I18N_KEY);
    expect(pubErrors).toEqual([]);
    await anon.close();

    await page.goto('/tinh-hinh');
    await page.getByTestId('dashboard').waitFor();
    await page.locator('.recharts-surface').first().waitFor();
    await shot(page, '04-dashboard-desktop');
    await page.getByRole('button', { name: 'Xem dạng bảng' }).click();
    const table = page.getByTestId('curve-table');
    await table.waitFor();
    const totals = await table.locator('tbody tr td:last-child').allInnerTexts();
    expect(totals.reduce((s, x) => s + Number(x.replace(/\D/g, '')), 0)).toBe(6);

    // the steering committee's report, its prose edited, downloads as DOCX
    const report = page.getByTestId('steering-report');
    await report
      .getByLabel('Khó khăn, vướng mắc')
      .fill('Thiếu nhân lực lấy mẫu ở phường Mường Thanh.');
    await report.scrollIntoViewIfNeeded();
    await shot(page, '04b-report-desktop');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('report-docx').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^bao-cao-bcd-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.docx$/,
    );
    const docx = await readFile((await download.path())!);
    expect(docx.subarray(0, 2).toString()).toBe('PK'); // a ZIP package
    expect(docx.includes('word/document.xml')).toBe(true);
    await expectTranslated(page, I18N_KEY);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a commune officer reads its level on a phone', async () => {
    const context = await e.newContext(PHONE);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, xaUser, PASSWORD);
    await openMenu(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Cấp độ dịch' }).click();
    await page.getByTestId('own-level').waitFor();
    await expect
      .poll(() => page.getByTestId('own-level').innerText())
      .toContain('Phường Mường Thanh');
    expect(await page.getByTestId('publish').count()).toBe(0);
    await shot(page, '05-levels-commune-phone');
    await page.goto('/tinh-hinh');
    await page.getByTestId('dashboard').waitFor();
    await shot(page, '06-dashboard-commune-phone');
    await expectTranslated(page, I18N_KEY);
    expect(errors).toEqual([]);
    await context.close();
  });
});
