/**
 * The steering committee's report from the dashboard of a province: the period and the prose
 * parts (editable before export; the figures and tables come from the data on the server), then
 * the DOCX in the official format (POST /api/v1/reports/steering.docx).
 */
import {
  Alert,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { addDays } from '../../domain/dates.ts';
import { DateField } from '../components/DateField.tsx';
import { parseDisplayDate } from '../format.ts';
import { downloadPost } from './download.ts';
import { usePT } from './t.ts';

export function ReportPanel({ unit, date }: { unit: string; date: string }) {
  const { pt } = usePT();
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const [prose, setProse] = useState({
    number: '',
    situation: '',
    difficulties: '',
    tasks: '',
    signerName: '',
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const to = parseDisplayDate(toText) ?? date;
  const from = parseDisplayDate(fromText) ?? addDays(to, -6);
  const edit = (k: keyof typeof prose) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setProse((p) => ({ ...p, [k]: value }));
  };
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      // a part left empty keeps the server's text (the situation is then written from the data)
      const edited = Object.fromEntries(Object.entries(prose).filter(([, v]) => v.trim()));
      await downloadPost(
        '/api/v1/reports/steering.docx',
        { unit, from, to, prose: edited },
        `bao-cao-bcd-${from}-${to}.docx`,
      );
    } catch {
      setError(pt('report.failed'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md" data-testid="steering-report">
      <Stack gap="xs">
        <Text fw={600}>{pt('report.title')}</Text>
        <Text size="xs" c="dimmed">
          {pt('report.hint')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <DateField label={pt('report.from')} onChange={setFromText} />
          <DateField label={pt('report.to')} onChange={setToText} />
          <TextInput label={pt('report.number')} placeholder="…/BC-BCĐ" onChange={edit('number')} />
        </SimpleGrid>
        <Textarea
          label={pt('report.situation')}
          autosize
          minRows={2}
          onChange={edit('situation')}
        />
        <Textarea
          label={pt('report.difficulties')}
          autosize
          minRows={2}
          onChange={edit('difficulties')}
        />
        <Textarea label={pt('report.tasks')} autosize minRows={2} onChange={edit('tasks')} />
        <TextInput label={pt('report.signer')} onChange={edit('signerName')} />
        {error && <Alert color="red">{error}</Alert>}
        <Group>
          <Button data-testid="report-docx" loading={busy} onClick={() => void download()} mih={44}>
            {pt('report.download')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
