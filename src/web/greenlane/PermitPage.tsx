/**
 * /luong-xanh/giay/:id — the permit with its QR, for the company to print or show on a phone;
 * the transport authority revokes it here, with a reason, after a confirmation.
 */
import { Alert, Badge, Button, Card, Image, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDateTime } from '../format.ts';
import { ReasonAction } from './ReasonAction.tsx';
import { useGT } from './t.ts';
import type { Permit } from './types.ts';

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
            {canRevoke && !p.revokedAt && (
              <ReasonAction
                url={`/api/v1/green-lane/permits/${p.id}/revoke`}
                label={gt('permit.revokeReason')}
                button={gt('permit.revoke')}
                confirmTitle={gt('permit.revokeConfirmTitle')}
                confirmMessage={gt('permit.revokeConfirm')}
                done={gt('permit.revoked')}
                queryKey={['gl-permit', id]}
                color="red"
                testId="gl-revoke-reason"
              />
            )}
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
