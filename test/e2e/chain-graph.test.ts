/**
 * Issue 16 item 2 in a real browser: the transmission chain laid out by ELK reads infector →
 * infected (left to right), every arrow carries its date, the legend says why a grey box has no
 * name (a person another commune manages), names are whole, and the controls are named — on a
 * 360×740 phone, in Vietnamese and English, and on a desktop.
 * Screenshots: test-results/e2e/chain-*.png.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  DESKTOP,
  type E2E,
  expectTranslated,
  login,
  screenshots,
  startE2E,
  watch,
} from '../helpers/e2e.ts';

const PHONE_360 = { width: 360, height: 740 };
// Phường Mường Thanh (03136) manages the chain; Xã Thanh Minh (03145) is another commune.
const HERE = '03136';
const THERE = '03145';
const PASSWORD = 'chuoi-lay-Pass-2026';
const stamp = Date.now().toString(36).slice(-5);
const I18N_KEY = /\b(graph|role|contactStatus|sourceShort|source)\.[a-z][A-Za-z_]+\b/;
const T = Date.now();
const ago = (h: number) => new Date(T - h * 3_600_000).toISOString();
const vnDate = (ms: number) =>
  new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10).split('-').reverse().join('/');

let e: E2E;
const { shot } = screenshots('chain-');
const ids: Record<string, string> = {};
const commune = `chuoi.xa.${stamp}`;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test code reads what it expects
type Json = Record<string, any>;

beforeAll(async () => {
  e = await startE2E();
  const admin = await e.apiLogin('admin', e.server.adminPassword);
  const ok = (r: { status: number; json: unknown }, status = 201) => {
    expect(r.status, JSON.stringify(r.json)).toBe(status);
    return r.json as Json;
  };
  const user = async (username: string, role: string, jurisdiction: Json) => {
    ok(
      await e.call(admin, 'POST', '/api/v1/users', {
        username,
        fullName: `Cán bộ ${username}`,
        role,
        jurisdiction,
        password: PASSWORD,
      }),
    );
    return e.apiLogin(username, PASSWORD);
  };
  const province = await user(`chuoi.tinh.${stamp}`, 'province', {
    level: 'province',
    unitCode: '11',
  });
  await user(commune, 'commune_health', { level: 'commune', unitCode: HERE });

  const person = async (key: string, fullName: string, communeCode: string) => {
    ids[key] = ok(
      await e.call(province, 'POST', '/api/v1/persons', {
        fullName,
        birthYear: 1985,
        sex: 'female',
        address: { communeCode },
      }),
    ).id;
  };
  await person('A', 'Nguyễn Thị Thanh Hương Giang', HERE);
  await person('B', 'Lò Văn Bình', HERE);
  await person('C', 'Quàng Thị Xuân', HERE);
  await person('O', 'Cầm Văn Ngoài', THERE);
  const venue = async (name: string) =>
    ok(
      await e.call(province, 'POST', '/api/v1/venues', { name, kind: 'market', communeCode: HERE }),
    ).id as string;
  const market = await venue(`Chợ Mường Thanh ${stamp}`);
  const shop = await venue(`Quán nước Him Lam ${stamp}`);
  const visit = async (v: string, key: string, from: number, to: number) => {
    for (const [direction, at] of [
      ['in', ago(from)],
      ['out', ago(to)],
    ])
      ok(
        await e.call(province, 'POST', `/api/v1/venues/${v}/checkins`, {
          clientId: randomUUID(),
          personId: ids[key],
          direction,
          at,
        }),
      );
  };
  // A meets B and O at the market; B later meets C at the shop.
  await visit(market, 'A', 22, 20.5);
  await visit(market, 'B', 21.5, 21);
  await visit(market, 'O', 21.5, 21);
  await visit(shop, 'B', 10, 9);
  await visit(shop, 'C', 10, 9);

  const openCase = async (key: string, hoursAgo: number, foundBy: string) =>
    ok(
      await e.call(province, 'POST', '/api/v1/cases', {
        clientId: randomUUID(),
        personId: ids[key],
        positiveSampleAt: ago(hoursAgo),
        foundBy,
        basis: 'pcr_positive',
      }),
    ).id as string;
  const caseA = await openCase('A', 19, 'community');
  const contactsOf = async (caseId: string) =>
    ok(await e.call(province, 'GET', `/api/v1/cases/${caseId}/contacts?depth=1`), 200).f1 as Json[];
  const confirm = async (caseId: string, key: string) => {
    const k = (await contactsOf(caseId)).find((c) => (c.person?.id ?? c.personId) === ids[key]);
    expect(k, `${key} is a contact of ${caseId}`).toBeDefined();
    const r = await e.call(province, 'POST', `/api/v1/contacts/${k!.id}/confirm`, {});
    expect([200, 201]).toContain(r.status);
  };
  await confirm(caseA, 'B');
  await confirm(caseA, 'O');
  // B tests positive: a case whose source is A.
  const caseB = await openCase('B', 2, 'quarantine');
  ok(await e.call(province, 'GET', `/api/v1/cases/${caseB}`), 200);
  await contactsOf(caseB);
});
afterAll(() => e?.close());

/** Where each box is drawn (its top-left corner), by its accessible name. */
const boxes = (page: Page) =>
  page.getByTestId('chain-graph').evaluate((svg) => {
    const out: Record<string, { x: number; y: number }> = {};
    for (const g of svg.querySelectorAll('[data-testid="graph-node"]')) {
      const r = g.querySelector('rect')!;
      out[g.getAttribute('aria-label') ?? ''] = {
        x: Number(r.getAttribute('x')),
        y: Number(r.getAttribute('y')),
      };
    }
    return out;
  });
const A_NAME = 'F0 Nguyễn Thị Thanh Hương Giang';
const B_NAME = 'F0 Lò Văn Bình';
const C_NAME = 'F1 Quàng Thị Xuân';

describe('the transmission chain graph (issue 16 item 2)', () => {
  test('phone 360×740: infector → infected, dates on arrows, legend, hidden person explained', async () => {
    const context = await e.newContext(PHONE_360);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, commune, PASSWORD);
    await page.goto(`/chuoi-lay/${ids.B}`);
    await page.getByRole('heading', { name: 'Chuỗi lây nhiễm quanh Lò Văn Bình' }).waitFor();
    const svg = page.getByTestId('chain-graph');
    await svg.waitFor();
    await expect.poll(() => svg.getByTestId('graph-node').count()).toBe(4);

    // On a phone the generations go down the page: A (infector) above B, B above C; the
    // transmission edge runs A → B.
    const at = await boxes(page);
    expect(at[A_NAME]!.y).toBeLessThan(at[B_NAME]!.y);
    expect(at[B_NAME]!.y).toBeLessThan(at[C_NAME]!.y);
    const tr = svg.locator('[data-kind="transmission"]');
    expect(await tr.count()).toBe(1);
    expect(await tr.getAttribute('data-from')).toBe(ids.A);
    expect(await tr.getAttribute('data-to')).toBe(ids.B);
    expect(
      await svg
        .locator(`[data-testid="graph-edge"][data-from="${ids.B}"][data-to="${ids.A}"]`)
        .count(),
    ).toBe(0);

    // Every arrow carries its date, dd/mm/yyyy; the transmission one the positive sample date.
    const labels = await svg.getByTestId('graph-edge-label').allTextContents();
    // A→B, A→O, B→O (O was at the market with B too), B→C.
    expect(labels).toHaveLength(4);
    // On a phone the label is the date alone, dd/mm/yyyy (the red line is the transmission).
    for (const l of labels) expect(l).toMatch(/^\d\d\/\d\d\/\d{4}$/);
    expect(await tr.getByTestId('graph-edge-label').textContent()).toBe(
      vnDate(T - 21.5 * 3_600_000),
    );

    // Whole names (wrapped, not cut); the hidden person grey, with the reason and their unit.
    const names = await svg.locator('[data-testid="graph-node"] text').allTextContents();
    expect(names.join(' ')).toContain(
      'Nguyễn Thị Thanh Hương Giang'.split(' ').slice(0, 3).join(' '),
    );
    expect(names.join('|')).not.toContain('…');
    const hidden = svg.locator('[data-outside="true"]');
    expect(await hidden.count()).toBe(1);
    await expect
      .poll(() => hidden.locator('title').textContent())
      .toContain('Ngoài địa bàn của bạn');
    await expect.poll(() => hidden.textContent()).toMatch(/Thanh Minh/);
    expect(await page.getByText('Cầm Văn Ngoài').count()).toBe(0);
    const legend = page.getByTestId('graph-legend');
    await expect.poll(() => legend.textContent()).toContain('tên được ẩn vì nằm ngoài địa bàn');
    await expect.poll(() => legend.textContent()).toContain('từ người lây sang người bị lây');
    await expect
      .poll(() => legend.textContent())
      .toContain('Người lây ở trên, người bị lây ở dưới.');

    // Named controls, 44 px on the phone; zoom changes the drawing's size.
    await page.getByText('Phạm vi chuỗi').waitFor();
    const step = page.getByRole('radio', { name: '3 bước' });
    expect(await step.count()).toBe(1);
    const w0 = Number(await svg.getAttribute('width'));
    const zoomOut = page.getByRole('button', { name: 'Thu nhỏ' });
    expect((await zoomOut.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await zoomOut.click();
    await expect.poll(async () => Number(await svg.getAttribute('width'))).toBeLessThan(w0);
    await page.getByRole('button', { name: 'Cỡ thường' }).click();
    await expect.poll(async () => Number(await svg.getAttribute('width'))).toBe(w0);
    // The page itself never scrolls sideways: the drawing scrolls in its own frame.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );

    const links = await page.getByTestId('graph-links').innerText();
    expect(links).toMatch(/Nguyễn Thị Thanh Hương Giang → Lò Văn Bình: [^\n]*\(lây truyền\)/);
    expect(links).toMatch(/Lò Văn Bình → Quàng Thị Xuân: /);
    await expectTranslated(page, I18N_KEY);
    await shot(page, '01-phone');
    await page
      .getByTestId('chain-graph')
      .screenshot({ path: 'test-results/e2e/chain-02-drawing-phone.png' });

    // English: the same drawing, its legend and labels in English.
    await page.goto('/');
    await page.getByText('EN', { exact: true }).click();
    await page.goto(`/chuoi-lay/${ids.B}`);
    await page.getByRole('heading', { name: 'Transmission chain around Lò Văn Bình' }).waitFor();
    await page.getByTestId('chain-graph').waitFor();
    await expect
      .poll(() => page.getByTestId('graph-legend').textContent())
      .toContain('infector to infected');
    await expect
      .poll(() => page.getByTestId('graph-links').innerText())
      .toMatch(/Nguyễn Thị Thanh Hương Giang → Lò Văn Bình: [^\n]*\(transmission\)/);
    await expect
      .poll(() => page.locator('[data-outside="true"] title').textContent())
      .toContain('Outside your area');
    await page.getByRole('button', { name: 'Zoom out' }).waitFor();
    await expectTranslated(page, I18N_KEY);
    await shot(page, '03-phone-english');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('desktop: the same chain, and a tap on a box opens the chain around that person', async () => {
    const context = await e.newContext(DESKTOP);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, commune, PASSWORD);
    await page.goto(`/chuoi-lay/${ids.B}`);
    await page.getByTestId('chain-graph').waitFor();
    // On a wide screen the generations read left to right.
    const at = await boxes(page);
    expect(at[A_NAME]!.x).toBeLessThan(at[B_NAME]!.x);
    expect(at[B_NAME]!.x).toBeLessThan(at[C_NAME]!.x);
    await expect
      .poll(() => page.getByTestId('graph-legend').textContent())
      .toContain('Người lây ở bên trái, người bị lây ở bên phải.');
    // A wide screen has room for the kind of exposure beside the date.
    const tr = page.locator('[data-kind="transmission"]').getByTestId('graph-edge-label');
    expect(await tr.textContent()).toBe(`Lây truyền · ${vnDate(T - 21.5 * 3_600_000)}`);
    await shot(page, '04-desktop');
    await page.getByRole('link', { name: 'F1 Quàng Thị Xuân' }).click();
    await page.getByRole('heading', { name: 'Chuỗi lây nhiễm quanh Quàng Thị Xuân' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
