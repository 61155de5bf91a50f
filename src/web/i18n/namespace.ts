/**
 * An i18next namespace registered on import and a hook for it: `{ t, bi, lang }` where `t` reads
 * the namespace with keys typed from its Vietnamese table and `bi` picks the current language of
 * a `{vi, en}` pair from the server. Every module's namespace goes through this one helper.
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from './index.ts';

type Untyped = (key: string, options?: Record<string, unknown>) => string;

/** The dotted paths of a translation table's strings: 'nav.stock', 'alert.out', … */
export type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

export function namespaceHook<T extends object>(ns: string, translations: { vi: T; en: object }) {
  for (const lng of ['vi', 'en'] as const)
    if (!i18n.hasResourceBundle(lng, ns)) i18n.addResourceBundle(lng, ns, translations[lng]);
  return function useNamespace() {
    const { t: base, i18n: inst } = useTranslation();
    const t = useCallback(
      (key: Leaves<T>, options?: Record<string, unknown>) =>
        (base as unknown as Untyped)(key, { ...options, ns }),
      [base],
    );
    const bi = useCallback(
      (b: { vi: string; en: string } | null | undefined) =>
        b ? (inst.language === 'en' ? b.en : b.vi) : '',
      [inst.language],
    );
    return { t, bi, lang: inst.language };
  };
}
