import type * as Http from 'node:http';
import { Worker } from 'node:worker_threads';
import type * as WorkerThreads from 'node:worker_threads';
import { PROBE_PATHS } from './constants.js';

/** What `/readyz` on the probe port answers, decided on the main thread. */
export type Readiness = 'ready' | 'starting' | 'shutting_down' | 'database_unreachable';

const READINESS: readonly Readiness[] = [
  'starting',
  'ready',
  'shutting_down',
  'database_unreachable',
];

/** Slots of the shared Int32Array: written by the main thread, read by the probe worker. */
const SLOTS = { heartbeat: 0, readiness: 1, checks: 2 } as const;

export interface ProbeServerOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** Decides readiness on the main thread; run every `checkMs`, one at a time. */
  readonly readiness: () => Promise<Readiness>;
  /**
   * How often readiness is decided.
   *
   * @default 1000
   */
  readonly checkMs?: number;
  /**
   * `/readyz` fails when no readiness decision completed for this long: a database call that
   * hangs without failing, or a main loop too busy to finish one.
   *
   * @default 5000
   */
  readonly readinessStaleMs?: number;
  /**
   * `/healthz` fails when the main event loop has not run for this long (a wedged loop:
   * a busy wait, a runaway synchronous job), so the kubelet restarts the pod.
   *
   * @default 10000
   */
  readonly stallMs?: number;
  /**
   * How often the main loop beats.
   *
   * @default 250
   */
  readonly heartbeatMs?: number;
  /** Readiness changed (logged by the server). */
  readonly onChange?: (readiness: Readiness, previous: Readiness) => void;
  /** The worker failed or exited on its own: the probes are gone, the caller must stop. */
  readonly onExit: (err: unknown) => void;
}

interface WorkerData {
  readonly shared: SharedArrayBuffer;
  readonly slots: typeof SLOTS;
  readonly readiness: readonly Readiness[];
  readonly paths: typeof PROBE_PATHS;
  readonly host: string;
  readonly port: number;
  readonly heartbeatMs: number;
  readonly stallMs: number;
  readonly readinessStaleMs: number;
}

/**
 * The probe worker's program. Runs in a thread of its own, with its own event loop, so the
 * kubelet's probes are answered however many requests queue on the main loop (at 1,000
 * keep-alive connections a fresh connection to the public listener waited over 5 s, beyond
 * the 2 s probe timeout). It decides only from what the main thread wrote into the shared
 * memory: liveness from the main loop's heartbeat, readiness from the main thread's last
 * decision and its age. Self-contained (its source is what the worker evaluates): it may use
 * nothing from this module's scope, only its arguments.
 */
function probeWorker(threads: typeof WorkerThreads, http: typeof Http): void {
  const d = threads.workerData as WorkerData;
  const shared = new Int32Array(d.shared);
  let beat = Atomics.load(shared, d.slots.heartbeat);
  let checks = Atomics.load(shared, d.slots.checks);
  let beatAt = performance.now();
  let checkAt = performance.now();
  // Sampled on the worker's own clock: the two threads never compare timestamps.
  setInterval(() => {
    const b = Atomics.load(shared, d.slots.heartbeat);
    if (b !== beat) [beat, beatAt] = [b, performance.now()];
    const c = Atomics.load(shared, d.slots.checks);
    if (c !== checks) [checks, checkAt] = [c, performance.now()];
  }, d.heartbeatMs);
  const messages: Record<string, string> = {
    starting: 'the catalog has not been loaded yet',
    shutting_down: 'shutting down',
    database_unreachable: 'the database did not answer',
  };
  const send = (res: Http.ServerResponse, status: number, body: object) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
    });
    res.end(text);
  };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const now = performance.now();
    const stalled = Math.round(now - beatAt);
    if (path !== d.paths.liveness && path !== d.paths.readiness) {
      return send(res, 404, { error: 'not_found', message: `no probe ${path}` });
    }
    if (stalled > d.stallMs) {
      return send(res, 503, {
        error: 'not_live',
        message: `the main event loop has not run for ${stalled} ms`,
      });
    }
    if (path === d.paths.liveness) return send(res, 200, { status: 'ok' });
    const state = d.readiness[Atomics.load(shared, d.slots.readiness)] ?? 'starting';
    if (state !== 'ready') {
      return send(res, 503, { error: 'not_ready', message: messages[state] ?? state });
    }
    const age = Math.round(now - checkAt);
    if (age > d.readinessStaleMs) {
      return send(res, 503, {
        error: 'not_ready',
        message: `no readiness check completed for ${age} ms`,
      });
    }
    return send(res, 200, { status: 'ready' });
  });
  // The kubelet opens a connection a probe; a handful is all it ever holds.
  server.maxConnections = 64;
  server.keepAliveTimeout = 1_000;
  server.requestTimeout = 5_000;
  server.headersTimeout = 5_000;
  server.on('error', (err) => {
    throw err;
  });
  server.listen(d.port, d.host, () => {
    const address = server.address();
    threads.parentPort?.postMessage({
      port: typeof address === 'object' && address ? address.port : d.port,
    });
  });
}

/**
 * `/healthz` and `/readyz` on a port of their own, served by a worker thread (`probeWorker`),
 * so they answer within the kubelet's timeout while the main loop is saturated. The main
 * thread beats every `heartbeatMs` and decides readiness every `checkMs`; a main loop that
 * stops beating for `stallMs` fails liveness, so moving the probes off the main loop does not
 * hide a wedged process.
 */
export class ProbeServer {
  private heartbeat: NodeJS.Timeout | undefined;
  private check: NodeJS.Timeout | undefined;
  private stopped = false;
  private state: Readiness = 'starting';

  private constructor(
    private readonly worker: Worker,
    /** The port the probes are served on. */
    public readonly port: number,
    private readonly shared: Int32Array,
    private readonly onChange: ProbeServerOptions['onChange'],
  ) {}

  static async start(opts: ProbeServerOptions): Promise<ProbeServer> {
    const heartbeatMs = opts.heartbeatMs ?? 250;
    const shared = new SharedArrayBuffer(3 * 4);
    const data: WorkerData = {
      shared,
      slots: SLOTS,
      readiness: READINESS,
      paths: PROBE_PATHS,
      host: opts.host,
      port: opts.port,
      heartbeatMs,
      stallMs: opts.stallMs ?? 10_000,
      readinessStaleMs: opts.readinessStaleMs ?? 5_000,
    };
    // `__name` is what tsx and vitest's esbuild transform wrap named functions in: absent in
    // the worker's scope, so it is defined as the identity there.
    const source = `const __name = (f) => f;\n(${probeWorker.toString()})(require('node:worker_threads'), require('node:http'));`;
    const worker = new Worker(source, {
      eval: true,
      workerData: data,
      // Its heap holds one small server: a few MiB, not the main heap's share.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
      stdout: false,
      stderr: false,
    });
    const port = await new Promise<number>((resolve, reject) => {
      worker.once('message', (m: { port: number }) => resolve(m.port));
      worker.once('error', reject);
      worker.once('exit', (code) =>
        reject(new Error(`the probe worker exited with ${code} before listening`)),
      );
    });
    worker.removeAllListeners();
    const probes = new ProbeServer(worker, port, new Int32Array(shared), opts.onChange);
    worker.on('error', (err) => {
      if (!probes.stopped) opts.onExit(err);
    });
    worker.on('exit', (code) => {
      if (!probes.stopped) opts.onExit(new Error(`the probe worker exited with ${code}`));
    });
    probes.heartbeat = setInterval(
      () => Atomics.add(probes.shared, SLOTS.heartbeat, 1),
      heartbeatMs,
    );
    probes.heartbeat.unref();
    const checkMs = opts.checkMs ?? 1_000;
    const run = async () => {
      let next: Readiness;
      try {
        next = await opts.readiness();
      } catch {
        next = 'database_unreachable';
      }
      if (probes.stopped || probes.state === 'shutting_down') return;
      probes.set(next);
      probes.check = setTimeout(() => void run(), checkMs);
      probes.check.unref();
    };
    void run();
    return probes;
  }

  /** The readiness the worker answers now. */
  get readiness(): Readiness {
    return this.state;
  }

  private set(next: Readiness): void {
    Atomics.store(this.shared, SLOTS.readiness, READINESS.indexOf(next));
    Atomics.add(this.shared, SLOTS.checks, 1);
    const previous = this.state;
    this.state = next;
    if (next !== previous) this.onChange?.(next, previous);
  }

  /**
   * Readiness fails from now on (SIGTERM): the endpoints drop the pod while in-flight
   * requests finish. Liveness keeps answering until the process exits.
   */
  shuttingDown(): void {
    clearTimeout(this.check);
    this.set('shutting_down');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.check);
    await this.worker.terminate();
  }
}
