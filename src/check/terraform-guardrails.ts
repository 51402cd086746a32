/**
 * Guardrails over synthesized Terraform JSON (`dist/<env>/terraform/cdk.tf.json`). They read
 * the committed JSON, not the constructs, so they hold whoever or whatever wrote the file,
 * and they need no cdktf. Each rule names what is wrong and how to fix it.
 */

export type TerraformSeverity = 'error' | 'warning';

export interface TerraformFinding {
  readonly file: string;
  /** Terraform address, e.g. `aws_s3_bucket.langfuse_bucket`. */
  readonly address: string;
  readonly rule: TerraformRuleId;
  readonly message: string;
  readonly remediation: string;
  readonly severity: TerraformSeverity;
}

export const TERRAFORM_RULES = {
  's3-encryption': 'Every S3 bucket has default SSE-KMS encryption',
  's3-public-access-block': 'Every S3 bucket blocks public ACLs and policies (all four settings)',
  'rds-not-public': 'No RDS instance is publicly accessible',
  'rds-encryption': 'RDS storage is encrypted',
  'rds-backups': 'RDS keeps automated backups',
  'no-open-ingress':
    'No security group ingress from 0.0.0.0/0 or ::/0, except a load balancer on 443',
  'eks-secrets-encryption': 'EKS envelope-encrypts Secrets with a KMS key',
  'imdsv2-required': 'Launch templates and instances require IMDSv2',
  'kms-key-rotation': 'KMS keys rotate automatically',
  'iam-no-wildcard-admin': 'No IAM identity policy allows wildcard actions on resource "*"',
} as const;

export type TerraformRuleId = keyof typeof TERRAFORM_RULES;

/**
 * Tag that marks a security group as a load balancer's. Only such a group may take
 * internet ingress, and only on 443.
 */
export const LOAD_BALANCER_TAG = {
  key: 'platform.agentic.io/load-balancer',
  value: 'true',
} as const;

type Block = Record<string, unknown>;
type Resources = Record<string, Record<string, Block>>;

/** Runs every rule over one Terraform JSON document. Findings are sorted by address, then rule. */
export function checkTerraform(file: string, json: unknown): TerraformFinding[] {
  const findings: TerraformFinding[] = [];
  const resources = (isObject(json) && isObject(json.resource) ? json.resource : {}) as Resources;
  const data = (isObject(json) && isObject(json.data) ? json.data : {}) as Resources;
  const report = (address: string, rule: TerraformRuleId, message: string, remediation: string) =>
    findings.push({ file, address, rule, message, remediation, severity: 'error' });
  const all = (type: string): [string, Block][] =>
    Object.entries(resources[type] ?? {}).map(([name, body]) => [`${type}.${name}`, body]);

  // S3: companion resources point at the bucket through `bucket = "${aws_s3_bucket.x.id}"`.
  for (const [address, body] of all('aws_s3_bucket')) {
    const name = address.split('.')[1]!;
    const refersToBucket = (b: Block) =>
      typeof b.bucket === 'string' && b.bucket.includes(`aws_s3_bucket.${name}.`);
    const sse = all('aws_s3_bucket_server_side_encryption_configuration').filter(([, b]) =>
      refersToBucket(b),
    );
    const kms = sse.some(([, b]) =>
      blocks(b.rule).some((r) =>
        blocks(r.apply_server_side_encryption_by_default).some((d) =>
          ['aws:kms', 'aws:kms:dsse'].includes(String(d.sse_algorithm)),
        ),
      ),
    );
    const legacyKms = blocks(body.server_side_encryption_configuration).some((c) =>
      blocks(c.rule).some((r) =>
        blocks(r.apply_server_side_encryption_by_default).some((d) =>
          String(d.sse_algorithm).startsWith('aws:kms'),
        ),
      ),
    );
    if (!kms && !legacyKms) {
      report(
        address,
        's3-encryption',
        'bucket has no default SSE-KMS encryption',
        'add an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm "aws:kms" and a customer KMS key',
      );
    }
    const pab = all('aws_s3_bucket_public_access_block').filter(([, b]) => refersToBucket(b));
    const flags = [
      'block_public_acls',
      'block_public_policy',
      'ignore_public_acls',
      'restrict_public_buckets',
    ];
    const complete = pab.some(([, b]) => flags.every((f) => b[f] === true));
    if (!complete) {
      const missing =
        pab.length === 0
          ? 'no aws_s3_bucket_public_access_block'
          : `not all of ${flags.join(', ')} are true`;
      report(
        address,
        's3-public-access-block',
        `bucket can become public: ${missing}`,
        `add an aws_s3_bucket_public_access_block for the bucket with ${flags.join(', ')} all true`,
      );
    }
  }

  for (const [address, body] of all('aws_db_instance')) {
    if (body.publicly_accessible === true) {
      report(
        address,
        'rds-not-public',
        'instance is publicly accessible',
        'set publicly_accessible = false and keep the instance in private subnets',
      );
    }
    if (body.storage_encrypted !== true && body.replicate_source_db === undefined) {
      report(
        address,
        'rds-encryption',
        'storage is not encrypted',
        'set storage_encrypted = true with a customer KMS key (kms_key_id); an existing instance needs a snapshot restore',
      );
    }
    const retention = body.backup_retention_period;
    if (typeof retention !== 'number' || retention < 1) {
      report(
        address,
        'rds-backups',
        `backup_retention_period is ${retention === undefined ? 'unset' : JSON.stringify(retention)}`,
        'set backup_retention_period to 1-35 days (7 or more for anything but dev)',
      );
    }
  }

  checkIngress(all, report);

  for (const [address, body] of all('aws_eks_cluster')) {
    const encrypted = blocks(body.encryption_config).some(
      (c) =>
        Array.isArray(c.resources) &&
        c.resources.includes('secrets') &&
        blocks(c.provider).some((p) => typeof p.key_arn === 'string' && p.key_arn !== ''),
    );
    if (!encrypted) {
      report(
        address,
        'eks-secrets-encryption',
        'Kubernetes Secrets are not envelope-encrypted with a KMS key',
        'add encryption_config { resources = ["secrets"], provider { key_arn = <KMS key ARN> } }',
      );
    }
  }

  for (const type of ['aws_launch_template', 'aws_instance']) {
    for (const [address, body] of all(type)) {
      const tokens = blocks(body.metadata_options).map((m) => m.http_tokens);
      if (!tokens.includes('required')) {
        report(
          address,
          'imdsv2-required',
          'IMDSv1 is allowed: any SSRF on the node can read instance credentials',
          'set metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 or 2 }',
        );
      }
    }
  }

  for (const [address, body] of all('aws_kms_key')) {
    const symmetric =
      body.customer_master_key_spec === undefined ||
      body.customer_master_key_spec === 'SYMMETRIC_DEFAULT';
    if (symmetric && body.enable_key_rotation !== true) {
      report(
        address,
        'kms-key-rotation',
        'automatic key rotation is off',
        'set enable_key_rotation = true (rotation_period_in_days 90-2560, default 365)',
      );
    }
  }

  checkIamPolicies(all, data, report);

  return findings.sort((a, b) =>
    a.address === b.address ? a.rule.localeCompare(b.rule) : a.address < b.address ? -1 : 1,
  );
}

type Report = (
  address: string,
  rule: TerraformRuleId,
  message: string,
  remediation: string,
) => void;
type All = (type: string) => [string, Block][];

const OPEN_CIDRS = ['0.0.0.0/0', '::/0'];

function checkIngress(all: All, report: Report): void {
  const groups = new Map(all('aws_security_group').map(([address, body]) => [address, body]));
  const isLoadBalancer = (group: Block | undefined) =>
    isObject(group?.tags) && group.tags[LOAD_BALANCER_TAG.key] === LOAD_BALANCER_TAG.value;
  const groupOf = (ref: unknown) => {
    const m =
      typeof ref === 'string' ? /\$\{(aws_security_group\.[A-Za-z0-9_-]+)\.id\}/.exec(ref) : null;
    return m ? groups.get(m[1]!) : undefined;
  };
  const judge = (
    address: string,
    cidrs: unknown[],
    from: unknown,
    to: unknown,
    protocol: unknown,
    group: Block | undefined,
  ) => {
    const open = cidrs.filter((c) => typeof c === 'string' && OPEN_CIDRS.includes(c));
    if (open.length === 0) return;
    const https = from === 443 && to === 443 && (protocol === 'tcp' || protocol === '6');
    if (https && isLoadBalancer(group)) return;
    report(
      address,
      'no-open-ingress',
      `ingress from ${open.join(', ')} on ports ${String(from)}-${String(to)}`,
      `restrict the source to known CIDRs or security groups; only a load balancer's group (tag ${LOAD_BALANCER_TAG.key}=${LOAD_BALANCER_TAG.value}) may take internet traffic, on tcp/443 only`,
    );
  };
  for (const [address, body] of groups) {
    for (const rule of blocks(body.ingress)) {
      judge(
        address,
        [...asArray(rule.cidr_blocks), ...asArray(rule.ipv6_cidr_blocks)],
        rule.from_port,
        rule.to_port,
        rule.protocol,
        body,
      );
    }
  }
  for (const [address, body] of all('aws_security_group_rule')) {
    if (body.type !== 'ingress') continue;
    judge(
      address,
      [...asArray(body.cidr_blocks), ...asArray(body.ipv6_cidr_blocks)],
      body.from_port,
      body.to_port,
      body.protocol,
      groupOf(body.security_group_id),
    );
  }
  for (const [address, body] of all('aws_vpc_security_group_ingress_rule')) {
    judge(
      address,
      [body.cidr_ipv4, body.cidr_ipv6],
      body.from_port,
      body.to_port,
      body.ip_protocol,
      groupOf(body.security_group_id),
    );
  }
}

/** Identity policies (attached to roles, users, groups) and the policy documents they are built from. */
const POLICY_RESOURCES: Record<string, string> = {
  aws_iam_policy: 'policy',
  aws_iam_role_policy: 'policy',
  aws_iam_user_policy: 'policy',
  aws_iam_group_policy: 'policy',
};

function checkIamPolicies(all: All, data: Resources, report: Report): void {
  const remediation =
    'name the actions the workload calls, or scope the resources to ARNs; "*" resources are only for actions IAM cannot scope';
  const judge = (
    address: string,
    statements: readonly { effect: unknown; actions: unknown[]; resources: unknown[] }[],
  ) => {
    for (const s of statements) {
      if (s.effect !== undefined && s.effect !== 'Allow') continue;
      const wild = s.actions.filter(
        (a) => typeof a === 'string' && (a === '*' || a.endsWith(':*')),
      );
      if (wild.length > 0 && s.resources.includes('*')) {
        report(
          address,
          'iam-no-wildcard-admin',
          `allows ${wild.join(', ')} on resource "*"`,
          remediation,
        );
      }
    }
  };
  for (const [type, attr] of Object.entries(POLICY_RESOURCES)) {
    for (const [address, body] of all(type)) {
      const raw = body[attr];
      let doc: unknown;
      try {
        doc = typeof raw === 'string' ? JSON.parse(raw) : raw;
      } catch {
        doc = undefined;
      }
      if (!isObject(doc)) {
        // A policy built by an expression cannot be read here; it must come as literal JSON
        // or from an aws_iam_policy_document data source, which are checked.
        if (
          typeof raw === 'string' &&
          /^\$\{data\.aws_iam_policy_document\.[^.]+\.json\}$/.test(raw)
        )
          continue;
        report(
          address,
          'iam-no-wildcard-admin',
          'policy is not literal JSON, so it cannot be checked',
          'write the policy as literal JSON or with an aws_iam_policy_document data source',
        );
        continue;
      }
      judge(
        address,
        asArray(doc.Statement)
          .filter(isObject)
          .map((s) => ({
            effect: s.Effect,
            actions: asArray(s.Action),
            resources: asArray(s.Resource),
          })),
      );
    }
  }
  for (const [name, body] of Object.entries(data.aws_iam_policy_document ?? {})) {
    judge(
      `data.aws_iam_policy_document.${name}`,
      blocks(body.statement).map((s) => ({
        effect: s.effect,
        actions: asArray(s.actions),
        resources: asArray(s.resources),
      })),
    );
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Terraform JSON writes a nested block as an object or as a list of objects. */
function blocks(value: unknown): Block[] {
  return asArray(value).filter(isObject);
}
