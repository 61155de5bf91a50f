import {
  Badge,
  Button,
  Center,
  Group,
  Loader,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs, type AuditEvent, type Page } from '../api.ts';
import { DateField } from '../components/DateField.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDateTime, parseDisplayDate } from '../format.ts';
import { useRoleLabel } from '../hooks.ts';
import vi from '../i18n/vi.ts';

interface Filters {
  username: string;
  action: string;
  outcome: string | null;
  from: string;
  to: string;
}
/** Request ids are UUIDs: the first block is enough to tell them apart on screen. */
const shortId = (id: string) => (id.length > 13 ? `${id.slice(0, 8)}…` : id);

const EMPTY: Filters = { username: '', action: '', outcome: null, from: '', to: '' };

function Outcome({ outcome }: { outcome: AuditEvent['outcome'] }) {
  const { t } = useTranslation();
  return outcome === 'allowed' ? (
    <Badge
      color="teal"
      variant="light"
      tt="none"
      style={{ flexShrink: 0 }}
      styles={{ label: { overflow: 'visible' } }}
    >
      {t('audit.allowed')}
    </Badge>
  ) : (
    <Badge
      color="red"
      variant="filled"
      tt="none"
      style={{ flexShrink: 0 }}
      styles={{ label: { overflow: 'visible' } }}
    >
      {t('audit.denied')}
    </Badge>
  );
}

type ReasonKey = keyof typeof vi.auditReason;
const isReason = (code: string): code is ReasonKey => code in vi.auditReason;

/** A denial reason in words, with its code for searching. */
function Reason({ code }: { code: string }) {
  const { t } = useTranslation();
  if (!isReason(code)) return <>{code}</>;
  return <span title={code}>{t(`auditReason.${code}`)}</span>;
}

export function AuditPage() {
  const { t } = useTranslation();
  const roleLabel = useRoleLabel();
  const wide = useMediaQuery('(min-width: 62em)');
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [resets, setResets] = useState(0);
  const [dateErrors, setDateErrors] = useState<{ from?: string; to?: string }>({});

  const params = {
    username: applied.username.trim(),
    action: applied.action.trim(),
    outcome: applied.outcome,
    from: applied.from ? parseDisplayDate(applied.from) : null,
    to: applied.to ? parseDisplayDate(applied.to) : null,
  };
  const events = useInfiniteQuery({
    queryKey: ['audit', params],
    queryFn: ({ pageParam }) =>
      api<Page<AuditEvent>>(
        `/api/v1/audit-events${qs({ ...params, cursor: pageParam, limit: 50 })}`,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const rows = events.data?.pages.flatMap((p) => p.items) ?? [];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: { from?: string; to?: string } = {};
    if (draft.from && !parseDisplayDate(draft.from)) errs.from = t('common.invalidDate');
    if (draft.to && !parseDisplayDate(draft.to)) errs.to = t('common.invalidDate');
    setDateErrors(errs);
    if (!errs.from && !errs.to) setApplied(draft);
  };
  const set = (patch: Partial<Filters>) => setDraft((d) => ({ ...d, ...patch }));
  const resource = (e: AuditEvent) =>
    e.resourceId ? `${e.resourceType} ${e.resourceId}` : e.resourceType;

  return (
    <Stack>
      <Title order={2}>{t('audit.title')}</Title>
      <Paper withBorder p="sm" radius="md">
        <form onSubmit={submit}>
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm" verticalSpacing="xs">
            <TextInput
              label={t('audit.user')}
              value={draft.username}
              onChange={(e) => set({ username: e.currentTarget.value })}
              autoCapitalize="none"
            />
            <TextInput
              label={t('audit.action')}
              placeholder={t('audit.actionPlaceholder')}
              value={draft.action}
              onChange={(e) => set({ action: e.currentTarget.value })}
              autoCapitalize="none"
            />
            <Select
              label={t('audit.outcome')}
              placeholder={t('common.all')}
              data={[
                { value: 'allowed', label: t('audit.allowed') },
                { value: 'denied', label: t('audit.denied') },
              ]}
              value={draft.outcome}
              onChange={(outcome) => set({ outcome })}
              clearable
              clearButtonProps={{ 'aria-label': t('common.clear') }}
            />
            <DateField
              key={`from-${resets}`}
              label={t('audit.from')}
              onChange={(from) => set({ from })}
              error={dateErrors.from}
            />
            <DateField
              key={`to-${resets}`}
              label={t('audit.to')}
              onChange={(to) => set({ to })}
              error={dateErrors.to}
            />
          </SimpleGrid>
          <Group gap="xs" mt="sm">
            <Button type="submit">{t('common.filter')}</Button>
            <Button
              variant="subtle"
              onClick={() => {
                setDraft(EMPTY);
                setApplied(EMPTY);
                setDateErrors({});
                setResets((n) => n + 1);
              }}
            >
              {t('common.clear')}
            </Button>
          </Group>
        </form>
      </Paper>
      {events.isError && <ErrorAlert error={events.error} showFields />}
      {events.isPending ? (
        <Center p="lg">
          <Loader />
        </Center>
      ) : rows.length === 0 ? (
        <Text c="dimmed">{t('audit.empty')}</Text>
      ) : wide ? (
        <Table.ScrollContainer minWidth={980}>
          <Table striped verticalSpacing={6} fz="sm" data-testid="audit-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('audit.time')}</Table.Th>
                <Table.Th>{t('audit.user')}</Table.Th>
                <Table.Th>{t('audit.role')}</Table.Th>
                <Table.Th>{t('audit.action')}</Table.Th>
                <Table.Th>{t('audit.resource')}</Table.Th>
                <Table.Th>{t('audit.outcome')}</Table.Th>
                <Table.Th>{t('audit.reason')}</Table.Th>
                <Table.Th>{t('audit.requestId')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at)}</Table.Td>
                  <Table.Td ff="monospace">{e.actorUsername ?? t('common.none')}</Table.Td>
                  <Table.Td>{e.actorRole ? roleLabel(e.actorRole) : t('common.none')}</Table.Td>
                  <Table.Td ff="monospace">{e.action}</Table.Td>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{resource(e)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Outcome outcome={e.outcome} />
                  </Table.Td>
                  <Table.Td>{e.reason ? <Reason code={e.reason} /> : ''}</Table.Td>
                  <Table.Td ff="monospace" fz="xs" title={e.requestId ?? undefined}>
                    {e.requestId ? shortId(e.requestId) : ''}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        <Stack gap="xs" data-testid="audit-list">
          {rows.map((e) => (
            <Paper key={e.id} withBorder p="sm" radius="md">
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <Text size="sm" fw={600} ff="monospace" truncate="end">
                  {e.action}
                </Text>
                <Outcome outcome={e.outcome} />
              </Group>
              <Text size="xs" c="dimmed">
                {formatDateTime(e.at)} · {e.actorUsername ?? t('common.none')}
                {e.actorRole ? ` (${roleLabel(e.actorRole)})` : ''}
              </Text>
              <Text size="sm" style={{ wordBreak: 'break-all' }}>
                {resource(e)}
              </Text>
              {e.reason && (
                <Text size="sm" c="red.8">
                  {t('audit.reason')}: <Reason code={e.reason} />
                </Text>
              )}
              {e.requestId && (
                <Text size="xs" c="dimmed" ff="monospace">
                  {t('audit.requestId')}: {e.requestId}
                </Text>
              )}
            </Paper>
          ))}
        </Stack>
      )}
      {events.hasNextPage && (
        <Group>
          <Button
            variant="default"
            onClick={() => void events.fetchNextPage()}
            loading={events.isFetchingNextPage}
          >
            {t('common.loadMore')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
