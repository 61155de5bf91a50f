// Base45 (RFC 9285), strict: characters outside the alphabet, a length ≡ 1 (mod 3) and groups
// that overflow (3 characters > 65535, 2 characters > 255) are errors, never silently mapped.

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;
const CHARS = [...ALPHABET];

export class Base45Error extends Error {
  override name = 'Base45Error';
}

function value(text: string, i: number): number {
  const code = text.charCodeAt(i);
  const v = code < 128 ? (VALUES[code] ?? -1) : -1;
  if (v < 0) {
    throw new Base45Error(`character ${JSON.stringify(text[i])} at position ${i} is not base45`);
  }
  return v;
}

export function base45Decode(text: string): Buffer {
  const rest = text.length % 3;
  if (rest === 1) throw new Base45Error(`length ${text.length} is not a valid base45 length`);
  const out = Buffer.allocUnsafe(Math.floor(text.length / 3) * 2 + (rest === 2 ? 1 : 0));
  let o = 0;
  let i = 0;
  for (; i + 3 <= text.length; i += 3) {
    const n = value(text, i) + value(text, i + 1) * 45 + value(text, i + 2) * 2025;
    if (n > 0xffff) throw new Base45Error(`group at position ${i} overflows 16 bits`);
    out[o++] = n >> 8;
    out[o++] = n & 0xff;
  }
  if (rest === 2) {
    const n = value(text, i) + value(text, i + 1) * 45;
    if (n > 0xff) throw new Base45Error(`final group at position ${i} overflows 8 bits`);
    out[o++] = n;
  }
  return out;
}

export function base45Encode(bytes: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 <= bytes.length; i += 2) {
    let n = (bytes[i] as number) * 256 + (bytes[i + 1] as number);
    const c = n % 45;
    n = (n - c) / 45;
    const d = n % 45;
    const e = (n - d) / 45;
    s += (CHARS[c] as string) + (CHARS[d] as string) + (CHARS[e] as string);
  }
  if (i < bytes.length) {
    const n = bytes[i] as number;
    s += (CHARS[n % 45] as string) + (CHARS[Math.floor(n / 45)] as string);
  }
  return s;
}
