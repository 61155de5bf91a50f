/**
 * /quy-tac — every kind of rule set the product decides with, and its versions: validity, legal
 * basis, in force or not. A version opens in words (issue 18).
 */
import { Anchor, Badge, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate } from '../format.ts';
import { useRT, type RT } from './t.ts';
import type { KindList, VersionSummary } from './types.ts';

const STATUS_COLOUR = { current: 'teal', future: 'blue', past: 'gray' } as const;

export function StatusBadge({ v, rt }: { v: Pick<VersionSummary, 'status'>; rt: RT }) {
  return (
    <Badge color={STATUS_COLOUR[v.status]} variant="light">
      {rt(`list.status.${v.status}`)}
    </Badge>
  );
}

export const validityText = (v: Pick<VersionSummary, 'validFrom' | 'validTo'>) =>
  `${formatDate(v.validFrom)} – ${v.validTo ? formatDate(v.validTo) : '…'}`;

export function RuleSetsPage() {
  const { rt, bi } = useRT();
  const list = useQuery({
    queryKey: ['rule-sets'],
    queryFn: () => api<KindList>('/api/v1/rule-sets'),
  });
  return (
    <Stack gap="md">
      <Title order={2}>{rt('list.title')}</Title>
      <Text c="dimmed" size="sm">
        {rt('list.intro')}
      </Text>
      <ErrorAlert error={list.error} />
      {list.isLoading && <Loader />}
      {list.data?.items.map((k) => (
        <Card key={k.kind} withBorder padding="sm" data-testid={`kind-${k.kind}`}>
          <Group justify="space-between" wrap="nowrap" align="baseline">
            <Title order={4}>{bi(k.label)}</Title>
            <Text size="sm" c="dimmed">
              {rt('list.versions', { count: k.versions.length })}
            </Text>
          </Group>
          <Stack gap={6} mt="xs">
            {[...k.versions].reverse().map((v) => (
              <Group key={v.id} gap="xs" wrap="wrap" justify="space-between">
                <Stack gap={0} style={{ flex: '1 1 220px', minWidth: 0 }}>
                  <Anchor component={Link} to={`/quy-tac/${v.id}`} fw={600} mih={44} py={10}>
                    {v.name}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {v.legalBasis.number} · {validityText(v)}
                    {v.builtin ? ` · ${rt('list.builtin')}` : ''}
                  </Text>
                </Stack>
                <StatusBadge v={v} rt={rt} />
              </Group>
            ))}
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}
