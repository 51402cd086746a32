import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { subnetLayout } from '../../src/infrastructure/subnet-layout';
import { policyDocument, serviceTrustPolicy } from '../../src/infrastructure/policy';
import { FLOW_LOG_SETTINGS, RETENTION_DAYS } from '../../src/infrastructure/retention';

/** How many NAT gateways carry the private subnets' egress. */
export type NatGateways = 'single' | 'perZone';

export interface NetworkProps {
  /** Prefix of resource names, usually the cluster name. */
  readonly name: string;
  /** EKS cluster whose load balancers and nodes use the subnets (for the discovery tags). */
  readonly clusterName: string;
  /** VPC range; a /16 to /20, split into three private and three public subnets. */
  readonly cidr: string;
  /** Exactly three availability zones, one private and one public subnet each. */
  readonly availabilityZones: readonly string[];
  /** `single` saves cost; `perZone` keeps egress working when a zone fails. */
  readonly natGateways: NatGateways;
  /** KMS key ARN the flow-log group is encrypted with; the key must admit CloudWatch Logs. */
  readonly flowLogKeyArn: string;
  /**
   * Days VPC flow logs are kept.
   *
   * @default 365
   */
  readonly flowLogRetentionDays?: number;
}

/**
 * A VPC over three zones: private subnets (nodes, pods, data stores) of one eighth of the
 * range each, small public subnets (NAT gateways, internet-facing load balancers), NAT per
 * zone or one, and VPC flow logs to an encrypted CloudWatch log group.
 *
 * Subnets carry the tags the AWS Load Balancer Controller discovers them by:
 * `kubernetes.io/role/elb` (public), `kubernetes.io/role/internal-elb` (private) and
 * `kubernetes.io/cluster/<cluster>`.
 */
export class Network extends Construct {
  public readonly vpc: Vpc;
  public readonly vpcId: string;
  public readonly privateSubnetIds: string[];
  public readonly publicSubnetIds: string[];
  /** CIDRs of the private subnets, in zone order. */
  public readonly privateSubnetCidrs: string[];
  public readonly publicSubnetCidrs: string[];
  public readonly flowLogRetentionDays: number;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    this.flowLogRetentionDays = props.flowLogRetentionDays ?? RETENTION_DAYS.flowLogs;
    const layout = subnetLayout(props.cidr);
    if (props.availabilityZones.length !== 3 || new Set(props.availabilityZones).size !== 3) {
      throw new Error(
        `availabilityZones: [${props.availabilityZones.join(', ')}] must be exactly three distinct zones`,
      );
    }

    // The layout is decided with the description the Pulumi program declares.
    this.privateSubnetCidrs = layout.privateCidrs;
    this.publicSubnetCidrs = layout.publicCidrs;

    this.vpc = new Vpc(this, 'Vpc', {
      cidrBlock: props.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: props.name },
    });
    this.vpcId = this.vpc.id;
    // Every VPC comes with a default security group that admits all traffic among its members
    // and all egress; anything launched without a group lands in it. Taking it over with no
    // ingress and no egress blocks leaves it empty: Terraform removes AWS's default rules.
    new DefaultSecurityGroup(this, 'DefaultSecurityGroup', {
      vpcId: this.vpc.id,
      ingress: [],
      egress: [],
      tags: { Name: `${props.name}-default-deny` },
    });
    const igw = new InternetGateway(this, 'InternetGateway', {
      vpcId: this.vpc.id,
      tags: { Name: props.name },
    });
    const clusterTag = `kubernetes.io/cluster/${props.clusterName}`;

    const publicRoutes = new RouteTable(this, 'PublicRoutes', {
      vpcId: this.vpc.id,
      tags: { Name: `${props.name}-public` },
    });
    new Route(this, 'PublicDefaultRoute', {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: igw.id,
    });

    const publicSubnets = props.availabilityZones.map((az, i) => {
      const zone = new Construct(this, az);
      const s = new Subnet(zone, 'PublicSubnet', {
        vpcId: this.vpc.id,
        availabilityZone: az,
        cidrBlock: this.publicSubnetCidrs[i]!,
        // Nothing launched here gets a public address implicitly; NAT uses an EIP.
        mapPublicIpOnLaunch: false,
        tags: {
          Name: `${props.name}-public-${az}`,
          'kubernetes.io/role/elb': '1',
          [clusterTag]: 'shared',
        },
      });
      new RouteTableAssociation(zone, 'PublicRoutesAssociation', {
        subnetId: s.id,
        routeTableId: publicRoutes.id,
      });
      return s;
    });

    const natZones =
      props.natGateways === 'perZone'
        ? props.availabilityZones
        : props.availabilityZones.slice(0, 1);
    const nats = natZones.map((az, i) => {
      const zone = this.node.findChild(az);
      const eip = new Eip(zone, 'NatAddress', {
        domain: 'vpc',
        tags: { Name: `${props.name}-nat-${az}` },
      });
      return new NatGateway(zone, 'NatGateway', {
        allocationId: eip.allocationId,
        subnetId: publicSubnets[i]!.id,
        tags: { Name: `${props.name}-${az}` },
        dependsOn: [igw],
      });
    });

    const privateSubnets = props.availabilityZones.map((az, i) => {
      const zone = this.node.findChild(az);
      const s = new Subnet(zone, 'PrivateSubnet', {
        vpcId: this.vpc.id,
        availabilityZone: az,
        cidrBlock: this.privateSubnetCidrs[i]!,
        tags: {
          Name: `${props.name}-private-${az}`,
          'kubernetes.io/role/internal-elb': '1',
          [clusterTag]: 'shared',
        },
      });
      const routes = new RouteTable(zone, 'PrivateRoutes', {
        vpcId: this.vpc.id,
        tags: { Name: `${props.name}-private-${az}` },
      });
      new Route(zone, 'PrivateDefaultRoute', {
        routeTableId: routes.id,
        destinationCidrBlock: '0.0.0.0/0',
        // With one NAT every zone egresses through it; per zone, each through its own.
        natGatewayId: (nats[i] ?? nats[0]!).id,
      });
      new RouteTableAssociation(zone, 'PrivateRoutesAssociation', {
        subnetId: s.id,
        routeTableId: routes.id,
      });
      return s;
    });
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);

    const flowLogs = new Construct(this, 'FlowLogs');
    const group = new CloudwatchLogGroup(flowLogs, 'LogGroup', {
      name: `/aws/vpc/${props.name}/flow-logs`,
      retentionInDays: this.flowLogRetentionDays,
      kmsKeyId: props.flowLogKeyArn,
    });
    const role = new IamRole(flowLogs, 'Role', {
      name: `${props.name}-vpc-flow-logs`,
      assumeRolePolicy: serviceTrustPolicy('vpc-flow-logs.amazonaws.com'),
    });
    new IamRolePolicy(flowLogs, 'Policy', {
      role: role.name,
      name: 'write-flow-logs',
      policy: policyDocument([
        {
          sid: 'WriteFlowLogGroup',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [`${group.arn}:*`],
        },
      ]),
    });
    new FlowLog(flowLogs, 'Resource', {
      vpcId: this.vpc.id,
      ...FLOW_LOG_SETTINGS,
      logDestination: group.arn,
      iamRoleArn: role.arn,
    });
  }
}
