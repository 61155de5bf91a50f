/**
 * The `people` i18next namespace: registered once, on import, from ./i18n.ts, and a typed
 * `t` for it (keys are checked against the Vietnamese bundle).
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from '../i18n/index.ts';
import translations, { type PeopleTranslation } from './i18n.ts';

export const NS = 'people';

for (const lng of ['vi', 'en'] as const) {
  if (!i18n.hasResourceBundle(lng, NS)) i18n.addResourceBundle(lng, NS, translations[lng]);
}

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

export type PeopleKey = Leaves<PeopleTranslation>;

type Untyped = (key: string, options?: Record<string, unknown>) => string;

/** `t` for the people namespace; re-renders on a language change like `useTranslation`. */
export function usePT() {
  const { t } = useTranslation();
  return useCallback(
    (key: PeopleKey, options?: Record<string, unknown>) =>
      (t as unknown as Untyped)(key, { ...options, ns: NS }),
    [t],
  );
}

export type PT = ReturnType<typeof usePT>;

/** A label for a code of a closed list, or the code itself when the list does not know it. */
export function codeLabel(
  pt: PT,
  group: 'sex' | 'idType' | 'idTypeLong' | 'relation' | 'reason' | 'part',
  code: string | null | undefined,
): string {
  if (!code) return '—';
  const bundle = translations.vi[group] as Record<string, string>;
  return code in bundle ? pt(`${group}.${code}` as PeopleKey) : code;
}
