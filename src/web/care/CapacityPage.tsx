/**
 * The capacity board for the district and province (and a facility's own manager): beds by
 * kind used and free, ICU, ventilators, oxygen days left at the current use, F0 by tier and
 * open alerts by age — for the area in total, per district and per facility, read from the
 * maintained figures (GET /api/v1/capacity).
 */
import { Badge, Card, Group, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatNumber } from '../format.ts';
import { usedPercent } from './FacilitiesPage.tsx';
import { useKT } from './t.ts';
import type { Facility } from './types.ts';

interface Totals {
  facilities: number;
  beds: { total: number; occupied: number };
  oxygenBeds: { total: number; occupied: number };
  icu: { total: number; occupied: number };
  ventilators: { total: number; inUse: number };
  oxygen: Facility['oxygen'];
  patients?: { home: number; tier1: number; tier2: number; tier3: number };
  openAlerts?: { total: number; children: number; elderly: number };
}
interface Summary {
  facilities: Facility[];
  districts: (Totals & { districtCode: string; districtName: string })[];
  total: Totals;
}

function Meter({ label, used, total }: { label: string; used: number; total: number }) {
  const { kt } = useKT();
  const pct = usedPercent(used, total);
  if (total === 0) return null; // a quarantine site has no oxygen beds, ICU or ventilators
  return (
    <div>
      <Group justify="space-between" gap={4} wrap="nowrap">
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <Text size="sm">
          {kt('board.used', { used: formatNumber(used), total: formatNumber(total) })}
        </Text>
      </Group>
      <Progress value={pct} color={pct >= 90 ? 'red' : pct >= 70 ? 'orange' : 'teal'} aria-hidden />
    </div>
  );
}

function TotalsCard({ title, t, testid }: { title: string; t: Totals; testid: string }) {
  const { kt } = useKT();
  const days = t.oxygen.daysLeft;
  return (
    <Card withBorder radius="md" p="sm" data-testid={testid}>
      <Group justify="space-between" wrap="nowrap" mb={6}>
        <Text fw={700}>{title}</Text>
        {t.facilities > 1 && (
          <Text size="sm" c="dimmed" style={{ flexShrink: 0 }}>
            {kt('board.facilities', { count: t.facilities })}
          </Text>
        )}
      </Group>
      <Stack gap={6}>
        <Meter label={kt('board.beds')} used={t.beds.occupied} total={t.beds.total} />
        <Meter
          label={kt('board.oxygenBeds')}
          used={t.oxygenBeds.occupied}
          total={t.oxygenBeds.total}
        />
        <Meter label={kt('board.icu')} used={t.icu.occupied} total={t.icu.total} />
        <Meter
          label={kt('board.ventilators')}
          used={t.ventilators.inUse}
          total={t.ventilators.total}
        />
        {(t.oxygen.useLitresPerDay > 0 ||
          t.oxygen.cylinders + t.oxygen.concentrators + t.oxygen.liquidLitres > 0) && (
          <>
            <Group gap={6} wrap="wrap">
              <Text size="sm" fw={500}>
                {kt('board.oxygen')}:
              </Text>
              <Badge
                color={days === null ? 'gray' : days < 3 ? 'red' : days < 7 ? 'orange' : 'teal'}
                tt="none"
              >
                {days === null
                  ? kt('board.oxygenUnknown')
                  : kt('board.oxygenLeft', { days: Math.floor(days * 10) / 10 })}
              </Badge>
            </Group>
            <Text size="xs" c="dimmed">
              {kt('board.oxygenStock', {
                cylinders: formatNumber(t.oxygen.cylinders),
                concentrators: formatNumber(t.oxygen.concentrators),
                litres: formatNumber(t.oxygen.liquidLitres),
              })}
            </Text>
          </>
        )}
        {t.patients && <Text size="sm">{kt('capacity.patients', t.patients)}</Text>}
        {t.openAlerts && <Text size="sm">{kt('board.alerts', t.openAlerts)}</Text>}
      </Stack>
    </Card>
  );
}

export function CapacityPage() {
  const { kt } = useKT();
  const me = useMe();
  const q = useQuery({
    queryKey: ['capacity'],
    queryFn: () => api<Summary>('/api/v1/capacity'),
    refetchInterval: 60_000,
  });
  const s = q.data;
  return (
    <Stack maw={960}>
      <div>
        <Title order={2}>{kt('board.title')}</Title>
        <Text size="sm" c="dimmed">
          {me.scopeLabel}
        </Text>
      </div>
      {q.error && <ErrorAlert error={q.error} />}
      {s && (
        <>
          <TotalsCard title={kt('board.total')} t={s.total} testid="capacity-total" />
          {s.districts.length > 1 && (
            <>
              <Title order={4}>{kt('board.byDistrict')}</Title>
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                {s.districts.map((d) => (
                  <TotalsCard
                    key={d.districtCode}
                    title={d.districtName}
                    t={d}
                    testid="capacity-district"
                  />
                ))}
              </SimpleGrid>
            </>
          )}
          <Title order={4}>{kt('board.byFacility')}</Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            {s.facilities.map((f) => (
              <Link
                key={f.id}
                to={`/co-so-cach-ly/${f.id}`}
                style={{ textDecoration: 'none', color: 'inherit' }}
              >
                <TotalsCard title={f.name} t={{ ...f, facilities: 1 }} testid="capacity-facility" />
              </Link>
            ))}
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
