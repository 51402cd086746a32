import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  type MessagePort,
} from 'node:worker_threads';

/**
 * What the scanner runs: secretlint's recommended preset (a maintained rule set: AWS, GCP,
 * private keys, npm, basic-auth URLs, Slack, SendGrid, Shopify, Stripe, GitHub, GitLab,
 * Grafana, OpenAI, Anthropic, Groq, Hugging Face, Linear, Notion, 1Password, database
 * connection strings, HashiCorp Vault, Vercel, Databricks, Docker, Figma, Cloudflare,
 * Tailscale), versions pinned in package.json, with two changes to its defaults.
 */
export const SECRET_SCAN = {
  preset: '@secretlint/secretlint-rule-preset-recommend',
  rules: [
    {
      // The preset leaves AWS access key ids (AKIA…) off because an id alone signs nothing;
      // in a spec one means its secret is a paste away. Account ids are not credentials and
      // every environment spec declares one (aws.accountId).
      id: '@secretlint/secretlint-rule-aws',
      options: { enableIDScanRule: true },
      allowMessageIds: ['AWSAccountID'],
    },
    {
      // `# secretlint-disable` would let the pull request that adds a key also silence the
      // check on it; a spec has no business holding anything that looks like one.
      id: '@secretlint/secretlint-rule-filter-comments',
      disabled: true,
    },
  ],
  /**
   * Characters linted at once. secretlint's core de-duplicates findings in quadratic time
   * (4,000 findings in one source take about 3 s here), so a file of nothing but tokens is
   * linted in pieces of at most this size, each holding at most ~1,300 findings.
   */
  chunkChars: 16_384,
  /**
   * How far each piece reads into the next, so that a credential starting in one piece is
   * found whole: the longest the rules match (a GitHub app token, a PEM key) is under 12 KiB.
   */
  overlapChars: 12_288,
  /** The scan stops after this many findings: the specs are refused either way. */
  maxFindings: 100,
  /** How long a scan may take before spec loading gives up (the examples take milliseconds). */
  timeoutMs: 60_000,
} as const;

/** One credential secretlint found, as offsets into the text it was found in. */
export interface SecretFinding {
  /** Index of the text in the list passed to `scanForSecrets`. */
  readonly text: number;
  /** Offset of the finding in that text. */
  readonly offset: number;
  /** The rule, e.g. `@secretlint/secretlint-rule-github`. */
  readonly ruleId: string;
  /** What the rule found, e.g. `GITHUB_TOKEN`. */
  readonly messageId: string;
}

interface Scanner {
  readonly port: MessagePort;
  readonly flag: Int32Array;
}
let scanner: Scanner | undefined;

/** The worker is started once per process and never keeps it alive. */
function start(): Scanner {
  const signal = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./secret-scan-worker.mjs', import.meta.url), {
    workerData: { port: port2, signal, config: SECRET_SCAN },
    transferList: [port2],
    // Plain JavaScript: no TypeScript loader (tsx, vitest) needs to start in the worker.
    execArgv: [],
  });
  worker.unref();
  port1.unref();
  return { port: port1, flag: new Int32Array(signal) };
}

/**
 * Starts the scanner's worker ahead of the first scan, so that its start-up (a thread and the
 * preset's module) overlaps the YAML parsing that comes before the scan.
 */
export function warmSecretScan(): void {
  scanner ??= start();
}

/** What one scan found. */
export interface SecretScan {
  readonly findings: readonly SecretFinding[];
  /** The scan stopped at `SECRET_SCAN.maxFindings`; there may be more. */
  readonly truncated: boolean;
}

/**
 * Runs secretlint's recommended preset over `texts` and returns what it found, synchronously:
 * the texts go to a worker thread as one source (linted in pieces of `chunkChars`, not one
 * lint per file: the preset's per-run set-up costs about a millisecond, its patterns are
 * linear in the text), and this thread blocks on a shared flag until the answer is posted.
 */
export function scanForSecrets(
  texts: readonly string[],
  options: { readonly timeoutMs?: number } = {},
): SecretScan {
  const timeoutMs = options.timeoutMs ?? SECRET_SCAN.timeoutMs;
  if (texts.length === 0) return { findings: [], truncated: false };
  // A blank line between texts: no rule's pattern reaches across one into the next text.
  const SEPARATOR = '\n\n';
  const starts: number[] = [];
  let length = 0;
  for (const t of texts) {
    starts.push(length);
    length += t.length + SEPARATOR.length;
  }
  scanner ??= start();
  const { port, flag } = scanner;
  Atomics.store(flag, 0, 0);
  port.postMessage({ content: texts.join(SEPARATOR) });
  Atomics.wait(flag, 0, 0, timeoutMs);
  const reply = receiveMessageOnPort(port)?.message as
    | {
        messages: { ruleId: string; messageId: string; offset: number }[];
        truncated: boolean;
        error?: undefined;
      }
    | { error: string }
    | undefined;
  if (reply === undefined) {
    // Its answer would come late, to the next scan: that one starts a worker of its own.
    scanner = undefined;
    throw new Error(`the secret scan did not answer within ${timeoutMs} ms`);
  }
  if (reply.error !== undefined) throw new Error(`the secret scan failed: ${reply.error}`);
  const findings = reply.messages.map((m) => {
    const at = m.offset;
    // The last text that starts at or before the finding.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return {
      text: lo,
      offset: Math.min(at - starts[lo]!, texts[lo]!.length),
      ruleId: m.ruleId,
      messageId: m.messageId,
    };
  });
  return { findings, truncated: reply.truncated };
}
