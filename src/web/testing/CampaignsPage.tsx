/** /xet-nghiem/dot-sang-loc — screening campaigns (market, bus station, village…) and a new one. */
import {
  Badge,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api.ts';
import { useMe } from '../auth.tsx';
import { DateField } from '../components/DateField.tsx';
import { formatDate, formatNumber, parseDisplayDate } from '../format.ts';
import { fieldErrors, uuid } from '../util.ts';
import { Empty, LoadMore, Loading, usePaged } from './components.tsx';
import { unplaced } from './modals.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { codeLabel, useTT } from './t.ts';
import type { Campaign, CampaignKind } from './types.ts';

const KINDS: CampaignKind[] = ['market', 'bus_station', 'village', 'workplace', 'school', 'other'];

function NewCampaign() {
  const tt = useTT();
  const me = useMe();
  const queryClient = useQueryClient();
  const [key, setKey] = useState(0);
  const [clientId, setClientId] = useState(uuid);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<string | null>(null);
  const [commune, setCommune] = useState(me.scope.communeCode ?? '');
  const [starts, setStarts] = useState('');
  const [ends, setEnds] = useState('');
  const startsOn = parseDisplayDate(starts);
  const endsOn = ends ? parseDisplayDate(ends) : null;
  const save = useMutation({
    mutationFn: () =>
      api<Campaign>('/api/v1/test-campaigns', {
        method: 'POST',
        body: {
          clientId,
          name: name.trim(),
          kind,
          communeCode: commune.trim(),
          startsOn,
          endsOn: endsOn ?? undefined,
        },
      }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: tt('campaigns.created', { name }) });
      void queryClient.invalidateQueries({ queryKey: ['test-campaigns'] });
      setClientId(uuid());
      setName('');
      setKind(null);
      setStarts('');
      setEnds('');
      setKey((k) => k + 1);
    },
  });
  const fe = fieldErrors(save.error);
  return (
    <Paper withBorder p="sm" radius="md" key={key}>
      <Stack gap="sm">
        <Text fw={600}>{tt('campaigns.new')}</Text>
        <TextInput
          label={tt('campaigns.name')}
          placeholder={tt('campaigns.namePlaceholder')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={fe.name}
          withAsterisk
        />
        <Select
          label={tt('campaigns.kind')}
          data={KINDS.map((k) => ({ value: k, label: codeLabel(tt, 'campaignKind', k) }))}
          value={kind}
          onChange={setKind}
          error={fe.kind}
          withAsterisk
          placeholder={tt('common.pick')}
        />
        {!me.scope.communeCode && (
          <TextInput
            label={tt('campaigns.communeCode')}
            description={tt('campaigns.communeHint')}
            value={commune}
            onChange={(e) => setCommune(e.currentTarget.value)}
            error={fe.communeCode}
            inputMode="numeric"
            maxLength={5}
            withAsterisk
          />
        )}
        <SimpleGrid cols={2} spacing="xs">
          <DateField
            label={tt('campaigns.startsOn')}
            onChange={setStarts}
            error={
              fe.startsOn ?? (starts.length === 10 && !startsOn ? tt('common.badDate') : undefined)
            }
          />
          <DateField
            label={tt('campaigns.endsOn')}
            onChange={setEnds}
            error={fe.endsOn ?? (ends.length === 10 && !endsOn ? tt('common.badDate') : undefined)}
          />
        </SimpleGrid>
        <ErrorAlert
          error={unplaced(save.error, ['name', 'kind', 'communeCode', 'startsOn', 'endsOn'])}
          showFields
        />
        <Button
          onClick={() => save.mutate()}
          loading={save.isPending}
          disabled={!name.trim() || !kind || !startsOn || !!(ends && !endsOn)}
        >
          {tt('campaigns.create')}
        </Button>
      </Stack>
    </Paper>
  );
}

export function CampaignsPage() {
  const tt = useTT();
  const q = usePaged<Campaign>(['test-campaigns'], '/api/v1/test-campaigns', { limit: 30 });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <div>
        <Title order={2}>{tt('campaigns.title')}</Title>
        <Text c="dimmed" size="sm">
          {tt('campaigns.subtitle')}
        </Text>
      </div>
      <NewCampaign />
      {q.isLoading ? (
        <Loading />
      ) : !items.length ? (
        <Empty>{tt('campaigns.empty')}</Empty>
      ) : (
        <Stack gap="xs">
          {items.map((c) => (
            <Paper key={c.id} withBorder p="xs" radius="sm">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Stack gap={2} miw={0}>
                  <Text fw={600}>{c.name}</Text>
                  <Text size="xs" c="dimmed">
                    {c.endsOn
                      ? `${formatDate(c.startsOn)} – ${formatDate(c.endsOn)}`
                      : tt('campaigns.from', { date: formatDate(c.startsOn) })}
                  </Text>
                  <Text size="xs">{tt('campaigns.orders', { n: formatNumber(c.orders) })}</Text>
                </Stack>
                <Badge variant="light" style={{ flexShrink: 0 }}>
                  {codeLabel(tt, 'campaignKind', c.kind)}
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
      )}
    </Stack>
  );
}
