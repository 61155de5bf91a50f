/**
 * /vung-dich — epidemic areas (vùng dịch) anywhere in the country, with their level (1 xanh,
 * 2 vàng, 3 cam, 4 đỏ) and dates: the origin an arrival is classified by. The province adds
 * and ends them; every role that reads geography sees them.
 */
import {
  Button,
  Center,
  Group,
  Loader,
  Modal,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../api.ts';
import { useEntryCan } from './access.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate } from '../format.ts';
import { useUnit } from '../hooks.ts';
import { fieldErrors, unshownFields } from '../util.ts';
import {
  EMPTY_PATH,
  inputDate,
  LEVEL_COLORS,
  LevelBadge,
  toDisplayDate,
  UnitCascade,
  useToday,
  VnDateInput,
  type UnitPath,
} from './components.tsx';
import type { EpidemicArea } from './types.ts';

/** "Quận Ba Đình" with the units above it ("Thành phố Hà Nội") underneath. */
function AreaName({ area }: { area: EpidemicArea }) {
  const unit = useUnit(area.districtCode ? area.unitCode : null);
  const above = (unit.data?.path ?? [])
    .filter((p) => p.code !== area.unitCode)
    .reverse()
    .map((p) => p.name)
    .join(', ');
  return (
    <div>
      <Text fw={600} size="sm">
        {area.unitName ?? area.unitCode}
      </Text>
      {above && (
        <Text size="xs" c="dimmed">
          {above}
        </Text>
      )}
    </div>
  );
}

function AddAreaModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const phone = useMediaQuery('(max-width: 36em)');
  const [unit, setUnit] = useState<UnitPath>(EMPTY_PATH);
  const [level, setLevel] = useState('3');
  const today = useToday();
  const [from, setFrom] = useState(() => toDisplayDate(today));
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});

  const add = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api<EpidemicArea>('/api/v1/epidemic-areas', { method: 'POST', body }),
    onSuccess: (a) => {
      void queryClient.invalidateQueries({ queryKey: ['epidemic-areas'] });
      notifications.show({
        color: 'teal',
        message: t('entry.areas.added', { name: a.unitName ?? a.unitCode }),
      });
      setUnit(EMPTY_PATH);
      setTo('');
      setNote('');
      add.reset();
      onClose();
    },
  });
  const server = fieldErrors(add.error);
  // Errors of the inputs below are shown under them; only the others go to the alert.
  const unshown = unshownFields(add.error, (p) =>
    ['unitCode', 'level', 'validFrom', 'validTo', 'note'].includes(p),
  );
  const errors = { ...server, ...local };
  const unitError = errors['unitCode'];

  const submit = () => {
    const e: Record<string, string> = {};
    const validFrom = inputDate(from);
    const validTo = inputDate(to);
    if (!unit.provinceCode) e.unitCode = t('common.required');
    if (!validFrom)
      e.validFrom = validFrom === undefined ? t('common.required') : t('common.invalidDate');
    if (validTo === null) e.validTo = t('common.invalidDate');
    setLocal(e);
    if (Object.keys(e).length) return;
    add.mutate({
      unitCode: unit.communeCode ?? unit.districtCode ?? unit.provinceCode,
      level: Number(level),
      validFrom,
      validTo: validTo ?? null,
      note: note.trim() || undefined,
    });
  };

  const deepest = unit.communeCode ? 'commune' : unit.districtCode ? 'district' : 'province';
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('entry.areas.add')}
      fullScreen={!!phone}
      size="lg"
    >
      <Stack>
        {add.error != null && (unshown.length > 0 || !Object.keys(server).length) && (
          <ErrorAlert error={add.error} showFields={unshown.length > 0} />
        )}
        <Text size="sm" c="dimmed">
          {t('entry.areas.unitHint')}
        </Text>
        <UnitCascade
          value={unit}
          onChange={setUnit}
          required={1}
          errors={{ [deepest]: unitError }}
          testId="area"
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('entry.areas.level')}
          </Text>
          <SegmentedControl
            fullWidth
            value={level}
            onChange={setLevel}
            color={LEVEL_COLORS[Number(level)]}
            data={[1, 2, 3, 4].map((l) => ({
              value: String(l),
              label: t(`entry.areas.level${l as 1 | 2 | 3 | 4}`),
            }))}
            aria-label={t('entry.areas.level')}
            data-testid="area-level"
          />
          {errors['level'] && (
            <Text size="xs" c="red">
              {errors['level']}
            </Text>
          )}
        </Stack>
        <Group grow align="flex-start">
          <VnDateInput
            label={t('entry.areas.validFrom')}
            value={from}
            onChange={setFrom}
            error={errors['validFrom']}
            required
          />
          <VnDateInput
            label={t('entry.areas.validTo')}
            value={to}
            onChange={setTo}
            error={errors['validTo']}
          />
        </Group>
        <Text size="xs" c="dimmed" mt={-8}>
          {t('entry.areas.validToHint')}
        </Text>
        <Textarea
          label={t('entry.areas.note')}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          error={errors['note']}
          maxLength={500}
          autosize
          minRows={2}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} loading={add.isPending}>
            {t('entry.areas.add')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function EndAreaModal({ area, onClose }: { area: EpidemicArea | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const today = useToday();
  const [date, setDate] = useState(() => toDisplayDate(today));
  const [local, setLocal] = useState<string | null>(null);
  const end = useMutation({
    mutationFn: (validTo: string) =>
      api<EpidemicArea>(`/api/v1/epidemic-areas/${area!.id}`, {
        method: 'PATCH',
        body: { validTo },
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['epidemic-areas'] });
      notifications.show({ color: 'teal', message: t('entry.areas.ended') });
      end.reset();
      onClose();
    },
  });
  const submit = () => {
    const v = inputDate(date);
    if (!v) {
      setLocal(v === undefined ? t('common.required') : t('common.invalidDate'));
      return;
    }
    setLocal(null);
    end.mutate(v);
  };
  return (
    <Modal opened={!!area} onClose={onClose} title={t('entry.areas.end')}>
      {area && (
        <Stack>
          <Group gap="xs">
            <Text fw={600}>{area.unitName ?? area.unitCode}</Text>
            <LevelBadge level={area.level} />
          </Group>
          <Text size="sm">{t('entry.areas.since', { date: formatDate(area.validFrom) })}</Text>
          <VnDateInput
            label={t('entry.areas.lastDay')}
            value={date}
            onChange={setDate}
            error={local ?? fieldErrors(end.error)['validTo']}
            required
          />
          {end.error != null && !fieldErrors(end.error)['validTo'] && (
            <ErrorAlert error={end.error} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button color="red" onClick={submit} loading={end.isPending}>
              {t('entry.areas.end')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

export function AreasPage() {
  const { t } = useTranslation();
  const canManage = useEntryCan('areas.manage');
  const wide = useMediaQuery('(min-width: 48em)');
  const today = useToday();
  const [which, setWhich] = useState<'now' | 'all'>('now');
  const [adding, setAdding] = useState(false);
  const [ending, setEnding] = useState<EpidemicArea | null>(null);
  const areas = useQuery({
    queryKey: ['epidemic-areas', which],
    queryFn: () =>
      api<{ items: EpidemicArea[] }>(
        `/api/v1/epidemic-areas${qs({ date: which === 'now' ? today : null })}`,
      ).then((r) => r.items),
  });
  const rows = areas.data ?? [];
  const endable = (a: EpidemicArea) => canManage && (!a.validTo || a.validTo > today);
  const until = (a: EpidemicArea) =>
    a.validTo ? formatDate(a.validTo) : t('entry.areas.openEnded');

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t('entry.areas.title')}</Title>
        {canManage && <Button onClick={() => setAdding(true)}>{t('entry.areas.add')}</Button>}
      </Group>
      <SegmentedControl
        value={which}
        onChange={(v) => setWhich(v as 'now' | 'all')}
        data={[
          { value: 'now', label: t('entry.areas.inForce') },
          { value: 'all', label: t('entry.areas.all') },
        ]}
        maw={420}
      />
      {areas.isError && <ErrorAlert error={areas.error} />}
      {areas.isPending ? (
        <Center p="lg">
          <Loader />
        </Center>
      ) : rows.length === 0 ? (
        <Text c="dimmed">{t('entry.areas.empty')}</Text>
      ) : wide ? (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover verticalSpacing="xs" data-testid="areas-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('entry.areas.unit')}</Table.Th>
                <Table.Th>{t('entry.areas.level')}</Table.Th>
                <Table.Th>{t('entry.areas.validFrom')}</Table.Th>
                <Table.Th>{t('entry.areas.validTo')}</Table.Th>
                <Table.Th>{t('entry.areas.note')}</Table.Th>
                {canManage && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    <AreaName area={a} />
                  </Table.Td>
                  <Table.Td>
                    <LevelBadge level={a.level} />
                  </Table.Td>
                  <Table.Td>{formatDate(a.validFrom)}</Table.Td>
                  <Table.Td>{until(a)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{a.note ?? ''}</Text>
                  </Table.Td>
                  {canManage && (
                    <Table.Td>
                      {endable(a) && (
                        <Button size="xs" variant="default" onClick={() => setEnding(a)}>
                          {t('entry.areas.end')}
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        <Stack gap="xs" data-testid="areas-list">
          {rows.map((a) => (
            <Paper key={a.id} withBorder radius="md" p="sm">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <AreaName area={a} />
                <LevelBadge level={a.level} style={{ flexShrink: 0 }} />
              </Group>
              <Text size="sm" mt={4}>
                {formatDate(a.validFrom)} – {until(a)}
              </Text>
              {a.note && (
                <Text size="sm" c="dimmed">
                  {a.note}
                </Text>
              )}
              {endable(a) && (
                <Button size="xs" variant="default" mt="xs" onClick={() => setEnding(a)}>
                  {t('entry.areas.end')}
                </Button>
              )}
            </Paper>
          ))}
        </Stack>
      )}
      {canManage && <AddAreaModal opened={adding} onClose={() => setAdding(false)} />}
      <EndAreaModal area={ending} onClose={() => setEnding(null)} />
    </Stack>
  );
}
