/**
 * What a facility manager does to a stay from a phone: release (by the course, or early with a
 * reason), record a test result (a positive opens an F0 and flags the roommates), and admit a
 * person found by search (area users) — each a full-screen dialog on a phone.
 */
import { Button, Modal, SegmentedControl, Select, Stack, Switch, TextInput } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api.ts';
import { PersonPicker } from '../cases/CaseCreateModal.tsx';
import { DateField } from '../components/DateField.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { parseDisplayDate } from '../format.ts';
import type { Person } from '../people/types.ts';
import { uuid } from '../util.ts';
import { useKT } from './t.ts';
import type { Admission } from './types.ts';

function useRefresh(facilityId: string) {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ['facility', facilityId] });
    void qc.invalidateQueries({ queryKey: ['facilities'] });
  };
}

function Dialog({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: React.ReactNode;
}) {
  const phone = useMediaQuery('(max-width: 600px)');
  return (
    <Modal opened onClose={onClose} title={title} fullScreen={phone}>
      <Stack>{children}</Stack>
    </Modal>
  );
}

export function ReleaseModal({
  a,
  facilityId,
  onClose,
}: {
  a: Admission;
  facilityId: string;
  onClose: () => void;
}) {
  const { kt } = useKT();
  const refresh = useRefresh(facilityId);
  const [early, setEarly] = useState(!a.releaseDue);
  const [reason, setReason] = useState('');
  const release = useMutation({
    mutationFn: () =>
      api(`/api/v1/admissions/${a.id}/release`, {
        method: 'POST',
        body: early ? { early: true, reason } : {},
      }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: kt('facility.released') });
      refresh();
      onClose();
    },
  });
  return (
    <Dialog title={kt('facility.releaseTitle', { name: a.person.fullName })} onClose={onClose}>
      <Switch
        size="md"
        label={kt('facility.early')}
        checked={early}
        onChange={(e) => setEarly(e.currentTarget.checked)}
      />
      {early && (
        <TextInput
          size="md"
          label={kt('facility.reason')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
      )}
      {release.error && <ErrorAlert error={release.error} />}
      <Button size="md" loading={release.isPending} onClick={() => release.mutate()}>
        {kt('facility.confirmRelease')}
      </Button>
    </Dialog>
  );
}

export function TestModal({
  a,
  facilityId,
  onClose,
}: {
  a: Admission;
  facilityId: string;
  onClose: () => void;
}) {
  const { kt } = useKT();
  const refresh = useRefresh(facilityId);
  const [on, setOn] = useState('');
  const [result, setResult] = useState('negative');
  const save = useMutation({
    mutationFn: () =>
      api<{ roommatesFlagged: number }>(`/api/v1/admissions/${a.id}/events`, {
        method: 'POST',
        body: { kind: 'test', on: parseDisplayDate(on) ?? on, result },
      }),
    onSuccess: (r) => {
      notifications.show({
        color: result === 'positive' ? 'red' : 'teal',
        message:
          result === 'positive'
            ? kt('facility.positiveSaved', { count: r.roommatesFlagged })
            : kt('facility.testSaved'),
      });
      refresh();
      onClose();
    },
  });
  return (
    <Dialog title={kt('facility.testTitle', { name: a.person.fullName })} onClose={onClose}>
      <DateField label={kt('facility.testDate')} onChange={setOn} />
      <SegmentedControl
        size="md"
        value={result}
        onChange={setResult}
        data={[
          { value: 'negative', label: kt('facility.negative') },
          { value: 'positive', label: kt('facility.positive') },
        ]}
      />
      {save.error && <ErrorAlert error={save.error} showFields />}
      <Button size="md" loading={save.isPending} disabled={!on} onClick={() => save.mutate()}>
        {kt('facility.saveTest')}
      </Button>
    </Dialog>
  );
}

export interface Placed {
  person: { fullName: string };
  room: { name: string };
  placement: { vi: string; en: string };
}

/** Admits a person (from an order on the waiting list, or found by search); the room and why. */
export function useAdmit(facilityId: string, onDone: (placed: Placed) => void) {
  const refresh = useRefresh(facilityId);
  return useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api<Placed>('/api/v1/admissions', {
        method: 'POST',
        body: { clientId: uuid(), facilityId, ...body },
      }),
    onSuccess: (r) => {
      refresh();
      onDone(r);
    },
  });
}

export function AdmitModal({ facilityId, onClose }: { facilityId: string; onClose: () => void }) {
  const [person, setPerson] = useState<Person | null>(null);
  const [batch, setBatch] = useState('');
  const [bedKind, setBedKind] = useState<string | null>('ordinary');
  const { kt, bi } = useKT();
  const admit = useAdmit(facilityId, (r) => {
    notifications.show({
      color: 'teal',
      message: kt('facility.placed', { room: r.room.name, why: bi(r.placement) }),
    });
    onClose();
  });
  return (
    <Dialog title={kt('facility.admitTitle')} onClose={onClose}>
      <PersonPicker label={kt('facility.person')} value={person} onChange={setPerson} />
      <TextInput
        size="md"
        label={kt('facility.batch')}
        value={batch}
        onChange={(e) => setBatch(e.currentTarget.value)}
      />
      <Select
        size="md"
        label={kt('facility.bedKind')}
        value={bedKind}
        onChange={setBedKind}
        data={['ordinary', 'oxygen', 'icu'].map((v) => ({ value: v, label: kt(`bed.${v}`) }))}
      />
      {admit.error && <ErrorAlert error={admit.error} showFields />}
      <Button
        size="md"
        disabled={!person}
        loading={admit.isPending}
        onClick={() =>
          admit.mutate({
            personId: person!.id,
            bedKind,
            source: batch.trim() ? 'arrival' : 'manual',
            ...(batch.trim() ? { arrivalBatch: batch.trim() } : {}),
          })
        }
      >
        {kt('facility.confirmAdmit')}
      </Button>
    </Dialog>
  );
}
