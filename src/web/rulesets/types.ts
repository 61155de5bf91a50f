/** What the rule-set endpoints answer (src/server/rule-admin/routes.ts). */
export interface Words {
  vi: string;
  en: string;
}
export interface LegalBasis {
  number: string;
  date: string;
  title: string;
  url?: string;
}
export interface VersionSummary {
  id: string;
  kind: string;
  name: string;
  legalBasis: LegalBasis;
  validFrom: string;
  validTo: string | null;
  confidence: 'sure' | 'reconstructed';
  builtin: boolean;
  status: 'current' | 'future' | 'past';
}
export interface KindList {
  today: string;
  items: { kind: string; label: Words; previewable: boolean; versions: VersionSummary[] }[];
}
export interface RuleInWords {
  id: string;
  when: Words;
  then: Words;
  confidence: string;
  notes: string;
}
export interface VersionDetail extends VersionSummary {
  label: Words | null;
  definition: Record<string, unknown>;
  words: { validity: Words; notes: string; rules: RuleInWords[] | null };
}
export interface PreviewAnswer {
  from: string;
  to: string;
  capped: boolean;
  tally: { records: number; changed: number; failed: number };
  sentences: Words[];
}
export interface SavedVersion extends VersionSummary {
  closed: string | null;
  replay: boolean;
}
