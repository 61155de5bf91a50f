/**
 * Issue 10, item 8, in the browser: after an administrator resets a user's password, the user
 * who logs in with it sees only the change-password page (on a 360×740 phone) until they have
 * chosen their own; then the app opens, and "Đổi mật khẩu" is in the menu.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  expectTranslated,
  named,
  openMenu,
  screenshots,
  startE2E,
  watch,
  type E2E,
} from '../helpers/e2e.ts';

const PHONE_360 = { width: 360, height: 740 };
let e: E2E;
const { shot } = screenshots('account-');

beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e?.close());

describe('staff app: forced password change', () => {
  test('a reset password must be changed before anything else (phone)', async () => {
    const admin = await e.apiLogin('admin', e.server.adminPassword);
    const username = `dat.lai.${Date.now().toString(36).slice(-5)}`;
    const created = await e.call(admin, 'POST', '/api/v1/users', {
      username,
      fullName: 'Quàng Thị Hoa',
      password: 'password-123',
      role: 'commune_health',
      jurisdiction: { level: 'commune', unitCode: '03136' },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const reset = await e.call(admin, 'PATCH', `/api/v1/users/${created.json.user.id}`, {
      generatePassword: true,
    });
    expect(reset.status).toBe(200);
    const given = reset.json.generatedPassword as string;

    const context = await e.newContext(PHONE_360);
    const page = await context.newPage();
    const errors = watch(page);
    await page.goto('/login');
    await page.getByLabel(named('Tên đăng nhập')).fill(username);
    await page.getByLabel(named('Mật khẩu')).fill(given);
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await page.waitForURL('**/account/password');
    await page.getByTestId('must-change').waitFor();
    await expectTranslated(page, /\baccount\.[a-z][A-Za-z]+\b/);
    await shot(page, '01-forced-phone');

    // Another page is not reachable: the app comes back here.
    await page.goto('/users');
    await page.waitForURL('**/account/password');

    // A common password is refused with the rule, beside the field.
    await page.getByLabel(named('Mật khẩu hiện tại')).fill(given);
    await page.getByLabel(named('Mật khẩu mới')).fill('1234567890');
    await page.getByLabel(named('Nhập lại mật khẩu mới')).fill('1234567890');
    await page.getByRole('button', { name: 'Lưu mật khẩu mới' }).click();
    await page.getByText('Mật khẩu mới: quá phổ biến').waitFor();
    await shot(page, '02-common-refused-phone');

    const button = await page.getByRole('button', { name: 'Lưu mật khẩu mới' }).boundingBox();
    expect(button!.height).toBeGreaterThanOrEqual(44);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);

    await page.getByLabel(named('Mật khẩu mới')).fill('Hoa-Mường-Thanh-26');
    await page.getByLabel(named('Nhập lại mật khẩu mới')).fill('Hoa-Mường-Thanh-26');
    await page.getByRole('button', { name: 'Lưu mật khẩu mới' }).click();
    await page.getByRole('heading', { name: /^Xin chào/ }).waitFor();

    // The user menu holds "Đổi mật khẩu", which opens the page with the sessions.
    await openMenu(page);
    await page.getByRole('link', { name: 'Đổi mật khẩu' }).click();
    await page.waitForURL('**/account/password');
    await page.getByTestId('session').first().waitFor();
    await expect.poll(() => page.getByTestId('must-change').count()).toBe(0);
    await shot(page, '03-after-change-phone');
    expect(errors).toEqual([]);
    await context.close();
  });
});
