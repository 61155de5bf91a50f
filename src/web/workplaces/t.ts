/** The `workplaces` namespace. */
import { namespaceHook } from '../i18n/namespace.ts';
import translations from './i18n.ts';

export const useWT = namespaceHook('workplaces', translations);
