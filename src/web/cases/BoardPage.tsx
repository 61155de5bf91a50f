/**
 * The commune's tracing board: F1 to reach / reached / quarantined / tested, overdue first and
 * highlighted; record progress and assign a task to oneself or a community team.
 */
import {
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  Chip,
  Group,
  Loader,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, qs } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate } from '../format.ts';
import { fieldErrors, uuid } from '../util.ts';
import { useCanC } from './access.tsx';
import { useCommuneOptions } from './components.tsx';
import { codeLabel, useBi, useCT, type CasesKey } from './t.ts';
import type { Board, Order } from './types.ts';

const STAGES: { key: string; label: CasesKey; count: keyof Board['counts']; color: string }[] = [
  { key: 'to_reach', label: 'board.toReach', count: 'toReach', color: 'red' },
  { key: 'reached', label: 'board.reached', count: 'reached', color: 'orange' },
  { key: 'quarantined', label: 'board.quarantined', count: 'quarantined', color: 'grape' },
  { key: 'tested', label: 'board.tested', count: 'tested', color: 'teal' },
  { key: 'overdue', label: 'board.overdue', count: 'overdue', color: 'red' },
];

function AssignModal({ order, onClose }: { order: Order; onClose: () => void }) {
  const ct = useCT();
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const [team, setTeam] = useState(order.assignedTeam ?? '');
  const assign = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api<Order>(`/api/v1/tracing/tasks/${order.id}/assign`, { method: 'POST', body }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: ct('board.assignSaved') });
      void queryClient.invalidateQueries({ queryKey: ['tracing'] });
      onClose();
    },
  });
  const errors = fieldErrors(assign.error);
  return (
    <Modal
      opened
      onClose={onClose}
      title={`${ct('board.assign')}: ${order.person.fullName}`}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <Stack gap="sm">
        {assign.isError && !errors.team && !errors.userId && <ErrorAlert error={assign.error} />}
        <Button
          variant="light"
          onClick={() => assign.mutate({ userId: me.id })}
          loading={assign.isPending}
        >
          {ct('board.assignMe')} ({me.fullName})
        </Button>
        {errors.userId && (
          <Text size="sm" c="red">
            {errors.userId}
          </Text>
        )}
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            assign.mutate({ team: team.trim() || null });
          }}
          noValidate
        >
          <Stack gap="xs">
            <TextInput
              label={ct('board.team')}
              placeholder={ct('board.teamHint')}
              value={team}
              onChange={(e) => setTeam(e.currentTarget.value)}
              error={errors.team}
              maxLength={100}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={assign.isPending}>
                {ct('board.assignTeam')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Modal>
  );
}

function TaskCard({ o }: { o: Order }) {
  const ct = useCT();
  const bi = useBi();
  const canWrite = useCanC('contacts.write');
  const queryClient = useQueryClient();
  const [assigning, setAssigning] = useState(false);
  const record = useMutation({
    mutationFn: (kind: 'reached' | 'quarantined') =>
      api<Order>(`/api/v1/tracing/tasks/${o.id}/events`, {
        method: 'POST',
        body: { clientId: uuid(), kind },
      }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: ct('board.recorded') });
      void queryClient.invalidateQueries({ queryKey: ['tracing'] });
      void queryClient.invalidateQueries({ queryKey: ['orders'] });
    },
  });
  const who = o.assignedTo?.fullName ?? o.assignedTeam;
  return (
    <Card
      withBorder
      padding="sm"
      data-testid="task-card"
      data-overdue={o.overdue ? 'true' : 'false'}
      style={o.overdue ? { borderColor: 'var(--mantine-color-red-6)', borderWidth: 2 } : undefined}
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div style={{ minWidth: 0 }}>
          <Anchor component={Link} to={`/chuoi-lay/${o.person.id}`} fw={700} c="dark">
            {o.person.fullName}
          </Anchor>
          <Text size="sm" c="dimmed">
            {o.person.birthYear}
            {o.person.phone ? ' · ' : ''}
            {/* A list shows the phone masked (issue 10): the person page shows it whole, audited. */}
            {o.person.phone && (
              <Anchor component={Link} to={`/nguoi-dan/${o.person.id}`} size="sm">
                {o.person.phone}
              </Anchor>
            )}
          </Text>
        </div>
        <Stack gap={4} align="flex-end" style={{ flexShrink: 0 }}>
          <Badge color={o.overdue ? 'red' : 'blue'} variant="light">
            {codeLabel(ct, 'stage', o.stage)}
          </Badge>
          {o.overdue && (
            <Badge color="red" variant="filled">
              {ct('board.overdue')}
            </Badge>
          )}
        </Stack>
      </Group>
      <Text size="sm" mt={4}>
        <Anchor component={Link} to={`/ca-benh/${o.case.id}`} size="sm">
          {ct('board.caseOf', { code: o.case.code })}
        </Anchor>{' '}
        · {codeLabel(ct, 'orderKind', o.kind)}
      </Text>
      {o.nextDue && (
        <Text size="sm" c={o.overdue ? 'red.7' : o.dueToday ? 'orange.8' : undefined} fw={600}>
          {ct('board.nextDue', { date: formatDate(o.nextDue) })}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {bi(o.explanation)}
      </Text>
      <Text size="sm" mt={4}>
        {who ? ct('board.assigned', { who }) : ct('board.notAssigned')}
      </Text>
      {canWrite && (
        <Group mt="xs" gap="xs">
          {!o.reachedAt && (
            <Button size="xs" onClick={() => record.mutate('reached')} loading={record.isPending}>
              {ct('board.markReached')}
            </Button>
          )}
          {o.reachedAt && !o.quarantinedAt && o.kind !== 'self_monitoring' && (
            <Button
              size="xs"
              onClick={() => record.mutate('quarantined')}
              loading={record.isPending}
            >
              {ct('board.markQuarantined')}
            </Button>
          )}
          <Button size="xs" variant="default" onClick={() => setAssigning(true)}>
            {ct('board.assign')}
          </Button>
        </Group>
      )}
      {/* issue 16 item 3: the quarantine decision to print and sign */}
      <Button
        component="a"
        href={`/api/v1/quarantine-orders/${o.id}/decision.docx`}
        download
        mt="xs"
        variant="light"
        fullWidth
        data-testid="decision-docx"
      >
        {ct('board.decisionDocx')}
      </Button>
      {record.isError && <ErrorAlert error={record.error} />}
      {assigning && <AssignModal order={o} onClose={() => setAssigning(false)} />}
    </Card>
  );
}

export function BoardPage() {
  const ct = useCT();
  const { t } = useTranslation();
  const me = useMe();
  const communes = useCommuneOptions(me);
  const [commune, setCommune] = useState<string | null>(null);
  const [stage, setStage] = useState<string>('');
  const [mine, setMine] = useState(false);
  const board = useInfiniteQuery({
    queryKey: ['tracing', 'board', commune, stage, mine],
    queryFn: ({ pageParam }) =>
      api<Board>(
        `/api/v1/tracing/board${qs({
          commune,
          stage: stage || null,
          assigned: mine ? 'me' : null,
          cursor: pageParam,
          limit: 50,
        })}`,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: (prev) => prev,
  });
  const first = board.data?.pages[0];
  const rows = board.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <div>
        <Title order={2}>{ct('board.title')}</Title>
        <Text c="dimmed" size="sm">
          {ct('board.subtitle')}
        </Text>
      </div>
      {communes.data && (
        <Select
          label={ct('cases.communeFilter')}
          placeholder={ct('cases.allCommunes')}
          data={communes.data.map((u) => ({ value: u.code, label: u.name }))}
          value={commune}
          onChange={setCommune}
          searchable
          clearable
          maw={360}
        />
      )}
      {first && (
        <SimpleGrid cols={{ base: 3, sm: 5 }} spacing="xs" data-testid="board-counts">
          {STAGES.map((s) => (
            <UnstyledButton
              key={s.key}
              onClick={() => setStage(stage === s.key ? '' : s.key)}
              aria-pressed={stage === s.key}
              h="100%"
            >
              <Card
                withBorder
                h="100%"
                padding="xs"
                style={
                  stage === s.key
                    ? { borderColor: `var(--mantine-color-${s.color}-6)`, borderWidth: 2 }
                    : undefined
                }
              >
                <Text size="xl" fw={700} c={first.counts[s.count] ? `${s.color}.7` : 'dimmed'}>
                  {first.counts[s.count]}
                </Text>
                <Text size="sm">{ct(s.label)}</Text>
              </Card>
            </UnstyledButton>
          ))}
        </SimpleGrid>
      )}
      <Group gap="xs">
        <Chip checked={mine} onChange={setMine} size="sm">
          {ct('board.mine')}
        </Chip>
        {stage && (
          <Chip checked onChange={() => setStage('')} size="sm">
            {ct(STAGES.find((s) => s.key === stage)!.label)} ✕
          </Chip>
        )}
      </Group>
      {board.isError && <ErrorAlert error={board.error} />}
      {board.isPending ? (
        <Center p="lg">
          <Loader />
        </Center>
      ) : rows.length === 0 ? (
        <Text c="dimmed">{ct('board.empty')}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="xs" data-testid="task-list">
          {[...rows]
            .sort((a, b) => Number(b.overdue) - Number(a.overdue))
            .map((o) => (
              <TaskCard key={o.id} o={o} />
            ))}
        </SimpleGrid>
      )}
      {board.hasNextPage && (
        <Group>
          <Button variant="default" onClick={() => void board.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
