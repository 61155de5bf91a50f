/**
 * The green lane in a real browser (issue 17): a transport company registers its truck and
 * applies; the transport authority grants; a checkpoint officer on a phone (360×740), with the
 * connection cut, reads the permit QR from an image, sees it verified on the device and records
 * the passage, which reaches the server once the phone is back online; the gate clears the truck
 * and the gate board (desktop) shows it cleared; the authority then revokes the permit, and the
 * phone, having fetched the revocation list, sends the truck to per-person checks offline.
 * Screenshots: test-results/e2e/greenlane-*.png.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateDemoSigner } from '../../src/server/vaccination/dcc.ts';
import {
  DESKTOP,
  type E2E,
  login,
  named,
  pick,
  screenshots,
  startE2E,
  watch,
} from '../helpers/e2e.ts';

const COMMUNE = '03136'; // Phường Mường Thanh, TP Điện Biên Phủ
const PASSWORD = 'mat-khau-luong-xanh';
const PHONE_360 = { width: 360, height: 740 };
const stamp = Date.now().toString(36).slice(-5);
const user = (name: string) => `${name}.${stamp}`;
const { shot } = screenshots('greenlane-');
let e: E2E;
let dir: string;
let authorityCookie: string;
let gateCookie: string;
let gateId: string;
let yardId: string; // item 4
const people: string[] = [];
const crewIds: string[] = [];

/** The digits of "dd/mm/yyyy hh:mm" in Vietnam time, `hours` from now, typed into the mask. */
const local = (hours: number) => {
  const [d, t] = new Date(Date.now() + (7 + hours) * 3_600_000)
    .toISOString()
    .slice(0, 16)
    .split('T');
  return d!.split('-').reverse().join('') + t!.replace(':', '');
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'epiguard-gl-e2e-'));
  const s = await generateDemoSigner();
  await writeFile(join(dir, 'k.pem'), s.privateKeyPem);
  await writeFile(join(dir, 'c.pem'), s.certificatePem);
  process.env.EPIGUARD_DCC_KEY_FILE = join(dir, 'k.pem');
  process.env.EPIGUARD_DCC_CERT_FILE = join(dir, 'c.pem');
  e = await startE2E();
  delete process.env.EPIGUARD_DCC_KEY_FILE;
  delete process.env.EPIGUARD_DCC_CERT_FILE;
  const admin = await e.apiLogin('admin', e.server.adminPassword);
  const site = async (kind: string, name: string) => {
    const r = await e.call(admin, 'POST', '/api/v1/sites', { kind, name, communeCode: COMMUNE });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    return r.json.id as string;
  };
  const company = await site('transport_company', 'Công ty CP Vận tải Hưng Thịnh');
  const checkpoint = await site('checkpoint', 'Chốt kiểm dịch Km 18 Tây Trang');
  const yard = await site('transit_yard', 'Bãi trung chuyển Tây Trang');
  yardId = yard;
  gateId = await site('border_gate', 'Cửa khẩu Quốc tế Tây Trang');
  for (const [username, role, jurisdiction] of [
    [user('cty'), 'transport_company', { level: 'site', siteId: company }],
    [user('sgtvt'), 'transport_authority', { level: 'province', unitCode: '11' }],
    [user('tinh'), 'province', { level: 'province', unitCode: '11' }],
    [user('chot'), 'checkpoint_officer', { level: 'site', siteId: checkpoint }],
    [user('cuakhau'), 'border_officer', { level: 'site', siteId: gateId }],
    [user('bai'), 'checkpoint_officer', { level: 'site', siteId: yard }],
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
  authorityCookie = await e.apiLogin(user('sgtvt'), PASSWORD);
  gateCookie = await e.apiLogin(user('cuakhau'), PASSWORD);
  const route = await e.call(authorityCookie, 'POST', '/api/v1/green-lane/routes', {
    name: 'Hà Nội – Tây Trang',
    origin: 'Hà Nội',
    checkpointSiteId: checkpoint,
    yardSiteId: yard,
    gateSiteId: gateId,
    toYardMinutes: 90,
    toGateMinutes: 60,
  });
  expect(route.status, JSON.stringify(route.json)).toBe(201);
  // The crew, registered by the company (people module) and tested (testing module).
  const companyCookie = await e.apiLogin(user('cty'), PASSWORD);
  const province = await e.apiLogin(user('tinh'), PASSWORD);
  for (const [fullName, idNumber] of [
    ['Trần Văn Tài', `0010800${stamp}`],
    ['Lê Văn Phụ', `0010801${stamp}`],
  ]) {
    const p = await e.call(companyCookie, 'POST', '/api/v1/persons', {
      fullName,
      birthYear: 1982,
      sex: 'male',
      idType: 'cccd',
      idNumber: idNumber!.replace(/[a-z]/g, '9').slice(0, 12).padEnd(12, '0'),
      address: { communeCode: COMMUNE },
    });
    expect(p.status, JSON.stringify(p.json)).toBe(201);
    people.push(fullName!);
    crewIds.push(p.json.id);
    const r = await e.call(province, 'POST', '/api/v1/results', {
      clientId: randomUUID(),
      personId: p.json.id,
      testType: 'rt_pcr',
      sampledAt: new Date(Date.now() - 20 * 3_600_000).toISOString(),
      result: 'negative',
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
  }
}, 120_000);
afterAll(() => e?.close());

describe('green lane: apply, grant, scan offline, clear at the gate', () => {
  let permitId = '';

  test('the company registers its truck and applies', async () => {
    const ctx = await e.newContext(DESKTOP);
    const page = await ctx.newPage();
    const errors = watch(page);
    await login(page, user('cty'), PASSWORD);
    await page.goto('/luong-xanh/dang-ky');
    await page.getByLabel(named('Biển số')).fill('29C-123.45');
    await page.getByRole('button', { name: 'Thêm phương tiện' }).click();
    await page.getByText('29C12345', { exact: true }).waitFor();
    await pick(page, 'Phương tiện', '29C12345 · Xe tải');
    await pick(
      page,
      'Lộ trình',
      'Hà Nội – Tây Trang (Chốt kiểm dịch Km 18 Tây Trang → Bãi trung chuyển Tây Trang → Cửa khẩu Quốc tế Tây Trang)',
    );
    await page.getByLabel(named('Hàng hóa')).fill('Thanh long xuất khẩu, 20 tấn');
    await page.getByLabel(named('Từ (ngày giờ)')).pressSequentially(local(-0.5));
    await page.getByLabel(named('Đến (ngày giờ)')).pressSequentially(local(36));
    const crew = page.getByRole('combobox', { name: named('Người trên xe (lái xe trước)') });
    for (const name of people) {
      await crew.click();
      await page.getByRole('option', { name: new RegExp(`^${name}`) }).click();
    }
    await page.keyboard.press('Escape');
    await shot(page, '1-company-form');
    await page.getByRole('button', { name: 'Gửi hồ sơ' }).click();
    await page.getByRole('cell', { name: 'Chờ duyệt' }).waitFor();
    await shot(page, '2-company-applied');
    expect(errors).toEqual([]);
    await ctx.close();
  });

  test('the transport authority grants it', async () => {
    const ctx = await e.newContext(DESKTOP);
    const page = await ctx.newPage();
    await login(page, user('sgtvt'), PASSWORD);
    await page.goto('/luong-xanh/xet-duyet');
    const card = page.getByTestId('gl-review').filter({ hasText: '29C12345' });
    await card.getByText(people.join(', ')).waitFor();
    await shot(page, '3-authority-queue');
    await card.getByRole('button', { name: 'Cấp giấy' }).click();
    await page.getByText('Không có hồ sơ chờ duyệt').waitFor();
    const list = await e.call(
      authorityCookie,
      'GET',
      '/api/v1/green-lane/applications?status=granted',
    );
    permitId = list.json.items[0].permitId;
    expect(permitId).toBeTruthy();
    await ctx.close();
  });

  test('the company sees its permit with the QR', async () => {
    const ctx = await e.newContext(PHONE_360);
    const page = await ctx.newPage();
    await login(page, user('cty'), PASSWORD);
    await page.goto(`/luong-xanh/giay/${permitId}`);
    await page.getByText('Còn hiệu lực', { exact: true }).waitFor();
    await shot(page, '4-permit');
    await ctx.close();
  });

  test('a checkpoint officer on a phone verifies the QR offline and the passage syncs later', async () => {
    const companyCookie = await e.apiLogin(user('cty'), PASSWORD);
    const permit = await e.call(companyCookie, 'GET', `/api/v1/green-lane/permits/${permitId}`);
    const png = join(dir, 'permit.png');
    await writeFile(png, Buffer.from(permit.json.png.split(',')[1], 'base64'));
    const ctx = await e.newContext(PHONE_360);
    const page = await ctx.newPage();
    const errors = watch(page);
    await login(page, user('chot'), PASSWORD);
    await page.goto('/luong-xanh/quet');
    await page.getByText('Khóa công khai đã lưu: 1').waitFor();
    // the QR reader is fetched and compiled while online (as a phone that loses its signal)
    await expect
      .poll(() => page.getByTestId('gl-qr-image').getAttribute('data-ready'))
      .toBe('true');
    await ctx.setOffline(true);
    await page.getByTestId('gl-offline').waitFor();
    await page.getByTestId('gl-qr-image').setInputFiles(png);
    const result = page.getByTestId('gl-result');
    await result.getByText('Cho xe qua, không kiểm tra từng người').waitFor();
    await expect.poll(() => result.innerText()).toContain('29C12345');
    // item 3: the officer counts the people on board, offered as the permit's two
    const onBoard = page.getByRole('textbox', {
      name: 'Số người trên xe (giấy luồng xanh: 2 người)',
    });
    expect(await onBoard.inputValue()).toBe('2');
    await shot(page, '5a-scan-count', { idle: false });
    await page.getByRole('button', { name: 'Ghi lượt qua' }).click();
    await page.getByText('Đã ghi lượt qua (chờ gửi: 1)').waitFor();
    await shot(page, '5-scan-offline', { idle: false });
    const before = await e.call(gateCookie, 'GET', `/api/v1/gates/${gateId}/board`);
    expect(before.json.waiting).toBe(0);
    await ctx.setOffline(false);
    await page.getByText('Đã gửi hết lượt qua').waitFor();
    await shot(page, '6-scan-synced');
    const after = await e.call(gateCookie, 'GET', `/api/v1/gates/${gateId}/board`);
    expect(after.json).toMatchObject({ waiting: 1, queue: [{ plate: '29C12345' }] });
    expect(after.json.queue[0].alert).toBeNull(); // both on board: no crew alert
    expect(errors).toEqual([]);
    await ctx.close();
  });

  test('the gate clears the truck and the board shows it', async () => {
    const r = await e.call(gateCookie, 'POST', '/api/v1/green-lane/passages', {
      clientId: randomUUID(),
      point: 'gate',
      plate: '29C12345',
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json.checkMode).toBe('permit');
    // item 4: the yard's capacity, shown on the board against its occupancy
    const cap = await e.call(authorityCookie, 'PUT', `/api/v1/green-lane/yards/${yardId}`, {
      capacity: 300,
    });
    expect(cap.status, JSON.stringify(cap.json)).toBe(200);
    const ctx = await e.newContext(DESKTOP);
    const page = await ctx.newPage();
    await login(page, user('sgtvt'), PASSWORD);
    await page.goto('/cua-khau/bang');
    await expect
      .poll(() => page.getByTestId('gl-yards').innerText())
      .toMatch(/Bãi trung chuyển Tây Trang\s+0\/300 xe/);
    await expect.poll(() => page.getByTestId('gl-cleared').innerText()).toBe('1');
    expect(await page.getByTestId('gl-waiting').innerText()).toBe('0');
    await page.getByTestId('gl-recent').getByText('29C12345').waitFor();
    await page.getByTestId('gl-recent').getByText('Giấy luồng xanh').waitFor();
    await shot(page, '7-gate-board');
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('gl-board-xlsx').click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/^cua-khau-\d{4}-\d{2}-\d{2}\.xlsx$/);
    await ctx.close();
  });

  test('the authority revokes the permit; the phone, once it has the list, refuses it offline', async () => {
    const ctx = await e.newContext(PHONE_360);
    const page = await ctx.newPage();
    const errors = watch(page);
    await login(page, user('sgtvt'), PASSWORD);
    await page.goto('/luong-xanh/xet-duyet');
    await page.getByText('Giấy đã cấp gần đây').waitFor();
    await page.getByRole('link', { name: 'Xem giấy' }).first().click();
    await page.getByText('Còn hiệu lực', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Thu hồi giấy' }).click();
    await page.getByRole('dialog').waitFor();
    await page.getByRole('button', { name: 'Huỷ' }).click(); // no reason yet: cancel
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.getByTestId('gl-revoke-reason').fill('Lái xe Trần Văn Tài có kết quả dương tính');
    await page.getByRole('button', { name: 'Thu hồi giấy' }).click();
    await page.getByTestId('confirm-delete').click();
    await page.getByTestId('gl-permit-revoked').waitFor();
    await page.getByText('Hết hiệu lực', { exact: true }).waitFor();
    await shot(page, '8-permit-revoked');
    expect(errors).toEqual([]);
    await ctx.close();

    const companyCookie = await e.apiLogin(user('cty'), PASSWORD);
    const permit = await e.call(companyCookie, 'GET', `/api/v1/green-lane/permits/${permitId}`);
    expect(permit.json.revokedAt).toBeTruthy();
    const png = join(dir, 'permit.png');
    const phone = await e.newContext(PHONE_360);
    const scan = await phone.newPage();
    await login(scan, user('chot'), PASSWORD);
    await scan.goto('/luong-xanh/quet');
    await scan.getByTestId('gl-revocations').getByText('1 giấy', { exact: false }).waitFor();
    await expect
      .poll(() => scan.getByTestId('gl-qr-image').getAttribute('data-ready'))
      .toBe('true');
    await phone.setOffline(true);
    await scan.getByTestId('gl-offline').waitFor();
    await scan.getByTestId('gl-qr-image').setInputFiles(png);
    const result = scan.getByTestId('gl-result');
    await result.getByText('Kiểm tra khai báo và xét nghiệm của từng người trên xe').waitFor();
    await expect.poll(() => result.innerText()).toContain('thu hồi');
    await shot(scan, '9-scan-revoked-offline', { idle: false });
    await phone.close();
  });

  test('a truck late at the yard is alerted to the district, which closes it with a reason', async () => {
    const company = await e.apiLogin(user('cty'), PASSWORD);
    const v = await e.call(company, 'POST', '/api/v1/green-lane/vehicles', {
      clientId: randomUUID(),
      plate: '29C-777.77',
      kind: 'container',
    });
    expect(v.status, JSON.stringify(v.json)).toBe(201);
    const routes = await e.call(company, 'GET', '/api/v1/green-lane/routes');
    const a = await e.call(company, 'POST', '/api/v1/green-lane/applications', {
      clientId: randomUUID(),
      vehicleId: v.json.id,
      routeId: routes.json.items[0].id,
      cargo: 'Vải thiều',
      windowFrom: new Date(Date.now() - 4 * 3_600_000).toISOString(),
      windowTo: new Date(Date.now() + 24 * 3_600_000).toISOString(),
      crew: [{ personId: crewIds[0], role: 'driver' }],
    });
    expect(a.status, JSON.stringify(a.json)).toBe(201);
    const g = await e.call(
      authorityCookie,
      'POST',
      `/api/v1/green-lane/applications/${a.json.id}/decision`,
      {
        decision: 'grant',
      },
    );
    expect(g.status, JSON.stringify(g.json)).toBe(200);
    const chot = await e.apiLogin(user('chot'), PASSWORD);
    const bai = await e.apiLogin(user('bai'), PASSWORD);
    for (const [cookie, point, at] of [
      [chot, 'first_checkpoint', new Date(Date.now() - 150 * 60_000).toISOString()],
      [bai, 'yard', new Date().toISOString()],
    ] as const) {
      const p = await e.call(cookie, 'POST', '/api/v1/green-lane/passages', {
        clientId: randomUUID(),
        point,
        plate: '29C77777',
        at,
      });
      expect(p.status, JSON.stringify(p.json)).toBe(201);
    }
    const ctx = await e.newContext(PHONE_360);
    const page = await ctx.newPage();
    const errors = watch(page);
    await login(page, user('huyen'), PASSWORD);
    await page.goto('/luong-xanh/canh-bao');
    const card = page.getByTestId('gl-alert').filter({ hasText: '29C77777' });
    await card.getByText('quá 60 phút', { exact: false }).waitFor();
    await card
      .getByLabel(named('Lý do đóng cảnh báo (bắt buộc)'))
      .fill('Đã liên hệ lái xe: tắc đường');
    await shot(page, '10-loop-alert');
    await card.getByRole('button', { name: 'Đóng cảnh báo' }).click();
    await page.getByTestId('confirm-delete').click();
    await page.getByText('Không có cảnh báo đang mở').waitFor();
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
