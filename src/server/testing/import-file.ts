/**
 * Where an uploaded results file waits for its job (issue 14.2): in pieces of 1 MiB, each its
 * own statement, sent as base64 text. The embedded database turns one bytea parameter into text
 * byte by byte on the event loop — 33 s for 9 MiB under load, during which no other request was
 * answered — while 1 MiB of base64 takes about a tenth of a second, and the loop breathes
 * between pieces. Reading back is base64 too (`encode`), for the same reason.
 */
import type { Queryable } from '../db/index.ts';

export const PIECE_BYTES = 1 << 20;

export interface FileKey {
  uploaderKey: string;
  sha256: string;
}

export async function storeUploadedFile(db: Queryable, key: FileKey, data: Buffer): Promise<void> {
  for (let seq = 0, at = 0; at < data.length; seq++, at += PIECE_BYTES) {
    await db.query(
      `INSERT INTO result_import_pieces (uploader_key, file_sha256, seq, data)
       VALUES ($1, $2, $3, decode($4, 'base64')) ON CONFLICT DO NOTHING`,
      [key.uploaderKey, key.sha256, seq, data.subarray(at, at + PIECE_BYTES).toString('base64')],
    );
    await new Promise((r) => setImmediate(r));
  }
}

/** The file of a job; `legacy` is the whole-file column of jobs uploaded before the pieces. */
export async function readUploadedFile(
  db: Queryable,
  key: FileKey,
  legacy: Uint8Array | null,
): Promise<Buffer> {
  const pieces = await db.query<{ b64: string }>(
    `SELECT encode(data, 'base64') AS b64 FROM result_import_pieces
      WHERE uploader_key = $1 AND file_sha256 = $2 ORDER BY seq`,
    [key.uploaderKey, key.sha256],
  );
  if (!pieces.length) return Buffer.from(legacy ?? new Uint8Array());
  return Buffer.concat(pieces.map((p) => Buffer.from(p.b64, 'base64')));
}

export async function dropUploadedFile(db: Queryable, key: FileKey): Promise<void> {
  await db.query('DELETE FROM result_import_pieces WHERE uploader_key = $1 AND file_sha256 = $2', [
    key.uploaderKey,
    key.sha256,
  ]);
}

/** Pieces older than an hour whose job never came (the process stopped mid-upload) or has ended. */
export async function sweepOrphanPieces(db: Queryable): Promise<void> {
  await db.query(
    `DELETE FROM result_import_pieces p
      WHERE p.created_at < now() - interval '1 hour'
        AND NOT EXISTS (SELECT 1 FROM result_imports i
                         WHERE i.uploader_key = p.uploader_key AND i.file_sha256 = p.file_sha256
                           AND i.status IN ('queued', 'running'))`,
  );
}
