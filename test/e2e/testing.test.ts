import { readFile } from 'node:fs/promises';
/**
 * Testing and labs in a real browser against the real server. A school's account (role
 * test_reporter at a site of kind 'school'), on a phone, maps the columns of its XLSX once,
 * uploads it, watches the job and reads the row report: a matched pupil, a new one, a positive
 * RT-PCR that opens a case (seen by the commune through the API and on its pages), a positive
 * rapid test that asks for a confirmation PCR, a rejected row. The mapping is pre-filled the next
 * time. A citizen looks up their own result on the public page with the lookup code on the slip
 * handed over at sampling (issue 10). Screenshots: test-results/e2e/testing-*.png.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addDays, dateOfInstant } from '../../src/domain/dates.ts';
import {
  cookieOf,
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
import { strFromU8, unzipSync } from 'fflate';
import { readSheet, xlsxFile, xlsxSheetNames } from '../helpers/xlsx.ts';

// Điện Biên (11) › Thành phố Điện Biên Phủ (094) › Phường Mường Thanh (03136).
const COMMUNE_CODE = '03136';
const PASSWORD = 'mat-khau-truong-03136';

/** Text a missing translation leaves behind: the key itself, e.g. "imports.upload". */
const I18N_KEY =
  /\b(nav|common|reason|result|orderStatus|specimenStatus|poolStatus|retestMode|importStatus|rowStatus|matchedBy|source|campaignKind|f0Outcome|field|f0|testing|orders|specimens|label|results|imports|pools|labs|campaigns|stats|lookup)\.[a-z][A-Za-z_]+\b/;

let e: E2E;
const { shot } = screenshots('testing-');
const stamp = Date.now().toString(36).slice(-5);
const schoolUser = `truong.thcs.${stamp}`;
const communeUser = `tyt.xn.${stamp}`;
const yesterday = addDays(dateOfInstant(Date.now()), -1);
const vn = (d: string) => d.split('-').reverse().join('/');
const matched = { name: 'Lò Văn Minh', cccd: `011208${String(Date.now()).slice(-6)}` };
const pcrName = 'Quàng Thị Lan';
const rapidName = 'Tòng Văn Khải';
let labelCode = '';
let lookupCode = '';
let specimenId = '';

async function workbook(): Promise<Buffer> {
  // "Học sinh / giáo viên" and "Thời điểm lấy mẫu" are not headers the server knows by itself.
  const header = [
    'STT',
    'Học sinh / giáo viên',
    'Năm sinh',
    'Giới tính',
    'Số định danh',
    'Mã xã',
    'Phương pháp',
    'KQ',
    'Thời điểm lấy mẫu',
  ];
  const at = `${vn(yesterday)} 07:15`;
  const first = [
    1,
    matched.name,
    2008,
    'Nam',
    matched.cccd,
    COMMUNE_CODE,
    'Test nhanh',
    'Âm tính',
    at,
  ];
  return xlsxFile(
    [
      header,
      first,
      [2, pcrName, 2009, 'Nữ', '', COMMUNE_CODE, 'RT-PCR', 'Dương tính', at],
      [3, rapidName, 2007, 'Nam', '', COMMUNE_CODE, 'Test nhanh', 'Dương tính', at],
      [4, 'Lường Văn Hùng', 2008, 'Nam', '', COMMUNE_CODE, 'Test nhanh', '???', at],
    ],
    'Kết quả test ngày',
  );
}

beforeAll(async () => {
  e = await startE2E();
  const admin = await e.apiLogin('admin', e.server.adminPassword);
  const site = await e.call(admin, 'POST', '/api/v1/sites', {
    kind: 'school',
    name: `Trường THCS Mường Thanh (${stamp})`,
    communeCode: COMMUNE_CODE,
  });
  expect(site.status, JSON.stringify(site.json)).toBe(201);
  for (const [username, fullName, role, jurisdiction] of [
    [schoolUser, 'Lê Thị Thu', 'test_reporter', { level: 'site', siteId: site.json.id }],
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
  // The commune knows one pupil already; and tests a resident whose label code they keep.
  const commune = await e.apiLogin(communeUser, PASSWORD);
  const pupil = await e.call(commune, 'POST', '/api/v1/persons', {
    fullName: matched.name,
    birthYear: 2008,
    sex: 'male',
    idType: 'cccd',
    idNumber: matched.cccd,
    address: { communeCode: COMMUNE_CODE },
  });
  expect(pupil.status, JSON.stringify(pupil.json)).toBe(201);
  const resident = await e.call(commune, 'POST', '/api/v1/persons', {
    fullName: 'Điêu Thị Hương',
    birthYear: 1990,
    sex: 'female',
    address: { communeCode: COMMUNE_CODE },
  });
  expect(resident.status, JSON.stringify(resident.json)).toBe(201);
  const specimen = await e.call(commune, 'POST', '/api/v1/specimens', {
    clientId: crypto.randomUUID(),
    personId: resident.json.id,
    testType: 'rapid_antigen',
    reason: 'request',
    sampledAt: new Date(Date.now() - 3600_000).toISOString(),
  });
  expect(specimen.status, JSON.stringify(specimen.json)).toBe(201);
  labelCode = specimen.json.code;
  lookupCode = specimen.json.lookupCode;
  specimenId = specimen.json.id;
  const result = await e.call(commune, 'POST', '/api/v1/results', {
    clientId: crypto.randomUUID(),
    specimenCode: labelCode,
    result: 'negative',
  });
  expect(result.status, JSON.stringify(result.json)).toBe(201);
});

afterAll(() => e?.close());

describe('testing and labs', () => {
  test('a school maps and uploads its results file, watches it and reads the report (phone)', async () => {
    const context = await e.newContext(PHONE);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, schoolUser, PASSWORD);
    await openMenu(page);
    const nav = page.getByRole('navigation');
    await nav.getByRole('link', { name: 'Nhập kết quả từ tệp' }).waitFor();
    await nav.getByRole('link', { name: 'Xét nghiệm', exact: true }).waitFor();
    // A school neither pools nor manages labs.
    expect(await nav.getByRole('link', { name: 'Gộp mẫu' }).count()).toBe(0);
    await shot(page, '01-menu-school-phone');
    await nav.getByRole('link', { name: 'Nhập kết quả từ tệp' }).click();
    await page.getByRole('heading', { name: 'Nhập kết quả từ tệp' }).waitFor();
    await page.getByText('Chưa tải lên lần nào').waitFor();
    await page.getByText('Lần đầu tải lên: ghép cột một lần').waitFor();
    await shot(page, '02-import-empty-phone');

    // Choose the file: its headers are read in the browser, the known ones are mapped already.
    const file = await workbook();
    const xlsx = {
      name: 'ket-qua-test-nhanh-truong.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: file,
    };
    await page.locator('input[type=file]').setInputFiles(xlsx);
    const mapping = page.getByTestId('mapping');
    await mapping.getByText('Tệp có 9 cột').waitFor();
    const select = (label: string) => mapping.getByRole('combobox', { name: named(label) });
    await expect.poll(() => select('Kết quả').inputValue()).toBe('KQ');
    expect(await select('Số CCCD/CMND').inputValue()).toBe('Số định danh');
    expect(await select('Loại xét nghiệm').inputValue()).toBe('Phương pháp');
    expect(await select('Họ và tên').inputValue()).toBe('');
    expect(await select('Ngày lấy mẫu').inputValue()).toBe('');
    // A preview of the file's first rows, each column headed by the field it fills (issue 16
    // item 4), and under each mapped field what its column holds.
    const preview = page.getByTestId('import-preview');
    await preview.getByText('Xem trước 3 dòng đầu của tệp').waitFor();
    const kq = preview.getByTestId('preview-column').filter({ hasText: 'KQ' });
    expect(await kq.innerText()).toContain('→ Kết quả');
    const stt = preview.getByTestId('preview-column').filter({ hasText: 'STT' });
    expect(await stt.innerText()).toContain('Không dùng');
    expect(await preview.locator('tbody tr').count()).toBe(3);
    expect(await preview.locator('tbody').innerText()).toContain(matched.name);
    await mapping.getByText('Ví dụ: Âm tính').waitFor();
    // Without the sample date the upload is refused on the page, beside the field.
    await mapping.getByRole('button', { name: 'Lưu cách ghép cột và tải lên' }).click();
    await expect.poll(() => select('Ngày lấy mẫu').getAttribute('aria-invalid')).toBe('true');
    await mapping.getByText('Bắt buộc', { exact: true }).waitFor();
    await shot(page, '03-mapping-missing-phone');
    await pick(page, select('Họ và tên'), 'Học sinh / giáo viên');
    await pick(page, select('Ngày lấy mẫu'), 'Thời điểm lấy mẫu');
    await expectTranslated(page, I18N_KEY);
    await shot(page, '04-mapping-phone');

    await mapping.getByRole('button', { name: 'Lưu cách ghép cột và tải lên' }).click();
    await page.waitForURL(/\/xet-nghiem\/nhap-tep\/[0-9a-f-]{36}$/);
    const jobId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: xlsx.name }).waitFor();
    await expect
      .poll(() => page.getByTestId('import-status').textContent(), { timeout: 30_000 })
      .toBe('Đã xong');
    await expect
      .poll(() => page.getByTestId('import-progress').innerText())
      .toBe('Đã xử lý 4 / 4 dòng');
    const counts = page.getByTestId('import-counts');
    expect(await counts.getByTestId('count-accepted').innerText()).toContain('3');
    expect(await counts.getByTestId('count-matched').innerText()).toContain('1');
    expect(await counts.getByTestId('count-created').innerText()).toContain('2');
    expect(await counts.getByTestId('count-rejected').innerText()).toContain('1');
    expect(await counts.getByTestId('count-positives').innerText()).toContain('2');

    // The report, row by row (row 1 is the header): how each person was found, why one failed.
    const rows = page.getByTestId('import-rows');
    await expect.poll(() => rows.getByTestId('import-row').count()).toBe(4);
    const rowText = async (n: number) =>
      (await rows.getByTestId('import-row').nth(n).textContent()) ?? '';
    expect(await rowText(0)).toContain(`Dòng 2 · ${matched.name}`);
    expect(await rowText(0)).toContain('Khớp theo số giấy tờ');
    expect(await rowText(1)).toContain('Người mới, đã tạo hồ sơ');
    expect(await rowText(3)).toContain('Bị từ chối');
    // The reason names the field by its official name, not the file's folded header key.
    expect(await rowText(3)).toContain('Kết quả: "???" không phải Âm tính/Dương tính');
    expect(await rowText(3)).not.toContain('kq:');

    // The positives and what the F0 definition decided for each, with its rule.
    const positives = page.getByTestId('import-positives');
    await expect.poll(() => positives.getByTestId('f0-decision').count()).toBe(2);
    const pcr = positives
      .getByText(`${pcrName} · 2009`)
      .locator('xpath=ancestor::div[contains(@class,"mantine-Paper-root")][1]');
    await pcr.getByText('Xác định ca bệnh (F0): đã mở hồ sơ ca bệnh').waitFor();
    await pcr.getByText(/Xét nghiệm RT-PCR dương tính/).waitFor();
    await pcr.getByText(/^Quy tắc: .+ · pcr-positive$/).waitFor();
    const rapid = positives
      .getByText(`${rapidName} · 2007`)
      .locator('xpath=ancestor::div[contains(@class,"mantine-Paper-root")][1]');
    await rapid.getByText('Đã chỉ định xét nghiệm khẳng định RT-PCR', { exact: true }).waitFor();
    await expectTranslated(page, I18N_KEY);
    await shot(page, '05-import-report-phone');

    await page.getByTestId('row-filter').getByText('Bị từ chối').click();
    await expect.poll(() => rows.getByTestId('import-row').count()).toBe(1);
    expect(await rowText(0)).toContain('Lường Văn Hùng');
    await shot(page, '06-import-rejected-phone');
    // The rejected rows as an XLSX with a reason column, to correct and upload again.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-rejected').click(),
    ]);
    expect(download.suggestedFilename()).toBe('ket-qua-test-nhanh-truong-dong-bi-tu-choi.xlsx');
    const got = await readFile(await download.path());
    expect(xlsxSheetNames(got)).toEqual(['Dòng bị từ chối']);
    const sheet = readSheet(got);
    expect(sheet[0]).toEqual(['Dòng trong tệp', 'Họ và tên', 'Lý do']);
    expect(sheet[1]).toEqual([
      '5',
      'Lường Văn Hùng',
      'Kết quả: "???" không phải Âm tính/Dương tính',
    ]);
    expect(sheet.length).toBe(2);
    // the row number is a number cell, the header bold
    const xml = strFromU8(unzipSync(got)['xl/worksheets/sheet1.xml']!);
    expect(xml).toMatch(/<c r="A2"( s="\d+")?><v>5<\/v>/);
    // In English the report reads in English.
    await page.getByText('EN', { exact: true }).click();
    await expect
      .poll(() => rowText(0))
      .toContain('Result: "???" is not Âm tính/Dương tính (negative/positive)');
    await page.getByRole('button', { name: 'Download the rejected rows (XLSX)' }).waitFor();
    await shot(page, '06b-import-rejected-english-phone');
    await page.getByText('VI', { exact: true }).click();
    await page.getByRole('button', { name: 'Tải các dòng bị từ chối (XLSX)' }).waitFor();

    // Next time: the mapping saved for the school is pre-filled; the upload is listed.
    await page.getByRole('link', { name: '← Nhập kết quả từ tệp' }).click();
    await page.getByText('Đơn vị của bạn đã lưu cách ghép 8 cột').waitFor();
    const past = page.getByTestId('past-imports');
    await past.getByRole('link', { name: xlsx.name }).waitFor();
    expect(await past.innerText()).toContain('Nhận 3 · từ chối 1 · dương tính 2');
    await page.locator('input[type=file]').setInputFiles(xlsx);
    await expect.poll(() => select('Họ và tên').inputValue()).toBe('Học sinh / giáo viên');
    expect(await select('Ngày lấy mẫu').inputValue()).toBe('Thời điểm lấy mẫu');
    await shot(page, '07-import-again-phone');
    // The same file again is the same job: nothing is written twice.
    await mapping.getByRole('button', { name: 'Lưu cách ghép cột và tải lên' }).click();
    await page.waitForURL(`**/xet-nghiem/nhap-tep/${jobId}`);
    await page.getByText('Tệp này đã được tải lên trước đó').waitFor();
    expect(errors).toEqual([]);
    await context.close();

    // The commune sees the case the positive PCR opened (API), and on its pages.
    const commune = await e.apiLogin(communeUser, PASSWORD);
    const cases = await e.call(commune, 'GET', `/api/v1/cases?commune=${COMMUNE_CODE}&limit=50`);
    expect(cases.status, JSON.stringify(cases.json)).toBe(200);
    const theCase = cases.json.items.find(
      (c: { person: { fullName: string } }) => c.person.fullName === pcrName,
    );
    expect(theCase).toBeDefined();
    expect(
      cases.json.items.some(
        (c: { person: { fullName: string } }) => c.person.fullName === rapidName,
      ),
    ).toBe(false);

    const desk = await e.newContext(DESKTOP);
    const dpage = await desk.newPage();
    const derrors = watch(dpage);
    await login(dpage, communeUser, PASSWORD);
    await dpage.goto('/xet-nghiem?xem=results');
    await dpage.getByRole('heading', { name: 'Xét nghiệm', exact: true }).waitFor();
    const list = dpage.getByTestId('results-list');
    await list.getByText(`${pcrName} · 2009`).waitFor();
    await expectTranslated(dpage, I18N_KEY);
    await shot(dpage, '08-results-commune-desktop');
    const link = list.getByRole('link', { name: 'Mở hồ sơ ca bệnh →' });
    await expect.poll(() => link.count()).toBe(1);
    await link.click();
    await dpage.waitForURL(`**/ca-benh/${theCase.id}`);
    await dpage.getByText(pcrName).first().waitFor();
    await shot(dpage, '09-case-from-result-desktop');
    expect(await cookieOf(desk)).toMatch(/^eg_session=/);
    expect(derrors).toEqual([]);
    await desk.close();
  });

  test('two file layouts keep a saved mapping each: A, then B, then A again is mapped as A was (phone)', async () => {
    const context = await e.newContext(PHONE);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, schoolUser, PASSWORD);
    const xlsxOf = (name: string, buffer: Buffer) => ({
      name,
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer,
    });
    // Layout A: the school's file of the test above. Layout B: another lab's, other headers.
    const a = xlsxOf('ket-qua-test-nhanh-truong.xlsx', await workbook());
    const b = xlsxOf(
      'phong-xn-mau-b.xlsx',
      await xlsxFile(
        [
          ['Họ tên HS', 'NS', 'Mã xã', 'Loại XN', 'Kết luận', 'Giờ lấy mẫu'],
          ['Cà Văn Pọm', 2010, COMMUNE_CODE, 'Test nhanh', '???', `${vn(yesterday)} 09:00`],
        ],
        'Mẫu B',
      ),
    );
    const mapping = page.getByTestId('mapping');
    const select = (label: string) => mapping.getByRole('combobox', { name: named(label) });
    const choose = async (f: typeof a, columns: number) => {
      await page.goto('/xet-nghiem/nhap-tep');
      await page.getByRole('heading', { name: 'Nhập kết quả từ tệp' }).waitFor();
      await page.getByTestId('saved-mapping-note').waitFor();
      await page.locator('input[type=file]').setInputFiles(f);
      await mapping.getByText(`Tệp có ${columns} cột`).waitFor();
    };
    const upload = async () => {
      await mapping.getByRole('button', { name: 'Lưu cách ghép cột và tải lên' }).click();
      await page.waitForURL(/\/xet-nghiem\/nhap-tep\/[0-9a-f-]{36}$/);
    };

    // A: mapped as the school left it (its name and sample-time columns), saved again.
    await choose(a, 9);
    await expect.poll(() => select('Họ và tên').inputValue()).toBe('Học sinh / giáo viên');
    await upload();
    // B: none of its odd headers is known; mapped by hand, then uploaded.
    await choose(b, 6);
    await expect.poll(() => select('Mã xã').inputValue()).toBe('Mã xã');
    expect(await select('Họ và tên').inputValue()).toBe('');
    // the note counts only what is pre-filled for this file, not A's 8 columns
    expect(await page.getByTestId('saved-mapping-note').innerText()).not.toContain('8 cột');
    await pick(page, select('Họ và tên'), 'Họ tên HS');
    await pick(page, select('Kết quả'), 'Kết luận');
    await pick(page, select('Ngày lấy mẫu'), 'Giờ lấy mẫu');
    await shot(page, '07b-layout-b-mapped-phone');
    await upload();
    await expect
      .poll(() => page.getByTestId('import-status').textContent(), { timeout: 30_000 })
      .toBe('Đã xong');
    // A again: its own mapping comes back, not B's (which names none of A's columns).
    await choose(a, 9);
    await expect.poll(() => select('Họ và tên').inputValue()).toBe('Học sinh / giáo viên');
    expect(await select('Ngày lấy mẫu').inputValue()).toBe('Thời điểm lấy mẫu');
    expect(await select('Kết quả').inputValue()).toBe('KQ');
    // the note counts A's saved columns, not the latest layout's
    await page.getByText('Đơn vị của bạn đã lưu cách ghép 8 cột').waitFor();
    await shot(page, '07c-layout-a-restored-phone');
    // And B again: B's.
    await choose(b, 6);
    await expect.poll(() => select('Họ và tên').inputValue()).toBe('Họ tên HS');
    expect(await select('Kết quả').inputValue()).toBe('Kết luận');
    expect(await select('Ngày lấy mẫu').inputValue()).toBe('Giờ lấy mẫu');
    await shot(page, '07d-layout-b-restored-phone');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a commune orders and samples a test; a lab pools five, the pool is positive, a retest finds the F0 (phone)', async () => {
    const admin = await e.apiLogin('admin', e.server.adminPassword);
    const lab = await e.call(admin, 'POST', '/api/v1/sites', {
      kind: 'lab',
      name: 'Phòng xét nghiệm CDC Điện Biên',
      communeCode: COMMUNE_CODE,
    });
    expect(lab.status, JSON.stringify(lab.json)).toBe(201);
    const labUser = `lab.cdc.${stamp}`;
    const u = await e.call(admin, 'POST', '/api/v1/users', {
      username: labUser,
      fullName: 'Vì Thị Ngọc',
      role: 'lab',
      jurisdiction: { level: 'site', siteId: lab.json.id },
      password: PASSWORD,
    });
    expect(u.status, JSON.stringify(u.json)).toBe(201);
    // Four residents screened by RT-PCR earlier today and sent to the lab (screening samples are
    // the ones RULES.md lets a lab pool; F1 contacts and diagnosis samples are tested singly).
    const commune = await e.apiLogin(communeUser, PASSWORD);
    const codes: string[] = [];
    for (const [i, fullName] of [
      'Lò Văn Pọm',
      'Lò Thị Xuân',
      'Cà Văn Piếng',
      'Lù Thị Dung',
    ].entries()) {
      const p = await e.call(commune, 'POST', '/api/v1/persons', {
        fullName,
        birthYear: 1980 + i,
        sex: i % 2 ? 'female' : 'male',
        address: { communeCode: COMMUNE_CODE },
      });
      expect(p.status, JSON.stringify(p.json)).toBe(201);
      const s = await e.call(commune, 'POST', '/api/v1/specimens', {
        clientId: crypto.randomUUID(),
        personId: p.json.id,
        testType: 'rt_pcr',
        reason: 'screening',
        labSiteId: lab.json.id,
        sampledAt: new Date(Date.now() - 2 * 3600_000).toISOString(),
      });
      expect(s.status, JSON.stringify(s.json)).toBe(201);
      codes.push(s.json.code);
    }

    // The commune officer orders a screening RT-PCR and takes the sample at once.
    const context = await e.newContext(PHONE);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, communeUser, PASSWORD);
    await page.goto('/xet-nghiem');
    await page.getByRole('heading', { name: 'Xét nghiệm', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Chỉ định xét nghiệm' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(named('Người được xét nghiệm')).fill('dieu thi huong');
    await page.getByRole('option', { name: /Điêu Thị Hương/ }).click();
    await dialog.getByText('Sinh năm 1990').waitFor();
    await pick(page, 'Lý do', 'Sàng lọc cộng đồng', dialog);
    expect(
      await dialog.getByRole('combobox', { name: named('Loại xét nghiệm') }).inputValue(),
    ).toBe('Xét nghiệm RT-PCR');
    await dialog.getByLabel('Lấy mẫu ngay sau khi chỉ định').check();
    await expectTranslated(page, I18N_KEY);
    await shot(page, '13-order-phone', { idle: false });
    await dialog.getByRole('button', { name: 'Chỉ định', exact: true }).click();
    const sample = page.getByRole('dialog', { name: 'Lấy mẫu' });
    await sample.getByText('Điêu Thị Hương · 1990').waitFor();
    await sample.getByLabel('Người lấy mẫu').fill('Lò Thị Hoa');
    await sample.getByLabel('Nơi lấy mẫu').fill('Trạm Y tế phường Mường Thanh');
    await sample.getByRole('button', { name: 'Lưu và in nhãn' }).click();
    await page.waitForURL(/\/xet-nghiem\/mau\/[0-9a-f-]{36}$/);
    const label = page.getByTestId('specimen-label');
    await label.getByText('Điêu Thị Hương · 1990').waitFor();
    const code = (await page.getByTestId('specimen-code').innerText()).trim();
    expect(code).toMatch(/^XN[0-9A-Z]{10}$/);
    await expect
      .poll(() => label.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(0);
    await expectTranslated(page, I18N_KEY);
    await shot(page, '14-label-phone');

    // A screening campaign at the market, for the orders of the coming days.
    await page.goto('/xet-nghiem/dot-sang-loc');
    await page.getByRole('heading', { name: 'Đợt sàng lọc', exact: true }).waitFor();
    await page.getByText('Chưa có đợt sàng lọc nào').waitFor();
    await page.getByLabel(named('Tên đợt')).fill('Sàng lọc chợ Mường Thanh');
    await pick(page, 'Nơi sàng lọc', 'Chợ');
    await page.getByLabel('Từ ngày').pressSequentially(vn(yesterday).replace(/\//g, ''));
    await page.getByRole('button', { name: 'Tạo đợt' }).click();
    await page.getByText('Sàng lọc chợ Mường Thanh', { exact: true }).waitFor();
    await page.getByText(`Từ ${vn(yesterday)}`).waitFor();
    await expectTranslated(page, I18N_KEY);
    await shot(page, '14b-campaigns-phone');
    expect(errors).toEqual([]);
    await context.close();

    // The lab pools the five specimens by typing (scanning) their codes.
    const lctx = await e.newContext(PHONE);
    const lp = await lctx.newPage();
    const lerrors = watch(lp);
    await login(lp, labUser, PASSWORD);
    await openMenu(lp);
    await lp.getByRole('navigation').getByRole('link', { name: 'Gộp mẫu' }).click();
    await lp.getByRole('heading', { name: 'Gộp mẫu', exact: true }).waitFor();
    const scan = lp.getByLabel('Mã mẫu');
    for (const c of [...codes, code]) {
      await scan.fill(c.toLowerCase());
      await scan.press('Enter');
    }
    await expect.poll(() => lp.getByTestId('pool-count').innerText()).toBe('5 / 5 mẫu');
    await shot(lp, '15-pool-new-phone');
    await lp.getByRole('button', { name: 'Tạo mẫu gộp' }).last().click();
    await lp.waitForURL(/\/gop-mau\/[0-9a-f-]{36}$/);
    await lp.getByText('Kết quả mẫu gộp', { exact: true }).waitFor();
    await lp.getByText('Dương tính', { exact: true }).click();
    await lp.getByRole('button', { name: 'Lưu kết quả mẫu gộp' }).click();
    await lp.getByText('Mẫu gộp dương tính', { exact: true }).waitFor();
    const members = lp.getByTestId('pool-members');
    await expect.poll(() => members.getByText('Xét nghiệm lại đơn: Đã lấy mẫu').count()).toBe(5);
    await expectTranslated(lp, I18N_KEY);
    await shot(lp, '16-pool-positive-phone');
    // The retest of Điêu Thị Hương's specimen is positive: RT-PCR, so a case is opened.
    const row = members
      .getByText(`5. ${code}`)
      .locator('xpath=ancestor::div[contains(@class,"mantine-Paper-root")][1]');
    await row.getByRole('button', { name: 'Nhập kết quả' }).click();
    const rdialog = lp.getByRole('dialog', { name: 'Nhập kết quả' });
    expect(await rdialog.getByLabel(named('Mã mẫu')).inputValue()).toBe(code);
    await rdialog.getByText('Dương tính', { exact: true }).click();
    await rdialog.getByRole('button', { name: 'Lưu kết quả' }).click();
    await rdialog.getByText('Xác định ca bệnh (F0): đã mở hồ sơ ca bệnh').waitFor();
    await shot(lp, '17-retest-f0-phone');
    await rdialog.getByRole('button', { name: 'Đóng' }).click();
    await row.getByText('Dương tính', { exact: true }).waitFor();
    await expect
      .poll(() => lp.getByTestId('pool-status').textContent())
      .toBe('Dương tính · chờ xét nghiệm lại');

    // Capacity and today's load.
    await lp.goto('/phong-xet-nghiem');
    const card = lp.getByTestId('lab-card');
    await card.getByText('Chưa khai báo công suất').waitFor();
    await card.getByLabel('Mẫu đơn / ngày').fill('1500');
    await card.getByLabel('Mẫu gộp / ngày').fill('10000');
    await card.getByRole('button', { name: 'Lưu công suất' }).click();
    await card.getByText('Mẫu gộp: 5 / 10.000').waitFor();
    await expectTranslated(lp, I18N_KEY);
    await shot(lp, '18-lab-load-phone');
    await lp.goto('/xet-nghiem/so-lieu');
    await lp.getByTestId('stat-tests').getByText('1', { exact: true }).waitFor();
    await expectTranslated(lp, I18N_KEY);
    await shot(lp, '19-stats-lab-phone');
    expect(lerrors).toEqual([]);
    await lctx.close();
  });

  test('the commune prints the lookup slip; the citizen reads the result with its code only (phone)', async () => {
    const staff = await e.newContext(PHONE);
    const sp = await staff.newPage();
    const serrors = watch(sp);
    await login(sp, communeUser, PASSWORD);
    await sp.goto(`/xet-nghiem/mau/${specimenId}`);
    const slip = sp.getByTestId('lookup-slip');
    await slip.getByText('Phiếu tra cứu kết quả').waitFor();
    expect((await slip.getByTestId('lookup-code').innerText()).replace(/-/g, '')).toBe(lookupCode);
    await expectTranslated(sp, I18N_KEY);
    await shot(sp, '09-lookup-slip-phone');
    expect(serrors).toEqual([]);
    await staff.close();

    const context = await e.newContext(PHONE);
    const page = await context.newPage();
    const errors = watch(page);
    await page.goto('/tra-cuu-ket-qua');
    await page.getByRole('heading', { name: 'Tra cứu kết quả xét nghiệm' }).waitFor();
    await expectTranslated(page, I18N_KEY);
    await shot(page, '10-lookup-phone');
    // The label code on the tube is not a lookup code; a code nobody holds finds nothing.
    await page.getByLabel(named('Mã tra cứu')).fill(labelCode);
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await page.getByText('Mã tra cứu gồm 20 chữ số và chữ A–F').waitFor();
    await page.getByLabel(named('Mã tra cứu')).fill('FFFF-FFFF-FFFF-FFFF-FFFF');
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await page
      .getByTestId('lookup-error')
      .getByText(/Không tìm thấy kết quả với mã này/)
      .waitFor();
    await shot(page, '11-lookup-wrong-code-phone');
    // The slip's QR opens the page with the code after '#': filled in, never sent in a URL.
    await page.goto(`/tra-cuu-ket-qua#ma=${lookupCode.toLowerCase()}`);
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    const card = page.getByTestId('lookup-result');
    await card.getByText('Âm tính', { exact: true }).waitFor();
    await card.getByText('Test nhanh kháng nguyên').waitFor();
    expect(await card.innerText()).toMatch(/Lấy mẫu lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
    expect(await card.innerText()).not.toContain('Điêu Thị Hương');
    // The page fits the phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE.width,
    );
    await expectTranslated(page, I18N_KEY);
    await shot(page, '12-lookup-result-phone');
    expect(errors).toEqual([]);
    await context.close();
  });
});
