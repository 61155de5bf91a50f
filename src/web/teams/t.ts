/** The `teams` namespace (issue 18 item 2). */
import { namespaceHook } from '../i18n/namespace.ts';
import translations from './i18n.ts';

export const useTT = namespaceHook('teams', translations);
