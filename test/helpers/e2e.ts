/**
 * What every browser test needs: the real server and Debian's Chromium, API calls and logins
 * from the test, phone and desktop contexts in Vietnamese, full-page screenshots, and the ways
 * to work Mantine's inputs. Each suite calls `startE2E()` in its `beforeAll`.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Config } from '../../src/server/config.ts';
import { launchChromium } from './browser.ts';
import { startTestServer } from './server.ts';

export const SHOTS = 'test-results/e2e';
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

export interface CallResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test code reads what it expects
  json: any;
  res: Response;
}

export interface E2E {
  server: { url: string; adminPassword: string; close(): Promise<void> };
  browser: Browser;
  /** A JSON request to the test server, as the holder of `cookie`. */
  call(cookie: string | null, method: string, path: string, body?: unknown): Promise<CallResult>;
  /** Logs in through the API and returns the cookie header value. */
  apiLogin(username: string, password: string): Promise<string>;
  /** A browser context in Vietnamese, Vietnam's time zone, phone-sized unless told otherwise. */
  newContext(viewport?: { width: number; height: number }): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** `overrides`: server settings for this suite (e.g. `{ demo: true }`). */
export async function startE2E(
  overrides: Partial<Config> = {},
  beforeListen?: Parameters<typeof startTestServer>[1], // issue 16 item 8 (demo data)
): Promise<E2E> {
  await mkdir(SHOTS, { recursive: true });
  const server = await startTestServer(overrides, beforeListen);
  const browser = await launchChromium();
  const call: E2E['call'] = async (cookie, method, path, body) => {
    const res = await fetch(server.url + path, {
      method,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: res.status, json, res };
  };
  return {
    server,
    browser,
    call,
    async apiLogin(username, password) {
      const r = await call(null, 'POST', '/api/v1/auth/login', { username, password });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      const cookie = r.res.headers.getSetCookie().find((c) => c.startsWith('eg_session='));
      expect(cookie).toBeDefined();
      return cookie!.split(';')[0]!;
    },
    async newContext(viewport = PHONE) {
      const phone = viewport.width < 600;
      const context = await browser.newContext({
        baseURL: server.url,
        viewport,
        deviceScaleFactor: 1,
        isMobile: phone,
        hasTouch: phone,
        locale: 'vi-VN',
        timezoneId: 'Asia/Ho_Chi_Minh',
      });
      context.setDefaultTimeout(30_000);
      return context;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * Collects uncaught errors in the page. 4xx answers are part of the stories; requests cut off by
 * going offline are expected in the offline tests.
 */
export function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (
      m.type() === 'error' &&
      !/status of 4\d\d|ERR_INTERNET_DISCONNECTED|Failed to fetch|net::ERR_FAILED/.test(m.text())
    )
      errors.push(m.text());
  });
  return errors;
}

/** Screenshots named `<prefix><name>.png` in test-results/e2e. */
export function screenshots(prefix: string) {
  return {
    /** The whole page from the top, once the network is idle and transitions are over. */
    async shot(page: Page, name: string, opts: { idle?: boolean } = {}) {
      if (opts.idle !== false) await page.waitForLoadState('networkidle');
      // Let Mantine transitions (modals, navbar) finish.
      await page.waitForTimeout(350);
      // Fixed header and navbar are drawn where the page is scrolled to: capture from the top.
      await page.evaluate(() => window.scrollTo(0, 0));
      // Toasts are fixed to the viewport: in a full-page capture they land mid-page.
      await page.screenshot({
        path: `${SHOTS}/${prefix}${name}.png`,
        fullPage: true,
        style: '.mantine-Notifications-root { display: none !important; }',
      });
    },
    /**
     * A dialog as the officer sees it. A full-screen one (phone) scrolls inside itself, so the
     * viewport is stretched to its content for the capture; a centred one is captured as is.
     */
    async shotDialog(page: Page, name: string) {
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(350);
      const size = page.viewportSize()!;
      const height = await page
        .locator('.mantine-Modal-content')
        .last()
        .evaluate((el) => {
          const inner = el.querySelector('.mantine-Modal-body')?.parentElement ?? el;
          const over = el.scrollHeight > el.clientHeight + 1;
          el.scrollTop = 0;
          inner.scrollTop = 0;
          // A centred dialog keeps a margin above and below it.
          const margin = el.getBoundingClientRect().top * 2;
          return over ? Math.ceil(el.scrollHeight + margin) : 0;
        });
      if (height) await page.setViewportSize({ width: size.width, height });
      await page.waitForTimeout(200);
      await page.screenshot({
        path: `${SHOTS}/${prefix}${name}.png`,
        style: '.mantine-Notifications-root { display: none !important; }',
      });
      if (height) await page.setViewportSize(size);
    },
  };
}

/** Fails when the page shows a translation key (`i18nKey`) instead of its text. */
export async function expectTranslated(page: Page, i18nKey: RegExp) {
  const text = await page.locator('body').innerText();
  expect(text, 'an i18n key is shown instead of its text').not.toMatch(i18nKey);
}

/** The accessible name of a labelled input, with or without the "required" asterisk. */
export const named = (label: string) =>
  new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}( \\*)?$`);

/** Mantine Select: open it (by its label, or the input itself) and click the option. */
export async function pick(page: Page, input: string | Locator, option: string, within?: Locator) {
  const box =
    typeof input === 'string'
      ? (within ?? page).getByRole('combobox', { name: named(input) })
      : input;
  await box.click();
  await page.getByRole('option', { name: option, exact: true }).click();
  await expect.poll(() => box.inputValue()).toBe(option);
}

/**
 * Logs in through the login page, waits for the role's daily page (issue 16) and returns its
 * path.
 */
export async function loginLanding(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByLabel(named('Tên đăng nhập')).fill(username);
  await page.getByLabel(named('Mật khẩu')).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
  await page.getByTestId('user-block').first().waitFor({ state: 'attached' });
  return new URL(page.url()).pathname;
}

/** Logs in through the login page, then opens the home page. */
export async function login(page: Page, username: string, password: string) {
  if ((await loginLanding(page, username, password)) !== '/') await page.goto('/');
  await page.getByRole('heading', { name: /^Xin chào/ }).waitFor();
}

/** Opens the navigation (the burger on a phone). */
export async function openMenu(page: Page) {
  const burger = page.getByRole('button', { name: 'Mở menu' });
  if (await burger.isVisible()) await burger.click();
  await page.getByRole('navigation').getByRole('link').first().waitFor();
}

/** The labels of the navigation links. */
export async function navLinks(page: Page): Promise<string[]> {
  return (await page.getByRole('navigation').getByRole('link').allInnerTexts()).map((s) =>
    s.trim(),
  );
}

/** The session cookie of a browser context, for API checks from the test. */
export async function cookieOf(context: BrowserContext): Promise<string> {
  const c = (await context.cookies()).find((x) => x.name === 'eg_session');
  expect(c).toBeDefined();
  return `eg_session=${c!.value}`;
}
