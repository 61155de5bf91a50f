/** Venues with a QR check-in code: register one, list them, show and print the QR. */
import {
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  Code,
  Group,
  Image,
  Loader,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError, type Page } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { useVillageOptions } from '../people/components/places.tsx';
import { fieldErrors, uuid } from '../util.ts';
import { useCanC } from './access.tsx';
import { useCommuneOptions } from './components.tsx';
import { codeLabel, useBi, useCT } from './t.ts';
import type { Venue, VenueDetail } from './types.ts';

const KINDS = ['market', 'shop', 'school', 'office', 'factory', 'restaurant', 'worship', 'other'];

function VenueCreateModal({ onClose }: { onClose: () => void }) {
  const ct = useCT();
  const { t } = useTranslation();
  const me = useMe();
  const phone = useMediaQuery('(max-width: 48em)');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const communes = useCommuneOptions(me);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<string | null>('market');
  const [commune, setCommune] = useState<string | null>(me.scope.communeCode);
  const [village, setVillage] = useState<string | null>(null);
  const [address, setAddress] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const [clientId] = useState(uuid);
  const villages = useVillageOptions(commune);
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api<Venue>('/api/v1/venues', { method: 'POST', body }),
    onSuccess: (v) => {
      notifications.show({ color: 'teal', message: ct('venues.created') });
      void queryClient.invalidateQueries({ queryKey: ['venues'] });
      onClose();
      void navigate(`/dia-diem/${v.id}`);
    },
  });
  const errors = { ...fieldErrors(save.error), ...local };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (name.trim().length < 2) problems.name = t('common.required');
    if (!commune) problems.communeCode = t('common.required');
    setLocal(problems);
    if (Object.keys(problems).length) return;
    save.mutate({
      clientId,
      name: name.trim(),
      kind,
      communeCode: commune,
      ...(village ? { villageId: village } : {}),
      ...(address.trim() ? { address: address.trim() } : {}),
    });
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={ct('venues.add')}
      fullScreen={!!phone}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {save.isError && Object.keys(fieldErrors(save.error)).length === 0 && (
            <ErrorAlert error={save.error} />
          )}
          <TextInput
            label={ct('venues.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.name}
            maxLength={200}
          />
          <Select
            label={ct('venues.kind')}
            data={KINDS.map((k) => ({ value: k, label: codeLabel(ct, 'venueKind', k) }))}
            value={kind}
            onChange={setKind}
            allowDeselect={false}
            error={errors.kind}
          />
          {communes.data && (
            <Select
              label={ct('clusters.commune')}
              data={communes.data.map((u) => ({ value: u.code, label: u.name }))}
              value={commune}
              onChange={(v) => {
                setCommune(v);
                setVillage(null);
              }}
              searchable
              error={errors.communeCode}
            />
          )}
          <Select
            label={ct('venues.village')}
            data={(villages.data ?? []).map((v) => ({ value: v.id, label: v.name }))}
            value={village}
            onChange={setVillage}
            clearable
            error={errors.villageId}
          />
          <TextInput
            label={ct('venues.address')}
            value={address}
            onChange={(e) => setAddress(e.currentTarget.value)}
            maxLength={300}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function VenuesPage() {
  const ct = useCT();
  const { t } = useTranslation();
  const canWrite = useCanC('venues.write');
  const [creating, setCreating] = useState(false);
  const list = useInfiniteQuery({
    queryKey: ['venues', 'list'],
    queryFn: ({ pageParam }) =>
      api<Page<Venue>>(
        `/api/v1/venues?limit=50${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{ct('venues.title')}</Title>
        {canWrite && <Button onClick={() => setCreating(true)}>{ct('venues.add')}</Button>}
      </Group>
      {list.isError && <ErrorAlert error={list.error} />}
      {list.isPending ? (
        <Center p="lg">
          <Loader />
        </Center>
      ) : rows.length === 0 ? (
        <Text c="dimmed">{ct('venues.empty')}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="xs" data-testid="venue-list">
          {rows.map((v) => (
            <Card
              key={v.id}
              withBorder
              padding="sm"
              component={Link}
              to={`/dia-diem/${v.id}`}
              style={{ color: 'inherit', textDecoration: 'none' }}
            >
              <Text fw={700}>{v.name}</Text>
              <Group gap={6}>
                <Badge variant="light">{codeLabel(ct, 'venueKind', v.kind)}</Badge>
                <Text size="sm" c="dimmed">
                  {v.communeName}
                </Text>
              </Group>
              {v.address && <Text size="sm">{v.address}</Text>}
            </Card>
          ))}
        </SimpleGrid>
      )}
      {list.hasNextPage && (
        <Group>
          <Button variant="default" onClick={() => void list.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </Group>
      )}
      {creating && <VenueCreateModal onClose={() => setCreating(false)} />}
    </Stack>
  );
}

const PRINT_CSS = `@media print {
  .mantine-AppShell-header, .mantine-AppShell-navbar, [data-noprint] { display: none !important; }
  .mantine-AppShell-main { padding: 0 !important; }
}`;

export function VenueDetailPage() {
  const { id = '' } = useParams();
  const ct = useCT();
  const bi = useBi();
  const venue = useQuery({
    queryKey: ['venues', 'one', id],
    queryFn: () => api<VenueDetail>(`/api/v1/venues/${encodeURIComponent(id)}`),
  });
  if (venue.isPending)
    return (
      <Center p="lg">
        <Loader />
      </Center>
    );
  if (venue.error instanceof ApiError && [400, 404].includes(venue.error.status))
    return <NotFoundPage />;
  if (venue.isError) return <ErrorAlert error={venue.error} />;
  const v = venue.data;
  return (
    <Stack gap="md" maw={560}>
      <style>{PRINT_CSS}</style>
      <Anchor component={Link} to="/dia-diem" size="sm" data-noprint>
        ← {ct('venues.title')}
      </Anchor>
      <Card withBorder padding="lg" data-testid="venue-qr-card">
        <Stack gap="xs" align="center">
          <Title order={2} ta="center">
            {v.name}
          </Title>
          <Text c="dimmed" ta="center">
            {codeLabel(ct, 'venueKind', v.kind)} · {v.address ? `${v.address}, ` : ''}
            {v.communeName}
          </Text>
          <Image
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(v.qrSvg)}`}
            alt={ct('venues.qrAlt', { name: v.name })}
            w={260}
            h={260}
            data-testid="venue-qr"
          />
          <Text size="sm" ta="center">
            {bi(v.instructions)}
          </Text>
        </Stack>
      </Card>
      <Stack gap={4} data-noprint>
        <Text size="sm">
          {ct('venues.today', { in: v.today.checkIns, out: v.today.checkOuts })}
        </Text>
        <Text size="xs" c="dimmed">
          {ct('venues.payload')}:
        </Text>
        <Code style={{ wordBreak: 'break-all' }}>{v.qr.payload}</Code>
        <Group>
          <Button onClick={() => window.print()}>{ct('venues.print')}</Button>
        </Group>
      </Stack>
    </Stack>
  );
}
