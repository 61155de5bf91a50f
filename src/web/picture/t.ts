/** The `picture` i18next namespace, registered on import, and a typed `t` for it. */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from '../i18n/index.ts';
import translations, { type PictureTranslation } from './i18n.ts';

export const NS = 'picture';

for (const lng of ['vi', 'en'] as const) {
  if (!i18n.hasResourceBundle(lng, NS)) i18n.addResourceBundle(lng, NS, translations[lng]);
}

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

export type PictureKey = Leaves<PictureTranslation>;
type Untyped = (key: string, options?: Record<string, unknown>) => string;

export function usePT() {
  const { t, i18n: inst } = useTranslation();
  const pt = useCallback(
    (key: PictureKey, options?: Record<string, unknown>) =>
      (t as unknown as Untyped)(key, { ...options, ns: NS }),
    [t],
  );
  const bi = useCallback(
    (b: { vi: string; en: string } | null | undefined) =>
      b ? (inst.language === 'en' ? b.en : b.vi) : '',
    [inst.language],
  );
  return { pt, bi };
}
export type PT = ReturnType<typeof usePT>['pt'];

export type PicturePermission = 'levels.read' | 'levels.publish' | 'dashboard.read';

export const LEVEL_HEX: Record<number, string> = {
  1: '#2f9e44',
  2: '#fab005',
  3: '#f76707',
  4: '#e03131',
};
