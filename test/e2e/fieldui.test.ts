/**
 * Issue 16 items 5 and 7 in a real browser: every touch target at least 44 px on a 360×740
 * phone, the menu grouped by work and cut to each role, each role's daily page after login,
 * dark mode remembered, deletes confirmed, the roles page, and the app installable (manifest,
 * icons, service worker). Screenshots: test-results/e2e/fieldui-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  DESKTOP,
  type E2E,
  loginLanding,
  openMenu,
  screenshots,
  startE2E,
  watch,
} from '../helpers/e2e.ts';

const PHONE_360 = { width: 360, height: 740 };
const COMMUNE_CODE = '03145';
const PASSWORD = 'field-ui-Pass-2026';
const users = {
  officer: 'fui.chot',
  commune: 'fui.xa',
  lab: 'fui.xn',
  province: 'fui.tinh',
};

let e: E2E;
const { shot } = screenshots('fieldui-');

beforeAll(async () => {
  e = await startE2E();
  const admin = await e.apiLogin('admin', e.server.adminPassword);
  const site = async (kind: string, name: string) => {
    const r = await e.call(admin, 'POST', '/api/v1/sites', {
      kind,
      name,
      communeCode: COMMUNE_CODE,
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    return r.json.id as string;
  };
  const mk = async (username: string, role: string, jurisdiction: object) => {
    const r = await e.call(admin, 'POST', '/api/v1/users', {
      username,
      fullName: `Cán bộ ${username}`,
      role,
      jurisdiction,
      password: PASSWORD,
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
  };
  await mk(users.officer, 'checkpoint_officer', {
    level: 'site',
    siteId: await site('checkpoint', 'Chốt Km 5 (fieldui)'),
  });
  await mk(users.lab, 'lab', { level: 'site', siteId: await site('lab', 'Phòng XN (fieldui)') });
  await mk(users.commune, 'commune_health', { level: 'commune', unitCode: COMMUNE_CODE });
  await mk(users.province, 'province', { level: 'province', unitCode: '11' });
});
afterAll(() => e?.close());

/** Visible buttons and links (and the halves of segmented controls) smaller than 44×44. */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const small: string[] = [];
    const targets = document.querySelectorAll<HTMLElement>(
      'button, a[href], [role="button"], .mantine-SegmentedControl-label',
    );
    for (const el of targets) {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
      // An inline link inside a sentence is text, not a tap target of its own.
      if (el.tagName === 'A' && style.display === 'inline') continue;
      if (r.width < 44 || r.height < 44) {
        const name = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40);
        small.push(`${name || el.tagName} ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
    }
    return small;
  });
}

/** Text cut off by its box (scrollWidth beyond clientWidth) in labels of buttons and links. */
async function clippedLabels(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('button span, a span, .mantine-NavLink-label')]
      .filter((el) => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
      .map((el) => (el.textContent ?? '').trim()),
  );
}

async function groupsOf(page: Page): Promise<string[]> {
  return page
    .getByRole('navigation')
    .getByRole('group')
    .evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
}

describe('field UI on a 360×740 phone', () => {
  test('each role lands on its daily page and sees only its own menu groups', async () => {
    const expected: Record<string, { path: string; groups: string[] }> = {
      [users.officer]: { path: '/chot', groups: ['', 'Kiểm soát ra vào', 'Dân cư', 'Quản trị'] },
      [users.commune]: {
        path: '/theo-doi',
        groups: [
          '',
          'Tình hình',
          'Kiểm soát ra vào',
          'Dân cư',
          'Ca bệnh & truy vết',
          'Xét nghiệm',
          'Cách ly & điều trị',
          'Tiêm chủng',
          'Nguồn lực & xử lý vi phạm',
          'Quản trị',
        ],
      },
      [users.lab]: {
        path: '/xet-nghiem/nhap-tep',
        groups: ['', 'Kiểm soát ra vào', 'Dân cư', 'Ca bệnh & truy vết', 'Xét nghiệm', 'Quản trị'],
      },
      [users.province]: { path: '/tinh-hinh', groups: [] },
      admin: { path: '/users', groups: ['', 'Kiểm soát ra vào', 'Quản trị'] },
    };
    for (const [username, want] of Object.entries(expected)) {
      const context = await e.newContext(PHONE_360);
      const page = await context.newPage();
      const errors = watch(page);
      const password = username === 'admin' ? e.server.adminPassword : PASSWORD;
      expect(await loginLanding(page, username, password), username).toBe(want.path);
      await openMenu(page);
      const groups = await groupsOf(page);
      if (want.groups.length) expect(groups, username).toEqual(want.groups);
      else expect(groups.length, username).toBeGreaterThan(7);
      // The administrator's menu has no people, cases or vaccination (SECURITY.md).
      if (username === 'admin') {
        const nav = await page.getByRole('navigation').first().innerText();
        expect(nav).not.toMatch(/Người dân|Ca bệnh|Tiêm chủng/);
        expect(nav).toMatch(/Vai trò & quyền/);
      }
      expect(await smallTargets(page), `${username} menu`).toEqual([]);
      expect(await clippedLabels(page), `${username} menu`).toEqual([]);
      await shot(page, `menu-${username.replace('fui.', '')}-phone`);
      await page.keyboard.press('Escape');
      expect(errors, username).toEqual([]);
      await context.close();
    }
  });

  test('the main pages have no target under 44 px and no clipped label', async () => {
    const context = await e.newContext(PHONE_360);
    const page = await context.newPage();
    await loginLanding(page, users.commune, PASSWORD);
    for (const path of ['/', '/theo-doi', '/nguoi-dan', '/ca-benh', '/xet-nghiem', '/tiem-chung']) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      await page.getByTestId('user-block').first().waitFor({ state: 'attached' });
      expect(await smallTargets(page), path).toEqual([]);
      expect(await clippedLabels(page), path).toEqual([]);
    }
    await shot(page, 'commune-vaccination-phone');
    await context.close();
  });

  test('dark mode is one tap and is remembered', async () => {
    const context = await e.newContext(PHONE_360);
    const page = await context.newPage();
    await loginLanding(page, users.officer, PASSWORD);
    const scheme = () => page.locator('html').getAttribute('data-mantine-color-scheme');
    expect(await scheme()).toBe('light');
    await page.getByRole('button', { name: 'Chế độ tối' }).click();
    expect(await scheme()).toBe('dark');
    await page.reload();
    await page.getByTestId('theme-toggle').waitFor();
    expect(await scheme()).toBe('dark');
    await shot(page, 'checkpoint-dark-phone');
    await page.getByRole('button', { name: 'Chế độ sáng' }).click();
    expect(await scheme()).toBe('light');
    await context.close();
  });
});

describe('roles, confirmation and installation', () => {
  test('the administrator reads every role and its permissions in words (desktop)', async () => {
    const context = await e.newContext(DESKTOP);
    const page = await context.newPage();
    await loginLanding(page, 'admin', e.server.adminPassword);
    await page.goto('/vai-tro');
    await page.getByRole('heading', { name: 'Vai trò & quyền' }).waitFor();
    await page.getByRole('button', { name: /Quản trị hệ thống/ }).click();
    await expect
      .poll(() => page.getByTestId('roles').innerText())
      .toMatch(/Không xem dữ liệu cá nhân/);
    const matrix = page.getByTestId('role-matrix');
    expect(await matrix.innerText()).toMatch(/Xem hồ sơ người dân/);
    await shot(page, 'roles-desktop');
    await context.close();
  });

  test('ending a session asks first', async () => {
    await e.apiLogin(users.province, PASSWORD); // a second session to end
    const context = await e.newContext(PHONE_360);
    const page = await context.newPage();
    await loginLanding(page, users.province, PASSWORD);
    await page.goto('/account/password');
    const others = page.getByTestId('session').filter({ has: page.getByRole('button') });
    await others.first().waitFor();
    const before = await others.count();
    await others.first().getByRole('button', { name: 'Kết thúc' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/Thiết bị đó sẽ phải đăng nhập lại/).waitFor();
    expect(await clippedLabels(page)).toEqual([]);
    await shot(page, 'confirm-phone');
    await dialog.getByRole('button', { name: 'Huỷ' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await others.count()).toBe(before);
    await others.first().getByRole('button', { name: 'Kết thúc' }).click();
    await page.getByTestId('confirm-delete').click();
    await expect.poll(() => others.count()).toBe(before - 1);
    await context.close();
  });

  test('the app is installable: manifest, icons and a service worker', async () => {
    const manifest = await fetch(e.server.url + '/manifest.webmanifest');
    expect(manifest.status).toBe(200);
    const m = (await manifest.json()) as {
      name: string;
      start_url: string;
      display: string;
      icons: { src: string; sizes: string; type: string }[];
    };
    expect(m.display).toBe('standalone');
    expect(m.start_url).toBe('/');
    for (const size of ['192x192', '512x512']) {
      const icon = m.icons.find((i) => i.sizes === size && i.type === 'image/png');
      expect(icon, size).toBeDefined();
      const png = await fetch(e.server.url + icon!.src);
      expect(png.status).toBe(200);
      const bytes = new Uint8Array(await png.arrayBuffer());
      // PNG signature, then the IHDR width and height.
      expect([...bytes.slice(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
      const view = new DataView(bytes.buffer);
      expect(`${view.getUint32(16)}x${view.getUint32(20)}`).toBe(size);
    }
    const context = await e.newContext(PHONE_360);
    const page = await context.newPage();
    await loginLanding(page, users.commune, PASSWORD);
    expect(await page.locator('link[rel="manifest"]').getAttribute('href')).toBe(
      '/manifest.webmanifest',
    );
    // The worker is registered from any page of the app, and controls it.
    const scope = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return reg.scope;
    });
    expect(new URL(scope).pathname).toBe('/');
    // Offline, the app shell still opens.
    await page.reload();
    await page.evaluate(() => navigator.serviceWorker.ready);
    await context.setOffline(true);
    await page.goto('/theo-doi');
    await page.getByTestId('user-block').first().waitFor({ state: 'attached' });
    await context.setOffline(false);
    await context.close();
  });
});
