/**
 * /gop-mau — a lab pools 5 or 10 specimens (gộp mẫu) by scanning or typing their codes, and
 * lists its pools; /gop-mau/:id — a pool: enter its result; a positive pool shows the
 * individual retest of every member and what each came to.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  CloseButton,
  Group,
  Paper,
  Radio,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDateTime } from '../format.ts';
import { uuid } from '../util.ts';
import { useCanT } from './access.tsx';
import { Empty, LoadMore, Loading, ResultBadge, usePaged, useTestTypeName } from './components.tsx';
import { ResultModal } from './modals.tsx';
import { codeLabel, useTT } from './t.ts';
import type { Pool, PoolListItem, PoolStatus } from './types.ts';

const POOL_COLOR: Record<PoolStatus, string> = {
  open: 'blue',
  negative: 'teal',
  awaiting_retests: 'red',
  resolved: 'gray',
};

function NewPool() {
  const tt = useTT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [target, setTarget] = useState<'5' | '10'>('5');
  const [codes, setCodes] = useState<string[]>([]);
  const [text, setText] = useState('');
  const [clientId, setClientId] = useState(uuid);
  const [typed, setTyped] = useState<string | null>(null);
  const size = Number(target);
  const add = (e: FormEvent) => {
    e.preventDefault();
    const c = text.trim().toUpperCase();
    setText('');
    if (!c) return;
    if (codes.includes(c)) return setTyped(tt('pools.already', { code: c }));
    if (codes.length >= size) return setTyped(tt('pools.full', { size }));
    setTyped(null);
    setCodes([...codes, c]);
  };
  const create = useMutation({
    mutationFn: () =>
      api<Pool>('/api/v1/pools', { method: 'POST', body: { clientId, specimenCodes: codes } }),
    onSuccess: (p) => {
      void queryClient.invalidateQueries({ queryKey: ['pools'] });
      notifications.show({ color: 'teal', message: tt('pools.created', { code: p.code }) });
      setCodes([]);
      setClientId(uuid());
      void navigate(`/gop-mau/${p.id}`);
    },
  });
  const err = create.error instanceof ApiError ? create.error : null;
  const codeError = (i: number) => err?.field(`specimenCodes.${i}`);
  return (
    <Paper withBorder p="sm" radius="md" data-testid="new-pool">
      <Stack gap="sm">
        <Text fw={600}>{tt('pools.new')}</Text>
        <SegmentedControl
          value={target}
          onChange={(v) => setTarget(v as '5' | '10')}
          data={[
            { value: '5', label: tt('pools.of5') },
            { value: '10', label: tt('pools.of10') },
          ]}
        />
        <form onSubmit={add}>
          <TextInput
            label={tt('pools.scan')}
            description={tt('pools.scanHint')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            error={typed}
            styles={{ input: { fontFamily: 'monospace' } }}
            rightSectionWidth={80}
            rightSection={
              <Button type="submit" size="compact-sm" variant="light">
                {tt('pools.add')}
              </Button>
            }
          />
        </form>
        <Text size="sm" data-testid="pool-count">
          {tt('pools.count', { n: codes.length, size })}
        </Text>
        <Stack gap={4}>
          {codes.map((c, i) => (
            <Group key={c} justify="space-between" wrap="nowrap">
              <Stack gap={0}>
                <Text ff="monospace" size="sm" c={codeError(i) ? 'red' : undefined}>
                  {i + 1}. {c}
                </Text>
                {codeError(i) && (
                  <Text size="xs" c="red">
                    {codeError(i)}
                  </Text>
                )}
              </Stack>
              <CloseButton
                size="xl"
                aria-label={tt('pools.remove', { code: c })}
                onClick={() => setCodes(codes.filter((x) => x !== c))}
              />
            </Group>
          ))}
        </Stack>
        {err && !err.fields.some((f) => f.path.startsWith('specimenCodes.')) && (
          <ErrorAlert error={err} />
        )}
        <Button
          onClick={() => create.mutate()}
          loading={create.isPending}
          disabled={codes.length < 2}
        >
          {tt('pools.create')}
        </Button>
      </Stack>
    </Paper>
  );
}

export function PoolsPage() {
  const tt = useTT();
  const typeName = useTestTypeName();
  const q = usePaged<PoolListItem>(['pools'], '/api/v1/pools', { limit: 30 });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <div>
        <Title order={2}>{tt('pools.title')}</Title>
        <Text c="dimmed" size="sm">
          {tt('pools.subtitle')}
        </Text>
      </div>
      <NewPool />
      <Title order={3} size="h4">
        {tt('pools.list')}
      </Title>
      {q.isLoading ? (
        <Loading />
      ) : !items.length ? (
        <Empty>{tt('pools.empty')}</Empty>
      ) : (
        <Stack gap="xs">
          {items.map((p) => (
            <Paper key={p.id} withBorder p="xs" radius="sm">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Stack gap={2} miw={0}>
                  <Anchor component={Link} to={`/gop-mau/${p.id}`} ff="monospace" fw={700}>
                    {p.code}
                  </Anchor>
                  <Text size="xs">
                    {tt('pools.line', { size: p.size, type: typeName(p.testType) })}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(p.createdAt)}
                  </Text>
                  {p.pendingRetests > 0 && (
                    <Text size="xs" c="red.8">
                      {tt('pools.pendingRetests', { n: p.pendingRetests })}
                    </Text>
                  )}
                </Stack>
                <Badge color={POOL_COLOR[p.status]} variant="light" style={{ flexShrink: 0 }}>
                  {codeLabel(tt, 'poolStatus', p.status)}
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

export function PoolPage() {
  const tt = useTT();
  const { id } = useParams();
  const typeName = useTestTypeName();
  const canWrite = useCanT('pools.write');
  const queryClient = useQueryClient();
  const [result, setResult] = useState<'negative' | 'positive'>('negative');
  const [mode, setMode] = useState<'same_specimen' | 'new_sample'>('same_specimen');
  const [retestCode, setRetestCode] = useState<string | null>(null);
  const q = useQuery({ queryKey: ['pool', id], queryFn: () => api<Pool>(`/api/v1/pools/${id}`) });
  const save = useMutation({
    mutationFn: () =>
      api<Pool>(`/api/v1/pools/${id}/result`, {
        method: 'POST',
        body: { result, retestMode: mode },
      }),
    onSuccess: (p) => {
      queryClient.setQueryData(['pool', id], p);
      void queryClient.invalidateQueries({ queryKey: ['pools'] });
    },
  });
  if (q.isLoading) return <Loading />;
  const p = q.data;
  if (!p) return <ErrorAlert error={q.error} />;
  return (
    <Stack>
      <Anchor component={Link} to="/gop-mau" size="sm">
        {tt('pools.back')}
      </Anchor>
      <div>
        <Title order={2} ff="monospace">
          {p.code}
        </Title>
        <Group gap="xs">
          <Badge color={POOL_COLOR[p.status]} variant="light" data-testid="pool-status">
            {codeLabel(tt, 'poolStatus', p.status)}
          </Badge>
          <Text size="sm" c="dimmed">
            {tt('pools.line', { size: p.size, type: typeName(p.testType) })}
          </Text>
        </Group>
      </div>
      {!p.result && canWrite && (
        <Paper withBorder p="sm" radius="md">
          <Stack gap="sm">
            <Text fw={600}>{tt('pools.enterResult')}</Text>
            <SegmentedControl
              fullWidth
              value={result}
              onChange={(v) => setResult(v as typeof result)}
              color={result === 'positive' ? 'red' : 'teal'}
              data={[
                { value: 'negative', label: codeLabel(tt, 'result', 'negative') },
                { value: 'positive', label: codeLabel(tt, 'result', 'positive') },
              ]}
            />
            {result === 'positive' && (
              <Radio.Group
                label={tt('pools.retestMode')}
                value={mode}
                onChange={(v) => setMode(v as typeof mode)}
              >
                <Stack gap={6} mt={6}>
                  <Radio value="same_specimen" label={tt('pools.sameSpecimen')} />
                  <Radio value="new_sample" label={tt('pools.newSample')} />
                </Stack>
              </Radio.Group>
            )}
            <ErrorAlert error={save.error} />
            <Button
              onClick={() => save.mutate()}
              loading={save.isPending}
              color={result === 'positive' ? 'red' : 'teal'}
            >
              {tt('pools.saveResult')}
            </Button>
          </Stack>
        </Paper>
      )}
      {p.result === 'negative' && (
        <Alert color="teal" variant="light">
          {tt('pools.negativeDone')}
        </Alert>
      )}
      {p.result === 'positive' && (
        <Alert color="red" variant="light" title={tt('pools.positiveTitle')}>
          {tt('pools.positiveText', {
            pending: p.progress.pending.length,
            positives: p.progress.positives.length,
            mode: codeLabel(tt, 'retestMode', p.retestMode),
          })}
        </Alert>
      )}
      <Title order={3} size="h4">
        {tt('pools.members')}
      </Title>
      <Stack gap="xs" data-testid="pool-members">
        {p.members.map((m) => (
          <Paper key={m.specimenId} withBorder p="xs" radius="sm">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Stack gap={2} miw={0}>
                <Text ff="monospace" fw={700} size="sm">
                  {m.position}. {m.specimenCode}
                </Text>
                <Text size="sm">
                  {m.person.fullName} · {m.person.birthYear}
                </Text>
                {m.retestOrderId && (
                  <Text size="xs" c={m.overdue ? 'red.8' : 'dimmed'}>
                    {tt('pools.retest', { status: codeLabel(tt, 'orderStatus', m.retestStatus) })}
                    {m.overdue ? ` · ${tt('pools.overdue')}` : ''}
                  </Text>
                )}
              </Stack>
              <Stack gap={6} align="flex-end" style={{ flexShrink: 0 }}>
                {(m.outcome || p.result) && <ResultBadge result={m.outcome} />}
                {p.result === 'positive' &&
                  p.retestMode === 'same_specimen' &&
                  (m.outcome === null || m.outcome === 'invalid') &&
                  canWrite && (
                    <Button size="xs" variant="light" onClick={() => setRetestCode(m.specimenCode)}>
                      {tt('pools.enterRetest')}
                    </Button>
                  )}
              </Stack>
            </Group>
          </Paper>
        ))}
      </Stack>
      <ResultModal
        key={retestCode ?? ''}
        opened={!!retestCode}
        code={retestCode ?? ''}
        onClose={() => {
          setRetestCode(null);
          void q.refetch();
        }}
      />
    </Stack>
  );
}
