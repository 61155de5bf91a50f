/**
 * Violations of the area, newest first (keyset paged), with the counts by type; a form records a
 * violation — the person, the type with its article, the decision and the fine within the
 * provision's range — and a fine is marked paid.
 */
import {
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError } from '../api.ts';
import { useMe } from '../auth.tsx';
import { PersonPicker } from '../cases/CaseCreateModal.tsx';
import { DateField } from '../components/DateField.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate, formatNumber, parseDisplayDate } from '../format.ts';
import type { Person } from '../people/types.ts';
import { fieldErrors } from '../util.ts';
import { useET } from './t.ts';

/** A decision's label key (the server sends the decision codes the table names). */
const decisionKey = (d: string) =>
  `decision.${d}` as `decision.${'pending' | 'warning' | 'fine' | 'criminal_referral'}`;

type Words = { vi: string; en: string };
interface ViolationType {
  code: string;
  name: Words;
  article: string;
  fine: { min: number; max: number } | null;
  decisions: string[];
}
interface Violation {
  id: string;
  personName: string;
  typeCode: string;
  article: string;
  occurredOn: string;
  decision: string;
  fineAmount: number | null;
  paid: boolean;
  paidOn: string | null;
  explanation: Words;
}
interface Counts {
  total: { count: number; fined: number; paid: number };
  byType: { typeCode: string; count: number; fineTotal: number }[];
}

function ViolationForm({ types, onClose }: { types: ViolationType[]; onClose: () => void }) {
  const { t, bi } = useET();
  const qc = useQueryClient();
  const [person, setPerson] = useState<Person | null>(null);
  const [typeCode, setTypeCode] = useState<string | null>(null);
  const [date, setDate] = useState('');
  const [place, setPlace] = useState('');
  const [decision, setDecision] = useState<string | null>(null);
  const [fine, setFine] = useState<number | string>('');
  const [paid, setPaid] = useState(false);
  const [clientId] = useState(() => crypto.randomUUID());
  const type = types.find((x) => x.code === typeCode);
  const save = useMutation({
    mutationFn: () =>
      api('/api/v1/violations', {
        method: 'POST',
        body: {
          clientId,
          personId: person?.id,
          typeCode,
          occurredOn: parseDisplayDate(date) ?? date,
          decision,
          ...(place.trim() ? { place: place.trim() } : {}),
          ...(decision === 'fine'
            ? { fineAmount: typeof fine === 'number' ? fine : null, paid }
            : {}),
        },
      }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('form.saved') });
      void qc.invalidateQueries({ queryKey: ['violations'] });
      onClose();
    },
  });
  const errs = fieldErrors(save.error);
  const err = (path: string) => errs[path];
  return (
    <Modal opened onClose={onClose} title={t('add')} fullScreen={window.innerWidth < 600}>
      <Stack gap="sm">
        <PersonPicker
          label={t('form.person')}
          value={person}
          onChange={setPerson}
          error={err('personId')}
        />
        <Select
          label={t('form.type')}
          size="md"
          value={typeCode}
          onChange={(v) => {
            setTypeCode(v);
            setDecision(null);
          }}
          error={err('typeCode')}
          data={types.map((x) => ({ value: x.code, label: bi(x.name) }))}
        />
        {type && (
          <Text size="xs" c="dimmed">
            {type.article} ·{' '}
            {type.fine
              ? t('form.range', {
                  min: formatNumber(type.fine.min),
                  max: formatNumber(type.fine.max),
                })
              : t('form.noFine')}
          </Text>
        )}
        <DateField label={t('form.occurredOn')} onChange={setDate} error={err('occurredOn')} />
        <TextInput
          label={t('form.place')}
          size="md"
          value={place}
          onChange={(e) => setPlace(e.currentTarget.value)}
        />
        <Select
          label={t('form.decision')}
          size="md"
          value={decision}
          onChange={setDecision}
          error={err('decision')}
          data={['pending', ...(type?.decisions ?? [])].map((d) => ({
            value: d,
            label: t(decisionKey(d)),
          }))}
        />
        {decision === 'fine' && (
          <>
            <NumberInput
              label={t('form.fineAmount')}
              size="md"
              min={0}
              allowDecimal={false}
              thousandSeparator="."
              decimalSeparator=","
              value={fine}
              onChange={setFine}
              error={err('fineAmount')}
            />
            <Checkbox
              size="md"
              label={t('form.paid')}
              checked={paid}
              onChange={(e) => setPaid(e.currentTarget.checked)}
            />
          </>
        )}
        {!(save.error instanceof ApiError && save.error.fields.length) && (
          <ErrorAlert error={save.error} />
        )}
        <Button
          size="md"
          onClick={() => save.mutate()}
          loading={save.isPending}
          disabled={!person || !typeCode || !decision}
        >
          {t('form.save')}
        </Button>
      </Stack>
    </Modal>
  );
}

function ViolationCard({
  v,
  types,
  canWrite,
}: {
  v: Violation;
  types: ViolationType[];
  canWrite: boolean;
}) {
  const { t, bi } = useET();
  const qc = useQueryClient();
  const pay = useMutation({
    mutationFn: () => api(`/api/v1/violations/${v.id}/payment`, { method: 'POST', body: {} }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['violations'] }),
  });
  const type = types.find((x) => x.code === v.typeCode);
  return (
    <Card withBorder padding="sm" data-testid="violation">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div style={{ minWidth: 0 }}>
          <Text fw={600}>{v.personName}</Text>
          <Text size="sm">{type ? bi(type.name) : v.typeCode}</Text>
        </div>
        <Text size="sm" c="dimmed">
          {formatDate(v.occurredOn)}
        </Text>
      </Group>
      <Text size="xs" c="dimmed">
        {bi(v.explanation)}
      </Text>
      <Group gap="xs" mt={4}>
        <Badge variant="light">{t(decisionKey(v.decision))}</Badge>
        {v.decision === 'fine' && (
          <Badge color={v.paid ? 'teal' : 'orange'} variant="light">
            {v.paid ? `${t('paid')} ${formatDate(v.paidOn)}` : t('unpaid')}
          </Badge>
        )}
        {v.decision === 'fine' && !v.paid && canWrite && (
          <Button
            size="xs"
            variant="subtle"
            mih={44}
            onClick={() => pay.mutate()}
            loading={pay.isPending}
          >
            {t('markPaid')}
          </Button>
        )}
      </Group>
    </Card>
  );
}

export function ViolationsPage() {
  const { t, bi } = useET();
  const canWrite = useMe().permissions.includes('violations.write');
  const [adding, setAdding] = useState(false);
  const types = useQuery({
    queryKey: ['violations', 'types'],
    queryFn: () => api<{ types: ViolationType[] }>('/api/v1/violation-types'),
  });
  const counts = useQuery({
    queryKey: ['violations', 'counts'],
    queryFn: () => api<Counts>('/api/v1/violations/counts'),
  });
  const list = useInfiniteQuery({
    queryKey: ['violations', 'list'],
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      api<{ items: Violation[]; nextCursor: string | null }>(
        `/api/v1/violations?limit=20${pageParam ? `&cursor=${pageParam}` : ''}`,
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const typeList = types.data?.types ?? [];
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{t('title')}</Title>
        {canWrite && (
          <Button size="md" onClick={() => setAdding(true)} disabled={!types.data}>
            {t('add')}
          </Button>
        )}
      </Group>
      {counts.data && (
        <Card withBorder padding="sm">
          <Text fw={600}>{t('counts', counts.data.total)}</Text>
          {counts.data.byType.map((c) => (
            <Text size="sm" key={c.typeCode}>
              {bi(typeList.find((x) => x.code === c.typeCode)?.name) || c.typeCode}: {c.count}
              {c.fineTotal ? ` · ${formatNumber(c.fineTotal)} đ` : ''}
            </Text>
          ))}
        </Card>
      )}
      <ErrorAlert error={list.error ?? types.error} />
      {list.data && items.length === 0 && <Text c="dimmed">{t('empty')}</Text>}
      {items.map((v) => (
        <ViolationCard key={v.id} v={v} types={typeList} canWrite={canWrite} />
      ))}
      {list.hasNextPage && (
        <Button
          variant="default"
          size="md"
          onClick={() => void list.fetchNextPage()}
          loading={list.isFetchingNextPage}
        >
          {t('more')}
        </Button>
      )}
      {adding && <ViolationForm types={typeList} onClose={() => setAdding(false)} />}
    </Stack>
  );
}
