/** Small pieces shared by the entry-control pages. */
import { Badge, Select, Stack, TextInput, type BadgeProps } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { dateOfInstant } from '../../domain/dates.ts';
import { ARRIVAL_ACTIONS, type ArrivalAction } from '../../domain/rulesets.ts';
import { api, qs, type Unit } from '../api.ts';
import { formatDate, parseDisplayDate } from '../format.ts';

export const ACTION_COLORS: Record<ArrivalAction, string> = {
  centralised_quarantine: 'red',
  home_quarantine: 'orange',
  self_monitoring: 'yellow',
  test_at_checkpoint: 'blue',
  none: 'green',
};

export function useActionLabel() {
  const { t } = useTranslation();
  return (action: string) =>
    (ARRIVAL_ACTIONS as readonly string[]).includes(action)
      ? t(`entry.action.${action as ArrivalAction}`)
      : action;
}

/** The measure an arrival gets, coloured: red, orange, yellow, green. */
export function ActionBadge({ action, ...props }: { action: ArrivalAction } & BadgeProps) {
  const label = useActionLabel();
  const color = ACTION_COLORS[action] ?? 'gray';
  return (
    <Badge
      color={color}
      variant="filled"
      tt="none"
      styles={{ label: { overflow: 'visible', color: textOn(color) } }}
      data-action={action}
      {...props}
    >
      {label(action)}
    </Badge>
  );
}

/** Yellow needs dark text to be read in the sun. */
const textOn = (color: string) => (color === 'yellow' ? 'var(--mantine-color-black)' : undefined);

export const LEVEL_COLORS: Record<number, string> = {
  1: 'green',
  2: 'yellow',
  3: 'orange',
  4: 'red',
};

/** Epidemic level: 1 xanh, 2 vàng, 3 cam, 4 đỏ. */
export function LevelBadge({ level, ...props }: { level: number } & BadgeProps) {
  const { t } = useTranslation();
  const key = (['level1', 'level2', 'level3', 'level4'] as const)[level - 1];
  const color = LEVEL_COLORS[level] ?? 'gray';
  return (
    <Badge
      color={color}
      variant="filled"
      tt="none"
      styles={{ label: { overflow: 'visible', color: textOn(color) } }}
      {...props}
    >
      {key ? t(`entry.areas.${key}`) : level}
    </Badge>
  );
}

/** Digits typed become dd/mm/yyyy as they come. */
export function maskDate(text: string): string {
  const d = text.replace(/\D/g, '').slice(0, 8);
  if (d.length <= 2) return d;
  if (d.length <= 4) return `${d.slice(0, 2)}/${d.slice(2)}`;
  return `${d.slice(0, 2)}/${d.slice(2, 4)}/${d.slice(4)}`;
}

/** YYYY-MM-DD → the dd/mm/yyyy the date inputs hold. */
export const toDisplayDate = (iso: string | null | undefined) => (iso ? formatDate(iso) : '');

/** The ISO date a dd/mm/yyyy input holds: undefined when empty, null when not a date. */
export function inputDate(text: string): string | null | undefined {
  if (!text.trim()) return undefined;
  return parseDisplayDate(text);
}

/** A date typed as dd/mm/yyyy, controlled (so it can be pre-filled). */
export function VnDateInput({
  label,
  value,
  onChange,
  error,
  required,
  description,
  testId,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  required?: boolean;
  description?: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <TextInput
      label={label}
      value={value}
      onChange={(e) => onChange(maskDate(e.currentTarget.value))}
      placeholder={t('common.dateFormat')}
      inputMode="numeric"
      autoComplete="off"
      maxLength={10}
      error={error}
      required={required}
      description={description}
      data-testid={testId}
    />
  );
}

export function useUnits(parent: string | null, enabled = true) {
  return useQuery({
    queryKey: ['admin-units', parent ?? 'provinces'],
    queryFn: () =>
      api<{ items: Unit[] }>(`/api/v1/admin-units${qs({ parent })}`).then((r) => r.items),
    enabled,
    staleTime: 60 * 60_000,
  });
}

export interface UnitPath {
  provinceCode: string | null;
  districtCode: string | null;
  communeCode: string | null;
}

export const EMPTY_PATH: UnitPath = { provinceCode: null, districtCode: null, communeCode: null };

const options = (items: Unit[] | undefined) =>
  (items ?? []).map((u) => ({ value: u.code, label: u.name }));

/**
 * Province › district › commune selects (any province of Vietnam: the public list). `depth`
 * says how far down to go; `required` which levels must be chosen.
 */
export function UnitCascade({
  value,
  onChange,
  depth = 3,
  required = 3,
  labels,
  errors = {},
  testId,
  disabled,
}: {
  value: UnitPath;
  onChange: (value: UnitPath) => void;
  depth?: 1 | 2 | 3;
  required?: 0 | 1 | 2 | 3;
  labels?: Partial<Record<'province' | 'district' | 'commune', string>>;
  errors?: Partial<Record<'province' | 'district' | 'commune', string | undefined>>;
  testId?: string;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const provinces = useUnits(null);
  const districts = useUnits(value.provinceCode, depth >= 2 && !!value.provinceCode);
  const communes = useUnits(value.districtCode, depth >= 3 && !!value.districtCode);
  return (
    <Stack gap="xs">
      <Select
        label={labels?.province ?? t('entry.unit.province')}
        placeholder={t('entry.unit.pick')}
        data={options(provinces.data)}
        value={value.provinceCode}
        onChange={(code) => onChange({ provinceCode: code, districtCode: null, communeCode: null })}
        searchable
        clearable={required < 1}
        required={required >= 1}
        error={errors.province}
        nothingFoundMessage="—"
        disabled={disabled}
        data-testid={testId && `${testId}-province`}
      />
      {depth >= 2 && (
        <Select
          label={labels?.district ?? t('entry.unit.district')}
          placeholder={t('entry.unit.pick')}
          data={options(districts.data)}
          value={value.districtCode}
          onChange={(code) => onChange({ ...value, districtCode: code, communeCode: null })}
          searchable
          clearable={required < 2}
          required={required >= 2}
          disabled={disabled || !value.provinceCode}
          error={errors.district}
          nothingFoundMessage="—"
          data-testid={testId && `${testId}-district`}
        />
      )}
      {depth >= 3 && (
        <Select
          label={labels?.commune ?? t('entry.unit.commune')}
          placeholder={t('entry.unit.pick')}
          data={options(communes.data)}
          value={value.communeCode}
          onChange={(code) => onChange({ ...value, communeCode: code })}
          searchable
          clearable={required < 3}
          required={required >= 3}
          disabled={disabled || !value.districtCode}
          error={errors.commune}
          nothingFoundMessage="—"
          data-testid={testId && `${testId}-commune`}
        />
      )}
    </Stack>
  );
}

/** Today's date in Vietnam (YYYY-MM-DD). */
export const vnToday = () => dateOfInstant(Date.now());

const everyMinute = (fn: () => void) => {
  const id = setInterval(fn, 60_000);
  return () => clearInterval(id);
};

/** Today's date in Vietnam, changing at midnight while the page stays open. */
export function useToday(): string {
  return useSyncExternalStore(everyMinute, vnToday);
}

/** HH:mm of an instant. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
