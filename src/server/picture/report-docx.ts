/**
 * The steering committee's report as an official DOCX (Nghị định 30/2020/NĐ-CP): the issuing
 * body and the national motto side by side, number and symbol, place and date, title, body in
 * Times New Roman 14 pt, the recipients block and the signature block. Every figure comes from
 * `SteeringFigures`; the prose parts are given by the caller (edited before export).
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { SteeringFigures } from './report-data.ts';

export interface SteeringProse {
  issuer: string;
  number: string;
  place: string;
  situation?: string;
  difficulties: string;
  tasks: string;
  recipients: string[];
  signerTitle: string;
  signerName: string;
}

const FONT = 'Times New Roman';
/** A4 (11906 twips) less the margins of Nghị định 30 (left 30 mm, right 20 mm). */
const CONTENT_WIDTH = 11906 - 1701 - 1134;
const nf = new Intl.NumberFormat('vi-VN');
const n = (x: number) => nf.format(x);
const vn = (d: string) => d.split('-').reverse().join('/');
const FOUND_BY: Record<string, string> = {
  community: 'trong cộng đồng',
  quarantine: 'trong khu cách ly, phong tỏa',
  entry: 'tại chốt kiểm soát, nhập cảnh',
  imported: 'từ tỉnh khác',
  screening: 'qua sàng lọc',
};
const STATUS: Record<string, string> = {
  unisolated: 'chưa cách ly',
  home_isolation: 'điều trị tại nhà',
  facility: 'tại cơ sở thu dung, điều trị',
  hospital: 'tại bệnh viện',
};

const run = (text: string, o: { bold?: boolean; italics?: boolean; size?: number } = {}) =>
  new TextRun({ text, font: FONT, size: (o.size ?? 14) * 2, bold: o.bold, italics: o.italics });
const para = (
  children: TextRun[] | string,
  o: {
    align?: (typeof AlignmentType)[keyof typeof AlignmentType];
    indent?: boolean;
    after?: number;
  } = {},
) =>
  new Paragraph({
    children: typeof children === 'string' ? [run(children)] : children,
    alignment: o.align ?? AlignmentType.JUSTIFIED,
    indent: o.indent === false ? undefined : { firstLine: 567 },
    spacing: { after: o.after ?? 120, line: 312 },
  });
const heading = (text: string) => para([run(text, { bold: true })], { after: 120 });
const centre = (parts: TextRun[]) =>
  para(parts, { align: AlignmentType.CENTER, indent: false, after: 0 });
const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const noBorders = {
  top: none,
  bottom: none,
  left: none,
  right: none,
  insideHorizontal: none,
  insideVertical: none,
};

function cell(
  text: string,
  o: { bold?: boolean; width?: number; align?: 'left' | 'right' | 'center' } = {},
) {
  return new TableCell({
    width: o.width ? { size: o.width, type: WidthType.PERCENTAGE } : undefined,
    children: [
      new Paragraph({
        alignment:
          o.align === 'right'
            ? AlignmentType.RIGHT
            : o.align === 'center'
              ? AlignmentType.CENTER
              : AlignmentType.LEFT,
        children: [run(text, { bold: o.bold, size: 13 })],
      }),
    ],
  });
}

function dataTable(head: string[], rows: string[][]) {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({
        tableHeader: true,
        children: head.map((h) => cell(h, { bold: true, align: 'center' })),
      }),
      ...rows.map(
        (r) =>
          new TableRow({
            children: r.map((c, i) => cell(c, { align: i === 0 ? 'left' : 'right' })),
          }),
      ),
    ],
  });
}

export async function steeringDocx(
  f: SteeringFigures,
  p: SteeringProse,
  issuedOn: string,
): Promise<Buffer> {
  const [y, m, d] = issuedOn.split('-');
  const header = new Table({
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    columnWidths: [3500, CONTENT_WIDTH - 3500],
    layout: TableLayoutType.FIXED,
    borders: noBorders,
    rows: [
      new TableRow({
        children: [
          new TableCell({
            width: { size: 3500, type: WidthType.DXA },
            borders: noBorders,
            children: [
              ...p.issuer
                .split('\n')
                .map((line, i) => centre([run(line.toUpperCase(), { size: 13, bold: i > 0 })])),
              centre([run('───────', { size: 13 })]),
              centre([run(`Số: ${p.number}`, { size: 13 })]),
            ],
          }),
          new TableCell({
            width: { size: CONTENT_WIDTH - 3500, type: WidthType.DXA },
            borders: noBorders,
            children: [
              centre([run('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { size: 12, bold: true })]),
              centre([run('Độc lập - Tự do - Hạnh phúc', { size: 14, bold: true })]),
              centre([run('───────────────', { size: 13 })]),
              centre([
                run(`${p.place}, ngày ${d} tháng ${m} năm ${y}`, { size: 14, italics: true }),
              ]),
            ],
          }),
        ],
      }),
    ],
  });
  const period =
    f.from === f.to ? `ngày ${vn(f.to)}` : `từ ngày ${vn(f.from)} đến ngày ${vn(f.to)}`;
  const found = Object.entries(f.cases.byFoundBy)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${n(v)} ca ${FOUND_BY[k] ?? k}`)
    .join('; ');
  const situation =
    p.situation ??
    `Trong kỳ báo cáo (${period}), toàn tỉnh ghi nhận ${n(f.cases.total)} ca mắc mới${found ? ` (${found})` : ''}. ` +
      `Lũy kế đến ngày ${vn(f.to)}: ${n(f.cases.cumulative)} ca.`;
  const treating = f.treatment.reduce((s, r) => s + r.n, 0);
  const lv = f.levels;
  const body = [
    heading('I. TÌNH HÌNH DỊCH'),
    para(situation),
    dataTable(
      ['Huyện, thị xã, thành phố', 'Ca mắc trong kỳ', 'Lũy kế'],
      [
        ...f.byDistrict.map((r) => [r.name, n(r.period), n(r.cumulative)]),
        ['Toàn tỉnh', n(f.cases.total), n(f.cases.cumulative)],
      ],
    ),
    para(
      lv.weekEnd
        ? `Đánh giá cấp độ dịch công bố tuần kết thúc ngày ${vn(lv.weekEnd)}: ${n(lv.communesByLevel['1'] ?? 0)} xã cấp 1 (xanh), ${n(lv.communesByLevel['2'] ?? 0)} xã cấp 2 (vàng), ${n(lv.communesByLevel['3'] ?? 0)} xã cấp 3 (cam), ${n(lv.communesByLevel['4'] ?? 0)} xã cấp 4 (đỏ).${lv.highCommunes.length ? ` Các xã cấp 3, 4: ${lv.highCommunes.map((c) => `${c.name} (${c.district}, cấp ${c.level})`).join('; ')}.` : ''}`
        : 'Chưa có đánh giá cấp độ dịch được công bố trong kỳ.',
    ),
    heading('II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ'),
    heading('1. Kiểm soát người ra vào tỉnh'),
    para(
      `Các chốt kiểm soát ghi nhận ${n(f.entry.people_in)} lượt người vào tỉnh, trong đó ${n(f.entry.from_epidemic_area)} lượt từ vùng dịch; ` +
        `cách ly tập trung ${n(f.entry.centralised)}, cách ly tại nhà ${n(f.entry.home_quarantine)}; ` +
        `test nhanh tại chốt ${n(f.entry.rapid_tests)} mẫu, dương tính ${n(f.entry.rapid_positive)}.`,
    ),
    heading('2. Điều tra, truy vết và xét nghiệm'),
    para(
      `Phát hiện ${n(f.cases.total)} ca mắc mới trong kỳ; chi tiết theo nơi phát hiện nêu tại mục I.`,
    ),
    heading('3. Điều trị'),
    para(
      `Hiện có ${n(treating)} người mắc đang được quản lý, điều trị` +
        (f.treatment.length
          ? `: ${f.treatment.map((r) => `${n(r.n)} ${STATUS[r.status] ?? r.status}`).join('; ')}.`
          : '.'),
    ),
    heading('4. Tiêm chủng'),
    para(
      lv.cov18OneDose !== null
        ? `Tỷ lệ người từ 18 tuổi trở lên được tiêm ít nhất 1 mũi: ${nf.format(lv.cov18OneDose)} %; người cao tuổi tiêm đủ liều: ${lv.elderlyFull === null ? '—' : `${nf.format(lv.elderlyFull)} %`}.`
        : 'Chưa có số liệu bao phủ tiêm chủng của tuần đánh giá.',
    ),
    heading('III. KHÓ KHĂN, VƯỚNG MẮC'),
    ...p.difficulties
      .split('\n')
      .filter(Boolean)
      .map((t) => para(t)),
    heading('IV. NHIỆM VỤ TRONG THỜI GIAN TỚI'),
    ...p.tasks
      .split('\n')
      .filter(Boolean)
      .map((t) => para(t)),
  ];
  const footer = new Table({
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    columnWidths: [CONTENT_WIDTH / 2, CONTENT_WIDTH / 2],
    layout: TableLayoutType.FIXED,
    borders: noBorders,
    rows: [
      new TableRow({
        children: [
          new TableCell({
            width: { size: CONTENT_WIDTH / 2, type: WidthType.DXA },
            borders: noBorders,
            children: [
              para([run('Nơi nhận:', { bold: true, italics: true, size: 12 })], {
                indent: false,
                after: 0,
                align: AlignmentType.LEFT,
              }),
              ...p.recipients.map((r) =>
                para([run(`- ${r};`, { size: 11 })], {
                  indent: false,
                  after: 0,
                  align: AlignmentType.LEFT,
                }),
              ),
              para([run('- Lưu: VT.', { size: 11 })], {
                indent: false,
                after: 0,
                align: AlignmentType.LEFT,
              }),
            ],
          }),
          new TableCell({
            width: { size: CONTENT_WIDTH / 2, type: WidthType.DXA },
            borders: noBorders,
            children: [
              ...p.signerTitle
                .split('\n')
                .map((l) => centre([run(l.toUpperCase(), { bold: true })])),
              centre([run('(Ký, ghi rõ họ tên, đóng dấu)', { italics: true, size: 13 })]),
              new Paragraph({ children: [], spacing: { after: 1200 } }),
              centre([run(p.signerName, { bold: true })]),
            ],
          }),
        ],
      }),
    ],
  });
  const doc = new Document({
    creator: 'epiguard',
    title: `Báo cáo tình hình dịch COVID-19 ${period}`,
    styles: { default: { document: { run: { font: FONT, size: 28 } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            margin: { top: 1134, bottom: 1134, left: 1701, right: 1134 },
          },
        },
        children: [
          header,
          new Paragraph({ children: [], spacing: { after: 240 } }),
          centre([run('BÁO CÁO', { bold: true })]),
          centre([
            run(`Tình hình dịch COVID-19 và kết quả công tác phòng, chống dịch ${period}`, {
              bold: true,
            }),
          ]),
          centre([run('───────', { size: 13 })]),
          new Paragraph({ children: [], spacing: { after: 120 } }),
          ...body,
          new Paragraph({ children: [], spacing: { after: 240 } }),
          footer,
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
