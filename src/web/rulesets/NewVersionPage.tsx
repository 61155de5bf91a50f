/**
 * /quy-tac/:id/phien-ban-moi — a new version from an existing one: its id, name, legal basis and
 * validity; for the arrival classification the thresholds and every rule's measure as fields, for
 * other kinds the definition as JSON. The server's errors show beside the fields they name.
 * Preview (arrivals): what it would have decided last week. Save: once, whatever the retries.
 */
import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  List,
  Loader,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate, parseDisplayDate } from '../format.ts';
import { fieldErrors, unshownFields, uuid } from '../util.ts';
import { useRT } from './t.ts';
import type { PreviewAnswer, SavedVersion, VersionDetail } from './types.ts';

type Json = Record<string, unknown>;
type Rule = { id: string; then: Json; when: Json };
const HEADER = ['id', 'kind', 'name', 'legalBasis', 'validFrom', 'validTo', 'confidence'];
const ACTIONS = [
  'centralised_quarantine',
  'home_quarantine',
  'self_monitoring',
  'test_at_checkpoint',
  'none',
] as const;
const todayVn = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
const addDay = (iso: string) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const isoOf = (text: string) => parseDisplayDate(text) ?? text;
/** The error paths a field of this page shows beside it; the others are listed below. */
const SHOWN =
  /^definition\.(id|name|legalBasis\.(number|date|title)|validFrom|validTo|confidence|notes|definitions\.(fullyVaccinatedAfterDays|epidemicAreaMinLevel)|rules\[\d+\]\.then(\.(action|quarantineDays|monitoringDays|testDays|explanation\.(vi|en)))?)$/;

export function NewVersionPage() {
  const { id = '' } = useParams();
  const base = useQuery({
    queryKey: ['rule-set', id],
    queryFn: () => api<VersionDetail>(`/api/v1/rule-sets/${encodeURIComponent(id)}`),
  });
  if (base.isLoading) return <Loader />;
  if (!base.data) return <ErrorAlert error={base.error} />;
  return <Editor base={base.data} />;
}

function Editor({ base }: { base: VersionDetail }) {
  const { rt, bi } = useRT();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const from = addDay(todayVn());
  const autoId = (start: string) => `${base.kind.replace(/_/g, '-')}-${start}`;
  const [draft, setDraft] = useState<Json>(() => ({
    ...structuredClone(base.definition),
    id: autoId(from),
    legalBasis: { number: '', date: todayVn(), title: '' },
    validFrom: from,
    validTo: null,
  }));
  const [dates, setDates] = useState({
    validFrom: formatDate(from),
    validTo: '',
    basisDate: formatDate(todayVn()),
  });
  const body = useMemo(
    () => Object.fromEntries(Object.entries(draft).filter(([k]) => !HEADER.includes(k))),
    // the JSON text is seeded once; later edits of it go through setBodyText
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
  const [bodyText, setBodyText] = useState(() => JSON.stringify(body, null, 2));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [clientId] = useState(uuid);
  const arrival = base.kind === 'arrival_classification';
  const set = (patch: Json) => setDraft((d) => ({ ...d, ...patch }));
  const basis = draft.legalBasis as Json;

  const preview = useMutation({
    mutationFn: () =>
      api<PreviewAnswer>(`/api/v1/rule-sets/${encodeURIComponent(base.id)}/preview`, {
        method: 'POST',
        body: { definition: draft },
      }),
  });
  const save = useMutation({
    mutationFn: () =>
      api<SavedVersion>('/api/v1/rule-sets', {
        method: 'POST',
        body: { clientId, kind: base.kind, definition: draft },
      }),
    onSuccess: (v) => {
      void qc.invalidateQueries({ queryKey: ['rule-sets'] });
      void qc.invalidateQueries({ queryKey: ['rule-set'] });
      notifications.show({
        color: 'teal',
        message: [
          rt('edit.saved', { id: v.id }),
          v.closed ? rt('edit.closed', { id: v.closed }) : '',
        ]
          .filter(Boolean)
          .join(' '),
      });
      void navigate(`/quy-tac/${v.id}`);
    },
  });
  const error = save.error ?? preview.error;
  const errs = fieldErrors(error);
  const field = (path: string) => errs[`definition.${path}`];
  const others = unshownFields(error, (path) => SHOWN.test(path));

  const rules = (arrival ? draft.rules : []) as Rule[];
  const setRule = (i: number, patch: Json) =>
    set({ rules: rules.map((r, j) => (j === i ? { ...r, then: { ...r.then, ...patch } } : r)) });
  const num = (v: string | number) => (typeof v === 'number' ? v : v === '' ? null : Number(v));

  const fields = (
    <>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={rt('edit.id')}
          value={String(draft.id ?? '')}
          onChange={(ev) => set({ id: ev.currentTarget.value })}
          error={field('id')}
        />
        <TextInput
          label={rt('edit.name')}
          value={String(draft.name ?? '')}
          onChange={(ev) => set({ name: ev.currentTarget.value })}
          error={field('name')}
        />
        <TextInput
          label={rt('edit.basisNumber')}
          value={String(basis.number ?? '')}
          onChange={(ev) => set({ legalBasis: { ...basis, number: ev.currentTarget.value } })}
          error={field('legalBasis.number')}
        />
        <TextInput
          label={rt('edit.basisDate')}
          value={dates.basisDate}
          inputMode="numeric"
          onChange={(ev) => {
            const text = ev.currentTarget.value;
            setDates((d) => ({ ...d, basisDate: text }));
            set({ legalBasis: { ...basis, date: isoOf(text) } });
          }}
          error={field('legalBasis.date')}
        />
      </SimpleGrid>
      <TextInput
        label={rt('edit.basisTitle')}
        value={String(basis.title ?? '')}
        onChange={(ev) => set({ legalBasis: { ...basis, title: ev.currentTarget.value } })}
        error={field('legalBasis.title')}
      />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <TextInput
          label={rt('edit.validFrom')}
          value={dates.validFrom}
          inputMode="numeric"
          onChange={(ev) => {
            const text = ev.currentTarget.value;
            setDates((d) => ({ ...d, validFrom: text }));
            // An id still as proposed follows the start date.
            setDraft((d) => ({
              ...d,
              validFrom: isoOf(text),
              ...(d.id === autoId(String(d.validFrom)) ? { id: autoId(isoOf(text)) } : {}),
            }));
          }}
          error={field('validFrom')}
        />
        <TextInput
          label={rt('edit.validTo')}
          value={dates.validTo}
          inputMode="numeric"
          onChange={(ev) => {
            const text = ev.currentTarget.value;
            setDates((d) => ({ ...d, validTo: text }));
            set({ validTo: text.trim() ? isoOf(text) : null });
          }}
          error={field('validTo')}
        />
        <Select
          label={rt('edit.confidence')}
          value={String(draft.confidence)}
          allowDeselect={false}
          data={[
            { value: 'sure', label: rt('edit.sure') },
            { value: 'reconstructed', label: rt('edit.reconstructedOpt') },
          ]}
          onChange={(v) => set({ confidence: v })}
          error={field('confidence')}
        />
      </SimpleGrid>
    </>
  );

  return (
    <Stack gap="md">
      <Anchor component={Link} to={`/quy-tac/${base.id}`} size="sm">
        ← {base.name}
      </Anchor>
      <Title order={2}>{rt('edit.title', { kind: bi(base.label) })}</Title>
      <Text size="sm" c="dimmed">
        {rt('edit.basedOn', { id: base.id })}
      </Text>
      {fields}
      {arrival && (
        <Textarea
          label={rt('edit.notes')}
          autosize
          minRows={2}
          maxRows={8}
          value={String(draft.notes ?? '')}
          onChange={(ev) => set({ notes: ev.currentTarget.value })}
          error={field('notes')}
        />
      )}
      {arrival ? (
        <ArrivalFields
          draft={draft}
          rules={rules}
          base={base}
          field={field}
          num={num}
          set={set}
          setRule={setRule}
        />
      ) : (
        <Textarea
          label={rt('edit.body')}
          autosize
          minRows={8}
          maxRows={24}
          styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
          value={bodyText}
          onChange={(ev) => {
            const text = ev.currentTarget.value;
            setBodyText(text);
            try {
              const parsed = JSON.parse(text) as Json;
              setJsonError(null);
              setDraft((d) => ({ ...Object.fromEntries(HEADER.map((k) => [k, d[k]])), ...parsed }));
            } catch (err) {
              setJsonError(rt('edit.badJson', { message: (err as Error).message }));
            }
          }}
          error={jsonError}
        />
      )}
      {error && <ErrorAlert error={error} />}
      {others.length > 0 && (
        <Alert color="red" variant="light" title={rt('edit.otherErrors')}>
          <List size="sm">
            {others.map((f) => (
              <List.Item key={f.path}>
                <code>{f.path}</code>: {f.message}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {preview.data && !preview.isPending && (
        <Card withBorder padding="sm" data-testid="preview">
          <Title order={4}>{rt('edit.previewTitle')}</Title>
          <List mt="xs">
            {preview.data.sentences.map((s) => (
              <List.Item key={s.en}>{bi(s)}</List.Item>
            ))}
          </List>
        </Card>
      )}
      <Group>
        {arrival && (
          <Button
            variant="light"
            mih={44}
            loading={preview.isPending}
            disabled={!!jsonError}
            onClick={() => {
              save.reset();
              preview.mutate();
            }}
          >
            {rt('edit.preview')}
          </Button>
        )}
        <Button
          mih={44}
          loading={save.isPending}
          disabled={!!jsonError}
          onClick={() => {
            preview.reset();
            save.mutate();
          }}
        >
          {rt('edit.save')}
        </Button>
      </Group>
    </Stack>
  );
}

/** The arrival classification's thresholds and each rule's measure, as fields. */
function ArrivalFields(p: {
  draft: Json;
  rules: Rule[];
  base: VersionDetail;
  field: (path: string) => string | undefined;
  num: (v: string | number) => number | null;
  set: (patch: Json) => void;
  setRule: (i: number, patch: Json) => void;
}) {
  const { rt, bi } = useRT();
  const defs = p.draft.definitions as Json;
  const words = new Map((p.base.words.rules ?? []).map((r) => [r.id, r]));
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <NumberInput
          label={rt('edit.fullyVaccinatedAfterDays')}
          value={defs.fullyVaccinatedAfterDays as number}
          onChange={(v) => p.set({ definitions: { ...defs, fullyVaccinatedAfterDays: p.num(v) } })}
          error={p.field('definitions.fullyVaccinatedAfterDays')}
        />
        <NumberInput
          label={rt('edit.epidemicAreaMinLevel')}
          value={defs.epidemicAreaMinLevel as number}
          onChange={(v) => p.set({ definitions: { ...defs, epidemicAreaMinLevel: p.num(v) } })}
          error={p.field('definitions.epidemicAreaMinLevel')}
        />
      </SimpleGrid>
      <Title order={4}>{rt('edit.rules')}</Title>
      {p.rules.map((r, i) => {
        const at = `rules[${i}].then`;
        const w = words.get(r.id);
        return (
          <Card key={r.id} withBorder padding="sm" data-testid={`edit-rule-${r.id}`}>
            <Text size="sm" fw={600}>
              {i + 1}. {w ? bi(w.when) : r.id}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 4 }} mt="xs">
              <Select
                label={rt('edit.action')}
                value={String(r.then.action)}
                allowDeselect={false}
                data={ACTIONS.map((a) => ({ value: a, label: rt(`actions.${a}`) }))}
                onChange={(v) => p.setRule(i, { action: v })}
                error={p.field(`${at}.action`) ?? p.field(at)}
              />
              <NumberInput
                label={rt('edit.quarantineDays')}
                value={r.then.quarantineDays as number}
                onChange={(v) => p.setRule(i, { quarantineDays: p.num(v) })}
                error={p.field(`${at}.quarantineDays`)}
              />
              <NumberInput
                label={rt('edit.monitoringDays')}
                value={r.then.monitoringDays as number}
                onChange={(v) => p.setRule(i, { monitoringDays: p.num(v) })}
                error={p.field(`${at}.monitoringDays`)}
              />
              <TextInput
                label={rt('edit.testDays')}
                defaultValue={(r.then.testDays as number[]).join(', ')}
                onChange={(ev) =>
                  p.setRule(i, {
                    testDays: ev.currentTarget.value
                      .split(/[,\s]+/)
                      .filter(Boolean)
                      .map(Number),
                  })
                }
                error={p.field(`${at}.testDays`)}
              />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs">
              {(['vi', 'en'] as const).map((lang) => (
                <Textarea
                  key={lang}
                  label={rt(`edit.explanation.${lang}`)}
                  autosize
                  minRows={2}
                  value={String((r.then.explanation as Json)[lang] ?? '')}
                  onChange={(ev) =>
                    p.setRule(i, {
                      explanation: {
                        ...(r.then.explanation as Json),
                        [lang]: ev.currentTarget.value,
                      },
                    })
                  }
                  error={p.field(`${at}.explanation.${lang}`)}
                />
              ))}
            </SimpleGrid>
          </Card>
        );
      })}
    </Stack>
  );
}
