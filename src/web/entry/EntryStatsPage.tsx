/**
 * /thong-ke-ra-vao — people, vehicles, arrivals from epidemic areas and rapid tests per site per
 * day, with totals, the sentence the reports use ("kiểm soát, lấy khai báo y tế cho … người"),
 * and the same figures as an XLSX workbook.
 */
import {
  Alert,
  Button,
  Center,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays } from '../../domain/dates.ts';
import { api, qs } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate, formatNumber } from '../format.ts';
import { inputDate, toDisplayDate, useToday, VnDateInput } from './components.tsx';
import { STAT_KEYS, type EntryStats, type StatKey } from './types.ts';

export function EntryStatsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const wide = useMediaQuery('(min-width: 62em)');
  const today = useToday();
  const [fromText, setFromText] = useState(() => toDisplayDate(addDays(today, -6)));
  const [toText, setToText] = useState(() => toDisplayDate(today));
  const [range, setRange] = useState(() => ({ from: addDays(today, -6), to: today }));
  const [errors, setErrors] = useState<{ from?: string; to?: string }>({});

  const stats = useQuery({
    queryKey: ['entry-stats', range.from, range.to],
    queryFn: () => api<EntryStats>(`/api/v1/entry-stats${qs(range)}`),
  });

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const from = inputDate(fromText);
    const to = inputDate(toText);
    const errs: { from?: string; to?: string } = {};
    if (!from) errs.from = from === undefined ? t('common.required') : t('common.invalidDate');
    if (!to) errs.to = to === undefined ? t('common.required') : t('common.invalidDate');
    if (from && to && from > to) errs.to = t('entry.stats.toBeforeFrom');
    setErrors(errs);
    if (from && to && !errs.to) setRange({ from, to });
  };

  const label = (k: StatKey) => t(`entry.stats.col_${k}`);
  const data = stats.data;
  const xlsx = `/api/v1/entry-stats.xlsx${qs(range)}`;

  return (
    <Stack>
      <div>
        <Title order={2}>{t('entry.stats.title')}</Title>
        <Text size="sm" c="dimmed">
          {me.scopeLabel}
        </Text>
      </div>
      <form onSubmit={apply} noValidate>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <SimpleGrid cols={2} spacing="sm" style={{ flex: '1 1 300px' }} maw={420}>
            <VnDateInput
              label={t('entry.stats.from')}
              value={fromText}
              onChange={setFromText}
              error={errors.from}
            />
            <VnDateInput
              label={t('entry.stats.to')}
              value={toText}
              onChange={setToText}
              error={errors.to}
            />
          </SimpleGrid>
          <Group gap="xs">
            <Button type="submit">{t('entry.stats.show')}</Button>
            <Button component="a" href={xlsx} download variant="default" data-testid="export-xlsx">
              {t('entry.stats.export')}
            </Button>
          </Group>
        </Group>
      </form>
      {stats.isError && <ErrorAlert error={stats.error} showFields />}
      {stats.isPending ? (
        <Center p="lg">
          <Loader />
        </Center>
      ) : data ? (
        <>
          <Alert color="teal" variant="light" data-testid="stats-summary">
            <Text>{(i18n.language === 'en' && data.summary.en) || data.summary.vi}</Text>
          </Alert>
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
            {(
              [
                'people_in',
                'people_out',
                'vehicles',
                'from_epidemic_area',
                'rapid_tests',
                'centralised',
              ] as const
            ).map((k) => (
              <Paper key={k} withBorder radius="md" p="sm">
                <Text size="xs" c="dimmed" fw={600}>
                  {label(k)}
                </Text>
                <Text fw={700} size="xl">
                  {formatNumber(data.totals[k])}
                </Text>
              </Paper>
            ))}
          </SimpleGrid>
          {data.items.length === 0 ? (
            <Text c="dimmed">{t('entry.stats.empty')}</Text>
          ) : wide ? (
            <Table.ScrollContainer minWidth={1100}>
              <Table striped highlightOnHover withTableBorder data-testid="stats-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('entry.stats.day')}</Table.Th>
                    <Table.Th miw={200}>{t('entry.stats.site')}</Table.Th>
                    {STAT_KEYS.map((k) => (
                      <Table.Th key={k} ta="right">
                        {label(k)}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((r) => (
                    <Table.Tr key={r.siteId + r.day}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(r.day)}</Table.Td>
                      <Table.Td>{r.siteName}</Table.Td>
                      {STAT_KEYS.map((k) => (
                        <Table.Td key={k} ta="right">
                          {formatNumber(r[k])}
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
                <Table.Tfoot>
                  <Table.Tr fw={700}>
                    <Table.Td colSpan={2}>{t('entry.stats.total')}</Table.Td>
                    {STAT_KEYS.map((k) => (
                      <Table.Td key={k} ta="right">
                        {formatNumber(data.totals[k])}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                </Table.Tfoot>
              </Table>
            </Table.ScrollContainer>
          ) : (
            <Stack gap="xs" data-testid="stats-list">
              {data.items.map((r) => (
                <Paper key={r.siteId + r.day} withBorder radius="md" p="sm">
                  <Text fw={600}>{r.siteName}</Text>
                  <Text size="sm" c="dimmed" mb={4}>
                    {formatDate(r.day)}
                  </Text>
                  <SimpleGrid cols={2} spacing={2} verticalSpacing={2}>
                    {STAT_KEYS.map((k) => (
                      <Text key={k} size="sm">
                        <Text span size="sm" c="dimmed">
                          {label(k)}:
                        </Text>{' '}
                        <b>{formatNumber(r[k])}</b>
                      </Text>
                    ))}
                  </SimpleGrid>
                </Paper>
              ))}
              <Paper withBorder radius="md" p="sm" bg="gray.0">
                <Text fw={700} mb={4}>
                  {t('entry.stats.total')}
                </Text>
                <SimpleGrid cols={2} spacing={2} verticalSpacing={2}>
                  {STAT_KEYS.map((k) => (
                    <Text key={k} size="sm">
                      <Text span size="sm" c="dimmed">
                        {label(k)}:
                      </Text>{' '}
                      <b>{formatNumber(data.totals[k])}</b>
                    </Text>
                  ))}
                </SimpleGrid>
              </Paper>
            </Stack>
          )}
        </>
      ) : null}
    </Stack>
  );
}
