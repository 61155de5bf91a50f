/**
 * /luong-xanh/canh-bao — vehicles that left the closed loop, for the district where they were
 * last seen (and the province): newest first, each closed with a reason after a confirmation.
 */
import { Alert, Button, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDateTime } from '../format.ts';
import { confirmDelete } from '../nav/confirm.tsx';
import { useGT } from './t.ts';
import type { LoopAlert } from './types.ts';

function AlertItem({ a }: { a: LoopAlert }) {
  const { gt, bi } = useGT();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const close = useMutation({
    mutationFn: () =>
      api(`/api/v1/green-lane/alerts/${a.id}/close`, { method: 'POST', body: { reason } }),
    onSuccess: () => {
      notifications.show({ color: 'green', message: gt('alerts.closed') });
      void qc.invalidateQueries({ queryKey: ['gl-alerts'] });
    },
  });
  const e = close.error;
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
        <Textarea
          label={gt('alerts.reason')}
          value={reason}
          onChange={(ev) => setReason(ev.currentTarget.value)}
          autosize
          minRows={1}
          error={
            e instanceof ApiError ? e.fields.find((f) => f.path === 'reason')?.message : undefined
          }
        />
        {e && !(e instanceof ApiError && e.fields.length) && <ErrorAlert error={e} />}
        <Group justify="flex-end">
          <Button
            mih={44}
            loading={close.isPending}
            onClick={() =>
              confirmDelete({
                title: gt('alerts.confirmTitle'),
                message: gt('alerts.confirm', { plate: a.plate }),
                confirmLabel: gt('alerts.close'),
                onConfirm: () => close.mutate(),
              })
            }
          >
            {gt('alerts.close')}
          </Button>
        </Group>
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
