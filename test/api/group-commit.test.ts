import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/server/group-commit.ts';

describe('GroupCommit', () => {
  it('writes what arrives together as one batch and answers each caller with its own result', async () => {
    const batches: number[][] = [];
    const g = new GroupCommit<number, string>({
      windowMs: 5,
      write: async (items) => {
        batches.push(items);
        return items.map((i) => `r${i}`);
      },
    });
    const answers = await Promise.all([1, 2, 3, 4, 5].map((i) => g.submit(i)));
    expect(answers).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(batches).toEqual([[1, 2, 3, 4, 5]]);
  });

  it('caps a batch at maxBatch and writes what queued meanwhile right after', async () => {
    const batches: number[][] = [];
    const g = new GroupCommit<number, number>({
      windowMs: 50,
      maxBatch: 3,
      concurrency: 1,
      write: async (items) => {
        batches.push(items);
        await new Promise((r) => setTimeout(r, 5));
        return items;
      },
    });
    expect(await Promise.all([1, 2, 3, 4, 5, 6, 7].map((i) => g.submit(i)))).toEqual([
      1, 2, 3, 4, 5, 6, 7,
    ]);
    expect(batches).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('rejects only the bad item of a failed batch; its neighbours are written on their own', async () => {
    const batches: number[][] = [];
    const g = new GroupCommit<number, number>({
      write: async (items) => {
        batches.push(items);
        if (items.includes(13)) throw new Error('bad 13');
        return items.map((i) => i * 2);
      },
    });
    const answers = await Promise.allSettled([12, 13, 14].map((i) => g.submit(i)));
    expect(answers.map((a) => (a.status === 'fulfilled' ? a.value : String(a.reason)))).toEqual([
      24,
      'Error: bad 13',
      28,
    ]);
    expect(batches).toEqual([[12, 13, 14], [12], [13], [14]]);
  });
});
