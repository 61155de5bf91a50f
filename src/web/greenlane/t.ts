/** The `greenlane` i18next namespace, registered on import, and a typed `t` for it. */
import { namespaceHook, type Leaves } from '../i18n/namespace.ts';
import translations, { type GreenLaneTranslation } from './i18n.ts';

export const NS = 'greenlane';
const useNamespace = namespaceHook(NS, translations);

export type GreenLaneKey = Leaves<GreenLaneTranslation>;

/** `gt` reads this namespace; `bi` picks the current language of the server's `{vi, en}`. */
export function useGT() {
  const { t: gt, bi } = useNamespace();
  return { gt, bi };
}
