import {
  Anchor,
  Badge,
  Breadcrumbs,
  Card,
  Center,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useParams } from 'react-router';
import { api, ApiError, qs, type Me, type Unit, type UnitDetail } from '../api.ts';
import { homeUnitCode, useCan, useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatNumber } from '../format.ts';
import { useUnit, useUnitTypeLabel } from '../hooks.ts';
import { NotFoundPage } from './NotFoundPage.tsx';
import { VillagesPanel } from './VillagesPanel.tsx';

/** May this user see the villages of this commune? (The server holds them to the same rule.) */
function communeInScope(me: Me, unit: UnitDetail): boolean {
  const s = me.scope;
  switch (s.level) {
    case 'province':
      return unit.provinceCode === s.provinceCode;
    case 'district':
      return unit.districtCode === s.districtCode;
    case 'commune':
    case 'site':
      return unit.code === s.communeCode;
    case 'village':
      return false;
  }
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
    </div>
  );
}

function Children({ unit }: { unit: UnitDetail }) {
  const { t } = useTranslation();
  const typeLabel = useUnitTypeLabel();
  const children = useQuery({
    queryKey: ['admin-units', unit.code],
    queryFn: () =>
      api<{ items: Unit[] }>(`/api/v1/admin-units${qs({ parent: unit.code })}`).then(
        (r) => r.items,
      ),
    staleTime: 10 * 60_000,
  });
  const showCount = unit.level === 1;

  if (children.isPending) return <Loader size="sm" />;
  if (children.isError) return <ErrorAlert error={children.error} />;
  if (children.data.length === 0) return <Text c="dimmed">{t('units.noChildren')}</Text>;
  return (
    <Table striped highlightOnHover verticalSpacing="xs" data-testid="children-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('units.name')}</Table.Th>
          <Table.Th visibleFrom="sm">{t('units.type')}</Table.Th>
          <Table.Th visibleFrom="sm">{t('units.code')}</Table.Th>
          <Table.Th ta="right">{t('units.populationShort')}</Table.Th>
          {showCount && <Table.Th ta="right">{t('units.childrenCount')}</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {children.data.map((c) => (
          <Table.Tr key={c.code}>
            <Table.Td>
              <Anchor component={Link} to={`/units/${c.code}`} size="sm">
                {c.name}
              </Anchor>
            </Table.Td>
            <Table.Td visibleFrom="sm">{typeLabel(c.type)}</Table.Td>
            <Table.Td visibleFrom="sm" ff="monospace">
              {c.code}
            </Table.Td>
            <Table.Td ta="right">{formatNumber(c.population?.total)}</Table.Td>
            {showCount && <Table.Td ta="right">{formatNumber(c.childrenCount)}</Table.Td>}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function UnitsHome() {
  const me = useMe();
  return <Navigate to={`/units/${homeUnitCode(me)}`} replace />;
}

export function UnitsPage() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const me = useMe();
  const canVillages = useCan('villages.read');
  const typeLabel = useUnitTypeLabel();
  const unit = useUnit(code);

  if (unit.isPending) {
    return (
      <Center p="lg">
        <Loader />
      </Center>
    );
  }
  if (unit.isError) {
    return unit.error instanceof ApiError && [400, 404].includes(unit.error.status) ? (
      <NotFoundPage />
    ) : (
      <ErrorAlert error={unit.error} />
    );
  }
  const u = unit.data;
  const crumbs = u.path.filter((p) => p.code !== u.code);

  return (
    <Stack>
      <Breadcrumbs separator="›" separatorMargin={6} style={{ flexWrap: 'wrap' }}>
        <Text size="sm" c="dimmed">
          {t('units.title')}
        </Text>
        {crumbs.map((p) => (
          <Anchor key={p.code} component={Link} to={`/units/${p.code}`} size="sm">
            {p.name}
          </Anchor>
        ))}
      </Breadcrumbs>
      <div>
        <Group gap="xs" align="center">
          <Title order={2}>{u.name}</Title>
        </Group>
        <Group gap="xs" mt={4}>
          <Badge variant="light">{typeLabel(u.type)}</Badge>
          <Text size="sm" c="dimmed">
            {t('units.code')}: <span style={{ fontFamily: 'monospace' }}>{u.code}</span>
          </Text>
        </Group>
      </div>
      <Card withBorder radius="md">
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
          <Stat label={t('units.population')} value={formatNumber(u.population?.total)} />
          <Stat label={t('units.urban')} value={formatNumber(u.population?.urban)} />
          <Stat label={t('units.rural')} value={formatNumber(u.population?.rural)} />
          {u.level < 3 ? (
            <Stat label={t('units.childrenCount')} value={formatNumber(u.childrenCount)} />
          ) : (
            <Stat label={t('units.villagesCount')} value={formatNumber(u.villagesCount)} />
          )}
        </SimpleGrid>
      </Card>
      {u.level < 3 ? (
        <Stack gap="xs">
          <Title order={3} size="h4">
            {t('units.children')}
          </Title>
          <Children unit={u} />
        </Stack>
      ) : (
        canVillages && communeInScope(me, u) && <VillagesPanel commune={u} />
      )}
    </Stack>
  );
}
