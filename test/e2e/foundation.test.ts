/**
 * The staff app in a real browser against the real server: an administrator creates a commune
 * health station user, who then logs in and sees only their commune. Screenshots of every step
 * go to test-results/e2e/ (phone 390×844, plus desktop 1280×800) for a person to look at.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  DESKTOP,
  type E2E,
  expectTranslated,
  login,
  named,
  navLinks,
  openMenu,
  pick,
  PHONE,
  screenshots,
  startE2E,
  watch,
} from '../helpers/e2e.ts';

// Điện Biên (11) › Thành phố Điện Biên Phủ (094) › Xã Thanh Minh (03145).
const DISTRICT = 'Thành phố Điện Biên Phủ';
const COMMUNE = 'Xã Thanh Minh';
const COMMUNE_CODE = '03145';

/** Text a missing translation leaves behind: the key itself, e.g. "users.create". */
const I18N_KEY =
  /\b(app|lang|auth|nav|common|levels|home|users|units|villageKind|unitType|audit)\.[a-z][A-Za-z]+\b/;

let e: E2E;
const { shot } = screenshots('');

beforeAll(async () => {
  e = await startE2E();
});

afterAll(() => e?.close());

describe('staff app: foundation', () => {
  const stamp = Date.now().toString(36).slice(-5);
  const newUsername = `tyt.thanhminh.${stamp}`;
  let newPassword = '';

  test('an administrator creates a commune health user (phone)', async () => {
    const context = await e.newContext(PHONE);
    const page = await context.newPage();
    const errors = watch(page);

    // Not logged in: the app sends us to the login page, in Vietnamese.
    await page.goto('/');
    await page.waitForURL('**/login');
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    await page.getByRole('heading', { name: 'Đăng nhập hệ thống' }).waitFor();
    await shot(page, '01-login-phone');

    // A wrong password shows the server's message.
    await page.getByLabel(named('Tên đăng nhập')).fill('admin');
    await page.getByLabel(named('Mật khẩu')).fill('not-the-password');
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await expect
      .poll(() => page.getByRole('alert').innerText())
      .toContain('Sai tên đăng nhập hoặc mật khẩu');
    await shot(page, '02-login-error-phone');

    await login(page, 'admin', e.server.adminPassword);
    const card = page.getByTestId('home-card');
    await expect.poll(() => card.innerText()).toContain('Tỉnh Điện Biên');
    await expect.poll(() => card.innerText()).toMatch(/\d{3}\.\d{3}/); // population, vi format
    await expectTranslated(page, I18N_KEY);
    await shot(page, '03-home-admin-phone');

    await openMenu(page);
    // Other modules add their own entries; these four must be there for an admin.
    expect(await navLinks(page)).toEqual(
      expect.arrayContaining(['Trang chủ', 'Đơn vị hành chính', 'Người dùng', 'Nhật ký truy cập']),
    );
    await shot(page, '04-menu-admin-phone');

    await page.getByRole('navigation').getByRole('link', { name: 'Người dùng' }).click();
    await page.getByRole('heading', { name: 'Người dùng' }).waitFor();
    await page.getByTestId('users-list').getByText('admin', { exact: true }).waitFor();
    await shot(page, '05-users-phone');

    // The create form: role, then the jurisdiction cascade (province fixed by the admin's scope).
    await page.getByRole('button', { name: 'Tạo người dùng' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(named('Tên đăng nhập')).fill('admin');
    await dialog.getByLabel(named('Họ và tên')).fill('Lò Thị Mai');
    await dialog.getByLabel(named('Số điện thoại')).fill('0912345678');
    await pick(page, 'Vai trò', 'Trạm Y tế xã');
    await expect
      .poll(() => dialog.getByRole('combobox', { name: named('Cấp địa bàn') }).inputValue())
      .toBe('Xã');
    await expect
      .poll(() => dialog.getByRole('combobox', { name: named('Tỉnh') }).inputValue())
      .toBe('Tỉnh Điện Biên');
    expect(await dialog.getByRole('combobox', { name: named('Tỉnh') }).isDisabled()).toBe(true);
    await pick(page, 'Huyện', DISTRICT);
    await pick(page, 'Xã', COMMUNE);
    await shot(page, '06-create-user-form-phone');

    // A taken username: the server's field error appears under the username input.
    await dialog.getByRole('button', { name: 'Tạo người dùng' }).click();
    const usernameInput = dialog.getByLabel(named('Tên đăng nhập'));
    await expect.poll(() => usernameInput.getAttribute('aria-invalid')).toBe('true');
    await dialog.getByText('Tên đăng nhập đã có', { exact: true }).waitFor();
    await shot(page, '07-create-user-field-error-phone');

    // No password given: the server generates one, shown once.
    await usernameInput.fill(newUsername);
    await dialog.getByRole('button', { name: 'Tạo người dùng' }).click();
    const generated = page.getByTestId('generated-password');
    await generated.waitFor();
    newPassword = (await generated.innerText()).trim();
    expect(newPassword).toMatch(/^[\w-]{10,}$/);
    await expectTranslated(page, I18N_KEY);
    await shot(page, '08-generated-password-phone');
    await page.getByRole('button', { name: 'Tôi đã ghi lại mật khẩu' }).click();

    const list = page.getByTestId('users-list');
    await list.getByText(newUsername).waitFor();
    await expect.poll(() => list.innerText()).toContain(`${COMMUNE}, ${DISTRICT}, Tỉnh Điện Biên`);
    await shot(page, '09-users-after-create-phone');

    // The unit browser opens at the admin's province; the audit log lists what just happened.
    await openMenu(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Đơn vị hành chính' }).click();
    await page.getByRole('heading', { name: 'Tỉnh Điện Biên' }).waitFor();
    await page.getByTestId('children-table').getByRole('link', { name: DISTRICT }).waitFor();
    await expectTranslated(page, I18N_KEY);
    await shot(page, '09a-units-province-phone');
    await openMenu(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Nhật ký truy cập' }).click();
    await page.getByTestId('audit-list').getByText('users.create').first().waitFor();
    await shot(page, '09b-audit-phone');

    await openMenu(page);
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL('**/login');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('the new user sees only their commune (phone), and can switch to English', async () => {
    expect(newPassword, 'the first test created the user').not.toBe('');
    const context = await e.newContext(PHONE);
    const page = await context.newPage();
    const errors = watch(page);

    await login(page, newUsername, newPassword);
    await expect
      .poll(() => page.getByTestId('home-jurisdiction').innerText())
      .toBe(`${COMMUNE}, ${DISTRICT}, Tỉnh Điện Biên`);
    await expect.poll(() => page.getByTestId('home-card').innerText()).toMatch(/thôn\/bản/i);
    await shot(page, '10-home-commune-phone');

    await openMenu(page);
    const links = await navLinks(page);
    expect(links).toEqual(expect.arrayContaining(['Trang chủ', 'Đơn vị hành chính']));
    // what a commune health station may not do is not offered
    expect(links).not.toContain('Người dùng');
    expect(links).not.toContain('Nhật ký truy cập');
    await shot(page, '11-menu-commune-phone');

    // The unit browser opens at the user's commune, with its (so far empty) village list.
    await page.getByRole('navigation').getByRole('link', { name: 'Đơn vị hành chính' }).click();
    await page.waitForURL(`**/units/${COMMUNE_CODE}`);
    await page.getByRole('heading', { name: COMMUNE }).waitFor();
    await page.getByText('Chưa có thôn/bản/tổ dân phố nào').waitFor();

    // Add one village by hand…
    await page.getByRole('button', { name: 'Thêm thôn/bản' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(named('Tên thôn/bản/tổ dân phố')).fill('Bản Noong Nhai');
    await pick(page, 'Loại', 'Bản');
    await dialog.getByLabel(named('Dân số')).fill('812');
    await dialog.getByLabel(named('Số hộ')).fill('176');
    await shot(page, '12-add-village-phone');
    await dialog.getByRole('button', { name: 'Thêm thôn/bản' }).click();
    const table = page.getByTestId('villages-table');
    await table.getByText('Bản Noong Nhai').waitFor();

    // …and more from a CSV file: all rows or none, with a row report.
    await page.getByRole('button', { name: 'Nhập từ tệp CSV/XLSX' }).click();
    const bad = ['ma_xa,ten,loai,dan_so,so_ho', `${COMMUNE_CODE},Thôn Tâm Vinh,thon,abc,`].join(
      '\n',
    );
    await page
      .getByTestId('villages-panel')
      .locator('input[type="file"]')
      .setInputFiles({
        name: 'loi.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(bad),
      });
    await page.getByRole('button', { name: 'Tải lên' }).click();
    await page.getByText('Tệp có 1 dòng lỗi; chưa ghi dòng nào').waitFor();
    await page.getByTestId('import-report').getByText('dan_so', { exact: false }).waitFor();
    await shot(page, '13-import-rejected-phone');

    const good = [
      'ma_xa,ten,loai,dan_so,so_ho',
      `${COMMUNE_CODE},Thôn Tâm Vinh,thon,640,150`,
      `${COMMUNE_CODE},Bản Ta Lèng,ban,1020,231`,
      `${COMMUNE_CODE},Tổ dân phố 1,to_dan_pho,,`,
    ].join('\n');
    await page
      .getByTestId('villages-panel')
      .locator('input[type="file"]')
      .setInputFiles({
        name: 'thon-ban.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(good),
      });
    await page.getByRole('button', { name: 'Tải lên' }).click();
    await page.getByText('Đã nhập: 3 mới, 0 không đổi').waitFor();
    await table.getByText('Bản Ta Lèng').waitFor();
    expect(await table.locator('tbody tr').count()).toBe(4);
    await expectTranslated(page, I18N_KEY);
    await shot(page, '14-villages-commune-phone');

    // Pages outside the role show "not found", as the API does.
    await page.goto('/users');
    await page.getByRole('heading', { name: 'Không tìm thấy trang' }).waitFor();
    await page.goto('/audit');
    await page.getByRole('heading', { name: 'Không tìm thấy trang' }).waitFor();

    // English, remembered across a reload.
    await page.goto(`/units/${COMMUNE_CODE}`);
    await page.getByRole('heading', { name: COMMUNE }).waitFor();
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'Villages / hamlets / neighbourhoods' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Add village' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expectTranslated(page, I18N_KEY);
    await shot(page, '15-villages-english-phone');
    await page.getByRole('button', { name: 'Open menu' }).click();
    const enLinks = await navLinks(page);
    expect(enLinks).toEqual(expect.arrayContaining(['Home', 'Administrative units']));
    expect(enLinks).not.toContain('Users');
    expect(enLinks).not.toContain('Audit log');
    await shot(page, '16-menu-english-phone');
    await page.getByText('VI', { exact: true }).click();
    await page.getByRole('link', { name: 'Trang chủ' }).waitFor();

    expect(errors).toEqual([]);
    await context.close();
  });

  test('desktop: users, units and the audit log', async () => {
    const context = await e.newContext(DESKTOP);
    const page = await context.newPage();
    const errors = watch(page);

    await login(page, 'admin', e.server.adminPassword);
    // Header: app name, full name, role and jurisdiction.
    const header = page.getByRole('banner');
    await expect.poll(() => header.innerText()).toContain('Quản trị hệ thống');
    await expect.poll(() => header.innerText()).toContain('Tỉnh Điện Biên');
    await shot(page, '17-home-admin-desktop');

    await page.getByRole('link', { name: 'Người dùng' }).click();
    const users = page.getByTestId('users-table');
    await users.getByText(newUsername).waitFor();
    await shot(page, '18-users-desktop');
    // Search folds accents, as people type them on a phone.
    await page.getByRole('searchbox', { name: 'Tìm kiếm' }).fill('lo thi mai');
    await expect.poll(() => users.locator('tbody tr').count()).toBe(1);

    // The user's page: details, edit, disable.
    await users.getByRole('link', { name: newUsername }).click();
    await page.getByRole('heading', { name: 'Lò Thị Mai' }).waitFor();
    await shot(page, '19-user-detail-desktop');

    // Edit the phone number, reset the password, disable and enable the account.
    await page.getByLabel(named('Số điện thoại')).fill('0987654321');
    await page.getByRole('button', { name: 'Lưu', exact: true }).click();
    await page.getByText('0987654321', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Tạo mật khẩu ngẫu nhiên' }).click();
    await page.getByRole('button', { name: 'Đặt lại mật khẩu', exact: true }).click();
    await page
      .getByText(/^Đã đặt mật khẩu mới/)
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Vô hiệu hóa', exact: true }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: 'Vô hiệu hóa', exact: true })
      .click();
    await page.getByRole('button', { name: 'Kích hoạt lại' }).waitFor();
    await shot(page, '19b-user-disabled-desktop');
    await page.getByRole('button', { name: 'Kích hoạt lại' }).click();
    await page.getByRole('button', { name: 'Vô hiệu hóa', exact: true }).waitFor();

    await page.getByRole('link', { name: 'Đơn vị hành chính' }).click();
    await page.getByRole('heading', { name: 'Tỉnh Điện Biên' }).waitFor();
    await page.getByTestId('children-table').getByRole('link', { name: DISTRICT }).click();
    await page.getByTestId('children-table').getByRole('link', { name: COMMUNE }).click();
    await page.getByTestId('villages-table').getByText('Bản Ta Lèng').waitFor();
    await page.getByText('Dân số (Tổng điều tra 01/04/2019)').first().waitFor();
    await shot(page, '20-commune-desktop');

    await page.getByRole('link', { name: 'Nhật ký truy cập' }).click();
    const audit = page.getByTestId('audit-table');
    await audit.getByText('users.create').first().waitFor();
    await audit.getByText('Từ chối').first().waitFor(); // the wrong password earlier
    // Filters: outcome and dates typed as dd/mm/yyyy.
    await pick(page, 'Kết quả', 'Từ chối');
    const from = page.getByLabel('Từ ngày');
    await from.pressSequentially('01012020');
    expect(await from.inputValue()).toBe('01/01/2020');
    await page.getByRole('button', { name: 'Lọc', exact: true }).click();
    await expect
      .poll(async () => {
        const rows = await audit.locator('tbody tr').allInnerTexts();
        return rows.length > 0 && rows.every((r) => r.includes('Từ chối'));
      })
      .toBe(true);
    expect(await audit.innerText()).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}/);
    await shot(page, '21-audit-desktop');
    await page.getByLabel('Đến ngày').pressSequentially('31122020');
    await page.getByRole('button', { name: 'Lọc', exact: true }).click();
    await page.getByText('Không có sự kiện nào').waitFor();

    expect(errors).toEqual([]);
    await context.close();
  });
});
