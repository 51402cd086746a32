import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers';

/** A throwaway repository holding the project as it is now, with one commit. */
function scratchRepo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'diff-base-test-'));
  const listed = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => f !== '' && !f.startsWith('node_modules/'));
  for (const f of listed) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    try {
      cpSync(path.join(ROOT, f), path.join(dir, f));
    } catch {
      // a file deleted in the working tree but still in the index
    }
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  // .gitignore's `node_modules/` matches a directory, not this link.
  writeFileSync(path.join(dir, '.git/info/exclude'), 'node_modules\n');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'diff test');
  // The synth of this commit is what the base must reproduce.
  execFileSync(path.join(dir, 'node_modules/.bin/tsx'), ['src/cli/synth.ts'], {
    cwd: dir,
    stdio: 'pipe',
  });
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  return dir;
}

const NEW_TENANT = `name: newco
displayName: NewCo Analytics
owners:
  - /tenants/newco/developers
environments: [dev, prod]
egress:
  - cidr: 203.0.113.0/24
    description: NewCo's data warehouse
models:
  - name: gpt-4o
    provider: openai
    model: gpt-4o-2024-08-06
    credential:
      source: platform
agents:
  - name: analyst
    description: Answers questions about NewCo's sales data
    model: gpt-4o
    systemMessage: You answer questions about sales data.
    skills:
      - id: answer
        name: Answer a question
        description: Answers a sales question
        tags: [sales]
        examples: ['How did Q3 go?']
    expose: true
`;

interface JsonReport {
  summary: { added: number; removed: number; changed: number; flagged: number };
  comparisons: {
    left: string;
    right: string;
    changes: {
      status: string;
      kind: string;
      namespace?: string;
      name: string;
      tenant?: string;
      file: string;
      fields: { path: string; before?: unknown; after?: unknown }[];
      risks: { kind: string; detail: string }[];
    }[];
  }[];
}

describe('diff --base on a commit that adds a tenant', () => {
  let repo: string;
  let run: ReturnType<typeof spawnSync>;
  let report: JsonReport;

  beforeAll(() => {
    repo = scratchRepo();
    writeFileSync(path.join(repo, 'tenants/newco.yaml'), NEW_TENANT);
    execFileSync(path.join(repo, 'node_modules/.bin/tsx'), ['src/cli/synth.ts'], {
      cwd: repo,
      stdio: 'pipe',
    });
    execFileSync('git', ['add', '-A'], { cwd: repo });
    execFileSync('git', ['commit', '-q', '-m', 'add tenant newco'], { cwd: repo });
    run = spawnSync(
      path.join(repo, 'node_modules/.bin/tsx'),
      ['src/cli/diff.ts', '--base', 'HEAD~1', '--format', 'json'],
      {
        cwd: repo,
        encoding: 'utf8',
      },
    );
    if (!String(run.stdout).startsWith('{'))
      throw new Error(`diff --base failed: ${String(run.stderr)}`);
    report = JSON.parse(String(run.stdout)) as JsonReport;
  }, 300_000);

  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('lists exactly the objects the tenant adds, in the environments it lists', () => {
    const tenantFiles = (env: string) =>
      execFileSync(
        'git',
        ['diff', '--name-only', '--diff-filter=A', 'HEAD~1', 'HEAD', '--', `dist/${env}`],
        { cwd: repo, encoding: 'utf8' },
      )
        .split('\n')
        .filter(Boolean)
        .map((f) => f.slice(`dist/${env}/`.length))
        .sort();
    for (const c of report.comparisons) {
      const env = c.left.split('@')[0]!;
      const added = c.changes.filter((x) => x.status === 'added');
      // Every added object is the tenant's, and every file the commit added is an added object.
      expect(
        added.every(
          (x) => x.tenant === 'newco' || x.name.includes('newco') || x.namespace === 'newco',
        ),
        env,
      ).toBe(true);
      expect([...new Set(added.map((x) => x.file))].sort(), env).toEqual(tenantFiles(env));
      expect(
        c.changes.filter((x) => x.status === 'removed'),
        env,
      ).toEqual([]);
      // A shared object that changes does so only to mention the tenant, or (the registry
      // Deployment, until #15 removes the annotation) to carry the digest of such an object.
      for (const x of c.changes.filter((y) => y.status === 'changed')) {
        const fields = x.fields.filter((f) => !JSON.stringify(f).includes('newco'));
        expect(
          fields.map((f) => `${x.kind} ${x.name} ${f.path}`),
          env,
        ).toEqual(
          fields.map(
            () =>
              'Deployment agent-registry spec.template.metadata.annotations["platform.agentic.io/catalog-digest"]',
          ),
        );
      }
      if (env === 'staging') expect(c.changes).toEqual([]);
      else expect(added.length).toBeGreaterThan(10);
    }
  });

  it('flags the tenant public route and its egress', () => {
    for (const env of ['dev', 'prod']) {
      const c = report.comparisons.find((x) => x.left.startsWith(`${env}@`))!;
      const route = c.changes.find((x) => x.kind === 'HTTPRoute' && x.name === 'a2a-analyst')!;
      expect(route.risks).toContainEqual(
        expect.objectContaining({
          kind: 'route-exposed',
          detail: expect.stringMatching(/^public route .*\/a2a\/newco\/analyst/),
        }),
      );
      const egress = c.changes.filter(
        (x) =>
          x.kind === 'NetworkPolicy' &&
          x.risks.some((r) => r.kind === 'network' && r.detail.includes('203.0.113.0/24:443')),
      );
      expect(egress.map((x) => x.namespace)).toEqual(['newco']);
      // The in-cluster model route is not a public exposure.
      const llm = c.changes.find((x) => x.kind === 'HTTPRoute' && x.name === 'llm-gpt-4o')!;
      expect(llm.risks.filter((r) => r.kind === 'route-exposed')).toEqual([]);
    }
  });

  it('exits 3 for flagged changes and leaves no worktree behind', () => {
    expect(run.status, String(run.stderr)).toBe(3);
    const worktrees = execFileSync('git', ['worktree', 'list', '--porcelain'], {
      cwd: repo,
      encoding: 'utf8',
    });
    expect(worktrees.match(/^worktree /gm)).toHaveLength(1);
    expect(report.summary.flagged).toBeGreaterThan(0);
  });

  it('fails with exit 2 on a ref that is not a commit', () => {
    const bad = spawnSync(
      path.join(repo, 'node_modules/.bin/tsx'),
      ['src/cli/diff.ts', '--base', 'no-such-ref'],
      { cwd: repo, encoding: 'utf8' },
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--base no-such-ref: not a commit/);
  });
});
