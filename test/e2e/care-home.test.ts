/**
 * Home quarantine as a daily checklist on a phone (issue 11 item 4): an F1 ordered into home
 * quarantine (March 2022, CV 873) is on the commune's follow-up list, marked as an F1 order
 * whose check was missed; the worker records a check with fever offline, and back online it is
 * sent once: one test order and one alert for the commune. Screenshots:
 * test-results/e2e/care-home-*.png.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type E2E, login, screenshots, startE2E, watch } from '../helpers/e2e.ts';

const A = '03136'; // Phường Mường Thanh, TP Điện Biên Phủ (094)
const PASSWORD = 'mat-khau-cach-ly-tai-nha';
const FIELD = { width: 360, height: 740 };
const username = `tyt.home.${Date.now().toString(36).slice(-5)}`;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let e: E2E;
let order: Json;
const { shot, shotDialog } = screenshots('care-home-');

beforeAll(async () => {
  e = await startE2E();
  const admin = await e.apiLogin('admin', e.server.adminPassword);
  const ok = (r: { status: number; json: unknown }, status = 201) => {
    expect(r.status, JSON.stringify(r.json)).toBe(status);
    return r.json as Json;
  };
  ok(
    await e.call(admin, 'POST', '/api/v1/users', {
      username,
      fullName: username,
      password: PASSWORD,
      role: 'commune_health',
      jurisdiction: { level: 'commune', unitCode: A },
    }),
  );
  const xa = await e.apiLogin(username, PASSWORD);
  const person = async (fullName: string) =>
    ok(
      await e.call(xa, 'POST', '/api/v1/persons', {
        fullName,
        birthYear: 1988,
        sex: 'female',
        phone: '0915333444',
        address: { communeCode: A },
      }),
    ).id as string;
  const f0 = await person('Lò Thị Nguồn');
  const f1 = await person('Quàng Thị Ở Nhà');
  const c = ok(
    await e.call(xa, 'POST', '/api/v1/cases', {
      personId: f0,
      positiveSampleAt: '2022-03-02T08:00:00+07:00',
      foundBy: 'community',
      basis: 'pcr_positive',
    }),
  );
  ok(
    await e.call(xa, 'POST', `/api/v1/cases/${c.id}/interview-contacts`, {
      personId: f1,
      at: '2022-03-01T18:00:00+07:00',
      minutes: 60,
      masked: false,
    }),
  );
  const k = ok(await e.call(xa, 'GET', `/api/v1/cases/${c.id}/contacts`), 200).f1[0];
  order = ok(await e.call(xa, 'POST', `/api/v1/contacts/${k.id}/confirm`, {})).quarantineOrder;
}, 240_000);
afterAll(() => e?.close());

describe('home quarantine checklist in the browser', () => {
  test('a check with fever recorded offline is sent once: a test order and an alert', async () => {
    expect(order.kind).toBe('home');
    const ctx = await e.newContext(FIELD);
    const page = await ctx.newPage();
    const errors = watch(page);
    await login(page, username, PASSWORD);
    await page.goto('/theo-doi');
    await page.getByRole('tab', { name: 'Quá hạn' }).click();
    const card = page.getByTestId('follow-up').filter({ hasText: 'Quàng Thị Ở Nhà' });
    await card.waitFor();
    await card.getByText('F1 · lệnh cách ly tại nhà').waitFor();
    await card.getByText('Bỏ lỡ kiểm tra').waitFor();
    await shot(page, '01-checklist-phone');

    await ctx.setOffline(true);
    await card.getByRole('button', { name: 'Kiểm tra hằng ngày' }).click();
    await page.getByRole('dialog').getByText('Sốt', { exact: true }).click();
    await page.getByRole('dialog').getByText('Ho', { exact: true }).click();
    await shotDialog(page, '02-check-offline-phone');
    await page.getByRole('dialog').getByRole('button', { name: 'Lưu' }).click();
    await page.getByTestId('outbox-item').waitFor();
    expect(await page.getByTestId('outbox-item').count()).toBe(1);
    await shot(page, '03-check-queued-offline-phone', { idle: false });

    await ctx.setOffline(false);
    await expect.poll(() => page.getByTestId('outbox-item').count(), { timeout: 20_000 }).toBe(0);
    await shot(page, '04-check-sent-phone');
    expect(errors).toEqual([]);

    const xa = await e.apiLogin(username, PASSWORD);
    const alerts = await e.call(xa, 'GET', `/api/v1/alerts?unit=${A}`);
    expect(alerts.status, JSON.stringify(alerts.json)).toBe(200);
    const mine = (alerts.json as Json).items.filter(
      (a: Json) => a.kind === 'home_check_symptoms' && a.person?.fullName === 'Quàng Thị Ở Nhà',
    );
    expect(mine).toHaveLength(1);
    expect(mine[0].explanation.vi).toContain('sốt, ho');
    const orders = await e.call(xa, 'GET', '/api/v1/test-orders?reason=follow_up');
    expect(orders.status, JSON.stringify(orders.json)).toBe(200);
    expect(
      (orders.json as Json).items.filter((o: Json) => o.personId === mine[0].person.id),
    ).toHaveLength(1);
    await ctx.close();
  }, 180_000);
});
