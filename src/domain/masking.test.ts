import { describe, expect, it } from 'vitest';
import { maskIdentifier } from './masking.ts';

describe('maskIdentifier', () => {
  it('keeps the last 4 characters of an ID number or a phone', () => {
    expect(maskIdentifier('001085012345')).toBe('********2345');
    expect(maskIdentifier('0912004321')).toBe('******4321');
  });
  it('masks a value of 4 or fewer characters whole, at the edge and below', () => {
    expect(maskIdentifier('12345')).toBe('*2345');
    expect(maskIdentifier('1234')).toBe('****');
    expect(maskIdentifier('12')).toBe('**');
  });
  it('leaves a missing value missing', () => {
    expect(maskIdentifier(null)).toBeNull();
    expect(maskIdentifier(undefined)).toBeNull();
    expect(maskIdentifier('')).toBeNull();
  });
});
