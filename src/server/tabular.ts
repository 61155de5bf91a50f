import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import Papa from 'papaparse';
import writeXlsxFile, { type Cell, type SheetData } from 'write-excel-file/node';
import { XlsxError, xlsxRows } from '../domain/xlsx-read.ts';
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

/** Reads the first sheet of an XLSX file or a CSV file (UTF-8, comma or semicolon). */
export async function readTable(data: Buffer, filename: string): Promise<TableRow[]> {
  const isXlsx = /\.xlsx$/i.test(filename) || data.subarray(0, 2).toString('latin1') === 'PK';
  if (isXlsx) {
    const out: TableRow[] = [];
    let headers: string[] = [];
    try {
      for (const batch of xlsxRows(data))
        for (const r of batch) {
          if (r.row === 1) {
            headers = r.cells.map(headerKey);
            continue;
          }
          const values: Record<string, string> = {};
          r.cells.forEach((c, col) => {
            const h = headers[col];
            if (h) values[h] = c.trim();
          });
          if (Object.values(values).some((v) => v !== '')) out.push({ row: r.row, values });
        }
    } catch (err) {
      if (!(err instanceof XlsxError)) throw err;
      throw badRequest('file: không đọc được tệp XLSX', [
        { path: 'file', message: 'Tệp XLSX hỏng hoặc không đúng định dạng' },
      ]);
    }
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

/** A cell of an export: a value, or a value with its look. */
export type XlsxCell =
  | string
  | number
  | Date
  | boolean
  | null
  | undefined
  | { value: string | number | Date | null; bold?: boolean; color?: string };

/** A sheet of an export: its name, rows, the rows shown bold (0-based) and column widths. */
export interface XlsxSheet {
  name: string;
  rows: XlsxCell[][];
  boldRows?: number[];
  widths?: number[];
}

/**
 * The bytes of an XLSX export (write-excel-file), every text cell first made safe (see
 * `safeCell`); numbers and dates stay numbers and dates (dates shown dd/mm/yyyy).
 */
export async function xlsxBuffer(sheets: XlsxSheet[]): Promise<Buffer> {
  const data = (s: XlsxSheet): SheetData => {
    const bold = new Set(s.boldRows ?? []);
    return s.rows.map((row, i) =>
      row.map((c): Cell => {
        const o = c !== null && typeof c === 'object' && !(c instanceof Date) ? c : { value: c };
        const v = o.value ?? null;
        if (v === null || v === undefined || v === '') return null;
        return {
          value: typeof v === 'string' ? safeCell(v) : v,
          ...(v instanceof Date ? { format: 'dd/mm/yyyy' } : {}),
          ...(('bold' in o && o.bold) || bold.has(i) ? { fontWeight: 'bold' as const } : {}),
          ...('color' in o && o.color ? { textColor: o.color } : {}),
        };
      }),
    );
  };
  return writeXlsxFile(
    sheets.map((s) => ({
      sheet: s.name,
      data: data(s),
      ...(s.widths ? { columns: s.widths.map((width) => ({ width })) } : {}),
    })),
  ).toBuffer();
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
