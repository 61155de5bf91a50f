/** /luong-xanh/giay/:id — the permit with its QR, for the company to print or show on a phone. */
import { Badge, Button, Card, Image, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDateTime } from '../format.ts';
import { useGT } from './t.ts';
import type { Permit } from './types.ts';

export function PermitPage() {
  const { id } = useParams();
  const { gt, bi } = useGT();
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
              {gt('permit.lapsesAt')}: {formatDateTime(p.lapsesAt)}
            </Text>
            <Text size="sm" c="dimmed">
              {bi(p.validity.reason)}
            </Text>
            <Text size="xs" c="dimmed">
              {gt('permit.order')}: {p.orderNumber}
            </Text>
            <Button variant="light" onClick={() => window.print()}>
              {gt('permit.print')}
            </Button>
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
