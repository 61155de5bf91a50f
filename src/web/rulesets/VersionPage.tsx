/**
 * /quy-tac/:id — one version read in words (vi/en): validity and legal basis, and for the arrival
 * classification every rule in order, "when … then …"; its JSON beside; a new version from it.
 */
import {
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Group,
  Loader,
  Spoiler,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { StatusBadge } from './RuleSetsPage.tsx';
import { useRT } from './t.ts';
import type { VersionDetail } from './types.ts';

export function VersionPage() {
  const { id = '' } = useParams();
  const { rt, bi } = useRT();
  const me = useMe();
  const v = useQuery({
    queryKey: ['rule-set', id],
    queryFn: () => api<VersionDetail>(`/api/v1/rule-sets/${encodeURIComponent(id)}`),
  });
  if (v.isLoading) return <Loader />;
  if (!v.data) return <ErrorAlert error={v.error} />;
  const d = v.data;
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/quy-tac" size="sm">
        ← {rt('version.back')}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2} style={{ flex: '1 1 260px' }}>
          <Text size="sm" c="dimmed">
            {bi(d.label)} · {d.id}
          </Text>
          <Title order={2}>{d.name}</Title>
        </Stack>
        <StatusBadge v={d} rt={rt} />
      </Group>
      <Text data-testid="validity">{bi(d.words.validity)}</Text>
      {me.permissions.includes('rulesets.manage') && (
        <Button component={Link} to={`/quy-tac/${d.id}/phien-ban-moi`} mih={44} w="fit-content">
          {rt('version.newVersion')}
        </Button>
      )}
      {d.words.rules && (
        <Stack gap="xs">
          <Title order={4}>{rt('version.rules')}</Title>
          {d.words.rules.map((r, i) => (
            <Card key={r.id} withBorder padding="sm" data-testid={`rule-${r.id}`}>
              <Group gap="xs" mb={4}>
                <Badge variant="outline">{i + 1}</Badge>
                <Text size="xs" c="dimmed">
                  {r.id}
                </Text>
                {r.confidence === 'reconstructed' && (
                  <Badge color="orange" variant="light">
                    {rt('version.reconstructed')}
                  </Badge>
                )}
              </Group>
              <Text>
                <b>{rt('version.when')}:</b> {bi(r.when)}
              </Text>
              <Text>
                <b>{rt('version.then')}:</b> {bi(r.then)}
              </Text>
            </Card>
          ))}
        </Stack>
      )}
      {d.words.notes && (
        <Stack gap={4}>
          <Title order={5}>{rt('version.notes')}</Title>
          <Text size="sm">{d.words.notes}</Text>
        </Stack>
      )}
      <Stack gap={4}>
        <Title order={5}>{rt('version.definition')}</Title>
        <Spoiler maxHeight={160} showLabel="▼" hideLabel="▲">
          <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {JSON.stringify(d.definition, null, 2)}
          </Code>
        </Spoiler>
      </Stack>
    </Stack>
  );
}
