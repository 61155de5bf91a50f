/**
 * /phong-xet-nghiem — the labs of the user's area (a lab: itself): daily capacity, single and
 * pooled, today's samples against it, specimens waiting and open pools. A lab sets its own
 * capacity.
 */
import {
  Badge,
  Button,
  Group,
  NumberInput,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate, formatNumber } from '../format.ts';
import { fieldErrors } from '../util.ts';
import { useCanT } from './access.tsx';
import { Empty, formatRatio, Loading } from './components.tsx';
import { useTT } from './t.ts';
import type { LabLoad } from './types.ts';

function CapacityForm({ lab }: { lab: LabLoad }) {
  const tt = useTT();
  const queryClient = useQueryClient();
  const [single, setSingle] = useState<number | string>(lab.capacity?.singlePerDay ?? '');
  const [pooled, setPooled] = useState<number | string>(lab.capacity?.pooledPerDay ?? '');
  const save = useMutation({
    mutationFn: () =>
      api(`/api/v1/labs/${lab.siteId}/capacity`, {
        method: 'PUT',
        body: { singlePerDay: Number(single), pooledPerDay: Number(pooled) },
      }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: tt('labs.saved') });
      void queryClient.invalidateQueries({ queryKey: ['labs-load'] });
    },
  });
  const fe = fieldErrors(save.error);
  return (
    <Stack gap="xs" data-testid="capacity-form">
      <SimpleGrid cols={2} spacing="xs">
        <NumberInput
          label={tt('labs.singlePerDay')}
          value={single}
          onChange={setSingle}
          min={0}
          thousandSeparator="."
          decimalSeparator=","
          error={fe.singlePerDay}
        />
        <NumberInput
          label={tt('labs.pooledPerDay')}
          value={pooled}
          onChange={setPooled}
          min={0}
          thousandSeparator="."
          decimalSeparator=","
          error={fe.pooledPerDay}
        />
      </SimpleGrid>
      <ErrorAlert error={fe.singlePerDay || fe.pooledPerDay ? null : save.error} />
      <Button
        variant="light"
        onClick={() => save.mutate()}
        loading={save.isPending}
        disabled={single === '' || pooled === ''}
      >
        {tt('labs.saveCapacity')}
      </Button>
    </Stack>
  );
}

export function LabsPage() {
  const tt = useTT();
  const me = useMe();
  const canManage = useCanT('labs.manage');
  const q = useQuery({
    queryKey: ['labs-load'],
    queryFn: () => api<{ date: string; items: LabLoad[] }>('/api/v1/labs/load'),
    refetchInterval: 60_000,
  });
  return (
    <Stack>
      <div>
        <Title order={2}>{tt('labs.title')}</Title>
        <Text c="dimmed" size="sm">
          {q.data ? tt('labs.subtitle', { date: formatDate(q.data.date) }) : ''}
        </Text>
      </div>
      {q.isLoading ? (
        <Loading />
      ) : q.error ? (
        <ErrorAlert error={q.error} />
      ) : !q.data?.items.length ? (
        <Empty>{tt('labs.empty')}</Empty>
      ) : (
        q.data.items.map((l) => {
          const ratio = l.loadRatio;
          const color =
            ratio === null ? 'gray' : ratio >= 1 ? 'red' : ratio >= 0.8 ? 'orange' : 'teal';
          return (
            <Paper key={l.siteId} withBorder p="sm" radius="md" data-testid="lab-card">
              <Stack gap="xs">
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Text fw={700}>{l.name}</Text>
                  <Badge color={color} variant="light" style={{ flexShrink: 0 }}>
                    {ratio === null
                      ? tt('labs.noCapacity')
                      : tt('labs.load', { ratio: formatRatio(ratio) })}
                  </Badge>
                </Group>
                {ratio !== null && (
                  <Progress
                    value={Math.min(100, ratio * 100)}
                    color={color}
                    aria-label={tt('labs.loadLabel')}
                  />
                )}
                <SimpleGrid cols={2} spacing={4}>
                  <Text size="sm">
                    {tt('labs.singleToday', {
                      n: formatNumber(l.today.single),
                      cap: l.capacity ? formatNumber(l.capacity.singlePerDay) : '—',
                    })}
                  </Text>
                  <Text size="sm">
                    {tt('labs.pooledToday', {
                      n: formatNumber(l.today.pooled),
                      cap: l.capacity ? formatNumber(l.capacity.pooledPerDay) : '—',
                    })}
                  </Text>
                  <Text size="sm">
                    {tt('labs.pending', { n: formatNumber(l.pendingSpecimens) })}
                  </Text>
                  <Text size="sm">{tt('labs.openPools', { n: formatNumber(l.openPools) })}</Text>
                </SimpleGrid>
                {canManage && me.scope.siteId === l.siteId && <CapacityForm lab={l} />}
              </Stack>
            </Paper>
          );
        })
      )}
    </Stack>
  );
}
