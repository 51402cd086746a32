import { describe, expect, it } from 'vitest';
import { TenantQuota } from '../../../constructs/tenant/tenant-quota';
import { find, objectsOf } from '../../construct-helpers';

const quota = {
  cpu: 4,
  memoryGiB: 8,
  pods: 20,
  services: 10,
  configMaps: 20,
  secrets: 15,
  persistentVolumeClaims: 5,
};
const objects = objectsOf(
  (s) =>
    new TenantQuota(s, 'q', {
      namespace: 'acme',
      quota,
      defaultCpuRequest: '100m',
      defaultMemoryRequestMiB: 128,
      defaultCpuLimit: '1000m',
      defaultMemoryLimitMiB: 1024,
    }),
);

describe('TenantQuota', () => {
  it('caps compute and object counts from the quota', () => {
    expect(find(objects, 'ResourceQuota', 'tenant-quota').spec.hard).toMatchObject({
      'requests.cpu': '4',
      'limits.cpu': '4',
      'requests.memory': '8Gi',
      'limits.memory': '8Gi',
      pods: 20,
      secrets: 15,
      persistentvolumeclaims: 5,
    });
  });

  it('allows no NodePort or LoadBalancer Service', () => {
    expect(find(objects, 'ResourceQuota', 'tenant-quota').spec.hard).toMatchObject({
      'services.nodeports': 0,
      'services.loadbalancers': 0,
    });
  });

  it('gives every container default requests and limits', () => {
    expect(find(objects, 'LimitRange', 'tenant-defaults').spec.limits).toEqual([
      {
        type: 'Container',
        defaultRequest: { cpu: '100m', memory: '128Mi' },
        default: { cpu: '1000m', memory: '1024Mi' },
      },
    ]);
  });
});
