/**
 * /luong-xanh/giay/:id — the permit with its QR, for the company to print or show on a phone;
 * the transport authority revokes it here, with a reason, after a confirmation.
 */
import { Alert, Badge, Button, Card, Image, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api, ApiError } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDateTime } from '../format.ts';
import { confirmDelete } from '../nav/confirm.tsx';
import { useGT } from './t.ts';
import type { Permit } from './types.ts';

function Revoke({ id }: { id: string }) {
  const { gt } = useGT();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const revoke = useMutation({
    mutationFn: () =>
      api(`/api/v1/green-lane/permits/${id}/revoke`, { method: 'POST', body: { reason } }),
    onSuccess: () => {
      notifications.show({ color: 'red', message: gt('permit.revoked') });
      void qc.invalidateQueries({ queryKey: ['gl-permit', id] });
    },
  });
  const e = revoke.error;
  return (
    <Stack gap="xs" w="100%">
      <Textarea
        label={gt('permit.revokeReason')}
        value={reason}
        onChange={(ev) => setReason(ev.currentTarget.value)}
        autosize
        minRows={2}
        data-testid="gl-revoke-reason"
        error={
          e instanceof ApiError ? e.fields.find((f) => f.path === 'reason')?.message : undefined
        }
      />
      {e && !(e instanceof ApiError && e.fields.length) && <ErrorAlert error={e} />}
      <Button
        color="red"
        variant="light"
        mih={44}
        loading={revoke.isPending}
        onClick={() =>
          confirmDelete({
            title: gt('permit.revokeConfirmTitle'),
            message: gt('permit.revokeConfirm'),
            confirmLabel: gt('permit.revoke'),
            onConfirm: () => revoke.mutate(),
          })
        }
      >
        {gt('permit.revoke')}
      </Button>
    </Stack>
  );
}

export function PermitPage() {
  const { id } = useParams();
  const { gt, bi } = useGT();
  const canRevoke = useMe().permissions.includes('greenlane.decide');
  const q = useQuery({
    queryKey: ['gl-permit', id],
    queryFn: () => api<Permit>(`/api/v1/green-lane/permits/${id}`),
  });
  const p = q.data;
  return (
    <Stack maw={480}>
      <Title order={2}>{gt('permit.title')}</Title>
      {q.error && <ErrorAlert error={q.error} />}
      {p && (
        <Card withBorder>
          <Stack align="center" gap="xs">
            <Title order={3}>{p.plate}</Title>
            <Badge color={p.validity.valid ? 'green' : 'red'} size="lg">
              {gt(`permit.${p.validity.status}`)}
            </Badge>
            <Image src={p.png} alt={p.plate} w={280} data-testid="gl-permit-qr" />
            <Text size="sm">
              {formatDateTime(p.windowFrom)} – {formatDateTime(p.windowTo)}
            </Text>
            <Text size="sm">
              {gt('permit.lapsesAt')}: {formatDateTime(p.validity.lapsesAt ?? p.lapsesAt)}
            </Text>
            <Text size="sm" c="dimmed">
              {bi(p.validity.reason)}
            </Text>
            <Text size="xs" c="dimmed">
              {gt('permit.order')}: {p.orderNumber}
            </Text>
            {p.revokedAt && (
              <Alert color="red" w="100%" data-testid="gl-permit-revoked">
                {gt('permit.revokedAt')}: {formatDateTime(p.revokedAt)}
                <br />
                {gt('permit.revokedReason')}: {p.revokedReason}
              </Alert>
            )}
            <Button variant="light" onClick={() => window.print()}>
              {gt('permit.print')}
            </Button>
            {canRevoke && !p.revokedAt && <Revoke id={p.id} />}
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
