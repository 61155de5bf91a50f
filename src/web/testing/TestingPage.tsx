/**
 * /xet-nghiem — orders, specimens and results of the user's area (a site: its own), newest
 * first with "load more"; order a test for a person, record the sample (→ its label), enter a
 * result by the specimen code.
 */
import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { formatDate, formatDateTime } from '../format.ts';
import { useCanT } from './access.tsx';
import {
  Empty,
  F0Decision,
  LoadMore,
  Loading,
  ResultBadge,
  usePaged,
  useTestTypeName,
} from './components.tsx';
import { OrderModal, ResultModal, SampleModal } from './modals.tsx';
import { codeLabel, useTT } from './t.ts';
import type { Order, OrderStatus, Specimen, SpecimenStatus, TestResult } from './types.ts';

type Tab = 'orders' | 'specimens' | 'results';

export const ORDER_STATUS_COLOR: Record<OrderStatus, string> = {
  ordered: 'blue',
  sampled: 'grape',
  resulted: 'teal',
  cancelled: 'gray',
};
export const SPECIMEN_STATUS_COLOR: Record<SpecimenStatus, string> = {
  collected: 'blue',
  in_pool: 'grape',
  awaiting_retest: 'orange',
  resulted: 'teal',
  rejected: 'gray',
};

function OrdersList({ onSample }: { onSample: (o: Order) => void }) {
  const tt = useTT();
  const typeName = useTestTypeName();
  const canSample = useCanT('tests.write');
  const q = usePaged<Order>(['test-orders'], '/api/v1/test-orders', { limit: 30 });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  if (q.isLoading) return <Loading />;
  if (!items.length) return <Empty>{tt('orders.empty')}</Empty>;
  return (
    <Stack gap="xs" data-testid="orders-list">
      {items.map((o) => (
        <Paper key={o.id} withBorder p="xs" radius="sm">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Stack gap={2} miw={0}>
              <Text fw={600}>
                {o.person?.fullName} · {o.person?.birthYear}
              </Text>
              <Text size="xs">
                {typeName(o.testType)} · {codeLabel(tt, 'reason', o.reason)}
              </Text>
              <Text size="xs" c="dimmed">
                {tt('orders.orderedAt', { at: formatDateTime(o.createdAt) })}
              </Text>
              {o.note && (
                <Text size="xs" c="dimmed">
                  {o.note}
                </Text>
              )}
            </Stack>
            <Stack gap={6} align="flex-end" style={{ flexShrink: 0 }}>
              <Badge color={ORDER_STATUS_COLOR[o.status]} variant="light">
                {codeLabel(tt, 'orderStatus', o.status)}
              </Badge>
              {canSample && o.status === 'ordered' && (
                <Button size="xs" onClick={() => onSample(o)}>
                  {tt('specimens.record')}
                </Button>
              )}
            </Stack>
          </Group>
        </Paper>
      ))}
      <LoadMore
        hasMore={!!q.hasNextPage}
        loading={q.isFetchingNextPage}
        onMore={() => void q.fetchNextPage()}
      />
    </Stack>
  );
}

function SpecimensList() {
  const tt = useTT();
  const typeName = useTestTypeName();
  const q = usePaged<Specimen>(['specimens'], '/api/v1/specimens', { limit: 30 });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  if (q.isLoading) return <Loading />;
  if (!items.length) return <Empty>{tt('specimens.empty')}</Empty>;
  return (
    <Stack gap="xs" data-testid="specimens-list">
      {items.map((s) => (
        <Paper key={s.id} withBorder p="xs" radius="sm">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Stack gap={2} miw={0}>
              <Anchor component={Link} to={`/xet-nghiem/mau/${s.id}`} ff="monospace" fw={700}>
                {s.code}
              </Anchor>
              <Text size="sm">
                {s.person?.fullName} · {s.person?.birthYear}
              </Text>
              <Text size="xs" c="dimmed">
                {typeName(s.testType)} · {formatDateTime(s.sampledAt)}
              </Text>
            </Stack>
            <Badge
              color={SPECIMEN_STATUS_COLOR[s.status]}
              variant="light"
              style={{ flexShrink: 0 }}
            >
              {codeLabel(tt, 'specimenStatus', s.status)}
            </Badge>
          </Group>
        </Paper>
      ))}
      <LoadMore
        hasMore={!!q.hasNextPage}
        loading={q.isFetchingNextPage}
        onMore={() => void q.fetchNextPage()}
      />
    </Stack>
  );
}

export function ResultsList({ params = {} }: { params?: Record<string, string | undefined> }) {
  const tt = useTT();
  const typeName = useTestTypeName();
  const q = usePaged<TestResult>(['test-results'], '/api/v1/results', { limit: 30, ...params });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  if (q.isLoading) return <Loading />;
  if (!items.length) return <Empty>{tt('results.empty')}</Empty>;
  return (
    <Stack gap="xs" data-testid="results-list">
      {items.map((r) => (
        <Paper key={r.id} withBorder p="xs" radius="sm">
          <Stack gap={6}>
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Stack gap={2} miw={0}>
                <Text fw={600}>
                  {r.person?.fullName} · {r.person?.birthYear}
                </Text>
                <Text size="xs">
                  {typeName(r.testType)}
                  {r.specimenCode ? ` · ${r.specimenCode}` : ''}
                </Text>
                <Text size="xs" c="dimmed">
                  {tt('results.line', {
                    sampled: formatDate(r.sampledAt),
                    resulted: formatDateTime(r.resultedAt),
                    source: codeLabel(tt, 'source', r.source),
                  })}
                </Text>
              </Stack>
              <ResultBadge result={r.result} />
            </Group>
            {r.result === 'positive' && <F0Decision f0={r.f0} />}
          </Stack>
        </Paper>
      ))}
      <LoadMore
        hasMore={!!q.hasNextPage}
        loading={q.isFetchingNextPage}
        onMore={() => void q.fetchNextPage()}
      />
    </Stack>
  );
}

export function TestingPage() {
  const tt = useTT();
  const [params, setParams] = useSearchParams();
  const tab = (params.get('xem') as Tab | null) ?? 'orders';
  const canOrder = useCanT('tests.order');
  const canWrite = useCanT('tests.write');
  const [ordering, setOrdering] = useState(false);
  const [entering, setEntering] = useState(false);
  const [sampling, setSampling] = useState<Order | null>(null);
  return (
    <Stack>
      <div>
        <Title order={2}>{tt('testing.title')}</Title>
        <Text c="dimmed" size="sm">
          {tt('testing.subtitle')}
        </Text>
      </div>
      <Group gap="xs" grow>
        {canOrder && <Button onClick={() => setOrdering(true)}>{tt('orders.new')}</Button>}
        {canWrite && (
          <Button variant="light" onClick={() => setEntering(true)}>
            {tt('results.enter')}
          </Button>
        )}
      </Group>
      <SegmentedControl
        fullWidth
        value={tab}
        onChange={(v) => setParams(v === 'orders' ? {} : { xem: v }, { replace: true })}
        data={[
          { value: 'orders', label: tt('testing.tabOrders') },
          { value: 'specimens', label: tt('testing.tabSpecimens') },
          { value: 'results', label: tt('testing.tabResults') },
        ]}
      />
      {tab === 'orders' && <OrdersList onSample={setSampling} />}
      {tab === 'specimens' && <SpecimensList />}
      {tab === 'results' && <ResultsList />}
      <OrderModal opened={ordering} onClose={() => setOrdering(false)} />
      <ResultModal opened={entering} onClose={() => setEntering(false)} />
      <SampleModal order={sampling} onClose={() => setSampling(null)} />
    </Stack>
  );
}
