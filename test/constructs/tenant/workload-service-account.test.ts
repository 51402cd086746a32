import { describe, expect, it } from 'vitest';
import { WorkloadServiceAccount } from '../../../constructs/tenant/workload-service-account';
import { find, objectsOf } from '../../construct-helpers';

describe('WorkloadServiceAccount', () => {
  it('does not mount the API token by default', () => {
    const sa = find(
      objectsOf((s) => new WorkloadServiceAccount(s, 'sa', { name: 'agent-x', namespace: 'acme' })),
      'ServiceAccount',
      'agent-x',
    );
    expect(sa.automountServiceAccountToken).toBe(false);
  });

  it('mounts it only when asked explicitly', () => {
    const sa = find(
      objectsOf(
        (s) =>
          new WorkloadServiceAccount(s, 'sa', {
            name: 'x',
            namespace: 'acme',
            automountToken: true,
          }),
      ),
      'ServiceAccount',
      'x',
    );
    expect(sa.automountServiceAccountToken).toBe(true);
  });
});
