/**
 * Error messages in the request's language (issue 16 item 6). Every field message an answer
 * carries comes from the tables below, in Vietnamese (the default) and English, in words a health
 * worker reads: a zod issue is worded from its code and limits (never zod's own English text), and
 * a message a schema or handler writes in Vietnamese is looked up in KNOWN for its English twin.
 */

export type Lang = 'vi' | 'en';

/** The language of a request: its Accept-Language (the web app sends the user's choice). */
export function requestLang(acceptLanguage: string | string[] | undefined): Lang {
  const header = Array.isArray(acceptLanguage) ? acceptLanguage[0] : acceptLanguage;
  const first = (header ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'vi';
}

type Text = { vi: string; en: string };

/** How a zod issue reads, by its code (and for some codes the expected type or the limit). */
const ISSUE_TEXT = {
  required: { vi: 'Chưa nhập (bắt buộc)', en: 'Missing (required)' },
  'type.number': { vi: 'Phải là một số', en: 'Must be a number' },
  'type.int': { vi: 'Phải là số nguyên', en: 'Must be a whole number' },
  'type.string': { vi: 'Phải là chữ', en: 'Must be text' },
  'type.boolean': { vi: 'Phải là có hoặc không', en: 'Must be yes or no' },
  'type.array': { vi: 'Phải là một danh sách', en: 'Must be a list' },
  'type.object': { vi: 'Phải là một nhóm thông tin', en: 'Must be a group of fields' },
  'type.date': { vi: 'Phải là một ngày', en: 'Must be a date' },
  type: { vi: 'Sai kiểu dữ liệu', en: 'Wrong kind of value' },
  'small.string': { vi: 'Ít nhất {n} ký tự', en: 'At least {n} characters' },
  'small.array': { vi: 'Ít nhất {n} mục', en: 'At least {n} items' },
  'small.number': { vi: 'Không được nhỏ hơn {n}', en: 'Must not be less than {n}' },
  'small.number.exclusive': { vi: 'Phải lớn hơn {n}', en: 'Must be more than {n}' },
  'big.string': { vi: 'Tối đa {n} ký tự', en: 'At most {n} characters' },
  'big.array': { vi: 'Tối đa {n} mục', en: 'At most {n} items' },
  'big.number': { vi: 'Không được lớn hơn {n}', en: 'Must not be more than {n}' },
  'big.number.exclusive': { vi: 'Phải nhỏ hơn {n}', en: 'Must be less than {n}' },
  'format.uuid': { vi: 'Mã định danh không hợp lệ', en: 'Not a valid identifier' },
  'format.email': { vi: 'Địa chỉ email không hợp lệ', en: 'Not a valid email address' },
  'format.date': { vi: 'Ngày không hợp lệ (dạng YYYY-MM-DD)', en: 'Not a valid date (YYYY-MM-DD)' },
  'format.datetime': {
    vi: 'Thời điểm không hợp lệ (dạng ISO 8601)',
    en: 'Not a valid time (ISO 8601)',
  },
  format: { vi: 'Không đúng định dạng', en: 'Not in the expected format' },
  oneOf: { vi: 'Chỉ nhận một trong: {values}', en: 'Must be one of: {values}' },
  unknownKeys: { vi: 'Trường không được nhận: {keys}', en: 'Fields not accepted: {keys}' },
  multipleOf: { vi: 'Phải là bội số của {n}', en: 'Must be a multiple of {n}' },
  invalid: { vi: 'Giá trị không hợp lệ', en: 'Not a valid value' },
} satisfies Record<string, Text>;

/** Answers that are not about one field. */
export const ERROR_TEXT = {
  validation: { vi: 'Dữ liệu chưa đúng — {fields}', en: 'Please check — {fields}' },
  unauthorized: {
    vi: 'Chưa đăng nhập hoặc phiên đã hết hạn',
    en: 'You are not logged in, or your session has ended',
  },
  forbidden: {
    vi: 'Không có quyền thực hiện thao tác này',
    en: 'You are not allowed to do this',
  },
  notFound: { vi: '{what} không tồn tại', en: '{what} not found' },
  noRoute: { vi: 'Không có đường dẫn {route}', en: 'There is no page {route}' },
  rateLimited: {
    vi: 'Quá nhiều yêu cầu, vui lòng thử lại sau',
    en: 'Too many requests, please try again later',
  },
  internal: {
    vi: 'Lỗi hệ thống; mã yêu cầu {id}',
    en: 'System error; request number {id}',
  },
  exists: { vi: 'Bản ghi đã tồn tại', en: 'This record already exists' },
  used: { vi: 'Giá trị đã được dùng', en: 'This value is already used' },
  badRequest: { vi: 'Yêu cầu không đọc được', en: 'The request could not be read' },
} satisfies Record<string, Text>;

/**
 * Messages written in Vietnamese where a rule is declared (a schema's `.regex(…, 'text')`, a
 * handler's `fieldError`), with their English. A schema message missing here is replaced by
 * the wording of its issue code (see messages.test.ts, which finds the schemas' messages).
 */
export const KNOWN: Record<string, string> = {
  // issue 18 item 2 (community teams)
  'Tổ trưởng phải là tài khoản tổ COVID cộng đồng của thôn':
    "The leader must be a community team account of the team's village",
  'Hộ không thuộc thôn của tổ': "The household is not in the team's village",
  // issue 17 item 5 (border posts)
  'Không phải cơ sở cách ly tập trung': 'Not a centralised quarantine facility',
  'Ngày bắt đầu sau ngày kết thúc': 'The start date is after the end date',
  // issue 18 item 4 (workplaces and schools)
  'Tên từ 2 ký tự': 'A name of at least 2 characters',
  'Tên tối đa 200 ký tự': 'A name of at most 200 characters',
  'Loại cơ sở không hợp lệ': 'Unknown kind of workplace',
  'Số người lao động / học sinh là số': 'The number of workers / pupils is a number',
  'Số người lao động / học sinh là số nguyên': 'The number of workers / pupils is a whole number',
  'Số người lao động / học sinh từ 1': 'At least 1 worker / pupil',
  'Số người lao động / học sinh tối đa 500.000': 'At most 500,000 workers / pupils',
  'Địa chỉ tối đa 300 ký tự': 'An address of at most 300 characters',
  'Vĩ độ từ -90 đến 90': 'Latitude between -90 and 90',
  'Kinh độ từ -180 đến 180': 'Longitude between -180 and 180',
  'Cần cả vĩ độ và kinh độ': 'Both latitude and longitude are needed',
  'Mã nơi làm việc không hợp lệ': 'Not a workplace id',
  'Trả lời yes, no hoặc na': 'Answer yes, no or na',
  'Chưa trả lời tiêu chí này': 'This criterion is not answered',
  'Không có tiêu chí này trong bộ tiêu chí': 'No such criterion in the rule set',
  'Ngày đánh giá không được ở tương lai': 'The assessment date cannot be in the future',
  'Ngày đánh giá quá 30 ngày trước': 'The assessment date is more than 30 days ago',
  'Không có bộ tiêu chí hiệu lực vào ngày này': 'No criteria in force on that day',
  'Không có bộ tiêu chí hiệu lực hôm nay': 'No criteria in force today',
  'Cần ít nhất một tiêu chí': 'At least one criterion is needed',
  'Mã tiêu chí bị trùng': 'A repeated criterion id',
  'Điểm từ 1 đến 100': 'Points from 1 to 100',
  'Mức nguy cơ không hợp lệ': 'Unknown risk level',
  'Ngưỡng từ 0 đến 100': 'A threshold from 0 to 100',
  'Ngưỡng phải giảm dần': 'Thresholds must decrease',
  'Mức cuối cùng phải có ngưỡng 0': 'The last level must have threshold 0',
  'Từ 1 đến 90 ngày': 'From 1 to 90 days',
  'Ít nhất 1 ca dương tính': 'At least 1 positive',
  'Từ 1 đến 60 ngày': 'From 1 to 60 days',
  // issue 17 (green lane: revocation, closed-loop alerts)
  'Thu hồi phải nêu lý do (ít nhất 3 ký tự)':
    'A revocation must give its reason (at least 3 characters)',
  'Đóng cảnh báo phải nêu lý do (ít nhất 3 ký tự)':
    'Closing an alert must give its reason (at least 3 characters)',
  'Lý do tối đa 1.000 ký tự': 'The reason may be at most 1,000 characters',
  // issue 18 (supplies) and issue 13 item 7 (past records)
  'Mã: chữ thường, số, gạch dưới (2–40 ký tự)':
    'Code: lower-case letters, digits and underscores (2–40 characters)',
  'Thời điểm quá 30 ngày trước': 'More than 30 days ago',
  'Thời điểm quá 24 giờ trước': 'More than 24 hours ago',
  'Thời điểm trước 01/01/2020: kiểm tra lại ngày': 'Before 01/01/2020: check the date',
  'Hồ sơ cũ hơn 30 ngày: ghi lý do nhập muộn (ví dụ: sổ giấy của chốt, ngày…)':
    "A record older than 30 days: give the reason it is entered late (e.g. the checkpoint's paper book, date…)",
  'Hồ sơ cũ hơn 24 giờ: ghi lý do nhập muộn (ví dụ: sổ giấy của chốt, ngày…)':
    "A record older than 24 hours: give the reason it is entered late (e.g. the venue's paper book, date…)",
  'Thời điểm ở tương lai': 'In the future',
  'Bắt buộc': 'Required',
  'Ngày dạng YYYY-MM-DD': 'A date as YYYY-MM-DD',
  'Ngày YYYY-MM-DD': 'A date as YYYY-MM-DD',
  'Ngày không hợp lệ (YYYY-MM-DD)': 'Not a valid date (YYYY-MM-DD)',
  'Ngày không có thật': 'This date does not exist',
  'Thời điểm dạng ISO 8601': 'A time in ISO 8601 form',
  'Mã xã gồm 5 chữ số': 'A commune code has 5 digits',
  'Mã xã 5 chữ số': 'A commune code has 5 digits',
  'Mã tỉnh gồm 2 chữ số': 'A province code has 2 digits',
  'Mã đơn vị hành chính gồm 2, 3 hoặc 5 chữ số': 'An administrative unit code has 2, 3 or 5 digits',
  'Mã đơn vị 2, 3 hoặc 5 chữ số': 'A unit code has 2, 3 or 5 digits',
  'Mã khai báo gồm 8 ký tự': 'A declaration code has 8 characters',
  'Nêu lý do (ít nhất 5 ký tự)': 'Give a reason (at least 5 characters)',
  'Nêu lý do (ít nhất 3 ký tự)': 'Give a reason (at least 3 characters)',
  'Ít nhất 3 ký tự': 'At least 3 characters',
  'Số điện thoại Việt Nam, ví dụ 0912345678': 'A Vietnamese phone number, e.g. 0912345678',
  'Mật khẩu mới: tối đa 200 ký tự': 'New password: at most 200 characters',
  'Mật khẩu hiện tại: bắt buộc': 'Current password: required',
  'Mã quốc gia ISO 3166-1 gồm 2 chữ cái (VN, LA, CN…)':
    'An ISO 3166-1 country code of 2 letters (VN, LA, CN…)',
  'Mã quốc gia 2 chữ cái, ví dụ VN': 'A 2-letter country code, e.g. VN',
  'Mã mẫu 3–40 ký tự chữ, số, . _ / -': 'A sample code of 3–40 letters, digits, . _ / -',
  'Chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới':
    'Only unaccented letters, digits, dots, hyphens and underscores',
  'Con trỏ phân trang không hợp lệ': 'Not a valid page cursor',
  'Năm sinh ở tương lai': 'The year of birth is in the future',
  'Năm sinh không khớp ngày sinh': 'The year of birth does not match the date of birth',
  'Năm sinh khác với ngày sinh': 'The year of birth differs from the date of birth',
  'Ngày kết thúc trước ngày bắt đầu': 'The end date is before the start date',
  'Đến ngày trước từ ngày': 'The "to" date is before the "from" date',
  'Cần ngày sinh hoặc năm sinh': 'A date of birth or a year of birth is needed',
  'Cần cả loại và số giấy tờ': 'Both the document type and number are needed',
  'Chọn loại giấy tờ': 'Choose the document type',
  'Nhập số giấy tờ': 'Enter the document number',
  'Xã không thuộc tỉnh đã chọn': 'The commune is not in the chosen province',
  'Huyện không thuộc tỉnh đã chọn': 'The district is not in the chosen province',
  'Thôn/bản không thuộc xã đã chọn': 'The village is not in the chosen commune',
  'Không thuộc địa bàn của bạn': 'Outside your jurisdiction',
  'Không hợp lệ': 'Not valid',
  'Tên đăng nhập đã có': 'This username is already taken',
  'Mã đã dùng': 'This code is already used',
  'Mã mẫu đã dùng': 'This sample code is already used',
  'Cần ngày tiêm mũi gần nhất': 'The date of the last dose is needed',
  'Chọn thôn (village) hoặc xã (commune)': 'Choose a village or a commune',
  'Cần mã QR (qr) hoặc ảnh (png)': 'A QR code (qr) or a picture (png) is needed',
  'Khai hộ: cần thông tin người khai': 'Declaring for someone: the declarant is needed',
  'Ngày đi đã quá 30 ngày': 'The travel date is more than 30 days ago',
  'Ngày đi quá 30 ngày tới': 'The travel date is more than 30 days ahead',
  'Tệp XLSX hỏng hoặc không đúng định dạng': 'The XLSX file is damaged or not in the right form',
  'Ngày ở tương lai': 'The date is in the future',
  'Ngày sinh ở tương lai': 'The date of birth is in the future',
  'Số điện thoại không hợp lệ': 'Not a valid phone number',
  'Không thể tự vô hiệu hóa tài khoản của mình': 'You cannot disable your own account',
  'Không thể tự đổi vai trò hoặc địa bàn của mình':
    'You cannot change your own role or jurisdiction',
  'Gửi tệp dạng multipart/form-data có boundary (Content-Type thiếu boundary)':
    'Send the file as multipart/form-data with a boundary (the Content-Type has none)',
};

/** ERROR_TEXT's wordings without a blank, by their Vietnamese. */
const FIXED_EN: Record<string, string> = Object.fromEntries(
  Object.values(ERROR_TEXT as Record<string, Text>)
    .filter((t) => !t.vi.includes('{'))
    .map((t) => [t.vi, t.en]),
);

/** What `notFound(what)` names, for the English answer. */
const NOUNS: Record<string, string> = {
  'Bản ghi': 'Record',
  Trang: 'Page',
  'Đơn vị': 'Unit',
  'Người dân': 'Person',
  'Ca bệnh': 'Case',
  'Người dùng': 'User',
};

const fill = (text: string, vars: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));

export function say(
  key: keyof typeof ISSUE_TEXT | keyof typeof ERROR_TEXT,
  lang: Lang,
  vars: Record<string, string | number> = {},
): string {
  const entry =
    (ISSUE_TEXT as Record<string, Text>)[key] ?? (ERROR_TEXT as Record<string, Text>)[key];
  return fill(entry![lang], vars);
}

/** A message written in Vietnamese, in the request's language (itself when not in KNOWN). */
export function translate(message: string, lang: Lang): string {
  if (lang === 'vi') return message;
  const known = KNOWN[message] ?? FIXED_EN[message];
  if (known) return known;
  const notFound = /^(.+) không tồn tại$/.exec(message);
  if (notFound) return say('notFound', 'en', { what: NOUNS[notFound[1]!] ?? 'Record' });
  // "path: message" (fieldError's summary)
  const colon = message.indexOf(': ');
  if (colon > 0 && KNOWN[message.slice(colon + 2)])
    return `${message.slice(0, colon)}: ${KNOWN[message.slice(colon + 2)]}`;
  return message;
}

/** The parts of a zod issue the wording needs (fastify-type-provider-zod passes them as params). */
export interface IssueLike {
  code: string;
  message: string;
  /** The value at the issue's path as sent, to tell "missing" from "wrong". */
  value?: unknown;
  expected?: string;
  origin?: string;
  format?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  values?: unknown[];
  keys?: string[];
  divisor?: number;
}

const sizeKind = (origin: string | undefined) =>
  origin === 'string' ? 'string' : origin === 'array' || origin === 'set' ? 'array' : 'number';

/** One zod issue in words, in `lang`. */
export function issueMessage(issue: IssueLike, lang: Lang): string {
  if (KNOWN[issue.message]) return lang === 'vi' ? issue.message : KNOWN[issue.message]!;
  const missing = issue.value === undefined || issue.value === null || issue.value === '';
  switch (issue.code) {
    case 'invalid_type': {
      if (missing) return say('required', lang);
      const key = `type.${issue.expected}`;
      return key in ISSUE_TEXT ? say(key as keyof typeof ISSUE_TEXT, lang) : say('type', lang);
    }
    case 'too_small': {
      const kind = sizeKind(issue.origin);
      if (kind === 'string' && Number(issue.minimum) === 1 && missing) return say('required', lang);
      const exclusive = kind === 'number' && issue.inclusive === false ? '.exclusive' : '';
      return say(`small.${kind}${exclusive}` as keyof typeof ISSUE_TEXT, lang, {
        n: String(issue.minimum),
      });
    }
    case 'too_big': {
      const kind = sizeKind(issue.origin);
      const exclusive = kind === 'number' && issue.inclusive === false ? '.exclusive' : '';
      return say(`big.${kind}${exclusive}` as keyof typeof ISSUE_TEXT, lang, {
        n: String(issue.maximum),
      });
    }
    case 'invalid_format': {
      const key = `format.${issue.format}`;
      return key in ISSUE_TEXT ? say(key as keyof typeof ISSUE_TEXT, lang) : say('format', lang);
    }
    case 'invalid_value':
      if (missing) return say('required', lang);
      return say('oneOf', lang, { values: (issue.values ?? []).map(String).join(', ') });
    case 'unrecognized_keys':
      return say('unknownKeys', lang, { keys: (issue.keys ?? []).join(', ') });
    case 'not_multiple_of':
      return say('multipleOf', lang, { n: String(issue.divisor) });
    default:
      return missing ? say('required', lang) : say('invalid', lang);
  }
}
