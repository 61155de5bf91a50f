/** /luong-xanh/xet-duyet — the transport authority's queue: oldest pending first; grant or refuse. */
import { Button, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDateTime } from '../format.ts';
import { ApplicationTable, StatusBadge } from './ApplyPage.tsx';
import { useGT } from './t.ts';
import type { Application } from './types.ts';

function Review({ a }: { a: Application }) {
  const { gt } = useGT();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const detail = useQuery({
    queryKey: ['gl-application', a.id],
    queryFn: () => api<Application>(`/api/v1/green-lane/applications/${a.id}`),
  });
  const decide = useMutation({
    mutationFn: (decision: 'grant' | 'refuse') =>
      api<Application>(`/api/v1/green-lane/applications/${a.id}/decision`, {
        method: 'POST',
        body: { decision, ...(reason ? { reason } : {}) },
      }),
    onSuccess: (r) => {
      notifications.show({
        color: r.status === 'granted' ? 'green' : 'gray',
        message: gt(r.status === 'granted' ? 'review.granted' : 'review.refused'),
      });
      void qc.invalidateQueries({ queryKey: ['gl-queue'] });
      void qc.invalidateQueries({ queryKey: ['gl-granted'] });
    },
  });
  const e = decide.error;
  return (
    <Card withBorder data-testid="gl-review">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={4}>{a.plate}</Title>
          <StatusBadge status={a.status} />
        </Group>
        <Text size="sm">
          {gt('review.company')}: {a.companyName}
        </Text>
        <Text size="sm">
          {a.routeName} · {a.cargo}
        </Text>
        <Text size="sm">
          {gt('review.window')}: {formatDateTime(a.windowFrom)} – {formatDateTime(a.windowTo)}
        </Text>
        <Text size="sm">
          {gt('review.crew')}: {(detail.data?.crew ?? []).map((c) => c.fullName).join(', ')}
        </Text>
        <Text size="xs" c="dimmed">
          {gt('review.submitted')}: {formatDateTime(a.createdAt)}
        </Text>
        <Textarea
          label={gt('review.reason')}
          value={reason}
          onChange={(ev) => setReason(ev.currentTarget.value)}
          autosize
          minRows={1}
          error={
            e instanceof ApiError ? e.fields.find((f) => f.path === 'reason')?.message : undefined
          }
        />
        {e && <ErrorAlert error={e} />}
        <Group justify="flex-end">
          <Button
            variant="default"
            color="red"
            onClick={() => decide.mutate('refuse')}
            loading={decide.isPending}
          >
            {gt('review.refuse')}
          </Button>
          <Button onClick={() => decide.mutate('grant')} loading={decide.isPending}>
            {gt('review.grant')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

export function ReviewPage() {
  const { gt } = useGT();
  const queue = useQuery({
    queryKey: ['gl-queue'],
    queryFn: () => api<{ items: Application[] }>('/api/v1/green-lane/applications?status=pending'),
  });
  // the newest grants: where the authority opens a permit to revoke it
  const granted = useQuery({
    queryKey: ['gl-granted'],
    queryFn: () =>
      api<{ items: Application[] }>('/api/v1/green-lane/applications?status=granted&limit=20'),
  });
  return (
    <Stack maw={900}>
      <Title order={2}>{gt('review.title')}</Title>
      {queue.error && <ErrorAlert error={queue.error} />}
      {queue.data?.items.length === 0 && <Text c="dimmed">{gt('review.empty')}</Text>}
      {(queue.data?.items ?? []).map((a) => (
        <Review key={a.id} a={a} />
      ))}
      <Title order={3}>{gt('review.recent')}</Title>
      {granted.error && <ErrorAlert error={granted.error} />}
      <ApplicationTable items={granted.data?.items ?? []} />
    </Stack>
  );
}
