/**
 * Workplaces and schools in a real browser (issue 18 item 4). A garment factory's reporter
 * (test_reporter at its site), on a 360×740 phone, fills the COVID-safety self-assessment — its
 * isolation room missing, so the level is capped at high, and the page says why — then uploads
 * the morning's rapid-test screening through the testing module's results import, one of them
 * positive. The province, on a desktop, sees the factory on top of the risk list with the
 * outbreak flag and the rule's words, the map, and an overdue list (both registered today: none yet).
 * Screenshots: test-results/e2e/workplaces-*.png.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addDays, dateOfInstant } from '../../src/domain/dates.ts';
import {
  DESKTOP,
  type E2E,
  expectTranslated,
  login,
  openMenu,
  screenshots,
  startE2E,
  watch,
} from '../helpers/e2e.ts';
import { xlsxFile } from '../helpers/xlsx.ts';

const PHONE_360 = { width: 360, height: 740 };
const COMMUNE = '03136'; // Phường Mường Thanh, TP Điện Biên Phủ
const PASSWORD = 'mat-khau-noi-lam-viec';
const I18N_KEY = /\b(nav|risk|col|level|kind|form|assess)\.[a-z][A-Za-z_]+\b/;
const today = dateOfInstant(Date.now());
const vn = (d: string) => d.split('-').reverse().join('/');
const stamp = Date.now().toString(36).slice(-5);
const reporterUser = `may.mt.${stamp}`;
const provinceUser = `tinh.wp.${stamp}`;
const factoryName = `Công ty May Mường Thanh (${stamp})`;
const schoolName = `Trường THCS Him Lam (${stamp})`;

let e: E2E;
let factoryId = '';
let schoolId = '';
const { shot } = screenshots('workplaces-');

beforeAll(async () => {
  e = await startE2E();
  const admin = await e.apiLogin('admin', e.server.adminPassword);
  const mk = async (username: string, fullName: string, role: string, jurisdiction: object) => {
    const u = await e.call(admin, 'POST', '/api/v1/users', {
      username,
      fullName,
      role,
      jurisdiction,
      password: PASSWORD,
    });
    expect(u.status, JSON.stringify(u.json)).toBe(201);
  };
  await mk(provinceUser, 'Nguyễn Văn Tỉnh', 'province', { level: 'province', unitCode: '11' });
  const province = await e.apiLogin(provinceUser, PASSWORD);
  const reg = async (body: object) => {
    const r = await e.call(province, 'POST', '/api/v1/workplaces', {
      clientId: crypto.randomUUID(),
      communeCode: COMMUNE,
      ...body,
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    return r.json.id as string;
  };
  factoryId = await reg({
    name: factoryName,
    kind: 'factory',
    workforce: 1200,
    latitude: 21.3865,
    longitude: 103.0195,
  });
  schoolId = await reg({ name: schoolName, kind: 'school', workforce: 640 });
  await mk(reporterUser, 'Lò Thị Hoa', 'test_reporter', { level: 'site', siteId: factoryId });
});
afterAll(() => e?.close());

describe('workplaces and schools', () => {
  test("a factory's reporter fills the self-assessment and uploads screening with a positive (phone)", async () => {
    const context = await e.newContext(PHONE_360);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, reporterUser, PASSWORD);
    await openMenu(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Tự đánh giá an toàn' }).click();
    await page.getByRole('heading', { name: 'Tự đánh giá an toàn COVID-19' }).waitFor();
    await page.getByTestId('workplace-state').getByText(factoryName).waitFor();
    await page.getByText('Chưa tự đánh giá lần nào').waitFor();
    const submit = page.getByTestId('assess-submit');
    await expect.poll(() => submit.innerText()).toBe('Còn 10 tiêu chí chưa trả lời');
    await shot(page, '01-assess-empty-phone');
    const criteria = page.locator('[data-testid^="criterion-"]');
    const n = await criteria.count();
    expect(n).toBe(10);
    for (let i = 0; i < n; i++) {
      const c = criteria.nth(i);
      const id = (await c.getAttribute('data-testid'))!.replace('criterion-', '');
      const answer =
        id === 'isolation_room' ? 'Chưa đạt' : id === 'transport' ? 'Không áp dụng' : 'Đạt';
      await c.getByText(answer, { exact: true }).click();
    }
    // targets a thumb can hit
    const box = await criteria.first().locator('label').first().boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    await expect.poll(() => submit.innerText()).toBe('Gửi bản tự đánh giá');
    await submit.click();
    const result = page.getByTestId('assess-result');
    await result.getByText('Kết quả: Cao (88.9%)').waitFor();
    await result.getByText(/chưa đạt tiêu chí bắt buộc: Có phòng cách ly tạm thời/).waitFor();
    await page
      .getByTestId('workplace-state')
      .getByText(`Lần gần nhất: ${vn(today)} — Cao`)
      .waitFor();
    await page
      .getByTestId('workplace-state')
      .getByText(`Hạn tự đánh giá: ${vn(addDays(today, 7))}`)
      .waitFor();
    await expectTranslated(page, I18N_KEY);
    await shot(page, '02-assess-result-phone');

    // The morning's screening, through the testing module's upload.
    await page.getByRole('link', { name: 'Tải kết quả xét nghiệm sàng lọc' }).click();
    await page.getByRole('heading', { name: 'Nhập kết quả từ tệp' }).waitFor();
    const at = `${vn(today)} 06:30`;
    const file = await xlsxFile(
      [
        [
          'Họ tên',
          'Năm sinh',
          'Giới tính',
          'Số CCCD',
          'Loại xét nghiệm',
          'Kết quả',
          'Ngày lấy mẫu',
        ],
        ['Lò Văn Sơn', 1995, 'Nam', '011095066601', 'Test nhanh', 'Âm tính', at],
        ['Quàng Thị Mai', 1998, 'Nữ', '011098066602', 'Test nhanh', 'Dương tính', at],
        ['Cà Văn Dũng', 1990, 'Nam', '011090066603', 'Test nhanh', 'Âm tính', at],
      ],
      'Sàng lọc đầu ca',
    );
    await page.locator('input[type=file]').setInputFiles({
      name: 'sang-loc-dau-ca.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: file,
    });
    await page
      .getByRole('button', { name: /tải lên/i })
      .last()
      .click();
    await page.waitForURL(/\/xet-nghiem\/nhap-tep\/[0-9a-f-]{36}$/);
    await expect
      .poll(() => page.getByTestId('import-status').textContent(), { timeout: 30_000 })
      .toBe('Đã xong');
    expect(await page.getByTestId('count-positives').innerText()).toContain('1');
    await shot(page, '03-screening-uploaded-phone');

    // Back on the self-assessment page the factory is flagged, with the rule's words.
    await page.goto('/noi-lam-viec/tu-danh-gia');
    await page.getByTestId('outbreak-badge').waitFor();
    await page.getByText(/Ổ dịch tại nơi làm việc: 1 ca dương tính khi sàng lọc/).waitFor();
    await page.getByText(`Hạn xét nghiệm sàng lọc: ${vn(addDays(today, 1))}`).waitFor();
    await shot(page, '04-outbreak-phone');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('the province sees the outbreak flag on the risk view, the map, and the overdue list (desktop)', async () => {
    const context = await e.newContext(DESKTOP);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, provinceUser, PASSWORD);
    await page
      .getByRole('navigation')
      .getByRole('link', { name: 'Nơi làm việc, trường học' })
      .click();
    await page
      .getByRole('heading', { name: 'Nguy cơ COVID-19 tại nơi làm việc, trường học' })
      .waitFor();
    await shot(page, '05-risk-view-first-desktop');
    await page.getByTestId('workplaces-risk').waitFor();
    await page.getByTestId('risk-map').locator('.leaflet-interactive').first().waitFor();
    const risk = page.getByTestId('workplaces-risk');
    const first = risk.locator('tbody tr').first();
    await expect.poll(() => first.getAttribute('data-testid')).toBe(`workplace-${factoryId}`);
    await first.getByTestId('outbreak-flag').waitFor();
    await first.getByText(/Ổ dịch tại nơi làm việc/).waitFor();
    await first.getByText('Cao', { exact: true }).waitFor();
    await risk.getByTestId(`workplace-${schoolId}`).getByText('Chưa đánh giá').waitFor();
    await expectTranslated(page, I18N_KEY);
    await shot(page, '05-risk-view-desktop');
    // Registered today, both are due today, not yet overdue: the list says so.
    await page.getByTestId('tab-overdue').click();
    await page.getByText('Không có cơ sở nào quá hạn.').waitFor();
    await shot(page, '06-overdue-desktop');
    expect(errors).toEqual([]);
    await context.close();
  });
});
