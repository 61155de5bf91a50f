/**
 * The people registry in a real browser against the real server: a commune health officer, on
 * a phone, registers a person, registers them again by mistake, finds both without typing
 * accents, merges the two records field by field, and puts the person at the head of a new
 * household. Screenshots of every step go to test-results/e2e/people-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  DESKTOP,
  type E2E,
  expectTranslated,
  login,
  named,
  openMenu,
  pick,
  PHONE,
  screenshots,
  startE2E,
  watch,
} from '../helpers/e2e.ts';

// Điện Biên (11) › Thành phố Điện Biên Phủ (094) › Phường Mường Thanh (03136).
const COMMUNE_CODE = '03136';
const COMMUNE = 'Phường Mường Thanh';
const VILLAGE = 'Tổ dân phố 5';
const PASSWORD = 'mat-khau-xa-03136';

/** Text a missing translation leaves behind: the key itself, e.g. "people.add". */
const I18N_KEY =
  /\b(app|auth|nav|common|users|units|people|person|merge|households|field|part|reason|relation|sex|idType|idTypeLong)\.[a-z][A-Za-z]+\b/;

let e: E2E;
const { shot, shotDialog } = screenshots('people-');
const stamp = Date.now().toString(36).slice(-5);
const username = `tyt.muongthanh.${stamp}`;

beforeAll(async () => {
  e = await startE2E();
  // The administrator creates the commune health station's account; its officer adds a village.
  const admin = await e.apiLogin('admin', e.server.adminPassword);
  const user = await e.call(admin, 'POST', '/api/v1/users', {
    username,
    fullName: 'Lò Thị Hoa',
    role: 'commune_health',
    jurisdiction: { level: 'commune', unitCode: COMMUNE_CODE },
    password: PASSWORD,
  });
  expect(user.status, JSON.stringify(user.json)).toBe(201);
  const officer = await e.apiLogin(username, PASSWORD);
  const village = await e.call(officer, 'POST', '/api/v1/villages', {
    communeCode: COMMUNE_CODE,
    name: VILLAGE,
    kind: 'to_dan_pho',
  });
  expect(village.status, JSON.stringify(village.json)).toBe(201);
});

afterAll(() => e?.close());

async function search(page: Page, text: string) {
  await page.getByTestId('people-search').fill(text);
  await expect.poll(() => page.getByTestId('people-query').isVisible()).toBe(true);
}

describe('staff app: people and households', () => {
  let keptId = '';
  let mergedId = '';
  let householdId = '';

  test('a commune officer registers, finds and merges a person, then makes a household (phone)', async () => {
    const context = await e.newContext(PHONE);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, username, PASSWORD);

    await openMenu(page);
    const links = await page.getByRole('navigation').getByRole('link').allInnerTexts();
    expect(links.map((s) => s.trim())).toEqual(
      expect.arrayContaining(['Trang chủ', 'Người dân', 'Hộ gia đình']),
    );
    await shot(page, '01-menu-phone');
    await page.getByRole('navigation').getByRole('link', { name: 'Người dân' }).click();
    await page.getByRole('heading', { name: 'Người dân' }).waitFor();
    await page.getByText('Chưa có người nào trong địa bàn').waitFor();
    await page
      .getByText('Tìm theo số CCCD/CMND, số điện thoại hoặc họ tên — gõ không dấu cũng được')
      .waitFor();
    await shot(page, '02-empty-phone');

    // The first record. A CCCD one digit short: the server's message appears under the input.
    await page.getByRole('button', { name: 'Thêm người' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel(named('Họ và tên')).fill('Nguyễn Văn An');
    await dialog.getByLabel('Ngày sinh').pressSequentially('15031985');
    expect(await dialog.getByLabel('Ngày sinh').inputValue()).toBe('15/03/1985');
    await dialog.getByRole('radio', { name: 'Nam' }).check();
    expect(await dialog.getByRole('combobox', { name: 'Loại giấy tờ' }).inputValue()).toBe(
      'Căn cước công dân (CCCD)',
    );
    // The commune is fixed by the officer's jurisdiction.
    const commune = dialog.getByRole('combobox', { name: named('Xã/phường/thị trấn') });
    await expect.poll(() => commune.inputValue()).toBe(COMMUNE);
    expect(await commune.isDisabled()).toBe(true);
    await dialog.getByLabel('Số giấy tờ').fill('00108501234');
    await dialog.getByLabel('Số điện thoại').fill('0912 345 678');
    await pick(page, 'Thôn/bản/tổ dân phố', VILLAGE, dialog);
    await dialog.getByLabel('Số nhà, đường').fill('Số 12, đường Võ Nguyên Giáp');
    await dialog.getByLabel('Nơi làm việc, học tập').fill('Trường THPT Phan Đình Giót');
    await dialog.getByRole('button', { name: 'Thêm người' }).click();
    const idInput = dialog.getByLabel('Số giấy tờ');
    await expect.poll(() => idInput.getAttribute('aria-invalid')).toBe('true');
    await dialog.getByText('Số CCCD gồm 12 chữ số', { exact: true }).waitFor();
    await shotDialog(page, '03-field-error-phone');

    await idInput.fill('001085012345');
    expect(await idInput.getAttribute('aria-invalid')).not.toBe('true');
    await shotDialog(page, '04-create-form-phone');
    await dialog.getByRole('button', { name: 'Thêm người' }).click();
    await dialog.waitFor({ state: 'detached' });
    const list = page.getByTestId('people-list');
    await list.getByText('Nguyễn Văn An').waitFor();
    await expect.poll(() => list.innerText()).toContain('15/03/1985');
    await expect.poll(() => list.innerText()).toContain(`${VILLAGE}, ${COMMUNE}`);

    // The same person again, by another officer's habit: no accents, only the birth year.
    await page.getByRole('button', { name: 'Thêm người' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel(named('Họ và tên')).fill('Nguyen Van An');
    await dialog.getByLabel('Năm sinh').fill('1985');
    await dialog.getByRole('radio', { name: 'Nam' }).check();
    await dialog.getByLabel('Số giấy tờ').fill('001 085 012 345');
    await dialog.getByLabel('Số điện thoại').fill('0987654321');
    await dialog.getByRole('button', { name: 'Thêm người' }).click();
    const dupAlert = page.getByTestId('duplicates-alert');
    await dupAlert.waitFor();
    expect(await dupAlert.innerText()).toContain('Có 1 bản ghi có thể trùng');
    const dups = page.getByTestId('duplicates');
    await dups.getByText('Trùng số giấy tờ').waitFor();
    await dups.getByText('Trùng họ tên, năm sinh và xã').waitFor();
    await dups.getByText('Nguyễn Văn An').waitFor();
    await expectTranslated(page, I18N_KEY);
    await shotDialog(page, '05-duplicates-phone');
    await page.getByRole('button', { name: 'Đóng' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Typed without accents, the name finds both records.
    await search(page, 'nguyen van an');
    await expect.poll(() => list.getByTestId('person-card').count()).toBe(2);
    expect(await page.getByTestId('people-query').innerText()).toContain(
      'Tìm theo họ tên · 2 người',
    );
    await shot(page, '06-search-both-phone');

    // Open the first record: the second is listed as a likely duplicate, with its reasons.
    await list.getByRole('link', { name: 'Nguyễn Văn An' }).click();
    await page.getByRole('heading', { name: 'Nguyễn Văn An' }).waitFor();
    keptId = page.url().split('/').pop()!;
    const fields = page.getByTestId('person-fields');
    await expect.poll(() => fields.innerText()).toContain('Căn cước công dân (CCCD): 001085012345');
    await expect
      .poll(() => fields.innerText())
      .toContain(
        `Số 12, đường Võ Nguyên Giáp, ${VILLAGE}, ${COMMUNE}, Thành phố Điện Biên Phủ, Tỉnh Điện Biên`,
      );
    const possible = page.getByTestId('person-duplicates');
    await possible.getByText('Nguyen Van An').waitFor();
    await possible.getByText('Trùng số giấy tờ').waitFor();
    await expectTranslated(page, I18N_KEY);
    await shot(page, '07-detail-phone');

    // Merge, keeping this record's values except the phone of the second.
    await possible.getByRole('link', { name: 'So sánh và gộp' }).click();
    await page.getByRole('heading', { name: 'So sánh và gộp bản ghi' }).waitFor();
    mergedId = page.url().split('/').pop()!;
    expect(mergedId).not.toBe(keptId);
    const phonePart = page.getByTestId('merge-part-phone');
    await phonePart.getByText('0987654321').waitFor();
    await phonePart.getByTestId('choice-other').click();
    expect(await phonePart.getByTestId('choice-other').getAttribute('aria-checked')).toBe('true');
    expect(
      await page
        .getByTestId('merge-part-fullName')
        .getByTestId('choice-survivor')
        .getAttribute('aria-checked'),
    ).toBe('true');
    await expectTranslated(page, I18N_KEY);
    await shot(page, '08-merge-phone');
    await page.getByRole('button', { name: 'Gộp hai bản ghi' }).click();
    dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.innerText()).toContain('nhật ký truy cập');
    await expect.poll(() => dialog.innerText()).toContain('Điện thoại: 0987654321');
    await shotDialog(page, '09-merge-confirm-phone');
    await dialog.getByRole('button', { name: 'Gộp', exact: true }).click();
    await page.waitForURL(`**/nguoi-dan/${keptId}`);
    await expect.poll(() => fields.innerText()).toContain('0987654321');
    await expect.poll(() => fields.innerText()).toContain('15/03/1985');
    await page.getByTestId('person-merged').waitFor();
    await page.getByText('Không thấy bản ghi nào có thể trùng.').waitFor();
    await shot(page, '10-after-merge-phone');

    // The merged-away id now shows the record that survived, with a note.
    await page.goto(`/nguoi-dan/${mergedId}`);
    await page.getByTestId('merged-note').waitFor();
    expect(await page.getByTestId('merged-note').innerText()).toContain('Đã gộp');
    await page.getByRole('heading', { name: 'Nguyễn Văn An' }).waitFor();
    await shot(page, '11-merged-id-phone');

    // The search now shows one.
    await page.goto('/nguoi-dan');
    await search(page, 'nguyen van an');
    await expect.poll(() => list.getByTestId('person-card').count()).toBe(1);
    // the list shows the phone masked (issue 10 item 10); the person page shows it whole
    await expect.poll(() => list.innerText()).toContain('******4321');
    expect(await list.innerText()).not.toContain('0987654321');
    await shot(page, '12-search-one-phone');

    // A household in the village, with the person as its head.
    await openMenu(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Hộ gia đình' }).click();
    await page.getByRole('heading', { name: 'Hộ gia đình' }).waitFor();
    await page.getByText('Chưa có hộ gia đình nào').waitFor();
    await shot(page, '13-households-empty-phone');
    await page.getByRole('button', { name: 'Thêm hộ' }).click();
    dialog = page.getByRole('dialog');
    await pick(page, 'Thôn/bản/tổ dân phố', VILLAGE, dialog);
    await dialog.getByLabel('Địa chỉ hộ').fill('Số 12, đường Võ Nguyên Giáp');
    await shotDialog(page, '14-household-create-phone');
    await dialog.getByRole('button', { name: 'Thêm hộ' }).click();
    await page.waitForURL(/\/ho-gia-dinh\/[0-9a-f-]{36}$/);
    householdId = page.url().split('/').pop()!;
    await page.getByText('Hộ chưa có thành viên nào').waitFor();
    const add = page.getByTestId('add-member');
    expect(await add.getByRole('combobox', { name: 'Quan hệ với chủ hộ' }).inputValue()).toBe(
      'Chủ hộ',
    );
    await add.getByRole('searchbox').fill('nguyen van an');
    const candidate = add.getByTestId('member-candidate');
    await expect.poll(() => candidate.count()).toBe(1);
    await shot(page, '15-household-add-member-phone');
    await candidate.getByRole('button', { name: 'Thêm' }).click();
    const members = page.getByTestId('household-members');
    await members.getByRole('link', { name: 'Nguyễn Văn An' }).waitFor();
    expect(await members.getByTestId('member').innerText()).toContain('Chủ hộ');
    await page.getByRole('heading', { name: 'Hộ Nguyễn Văn An' }).waitFor();
    await expectTranslated(page, I18N_KEY);
    await shot(page, '16-household-phone');

    // The list of the village shows it; the person's page shows the household.
    await page.getByRole('link', { name: '← Hộ gia đình' }).click();
    await pick(page, 'Thôn/bản/tổ dân phố', VILLAGE);
    const card = page.getByTestId('household-card');
    await expect.poll(() => card.count()).toBe(1);
    await expect.poll(() => card.innerText()).toContain('Hộ Nguyễn Văn An');
    await expect.poll(() => card.innerText()).toContain('1 thành viên');
    await shot(page, '17-households-phone');
    await page.goto(`/nguoi-dan/${keptId}`);
    const households = page.getByTestId('person-households');
    await households.getByText('Chủ hộ').waitFor();
    await expect.poll(() => households.innerText()).toContain(VILLAGE);

    // English.
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'Possible duplicates' }).waitFor();
    await expect.poll(() => households.innerText()).toContain('Head of household');
    await expectTranslated(page, I18N_KEY);
    await shot(page, '18-detail-english-phone');
    await page.getByText('VI', { exact: true }).click();
    await page.getByRole('heading', { name: 'Có thể trùng' }).waitFor();

    expect(errors).toEqual([]);
    await context.close();
  });

  test('desktop: the people table and the merge comparison', async () => {
    expect(householdId, 'the first test registered the person and the household').not.toBe('');
    const context = await e.newContext(DESKTOP);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, username, PASSWORD);
    await page.getByRole('link', { name: 'Người dân' }).click();
    const table = page.getByTestId('people-table');
    await table.getByText('Nguyễn Văn An').waitFor();
    await expect.poll(() => table.innerText()).toContain('CCCD ********2345');
    await shot(page, '19-people-desktop');
    // A phone number finds the person too, in any spelling.
    await search(page, '+84 987 654 321');
    expect(await page.getByTestId('people-query').innerText()).toContain(
      'Tìm theo số điện thoại 0987654321',
    );
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    // Another look at a merge comparison, with a third record that looks alike.
    const officer = await e.apiLogin(username, PASSWORD);
    const third = await e.call(officer, 'POST', '/api/v1/persons', {
      fullName: 'Nguyễn Văn An',
      birthYear: 1985,
      sex: 'male',
      address: { communeCode: COMMUNE_CODE },
    });
    expect(third.status, JSON.stringify(third.json)).toBe(201);
    expect(third.json.duplicates[0].reasons).toEqual(['same_name_birth_year_commune']);
    await page.goto(`/nguoi-dan/${keptId}/gop/${third.json.id}`);
    await page
      .getByTestId('merge-part-workplace')
      .getByText('Trường THPT Phan Đình Giót')
      .waitFor();
    await page.getByText('Trùng họ tên, năm sinh và xã').waitFor();
    await shot(page, '20-merge-desktop');

    // Correct a record: the form opens with what the record holds; only the change is sent.
    await page.goto(`/nguoi-dan/${keptId}`);
    await page.getByRole('button', { name: 'Sửa thông tin' }).click();
    const edit = page.getByRole('dialog');
    expect(await edit.getByLabel('Ngày sinh').inputValue()).toBe('15/03/1985');
    expect(await edit.getByLabel('Số giấy tờ').inputValue()).toBe('001085012345');
    await expect
      .poll(() => edit.getByRole('combobox', { name: 'Thôn/bản/tổ dân phố' }).inputValue())
      .toBe(VILLAGE);
    await edit.getByLabel('Nơi làm việc, học tập').fill('Bệnh viện Đa khoa tỉnh Điện Biên');
    await shotDialog(page, '21-edit-desktop');
    await edit.getByRole('button', { name: 'Lưu', exact: true }).click();
    await edit.waitFor({ state: 'detached' });
    const fields = page.getByTestId('person-fields');
    await expect.poll(() => fields.innerText()).toContain('Bệnh viện Đa khoa tỉnh Điện Biên');
    expect(await fields.innerText()).toContain('15/03/1985');
    expect(await fields.innerText()).toContain('0987654321');

    // The household: add the third record as a child, then remove them again.
    await page.goto(`/ho-gia-dinh/${householdId}`);
    const members = page.getByTestId('household-members');
    await members.getByRole('link', { name: 'Nguyễn Văn An' }).waitFor();
    const add = page.getByTestId('add-member');
    await pick(page, 'Quan hệ với chủ hộ', 'Con', add);
    await add.getByRole('searchbox').fill('nguyen van an');
    const candidates = add.getByTestId('member-candidate');
    await expect.poll(() => candidates.count()).toBe(2);
    await candidates.filter({ hasText: 'Đã trong hộ' }).waitFor();
    await candidates.getByRole('button', { name: 'Thêm' }).click();
    const rows = members.getByTestId('member');
    await expect.poll(() => rows.count()).toBe(2);
    await shot(page, '22-household-desktop');
    await rows.filter({ hasText: 'Con' }).getByRole('button', { name: 'Bỏ khỏi hộ' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.innerText()).toContain('Hồ sơ của người này vẫn được giữ');
    await shotDialog(page, '23-remove-member-desktop');
    await dialog.getByRole('button', { name: 'Bỏ khỏi hộ' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.innerText()).toContain('Chủ hộ');
    expect(errors).toEqual([]);
    await context.close();
  });
});
