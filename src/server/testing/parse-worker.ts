/**
 * Inside the parser thread: streams the file (stream-table.ts), resolves the column mapping,
 * reads every row with the domain's parseImportRow and sends chunks of read rows to the job,
 * one chunk ahead of what the job has taken (flat memory). Counts rows, columns and cells
 * against the limits as it goes. Nothing here touches the database.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { mappingProblems, parseImportRow, resolveMapping } from '../../domain/testing.ts';
import type { ParseRequest, ReadRow, ThreadMessage } from './parse-thread.ts';
import { streamTable } from './stream-table.ts';
import { UPLOAD_LIMITS } from './upload-limits.ts';

const req = workerData as ParseRequest;
const port = parentPort!;
let credit = 1;
let wake: (() => void) | null = null;
port.on('message', (m: { type: 'more' }) => {
  if (m.type !== 'more') return;
  credit++;
  wake?.();
});
const send = async (m: ThreadMessage) => {
  while (credit <= 0) await new Promise<void>((r) => (wake = r));
  if (m.type === 'chunk') credit--;
  port.postMessage(m);
};
const fmt = (n: number) => n.toLocaleString('vi-VN');

async function main() {
  const known = new Set(req.knownTypes);
  let mapping: ReturnType<typeof resolveMapping> | null = null;
  let seen = 0;
  let cells = 0;
  let skip = req.skip;
  for await (const chunk of streamTable(Buffer.from(req.data), req.filename, req.chunkSize)) {
    if (!mapping) {
      if (chunk.headers.length > UPLOAD_LIMITS.columns)
        throw new Error(`Tệp có ${chunk.headers.length} cột: tối đa ${UPLOAD_LIMITS.columns}`);
      mapping = resolveMapping(chunk.headers, req.savedMapping);
      const problems = mappingProblems(mapping);
      port.postMessage({ type: 'mapping', mapping, problems, headers: chunk.headers });
      if (problems.length) return;
    }
    seen += chunk.rows.length;
    for (const r of chunk.rows) cells += Object.keys(r.values).length;
    if (seen > UPLOAD_LIMITS.rows)
      throw new Error(
        `Tệp có hơn ${fmt(UPLOAD_LIMITS.rows)} dòng kết quả (tối đa mỗi tệp): hãy chia thành nhiều tệp`,
      );
    if (cells > UPLOAD_LIMITS.cells)
      throw new Error(`Tệp có hơn ${fmt(UPLOAD_LIMITS.cells)} ô dữ liệu: hãy chia thành nhiều tệp`);
    if (skip >= chunk.rows.length) {
      skip -= chunk.rows.length;
      continue;
    }
    const rows: ReadRow[] = chunk.rows.slice(skip).map((r) => {
      const res = parseImportRow(r.values, mapping!, { nowMs: req.nowMs, knownTestTypes: known });
      return res.ok
        ? { row: r.row, ok: true, p: res.row }
        : {
            row: r.row,
            ok: false,
            fullName: mapping!.fullName ? (r.values[mapping!.fullName] ?? null) : null,
            message: res.message,
            messageEn: res.messageEn,
          };
    });
    skip = 0;
    await send({ type: 'chunk', rows, seen });
  }
  if (!mapping) port.postMessage({ type: 'mapping', mapping: null, problems: [], headers: [] });
  port.postMessage({ type: 'done', seen });
}

main().catch((err: unknown) => {
  port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
});
