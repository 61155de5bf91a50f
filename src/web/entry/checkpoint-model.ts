/** The checkpoint page's data: who passes, the details of the passage, what the outbox keeps. */
import { useTranslation } from 'react-i18next';
import type { DeclarationQrPayload } from '../../domain/declaration.ts';
import { EMPTY_PATH, type UnitPath } from './components.tsx';
import type { DeclarationDraft } from './DeclarationForm.tsx';
import { noPastRecord, type PastRecord } from './PastRecord.tsx';
import type { Provisional } from './provisional.ts';
import type { DeclarationBody } from './types.ts';

export type Subject =
  | { kind: 'qr'; qr: string; payload: DeclarationQrPayload; verified: boolean }
  | { kind: 'code'; code: string }
  | { kind: 'idNumber'; idNumber: string }
  | { kind: 'declaration'; body: DeclarationBody; draft: DeclarationDraft };

export interface Details {
  direction: 'in' | 'out';
  plate: string;
  vehicleType: string | null;
  companions: number;
  rapidTest: 'none' | 'negative' | 'positive';
  otherDestination: boolean;
  destination: UnitPath;
  destinationAddress: string;
  /** A passage from the checkpoint's paper book (issue 13 item 7). */
  past?: PastRecord;
}

export const emptyDetails = (): Details => ({
  direction: 'in',
  plate: '',
  vehicleType: null,
  companions: 0,
  rapidTest: 'none',
  otherDestination: false,
  destination: EMPTY_PATH,
  destinationAddress: '',
  past: noPastRecord(),
});

/** What an outbox item keeps to open the form again. */
export interface EntryDraft {
  subject: Subject;
  details: Details;
  at: string;
  /** The classification made on the phone when it was recorded (issue 16 item 1). */
  provisional?: Provisional;
  /** The person's name as the phone knew it (the QR's, or the declaration typed in). */
  name?: string | null;
}

export const VEHICLE_TYPES = ['car', 'coach', 'truck', 'motorbike', 'other'] as const;
export const CODE_RE = /^[0-9A-HJKMNP-TV-Z]{8}$/;

/** Declaration codes use Crockford's alphabet: O reads as 0, I and L as 1. */
export const normaliseCode = (text: string) =>
  text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');

export function subjectName(s: Subject): string | null {
  switch (s.kind) {
    case 'qr':
      return s.payload.n;
    case 'declaration':
      return s.body.person.fullName;
    default:
      return null;
  }
}

export function useSubjectLabel() {
  const { t } = useTranslation();
  return (s: Subject) => {
    switch (s.kind) {
      case 'qr':
        return `${s.payload.n} (${s.payload.y}) · ${s.payload.c}`;
      case 'code':
        return t('entry.checkpoint.byCode', { code: s.code });
      case 'idNumber':
        return t('entry.checkpoint.byId', { id: s.idNumber });
      case 'declaration':
        return `${s.body.person.fullName} (${s.body.person.birthYear}) · ${t('entry.checkpoint.declaredHere')}`;
    }
  };
}
/** "Vào"/"Ra" at a checkpoint, "Nhận phòng"/"Trả phòng" at a lodging. */
export function useDirectionLabel(lodging: boolean) {
  const { t } = useTranslation();
  return (d: 'in' | 'out') =>
    t(
      lodging
        ? d === 'in'
          ? 'entry.checkpoint.checkIn'
          : 'entry.checkpoint.checkOut'
        : d === 'in'
          ? 'entry.checkpoint.in'
          : 'entry.checkpoint.out',
    );
}
