/**
 * Giấy xác nhận tiêm chủng vắc xin phòng COVID-19 (issue 16 item 3): the commune health station's
 * confirmation of a person's doses, in the administrative layout, citing the vaccine schedule's
 * legal basis, with the signed EU-DCC QR of the person's latest certificate when one was issued.
 */
import { AlignmentType, ImageRun, Paragraph, Table, TableCell, TableRow, WidthType } from 'docx';
import { formatViDate } from '../../domain/dates.ts';
import type { LegalBasis } from '../../domain/rulesets.ts';
import {
  cell,
  nationalHeader,
  NONE,
  noBorders,
  para,
  run,
  TEXT_WIDTH,
  a4Docx,
  SEX_WORDS,
  type PersonDetails,
} from './docx-parts.ts';

export interface VaccinationCertificateData {
  unit: { parent: string; name: string; placeName: string };
  signedOn: string;
  person: PersonDetails;
  doses: { number: number; date: string; product: string; lot: string | null }[];
  legalBasis: LegalBasis | null;
  /** The latest EU-DCC certificate: its UVCI and its QR as PNG. */
  dcc: { uvci: string; png: Buffer; expiresOn: string } | null;
  reference: string;
}

const bordered = (text: string, pct: number, bold = false) =>
  new TableCell({
    children: [para([run(text, { bold, size: 12 })], { align: AlignmentType.CENTER, after: 0 })],
    width: { size: Math.round((TEXT_WIDTH * pct) / 100), type: WidthType.DXA },
  });

export async function vaccinationCertificateDocx(d: VaccinationCertificateData): Promise<Buffer> {
  const p = d.person;
  const widths = [12, 22, 44, 22];
  const doses = new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths.map((w) => Math.round((TEXT_WIDTH * w) / 100)),
    rows: [
      new TableRow({
        tableHeader: true,
        children: ['Mũi', 'Ngày tiêm', 'Vắc xin', 'Số lô'].map((h, i) =>
          bordered(h, widths[i]!, true),
        ),
      }),
      ...d.doses.map(
        (x) =>
          new TableRow({
            children: [String(x.number), formatViDate(x.date), x.product, x.lot ?? '—'].map(
              (v, i) => bordered(v, widths[i]!),
            ),
          }),
      ),
    ],
  });
  const lb = d.legalBasis;
  const qr: Paragraph[] = d.dcc
    ? [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [
            new ImageRun({
              type: 'png',
              data: d.dcc.png,
              transformation: { width: 170, height: 170 },
            }),
          ],
        }),
        para([run(`Mã chứng nhận (UVCI): ${d.dcc.uvci}`, { size: 10 })], {
          align: AlignmentType.CENTER,
          after: 0,
        }),
        para(
          [run(`Mã QR có giá trị đến hết ngày ${formatViDate(d.dcc.expiresOn)}`, { size: 10 })],
          {
            align: AlignmentType.CENTER,
          },
        ),
      ]
    : [
        para([run('Chưa cấp chứng nhận có mã QR.', { italics: true, size: 11 })], {
          align: AlignmentType.CENTER,
        }),
      ];
  const body = [
    para([run('')], { after: 160 }),
    para([run('GIẤY XÁC NHẬN TIÊM CHỦNG', { bold: true, size: 14 })], {
      align: AlignmentType.CENTER,
      after: 0,
    }),
    para([run('Vắc xin phòng COVID-19', { bold: true, size: 14 })], {
      align: AlignmentType.CENTER,
      after: 160,
    }),
    ...(lb
      ? [
          para(
            [
              run(`Căn cứ ${lb.number} ngày ${formatViDate(lb.date)} — ${lb.title};`, {
                italics: true,
              }),
            ],
            { indent: true },
          ),
        ]
      : []),
    para([run(`Trạm Y tế ${d.unit.name} xác nhận:`)], { indent: true }),
    para(
      [
        run('Họ và tên: '),
        run(p.fullName, { bold: true }),
        run(`; giới tính: ${SEX_WORDS[p.sex]}`),
      ],
      { indent: true },
    ),
    para([run(`Ngày sinh: ${p.birthDate ? formatViDate(p.birthDate) : String(p.birthYear)}`)], {
      indent: true,
    }),
    para([run(`Số định danh cá nhân/CCCD: ${p.idNumber ?? '………………'}`)], { indent: true }),
    para([run(`Nơi cư trú: ${p.address}`)], { indent: true }),
    para([run(`Đã được tiêm ${d.doses.length} mũi vắc xin phòng COVID-19:`)], {
      indent: true,
      after: 120,
    }),
    doses,
    para([run('')], { after: 120 }),
    ...qr,
  ];
  const signature = new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [Math.round(TEXT_WIDTH * 0.45), Math.round(TEXT_WIDTH * 0.55)],
    borders: { ...noBorders, insideHorizontal: NONE, insideVertical: NONE },
    rows: [
      new TableRow({
        children: [
          cell([para([run('')])], 45),
          cell(
            [
              para([run('TRƯỞNG TRẠM', { bold: true })], { align: AlignmentType.CENTER, after: 0 }),
              para([run('(Ký, ghi rõ họ tên và đóng dấu)', { italics: true, size: 12 })], {
                align: AlignmentType.CENTER,
                after: 1000,
              }),
            ],
            55,
          ),
        ],
      }),
    ],
  });
  return a4Docx(`Giấy xác nhận tiêm chủng — ${p.fullName}`, [
    nationalHeader({ ...d.unit, head: 'TRẠM Y TẾ' }, d.signedOn, 'GXN-TYT'),
    ...body,
    signature,
    para([run(`epiguard · ${d.reference}`, { size: 9, italics: true })], {
      align: AlignmentType.LEFT,
    }),
  ]);
}
