/**
 * Supplies and enforcement on a phone (360×740, issue 18 items 1 and 3): a commune health worker
 * opens the commune's store, records a receipt and an issue, sees an issue beyond the stock
 * refused; then records a no-mask fine, sees a fine outside the decree's range refused naming the
 * amount, and marks the fine paid. Screenshots: test-results/e2e/supplies-*.png.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type E2E, login, named, pick, screenshots, startE2E, watch } from '../helpers/e2e.ts';

const A = '03136'; // Phường Mường Thanh, TP Điện Biên Phủ (094)
const PASSWORD = 'mat-khau-vat-tu-vi-pham';
const FIELD = { width: 360, height: 740 };
const stamp = Date.now().toString(36).slice(-5);
const user = `tyt.vattu.${stamp}`;
let e: E2E;
const { shot, shotDialog } = screenshots('supplies-');

beforeAll(async () => {
  e = await startE2E();
  const admin = await e.apiLogin('admin', e.server.adminPassword);
  const r = await e.call(admin, 'POST', '/api/v1/users', {
    username: user,
    fullName: user,
    password: PASSWORD,
    role: 'commune_health',
    jurisdiction: { level: 'commune', unitCode: A },
  });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  const commune = await e.apiLogin(user, PASSWORD);
  const p = await e.call(commune, 'POST', '/api/v1/persons', {
    fullName: 'Lò Văn Khẩu',
    birthYear: 1979,
    sex: 'male',
    phone: '0915333444',
    address: { communeCode: A },
  });
  expect(p.status, JSON.stringify(p.json)).toBe(201);
}, 240_000);
afterAll(() => e?.close());

describe('supplies and enforcement in the browser', () => {
  test('stock with a movement form, then a violation with its fine', async () => {
    const ctx = await e.newContext(FIELD);
    const page = await ctx.newPage();
    const errors = watch(page);
    await login(page, user, PASSWORD);

    await page.goto('/vat-tu');
    await page.getByRole('button', { name: 'Mở kho của đơn vị' }).click();
    await page.getByRole('combobox', { name: named('Kho / cơ sở') }).waitFor();
    const n95 = page.getByTestId('stock-n95');
    await n95.waitFor();
    await pick(page, 'Vật tư', 'Khẩu trang N95 (0)');
    await page.getByLabel(named('Số lượng')).fill('300');
    await page.getByRole('button', { name: 'Ghi sổ' }).click();
    const onHand = n95.getByTestId('on-hand');
    await expect.poll(() => onHand.textContent()).toBe('300');
    await page.getByText('Xuất', { exact: true }).click();
    await pick(page, 'Vật tư', 'Khẩu trang N95 (300)');
    await page.getByLabel(named('Số lượng')).fill('120');
    await page.getByRole('button', { name: 'Ghi sổ' }).click();
    await expect.poll(() => onHand.textContent()).toBe('180');
    await n95.getByText('Còn 180, dưới mức tối thiểu 200').waitFor();
    await shot(page, '01-stock-phone');
    // more than is left: refused, the stock as it was
    await pick(page, 'Vật tư', 'Khẩu trang N95 (180)');
    await page.getByLabel(named('Số lượng')).fill('500');
    await page.getByRole('button', { name: 'Ghi sổ' }).click();
    await page.getByText('Tồn kho chỉ còn 180, không thể xuất 500').waitFor();
    await shot(page, '02-issue-refused-phone', { idle: false });
    expect(await onHand.textContent()).toBe('180');

    await page.goto('/vi-pham');
    await page.getByText('Chưa có vi phạm nào.').waitFor();
    await page.getByRole('button', { name: 'Ghi vi phạm' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('person-search').fill('Lò Văn Khẩu');
    await dialog.getByText('Lò Văn Khẩu').first().click();
    await pick(page, 'Hành vi', 'Không đeo khẩu trang nơi công cộng', dialog);
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    await dialog.getByLabel(named('Ngày vi phạm')).fill(today.split('-').reverse().join('/'));
    await pick(page, 'Hình thức xử lý', 'Phạt tiền', dialog);
    await dialog.getByLabel(named('Số tiền phạt (đồng)')).fill('500000');
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await dialog
      .getByText(/Mức phạt theo Điều 12 khoản 1/)
      .first()
      .waitFor();
    await shotDialog(page, '03-fine-out-of-range-phone');
    await dialog.getByLabel(named('Số tiền phạt (đồng)')).fill('2000000');
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    const card = page.getByTestId('violation').filter({ hasText: 'Lò Văn Khẩu' });
    await card.getByText('Chưa nộp').waitFor();
    await card.getByRole('button', { name: 'Ghi đã nộp' }).click();
    await card.getByText(/Đã nộp phạt/).waitFor();
    await page.getByText('1 vi phạm · đã phạt 1 · đã nộp 1').waitFor();
    await shot(page, '04-violations-phone');
    expect(errors).toEqual([]);
    await ctx.close();
  }, 180_000);
});
