/**
 * Keeping one team (issue 18 item 2), for commune health staff: its members from the registry
 * (leader or member), the households it looks after (chosen among the village's households; a
 * household of another team moves) and its weekly report.
 */
import { Button, Card, Checkbox, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api, qs, type Page } from '../api.ts';
import { PersonPicker } from '../cases/CaseCreateModal.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import type { Person } from '../people/types.ts';
import { useTT } from './t.ts';
import { TeamReportCard } from './TeamReport.tsx';
import type { Team, TeamMember } from './types.ts';

interface HouseholdItem {
  id: string;
  address: string | null;
  headName: string | null;
  members?: number;
  memberCount?: number;
}

function Members({ team }: { team: Team & { members: TeamMember[] } }) {
  const { t } = useTT();
  const queryClient = useQueryClient();
  const [person, setPerson] = useState<Person | null>(null);
  const [role, setRole] = useState<'member' | 'leader'>('member');
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['team', team.id] });
  const add = useMutation({
    mutationFn: () =>
      api(`/api/v1/teams/${team.id}/members`, {
        method: 'POST',
        body: { personId: person?.id, role },
      }),
    onSuccess: () => {
      setPerson(null);
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (personId: string) =>
      api(`/api/v1/teams/${team.id}/members/${personId}`, { method: 'DELETE' }),
    onSuccess: refresh,
  });
  return (
    <Card withBorder radius="md" p="sm">
      <Title order={4}>{t('manage.members')}</Title>
      <Stack gap="xs" mt="xs">
        {team.members.map((m) => (
          <Group key={m.personId} justify="space-between" wrap="nowrap" data-testid="member">
            <Text>
              {m.fullName} ({m.birthYear}) · {t(`manage.role_${m.role}`)}
            </Text>
            <Button
              size="md"
              variant="subtle"
              color="red"
              onClick={() => remove.mutate(m.personId)}
            >
              {t('manage.remove')}
            </Button>
          </Group>
        ))}
        <PersonPicker label={t('manage.person')} value={person} onChange={setPerson} />
        <SegmentedControl
          size="md"
          value={role}
          onChange={(v) => setRole(v as 'member' | 'leader')}
          data={[
            { value: 'member', label: t('manage.role_member') },
            { value: 'leader', label: t('manage.role_leader') },
          ]}
        />
        {add.error && <ErrorAlert error={add.error} />}
        <Button size="md" disabled={!person} onClick={() => add.mutate()} loading={add.isPending}>
          {t('manage.addMember')}
        </Button>
      </Stack>
    </Card>
  );
}

function Households({ team }: { team: Team }) {
  const { t } = useTT();
  const queryClient = useQueryClient();
  const [picked, setPicked] = useState<string[]>([]);
  const mine = useQuery({
    queryKey: ['team-households', team.id],
    queryFn: () => api<Page<HouseholdItem>>(`/api/v1/teams/${team.id}/households?limit=500`),
  });
  const village = useQuery({
    queryKey: ['households', 'village', team.villageId],
    queryFn: () =>
      api<Page<HouseholdItem>>(`/api/v1/households${qs({ village: team.villageId, limit: 200 })}`),
  });
  const assign = useMutation({
    mutationFn: () =>
      api<{ assigned: number }>(`/api/v1/teams/${team.id}/households`, {
        method: 'POST',
        body: { householdIds: picked },
      }),
    onSuccess: (r) => {
      notifications.show({ color: 'teal', message: t('manage.assigned', { count: r.assigned }) });
      setPicked([]);
      void queryClient.invalidateQueries({ queryKey: ['team-households', team.id] });
    },
  });
  const taken = new Set((mine.data?.items ?? []).map((h) => h.id));
  const line = (h: HouseholdItem) =>
    `${h.headName ? t('manage.head', { name: h.headName }) : t('manage.noHead')}${h.address ? ` · ${h.address}` : ''}`;
  return (
    <Card withBorder radius="md" p="sm">
      <Title order={4}>{t('manage.households')}</Title>
      {mine.error && <ErrorAlert error={mine.error} />}
      <Stack gap={4} mt="xs">
        {mine.data?.items.map((h) => (
          <Text key={h.id} size="sm" data-testid="team-household">
            {line(h)} · {t('manage.size', { count: h.members ?? 0 })}
          </Text>
        ))}
      </Stack>
      <Text fw={500} mt="md">
        {t('manage.villageHouseholds')}
      </Text>
      {village.error && <ErrorAlert error={village.error} />}
      <Checkbox.Group value={picked} onChange={setPicked}>
        <Stack gap={0} mt={4}>
          {village.data?.items
            .filter((h) => !taken.has(h.id))
            .map((h) => (
              <Checkbox
                key={h.id}
                value={h.id}
                label={line(h)}
                size="md"
                styles={{ root: { minHeight: 44, display: 'flex', alignItems: 'center' } }}
              />
            ))}
        </Stack>
      </Checkbox.Group>
      {assign.error && <ErrorAlert error={assign.error} />}
      <Button
        mt="sm"
        size="md"
        fullWidth
        disabled={!picked.length}
        onClick={() => assign.mutate()}
        loading={assign.isPending}
      >
        {t('manage.assign')}
      </Button>
    </Card>
  );
}

export function TeamManagePage() {
  const { id = '' } = useParams();
  const team = useQuery({
    queryKey: ['team', id],
    queryFn: () => api<Team & { members: TeamMember[] }>(`/api/v1/teams/${id}`),
  });
  const { t } = useTT();
  return (
    <Stack maw={720}>
      {team.error && <ErrorAlert error={team.error} />}
      {team.data && (
        <>
          <div>
            <Title order={2}>{team.data.name}</Title>
            <Text size="sm" c="dimmed">
              {team.data.villageName} · {team.data.leaderName ?? t('teams.noLeader')}
            </Text>
          </div>
          <Members team={team.data} />
          <Households team={team.data} />
          <TeamReportCard teamId={id} />
        </>
      )}
    </Stack>
  );
}
