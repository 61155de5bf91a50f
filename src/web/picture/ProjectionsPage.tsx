/**
 * /du-bao — capacity by scenario: the committee picks one of the seeds' scenarios of simultaneous
 * F0 (or any number), sees what it needs against the beds, ICU beds, ventilators and test kits
 * the area has now (shortfall in red), and a CHIME projection of the census against the same
 * capacity with the day each runs out.
 */
import {
  Alert,
  Button,
  Group,
  Loader,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { api, qs } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { UnitCodeForm } from './components.tsx';
import { formatDate, formatNumber } from '../format.ts';
import {
  CensusCharts,
  downloadScenarioXlsx,
  NeedsTable,
  RunsOutList,
} from './projection-parts.tsx';
import { usePT } from './t.ts';
import type { ChimeInput, ScenarioResult, ScenarioSetup } from './types.ts';

export function ProjectionsPage() {
  const { pt } = usePT();
  const me = useMe();
  const mine = me.scope.districtCode ?? me.scope.provinceCode;
  const [unit, setUnit] = useState(mine);
  const setup = useQuery({
    queryKey: ['projection-setup', unit],
    queryFn: () => api<ScenarioSetup>(`/api/v1/projections/scenarios${qs({ unit })}`),
  });
  const d = setup.data;
  const defaults = useMemo<ChimeInput | null>(
    () => (d ? { ...d.chimeDefaults, population: d.chimeDefaults.population ?? 1 } : null),
    [d],
  );
  // the committee's edits (of this unit) over the defaults; the parameters run are those last
  // submitted with "Dự báo", the defaults until then
  const [edited, setEdited] = useState<{ unit: string; form: ChimeInput } | null>(null);
  const [ran, setRan] = useState<{ unit: string; form: ChimeInput } | null>(null);
  const form = edited?.unit === unit ? edited.form : defaults;
  const run = ran?.unit === unit ? ran.form : defaults;
  const [picked, setCases] = useState<number | null>(null);
  const cases = picked ?? d?.scenarios[0]?.cases ?? null;
  const result = useQuery({
    queryKey: ['projection', unit, cases, run],
    enabled: !!run && !!cases,
    queryFn: () =>
      api<ScenarioResult>('/api/v1/projections/scenario', {
        method: 'POST',
        body: { unit, cases, chime: run },
      }),
  });
  const setForm = (change: Partial<ChimeInput>) =>
    form && setEdited({ unit, form: { ...form, ...change } });
  const set = (k: keyof ChimeInput) => (v: string | number) => setForm({ [k]: Number(v) });
  const r = result.data;
  const [exportError, setExportError] = useState<unknown>(null);
  return (
    <Stack>
      <Title order={2}>{pt('proj.title')}</Title>
      <UnitCodeForm initial={mine} onUnit={setUnit} />
      <ErrorAlert error={setup.error} />
      {setup.isLoading && <Loader size="sm" />}
      {d && form && (
        <>
          <Paper withBorder p="md">
            <Text fw={600} mb="xs">
              {d.unit.name} · {pt('proj.scenario')}
            </Text>
            <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs" data-testid="scenario-picker">
              {d.scenarios.map((s) => (
                <Button
                  key={s.cases}
                  h={44}
                  variant={s.cases === cases ? 'filled' : 'default'}
                  aria-pressed={s.cases === cases}
                  onClick={() => setCases(s.cases)}
                >
                  {formatNumber(s.cases)}
                </Button>
              ))}
            </SimpleGrid>
            <Text size="xs" c="dimmed" mt={4}>
              {d.scenarios.find((s) => s.cases === cases)?.source ?? ''}
            </Text>
            <NumberInput
              mt="sm"
              label={pt('proj.other')}
              value={cases ?? ''}
              min={1}
              thousandSeparator="."
              decimalSeparator=","
              onChange={(v) => typeof v === 'number' && v >= 1 && setCases(Math.round(v))}
            />
          </Paper>
          <Paper
            withBorder
            p="md"
            component="form"
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              if (form) setRan({ unit, form });
            }}
          >
            <Text fw={600} mb="xs">
              {pt('proj.params')}
            </Text>
            <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
              <NumberInput
                label={pt('proj.population')}
                value={form.population}
                min={1}
                thousandSeparator="."
                decimalSeparator=","
                onChange={set('population')}
              />
              <NumberInput
                label={pt('proj.current')}
                value={form.current_hospitalized}
                min={0}
                onChange={set('current_hospitalized')}
              />
              <NumberInput
                label={pt('proj.doubling')}
                value={form.doubling_time}
                min={0.5}
                step={0.5}
                decimalScale={1}
                decimalSeparator=","
                onChange={set('doubling_time')}
              />
              <NumberInput
                label={pt('proj.contact')}
                value={Math.round(form.relative_contact_rate * 100)}
                min={0}
                max={100}
                onChange={(v) => setForm({ relative_contact_rate: Number(v) / 100 })}
              />
              <NumberInput
                label={pt('proj.days')}
                value={form.n_days}
                min={1}
                max={30}
                onChange={set('n_days')}
              />
              <Button type="submit" h={44} mt="auto">
                {pt('proj.run')}
              </Button>
            </SimpleGrid>
            <Text size="xs" c="dimmed" mt="xs">
              {pt('proj.chimeNote')} {pt('proj.ruleSet')}: {d.ruleSet.name} (
              {d.ruleSet.legalBasis.number}
              {d.ruleSet.confidence === 'reconstructed' ? `, ${pt('levels.reconstructed')}` : ''}) ·{' '}
              {formatDate(d.date)}
            </Text>
          </Paper>
        </>
      )}
      <ErrorAlert error={result.error} />
      {result.isFetching && <Loader size="sm" />}
      {r && (
        <Stack data-testid="projection">
          <Group justify="space-between">
            <Title order={3} size="h4">
              {pt('proj.cases', { n: formatNumber(r.cases) })}
            </Title>
            <Button
              variant="default"
              h={44}
              data-testid="export-xlsx"
              onClick={() =>
                void downloadScenarioXlsx({ unit, cases, chime: run }).catch(setExportError)
              }
            >
              {pt('proj.xlsx')}
            </Button>
          </Group>
          <ErrorAlert error={exportError} />
          {r.projection && (
            <RunsOutList
              runsOut={r.projection.runsOut}
              days={r.projection.rows.length - 1}
              reached={r.projection.scenarioReached}
              cases={r.cases}
            />
          )}
          <NeedsTable needs={r.needs} />
          {r.projection && <CensusCharts rows={r.projection.rows} runsOut={r.projection.runsOut} />}
        </Stack>
      )}
      {!d && !setup.isLoading && !setup.error && <Alert>{pt('levels.none')}</Alert>}
    </Stack>
  );
}
