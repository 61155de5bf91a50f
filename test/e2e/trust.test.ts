/**
 * Issue 10 in the browser: a demo server says so on every page (item 13) — the login page, a
 * public page and the staff app, on a 360×740 phone — and a server outside demo mode does not;
 * an administrator sees a user's failed logins on the user's page and lifts the hold (item 6).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { login, screenshots, startE2E, watch, type E2E } from '../helpers/e2e.ts';

const PHONE_360 = { width: 360, height: 740 };
const { shot } = screenshots('trust-');

describe('demo mode', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E({ demo: true });
  });
  afterAll(() => e?.close());

  test('every page shows the demo banner, above the app’s header (phone)', async () => {
    const context = await e.newContext(PHONE_360);
    const page = await context.newPage();
    const errors = watch(page);
    const banner = page.getByTestId('demo-banner');
    await page.goto('/login');
    await banner.waitFor();
    expect(await banner.innerText()).toBe('Chế độ trình diễn — dữ liệu và mật khẩu mẫu');
    await shot(page, '01-demo-login-phone');
    await page.goto('/khai-bao');
    await banner.waitFor();
    await login(page, 'admin', e.server.adminPassword);
    await banner.waitFor();
    // The banner does not hide the header's menu button, and stays on one line.
    const strip = (await banner.boundingBox())!;
    const burger = (await page.getByRole('button', { name: 'Mở menu' }).boundingBox())!;
    expect(strip.height).toBeLessThanOrEqual(32);
    // The whole line is read, not cut off with an ellipsis.
    expect(await banner.locator('p').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(burger.y).toBeGreaterThanOrEqual(strip.y + strip.height);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    await shot(page, '02-demo-home-phone');
    // English beside Vietnamese.
    await page.evaluate(() => localStorage.setItem('epiguard.lang', 'en'));
    await page.reload();
    await banner.waitFor();
    expect(await banner.innerText()).toBe('Demo mode — sample data and passwords');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('outside demo mode', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(() => e?.close());

  test('no banner; an administrator sees a user’s failed logins and lifts the hold', async () => {
    const admin = await e.apiLogin('admin', e.server.adminPassword);
    const username = `bi.chan.${Date.now().toString(36).slice(-5)}`;
    const created = await e.call(admin, 'POST', '/api/v1/users', {
      username,
      fullName: 'Lường Văn Khóa',
      password: 'password-123',
      role: 'commune_health',
      jurisdiction: { level: 'commune', unitCode: '03136' },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const id = created.json.user.id as string;
    for (let i = 0; i < 5; i++)
      expect(
        (
          await e.call(null, 'POST', '/api/v1/auth/login', {
            username,
            password: 'wrong-password',
          })
        ).status,
      ).toBe(401);
    const held = await e.call(null, 'POST', '/api/v1/auth/login', {
      username,
      password: 'password-123',
    });
    expect(held.status).toBe(429);

    const context = await e.newContext(PHONE_360);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, 'admin', e.server.adminPassword);
    expect(await page.getByTestId('demo-banner').count()).toBe(0);
    await page.goto(`/users/${id}`);
    const card = page.getByTestId('login-blocks');
    await card.getByText(/5 lần sai/).waitFor();
    await card.getByText(/Đang bị chặn đến/).waitFor();
    const lift = card.getByRole('button', { name: 'Gỡ chặn đăng nhập' });
    expect((await lift.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await card.scrollIntoViewIfNeeded();
    await shot(page, '03-login-blocks-phone');
    await lift.click();
    await card.getByText('Không có lần đăng nhập sai nào gần đây.').waitFor();
    await shot(page, '04-login-blocks-lifted-phone');
    const back = await e.call(null, 'POST', '/api/v1/auth/login', {
      username,
      password: 'password-123',
    });
    expect(back.status).toBe(200);
    expect(errors).toEqual([]);
    await context.close();
  });
});
