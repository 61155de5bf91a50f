/**
 * An i18next namespace registered on import and a hook for it: `{ t, bi }` where `t` reads the
 * namespace and `bi` picks the current language of a `{vi, en}` pair from the server
 * (issue 18: supplies and enforcement use it; the older modules each carry their own copy).
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from './index.ts';

type Untyped = (key: string, options?: Record<string, unknown>) => string;

export function namespaceHook(ns: string, translations: { vi: object; en: object }) {
  for (const lng of ['vi', 'en'] as const)
    if (!i18n.hasResourceBundle(lng, ns)) i18n.addResourceBundle(lng, ns, translations[lng]);
  return function useNamespace() {
    const { t: base, i18n: inst } = useTranslation();
    const t = useCallback(
      (key: string, options?: Record<string, unknown>) =>
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
