/** /tiem-chung/den-han — people of a commune due or overdue for their next dose. */
import {
  Badge,
  Checkbox,
  Group,
  Loader,
  NumberInput,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, qs } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate } from '../format.ts';
import { useMyCommune } from './components.tsx';
import { doseLabel, useVT } from './t.ts';
import type { DueList } from './types.ts';

export function DuePage() {
  const vt = useVT();
  const mine = useMyCommune();
  const [commune, setCommune] = useState(mine ?? '');
  const [within, setWithin] = useState<number | string>(7);
  const [overdueOnly, setOverdueOnly] = useState(false);
  const ok = /^\d{5}$/.test(commune);
  const list = useQuery({
    queryKey: ['vacc-due', commune, within, overdueOnly],
    enabled: ok,
    queryFn: () =>
      api<DueList>(
        `/api/v1/vaccinations/due${qs({
          commune,
          withinDays: Number(within) || 0,
          overdueOnly: overdueOnly ? 'true' : undefined,
        })}`,
      ),
  });
  return (
    <Stack>
      <div>
        <Title order={2}>{vt('due.title')}</Title>
        <Text c="dimmed" size="sm">
          {vt('due.subtitle')}
        </Text>
      </div>
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Group grow align="flex-start">
            {!mine && (
              <TextInput
                label={vt('due.commune')}
                value={commune}
                onChange={(e) => setCommune(e.currentTarget.value.replace(/\D/g, '').slice(0, 5))}
                inputMode="numeric"
              />
            )}
            <NumberInput
              label={vt('due.within')}
              value={within}
              onChange={setWithin}
              min={0}
              max={365}
            />
          </Group>
          <Checkbox
            label={vt('due.overdueOnly')}
            checked={overdueOnly}
            onChange={(e) => setOverdueOnly(e.currentTarget.checked)}
          />
        </Stack>
      </Paper>
      <ErrorAlert error={list.error} />
      {list.isLoading && <Loader size="sm" />}
      {list.data && (
        <Stack gap="xs" data-testid="due-list">
          <Text size="sm" c="dimmed">
            {vt('due.count', { n: list.data.items.length })}
          </Text>
          {list.data.truncated && (
            <Text size="sm" c="orange">
              {vt('due.truncated')}
            </Text>
          )}
          {list.data.items.length === 0 && <Text c="dimmed">{vt('due.empty')}</Text>}
          {list.data.items.map((i) => (
            <Paper
              key={i.personId}
              withBorder
              p="sm"
              component={Link}
              to={`/tiem-chung/nguoi/${i.personId}`}
              style={{ textDecoration: 'none', color: 'inherit' }}
              data-testid="due-item"
            >
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <div>
                  <Text fw={600}>{i.fullName}</Text>
                  <Text size="sm" c="dimmed">
                    {i.birthYear}
                    {i.phone ? ` · ${i.phone}` : ''}
                  </Text>
                </div>
                <Stack gap={4} align="flex-end">
                  <Badge variant="light" tt="none">
                    {doseLabel(vt, i.doseNumber, i.nextKind)}
                  </Badge>
                  {i.overdue ? (
                    <Badge color="red" variant="light" tt="none">
                      {vt('due.overdue', { days: i.daysOverdue })}
                    </Badge>
                  ) : (
                    <Text size="sm" data-testid="due-date">
                      {vt('due.dueOn', { date: formatDate(i.due) })}
                    </Text>
                  )}
                </Stack>
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
