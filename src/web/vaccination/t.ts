/**
 * The `vaccination` i18next namespace: registered once, on import, from ./i18n.ts, and a typed
 * `t` for it (keys are checked against the Vietnamese bundle).
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from '../i18n/index.ts';
import translations, { type VaccinationTranslation } from './i18n.ts';
import type { Bilingual } from './types.ts';

export const NS = 'vaccination';

for (const lng of ['vi', 'en'] as const) {
  if (!i18n.hasResourceBundle(lng, NS)) i18n.addResourceBundle(lng, NS, translations[lng]);
}

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

export type VaccinationKey = Leaves<VaccinationTranslation>;

type Untyped = (key: string, options?: Record<string, unknown>) => string;

/** `t` for the vaccination namespace; re-renders on a language change like `useTranslation`. */
export function useVT() {
  const { t } = useTranslation();
  return useCallback(
    (key: VaccinationKey, options?: Record<string, unknown>) =>
      (t as unknown as Untyped)(key, { ...options, ns: NS }),
    [t],
  );
}

export type VT = ReturnType<typeof useVT>;

type Group = 'outcome' | 'reason' | 'severity' | 'aefiOutcome' | 'sex' | 'kind' | 'step';

/** A label for a code of a closed list, or the code itself when the list does not know it. */
export function codeLabel(vt: VT, group: Group, code: string | null | undefined): string {
  if (!code) return '—';
  const bundle = translations.vi[group] as Record<string, string>;
  return code in bundle ? vt(`${group}.${code}` as VaccinationKey) : code;
}

/** "Mũi 1", "Mũi 2", "Mũi nhắc lại (3)". */
export function doseLabel(vt: VT, n: number, kind: 'primary' | 'booster' = 'primary'): string {
  if (kind === 'booster') return vt('doseName.booster', { n });
  if (n >= 1 && n <= 3) return vt(`doseName.n${n}` as VaccinationKey);
  return vt('doseName.other', { n });
}

/** The server's bilingual text in the current language. */
export function useBi() {
  const { i18n: inst } = useTranslation();
  return useCallback(
    (b: Bilingual | null | undefined) => (b ? (inst.language === 'en' ? b.en : b.vi) : ''),
    [inst.language],
  );
}

/** Both languages of a key, for the bilingual certificate: "Họ và tên / Name". */
export function both(key: VaccinationKey, options?: Record<string, unknown>): string {
  const t = i18n.t.bind(i18n) as unknown as Untyped;
  return `${t(key, { ...options, ns: NS, lng: 'vi' })} / ${t(key, { ...options, ns: NS, lng: 'en' })}`;
}
