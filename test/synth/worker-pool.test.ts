import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultThreads, runParallel, serveUnits, WorkerPool } from '../../src/synth/worker-pool';

describe('serveUnits', () => {
  it('refuses to run outside a worker thread', () => {
    expect(() =>
      serveUnits(
        () => undefined,
        () => undefined,
      ),
    ).toThrow('serveUnits runs in a worker thread only');
  });
});

describe('defaultThreads', () => {
  it('runs on one thread below 200 tenant bundles, on every core from there', () => {
    expect(defaultThreads(199)).toBe(1);
    expect(defaultThreads(200)).toBe(availableParallelism());
  });
});

describe('runParallel', () => {
  let work: string | undefined;
  afterEach(() => work && rmSync(work, { recursive: true, force: true }));

  /**
   * A worker entry whose units run `unitSource`, the source of a function of `done` (the shared
   * counter of init.done) and `unit`; `pre` runs once, before serveUnits.
   */
  const workerEntry = (unitSource: string, pre = '') => {
    work = mkdtempSync(path.join(tmpdir(), 'worker-pool-'));
    const entry = path.join(work, 'entry.mjs');
    const pool = pathToFileURL(path.resolve('src/synth/worker-pool.ts')).href;
    writeFileSync(
      entry,
      `import { serveUnits } from ${JSON.stringify(pool)};
${pre}serveUnits((init) => new Int32Array(init.done), ${unitSource});
`,
    );
    return pathToFileURL(entry).href;
  };

  /** Blocks this thread until the shared counter reaches `count` (or 30 s passed). */
  const waitForCount = (done: Int32Array, count: number) => {
    const deadline = Date.now() + 30_000;
    for (let seen = Atomics.load(done, 0); seen < count && Date.now() < deadline;) {
      Atomics.wait(done, 0, seen, deadline - Date.now());
      seen = Atomics.load(done, 0);
    }
  };

  it(
    'keeps a worker on its next unit while this thread is busy with its own',
    { timeout: 120_000 },
    async () => {
      // Each unit the worker does adds one to a shared counter.
      const entry = workerEntry(`(done, unit) => {
  Atomics.add(done, 0, 1);
  Atomics.notify(done, 0);
  return { unit, by: 'worker' };
}`);
      const done = new Int32Array(new SharedArrayBuffer(4));
      const results: { unit: number; by: string; workerUnitsMeanwhile?: number }[] = [];
      // This thread's first unit does not yield until the worker has done two units (or
      // 30 s passed): only a worker that was handed its second unit up front gets there.
      let first = true;
      const here = (unit: number) => {
        if (!first) return { unit, by: 'here' };
        first = false;
        waitForCount(done, 2);
        return { unit, by: 'here', workerUnitsMeanwhile: Atomics.load(done, 0) };
      };
      const units = Array.from({ length: 10 }, (_, i) => i);
      await runParallel(new WorkerPool(1, entry, 'test'), { done: done.buffer }, units, here, (r) =>
        results.push(r),
      );
      expect(results.find((r) => r.workerUnitsMeanwhile !== undefined)?.workerUnitsMeanwhile).toBe(
        2,
      );
      expect(results.map((r) => r.unit).sort((a, b) => a - b)).toEqual(units);
      expect(results.filter((r) => r.by === 'worker').length).toBe(Atomics.load(done, 0));
    },
  );

  it(
    'runs asynchronous units one at a time on each thread, and every unit once',
    { timeout: 120_000 },
    async () => {
      // Each unit waits a while; a second unit started before the first ended would see it.
      const entry = workerEntry(
        `async (done, unit) => {
  const overlapped = active++ > 0;
  await new Promise((r) => setTimeout(r, 20));
  active--;
  Atomics.add(done, 0, 1);
  Atomics.notify(done, 0);
  return { unit, by: 'worker', overlapped };
}`,
        'let active = 0;\n',
      );
      const done = new Int32Array(new SharedArrayBuffer(4));
      let active = 0;
      let first = true;
      const here = async (unit: number) => {
        // The first waits for the worker's first two units (handed to it together), so the
        // worker surely had two to keep apart.
        if (first) {
          first = false;
          waitForCount(done, 2);
        }
        const overlapped = active++ > 0;
        await new Promise((r) => setTimeout(r, 20));
        active--;
        return { unit, by: 'here', overlapped };
      };
      const results: { unit: number; by: string; overlapped: boolean }[] = [];
      const units = Array.from({ length: 12 }, (_, i) => i);
      await runParallel(new WorkerPool(1, entry, 'test'), { done: done.buffer }, units, here, (r) =>
        results.push(r),
      );
      expect(results.map((r) => r.unit).sort((a, b) => a - b)).toEqual(units);
      expect(results.filter((r) => r.overlapped)).toEqual([]);
      expect(results.filter((r) => r.by === 'worker').length).toBeGreaterThanOrEqual(2);
      expect(results.some((r) => r.by === 'here')).toBe(true);
    },
  );
});
