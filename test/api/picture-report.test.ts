import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import JSZip from 'jszip';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/server/auth/passwords.ts';
import { insertUser } from '../../src/server/users/routes.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * The steering committee's report: records loaded to match seed 002 (Lạng Sơn, 2021: the
 * first wave counted 124 cases in Hữu Lũng, the second 88 in Văn Lãng) come back in the
 * report's table by district; the DOCX opens in LibreOffice and its text holds the figures;
 * the prose edited before export is in it.
 */
const run = promisify(execFile);
const HUU_LUNG = { district: '186', commune: '06385' };
const VAN_LANG = { district: '182', commune: '' };
let t: TestApp;
let tinh: string;
let dir: string;

async function loadCases(
  d: { district: string; commune: string },
  n: number,
  from: string,
  tag: string,
) {
  await t.db.query(
    `WITH p AS (
       INSERT INTO persons (full_name, search_name, birth_year, sex, province_code, district_code, commune_code,
                            registered_province_code)
       SELECT 'Người ' || $5 || g, 'nguoi ' || $5 || g, 1980, 'male', '20', $1, $2, '20'
         FROM generate_series(1, $3::int) g RETURNING id)
     INSERT INTO cases (code, person_id, province_code, district_code, commune_code, current_province_code,
                        current_district_code, current_commune_code, home_province_code, home_district_code,
                        home_commune_code, positive_sample_at, found_by, decision, source)
     SELECT 'F0-' || $5 || row_number() OVER (), id, '20', $1, $2, '20', $1, $2, '20', $1, $2,
            $4::timestamptz + (row_number() OVER () % 50) * interval '1 day', 'community',
            '{"ruleSetId":"test","ruleId":"test","explanation":{"vi":"","en":""}}', '{"kind":"manual"}'
       FROM p`,
    [d.district, d.commune, n, from, tag],
  );
}

beforeAll(async () => {
  t = await startTestApp();
  // the test database's administrator belongs to Điện Biên: Lạng Sơn's officer is seeded directly
  await insertUser(t.db, {
    username: 'bcd.langson',
    fullName: 'Văn phòng BCĐ tỉnh Lạng Sơn',
    passwordHash: await hashPassword('password-123'),
    role: 'province',
    scope: { level: 'province', provinceCode: '20' },
    createdBy: null,
  });
  tinh = await t.login('bcd.langson', 'password-123');
  const [vl] = await t.db.query<{ code: string }>(
    `SELECT code FROM admin_units WHERE parent_code = '182' ORDER BY code LIMIT 1`,
  );
  VAN_LANG.commune = vl!.code;
  await loadCases(HUU_LUNG, 124, '2021-05-08T08:00:00+07:00', 'hl');
  await loadCases(VAN_LANG, 88, '2021-07-20T08:00:00+07:00', 'vl');
  // and one case in the reporting week
  await loadCases(HUU_LUNG, 3, '2021-11-20T08:00:00+07:00', 'w');
  dir = await mkdtemp(join(tmpdir(), 'epiguard-report-'));
}, 120_000);
afterAll(() => t?.close());

describe(`the steering committee's report on ${ENGINE}`, () => {
  it("reproduces seed 002's figures by district from the records", async () => {
    const r = await t.as(tinh, 'GET', '/api/v1/reports/steering?from=2021-11-17&to=2021-11-23');
    expect(r.statusCode, r.body).toBe(200);
    const by = Object.fromEntries(r.json().byDistrict.map((d: { code: string }) => [d.code, d]));
    expect(by['186']).toMatchObject({ name: 'Huyện Hữu Lũng', cumulative: 127, period: 3 });
    expect(by['182']).toMatchObject({ name: 'Huyện Văn Lãng', cumulative: 88, period: 0 });
    expect(r.json().cases).toMatchObject({ total: 3, cumulative: 215 });
  });

  it('answers 400 naming the field for a bad period', async () => {
    const r = await t.as(
      tinh,
      'GET',
      '/api/v1/reports/steering.docx?from=2021-11-23&to=2021-11-17',
    );
    expect(r.statusCode).toBe(400);
    expect(r.json().fields[0].path).toBe('to');
    const other = await t.as(
      tinh,
      'GET',
      '/api/v1/reports/steering.docx?from=2021-11-17&to=2021-11-23&unit=11',
    );
    expect(other.statusCode).toBe(404);
  });

  it('the DOCX opens in LibreOffice and holds the figures and the edited prose', async () => {
    const r = await t.as(tinh, 'POST', '/api/v1/reports/steering.docx', {
      from: '2021-11-17',
      to: '2021-11-23',
      prose: {
        number: '215/BC-BCĐ',
        difficulties: 'Nguồn test nhanh tại các huyện biên giới còn thiếu.',
        tasks: 'Tiếp tục tiêm vắc xin cho trẻ em từ 12 - 17 tuổi.',
        signerName: 'Hồ Tiến Thiệu',
      },
    });
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    expect(r.headers['content-type']).toContain('wordprocessingml');
    const docx = join(dir, `report-${ENGINE}.docx`);
    await writeFile(docx, r.rawPayload);
    const pdf = docx.replace(/\.docx$/, '.pdf');
    // LibreOffice on a loaded machine now and then exits without writing the PDF: try twice, and
    // say what it printed if it still has not.
    let said = '';
    for (let attempt = 1; attempt <= 2 && !existsSync(pdf); attempt++) {
      const out = await run(
        'soffice',
        [
          '--headless',
          `-env:UserInstallation=file://${dir}/lo-${attempt}`,
          '--convert-to',
          'pdf',
          '--outdir',
          dir,
          docx,
        ],
        { timeout: 120_000 },
      ).catch((e: { stdout?: string; stderr?: string; message: string }) => e);
      said += `\n#${attempt}: ${out.stdout ?? ''} ${out.stderr ?? ''} ${'message' in out ? out.message : ''}`;
    }
    expect(existsSync(pdf), `soffice wrote no PDF:${said}`).toBe(true);
    const { stdout: text } = await run('pdftotext', ['-layout', pdf, '-']);
    // the reading order, lines joined: a cell's text wraps where this machine's fonts are wider
    const flow = (await run('pdftotext', [pdf, '-'])).stdout.replace(/\s+/g, ' ');
    expect(flow).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(flow).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(flow).toContain('Số: 215/BC-BCĐ');
    expect(flow).toContain('BÁO CÁO');
    expect(text).toMatch(/Huyện Hữu Lũng\s+3\s+127/);
    expect(text).toMatch(/Huyện Văn Lãng\s+0\s+88/);
    expect(flow).toContain('Nguồn test nhanh tại các huyện biên giới còn thiếu.');
    expect(flow).toContain('Hồ Tiến Thiệu');
    expect(flow).toContain('Nơi nhận:');
    // the document asks for Times New Roman 14 pt (LibreOffice substitutes it where it is absent)
    const styles = await (
      await JSZip.loadAsync(r.rawPayload)
    )
      .file('word/styles.xml')!
      .async('text');
    expect(styles).toMatch(/w:ascii="Times New Roman"/);
    expect(styles).toMatch(/<w:sz w:val="28"\/>/);
    // a fresh clone has no test-results/ yet (the browser suites make it only when they run first)
    await mkdir('test-results', { recursive: true });
    await run('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '2',
      pdf,
      `test-results/picture-report-${ENGINE}`,
    ]);
    expect((await readFile(`test-results/picture-report-${ENGINE}-1.png`)).length).toBeGreaterThan(
      1000,
    );
  }, 180_000);
});
