/**
 * The facility manager on a phone (360×740): sees the F1 the district ordered into centralised
 * quarantine waiting, admits one (placed in a room by cohort, with the reason), sees the room's
 * cohort and the person staying, releases early with a reason; the district reads beds, ICU,
 * ventilators and oxygen on the capacity board. Screenshots: test-results/e2e/care-manager-*.png.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type E2E, login, named, screenshots, startE2E, watch } from '../helpers/e2e.ts';

const A = '03136'; // Phường Mường Thanh, TP Điện Biên Phủ (094)
const PASSWORD = 'mat-khau-co-so-cach-ly';
const FIELD = { width: 360, height: 740 };
const stamp = Date.now().toString(36).slice(-5);
const users = {
  commune: `tyt.coso.${stamp}`,
  district: `ttyt.coso.${stamp}`,
  manager: `ql.coso.${stamp}`,
};
let e: E2E;
const { shot, shotDialog } = screenshots('care-manager-');

beforeAll(async () => {
  e = await startE2E();
  const admin = await e.apiLogin('admin', e.server.adminPassword);
  const ok = (r: { status: number; json: unknown }, status = 201) => {
    expect(r.status, JSON.stringify(r.json)).toBe(status);
    return r.json as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const mkUser = async (username: string, role: string, jurisdiction: object) =>
    ok(
      await e.call(admin, 'POST', '/api/v1/users', {
        username,
        fullName: username,
        password: PASSWORD,
        role,
        jurisdiction,
      }),
    );
  await mkUser(users.commune, 'commune_health', { level: 'commune', unitCode: A });
  await mkUser(users.district, 'district_health', { level: 'district', unitCode: '094' });
  const commune = await e.apiLogin(users.commune, PASSWORD);
  const district = await e.apiLogin(users.district, PASSWORD);
  const facility = ok(
    await e.call(district, 'POST', '/api/v1/facilities', {
      kind: 'quarantine',
      name: 'Khu cách ly Trường Cao đẳng Sư phạm Điện Biên',
      communeCode: A,
      rooms: ['P101', 'P102', 'P103'].map((name) => ({ name, ordinary: 4 })),
      staffOnDuty: 14,
    }),
  );
  ok(
    await e.call(district, 'POST', '/api/v1/facilities', {
      kind: 'tier2',
      name: 'Bệnh viện Đa khoa tỉnh Điện Biên',
      communeCode: A,
      rooms: [{ name: 'Hồi sức 1', ordinary: 6, oxygen: 6, icu: 2 }],
      ventilators: 4,
      oxygenCylinders: 60,
      oxygenUseLitresPerDay: 36_000,
    }),
  );
  await mkUser(users.manager, 'facility_manager', { level: 'site', siteId: facility.siteId });
  const person = async (fullName: string, birthYear: number) =>
    ok(
      await e.call(commune, 'POST', '/api/v1/persons', {
        fullName,
        birthYear,
        sex: 'female',
        address: { communeCode: A },
      }),
    ).id as string;
  const f0 = await person('Quàng Thị Hoa', 1988);
  const c = ok(
    await e.call(commune, 'POST', '/api/v1/cases', {
      personId: f0,
      positiveSampleAt: '2021-08-12T08:00:00+07:00',
      foundBy: 'community',
      basis: 'pcr_positive',
    }),
  );
  // Two neighbours exposed in August 2021: the rule set then sends F1 to a facility.
  for (const [name, year] of [
    ['Lò Thị Mai', 1990],
    ['Lò Văn Tính', 1962],
  ] as const) {
    ok(
      await e.call(commune, 'POST', `/api/v1/cases/${c.id}/interview-contacts`, {
        personId: await person(name, year),
        at: '2021-08-10T18:00:00+07:00',
        minutes: 60,
        masked: false,
      }),
    );
  }
  const contacts = ok(await e.call(commune, 'GET', `/api/v1/cases/${c.id}/contacts`), 200).f1;
  for (const k of contacts) {
    const o = ok(await e.call(commune, 'POST', `/api/v1/contacts/${k.id}/confirm`, {}));
    expect(o.quarantineOrder.kind).toBe('centralised');
  }
}, 240_000);
afterAll(() => e?.close());

describe('the facility manager in the browser', () => {
  test('admits the F1 waiting from their order, sees the room cohort, releases early; the district reads the capacity board', async () => {
    const ctx = await e.newContext(FIELD);
    const page = await ctx.newPage();
    const errors = watch(page);
    page.on('response', (r) => {
      if (r.status() >= 500) console.log('DEBUG500', r.request().method(), r.url());
    });
    await login(page, users.manager, PASSWORD);
    await page.goto('/co-so-cach-ly');
    await page.getByTestId('facility').filter({ hasText: 'Trường Cao đẳng Sư phạm' }).click();
    await page.getByText('Giường trống').waitFor();
    await shot(page, '01-facility-phone');

    await page.getByText('Chờ nhận', { exact: true }).click();
    const mai = page.getByTestId('waiting').filter({ hasText: 'Lò Thị Mai' });
    await mai.waitFor();
    expect(await page.getByTestId('waiting').count()).toBe(2);
    await shot(page, '02-waiting-phone');
    await mai.getByRole('button', { name: 'Nhận vào cơ sở' }).click();
    await page.getByTestId('placed').getByText('Lò Thị Mai: phòng P101').waitFor();
    await shot(page, '03-admitted-phone');
    await expect.poll(() => page.getByTestId('waiting').count()).toBe(1);
    const tinh = page.getByTestId('waiting').filter({ hasText: 'Lò Văn Tính' });
    await tinh.getByRole('button', { name: 'Nhận vào cơ sở' }).click();
    await expect.poll(() => page.getByTestId('waiting').count()).toBe(0);

    await page.getByText('Phòng', { exact: true }).click();
    const cohort = page.getByTestId('cohort');
    await cohort.getByText('2 người', { exact: false }).waitFor();
    await expect.poll(() => cohort.innerText()).toMatch(/Tiếp xúc ca F0-/);
    const p101 = page.getByTestId('room').filter({ hasText: 'P101' });
    await p101.getByText('2/4 người', { exact: false }).waitFor();
    await shot(page, '04-rooms-cohort-phone');

    await page.getByText('Đang ở', { exact: true }).first().click();
    const stay = page.getByTestId('stay').filter({ hasText: 'Lò Văn Tính' });
    await stay.waitFor();
    await shot(page, '05-people-phone');
    await stay.getByRole('button', { name: 'Cho ra' }).click();
    await page
      .getByLabel(named('Lý do'))
      .fill('Chuyển về cách ly tại nhà theo quyết định của huyện');
    await shotDialog(page, '06-release-dialog-phone');
    await page.getByRole('button', { name: 'Xác nhận cho ra' }).click();
    await expect.poll(() => page.getByTestId('stay').count()).toBe(1);
    await shot(page, '07-after-release-phone');
    expect(errors).toEqual([]);

    const dctx = await e.newContext(FIELD);
    const d = await dctx.newPage();
    const dErrors = watch(d);
    await login(d, users.district, PASSWORD);
    await d.goto('/giuong-icu-oxy');
    const total = d.getByTestId('capacity-total');
    await total.getByText('1/26 đang dùng').waitFor();
    await total.getByText('còn 10 ngày').waitFor();
    expect(await d.getByTestId('capacity-facility').count()).toBe(2);
    await shot(d, '08-capacity-district-phone');
    expect(dErrors).toEqual([]);
    await ctx.close();
    await dctx.close();
  }, 180_000);
});
