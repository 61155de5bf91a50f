/**
 * The rejected rows of an upload as an XLSX to correct and upload again: row number, name and
 * the reason in the reader's language (exceljs, loaded on demand). The server keeps no copy of
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
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(labels.sheet);
  ws.columns = [
    { header: labels.row, key: 'row', width: 14 },
    { header: labels.name, key: 'name', width: 30 },
    { header: labels.reason, key: 'reason', width: 80 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const l of rows)
    ws.addRow({ row: l.row, name: l.fullName ?? '', reason: rowMessage(l, lang) });
  const buf = await wb.xlsx.writeBuffer();
  const url = URL.createObjectURL(
    new Blob([buf], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
  );
  const a = document.createElement('a');
  a.href = url;
  a.download = `${fileName.replace(/\.(csv|xlsx)$/i, '')}-${lang === 'en' ? 'rejected' : 'dong-bi-tu-choi'}.xlsx`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return rows.length;
}
