/**
 * Reads the first sheet of an XLSX file row by row without building it (issue 14.6: exceljs
 * pulled deprecated packages). The archive's central directory gives each part; the sheet is
 * inflated in slices (fflate) and parsed as a stream (saxes), so memory holds the file, its
 * shared strings and one slice of rows however long the sheet is. Pure: bytes in, rows out —
 * the server's import thread, the server's small tables and the browser's preview share it.
 *
 * Cells are read as text: shared and inline strings (rich text runs joined, phonetic runs left
 * out), numbers as written, booleans as "true"/"false", a formula's cached result, an error as
 * empty, and a number whose style is a date format as "yyyy-mm-dd" (with "Thh:mm" when it has a
 * time of day; the 1904 date system honoured).
 */
import { Inflate } from 'fflate';
import { SaxesParser } from 'saxes';

/** A part of a ZIP archive, from its central directory. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/**
 * The entries of a ZIP archive from its central directory; null when the data is not a ZIP
 * archive; 'zip64' for a ZIP64 archive (an entry of 4 GB or more, or more than 65,535 entries).
 */
export function zipEntries(buf: Uint8Array): ZipEntry[] | 'zip64' | null {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 22) return null;
  // End of central directory: 22 bytes + a comment of up to 65,535 bytes, at the end.
  const from = Math.max(0, buf.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = buf.length - 22; i >= from; i--)
    if (dv.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) return null;
  const count = dv.getUint16(eocd + 10, true);
  const cdOffset = dv.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) return 'zip64';
  const out: ZipEntry[] = [];
  const names = new TextDecoder();
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || dv.getUint32(p, true) !== 0x02014b50) return null;
    const compressedSize = dv.getUint32(p + 20, true);
    const size = dv.getUint32(p + 24, true);
    const localOffset = dv.getUint32(p + 42, true);
    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff)
      return 'zip64';
    const nameLen = dv.getUint16(p + 28, true);
    const name = names.decode(buf.subarray(p + 46, p + 46 + nameLen));
    out.push({ name, method: dv.getUint16(p + 10, true), compressedSize, size, localOffset });
    p += 46 + nameLen + dv.getUint16(p + 30, true) + dv.getUint16(p + 32, true);
  }
  return out;
}

/** Thrown for a file that is not a readable XLSX, or one over the reader's byte limit. */
export class XlsxError extends Error {
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

/** Inflates one part in slices, handing each slice of text to `onText`. */
function inflatePart(
  buf: Uint8Array,
  e: ZipEntry,
  onText: (s: string) => void,
  budget: { left: number },
  // A slice of 64 KB inflates to ~0.5 MB of a real sheet's XML (~3,000 rows); a crafted one
  // to at most ~64 MB, and the byte budget stops it. (fflate copies its window per push:
  // smaller slices cost more time than they save memory.)
  sliceBytes = 64 * 1024,
): Generator<void> {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (e.localOffset + 30 > buf.length || dv.getUint32(e.localOffset, true) !== 0x04034b50)
    throw new XlsxError(`bad ZIP entry ${e.name}`);
  const start =
    e.localOffset +
    30 +
    dv.getUint16(e.localOffset + 26, true) +
    dv.getUint16(e.localOffset + 28, true);
  const data = buf.subarray(start, start + e.compressedSize);
  const text = new TextDecoder('utf-8');
  const take = (chunk: Uint8Array) => {
    budget.left -= chunk.length;
    if (budget.left < 0) throw new XlsxError('expanded size over the limit', true);
    onText(text.decode(chunk, { stream: true }));
  };
  if (e.method !== 0 && e.method !== 8) throw new XlsxError(`ZIP method ${e.method}`);
  const inflater = e.method === 8 ? new Inflate((chunk) => take(chunk)) : null;
  return (function* () {
    for (let at = 0; at < data.length || at === 0; at += sliceBytes) {
      const slice = data.subarray(at, at + sliceBytes);
      const final = at + sliceBytes >= data.length;
      if (inflater) inflater.push(slice, final);
      else take(slice);
      yield;
      if (final) break;
    }
    onText(text.decode());
  })();
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);

/** Parses a part as a stream of XML; `on` sees each open tag, text and close tag by local name. */
function parseXml(
  buf: Uint8Array,
  e: ZipEntry,
  budget: { left: number },
  on: {
    open?: (name: string, attrs: Record<string, string>) => void;
    text?: (t: string) => void;
    close?: (name: string) => void;
  },
): Generator<void> {
  const sax = new SaxesParser({ position: false });
  if (on.open)
    sax.on('opentag', (t) => on.open!(local(t.name), t.attributes as Record<string, string>));
  if (on.text) sax.on('text', on.text);
  if (on.close) sax.on('closetag', (t) => on.close!(local(t.name)));
  let failure: Error | null = null;
  sax.on('error', (err) => (failure ??= err));
  const parts = inflatePart(buf, e, (s) => s && sax.write(s), budget);
  return (function* () {
    for (const _ of parts) {
      if (failure) throw new XlsxError(`XML: ${(failure as Error).message}`);
      yield;
    }
    sax.close();
    if (failure) throw new XlsxError(`XML: ${(failure as Error).message}`);
  })();
}

const drain = (g: Generator<void>) => {
  for (const _ of g);
};

/** Built-in number formats that are dates or times (ECMA-376 18.8.30). */
const DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57]);
/** A custom format code is a date when it has d, m, y, h or s outside quotes and brackets. */
const isDateCode = (code: string) =>
  /[dmyhs]/i.test(code.replace(/"[^"]*"|\[[^\]]*\]|\\.|_.|\*./g, '').replace(/General/gi, ''));

interface Book {
  sheet: ZipEntry;
  strings: string[];
  /** Per cell style index: is it a date format. */
  dateStyles: boolean[];
  date1904: boolean;
}

function resolve(dir: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = dir.split('/').filter(Boolean);
  for (const p of target.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.') parts.push(p);
  }
  return parts.join('/');
}

/** The sheets of a workbook in order: name and relationship id. */
function sheetList(buf: Uint8Array, byName: Map<string, ZipEntry>, budget: { left: number }) {
  const sheets: { name: string; rid: string }[] = [];
  let date1904 = false;
  const wb = byName.get('xl/workbook.xml');
  if (!wb) throw new XlsxError('no xl/workbook.xml');
  drain(
    parseXml(buf, wb, budget, {
      open: (n, a) => {
        if (n === 'sheet')
          sheets.push({
            name: a.name ?? '',
            rid: a['r:id'] ?? Object.entries(a).find(([k]) => local(k) === 'id')?.[1] ?? '',
          });
        if (n === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
      },
    }),
  );
  return { sheets, date1904 };
}

function archive(buf: Uint8Array): Map<string, ZipEntry> {
  const entries = zipEntries(buf);
  if (!entries || entries === 'zip64') throw new XlsxError('not an XLSX (ZIP) file');
  return new Map(entries.map((e) => [e.name, e]));
}

/** The names of a workbook's sheets, in order. */
export function xlsxSheetNames(data: Uint8Array): string[] {
  return sheetList(data, archive(data), { left: Infinity }).sheets.map((s) => s.name);
}

function openBook(buf: Uint8Array, budget: { left: number }, which: string | number = 0): Book {
  const byName = archive(buf);
  const part = (name: string) => byName.get(name);
  // The sheet asked for (the first by default), through the workbook's relationships.
  const { sheets, date1904 } = sheetList(buf, byName, budget);
  const chosen = typeof which === 'number' ? sheets[which] : sheets.find((s) => s.name === which);
  if (!chosen && (typeof which === 'string' || which > 0)) throw new XlsxError(`no sheet ${which}`);
  const firstRid = chosen?.rid ?? '';
  let target = '';
  const rels = part('xl/_rels/workbook.xml.rels');
  if (rels)
    drain(
      parseXml(buf, rels, budget, {
        open: (n, a) => {
          if (n === 'Relationship' && a.Id === firstRid) target = a.Target ?? '';
        },
      }),
    );
  const sheet =
    (target && part(resolve('xl', target))) ||
    (chosen === sheets[0] ? part('xl/worksheets/sheet1.xml') : undefined);
  if (!sheet) throw new XlsxError('no worksheet');

  // Shared strings: an <si> is a <t>, or runs <r><t>; phonetic runs (<rPh>) are not its text.
  const strings: string[] = [];
  const ss = [...byName.values()].find((e) => /^xl\/sharedStrings\.xml$/i.test(e.name));
  if (ss) {
    let cur: string | null = null;
    let inT = false;
    let inPh = 0;
    drain(
      parseXml(buf, ss, budget, {
        open: (n) => {
          if (n === 'si') cur = '';
          else if (n === 'rPh') inPh++;
          else if (n === 't' && !inPh) inT = true;
        },
        text: (t) => {
          if (inT && cur !== null) cur += t;
        },
        close: (n) => {
          if (n === 't') inT = false;
          else if (n === 'rPh') inPh--;
          else if (n === 'si') {
            strings.push(cur ?? '');
            cur = null;
          }
        },
      }),
    );
  }

  // Styles: which cell formats (cellXfs) show a date.
  const dateStyles: boolean[] = [];
  const st = part('xl/styles.xml');
  if (st) {
    const custom = new Map<number, string>();
    let inXfs = false;
    drain(
      parseXml(buf, st, budget, {
        open: (n, a) => {
          if (n === 'numFmt') custom.set(Number(a.numFmtId), a.formatCode ?? '');
          else if (n === 'cellXfs') inXfs = true;
          else if (n === 'xf' && inXfs) {
            const id = Number(a.numFmtId ?? 0);
            const code = custom.get(id);
            dateStyles.push(code !== undefined ? isDateCode(code) : DATE_FORMATS.has(id));
          }
        },
        close: (n) => {
          if (n === 'cellXfs') inXfs = false;
        },
      }),
    );
  }
  return { sheet, strings, dateStyles, date1904 };
}

const DAY_MS = 86_400_000;
/** An Excel serial as a wall-clock date-time: "yyyy-mm-dd", or "yyyy-mm-ddThh:mm" with a time. */
export function serialText(serial: number, date1904 = false): string {
  const ms = Math.round(((date1904 ? serial + 1462 : serial) - 25569) * DAY_MS);
  if (!Number.isFinite(ms)) return String(serial);
  const iso = new Date(Math.round(ms / 60_000) * 60_000).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 16);
}

/** A row of the sheet: its 1-based number and its cells' text by 0-based column. */
export interface XlsxRow {
  row: number;
  cells: string[];
}

/** "BC12" → 54 (0-based column of a cell reference); -1 when there is none. */
function columnOf(ref: string | undefined): number {
  if (!ref) return -1;
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  return i ? col - 1 : -1;
}

/**
 * The rows of the first sheet (or the one named in `sheet`), handed over in batches as the sheet is inflated (one batch per
 * slice of the archive). `maxExpandedBytes` stops the reading once the parts read have expanded
 * past it (an archive's directory can lie about sizes).
 */
export function* xlsxRows(
  data: Uint8Array,
  opts: { maxExpandedBytes?: number; sheet?: string } = {},
): Generator<XlsxRow[]> {
  const budget = { left: opts.maxExpandedBytes ?? Infinity };
  const book = openBook(data, budget, opts.sheet);
  let batch: XlsxRow[] = [];
  let row: XlsxRow | null = null;
  let rowNo = 0;
  let col = -1;
  let type = '';
  let style = 0;
  let value = '';
  let inValue = false;
  let inInline = false;
  let inPh = 0;
  const cellText = (): string => {
    switch (type) {
      case 's':
        return book.strings[Number(value)] ?? '';
      case 'inlineStr':
      case 'str':
        return value;
      case 'b':
        return value === '1' ? 'true' : value === '0' ? 'false' : value;
      case 'e':
        return '';
      case 'd':
        return value.length > 10 && value.slice(10).startsWith('T00:00')
          ? value.slice(0, 10)
          : value.slice(0, 16);
      default: {
        if (value === '') return '';
        const n = Number(value);
        if (!Number.isFinite(n)) return value;
        return book.dateStyles[style] ? serialText(n, book.date1904) : String(n);
      }
    }
  };
  const parts = parseXml(data, book.sheet, budget, {
    open: (n, a) => {
      if (n === 'row') {
        rowNo = a.r ? Number(a.r) : rowNo + 1;
        row = { row: rowNo, cells: [] };
        col = -1;
      } else if (n === 'c') {
        const c = columnOf(a.r);
        col = c >= 0 ? c : col + 1;
        type = a.t ?? 'n';
        style = Number(a.s ?? 0);
        value = '';
      } else if (n === 'v') inValue = true;
      else if (n === 'is') inInline = true;
      else if (n === 'rPh') inPh++;
      else if (n === 't' && inInline && !inPh) inValue = true;
    },
    text: (t) => {
      if (inValue) value += t;
    },
    close: (n) => {
      if (n === 'v' || n === 't') inValue = false;
      else if (n === 'is') inInline = false;
      else if (n === 'rPh') inPh--;
      else if (n === 'c' && row) {
        const text = cellText();
        if (text !== '') row.cells[col] = text;
      } else if (n === 'row' && row) {
        batch.push(row);
        row = null;
      }
    },
  });
  for (const _ of parts) {
    if (batch.length) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
