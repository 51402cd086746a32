import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runParallel, serveUnits, WorkerPool } from '../../src/synth/worker-pool';

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

describe('runParallel', () => {
  let work: string | undefined;
  afterEach(() => work && rmSync(work, { recursive: true, force: true }));

  it(
    'keeps a worker on its next unit while this thread is busy with its own',
    { timeout: 120_000 },
    async () => {
      work = mkdtempSync(path.join(tmpdir(), 'worker-pool-'));
      const entry = path.join(work, 'entry.mjs');
      // Each unit the worker does adds one to a shared counter.
      const pool = pathToFileURL(path.resolve('src/synth/worker-pool.ts')).href;
      writeFileSync(
        entry,
        `import { serveUnits } from ${JSON.stringify(pool)};
serveUnits((init) => new Int32Array(init.done), (done, unit) => {
  Atomics.add(done, 0, 1);
  Atomics.notify(done, 0);
  return { unit, by: 'worker' };
});
`,
      );
      const done = new Int32Array(new SharedArrayBuffer(4));
      const results: { unit: number; by: string; workerUnitsMeanwhile?: number }[] = [];
      // This thread's first unit does not yield until the worker has done two units (or
      // 30 s passed): only a worker that was handed its second unit up front gets there.
      let first = true;
      const here = (unit: number) => {
        if (!first) return { unit, by: 'here' };
        first = false;
        const deadline = Date.now() + 30_000;
        for (let seen = Atomics.load(done, 0); seen < 2 && Date.now() < deadline;) {
          Atomics.wait(done, 0, seen, deadline - Date.now());
          seen = Atomics.load(done, 0);
        }
        return { unit, by: 'here', workerUnitsMeanwhile: Atomics.load(done, 0) };
      };
      const units = Array.from({ length: 10 }, (_, i) => i);
      await runParallel(
        new WorkerPool(1, pathToFileURL(entry).href, 'test'),
        { done: done.buffer },
        units,
        here,
        (r) => results.push(r),
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
      work = mkdtempSync(path.join(tmpdir(), 'worker-pool-'));
      const entry = path.join(work, 'entry.mjs');
      const pool = pathToFileURL(path.resolve('src/synth/worker-pool.ts')).href;
      // Each unit waits a while; a second unit started before the first ended would see it.
      writeFileSync(
        entry,
        `import { serveUnits } from ${JSON.stringify(pool)};
let active = 0;
serveUnits((init) => new Int32Array(init.done), async (done, unit) => {
  const overlapped = active++ > 0;
  await new Promise((r) => setTimeout(r, 20));
  active--;
  Atomics.add(done, 0, 1);
  Atomics.notify(done, 0);
  return { unit, by: 'worker', overlapped };
});
`,
      );
      const done = new Int32Array(new SharedArrayBuffer(4));
      let active = 0;
      let first = true;
      const here = async (unit: number) => {
        // The first waits for the worker's first two units (handed to it together), so the
        // worker surely had two to keep apart.
        if (first) {
          first = false;
          const deadline = Date.now() + 30_000;
          for (let seen = Atomics.load(done, 0); seen < 2 && Date.now() < deadline;) {
            Atomics.wait(done, 0, seen, deadline - Date.now());
            seen = Atomics.load(done, 0);
          }
        }
        const overlapped = active++ > 0;
        await new Promise((r) => setTimeout(r, 20));
        active--;
        return { unit, by: 'here', overlapped };
      };
      const results: { unit: number; by: string; overlapped: boolean }[] = [];
      const units = Array.from({ length: 12 }, (_, i) => i);
      await runParallel(
        new WorkerPool(1, pathToFileURL(entry).href, 'test'),
        { done: done.buffer },
        units,
        here,
        (r) => results.push(r),
      );
      expect(results.map((r) => r.unit).sort((a, b) => a - b)).toEqual(units);
      expect(results.filter((r) => r.overlapped)).toEqual([]);
      expect(results.filter((r) => r.by === 'worker').length).toBeGreaterThanOrEqual(2);
      expect(results.some((r) => r.by === 'here')).toBe(true);
    },
  );
});
