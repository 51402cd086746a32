/**
 * Synthesis time as the tenant count grows (a benchmark, not a test: it prints figures).
 * Tenants are generated in memory from the first environment; nothing is written to disk.
 *   npm run bench:synth [-- 250 500 1000 2000]
 */
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { buildModel } from '../src/model/build';
import { parseSpecs } from '../src/spec/load';
import type { SourceFile } from '../src/spec/source';
import { synthesize } from '../src/synth/synthesize';

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const counts = sizes.length > 0 ? sizes : [250, 500, 1000, 2000];
const env: SourceFile = {
  path: 'environments/dev.yaml',
  content: readFileSync('environments/dev.yaml', 'utf8'),
};

function tenant(i: number): SourceFile {
  const name = `t${String(i).padStart(5, '0')}`;
  return {
    path: `tenants/${name}.yaml`,
    content: stringify({
      name,
      displayName: `Tenant ${i}`,
      owners: [`/tenants/${name}/developers`],
      environments: ['dev'],
      models: [
        { name: 'gpt', provider: 'openai', model: 'gpt-4o', credential: { source: 'platform' } },
      ],
      mcpServers: [
        {
          name: 'tools',
          description: 'd',
          image: 'ghcr.io/x/tools:1.0.0',
          tools: ['a', 'b'],
          expose: true,
        },
      ],
      agents: [
        {
          name: 'agent',
          description: 'd',
          model: 'gpt',
          systemMessage: 's',
          tools: [{ server: 'tools' }],
          expose: true,
        },
      ],
    }),
  };
}

console.log('tenants  files    spec+model ms  synth ms  total ms  µs/tenant  rss MiB');
for (const n of counts) {
  const files = [env, ...Array.from({ length: n }, (_, i) => tenant(i))];
  const t0 = performance.now();
  const model = buildModel(parseSpecs(files));
  const t1 = performance.now();
  const out = synthesize(model);
  const t2 = performance.now();
  const rss = process.memoryUsage().rss / 2 ** 20;
  console.log(
    `${String(n).padStart(7)}  ${String(out.size).padStart(6)}  ${(t1 - t0).toFixed(0).padStart(13)}  ${(t2 - t1).toFixed(0).padStart(8)}  ${(t2 - t0).toFixed(0).padStart(8)}  ${(((t2 - t0) * 1000) / n).toFixed(0).padStart(9)}  ${rss.toFixed(0).padStart(7)}`,
  );
}
