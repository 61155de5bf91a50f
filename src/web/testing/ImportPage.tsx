/**
 * /xet-nghiem/nhap-tep — bulk results from a CSV or XLSX file (communes, schools, enterprises,
 * labs). The uploader chooses a file, checks which column holds which field (pre-filled from
 * the mapping saved for their site, else from the usual header names), saves the mapping and
 * uploads; the job runs in the background and its page shows progress and the row report.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  FileInput,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { IMPORT_FIELDS, layoutOf, resolveMapping, type ImportField } from '../../domain/testing.ts';
import { api, qs } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDateTime, formatNumber } from '../format.ts';
import { Empty, LoadMore, Loading, usePaged } from './components.tsx';
import { readSample, type FileSample } from './headers.ts';
import { ImportPreview } from './ImportPreview.tsx';
import { codeLabel, useTT } from './t.ts';
import type { ImportJob, ImportStatus, MappingInfo } from './types.ts';

const REQUIRED: ImportField[] = ['result', 'sampledAt'];
const IDENTITY: ImportField[] = ['fullName', 'idNumber', 'specimenCode'];

export const IMPORT_STATUS_COLOR: Record<ImportStatus, string> = {
  queued: 'gray',
  running: 'blue',
  done: 'teal',
  failed: 'red',
};

export function ImportPage() {
  const tt = useTT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [fileSample, setSample] = useState<FileSample | null>(null);
  const headers = fileSample?.headers ?? null;
  const [readError, setReadError] = useState(false);
  const [mapping, setMapping] = useState<Partial<Record<ImportField, string>>>({});
  const [layout, setLayout] = useState('');
  const [tried, setTried] = useState(false);

  const saved = useQuery({
    queryKey: ['result-import-mapping'],
    queryFn: () => api<MappingInfo>('/api/v1/result-imports/mapping'),
  });
  const past = usePaged<ImportJob>(['result-imports'], '/api/v1/result-imports', { limit: 20 });

  const choose = async (f: File | null) => {
    setFile(f);
    setSample(null);
    setReadError(false);
    setTried(false);
    if (!f) return;
    try {
      const smp = await readSample(f);
      const keys = smp.headers.map((x) => x.key);
      // this layout's saved mapping, else the latest one saved (issue 16.4)
      const lay = layoutOf(keys);
      const own = saved.data?.mappings?.find((m) => m.layout === lay)?.mapping;
      setSample(smp);
      setLayout(lay);
      setMapping(resolveMapping(keys, own ?? saved.data?.mapping ?? {}));
    } catch {
      setReadError(true);
    }
  };

  const missing = useMemo(() => {
    const m = new Set<ImportField>(REQUIRED.filter((f) => !mapping[f]));
    if (!IDENTITY.some((f) => mapping[f])) IDENTITY.forEach((f) => m.add(f));
    return m;
  }, [mapping]);

  const upload = useMutation({
    mutationFn: async () => {
      await api('/api/v1/result-imports/mapping', { method: 'PUT', body: { ...mapping, layout } });
      const form = new FormData();
      form.append('file', file!, file!.name);
      return api<ImportJob>(`/api/v1/result-imports${qs({ layout })}`, {
        method: 'POST',
        body: form,
      });
    },
    onSuccess: (job) => {
      void queryClient.invalidateQueries({ queryKey: ['result-imports'] });
      void queryClient.invalidateQueries({ queryKey: ['result-import-mapping'] });
      void navigate(`/xet-nghiem/nhap-tep/${job.id}`, { state: { replay: !!job.replay } });
    },
  });

  const submit = () => {
    setTried(true);
    if (!file || missing.size) return;
    upload.mutate();
  };

  // What the mapped column holds in the file's first row: "Ví dụ: 12/03/2026".
  const example = (f: ImportField) => {
    const key = mapping[f];
    const v = key ? fileSample?.rows.find((r) => r[key])?.[key] : undefined;
    return v ? tt('imports.example', { value: v }) : undefined;
  };
  const options = (headers ?? []).map((h) => ({ value: h.key, label: h.label }));
  // the chosen file's layout's saved mapping, else as many of the latest saved one's columns as
  // this file has (what is really pre-filled)
  const own = saved.data?.mappings?.find((m) => m.layout === layout)?.mapping;
  const fileKeys = new Set((headers ?? []).map((h) => h.key));
  const savedCount = own
    ? Object.keys(own).length
    : Object.values(saved.data?.mapping ?? {}).filter((k) => !headers || fileKeys.has(String(k)))
        .length;
  const items = past.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack>
      <div>
        <Title order={2}>{tt('imports.title')}</Title>
        <Text c="dimmed" size="sm">
          {tt('imports.subtitle')}
        </Text>
      </div>

      <Paper withBorder p="sm" radius="md">
        <Stack>
          <Text fw={600}>{tt('imports.step1')}</Text>
          <FileInput
            label={tt('imports.file')}
            description={tt('imports.fileHint')}
            placeholder={tt('imports.filePlaceholder')}
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            value={file}
            onChange={(f) => void choose(f)}
            clearable
            disabled={saved.isLoading}
            error={tried && !file ? tt('imports.fileRequired') : undefined}
            data-testid="import-file"
          />
          {readError && (
            <Alert color="red" variant="light">
              {tt('imports.unreadable')}
            </Alert>
          )}
          {saved.data && (
            <Text size="sm" c="dimmed" data-testid="saved-mapping-note">
              {savedCount > 0
                ? tt('imports.savedMapping', { count: savedCount })
                : tt('imports.noSavedMapping')}
            </Text>
          )}
        </Stack>
      </Paper>

      {headers && (
        <Paper withBorder p="sm" radius="md" data-testid="mapping">
          <Stack>
            <div>
              <Text fw={600}>{tt('imports.step2')}</Text>
              <Text size="sm" c="dimmed">
                {tt('imports.mappingHint', { count: headers.length })}
              </Text>
            </div>
            {fileSample && <ImportPreview sample={fileSample} mapping={mapping} />}
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              {IMPORT_FIELDS.map((f) => (
                <Select
                  key={f}
                  label={codeLabel(tt, 'field', f)}
                  placeholder={tt('imports.notInFile')}
                  data={options}
                  value={mapping[f] ?? null}
                  onChange={(v) => setMapping((m) => ({ ...m, [f]: v ?? undefined }))}
                  clearable
                  searchable
                  withAsterisk={REQUIRED.includes(f)}
                  description={example(f)}
                  error={
                    tried && missing.has(f)
                      ? REQUIRED.includes(f)
                        ? tt('imports.required')
                        : tt('imports.identityRequired')
                      : undefined
                  }
                  comboboxProps={{ withinPortal: true }}
                />
              ))}
            </SimpleGrid>
            <ErrorAlert error={upload.error} showFields />
            <Button onClick={submit} loading={upload.isPending} size="md">
              {tt('imports.upload')}
            </Button>
          </Stack>
        </Paper>
      )}

      <Stack gap="xs">
        <Title order={3} size="h4">
          {tt('imports.past')}
        </Title>
        {past.isLoading ? (
          <Loading />
        ) : items.length === 0 ? (
          <Empty>{tt('imports.noPast')}</Empty>
        ) : (
          <Stack gap="xs" data-testid="past-imports">
            {items.map((j) => (
              <Paper key={j.id} withBorder p="xs" radius="sm">
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Stack gap={2} miw={0}>
                    <Anchor
                      component={Link}
                      to={`/xet-nghiem/nhap-tep/${j.id}`}
                      fw={600}
                      style={{ overflowWrap: 'anywhere' }}
                    >
                      {j.fileName}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {formatDateTime(j.createdAt)}
                    </Text>
                    <Text size="xs">
                      {tt('imports.summary', {
                        accepted: formatNumber(j.counts.accepted),
                        rejected: formatNumber(j.counts.rejected),
                        positives: formatNumber(j.counts.positives),
                      })}
                    </Text>
                  </Stack>
                  <Badge
                    color={IMPORT_STATUS_COLOR[j.status]}
                    variant="light"
                    style={{ flexShrink: 0 }}
                  >
                    {codeLabel(tt, 'importStatus', j.status)}
                  </Badge>
                </Group>
              </Paper>
            ))}
            <LoadMore
              hasMore={!!past.hasNextPage}
              loading={past.isFetchingNextPage}
              onMore={() => void past.fetchNextPage()}
            />
          </Stack>
        )}
      </Stack>
    </Stack>
  );
}
