/**
 * /chot — recording people at a checkpoint (airport, border post) or guests at a lodging.
 *
 * Offline first: a declaration QR's signature is checked on the device against the province's
 * public key (cached), so a forged code is refused without a connection; every entry gets a
 * UUID made here and goes into the IndexedDB outbox before anything is sent; the outbox sends
 * it when there is a connection and the result (the classification, with its explanation)
 * appears when the server answers.
 */
import {
  Alert,
  Badge,
  Box,
  Button,
  Collapse,
  Divider,
  Group,
  Loader,
  Modal,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeclarationQrPayload } from '../../domain/declaration.ts';
import { api, ApiError, qs, type Page } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate, formatDateTime } from '../format.ts';
import { uuid } from '../util.ts';
import {
  ACTION_COLORS,
  ActionBadge,
  EMPTY_PATH,
  formatTime,
  UnitCascade,
  useToday,
  type UnitPath,
} from './components.tsx';
import { DeclarationForm, emptyDraft, type DeclarationDraft } from './DeclarationForm.tsx';
import { useOfflineReady, useOfflineSupport, useOnline } from './offline.ts';
import {
  outbox,
  refusalText,
  useOnSent,
  useOutbox,
  type OutboxItem,
  type SentEvent,
} from './outbox.ts';
import { OutboxPanel } from './OutboxPanel.tsx';
import {
  cachedDeclarationKey,
  canVerifyOnDevice,
  checkScannedText,
  refreshDeclarationKey,
} from './qr.ts';
import { QrImageButton, QrScanModal } from './scan.tsx';
import { MatchPanel } from './MatchPanel.tsx';
import { noPastRecord, PastRecordFields, pastRecordBody, type PastRecord } from './PastRecord.tsx';
import type { DeclarationBody, Entry, EntryBody } from './types.ts';

type Subject =
  | { kind: 'qr'; qr: string; payload: DeclarationQrPayload; verified: boolean }
  | { kind: 'code'; code: string }
  | { kind: 'idNumber'; idNumber: string }
  | { kind: 'declaration'; body: DeclarationBody; draft: DeclarationDraft };

interface Details {
  direction: 'in' | 'out';
  plate: string;
  vehicleType: string | null;
  companions: number;
  rapidTest: 'none' | 'negative' | 'positive';
  otherDestination: boolean;
  destination: UnitPath;
  destinationAddress: string;
  /** A passage from the checkpoint's paper book (issue 13 item 7). */
  past?: PastRecord;
}

const emptyDetails = (): Details => ({
  direction: 'in',
  plate: '',
  vehicleType: null,
  companions: 0,
  rapidTest: 'none',
  otherDestination: false,
  destination: EMPTY_PATH,
  destinationAddress: '',
  past: noPastRecord(),
});

/** What an outbox item keeps to open the form again. */
interface EntryDraft {
  subject: Subject;
  details: Details;
  at: string;
}

const VEHICLE_TYPES = ['car', 'coach', 'truck', 'motorbike', 'other'] as const;
const CODE_RE = /^[0-9A-HJKMNP-TV-Z]{8}$/;

/** Declaration codes use Crockford's alphabet: O reads as 0, I and L as 1. */
export const normaliseCode = (text: string) =>
  text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');

function subjectName(s: Subject): string | null {
  switch (s.kind) {
    case 'qr':
      return s.payload.n;
    case 'declaration':
      return s.body.person.fullName;
    default:
      return null;
  }
}

function useSubjectLabel() {
  const { t } = useTranslation();
  return (s: Subject) => {
    switch (s.kind) {
      case 'qr':
        return `${s.payload.n} (${s.payload.y}) · ${s.payload.c}`;
      case 'code':
        return t('entry.checkpoint.byCode', { code: s.code });
      case 'idNumber':
        return t('entry.checkpoint.byId', { id: s.idNumber });
      case 'declaration':
        return `${s.body.person.fullName} (${s.body.person.birthYear}) · ${t('entry.checkpoint.declaredHere')}`;
    }
  };
}

/** The measure decided for an arrival: the coloured badge, the explanation, the dates. */
export function ClassificationView({ entry }: { entry: Entry }) {
  const { t, i18n } = useTranslation();
  const c = entry.classification;
  if (!c) return null;
  const a = c.automatic;
  return (
    <Stack gap="xs" data-testid="classification">
      <Group gap="xs">
        <ActionBadge action={c.action} size="xl" radius="sm" data-testid="classification-action" />
        {entry.fromEpidemicArea && (
          <Badge color="red" variant="light" tt="none">
            {t('entry.checkpoint.fromEpidemicArea', { level: entry.originLevel ?? '?' })}
          </Badge>
        )}
      </Group>
      <Text data-testid="classification-explanation">
        {i18n.language === 'en' ? c.explanation.en : c.explanation.vi}
      </Text>
      {i18n.language === 'en' && (
        <Text size="sm" c="dimmed" lang="vi">
          {c.explanation.vi}
        </Text>
      )}
      {(a.quarantineEnds || a.monitoringEnds || a.testDates.length > 0) && (
        <Stack gap={2}>
          {a.quarantineEnds && (
            <Text size="sm">
              {t('entry.followUps.quarantineEnds')}: <b>{formatDate(a.quarantineEnds)}</b>
            </Text>
          )}
          {a.monitoringEnds && (
            <Text size="sm">
              {t('entry.followUps.monitoringEnds')}: <b>{formatDate(a.monitoringEnds)}</b>
            </Text>
          )}
          {a.testDates.length > 0 && (
            <Text size="sm">
              {t('entry.followUps.tests')}: {a.testDates.map(formatDate).join(', ')}
            </Text>
          )}
        </Stack>
      )}
      {c.legalBasis && (
        <Text size="xs" c="dimmed">
          {t('entry.checkpoint.legalBasis')}: {c.legalBasis.number} ({formatDate(c.legalBasis.date)}
          ) — {c.legalBasis.title}
        </Text>
      )}
      {c.override && (
        <Alert color="gray" variant="light" p="xs">
          {t('entry.checkpoint.overridden', { by: c.override.by, reason: c.override.reason })}
        </Alert>
      )}
    </Stack>
  );
}

/** The answer to the last entry submitted: sent (with its result), waiting, or refused. */
function LastResult({
  clientId,
  label,
  items,
  lodging,
  onEdit,
}: {
  clientId: string;
  label: string;
  items: OutboxItem[];
  lodging: boolean;
  onEdit: (item: OutboxItem) => void;
}) {
  const { t } = useTranslation();
  const online = useOnline();
  const sent = outbox.sent.get(clientId) as Entry | undefined;
  const item = items.find((i) => i.clientId === clientId);
  const detail = useQuery({
    queryKey: ['entry', sent?.id],
    queryFn: () => api<Entry>(`/api/v1/entries/${sent!.id}`),
    enabled: !!sent?.id,
    staleTime: 60_000,
  });
  if (sent) {
    const name = detail.data?.person?.fullName;
    return (
      <Paper
        withBorder
        radius="md"
        p="md"
        data-testid="entry-result"
        style={{
          borderLeft: `6px solid var(--mantine-color-${
            sent.classification ? ACTION_COLORS[sent.classification.action] : 'teal'
          }-6)`,
        }}
      >
        <Stack gap="sm">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <div>
              <Text fw={700} size="lg">
                {name ?? label}
              </Text>
              <Text size="sm" c="dimmed">
                {formatDateTime(sent.at)} ·{' '}
                {t(
                  lodging
                    ? sent.direction === 'in'
                      ? 'entry.checkpoint.checkIn'
                      : 'entry.checkpoint.checkOut'
                    : sent.direction === 'in'
                      ? 'entry.checkpoint.in'
                      : 'entry.checkpoint.out',
                )}
              </Text>
            </div>
            <Badge color="teal" variant="light" tt="none" style={{ flexShrink: 0 }}>
              {sent.replay ? t('entry.checkpoint.replayed') : t('entry.checkpoint.recorded')}
            </Badge>
          </Group>
          {sent.classification ? (
            <ClassificationView entry={sent} />
          ) : (
            <Text size="sm">{t('entry.checkpoint.noClassification')}</Text>
          )}
          {sent.followUpId && (
            <Text size="sm" c="teal.8">
              {t('entry.checkpoint.followUpCreated')}
            </Text>
          )}
          {sent.registryMatch === 'pending' && sent.declarationCode && (
            <MatchPanel code={sent.declarationCode} />
          )}
        </Stack>
      </Paper>
    );
  }
  if (item?.status === 'error') {
    return (
      <Alert
        color="red"
        variant="light"
        title={t('entry.outbox.refused')}
        data-testid="entry-result"
      >
        <Text size="sm">{label}</Text>
        <Text size="sm" fw={600}>
          {refusalText(item.lastError)}
        </Text>
        {item.draft !== undefined && (
          <Button size="xs" mt="xs" variant="white" onClick={() => onEdit(item)}>
            {t('entry.outbox.edit')}
          </Button>
        )}
      </Alert>
    );
  }
  if (item) {
    return (
      <Alert
        color={online ? 'blue' : 'yellow'}
        variant="light"
        title={online ? t('entry.checkpoint.sending') : t('entry.checkpoint.savedOffline')}
        icon={online ? <Loader size="xs" /> : undefined}
        data-testid="entry-result"
      >
        <Text size="sm">{label}</Text>
        {!online && <Text size="sm">{t('entry.checkpoint.savedOfflineText')}</Text>}
      </Alert>
    );
  }
  return null;
}

/** Today's entries at this site, newest first (from the server: sent ones only). */
function TodayList({ lodging }: { lodging: boolean }) {
  const { t, i18n } = useTranslation();
  const today = useToday();
  const online = useOnline();
  const [open, setOpen] = useState<string | null>(null);
  const list = useInfiniteQuery({
    queryKey: ['entries', 'site', today],
    queryFn: ({ pageParam }) =>
      api<Page<Entry>>(`/api/v1/entries${qs({ date: today, cursor: pageParam, limit: 50 })}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 10_000,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const dirLabel = (d: 'in' | 'out') =>
    t(
      lodging
        ? d === 'in'
          ? 'entry.checkpoint.checkIn'
          : 'entry.checkpoint.checkOut'
        : d === 'in'
          ? 'entry.checkpoint.in'
          : 'entry.checkpoint.out',
    );
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3} size="h4">
          {t('entry.checkpoint.todayTitle', { date: formatDate(today) })}
        </Title>
        {list.data && (
          <Badge variant="light" color="gray" tt="none" data-testid="today-count">
            {rows.length}
            {list.hasNextPage ? '+' : ''}
          </Badge>
        )}
      </Group>
      {list.isError && online && <ErrorAlert error={list.error} />}
      {!list.data && !online ? (
        <Text c="dimmed" size="sm">
          {t('entry.checkpoint.todayOffline')}
        </Text>
      ) : list.isPending ? (
        <Loader size="sm" />
      ) : rows.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('entry.checkpoint.todayEmpty')}
        </Text>
      ) : (
        <Stack gap={6} data-testid="today-entries">
          {rows.map((e) => (
            <Paper
              key={e.id}
              withBorder
              radius="md"
              p="xs"
              onClick={() => setOpen(open === e.id ? null : e.id)}
              style={{ cursor: e.classification ? 'pointer' : undefined }}
              data-testid="today-entry"
            >
              <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
                <Box miw={0}>
                  <Text fw={600} size="sm" truncate="end">
                    {e.person?.fullName ?? '—'}
                    {e.person ? ` (${e.person.birthYear})` : ''}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {formatTime(e.at)} · {dirLabel(e.direction)}
                    {e.vehicle ? ` · ${e.vehicle.plate}` : ''}
                    {e.companions ? ` · +${e.companions}` : ''}
                  </Text>
                </Box>
                {e.classification && (
                  <ActionBadge action={e.classification.action} style={{ flexShrink: 0 }} />
                )}
              </Group>
              {e.classification && (
                <Collapse expanded={open === e.id}>
                  <Text size="sm" mt={6}>
                    {i18n.language === 'en'
                      ? e.classification.explanation.en
                      : e.classification.explanation.vi}
                  </Text>
                </Collapse>
              )}
            </Paper>
          ))}
        </Stack>
      )}
      {list.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void list.fetchNextPage()}
          loading={list.isFetchingNextPage}
        >
          {t('common.loadMore')}
        </Button>
      )}
    </Stack>
  );
}

export function CheckpointPage() {
  const { t } = useTranslation();
  const me = useMe();
  const lodging = me.siteKind === 'lodging';
  const phone = useMediaQuery('(max-width: 36em)');
  const queryClient = useQueryClient();
  useOfflineSupport();
  const box = useOutbox(me.id);
  const online = useOnline();
  const offlineReady = useOfflineReady();
  const subjectLabel = useSubjectLabel();

  const [key, setKey] = useState(cachedDeclarationKey);
  useEffect(() => {
    if (!online) return;
    let live = true;
    void refreshDeclarationKey().then((k) => live && k && setKey(k));
    return () => {
      live = false;
    };
  }, [online]);

  const [subject, setSubject] = useState<Subject | null>(null);
  const [details, setDetails] = useState<Details>(emptyDetails);
  const [editing, setEditing] = useState<OutboxItem | null>(null);
  const [scanning, setScanning] = useState(false);
  const [checking, setChecking] = useState(false);
  const [scanError, setScanError] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [manualError, setManualError] = useState<{ code?: string; id?: string }>({});
  const [declaring, setDeclaring] = useState(false);
  const [declDraft, setDeclDraft] = useState<DeclarationDraft>(() =>
    emptyDraft(me.scope.provinceCode),
  );
  const [declError, setDeclError] = useState<unknown>(null);
  const [last, setLast] = useState<{ clientId: string; label: string } | null>(null);

  // A sent entry changes today's list.
  const onSent = useCallback(
    (e: SentEvent) => {
      if (e.item.kind === 'entry') void queryClient.invalidateQueries({ queryKey: ['entries'] });
    },
    [queryClient],
  );
  useOnSent(onSent);

  const refuse = (reason: string, payload?: DeclarationQrPayload) => {
    const who = payload ? `${payload.n} (${payload.y}), ${payload.c}` : '';
    switch (reason) {
      case 'forged':
        return t('entry.scan.forged');
      case 'expired':
        return t('entry.scan.expired', { date: payload ? formatDate(payload.e) : '', who });
      case 'province':
        return t('entry.scan.otherProvince');
      default:
        return t('entry.scan.unreadable');
    }
  };

  const onScanned = async (text: string) => {
    setScanError(null);
    setLast(null);
    setChecking(true);
    try {
      let check = await checkScannedText(text, key);
      if (check.kind === 'refused' && check.reason === 'forged' && navigator.onLine) {
        // The province may have changed its key: fetch it once and check again.
        const fresh = await refreshDeclarationKey();
        if (fresh) {
          setKey(fresh);
          check = await checkScannedText(text, fresh);
        }
      }
      if (check.kind === 'declaration') {
        setSubject({ kind: 'qr', qr: check.qr, payload: check.payload, verified: check.verified });
      } else if (check.kind === 'national') {
        setIdNumber(check.national.idNumber);
        setScanError(t('entry.scan.national', { name: check.national.name }));
      } else {
        setScanError(refuse(check.reason, check.payload));
      }
    } finally {
      setChecking(false);
    }
  };

  const takeCode = () => {
    const c = normaliseCode(code);
    if (!CODE_RE.test(c)) {
      setManualError({ code: t('entry.checkpoint.codeInvalid') });
      return;
    }
    setManualError({});
    setScanError(null);
    setLast(null);
    setSubject({ kind: 'code', code: c });
  };
  const takeId = () => {
    const id = idNumber.toUpperCase().replace(/[\s.-]/g, '');
    if (id.length < 6) {
      setManualError({ id: t('entry.checkpoint.idInvalid') });
      return;
    }
    setManualError({});
    setScanError(null);
    setLast(null);
    setSubject({ kind: 'idNumber', idNumber: id });
  };

  const reset = () => {
    setSubject(null);
    setDetails(emptyDetails());
    setEditing(null);
    setCode('');
    setIdNumber('');
    setScanError(null);
    setDeclDraft(emptyDraft(me.scope.provinceCode));
    setDeclError(null);
  };

  /** Another person (or, correcting a refused entry, the right code): keeps the details. */
  const changeSubject = () => {
    setSubject(null);
    setScanError(null);
    setCode('');
    setIdNumber('');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!subject) return;
    const clientId = editing?.clientId ?? uuid();
    const at = (editing?.draft as EntryDraft | undefined)?.at ?? new Date().toISOString();
    const d = details;
    const body: EntryBody = {
      clientId,
      at,
      direction: d.direction,
      companions: d.companions || 0,
      ...pastRecordBody(d.past),
    };
    if (subject.kind === 'qr') body.qr = subject.qr;
    if (subject.kind === 'code') body.declarationCode = subject.code;
    if (subject.kind === 'idNumber') body.idNumber = subject.idNumber;
    if (subject.kind === 'declaration') body.declaration = subject.body;
    if (!lodging && d.plate.trim())
      body.vehicle = { plate: d.plate.trim(), type: d.vehicleType ?? undefined };
    if (!lodging && d.rapidTest !== 'none') body.rapidTest = { result: d.rapidTest };
    if (!lodging && d.otherDestination && d.destination.communeCode)
      body.destination = {
        communeCode: d.destination.communeCode,
        address: d.destinationAddress.trim() || undefined,
      };
    const dir = t(
      lodging
        ? d.direction === 'in'
          ? 'entry.checkpoint.checkIn'
          : 'entry.checkpoint.checkOut'
        : d.direction === 'in'
          ? 'entry.checkpoint.in'
          : 'entry.checkpoint.out',
    );
    const label = `${subjectLabel(subject)} · ${dir}`;
    const draft: EntryDraft = { subject, details: d, at };
    await outbox.add({
      clientId,
      kind: 'entry',
      url: '/api/v1/entries',
      body: body as unknown as Record<string, unknown>,
      label,
      draft,
      createdAt: editing?.createdAt,
    });
    setLast({ clientId, label });
    reset();
    window.scrollTo({ top: 0, behavior: 'smooth' });
  };

  /** Opens a refused entry again, with the server's messages under the inputs. */
  const edit = (item: OutboxItem) => {
    const draft = item.draft as EntryDraft | undefined;
    if (!draft) return;
    setEditing(item);
    setSubject(draft.subject);
    setDetails(draft.details);
    if (draft.subject.kind === 'declaration') {
      setDeclDraft(draft.subject.draft);
      setDeclError(
        item.lastError
          ? new ApiError(
              item.lastError.status,
              'validation',
              item.lastError.message,
              item.lastError.fields,
            )
          : null,
      );
    }
    setLast(null);
    window.scrollTo({ top: 0, behavior: 'smooth' });
  };

  const fieldError = (path: string) =>
    editing?.lastError?.fields.find((f) => f.path === path)?.message;
  const dirOptions = lodging
    ? [
        { value: 'in', label: t('entry.checkpoint.checkIn') },
        { value: 'out', label: t('entry.checkpoint.checkOut') },
      ]
    : [
        { value: 'in', label: t('entry.checkpoint.in') },
        { value: 'out', label: t('entry.checkpoint.out') },
      ];
  const pending = box.items.length;
  const title = lodging ? t('entry.checkpoint.lodgingTitle') : t('entry.checkpoint.title');

  return (
    <Stack maw={720} gap="md">
      <div>
        <Title order={2}>{title}</Title>
        <Text size="sm" c="dimmed">
          {me.scopeLabel}
        </Text>
      </div>

      <Group gap="xs" data-testid="checkpoint-status">
        <Badge color={online ? 'teal' : 'gray'} variant="dot" tt="none">
          {online ? t('entry.outbox.online') : t('entry.outbox.offline')}
        </Badge>
        <Badge
          color={pending ? 'orange' : 'teal'}
          variant="light"
          tt="none"
          data-testid="outbox-count"
        >
          {t('entry.outbox.unsent', { count: pending })}
        </Badge>
        {offlineReady && (
          <Badge color="teal" variant="outline" tt="none" data-testid="offline-ready">
            {t('entry.outbox.offlineReady')}
          </Badge>
        )}
        {!canVerifyOnDevice() ? (
          <Badge color="yellow" variant="light" tt="none">
            {t('entry.scan.noWebCrypto')}
          </Badge>
        ) : !key ? (
          <Badge color="yellow" variant="light" tt="none">
            {t('entry.scan.noKey')}
          </Badge>
        ) : null}
      </Group>

      {last && (
        <LastResult
          clientId={last.clientId}
          label={last.label}
          items={box.items}
          lodging={lodging}
          onEdit={edit}
        />
      )}

      {editing && (
        <Alert color="orange" variant="light" title={t('entry.outbox.editing')}>
          {refusalText(editing.lastError)}
        </Alert>
      )}

      {!subject ? (
        <Paper withBorder radius="md" p={{ base: 'sm', sm: 'md' }}>
          <Stack gap="sm">
            <Title order={3} size="h4">
              {lodging ? t('entry.checkpoint.whoGuest') : t('entry.checkpoint.who')}
            </Title>
            <Button size="xl" fullWidth onClick={() => setScanning(true)} loading={checking}>
              {t('entry.checkpoint.scan')}
            </Button>
            <QrImageButton
              variant="light"
              size="md"
              fullWidth
              testId="qr-image-input"
              onText={(text) => void onScanned(text)}
              onNotFound={() => setScanError(t('entry.scan.noQr'))}
            >
              {t('entry.scan.chooseImage')}
            </QrImageButton>
            {scanError && (
              <Alert
                color="red"
                variant="filled"
                role="alert"
                title={t('entry.scan.refusedTitle')}
                data-testid="scan-error"
              >
                {scanError}
              </Alert>
            )}
            <Divider label={t('entry.checkpoint.orType')} labelPosition="center" />
            <Group align="flex-end" gap="xs" wrap="nowrap">
              <TextInput
                label={t('entry.checkpoint.code')}
                placeholder="F9JZXRBZ"
                value={code}
                onChange={(e) => setCode(e.currentTarget.value.toUpperCase())}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    takeCode();
                  }
                }}
                error={manualError.code}
                maxLength={10}
                autoCapitalize="characters"
                autoComplete="off"
                styles={{ input: { fontFamily: 'monospace', letterSpacing: '0.1em' } }}
                style={{ flex: 1 }}
              />
              <Button variant="default" onClick={takeCode} mb={manualError.code ? 22 : 0}>
                {t('entry.checkpoint.use')}
              </Button>
            </Group>
            <Group align="flex-end" gap="xs" wrap="nowrap">
              <TextInput
                label={t('entry.checkpoint.idNumber')}
                value={idNumber}
                onChange={(e) => setIdNumber(e.currentTarget.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    takeId();
                  }
                }}
                error={manualError.id}
                inputMode="text"
                autoComplete="off"
                style={{ flex: 1 }}
              />
              <Button variant="default" onClick={takeId} mb={manualError.id ? 22 : 0}>
                {t('entry.checkpoint.use')}
              </Button>
            </Group>
            <Button variant="outline" fullWidth onClick={() => setDeclaring(true)}>
              {t('entry.checkpoint.declareHere')}
            </Button>
          </Stack>
        </Paper>
      ) : (
        <Paper withBorder radius="md" p={{ base: 'sm', sm: 'md' }}>
          <form onSubmit={(e) => void submit(e)} noValidate data-testid="entry-form">
            <Stack gap="sm">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Box miw={0}>
                  <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                    {lodging ? t('entry.checkpoint.guest') : t('entry.checkpoint.person')}
                  </Text>
                  <Text fw={700} size="lg" data-testid="subject">
                    {subjectName(subject) ?? subjectLabel(subject)}
                  </Text>
                  {subject.kind === 'qr' && (
                    <Text size="sm" c="dimmed">
                      {t('entry.checkpoint.qrLine', {
                        year: subject.payload.y,
                        code: subject.payload.c,
                        date: formatDate(subject.payload.e),
                      })}
                    </Text>
                  )}
                  {subject.kind === 'declaration' && (
                    <Text size="sm" c="dimmed">
                      {t('entry.checkpoint.declaredHere')}
                    </Text>
                  )}
                </Box>
                <Button
                  variant="subtle"
                  size="xs"
                  onClick={changeSubject}
                  style={{ flexShrink: 0 }}
                >
                  {t('entry.checkpoint.change')}
                </Button>
              </Group>
              {subject.kind === 'qr' &&
                (subject.verified ? (
                  <Badge color="teal" variant="light" tt="none" data-testid="qr-verified">
                    {t('entry.scan.verified')}
                  </Badge>
                ) : (
                  <Alert color="yellow" variant="light" p="xs">
                    {t('entry.scan.unverified')}
                  </Alert>
                ))}
              {subject.kind === 'declaration' && (
                <Button variant="light" size="xs" onClick={() => setDeclaring(true)}>
                  {t('entry.checkpoint.editDeclaration')}
                </Button>
              )}
              {(fieldError('qr') ?? fieldError('declarationCode') ?? fieldError('idNumber')) && (
                <Alert color="red" variant="light" p="xs">
                  {fieldError('qr') ?? fieldError('declarationCode') ?? fieldError('idNumber')}
                </Alert>
              )}

              <SegmentedControl
                fullWidth
                size="md"
                value={details.direction}
                onChange={(v) => setDetails({ ...details, direction: v as 'in' | 'out' })}
                data={dirOptions}
                aria-label={t('entry.checkpoint.direction')}
                data-testid="direction"
              />
              {!lodging && (
                <Group grow align="flex-start" gap="xs">
                  <TextInput
                    label={t('entry.checkpoint.plate')}
                    placeholder="27A-123.45"
                    value={details.plate}
                    onChange={(e) =>
                      setDetails({ ...details, plate: e.currentTarget.value.toUpperCase() })
                    }
                    error={fieldError('vehicle.plate')}
                    autoCapitalize="characters"
                    autoComplete="off"
                  />
                  <Select
                    label={t('entry.checkpoint.vehicleType')}
                    placeholder={t('entry.unit.pick')}
                    data={VEHICLE_TYPES.map((v) => ({
                      value: v,
                      label: t(`entry.vehicle.${v}`),
                    }))}
                    value={details.vehicleType}
                    onChange={(vehicleType) => setDetails({ ...details, vehicleType })}
                    clearable
                  />
                </Group>
              )}
              <NumberInput
                label={lodging ? t('entry.checkpoint.guests') : t('entry.checkpoint.companions')}
                min={0}
                max={100}
                value={details.companions}
                onChange={(v) => setDetails({ ...details, companions: Number(v) || 0 })}
                error={fieldError('companions')}
                allowDecimal={false}
                allowNegative={false}
              />
              {!lodging && details.direction === 'in' && (
                <Stack gap={4}>
                  <Text size="sm" fw={500}>
                    {t('entry.checkpoint.rapidTest')}
                  </Text>
                  <SegmentedControl
                    fullWidth
                    value={details.rapidTest}
                    onChange={(v) =>
                      setDetails({ ...details, rapidTest: v as Details['rapidTest'] })
                    }
                    data={[
                      { value: 'none', label: t('entry.checkpoint.noTest') },
                      { value: 'negative', label: t('entry.result.negative') },
                      { value: 'positive', label: t('entry.result.positive') },
                    ]}
                    color={
                      details.rapidTest === 'positive'
                        ? 'red'
                        : details.rapidTest === 'negative'
                          ? 'teal'
                          : undefined
                    }
                    aria-label={t('entry.checkpoint.rapidTest')}
                  />
                </Stack>
              )}
              {!lodging && (
                <>
                  <Switch
                    label={t('entry.checkpoint.otherDestination')}
                    checked={details.otherDestination}
                    onChange={(e) =>
                      setDetails({ ...details, otherDestination: e.currentTarget.checked })
                    }
                  />
                  {details.otherDestination && (
                    <>
                      <UnitCascade
                        value={
                          details.destination.provinceCode
                            ? details.destination
                            : { ...EMPTY_PATH, provinceCode: me.scope.provinceCode }
                        }
                        onChange={(destination) => setDetails({ ...details, destination })}
                        errors={{ commune: fieldError('destination.communeCode') }}
                      />
                      <TextInput
                        label={t('entry.declare.toAddress')}
                        value={details.destinationAddress}
                        onChange={(e) =>
                          setDetails({ ...details, destinationAddress: e.currentTarget.value })
                        }
                      />
                    </>
                  )}
                </>
              )}
              <PastRecordFields
                value={details.past ?? noPastRecord()}
                onChange={(past) => setDetails({ ...details, past })}
                errors={{
                  at: fieldError('at') ?? undefined,
                  backdateReason: fieldError('backdateReason') ?? undefined,
                }}
              />
              {fieldError('at') && !details.past?.on && (
                <Alert color="red" variant="light" p="xs">
                  {fieldError('at')}
                </Alert>
              )}
              <Button type="submit" size="xl" fullWidth>
                {editing ? t('entry.checkpoint.resubmit') : t('entry.checkpoint.submit')}
              </Button>
              <Text size="xs" c="dimmed" ta="center">
                {online
                  ? t('entry.checkpoint.submitHint')
                  : t('entry.checkpoint.submitHintOffline')}
              </Text>
            </Stack>
          </form>
        </Paper>
      )}

      <OutboxPanel
        items={box.items}
        needsLogin={box.needsLogin}
        syncing={box.syncing}
        onEdit={edit}
      />

      <TodayList lodging={lodging} />

      <QrScanModal
        opened={scanning}
        onClose={() => setScanning(false)}
        onText={(text) => void onScanned(text)}
        title={t('entry.checkpoint.scanTitle')}
      />
      <Modal
        opened={declaring}
        onClose={() => setDeclaring(false)}
        title={t('entry.checkpoint.declareHere')}
        fullScreen={!!phone}
        size="xl"
      >
        <DeclarationForm
          mode="checkpoint"
          draft={declDraft}
          onDraft={setDeclDraft}
          error={declError}
          errorPrefix="declaration."
          submitLabel={t('entry.checkpoint.useDeclaration')}
          onSubmit={(body) => {
            setSubject({ kind: 'declaration', body, draft: declDraft });
            setDeclError(null);
            setLast(null);
            setDeclaring(false);
          }}
        />
      </Modal>
    </Stack>
  );
}
