/**
 * /chot — recording people at a checkpoint (airport, border post) or guests at a lodging.
 *
 * Offline first: a declaration QR's signature is checked on the device against the province's
 * public key (cached), so a forged code is refused without a connection; every entry gets a
 * UUID made here and goes into the IndexedDB outbox before anything is sent; the outbox sends
 * it when there is a connection. Offline, the phone classifies with the cached arrival rule set
 * and the same domain code as the server (provisional.ts) and shows the name the QR carries; the
 * server's decision replaces it when the entry is sent, highlighted where it differs.
 */
import { Alert, Badge, Box, Button, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeclarationQrPayload } from '../../domain/declaration.ts';
import { ApiError } from '../api.ts';
import { useMe } from '../auth.tsx';
import { formatDate, formatDateTime } from '../format.ts';
import { uuid } from '../util.ts';
import {
  emptyDetails,
  subjectName,
  useDirectionLabel,
  useSubjectLabel,
  type Details,
  type EntryDraft,
  type Subject,
} from './checkpoint-model.ts';
import { DeclarationForm, emptyDraft, type DeclarationDraft } from './DeclarationForm.tsx';
import { EntryDetailsFields } from './EntryDetailsFields.tsx';
import { LastResult } from './LastResult.tsx';
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
import { pastRecordBody } from './PastRecord.tsx';
import { cachedPack, classifyOnPhone, refreshPack, type Provisional } from './provisional.ts';
import {
  cachedDeclarationKey,
  canVerifyOnDevice,
  checkScannedText,
  refreshDeclarationKey,
} from './qr.ts';
import { QrScanModal } from './scan.tsx';
import { SubjectPicker } from './SubjectPicker.tsx';
import { OutboxEntryExtra, SyncedPanel, useSynced } from './SyncedPanel.tsx';
import { TodayList } from './TodayList.tsx';
import type { EntryBody } from './types.ts';

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
  const [pack, setPack] = useState(cachedPack);
  const dirLabel = useDirectionLabel(lodging);
  useEffect(() => {
    if (!online) return;
    let live = true;
    void refreshDeclarationKey().then((k) => live && k && setKey(k));
    // The arrival rule sets and epidemic areas, kept for classifying offline (issue 16 item 1).
    void refreshPack().then((p) => live && p && setPack(p));
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
  const [declaring, setDeclaring] = useState(false);
  const [declDraft, setDeclDraft] = useState<DeclarationDraft>(() =>
    emptyDraft(me.scope.provinceCode),
  );
  const [declError, setDeclError] = useState<unknown>(null);
  const [last, setLast] = useState<{
    clientId: string;
    label: string;
    name: string | null;
    provisional?: Provisional;
  } | null>(null);
  const synced = useSynced();

  // A sent entry changes today's list; one decided on the phone joins the synced panel.
  const onSent = useCallback(
    (e: SentEvent) => {
      if (e.item.kind !== 'entry') return;
      void queryClient.invalidateQueries({ queryKey: ['entries'] });
      synced.add(e);
    },
    [queryClient, synced],
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

  const takeSubject = (s: Subject) => {
    setScanError(null);
    setLast(null);
    setSubject(s);
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
    const label = `${subjectLabel(subject)} · ${dirLabel(d.direction)}`;
    const name = subjectName(subject);
    // Arrivals are classified on the phone too, with the cached rule set (issue 16 item 1).
    const provisional =
      d.direction === 'in' && !lodging
        ? classifyOnPhone(subject, at, body.rapidTest?.result ?? null, pack)
        : undefined;
    const draft: EntryDraft = { subject, details: d, at, provisional, name };
    await outbox.add({
      clientId,
      kind: 'entry',
      url: '/api/v1/entries',
      body: body as unknown as Record<string, unknown>,
      label,
      draft,
      createdAt: editing?.createdAt,
    });
    setLast({ clientId, label, name, provisional });
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
        {!lodging && (
          <Badge
            color={pack ? 'teal' : 'yellow'}
            variant="light"
            tt="none"
            data-testid="pack-status"
          >
            {pack
              ? t('entry.provisional.packReady', { date: formatDateTime(pack.fetchedAt) })
              : t('entry.provisional.noPack')}
          </Badge>
        )}
      </Group>

      {last && (
        <LastResult
          clientId={last.clientId}
          label={last.label}
          name={last.name}
          provisional={last.provisional}
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
        <SubjectPicker
          lodging={lodging}
          checking={checking}
          scanError={scanError}
          code={code}
          setCode={setCode}
          idNumber={idNumber}
          setIdNumber={setIdNumber}
          onSubject={takeSubject}
          onScan={() => setScanning(true)}
          onImageText={(text) => void onScanned(text)}
          onImageNotFound={() => setScanError(t('entry.scan.noQr'))}
          onDeclare={() => setDeclaring(true)}
        />
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

              <EntryDetailsFields
                details={details}
                onChange={setDetails}
                lodging={lodging}
                fieldError={fieldError}
              />
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
        extra={(item) => <OutboxEntryExtra item={item} />}
      />

      <SyncedPanel events={synced.events} skip={last?.clientId} />

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
