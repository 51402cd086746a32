import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A component of the control plane, started by the harness and stopped by its PID. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Set once the process ended, with its exit code or signal. */
  readonly exited: () => string | undefined;
}

const running = new Map<number, ChildProcess>();

function killAll(): void {
  for (const pid of running.keys()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

// A test runner that dies mid-suite must not leave an API server behind on a shared machine:
// on exit, and on the signals a CI timeout or Ctrl-C sends.
process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
  });
}

/** Starts `command` with stdout and stderr in `logFile`. */
export function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  logFile: string,
  env: Readonly<Record<string, string>> = {},
): ManagedProcess {
  const fd = openSync(logFile, 'a');
  const child = spawn(command, [...args], {
    stdio: ['ignore', fd, fd],
    env: { ...process.env, ...env },
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  const pid = child.pid;
  running.set(pid, child);
  let exit: string | undefined;
  child.on('exit', (code, signal) => {
    exit = signal ? `signal ${signal}` : `exit code ${code}`;
    running.delete(pid);
  });
  return { name, pid, logFile, exited: () => exit };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopProcess(p: ManagedProcess, graceMs = 5_000): Promise<void> {
  const child = running.get(p.pid);
  if (!child) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}

/** The last `lines` lines of a component's log, for error messages. */
export function logTail(p: ManagedProcess, lines = 30): string {
  try {
    return readFileSync(p.logFile, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it returns true; fails with `describe()` after `timeoutMs`. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  describe: () => string = () => '',
  intervalMs = 250,
  /** Gives up at once when it returns a reason (e.g. the process being waited for died). */
  abort: () => string | undefined = () => undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    const reason = abort();
    if (reason) throw new Error(`stopped waiting for ${what}: ${reason}\n${describe()}`);
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${describe()}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
