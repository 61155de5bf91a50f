/**
 * Community COVID teams (issue 18 item 2): a team leader finds their team and today's tasks;
 * commune (district, province) health staff see their villages' teams and set up a new one —
 * village, name and the leader's account.
 */
import { Badge, Button, Card, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, qs, type Page } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { useVillageOptions } from '../people/components/places.tsx';
import { fieldErrors, uuid } from '../util.ts';
import { useTT } from './t.ts';
import type { Team } from './types.ts';

function CreateTeam() {
  const { t } = useTT();
  const me = useMe();
  const queryClient = useQueryClient();
  const villages = useVillageOptions(me.scope.communeCode ?? null);
  const [village, setVillage] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [leader, setLeader] = useState<string | null>(null);
  const [clientId, setClientId] = useState(uuid);
  const leaders = useQuery({
    queryKey: ['team-leaders', village],
    queryFn: () =>
      api<{ items: { id: string; fullName: string; username: string }[] }>(
        `/api/v1/teams/leader-accounts${qs({ village })}`,
      ),
    enabled: !!village,
  });
  const create = useMutation({
    mutationFn: () =>
      api<Team>('/api/v1/teams', {
        method: 'POST',
        body: { villageId: village, name, leaderUserId: leader, clientId },
      }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('teams.created') });
      setName('');
      setLeader(null);
      setClientId(uuid());
      void queryClient.invalidateQueries({ queryKey: ['teams'] });
    },
  });
  const errors = fieldErrors(create.error);
  return (
    <Card withBorder radius="md" p="sm">
      <Title order={4}>{t('teams.create')}</Title>
      <Stack gap="xs" mt="xs">
        <Select
          label={t('teams.village')}
          size="md"
          searchable
          data={(villages.data ?? []).map((v) => ({ value: v.id, label: v.name }))}
          value={village}
          onChange={(v) => {
            setVillage(v);
            setLeader(null);
          }}
          error={errors.villageId}
        />
        <TextInput
          label={t('teams.name')}
          size="md"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={errors.name}
        />
        <Select
          label={t('teams.leader')}
          size="md"
          clearable
          data={(leaders.data?.items ?? []).map((u) => ({
            value: u.id,
            label: `${u.fullName} (${u.username})`,
          }))}
          value={leader}
          onChange={setLeader}
          error={errors.leaderUserId}
        />
        {create.error && !Object.keys(errors).length && <ErrorAlert error={create.error} />}
        <Button size="md" onClick={() => create.mutate()} loading={create.isPending}>
          {t('teams.save')}
        </Button>
      </Stack>
    </Card>
  );
}

export function TeamsPage() {
  const { t } = useTT();
  const me = useMe();
  const manages = me.permissions.includes('teams.manage');
  const teams = useInfiniteQuery({
    queryKey: ['teams'],
    queryFn: ({ pageParam }) =>
      api<Page<Team & { households: number; members: number }>>(
        `/api/v1/teams${qs({ cursor: pageParam, limit: 50 })}`,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (p) => p.nextCursor,
  });
  const items = teams.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack maw={720}>
      <Title order={2}>{t('teams.title')}</Title>
      {teams.error && <ErrorAlert error={teams.error} />}
      {teams.isSuccess && items.length === 0 && <Text c="dimmed">{t('teams.empty')}</Text>}
      {items.map((team) => (
        <Card key={team.id} withBorder radius="md" p="sm" data-testid="team">
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <div>
              <Text fw={600}>{team.name}</Text>
              <Text size="sm" c="dimmed">
                {team.villageName}
              </Text>
              <Text size="sm">{team.leaderName ?? t('teams.noLeader')}</Text>
            </div>
            <Stack gap={4} align="flex-end">
              <Badge variant="light" tt="none">
                {t('teams.households', { count: team.households })}
              </Badge>
              <Badge variant="light" color="gray" tt="none">
                {t('teams.members', { count: team.members })}
              </Badge>
            </Stack>
          </Group>
          <Group grow mt="sm">
            <Button component={Link} to={`/to-covid/${team.id}/viec`} size="md">
              {t('teams.tasks')}
            </Button>
            {manages && (
              <Button
                component={Link}
                to={`/to-covid/${team.id}/quan-ly`}
                size="md"
                variant="default"
              >
                {t('teams.manage')}
              </Button>
            )}
          </Group>
        </Card>
      ))}
      {teams.hasNextPage && (
        <Button variant="default" size="md" onClick={() => void teams.fetchNextPage()}>
          {t('teams.more')}
        </Button>
      )}
      {manages && me.scope.level === 'commune' && <CreateTeam />}
    </Stack>
  );
}
