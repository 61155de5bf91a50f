/** The `greenlane` i18next namespace, registered on import, and a typed `t` for it. */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from '../i18n/index.ts';
import translations, { type GreenLaneTranslation } from './i18n.ts';

export const NS = 'greenlane';
for (const lng of ['vi', 'en'] as const) {
  if (!i18n.hasResourceBundle(lng, NS)) i18n.addResourceBundle(lng, NS, translations[lng]);
}

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
export type GreenLaneKey = Leaves<GreenLaneTranslation>;
type Untyped = (key: string, options?: Record<string, unknown>) => string;

export function useGT() {
  const { t, i18n: inst } = useTranslation();
  const gt = useCallback(
    (key: GreenLaneKey, options?: Record<string, unknown>) =>
      (t as unknown as Untyped)(key, { ...options, ns: NS }),
    [t],
  );
  /** The server's bilingual text in the current language. */
  const bi = useCallback(
    (b: { vi: string; en: string } | null | undefined) =>
      b ? (inst.language === 'en' ? b.en : b.vi) : '',
    [inst.language],
  );
  return { gt, bi };
}
