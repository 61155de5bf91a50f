/** Pieces shared by the vaccination pages: the status line, product names, the user's commune. */
import { Text, type TextProps } from '@mantine/core';
import { dateOfInstant } from '../../domain/dates.ts';
import { VACCINE_PRODUCTS } from '../../domain/vaccination.ts';
import { useMe } from '../auth.tsx';
import { formatDate } from '../format.ts';
import type { VT } from './t.ts';
import type { VaccinationState } from './types.ts';

export const todayIso = () => dateOfInstant(Date.now());

/** dd/mm/yyyy → YYYY-MM-DD, or null. */
export function parseVnDate(text: string): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  if (!m) return null;
  const iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  const d = new Date(iso + 'T00:00:00Z');
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(iso) ? iso : null;
}

export const productName = (code: string) =>
  VACCINE_PRODUCTS.find((p) => p.code === code)?.nameVi ?? code;

/** The product a DCC `mp` code names ("EU/1/20/1528" → "Pfizer (Comirnaty)"). */
export const productByMp = (mp: string | null | undefined) =>
  VACCINE_PRODUCTS.find((p) => p.mp === mp);

export const PRODUCT_OPTIONS = VACCINE_PRODUCTS.map((p) => ({ value: p.code, label: p.nameVi }));

/** The commune the user works in, when their jurisdiction is one (or a site in one). */
export function useMyCommune(): string | null {
  return useMe().scope.communeCode ?? null;
}

/** The status line of a person's vaccination, as the commune says it. */
export function statusText(vt: VT, s: VaccinationState): { text: string; color: string } {
  const n = s.next;
  if (n && n.kind === 'primary') {
    if (n.overdue)
      return {
        text: vt('status.overdue', {
          n: n.doseNumber,
          days: n.daysOverdue,
          date: formatDate(n.latest),
        }),
        color: 'red',
      };
    return {
      text: vt('status.dueOn', { n: n.doseNumber, date: formatDate(n.due) }),
      color: 'orange',
    };
  }
  if (s.status === 'none') return { text: vt('status.none'), color: 'gray' };
  if (s.status === 'boosted') return { text: vt('status.boosted'), color: 'teal' };
  if (!s.fullyVaccinated && s.fullyVaccinatedFrom)
    return {
      text: vt('status.fullFrom', { date: formatDate(s.fullyVaccinatedFrom) }),
      color: 'teal',
    };
  return { text: vt('status.full'), color: 'teal' };
}

/** The status as a coloured block that wraps (a Badge would not, and overflows a phone). */
export function StatusBadge({
  vt,
  state,
  ...props
}: { vt: VT; state: VaccinationState } & Omit<TextProps, 'c' | 'bg'> & {
    'data-testid'?: string;
  }) {
  const { text, color } = statusText(vt, state);
  return (
    <Text
      fw={700}
      c={`${color}.9`}
      bg={`${color}.0`}
      px="sm"
      py={6}
      style={{ borderRadius: 'var(--mantine-radius-md)', alignSelf: 'flex-start' }}
      {...props}
    >
      {text}
    </Text>
  );
}
