import { rules as presetRules } from '@secretlint/secretlint-rule-preset-recommend';
import { describe, expect, it } from 'vitest';
import { SECRET_SCAN, scanForSecrets } from '../../src/spec/secret-scan';
import { repoSpecFiles } from '../helpers';
import { CREDENTIALS } from './credential-samples';

const GITHUB = CREDENTIALS.find((c) => c.messageId === 'GITHUB_TOKEN')!.value;
const ruleName = (id: string) => id.replace('@secretlint/secretlint-rule-', '');

describe('the secret scan (secretlint recommended preset, in a worker)', () => {
  it('has a sample credential for every rule of the preset it runs', () => {
    const disabled = SECRET_SCAN.rules.filter((r) => 'disabled' in r).map((r) => ruleName(r.id));
    const run = presetRules.map((r) => ruleName(r.meta.id)).filter((r) => !disabled.includes(r));
    // The gcp rule reads a whole file as a service-account key JSON; pasted into a spec, such a
    // key is found by its PEM private key (the "GCP service-account key" sample).
    expect(new Set([...CREDENTIALS.map((c) => c.rule), 'gcp'])).toEqual(new Set(run));
  });

  it.each(CREDENTIALS)('finds $family ($rule: $messageId)', (c) => {
    expect(scanForSecrets([`field: ${c.value}`]).findings).toContainEqual({
      text: 0,
      offset: 7 + (c.at ?? 0),
      ruleId: `@secretlint/secretlint-rule-${c.rule}`,
      messageId: c.messageId,
    });
  });

  it('finds nothing in the example specs', () => {
    expect(scanForSecrets(repoSpecFiles().map((f) => f.content))).toEqual({
      findings: [],
      truncated: false,
    });
  });

  it('maps each finding back to its own text and offset in one scan of many', () => {
    const texts = ['a: 1\n', `b: ${GITHUB}\n`, 'c: 2\n'.repeat(1000), `x\n  d: ${GITHUB}`];
    expect(scanForSecrets(texts).findings.map((f) => [f.text, f.offset])).toEqual([
      [1, 3],
      [3, 7],
    ]);
  });

  it('does not let a secretlint-disable comment silence a finding', () => {
    const found = scanForSecrets([`# secretlint-disable\nkey: ${GITHUB}\n`]).findings;
    expect(found.map((f) => f.messageId)).toEqual(['GITHUB_TOKEN']);
  });

  it('reports AWS access key ids but not account ids', () => {
    const id = CREDENTIALS.find((c) => c.messageId === 'AWSAccessKeyID')!.value;
    const found = scanForSecrets([`accountId: '111111111111'\nkey: ${id}\n`]).findings;
    expect(found.map((f) => f.messageId)).toEqual(['AWSAccessKeyID']);
  });

  it('finds a credential that straddles two pieces of the scan, once', () => {
    const key = CREDENTIALS.find((c) => c.family === 'an RSA private key')!.value;
    const before = 'x'.repeat(SECRET_SCAN.chunkChars - 40);
    const found = scanForSecrets([`${before}\n${key}\n`]).findings;
    expect(found).toEqual([
      expect.objectContaining({ offset: before.length + 1, messageId: 'PrivateKey' }),
    ]);
  });

  it('stops after maxFindings, in bounded time, and says so', () => {
    const id = CREDENTIALS.find((c) => c.messageId === 'AWSAccessKeyID')!.value;
    const text = Array.from({ length: 12_000 }, () => `- ${id}`).join('\n');
    const scan = scanForSecrets([text]);
    expect(scan.truncated).toBe(true);
    expect(scan.findings.length).toBeGreaterThanOrEqual(SECRET_SCAN.maxFindings);
    expect(scan.findings.length).toBeLessThan(SECRET_SCAN.maxFindings + 2000);
  });

  it('gives up with an error naming the wait when the scanner does not answer in time', () => {
    const big = `${'word '.repeat(400_000)}${GITHUB}`;
    expect(() => scanForSecrets([big], { timeoutMs: 0 })).toThrow(
      /the secret scan did not answer within 0 ms/,
    );
    // The next scan starts a worker of its own and is not handed the late answer.
    expect(scanForSecrets([`k: ${GITHUB}`]).findings.map((f) => f.offset)).toEqual([3]);
  });
});
