/**
 * F0 care on a phone (360×740): a commune health worker records a reading offline that crosses
 * a warning threshold; back online it is sent once, and the district sees the alert and moves
 * the patient to a tier-2 oxygen bed. Screenshots: test-results/e2e/care-*.png.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type E2E, login, named, pick, screenshots, startE2E, watch } from '../helpers/e2e.ts';

const A = '03136'; // Phường Mường Thanh, TP Điện Biên Phủ (094)
const PASSWORD = 'mat-khau-cham-soc-f0';
const FIELD = { width: 360, height: 740 };
const stamp = Date.now().toString(36).slice(-5);
const users = { commune: `tyt.care.${stamp}`, district: `ttyt.care.${stamp}` };
let e: E2E;
let caseId: string;
let hospital: string;
let hospitalSite: string;
const { shot, shotDialog } = screenshots('care-');

beforeAll(async () => {
  e = await startE2E();
  const admin = await e.apiLogin('admin', e.server.adminPassword);
  const ok = (r: { status: number; json: unknown }, status = 201) => {
    expect(r.status, JSON.stringify(r.json)).toBe(status);
    return r.json as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  for (const [username, role, jurisdiction] of [
    [users.commune, 'commune_health', { level: 'commune', unitCode: A }],
    [users.district, 'district_health', { level: 'district', unitCode: '094' }],
  ] as const)
    ok(
      await e.call(admin, 'POST', '/api/v1/users', {
        username,
        fullName: username,
        password: PASSWORD,
        role,
        jurisdiction,
      }),
    );
  const commune = await e.apiLogin(users.commune, PASSWORD);
  const district = await e.apiLogin(users.district, PASSWORD);
  const h = ok(
    await e.call(district, 'POST', '/api/v1/facilities', {
      kind: 'tier2',
      name: 'Bệnh viện Đa khoa tỉnh Điện Biên',
      communeCode: A,
      rooms: [{ name: 'Hồi sức 1', oxygen: 4, icu: 2 }],
      ventilators: 4,
      oxygenCylinders: 40,
      oxygenUseLitresPerDay: 24_000,
    }),
  );
  hospital = h.id;
  hospitalSite = h.siteId;
  const personId = ok(
    await e.call(commune, 'POST', '/api/v1/persons', {
      fullName: 'Lò Văn Khánh',
      birthYear: 1985,
      sex: 'male',
      phone: '0915111222',
      address: { communeCode: A },
    }),
  ).id;
  caseId = ok(
    await e.call(commune, 'POST', '/api/v1/cases', {
      personId,
      positiveSampleAt: new Date(Date.now() - 86_400_000).toISOString(),
      foundBy: 'community',
      basis: 'pcr_positive',
    }),
  ).id;
  ok(
    await e.call(commune, 'POST', `/api/v1/cases/${caseId}/care`, {
      spo2: 98,
      respiratoryRate: 16,
    }),
  );
}, 240_000);
afterAll(() => e?.close());

describe('F0 care in the browser', () => {
  test('a reading recorded offline raises the alert once back online; the district moves the patient to tier 2', async () => {
    const ctx = await e.newContext(FIELD);
    const page = await ctx.newPage();
    const errors = watch(page);
    await login(page, users.commune, PASSWORD);
    await page.goto('/theo-doi-f0');
    const card = page.getByTestId('treatment').filter({ hasText: 'Lò Văn Khánh' });
    await card.waitFor();
    await shot(page, '01-monitoring-phone');

    await ctx.setOffline(true);
    await card.getByRole('button', { name: 'Ghi chỉ số' }).click();
    await card.getByLabel(named('SpO2 (%)')).fill('95');
    await card.getByLabel(named('Nhịp thở (lần/phút)')).fill('18');
    await card.getByLabel(named('Mạch (lần/phút)')).fill('96');
    await card.getByText('Ho', { exact: true }).click();
    await shot(page, '02-reading-form-offline-phone', { idle: false });
    await card.getByRole('button', { name: 'Lưu chỉ số' }).click();
    await page.getByTestId('outbox-item').waitFor();
    expect(await page.getByTestId('outbox-item').count()).toBe(1);
    await shot(page, '03-reading-queued-offline-phone', { idle: false });

    await ctx.setOffline(false);
    await expect.poll(() => page.getByTestId('outbox-item').count(), { timeout: 20_000 }).toBe(0);
    await card.getByText('1 cảnh báo').waitFor();
    await shot(page, '04-reading-sent-phone');
    expect(errors).toEqual([]);

    const dctx = await e.newContext(FIELD);
    const d = await dctx.newPage();
    const dErrors = watch(d);
    await login(d, users.district, PASSWORD);
    await d.goto('/canh-bao');
    const alert = d.getByTestId('alert').filter({ hasText: 'Lò Văn Khánh' });
    await alert.getByText('SpO2 95 % ≤ 96 %', { exact: false }).waitFor();
    await shot(d, '05-alerts-district-phone');
    await alert.getByRole('button', { name: 'Chuyển tầng điều trị' }).click();
    await pick(d, 'Cơ sở', 'Bệnh viện Đa khoa tỉnh Điện Biên (trống: 4 oxy, 2 ICU)');
    await shotDialog(d, '06-transfer-dialog-phone');
    await d.getByRole('button', { name: 'Chuyển và giữ giường' }).click();
    await d.getByText('Không có cảnh báo đang mở.').waitFor();
    await shot(d, '07-alert-closed-phone');
    expect(dErrors).toEqual([]);

    const district = await e.apiLogin(users.district, PASSWORD);
    const cap = await e.call(district, 'GET', '/api/v1/capacity?unit=094');
    expect(cap.json.total.oxygenBeds).toEqual({ total: 4, occupied: 1 });
    expect(cap.json.total.patients.tier2).toBe(1);
    const readings = await e.call(district, 'GET', `/api/v1/treatments?unit=094`);
    expect(readings.status, JSON.stringify(readings.json)).toBe(200);
    expect(readings.json.items[0]).toMatchObject({
      tier: 'tier2',
      facilityId: hospital,
      openAlerts: 0,
    });
    await ctx.close();
    await dctx.close();
  }, 180_000);

  test("the hospital's manager opens the patient's chart, records a reading and opens its alert", async () => {
    const admin = await e.apiLogin('admin', e.server.adminPassword);
    const manager = `bv.care.${stamp}`;
    const made = await e.call(admin, 'POST', '/api/v1/users', {
      username: manager,
      fullName: manager,
      password: PASSWORD,
      role: 'facility_manager',
      jurisdiction: { level: 'site', siteId: hospitalSite },
    });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    const ctx = await e.newContext(FIELD);
    const page = await ctx.newPage();
    const errors = watch(page);
    await login(page, manager, PASSWORD);
    await page.goto('/theo-doi-f0');
    const card = page.getByTestId('treatment').filter({ hasText: 'Lò Văn Khánh' });
    await card.getByRole('link', { name: 'Biểu đồ theo dõi' }).click();
    await page.getByTestId('treatment-detail').waitFor();
    await page.locator('.recharts-surface').first().waitFor();
    await shot(page, '08-chart-manager-phone');
    await page.getByRole('button', { name: 'Ghi chỉ số' }).click();
    await page.getByLabel(named('SpO2 (%)')).fill('93');
    await page.getByLabel(named('Nhịp thở (lần/phút)')).fill('22');
    await page.getByRole('button', { name: 'Lưu chỉ số' }).click();
    await expect
      .poll(() => page.getByRole('cell', { name: '93' }).count(), { timeout: 20_000 })
      .toBe(1);
    await shot(page, '09-reading-manager-phone');
    await page.goto('/canh-bao');
    await page.getByTestId('alert').getByRole('link', { name: 'Lò Văn Khánh' }).click();
    await page.getByText('SpO2 93 % ≤ 96 %', { exact: false }).waitFor();
    await shot(page, '10-alert-manager-phone');
    expect(errors).toEqual([]);
    await ctx.close();
  }, 180_000);
});
