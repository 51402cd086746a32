import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/model/build';
import { SpecError, type SpecIssue } from '../../src/spec/errors';
import { cidrsOverlap } from '../../src/spec/isolation';
import { parseSpecs } from '../../src/spec/load';
import type { SourceFile } from '../../src/spec/source';
import { withSpec } from '../helpers';

function issuesOf(files: SourceFile[]): SpecIssue[] {
  try {
    buildModel(parseSpecs(files));
  } catch (err) {
    if (err instanceof SpecError) return [...err.issues];
    throw err;
  }
  return [];
}

const ACME = 'tenants/acme.yaml';
const DEV = 'environments/dev.yaml';
const egress = (cidr: string) => (d: Record<string, unknown>) => ({
  ...d,
  egress: [{ cidr, description: 'under test' }],
});
const owners = (groups: string[]) => (d: Record<string, unknown>) => ({ ...d, owners: groups });
const exception = (e: Record<string, unknown>, files?: SourceFile[]) =>
  withSpec(
    DEV,
    (d) => ({
      ...d,
      isolationExceptions: [
        {
          name: 'acme-under-test',
          tenant: 'acme',
          justification: 'Partner VPN reached over the transit gateway until 2027',
          expires: '2027-03-31',
          ...e,
        },
      ],
    }),
    files,
  );

const refused: {
  name: string;
  files: () => SourceFile[];
  file: string;
  path: string;
  message: RegExp;
}[] = [
  {
    name: 'egress to the whole internet',
    files: () => withSpec(ACME, egress('0.0.0.0/0')),
    file: ACME,
    path: 'egress[0].cidr',
    message: /"0\.0\.0\.0\/0" is the whole internet in environment dev/,
  },
  {
    name: 'egress that covers the VPC (pod) range',
    files: () => withSpec(ACME, egress('10.0.0.0/8')),
    file: ACME,
    path: 'egress[0].cidr',
    message: /overlaps the VPC and pod range \(aws\.vpcCidr\) 10\.10\.0\.0\/16/,
  },
  {
    name: 'egress inside the VPC range',
    files: () => withSpec(ACME, egress('10.30.4.0/24')),
    file: ACME,
    path: 'egress[0].cidr',
    message: /overlaps the VPC and pod range .* 10\.30\.0\.0\/16 .*environment prod/,
  },
  {
    name: 'egress into the Kubernetes service range',
    files: () => withSpec(ACME, egress('172.20.5.0/24')),
    file: ACME,
    path: 'egress[0].cidr',
    message: /overlaps the Kubernetes service range 172\.20\.0\.0\/16/,
  },
  {
    name: 'an environment override with internet egress',
    files: () =>
      withSpec(ACME, (d) => ({
        ...d,
        overrides: {
          ...(d.overrides as object),
          prod: { egress: [{ cidr: '0.0.0.0/0', description: 'x' }] },
        },
      })),
    file: ACME,
    path: 'overrides.prod.egress[0].cidr',
    message: /whole internet in environment prod/,
  },
  {
    name: 'IPv6 egress to everything',
    files: () => withSpec(ACME, egress('::/0')),
    file: ACME,
    path: 'egress[0].cidr',
    message: /must be an IPv4 CIDR/,
  },
  {
    name: "another tenant's group as owner",
    files: () => withSpec(ACME, owners(['/tenants/globex/developers'])),
    file: ACME,
    path: 'owners[0]',
    message:
      /"\/tenants\/globex\/developers" is outside this tenant's groups; owners must be \/tenants\/acme/,
  },
  {
    name: 'a platform group as owner',
    files: () => withSpec(ACME, owners(['platform-admin'])),
    file: ACME,
    path: 'owners[0]',
    message: /"platform-admin" is outside this tenant's groups/,
  },
  {
    name: 'a group that only shares the prefix',
    files: () => withSpec(ACME, owners(['/tenants/acme-evil/developers'])),
    file: ACME,
    path: 'owners[0]',
    message: /outside this tenant's groups/,
  },
  {
    name: 'an exception for a tenant that does not run there',
    files: () => exception({ tenant: 'nobody', egressCidr: '0.0.0.0/0' }),
    file: DEV,
    path: 'isolationExceptions[0].tenant',
    message: /no tenant "nobody" runs in dev; remove the exception/,
  },
  {
    name: 'an exception nothing needs',
    files: () => exception({ egressCidr: '10.10.0.0/24' }),
    file: DEV,
    path: 'isolationExceptions[0]',
    message: /tenant acme does not need it \(10\.10\.0\.0\/24/,
  },
  {
    name: 'an exception with both an egress CIDR and an owner group',
    files: () => exception({ egressCidr: '0.0.0.0/0', ownerGroup: 'platform-admin' }),
    file: DEV,
    path: 'isolationExceptions[0]',
    message: /set exactly one of egressCidr or ownerGroup/,
  },
  {
    name: 'an exception without a reason',
    files: () => exception({ egressCidr: '0.0.0.0/0', justification: 'because' }),
    file: DEV,
    path: 'isolationExceptions[0].justification',
    message: /at least 20 characters/,
  },
  {
    name: 'a VPC range overlapping the service range',
    files: () =>
      withSpec(DEV, (d) => ({ ...d, aws: { ...(d.aws as object), vpcCidr: '172.20.0.0/16' } })),
    file: DEV,
    path: 'aws.vpcCidr',
    message: /overlaps the Kubernetes service range 172\.20\.0\.0\/16/,
  },
];

describe('tenant isolation rules', () => {
  it.each(refused)(
    'refuses $name, naming file, line and field',
    ({ files, file, path, message }) => {
      const issues = issuesOf(files());
      const hit = issues.find((i) => i.file === file && i.path === path && message.test(i.message));
      expect(hit, JSON.stringify(issues, null, 2)).toBeDefined();
      expect(hit!.line).toBeGreaterThan(0);
    },
  );

  it('accepts the repository specs as they are', () => {
    expect(issuesOf(withSpec(ACME, (d) => d))).toEqual([]);
  });

  it('accepts an egress CIDR a platform exception names for that tenant and environment', () => {
    const files = exception({ egressCidr: '10.0.0.0/8' }, withSpec(ACME, egress('10.0.0.0/8')));
    const issues = issuesOf(files);
    // dev has the exception; staging and prod do not, and still refuse it.
    expect(issues.map((i) => `${i.file} ${i.path}`).sort()).toEqual([
      `${ACME} egress[0].cidr`,
      `${ACME} egress[0].cidr`,
    ]);
    expect(issues.every((i) => !/environment dev/.test(i.message))).toBe(true);
  });

  it('accepts an owner group a platform exception names', () => {
    const withOwner = withSpec(ACME, (d) => ({ ...d, environments: ['dev'], overrides: {} }));
    const files = exception(
      { ownerGroup: '/shared/support' },
      withSpec(ACME, owners(['/tenants/acme/developers', '/shared/support']), withOwner),
    );
    expect(issuesOf(files)).toEqual([]);
  });

  it('accepts the tenant root group and any group below it', () => {
    const files = withSpec(ACME, owners(['/tenants/acme', '/tenants/acme/leads/oncall']));
    expect(issuesOf(files)).toEqual([]);
  });

  it.each([
    ['10.0.0.0/8', '10.10.0.0/16', true],
    ['10.10.0.0/16', '10.10.255.0/24', true],
    ['10.9.255.0/24', '10.10.0.0/16', false],
    ['140.82.112.0/20', '172.20.0.0/16', false],
    ['0.0.0.0/0', '172.20.0.0/16', true],
  ] as const)('cidrsOverlap(%s, %s) is %s', (a, b, expected) => {
    expect(cidrsOverlap(a, b)).toBe(expected);
    expect(cidrsOverlap(b, a)).toBe(expected);
  });
});
