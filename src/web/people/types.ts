/** The shapes the people and households endpoints answer with (src/server/people). */
import type { HouseholdRelation, IdType, MergeField, Sex } from '../../domain/people.ts';

export type PeoplePermission =
  'persons.read' | 'persons.write' | 'persons.merge' | 'households.read' | 'households.write';

export interface Address {
  provinceCode: string;
  districtCode: string;
  communeCode: string;
  villageId: string | null;
  street: string | null;
}

export interface Person {
  id: string;
  fullName: string;
  birthDate: string | null;
  birthYear: number;
  sex: Sex;
  idType: IdType | null;
  idNumber: string | null;
  phone: string | null;
  nationality: string;
  address: Address;
  workplace: string | null;
  registeredSiteId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Duplicate {
  person: Person;
  reasons: string[];
  reasonLabels: string[];
}

export interface PersonHousehold {
  householdId: string;
  relation: HouseholdRelation;
  villageId: string;
  communeCode: string;
}

export interface MergedRecord {
  id: string;
  mergedAt: string | null;
}

export interface PersonDetail extends Person {
  mergedFrom: MergedRecord | null;
  merged: MergedRecord[];
  households: PersonHousehold[];
}

export interface CreatedPerson extends Person {
  duplicates: Duplicate[];
}

export type PersonQueryKind =
  | { kind: 'id'; idNumber: string }
  | { kind: 'phone'; phone: string }
  | { kind: 'name'; text: string; birthYear?: number }
  | { kind: 'all' };

export interface PersonPage {
  items: Person[];
  nextCursor: string | null;
  query: PersonQueryKind;
}

export interface Household {
  id: string;
  provinceCode: string;
  districtCode: string;
  communeCode: string;
  villageId: string;
  address: string | null;
  headPersonId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface HouseholdListItem extends Household {
  headName: string | null;
  memberCount: number;
}

export interface HouseholdMember {
  personId: string;
  relation: HouseholdRelation;
  fullName: string;
  birthYear: number;
  sex: Sex;
  addedAt: string;
}

export interface HouseholdDetail extends Household {
  members: HouseholdMember[];
}

export type MergeKeep = Record<MergeField, 'survivor' | 'other'>;
