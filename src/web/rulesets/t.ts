/** The `rulesets` i18next namespace, registered on import, and a typed `t` for it. */
import { namespaceHook, type Leaves } from '../i18n/namespace.ts';
import translations, { type RuleSetsTranslation } from './i18n.ts';

export const NS = 'rulesets';
const useNamespace = namespaceHook(NS, translations);

export type RuleSetsKey = Leaves<RuleSetsTranslation>;

/** `rt` reads this namespace; `bi` picks the current language of the server's `{vi, en}`. */
export function useRT() {
  const { t: rt, bi } = useNamespace();
  return { rt, bi };
}
export type RT = ReturnType<typeof useRT>['rt'];

export type RuleSetsPermission = 'rulesets.read' | 'rulesets.manage';
