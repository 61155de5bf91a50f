/**
 * /tiem-chung/bao-phu — coverage of a province, district or commune by age group (≥ 1 dose,
 * primary series, booster) with its denominator and whether that is an estimate; the supply line
 * (allocated → received → given) and reactions after vaccination.
 */
import {
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, qs } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate, formatNumber } from '../format.ts';
import { fieldErrors } from '../util.ts';
import { productName } from './components.tsx';
import { useBi, useVT, type VaccinationKey, type VT } from './t.ts';
import type {
  AefiStats,
  AgeGroupId,
  Coverage,
  CoverageFigure,
  SupplySummary,
  UnitCoverage,
} from './types.ts';

const GROUPS: { id: AgeGroupId; label: VaccinationKey }[] = [
  { id: '12-17', label: 'coverage.g1217' },
  { id: '18+', label: 'coverage.g18' },
  { id: '50+', label: 'coverage.g50' },
  { id: '65+', label: 'coverage.g65' },
];

const pct = (n: number | null) =>
  n === null ? '—' : `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }).format(n)} %`;

export function CoveragePage() {
  const vt = useVT();
  const bi = useBi();
  const me = useMe();
  const mine = me.scope.communeCode ?? me.scope.districtCode ?? me.scope.provinceCode;
  const [text, setText] = useState(mine);
  const [unit, setUnit] = useState(mine);
  const [target, setTarget] = useState<UnitCoverage | null>(null);
  const coverage = useQuery({
    queryKey: ['vacc-coverage', unit],
    queryFn: () => api<Coverage>(`/api/v1/coverage${qs({ unit })}`),
  });
  const supply = useQuery({
    queryKey: ['vacc-supply', unit],
    queryFn: () => api<SupplySummary>(`/api/v1/vaccine-supply/summary${qs({ unit })}`),
  });
  const aefi = useQuery({
    queryKey: ['vacc-aefi', unit],
    queryFn: () => api<AefiStats>(`/api/v1/vaccination-reactions/stats${qs({ unit })}`),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (/^\d{2}(\d|\d{3})?$/.test(text.trim())) setUnit(text.trim());
  };
  const c = coverage.data;
  return (
    <Stack>
      <Title order={2}>{vt('coverage.title')}</Title>
      <Paper withBorder p="md" component="form" onSubmit={submit}>
        <Group align="flex-end" wrap="nowrap">
          <TextInput
            label={vt('coverage.unit')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value.replace(/\D/g, '').slice(0, 5))}
            inputMode="numeric"
            style={{ flex: 1 }}
          />
          <Button type="submit">{vt('coverage.show')}</Button>
        </Group>
      </Paper>
      <ErrorAlert error={coverage.error} />
      {coverage.isLoading && <Loader size="sm" />}
      {c && (
        <Stack data-testid="coverage">
          <div>
            <Title order={3} size="h4">
              {c.unit.name}
            </Title>
            <Text size="sm" c="dimmed">
              {vt('coverage.asOf', { date: formatDate(c.asOf) })}
            </Text>
          </div>
          <UnitCard vt={vt} u={c.total} onTarget={() => setTarget(c.total)} />
          <Text size="xs" c="dimmed">
            {bi(c.estimateNote)}
          </Text>
          {c.districts.length > 0 && c.unit.level === 1 && (
            <UnitTable vt={vt} title={vt('coverage.districts')} units={c.districts} />
          )}
          {c.communes.length > 1 && (
            <UnitTable vt={vt} title={vt('coverage.communes')} units={c.communes} />
          )}
        </Stack>
      )}
      {supply.data && <SupplyCard vt={vt} s={supply.data} />}
      {aefi.data && aefi.data.items.length > 0 && <AefiCard vt={vt} a={aefi.data} />}
      <ErrorAlert error={supply.error ?? aefi.error} />
      <TargetModal
        vt={vt}
        unit={target}
        onClose={() => setTarget(null)}
        onSaved={() => void coverage.refetch()}
      />
    </Stack>
  );
}

function Figure({ vt, f }: { vt: VT; f: CoverageFigure }) {
  const rows: [VaccinationKey, number, number | null][] = [
    ['coverage.atLeastOne', f.atLeastOne, f.pct.atLeastOne],
    ['coverage.full', f.fullPrimary, f.pct.fullPrimary],
    ['coverage.booster', f.booster, f.pct.booster],
  ];
  return (
    <Stack gap={2}>
      {rows.map(([k, n, p]) => (
        <Group key={k} justify="space-between" wrap="nowrap">
          <Text size="sm">{vt(k)}</Text>
          <Text size="sm" fw={600}>
            {formatNumber(n)} · {pct(p)}
          </Text>
        </Group>
      ))}
      <Group gap={4}>
        <Text size="xs" c="dimmed">
          {vt('coverage.denominator')}: {formatNumber(f.denominator)}
        </Text>
        <Badge
          size="xs"
          variant="light"
          color={f.denominatorSource === 'entered' ? 'teal' : 'yellow'}
          tt="none"
        >
          {vt(`coverage.${f.denominatorSource}` as VaccinationKey)}
        </Badge>
      </Group>
    </Stack>
  );
}

function UnitCard({ vt, u, onTarget }: { vt: VT; u: UnitCoverage; onTarget: () => void }) {
  return (
    <Stack gap="xs">
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
        {GROUPS.map((g) => (
          <Paper key={g.id} withBorder p="sm" data-testid={`coverage-${g.id}`}>
            <Text fw={700} mb={4}>
              {vt(g.label)}
            </Text>
            <Figure vt={vt} f={u.byAge[g.id]} />
          </Paper>
        ))}
      </SimpleGrid>
      <Button
        variant="subtle"
        size="compact-sm"
        onClick={onTarget}
        style={{ alignSelf: 'flex-start' }}
      >
        {vt('coverage.setTarget')}
      </Button>
    </Stack>
  );
}

function UnitTable({ vt, title, units }: { vt: VT; title: string; units: UnitCoverage[] }) {
  return (
    <Paper withBorder p="sm">
      <Text fw={700} mb="xs">
        {title}
      </Text>
      <Table.ScrollContainer minWidth={520}>
        <Table striped fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th />
              <Table.Th>{`${vt('coverage.g18')}: ${vt('coverage.atLeastOne')}`}</Table.Th>
              <Table.Th>{`${vt('coverage.g18')}: ${vt('coverage.full')}`}</Table.Th>
              <Table.Th>{`${vt('coverage.g65')}: ${vt('coverage.full')}`}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {units.map((u) => (
              <Table.Tr key={u.code}>
                <Table.Td>{u.name}</Table.Td>
                <Table.Td>{pct(u.byAge['18+'].pct.atLeastOne)}</Table.Td>
                <Table.Td>{pct(u.byAge['18+'].pct.fullPrimary)}</Table.Td>
                <Table.Td>{pct(u.byAge['65+'].pct.fullPrimary)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function SupplyCard({ vt, s }: { vt: VT; s: SupplySummary }) {
  // Allocations are made to the province by Ministry decision; below it, "received" is what
  // was distributed into the unit.
  const province = s.unit.level === 1;
  const items: [VaccinationKey, string][] = [
    ...(province
      ? [['supply.allocated', formatNumber(s.allocated)] as [VaccinationKey, string]]
      : []),
    ['supply.received', formatNumber(s.received)],
    ['supply.given', formatNumber(s.given)],
    ['supply.pct', pct(s.givenPctOfReceived)],
  ];
  return (
    <Paper withBorder p="md" data-testid="supply">
      <Text fw={700} mb="xs">
        {vt('supply.title')}
      </Text>
      <SimpleGrid cols={2} spacing="xs">
        {items.map(([k, v]) => (
          <div key={k}>
            <Text size="xs" c="dimmed">
              {vt(k)}
            </Text>
            <Text fw={700} size="lg">
              {v}
            </Text>
          </div>
        ))}
      </SimpleGrid>
      {s.byProduct.length > 0 && (
        <Table.ScrollContainer minWidth={province ? 360 : 280} mt="sm">
          <Table fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{vt('supply.byProduct')}</Table.Th>
                {province && <Table.Th ta="right">{vt('supply.allocated')}</Table.Th>}
                <Table.Th ta="right">{vt('supply.received')}</Table.Th>
                <Table.Th ta="right">{vt('supply.given')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.byProduct.map((p) => (
                <Table.Tr key={p.product}>
                  <Table.Td>{productName(p.product)}</Table.Td>
                  {province && <Table.Td ta="right">{formatNumber(p.allocated)}</Table.Td>}
                  <Table.Td ta="right">{formatNumber(p.received)}</Table.Td>
                  <Table.Td ta="right">{formatNumber(p.given)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

function AefiCard({ vt, a }: { vt: VT; a: AefiStats }) {
  return (
    <Paper withBorder p="md" data-testid="aefi-stats">
      <Text fw={700} mb="xs">
        {vt('supply.aefi')}
      </Text>
      <Table fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{vt('supply.byProduct')}</Table.Th>
            <Table.Th ta="right">{vt('supply.doses')}</Table.Th>
            <Table.Th ta="right">{vt('supply.aefiCommon')}</Table.Th>
            <Table.Th ta="right">{vt('supply.aefiSerious')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {a.items.map((p) => (
            <Table.Tr key={p.product}>
              <Table.Td>{productName(p.product)}</Table.Td>
              <Table.Td ta="right">{formatNumber(p.doses)}</Table.Td>
              <Table.Td ta="right">{formatNumber(p.common)}</Table.Td>
              <Table.Td ta="right">{formatNumber(p.serious)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

function TargetModal({
  vt,
  unit,
  onClose,
  onSaved,
}: {
  vt: VT;
  unit: UnitCoverage | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [group, setGroup] = useState<string | null>('18+');
  const [population, setPopulation] = useState<number | string>('');
  const save = useMutation({
    mutationFn: () =>
      api('/api/v1/vaccination-targets', {
        method: 'PUT',
        body: { unitCode: unit!.code, ageGroup: group, population: Number(population) },
      }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: vt('coverage.saved') });
      onSaved();
      onClose();
    },
  });
  const fe = fieldErrors(save.error);
  return (
    <Modal
      opened={!!unit}
      onClose={onClose}
      title={`${vt('coverage.setTarget')}: ${unit?.name ?? ''}`}
    >
      <Stack>
        <Select
          label={vt('coverage.group')}
          data={GROUPS.map((g) => ({ value: g.id, label: vt(g.label) }))}
          value={group}
          onChange={setGroup}
          allowDeselect={false}
        />
        <NumberInput
          label={vt('coverage.population')}
          value={population}
          onChange={setPopulation}
          min={0}
          thousandSeparator="."
          decimalSeparator=","
          error={fe.population}
        />
        <ErrorAlert error={save.error} />
        <Button onClick={() => save.mutate()} loading={save.isPending} disabled={population === ''}>
          {vt('aefi.save')}
        </Button>
      </Stack>
    </Modal>
  );
}
