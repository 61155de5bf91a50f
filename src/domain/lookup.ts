/**
 * The citizen's result lookup code: 20 hexadecimal digits (80 random bits) drawn by the database
 * for each specimen (migration 0008) and handed to the person at sampling. Written in groups of
 * four; read back with spaces, dashes, lower case and the look-alikes O (0) and I / L (1).
 */
export const LOOKUP_CODE_RE = /^[0-9A-F]{20}$/;

/** The code as stored, or null when the text cannot be one. */
export function normaliseLookupCode(text: string): string | null {
  const code = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return LOOKUP_CODE_RE.test(code) ? code : null;
}

/** "0123-4567-89AB-CDEF-0123": how the code is printed and shown. */
export function formatLookupCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}
