import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers';

/**
 * Every module a file loads at run time, following relative imports; `import type` and
 * `export type` are erased by the compiler and load nothing.
 */
function runtimeImports(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    const specifiers = [
      ...source.matchAll(
        /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm,
      ),
    ].map((m) => m[1]!);
    for (const s of specifiers) {
      if (!s.startsWith('.')) {
        packages.add(s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!);
        continue;
      }
      const base = path.resolve(path.dirname(file), s);
      const resolved = [`${base}.ts`, path.join(base, 'index.ts'), base].find(
        (f) => existsSync(f) && f.endsWith('.ts'),
      );
      if (resolved) visit(resolved);
    }
  };
  visit(path.join(ROOT, entry));
  return { files, packages };
}

describe('the Pulumi program', () => {
  it('loads neither cdktf nor its providers: a team on Pulumi does not run the archived engine', () => {
    // The walk does see cdktf where it is loaded.
    expect(runtimeImports('src/terraform/synth-terraform.ts').packages).toContain('cdktf');
    const { files, packages } = runtimeImports('pulumi/index.ts');
    expect([...packages].filter((p) => /^(cdktf|@cdktf\/|cdktf-)/.test(p))).toEqual([]);
    expect([...packages]).toEqual(
      expect.arrayContaining(['@pulumi/pulumi', '@pulumi/aws', '@pulumi/kubernetes']),
    );
    const infra = [...files].filter((f) =>
      f.includes(`${path.sep}constructs${path.sep}infra${path.sep}`),
    );
    expect(infra).toEqual([]);
  });

  it('reads its decisions from src/infrastructure, the module the cdktf constructs read too', () => {
    const { files } = runtimeImports('pulumi/index.ts');
    const shared = [...files]
      .filter((f) => f.includes(`${path.sep}src${path.sep}infrastructure${path.sep}`))
      .map((f) => path.basename(f))
      .sort();
    expect(shared).toEqual(
      expect.arrayContaining([
        'bucket-settings.ts',
        'cluster-settings.ts',
        'data-store-settings.ts',
        'identity-permissions.ts',
        'key-policy.ts',
        'node-settings.ts',
        'retention.ts',
        'policy.ts',
        'subnet-layout.ts',
      ]),
    );
    const constructs = runtimeImports('constructs/infra/platform-stack.ts').files;
    for (const name of shared.filter((n) => n !== 'describe-platform.ts' && n !== 'description.ts'))
      expect(
        [...constructs].some((f) => f.endsWith(`${path.sep}infrastructure${path.sep}${name}`)),
        name,
      ).toBe(true);
  });
});
