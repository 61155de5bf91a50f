/**
 * Quyết định cách ly (issue 16 item 3) in the layout of an administrative decision (Nghị định
 * 30/2020/NĐ-CP, phụ lục I): the unit and the national motto side by side, số/ký hiệu, place and
 * date, the title, the căn cứ lines (the laws and the rule set's legal basis), the articles with
 * the person, the place and the period from the order, and the signing authority of the issuing
 * People's Committee. Built with the `docx` library; no I/O here.
 */
import { formatViDate } from '../../domain/dates.ts';
import { AlignmentType, Table, TableRow, WidthType } from 'docx';
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
import type { LegalBasis } from '../../domain/rulesets.ts';

export interface QuarantineDecisionData {
  /** "UBND XÃ ..." as printed top left, and the name of the unit ("Phường Mường Thanh"). */
  unit: { parent: string; name: string; placeName: string };
  signedOn: string;
  person: PersonDetails;
  kind: 'centralised' | 'home' | 'self_monitoring';
  place: string;
  from: string;
  to: string;
  legalBasis: LegalBasis;
  rulesetId: string;
  ruleId: string;
  caseCode: string;
  reference: string;
}

const KIND_WORDS: Record<QuarantineDecisionData['kind'], string> = {
  centralised: 'cách ly y tế tập trung',
  home: 'cách ly y tế tại nhà',
  self_monitoring: 'tự theo dõi sức khoẻ tại nơi cư trú',
};

export async function quarantineDecisionDocx(d: QuarantineDecisionData): Promise<Buffer> {
  const header = nationalHeader(d.unit, d.signedOn);
  const lb = d.legalBasis;
  const p = d.person;
  const born = p.birthDate ? formatViDate(p.birthDate) : String(p.birthYear);
  const body = [
    para([run('QUYẾT ĐỊNH', { bold: true, size: 14 })], { align: AlignmentType.CENTER, after: 0 }),
    para([run(`Về việc áp dụng biện pháp ${KIND_WORDS[d.kind]}`, { bold: true, size: 14 })], {
      align: AlignmentType.CENTER,
      after: 0,
    }),
    para([run('—————', { size: 12 })], { align: AlignmentType.CENTER, after: 120 }),
    para([run(`CHỦ TỊCH ỦY BAN NHÂN DÂN ${d.unit.name.toUpperCase()}`, { bold: true })], {
      align: AlignmentType.CENTER,
      after: 160,
    }),
    para(
      [
        run('Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;', {
          italics: true,
        }),
      ],
      { indent: true },
    ),
    para(
      [
        run('Căn cứ Luật Phòng, chống bệnh truyền nhiễm ngày 21 tháng 11 năm 2007;', {
          italics: true,
        }),
      ],
      { indent: true },
    ),
    para(
      [run(`Căn cứ ${lb.number} ngày ${formatViDate(lb.date)} — ${lb.title};`, { italics: true })],
      { indent: true },
    ),
    para(
      [
        run(
          `Căn cứ kết quả điều tra dịch tễ: người có tiếp xúc với ca bệnh ${d.caseCode}, được phân loại theo quy tắc ${d.ruleId} của bộ quy tắc ${d.rulesetId},`,
          { italics: true },
        ),
      ],
      { indent: true, after: 160 },
    ),
    para([run('QUYẾT ĐỊNH:', { bold: true })], { align: AlignmentType.CENTER, after: 160 }),
    para(
      [run('Điều 1. ', { bold: true }), run(`Áp dụng biện pháp ${KIND_WORDS[d.kind]} đối với:`)],
      { indent: true },
    ),
    para(
      [
        run(`Họ và tên: `),
        run(p.fullName, { bold: true }),
        run(`; giới tính: ${SEX_WORDS[p.sex]}; ngày sinh: ${born}`),
      ],
      { indent: true },
    ),
    para([run(`Số định danh cá nhân/CCCD: ${p.idNumber ?? '………………'}`)], { indent: true }),
    para([run(`Nơi cư trú: ${p.address}`)], { indent: true }),
    para([run(`Địa điểm cách ly: ${d.place}`)], { indent: true }),
    para([run(`Thời gian: từ ngày ${formatViDate(d.from)} đến hết ngày ${formatViDate(d.to)}.`)], {
      indent: true,
    }),
    para(
      [
        run('Điều 2. ', { bold: true }),
        run(
          'Người được cách ly có trách nhiệm chấp hành nghiêm các quy định về cách ly y tế, lấy mẫu xét nghiệm theo lịch và thông báo ngay cho trạm y tế khi có dấu hiệu sốt, ho, khó thở.',
        ),
      ],
      { indent: true },
    ),
    para(
      [
        run('Điều 3. ', { bold: true }),
        run(
          `Quyết định này có hiệu lực kể từ ngày ký. Trạm Y tế, Công an ${d.unit.name} và người có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.`,
        ),
      ],
      { indent: true, after: 240 },
    ),
  ];
  const signature = new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [Math.round(TEXT_WIDTH * 0.45), Math.round(TEXT_WIDTH * 0.55)],
    borders: { ...noBorders, insideHorizontal: NONE, insideVertical: NONE },
    rows: [
      new TableRow({
        children: [
          cell(
            [
              para([run('Nơi nhận:', { bold: true, italics: true, size: 12 })], {
                align: AlignmentType.LEFT,
                after: 0,
              }),
              para([run('- Như Điều 3;', { size: 11 })], { align: AlignmentType.LEFT, after: 0 }),
              para([run(`- ${d.unit.parent};`, { size: 11 })], {
                align: AlignmentType.LEFT,
                after: 0,
              }),
              para([run('- Lưu: VT.', { size: 11 })], { align: AlignmentType.LEFT, after: 0 }),
            ],
            45,
          ),
          cell(
            [
              para([run('CHỦ TỊCH', { bold: true })], { align: AlignmentType.CENTER, after: 0 }),
              para([run('(Ký, ghi rõ họ tên và đóng dấu)', { italics: true, size: 12 })], {
                align: AlignmentType.CENTER,
                after: 1200,
              }),
            ],
            55,
          ),
        ],
      }),
    ],
  });
  const footer = para([run(`epiguard · ${d.reference}`, { size: 9, italics: true })], {
    align: AlignmentType.LEFT,
  });
  return a4Docx(`Quyết định cách ly — ${p.fullName}`, [
    header,
    para([run('')], { after: 200 }),
    ...body,
    signature,
    footer,
  ]);
}
