/** Reading a QR code: the phone camera (ZXing in WebAssembly on video frames), a photo or screenshot, or pasted text. */
import {
  Alert,
  Box,
  Button,
  Group,
  Loader,
  Modal,
  Stack,
  Text,
  Textarea,
  type ButtonProps,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useEffect, useEffectEvent, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { decodeImageData, decodeQrFromFile, warmQrReader } from './qr.ts';

type CameraProblem = 'unavailable' | 'denied' | 'insecure';

/** The camera's picture, scanned a few times a second until a QR code is read. */
function CameraView({
  onText,
  onProblem,
}: {
  onText: (text: string) => void;
  onProblem: (p: CameraProblem) => void;
}) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [starting, setStarting] = useState(true);
  const found = useEffectEvent(onText);
  const problem = useEffectEvent(onProblem);

  useEffect(() => {
    let stream: MediaStream | null = null;
    let raf = 0;
    let stopped = false;
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const run = async () => {
      if (!navigator.mediaDevices?.getUserMedia) {
        problem(window.isSecureContext ? 'unavailable' : 'insecure');
        return;
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: { ideal: 'environment' } },
          audio: false,
        });
      } catch (e) {
        problem(
          e instanceof DOMException && e.name === 'NotAllowedError' ? 'denied' : 'unavailable',
        );
        return;
      }
      if (stopped) {
        stream.getTracks().forEach((t) => t.stop());
        return;
      }
      const video = videoRef.current;
      if (!video || !ctx) return;
      video.srcObject = stream;
      await video.play().catch(() => undefined);
      setStarting(false);
      let last = 0;
      const tick = async (now: number) => {
        if (stopped) return;
        if (now - last > 120 && video.readyState >= 2 && video.videoWidth) {
          last = now;
          const scale = Math.min(1, 720 / Math.max(video.videoWidth, video.videoHeight));
          canvas.width = Math.round(video.videoWidth * scale);
          canvas.height = Math.round(video.videoHeight * scale);
          ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
          // one frame at a time: the next is asked for once this one is read
          const text = await decodeImageData(
            ctx.getImageData(0, 0, canvas.width, canvas.height),
          ).catch(() => null);
          if (stopped) return;
          if (text) {
            stopped = true;
            stream?.getTracks().forEach((t) => t.stop());
            found(text);
            return;
          }
        }
        raf = requestAnimationFrame((t) => void tick(t));
      };
      raf = requestAnimationFrame((t) => void tick(t));
    };
    void run();
    return () => {
      stopped = true;
      cancelAnimationFrame(raf);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, []);

  return (
    <Box pos="relative" bg="dark.8" style={{ borderRadius: 8, overflow: 'hidden' }}>
      <video
        ref={videoRef}
        playsInline
        muted
        style={{ width: '100%', display: 'block', aspectRatio: '1 / 1', objectFit: 'cover' }}
      />
      {/* The frame to aim with */}
      <Box
        pos="absolute"
        style={{
          inset: '15%',
          border: '3px solid rgba(255,255,255,0.85)',
          borderRadius: 12,
          pointerEvents: 'none',
        }}
      />
      {starting && (
        <Box pos="absolute" style={{ inset: 0, display: 'grid', placeItems: 'center' }}>
          <Loader color="white" />
        </Box>
      )}
    </Box>
  );
}

/**
 * "Choose an image": a photo or a screenshot of a QR code, read on the device. The input is
 * a real <input type="file"> (hidden), so tests and accessibility tools can reach it.
 */
export function QrImageButton({
  onText,
  onNotFound,
  children,
  testId,
  ...buttonProps
}: {
  onText: (text: string) => void;
  onNotFound: () => void;
  children: ReactNode;
  testId?: string;
} & ButtonProps) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    void warmQrReader().then((ok) => live && setReady(ok));
    return () => {
      live = false;
    };
  }, []);
  const pick = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    try {
      const text = await decodeQrFromFile(file);
      if (text) onText(text);
      else onNotFound();
    } catch {
      onNotFound();
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };
  return (
    <>
      <input
        ref={input}
        type="file"
        accept="image/*"
        hidden
        aria-label={t('entry.scan.chooseImage')}
        data-testid={testId}
        data-ready={ready ? 'true' : 'false'}
        onChange={(e) => void pick(e.currentTarget.files?.[0])}
      />
      <Button {...buttonProps} loading={busy} onClick={() => input.current?.click()}>
        {children}
      </Button>
    </>
  );
}

/** A modal to read a QR code with the camera, from an image, or from pasted text. */
export function QrScanModal({
  opened,
  onClose,
  onText,
  title,
  hint,
}: {
  opened: boolean;
  onClose: () => void;
  onText: (text: string) => void;
  title: string;
  hint?: string;
}) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 36em)');
  const [camera, setCamera] = useState<CameraProblem | null>(null);
  const [notFound, setNotFound] = useState(false);
  const [pasted, setPasted] = useState('');
  const done = (text: string) => {
    setPasted('');
    setNotFound(false);
    onText(text.trim());
    onClose();
  };
  const close = () => {
    setCamera(null);
    setNotFound(false);
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={title} fullScreen={!!phone} size="md">
      <Stack>
        {hint && (
          <Text size="sm" c="dimmed">
            {hint}
          </Text>
        )}
        {opened && !camera && <CameraView onText={done} onProblem={setCamera} />}
        {camera && (
          <Alert color="yellow" variant="light">
            {t(`entry.scan.camera_${camera}`)}
          </Alert>
        )}
        {notFound && (
          <Alert color="red" variant="light" role="alert">
            {t('entry.scan.noQr')}
          </Alert>
        )}
        <QrImageButton
          variant="default"
          fullWidth
          onText={done}
          onNotFound={() => setNotFound(true)}
        >
          {t('entry.scan.chooseImage')}
        </QrImageButton>
        <Textarea
          label={t('entry.scan.pasteLabel')}
          placeholder={t('entry.scan.pastePlaceholder')}
          value={pasted}
          onChange={(e) => setPasted(e.currentTarget.value)}
          autosize
          minRows={2}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button disabled={!pasted.trim()} onClick={() => done(pasted)}>
            {t('entry.scan.usePasted')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
