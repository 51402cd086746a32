import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  readFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeUtf8, readSpecFiles, SPEC_LIMITS } from '../../src/spec';
import { ROOT } from '../helpers';

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'spec-read-'));
  for (const dir of ['environments', 'tenants', 'policies'])
    cpSync(path.join(ROOT, dir), path.join(work, dir), { recursive: true });
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const issueFor = (file: string) => {
  const { issues, files } = readSpecFiles(work);
  expect(files.some((f) => f.path === file)).toBe(false);
  const hit = issues.find((i) => i.file === file);
  expect(hit, `no issue for ${file}: ${JSON.stringify(issues)}`).toBeDefined();
  return hit!;
};

describe('readSpecFiles reads only regular files of the repository', () => {
  it('reads every spec of the repository', () => {
    const { files, issues } = readSpecFiles(work);
    expect(issues).toEqual([]);
    expect(files.map((f) => f.path)).toContain('tenants/acme.yaml');
    expect(files.find((f) => f.path === 'tenants/acme.yaml')!.content).toBe(
      readFileSync(path.join(ROOT, 'tenants', 'acme.yaml'), 'utf8'),
    );
  });

  it('refuses a directory named like a spec', () => {
    mkdirSync(path.join(work, 'tenants', 'x.yaml'));
    expect(issueFor('tenants/x.yaml').message).toMatch(/is a directory; a spec must be a regular/);
  });

  it('refuses a named pipe without blocking on it', () => {
    execFileSync('mkfifo', [path.join(work, 'tenants', 'pipe.yaml')]);
    expect(issueFor('tenants/pipe.yaml').message).toMatch(/is a named pipe/);
  });

  it('refuses a symlink to a device (outside the repository)', () => {
    symlinkSync('/dev/zero', path.join(work, 'tenants', 'zero.yaml'));
    expect(issueFor('tenants/zero.yaml').message).toMatch(
      /symlink to \/dev\/zero, outside the repository/,
    );
  });

  it('refuses a symlink to a file outside the repository', () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'spec-outside-'));
    try {
      writeFileSync(path.join(outside, 'evil.yaml'), 'name: evil\n');
      symlinkSync(path.join(outside, 'evil.yaml'), path.join(work, 'tenants', 'evil.yaml'));
      expect(issueFor('tenants/evil.yaml').message).toMatch(/outside the repository/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('refuses a spec folder that is a symlink out of the repository', () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'spec-outside-'));
    try {
      rmSync(path.join(work, 'policies'), { recursive: true });
      symlinkSync(outside, path.join(work, 'policies'));
      const { issues } = readSpecFiles(work);
      expect(issues.find((i) => i.file === 'policies/')?.message).toMatch(/outside the repository/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('refuses a dangling symlink', () => {
    symlinkSync('nowhere.yaml', path.join(work, 'tenants', 'dangling.yaml'));
    expect(issueFor('tenants/dangling.yaml').message).toMatch(/dangling symlink/);
  });

  it('reads a symlink to a regular file inside the repository', () => {
    mkdirSync(path.join(work, 'shared'));
    writeFileSync(path.join(work, 'shared', 'x.yaml'), 'name: x\n');
    symlinkSync('../shared/x.yaml', path.join(work, 'tenants', 'x.yaml'));
    const { files } = readSpecFiles(work);
    expect(files.find((f) => f.path === 'tenants/x.yaml')?.content).toBe('name: x\n');
  });

  it('refuses a file named .yaml instead of skipping it', () => {
    writeFileSync(path.join(work, 'tenants', '.yaml'), 'name: hidden\n');
    expect(issueFor('tenants/.yaml').message).toMatch(/hidden \.yaml file/);
  });

  it('skips dotfiles that are not YAML and READMEs', () => {
    writeFileSync(path.join(work, 'tenants', '.gitkeep'), '');
    expect(readSpecFiles(work).issues).toEqual([]);
  });

  it('refuses a .yml typo', () => {
    writeFileSync(path.join(work, 'tenants', 'x.yml'), 'name: x\n');
    expect(issueFor('tenants/x.yml').message).toMatch(/not a \.yaml file/);
  });

  it('refuses a file over the size limit without reading it', () => {
    writeFileSync(path.join(work, 'tenants', 'big.yaml'), 'x'.repeat(SPEC_LIMITS.maxFileBytes + 1));
    expect(issueFor('tenants/big.yaml').message).toMatch(
      new RegExp(`${SPEC_LIMITS.maxFileBytes + 1} bytes; the limit is ${SPEC_LIMITS.maxFileBytes}`),
    );
  });

  it('refuses invalid UTF-8 with the line it is on', () => {
    writeFileSync(
      path.join(work, 'tenants', 'latin.yaml'),
      Buffer.concat([
        Buffer.from('name: latin\ndisplayName: Caf'),
        Buffer.from([0xe9]),
        Buffer.from('\n'),
      ]),
    );
    expect(issueFor('tenants/latin.yaml')).toMatchObject({
      line: 2,
      message: expect.stringMatching(/not valid UTF-8/),
    });
  });

  it('refuses a missing spec folder by name', () => {
    rmSync(path.join(work, 'policies'), { recursive: true });
    expect(readSpecFiles(work).issues).toEqual([
      expect.objectContaining({ file: 'policies/', message: expect.stringMatching(/missing/) }),
    ]);
  });

  it('refuses a spec folder that is a file', () => {
    rmSync(path.join(work, 'policies'), { recursive: true });
    writeFileSync(path.join(work, 'policies'), '');
    expect(readSpecFiles(work).issues[0]).toMatchObject({
      file: 'policies/',
      message: expect.stringMatching(/is not a folder/),
    });
  });
});

describe('decodeUtf8', () => {
  it('decodes valid UTF-8, multi-byte characters included', () => {
    expect(decodeUtf8(Buffer.from('name: café ✓\n'))).toEqual({ content: 'name: café ✓\n' });
  });

  it('refuses a truncated multi-byte sequence at the end of the file', () => {
    expect(decodeUtf8(Buffer.from([0x61, 0x0a, 0xe2, 0x9c]))).toMatchObject({ line: 2 });
  });
});
