import {
  Alert,
  Badge,
  Button,
  Center,
  Group,
  Loader,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, qs, type Me } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { fieldErrors, uuid } from '../util.ts';
import { useCanP } from './access.tsx';
import {
  CommuneName,
  initialPlace,
  PlaceSelects,
  useVillageOptions,
  VillageName,
  type PlaceValue,
} from './components/places.tsx';
import { usePT } from './t.ts';
import type { HouseholdDetail, HouseholdListItem } from './types.ts';

/** The query a place filter asks for: a village, else a commune (never below the scope). */
function listParams(me: Me, place: PlaceValue) {
  if (place.villageId) return { village: place.villageId };
  if (me.scope.level === 'village') return {};
  if (place.communeCode && place.communeCode !== me.scope.communeCode)
    return { commune: place.communeCode };
  return {};
}

function CreateModal({
  opened,
  onClose,
  initial,
}: {
  opened: boolean;
  onClose: () => void;
  initial: PlaceValue;
}) {
  const pt = usePT();
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [clientId] = useState(uuid);
  const [place, setPlace] = useState<PlaceValue>(initial);
  const [address, setAddress] = useState('');
  const [missing, setMissing] = useState(false);

  const create = useMutation({
    mutationFn: () =>
      api<HouseholdDetail>('/api/v1/households', {
        method: 'POST',
        body: { villageId: place.villageId, address: address.trim() || null, clientId },
      }),
    onSuccess: (h) => {
      void queryClient.invalidateQueries({ queryKey: ['households'] });
      notifications.show({ color: 'teal', message: pt('households.created') });
      onClose();
      void navigate(`/ho-gia-dinh/${h.id}`);
    },
  });
  const errors = fieldErrors(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!place.villageId) {
      setMissing(true);
      return;
    }
    create.mutate();
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={pt('households.createTitle')}
      fullScreen={!!phone}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {create.isError && <ErrorAlert error={create.error} />}
          <PlaceSelects
            value={place}
            onChange={(p) => {
              setPlace(p);
              setMissing(false);
            }}
            villageRequired
            villageError={errors.villageId ?? (missing ? t('common.required') : undefined)}
            testIdPrefix="household"
            compact
          />
          <TextInput
            label={pt('households.address')}
            placeholder={pt('households.addressHint')}
            value={address}
            onChange={(e) => setAddress(e.currentTarget.value)}
            error={errors.address}
          />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {pt('households.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function HouseholdCard({ h }: { h: HouseholdListItem }) {
  const pt = usePT();
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      component={Link}
      to={`/ho-gia-dinh/${h.id}`}
      style={{ color: 'inherit', textDecoration: 'none' }}
      data-testid="household-card"
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
        <div style={{ minWidth: 0 }}>
          <Text fw={600} c={h.headName ? undefined : 'dimmed'}>
            {h.headName
              ? pt('households.householdOf', { name: h.headName })
              : pt('households.headless')}
          </Text>
          {h.address && <Text size="sm">{h.address}</Text>}
          <Text size="sm" c="dimmed">
            <VillageName id={h.villageId} />, <CommuneName code={h.communeCode} />
          </Text>
        </div>
        <Badge variant="light" tt="none" style={{ flexShrink: 0 }}>
          {pt('households.memberCount', { count: h.memberCount })}
        </Badge>
      </Group>
    </Paper>
  );
}

export function HouseholdsPage() {
  const pt = usePT();
  const { t } = useTranslation();
  const me = useMe();
  const canWrite = useCanP('households.write');
  const [place, setPlace] = useState<PlaceValue>(() => initialPlace(me));
  const [creating, setCreating] = useState(false);
  const villages = useVillageOptions(place.communeCode);
  const params = listParams(me, place);

  const households = useInfiniteQuery({
    queryKey: ['households', 'list', params],
    queryFn: ({ pageParam }) =>
      api<{ items: HouseholdListItem[]; nextCursor: string | null }>(
        `/api/v1/households${qs({ ...params, cursor: pageParam, limit: 50 })}`,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const rows = households.data?.pages.flatMap((p) => p.items) ?? [];
  const noVillages = !!place.communeCode && villages.isSuccess && villages.data.length === 0;

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{pt('households.title')}</Title>
        {canWrite && !noVillages && (
          <Button onClick={() => setCreating(true)}>{pt('households.create')}</Button>
        )}
      </Group>
      <Stack maw={480} gap="sm">
        <PlaceSelects value={place} onChange={setPlace} testIdPrefix="filter" compact filter />
      </Stack>
      {noVillages && (
        <Alert color="yellow" variant="light">
          {pt('households.noVillages')}
        </Alert>
      )}
      {households.isError && <ErrorAlert error={households.error} />}
      {households.isPending ? (
        <Center p="lg">
          <Loader />
        </Center>
      ) : rows.length === 0 ? (
        <Text c="dimmed">{pt('households.empty')}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xs" data-testid="households-list">
          {rows.map((h) => (
            <HouseholdCard key={h.id} h={h} />
          ))}
        </SimpleGrid>
      )}
      {households.hasNextPage && (
        <Group>
          <Button
            variant="default"
            onClick={() => void households.fetchNextPage()}
            loading={households.isFetchingNextPage}
          >
            {t('common.loadMore')}
          </Button>
        </Group>
      )}
      {canWrite && creating && (
        <CreateModal opened={creating} onClose={() => setCreating(false)} initial={place} />
      )}
    </Stack>
  );
}
