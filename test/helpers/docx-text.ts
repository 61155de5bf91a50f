/**
 * A DOCX as LibreOffice reads it: converted with `soffice --headless --convert-to pdf`, then
 * its text through `pdftotext -layout` and, on request, its first page as PNG (pdftoppm) to look at.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function docxToPdfText(
  docx: Buffer,
  opts: { png?: string } = {},
): Promise<{ pdf: Buffer; text: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'epiguard-docx-'));
  try {
    const src = join(dir, 'doc.docx');
    await writeFile(src, docx);
    // A profile of its own: soffice instances of other runs do not share a lock.
    await run(
      'soffice',
      [
        `-env:UserInstallation=file://${dir}/profile`,
        '--headless',
        '--convert-to',
        'pdf',
        '--outdir',
        dir,
        src,
      ],
      { timeout: 120_000 },
    );
    const pdfPath = join(dir, 'doc.pdf');
    const { stdout } = await run('pdftotext', ['-layout', pdfPath, '-']);
    if (opts.png)
      await run('pdftoppm', [
        '-png',
        '-r',
        '80',
        '-f',
        '1',
        '-l',
        '1',
        '-singlefile',
        pdfPath,
        opts.png,
      ]);
    return { pdf: await readFile(pdfPath), text: stdout };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
