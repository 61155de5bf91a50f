/**
 * The `testing` i18next namespace: registered once, on import, from ./i18n.ts, and a typed `t`
 * for it (keys are checked against the Vietnamese bundle).
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from '../i18n/index.ts';
import translations, { type TestingTranslation } from './i18n.ts';
import type { Bilingual } from './types.ts';

export const NS = 'testing';

for (const lng of ['vi', 'en'] as const) {
  if (!i18n.hasResourceBundle(lng, NS)) i18n.addResourceBundle(lng, NS, translations[lng]);
}

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

export type TestingKey = Leaves<TestingTranslation>;

type Untyped = (key: string, options?: Record<string, unknown>) => string;

/** `t` for the testing namespace; re-renders on a language change like `useTranslation`. */
export function useTT() {
  const { t } = useTranslation();
  return useCallback(
    (key: TestingKey, options?: Record<string, unknown>) =>
      (t as unknown as Untyped)(key, { ...options, ns: NS }),
    [t],
  );
}

export type TT = ReturnType<typeof useTT>;

type Group =
  | 'reason'
  | 'result'
  | 'orderStatus'
  | 'specimenStatus'
  | 'poolStatus'
  | 'importStatus'
  | 'rowStatus'
  | 'matchedBy'
  | 'campaignKind'
  | 'f0Outcome'
  | 'field'
  | 'source'
  | 'retestMode';

/** A label for a code of a closed list, or the code itself when the list does not know it. */
export function codeLabel(tt: TT, group: Group, code: string | null | undefined): string {
  if (!code) return '—';
  const bundle = translations.vi[group] as Record<string, string>;
  return code in bundle ? tt(`${group}.${code}` as TestingKey) : code;
}

/** The server's bilingual text in the current language. */
export function useBi() {
  const { i18n: inst } = useTranslation();
  return useCallback(
    (b: Bilingual | null | undefined) => (b ? (inst.language === 'en' ? b.en : b.vi) : ''),
    [inst.language],
  );
}
