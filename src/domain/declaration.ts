/**
 * Health declarations: the national personal QR (QĐ 1405/QĐ-BTTTT) that pre-fills the form, and
 * epiguard's own signed declaration QR that a checkpoint checks offline. Pure: the signature
 * itself is made and checked by the server (and the checkpoint page) with the province's key.
 */
import type { QrFacts } from './arrival-facts.ts';
import { fold } from './text.ts';

export const TRAVEL_MODES = [
  'plane',
  'train',
  'coach',
  'boat',
  'personal_vehicle',
  'other',
] as const;
export const SYMPTOMS = [
  'fever',
  'cough',
  'shortness_of_breath',
  'pneumonia',
  'sore_throat',
  'tiredness',
] as const;
export type Symptom = (typeof SYMPTOMS)[number];

export interface NationalQr {
  idNumber: string;
  /** As printed in the QR: capitals without diacritics. */
  name: string;
  birthDate: string | null;
  birthYear: number | null;
  /** 0: the person declared for themself; 1: on their behalf. */
  onBehalf: boolean;
  qid: string;
  ext: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Parses the national personal QR: `SoGiayTo|HoTen|NgaySinh|LoaiDinhDanh|QID|EXT`.
 * NgaySinh is YYYY-MM-DD (some issuers print only the year, or dd/mm/yyyy: both accepted).
 */
export function parseNationalQr(text: string): ParseResult<NationalQr> {
  const parts = text.trim().split('|');
  if (parts.length < 4 || parts.length > 6) {
    return {
      ok: false,
      error: 'Không phải mã QR cá nhân theo QĐ 1405 (cần 4–6 trường cách nhau bởi "|")',
    };
  }
  const [idNumber = '', name = '', birth = '', kind = '', qid = '', ext = ''] = parts.map((p) =>
    p.trim(),
  );
  if (!/^[A-Z0-9]{6,20}$/i.test(idNumber)) return { ok: false, error: 'Số giấy tờ không hợp lệ' };
  if (!name) return { ok: false, error: 'Thiếu họ tên' };
  if (kind !== '0' && kind !== '1') return { ok: false, error: 'Loại định danh phải là 0 hoặc 1' };
  let birthDate: string | null = null;
  let birthYear: number | null = null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birth);
  const vn = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(birth);
  if (iso) birthDate = `${iso[1]}-${iso[2]}-${iso[3]}`;
  else if (vn) birthDate = `${vn[3]}-${vn[2]}-${vn[1]}`;
  else if (/^\d{4}$/.test(birth)) birthYear = Number(birth);
  else return { ok: false, error: 'Ngày sinh không hợp lệ' };
  if (birthDate) {
    const d = new Date(birthDate + 'T00:00:00Z');
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== birthDate) {
      return { ok: false, error: 'Ngày sinh không có thật' };
    }
    birthYear = d.getUTCFullYear();
  }
  return {
    ok: true,
    value: {
      idNumber: idNumber.toUpperCase(),
      name: name.toUpperCase(),
      birthDate,
      birthYear,
      onBehalf: kind === '1',
      qid,
      ext,
    },
  };
}

/** The fields epiguard's declaration QR carries: enough to recognise and classify the person. */
export interface DeclarationQrPayload {
  v: 1;
  /** declaration code */
  c: string;
  /** name, capitals without diacritics */
  n: string;
  /** birth year */
  y: number;
  /** province that signed it */
  p: string;
  /** declared on (YYYY-MM-DD) */
  d: string;
  /** valid until (YYYY-MM-DD) */
  e: string;
  /**
   * What the arrival classification reads (issue 16 item 1), so that a checkpoint without a
   * connection classifies with its cached rule set; absent in codes signed before.
   */
  f?: QrFacts;
}

export const DECLARATION_QR_PREFIX = 'EGD1:';

/** Name as printed on QR codes and certificates: "Nguyễn Văn An" → "NGUYEN VAN AN". */
export const qrName = (name: string) => fold(name).toUpperCase();

const b64url = {
  encode: (bytes: Uint8Array) => {
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  },
  decode: (text: string) => {
    const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(s, (c) => c.charCodeAt(0));
  },
};

/** The bytes that are signed, and the QR text built from them and the signature. */
export function declarationQrMessage(payload: DeclarationQrPayload): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(payload));
}

export function encodeDeclarationQr(payload: DeclarationQrPayload, signature: Uint8Array): string {
  return `${DECLARATION_QR_PREFIX}${b64url.encode(declarationQrMessage(payload))}.${b64url.encode(signature)}`;
}

export function decodeDeclarationQr(
  text: string,
): ParseResult<{ payload: DeclarationQrPayload; message: Uint8Array; signature: Uint8Array }> {
  const t = text.trim();
  if (!t.startsWith(DECLARATION_QR_PREFIX))
    return { ok: false, error: 'Không phải mã QR khai báo y tế của epiguard' };
  const [body = '', sig = '', ...rest] = t.slice(DECLARATION_QR_PREFIX.length).split('.');
  if (!body || !sig || rest.length) return { ok: false, error: 'Mã QR bị hỏng' };
  try {
    const message = b64url.decode(body);
    const signature = b64url.decode(sig);
    const payload = JSON.parse(new TextDecoder().decode(message)) as DeclarationQrPayload;
    const valid =
      payload?.v === 1 &&
      typeof payload.c === 'string' &&
      typeof payload.n === 'string' &&
      Number.isInteger(payload.y) &&
      /^\d{2}$/.test(String(payload.p)) &&
      /^\d{4}-\d{2}-\d{2}$/.test(String(payload.d)) &&
      /^\d{4}-\d{2}-\d{2}$/.test(String(payload.e));
    if (!valid) return { ok: false, error: 'Mã QR bị hỏng' };
    return { ok: true, value: { payload, message, signature } };
  } catch {
    return { ok: false, error: 'Mã QR bị hỏng' };
  }
}
