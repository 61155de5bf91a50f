/**
 * /tiem-chung — find the person to vaccinate. Officers of an area search the people register; a
 * vaccination site's account sees in the register only the people its site registered, so it
 * also searches the commune's unvaccinated and due lists (on the device).
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { classifyQuery, matchesPersonQuery } from '../../domain/people.ts';
import { api, qs } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate } from '../format.ts';
import { useCanV } from './access.tsx';
import { useMyCommune } from './components.tsx';
import { doseLabel, useVT } from './t.ts';
import type { DueList, UnvaccinatedList } from './types.ts';
import { searchPersons } from '../people/search.ts';

interface Hit {
  id: string;
  fullName: string;
  birth: string;
  note: string | null;
  /** For matching lists on the device as the register search does. */
  birthYear?: number;
  phone?: string | null;
}

export function VaccinationHomePage() {
  const vt = useVT();
  const me = useMe();
  const canPersons = useCanV('persons.read');
  const commune = useMyCommune();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');

  const persons = useQuery({
    queryKey: ['vacc-person-search', q],
    enabled: canPersons && q.length >= 2,
    queryFn: () =>
      searchPersons<{
        items: { id: string; fullName: string; birthDate: string | null; birthYear: number }[];
      }>({ q, limit: 30 }).then((r) =>
        r.items.map<Hit>((p) => ({
          id: p.id,
          fullName: p.fullName,
          birth: p.birthDate ? formatDate(p.birthDate) : String(p.birthYear),
          note: null,
        })),
      ),
  });

  // A site's account (or one without persons.read): the commune's lists, searched on the device.
  const useLists = !!commune && (!canPersons || me.scope.level === 'site');
  const lists = useQuery({
    queryKey: ['vacc-lists', commune],
    enabled: useLists,
    queryFn: async () => {
      const [u, d] = await Promise.all([
        api<UnvaccinatedList>(`/api/v1/unvaccinated${qs({ commune, minAge: 12 })}`),
        api<DueList>(`/api/v1/vaccinations/due${qs({ commune, withinDays: 365, limit: 2000 })}`),
      ]);
      const hits: Hit[] = [
        ...d.items.map((i) => ({
          id: i.personId,
          fullName: i.fullName,
          birth: String(i.birthYear),
          birthYear: i.birthYear,
          note: `${doseLabel(vt, i.doseNumber, i.nextKind)} · ${formatDate(i.due)}`,
        })),
        ...u.items.map((i) => ({
          id: i.personId,
          fullName: i.fullName,
          birth: i.birthDate ? formatDate(i.birthDate) : String(i.birthYear),
          birthYear: i.birthYear,
          phone: i.phone,
          note: vt('status.none'),
        })),
      ];
      return hits;
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQ(text.trim());
  };

  // The lists on the device are searched as the register is (issue 13): ID number, phone, or a
  // name without diacritics from the start of any word, with an optional birth year.
  const query = q.length >= 2 ? classifyQuery(q) : null;
  const fromLists = lists.data?.filter(
    (h) =>
      !!query &&
      matchesPersonQuery(query, {
        fullName: h.fullName,
        birthYear: h.birthYear ?? 0,
        phone: h.phone ?? null,
      }),
  );
  const merged = [...(fromLists ?? []), ...(canPersons ? (persons.data ?? []) : [])];
  const hits: Hit[] | undefined =
    (canPersons && persons.data) || fromLists
      ? merged.filter((h, i) => merged.findIndex((x) => x.id === h.id) === i)
      : undefined;
  const loading = persons.isFetching || lists.isFetching;
  const error = persons.error ?? lists.error;
  const canCoverage = useCanV('coverage.read');

  return (
    <Stack>
      <div>
        <Title order={2}>{vt('home.title')}</Title>
        <Text c="dimmed" size="sm">
          {vt('home.subtitle')}
        </Text>
      </div>
      {useLists && (
        <Alert variant="light" color="blue">
          {vt('home.fromLists')}
        </Alert>
      )}
      <Paper withBorder p="md" component="form" onSubmit={submit}>
        <Group align="flex-end" wrap="nowrap">
          <TextInput
            label={vt('home.search')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            style={{ flex: 1 }}
            size="md"
            autoComplete="off"
          />
          <Button type="submit" size="md">
            {vt('home.searchButton')}
          </Button>
        </Group>
        {q.length > 0 && q.length < 2 && (
          <Text size="sm" c="dimmed" mt="xs">
            {vt('home.typeMore')}
          </Text>
        )}
      </Paper>
      <ErrorAlert error={error} />
      {loading && <Loader size="sm" />}
      {hits && q.length >= 2 && !loading && (
        <Stack gap="xs" data-testid="vacc-search-results">
          {hits.length === 0 && <Text c="dimmed">{vt('home.noResult')}</Text>}
          {hits.map((h) => (
            <Paper
              key={h.id}
              withBorder
              p="sm"
              component={Link}
              to={`/tiem-chung/nguoi/${h.id}`}
              style={{ textDecoration: 'none', color: 'inherit' }}
            >
              <Group justify="space-between" wrap="nowrap">
                <div>
                  <Text fw={600}>{h.fullName}</Text>
                  <Text size="sm" c="dimmed">
                    {vt('home.born', { birth: h.birth })}
                  </Text>
                </div>
                {h.note && (
                  <Badge variant="light" tt="none">
                    {h.note}
                  </Badge>
                )}
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
      <Group gap="md">
        <Anchor component={Link} to="/tiem-chung/den-han">
          {vt('nav.due')}
        </Anchor>
        <Anchor component={Link} to="/tiem-chung/chua-tiem">
          {vt('nav.unvaccinated')}
        </Anchor>
        {canCoverage && (
          <Anchor component={Link} to="/tiem-chung/bao-phu">
            {vt('nav.coverage')}
          </Anchor>
        )}
        <Anchor component={Link} to="/kiem-tra-chung-nhan">
          {vt('nav.verify')}
        </Anchor>
      </Group>
    </Stack>
  );
}
