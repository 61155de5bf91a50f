/**
 * /tiem-chung/chua-tiem — adults of a village (or the whole commune) with no dose, the reason and
 * the priority flags (≥ 65, comorbidity), exported to XLSX for the village team.
 */
import {
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  Modal,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { UNVACCINATED_REASONS, type UnvaccinatedReason } from '../../domain/vaccination.ts';
import { api, qs, type Page, type Village } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate } from '../format.ts';
import { uuid } from '../util.ts';
import { useCanV } from './access.tsx';
import { useMyCommune } from './components.tsx';
import { codeLabel, useVT, type VT } from './t.ts';
import type { UnvaccinatedItem, UnvaccinatedList } from './types.ts';

export function UnvaccinatedPage() {
  const vt = useVT();
  const mine = useMyCommune();
  const canWrite = useCanV('vaccinations.write');
  const [commune, setCommune] = useState(mine ?? '');
  const [village, setVillage] = useState<string | null>(null);
  const [minAge, setMinAge] = useState<number | string>(18);
  const [reasonFor, setReasonFor] = useState<UnvaccinatedItem | null>(null);
  const ok = /^\d{5}$/.test(commune);
  const villages = useQuery({
    queryKey: ['vacc-villages', commune],
    enabled: ok,
    queryFn: () => api<Page<Village>>(`/api/v1/villages${qs({ commune, limit: 200 })}`),
  });
  const params = {
    village: village ?? undefined,
    commune: village ? undefined : commune,
    minAge: Number(minAge) || 0,
  };
  const list = useQuery({
    queryKey: ['vacc-lists', 'unvaccinated', params],
    enabled: ok,
    queryFn: () => api<UnvaccinatedList>(`/api/v1/unvaccinated${qs(params)}`),
  });
  return (
    <Stack>
      <div>
        <Title order={2}>{vt('unvacc.title')}</Title>
        <Text c="dimmed" size="sm">
          {vt('unvacc.subtitle', { age: Number(minAge) || 0 })}
        </Text>
      </div>
      <Paper withBorder p="md">
        <Stack gap="sm">
          {!mine && (
            <TextInput
              label={vt('due.commune')}
              value={commune}
              onChange={(e) => {
                setCommune(e.currentTarget.value.replace(/\D/g, '').slice(0, 5));
                setVillage(null);
              }}
              inputMode="numeric"
            />
          )}
          <Group align="flex-start" wrap="nowrap">
            <Select
              style={{ flex: 1 }}
              label={vt('unvacc.village')}
              placeholder={vt('unvacc.wholeCommune')}
              data={(villages.data?.items ?? []).map((v) => ({ value: v.id, label: v.name }))}
              value={village}
              onChange={setVillage}
              clearable
              searchable
            />
            <NumberInput
              label={vt('unvacc.minAge')}
              value={minAge}
              onChange={setMinAge}
              min={0}
              max={120}
              w={96}
            />
          </Group>
          <Button
            component="a"
            href={`/api/v1/unvaccinated.xlsx${qs(params)}`}
            download
            variant="light"
            disabled={!ok}
            data-testid="unvacc-export"
          >
            {vt('unvacc.export')}
          </Button>
        </Stack>
      </Paper>
      <ErrorAlert error={list.error ?? villages.error} />
      {list.isLoading && <Loader size="sm" />}
      {list.data && (
        <Stack gap="xs" data-testid="unvacc-list">
          <Group gap="xs">
            <Text fw={600}>{vt('unvacc.total', { n: list.data.total })}</Text>
            {Object.entries(list.data.byReason)
              .filter(([, n]) => n > 0)
              .map(([r, n]) => (
                <Badge key={r} variant="outline" color="gray" tt="none">
                  {codeLabel(vt, 'reason', r)}: {n}
                </Badge>
              ))}
          </Group>
          {list.data.items.length === 0 && <Text c="dimmed">{vt('unvacc.empty')}</Text>}
          {list.data.items.map((i) => (
            <Paper key={i.personId} withBorder p="sm">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <div style={{ minWidth: 0 }}>
                  <Text
                    fw={600}
                    component={Link}
                    to={`/tiem-chung/nguoi/${i.personId}`}
                    c="inherit"
                  >
                    {i.fullName}
                  </Text>
                  <Text size="sm" c="dimmed">
                    {[
                      i.birthDate ? formatDate(i.birthDate) : String(i.birthYear),
                      vt('unvacc.age', { n: i.age }),
                      codeLabel(vt, 'sex', i.sex),
                      i.villageName,
                      i.phone,
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </Text>
                  <Group gap={4} mt={4}>
                    <Badge variant="light" color={i.reason ? 'gray' : 'yellow'} tt="none">
                      {codeLabel(vt, 'reason', i.reason ?? 'unknown')}
                    </Badge>
                    {i.flags.priority && (
                      <Badge color="red" tt="none">
                        {vt('unvacc.priority')}
                      </Badge>
                    )}
                    {i.flags.age65 && (
                      <Badge color="orange" variant="light" tt="none">
                        {vt('unvacc.age65')}
                      </Badge>
                    )}
                    {i.flags.comorbidity && (
                      <Badge color="grape" variant="light" tt="none">
                        {vt('unvacc.comorbidity')}
                      </Badge>
                    )}
                  </Group>
                  {i.reasonNote && (
                    <Text size="xs" c="dimmed">
                      {i.reasonNote}
                    </Text>
                  )}
                  {canWrite && (
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      px={0}
                      mt={4}
                      onClick={() => setReasonFor(i)}
                    >
                      {vt('unvacc.setReason')}
                    </Button>
                  )}
                </div>
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
      <ReasonModal
        vt={vt}
        item={reasonFor}
        onClose={() => setReasonFor(null)}
        onSaved={() => void list.refetch()}
      />
    </Stack>
  );
}

function ReasonModal({
  vt,
  item,
  onClose,
  onSaved,
}: {
  vt: VT;
  item: UnvaccinatedItem | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [reason, setReason] = useState<UnvaccinatedReason | null>(null);
  const [comorbidity, setComorbidity] = useState(false);
  const [note, setNote] = useState('');
  const save = useMutation({
    mutationFn: () =>
      api('/api/v1/vaccination-exemptions', {
        method: 'POST',
        body: {
          clientId: uuid(),
          personId: item!.personId,
          reason: reason ?? item!.reason,
          comorbidity: comorbidity || item!.flags.comorbidity,
          note: note.trim() || undefined,
        },
      }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: vt('screening.reasonSaved') });
      setNote('');
      setReason(null);
      setComorbidity(false);
      onSaved();
      onClose();
    },
  });
  return (
    <Modal
      opened={!!item}
      onClose={onClose}
      title={item ? vt('unvacc.reasonFor', { name: item.fullName }) : ''}
    >
      <Stack>
        <Select
          label={vt('unvacc.reason')}
          data={UNVACCINATED_REASONS.map((r) => ({ value: r, label: codeLabel(vt, 'reason', r) }))}
          value={reason ?? item?.reason ?? null}
          onChange={(v) => setReason(v as UnvaccinatedReason | null)}
        />
        <Checkbox
          label={vt('unvacc.hasComorbidity')}
          checked={comorbidity || !!item?.flags.comorbidity}
          onChange={(e) => setComorbidity(e.currentTarget.checked)}
        />
        <TextInput
          label={vt('unvacc.note')}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        <ErrorAlert error={save.error} showFields />
        <Button
          onClick={() => save.mutate()}
          loading={save.isPending}
          disabled={!(reason ?? item?.reason)}
        >
          {vt('aefi.save')}
        </Button>
      </Stack>
    </Modal>
  );
}
