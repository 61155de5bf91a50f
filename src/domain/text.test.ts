import { describe, expect, it } from 'vitest';
import { fold, formatDateVi, nfc } from './text.ts';

describe('fold', () => {
  it.each([
    ['Nguyễn Văn An', 'nguyen van an'],
    ['ĐIỆN BIÊN PHỦ', 'dien bien phu'],
    ['  Bản   Mường  Phăng ', 'ban muong phang'],
    ['Thị trấn Tủa Chùa', 'thi tran tua chua'],
  ])('%s → %s', (input, out) => expect(fold(input)).toBe(out));

  it('treats precomposed and decomposed input alike', () => {
    expect(fold('Nguye\u0302\u0303n')).toBe(fold('Nguyễn'));
  });
});

describe('formatDateVi', () => {
  it('writes dd/mm/yyyy', () => {
    expect(formatDateVi('2021-06-02')).toBe('02/06/2021');
    expect(formatDateVi(new Date(Date.UTC(2021, 9, 6)))).toBe('06/10/2021');
  });
});

describe('nfc', () => {
  it('gives one spelling of a name typed decomposed (NFD) or precomposed', () => {
    const nfd = 'Nguye\u0302\u0303n Thi\u0323 Thu'.normalize('NFD');
    expect(nfd).not.toBe('Nguyễn Thị Thu');
    expect(nfc(nfd)).toBe('Nguyễn Thị Thu');
    expect(nfc('Nguyễn Thị Thu')).toBe('Nguyễn Thị Thu');
  });
});
