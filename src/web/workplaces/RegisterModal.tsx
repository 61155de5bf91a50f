/** Registering a workplace or school in a commune of the officer's area (a replay is not doubled). */
import { Button, Modal, NumberInput, Select, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { api } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { initialPlace, PlaceSelects } from '../people/components/places.tsx';
import { fieldErrors, uuid } from '../util.ts';
import { useWT } from './t.ts';

const KINDS = ['factory', 'industrial_zone', 'mine', 'dormitory', 'school', 'other'] as const;

export function RegisterModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useWT();
  const me = useMe();
  const qc = useQueryClient();
  const clientId = useRef(uuid());
  const [name, setName] = useState('');
  const [kind, setKind] = useState<string | null>('factory');
  const [workforce, setWorkforce] = useState<number | string>('');
  const [address, setAddress] = useState('');
  const [lat, setLat] = useState<number | string>('');
  const [lon, setLon] = useState<number | string>('');
  const [place, setPlace] = useState(() => initialPlace(me));
  const save = useMutation({
    mutationFn: () =>
      api('/api/v1/workplaces', {
        method: 'POST',
        body: {
          clientId: clientId.current,
          name,
          kind,
          workforce: workforce === '' ? undefined : Number(workforce),
          communeCode: place.communeCode ?? '',
          address: address || undefined,
          latitude: lat === '' ? undefined : Number(lat),
          longitude: lon === '' ? undefined : Number(lon),
        },
      }),
    onSuccess: () => {
      clientId.current = uuid();
      notifications.show({ color: 'green', message: t('form.saved') });
      void qc.invalidateQueries({ queryKey: ['workplaces'] });
      setName('');
      setWorkforce('');
      onClose();
    },
  });
  const errors = fieldErrors(save.error);
  return (
    <Modal opened={opened} onClose={onClose} title={t('risk.add')} size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack gap="sm">
          <TextInput
            label={t('form.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.name}
            required
            data-testid="wp-name"
          />
          <Select
            label={t('form.kind')}
            data={KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
            value={kind}
            onChange={setKind}
            error={errors.kind}
            allowDeselect={false}
          />
          <NumberInput
            label={t('form.workforce')}
            value={workforce}
            onChange={setWorkforce}
            min={1}
            error={errors.workforce}
            required
            data-testid="wp-workforce"
          />
          <PlaceSelects
            value={place}
            onChange={setPlace}
            withVillage={false}
            communeError={errors.communeCode}
            testIdPrefix="wp-place"
          />
          <TextInput
            label={t('form.address')}
            value={address}
            onChange={(e) => setAddress(e.currentTarget.value)}
            error={errors.address}
          />
          <NumberInput
            label={t('form.latitude')}
            value={lat}
            onChange={setLat}
            decimalScale={6}
            error={errors.latitude}
          />
          <NumberInput
            label={t('form.longitude')}
            value={lon}
            onChange={setLon}
            decimalScale={6}
            error={errors.longitude}
          />
          <ErrorAlert error={save.error} />
          <Button type="submit" loading={save.isPending} data-testid="wp-save">
            {t('form.save')}
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}
