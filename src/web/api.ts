/**
 * The one place the staff app talks to the API. Every call goes through `api<T>()`, which sends
 * the session cookie, parses JSON and turns any non-2xx answer into an `ApiError` carrying the
 * status, the server's message and its field errors (`fields[].path`).
 */

export type ScopeLevel = 'province' | 'district' | 'commune' | 'village' | 'site';

export type Permission =
  | 'users.read'
  | 'users.manage'
  | 'audit.read'
  | 'geo.read'
  | 'villages.read'
  | 'villages.write'
  | 'sites.read'
  | 'sites.manage';

export interface Scope {
  level: ScopeLevel;
  provinceCode: string;
  districtCode: string | null;
  communeCode: string | null;
  villageId: string | null;
  siteId: string | null;
}

export interface Me {
  id: string;
  username: string;
  fullName: string;
  role: string;
  roleLabel: string;
  scope: Scope;
  scopeLabel: string;
  siteKind: string | null;
  permissions: string[];
  /** Issue 10, item 8: an administrator reset the password; only the change page works. */
  mustChangePassword?: boolean;
}

export interface RoleInfo {
  role: string;
  label: { vi: string; en: string };
  levels: ScopeLevel[];
  siteKinds: string[];
  // issue 16 item 7
  actions: string[];
  duties: { vi: string; en: string };
  permissions: { action: string; label: { vi: string; en: string } }[];
}

export interface Population {
  total: number;
  urban: number | null;
  rural: number | null;
}

export interface Unit {
  code: string;
  name: string;
  shortName: string;
  type: string;
  level: 1 | 2 | 3;
  parentCode: string | null;
  provinceCode: string;
  districtCode: string | null;
  population: Population | null;
  childrenCount: number;
}

export interface UnitDetail extends Unit {
  path: { code: string; name: string; level: number }[];
  villagesCount: number;
}

export const VILLAGE_KINDS = ['thon', 'ban', 'to_dan_pho', 'khu_pho', 'ap', 'khac'] as const;
export type VillageKind = (typeof VILLAGE_KINDS)[number];

export interface Village {
  id: string;
  communeCode: string;
  districtCode: string;
  provinceCode: string;
  name: string;
  kind: VillageKind;
  population: number | null;
  households: number | null;
}

export interface ImportReport {
  created: number;
  unchanged: number;
  rejected: number;
  rows: {
    row: number;
    status: 'created' | 'unchanged' | 'rejected';
    name: string;
    message?: string;
  }[];
}

export interface Site {
  id: string;
  kind: string;
  name: string;
  communeCode: string;
}

export interface User {
  id: string;
  username: string;
  fullName: string;
  phone: string | null;
  role: string;
  roleLabel: string;
  scope: Scope;
  scopeLabel: string;
  disabled: boolean;
  createdAt: string;
}

export interface AuditEvent {
  id: string;
  at: string;
  requestId: string | null;
  actorUsername: string | null;
  actorRole: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  outcome: 'allowed' | 'denied';
  reason: string | null;
  ip: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly fields: FieldError[] = [],
    /** The whole error body, for extras such as an import's `report`. */
    public readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The message the server gave for a field, if any. */
  field(path: string): string | undefined {
    return this.fields.find((f) => f.path === path)?.message;
  }
}

/** Called on any 401, so the app can drop its cached user and go to the login page. */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void) {
  onUnauthorized = handler;
}

/** Builds a query string from the defined, non-empty values. */
export function qs(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

export async function api<T>(
  path: string,
  init: Omit<RequestInit, 'body'> & { body?: unknown } = {},
): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('accept', 'application/json');
  let body: BodyInit | undefined;
  if (init.body instanceof FormData) {
    body = init.body;
  } else if (init.body !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.body);
  }
  const lang = document.documentElement.lang;
  if (lang) headers.set('accept-language', lang);
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const err = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
    const fields = Array.isArray(err.fields) ? (err.fields as FieldError[]) : [];
    if (res.status === 401 && !path.startsWith('/api/v1/auth/login')) onUnauthorized();
    throw new ApiError(
      res.status,
      typeof err.error === 'string' ? err.error : 'http_' + res.status,
      typeof err.message === 'string' ? err.message : res.statusText || `HTTP ${res.status}`,
      fields,
      err,
    );
  }
  return data as T;
}
