/**
 * A team leader's tasks on a phone (issue 18 item 2): one list of what is due today and overdue
 * for the team's households. Each completion goes into the device's outbox with its clientId and
 * is sent exactly once to the module that asked for it (the follow-up's event, the F0's reading,
 * the team's visit), so the list works without a connection; the last list read is kept on the
 * device for a page opened offline.
 */
import {
  Badge,
  Button,
  Card,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useParams } from 'react-router';
import { api, qs } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ReadingForm } from '../care/MonitoringPage.tsx';
import { CallButton } from '../components/CallButton.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { RecordModal, type EventKind } from '../entry/FollowUpsPage.tsx';
import { OutboxPanel } from '../entry/OutboxPanel.tsx';
import { useOfflineSupport, useOnline } from '../entry/offline.ts';
import { outbox, useOnSent, useOutbox, type OutboxItem, type SentEvent } from '../entry/outbox.ts';
import { formatDate, formatDateTime } from '../format.ts';
import { uuid } from '../util.ts';
import { useTT } from './t.ts';
import type { TaskPage, TeamTask } from './types.ts';
import { TeamReportCard } from './TeamReport.tsx';

const OUTCOMES = ['will_vaccinate', 'not_home', 'refused', 'exempt'] as const;
const cacheKey = (teamId: string, userId: string) => `epiguard-team-tasks:${userId}:${teamId}`;

/** Whether an item waiting in the outbox completes this task. */
const completes = (i: OutboxItem, task: TeamTask) =>
  task.complete.url
    ? i.url === task.complete.url
    : i.kind === 'team-visit' && i.body.personId === task.person.id;

function VisitModal({
  teamId,
  task,
  onClose,
}: {
  teamId: string;
  task: TeamTask | null;
  onClose: () => void;
}) {
  const { t } = useTT();
  const [outcome, setOutcome] = useState<string>('will_vaccinate');
  const save = async () => {
    if (!task) return;
    const clientId = uuid();
    await outbox.add({
      clientId,
      kind: 'team-visit',
      url: `/api/v1/teams/${teamId}/visits`,
      body: {
        clientId,
        householdId: task.householdId,
        personId: task.person.id,
        outcome,
        at: new Date().toISOString(),
      },
      label: `${task.person.fullName} · ${t(`tasks.outcome_${outcome}` as 'tasks.outcome_refused')}`,
    });
    notifications.show({
      color: navigator.onLine ? 'teal' : 'yellow',
      message: t(navigator.onLine ? 'tasks.visitSaved' : 'tasks.visitSavedOffline'),
    });
    onClose();
  };
  return (
    <Modal opened={!!task} onClose={onClose} title={t('tasks.visit')} fullScreen>
      {task && (
        <Stack>
          <Text fw={600}>
            {task.person.fullName} ({task.person.birthYear})
          </Text>
          <SegmentedControl
            orientation="vertical"
            fullWidth
            size="md"
            value={outcome}
            onChange={setOutcome}
            data={OUTCOMES.map((o) => ({
              value: o,
              label: t(`tasks.outcome_${o}` as 'tasks.outcome_refused'),
            }))}
          />
          <Group grow>
            <Button size="md" variant="default" onClick={onClose}>
              {t('tasks.cancel')}
            </Button>
            <Button size="md" onClick={() => void save()}>
              {t('teams.save')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function TaskCard({
  task,
  queued,
  onDo,
}: {
  task: TeamTask;
  queued: boolean;
  onDo: (task: TeamTask) => void;
}) {
  const { t, bi } = useTT();
  return (
    <Card withBorder radius="md" p="sm" data-testid="team-task" data-kind={task.kind}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div>
          <Text size="sm" c="dimmed">
            {bi(task.label)}
          </Text>
          <Text fw={600}>
            {task.person.fullName} ({task.person.birthYear})
          </Text>
          {task.address && <Text size="sm">{t('tasks.address', { address: task.address })}</Text>}
          {task.lastReadingAt && (
            <Text size="sm">
              {t('tasks.lastReading', { at: formatDateTime(task.lastReadingAt) })}
            </Text>
          )}
        </div>
        {queued ? (
          <Badge color="yellow" tt="none" data-testid="queued">
            {t('tasks.queued')}
          </Badge>
        ) : task.state === 'overdue' ? (
          <Badge color="red" tt="none">
            {t('tasks.overdue', { count: task.daysOverdue })}
          </Badge>
        ) : (
          <Badge color="blue" tt="none">
            {t('tasks.dueToday')}
          </Badge>
        )}
      </Group>
      {task.kind !== 'unvaccinated' && (
        <CallButton personId={task.person.id} masked={task.person.phone} />
      )}
      {!queued && (
        <Button mt="sm" size="md" fullWidth onClick={() => onDo(task)}>
          {t(`tasks.${task.complete.step}`)}
        </Button>
      )}
    </Card>
  );
}

const FOLLOW_UP_KIND: Record<string, EventKind> = {
  check: 'daily_check',
  test: 'test',
  close: 'completed',
};

export function TeamTasksPage() {
  const { id = '' } = useParams();
  const { t } = useTT();
  const me = useMe();
  useOfflineSupport();
  const box = useOutbox(me.id);
  const online = useOnline();
  const queryClient = useQueryClient();
  const [doing, setDoing] = useState<TeamTask | null>(null);
  const key = cacheKey(id, me.id);
  const list = useInfiniteQuery({
    queryKey: ['team-tasks', id],
    queryFn: async ({ pageParam }) => {
      const p = await api<TaskPage>(
        `/api/v1/teams/${id}/tasks${qs({ cursor: pageParam, limit: 50 })}`,
      );
      if (!pageParam) localStorage.setItem(key, JSON.stringify(p));
      return p;
    },
    initialPageParam: null as string | null,
    getNextPageParam: (p) => p.nextCursor,
    // a page opened without a connection shows the list last read on this phone
    initialData: () => {
      const saved = localStorage.getItem(key);
      return saved ? { pages: [JSON.parse(saved) as TaskPage], pageParams: [null] } : undefined;
    },
    initialDataUpdatedAt: 0,
  });
  const onSent = useCallback(
    (_e: SentEvent) => {
      void queryClient.invalidateQueries({ queryKey: ['team-tasks', id] });
      void queryClient.invalidateQueries({ queryKey: ['team-report', id] });
    },
    [queryClient, id],
  );
  useOnSent(onSent);
  const first = list.data?.pages[0];
  const tasks = list.data?.pages.flatMap((p) => p.items) ?? [];
  const mine = box.items.filter((i) => tasks.some((task) => completes(i, task)));
  const step = doing?.complete.step;
  return (
    <Stack maw={720}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{first?.team.name ?? t('tasks.title')}</Title>
          <Text size="sm" c="dimmed">
            {first?.team.villageName}
            {first ? ` · ${t('tasks.today', { date: formatDate(first.today) })}` : ''}
          </Text>
        </div>
        <Badge color={online ? 'teal' : 'gray'} variant="dot" tt="none" data-testid="online">
          {t(online ? 'tasks.online' : 'tasks.offline')}
        </Badge>
      </Group>
      <OutboxPanel
        items={mine}
        needsLogin={box.needsLogin}
        syncing={box.syncing}
        title={t('tasks.outbox')}
      />
      {list.error && <ErrorAlert error={list.error} />}
      {list.isSuccess && tasks.length === 0 && <Text c="dimmed">{t('tasks.empty')}</Text>}
      {tasks.map((task) => (
        <TaskCard
          key={task.id}
          task={task}
          queued={box.items.some((i) => completes(i, task))}
          onDo={setDoing}
        />
      ))}
      {list.hasNextPage && (
        <Button variant="default" size="md" onClick={() => void list.fetchNextPage()}>
          {t('tasks.more')}
        </Button>
      )}
      <RecordModal
        target={
          doing && step && FOLLOW_UP_KIND[step]
            ? { f: { id: doing.sourceId, person: doing.person }, kind: FOLLOW_UP_KIND[step] }
            : null
        }
        onClose={() => setDoing(null)}
      />
      <Modal
        opened={step === 'reading'}
        onClose={() => setDoing(null)}
        title={t('tasks.reading')}
        fullScreen
      >
        {doing && step === 'reading' && (
          <ReadingForm
            t={{ caseId: doing.sourceId, person: doing.person }}
            onDone={() => setDoing(null)}
          />
        )}
      </Modal>
      <VisitModal
        teamId={id}
        task={step === 'visit' ? doing : null}
        onClose={() => setDoing(null)}
      />
      {online && <TeamReportCard teamId={id} />}
    </Stack>
  );
}
