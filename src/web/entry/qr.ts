/// <reference types="vite/client" />
/**
 * QR codes in the browser: reading them from a photo or a camera frame (ZXing-C++ in
 * WebAssembly, zxing-wasm; its .wasm is one of our own /assets/, which the service worker
 * precaches for a checkpoint without a connection — never a CDN), drawing them
 * (qrcode), and checking a declaration QR's Ed25519 signature on the device against the
 * province's public key, kept in localStorage so that a checkpoint without a connection still
 * refuses a forged code.
 */
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { dateOfInstant } from '../../domain/dates.ts';
import {
  decodeDeclarationQr,
  parseNationalQr,
  type DeclarationQrPayload,
  type NationalQr,
} from '../../domain/declaration.ts';
import { api } from '../api.ts';
import type { DeclarationKey } from './types.ts';

const overrides = {
  locateFile: (path: string, prefix: string) =>
    path.endsWith('.wasm') ? new URL(wasmUrl, window.location.href).href : prefix + path,
};
// Issue 15.6: the reader and the drawer are fetched when first used, not with the first page a
// phone on 3G opens (the declaration form draws a QR only after it is sent).
let reader: Promise<typeof import('zxing-wasm/reader')> | null = null;
function zxing() {
  reader ??= import('zxing-wasm/reader').then(
    (m) => (m.prepareZXingModule({ overrides }), m),
    (e: unknown) => ((reader = null), Promise.reject(e)),
  );
  return reader;
}
const qrcode = () => import('qrcode').then((m) => m.default);

let warm: Promise<boolean> | null = null;
/**
 * Fetches and compiles the reader now, while the page that scans is open with a connection, so
 * that a scan after the signal is lost does not need the network (the service worker keeps the
 * .wasm too, but only once its install has finished). Resolves true when the reader is ready.
 */
export function warmQrReader(): Promise<boolean> {
  warm ??= zxing()
    .then((m) => m.prepareZXingModule({ overrides, fireImmediately: true }))
    .then(
      () => true,
      () => ((warm = null), false),
    );
  return warm;
}

/** Reads a QR code from image pixels; null when there is none. */
export async function decodeImageData(data: ImageData, invert = false): Promise<string | null> {
  const [found] = await (
    await zxing()
  ).readBarcodes(data, {
    formats: ['QRCode'],
    maxNumberOfSymbols: 1,
    tryInvert: invert,
  });
  return found?.isValid ? found.text : null;
}

async function loadImage(file: Blob): Promise<ImageBitmap | HTMLImageElement> {
  if ('createImageBitmap' in window) {
    try {
      return await createImageBitmap(file);
    } catch {
      /* fall back to an <img> (e.g. a format createImageBitmap does not take) */
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * Reads a QR code from a photo or screenshot. Phone photos are large and the code may fill a
 * small part of them, so the image is tried at a few sizes, on a white background (transparent
 * PNGs), inverted as a last resort.
 */
export async function decodeQrFromFile(file: Blob): Promise<string | null> {
  const img = await loadImage(file);
  const width = 'naturalWidth' in img ? img.naturalWidth : img.width;
  const height = 'naturalHeight' in img ? img.naturalHeight : img.height;
  if (!width || !height) return null;
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  const longest = Math.max(width, height);
  const sizes = [Math.min(longest, 1000), 1600, 640, 400].filter(
    (s, i, all) => s <= Math.max(longest, 400) && all.indexOf(s) === i,
  );
  for (const invert of [false, true]) {
    for (const size of sizes) {
      const scale = size / longest;
      canvas.width = Math.max(1, Math.round(width * scale));
      canvas.height = Math.max(1, Math.round(height * scale));
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      const text = await decodeImageData(
        ctx.getImageData(0, 0, canvas.width, canvas.height),
        invert,
      );
      if (text) return text;
    }
  }
  return null;
}

/**
 * A QR image as a PNG data URL about `target` pixels wide: a whole number of pixels per module
 * (shown unscaled it stays sharp) and a 4-module quiet zone, so it scans from a screenshot too.
 */
export async function qrDataUrl(text: string, target = 300): Promise<string> {
  const QRCode = await qrcode();
  const modules = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules.size + 8;
  const scale = Math.max(2, Math.floor(target / modules));
  return QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 4, scale });
}

/** A PNG to save: the QR with the code, the name and the validity written under it. */
export async function qrCardPng(
  text: string,
  lines: { big: string; small: string[] },
): Promise<string> {
  const qr = document.createElement('canvas');
  await (await qrcode()).toCanvas(qr, text, { errorCorrectionLevel: 'M', margin: 4, width: 480 });
  const canvas = document.createElement('canvas');
  const lineHeight = 30;
  canvas.width = qr.width;
  canvas.height = qr.height + 70 + lines.small.length * lineHeight + 20;
  const ctx = canvas.getContext('2d');
  if (!ctx) return qr.toDataURL('image/png');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(qr, 0, 0);
  ctx.fillStyle = '#000';
  ctx.textAlign = 'center';
  ctx.font = 'bold 44px monospace';
  ctx.fillText(lines.big, canvas.width / 2, qr.height + 40);
  ctx.font = '22px system-ui, sans-serif';
  lines.small.forEach((l, i) => ctx.fillText(l, canvas.width / 2, qr.height + 80 + i * lineHeight));
  return canvas.toDataURL('image/png');
}

// ——— The province's public key, cached for offline use ———

const KEY_STORAGE = 'epiguard.declarationKey';

export function cachedDeclarationKey(): DeclarationKey | null {
  try {
    const raw = localStorage.getItem(KEY_STORAGE);
    if (!raw) return null;
    const k = JSON.parse(raw) as DeclarationKey;
    return k && k.jwk && k.province ? k : null;
  } catch {
    return null;
  }
}

/** Fetches the key and keeps it; on failure returns the cached one (or null). */
export async function refreshDeclarationKey(): Promise<DeclarationKey | null> {
  try {
    const k = await api<DeclarationKey>('/api/v1/public/declaration-key');
    try {
      localStorage.setItem(KEY_STORAGE, JSON.stringify(k));
    } catch {
      /* storage full or blocked: the key still works for this session */
    }
    return k;
  } catch {
    return cachedDeclarationKey();
  }
}

/**
 * Checks an Ed25519 signature with WebCrypto. null when this browser cannot check it here
 * (no WebCrypto outside a secure context, or no Ed25519 support).
 */
async function verifyEd25519(
  jwk: JsonWebKey,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  let key: CryptoKey;
  try {
    key = await subtle.importKey('jwk', jwk, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return null;
  }
  try {
    return await subtle.verify(
      { name: 'Ed25519' },
      key,
      signature as Uint8Array<ArrayBuffer>,
      message as Uint8Array<ArrayBuffer>,
    );
  } catch {
    return false;
  }
}

export type ScanCheck =
  /** A declaration QR whose signature the device checked (or could not check: `verified` false). */
  | { kind: 'declaration'; qr: string; payload: DeclarationQrPayload; verified: boolean }
  /** The national personal QR (QĐ 1405): it names a person but is not a declaration. */
  | { kind: 'national'; national: NationalQr }
  | {
      kind: 'refused';
      reason: 'forged' | 'expired' | 'province' | 'unreadable';
      message?: string;
      payload?: DeclarationQrPayload;
    };

/** What a scanned text is, checked on the device: nothing here needs a connection. */
export async function checkScannedText(
  text: string,
  key: DeclarationKey | null,
  today = dateOfInstant(Date.now()),
): Promise<ScanCheck> {
  const decoded = decodeDeclarationQr(text);
  if (!decoded.ok) {
    const national = parseNationalQr(text);
    if (national.ok) return { kind: 'national', national: national.value };
    return { kind: 'refused', reason: 'unreadable', message: decoded.error };
  }
  const { payload, message, signature } = decoded.value;
  let verified = false;
  if (key) {
    const ok = await verifyEd25519(key.jwk, message, signature);
    if (ok === false) return { kind: 'refused', reason: 'forged', payload };
    verified = ok === true;
    if (payload.p !== key.province) return { kind: 'refused', reason: 'province', payload };
  }
  if (payload.e < today) return { kind: 'refused', reason: 'expired', payload };
  return { kind: 'declaration', qr: text.trim(), payload, verified };
}

/** Does this browser check signatures on the device? (Needs HTTPS or localhost.) */
export const canVerifyOnDevice = () => !!globalThis.crypto?.subtle;
