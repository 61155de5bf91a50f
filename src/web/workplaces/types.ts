/** What the workplace API answers (src/server/workplaces). */
export type Words = { vi: string; en: string };
export type RiskLevel = 'low' | 'medium' | 'high' | 'very_high';
export interface Workplace {
  id: string;
  name: string;
  kind: string;
  workforce: number;
  districtCode: string;
  districtName: string | null;
  communeName: string | null;
  assessment: { assessedOn: string; riskLevel: RiskLevel; score: number } | null;
  screening: { lastOn: string | null; total: number; positives: number };
  assessmentDueOn: string;
  screeningDueOn: string;
  assessmentOverdue: boolean;
  screeningOverdue: boolean;
  riskRank: number;
  outbreak: {
    since: string;
    positives: number;
    ruleSetId: string;
    ruleId: string;
    explanation: Words;
  } | null;
}
export interface WorkplaceDetail extends Workplace {
  reporters: { username: string; fullName: string }[];
}
export interface SafetyRuleSet {
  id: string;
  name: string;
  confidence: 'sure' | 'reconstructed';
  legalBasis: { number: string };
  criteria: { id: string; text: Words; weight: number; critical: boolean }[];
}
export interface Assessment {
  id: string;
  assessedOn: string;
  score: number;
  riskLevel: RiskLevel;
  ruleSetId: string;
  ruleId: string;
  explanation: Words;
}
/** Badge colours of the risk levels (an outbreak is always red). */
export const LEVEL_COLOR: Record<string, string> = {
  low: 'green',
  medium: 'yellow',
  high: 'orange',
  very_high: 'red',
  none: 'gray',
};
/** Fill colours of the risk rank 0–5 on the map. */
export const RANK_HEX = ['#ced4da', '#40c057', '#fab005', '#fd7e14', '#fa5252', '#c92a2a'];
