import { ApiError } from './api.ts';

/** A v4 UUID from getRandomValues (crypto.randomUUID needs a secure context; LAN http has none). */
export function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A password a person can type from a note: 4 groups of 4, no look-alike characters. */
export function randomPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let out = '';
  bytes.forEach((byte, i) => {
    if (i > 0 && i % 4 === 0) out += '-';
    out += alphabet[byte % alphabet.length];
  });
  return out;
}

/** Field errors of a failed request, by path. */
export function fieldErrors(error: unknown): Record<string, string | undefined> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const f of error.fields) out[f.path] ??= f.message;
  return out;
}

/** The field errors whose path is not one of `shown` (so they are not lost). */
export function unshownFields(error: unknown, shown: (path: string) => boolean) {
  return error instanceof ApiError ? error.fields.filter((f) => !shown(f.path)) : [];
}
