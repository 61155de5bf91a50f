import { api } from '../api.ts';

/** What a person search may name; empty values are left out. */
export interface PersonSearch {
  q?: string | null;
  commune?: string | null;
  village?: string | null;
  birthYear?: number | null;
  cursor?: string | null;
  limit?: number;
}

/**
 * Searches people in the actor's area (issue 10 item 10): the words typed (an ID number, a phone,
 * a name) go in the request body, never in the URL, which browser history and logs keep.
 */
export function searchPersons<T>(params: PersonSearch): Promise<T> {
  const body = Object.fromEntries(
    Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  );
  return api<T>('/api/v1/persons/search', { method: 'POST', body });
}
