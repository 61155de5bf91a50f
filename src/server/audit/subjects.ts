/**
 * Whose data a list or an export showed: the distinct person ids of its rows, recorded in the
 * audit event's `detail.subjects` so the trail answers "who saw this person" (issue 10). A page
 * holds at most a few hundred rows; an export lists them all.
 */
export function subjectIds(rows: readonly { person_id?: string | null }[]): string[] {
  return [...new Set(rows.map((r) => r.person_id).filter((id): id is string => !!id))];
}
