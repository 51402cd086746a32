import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { declarePlatform, secretFieldValue } from '../../pulumi/declare-platform';
import { describeEnvironment } from '../../pulumi/describe-environment';
import { RESOURCE_TYPES } from '../../pulumi/resource-types';
import { describePlatform } from '../../src/infrastructure/describe-platform';
import type { InfrastructureDescription } from '../../src/infrastructure/description';
import { RESOURCE_KINDS } from '../../src/infrastructure/description';
import { platformStackProps } from '../../src/terraform/stack-props';
import { repoModel, sharedEnv } from '../helpers';
import { parseJsonencode, TYPE_MAPPINGS } from './parity-mapping';

const model = repoModel();
const props = platformStackProps(sharedEnv(model, 'dev'));

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: () => ({}),
    },
    'agentic-platform',
    'dev',
    false,
  );
});

describe('describePlatform', () => {
  it('names every resource by its Terraform address, each once', () => {
    const names = describePlatform(props).resources.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('network_eu_west_1a_private_subnet');
    expect(names).toContain('eks_admin_111111111111_platform_admin_access_entry');
  });

  it('throws naming the ARN when an admin principal is not an IAM role or user', () => {
    expect(() =>
      describePlatform({
        ...props,
        adminPrincipalArns: ['arn:aws:sts::111111111111:assumed-role/x/y'],
      }),
    ).toThrow(
      /adminPrincipalArns: "arn:aws:sts::111111111111:assumed-role\/x\/y" is not an IAM role or user ARN/,
    );
  });

  it('throws naming the logical name when two resources would share it', () => {
    const admin = props.adminPrincipalArns[0]!;
    expect(() => describePlatform({ ...props, adminPrincipalArns: [admin, admin] })).toThrow(
      /two resources are named "eks_admin_111111111111_platform_admin_access_entry"; rename one of them/,
    );
  });

  it('uses only kinds the Pulumi program and the parity mapping both know', () => {
    const kinds = new Set(describePlatform(props).resources.map((r) => r.kind));
    for (const kind of kinds) expect(RESOURCE_KINDS).toContain(kind);
    expect(Object.keys(RESOURCE_TYPES).sort()).toEqual([...RESOURCE_KINDS].sort());
    // kubernetes_manifest maps once per custom resource kind (AppProject, Application).
    expect(TYPE_MAPPINGS).toHaveLength(RESOURCE_KINDS.length + 1);
  });
});

describe('the Pulumi program', () => {
  it('throws naming the stack and the environments when the stack names none', () => {
    expect(() => describeEnvironment(model, 'qa')).toThrow(
      /stack "qa" names no environment; use one of dev, prod, staging/,
    );
  });

  it('refuses a prop its resource class has no argument for, instead of dropping it', () => {
    expect(() =>
      RESOURCE_TYPES.vpc('network_vpc', { cidrBlock: '10.0.0.0/16', ipv6: true }, {}),
    ).toThrow(/vpc "network_vpc": prop "ipv6" has no argument in VpcArgs; add "ipv6"/);
  });

  const base = describePlatform(props);
  const only = (resources: InfrastructureDescription['resources']): InfrastructureDescription => ({
    ...base,
    resources,
    outputs: {},
  });

  it('throws naming the reference when a resource reads one declared after it', () => {
    expect(() =>
      declarePlatform(
        only([
          {
            kind: 'internetGateway',
            name: 'igw',
            props: { vpcId: { ref: 'vpc', attribute: 'id' } },
          },
        ]),
      ),
    ).toThrow(/reference to "vpc" \(id\): no such resource before it/);
  });

  it('throws naming the attribute when the referenced resource has no such output', () => {
    expect(() =>
      declarePlatform(
        only([
          { kind: 'vpc', name: 'vpc', props: {} },
          {
            kind: 'internetGateway',
            name: 'igw',
            props: { vpcId: { ref: 'vpc', attribute: 'userGroupId' } },
          },
        ]),
      ),
    ).toThrow(/reference to "vpc": its resource has no output "userGroupId"/);
  });

  it('throws naming the dependency when dependsOn names a resource not declared before', () => {
    expect(() =>
      declarePlatform(only([{ kind: 'vpc', name: 'vpc', props: {}, dependsOn: ['igw'] }])),
    ).toThrow(/vpc: dependsOn "igw" is not declared before it/);
  });

  it('reads one field of a JSON secret and names secret and field when it is not there', () => {
    expect(
      secretFieldValue('{"password":"s3cret-s3cret-s3cret"}', 'platform/dev/x', 'password'),
    ).toBe('s3cret-s3cret-s3cret');
    expect(() => secretFieldValue('{"pw":"x"}', 'platform/dev/x', 'password')).toThrow(
      /secret "platform\/dev\/x" has no string field "password"; store \{"password": "..."\} in it/,
    );
    expect(() => secretFieldValue('not json', 'platform/dev/x', 'password')).toThrow(
      /secret "platform\/dev\/x" is not JSON/,
    );
  });
});

describe('the parity mapping', () => {
  it('reads a Terraform jsonencode of references and literals as the object it encodes', () => {
    expect(
      parseJsonencode(
        '${jsonencode({"host" = aws_db_instance.postgres.address, "port" = "5432"})}',
      ),
    ).toEqual({ host: '${aws_db_instance.postgres.address}', port: '5432' });
    expect(() => parseJsonencode('${aws_db_instance.postgres.address}')).toThrow(
      /not a jsonencode/,
    );
    expect(() => parseJsonencode('${jsonencode({"host": 1})}')).toThrow(/is not "key" = value/);
  });

  it('throws when an ElastiCache password is not read from a declared secret version', () => {
    const user = TYPE_MAPPINGS.find((m) => m.terraform === 'aws_elasticache_user')!;
    const config = { resource: {}, provider: {}, output: {}, data: {} };
    const props = (p: string) => ({ authentication_mode: { type: 'password', passwords: [p] } });
    expect(() => user.fromTerraform!(props('literal-password'), config)).toThrow(
      /is not read from a secret version/,
    );
    expect(() =>
      user.fromTerraform!(
        props('${jsondecode(data.aws_secretsmanager_secret_version.gone.secret_string).password}'),
        config,
      ),
    ).toThrow(/reads data source gone, which is not declared/);
  });
});
