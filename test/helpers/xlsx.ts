/**
 * XLSX files in tests: written with write-excel-file (as a lab's spreadsheet program would,
 * numbers as numbers) and read back with the product's own reader (src/domain/xlsx-read.ts).
 */
import writeXlsxFile, { type Cell } from 'write-excel-file/node';
import { xlsxRows, xlsxSheetNames } from '../../src/domain/xlsx-read.ts';

/** One sheet named `sheet` holding `rows` (the first row being the headers). */
export async function xlsxFile(rows: Cell[][], sheet = 'Sheet1'): Promise<Buffer> {
  return writeXlsxFile(rows, { sheet }).toBuffer();
}

/** A sheet's rows as text by 0-based column ('' for an empty cell), from row 1 on. */
export function readSheet(data: Uint8Array, sheet?: string): string[][] {
  const out: string[][] = [];
  for (const batch of xlsxRows(data, sheet ? { sheet } : {}))
    for (const r of batch) out[r.row - 1] = Array.from(r.cells, (c) => c ?? '');
  return Array.from(out, (r) => r ?? []);
}

export { xlsxSheetNames };
