/**
 * /theo-doi — arrivals the commune (and its community team) follows up: due today, overdue,
 * open, all. Each card says what the person must do and until when, which tests are done, and
 * lets the team record a contact, a daily check, a test, a move away or the end. Like the
 * checkpoint page, what is recorded goes into the device's outbox first (villages without a
 * connection) and is sent, exactly once, when there is one.
 */
import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Center,
  Checkbox,
  Collapse,
  Group,
  Loader,
  Modal,
  NumberInput,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  Textarea,
  Timeline,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SYMPTOMS, type Symptom } from '../../domain/declaration.ts';
import { api, qs, type Page } from '../api.ts';
import { useMe } from '../auth.tsx';
import { useEntryCan } from './access.tsx';
import { CallButton } from '../components/CallButton.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate, formatDateTime } from '../format.ts';
import { uuid } from '../util.ts';
import { useKT } from '../care/t.ts';
import { ActionBadge } from './components.tsx';
import { useOfflineReady, useOfflineSupport, useOnline } from './offline.ts';
import { outbox, useOnSent, useOutbox, type OutboxItem, type SentEvent } from './outbox.ts';
import { OutboxPanel } from './OutboxPanel.tsx';
import type { FollowUp, FollowUpDetail, FollowUpEvent, FollowUpEventBody } from './types.ts';

type Due = 'today' | 'overdue' | 'open' | 'all';
export type EventKind = FollowUpEvent['kind'];

interface FollowUpPage extends Page<FollowUp> {
  today: string;
}

function StatusBadge({ f }: { f: FollowUp }) {
  const { t } = useTranslation();
  const { kt } = useKT();
  if (f.status === 'completed')
    return (
      <Badge color="gray" variant="light" tt="none">
        {t('entry.followUps.statusCompleted')}
      </Badge>
    );
  if (f.status === 'moved_away')
    return (
      <Badge color="gray" variant="light" tt="none">
        {t('entry.followUps.statusMovedAway')}
      </Badge>
    );
  if (f.overdue)
    return (
      <Badge color="red" variant="light" tt="none">
        {f.action === 'home_quarantine' ? kt('home.missed') : t('entry.followUps.overdueBadge')}
      </Badge>
    );
  if (f.dueToday)
    return (
      <Badge color="orange" variant="light" tt="none">
        {t('entry.followUps.dueTodayBadge')}
      </Badge>
    );
  return null;
}

function eventText(
  e: { kind: EventKind; data: Record<string, unknown> },
  t: ReturnType<typeof useTranslation>['t'],
) {
  const d = e.data;
  const parts: string[] = [];
  if (e.kind === 'daily_check') {
    if (typeof d.temperature === 'number') parts.push(`${d.temperature} °C`);
    const s = Array.isArray(d.symptoms) ? (d.symptoms as Symptom[]) : [];
    parts.push(
      s.length ? s.map((x) => t(`entry.symptom.${x}`)).join(', ') : t('entry.followUps.noSymptoms'),
    );
  }
  if (e.kind === 'test') {
    if (d.testType === 'pcr' || d.testType === 'rapid')
      parts.push(t(`entry.testType.${d.testType}`));
    if (d.result === 'negative' || d.result === 'positive' || d.result === 'pending')
      parts.push(t(`entry.result.${d.result}`));
  }
  if (typeof d.note === 'string' && d.note) parts.push(d.note);
  return parts.join(' · ');
}

function History({ id }: { id: string }) {
  const { t } = useTranslation();
  const detail = useQuery({
    queryKey: ['follow-up', id],
    queryFn: () => api<FollowUpDetail>(`/api/v1/follow-ups/${id}`),
  });
  if (detail.isPending) return <Loader size="xs" />;
  if (detail.isError) return <ErrorAlert error={detail.error} />;
  if (!detail.data.events.length)
    return (
      <Text size="sm" c="dimmed">
        {t('entry.followUps.noEvents')}
      </Text>
    );
  return (
    <Timeline bulletSize={12} lineWidth={2} mt={4}>
      {detail.data.events.map((e) => (
        <Timeline.Item key={e.id} title={t(`entry.followUps.kind_${e.kind}`)}>
          <Text size="xs" c="dimmed">
            {formatDateTime(e.at)}
          </Text>
          {eventText(e, t) && <Text size="sm">{eventText(e, t)}</Text>}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

function FollowUpCard({
  f,
  pending,
  canWrite,
  onRecord,
}: {
  f: FollowUp;
  pending: OutboxItem[];
  canWrite: boolean;
  onRecord: (f: FollowUp, kind: EventKind) => void;
}) {
  const { t, i18n } = useTranslation();
  const { kt } = useKT();
  const [history, setHistory] = useState(false);
  const pendingTests = pending.filter((p) => p.body.kind === 'test').length;
  const open = f.status === 'open';
  return (
    <Paper withBorder radius="md" p="sm" data-testid="follow-up">
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
          <Box miw={0}>
            <Text fw={700}>
              {f.person.fullName ?? '—'}
              {f.person.birthYear ? ` (${f.person.birthYear})` : ''}
            </Text>
            <CallButton personId={f.person.id} masked={f.person.phone ?? null} />
          </Box>
          <Stack gap={4} align="flex-end" style={{ flexShrink: 0 }}>
            <ActionBadge action={f.action} />
            {f.quarantineOrderId && (
              <Badge color="grape" variant="light" tt="none" data-testid="f1-order">
                {kt('home.f1Order')}
              </Badge>
            )}
            <StatusBadge f={f} />
          </Stack>
        </Group>
        <SimpleGrid cols={2} spacing={4} verticalSpacing={2}>
          <Text size="sm">
            <Text span c="dimmed" size="sm">
              {t('entry.followUps.start')}:
            </Text>{' '}
            {formatDate(f.startDate)}
          </Text>
          {f.quarantineEnds ? (
            <Text size="sm">
              <Text span c="dimmed" size="sm">
                {t('entry.followUps.quarantineEnds')}:
              </Text>{' '}
              {formatDate(f.quarantineEnds)}
            </Text>
          ) : (
            <span />
          )}
          <Text size="sm">
            <Text span c="dimmed" size="sm">
              {t('entry.followUps.monitoringEnds')}:
            </Text>{' '}
            {formatDate(f.monitoringEnds)}
          </Text>
          {f.nextDue && open && (
            <Text size="sm" c={f.overdue ? 'red.8' : undefined}>
              <Text span c="dimmed" size="sm">
                {t('entry.followUps.nextDue')}:
              </Text>{' '}
              {formatDate(f.nextDue)}
            </Text>
          )}
        </SimpleGrid>
        {f.testDates.length > 0 && (
          <Group gap={6} data-testid="test-dates">
            <Text size="sm" c="dimmed">
              {t('entry.followUps.tests')}:
            </Text>
            {f.testDates.map((d, i) => {
              const done = i < f.testsDone;
              const queued = !done && i < f.testsDone + pendingTests;
              return (
                <Badge
                  key={d + i}
                  color={done ? 'teal' : queued ? 'orange' : 'gray'}
                  variant={done ? 'filled' : 'outline'}
                  tt="none"
                  title={
                    done
                      ? t('entry.followUps.testDone')
                      : queued
                        ? t('entry.outbox.waiting')
                        : t('entry.followUps.testPlanned')
                  }
                >
                  {done ? '✓ ' : ''}
                  {formatDate(d).slice(0, 5)}
                </Badge>
              );
            })}
          </Group>
        )}
        <Text size="xs" c="dimmed">
          {f.contactedAt
            ? t('entry.followUps.contacted', { at: formatDateTime(f.contactedAt) })
            : t('entry.followUps.notContacted')}
          {f.lastCheckAt
            ? ` · ${t('entry.followUps.lastCheck', { at: formatDateTime(f.lastCheckAt) })}`
            : ''}
        </Text>
        {f.explanation && (
          <Text size="sm" data-testid="follow-up-explanation">
            {i18n.language === 'en' ? f.explanation.en : f.explanation.vi}
          </Text>
        )}
        {pending.length > 0 && (
          <Alert color="orange" variant="light" p={6}>
            <Text size="xs">
              {t('entry.followUps.pendingEvents', { count: pending.length })}:{' '}
              {pending.map((p) => t(`entry.followUps.kind_${p.body.kind as EventKind}`)).join(', ')}
            </Text>
          </Alert>
        )}
        {canWrite && (
          <Group gap={6} mt={2}>
            <Button size="xs" variant="light" onClick={() => onRecord(f, 'contact')}>
              {t('entry.followUps.kind_contact')}
            </Button>
            {open && (
              <>
                <Button size="xs" variant="light" onClick={() => onRecord(f, 'daily_check')}>
                  {t('entry.followUps.kind_daily_check')}
                </Button>
                <Button size="xs" variant="light" onClick={() => onRecord(f, 'test')}>
                  {t('entry.followUps.kind_test')}
                </Button>
                <Button size="xs" variant="default" onClick={() => onRecord(f, 'moved_away')}>
                  {t('entry.followUps.kind_moved_away')}
                </Button>
                <Button size="xs" variant="default" onClick={() => onRecord(f, 'completed')}>
                  {t('entry.followUps.kind_completed')}
                </Button>
              </>
            )}
          </Group>
        )}
        <Anchor component="button" type="button" size="xs" onClick={() => setHistory(!history)}>
          {history ? t('entry.followUps.hideHistory') : t('entry.followUps.showHistory')}
        </Anchor>
        <Collapse expanded={history}>{history && <History id={f.id} />}</Collapse>
      </Stack>
    </Paper>
  );
}

interface EventForm {
  note: string;
  temperature: number | string;
  symptoms: Symptom[];
  testType: 'pcr' | 'rapid';
  result: 'negative' | 'positive' | 'pending';
}
const emptyForm = (): EventForm => ({
  note: '',
  temperature: '',
  symptoms: [],
  testType: 'rapid',
  result: 'negative',
});

/** Records a follow-up event through the outbox (also used by the community team's task list). */
export function RecordModal({
  target,
  onClose,
}: {
  target: { f: Pick<FollowUp, 'id' | 'person'>; kind: EventKind } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 36em)');
  const [form, setForm] = useState<EventForm>(emptyForm);
  const [error, setError] = useState<string | null>(null);
  const kind = target?.kind;
  const close = () => {
    setForm(emptyForm());
    setError(null);
    onClose();
  };
  const save = async () => {
    if (!target) return;
    const clientId = uuid();
    const at = new Date().toISOString();
    const note = form.note.trim() || undefined;
    let body: FollowUpEventBody;
    switch (target.kind) {
      case 'contact':
        body = { kind: 'contact', clientId, at, note };
        break;
      case 'daily_check': {
        const temp = form.temperature === '' ? undefined : Number(form.temperature);
        if (temp !== undefined && (!Number.isFinite(temp) || temp < 34 || temp > 43)) {
          setError(t('entry.followUps.temperatureRange'));
          return;
        }
        body = {
          kind: 'daily_check',
          clientId,
          at,
          temperature: temp,
          symptoms: form.symptoms,
          note,
        };
        break;
      }
      case 'test':
        body = { kind: 'test', clientId, at, testType: form.testType, result: form.result };
        break;
      case 'moved_away':
        if (!note || note.length < 3) {
          setError(t('entry.followUps.movedAwayNote'));
          return;
        }
        body = { kind: 'moved_away', clientId, at, note };
        break;
      case 'completed':
        body = { kind: 'completed', clientId, at, note };
        break;
    }
    await outbox.add({
      clientId,
      kind: 'followup-event',
      url: `/api/v1/follow-ups/${target.f.id}/events`,
      body: body as unknown as Record<string, unknown>,
      label: `${target.f.person.fullName ?? ''} · ${t(`entry.followUps.kind_${target.kind}`)}`,
      followUpId: target.f.id,
    });
    notifications.show({
      color: navigator.onLine ? 'teal' : 'yellow',
      message: navigator.onLine
        ? t('entry.followUps.recorded')
        : t('entry.followUps.recordedOffline'),
    });
    close();
  };
  return (
    <Modal
      opened={!!target}
      onClose={close}
      title={kind ? t(`entry.followUps.kind_${kind}`) : ''}
      fullScreen={!!phone}
    >
      {target && (
        <Stack>
          <Text fw={600}>
            {target.f.person.fullName}
            {target.f.person.birthYear ? ` (${target.f.person.birthYear})` : ''}
          </Text>
          {kind === 'daily_check' && (
            <>
              <NumberInput
                label={t('entry.followUps.temperature')}
                suffix=" °C"
                min={34}
                max={43}
                step={0.1}
                decimalScale={1}
                decimalSeparator={','}
                value={form.temperature}
                onChange={(temperature) => setForm({ ...form, temperature })}
                inputMode="decimal"
              />
              <Checkbox.Group
                label={t('entry.declare.symptoms')}
                value={form.symptoms}
                onChange={(v) => setForm({ ...form, symptoms: v as Symptom[] })}
              >
                <SimpleGrid cols={2} mt={6} spacing="xs">
                  {SYMPTOMS.map((s) => (
                    <Checkbox key={s} value={s} label={t(`entry.symptom.${s}`)} />
                  ))}
                </SimpleGrid>
              </Checkbox.Group>
            </>
          )}
          {kind === 'test' && (
            <>
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {t('entry.followUps.testType')}
                </Text>
                <SegmentedControl
                  fullWidth
                  value={form.testType}
                  onChange={(v) => setForm({ ...form, testType: v as EventForm['testType'] })}
                  data={[
                    { value: 'rapid', label: t('entry.testType.rapid') },
                    { value: 'pcr', label: t('entry.testType.pcr') },
                  ]}
                />
              </Stack>
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {t('entry.declare.testResult')}
                </Text>
                <SegmentedControl
                  fullWidth
                  value={form.result}
                  onChange={(v) => setForm({ ...form, result: v as EventForm['result'] })}
                  data={[
                    { value: 'negative', label: t('entry.result.negative') },
                    { value: 'positive', label: t('entry.result.positive') },
                    { value: 'pending', label: t('entry.result.pending') },
                  ]}
                />
              </Stack>
            </>
          )}
          {kind === 'completed' && <Text size="sm">{t('entry.followUps.completeConfirm')}</Text>}
          {kind !== 'test' && (
            <Textarea
              label={
                kind === 'moved_away'
                  ? t('entry.followUps.movedAwayLabel')
                  : t('entry.followUps.note')
              }
              required={kind === 'moved_away'}
              value={form.note}
              onChange={(e) => setForm({ ...form, note: e.currentTarget.value })}
              autosize
              minRows={2}
              maxLength={500}
            />
          )}
          {error && (
            <Alert color="red" variant="light" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button onClick={() => void save()}>{t('common.save')}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function FollowUpList({
  due,
  pendingFor,
  onRecord,
}: {
  due: Due;
  pendingFor: (id: string) => OutboxItem[];
  onRecord: (f: FollowUp, kind: EventKind) => void;
}) {
  const { t } = useTranslation();
  const canWrite = useEntryCan('followups.write');
  const online = useOnline();
  const list = useInfiniteQuery({
    queryKey: ['follow-ups', due],
    queryFn: ({ pageParam }) =>
      api<FollowUpPage>(`/api/v1/follow-ups${qs({ due, cursor: pageParam, limit: 50 })}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 15_000,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  if (!list.data && !online)
    return (
      <Text c="dimmed" size="sm">
        {t('entry.followUps.listOffline')}
      </Text>
    );
  if (list.isPending)
    return (
      <Center p="lg">
        <Loader />
      </Center>
    );
  return (
    <Stack gap="sm">
      {list.isError && online && <ErrorAlert error={list.error} />}
      {rows.length === 0 && !list.isError ? (
        <Text c="dimmed">{t(`entry.followUps.empty_${due}`)}</Text>
      ) : (
        <Stack gap="sm" data-testid={`follow-ups-${due}`}>
          {rows.map((f) => (
            <FollowUpCard
              key={f.id}
              f={f}
              pending={pendingFor(f.id)}
              canWrite={canWrite}
              onRecord={onRecord}
            />
          ))}
        </Stack>
      )}
      {list.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void list.fetchNextPage()}
          loading={list.isFetchingNextPage}
        >
          {t('common.loadMore')}
        </Button>
      )}
    </Stack>
  );
}

export function FollowUpsPage() {
  const { t } = useTranslation();
  const me = useMe();
  useOfflineSupport();
  const box = useOutbox(me.id);
  const online = useOnline();
  const offlineReady = useOfflineReady();
  const queryClient = useQueryClient();
  const [due, setDue] = useState<Due>('today');
  const [target, setTarget] = useState<{ f: FollowUp; kind: EventKind } | null>(null);

  const onSent = useCallback(
    (e: SentEvent) => {
      if (e.item.kind !== 'followup-event') return;
      void queryClient.invalidateQueries({ queryKey: ['follow-ups'] });
      if (e.item.followUpId)
        void queryClient.invalidateQueries({ queryKey: ['follow-up', e.item.followUpId] });
    },
    [queryClient],
  );
  useOnSent(onSent);

  const events = box.items.filter((i) => i.kind === 'followup-event');
  const pendingFor = (id: string) => events.filter((i) => i.followUpId === id);

  return (
    <Stack maw={820}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('entry.followUps.title')}</Title>
          <Text size="sm" c="dimmed">
            {me.scopeLabel}
          </Text>
        </div>
        <Group gap="xs">
          <Badge color={online ? 'teal' : 'gray'} variant="dot" tt="none">
            {online ? t('entry.outbox.online') : t('entry.outbox.offline')}
          </Badge>
          {offlineReady && (
            <Badge color="teal" variant="outline" tt="none" data-testid="offline-ready">
              {t('entry.outbox.offlineReady')}
            </Badge>
          )}
          <Badge
            color={events.length ? 'orange' : 'teal'}
            variant="light"
            tt="none"
            data-testid="outbox-count"
          >
            {t('entry.outbox.unsent', { count: events.length })}
          </Badge>
        </Group>
      </Group>
      <OutboxPanel items={events} needsLogin={box.needsLogin} syncing={box.syncing} />
      <Tabs
        value={due}
        onChange={(v) => setDue((v as Due) ?? 'today')}
        keepMounted={false}
        variant="pills"
        radius="xl"
      >
        <Tabs.List>
          <Tabs.Tab value="today">{t('entry.followUps.tabToday')}</Tabs.Tab>
          <Tabs.Tab value="overdue">{t('entry.followUps.tabOverdue')}</Tabs.Tab>
          <Tabs.Tab value="open">{t('entry.followUps.tabOpen')}</Tabs.Tab>
          <Tabs.Tab value="all">{t('entry.followUps.tabAll')}</Tabs.Tab>
        </Tabs.List>
        {(['today', 'overdue', 'open', 'all'] as const).map((d) => (
          <Tabs.Panel key={d} value={d} pt="sm">
            <FollowUpList
              due={d}
              pendingFor={pendingFor}
              onRecord={(f, kind) => setTarget({ f, kind })}
            />
          </Tabs.Panel>
        ))}
      </Tabs>
      <RecordModal target={target} onClose={() => setTarget(null)} />
    </Stack>
  );
}
