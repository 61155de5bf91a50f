/**
 * /canh-bao/:id — one alert: why it opened, the patient, how it closed; the district moves the
 * patient up a tier or closes it; everyone who may read it opens the patient's chart from here
 * (the facility manager: the patients of their facility).
 */
import { Anchor, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { AlertCard, CloseModal, TransferModal, type Alert } from './AlertsPage.tsx';
import { useKT } from './t.ts';

export function AlertPage() {
  const { id = '' } = useParams();
  const { kt } = useKT();
  const [moving, setMoving] = useState<Alert | null>(null);
  const [closing, setClosing] = useState<Alert | null>(null);
  const alert = useQuery({
    queryKey: ['alerts', id],
    queryFn: () => api<Alert>(`/api/v1/alerts/${id}`),
  });
  return (
    <Stack maw={720}>
      <Anchor component={Link} to="/canh-bao" size="sm">
        ← {kt('alert.back')}
      </Anchor>
      <Title order={2}>{kt('alert.title')}</Title>
      {alert.error && <ErrorAlert error={alert.error} />}
      {alert.data && <AlertCard a={alert.data} onMove={setMoving} onClose={setClosing} />}
      {moving && <TransferModal alert={moving} onClose={() => setMoving(null)} />}
      {closing && <CloseModal alert={closing} onClose={() => setClosing(null)} />}
    </Stack>
  );
}
