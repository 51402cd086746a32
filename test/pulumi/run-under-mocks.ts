import * as pulumi from '@pulumi/pulumi';
import { declarePlatform } from '../../pulumi/declare-platform';
import type { InfrastructureDescription } from '../../src/infrastructure/description';
import { snakeCase } from '../../src/infrastructure/description';
import { mappingForPulumi } from './parity-mapping';

export interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

export interface Invoked {
  readonly token: string;
  readonly inputs: Record<string, unknown>;
}

export interface MockRun {
  readonly resources: readonly Registered[];
  readonly invokes: readonly Invoked[];
  readonly outputs: Record<string, unknown>;
}

/**
 * Outputs every resource reports under mocks: the Terraform reference to the same attribute,
 * `${<terraform type>.<name>.<attribute>}`. A Pulumi input that reads another resource's
 * output then holds the very string cdk.tf.json holds where it references that resource, so
 * "this subnet is in that VPC" is compared, not merely "some VPC id".
 */
function referenceState(type: string, name: string, inputs: Record<string, any>) {
  const tf = mappingForPulumi(type)?.terraform ?? `unmapped(${type})`;
  const r = (attribute: string) => `\${${tf}.${name}.${attribute}}`;
  const simple = [
    'arn',
    'name',
    'keyId',
    'allocationId',
    'latestVersion',
    'endpoint',
    'address',
    'principalArn',
    'userId',
    'userGroupId',
    'bucket',
    'primaryEndpointAddress',
  ];
  return {
    ...inputs,
    ...Object.fromEntries(simple.map((a) => [a, r(snakeCase(a))])),
    certificateAuthority: { data: r('certificate_authority[0].data') },
    vpcConfig: {
      ...inputs.vpcConfig,
      clusterSecurityGroupId: r('vpc_config[0].cluster_security_group_id'),
    },
    masterUserSecrets: [{ secretArn: r('master_user_secret[0].secret_arn') }],
    metadata: { ...inputs.metadata, name: r('metadata[0].name') },
  };
}

/**
 * Runs the Pulumi program for one description with Pulumi's runtime mocks (no CLI, no cloud)
 * and collects every registered resource with its inputs, every invoke, and the stack
 * outputs. `secretFields` are the keys a Secrets Manager read may ask for; the mock answers
 * each with a marker naming the secret and key, never a value.
 */
export async function runUnderMocks(
  description: InfrastructureDescription,
  secretFields: readonly string[],
): Promise<MockRun> {
  const resources: Registered[] = [];
  const invokes: Invoked[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs });
        if (args.type.startsWith('pulumi:providers:'))
          return { id: `${args.name}-provider`, state: args.inputs };
        const tf = mappingForPulumi(args.type)?.terraform ?? `unmapped(${args.type})`;
        return {
          id: `\${${tf}.${args.name}.id}`,
          state: referenceState(args.type, args.name, args.inputs),
        };
      },
      call(args) {
        invokes.push({ token: args.token, inputs: args.inputs });
        const secretId = String(args.inputs.secretId);
        return {
          secretString: JSON.stringify(
            Object.fromEntries(secretFields.map((k) => [k, `secretField(${secretId}).${k}`])),
          ),
        };
      },
    },
    'agentic-platform',
    description.environment,
    false,
  );
  const outputs = declarePlatform(description);
  const resolved = await new Promise<Record<string, unknown>>((done) =>
    pulumi.all(outputs).apply((o) => done(o)),
  );
  // Registrations run asynchronously after their inputs resolve; wait until they settle.
  let count = -1;
  while (count !== resources.length) {
    count = resources.length;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { resources, invokes, outputs: resolved };
}
