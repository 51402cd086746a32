import { GITOPS_BRIDGE } from '../model/gitops-bridge';

/** The Argo CD cluster Secret an environment's Terraform writes, as a cluster generator sees it. */
export interface ClusterSecret {
  readonly name: string;
  readonly server: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /**
   * Values that only exist after `terraform apply` (an RDS address, a VPC id), by annotation:
   * the renderer puts a marked stand-in there (see `unknownAfterApply`) and says so.
   */
  readonly unknownAfterApply: readonly string[];
}

type TerraformJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
};

/**
 * The value a Helm value gets where Terraform only knows the attribute after apply. It is a
 * valid DNS label (some charts put it in hostnames) and says what it stands for.
 */
export function unknownAfterApply(reference: string): string {
  return `after-apply-${reference.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`.replace(/-+$/, '');
}

const REFERENCE = /^\$\{([a-z0-9_]+)\.([a-z0-9_]+)\.([a-z0-9_.[\]]+)\}$/;

/**
 * Reads the GitOps-Bridge cluster Secret from an environment's synthesized Terraform
 * (`dist/<env>/terraform/cdk.tf.json`): the same labels and annotations Terraform writes into
 * the cluster. A value that is a Terraform reference is resolved the way apply would where the
 * configuration already fixes it (a resource's own literal attribute; an IAM role's ARN from
 * its name and the account), and marked as known only after apply otherwise.
 */
export function clusterSecretFromTerraform(terraformJson: string, file: string): ClusterSecret {
  let tf: TerraformJson;
  try {
    tf = JSON.parse(terraformJson) as TerraformJson;
  } catch (err) {
    throw new Error(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  const secrets = Object.values(tf.resource?.kubernetes_secret_v1 ?? {}).filter(
    (s) =>
      (s.metadata as { labels?: Record<string, string> } | undefined)?.labels?.[
        GITOPS_BRIDGE.labels.secretType
      ] === GITOPS_BRIDGE.secretTypeValue,
  );
  if (secrets.length !== 1) {
    throw new Error(
      `${file}: expected exactly one kubernetes_secret_v1 labelled ${GITOPS_BRIDGE.labels.secretType}=${GITOPS_BRIDGE.secretTypeValue} (the GitOps-Bridge cluster Secret), found ${secrets.length}`,
    );
  }
  const secret = secrets[0]!;
  const meta = secret.metadata as {
    name: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  const data = secret.data as { server?: string } | undefined;
  const account = meta.annotations[GITOPS_BRIDGE.annotations.accountId];
  const unknown: string[] = [];
  const resolve = (key: string, value: string): string => {
    const m = REFERENCE.exec(value);
    if (!m) {
      if (value.includes('${'))
        throw new Error(
          `${file}: cluster Secret ${key} = "${value}" is an expression the renderer cannot resolve`,
        );
      return value;
    }
    const [, type, name, attr] = m as unknown as [string, string, string, string];
    const res = tf.resource?.[type]?.[name];
    if (!res)
      throw new Error(
        `${file}: cluster Secret ${key} references ${type}.${name}, which is not in the configuration`,
      );
    const literal = res[attr];
    if (typeof literal === 'string' && !literal.includes('${')) return literal;
    if (type === 'aws_iam_role' && attr === 'arn' && typeof res.name === 'string' && account)
      return `arn:aws:iam::${account}:role/${res.name}`;
    unknown.push(key);
    return unknownAfterApply(`${type}.${name}.${attr}`);
  };
  const labels = Object.fromEntries(
    Object.entries(meta.labels).map(([k, v]) => [k, resolve(`label ${k}`, v)]),
  );
  const annotations = Object.fromEntries(
    Object.entries(meta.annotations).map(([k, v]) => [k, resolve(k, v)]),
  );
  return {
    name: resolve('name', meta.name),
    server: data?.server ?? GITOPS_BRIDGE.inClusterServer,
    labels,
    annotations,
    unknownAfterApply: unknown.sort(),
  };
}
