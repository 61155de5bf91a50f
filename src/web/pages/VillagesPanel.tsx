import {
  Alert,
  Badge,
  Button,
  Center,
  FileInput,
  Group,
  Loader,
  Modal,
  NumberInput,
  Paper,
  ScrollArea,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  api,
  ApiError,
  qs,
  VILLAGE_KINDS,
  type ImportReport,
  type Page,
  type UnitDetail,
  type Village,
  type VillageKind,
} from '../api.ts';
import { useCan } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatNumber } from '../format.ts';
import { useVillageKindLabel } from '../hooks.ts';
import { fieldErrors, uuid } from '../util.ts';

function AddVillageForm({ commune, onDone }: { commune: UnitDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const kindLabel = useVillageKindLabel();
  const queryClient = useQueryClient();
  const [clientId] = useState(uuid);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<VillageKind>('thon');
  const [population, setPopulation] = useState<number | string>('');
  const [households, setHouseholds] = useState<number | string>('');
  const [missing, setMissing] = useState(false);

  const add = useMutation({
    mutationFn: () =>
      api<Village>('/api/v1/villages', {
        method: 'POST',
        body: {
          communeCode: commune.code,
          name: name.trim(),
          kind,
          population: typeof population === 'number' ? population : null,
          households: typeof households === 'number' ? households : null,
          clientId,
        },
      }),
    onSuccess: (v) => {
      void queryClient.invalidateQueries({ queryKey: ['villages', commune.code] });
      void queryClient.invalidateQueries({ queryKey: ['admin-unit', commune.code] });
      void queryClient.invalidateQueries({ queryKey: ['villages-options', commune.code] });
      notifications.show({ color: 'teal', message: t('units.villageAdded', { name: v.name }) });
      onDone();
    },
  });
  const errors = fieldErrors(add.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setMissing(true);
      return;
    }
    add.mutate();
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {add.isError && <ErrorAlert error={add.error} />}
        <TextInput
          label={t('units.villageName')}
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value);
            setMissing(false);
          }}
          error={errors.name ?? (missing ? t('common.required') : undefined)}
          required
          data-autofocus
        />
        <Select
          label={t('units.villageKind')}
          data={VILLAGE_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))}
          value={kind}
          onChange={(k) => k && setKind(k as VillageKind)}
          error={errors.kind}
          allowDeselect={false}
        />
        <Group grow align="flex-start">
          <NumberInput
            label={t('units.villagePopulation')}
            value={population}
            onChange={setPopulation}
            min={0}
            allowDecimal={false}
            allowNegative={false}
            thousandSeparator="."
            decimalSeparator=","
            error={errors.population}
          />
          <NumberInput
            label={t('units.households')}
            value={households}
            onChange={setHouseholds}
            min={0}
            allowDecimal={false}
            allowNegative={false}
            thousandSeparator="."
            decimalSeparator=","
            error={errors.households}
          />
        </Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={add.isPending}>
            {t('units.addVillage')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ImportReportTable({ report }: { report: ImportReport }) {
  const { t } = useTranslation();
  const status = {
    created: (
      <Badge color="teal" tt="none">
        {t('units.rowCreated')}
      </Badge>
    ),
    unchanged: (
      <Badge color="gray" tt="none">
        {t('units.rowUnchanged')}
      </Badge>
    ),
    rejected: (
      <Badge color="red" tt="none">
        {t('units.rowRejected')}
      </Badge>
    ),
  };
  return (
    <ScrollArea.Autosize mah={360} type="auto">
      <Table striped verticalSpacing={4} fz="sm" data-testid="import-report">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={56}>{t('units.row')}</Table.Th>
            <Table.Th>{t('units.name')}</Table.Th>
            <Table.Th w={110}>{t('units.result')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.rows.map((r) => (
            <Table.Tr key={r.row}>
              <Table.Td>{r.row}</Table.Td>
              <Table.Td style={{ wordBreak: 'break-word' }}>
                {r.name || t('common.none')}
                {r.message && (
                  <Text size="xs" c={r.status === 'rejected' ? 'red.8' : 'dimmed'}>
                    {r.message}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{status[r.status]}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}

function ImportForm({ commune }: { commune: UnitDetail }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    mutationFn: async (f: File) => {
      const form = new FormData();
      form.append('file', f, f.name);
      return api<ImportReport>('/api/v1/villages/import', { method: 'POST', body: form });
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['villages', commune.code] });
      void queryClient.invalidateQueries({ queryKey: ['admin-unit', commune.code] });
      void queryClient.invalidateQueries({ queryKey: ['villages-options'] });
    },
  });
  const failed =
    upload.error instanceof ApiError
      ? (upload.error.body.report as ImportReport | undefined)
      : undefined;
  const report = upload.data ?? failed;

  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {t('units.importHelp')}
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (file) upload.mutate(file);
        }}
      >
        <Group align="flex-end" wrap="wrap">
          <FileInput
            label={t('units.importFile')}
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            value={file}
            onChange={(f) => {
              setFile(f);
              upload.reset();
            }}
            clearable
            clearButtonProps={{ 'aria-label': t('common.clear') }}
            placeholder="thon-ban.csv"
            style={{ flex: '1 1 220px' }}
            error={upload.error instanceof ApiError ? upload.error.field('file') : undefined}
            data-testid="import-file"
          />
          <Button type="submit" disabled={!file} loading={upload.isPending}>
            {t('units.importRun')}
          </Button>
        </Group>
      </form>
      {upload.isSuccess && (
        <Alert color="teal" variant="light">
          {t('units.importDone', {
            created: upload.data.created,
            unchanged: upload.data.unchanged,
          })}
        </Alert>
      )}
      {upload.isError &&
        (failed ? (
          <Alert color="red" variant="light" role="alert">
            {t('units.importFailed', { rejected: failed.rejected })}
          </Alert>
        ) : (
          <ErrorAlert error={upload.error} />
        ))}
      {report && <ImportReportTable report={report} />}
    </Stack>
  );
}

export function VillagesPanel({ commune }: { commune: UnitDetail }) {
  const { t } = useTranslation();
  const canWrite = useCan('villages.write');
  const kindLabel = useVillageKindLabel();
  const phone = useMediaQuery('(max-width: 48em)');
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);

  const villages = useInfiniteQuery({
    queryKey: ['villages', commune.code],
    queryFn: ({ pageParam }) =>
      api<Page<Village>>(
        `/api/v1/villages${qs({ commune: commune.code, cursor: pageParam, limit: 100 })}`,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const rows = villages.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="xs" data-testid="villages-panel">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Title order={3} size="h4">
          {t('units.villages')}
        </Title>
        <Group gap="xs">
          {canWrite && (
            <Button size="xs" onClick={() => setAdding(true)}>
              {t('units.addVillage')}
            </Button>
          )}
          {canWrite && (
            <Button size="xs" variant="light" onClick={() => setImporting((v) => !v)}>
              {t('units.import')}
            </Button>
          )}
          <Button
            size="xs"
            variant="default"
            component="a"
            href={`/api/v1/villages/export.csv${qs({ commune: commune.code })}`}
            download={`thon-ban-${commune.code}.csv`}
          >
            {t('units.exportCsv')}
          </Button>
        </Group>
      </Group>
      {importing && canWrite && (
        <Paper withBorder p="sm" radius="md">
          <ImportForm commune={commune} />
        </Paper>
      )}
      {villages.isError && <ErrorAlert error={villages.error} />}
      {villages.isPending ? (
        <Center p="md">
          <Loader size="sm" />
        </Center>
      ) : rows.length === 0 ? (
        <Text c="dimmed">{t('units.noVillages')}</Text>
      ) : (
        <Table striped highlightOnHover verticalSpacing="xs" data-testid="villages-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('units.name')}</Table.Th>
              <Table.Th visibleFrom="xs">{t('units.villageKind')}</Table.Th>
              <Table.Th ta="right" style={{ whiteSpace: 'nowrap' }}>
                {t('units.villagePopulation')}
              </Table.Th>
              <Table.Th ta="right" style={{ whiteSpace: 'nowrap' }}>
                {t('units.households')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((v) => (
              <Table.Tr key={v.id}>
                <Table.Td>
                  {v.name}
                  <Text size="xs" c="dimmed" hiddenFrom="xs">
                    {kindLabel(v.kind)}
                  </Text>
                </Table.Td>
                <Table.Td visibleFrom="xs">{kindLabel(v.kind)}</Table.Td>
                <Table.Td ta="right">{formatNumber(v.population)}</Table.Td>
                <Table.Td ta="right">{formatNumber(v.households)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {villages.hasNextPage && (
        <Group>
          <Button
            variant="default"
            onClick={() => void villages.fetchNextPage()}
            loading={villages.isFetchingNextPage}
          >
            {t('common.loadMore')}
          </Button>
        </Group>
      )}
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={adding}
        onClose={() => setAdding(false)}
        title={`${t('units.addVillage')} — ${commune.name}`}
        fullScreen={!!phone}
      >
        {adding && <AddVillageForm commune={commune} onDone={() => setAdding(false)} />}
      </Modal>
    </Stack>
  );
}
