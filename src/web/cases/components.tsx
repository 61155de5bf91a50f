/** Small pieces shared by the cases pages: fields, badges, evidence, quarantine orders. */
import { Badge, Card, Group, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { api, qs, type Me, type Unit } from '../api.ts';
import { formatDate } from '../format.ts';
import { codeLabel, useBi, useCT, type CT } from './t.ts';
import type { Evidence, Order } from './types.ts';

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text component="div" style={{ wordBreak: 'break-word' }}>
        {children}
      </Text>
    </div>
  );
}

/** dd/mm/yyyy HH:mm in the browser's (Vietnam) time. */
export const formatDayTime = (iso: string | null | undefined) =>
  iso ? dayjs(iso).format('DD/MM/YYYY HH:mm') : '';
export const formatTime = (iso: string) => dayjs(iso).format('HH:mm');

/** "dd/mm HH:mm–HH:mm", or two full stamps when the span crosses a day. */
export function spanText(from: string, to: string) {
  const a = dayjs(from);
  const b = dayjs(to);
  return a.isSame(b, 'day')
    ? `${a.format('DD/MM/YYYY HH:mm')}–${b.format('HH:mm')}`
    : `${a.format('DD/MM/YYYY HH:mm')} – ${b.format('DD/MM/YYYY HH:mm')}`;
}

export function durationText(ct: CT, minutes: number) {
  if (minutes < 60) return ct('contacts.minutes', { count: minutes });
  return ct('contacts.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

export const STATUS_COLOR: Record<string, string> = {
  unisolated: 'red',
  home_isolation: 'orange',
  facility: 'grape',
  hospital: 'pink',
  recovered: 'teal',
  died: 'dark',
};

export function StatusBadge({ status, tier }: { status: string; tier?: number | null }) {
  const ct = useCT();
  return (
    <Badge color={STATUS_COLOR[status] ?? 'gray'} variant="light" style={{ maxWidth: '100%' }}>
      {codeLabel(ct, 'status', status)}
      {status === 'hospital' && tier ? ` · ${ct('case.tierN', { n: tier })}` : ''}
    </Badge>
  );
}

export const ROLE_COLOR = { F0: '#c92a2a', F1: '#e8590c', F2: '#f59f00' } as const;

export function RoleBadge({ role }: { role: 'F0' | 'F1' | 'F2' }) {
  return (
    <Badge color={role === 'F0' ? 'red' : role === 'F1' ? 'orange' : 'yellow'} variant="filled">
      {role}
    </Badge>
  );
}

export const STRENGTH_COLOR = { high: 'red', medium: 'orange', low: 'gray' } as const;

/** One piece of evidence: which source, where, when, how long. */
export function EvidenceLine({ e }: { e: Evidence }) {
  const ct = useCT();
  const bi = useBi();
  return (
    <Stack gap={0} data-testid="evidence">
      <Text size="sm" fw={600}>
        {codeLabel(ct, 'source', e.source)}
        {e.place ? ` — ${e.place}` : ''}
      </Text>
      <Text size="sm" c="dimmed">
        {spanText(e.from, e.to)}
        {e.minutes > 0 ? ` · ${durationText(ct, e.minutes)}` : ''}
      </Text>
      <Text size="xs" c="dimmed">
        {bi(e.explanation)}
      </Text>
    </Stack>
  );
}

/** A quarantine order: kind, dates, test days, and the rule that set them. */
export function OrderBox({ order }: { order: Order }) {
  const ct = useCT();
  const bi = useBi();
  return (
    <Card withBorder padding="sm" bg="teal.0" data-testid="quarantine-order">
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Text fw={700} size="sm">
          {ct('contacts.order')}: {codeLabel(ct, 'orderKind', order.kind)}
        </Text>
        <Badge color={order.overdue ? 'red' : 'teal'} variant="light">
          {codeLabel(ct, 'stage', order.stage)}
        </Badge>
      </Group>
      <Text size="sm">{ct('contacts.orderDates', { start: formatDate(order.startDate) })}</Text>
      {order.quarantineEnds && order.kind !== 'self_monitoring' && (
        <Text size="sm">
          {ct('contacts.quarantineEnds', { date: formatDate(order.quarantineEnds) })}
        </Text>
      )}
      <Text size="sm">
        {ct('contacts.monitoringEnds', { date: formatDate(order.monitoringEnds) })}
      </Text>
      <Text size="sm">
        {order.testDates.length
          ? ct('contacts.testDays', { dates: order.testDates.map(formatDate).join(', ') })
          : ct('contacts.noTests')}
      </Text>
      <Text size="xs" c="dimmed" mt={4}>
        {bi(order.explanation)}
      </Text>
    </Card>
  );
}

/** The communes a user may filter by: none below a district (the scope is one commune already). */
export function useCommuneOptions(me: Me) {
  const level = me.scope.level;
  const path =
    level === 'district'
      ? `/api/v1/admin-units${qs({ parent: me.scope.districtCode })}`
      : level === 'province'
        ? `/api/v1/admin-units${qs({ province: me.scope.provinceCode, level: 3 })}`
        : null;
  return useQuery({
    queryKey: ['commune-options', path],
    queryFn: () => api<{ items: Unit[] }>(path!).then((r) => r.items),
    enabled: !!path,
    staleTime: 10 * 60_000,
  });
}

/** YYYY-MM-DD of today in Vietnam. */
export const todayVn = () => dayjs().format('YYYY-MM-DD');

/** A 24-hour time typed as hh:mm (the browser's own time input follows its UI locale). */
export function TimeField({
  label,
  value,
  onChange,
  error,
  maw = 100,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  maw?: number;
}) {
  return (
    <TextInput
      label={label}
      value={value}
      placeholder="hh:mm"
      inputMode="numeric"
      maxLength={5}
      maw={maw}
      error={error}
      onChange={(e) => {
        const digits = e.currentTarget.value.replace(/\D/g, '').slice(0, 4);
        onChange(digits.length > 2 ? `${digits.slice(0, 2)}:${digits.slice(2)}` : digits);
      }}
    />
  );
}

/** hh:mm if it is a real time of day, else null. */
export function parseTime(v: string): string | null {
  const m = /^(\d{2}):(\d{2})$/.exec(v);
  return m && Number(m[1]) < 24 && Number(m[2]) < 60 ? v : null;
}
