import { describe, expect, it } from 'vitest';
import {
  decodeDeclarationQr,
  encodeDeclarationQr,
  parseNationalQr,
  qrName,
  type DeclarationQrPayload,
} from './declaration.ts';

describe('national personal QR (QĐ 1405)', () => {
  it('reads the six fields', () => {
    const r = parseNationalQr('001085012345|NGUYEN VAN AN|1985-03-07|0|QR123456|');
    expect(r).toEqual({
      ok: true,
      value: {
        idNumber: '001085012345',
        name: 'NGUYEN VAN AN',
        birthDate: '1985-03-07',
        birthYear: 1985,
        onBehalf: false,
        qid: 'QR123456',
        ext: '',
      },
    });
  });
  it('knows a declaration made on someone’s behalf, and a year-only or dd/mm/yyyy birth date', () => {
    const r = parseNationalQr('B1234567|LO THI MAI|2015|1|Q9');
    expect(r.ok && r.value).toMatchObject({ onBehalf: true, birthYear: 2015, birthDate: null });
    const vn = parseNationalQr('001085012345|A|07/03/1985|0|Q');
    expect(vn.ok && vn.value.birthDate).toBe('1985-03-07');
  });
  it.each([
    ['not a QR of this kind', 'hello world'],
    ['bad id number', '12|NGUYEN VAN AN|1985-03-07|0|Q'],
    ['missing name', '001085012345||1985-03-07|0|Q'],
    ['bad kind', '001085012345|A|1985-03-07|2|Q'],
    ['impossible date', '001085012345|A|1985-02-30|0|Q'],
    ['garbled date', '001085012345|A|85-3-7|0|Q'],
  ])('rejects %s', (_n, text) => {
    expect(parseNationalQr(text).ok).toBe(false);
  });
});

describe('epiguard declaration QR', () => {
  const payload: DeclarationQrPayload = {
    v: 1,
    c: 'KB7Q2M9X',
    n: qrName('Nguyễn Văn An'),
    y: 1985,
    p: '11',
    d: '2021-10-06',
    e: '2021-10-20',
  };
  it('round-trips payload and signature', () => {
    const sig = new Uint8Array([1, 2, 3, 250, 251, 252]);
    const text = encodeDeclarationQr(payload, sig);
    expect(text.startsWith('EGD1:')).toBe(true);
    const back = decodeDeclarationQr(text);
    expect(back.ok && back.value.payload).toEqual(payload);
    expect(back.ok && Array.from(back.value.signature)).toEqual([1, 2, 3, 250, 251, 252]);
    expect(payload.n).toBe('NGUYEN VAN AN');
  });
  it.each([
    ['another format', 'HC1:6BF...'],
    ['no signature', 'EGD1:eyJ2IjoxfQ'],
    ['garbage', 'EGD1:!!!.###'],
    ['a payload missing fields', `EGD1:${btoa('{"v":1,"c":"X"}')}.AQID`],
  ])('rejects %s', (_n, text) => {
    expect(decodeDeclarationQr(text).ok).toBe(false);
  });
});
