import { describe, expect, it } from 'vitest';
import { formatLookupCode, normaliseLookupCode } from './lookup.ts';

describe('lookup codes', () => {
  it('reads a code back however it was typed', () => {
    expect(normaliseLookupCode('0a1b-2c3d-4e5f-6a7b-8c9d')).toBe('0A1B2C3D4E5F6A7B8C9D');
    expect(normaliseLookupCode(' 0A1B 2C3D 4E5F 6A7B 8C9D ')).toBe('0A1B2C3D4E5F6A7B8C9D');
    expect(normaliseLookupCode('OA1B-2C3D-4E5F-6A7B-8C9l')).toBe('0A1B2C3D4E5F6A7B8C91');
  });
  it('refuses what cannot be a code: 19 or 21 digits, other letters', () => {
    expect(normaliseLookupCode('0A1B2C3D4E5F6A7B8C9')).toBeNull();
    expect(normaliseLookupCode('0A1B2C3D4E5F6A7B8C9D0')).toBeNull();
    expect(normaliseLookupCode('XN7K2M9P4QRT')).toBeNull();
  });
  it('prints in groups of four', () => {
    expect(formatLookupCode('0A1B2C3D4E5F6A7B8C9D')).toBe('0A1B-2C3D-4E5F-6A7B-8C9D');
  });
});
