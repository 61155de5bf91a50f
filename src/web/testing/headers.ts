/**
 * The column headers of a chosen file, read in the browser so the uploader can map them before
 * sending: the first line of a CSV, the first row of an XLSX's first sheet (exceljs, loaded only
 * when an XLSX is chosen). Header keys are folded like the server's (src/server/tabular.ts).
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

function unique(labels: string[]): FileHeader[] {
  const seen = new Set<string>();
  const out: FileHeader[] = [];
  for (const label of labels.map((l) => l.trim())) {
    const key = headerKey(label);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push({ label, key });
  }
  return out;
}

export async function readHeaders(file: File): Promise<FileHeader[]> {
  if (/\.csv$/i.test(file.name)) {
    const head = await file.slice(0, 64 * 1024).text();
    const first = (head.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '').trim();
    const sep = [',', ';', '\t'].sort((a, b) => first.split(b).length - first.split(a).length)[0]!;
    return unique(splitCsvLine(first, sep));
  }
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await file.arrayBuffer());
  const ws = wb.worksheets[0];
  if (!ws) return [];
  const labels: string[] = [];
  ws.getRow(1).eachCell((cell) => {
    const v = cell.value;
    labels.push(
      v === null || v === undefined
        ? ''
        : typeof v === 'object' && 'richText' in v
          ? v.richText.map((r) => r.text).join('')
          : typeof v === 'object' && 'text' in v
            ? String(v.text)
            : String(v),
    );
  });
  return unique(labels);
}
