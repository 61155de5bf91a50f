/**
 * Capacity by scenario in a real browser: a province officer on a desktop opens "Dự báo năng lực",
 * picks the seeds' 30,000-F0 scenario, sees the shortfall of ICU beds in red against the
 * hospital the district opened, enters today's census and sees the day the beds run out; a
 * district officer does the same on a 360×740 phone and reads the census as a table.
 * Screenshots: test-results/e2e/scenarios-*.png.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  DESKTOP,
  type E2E,
  expectTranslated,
  login,
  openMenu,
  screenshots,
  startE2E,
  watch,
} from '../helpers/e2e.ts';

const A = '03136'; // Phường Mường Thanh, TP Điện Biên Phủ (094)
const PASSWORD = 'mat-khau-tinh-11-du-bao';
const I18N_KEY = /\b(nav|proj|dash|levels)\.[a-z][A-Za-z_]+\b/;
const stamp = Date.now().toString(36).slice(-5);
const tinhUser = `tinh.dubao.${stamp}`;
const huyenUser = `huyen.dubao.${stamp}`;
const { shot } = screenshots('scenarios-');
let e: E2E;

beforeAll(async () => {
  e = await startE2E();
  const admin = await e.apiLogin('admin', e.server.adminPassword);
  for (const [username, role, jurisdiction] of [
    [tinhUser, 'province', { level: 'province', unitCode: '11' }],
    [huyenUser, 'district_health', { level: 'district', unitCode: '094' }],
  ] as const) {
    const u = await e.call(admin, 'POST', '/api/v1/users', {
      username,
      fullName: username === tinhUser ? 'Trần Văn Bình' : 'Lường Thị Mai',
      role,
      jurisdiction,
      password: PASSWORD,
    });
    expect(u.status, JSON.stringify(u.json)).toBe(201);
  }
  const huyen = await e.apiLogin(huyenUser, PASSWORD);
  const f = await e.call(huyen, 'POST', '/api/v1/facilities', {
    kind: 'tier2',
    name: 'Bệnh viện Đa khoa tỉnh — khu điều trị COVID-19',
    communeCode: A,
    rooms: [
      { name: 'Hồi sức 1', oxygen: 4, icu: 2 },
      { name: 'P201', ordinary: 20 },
    ],
    ventilators: 3,
  });
  expect(f.status, JSON.stringify(f.json)).toBe(201);
});
afterAll(() => e?.close());

describe('capacity by scenario', () => {
  test('the province picks 30,000 F0 and sees the shortfall and the day beds run out (desktop)', async () => {
    const context = await e.newContext(DESKTOP);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, tinhUser, PASSWORD);
    await openMenu(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Dự báo năng lực' }).click();
    await page.getByRole('heading', { name: 'Dự báo năng lực theo kịch bản' }).waitFor();
    await page.getByTestId('scenario-picker').getByText('30.000', { exact: true }).click();
    await page
      .getByText('Kế hoạch đáp ứng tình huống khi có 30.000 người mắc (seed 002)')
      .waitFor();
    const icu = page.locator('tr[data-resource="icuBeds"]');
    await expect.poll(() => icu.innerText(), { timeout: 30_000 }).toContain('1.500');
    expect(await icu.innerText()).toContain('−1.498');
    expect(await icu.locator('[data-shortfall]').getAttribute('data-shortfall')).toBe('1498');
    // the shortfall is drawn in red
    const colour = await icu
      .locator('[data-shortfall] p')
      .evaluate((el) => getComputedStyle(el).color);
    expect(colour).toMatch(/rgb\((2[0-9]{2}), ([0-9]{1,2}), ([0-9]{1,2})\)/);
    // today's census of 40 in hospital: the 26 beds of the province are passed within the month
    await page.getByLabel('Đang nằm viện hôm nay').fill('40');
    await page.getByRole('button', { name: 'Dự báo', exact: true }).click();
    const beds = page.locator('[data-testid="runs-out"] [data-group="hospitalized"]');
    await expect
      .poll(() => beds.innerText(), { timeout: 30_000 })
      .toMatch(/Người bệnh nằm viện: vượt năng lực \(26\) từ ngày \d{2}\/\d{2}\/\d{4}/);
    await page.getByTestId('chart-hospitalized').locator('.recharts-surface').waitFor();
    await page.getByTestId('chart-hospitalized').getByText('Năng lực: 26').waitFor();
    await shot(page, '01-province-30000-desktop');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-xlsx').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^kich-ban-30000-11-\d{4}-\d{2}-\d{2}\.xlsx$/);
    await expectTranslated(page, I18N_KEY);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a district officer on a 360×740 phone: 1,000 F0 and the census as a table', async () => {
    const context = await e.newContext({ width: 360, height: 740 });
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, huyenUser, PASSWORD);
    await page.goto('/du-bao');
    await page.getByTestId('projection').waitFor();
    await page.getByTestId('scenario-picker').getByText('1.000', { exact: true }).click();
    const beds = page.locator('tr[data-resource="beds"]');
    await expect.poll(() => beds.innerText(), { timeout: 30_000 }).toContain('500');
    expect(await beds.innerText()).toContain('−474');
    // the shortfall column is inside the phone's width, not cut off
    const cell = await beds.locator('[data-shortfall]').boundingBox();
    expect(cell!.x + cell!.width).toBeLessThanOrEqual(360);
    // nothing wider than the phone
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
    const run = page.getByRole('button', { name: 'Dự báo', exact: true });
    expect((await run.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await shot(page, '02-district-1000-phone');
    await page.getByRole('button', { name: 'Xem dạng bảng' }).click();
    const table = page.getByTestId('census-table');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(31);
    await shot(page, '03-district-census-table-phone');
    await expectTranslated(page, I18N_KEY);
    expect(errors).toEqual([]);
    await context.close();
  });
});
