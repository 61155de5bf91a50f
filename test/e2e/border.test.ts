/**
 * Border posts in a real browser (issue 17 item 5): a border officer on a phone (360×740) records
 * an illegal entry of two people at a trail, picks the quarantine facility and saves; the page
 * says where each one was placed, and the district's health officer (desktop) sees the report and
 * the counts. Screenshots: test-results/e2e/border-*.png.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  DESKTOP,
  type E2E,
  expectTranslated,
  login,
  loginLanding,
  named,
  pick,
  screenshots,
  startE2E,
  watch,
} from '../helpers/e2e.ts';

const COMMUNE = '03136'; // Phường Mường Thanh, TP Điện Biên Phủ (district 094)
const PASSWORD = 'mat-khau-bien-phong';
const PHONE_360 = { width: 360, height: 740 };
const stamp = Date.now().toString(36).slice(-5);
const user = (name: string) => `${name}.${stamp}`;
const { shot } = screenshots('border-');
let e: E2E;
let huyenCookie: string;
let facilityId: string;

beforeAll(async () => {
  e = await startE2E();
  const admin = await e.apiLogin('admin', e.server.adminPassword);
  const post = await e.call(admin, 'POST', '/api/v1/sites', {
    kind: 'border_post',
    name: 'Đồn Biên phòng Thanh Luông',
    communeCode: COMMUNE,
  });
  expect(post.status, JSON.stringify(post.json)).toBe(201);
  for (const [username, role, jurisdiction] of [
    [user('donbp'), 'border_officer', { level: 'site', siteId: post.json.id }],
    [user('huyen'), 'district_health', { level: 'district', unitCode: '094' }],
  ] as const) {
    const r = await e.call(admin, 'POST', '/api/v1/users', {
      username,
      fullName: username,
      role,
      jurisdiction,
      password: PASSWORD,
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
  }
  huyenCookie = await e.apiLogin(user('huyen'), PASSWORD);
  const f = await e.call(huyenCookie, 'POST', '/api/v1/facilities', {
    kind: 'quarantine',
    name: 'Khu cách ly Trường Quân sự tỉnh',
    communeCode: COMMUNE,
    rooms: [{ name: 'A1', ordinary: 4 }],
  });
  expect(f.status, JSON.stringify(f.json)).toBe(201);
  facilityId = f.json.id;
}, 120_000);
afterAll(() => e?.close());

describe('border post: an illegal entry sent to quarantine from a phone', () => {
  test('the officer records two people crossing at a trail and sends them to quarantine', async () => {
    const ctx = await e.newContext(PHONE_360);
    const page = await ctx.newPage();
    const errors = watch(page);
    expect(await loginLanding(page, user('donbp'), PASSWORD)).toBe('/bien-phong');
    await page.getByRole('heading', { name: /Đồn biên phòng/ }).waitFor();
    await pick(page, 'Xã nơi xảy ra', 'Phường Mường Thanh');
    await page.getByLabel(named('Địa điểm (mốc, đường mòn, lối mở…)')).fill('Đường mòn mốc 120');
    const persons = page.getByTestId('bp-person');
    const fill = async (i: number, name: string, year: string, nation?: string) => {
      const p = persons.nth(i);
      await p.getByLabel(named('Họ tên (không rõ: ghi đặc điểm)')).fill(name);
      await p.getByLabel(named('Năm sinh (ước tính)')).fill(year);
      if (nation) await pick(page, 'Quốc tịch', nation, p);
    };
    await fill(0, 'Lò Văn Páo', '1990');
    await page.getByRole('button', { name: 'Thêm người' }).click();
    await fill(1, 'Vàng Thị Say', '1995', 'Lào');
    await pick(page, persons.nth(1).getByRole('combobox', { name: named('Giới tính') }), 'Nữ');
    await pick(
      page,
      'Cơ sở cách ly tập trung tiếp nhận',
      'Khu cách ly Trường Quân sự tỉnh · 4 giường trống',
    );
    await shot(page, 'phone-form');
    const save = page.getByRole('button', { name: 'Lưu và đưa đi cách ly' });
    expect((await save.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await save.click();
    const placed = page.getByTestId('bp-placed');
    await placed.waitFor();
    await expect
      .poll(() => placed.innerText())
      .toContain('Lò Văn Páo: Khu cách ly Trường Quân sự tỉnh, phòng A1');
    expect(await placed.innerText()).toContain('Vàng Thị Say');
    await page.getByTestId('bp-report').first().waitFor();
    expect(await page.getByTestId('bp-report').first().innerText()).toContain('2 người');
    await expectTranslated(page, /border\./);
    // nothing wider than the phone
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
    await shot(page, 'phone-saved');
    const f = await e.call(huyenCookie, 'GET', `/api/v1/facilities/${facilityId}`);
    expect(f.json.beds.occupied).toBe(2);
    expect(errors).toEqual([]);
    await ctx.close();
  }, 120_000);

  test("the district's health officer sees the report and the counts", async () => {
    const ctx = await e.newContext(DESKTOP);
    const page = await ctx.newPage();
    const errors = watch(page);
    await login(page, user('huyen'), PASSWORD);
    await page.goto('/bien-phong');
    const counts = page.getByTestId('bp-counts');
    await counts.waitFor();
    await expect
      .poll(() => counts.innerText())
      .toContain('Nhập cảnh trái phép: 1 vụ / 2 người (1 người nước ngoài)');
    expect(await page.getByTestId('bp-report').first().innerText()).toContain('Đường mòn mốc 120');
    // a health officer reads; the form is the post's
    expect(await page.getByRole('button', { name: 'Lưu và đưa đi cách ly' }).count()).toBe(0);
    await shot(page, 'district');
    expect(errors).toEqual([]);
    await ctx.close();
  }, 120_000);
});
