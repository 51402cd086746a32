/**
 * The kubelet's side of `npm run bench:registry`, in a process of its own (the driver's event
 * loop is saturated by autocannon, so timing probes there measures the driver). GETs each URL
 * given on the command line on a fresh connection every 250 ms, as the kubelet probes, until
 * SIGTERM; then prints `{ url: [ms, ...] }` as JSON on stdout and exits. A probe that fails
 * or times out (10 s) counts with the time it took.
 */
import { get } from 'node:http';

const urls = process.argv.slice(2);
const times: Record<string, number[]> = Object.fromEntries(urls.map((u) => [u, []]));
let done = false;

async function loop(url: string): Promise<void> {
  while (!done) {
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      const req = get(url, { agent: false, timeout: 10_000 }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', () => resolve());
      req.on('timeout', () => req.destroy());
    });
    times[url]!.push(performance.now() - t0);
    if (process.env.BENCH_PROBE_TRACE)
      process.stderr.write(`${url} ${Math.round(t0)} ${Math.round(performance.now() - t0)}\n`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const loops = Promise.all(urls.map(loop));
process.on('SIGTERM', () => {
  done = true;
  void loops.then(() => {
    process.stdout.write(`${JSON.stringify(times)}\n`);
    process.exit(0);
  });
});
process.stdout.write('probing\n');
