/**
 * The column headers of a chosen file and its first rows, read in the browser so the uploader
 * can map them — seeing what each column holds — before sending: the first lines of a CSV, the
 * first rows of an XLSX's first sheet (src/domain/xlsx-read.ts, loaded only when an XLSX is
 * chosen, reading no further than the rows shown). Header keys
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
  const { xlsxRows } = await import('../../domain/xlsx-read.ts');
  const table: string[][] = [];
  const dmy = (v: string) =>
    /^\d{4}-\d{2}-\d{2}/.test(v)
      ? `${v.slice(8, 10)}/${v.slice(5, 7)}/${v.slice(0, 4)}${v.slice(10).replace('T', ' ')}`
      : v;
  read: for (const batch of xlsxRows(new Uint8Array(await file.arrayBuffer())))
    for (const r of batch) {
      if (r.row > SAMPLE_ROWS + 6) break read;
      table[r.row - 1] = Array.from(r.cells, (v) => dmy(v ?? ''));
    }
  return sample(Array.from(table, (r) => r ?? []));
}
