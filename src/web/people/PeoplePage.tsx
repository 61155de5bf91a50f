import {
  Anchor,
  Button,
  Center,
  Group,
  Loader,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, qs, type Me, type Unit } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { useCanP } from './access.tsx';
import { birthText, idText, PersonCard } from './components/PersonCards.tsx';
import { AddressText } from './components/places.tsx';
import { PersonCreateModal } from './PersonCreateModal.tsx';
import { codeLabel, usePT } from './t.ts';
import type { Person, PersonPage } from './types.ts';
import { searchPersons } from './search.ts';

/** The communes a user may filter by: none below a district (the scope is one commune already). */
function useCommuneOptions(me: Me) {
  const level = me.scope.level;
  const path =
    level === 'district'
      ? `/api/v1/admin-units${qs({ parent: me.scope.districtCode })}`
      : level === 'province'
        ? `/api/v1/admin-units${qs({ province: me.scope.provinceCode, level: 3 })}`
        : null;
  return useQuery({
    queryKey: ['commune-options', path],
    queryFn: () => api<{ items: Unit[] }>(path!).then((r) => r.items),
    enabled: !!path,
    staleTime: 10 * 60_000,
  });
}

/** Keeps each person once: a name with a repeated word can match on two pages. */
function unique(rows: Person[]) {
  const seen = new Set<string>();
  return rows.filter((p) => !seen.has(p.id) && !!seen.add(p.id));
}

export function PeoplePage() {
  const pt = usePT();
  const { t } = useTranslation();
  const me = useMe();
  const canWrite = useCanP('persons.write');
  const wide = useMediaQuery('(min-width: 48em)');
  const [search, setSearch] = useState('');
  const [yearText, setYearText] = useState('');
  const [commune, setCommune] = useState<string | null>(null);
  const [q] = useDebouncedValue(search.trim(), 300);
  const [year] = useDebouncedValue(/^\d{4}$/.test(yearText) ? Number(yearText) : null, 300);
  const [creating, setCreating] = useState(false);
  const communes = useCommuneOptions(me);

  const persons = useInfiniteQuery({
    queryKey: ['persons', 'search', q, year, commune],
    queryFn: ({ pageParam }) =>
      searchPersons<PersonPage>({ q, birthYear: year, commune, cursor: pageParam, limit: 30 }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: (prev) => prev,
  });
  const rows = unique(persons.data?.pages.flatMap((p) => p.items) ?? []);
  const query = persons.data?.pages[0]?.query;
  const filtered = !!q || year !== null || !!commune;

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{pt('people.title')}</Title>
        {canWrite && <Button onClick={() => setCreating(true)}>{pt('people.add')}</Button>}
      </Group>
      <TextInput
        type="search"
        label={pt('people.searchLabel')}
        description={pt('people.searchHint')}
        placeholder={pt('people.searchPlaceholder')}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        autoComplete="off"
        autoCorrect="off"
        spellCheck={false}
        maw={640}
        data-testid="people-search"
      />
      <Group gap="sm" maw={640} wrap="nowrap" align="flex-start">
        <TextInput
          w={120}
          style={{ flexShrink: 0 }}
          label={pt('people.birthYearFilter')}
          placeholder="yyyy"
          inputMode="numeric"
          maxLength={4}
          value={yearText}
          onChange={(e) => setYearText(e.currentTarget.value.replace(/\D/g, ''))}
        />
        {communes.data && (
          <Select
            label={pt('people.communeFilter')}
            placeholder={pt('people.allCommunes')}
            data={communes.data.map((u) => ({ value: u.code, label: u.name }))}
            value={commune}
            onChange={setCommune}
            searchable
            clearable
            nothingFoundMessage="—"
            style={{ flex: 1, minWidth: 0 }}
          />
        )}
      </Group>
      {query && query.kind !== 'all' && q && (
        <Text size="sm" c="dimmed" data-testid="people-query">
          {query.kind === 'id'
            ? pt('people.queryId', { value: query.idNumber })
            : query.kind === 'phone'
              ? pt('people.queryPhone', { value: query.phone })
              : pt('people.queryName')}
          {' · '}
          {persons.hasNextPage
            ? pt('people.countMore', { count: rows.length })
            : pt('people.count', { count: rows.length })}
        </Text>
      )}
      {persons.isError && <ErrorAlert error={persons.error} />}
      {persons.isPending ? (
        <Center p="lg">
          <Loader />
        </Center>
      ) : rows.length === 0 ? (
        <Text c="dimmed">{filtered ? pt('people.empty') : pt('people.emptyAll')}</Text>
      ) : wide ? (
        <Table.ScrollContainer minWidth={820}>
          <Table striped highlightOnHover verticalSpacing="xs" data-testid="people-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{pt('field.fullName')}</Table.Th>
                <Table.Th>{pt('field.birth')}</Table.Th>
                <Table.Th>{pt('field.sex')}</Table.Th>
                <Table.Th>{pt('field.idDocument')}</Table.Th>
                <Table.Th>{pt('field.phone')}</Table.Th>
                <Table.Th>{pt('field.address')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/nguoi-dan/${p.id}`} fw={600} size="sm">
                      {p.fullName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{birthText(p)}</Table.Td>
                  <Table.Td>{codeLabel(pt, 'sex', p.sex)}</Table.Td>
                  <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                    {idText(pt, p)}
                  </Table.Td>
                  <Table.Td ff="monospace">{p.phone ?? '—'}</Table.Td>
                  <Table.Td>
                    <AddressText address={{ ...p.address, street: null }} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        <Stack gap="xs" data-testid="people-list">
          {rows.map((p) => (
            <PersonCard
              key={p.id}
              person={{ ...p, address: { ...p.address, street: null } }}
              to={`/nguoi-dan/${p.id}`}
            />
          ))}
        </Stack>
      )}
      {persons.hasNextPage && (
        <Group>
          <Button
            variant="default"
            onClick={() => void persons.fetchNextPage()}
            loading={persons.isFetchingNextPage}
          >
            {t('common.loadMore')}
          </Button>
        </Group>
      )}
      {canWrite && <PersonCreateModal opened={creating} onClose={() => setCreating(false)} />}
    </Stack>
  );
}
