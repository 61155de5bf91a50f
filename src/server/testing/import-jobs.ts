/**
 * The result-import jobs (issue 14.3): one job at a time, oldest first, in this process. A
 * running job renews its heartbeat every few seconds and with every chunk it commits; a job left
 * 'running' with a stale heartbeat was orphaned by a process that died (kill -9, power cut). The
 * sweeper — at start-up and every minute — queues it again, and it resumes after its last
 * committed chunk (each chunk's rows, report lines and counters commit together, so no row is
 * imported twice); after MAX_ATTEMPTS starts it fails instead, saying how far it got.
 */
import type { Scope } from '../../domain/access.ts';
import type { Candidate } from '../../domain/testing.ts';
import type { Db } from '../db/index.ts';
import type { F0Cache } from './rulesets.ts';
import { dropUploadedFile, readUploadedFile, sweepOrphanPieces } from './import-file.ts';
import { parseInThread } from './parse-thread.ts';
import {
  IMPORT_CHUNK,
  IMPORT_COLUMNS,
  planChunk,
  uploaderPlace,
  type ImportRow,
  type JobContext,
} from './imports.ts';

/** How often a running job renews its heartbeat. */
export const HEARTBEAT_MS = 5_000;
/** A running job whose heartbeat is older than this was left by a process that stopped. */
export const STALE_MS = 60_000;
/** Starts of one job (the first and the resumptions) before the sweeper fails it. */
export const MAX_ATTEMPTS = 3;

/**
 * Finds running jobs whose heartbeat is older than `staleMs` (0: every running job — the
 * embedded database at start-up, where this process is the only one) and queues them again, or
 * fails those that have been started MAX_ATTEMPTS times. Returns what it did.
 */
export async function sweepStaleImports(
  db: Db,
  staleMs = STALE_MS,
): Promise<{ id: string; status: 'queued' | 'failed'; processedRows: number }[]> {
  const rows = await db.query<{ id: string; status: 'queued' | 'failed'; processed_rows: number }>(
    `UPDATE result_imports SET
       status = CASE WHEN attempts >= $2 THEN 'failed' ELSE 'queued' END,
       finished_at = CASE WHEN attempts >= $2 THEN now() END,
       error = CASE WHEN attempts >= $2
         THEN 'Bị gián đoạn ' || attempts || ' lần (máy chủ dừng giữa chừng): đã nhập ' || processed_rows
              || ' dòng đầu, các dòng sau chưa nhập. Hãy tải lên phần còn lại.'
         ELSE 'Bị gián đoạn sau ' || processed_rows || ' dòng (máy chủ dừng giữa chừng): tiếp tục từ dòng sau đó'
       END
     WHERE status = 'running'
       AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => $1::double precision))
     RETURNING id, status, processed_rows`,
    [staleMs / 1000, MAX_ATTEMPTS],
  );
  return rows.map((r) => ({ id: r.id, status: r.status, processedRows: r.processed_rows }));
}

/** Runs one job to the end (or resumes it after its last committed chunk). */
export async function runImport(
  db: Db,
  jobId: string,
  f0: F0Cache,
  homeProvince: string,
): Promise<void> {
  const job = (
    await db.query<ImportRow & { file: Uint8Array | null; file_sha256: string }>(
      `SELECT ${IMPORT_COLUMNS}, i.file, i.file_sha256 FROM result_imports i WHERE i.id = $1`,
      [jobId],
    )
  )[0];
  if (!job) return;
  const fileKey = { uploaderKey: job.uploader_key, sha256: job.file_sha256 };
  const user = (
    await db.query<{
      scope_level: Scope['level'];
      province_code: string;
      district_code: string | null;
      commune_code: string | null;
      site_id: string | null;
    }>(
      'SELECT scope_level, province_code, district_code, commune_code, site_id FROM users WHERE id = $1',
      [job.created_by],
    )
  )[0]!;
  const scope: Scope = {
    level: user.scope_level,
    provinceCode: user.province_code,
    districtCode: user.district_code,
    communeCode: user.commune_code,
    siteId: user.site_id,
  };
  const place = await uploaderPlace(db, scope);
  const knownTypes = new Set(
    (await db.query<{ code: string }>('SELECT code FROM test_types WHERE NOT disabled')).map(
      (r) => r.code,
    ),
  );
  const rulesets = await f0.get();
  // The heartbeat: renewed here while the job runs (and by every chunk it commits).
  const beat = setInterval(() => {
    db.query(
      `UPDATE result_imports SET heartbeat_at = now() WHERE id = $1 AND status = 'running'`,
      [jobId],
    ).catch(() => undefined);
  }, HEARTBEAT_MS);
  beat.unref();
  let ctx: JobContext | null = null;
  let seen = 0;
  let writing: Promise<void> = Promise.resolve();
  let previousNew: Candidate[] = [];
  try {
    // The file is unzipped, parsed and its rows read in a worker thread (parse-thread.ts).
    for await (const m of parseInThread({
      data: await readUploadedFile(db, fileKey, job.file),
      filename: job.file_name,
      // job.mapping: the site's saved mapping as it was at upload (a later change of the
      // saved mapping does not reach a job already queued)
      savedMapping: job.mapping,
      nowMs: Date.now(),
      knownTypes: [...knownTypes],
      skip: job.processed_rows,
      chunkSize: IMPORT_CHUNK,
    })) {
      if (m.type === 'error') throw new Error(m.message);
      if (m.type === 'mapping') {
        if (!m.mapping) continue; // no rows at all: done below with 0
        if (m.problems.length) {
          await db.query(
            `UPDATE result_imports SET status = 'failed', error = $2, mapping = $3, finished_at = now(), file = NULL WHERE id = $1`,
            [
              jobId,
              `Không đọc được cột: ${m.problems.join('; ')}. Cột trong tệp: ${m.headers.join(', ')}`,
              JSON.stringify(m.mapping),
            ],
          );
          await dropUploadedFile(db, fileKey);
          return;
        }
        await db.query('UPDATE result_imports SET mapping = $2 WHERE id = $1', [
          jobId,
          JSON.stringify(m.mapping),
        ]);
        ctx = { job, mapping: m.mapping, place, knownTypes, homeProvince };
        continue;
      }
      seen = m.seen;
      if (m.type === 'done') break;
      // Plan this chunk while the previous one is written; writes stay in file order.
      const plan = await planChunk(db, ctx!, m.rows, rulesets, previousNew);
      await writing;
      previousNew = plan.newCandidates;
      writing = plan.write();
      // handled where it is awaited; this only keeps a failure from being "unhandled" meanwhile
      writing.catch(() => undefined);
      // Let requests through between chunks (PGlite runs in this process).
      await new Promise((r) => setImmediate(r));
    }
    await writing;
    await db.query(
      `UPDATE result_imports SET status = 'done', total_rows = $2, finished_at = now(), error = NULL, file = NULL WHERE id = $1`,
      [jobId, seen],
    );
    await dropUploadedFile(db, fileKey);
  } catch (err) {
    await writing.catch(() => undefined);
    const message = err instanceof Error ? err.message : String(err);
    await db.query(
      `UPDATE result_imports SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`,
      [jobId, `Lỗi khi đọc tệp: ${message.slice(0, 500)}`],
    );
  } finally {
    clearInterval(beat);
  }
}

/**
 * The in-process worker: one job at a time, oldest first. `start()` sweeps the jobs a previous
 * process left and runs the queue; a timer sweeps again every `sweepMs`.
 */
export function importWorker(
  db: Db,
  f0: F0Cache,
  homeProvince: string,
  opts: { staleMs?: number; sweepMs?: number } = {},
) {
  const staleMs = opts.staleMs ?? STALE_MS;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const loop = async () => {
    do {
      again = false;
      for (;;) {
        if (stopped) return;
        const next = await db.query<{ id: string }>(
          `UPDATE result_imports SET status = 'running', started_at = coalesce(started_at, now()),
                  heartbeat_at = now(), attempts = attempts + 1
            WHERE id = (SELECT id FROM result_imports WHERE status = 'queued'
                         ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING id`,
        );
        if (!next[0]) break;
        try {
          await runImport(db, next[0].id, f0, homeProvince);
        } catch (err) {
          // runImport records its own failures; this is a fault before it could (never loop on it)
          const message = err instanceof Error ? err.message : String(err);
          await db
            .query(
              `UPDATE result_imports SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`,
              [next[0].id, `Lỗi hệ thống: ${message.slice(0, 300)}`],
            )
            .catch(() => undefined);
        }
      }
    } while (again && !stopped);
  };
  const kick = () => {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = loop()
      .catch(() => undefined) // the database went away (shutdown): the sweeper of the next start finds the job
      .finally(() => {
        running = null;
      });
    return running;
  };
  const sweep = async (ms: number) => {
    if (stopped) return;
    const swept = await sweepStaleImports(db, ms).catch(() => []);
    await sweepOrphanPieces(db).catch(() => undefined);
    if (swept.some((s) => s.status === 'queued')) void kick();
  };
  return {
    kick,
    /**
     * At start-up: the jobs a stopped process left. Embedded, this process is the only one, so
     * every running job is orphaned; on PostgreSQL another process may be running it: only a
     * stale heartbeat says it is not.
     */
    async start(onlyProcess: boolean) {
      await sweep(onlyProcess ? 0 : staleMs);
      void kick();
      timer = setInterval(() => void sweep(staleMs), opts.sweepMs ?? staleMs);
      timer.unref();
    },
    /** Resolves when the queue is empty (tests). */
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      while (running) await running;
    },
  };
}
export type ImportWorker = ReturnType<typeof importWorker>;
