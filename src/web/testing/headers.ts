/**
 * The column headers of a chosen file and its first rows, read in the browser so the uploader
 * can map them — seeing what each column holds — before sending: the first lines of a CSV, the
 * first rows of an XLSX's first sheet (exceljs, loaded only when an XLSX is chosen). Header keys
 * are folded like the server's (src/server/tabular.ts).
 */
import { fold } from '../../domain/text.ts';

export interface FileHeader {
  /** As written in the file: "Họ và tên" */
  label: string;
  /** As the server matches it: "ho_va_ten" */
  key: string;
}

export const headerKey = (h: string) =>
  fold(h)
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

function splitCsvLine(line: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** The headers (first of a repeated or empty one kept) and, per header, its column index. */
function unique(labels: string[]): { header: FileHeader; col: number }[] {
  const seen = new Set<string>();
  const out: { header: FileHeader; col: number }[] = [];
  labels.forEach((raw, col) => {
    const label = raw.trim();
    const key = headerKey(label);
    if (!key || seen.has(key)) return;
    seen.add(key);
    out.push({ header: { label, key }, col });
  });
  return out;
}

/** The headers of a file and its first rows, each row keyed by header key. */
export interface FileSample {
  headers: FileHeader[];
  rows: Record<string, string>[];
}

export const SAMPLE_ROWS = 3;

function sample(table: string[][]): FileSample {
  const cols = unique(table[0] ?? []);
  const rows = table
    .slice(1)
    .filter((r) => r.some((v) => v.trim()))
    .slice(0, SAMPLE_ROWS)
    .map((r) => Object.fromEntries(cols.map((c) => [c.header.key, (r[c.col] ?? '').trim()])));
  return { headers: cols.map((c) => c.header), rows };
}

const cellText = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    const d = v.toISOString();
    return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
  }
  if (typeof v === 'object' && 'richText' in v)
    return (v as { richText: { text: string }[] }).richText.map((r) => r.text).join('');
  if (typeof v === 'object' && 'text' in v) return String((v as { text: unknown }).text);
  if (typeof v === 'object' && 'result' in v) return cellText((v as { result: unknown }).result);
  return String(v as string | number | boolean);
};

/** The header row and the first rows of a CSV or of an XLSX's first sheet. */
export async function readSample(file: File): Promise<FileSample> {
  if (/\.csv$/i.test(file.name)) {
    const head = await file.slice(0, 64 * 1024).text();
    const lines = head.replace(/^\uFEFF/, '').split(/\r?\n/);
    const first = (lines[0] ?? '').trim();
    const sep = [',', ';', '\t'].sort((a, b) => first.split(b).length - first.split(a).length)[0]!;
    // The last line of the slice may be cut: only whole lines before it are shown.
    const whole = lines.length > SAMPLE_ROWS + 2 ? lines.slice(0, SAMPLE_ROWS + 2) : lines;
    return sample(whole.map((l) => splitCsvLine(l, sep)));
  }
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await file.arrayBuffer());
  const ws = wb.worksheets[0];
  if (!ws) return { headers: [], rows: [] };
  const table: string[][] = [];
  for (let r = 1; r <= Math.min(ws.rowCount, SAMPLE_ROWS + 6); r++) {
    const row: string[] = [];
    ws.getRow(r).eachCell({ includeEmpty: true }, (cell, col) => {
      row[col - 1] = cellText(cell.value);
    });
    table.push(Array.from(row, (v) => v ?? ''));
  }
  return sample(table);
}
