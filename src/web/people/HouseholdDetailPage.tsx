import {
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { HOUSEHOLD_RELATIONS, type HouseholdRelation } from '../../domain/people.ts';
import { confirmDelete } from '../nav/confirm.tsx';
import { api, ApiError } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate } from '../format.ts';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { fieldErrors } from '../util.ts';
import { useCanP } from './access.tsx';
import { birthText, idText } from './components/PersonCards.tsx';
import { CommuneName, VillageName } from './components/places.tsx';
import { codeLabel, usePT } from './t.ts';
import type { HouseholdDetail, HouseholdMember, PersonPage } from './types.ts';
import { searchPersons } from './search.ts';

function AddMember({ household }: { household: HouseholdDetail }) {
  const pt = usePT();
  const queryClient = useQueryClient();
  const hasHead = household.members.some((m) => m.relation === 'head');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [relation, setRelation] = useState<HouseholdRelation>(hasHead ? 'other' : 'head');
  const found = useQuery({
    queryKey: ['persons', 'search', q, null, null, 'member-picker'],
    queryFn: () => searchPersons<PersonPage>({ q, limit: 10 }),
    enabled: q.length >= 2,
  });
  const add = useMutation({
    mutationFn: (p: { id: string; name: string }) =>
      api<HouseholdDetail>(`/api/v1/households/${household.id}/members`, {
        method: 'POST',
        body: { personId: p.id, relation },
      }),
    onSuccess: (h, p) => {
      queryClient.setQueryData(['households', 'one', household.id], h);
      void queryClient.invalidateQueries({ queryKey: ['households', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['persons', 'one'] });
      notifications.show({ color: 'teal', message: pt('households.added', { name: p.name }) });
      setSearch('');
      setRelation('other');
    },
  });
  const errors = fieldErrors(add.error);
  const memberIds = new Set(household.members.map((m) => m.personId));

  return (
    <Card withBorder radius="md" data-testid="add-member">
      <Title order={3} size="h4" mb="sm">
        {pt('households.addMember')}
      </Title>
      <Stack gap="sm">
        <Select
          label={pt('households.relation')}
          data={HOUSEHOLD_RELATIONS.map((r) => ({ value: r, label: codeLabel(pt, 'relation', r) }))}
          value={relation}
          onChange={(r) => r && setRelation(r as HouseholdRelation)}
          allowDeselect={false}
          error={errors.relation}
          data-testid="member-relation"
        />
        <TextInput
          type="search"
          label={pt('households.findPerson')}
          placeholder={pt('people.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          autoComplete="off"
          spellCheck={false}
          description={search.trim().length < 2 ? pt('households.typeToSearch') : undefined}
        />
        {add.isError && !errors.relation && <ErrorAlert error={add.error} />}
        {found.isFetching && <Loader size="sm" />}
        {found.data && q.length >= 2 && found.data.items.length === 0 && (
          <Text c="dimmed" size="sm">
            {pt('people.empty')}
          </Text>
        )}
        {q.length >= 2 &&
          found.data?.items.map((p) => (
            <Paper key={p.id} withBorder p="xs" radius="md" data-testid="member-candidate">
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <div style={{ minWidth: 0 }}>
                  <Text fw={600} size="sm">
                    {p.fullName}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {birthText(p)} · {codeLabel(pt, 'sex', p.sex)} · {idText(pt, p)}
                  </Text>
                </div>
                {memberIds.has(p.id) ? (
                  <Badge variant="light" color="gray" tt="none" style={{ flexShrink: 0 }}>
                    {pt('households.alreadyMember')}
                  </Badge>
                ) : (
                  <Button
                    size="xs"
                    style={{ flexShrink: 0 }}
                    onClick={() => add.mutate({ id: p.id, name: p.fullName })}
                    loading={add.isPending && add.variables?.id === p.id}
                  >
                    {pt('households.add')}
                  </Button>
                )}
              </Group>
            </Paper>
          ))}
      </Stack>
    </Card>
  );
}

function RemoveButton({ household, member }: { household: string; member: HouseholdMember }) {
  const pt = usePT();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () =>
      api<HouseholdDetail>(`/api/v1/households/${household}/members/${member.personId}`, {
        method: 'DELETE',
      }),
    onSuccess: (h) => {
      queryClient.setQueryData(['households', 'one', household], h);
      void queryClient.invalidateQueries({ queryKey: ['households', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['persons', 'one'] });
      notifications.show({ message: pt('households.removed', { name: member.fullName }) });
    },
    onError: (e) => notifications.show({ color: 'red', message: e.message }),
  });
  return (
    <Button
      size="sm"
      mih={44}
      variant="subtle"
      color="red"
      loading={remove.isPending}
      // issue 16: the shared confirmation (nav/confirm.tsx)
      onClick={() =>
        confirmDelete({
          title: pt('households.remove'),
          message: pt('households.removeConfirm', { name: member.fullName }),
          confirmLabel: pt('households.remove'),
          onConfirm: () => remove.mutate(),
        })
      }
      style={{ flexShrink: 0 }}
    >
      {pt('households.remove')}
    </Button>
  );
}

export function HouseholdDetailPage() {
  const pt = usePT();
  const { id = '' } = useParams();
  const canWrite = useCanP('households.write');
  const canPersons = useCanP('persons.read');
  const household = useQuery({
    queryKey: ['households', 'one', id],
    queryFn: () => api<HouseholdDetail>(`/api/v1/households/${encodeURIComponent(id)}`),
  });

  if (household.isPending) {
    return (
      <Center p="lg">
        <Loader />
      </Center>
    );
  }
  if (household.isError) {
    return household.error instanceof ApiError &&
      (household.error.status === 404 || household.error.status === 400) ? (
      <NotFoundPage />
    ) : (
      <ErrorAlert error={household.error} />
    );
  }
  const h = household.data;
  const head = h.members.find((m) => m.relation === 'head');

  return (
    <Stack maw={860}>
      <Anchor component={Link} to="/ho-gia-dinh" size="sm">
        {pt('households.back')}
      </Anchor>
      <div>
        <Title order={2}>
          {head ? pt('households.householdOf', { name: head.fullName }) : pt('households.title')}
        </Title>
        {h.address && <Text>{h.address}</Text>}
        <Text c="dimmed" size="sm">
          <VillageName id={h.villageId} />, <CommuneName code={h.communeCode} /> ·{' '}
          {pt('households.createdAt')} {formatDate(h.createdAt)}
        </Text>
      </div>
      <Card withBorder radius="md" data-testid="household-members">
        <Title order={3} size="h4" mb="sm">
          {pt('households.members')} ({h.members.length})
        </Title>
        {h.members.length === 0 ? (
          <Text c="dimmed" size="sm">
            {pt('households.noMembers')}
          </Text>
        ) : (
          <Stack gap="xs">
            {h.members.map((m) => (
              <Paper key={m.personId} withBorder p="xs" radius="md" data-testid="member">
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <div style={{ minWidth: 0 }}>
                    <Group gap={6} wrap="wrap">
                      {canPersons ? (
                        <Anchor component={Link} to={`/nguoi-dan/${m.personId}`} fw={600} size="sm">
                          {m.fullName}
                        </Anchor>
                      ) : (
                        <Text fw={600} size="sm">
                          {m.fullName}
                        </Text>
                      )}
                      <Badge
                        variant={m.relation === 'head' ? 'filled' : 'light'}
                        tt="none"
                        size="sm"
                      >
                        {codeLabel(pt, 'relation', m.relation)}
                      </Badge>
                    </Group>
                    <Text size="xs" c="dimmed">
                      {m.birthYear} · {codeLabel(pt, 'sex', m.sex)}
                    </Text>
                  </div>
                  {canWrite && <RemoveButton household={h.id} member={m} />}
                </Group>
              </Paper>
            ))}
          </Stack>
        )}
      </Card>
      {canWrite && canPersons && <AddMember key={h.members.length} household={h} />}
    </Stack>
  );
}
