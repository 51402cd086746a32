// The secretlint side of src/spec/secret-scan.ts, in a worker thread: @secretlint/core's
// lintSource is asynchronous, spec loading is synchronous, so the loader posts the text here
// and blocks on a shared flag until the answer is posted back (see secret-scan.ts). Plain
// JavaScript so that it loads the same under tsx, vitest and plain node.
import { workerData } from 'node:worker_threads';

const { port, signal, config } = workerData;
const flag = new Int32Array(signal);

/** Loaded once per worker; an import failure is reported to the caller, not thrown away. */
const linter = Promise.all([
  import('@secretlint/core'),
  import('@secretlint/secretlint-rule-preset-recommend'),
]).then(([core, preset]) => ({
  lintSource: core.lintSource,
  // Each rule of the preset as a rule of its own, with the overrides of secret-scan.ts: core
  // honours `disabled` only at the top level (13.1.0 ignores it for a rule inside a preset).
  rules: preset.rules.map((rule) => ({
    ...config.rules.find((r) => r.id === rule.meta.id),
    id: rule.meta.id,
    rule,
  })),
}));

/**
 * Lints `content` piece by piece: core's de-duplication of findings is quadratic (4,000
 * findings in one source take seconds), so no piece may hold more than a chunk's worth. Each
 * piece reads `overlap` characters into the next, so a credential that starts in it is found
 * whole; it is kept by the piece it starts in. Stops once `maxFindings` are found.
 */
async function scan({ lintSource, rules }, content) {
  const { chunkChars, overlapChars, maxFindings } = config;
  const messages = [];
  for (let start = 0; start < content.length; start += chunkChars) {
    const result = await lintSource({
      source: {
        content: content.slice(start, start + chunkChars + overlapChars),
        filePath: 'specs.yaml',
        ext: '.yaml',
        contentType: 'text',
      },
      options: { config: { rules }, maskSecrets: true, noPhysicFilePath: true },
    });
    for (const m of result.messages) {
      if (m.range[0] >= chunkChars) continue;
      messages.push({
        ruleId: m.ruleId,
        messageId: m.messageId,
        offset: start + m.range[0],
      });
    }
    if (messages.length >= maxFindings) return { messages, truncated: true };
  }
  return { messages, truncated: false };
}

port.on('message', async ({ content }) => {
  let answer;
  try {
    answer = await scan(await linter, content);
  } catch (err) {
    answer = { error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(answer);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
