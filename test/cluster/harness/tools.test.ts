import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateTools } from './tools';

describe('locateTools', () => {
  it('throws naming every missing binary and the scripts that build them', () => {
    const bin = mkdtempSync(path.join(tmpdir(), 'no-tools-'));
    expect(() => locateTools(bin)).toThrow(
      new RegExp(
        `cluster tools missing: .*${bin}/kube-apiserver.*kwok-v0.8.0/stages/node-initialize.yaml.*run .ci/install-cluster-tools.sh and .ci/install-kyverno.sh`,
      ),
    );
  });
});
