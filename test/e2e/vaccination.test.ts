/**
 * Vaccination in a real browser against the real server. A vaccinator (role vaccination_site, at
 * a vaccination site of Phường Mường Thanh), on a phone, finds a resident, screens them and
 * records dose 1 (AstraZeneca, 60 days ago); the person is due for dose 2 on day 56 and shows on
 * the commune's due list with that day; dose 2 is recorded; a certificate is issued and shown as
 * a bilingual printable page; the public page verifies its QR image (no login), and refuses a
 * tampered code. The commune's officer reads coverage and the unvaccinated list.
 * Screenshots: test-results/e2e/vaccination-*.png.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addDays, dateOfInstant } from '../../src/domain/dates.ts';
import { generateDemoSigner } from '../../src/server/vaccination/dcc.ts';
import { base45Decode, base45Encode } from '../../src/server/vaccination/dcc-base45.ts';
import {
  DESKTOP,
  type E2E,
  expectTranslated,
  login,
  named,
  navLinks,
  openMenu,
  screenshots,
  SHOTS,
  startE2E,
  watch,
} from '../helpers/e2e.ts';

// Điện Biên (11) › Thành phố Điện Biên Phủ (094) › Phường Mường Thanh (03136).
const COMMUNE_CODE = '03136';
const PASSWORD = 'mat-khau-tiem-chung-03136';

/** Text a missing translation leaves behind: the key itself, e.g. "screening.consent". */
const I18N_KEY =
  /\b(nav|status|kind|doseName|outcome|reason|severity|aefiOutcome|sex|home|person|screening|dose|aefi|cert|due|coverage|supply|unvacc|verify|step|misc)\.[a-z][A-Za-z0-9_]+\b/;

let e: E2E;
const { shot, shotDialog } = screenshots('vaccination-');
const stamp = Date.now().toString(36).slice(-5);
const vaccinatorUser = `tiem.mt.${stamp}`;
const communeUser = `tyt.tc.${stamp}`;
const today = dateOfInstant(Date.now());
const vn = (d: string) => d.split('-').reverse().join('/');
// AstraZeneca: dose 2 from day 56 (recommended 56, overdue after day 84) — QĐ 3588.
const dose1 = addDays(today, -60);
const dose2Due = addDays(dose1, 56);
const person = { fullName: 'Lò Văn Thắng', birthDate: '1985-03-15' };
const other = { fullName: 'Quàng Thị Mai', birthDate: `${Number(today.slice(0, 4)) - 70}-06-01` };
const QR_PNG = `${SHOTS}/vaccination-certificate-qr.png`;
let qrText = '';

beforeAll(async () => {
  // The province's DCC signing key, as production gives it: two files named in the environment,
  // read when the server builds its vaccination module.
  const dir = await mkdtemp(join(tmpdir(), 'epiguard-e2e-dcc-'));
  const signer = await generateDemoSigner({ commonName: 'epiguard e2e DSC' });
  await writeFile(join(dir, 'key.pem'), signer.privateKeyPem);
  await writeFile(join(dir, 'cert.pem'), signer.certificatePem);
  process.env.EPIGUARD_DCC_KEY_FILE = join(dir, 'key.pem');
  process.env.EPIGUARD_DCC_CERT_FILE = join(dir, 'cert.pem');
  try {
    e = await startE2E();
  } finally {
    delete process.env.EPIGUARD_DCC_KEY_FILE;
    delete process.env.EPIGUARD_DCC_CERT_FILE;
  }
  const admin = await e.apiLogin('admin', e.server.adminPassword);
  const site = await e.call(admin, 'POST', '/api/v1/sites', {
    kind: 'vaccination_site',
    name: `Điểm tiêm Trạm Y tế Mường Thanh (${stamp})`,
    communeCode: COMMUNE_CODE,
  });
  expect(site.status, JSON.stringify(site.json)).toBe(201);
  for (const [username, fullName, role, jurisdiction] of [
    [vaccinatorUser, 'Lường Thị Hoa', 'vaccination_site', { level: 'site', siteId: site.json.id }],
    [communeUser, 'Cầm Văn Tuấn', 'commune_health', { level: 'commune', unitCode: COMMUNE_CODE }],
  ] as const) {
    const u = await e.call(admin, 'POST', '/api/v1/users', {
      username,
      fullName,
      role,
      jurisdiction,
      password: PASSWORD,
    });
    expect(u.status, JSON.stringify(u.json)).toBe(201);
  }
  // The commune registered its residents; one of them is 70 with a comorbidity, not vaccinated.
  const commune = await e.apiLogin(communeUser, PASSWORD);
  const village = await e.call(commune, 'POST', '/api/v1/villages', {
    communeCode: COMMUNE_CODE,
    name: `Tổ 7 (${stamp})`,
    kind: 'to_dan_pho',
  });
  expect(village.status, JSON.stringify(village.json)).toBe(201);
  for (const p of [person, other]) {
    const r = await e.call(commune, 'POST', '/api/v1/persons', {
      ...p,
      sex: p === person ? 'male' : 'female',
      address: { communeCode: COMMUNE_CODE, villageId: village.json.id },
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    if (p === other) {
      const x = await e.call(commune, 'POST', '/api/v1/vaccination-exemptions', {
        personId: r.json.id,
        reason: 'postponed',
        comorbidity: true,
        note: 'Tăng huyết áp chưa ổn định',
      });
      expect(x.status, JSON.stringify(x.json)).toBe(201);
    }
  }
});

afterAll(() => e?.close());

describe('vaccination and certificates', () => {
  test('a vaccinator records two doses, the due day is right, a certificate is issued and verified', async () => {
    const context = await e.newContext();
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, vaccinatorUser, PASSWORD);
    await openMenu(page);
    const links = await navLinks(page);
    expect(links).toEqual(expect.arrayContaining(['Tiêm chủng', 'Đến hạn tiêm', 'Chưa tiêm']));
    expect(links).not.toContain('Tỷ lệ bao phủ'); // a site does not read coverage
    await shot(page, '01-menu-phone');
    await page
      .getByRole('navigation')
      .getByRole('link', { name: 'Tiêm chủng', exact: true })
      .click();

    // Find the person (the site searches the commune's unvaccinated and due lists as the
    // register is searched: a word of the name without diacritics and the birth year; issue 13).
    await page.getByLabel(named('Họ tên, số CCCD hoặc số điện thoại')).fill('thang 1985');
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    const hit = page.getByTestId('vacc-search-results').getByRole('link', { name: /Lò Văn Thắng/ });
    await hit.waitFor();
    await shot(page, '02-search-phone');
    await expectTranslated(page, I18N_KEY);
    await hit.click();

    // Not vaccinated; screening with a contraindication is refused…
    await expect.poll(() => page.getByTestId('vacc-status').innerText()).toBe('Chưa tiêm');
    const card = page.getByTestId('vacc-vaccinate');
    await card.getByLabel(named('Ngày tiêm (dd/mm/yyyy)')).fill(vn(dose1));
    await card.getByLabel('Đang sốt ≥ 37,5 °C hoặc mắc bệnh cấp tính').check();
    await expect
      .poll(() => card.getByTestId('screening-outcome').innerText())
      .toContain('Kết luận: Hoãn tiêm');
    await card.getByLabel('Đang sốt ≥ 37,5 °C hoặc mắc bệnh cấp tính').uncheck();
    // …eligible with consent opens the dose form.
    await card.getByLabel('Người được tiêm (hoặc người giám hộ) đồng ý tiêm').check();
    await expect
      .poll(() => card.getByTestId('screening-outcome').innerText())
      .toContain('Kết luận: Đủ điều kiện tiêm');
    await shot(page, '03-screening-phone');
    await card.getByRole('button', { name: 'Lưu phiếu khám sàng lọc' }).click();
    const form = page.getByTestId('vacc-dose-form');
    await form.waitFor();
    await form.getByLabel('Vắc xin').selectOption({ label: 'AstraZeneca (Vaxzevria)' });
    await form.getByLabel(named('Số lô')).fill('AZ-NV0123');
    await shot(page, '04-dose1-form-phone');
    await form.getByRole('button', { name: 'Ghi mũi tiêm' }).click();

    // Dose 2 is due 56 days after dose 1.
    const dueText = `Đến hạn mũi 2 ngày ${vn(dose2Due)}`;
    await expect.poll(() => page.getByTestId('vacc-status').innerText()).toBe(dueText);
    expect(await page.getByTestId('dose-saved').innerText()).toBe('Đã ghi Mũi 1');
    await expect.poll(() => page.getByTestId('vacc-history').innerText()).toContain('Mũi 1');
    expect(await page.getByTestId('vacc-history').innerText()).toContain(vn(dose1));
    await shot(page, '05-dose1-recorded-phone');
    await expectTranslated(page, I18N_KEY);

    // A reaction after dose 1 (phản ứng sau tiêm): fever the next day.
    await page
      .getByTestId('vacc-history')
      .getByRole('button', { name: 'Ghi phản ứng sau tiêm' })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(named('Ngày khởi phát (dd/mm/yyyy)')).fill(vn(addDays(dose1, 1)));
    await dialog
      .getByLabel(named('Triệu chứng (mỗi dòng một triệu chứng)'))
      .fill('Sốt 38 °C\nĐau tại chỗ tiêm');
    await shotDialog(page, '05b-aefi-phone');
    await expectTranslated(page, I18N_KEY);
    await dialog.getByRole('button', { name: 'Lưu', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The commune's due list has them, on that day.
    await openMenu(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Đến hạn tiêm' }).click();
    const item = page.getByTestId('due-item').filter({ hasText: person.fullName });
    await item.waitFor();
    expect(await item.innerText()).toContain('Mũi 2');
    expect(await item.getByTestId('due-date').innerText()).toBe(`Hạn ${vn(dose2Due)}`);
    await shot(page, '06-due-list-phone');
    await expectTranslated(page, I18N_KEY);
    await item.click();

    // Dose 2, today.
    await page.getByTestId('vacc-status').waitFor();
    await card.getByLabel('Người được tiêm (hoặc người giám hộ) đồng ý tiêm').check();
    await card.getByRole('button', { name: 'Lưu phiếu khám sàng lọc' }).click();
    await form.waitFor();
    // The vaccine of dose 1 is proposed (mixing rules allow only some others).
    expect(await form.getByLabel('Vắc xin').inputValue()).toBe('vaxzevria');
    await form.getByLabel(named('Số lô')).fill('AZ-NV0456');
    await form.getByRole('button', { name: 'Ghi mũi tiêm' }).click();
    await expect
      .poll(() => page.getByTestId('vacc-status').innerText())
      .toBe(`Đã tiêm đủ liều cơ bản, đủ miễn dịch từ ngày ${vn(addDays(today, 14))}`);
    await expect.poll(() => page.getByTestId('vacc-history').innerText()).toContain('Mũi 2');
    await shot(page, '07-dose2-recorded-phone');

    // The certificate: a QR image and a bilingual printable page.
    const issued = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/certificates') && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: 'Cấp chứng nhận tiêm chủng' }).click();
    const issuedJson = (await (await issued).json()) as { qr: string };
    expect(issuedJson.qr).toMatch(/^HC1:/);
    qrText = issuedJson.qr;
    const cert = page.getByTestId('certificate');
    await cert.waitFor();
    expect(await cert.getByTestId('cert-name').innerText()).toBe(person.fullName);
    expect(await cert.getByTestId('cert-doses').innerText()).toBe('2/2');
    const certText = await cert.innerText();
    expect(certText).toContain('Họ và tên / Name');
    expect(certText).toContain('Ngày sinh / Date of birth');
    expect(certText).toContain('15/03/1985');
    expect(certText).toContain(vn(today));
    expect(await cert.getByTestId('cert-id').innerText()).toMatch(/^URN:UVCI:01:VN:/);
    await page.getByTestId('certificate-qr').evaluate((img: HTMLImageElement) => img.decode());
    await shot(page, '08-certificate-phone');
    await expectTranslated(page, I18N_KEY);
    const src = await page.getByTestId('certificate-qr').getAttribute('src');
    expect(src).toMatch(/^data:image\/png;base64,/);
    await writeFile(QR_PNG, Buffer.from(src!.replace(/^data:image\/png;base64,/, ''), 'base64'));
    expect(errors).toEqual([]);
    await context.close();
  });

  test('the public page verifies the certificate from its QR image, and refuses a tampered one', async () => {
    const context = await e.newContext();
    const page = await context.newPage();
    const errors = watch(page);
    await page.goto('/kiem-tra-chung-nhan');
    await page.getByRole('heading', { name: 'Kiểm tra chứng nhận tiêm chủng' }).waitFor();
    await shot(page, '09-verify-empty-phone');
    const sent = page.waitForRequest((r) => r.url().endsWith('/api/v1/public/certificates/verify'));
    await page.getByTestId('qr-image-input').setInputFiles(QR_PNG);
    // The phone read the QR itself (ZXing in WebAssembly) and sent its text.
    expect((await sent).postDataJSON()).toEqual({ qr: qrText });
    await page.getByTestId('certificate-valid').waitFor();
    const result = page.getByTestId('verify-result');
    const text = await result.innerText();
    expect(text).toContain('HỢP LỆ');
    expect(text).toContain(person.fullName);
    expect(text).toContain('15/03/1985');
    expect(text).toContain('2/2');
    expect(text).toContain('Chữ ký của cơ quan cấp: Đạt');
    // Only what the certificate prints: no phone, no address, no internal id.
    expect(text).not.toMatch(/Tổ 7|03136/);
    await shot(page, '10-verify-valid-phone');
    await expectTranslated(page, I18N_KEY);
    // In English too.
    await page.getByText('EN', { exact: true }).click();
    await page.getByTestId('certificate-valid').getByText('VALID', { exact: true }).waitFor();
    expect(await result.innerText()).toContain('Issuer’s signature: Passed');
    await shot(page, '10b-verify-valid-en-phone');
    await expectTranslated(page, I18N_KEY);
    await page.getByText('VI', { exact: true }).click();

    // One letter of the signed payload changed (the name THANG → THANH), re-packed: the
    // signature no longer holds, and the page says so and shows nothing of the person.
    const cose = inflateSync(base45Decode(qrText.slice(4)));
    const at = cose.indexOf(Buffer.from('THANG'));
    expect(at).toBeGreaterThan(0);
    cose[at + 4] = 'H'.charCodeAt(0);
    const tampered = 'HC1:' + base45Encode(deflateSync(cose));
    await page.getByLabel('Hoặc dán nội dung mã (HC1:…)').fill(tampered);
    await page.getByRole('button', { name: 'Kiểm tra', exact: true }).click();
    await page.getByTestId('certificate-invalid').waitFor();
    const bad = await page.getByTestId('verify-result').innerText();
    expect(bad).toContain('KHÔNG HỢP LỆ');
    expect(bad).toContain('Không hợp lệ vì: Chữ ký của cơ quan cấp');
    expect(bad).toContain('Chữ ký của cơ quan cấp: Không đạt');
    expect(bad).not.toContain(person.fullName);
    await shot(page, '11-verify-invalid-phone');
    await expectTranslated(page, I18N_KEY);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('the commune reads coverage and the unvaccinated list of a village', async () => {
    const context = await e.newContext(DESKTOP);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, communeUser, PASSWORD);
    await page.getByRole('navigation').getByRole('link', { name: 'Tỷ lệ bao phủ' }).click();
    const coverage = page.getByTestId('coverage');
    await coverage.waitFor();
    // Two doses of a person born in 1985: ≥ 18 has one person with ≥ 1 dose and the full series.
    const adults = await coverage.getByTestId('coverage-18+').innerText();
    expect(adults).toMatch(/≥ 1 mũi\s+1 ·/);
    expect(adults).toMatch(/Đủ liều cơ bản\s+1 ·/);
    expect(adults).toMatch(/ước tính|đã nhập|chưa có mẫu số/);
    await page.getByTestId('supply').waitFor();
    expect(await page.getByTestId('supply').innerText()).toMatch(/Đã tiêm\s+2/);
    // The reaction after dose 1 is counted against the doses given.
    await page.getByTestId('aefi-stats').waitFor();
    expect(await page.getByTestId('aefi-stats').innerText()).toMatch(
      /AstraZeneca \(Vaxzevria\)\s+2\s+1\s+0/,
    );
    await shot(page, '12-coverage-desktop');
    await expectTranslated(page, I18N_KEY);

    await page.getByRole('navigation').getByRole('link', { name: 'Chưa tiêm' }).click();
    const list = page.getByTestId('unvacc-list');
    await list.waitFor();
    const text = await list.innerText();
    expect(text).toContain(other.fullName);
    expect(text).not.toContain(person.fullName);
    expect(text).toContain('Hoãn tiêm');
    expect(text).toContain('Ưu tiên');
    const href = await page.getByTestId('unvacc-export').getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/unvaccinated\.xlsx\?/);
    const xlsx = await context.request.get(href!);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
    await shot(page, '13-unvaccinated-desktop');
    await expectTranslated(page, I18N_KEY);

    // On a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, '14-unvaccinated-phone');
    await page.goto('/tiem-chung/bao-phu');
    await page.getByTestId('coverage').waitFor();
    await shot(page, '15-coverage-phone');
    expect(errors).toEqual([]);
    await context.close();
  });
});
