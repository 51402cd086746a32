import { describe, expect, it } from 'vitest';
import { ACCESSES, expected, type Subject } from './rbac';

const developer: Subject = {
  tenant: 'acme',
  role: 'developer',
  user: 'u',
  groups: ['/tenants/acme/developers'],
};
const sync: Subject = {
  tenant: 'acme',
  role: 'gitops-sync',
  user: 'system:serviceaccount:argocd:tenant-acme-sync',
  groups: [],
};
const access = (label: string) => ACCESSES.find((a) => a.label === label)!;

const viewer: Subject = {
  tenant: 'acme',
  role: 'viewer',
  user: 'v',
  groups: ['oidc:/tenants/acme/viewers'],
};

describe('the RBAC promise', () => {
  it('lets a viewer read pods and logs in its own namespace, nothing else', () => {
    expect(expected(viewer, access('list pods'), true)).toBe(true);
    expect(expected(viewer, access('get pods/log'), true)).toBe(true);
    expect(expected(viewer, access('create agents'), true)).toBe(false);
    expect(expected(viewer, access('get secrets'), true)).toBe(false);
  });

  it('lets a developer manage agents and read pod logs in its own namespace only', () => {
    expect(expected(developer, access('create agents'), true)).toBe(true);
    expect(expected(developer, access('get pods/log'), true)).toBe(true);
    expect(expected(developer, access('create agents'), false)).toBe(false);
  });

  it('never lets a developer read secrets, exec, or bind roles', () => {
    for (const label of [
      'get secrets',
      'list secrets',
      'create pods/exec',
      'create rolebindings',
    ]) {
      expect(expected(developer, access(label), true)).toBe(false);
    }
  });

  it('lets the sync identity write service accounts and kagent objects, nothing at cluster scope', () => {
    expect(expected(sync, access('create serviceaccounts'), true)).toBe(true);
    expect(expected(sync, access('create mcpservers'), true)).toBe(true);
    expect(expected(sync, access('list pods'), true)).toBe(false);
    expect(expected(sync, access('create namespaces'), true)).toBe(false);
  });
});
