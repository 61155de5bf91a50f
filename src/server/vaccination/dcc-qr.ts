// QR images of DCCs: read the text of a QR code from a PNG (ZXing-C++ in WebAssembly, its .wasm
// read from node_modules: no network), and draw one.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import pngjs from 'pngjs';
import QRCode from 'qrcode';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

let prepared = false;
function prepare() {
  if (prepared) return;
  const wasm = readFileSync(
    createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'),
  );
  prepareZXingModule({
    overrides: {
      wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength),
      // never fetched: the binary is given
      locateFile: (path: string) => path,
    },
  });
  prepared = true;
}

/** Images larger than this are refused before decoding (4 bytes per pixel in memory). */
const MAX_PIXELS = 16_000_000;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export class QrImageError extends Error {
  override name = 'QrImageError';
}

/** The text of the QR code in a PNG image; throws QrImageError when there is none. */
export async function readQrPng(png: Uint8Array): Promise<string> {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (buf.length < 24 || !buf.subarray(0, 8).equals(PNG_SIGNATURE)) {
    throw new QrImageError('not a PNG image');
  }
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  if (width * height > MAX_PIXELS) {
    throw new QrImageError(`image of ${width}×${height} pixels is too large`);
  }
  let image: { width: number; height: number; data: Buffer };
  try {
    image = pngjs.PNG.sync.read(buf);
  } catch (e) {
    throw new QrImageError(`unreadable PNG: ${(e as Error).message}`);
  }
  const data = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
  prepare();
  const [code] = await readBarcodes(
    { data, width: image.width, height: image.height, colorSpace: 'srgb' } as ImageData,
    { formats: ['QRCode'], maxNumberOfSymbols: 1, tryInvert: false },
  );
  if (!code?.isValid) throw new QrImageError('no QR code found in the image');
  return code.text;
}

/** A PNG of the QR code for `text` (error correction level Q, as DCC issuers use). */
export function writeQrPng(text: string, options: { scale?: number } = {}): Promise<Buffer> {
  return QRCode.toBuffer(text, {
    type: 'png',
    errorCorrectionLevel: 'Q',
    margin: 4,
    scale: options.scale ?? 4,
  });
}
