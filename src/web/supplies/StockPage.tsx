/**
 * Stock of one holder (a unit's store or a facility) item by item, with days of stock at the last
 * week's use and alerts under the minimum; a form that records a receipt, issue, transfer or
 * count (one clientId per attempt, so a retried tap is not counted twice); the unit's roll-up.
 */
import {
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api, ApiError } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate, formatNumber } from '../format.ts';
import { fieldErrors } from '../util.ts';
import { useST } from './t.ts';
import type { Holder, HolderStock, Movement, StockLine, UnitStock } from './types.ts';

const KINDS = ['receipt', 'issue', 'transfer', 'count'] as const;

function ItemCard({ line }: { line: StockLine }) {
  const { t, bi } = useST();
  const alert = line.alert;
  return (
    <Card withBorder padding="sm" data-testid={`stock-${line.item.code}`}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text fw={600} size="sm">
          {bi(line.item.name)}
        </Text>
        {alert && (
          <Badge
            color={alert.level === 'out' ? 'red' : 'orange'}
            variant="light"
            style={{ flexShrink: 0 }}
          >
            {t(`alert.${alert.level}`)}
          </Badge>
        )}
      </Group>
      <Text size="xl" fw={700}>
        <span data-testid="on-hand">{formatNumber(line.onHand)}</span>{' '}
        <Text span size="sm" c="dimmed">
          {bi(line.item.unit)}
        </Text>
      </Text>
      {alert && (
        <Text size="sm" c={alert.level === 'out' ? 'red' : 'orange.8'}>
          {bi(alert.explanation)}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {line.daysOfStock === null
          ? t('noUse')
          : `${t('days', { count: line.daysOfStock })} · ${t('usedWeek', { count: line.usedLastWeek })}`}
        {line.minimum ? ` · ${t('minimum', { count: line.minimum })}` : ''}
        {line.capacityPerDay ? ` · ${t('capacity', { count: line.capacityPerDay })}` : ''}
      </Text>
    </Card>
  );
}

/** The items the holder keeps (stock, or a minimum of its own) first, the rest of the catalogue after. */
const kept = (l: StockLine) => (l.onHand > 0 || l.alert ? 0 : 1);

function MovementForm({
  holder,
  holders,
  stock,
}: {
  holder: Holder;
  holders: Holder[];
  stock: HolderStock;
}) {
  const { t, bi } = useST();
  const qc = useQueryClient();
  const [kind, setKind] = useState<(typeof KINDS)[number]>('receipt');
  const [item, setItem] = useState<string | null>(null);
  const [quantity, setQuantity] = useState<number | string>('');
  const [to, setTo] = useState<string | null>(null);
  const [note, setNote] = useState('');
  // one clientId per intended movement: a retry after a lost answer is the same movement
  const [clientId, setClientId] = useState(() => crypto.randomUUID());
  const save = useMutation({
    mutationFn: () =>
      api<{ onHandAfter: number }>('/api/v1/supplies/movements', {
        method: 'POST',
        body: {
          clientId,
          kind,
          itemCode: item,
          holderId: holder.id,
          quantity: typeof quantity === 'number' ? quantity : Number.NaN,
          ...(kind === 'transfer' ? { toHolderId: to } : {}),
          ...(note.trim() ? { note: note.trim() } : {}),
        },
      }),
    onSuccess: (m) => {
      notifications.show({ color: 'teal', message: t('move.saved', { count: m.onHandAfter }) });
      setClientId(crypto.randomUUID());
      setQuantity('');
      setNote('');
      void qc.invalidateQueries({ queryKey: ['supplies'] });
    },
    onError: (e) => {
      // refused (409, 400): nothing was stored, the next attempt is a new movement
      if (e instanceof ApiError && e.status >= 400 && e.status < 500)
        setClientId(crypto.randomUUID());
    },
  });
  const errs = fieldErrors(save.error);
  const fieldError = (path: string) => errs[path];
  return (
    <Card withBorder padding="sm">
      <Stack gap="sm">
        <Title order={4}>{t('move.title')}</Title>
        <SegmentedControl
          fullWidth
          value={kind}
          onChange={(v) => setKind(v as (typeof KINDS)[number])}
          data={KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
          styles={{
            label: {
              minHeight: 44,
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'center',
            },
          }}
        />
        <Select
          label={t('move.item')}
          size="md"
          searchable
          allowDeselect={false}
          value={item}
          onChange={setItem}
          error={fieldError('itemCode')}
          data={stock.items.map((l) => ({
            value: l.item.code,
            label: `${bi(l.item.name)} (${formatNumber(l.onHand)})`,
          }))}
        />
        <NumberInput
          label={kind === 'count' ? t('move.counted') : t('move.quantity')}
          size="md"
          min={0}
          allowDecimal={false}
          thousandSeparator="."
          decimalSeparator=","
          value={quantity}
          onChange={setQuantity}
          error={fieldError('quantity')}
        />
        {kind === 'transfer' && (
          <Select
            label={t('move.to')}
            size="md"
            value={to}
            onChange={setTo}
            error={fieldError('toHolderId')}
            data={holders
              .filter((h) => h.id !== holder.id)
              .map((h) => ({ value: h.id, label: h.name }))}
          />
        )}
        <TextInput
          label={t('move.note')}
          size="md"
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        {!(save.error instanceof ApiError && save.error.fields.length) && (
          <ErrorAlert error={save.error} />
        )}
        <Button
          size="md"
          onClick={() => save.mutate()}
          loading={save.isPending}
          disabled={!item || quantity === ''}
        >
          {t('move.save')}
        </Button>
      </Stack>
    </Card>
  );
}

function History({ holder, items }: { holder: Holder; items: StockLine[] }) {
  const { t, bi } = useST();
  const q = useQuery({
    queryKey: ['supplies', 'movements', holder.id],
    queryFn: () =>
      api<{ items: Movement[] }>(`/api/v1/supplies/movements?holder=${holder.id}&limit=5`),
  });
  if (!q.data?.items.length) return null;
  return (
    <Card withBorder padding="sm">
      <Title order={4}>{t('history')}</Title>
      {q.data.items.map((m) => {
        const incoming = m.toHolderId === holder.id;
        const delta = incoming ? m.quantity : m.delta;
        return (
          <Text size="sm" key={m.id}>
            {formatDate(m.occurredOn)} · {t(`kind.${m.kind}`)}{' '}
            {bi(items.find((l) => l.item.code === m.itemCode)?.item.name) || m.itemCode}:{' '}
            {delta > 0 ? '+' : ''}
            {formatNumber(delta)}
          </Text>
        );
      })}
    </Card>
  );
}

function UnitSummary({ unit }: { unit: string }) {
  const { t, bi } = useST();
  const q = useQuery({
    queryKey: ['supplies', 'unit', unit],
    queryFn: () => api<UnitStock>(`/api/v1/supplies/stock?unit=${unit}`),
  });
  if (!q.data) return <ErrorAlert error={q.error} />;
  return (
    <Card withBorder padding="sm">
      <Title order={4}>{t('unit.title', { name: q.data.unit.name })}</Title>
      <Text size="sm" fw={600} mt="xs">
        {t('unit.alerts')}
      </Text>
      {q.data.alerts.length === 0 && <Text size="sm">{t('unit.none')}</Text>}
      {q.data.alerts.slice(0, 10).map((a) => (
        <Text size="sm" key={`${a.holderId}-${a.itemCode}`}>
          {a.holderName}: {bi(q.data.items.find((i) => i.item.code === a.itemCode)?.item.name)} —{' '}
          {bi(a.explanation)}
        </Text>
      ))}
    </Card>
  );
}

export function StockPage() {
  const { t } = useST();
  const me = useMe();
  const qc = useQueryClient();
  const unitCode = me.scope.communeCode ?? me.scope.districtCode ?? me.scope.provinceCode;
  const holders = useQuery({
    queryKey: ['supplies', 'holders'],
    queryFn: () => api<{ items: Holder[] }>('/api/v1/supplies/holders?limit=200'),
  });
  const list = useMemo(() => holders.data?.items ?? [], [holders.data]);
  const [picked, setHolderId] = useState<string | null>(null);
  const holderId = picked ?? list[0]?.id ?? null;
  const holder = list.find((h) => h.id === holderId) ?? null;
  const stock = useQuery({
    queryKey: ['supplies', 'holder', holderId],
    queryFn: () => api<HolderStock>(`/api/v1/supplies/stock?holder=${holderId}`),
    enabled: !!holderId,
  });
  const open = useMutation({
    mutationFn: () =>
      api('/api/v1/supplies/holders', {
        method: 'POST',
        body: { kind: 'unit', unitCode, clientId: crypto.randomUUID() },
      }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['supplies', 'holders'] }),
  });
  return (
    <Stack gap="md">
      <Title order={2}>{t('title')}</Title>
      <ErrorAlert error={holders.error ?? open.error} />
      {holders.data && list.length === 0 && (
        <Stack gap="xs">
          <Text>{t('noHolder')}</Text>
          {me.scope.level !== 'site' && (
            <Button size="md" onClick={() => open.mutate()} loading={open.isPending}>
              {t('openHolder')}
            </Button>
          )}
        </Stack>
      )}
      {list.length > 0 && (
        <Select
          label={t('holder')}
          size="md"
          value={holderId}
          onChange={setHolderId}
          allowDeselect={false}
          data={list.map((h) => ({ value: h.id, label: h.name }))}
        />
      )}
      {holder && stock.data && (
        <>
          <MovementForm holder={holder} holders={list} stock={stock.data} />
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="xs">
            {[...stock.data.items]
              .sort((a, b) => kept(a) - kept(b))
              .map((l) => (
                <ItemCard key={l.item.code} line={l} />
              ))}
          </SimpleGrid>
          <History holder={holder} items={stock.data.items} />
        </>
      )}
      {me.scope.level !== 'site' && <UnitSummary unit={unitCode} />}
    </Stack>
  );
}
