/**
 * The pieces every printed document shares (issue 16 item 3): Times New Roman runs and
 * paragraphs, borderless table cells, and the header of an administrative document (Nghị định
 * 30/2020/NĐ-CP): the issuing unit with số/ký hiệu on the left, the national motto with the place
 * and date on the right.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';

export const FONT = 'Times New Roman';
export const run = (text: string, o: { bold?: boolean; italics?: boolean; size?: number } = {}) =>
  new TextRun({ text, font: FONT, size: (o.size ?? 13) * 2, bold: o.bold, italics: o.italics });
export const para = (
  runs: TextRun[],
  o: {
    align?: (typeof AlignmentType)[keyof typeof AlignmentType];
    after?: number;
    indent?: boolean;
  } = {},
) =>
  new Paragraph({
    children: runs,
    alignment: o.align ?? AlignmentType.JUSTIFIED,
    spacing: { after: o.after ?? 80 },
    indent: o.indent ? { firstLine: 567 } : undefined,
  });

export const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
export const noBorders = { top: NONE, bottom: NONE, left: NONE, right: NONE };
/** The text width of an A4 page with 30 mm left and 20 mm right margins, in twips. */
export const TEXT_WIDTH = 9071;
export const cell = (children: Paragraph[], pct: number) =>
  new TableCell({
    children,
    borders: noBorders,
    width: { size: Math.round((TEXT_WIDTH * pct) / 100), type: WidthType.DXA },
  });

/** "ngày 07 tháng 12 năm 2026", as the place-and-date line writes it. */
export function longDate(iso: string) {
  const [y, m, d] = iso.split('-');
  return `ngày ${d} tháng ${m} năm ${y}`;
}

/** The unit, số/ký hiệu and the national motto, side by side; `symbol` e.g. "QĐ-UBND". */
export function nationalHeader(
  unit: { parent: string; name: string; placeName: string; head?: string },
  signedOn: string,
  symbol = 'QĐ-UBND',
) {
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [Math.round(TEXT_WIDTH * 0.35), Math.round(TEXT_WIDTH * 0.65)],
    borders: { ...noBorders, insideHorizontal: NONE, insideVertical: NONE },
    rows: [
      new TableRow({
        children: [
          cell(
            [
              para([run(unit.parent.toUpperCase(), { size: 12 })], {
                align: AlignmentType.CENTER,
                after: 0,
              }),
              para([run(unit.head ?? 'ỦY BAN NHÂN DÂN', { bold: true, size: 12 })], {
                align: AlignmentType.CENTER,
                after: 0,
              }),
              para([run(unit.name.toUpperCase(), { bold: true, size: 12 })], {
                align: AlignmentType.CENTER,
                after: 0,
              }),
              para([run('———', { size: 12 })], { align: AlignmentType.CENTER, after: 60 }),
              para([run(`Số:         /${symbol}`, { size: 13 })], { align: AlignmentType.CENTER }),
            ],
            35,
          ),
          cell(
            [
              para([run('CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true, size: 11.5 })], {
                align: AlignmentType.CENTER,
                after: 0,
              }),
              para([run('Độc lập – Tự do – Hạnh phúc', { bold: true, size: 13 })], {
                align: AlignmentType.CENTER,
                after: 0,
              }),
              para([run('———————', { size: 12 })], { align: AlignmentType.CENTER, after: 60 }),
              para([run(`${unit.placeName}, ${longDate(signedOn)}`, { italics: true })], {
                align: AlignmentType.CENTER,
              }),
            ],
            65,
          ),
        ],
      }),
    ],
  });
}

/** The person a document names, as printed. */
export interface PersonDetails {
  fullName: string;
  birthDate: string | null;
  birthYear: number;
  sex: 'male' | 'female' | 'other';
  idNumber: string | null;
  address: string;
}

export const SEX_WORDS = { male: 'Nam', female: 'Nữ', other: 'Khác' } as const;

/** An A4 document with the margins of NĐ 30/2020 (top and bottom 20 mm, left 30, right 20). */
export function a4Docx(title: string, children: (Paragraph | Table)[]): Promise<Buffer> {
  const doc = new Document({
    creator: 'epiguard',
    title,
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            margin: { top: 1134, bottom: 1134, left: 1701, right: 1134 },
          },
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
