/**
 * Entry control in a real browser against the real server, on a phone (390×844):
 *  1. a traveller declares on /khai-bao (unvaccinated, from Hà Nội, an epidemic area of level 3)
 *     and gets a QR code; a screenshot of that QR, as a PNG, is what the checkpoint officer then
 *     "photographs" through the choose-an-image input on /chot; the arrival is classified
 *     "Cách ly tập trung" under CV 8399/BYT-MT and the destination commune sees the follow-up
 *     due today;
 *  2. the officer loses the connection, records two entries (a typed code, a QR photo checked
 *     on the device — a forged one is refused), reloads the page while still offline (the
 *     outbox lives in IndexedDB), and when the connection is back each entry reaches the server
 *     exactly once.
 * Screenshots go to test-results/e2e/entry-*.png.
 */
import QRCode from 'qrcode';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addDays, dateOfInstant } from '../../src/domain/dates.ts';
import {
  cookieOf,
  DESKTOP,
  type E2E,
  expectTranslated,
  login,
  named,
  navLinks,
  openMenu,
  pick,
  screenshots,
  SHOTS,
  startE2E,
  watch,
} from '../helpers/e2e.ts';

const QR_PNG = `${SHOTS}/entry-declaration-qr.png`;

// Điện Biên (11) › Thành phố Điện Biên Phủ (094) › Phường Mường Thanh (03136).
const COMMUNE_CODE = '03136';
const PASSWORD = 'mat-khau-e2e-entry';
const today = dateOfInstant(Date.now());

/** Text a missing translation leaves behind: the key itself, e.g. "entry.checkpoint.scan". */
const I18N_KEY = /\b(nav|common|entry)\.[a-z][A-Za-z_.]*[A-Za-z]\b/;

let e: E2E;
const { shot } = screenshots('entry-');
const stamp = Date.now().toString(36).slice(-5);
const users = {
  officer: `chot.km12.${stamp}`,
  lodging: `nhanghi.${stamp}`,
  commune: `tyt.muongthanh.${stamp}`,
  province: `soyte.${stamp}`,
};

/** A declaration made through the public API (the second test's travellers). */
async function declareByApi(fullName: string, idNumber: string) {
  const r = await e.call(null, 'POST', '/api/v1/declarations', {
    person: {
      fullName,
      birthYear: 1990,
      sex: 'female',
      idType: 'cccd',
      idNumber,
      communeCode: '00001',
    },
    travel: {
      mode: 'coach',
      fromProvinceCode: '01',
      toCommuneCode: COMMUNE_CODE,
      date: today,
    },
    exposure: { caseContact: false, fromOutbreakArea: false, symptomaticContact: false },
    vaccination: { doses: 2, lastDoseDate: addDays(today, -60) },
    consent: true,
  });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json as { id: string; code: string; qr: string };
}

beforeAll(async () => {
  e = await startE2E();
  // The administrator registers the checkpoint and the accounts; the province declares
  // Hà Nội an epidemic area of level 3 since 10 days ago.
  const admin = await e.apiLogin('admin', e.server.adminPassword);
  const site = await e.call(admin, 'POST', '/api/v1/sites', {
    kind: 'checkpoint',
    name: 'Chốt kiểm dịch Km 12 (e2e)',
    communeCode: COMMUNE_CODE,
  });
  expect(site.status, JSON.stringify(site.json)).toBe(201);
  const mk = async (username: string, fullName: string, role: string, jurisdiction: object) => {
    const r = await e.call(admin, 'POST', '/api/v1/users', {
      username,
      fullName,
      role,
      jurisdiction,
      password: PASSWORD,
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
  };
  await mk(users.officer, 'Quàng Văn Dũng', 'checkpoint_officer', {
    level: 'site',
    siteId: site.json.id,
  });
  const lodging = await e.call(admin, 'POST', '/api/v1/sites', {
    kind: 'lodging',
    name: 'Nhà nghỉ Hoa Ban (e2e)',
    communeCode: COMMUNE_CODE,
  });
  expect(lodging.status, JSON.stringify(lodging.json)).toBe(201);
  await mk(users.lodging, 'Nhà nghỉ Hoa Ban', 'lodging_operator', {
    level: 'site',
    siteId: lodging.json.id,
  });
  await mk(users.commune, 'Lò Thị Hoa', 'commune_health', {
    level: 'commune',
    unitCode: COMMUNE_CODE,
  });
  await mk(users.province, 'Sở Y tế Điện Biên', 'province', { level: 'province', unitCode: '11' });
  const province = await e.apiLogin(users.province, PASSWORD);
  const area = await e.call(province, 'POST', '/api/v1/epidemic-areas', {
    unitCode: '01',
    level: 3,
    validFrom: addDays(today, -10),
  });
  expect(area.status, JSON.stringify(area.json)).toBe(201);
});

afterAll(() => e?.close());

/**
 * Waits until the offline worker controls the page with the app shell and the logged-in user
 * cached, and the page has kept the province's public key.
 */
async function waitForOfflineReady(page: Page) {
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          if (!navigator.serviceWorker.controller) return 'no worker';
          const shell = await caches.open('epiguard-shell-v1');
          const assets = (await shell.keys()).filter((r) => r.url.includes('/assets/'));
          if (!(await shell.match('/index.html')) || assets.length < 2) return 'no shell';
          // the QR reader's WebAssembly (issue 14.6): served by us and kept for offline scans
          if (!assets.some((r) => /\/assets\/zxing_reader-[^/]+\.wasm$/.test(r.url)))
            return 'no QR reader';
          if (!(await (await caches.open('epiguard-api-v1')).match('/api/v1/me'))) return 'no me';
          if (!localStorage.getItem('epiguard.declarationKey')) return 'no key';
          return 'ready';
        }),
      { timeout: 20_000, interval: 250 },
    )
    .toBe('ready');
}

describe('entry control (DienBien Guard)', () => {
  let code = '';

  test('declare → QR screenshot → checkpoint classifies → commune follows up (phone)', async () => {
    // ——— The traveller, no account ———
    const traveller = await e.newContext();
    const page = await traveller.newPage();
    const errors = watch(page);
    await page.goto('/login');
    await page.getByRole('link', { name: 'Khai báo y tế' }).click();
    await page.waitForURL('**/khai-bao');
    await page.getByRole('heading', { name: 'Khai báo y tế' }).waitFor();
    await shot(page, '01-declare-empty-phone');

    // The national personal QR (QĐ 1405) pre-fills name, ID number and birth date; without a
    // camera (this browser has none) its text can be pasted.
    await page.getByRole('button', { name: 'Quét mã QR cá nhân' }).click();
    const scan = page.getByRole('dialog');
    await scan
      .getByLabel('Hoặc dán nội dung mã')
      .fill('001085012345|NGUYEN VAN AN|1985-03-12|0|QID1|');
    await scan.getByRole('button', { name: 'Dùng nội dung này' }).click();
    await expect.poll(() => page.getByLabel(named('Họ và tên')).inputValue()).toBe('NGUYEN VAN AN');
    expect(await page.getByLabel(named('Số giấy tờ')).inputValue()).toBe('001085012345');
    expect(await page.getByLabel(named('Ngày sinh')).inputValue()).toBe('12/03/1985');
    expect(await page.getByLabel(named('Năm sinh')).inputValue()).toBe('1985');

    // Personal block. A wrong CCCD number is the server's to refuse, under the input.
    await page.getByLabel(named('Họ và tên')).fill('Nguyễn Văn An');
    await page.getByRole('radio', { name: 'Nam', exact: true }).check();
    await page.getByLabel(named('Số giấy tờ')).fill('00108501234');
    await page.getByLabel(named('Số điện thoại')).fill('0912345678');
    await pick(page, page.getByTestId('home-province'), 'Thành phố Hà Nội');
    await pick(page, page.getByTestId('home-district'), 'Quận Ba Đình');
    await pick(page, page.getByTestId('home-commune'), 'Phường Phúc Xá');
    // Travel: by coach from Hà Nội to Phường Mường Thanh, today.
    await page.getByRole('radio', { name: 'Ô tô khách' }).check();
    await page.getByLabel(named('Số hiệu phương tiện')).fill('29B-123.45');
    expect(await page.getByTestId('travel-date').inputValue()).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    await pick(page, page.getByTestId('from-province'), 'Thành phố Hà Nội');
    await expect.poll(() => page.getByTestId('to-province').inputValue()).toBe('Tỉnh Điện Biên');
    await pick(page, page.getByTestId('to-district'), 'Thành phố Điện Biên Phủ');
    await pick(page, page.getByTestId('to-commune'), 'Phường Mường Thanh');
    await page.getByLabel(named('Địa chỉ nơi đến (số nhà, thôn/bản)')).fill('Tổ 5');
    // Visited Hà Nội; no symptoms; no contacts; not vaccinated; no test.
    await page.getByTestId('visited-provinces').click();
    await page.getByRole('option', { name: 'Thành phố Hà Nội', exact: true }).click();
    await page.keyboard.press('Escape');
    for (const q of ['caseContact', 'fromOutbreakArea', 'symptomaticContact']) {
      await page.getByTestId(`exposure-${q}`).getByRole('radio', { name: 'Không' }).check();
    }
    expect(
      await page
        .getByTestId('vaccination-doses')
        .getByRole('radio', { name: 'Chưa tiêm' })
        .isChecked(),
    ).toBe(true);
    await page.getByRole('checkbox', { name: /^Tôi cam kết/ }).check();
    await page.getByRole('button', { name: 'Gửi tờ khai' }).click();
    const idInput = page.getByLabel(named('Số giấy tờ'));
    await expect.poll(() => idInput.getAttribute('aria-invalid')).toBe('true');
    await page.getByText('Số CCCD gồm 12 chữ số', { exact: true }).waitFor();
    await page.getByText('Sửa các ô được đánh dấu đỏ rồi gửi lại.').waitFor();
    await shot(page, '02-declare-field-error-phone');

    await idInput.fill('001085012345');
    await page.getByRole('button', { name: 'Gửi tờ khai' }).click();
    const result = page.getByTestId('declaration-result');
    await result.waitFor();
    code = (await page.getByTestId('declaration-code').innerText()).trim();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(await page.getByTestId('declaration-valid-until').innerText()).toBe(
      `Có giá trị đến ${addDays(today, 14).split('-').reverse().join('/')}`,
    );
    await page.getByTestId('declaration-qr').locator('img').waitFor();
    await page.getByRole('button', { name: 'Tải ảnh QR' }).waitFor();
    await expectTranslated(page, I18N_KEY);
    await shot(page, '03-declare-qr-phone');
    // What the traveller shows at the checkpoint: the QR as a PNG.
    await page.getByTestId('declaration-qr').screenshot({ path: QR_PNG });
    // "Tải ảnh QR" saves a PNG.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Tải ảnh QR' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`khai-bao-y-te-${code}.png`);
    expect(errors).toEqual([]);
    await traveller.close();

    // ——— The checkpoint officer ———
    const officerCtx = await e.newContext();
    const officer = await officerCtx.newPage();
    const officerErrors = watch(officer);
    await login(officer, users.officer, PASSWORD);
    await openMenu(officer);
    const officerLinks = await navLinks(officer);
    for (const l of ['Chốt kiểm dịch', 'Thống kê ra vào', 'Vùng dịch'])
      expect(officerLinks).toContain(l);
    expect(officerLinks).not.toContain('Theo dõi');
    await officer.getByRole('navigation').getByRole('link', { name: 'Chốt kiểm dịch' }).click();
    await officer.getByRole('heading', { name: 'Chốt kiểm dịch' }).waitFor();
    await officer.getByRole('button', { name: 'Quét QR' }).waitFor();
    await expect.poll(() => officer.getByTestId('outbox-count').innerText()).toBe('Chưa gửi: 0');
    await shot(officer, '04-checkpoint-phone');

    // The QR photo, read and its signature checked on the phone.
    await officer.getByTestId('qr-image-input').setInputFiles(QR_PNG);
    await expect.poll(() => officer.getByTestId('subject').innerText()).toBe('NGUYEN VAN AN');
    await officer.getByTestId('qr-verified').waitFor();
    await officer.getByLabel(named('Biển số xe')).fill('29b-123.45');
    await pick(officer, officer.getByRole('combobox', { name: named('Loại xe') }), 'Ô tô khách');
    await officer.getByLabel(named('Số người đi cùng')).fill('2');
    await shot(officer, '05-checkpoint-scanned-phone');
    await officer.getByRole('button', { name: 'Ghi nhận', exact: true }).click();
    const entry = officer.getByTestId('entry-result');
    await entry.getByTestId('classification').waitFor();
    expect(await entry.getByTestId('classification-action').innerText()).toBe('Cách ly tập trung');
    const explanation = await entry.getByTestId('classification-explanation').innerText();
    expect(explanation).toContain('CV 8399/BYT-MT');
    expect(explanation).toContain('chưa tiêm vắc xin');
    await expect.poll(() => entry.innerText()).toContain('Nguyễn Văn An');
    await officer.getByTestId('today-entries').getByText('Nguyễn Văn An (1985)').waitFor();
    await expectTranslated(officer, I18N_KEY);
    await shot(officer, '06-checkpoint-result-phone');

    // A forged QR (the name changed, the signature kept) is refused on the phone.
    const [body, sig] = (await declareByApi('Lò Văn Páo', '011090000001')).qr.slice(5).split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString());
    payload.n = 'TRAN VAN BINH';
    const forged = `EGD1:${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`;
    const forgedPng = `${SHOTS}/entry-forged-qr.png`;
    await QRCode.toFile(forgedPng, forged, { margin: 4, width: 320 });
    await officer.getByTestId('qr-image-input').setInputFiles(forgedPng);
    await expect
      .poll(() => officer.getByTestId('scan-error').innerText())
      .toContain('Mã QR giả hoặc đã bị sửa');
    await shot(officer, '07-checkpoint-forged-phone');
    expect(officerErrors).toEqual([]);
    await officerCtx.close();

    // ——— The commune health station of the destination ———
    const communeCtx = await e.newContext();
    const commune = await communeCtx.newPage();
    const communeErrors = watch(commune);
    await login(commune, users.commune, PASSWORD);
    await openMenu(commune);
    const links = await navLinks(commune);
    expect(links).toContain('Theo dõi');
    expect(links).toContain('Thống kê ra vào');
    expect(links).not.toContain('Chốt kiểm dịch');
    await commune
      .getByRole('navigation')
      .getByRole('link', { name: 'Theo dõi', exact: true })
      .click();
    await commune.getByRole('tab', { name: 'Đến hạn hôm nay', selected: true }).waitFor();
    const due = commune.getByTestId('follow-ups-today');
    const card = due.getByTestId('follow-up').filter({ hasText: 'Nguyễn Văn An' });
    await card.waitFor();
    expect(await card.innerText()).toContain('Cách ly tập trung');
    expect(await card.innerText()).toContain('Đến hạn hôm nay');
    expect(await card.getByTestId('follow-up-explanation').innerText()).toContain('CV 8399/BYT-MT');
    await expectTranslated(commune, I18N_KEY);
    await shot(commune, '08-follow-ups-due-today-phone');

    // Record the day-1 test: the first test date is ticked and the card leaves "due today".
    await card.getByRole('button', { name: 'Xét nghiệm' }).click();
    const dialog = commune.getByRole('dialog');
    await dialog.getByText('Test nhanh kháng nguyên').click();
    await dialog.getByText('Âm tính').click();
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await expect.poll(() => commune.getByTestId('outbox-count').innerText()).toBe('Chưa gửi: 0');
    await commune.getByRole('tab', { name: 'Đang theo dõi' }).click();
    const openCard = commune
      .getByTestId('follow-ups-open')
      .getByTestId('follow-up')
      .filter({ hasText: 'Nguyễn Văn An' });
    await expect.poll(() => openCard.getByTestId('test-dates').innerText()).toContain('✓');
    await shot(commune, '09-follow-ups-test-recorded-phone');

    // The figures of the day, for the commune.
    await openMenu(commune);
    await commune.getByRole('navigation').getByRole('link', { name: 'Thống kê ra vào' }).click();
    await expect
      .poll(() => commune.getByTestId('stats-summary').innerText())
      .toContain('1 người vào');
    await shot(commune, '10-entry-stats-phone');

    // Epidemic areas: Hà Nội, level 3 (orange), read-only for the commune.
    await openMenu(commune);
    await commune.getByRole('navigation').getByRole('link', { name: 'Vùng dịch' }).click();
    await commune.getByTestId('areas-list').getByText('Thành phố Hà Nội').waitFor();
    await commune.getByText('Cấp 3 · Cam').waitFor();
    expect(await commune.getByRole('button', { name: 'Thêm vùng dịch' }).count()).toBe(0);
    await shot(commune, '11-areas-commune-phone');
    expect(communeErrors).toEqual([]);
    await communeCtx.close();
  });

  test('offline at the checkpoint: queued, kept across a reload, sent exactly once', async () => {
    const a = await declareByApi('Hoàng Thị Lan', '011090000002');
    const b = await declareByApi('Vì Văn Thắng', '011090000003');
    const bPng = `${SHOTS}/entry-offline-qr.png`;
    await QRCode.toFile(bPng, b.qr, { margin: 4, width: 320 });

    const context = await e.newContext();
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, users.officer, PASSWORD);
    await page.goto('/chot');
    await page.getByRole('button', { name: 'Quét QR' }).waitFor();
    await waitForOfflineReady(page);

    await context.setOffline(true);
    await page.getByText('Mất mạng').first().waitFor();

    // 1: the code typed by hand.
    await page.getByLabel(named('Mã khai báo (8 ký tự)')).fill(a.code.toLowerCase());
    await page.getByRole('button', { name: 'Dùng' }).first().click();
    await page.getByRole('button', { name: 'Ghi nhận', exact: true }).click();
    await page.getByTestId('entry-result').getByText('Đã lưu trên máy').waitFor();
    await expect.poll(() => page.getByTestId('outbox-count').innerText()).toBe('Chưa gửi: 1');

    // 2: a QR photo, its signature checked without a connection.
    await page.getByTestId('qr-image-input').setInputFiles(bPng);
    await expect.poll(() => page.getByTestId('subject').innerText()).toBe('VI VAN THANG');
    await page.getByTestId('qr-verified').waitFor();
    await page.getByRole('button', { name: 'Ghi nhận', exact: true }).click();
    await expect.poll(() => page.getByTestId('outbox-count').innerText()).toBe('Chưa gửi: 2');
    // 3: a code nobody declared (a typing mistake): nothing to check without the server.
    await page.getByLabel(named('Mã khai báo (8 ký tự)')).fill('ZZZZZZZZ');
    await page.getByRole('button', { name: 'Dùng' }).first().click();
    await page.getByRole('button', { name: 'Ghi nhận', exact: true }).click();
    await expect.poll(() => page.getByTestId('outbox-count').innerText()).toBe('Chưa gửi: 3');
    expect(await page.getByTestId('outbox-item').count()).toBe(3);
    await shot(page, '12-offline-queued-phone', { idle: false });

    // The phone is switched off and on (the page reloaded) while still offline.
    await page.reload();
    await page.getByRole('heading', { name: 'Chốt kiểm dịch' }).waitFor();
    await expect.poll(() => page.getByTestId('outbox-count').innerText()).toBe('Chưa gửi: 3');
    expect(await page.getByTestId('outbox-item').count()).toBe(3);
    await shot(page, '13-offline-after-reload-phone', { idle: false });
    // After the reload the QR reader (WebAssembly) comes from the worker's cache: a photo of a
    // QR is still read and checked without a connection.
    await page.getByTestId('qr-image-input').setInputFiles(bPng);
    await expect.poll(() => page.getByTestId('subject').innerText()).toBe('VI VAN THANG');
    await page.getByTestId('qr-verified').waitFor();
    await shot(page, '13b-offline-qr-read-after-reload-phone', { idle: false });

    // Back online: the outbox drains by itself; the refused one stays, with the server's reason.
    await context.setOffline(false);
    await expect
      .poll(() => page.getByTestId('outbox-count').innerText(), { timeout: 20_000 })
      .toBe('Chưa gửi: 1');
    const refused = page.getByTestId('outbox-item');
    await expect
      .poll(() => refused.getByTestId('outbox-error').innerText())
      .toBe('Không có tờ khai mã ZZZZZZZZ');
    const list = page.getByTestId('today-entries');
    await list.getByText('Hoàng Thị Lan (1990)').waitFor();
    await list.getByText('Vì Văn Thắng (1990)').waitFor();
    await shot(page, '14-back-online-refused-phone');
    // The officer discards it (and confirms).
    await refused.getByRole('button', { name: 'Bỏ' }).click();
    await refused.getByRole('button', { name: 'Bỏ' }).last().click();
    await expect.poll(() => page.getByTestId('outbox-count').innerText()).toBe('Chưa gửi: 0');
    await shot(page, '14b-back-online-phone');

    // Each entry reached the server exactly once.
    const cookie = await cookieOf(context);
    const entries = await e.call(cookie, 'GET', `/api/v1/entries?date=${today}&limit=100`);
    expect(entries.status).toBe(200);
    const byDeclaration = (id: string) =>
      (entries.json.items as { id: string; clientId: string; declarationId: string }[]).filter(
        (e) => e.declarationId === id,
      );
    expect(byDeclaration(a.id)).toHaveLength(1);
    expect(byDeclaration(b.id)).toHaveLength(1);
    // Sending again changes nothing: the server answers the replay with the same entry.
    const first = byDeclaration(a.id)[0]!;
    const replay = await e.call(cookie, 'POST', '/api/v1/entries', {
      clientId: first.clientId,
      direction: 'in',
      declarationCode: a.code,
    });
    expect(replay.status).toBe(200);
    expect(replay.json.id).toBe(first.id);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a passage from the paper book is entered later with its time and a reason (phone)', async () => {
    const a = await declareByApi('Lường Văn Sổ', '011090000007');
    const context = await e.newContext();
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, users.officer, PASSWORD);
    await page.goto('/chot');
    await page.getByLabel(named('Mã khai báo (8 ký tự)')).fill(a.code);
    await page.getByRole('button', { name: 'Dùng' }).first().click();
    await page.getByRole('switch', { name: 'Nhập hồ sơ giấy (lượt đã qua)' }).check();
    // 40 days ago at 07:30, as the officer reads it in the book.
    const when = new Date(Date.now() - 40 * 86_400_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    const local = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}T07:30`;
    await page.getByLabel(named('Thời điểm qua chốt (theo sổ)')).fill(local);
    await page.getByRole('button', { name: 'Ghi nhận', exact: true }).click();
    // Without a reason the server refuses it and names the field; the officer opens it again.
    const refused = page.getByTestId('outbox-item');
    await expect
      .poll(() => refused.getByTestId('outbox-error').innerText(), { timeout: 20_000 })
      .toContain('ghi lý do nhập muộn');
    await refused.getByRole('button', { name: 'Sửa' }).click();
    await page.getByLabel(named('Lý do nhập muộn')).fill('Sổ giấy của chốt, mất mạng cả ca đêm');
    await expectTranslated(page, I18N_KEY);
    await shot(page, '14c-paper-record-phone');
    await page.getByRole('button', { name: 'Ghi nhận lại', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('outbox-count').innerText(), { timeout: 20_000 })
      .toBe('Chưa gửi: 0');
    const cookie = await cookieOf(context);
    // The phone is set to Vietnam's time: 07:30 in the book is 07:30+07:00.
    const instant = Date.parse(`${local}:00+07:00`);
    const day = dateOfInstant(instant);
    const past = await e.call(cookie, 'GET', `/api/v1/entries?date=${day}&limit=100`);
    const mine = (past.json.items as { declarationId: string; at: string }[]).filter(
      (x) => x.declarationId === a.id,
    );
    expect(mine).toHaveLength(1);
    expect(Date.parse(mine[0]!.at)).toBe(instant);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('province (desktop): epidemic areas added and ended, figures, English', async () => {
    const context = await e.newContext(DESKTOP);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, users.province, PASSWORD);
    const links = await navLinks(page);
    for (const l of ['Theo dõi', 'Thống kê ra vào', 'Vùng dịch']) expect(links).toContain(l);
    expect(links).not.toContain('Chốt kiểm dịch');

    await page.getByRole('navigation').getByRole('link', { name: 'Vùng dịch' }).click();
    const table = page.getByTestId('areas-table');
    await table.getByText('Thành phố Hà Nội').waitFor();

    // A district of Hà Nội at level 4; an end before the start is the server's to refuse.
    await page.getByRole('button', { name: 'Thêm vùng dịch' }).click();
    const dialog = page.getByRole('dialog');
    await pick(page, dialog.getByTestId('area-province'), 'Thành phố Hà Nội');
    await pick(page, dialog.getByTestId('area-district'), 'Quận Ba Đình');
    await dialog.getByText('Cấp 4 · Đỏ').click();
    await dialog.getByLabel('Đến ngày').pressSequentially('01012020');
    await dialog.getByRole('button', { name: 'Thêm vùng dịch' }).click();
    await dialog.getByText('Ngày kết thúc trước ngày bắt đầu').waitFor();
    await shot(page, '15-area-add-error-desktop');
    await dialog.getByLabel('Đến ngày').fill('');
    await dialog.getByRole('button', { name: 'Thêm vùng dịch' }).click();
    const row = table.getByRole('row').filter({ hasText: 'Quận Ba Đình' });
    await row.waitFor();
    expect(await row.innerText()).toContain('Cấp 4 · Đỏ');
    expect(await row.innerText()).toContain('Chưa kết thúc');
    await shot(page, '16-areas-desktop');

    // Ended today: still in force today, with its last day shown.
    await row.getByRole('button', { name: 'Kết thúc' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Kết thúc' }).click();
    await expect.poll(() => row.innerText()).not.toContain('Chưa kết thúc');
    const day = today.split('-').reverse().join('/');
    expect((await row.innerText()).split(day)).toHaveLength(3); // from and to: both today

    // The figures of every checkpoint of the province, and the workbook.
    await page.getByRole('navigation').getByRole('link', { name: 'Thống kê ra vào' }).click();
    await expect.poll(() => page.getByTestId('stats-summary').innerText()).toContain('3 người vào');
    const stats = page.getByTestId('stats-table');
    await stats.getByText('Chốt kiểm dịch Km 12 (e2e)').waitFor();
    expect(await stats.locator('tfoot').innerText()).toContain('Tổng');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-xlsx').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^kiem-soat-.*\.xlsx$/);
    await expectTranslated(page, I18N_KEY);
    await shot(page, '17-entry-stats-desktop');

    // English beside Vietnamese.
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'Entry statistics' }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Epidemic areas' }).click();
    await page.getByTestId('areas-table').getByText('Level 3 · Orange').waitFor();
    await expectTranslated(page, I18N_KEY);
    await shot(page, '18-areas-english-desktop');
    await page.getByText('VI', { exact: true }).click();
    expect(errors).toEqual([]);
    await context.close();
  });

  test('lodging (phone): a guest without a phone is declared at the desk', async () => {
    const context = await e.newContext();
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, users.lodging, PASSWORD);
    await openMenu(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Đăng ký khách lưu trú' }).click();
    await page.getByRole('heading', { name: 'Đăng ký khách lưu trú' }).waitFor();

    await page.getByRole('button', { name: 'Khai hộ (người không có điện thoại)' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(named('Họ và tên')).fill('Mùa A Páo');
    await dialog.getByLabel(named('Năm sinh')).fill('1950');
    await dialog.getByRole('radio', { name: 'Nam', exact: true }).check();
    await pick(page, dialog.getByTestId('home-province'), 'Tỉnh Điện Biên');
    await pick(page, dialog.getByTestId('home-district'), 'Thành phố Điện Biên Phủ');
    await pick(page, dialog.getByTestId('home-commune'), 'Phường Him Lam');
    await dialog.getByRole('radio', { name: 'Xe cá nhân (ô tô, xe máy)' }).check();
    await pick(page, dialog.getByTestId('from-province'), 'Thành phố Hà Nội');
    await expect.poll(() => dialog.getByTestId('to-province').inputValue()).toBe('Tỉnh Điện Biên');
    await pick(page, dialog.getByTestId('to-district'), 'Thành phố Điện Biên Phủ');
    await pick(page, dialog.getByTestId('to-commune'), 'Phường Mường Thanh');
    for (const q of ['caseContact', 'fromOutbreakArea', 'symptomaticContact']) {
      await dialog.getByTestId(`exposure-${q}`).getByRole('radio', { name: 'Không' }).check();
    }
    // The officer's own commitment, not the traveller's.
    await dialog.getByRole('checkbox', { name: /^Người được khai đã xác nhận/ }).check();
    await dialog.getByRole('button', { name: 'Dùng tờ khai này' }).click();
    await expect.poll(() => page.getByTestId('subject').innerText()).toBe('Mùa A Páo');
    const direction = page.getByTestId('direction');
    expect(await direction.innerText()).toContain('Nhận phòng');
    expect(await direction.innerText()).toContain('Trả phòng');
    await shot(page, '19-lodging-declared-phone');
    await page.getByRole('button', { name: 'Ghi nhận', exact: true }).click();
    const entry = page.getByTestId('entry-result');
    await entry.getByTestId('classification').waitFor();
    expect(await entry.getByTestId('classification-action').innerText()).toBe('Cách ly tập trung');
    await page.getByTestId('today-entries').getByText('Mùa A Páo (1950)').waitFor();
    await expectTranslated(page, I18N_KEY);
    await shot(page, '20-lodging-result-phone');
    expect(errors).toEqual([]);
    await context.close();
  });
});
