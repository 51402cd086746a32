import { describe, expect, it } from 'vitest';
import { EncryptionKey } from '../../../constructs/infra/encryption-key';
import { only, synthScope } from './helpers';

const base = {
  description: 'test',
  alias: 'agentic-test/data',
  accountId: '111111111111',
  partition: 'aws',
};

describe('EncryptionKey', () => {
  it('rotates yearly and has an alias', () => {
    const json = synthScope((s) => new EncryptionKey(s, 'Key', base));
    expect(only(json, 'aws_kms_key')).toMatchObject({
      enable_key_rotation: true,
      rotation_period_in_days: 365,
      deletion_window_in_days: 30,
    });
    expect(only(json, 'aws_kms_alias').name).toBe('alias/agentic-test/data');
  });

  it('admits CloudWatch Logs and Auto Scaling only when asked', () => {
    const sids = (props: object) =>
      JSON.parse(
        only(
          synthScope((s) => new EncryptionKey(s, 'Key', { ...base, ...props })),
          'aws_kms_key',
        ).policy,
      ).Statement.map((x: { Sid: string }) => x.Sid);
    expect(sids({})).toEqual(['AccountAdministersKeyThroughIam']);
    expect(sids({ cloudWatchLogsRegion: 'eu-west-1', allowAutoScaling: true })).toEqual([
      'AccountAdministersKeyThroughIam',
      'CloudWatchLogsEncryptsLogGroups',
      'AutoScalingUsesKeyForNodeVolumes',
      'AutoScalingGrantsKeyToEc2',
    ]);
  });

  it('fails on a deletion window KMS does not accept', () => {
    expect(() =>
      synthScope((s) => new EncryptionKey(s, 'Key', { ...base, deletionWindowDays: 3 })),
    ).toThrow(/deletionWindowDays: 3 is not allowed/);
  });

  it('fails on an alias that repeats the alias/ prefix', () => {
    expect(() =>
      synthScope((s) => new EncryptionKey(s, 'Key', { ...base, alias: 'alias/x' })),
    ).toThrow(/alias: "alias\/x" must not start with "alias\/"; pass "x"/);
  });
});
