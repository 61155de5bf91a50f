/** /xet-nghiem/mau/:id — a specimen and its printable label (QR of the code, code in large letters). */
import { Anchor, Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDateTime } from '../format.ts';
import { useCanT } from './access.tsx';
import { Loading, LookupSlip, SpecimenLabel, useTestTypeName } from './components.tsx';
import { ResultModal } from './modals.tsx';
import { codeLabel, useTT } from './t.ts';
import { SPECIMEN_STATUS_COLOR } from './TestingPage.tsx';
import type { Specimen } from './types.ts';

const PRINT_CSS = `@media print {
  body * { visibility: hidden !important; }
  .specimen-label, .specimen-label * { visibility: visible !important; }
  .specimen-label { position: fixed; left: 0; top: 0; border: none !important; }
}`;

export function SpecimenPage() {
  const tt = useTT();
  const { id } = useParams();
  const typeName = useTestTypeName();
  const canWrite = useCanT('tests.write');
  const [entering, setEntering] = useState(false);
  const q = useQuery({
    queryKey: ['specimen', id],
    queryFn: () => api<Specimen>(`/api/v1/specimens/${id}`),
  });
  if (q.isLoading) return <Loading />;
  const s = q.data;
  if (!s) return <ErrorAlert error={q.error} />;
  return (
    <Stack>
      <style>{PRINT_CSS}</style>
      <Anchor component={Link} to="/xet-nghiem?xem=specimens" size="sm">
        {tt('specimens.back')}
      </Anchor>
      <div>
        <Title order={2}>{tt('specimens.title')}</Title>
        <Group gap="xs">
          <Badge color={SPECIMEN_STATUS_COLOR[s.status]} variant="light">
            {codeLabel(tt, 'specimenStatus', s.status)}
          </Badge>
          <Text size="sm" c="dimmed">
            {typeName(s.testType)}
          </Text>
        </Group>
      </div>
      <SpecimenLabel specimen={s} />
      {s.lookupCode && <LookupSlip code={s.lookupCode} />}
      <Text size="sm" c="dimmed">
        {tt('label.hint')}
      </Text>
      <Group grow>
        <Button onClick={() => window.print()}>{tt('label.print')}</Button>
        {canWrite && s.status !== 'resulted' && s.status !== 'in_pool' && (
          <Button variant="light" onClick={() => setEntering(true)}>
            {tt('results.enter')}
          </Button>
        )}
      </Group>
      <Stack gap={2}>
        <Text size="sm">{tt('specimens.sampledAtLine', { at: formatDateTime(s.sampledAt) })}</Text>
        {s.sampledBy && <Text size="sm">{tt('specimens.sampledByLine', { by: s.sampledBy })}</Text>}
        {s.samplePlace && (
          <Text size="sm">{tt('specimens.placeLine', { place: s.samplePlace })}</Text>
        )}
      </Stack>
      <ResultModal
        opened={entering}
        onClose={() => {
          setEntering(false);
          void q.refetch();
        }}
        code={s.code}
      />
    </Stack>
  );
}
