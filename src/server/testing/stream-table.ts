/**
 * Reads an uploaded CSV or XLSX file row by row, in chunks, without building the whole table:
 * exceljs's streaming reader for XLSX, papaparse with pause/resume for CSV. Memory stays at
 * one chunk of rows beside the file itself, however many rows it has.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { headerKey, type TableRow } from '../tabular.ts';

export const isXlsx = (data: Buffer, filename: string) =>
  /\.xlsx$/i.test(filename) || data.subarray(0, 2).toString('latin1') === 'PK';

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    // A date cell: exceljs gives the wall-clock time as UTC; keep it as a local date-time.
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 16);
  }
  if (typeof v === 'object') {
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    return '';
  }
  return String(v);
}

/** Yields chunks of at most `size` non-empty data rows (header row excluded, row numbers 1-based as in the file). */
export async function* streamTable(
  data: Buffer,
  filename: string,
  size = 1000,
): AsyncGenerator<{ headers: string[]; rows: TableRow[] }> {
  if (isXlsx(data, filename)) {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([data]), {
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'cache',
      worksheets: 'emit',
    });
    let headers: string[] = [];
    let chunk: TableRow[] = [];
    for await (const ws of reader) {
      for await (const r of ws as AsyncIterable<ExcelJS.Row>) {
        if (r.number === 1) {
          headers = [];
          r.eachCell((cell, col) => (headers[col] = headerKey(cellText(cell.value))));
          continue;
        }
        const values: Record<string, string> = {};
        r.eachCell((cell, col) => {
          const h = headers[col];
          if (h) values[h] = cellText(cell.value).trim();
        });
        if (Object.values(values).some((v) => v !== '')) chunk.push({ row: r.number, values });
        if (chunk.length >= size) {
          yield { headers: headers.filter(Boolean), rows: chunk };
          chunk = [];
        }
      }
      break; // the first sheet only
    }
    if (chunk.length) yield { headers: headers.filter(Boolean), rows: chunk };
    return;
  }
  const text = data.toString('utf8').replace(/^\uFEFF/, '');
  let headers: string[] = [];
  let buffer: TableRow[] = [];
  let done = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  let parser: Papa.Parser | null = null;
  let rowNo = 1;
  let paused = false;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  Papa.parse<Record<string, string>>(text, {
    header: true,
    // Empty lines are counted (a spreadsheet shows them as rows, and the report must name the
    // row the user sees), then left out.
    skipEmptyLines: false,
    transformHeader: headerKey,
    transform: (v) => v.trim(),
    step: (res, p) => {
      parser = p;
      rowNo++;
      if (!headers.length) headers = res.meta.fields ?? [];
      if (!Object.values(res.data).some((v) => typeof v === 'string' && v !== '')) return;
      buffer.push({ row: rowNo, values: res.data });
      if (buffer.length >= size) {
        paused = true;
        p.pause();
        notify();
      }
    },
    complete: () => {
      done = true;
      notify();
    },
    error: (err: Error) => {
      failure = err;
      done = true;
      notify();
    },
  });
  for (;;) {
    if (buffer.length >= size || (done && buffer.length)) {
      const out = buffer.slice(0, size);
      buffer = buffer.slice(size);
      yield { headers, rows: out };
      continue;
    }
    if (failure) throw failure;
    if (done) return;
    const p = parser as Papa.Parser | null;
    await new Promise<void>((resolve) => {
      wake = resolve;
      if (p && paused) {
        paused = false;
        p.resume();
      }
    });
  }
}
