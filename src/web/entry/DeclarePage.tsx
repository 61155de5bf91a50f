/**
 * /khai-bao — the public health declaration (no login). A traveller fills in the national
 * domestic form (or scans their national personal QR to pre-fill it) and gets epiguard's
 * signed QR code to show at the checkpoint, with the code in large letters for when a camera
 * cannot read it.
 */
import {
  Alert,
  Anchor,
  Box,
  Button,
  Center,
  Group,
  Loader,
  Paper,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { parseNationalQr } from '../../domain/declaration.ts';
import { api, ApiError } from '../api.ts';
import { errorMessage } from '../components/ErrorAlert.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { formatDate } from '../format.ts';
import { uuid } from '../util.ts';
import {
  DeclarationForm,
  emptyDraft,
  prefillFromNationalQr,
  type DeclarationDraft,
} from './DeclarationForm.tsx';
import { useOfflineSupport } from './offline.ts';
import { qrCardPng, qrDataUrl } from './qr.ts';
import { QrScanModal } from './scan.tsx';
import type {
  DeclarationBody,
  DeclarationKey,
  DeclarationResult,
  NationalQrValue,
} from './types.ts';

interface Saved extends DeclarationResult {
  name: string;
}

const SAVED_KEY = 'epiguard.myDeclarations';

function loadSaved(): Saved[] {
  try {
    const v = JSON.parse(localStorage.getItem(SAVED_KEY) ?? '[]') as Saved[];
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

function storeSaved(list: Saved[]) {
  try {
    localStorage.setItem(SAVED_KEY, JSON.stringify(list.slice(0, 5)));
  } catch {
    /* storage blocked: the QR is still on screen */
  }
}

/** The QR to show at the checkpoint, the code in large letters, and a PNG to keep. */
export function DeclarationQrCard({ result, name }: { result: DeclarationResult; name: string }) {
  const { t } = useTranslation();
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void qrDataUrl(result.qr).then((url) => live && setSrc(url));
    return () => {
      live = false;
    };
  }, [result.qr]);
  const download = async () => {
    const png = await qrCardPng(result.qr, {
      big: result.code,
      small: [name, t('entry.declare.validUntil', { date: formatDate(result.validUntil) })],
    });
    const a = document.createElement('a');
    a.href = png;
    a.download = `khai-bao-y-te-${result.code}.png`;
    document.body.appendChild(a);
    a.click();
    a.remove();
  };
  return (
    <Paper withBorder radius="md" p="md" data-testid="declaration-result">
      <Stack align="center" gap="sm">
        <Text fw={600} ta="center">
          {name}
        </Text>
        <Box data-testid="declaration-qr" style={{ lineHeight: 0 }}>
          {src ? (
            <img
              src={src}
              alt={t('entry.declare.qrAlt')}
              style={{ maxWidth: '100%', imageRendering: 'pixelated' }}
            />
          ) : (
            <Center w={280} h={280}>
              <Loader />
            </Center>
          )}
        </Box>
        <Text size="sm" c="dimmed">
          {t('entry.declare.codeLabel')}
        </Text>
        <Text
          ff="monospace"
          fw={700}
          fz={40}
          lh={1}
          style={{ letterSpacing: '0.12em' }}
          data-testid="declaration-code"
        >
          {result.code}
        </Text>
        <Text fw={600} data-testid="declaration-valid-until">
          {t('entry.declare.validUntil', { date: formatDate(result.validUntil) })}
        </Text>
        <Button fullWidth size="md" onClick={() => void download()}>
          {t('entry.declare.downloadQr')}
        </Button>
        <Text size="sm" c="dimmed" ta="center">
          {t('entry.declare.showAtCheckpoint')}
        </Text>
      </Stack>
    </Paper>
  );
}

export function DeclarePage() {
  const { t } = useTranslation();
  useOfflineSupport();
  const key = useQuery({
    queryKey: ['declaration-key'],
    queryFn: () => api<DeclarationKey>('/api/v1/public/declaration-key'),
    staleTime: Infinity,
  });
  const [draft, setDraft] = useState<DeclarationDraft | null>(null);
  const [clientId, setClientId] = useState(uuid);
  const [scanning, setScanning] = useState(false);
  const [scanError, setScanError] = useState<string | null>(null);
  const [result, setResult] = useState<Saved | null>(null);
  const [saved, setSaved] = useState<Saved[]>(loadSaved);

  // The destination province defaults to the province running epiguard.
  const form = draft ?? emptyDraft(key.data?.province ?? null);

  const declare = useMutation({
    mutationFn: (body: DeclarationBody) =>
      api<DeclarationResult>('/api/v1/declarations', {
        method: 'POST',
        body: { ...body, clientId },
      }),
    onSuccess: (r, body) => {
      const entry: Saved = { ...r, name: body.person.fullName };
      setResult(entry);
      const list = [entry, ...saved.filter((s) => s.code !== r.code)];
      setSaved(list);
      storeSaved(list);
      window.scrollTo(0, 0);
    },
  });

  const personalQr = useMutation({
    mutationFn: async (qr: string): Promise<NationalQrValue> => {
      try {
        return await api<NationalQrValue>('/api/v1/public/personal-qr', {
          method: 'POST',
          body: { qr },
        });
      } catch (e) {
        // Without a connection, read it here: the format is public (QĐ 1405).
        if (e instanceof ApiError && e.status === 0) {
          const local = parseNationalQr(qr);
          if (local.ok) return local.value;
          throw new ApiError(400, 'validation', local.error);
        }
        throw e;
      }
    },
    onSuccess: (q) => {
      setScanError(null);
      setDraft(prefillFromNationalQr(form, q));
      notifications.show({ color: 'teal', message: t('entry.declare.prefilled') });
    },
    onError: (e) => setScanError(errorMessage(e, t)),
  });

  const again = () => {
    setResult(null);
    setDraft(null);
    setClientId(uuid());
    declare.reset();
    window.scrollTo(0, 0);
  };

  return (
    <Box bg="gray.0" mih="100dvh">
      <Box maw={720} mx="auto" p={{ base: 'sm', sm: 'md' }}>
        <Group justify="space-between" mb="sm" wrap="nowrap">
          <Anchor component={Link} to="/khai-bao" underline="never" onClick={again}>
            <Title order={3} c="teal.8" style={{ letterSpacing: '-0.02em' }}>
              {t('app.name')}
            </Title>
          </Anchor>
          <LanguageSwitch />
        </Group>
        <Stack>
          <div>
            <Title order={1} size="h2">
              {t('entry.declare.title')}
            </Title>
            <Text c="dimmed" size="sm">
              {t('entry.declare.subtitle')}
            </Text>
          </div>
          {result ? (
            <Stack>
              <Alert color="teal" variant="light" title={t('entry.declare.doneTitle')}>
                {t('entry.declare.doneText')}
              </Alert>
              <DeclarationQrCard result={result} name={result.name} />
              <Button variant="default" onClick={again}>
                {t('entry.declare.another')}
              </Button>
            </Stack>
          ) : (
            <>
              {saved.length > 0 && (
                <Paper withBorder radius="md" p="sm">
                  <Text fw={600} size="sm" mb={4}>
                    {t('entry.declare.savedTitle')}
                  </Text>
                  <Stack gap={4}>
                    {saved.map((s) => (
                      <Group key={s.code} justify="space-between" wrap="nowrap">
                        <Anchor component="button" type="button" onClick={() => setResult(s)}>
                          <Text ff="monospace" span fw={600}>
                            {s.code}
                          </Text>{' '}
                          · {s.name}
                        </Anchor>
                        <Text size="xs" c="dimmed">
                          {t('entry.declare.validUntil', { date: formatDate(s.validUntil) })}
                        </Text>
                      </Group>
                    ))}
                  </Stack>
                  <Anchor
                    component="button"
                    type="button"
                    size="xs"
                    c="dimmed"
                    mt={4}
                    onClick={() => {
                      setSaved([]);
                      storeSaved([]);
                    }}
                  >
                    {t('entry.declare.forgetSaved')}
                  </Anchor>
                </Paper>
              )}
              <DeclarationForm
                mode="public"
                draft={form}
                onDraft={setDraft}
                onSubmit={(body) => declare.mutate(body)}
                submitting={declare.isPending}
                error={declare.error}
                submitLabel={t('entry.declare.submit')}
                extraTop={
                  <Stack gap={6}>
                    <Button
                      variant="light"
                      size="md"
                      onClick={() => setScanning(true)}
                      loading={personalQr.isPending}
                    >
                      {t('entry.declare.scanPersonalQr')}
                    </Button>
                    <Text size="xs" c="dimmed">
                      {t('entry.declare.scanPersonalQrHint')}
                    </Text>
                    {scanError && (
                      <Alert color="red" variant="light" role="alert">
                        {scanError}
                      </Alert>
                    )}
                  </Stack>
                }
              />
            </>
          )}
          <Text size="sm" ta="center" c="dimmed">
            <Anchor component={Link} to="/login">
              {t('entry.declare.staffLogin')}
            </Anchor>
          </Text>
        </Stack>
      </Box>
      <QrScanModal
        opened={scanning}
        onClose={() => setScanning(false)}
        onText={(text) => personalQr.mutate(text)}
        title={t('entry.declare.scanPersonalQr')}
        hint={t('entry.declare.scanPersonalQrHint')}
      />
    </Box>
  );
}
