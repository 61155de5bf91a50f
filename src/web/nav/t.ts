/** The `nav` i18next namespace, registered on import, and a `t` bound to it. */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from '../i18n/index.ts';
import translations, { type NavTranslation } from './i18n.ts';

export const NS = 'nav';
for (const lng of ['vi', 'en'] as const)
  if (!i18n.hasResourceBundle(lng, NS)) i18n.addResourceBundle(lng, NS, translations[lng]);

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
export type NavKey = Leaves<NavTranslation>;

type Untyped = (key: string, options?: Record<string, unknown>) => string;

/** `t` for any namespace (menu labels live in their module's), and `nt` for this one. */
export function useNT() {
  const { t, i18n: inst } = useTranslation();
  const any = useCallback(
    (key: string, ns = 'translation') => (t as unknown as Untyped)(key, { ns }),
    [t],
  );
  const nt = useCallback((key: NavKey) => (t as unknown as Untyped)(key, { ns: NS }), [t]);
  const bi = useCallback(
    (l: { vi: string; en: string }) => (inst.language === 'en' ? l.en : l.vi),
    [inst.language],
  );
  return { t: any, nt, bi };
}
