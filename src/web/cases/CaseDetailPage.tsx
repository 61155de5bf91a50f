/**
 * One F0 case: the person, dates, the computed infectious period, status and its history,
 * responsible vs current commune (transfer), the contacts to trace and the chain graph.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  Checkbox,
  Group,
  Loader,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Timeline,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, ApiError, qs, type Unit } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate } from '../format.ts';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { fieldErrors, uuid } from '../util.ts';
import { useCanC } from './access.tsx';
import { ChainGraph } from './ChainGraph.tsx';
import { Field, formatDayTime, StatusBadge } from './components.tsx';
import { ContactsPanel } from './ContactsPanel.tsx';
import { codeLabel, useBi, useCT } from './t.ts';
import { CASE_STATUSES, type Case, type CaseDetail, type CaseEvent, type Graph } from './types.ts';

function StatusModal({ c, onClose }: { c: Case; onClose: () => void }) {
  const ct = useCT();
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<string | null>(null);
  const [tier, setTier] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [clientId] = useState(uuid);
  const save = useMutation({
    mutationFn: () =>
      api<Case>(`/api/v1/cases/${c.id}/status`, {
        method: 'POST',
        body: {
          clientId,
          status,
          ...(status === 'hospital' && tier ? { hospitalTier: Number(tier) } : {}),
          ...(note.trim() ? { note: note.trim() } : {}),
        },
      }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: ct('case.statusSaved') });
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
      onClose();
    },
  });
  const errors = fieldErrors(save.error);
  const options = CASE_STATUSES.filter(
    (s) => s !== c.status && (s !== 'unisolated' || c.status === 'unisolated'),
  );
  return (
    <Modal
      opened
      onClose={onClose}
      title={ct('case.changeStatus')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          save.mutate();
        }}
        noValidate
      >
        <Stack gap="sm">
          {save.isError && !errors.status && !errors.hospitalTier && (
            <ErrorAlert error={save.error} />
          )}
          <Select
            label={ct('case.newStatus')}
            data={options.map((s) => ({ value: s, label: codeLabel(ct, 'status', s) }))}
            value={status}
            onChange={setStatus}
            error={errors.status}
            allowDeselect={false}
          />
          {status === 'hospital' && (
            <Select
              label={ct('case.tier')}
              data={[1, 2, 3].map((n) => ({ value: String(n), label: ct('case.tierN', { n }) }))}
              value={tier}
              onChange={setTier}
              error={errors.hospitalTier}
            />
          )}
          <Textarea
            label={ct('case.note')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            autosize
            minRows={2}
            maxLength={500}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={!status} loading={save.isPending}>
              {ct('case.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function TransferModal({ c, onClose }: { c: Case; onClose: () => void }) {
  const ct = useCT();
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const [to, setTo] = useState<string | null>(null);
  const [resp, setResp] = useState(false);
  const [note, setNote] = useState('');
  const [clientId] = useState(uuid);
  const communes = useQuery({
    queryKey: ['commune-options', 'province', me.scope.provinceCode],
    queryFn: () =>
      api<{ items: Unit[] }>(
        `/api/v1/admin-units${qs({ province: me.scope.provinceCode, level: 3 })}`,
      ).then((r) => r.items),
    staleTime: 10 * 60_000,
  });
  const save = useMutation({
    mutationFn: () =>
      api<Case>(`/api/v1/cases/${c.id}/transfer`, {
        method: 'POST',
        body: {
          clientId,
          toCommuneCode: to,
          responsibility: resp,
          ...(note.trim() ? { note: note.trim() } : {}),
        },
      }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: ct('case.transferred') });
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
      onClose();
    },
  });
  const errors = fieldErrors(save.error);
  return (
    <Modal
      opened
      onClose={onClose}
      title={ct('case.transfer')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          save.mutate();
        }}
        noValidate
      >
        <Stack gap="sm">
          {save.isError && !errors.toCommuneCode && <ErrorAlert error={save.error} />}
          <Select
            label={ct('case.toCommune')}
            data={(communes.data ?? [])
              .filter((u) => u.code !== c.currentCommune.code)
              .map((u) => ({ value: u.code, label: u.name }))}
            value={to}
            onChange={setTo}
            searchable
            nothingFoundMessage="—"
            error={errors.toCommuneCode}
          />
          <Checkbox
            label={ct('case.responsibility')}
            checked={resp}
            onChange={(e) => setResp(e.currentTarget.checked)}
          />
          <Textarea
            label={ct('case.note')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            autosize
            minRows={2}
            maxLength={500}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={!to} loading={save.isPending}>
              {ct('case.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function useCommuneName() {
  const me = useMe();
  const communes = useQuery({
    queryKey: ['commune-options', 'province', me.scope.provinceCode],
    queryFn: () =>
      api<{ items: Unit[] }>(
        `/api/v1/admin-units${qs({ province: me.scope.provinceCode, level: 3 })}`,
      ).then((r) => r.items),
    staleTime: 10 * 60_000,
  });
  return (code: unknown) =>
    communes.data?.find((u) => u.code === code)?.name ?? (typeof code === 'string' ? code : '—');
}

function EventText({ e }: { e: CaseEvent }) {
  const ct = useCT();
  const commune = useCommuneName();
  const d = e.data;
  if (e.kind === 'opened')
    return <>{`${ct('case.event_opened')} · ${codeLabel(ct, 'foundBy', String(d.foundBy))}`}</>;
  if (e.kind === 'status')
    return (
      <>
        {ct('case.event_status', {
          from: codeLabel(ct, 'status', String(d.from)),
          to:
            codeLabel(ct, 'status', String(d.to)) +
            (d.hospitalTier ? ` (${ct('case.tierN', { n: d.hospitalTier })})` : ''),
        })}
        {d.note ? ` — ${String(d.note)}` : ''}
      </>
    );
  if (e.kind === 'transfer')
    return (
      <>
        {ct(d.responsibility ? 'case.event_transferResp' : 'case.event_transfer', {
          from: commune(d.fromCommuneCode),
          to: commune(d.toCommuneCode),
        })}
        {d.note ? ` — ${String(d.note)}` : ''}
      </>
    );
  if (e.kind === 'cluster') return <>{ct('case.event_cluster')}</>;
  return <>{e.kind}</>;
}

export function CaseDetailPage() {
  const { id = '' } = useParams();
  const ct = useCT();
  const bi = useBi();
  const canWrite = useCanC('cases.write');
  const [modal, setModal] = useState<'status' | 'transfer' | null>(null);
  const c = useQuery({
    queryKey: ['cases', 'one', id],
    queryFn: () => api<CaseDetail>(`/api/v1/cases/${encodeURIComponent(id)}`),
  });
  const personId = c.data?.person.id;
  const graph = useQuery({
    queryKey: ['cases', 'chain', personId],
    queryFn: () => api<Graph>(`/api/v1/persons/${personId}/chain?radius=1`),
    enabled: !!personId,
  });
  if (c.isPending)
    return (
      <Center p="lg">
        <Loader />
      </Center>
    );
  if (c.error instanceof ApiError && (c.error.status === 404 || c.error.status === 400))
    return <NotFoundPage />;
  if (c.isError) return <ErrorAlert error={c.error} />;
  const x = c.data;
  const p = x.infectiousPeriod;
  const moved = x.currentCommune.code !== x.responsibleCommune.code;
  const closed = x.status === 'recovered' || x.status === 'died';
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/ca-benh" size="sm">
        ← {ct('cases.title')}
      </Anchor>
      <Group justify="space-between" wrap="wrap" align="flex-start">
        <div style={{ minWidth: 0 }}>
          <Text fw={700} c="red.8" data-testid="case-code">
            {x.code}
          </Text>
          <Title order={2}>{x.person.fullName}</Title>
          <Group gap={6} mt={4}>
            <StatusBadge status={x.status} tier={x.hospitalTier} />
            {x.cluster && (
              <Badge
                component={Link}
                to={`/o-dich/${x.cluster.id}`}
                variant="outline"
                color="grape"
                style={{ cursor: 'pointer' }}
              >
                {x.cluster.name}
              </Badge>
            )}
          </Group>
        </div>
        <Group gap="xs">
          {canWrite && !closed && (
            <Button size="sm" onClick={() => setModal('status')}>
              {ct('case.changeStatus')}
            </Button>
          )}
          {canWrite && !closed && (
            <Button size="sm" variant="default" onClick={() => setModal('transfer')}>
              {ct('case.transfer')}
            </Button>
          )}
        </Group>
      </Group>
      {closed && x.closedAt && (
        <Alert color="gray" variant="light">
          {ct('case.closed', { date: formatDate(x.closedAt) })}
        </Alert>
      )}
      <Card withBorder padding="md" data-testid="case-fields">
        <SimpleGrid cols={{ base: 2, md: 3 }} spacing="sm">
          <Field label={ct('case.person')}>
            <Anchor component={Link} to={`/nguoi-dan/${x.person.id}`}>
              {x.person.fullName}
            </Anchor>{' '}
            · {ct('case.birthYear', { year: x.person.birthYear })}
          </Field>
          <Field label={ct('case.phone')}>{x.person.phone ?? '—'}</Field>
          <Field label={ct('case.idNumber')}>{x.person.idNumber ?? '—'}</Field>
          <Field label={ct('case.sample')}>{formatDayTime(x.positiveSampleAt)}</Field>
          <Field label={ct('case.onset')}>
            {x.onsetDate ? formatDate(x.onsetDate) : ct('case.noOnset')}
          </Field>
          <Field label={ct('case.foundBy')}>{codeLabel(ct, 'foundBy', x.foundBy)}</Field>
          <Field label={ct('case.responsible')}>{x.responsibleCommune.name}</Field>
          <Field label={ct('case.current')}>
            <Text component="span" c={moved ? 'orange.8' : undefined} fw={moved ? 600 : undefined}>
              {x.currentCommune.name}
            </Text>
          </Field>
          {x.homeUnit.communeCode !== x.responsibleCommune.code && (
            <Field label={ct('case.home')}>
              <span data-testid="case-home">{x.homeUnit.name ?? x.homeUnit.communeCode}</span>
            </Field>
          )}
          {x.sourceCase && (
            <Field label={ct('case.sourceCase')}>
              <Anchor component={Link} to={`/ca-benh/${x.sourceCase.id}`}>
                {x.sourceCase.code}
              </Anchor>
            </Field>
          )}
        </SimpleGrid>
      </Card>
      <Card withBorder padding="md" bg="red.0" data-testid="infectious-period">
        <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
          {ct('case.period')}
        </Text>
        <Text fw={700}>
          {p.ongoing
            ? ct('case.periodOngoing', { from: formatDate(p.startDate) })
            : ct('case.periodClosed', { from: formatDate(p.startDate), to: formatDayTime(p.to) })}
        </Text>
        <Text size="sm">{bi(p.explanation)}</Text>
        <Text size="xs" c="dimmed" mt={6}>
          {ct('case.decision')}: {bi(x.decision.explanation)}
        </Text>
      </Card>
      <ContactsPanel caseId={x.id} />
      <Stack gap="xs" data-testid="case-graph">
        <Group justify="space-between" wrap="wrap">
          <Title order={3}>{ct('graph.title')}</Title>
          <Anchor component={Link} to={`/chuoi-lay/${x.person.id}`} size="sm">
            {ct('case.chain')} →
          </Anchor>
        </Group>
        {graph.isPending ? (
          <Loader size="sm" />
        ) : graph.isError ? (
          <ErrorAlert error={graph.error} />
        ) : (
          <ChainGraph graph={graph.data} focus={x.person.id} />
        )}
      </Stack>
      <Stack gap="xs">
        <Title order={3}>{ct('case.history')}</Title>
        <Timeline bulletSize={14} lineWidth={2} data-testid="case-history">
          {x.events.map((e) => (
            <Timeline.Item key={e.id} title={formatDayTime(e.at)}>
              <Text size="sm">
                <EventText e={e} />
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      </Stack>
      {modal === 'status' && <StatusModal c={x} onClose={() => setModal(null)} />}
      {modal === 'transfer' && <TransferModal c={x} onClose={() => setModal(null)} />}
    </Stack>
  );
}
