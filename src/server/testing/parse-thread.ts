/**
 * Reading an uploaded results file off the event loop (issue 14.2): a worker thread unzips and
 * parses the file and reads its rows (parse-worker.ts), so a 145 MB sheet does not stop the
 * server from answering. The job takes read rows chunk by chunk; the thread stays one chunk
 * ahead, within a memory ceiling, and is ended when the job stops reading.
 */
import { Worker } from 'node:worker_threads';
import type { ColumnMapping, ParsedRow } from '../../domain/testing.ts';
import { UPLOAD_LIMITS } from './upload-limits.ts';

/** A row as read: its value, or why it cannot be read (naming the column). */
export type ReadRow =
  | { row: number; ok: true; p: ParsedRow }
  | { row: number; ok: false; fullName: string | null; message: string; messageEn: string };

export interface ParseRequest {
  data: Uint8Array;
  filename: string;
  /** The uploader's saved mapping, as it was at upload. */
  savedMapping: ColumnMapping;
  nowMs: number;
  knownTypes: string[];
  /** Data rows already committed by an earlier run of the job: read past them. */
  skip: number;
  chunkSize: number;
}

export type ThreadMessage =
  | { type: 'mapping'; mapping: ColumnMapping | null; problems: string[]; headers: string[] }
  | { type: 'chunk'; rows: ReadRow[]; seen: number }
  | { type: 'done'; seen: number }
  | { type: 'error'; message: string };

export async function* parseInThread(req: ParseRequest): AsyncGenerator<ThreadMessage> {
  const worker = new Worker(new URL('./parse-worker.mjs', import.meta.url), {
    workerData: req,
    resourceLimits: { maxOldGenerationSizeMb: UPLOAD_LIMITS.parserHeapMb },
    stdout: false,
  });
  const queue: ThreadMessage[] = [];
  let wake: (() => void) | null = null;
  let ended = false;
  const push = (m: ThreadMessage) => {
    queue.push(m);
    const w = wake;
    wake = null;
    w?.();
  };
  worker.on('message', (m: ThreadMessage) => push(m));
  worker.on('error', (err: Error & { code?: string }) =>
    push({
      type: 'error',
      message:
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `Tệp quá lớn khi giải nén và đọc (vượt ${UPLOAD_LIMITS.parserHeapMb} MB bộ nhớ): hãy chia thành nhiều tệp`
          : err.message,
    }),
  );
  worker.on('exit', () => {
    if (!ended) push({ type: 'error', message: 'Luồng đọc tệp dừng bất thường' });
  });
  try {
    for (;;) {
      while (!queue.length) await new Promise<void>((r) => (wake = r));
      const m = queue.shift()!;
      if (m.type === 'chunk') worker.postMessage({ type: 'more' });
      if (m.type === 'done' || m.type === 'error') ended = true;
      yield m;
      if (ended) return;
    }
  } finally {
    ended = true;
    await worker.terminate();
  }
}
