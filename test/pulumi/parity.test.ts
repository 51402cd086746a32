import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEnvironment } from '../../pulumi/describe-environment';
import type { InfrastructureDescription } from '../../src/infrastructure/description';
import { LANGFUSE_REDIS } from '../../src/model/gitops-bridge';
import { repoModel, ROOT } from '../helpers';
import { compareEngines, formatDifference, type ParityReport } from './parity';
import { TYPE_MAPPINGS, type TerraformConfig } from './parity-mapping';
import { runUnderMocks, type MockRun } from './run-under-mocks';

const model = repoModel();
const ENVIRONMENTS = model.environments.map((e) => e.name);
const committed = (environment: string): TerraformConfig =>
  JSON.parse(
    readFileSync(path.join(ROOT, 'dist', environment, 'terraform', 'cdk.tf.json'), 'utf8'),
  ) as TerraformConfig;
const run = (d: InfrastructureDescription) => runUnderMocks(d, [LANGFUSE_REDIS.passwordKey]);
const differences = (r: ParityReport) => r.differences.map(formatDifference);

/** The description with one resource's props changed, as a mistake in the Pulumi path would. */
function withProps(
  d: InfrastructureDescription,
  name: string,
  edit: (props: Record<string, any>) => void,
): InfrastructureDescription {
  const copy = structuredClone(d) as unknown as {
    resources: { name: string; props: Record<string, any> }[];
  };
  const r = copy.resources.find((x) => x.name === name);
  if (!r) throw new Error(`no resource ${name} in the description`);
  edit(r.props);
  return copy as unknown as InfrastructureDescription;
}

const runs = new Map<string, MockRun>();
beforeAll(async () => {
  for (const environment of ENVIRONMENTS)
    runs.set(environment, await run(describeEnvironment(model, environment)));
});

describe('the Pulumi program under runtime mocks', () => {
  it('covers every environment of environments/', () => {
    expect(ENVIRONMENTS).toEqual(['dev', 'prod', 'staging']);
  });

  it.each(ENVIRONMENTS)(
    'declares what the committed cdk.tf.json of %s declares, resource by resource and property by property',
    (environment) => {
      const tf = committed(environment);
      const report = compareEngines(tf, runs.get(environment)!);
      expect(differences(report)).toEqual([]);
      const tfCount = Object.values(tf.resource).reduce((n, r) => n + Object.keys(r).length, 0);
      expect(report.resourcesCompared).toBe(tfCount);
      expect(report.typesMapped).toBe(Object.keys(tf.resource).length);
      expect(report.propertiesCompared).toBeGreaterThan(700);
    },
  );

  it.each(ENVIRONMENTS)(
    'exports the outputs of %s the GitOps Bridge reads, as references to the same attributes',
    (environment) => {
      const outputs = runs.get(environment)!.outputs;
      expect(outputs).toEqual({
        ClusterName: '${aws_eks_cluster.eks.name}',
        ClusterEndpoint: '${aws_eks_cluster.eks.endpoint}',
        VpcId: '${aws_vpc.network_vpc.id}',
        PostgresAddress: '${aws_db_instance.postgres.address}',
        RedisEndpoint: '${aws_elasticache_replication_group.redis.primary_endpoint_address}',
        LangfuseBucket: '${aws_s3_bucket.langfuse_bucket.bucket}',
      });
    },
  );

  it('reads the Langfuse Redis password from Secrets Manager, never from the description', () => {
    const dev = runs.get('dev')!;
    expect(dev.invokes).toEqual([
      {
        token: 'aws:secretsmanager/getSecretVersion:getSecretVersion',
        inputs: { secretId: 'platform/dev/langfuse-redis' },
      },
    ]);
    expect(JSON.stringify(describeEnvironment(model, 'dev'))).not.toMatch(/"passwords":\["[^$]/);
  });

  it('maps each Pulumi type to one Terraform type and back', () => {
    const tokens = TYPE_MAPPINGS.map((m) => m.pulumi);
    expect(new Set(tokens).size).toBe(tokens.length);
    const seen = new Set(runs.get('prod')!.resources.map((r) => r.type));
    for (const m of TYPE_MAPPINGS) expect(seen, m.pulumi).toContain(m.pulumi);
  });
});

describe('the parity check', () => {
  it('names the launch template and its hop limit when the Pulumi path raises the IMDS hop limit', async () => {
    const d = withProps(
      describeEnvironment(model, 'dev'),
      'node_groups_agents_launch_template',
      (p) => (p.metadataOptions.httpPutResponseHopLimit = 2),
    );
    expect(differences(compareEngines(committed('dev'), await run(d)))).toEqual([
      'aws_launch_template.node_groups_agents_launch_template: metadata_options.http_put_response_hop_limit: terraform 1, pulumi 2',
    ]);
  });

  it('names the cluster and endpoint access when the Pulumi path opens the API endpoint differently', async () => {
    const d = withProps(describeEnvironment(model, 'prod'), 'eks', (p) => {
      p.vpcConfig.endpointPrivateAccess = false;
    });
    expect(differences(compareEngines(committed('prod'), await run(d)))).toEqual([
      'aws_eks_cluster.eks: vpc_config.endpoint_private_access: terraform true, pulumi false',
    ]);
  });

  it('names the public access block flag when the Terraform JSON turns one off', () => {
    const tf = committed('staging');
    tf.resource.aws_s3_bucket_public_access_block!.langfuse_bucket_public_access_block!.block_public_policy = false;
    expect(differences(compareEngines(tf, runs.get('staging')!))).toEqual([
      'aws_s3_bucket_public_access_block.langfuse_bucket_public_access_block: block_public_policy: terraform false, pulumi true',
    ]);
  });

  it('names the node group taint when the Terraform JSON changes its effect', () => {
    const tf = committed('dev');
    (
      tf.resource.aws_eks_node_group!.node_groups_gateway!.taint as { effect: string }[]
    )[0]!.effect = 'PREFER_NO_SCHEDULE';
    expect(differences(compareEngines(tf, runs.get('dev')!))).toEqual([
      'aws_eks_node_group.node_groups_gateway: taint[0].effect: terraform "PREFER_NO_SCHEDULE", pulumi "NO_SCHEDULE"',
    ]);
  });

  it('compares IAM policies statement by statement, not as strings', () => {
    const tf = committed('dev');
    const policy = tf.resource.aws_iam_role_policy!.pod_identity_external_dns_policy!;
    const doc = JSON.parse(policy.policy as string);
    doc.Statement[1].Resource = 'arn:aws:route53:::hostedzone/*';
    policy.policy = JSON.stringify(doc, null, 2);
    expect(differences(compareEngines(tf, runs.get('dev')!))).toEqual([
      'aws_iam_role_policy.pod_identity_external_dns_policy: policy.Statement[1].Resource: terraform "arn:aws:route53:::hostedzone/*", pulumi "*"',
    ]);
  });

  it('compares references by the resource they name: a subnet moved to another route table differs', () => {
    const tf = committed('dev');
    tf.resource.aws_route_table_association!.network_eu_west_1b_private_routes_association!.route_table_id =
      '${aws_route_table.network_public_routes.id}';
    expect(differences(compareEngines(tf, runs.get('dev')!))).toEqual([
      'aws_route_table_association.network_eu_west_1b_private_routes_association: route_table_id: terraform "${aws_route_table.network_public_routes.id}", pulumi "${aws_route_table.network_eu_west_1b_private_routes.id}"',
    ]);
  });

  it('fails on a Terraform property the Pulumi side lacks, and on a resource only one side has', () => {
    const tf = committed('dev');
    tf.resource.aws_vpc!.network_vpc!.assign_generated_ipv6_cidr_block = true;
    delete tf.resource.aws_kms_alias!.data_key_alias;
    expect(differences(compareEngines(tf, runs.get('dev')!))).toEqual([
      'aws_vpc.network_vpc: assign_generated_ipv6_cidr_block: terraform true, pulumi undefined',
      'aws_kms_alias.data_key_alias: (resource): terraform "missing", pulumi "declared"',
    ]);
  });

  it('fails on a Terraform type the mapping does not know instead of skipping it', () => {
    const tf = committed('dev');
    tf.resource.aws_wafv2_web_acl = { edge: { name: 'edge' } };
    expect(differences(compareEngines(tf, runs.get('dev')!))).toEqual([
      'aws_wafv2_web_acl.edge: (type): terraform "aws_wafv2_web_acl", pulumi "no Pulumi type mapped; add one to TYPE_MAPPINGS in test/pulumi/parity-mapping.ts"',
    ]);
  });

  it('fails on a Pulumi type the mapping does not know', () => {
    const dev = runs.get('dev')!;
    const extra: MockRun = {
      ...dev,
      resources: [
        ...dev.resources,
        {
          type: 'aws:wafv2/webAcl:WebAcl',
          name: 'edge',
          inputs: {},
          options: { dependsOn: [], ignoreChanges: [], provider: 'aws' },
        },
      ],
    };
    expect(differences(compareEngines(committed('dev'), extra))).toEqual([
      'aws:wafv2/webAcl:WebAcl edge: (type): terraform "no Terraform type mapped; add one to TYPE_MAPPINGS in test/pulumi/parity-mapping.ts", pulumi "aws:wafv2/webAcl:WebAcl"',
    ]);
  });

  it('compares depends_on with the explicit dependsOn: a node group that stops waiting for the CNI differs', () => {
    const tf = committed('dev');
    const group = tf.resource.aws_eks_node_group!.node_groups_agents!;
    group.depends_on = (group.depends_on as string[]).filter(
      (d) => d !== 'aws_eks_addon.eks_vpc_cni',
    );
    expect(differences(compareEngines(tf, runs.get('dev')!))).toEqual([
      'aws_eks_node_group.node_groups_agents: depends_on: terraform [], pulumi ["aws_eks_addon.eks_vpc_cni"]',
    ]);
  });

  it('compares lifecycle.ignore_changes with ignoreChanges when the Pulumi path drops it', async () => {
    const d = structuredClone(describeEnvironment(model, 'dev')) as unknown as {
      resources: { name: string; ignoreChanges?: string[] }[];
    };
    delete d.resources.find((r) => r.name === 'node_groups_platform')!.ignoreChanges;
    const report = compareEngines(
      committed('dev'),
      await run(d as unknown as InfrastructureDescription),
    );
    expect(differences(report)).toEqual([
      'aws_eks_node_group.node_groups_platform: lifecycle.ignore_changes: terraform ["scaling_config[0].desired_size"], pulumi []',
    ]);
  });

  it('compares the providers: another allowed account is a difference', () => {
    const tf = committed('prod');
    tf.provider.aws![0]!.allowed_account_ids = ['111111111111'];
    expect(differences(compareEngines(tf, runs.get('prod')!))).toEqual([
      'provider.aws: allowed_account_ids[0]: terraform "111111111111", pulumi "333333333333"',
    ]);
  });

  it('compares the outputs by name and value', () => {
    const tf = committed('dev');
    tf.output.output_vpc_id = { value: '${aws_subnet.network_eu_west_1a_private_subnet.vpc_id}' };
    expect(differences(compareEngines(tf, runs.get('dev')!))).toEqual([
      'output: output_vpc_id: terraform "${aws_subnet.network_eu_west_1a_private_subnet.vpc_id}", pulumi "${aws_vpc.network_vpc.id}"',
    ]);
  });
});
