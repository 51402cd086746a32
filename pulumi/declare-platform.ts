import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import {
  isConcat,
  isJson,
  isRef,
  isSecretField,
  type InfrastructureDescription,
  type Ref,
  type Value,
} from '../src/infrastructure/description';
import { RESOURCE_TYPES } from './resource-types';

/**
 * Declares an environment's infrastructure description as Pulumi resources, one per entry,
 * named by the entry's logical name (the Terraform address), and returns the stack outputs.
 * It decides nothing: every value comes from the description; this only resolves references
 * to Pulumi outputs and names each kind's resource class.
 */
export function declarePlatform(
  description: InfrastructureDescription,
): Record<string, pulumi.Output<string>> {
  const a = description.awsProvider;
  const awsProvider = new aws.Provider('aws', {
    region: a.region as aws.Region,
    allowedAccountIds: [...a.allowedAccountIds],
    defaultTags: { tags: { ...a.defaultTags } },
  });
  const created = new Map<string, pulumi.CustomResource>();
  const secretStrings = new Map<string, pulumi.Output<string>>();
  let kubernetesProvider: k8s.Provider | undefined;

  const attribute = (r: Ref): pulumi.Output<unknown> => {
    const res = created.get(r.ref);
    if (!res) {
      throw new Error(
        `reference to "${r.ref}" (${r.attribute}): no such resource before it in the description; list it earlier in src/infrastructure/describe-platform.ts`,
      );
    }
    const o = res as unknown as Record<string, pulumi.Output<unknown>>;
    switch (r.attribute) {
      case 'certificateAuthorityData':
        return (res as aws.eks.Cluster).certificateAuthority.data;
      case 'clusterSecurityGroupId':
        return (res as aws.eks.Cluster).vpcConfig.clusterSecurityGroupId;
      case 'masterUserSecretArn':
        return (res as aws.rds.Instance).masterUserSecrets.apply((s) => s[0]?.secretArn);
      case 'metadataName':
        return (res as k8s.core.v1.Namespace).metadata.name;
      default: {
        const out = o[r.attribute];
        if (out === undefined) {
          throw new Error(
            `reference to "${r.ref}": its resource has no output "${r.attribute}"; map the attribute in pulumi/declare-platform.ts`,
          );
        }
        return out;
      }
    }
  };
  const secretField = (name: string, secretId: string, key: string): pulumi.Output<string> => {
    let secretString = secretStrings.get(name);
    if (!secretString) {
      secretString = aws.secretsmanager.getSecretVersionOutput(
        { secretId },
        { provider: awsProvider },
      ).secretString;
      secretStrings.set(name, secretString);
    }
    return pulumi.secret(secretString.apply((s) => secretFieldValue(s, secretId, key)));
  };
  const resolve = (v: unknown): pulumi.Input<unknown> => {
    if (isRef(v)) return attribute(v);
    if (isConcat(v)) return pulumi.concat(...v.concat.map(resolve));
    if (isJson(v)) return pulumi.jsonStringify(resolve(v.json));
    if (isSecretField(v))
      return secretField(v.secretField.name, v.secretField.secretId, v.secretField.key);
    if (Array.isArray(v)) return v.map(resolve);
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
    }
    return v as pulumi.Input<unknown>;
  };
  const kubernetes = (): k8s.Provider => {
    if (kubernetesProvider) return kubernetesProvider;
    const kp = description.kubernetesProvider;
    // A kubeconfig with exec auth, as Terraform's provider block has it: a fresh
    // `aws eks get-token` on every run, no token in the state.
    const kubeconfig = pulumi.jsonStringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'cluster',
          cluster: {
            server: resolve(kp.host),
            'certificate-authority-data': resolve(kp.certificateAuthorityData),
          },
        },
      ],
      users: [
        {
          name: 'aws',
          user: {
            exec: {
              apiVersion: kp.exec.apiVersion,
              command: kp.exec.command,
              args: resolve(kp.exec.args as Value),
            },
          },
        },
      ],
      contexts: [{ name: 'aws', context: { cluster: 'cluster', user: 'aws' } }],
      'current-context': 'aws',
    });
    kubernetesProvider = new k8s.Provider('kubernetes', { kubeconfig });
    return kubernetesProvider;
  };

  for (const r of description.resources) {
    const dependsOn = (r.dependsOn ?? []).map((name) => {
      const dependency = created.get(name);
      if (!dependency) {
        throw new Error(
          `${r.name}: dependsOn "${name}" is not declared before it; list it earlier in src/infrastructure/describe-platform.ts`,
        );
      }
      return dependency;
    });
    const opts: pulumi.CustomResourceOptions = {
      provider: r.provider === 'kubernetes' ? kubernetes() : awsProvider,
      ...(dependsOn.length > 0 ? { dependsOn } : {}),
      ...(r.ignoreChanges ? { ignoreChanges: [...r.ignoreChanges] } : {}),
    };
    const props = resolve(r.props) as Record<string, unknown>;
    created.set(r.name, RESOURCE_TYPES[r.kind](r.name, props, opts));
  }
  return Object.fromEntries(
    Object.entries(description.outputs).map(([name, value]) => [
      name,
      pulumi.output(attribute(value)) as pulumi.Output<string>,
    ]),
  );
}

/** One string field of a JSON secret; throws naming the secret and field when it is absent. */
export function secretFieldValue(secretString: string, secretId: string, key: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new Error(
      `Secrets Manager secret "${secretId}" is not JSON; store {"${key}": "..."} in it`,
    );
  }
  const value = (parsed as Record<string, unknown> | null)?.[key];
  if (typeof value !== 'string') {
    throw new Error(
      `Secrets Manager secret "${secretId}" has no string field "${key}"; store {"${key}": "..."} in it`,
    );
  }
  return value;
}
