import { strToU8, zipSync } from 'fflate';
import writeXlsxFile from 'write-excel-file/node';
import { describe, expect, it } from 'vitest';
import { XlsxError, serialText, xlsxRows, xlsxSheetNames, zipEntries } from './xlsx-read.ts';

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

/** A workbook written by hand, part by part, so each edge is exactly what a program may write. */
function book(opts: {
  sheet: string;
  strings?: string;
  styles?: string;
  workbookPr?: string;
  sheets?: string;
  rels?: string;
  extra?: Record<string, string>;
}): Uint8Array {
  return zipSync({
    '[Content_Types].xml': strToU8('<Types/>'),
    'xl/workbook.xml': strToU8(
      `<workbook ${NS} ${R}>${opts.workbookPr ?? ''}<sheets>${opts.sheets ?? '<sheet name="Một" sheetId="1" r:id="rId1"/>'}</sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      `<Relationships>${opts.rels ?? '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/>'}</Relationships>`,
    ),
    ...(opts.strings
      ? { 'xl/sharedStrings.xml': strToU8(`<sst ${NS}>${opts.strings}</sst>`) }
      : {}),
    ...(opts.styles
      ? { 'xl/styles.xml': strToU8(`<styleSheet ${NS}>${opts.styles}</styleSheet>`) }
      : {}),
    'xl/worksheets/sheet1.xml': strToU8(
      `<worksheet ${NS}><sheetData>${opts.sheet}</sheetData></worksheet>`,
    ),
    ...Object.fromEntries(Object.entries(opts.extra ?? {}).map(([k, v]) => [k, strToU8(v)])),
  });
}

/** Text that does not compress to nothing, as real names and codes do not. */
function noise(n: number, seed: number): string {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out[i] = 97 + (x % 26);
  }
  return new TextDecoder().decode(out);
}

const rows = (data: Uint8Array, o: Parameters<typeof xlsxRows>[1] = {}) =>
  [...xlsxRows(data, o)]
    .flat()
    .map((r) => ({ row: r.row, cells: Array.from(r.cells, (c) => c ?? '') }));

describe('xlsxRows', () => {
  it('reads shared strings (plain and rich text runs, phonetic runs left out) and inline strings', () => {
    const data = book({
      strings:
        '<si><t>Họ và tên</t></si><si><r><t>Lò </t></r><r><rPr><b/></rPr><t>Văn Ánh</t></r></si>' +
        '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si>',
      sheet:
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Kết quả</t></is></c></row>' +
        '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="inlineStr"><is><r><t>Âm </t></r><r><t>tính</t></r></is></c></row>' +
        '<row r="3"><c r="A3" t="s"><v>2</v></c></row>',
    });
    expect(rows(data)).toEqual([
      { row: 1, cells: ['Họ và tên', 'Kết quả'] },
      { row: 2, cells: ['Lò Văn Ánh', 'Âm tính'] },
      { row: 3, cells: ['東京'] },
    ]);
  });

  it('reads numbers as written, booleans, a formula by its cached result, an error as empty', () => {
    const data = book({
      sheet:
        '<row r="1"><c r="A1"><v>2008</v></c><c r="B1"><v>12.5</v></c><c r="C1"><v>1.5E+3</v></c>' +
        '<c r="D1" t="b"><v>1</v></c><c r="E1"><f>A1+1</f><v>2009</v></c>' +
        '<c r="F1" t="str"><f>"Â"&amp;"m"</f><v>Âm</v></c><c r="G1" t="e"><v>#N/A</v></c><c r="H1"><v>011208123456</v></c></row>',
    });
    expect(rows(data)[0]!.cells).toEqual([
      '2008',
      '12.5',
      '1500',
      'true',
      '2009',
      'Âm',
      '',
      '11208123456',
    ]);
  });

  it('reads a number in a date style as a date, with the time when it has one, built-in and custom formats, 1900 and 1904', () => {
    const styles =
      '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy\\ hh:mm"/><numFmt numFmtId="165" formatCode="0.00&quot;d&quot;"/></numFmts>' +
      '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="22"/></cellXfs>';
    const sheet =
      '<row r="1"><c r="A1" s="1"><v>44391</v></c><c r="B1" s="2"><v>44391.3125</v></c>' +
      '<c r="C1" s="3"><v>44391</v></c><c r="D1" s="0"><v>44391</v></c><c r="E1" s="4"><v>44391.75</v></c></row>';
    expect(rows(book({ styles, sheet }))[0]!.cells).toEqual([
      '2021-07-14',
      '2021-07-14T07:30',
      '44391', // "0.00"d"": the d is quoted text, not a day
      '44391',
      '2021-07-14T18:00',
    ]);
    const in1904 = book({ styles, sheet, workbookPr: '<workbookPr date1904="1"/>' });
    expect(rows(in1904)[0]!.cells[0]).toBe('2025-07-15');
    expect(serialText(61)).toBe('1900-03-01');
  });

  it('places cells by their reference: empty cells in the middle of a row, rows left out, cells without a reference', () => {
    const data = book({
      sheet:
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="D1" t="inlineStr"><is><t>d</t></is></c></row>' +
        '<row r="4"><c r="B4"><v>2</v></c><c r="C4"></c><c r="E4"><v>5</v></c></row>' +
        '<row><c><v>1</v></c><c><v>2</v></c></row>',
    });
    expect(rows(data)).toEqual([
      { row: 1, cells: ['a', '', '', 'd'] },
      { row: 4, cells: ['', '2', '', '', '5'] },
      { row: 5, cells: ['1', '2'] },
    ]);
  });

  it('reads the first sheet of the workbook by its relationships (not the file named sheet1), or one by name', () => {
    const data = book({
      sheets:
        '<sheet name="Hướng dẫn" sheetId="1" r:id="rId7"/><sheet name="Một" sheetId="2" r:id="rId1"/>',
      rels: '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId7" Target="/xl/worksheets/guide.xml"/>',
      sheet: '<row r="1"><c r="A1"><v>1</v></c></row>',
      extra: {
        'xl/worksheets/guide.xml': `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Đọc kỹ</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>`,
      },
    });
    expect(xlsxSheetNames(data)).toEqual(['Hướng dẫn', 'Một']);
    expect(rows(data)[0]!.cells).toEqual(['Đọc kỹ']);
    expect(rows(data, { sheet: 'Một' })[0]!.cells).toEqual(['1']);
    expect(() => rows(data, { sheet: 'Hai' })).toThrow(XlsxError);
  });

  it('stops a sheet that expands past the limit, whatever the directory says, and refuses what is not an XLSX', () => {
    const data = book({
      sheet: Array.from(
        { length: 2000 },
        (_, i) => `<row><c t="inlineStr"><is><t>${noise(1000, i)}</t></is></c></row>`,
      ).join(''),
    }); // ~2.5 MB of XML
    expect(rows(data).length).toBe(2000);
    let read = 0;
    expect(() => {
      for (const b of xlsxRows(data, { maxExpandedBytes: 1_000_000 })) read += b.length;
    }).toThrow(expect.objectContaining({ tooLarge: true }));
    expect(read).toBeGreaterThan(0); // rows were handed over before the limit was reached
    expect(read).toBeLessThan(1000);
    expect(() => rows(new TextEncoder().encode('không phải zip'))).toThrow(XlsxError);
    expect(zipEntries(new TextEncoder().encode('PK'))).toBeNull();
    expect(() => rows(book({ sheet: '<row><c><v>1</c></row>' }))).toThrow(XlsxError);
  }, 30_000);

  it('hands a long sheet over in batches as it is inflated, not all at once', () => {
    const body = Array.from(
      { length: 20_000 },
      (_, i) =>
        `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c><c r="B${i + 1}" t="inlineStr"><is><t>Người thứ ${i} ${noise(30, i)}</t></is></c></row>`,
    ).join('');
    const batches = [...xlsxRows(book({ sheet: body }))];
    expect(batches.length).toBeGreaterThan(5);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThan(20_000 / 2);
    expect(batches.flat().at(-1)).toEqual({
      row: 20_000,
      cells: ['19999', `Người thứ 19999 ${noise(30, 19999)}`],
    });
  }, 30_000);

  it('reads back what write-excel-file writes: Vietnamese text, numbers, dates, empty cells', async () => {
    const data = await writeXlsxFile(
      [
        ['Họ và tên', 'Năm sinh', 'Ngày lấy mẫu', 'Ghi chú'],
        ['Nguyễn Thị Ngọc Ánh', 1987, new Date(Date.UTC(2021, 6, 14)), null],
        ['Điêu Chính Tướng', null, null, 'Bản Noọng Nhai, xã Mường Lay'],
      ],
      { sheet: 'Kết quả', dateFormat: 'dd/mm/yyyy' },
    ).toBuffer();
    expect(xlsxSheetNames(data)).toEqual(['Kết quả']);
    expect(rows(data)).toEqual([
      { row: 1, cells: ['Họ và tên', 'Năm sinh', 'Ngày lấy mẫu', 'Ghi chú'] },
      { row: 2, cells: ['Nguyễn Thị Ngọc Ánh', '1987', '2021-07-14'] },
      { row: 3, cells: ['Điêu Chính Tướng', '', '', 'Bản Noọng Nhai, xã Mường Lay'] },
    ]);
  });
});
