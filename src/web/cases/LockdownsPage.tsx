/** Lockdown areas (phong tỏa): list with how many people live in each, and declare one. */
import {
  Badge,
  Button,
  Card,
  Center,
  Checkbox,
  Group,
  Loader,
  Modal,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../api.ts';
import { useMe } from '../auth.tsx';
import { DateField } from '../components/DateField.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate, formatNumber, parseDisplayDate } from '../format.ts';
import { CommuneName, useVillageOptions, VillageName } from '../people/components/places.tsx';
import { fieldErrors, uuid } from '../util.ts';
import { useCanC } from './access.tsx';
import { useCommuneOptions } from './components.tsx';
import { useCT } from './t.ts';
import type { Cluster, Lockdown } from './types.ts';

function LockdownCreateModal({ onClose }: { onClose: () => void }) {
  const ct = useCT();
  const { t } = useTranslation();
  const me = useMe();
  const phone = useMediaQuery('(max-width: 48em)');
  const queryClient = useQueryClient();
  const communes = useCommuneOptions(me);
  const [commune, setCommune] = useState<string | null>(me.scope.communeCode);
  const villages = useVillageOptions(commune);
  const clusters = useQuery({
    queryKey: ['clusters', 'list', 'active'],
    queryFn: () => api<Page<Cluster>>('/api/v1/clusters?active=true&limit=100'),
  });
  const [name, setName] = useState('');
  const [place, setPlace] = useState('');
  const [whole, setWhole] = useState(false);
  const [villageIds, setVillageIds] = useState<string[]>([]);
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [cluster, setCluster] = useState<string | null>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [clientId] = useState(uuid);
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api<Lockdown>('/api/v1/lockdowns', { method: 'POST', body }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: ct('lockdowns.created') });
      void queryClient.invalidateQueries({ queryKey: ['lockdowns'] });
      void queryClient.invalidateQueries({ queryKey: ['clusters'] });
      onClose();
    },
  });
  const errors = { ...fieldErrors(save.error), ...local };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const s = parseDisplayDate(start);
    const en = end ? parseDisplayDate(end) : null;
    const problems: Record<string, string> = {};
    if (name.trim().length < 2) problems.name = t('common.required');
    if (!s) problems.startDate = start ? t('common.invalidDate') : t('common.required');
    if (end && !en) problems.endDate = t('common.invalidDate');
    if (!commune) problems.communeCode = t('common.required');
    setLocal(problems);
    if (Object.keys(problems).length) return;
    save.mutate({
      clientId,
      name: name.trim(),
      ...(place.trim() ? { place: place.trim() } : {}),
      unitCodes: whole ? [commune] : [],
      villageIds: whole ? [] : villageIds,
      ...(!whole && villageIds.length === 0 ? { communeCode: commune } : {}),
      startDate: s,
      ...(en ? { endDate: en } : {}),
      ...(cluster ? { clusterId: cluster } : {}),
    });
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={ct('lockdowns.add')}
      fullScreen={!!phone}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {save.isError && <ErrorAlert error={save.error} showFields />}
          <TextInput
            label={ct('lockdowns.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.name}
            maxLength={200}
          />
          {communes.data && (
            <Select
              label={ct('clusters.commune')}
              data={communes.data.map((u) => ({ value: u.code, label: u.name }))}
              value={commune}
              onChange={(v) => {
                setCommune(v);
                setVillageIds([]);
              }}
              searchable
              error={errors.communeCode}
            />
          )}
          <Checkbox
            label={ct('lockdowns.wholeCommune')}
            checked={whole}
            onChange={(e) => setWhole(e.currentTarget.checked)}
          />
          {!whole && (
            <MultiSelect
              label={ct('lockdowns.villages')}
              data={(villages.data ?? []).map((v) => ({ value: v.id, label: v.name }))}
              value={villageIds}
              onChange={setVillageIds}
              searchable
              nothingFoundMessage="—"
              error={errors.villageIds}
            />
          )}
          <TextInput
            label={ct('lockdowns.place')}
            value={place}
            onChange={(e) => setPlace(e.currentTarget.value)}
            maxLength={300}
          />
          <DateField label={ct('lockdowns.start')} onChange={setStart} error={errors.startDate} />
          <DateField label={ct('lockdowns.end')} onChange={setEnd} error={errors.endDate} />
          <Select
            label={ct('lockdowns.cluster')}
            data={(clusters.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
            value={cluster}
            onChange={setCluster}
            clearable
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function LockdownsPage() {
  const ct = useCT();
  const canWrite = useCanC('clusters.write');
  const [creating, setCreating] = useState(false);
  const list = useQuery({
    queryKey: ['lockdowns', 'list'],
    queryFn: () => api<{ items: Lockdown[] }>('/api/v1/lockdowns'),
  });
  const rows = list.data?.items ?? [];
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{ct('lockdowns.title')}</Title>
        {canWrite && <Button onClick={() => setCreating(true)}>{ct('lockdowns.add')}</Button>}
      </Group>
      {list.isError && <ErrorAlert error={list.error} />}
      {list.isPending ? (
        <Center p="lg">
          <Loader />
        </Center>
      ) : rows.length === 0 ? (
        <Text c="dimmed">{ct('lockdowns.empty')}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="xs" data-testid="lockdown-list">
          {rows.map((l) => (
            <Card key={l.id} withBorder padding="sm">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Text fw={700}>{l.name}</Text>
                <Badge color={l.active ? 'red' : 'gray'} variant="light" style={{ flexShrink: 0 }}>
                  {l.active ? ct('lockdowns.active') : ct('lockdowns.inactive')}
                </Badge>
              </Group>
              <Text size="sm" c="dimmed" data-testid="lockdown-area">
                {ct('lockdowns.area')}:{' '}
                {[
                  ...l.unitCodes.map((c) => <CommuneName key={c} code={c} />),
                  ...l.villageIds.map((v) => <VillageName key={v} id={v} />),
                  ...(l.place ? [<span key="place">{l.place}</span>] : []),
                ].flatMap((el, i) => (i ? [', ', el] : [el]))}
              </Text>
              <Text size="sm">
                {l.endDate
                  ? ct('lockdowns.periodTo', {
                      from: formatDate(l.startDate),
                      to: formatDate(l.endDate),
                    })
                  : ct('lockdowns.period', { from: formatDate(l.startDate) })}
              </Text>
              <Text size="sm" fw={600}>
                {ct('lockdowns.residents', { count: formatNumber(l.residents ?? 0) })}
              </Text>
            </Card>
          ))}
        </SimpleGrid>
      )}
      {creating && <LockdownCreateModal onClose={() => setCreating(false)} />}
    </Stack>
  );
}
