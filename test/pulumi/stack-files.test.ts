import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { stackFile, stackFilePath } from '../../pulumi/stack-file';
import { repoModel, ROOT } from '../helpers';

const model = repoModel();

describe('pulumi/Pulumi.<env>.yaml', () => {
  it.each(model.environments.map((e) => e.name))(
    'is committed for %s as npm run pulumi:stacks writes it',
    (name) => {
      const e = model.environments.find((x) => x.name === name)!;
      const file = path.join(ROOT, stackFilePath(name));
      expect(
        readFileSync(file, 'utf8'),
        `run npm run pulumi:stacks and commit ${stackFilePath(name)}`,
      ).toBe(stackFile(e));
    },
  );

  it('exists only for environments of environments/', () => {
    const stacks = readdirSync(path.join(ROOT, 'pulumi'))
      .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
      .filter((s): s is string => s !== undefined)
      .sort();
    expect(stacks).toEqual(model.environments.map((e) => e.name).sort());
  });

  it('pins the default AWS provider to the environment account, with state in that account', () => {
    const prod = readFileSync(path.join(ROOT, 'pulumi/Pulumi.prod.yaml'), 'utf8');
    expect(parse(prod)).toEqual({
      config: { 'aws:region': 'eu-west-1', 'aws:allowedAccountIds': ['333333333333'] },
    });
    expect(prod).toContain(
      "pulumi login 's3://agentic-platform-tfstate-333333333333-eu-west-1/pulumi?region=eu-west-1'",
    );
  });

  it('Pulumi.yaml runs index.ts through tsx, as the rest of the repository runs', () => {
    const project = parse(readFileSync(path.join(ROOT, 'pulumi/Pulumi.yaml'), 'utf8'));
    expect(project).toMatchObject({
      name: 'agentic-platform',
      runtime: { name: 'nodejs', options: { typescript: false, nodeargs: '--import tsx' } },
      main: 'index.ts',
    });
  });
});
