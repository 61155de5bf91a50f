/**
 * /cap-do-dich — the levels of a unit and of every unit in it for a week: colour, inputs, the
 * rule that decided and why in words; the province overrides (with a reason) and publishes.
 */
import {
  Button,
  Group,
  Loader,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, qs } from '../api.ts';
import { useMe } from '../auth.tsx';
import { DateField } from '../components/DateField.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate, formatNumber, parseDisplayDate } from '../format.ts';
import { fieldErrors } from '../util.ts';
import { LevelBadge, pct } from './components.tsx';
import { usePT } from './t.ts';
import type { Assessment, LevelPage } from './types.ts';

const todayVn = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

export function LevelsPage() {
  const { pt, bi } = usePT();
  const me = useMe();
  const mine = me.scope.communeCode ?? me.scope.districtCode ?? me.scope.provinceCode;
  const [text, setText] = useState(mine);
  const [dateText, setDateText] = useState('');
  const [unit, setUnit] = useState(mine);
  const [date, setDate] = useState(todayVn());
  const [open, setOpen] = useState<Assessment | null>(null);
  const [overrides, setOverrides] = useState<Record<string, { level: number; reason: string }>>({});
  const canPublish = me.permissions.includes('levels.publish') && unit.length === 2;
  const levels = useInfiniteQuery({
    queryKey: ['levels', unit, date],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api<LevelPage>(`/api/v1/levels${qs({ unit, date, limit: 200, cursor: pageParam })}`),
    getNextPageParam: (p) => p.nextCursor,
  });
  const items = levels.data?.pages.flatMap((p) => p.items) ?? [];
  const recompute = useMutation({
    mutationFn: () => api('/api/v1/levels/compute', { method: 'POST', body: { unit, date } }),
    onSuccess: () => void levels.refetch(),
  });
  const publish = useMutation({
    mutationFn: () =>
      api<{ published: number }>('/api/v1/levels/publish', {
        method: 'POST',
        body: {
          unit,
          date,
          overrides: Object.entries(overrides).map(([unitCode, o]) => ({ unitCode, ...o })),
        },
      }),
    onSuccess: (r) => {
      notifications.show({
        color: 'teal',
        message: pt('levels.publishedCount', { n: r.published }),
      });
      setOverrides({});
      void levels.refetch();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (/^\d{2}(\d|\d{3})?$/.test(text.trim())) setUnit(text.trim());
    const d = parseDisplayDate(dateText);
    if (d) setDate(d);
  };
  const own = items.find((i) => i.unit.code === unit);
  return (
    <Stack>
      <Title order={2}>{pt('levels.title')}</Title>
      <Paper withBorder p="md" component="form" onSubmit={submit}>
        <Group align="flex-end">
          <TextInput
            label={pt('levels.unit')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value.replace(/\D/g, '').slice(0, 5))}
            inputMode="numeric"
            style={{ flex: 1, minWidth: 140 }}
          />
          <DateField label={pt('levels.date')} onChange={setDateText} />
          <Button type="submit" h={44}>
            {pt('levels.show')}
          </Button>
        </Group>
      </Paper>
      <ErrorAlert error={levels.error ?? recompute.error ?? publish.error} />
      {levels.isLoading && <Loader size="sm" />}
      {own && (
        <Paper withBorder p="md" data-testid="own-level">
          <Group justify="space-between">
            <div>
              <Text fw={600}>{own.unit.name}</Text>
              <Text size="sm" c="dimmed">
                {pt('levels.date')} {formatDate(own.date)} ·{' '}
                {own.status === 'published' ? pt('levels.published') : pt('levels.draft')}
              </Text>
            </div>
            <LevelBadge level={own.level} size="lg" />
          </Group>
          <Text size="sm" mt="xs">
            {bi(own.explanation)}
          </Text>
        </Paper>
      )}
      <Group>
        <Button
          variant="default"
          h={44}
          loading={recompute.isPending}
          onClick={() => recompute.mutate()}
        >
          {pt('levels.recompute')}
        </Button>
        {canPublish && (
          <Button
            h={44}
            loading={publish.isPending}
            onClick={() => publish.mutate()}
            data-testid="publish"
          >
            {pt('levels.publish')}
          </Button>
        )}
      </Group>
      <Table.ScrollContainer minWidth={560}>
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{pt('levels.unitCol')}</Table.Th>
              <Table.Th>{pt('nav.levels')}</Table.Th>
              <Table.Th ta="right">{pt('levels.cases7d')}</Table.Th>
              <Table.Th ta="right">{pt('levels.rate')}</Table.Th>
              <Table.Th ta="right">{pt('levels.cov18')}</Table.Th>
              <Table.Th>{pt('levels.capacity')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((a) => (
              <Table.Tr key={a.unit.code} data-unit={a.unit.code}>
                <Table.Td>
                  <Text size="sm" fw={a.unit.level < 3 ? 600 : 400}>
                    {a.unit.name}
                  </Text>
                  {a.overrideReason && (
                    <Text size="xs" c="dimmed">
                      {pt('levels.overridden', { reason: a.overrideReason })}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <LevelBadge level={overrides[a.unit.code]?.level ?? a.level} size="sm" />{' '}
                  <Text span size="xs" c="dimmed">
                    {a.status === 'published' ? pt('levels.published') : pt('levels.draft')}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">{formatNumber(a.inputs.cases7d)}</Table.Td>
                <Table.Td ta="right">{formatNumber(a.rate)}</Table.Td>
                <Table.Td ta="right">{pct(a.inputs.cov18OneDose)}</Table.Td>
                <Table.Td>
                  {a.inputs.capacityMet ? pt('levels.met') : pt('levels.notMet')}
                  {a.inputs.capacitySource === 'not_entered' && ` (${pt('levels.notEntered')})`}
                </Table.Td>
                <Table.Td>
                  <Button size="compact-sm" variant="subtle" onClick={() => setOpen(a)}>
                    {pt('levels.why')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {levels.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void levels.fetchNextPage()}
          loading={levels.isFetchingNextPage}
        >
          {pt('levels.more')}
        </Button>
      )}
      <Text size="xs" c="dimmed">
        {pt('levels.denominator')}
      </Text>
      <WhyModal
        a={open}
        canOverride={canPublish}
        onClose={() => setOpen(null)}
        onOverride={(code, level, reason) => {
          setOverrides((o) => ({ ...o, [code]: { level, reason } }));
          setOpen(null);
        }}
        error={publish.error}
      />
    </Stack>
  );
}

function WhyModal({
  a,
  canOverride,
  onClose,
  onOverride,
  error,
}: {
  a: Assessment | null;
  canOverride: boolean;
  onClose: () => void;
  onOverride: (code: string, level: number, reason: string) => void;
  error: unknown;
}) {
  const { pt, bi } = usePT();
  const [level, setLevel] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const errs = fieldErrors(error);
  return (
    <Modal opened={!!a} onClose={onClose} title={a?.unit.name} size="lg">
      {a && (
        <Stack gap="xs">
          <LevelBadge level={a.level} size="lg" />
          <Text size="sm" fw={600}>
            {pt('levels.ruleSet')}: {a.ruleSet.name ?? a.ruleSet.id}
            {a.ruleSet.confidence === 'reconstructed' && ` (${pt('levels.reconstructed')})`}
          </Text>
          <Text size="sm">
            {pt('levels.rule')}: {bi(a.rule.text)}
          </Text>
          <Stack gap={2} component="ol" style={{ paddingLeft: 20, margin: 0 }}>
            {a.steps.map((s) => (
              <Text key={s.id} size="sm" component="li">
                {bi(s)}
              </Text>
            ))}
          </Stack>
          {canOverride && (
            <Paper withBorder p="sm">
              <Stack gap="xs">
                <Select
                  label={pt('levels.override')}
                  data={['1', '2', '3', '4']}
                  value={level}
                  onChange={setLevel}
                />
                <Textarea
                  label={pt('levels.reason')}
                  value={reason}
                  onChange={(e) => setReason(e.currentTarget.value)}
                  error={errs['overrides.0.reason']}
                />
                <Button
                  disabled={!level || reason.trim().length < 5}
                  onClick={() => onOverride(a.unit.code, Number(level), reason.trim())}
                >
                  {pt('levels.overrideSave')}
                </Button>
              </Stack>
            </Paper>
          )}
        </Stack>
      )}
    </Modal>
  );
}
