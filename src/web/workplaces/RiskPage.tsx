/**
 * /noi-lam-viec — the province's (or district's) risk view of workplaces and schools, on a
 * desktop: the risk map by district, the list worst first (outbreaks on top, with the rule's
 * words) and the list of those overdue with their self-assessment or screening; both keyset
 * paged. A district or province officer registers a workplace here.
 */
import { Badge, Button, Group, Loader, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { api } from '../api.ts';
import { useMe } from '../auth.tsx';
import { formatDate, formatNumber } from '../format.ts';
import { RegisterModal } from './RegisterModal.tsx';
import { RiskMap, type RiskMapData } from './RiskMap.tsx';
import { useWT } from './t.ts';
import { LEVEL_COLOR, type Workplace } from './types.ts';

function WorkplaceTable({ view }: { view: 'risk' | 'overdue' }) {
  const { t, bi } = useWT();
  const list = useInfiniteQuery({
    queryKey: ['workplaces', view],
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      api<{ items: Workplace[]; nextCursor: string | null }>(
        `/api/v1/workplaces?view=${view}&limit=25${pageParam ? `&cursor=${pageParam}` : ''}`,
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  if (list.isPending) return <Loader size="sm" />;
  if (!items.length)
    return <Text c="dimmed">{t(view === 'risk' ? 'risk.empty' : 'risk.emptyOverdue')}</Text>;
  const level = (w: Workplace) => w.assessment?.riskLevel ?? 'none';
  return (
    <Stack gap="xs">
      <Table striped withTableBorder data-testid={`workplaces-${view}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('col.name')}</Table.Th>
            <Table.Th>{t('col.place')}</Table.Th>
            <Table.Th ta="right">{t('col.workforce')}</Table.Th>
            <Table.Th>{t('col.level')}</Table.Th>
            <Table.Th>{t('col.assessed')}</Table.Th>
            <Table.Th>{t('col.screened')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((w) => (
            <Table.Tr key={w.id} data-testid={`workplace-${w.id}`}>
              <Table.Td>
                <Text fw={500}>{w.name}</Text>
                <Text size="xs" c="dimmed">
                  {t(`kind.${w.kind as 'factory'}`)}
                </Text>
              </Table.Td>
              <Table.Td>
                {w.communeName}, {w.districtName}
              </Table.Td>
              <Table.Td ta="right">{formatNumber(w.workforce)}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {w.outbreak && (
                    <Badge color="red" variant="filled" data-testid="outbreak-flag">
                      {t('outbreak')}
                    </Badge>
                  )}
                  <Badge color={LEVEL_COLOR[level(w)]}>{t(`level.${level(w)}`)}</Badge>
                </Group>
                {w.outbreak && (
                  <Text size="xs" c="red" maw={360}>
                    {bi(w.outbreak.explanation)}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {w.assessment
                    ? `${formatDate(w.assessment.assessedOn)} · ${w.assessment.score}%`
                    : '—'}
                </Text>
                <Text size="xs" c={w.assessmentOverdue ? 'red' : 'dimmed'}>
                  {t('col.due')} {formatDate(w.assessmentDueOn)}
                  {w.assessmentOverdue && ` · ${t('overdue')}`}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {w.screening.lastOn
                    ? `${formatDate(w.screening.lastOn)} · ${w.screening.positives}/${w.screening.total}`
                    : '—'}
                </Text>
                <Text size="xs" c={w.screeningOverdue ? 'red' : 'dimmed'}>
                  {t('col.due')} {formatDate(w.screeningDueOn)}
                  {w.screeningOverdue && ` · ${t('overdue')}`}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.hasNextPage && (
        <Button
          variant="default"
          onClick={() => list.fetchNextPage()}
          loading={list.isFetchingNextPage}
        >
          {t('risk.more')}
        </Button>
      )}
    </Stack>
  );
}

export function RiskPage() {
  const { t } = useWT();
  const me = useMe();
  const [adding, setAdding] = useState(false);
  const map = useQuery({
    queryKey: ['workplaces', 'map'],
    queryFn: () => api<RiskMapData>('/api/v1/workplaces/map'),
  });
  const geo = useQuery({
    queryKey: ['public-geo'],
    queryFn: () => api<GeoJSON.FeatureCollection>('/api/v1/public/map/boundaries'),
    staleTime: Infinity,
  });
  const districtLabel = useCallback(
    (d: RiskMapData['districts'][number]) =>
      t('risk.district', { n: d.workplaces, outbreaks: d.outbreaks, overdue: d.overdue }),
    [t],
  );
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={3}>{t('risk.title')}</Title>
        {me.permissions.includes('workplaces.manage') && (
          <Button onClick={() => setAdding(true)} data-testid="workplace-add">
            {t('risk.add')}
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {t('risk.map')} — {t('risk.legend')}
      </Text>
      {map.data && geo.data ? (
        <RiskMap geo={geo.data} data={map.data} districtLabel={districtLabel} />
      ) : (
        <Loader size="sm" />
      )}
      <Tabs defaultValue="risk">
        <Tabs.List>
          <Tabs.Tab value="risk">{t('risk.tabRisk')}</Tabs.Tab>
          <Tabs.Tab value="overdue" data-testid="tab-overdue">
            {t('risk.tabOverdue')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="risk" pt="sm">
          <WorkplaceTable view="risk" />
        </Tabs.Panel>
        <Tabs.Panel value="overdue" pt="sm">
          <WorkplaceTable view="overdue" />
        </Tabs.Panel>
      </Tabs>
      <RegisterModal opened={adding} onClose={() => setAdding(false)} />
    </Stack>
  );
}
