/** The `care` i18next namespace, registered on import, and a `t` bound to it. */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from '../i18n/index.ts';
import translations from './i18n.ts';

const NS = 'care';
for (const lng of ['vi', 'en'] as const)
  if (!i18n.hasResourceBundle(lng, NS)) i18n.addResourceBundle(lng, NS, translations[lng]);

export function useKT() {
  const { t, i18n: inst } = useTranslation();
  const kt = useCallback(
    (key: string, options?: Record<string, unknown>) =>
      (t as unknown as (k: string, o: Record<string, unknown>) => string)(key, {
        ...options,
        ns: NS,
      }),
    [t],
  );
  const bi = useCallback(
    (l: { vi: string; en: string } | null | undefined) =>
      l ? (inst.language === 'en' ? l.en : l.vi) : '',
    [inst.language],
  );
  return { kt, bi };
}
