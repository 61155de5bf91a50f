/**
 * Reads an uploaded CSV or XLSX file row by row, in chunks, without building the whole table:
 * the streaming XLSX reader of src/domain/xlsx-read.ts, papaparse with pause/resume for CSV. Memory stays at
 * one chunk of rows beside the file itself, however many rows it has.
 */
import Papa from 'papaparse';
import { XlsxError, xlsxRows } from '../../domain/xlsx-read.ts';
import { headerKey, type TableRow } from '../tabular.ts';
import { UPLOAD_LIMITS } from './upload-limits.ts';

export const isXlsx = (data: Buffer, filename: string) =>
  /\.xlsx$/i.test(filename) || data.subarray(0, 2).toString('latin1') === 'PK';

/** Yields chunks of at most `size` non-empty data rows (header row excluded, row numbers 1-based as in the file). */
export async function* streamTable(
  data: Buffer,
  filename: string,
  size = 1000,
): AsyncGenerator<{ headers: string[]; rows: TableRow[] }> {
  if (isXlsx(data, filename)) {
    let headers: string[] = [];
    let chunk: TableRow[] = [];
    try {
      for (const batch of xlsxRows(data, { maxExpandedBytes: UPLOAD_LIMITS.expandedBytes })) {
        for (const r of batch) {
          if (r.row === 1) {
            headers = r.cells.map((c) => headerKey(c));
            continue;
          }
          const values: Record<string, string> = {};
          r.cells.forEach((c, col) => {
            const h = headers[col];
            if (h) values[h] = c.trim();
          });
          if (Object.values(values).some((v) => v !== '')) chunk.push({ row: r.row, values });
          if (chunk.length >= size) {
            yield { headers: headers.filter(Boolean), rows: chunk };
            chunk = [];
          }
        }
      }
    } catch (err) {
      if (!(err instanceof XlsxError)) throw err;
      throw new Error(
        err.tooLarge
          ? `Tệp XLSX khi giải nén vượt ${Math.round(UPLOAD_LIMITS.expandedBytes / 1048576)} MB: hãy chia thành nhiều tệp`
          : `Tệp XLSX hỏng hoặc không đúng định dạng (${err.message})`,
      );
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
