import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { FastifyRequest } from 'fastify';
import Papa from 'papaparse';
import { fold } from '../domain/text.ts';
import { SESSION_COOKIE } from './auth/sessions.ts';
import { badRequest } from './errors.ts';

/** A spreadsheet row as header → cell text, with its 1-based row number in the file. */
export interface TableRow {
  row: number;
  values: Record<string, string>;
}

/** Header names folded to snake case without accents: "Mã xã" → "ma_xa". */
export const headerKey = (h: string) =>
  fold(h)
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    return '';
  }
  return String(v);
}

/** Reads the first sheet of an XLSX file or a CSV file (UTF-8, comma or semicolon). */
export async function readTable(data: Buffer, filename: string): Promise<TableRow[]> {
  const isXlsx = /\.xlsx$/i.test(filename) || data.subarray(0, 2).toString('latin1') === 'PK';
  if (isXlsx) {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(data as unknown as ArrayBuffer);
    } catch {
      throw badRequest('file: không đọc được tệp XLSX', [
        { path: 'file', message: 'Tệp XLSX hỏng hoặc không đúng định dạng' },
      ]);
    }
    const ws = wb.worksheets[0];
    if (!ws) return [];
    const headers: string[] = [];
    ws.getRow(1).eachCell((cell, col) => (headers[col] = headerKey(cellText(cell.value))));
    const out: TableRow[] = [];
    ws.eachRow((r, rowNumber) => {
      if (rowNumber === 1) return;
      const values: Record<string, string> = {};
      r.eachCell((cell, col) => {
        const h = headers[col];
        if (h) values[h] = cellText(cell.value).trim();
      });
      if (Object.values(values).some((v) => v !== '')) out.push({ row: rowNumber, values });
    });
    return out;
  }
  const text = data.toString('utf8').replace(/^\uFEFF/, '');
  const parsed = Papa.parse<Record<string, string>>(text, {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: headerKey,
    transform: (v) => v.trim(),
  });
  return parsed.data.map((values, i) => ({ row: i + 2, values }));
}

/**
 * A cell a spreadsheet program would run as a formula (text beginning with = + - @, a tab or a
 * carriage return: "=HYPERLINK(…)" in a village name) is written as text, with a leading
 * apostrophe (OWASP "CSV injection"). Numbers, dates and other text pass unchanged. Every export
 * goes through here: `toCsv` and `xlsxBuffer`.
 */
export function safeCell<T>(v: T): T | string {
  return typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/** Writes rows as CSV with a BOM so that Excel opens Vietnamese text correctly. */
export function toCsv(rows: Record<string, unknown>[], columns: string[]): string {
  return (
    '\uFEFF' +
    Papa.unparse({
      fields: columns,
      data: rows.map((r) => columns.map((c) => safeCell(r[c] ?? ''))),
    })
  );
}

/** The bytes of an XLSX export, every text cell first made safe (see `safeCell`). */
export async function xlsxBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  wb.eachSheet((ws) =>
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        if (typeof cell.value === 'string') cell.value = safeCell(cell.value);
      }),
    ),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * Exports have a limit of their own, per user (their session; the address when there is none):
 * a file is read in one go from many rows, and a burst of downloads is not a way of working.
 */
export const EXPORT_RATE_LIMIT = {
  rateLimit: {
    max: 10,
    timeWindow: '1 minute',
    keyGenerator: (req: FastifyRequest) =>
      `export:${req.cookies?.[SESSION_COOKIE] ? createHash('sha256').update(req.cookies[SESSION_COOKIE]).digest('hex') : req.ip}`,
  },
};
