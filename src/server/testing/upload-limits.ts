/**
 * Limits on uploaded result files (issue 14.2), checked before anything reads the file: its
 * size as sent, and for an XLSX (a ZIP archive) the size its parts expand to, read from the
 * archive's central directory — a 9 MB XLSX can expand to a 145 MB sheet. Rows, columns and
 * cells are counted by the parser thread as it streams (a central directory can lie: the thread
 * also runs with a memory ceiling).
 */
import { zipEntries } from '../../domain/xlsx-read.ts';
import { AppError, fieldError } from '../errors.ts';

const MB = 1024 * 1024;
export const UPLOAD_LIMITS = {
  /** The file as sent. */
  fileBytes: 20 * MB,
  /** An XLSX's parts once decompressed (a 100,000-row results file is ~40 MB). */
  expandedBytes: 100 * MB,
  /** Data rows (the header excluded). */
  rows: 200_000,
  columns: 60,
  cells: 4_000_000,
  /** Heap of the thread that reads the file. */
  parserHeapMb: 384,
};

const fmtMb = (n: number) => `${Math.round(n / MB)} MB`;
export const tooLarge = (message: string) =>
  new AppError(413, 'too_large', `file: ${message}`, [{ path: 'file', message }]);

export const fileTooLarge = () =>
  tooLarge(`Tệp quá lớn: tối đa ${fmtMb(UPLOAD_LIMITS.fileBytes)} (hãy chia thành nhiều tệp)`);

/**
 * The total size the entries of a ZIP archive expand to, from its central directory; null when
 * the data is not a ZIP archive; Infinity for a ZIP64 archive (an entry of 4 GB or more, or more
 * than 65,535 entries — never a results file).
 */
export function zipExpandedSize(buf: Buffer): number | null {
  const entries = zipEntries(buf);
  if (entries === 'zip64') return Infinity;
  return entries && entries.reduce((sum, e) => sum + e.size, 0);
}

/** Lines of a CSV file (an upper bound of its rows), counted without decoding it. */
export function countLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  return buf.length && buf[buf.length - 1] !== 10 ? n + 1 : n;
}

/** Refuses a file over the limits that can be seen without reading it: 413 naming the limit. */
export function checkUpload(data: Buffer, xlsx: boolean): void {
  if (data.length > UPLOAD_LIMITS.fileBytes) throw fileTooLarge();
  if (xlsx) {
    const expanded = zipExpandedSize(data);
    if (expanded === null)
      throw fieldError(
        'file',
        'Tệp XLSX hỏng hoặc không đúng định dạng (không phải tệp Excel .xlsx)',
      );
    if (expanded > UPLOAD_LIMITS.expandedBytes)
      throw tooLarge(
        `Tệp XLSX khi giải nén quá lớn: ${expanded === Infinity ? 'trên 4 GB' : fmtMb(expanded)}, tối đa ${fmtMb(UPLOAD_LIMITS.expandedBytes)}`,
      );
    return;
  }
  // Rows of a CSV: the header is one line, so more lines than the limit + 1 are too many
  // (empty lines included; the parser thread counts the rows themselves).
  if (countLines(data) > UPLOAD_LIMITS.rows + 1)
    throw tooLarge(
      `Tệp có quá nhiều dòng: tối đa ${UPLOAD_LIMITS.rows.toLocaleString('vi-VN')} dòng kết quả mỗi tệp`,
    );
}
