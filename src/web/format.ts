import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import i18n from './i18n/index.ts';

dayjs.extend(customParseFormat);

/** dd/mm/yyyy, whatever the language. */
export const formatDate = (iso: string | null | undefined) =>
  iso ? dayjs(iso).format('DD/MM/YYYY') : '';

export const formatDateTime = (iso: string | null | undefined) =>
  iso ? dayjs(iso).format('DD/MM/YYYY HH:mm:ss') : '';

/** Parses dd/mm/yyyy into YYYY-MM-DD for the API; null if incomplete or not a real date. */
export function parseDisplayDate(text: string): string | null {
  const d = dayjs(text.trim(), 'DD/MM/YYYY', true);
  return d.isValid() ? d.format('YYYY-MM-DD') : null;
}

/** 78.828 in Vietnamese, 78,828 in English. */
export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'vi-VN').format(n);
}

/** Folds Vietnamese to plain ASCII slugs: "thị trấn" → "thi_tran". */
export function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .trim()
    .replace(/\s+/g, '_');
}
