/** The `picture` i18next namespace, registered on import, and a typed `t` for it. */
import { namespaceHook, type Leaves } from '../i18n/namespace.ts';
import translations, { type PictureTranslation } from './i18n.ts';

export const NS = 'picture';
const useNamespace = namespaceHook(NS, translations);

export type PictureKey = Leaves<PictureTranslation>;

/** `pt` reads this namespace; `bi` picks the current language of the server's `{vi, en}`. */
export function usePT() {
  const { t: pt, bi } = useNamespace();
  return { pt, bi };
}
export type PT = ReturnType<typeof usePT>['pt'];

export type PicturePermission =
  'levels.read' | 'levels.publish' | 'dashboard.read' | 'projections.run';

export const LEVEL_HEX: Record<number, string> = {
  1: '#2f9e44',
  2: '#fab005',
  3: '#f76707',
  4: '#e03131',
};
