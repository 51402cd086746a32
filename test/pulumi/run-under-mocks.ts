import * as pulumi from '@pulumi/pulumi';
import { declarePlatform } from '../../pulumi/declare-platform';
import type { InfrastructureDescription } from '../../src/infrastructure/description';
import { snakeCase } from '../../src/infrastructure/description';
import { mappingForPulumi } from './parity-mapping';

export interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** Resource options as the engine receives them (mocks' newResource does not see them). */
  readonly options: RegisteredOptions;
}

export interface RegisteredOptions {
  /** Explicit dependsOn, as `<pulumi type>::<name>`; dependencies through inputs are not here. */
  readonly dependsOn: readonly string[];
  readonly ignoreChanges: readonly string[];
  /** Package of the provider the resource is applied with (`aws`, `kubernetes`). */
  readonly provider: string | undefined;
}

/** The request fields of the resource monitor's RegisterResource call that carry the options. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getProvider(): string;
  getDependenciesList(): string[];
  getIgnorechangesList(): string[];
  getPropertydependenciesMap(): { forEach(f: (v: { getUrnsList(): string[] }) => void): void };
}

/** `urn:pulumi:<stack>::<project>::<parent$type>::<name>` to `<type>::<name>`. */
function urnResource(urn: string): string {
  const parts = urn.split('::');
  const name = parts.pop()!;
  const type = parts.pop()!.split('$').pop()!;
  return `${type}::${name}`;
}

function registeredOptions(req: RegisterRequest): RegisteredOptions {
  const throughInputs = new Set<string>();
  req
    .getPropertydependenciesMap()
    .forEach((d) => d.getUrnsList().forEach((u) => throughInputs.add(u)));
  const provider = /::pulumi:providers:([^:]+)::/.exec(req.getProvider())?.[1];
  return {
    dependsOn: req
      .getDependenciesList()
      .filter((u) => !throughInputs.has(u))
      .map(urnResource),
    ignoreChanges: req.getIgnorechangesList(),
    provider,
  };
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
  const options = new Map<string, RegisteredOptions>();
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        resources.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs,
          options: options.get(`${args.type}::${args.name}`) ?? {
            dependsOn: [],
            ignoreChanges: [],
            provider: undefined,
          },
        });
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
  // Mocks hand newResource the inputs only; the options are read off the request on its way
  // to the mock monitor, before newResource runs.
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, callback: unknown): Promise<void>;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    options.set(`${req.getType()}::${req.getName()}`, registeredOptions(req));
    return register(req, callback);
  };
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
