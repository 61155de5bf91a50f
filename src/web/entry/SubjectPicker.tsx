/** Who passes: scan the declaration QR, choose a photo of it, type the code or the ID, or declare here. */
import { Alert, Button, Divider, Group, Paper, Stack, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CODE_RE, normaliseCode, type Subject } from './checkpoint-model.ts';
import { QrImageButton } from './scan.tsx';

export function SubjectPicker({
  lodging,
  checking,
  scanError,
  code,
  setCode,
  idNumber,
  setIdNumber,
  onSubject,
  onScan,
  onImageText,
  onImageNotFound,
  onDeclare,
}: {
  lodging: boolean;
  checking: boolean;
  scanError: string | null;
  code: string;
  setCode: (c: string) => void;
  idNumber: string;
  setIdNumber: (c: string) => void;
  onSubject: (s: Subject) => void;
  onScan: () => void;
  onImageText: (text: string) => void;
  onImageNotFound: () => void;
  onDeclare: () => void;
}) {
  const { t } = useTranslation();
  const [manualError, setManualError] = useState<{ code?: string; id?: string }>({});
  const takeCode = () => {
    const c = normaliseCode(code);
    if (!CODE_RE.test(c)) {
      setManualError({ code: t('entry.checkpoint.codeInvalid') });
      return;
    }
    setManualError({});
    onSubject({ kind: 'code', code: c });
  };
  const takeId = () => {
    const id = idNumber.toUpperCase().replace(/[\s.-]/g, '');
    if (id.length < 6) {
      setManualError({ id: t('entry.checkpoint.idInvalid') });
      return;
    }
    setManualError({});
    onSubject({ kind: 'idNumber', idNumber: id });
  };

  return (
    <Paper withBorder radius="md" p={{ base: 'sm', sm: 'md' }}>
      <Stack gap="sm">
        <Title order={3} size="h4">
          {lodging ? t('entry.checkpoint.whoGuest') : t('entry.checkpoint.who')}
        </Title>
        <Button size="xl" fullWidth onClick={onScan} loading={checking}>
          {t('entry.checkpoint.scan')}
        </Button>
        <QrImageButton
          variant="light"
          size="md"
          fullWidth
          testId="qr-image-input"
          onText={onImageText}
          onNotFound={onImageNotFound}
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
        <Button variant="outline" fullWidth onClick={onDeclare}>
          {t('entry.checkpoint.declareHere')}
        </Button>
      </Stack>
    </Paper>
  );
}
