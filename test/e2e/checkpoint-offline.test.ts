/**
 * Issue 16 item 1, on a 360×740 phone: a checkpoint without a connection names the traveller
 * from the declaration's QR and classifies the arrival on the phone, with the cached arrival rule
 * set and the server's own domain code, marked provisional with the rule that decided; when the
 * connection is back the server's decision shows, highlighted where it differs — here because the
 * province declared Hà Nội an epidemic area while the phone was offline.
 * Screenshots: test-results/e2e/checkpoint-offline-*.png.
 */
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addDays, dateOfInstant } from '../../src/domain/dates.ts';
import { type E2E, login, screenshots, SHOTS, startE2E, watch } from '../helpers/e2e.ts';

const PHONE_360 = { width: 360, height: 740 };
const COMMUNE_CODE = '03136'; // Phường Mường Thanh, Thành phố Điện Biên Phủ, Tỉnh Điện Biên
const PASSWORD = 'mat-khau-e2e-offline';
const today = dateOfInstant(Date.now());
const stamp = Date.now().toString(36).slice(-5);
const officer = `chot.offline.${stamp}`;
const provinceUser = `soyte.offline.${stamp}`;

let e: E2E;
const { shot } = screenshots('checkpoint-offline-');

async function declare(
  fullName: string,
  idNumber: string,
  fromProvinceCode: string,
  doses: number,
) {
  const r = await e.call(null, 'POST', '/api/v1/declarations', {
    person: {
      fullName,
      birthYear: 1988,
      sex: 'male',
      idType: 'cccd',
      idNumber,
      communeCode: '00001',
    },
    travel: { mode: 'coach', fromProvinceCode, toCommuneCode: COMMUNE_CODE, date: today },
    exposure: { caseContact: false, fromOutbreakArea: false, symptomaticContact: false },
    vaccination: doses ? { doses, lastDoseDate: addDays(today, -90) } : { doses: 0 },
    consent: true,
  });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json as { id: string; code: string; qr: string };
}

beforeAll(async () => {
  e = await startE2E();
  const admin = await e.apiLogin('admin', e.server.adminPassword);
  const site = await e.call(admin, 'POST', '/api/v1/sites', {
    kind: 'checkpoint',
    name: 'Chốt Tây Trang (e2e offline)',
    communeCode: COMMUNE_CODE,
  });
  expect(site.status, JSON.stringify(site.json)).toBe(201);
  for (const [username, role, jurisdiction] of [
    [officer, 'checkpoint_officer', { level: 'site', siteId: site.json.id }],
    [provinceUser, 'province', { level: 'province', unitCode: '11' }],
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
});

afterAll(() => e?.close());

describe('checkpoint offline: name and provisional classification on the phone', () => {
  test('offline → name + provisional decision; online → the server decides, the change is shown', async () => {
    // Not vaccinated, from Hà Nội (not an epidemic area yet); fully vaccinated, from Lai Châu.
    const a = await declare('Lường Văn Hải', '011088000101', '01', 0);
    const b = await declare('Tòng Thị Mai', '011088000102', '12', 2);
    const aPng = `${SHOTS}/checkpoint-offline-qr-a.png`;
    const bPng = `${SHOTS}/checkpoint-offline-qr-b.png`;
    await QRCode.toFile(aPng, a.qr, { margin: 4, width: 480 });
    await QRCode.toFile(bPng, b.qr, { margin: 4, width: 480 });

    const context = await e.newContext(PHONE_360);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, officer, PASSWORD);
    await page.goto('/chot');
    await page.getByRole('button', { name: 'Quét QR' }).waitFor();
    // The rule set and the areas are kept on the phone while it is online.
    await expect
      .poll(() => page.getByTestId('pack-status').innerText())
      .toContain('Đã lưu bộ quy tắc');
    await expect
      .poll(() => page.evaluate(() => !!localStorage.getItem('epiguard.declarationKey')))
      .toBe(true);

    await expect
      .poll(() => page.getByTestId('qr-image-input').getAttribute('data-ready'))
      .toBe('true');
    await context.setOffline(true);
    await page.getByText('Mất mạng').first().waitFor();

    // 1: Lường Văn Hải's QR photographed: the name from the QR, classified on the phone.
    await page.getByTestId('qr-image-input').setInputFiles(aPng);
    await expect.poll(() => page.getByTestId('subject').innerText()).toBe('LUONG VAN HAI');
    await page.getByRole('button', { name: 'Ghi nhận', exact: true }).click();
    const result = page.getByTestId('entry-result');
    await result.getByText('Đã lưu trên máy').waitFor();
    expect(await result.getByTestId('pending-name').innerText()).toBe('LUONG VAN HAI');
    const prov = result.getByTestId('provisional');
    expect(await prov.getByTestId('provisional-mark').innerText()).toBe(
      'Tạm tính (trên điện thoại)',
    );
    expect(await prov.innerText()).toContain('Không áp dụng biện pháp');
    expect(await prov.getByTestId('provisional-rule').innerText()).toBe(
      'Quy tắc quyết định: cv8399-not-epidemic-area · bộ arrival-cv8399-2021-10-06',
    );
    await shot(page, '01-offline-provisional-phone', { idle: false });

    // 2: Tòng Thị Mai, fully vaccinated, from Lai Châu.
    await page.getByTestId('qr-image-input').setInputFiles(bPng);
    await expect.poll(() => page.getByTestId('subject').innerText()).toBe('TONG THI MAI');
    await page.getByRole('button', { name: 'Ghi nhận', exact: true }).click();
    await expect.poll(() => result.getByTestId('pending-name').innerText()).toBe('TONG THI MAI');
    await expect.poll(() => page.getByTestId('outbox-count').innerText()).toBe('Chưa gửi: 2');
    // The outbox names both, each with its provisional decision.
    const names = await page.getByTestId('outbox-name').allInnerTexts();
    expect(names).toEqual(['LUONG VAN HAI', 'TONG THI MAI']);
    expect(await page.getByTestId('outbox').getByTestId('provisional-mark').count()).toBe(2);
    await page.getByTestId('outbox').scrollIntoViewIfNeeded();
    await shot(page, '02-offline-outbox-phone', { idle: false });

    // Meanwhile the province declares Hà Nội an epidemic area of level 4.
    const province = await e.apiLogin(provinceUser, PASSWORD);
    const area = await e.call(province, 'POST', '/api/v1/epidemic-areas', {
      unitCode: '01',
      level: 4,
      validFrom: addDays(today, -1),
    });
    expect(area.status, JSON.stringify(area.json)).toBe(201);

    // Back online: both are sent; the server decided otherwise for Lường Văn Hải.
    await context.setOffline(false);
    await expect
      .poll(() => page.getByTestId('outbox-count').innerText(), { timeout: 20_000 })
      .toBe('Chưa gửi: 0');
    // The last one recorded: the server agrees with the phone.
    await result.getByTestId('decision-same').waitFor();
    expect(await result.getByTestId('classification-action').innerText()).toBe(
      'Không áp dụng biện pháp',
    );
    const synced = page.getByTestId('synced');
    await synced.getByTestId('synced-item').first().waitFor();
    const hai = synced.getByTestId('synced-item').filter({ hasText: 'Lường Văn Hải' });
    expect(await hai.getByTestId('classification-action').innerText()).toBe('Cách ly tập trung');
    expect(await hai.getByTestId('server-rule').innerText()).toBe(
      'Máy chủ quyết định theo quy tắc cv8399-unvaccinated · bộ arrival-cv8399-2021-10-06',
    );
    const changed = hai.getByTestId('decision-changed');
    expect(await changed.innerText()).toContain('Máy chủ quyết định khác trên điện thoại');
    expect(await changed.getByTestId('provisional-rule').innerText()).toContain(
      'cv8399-not-epidemic-area',
    );
    expect(await synced.getByTestId('synced-changed-count').innerText()).toContain('1 lượt');
    await synced.scrollIntoViewIfNeeded();
    await shot(page, '03-online-server-differs-phone');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, '04-online-last-same-phone');

    // Nothing wider than the phone; targets of the comparison readable at 360 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
    expect(errors).toEqual([]);
    await context.close();
  });
});
