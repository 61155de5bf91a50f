/**
 * /luong-xanh/canh-bao — vehicles that left the closed loop, for the district where they were
 * last seen (and the province): newest first, each closed with a reason after a confirmation.
 */
import { Alert, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDateTime } from '../format.ts';
import { ReasonAction } from './ReasonAction.tsx';
import { useGT } from './t.ts';
import type { LoopAlert } from './types.ts';

function AlertItem({ a }: { a: LoopAlert }) {
  const { gt, bi } = useGT();
  return (
    <Card withBorder data-testid="gl-alert">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={4}>{a.plate}</Title>
          <Text size="sm" c="dimmed">
            {formatDateTime(a.raisedAt)}
          </Text>
        </Group>
        <Text>{bi(a.reason)}</Text>
        <Text size="sm" c="dimmed">
          {gt('alerts.lastSeen')}: {a.site.name} ·{' '}
          {gt(a.raisedBy === 'sweep' ? 'alerts.bySweep' : 'alerts.byPassage')}
        </Text>
        <ReasonAction
          url={`/api/v1/green-lane/alerts/${a.id}/close`}
          label={gt('alerts.reason')}
          button={gt('alerts.close')}
          confirmTitle={gt('alerts.confirmTitle')}
          confirmMessage={gt('alerts.confirm', { plate: a.plate })}
          done={gt('alerts.closed')}
          queryKey={['gl-alerts']}
        />
      </Stack>
    </Card>
  );
}

export function AlertsPage() {
  const { gt } = useGT();
  const q = useQuery({
    queryKey: ['gl-alerts'],
    queryFn: () => api<{ items: LoopAlert[] }>('/api/v1/green-lane/alerts?limit=50'),
    refetchInterval: 60_000,
  });
  return (
    <Stack maw={720}>
      <Title order={2}>{gt('alerts.title')}</Title>
      <Text size="sm" c="dimmed">
        {gt('alerts.intro')}
      </Text>
      {q.error && <ErrorAlert error={q.error} />}
      {q.data?.items.length === 0 && <Alert color="green">{gt('alerts.none')}</Alert>}
      {(q.data?.items ?? []).map((a) => (
        <AlertItem key={a.id} a={a} />
      ))}
    </Stack>
  );
}
