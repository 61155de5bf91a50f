/**
 * The rejected rows of an upload as an XLSX to correct and upload again: row number, name and
 * the reason in the reader's language (write-excel-file, loaded on demand). The server keeps no copy of
 * the file once it is read, so the rows are what the report holds.
 */
import { api, qs } from '../api.ts';
import type { ImportDetail, ImportRowLine } from './types.ts';

export async function rejectedRows(importId: string): Promise<ImportRowLine[]> {
  const out: ImportRowLine[] = [];
  let after: number | null = 0;
  while (after !== null) {
    const page: ImportDetail = await api<ImportDetail>(
      `/api/v1/result-imports/${importId}${qs({ afterRow: after, limit: 500, status: 'rejected' })}`,
    );
    out.push(...page.rows);
    after = page.nextAfterRow;
  }
  return out;
}

export const rowMessage = (l: ImportRowLine, lang: string) =>
  (lang === 'en' ? (l.messageEn ?? l.message) : l.message) ?? '';

export async function downloadRejected(
  importId: string,
  fileName: string,
  lang: string,
  labels: { sheet: string; row: string; name: string; reason: string },
) {
  const rows = await rejectedRows(importId);
  const { default: writeXlsxFile } = await import('write-excel-file/universal');
  const bold = (value: string) => ({ value, fontWeight: 'bold' as const });
  const blob = await writeXlsxFile(
    [
      [bold(labels.row), bold(labels.name), bold(labels.reason)],
      ...rows.map((l) => [l.row, l.fullName ?? '', rowMessage(l, lang)]),
    ],
    { sheet: labels.sheet, columns: [{ width: 14 }, { width: 30 }, { width: 80 }] },
  ).toBlob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${fileName.replace(/\.(csv|xlsx)$/i, '')}-${lang === 'en' ? 'rejected' : 'dong-bi-tu-choi'}.xlsx`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return rows.length;
}
