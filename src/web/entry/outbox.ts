/**
 * The outbox: what an officer records goes first into IndexedDB on the device, then to the
 * server when there is a connection. Each item carries a UUID made on the device (`clientId`)
 * and the server is idempotent on it, so an item sent twice (a lost answer, two tabs, a reload
 * mid-request) is recorded once; a 200 "replay" counts as sent.
 *
 * - network failure, 5xx, 429: kept, tried again with backoff (2 s, 4 s … 60 s) and whenever the
 *   browser says it is back online;
 * - 401: kept, nothing is sent until the user logs in again;
 * - any other 4xx: kept with the server's message and field errors, for the officer to correct
 *   or discard — never dropped silently.
 *
 * Items belong to the user who recorded them: another account on the same phone neither sees
 * nor sends them.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { api, ApiError, type FieldError } from '../api.ts';

export type OutboxKind =
  | 'entry'
  | 'followup-event'
  | 'care-reading' // care-reading: issue 11
  | 'green-lane-passage' // issue 17
  | 'team-visit'; // issue 18 item 2: a community team's visit to an unvaccinated person

export interface OutboxItem {
  clientId: string;
  userId: string;
  kind: OutboxKind;
  url: string;
  body: Record<string, unknown>;
  /** A line for the list of unsent items: "Mã F9JZXRBZ · Vào". */
  label: string;
  /** What the form held, to open it again for correction. */
  draft?: unknown;
  /** The follow-up an event belongs to. */
  followUpId?: string;
  createdAt: string;
  status: 'pending' | 'error';
  attempts: number;
  nextAttemptAt: number;
  lastError?: { status: number; message: string; fields: FieldError[] };
}

const DB_NAME = 'epiguard-outbox';
const STORE = 'items';

let dbPromise: Promise<IDBDatabase> | null = null;
function openDb(): Promise<IDBDatabase> {
  dbPromise ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      const store = req.result.createObjectStore(STORE, { keyPath: 'clientId' });
      store.createIndex('userId', 'userId');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => {
      dbPromise = null;
      reject(req.error ?? new Error('IndexedDB'));
    };
  });
  return dbPromise;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB'));
  });
}

async function tx<T>(
  mode: IDBTransactionMode,
  fn: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openDb();
  const t = db.transaction(STORE, mode);
  const result = await request(fn(t.objectStore(STORE)));
  await new Promise<void>((resolve, reject) => {
    t.oncomplete = () => resolve();
    t.onerror = () => reject(t.error ?? new Error('IndexedDB'));
    t.onabort = () => reject(t.error ?? new Error('IndexedDB aborted'));
  });
  return result;
}

const BACKOFF_MAX_MS = 60_000;
const backoff = (attempts: number) =>
  Math.min(BACKOFF_MAX_MS, 1000 * 2 ** Math.min(attempts, 6)) * (0.8 + Math.random() * 0.4);

export interface SentEvent {
  item: OutboxItem;
  response: unknown;
}

interface Snapshot {
  items: OutboxItem[];
  online: boolean;
  syncing: boolean;
  /** A 401 stopped sending: the user must log in again. */
  needsLogin: boolean;
  ready: boolean;
}

class Outbox {
  private userId: string | null = null;
  private snapshot: Snapshot = {
    items: [],
    online: typeof navigator === 'undefined' ? true : navigator.onLine,
    syncing: false,
    needsLogin: false,
    ready: false,
  };
  private listeners = new Set<() => void>();
  private sentListeners = new Set<(e: SentEvent) => void>();
  /** Answers of items sent since the page loaded, by clientId. */
  readonly sent = new Map<string, unknown>();
  private running = false;
  private again = false;
  private timer: ReturnType<typeof setInterval> | null = null;

  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  getSnapshot = () => this.snapshot;

  onSent(fn: (e: SentEvent) => void) {
    this.sentListeners.add(fn);
    return () => {
      this.sentListeners.delete(fn);
    };
  }

  private set(patch: Partial<Snapshot>) {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of this.listeners) l();
  }

  /** Starts (or switches) to a user's outbox; keeps syncing until the page is closed. */
  async start(userId: string) {
    if (this.userId !== userId) {
      this.userId = userId;
      this.set({ items: [], ready: false });
    }
    // Mounted after a (new) login: a 401 from before no longer holds.
    if (this.snapshot.needsLogin) this.set({ needsLogin: false });
    if (!this.timer) {
      window.addEventListener('online', () => {
        this.set({ online: true });
        void this.sync(true);
      });
      window.addEventListener('offline', () => this.set({ online: false }));
      this.timer = setInterval(() => void this.sync(), 5_000);
    }
    await this.reload();
    void this.sync();
  }

  private async reload() {
    const userId = this.userId;
    if (!userId) return;
    let items: OutboxItem[] = [];
    try {
      items = await tx(
        'readonly',
        (s) => s.index('userId').getAll(userId) as IDBRequest<OutboxItem[]>,
      );
    } catch {
      /* IndexedDB unavailable (private mode on some browsers): nothing stored */
    }
    if (userId !== this.userId) return;
    items.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    this.set({ items, ready: true });
  }

  /** Stores an item (a new one, or a corrected one under the same clientId) and sends soon. */
  async add(
    item: Omit<OutboxItem, 'userId' | 'createdAt' | 'status' | 'attempts' | 'nextAttemptAt'> & {
      createdAt?: string;
    },
  ) {
    if (!this.userId) throw new Error('outbox not started');
    const full: OutboxItem = {
      ...item,
      userId: this.userId,
      createdAt: item.createdAt ?? new Date().toISOString(),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: 0,
    };
    await tx('readwrite', (s) => s.put(full));
    await this.reload();
    void this.sync(true);
  }

  async discard(clientId: string) {
    await tx('readwrite', (s) => s.delete(clientId));
    await this.reload();
  }

  /** Send an item that failed again now (after a correction on the server side, say). */
  async retry(clientId: string) {
    const item = this.snapshot.items.find((i) => i.clientId === clientId);
    if (!item) return;
    await tx('readwrite', (s) =>
      s.put({ ...item, status: 'pending', attempts: 0, nextAttemptAt: 0, lastError: undefined }),
    );
    await this.reload();
    void this.sync(true);
  }

  /** Sends the pending items, oldest first, one at a time. `force`: ignore the backoff. */
  async sync(force = false): Promise<void> {
    if (!this.userId || this.snapshot.needsLogin) return;
    if (this.running) {
      this.again = this.again || force;
      return;
    }
    this.running = true;
    try {
      do {
        const forced = force || this.again;
        this.again = false;
        force = false;
        await this.reload();
        const online = navigator.onLine;
        if (online !== this.snapshot.online) this.set({ online });
        if (!online) break;
        const due = this.snapshot.items.filter(
          (i) => i.status === 'pending' && (forced || i.nextAttemptAt <= Date.now()),
        );
        if (!due.length) break;
        this.set({ syncing: true });
        for (const item of due) {
          const outcome = await this.send(item);
          if (outcome === 'stop') break;
        }
      } while (this.again);
    } finally {
      this.running = false;
      if (this.snapshot.syncing) this.set({ syncing: false });
    }
    // Something was added while this round was ending: go again rather than wait for the timer.
    if (this.again) {
      this.again = false;
      void this.sync(true);
    }
  }

  private async send(item: OutboxItem): Promise<'ok' | 'next' | 'stop'> {
    try {
      const response = await api<unknown>(item.url, { method: 'POST', body: item.body });
      await tx('readwrite', (s) => s.delete(item.clientId));
      this.sent.set(item.clientId, response);
      await this.reload();
      for (const l of this.sentListeners) l({ item, response });
      return 'ok';
    } catch (e) {
      const err =
        e instanceof ApiError ? e : new ApiError(0, 'network', e instanceof Error ? e.message : '');
      if (err.status === 401) {
        this.set({ needsLogin: true });
        return 'stop';
      }
      const transient = err.status === 0 || err.status === 429 || err.status >= 500;
      const next: OutboxItem = transient
        ? {
            ...item,
            attempts: item.attempts + 1,
            nextAttemptAt: Date.now() + backoff(item.attempts),
          }
        : {
            ...item,
            status: 'error',
            attempts: item.attempts + 1,
            lastError: { status: err.status, message: err.message, fields: err.fields },
          };
      await tx('readwrite', (s) => s.put(next));
      await this.reload();
      if (err.status === 0) this.set({ online: navigator.onLine });
      // Without a connection the rest will fail too; keep the order for the next round.
      return transient ? 'stop' : 'next';
    }
  }
}

export const outbox = new Outbox();

/**
 * What to tell the officer about a refusal: the field messages ("Không có tờ khai mã …")
 * rather than the summary that names API paths ("declarationCode: …").
 */
export function refusalText(e: OutboxItem['lastError']): string {
  if (!e) return '';
  const fields = [...new Set(e.fields.map((f) => f.message))];
  return fields.length ? fields.join('; ') : e.message;
}

/** The current user's outbox, kept in sync with IndexedDB; starts the sending loop. */
export function useOutbox(userId: string) {
  useEffect(() => {
    void outbox.start(userId);
  }, [userId]);
  return useSyncExternalStore(outbox.subscribe, outbox.getSnapshot);
}

/** Calls `fn` whenever an item is sent (to refresh lists, show a result). */
export function useOnSent(fn: (e: SentEvent) => void) {
  useEffect(() => outbox.onSent(fn), [fn]);
}
