/**
 * The `cases` i18next namespace: registered once, on import, from ./i18n.ts, and a typed `t`
 * for it (keys are checked against the Vietnamese bundle).
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from '../i18n/index.ts';
import translations, { type CasesTranslation } from './i18n.ts';

export const NS = 'cases';

for (const lng of ['vi', 'en'] as const) {
  if (!i18n.hasResourceBundle(lng, NS)) i18n.addResourceBundle(lng, NS, translations[lng]);
}

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

export type CasesKey = Leaves<CasesTranslation>;

type Untyped = (key: string, options?: Record<string, unknown>) => string;

/** `t` for the cases namespace; re-renders on a language change like `useTranslation`. */
export function useCT() {
  const { t } = useTranslation();
  return useCallback(
    (key: CasesKey, options?: Record<string, unknown>) =>
      (t as unknown as Untyped)(key, { ...options, ns: NS }),
    [t],
  );
}

export type CT = ReturnType<typeof useCT>;

type Group =
  | 'status'
  | 'foundBy'
  | 'basis'
  | 'source'
  | 'sourceShort'
  | 'strength'
  | 'contactStatus'
  | 'orderKind'
  | 'stage'
  | 'venueKind'
  | 'role';

/** A label for a code of a closed list, or the code itself when the list does not know it. */
export function codeLabel(ct: CT, group: Group, code: string | null | undefined): string {
  if (!code) return '—';
  const bundle = translations.vi[group] as Record<string, string>;
  return code in bundle ? ct(`${group}.${code}` as CasesKey) : code;
}

/** The server's {vi, en} text in the page's language. */
export function useBi() {
  const { i18n: inst } = useTranslation();
  return useCallback(
    (l: { vi: string; en: string } | null | undefined) =>
      l ? (inst.language === 'en' ? l.en : l.vi) : '',
    [inst.language],
  );
}
