/**
 * Masked identifiers (issue 10 item 10): lists, case responses and exports show an ID number or
 * a phone by its last 4 characters only ("********1234"); the whole value is shown on the person
 * page alone, where reading it is audited. Pure: no I/O.
 */
export const MASK_KEEP = 4;

/** "001085012345" → "********2345"; null stays null; a value of 4 or fewer characters is all masked. */
export function maskIdentifier(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (value.length <= MASK_KEEP) return '*'.repeat(value.length);
  return '*'.repeat(value.length - MASK_KEEP) + value.slice(-MASK_KEEP);
}
