/**
 * Vietnamese text helpers. `fold` makes names comparable when typed without accents:
 * "Nguyễn Văn An", "nguyen van an" and "NGUYEN  VAN AN" all fold to "nguyen van an".
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Formats a date as dd/mm/yyyy, the form used in every Vietnamese document. */
export function formatDateVi(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  const dd = String(d.getUTCDate()).padStart(2, '0');
  const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
  return `${dd}/${mm}/${d.getUTCFullYear()}`;
}

/**
 * A name as stored and exchanged: Unicode NFC, so "Nguyễn" typed with combining marks (NFD, as
 * some keyboards and macOS files send it) is the same string as the precomposed one.
 */
export function nfc(text: string): string {
  return text.normalize('NFC');
}
